//! `smesim run [FILE]`: run a scenario and write its outputs.

use super::Failure;
use super::progress::Progress;
use smesim::Scenario;
use smesim::analysis::interval;
use smesim::output::{Manifest, RunWriter, prepare_dir};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `smesim run`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Scenario file (default: the built-in baseline, scenarios/baseline.toml).
    file: Option<PathBuf>,
    /// Output folder (default: output/<scenario name>/).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replications, overriding the scenario's.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    replications: Option<u32>,
    /// Master seed, overriding the scenario's.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads (default: all cores; results do not depend on it).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Also write panel.csv (one row per firm and round).
    #[arg(long)]
    panel: bool,
    /// Replace the results in a non-empty output folder.
    #[arg(long)]
    force: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

/// Run the scenario of `args` and print a summary.
pub fn run(args: RunArgs) -> Result<(), Failure> {
    let scenario = scenario(&args)?;
    let dir = args.out.clone().unwrap_or_else(|| Path::new("output").join(scenario.name()));
    prepare_dir(&dir, args.force)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, usize::from))
        .build()
        .map_err(|e| Failure::Internal(format!("cannot start worker threads: {e}")))?;
    let source = args.file.as_ref().map_or_else(|| "built-in baseline".to_string(), |f| f.display().to_string());
    let mut manifest = Manifest::new(&scenario, source, std::env::args().collect(), pool.current_num_threads());
    let started = Instant::now();
    let mut observer = Progress::new(RunWriter::new(&dir, &scenario)?, &scenario, args.quiet);
    pool.install(|| smesim::run(&scenario, &mut observer))?;
    observer.done();
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    let summary = summary(&scenario, observer.inner.last_rounds(), &dir, manifest.wall_seconds);
    observer.inner.finish(manifest)?;
    println!("{summary}");
    Ok(())
}

/// The scenario with the command line's overrides, validated.
fn scenario(args: &RunArgs) -> Result<Scenario, Failure> {
    let base = match &args.file {
        Some(file) => Scenario::load(file)?,
        None => Scenario::baseline(),
    };
    Ok(base.with(|c| {
        if let Some(n) = args.replications {
            c.simulation.replications = n;
        }
        if let Some(s) = args.seed {
            c.simulation.seed = s;
        }
        c.output.panel |= args.panel;
    })?)
}

/// The lines printed at the end: headline figures of the last round with
/// 95% intervals over replications, and where the files are.
fn summary(scenario: &Scenario, last: &[smesim::engine::RoundStats], dir: &Path, seconds: f64) -> String {
    let sim = &scenario.config().simulation;
    let line = |label: &str, values: Vec<f64>, digits: usize| match interval(&values) {
        Some(i) if i.n > 1 => {
            format!("  {label:<34} {:>10.digits$}   95% interval [{:.digits$}, {:.digits$}]", i.mean, i.low, i.high)
        }
        Some(i) => format!("  {label:<34} {:>10.digits$}", i.mean),
        None => format!("  {label:<34} {:>10}", "-"),
    };
    [
        format!(
            "scenario `{}`: {} replications x {} rounds, {} firms, seed {} ({seconds:.1} s)",
            scenario.name(),
            sim.replications,
            sim.rounds,
            sim.firms,
            sim.seed
        ),
        format!("in round {} (mean over replications):", sim.rounds),
        line("firms alive", last.iter().map(|s| s.alive as f64).collect(), 1),
        line("exporter share", last.iter().map(|s| s.exporter_share).collect(), 3),
        line("mean markets per exporter", last.iter().map(|s| s.mean_markets_per_exporter).collect(), 2),
        format!("files in {}/", dir.display()),
    ]
    .join("\n")
}
