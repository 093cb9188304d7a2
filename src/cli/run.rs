//! `smesim run [FILE]`: run a scenario and write its outputs.

use super::Failure;
use super::progress::Progress;
use smesim::Scenario;
use smesim::analysis::effects::Effects;
use smesim::analysis::interval;
use smesim::engine::RoundStats;
use smesim::output::{Manifest, RunWriter, prepare_dir, write_manifest};
use smesim::report::policy::{TWIN, evaluate};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `smesim run`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Scenario file (default: the built-in baseline, scenarios/baseline.toml).
    file: Option<PathBuf>,
    /// Output folder (default: output/<scenario name>/, with any --seed,
    /// --replications and --set appended).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    overrides: Overrides,
    /// Also write panel.csv (one row per firm and round).
    #[arg(long)]
    panel: bool,
    #[command(flatten)]
    execution: Execution,
}

/// Settings the command line may override in every scenario it runs.
#[derive(clap::Args)]
pub struct Overrides {
    /// Replications, overriding the scenario's.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub replications: Option<u32>,
    /// Master seed, overriding the scenario's.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Change one setting, e.g. `--set markets.entry_cost=1.5` or
    /// `--set strategy.self_funded=false` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

impl Overrides {
    /// What the overrides change, appended to default folder names so that a
    /// changed run does not collide with the unchanged one, e.g.
    /// `_seed=2_markets.entry_cost=1.5`.
    pub fn tag(&self) -> String {
        let seed = self.seed.map(|s| format!("seed={s}"));
        let reps = self.replications.map(|n| format!("replications={n}"));
        let sets = self.set.iter().map(|s| s.replace(' ', ""));
        seed.into_iter()
            .chain(reps)
            .chain(sets)
            .map(|part| format!("_{}", part.replace(|c: char| !(c.is_alphanumeric() || "._=-".contains(c)), "-")))
            .collect()
    }
}

/// What commands that read one scenario and write one folder share: the
/// scenario (default: the built-in baseline), the folder, the overrides and
/// how to execute.
#[derive(clap::Args)]
pub struct ScenarioArgs {
    /// Scenario file (default: the built-in baseline, scenarios/baseline.toml).
    pub file: Option<PathBuf>,
    /// Output folder (default: output/<command>-<scenario>/, with any --seed,
    /// --replications and --set appended).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(flatten)]
    pub execution: Execution,
}

impl ScenarioArgs {
    /// The scenario with the overrides applied, and how to name its source.
    pub fn scenario(&self) -> Result<(Scenario, String), Failure> {
        let (base, source) = load_or_baseline(self.file.as_deref())?;
        Ok((apply(&self.overrides, &base)?, source))
    }

    /// The output folder, prepared (see [`prepare_dir`]): --out, else
    /// `output/<command>-<scenario><overrides>`.
    pub fn folder(&self, command: &str, scenario: &Scenario) -> Result<PathBuf, Failure> {
        let default = || Path::new("output").join(format!("{command}-{}{}", scenario.name(), self.overrides.tag()));
        let dir = self.out.clone().unwrap_or_else(default);
        prepare_dir(&dir, self.execution.force)?;
        Ok(dir)
    }
}

/// How to execute: threads, overwriting, progress.
#[derive(clap::Args)]
pub struct Execution {
    /// Worker threads (default: all cores; results do not depend on it).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Replace the results in a non-empty output folder.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl Execution {
    /// The worker threads asked for (all cores by default).
    pub fn pool(&self) -> Result<rayon::ThreadPool, Failure> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads.map_or(0, usize::from))
            .build()
            .map_err(|e| Failure::Internal(format!("cannot start worker threads: {e}")))
    }
}

/// Run the scenario of `args` and print a summary.
pub fn run(args: RunArgs) -> Result<(), Failure> {
    let (base, source) = load_or_baseline(args.file.as_deref())?;
    let scenario = apply(&args.overrides, &base)?.with(|c| c.output.panel |= args.panel)?;
    let default = || Path::new("output").join(format!("{}{}", scenario.name(), args.overrides.tag()));
    let dir = args.out.clone().unwrap_or_else(default);
    prepare_dir(&dir, args.execution.force)?;
    let done = execute(&scenario, &source, &dir, &args.execution)?;
    println!("{}", summary(&scenario, &done, &dir));
    if let Some(effects) = &done.effects {
        println!("{}", super::effects::lines(effects));
    }
    Ok(())
}

/// The scenario in `file`, or the built-in baseline; and how to name its source.
pub fn load_or_baseline(file: Option<&Path>) -> Result<(Scenario, String), Failure> {
    Ok(match file {
        Some(file) => (Scenario::load(file)?, file.display().to_string()),
        None => (Scenario::baseline(), "built-in baseline".to_string()),
    })
}

/// The scenario with the command line's overrides applied, validated.
pub fn apply(o: &Overrides, scenario: &Scenario) -> Result<Scenario, Failure> {
    let mut s = scenario.with(|c| {
        if let Some(n) = o.replications {
            c.simulation.replications = n;
        }
        if let Some(seed) = o.seed {
            c.simulation.seed = seed;
        }
    })?;
    for setting in &o.set {
        let Some((key, value)) = setting.split_once('=') else {
            return Err(Failure::Input(format!(
                "error: --set `{setting}`: allowed: KEY=VALUE, e.g. --set markets.entry_cost=1.5"
            )));
        };
        s = s.set(key.trim(), value.trim())?;
    }
    Ok(s)
}

/// What a finished run reports back.
pub struct Executed {
    /// All-firm figures of each replication's last round.
    pub last_rounds: Vec<RoundStats>,
    /// Wall time of the simulation and its outputs.
    pub seconds: f64,
    /// With policy: the evaluation against the no-policy twin.
    pub effects: Option<Effects>,
}

/// Run `scenario` into the prepared folder `dir`: tables, then everything
/// derived from them, then the manifest. A scenario with programmes or
/// networks also runs its no-policy twin into `dir/twin` and is evaluated
/// against it.
pub fn execute(scenario: &Scenario, source: &str, dir: &Path, x: &Execution) -> Result<Executed, Failure> {
    let pool = x.pool()?;
    let mut manifest =
        Manifest::new(scenario, source.to_string(), std::env::args().collect(), pool.current_num_threads());
    let started = Instant::now();
    let (last_rounds, mut files) = tables(scenario, dir, &pool, x.quiet)?;
    let mut effects = None;
    if scenario.config().has_policy() {
        let twin_dir = dir.join(TWIN);
        prepare_dir(&twin_dir, true)?;
        files.extend(tables(&scenario.twin(), &twin_dir, &pool, x.quiet)?.1);
        if let Some((e, written)) = pool.install(|| evaluate(dir))? {
            files.extend(written);
            effects = Some(e);
        }
    }
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    write_manifest(dir, manifest.clone(), &files)?;
    Ok(Executed { last_rounds, seconds: manifest.wall_seconds, effects })
}

/// Run `scenario`'s tables into `dir` and derive their summary, plots and
/// report; returns each replication's last round and the files written.
fn tables(
    scenario: &Scenario,
    dir: &Path,
    pool: &rayon::ThreadPool,
    quiet: bool,
) -> Result<(Vec<RoundStats>, Vec<PathBuf>), Failure> {
    let mut observer = Progress::new(RunWriter::new(dir, scenario)?, scenario, quiet);
    pool.install(|| smesim::run(scenario, &mut observer))?;
    observer.done();
    let last_rounds = observer.inner.last_rounds().to_vec();
    let mut files = observer.inner.finish()?;
    files.extend(pool.install(|| smesim::report::analyse(dir))?);
    Ok((last_rounds, files))
}

/// The lines printed at the end: headline figures of the last round with
/// 95% intervals over replications, and where the files are.
fn summary(scenario: &Scenario, done: &Executed, dir: &Path) -> String {
    let sim = &scenario.config().simulation;
    let last = &done.last_rounds;
    [
        format!(
            "scenario `{}`: {} replications x {} rounds, {} firms, seed {} ({:.1} s)",
            scenario.name(),
            sim.replications,
            sim.rounds,
            sim.firms,
            sim.seed,
            done.seconds
        ),
        format!("in round {} (mean over replications):", sim.rounds),
        line("firms alive", last.iter().map(|s| s.alive as f64).collect(), 1),
        line("exporter share", last.iter().map(|s| s.exporter_share).collect(), 3),
        line("mean markets per exporter", last.iter().map(|s| s.mean_markets_per_exporter).collect(), 2),
        format!("files in {}/ (open report.html in a browser)", dir.display()),
    ]
    .join("\n")
}

/// One summary line: label, mean and 95% interval over replications.
pub fn line(label: &str, values: Vec<f64>, digits: usize) -> String {
    match interval(&values) {
        Some(i) if i.n > 1 => {
            format!("  {label:<34} {:>10.digits$}   95% interval [{:.digits$}, {:.digits$}]", i.mean, i.low, i.high)
        }
        Some(i) => format!("  {label:<34} {:>10.digits$}", i.mean),
        None => format!("  {label:<34} {:>10}", "-"),
    }
}
