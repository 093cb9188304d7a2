//! `smesim compare A.toml B.toml [...]`: run scenarios with the same seed and
//! replications (common random numbers) and put them side by side.

use super::Failure;
use super::run::{Execution, Overrides, apply, execute};
use smesim::output::{Manifest, prepare_dir, write_manifest};
use smesim::report::compare::{ComparisonRow, compare as compare_runs};
use smesim::scenario::Shares;
use smesim::{Scenario, Strategy};
use std::path::{Path, PathBuf};

/// Arguments of `smesim compare`.
#[derive(clap::Args)]
pub struct CompareArgs {
    /// Scenario files; the first is the reference the others are compared with.
    /// With --strategies, a single scenario.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Run the one scenario once per strategy, every firm using it, e.g.
    /// `--strategies waterfall,sprinkler` (the same firms meet the same draws).
    #[arg(long, value_delimiter = ',', value_name = "S,S,...")]
    strategies: Vec<String>,
    /// Output folder (default: output/compare-<first>-<second>..., with any
    /// --seed, --replications and --set appended).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    execution: Execution,
}

/// Run every scenario into its own subfolder, then compare them.
pub fn compare(args: CompareArgs) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let (scenarios, labels) = variants(&args)?;
    let out = args.out.clone().unwrap_or_else(|| default_folder(&scenarios[0], &labels, &args));
    prepare_dir(&out, args.execution.force)?;
    let mut runs = Vec::new();
    for (i, (s, label)) in scenarios.iter().zip(&labels).enumerate() {
        let name = if args.strategies.is_empty() { s.name() } else { label.as_str() };
        let dir = out.join(format!("{}_{name}", i + 1));
        prepare_dir(&dir, true)?;
        if !args.execution.quiet {
            eprintln!("running `{label}` into {}/", dir.display());
        }
        let file = &args.files[i.min(args.files.len() - 1)];
        execute(s, &file.display().to_string(), &dir, &args.execution)?;
        runs.push((label.clone(), dir));
    }
    let (rows, files) = compare_runs(&runs, &out)?;
    let source = args.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ");
    let threads = args.execution.threads.map_or_else(rayon::current_num_threads, usize::from);
    let mut manifest = Manifest::new(&scenarios[0], source, std::env::args().collect(), threads);
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    write_manifest(&out, manifest, &files)?;
    println!("{}", table(&runs, &rows, &out, !args.strategies.is_empty()));
    Ok(())
}

/// The scenarios to run and their labels: the files given, or one file once
/// per strategy. All take the first scenario's seed and replications.
fn variants(args: &CompareArgs) -> Result<(Vec<Scenario>, Vec<String>), Failure> {
    let loaded: Vec<Scenario> = args.files.iter().map(|f| Scenario::load(f)).collect::<Result<_, _>>()?;
    let first = loaded[0].config().simulation.clone();
    let paired = |s: &Scenario, shares: Option<Shares>| -> Result<Scenario, Failure> {
        let aligned = s.with(|c| {
            c.simulation.seed = first.seed;
            c.simulation.replications = first.replications;
            if let Some(shares) = shares {
                c.strategy.shares = shares;
            }
        })?;
        apply(&args.overrides, &aligned)
    };
    if args.strategies.is_empty() {
        if loaded.len() < 2 {
            return Err(Failure::Input(
                "error: compare needs at least two scenario files, or one with --strategies".into(),
            ));
        }
        let scenarios = loaded.iter().map(|s| paired(s, None)).collect::<Result<Vec<_>, _>>()?;
        let labels = labels(&scenarios);
        return Ok((scenarios, labels));
    }
    if loaded.len() != 1 || args.strategies.len() < 2 {
        return Err(Failure::Input(
            "error: --strategies takes one scenario file and at least two strategies, e.g. \
             `smesim compare scenarios/kmm_waterfall_wins.toml --strategies waterfall,sprinkler`"
                .into(),
        ));
    }
    let strategies = args
        .strategies
        .iter()
        .map(|name| {
            Strategy::from_name(name).ok_or_else(|| {
                Failure::Input(format!(
                    "error: --strategies: unknown strategy `{name}`; allowed: waterfall, sprinkler, gradual, network"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let scenarios = strategies.iter().map(|s| paired(&loaded[0], Some(s.only()))).collect::<Result<Vec<_>, _>>()?;
    Ok((scenarios, strategies.iter().map(|s| s.as_str().to_string()).collect()))
}

/// Scenario names, made unique by their position where they repeat.
fn labels(scenarios: &[Scenario]) -> Vec<String> {
    scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let repeated = scenarios.iter().filter(|o| o.name() == s.name()).count() > 1;
            if repeated { format!("{} ({})", s.name(), i + 1) } else { s.name().to_string() }
        })
        .collect()
}

fn default_folder(first: &Scenario, labels: &[String], args: &CompareArgs) -> PathBuf {
    let mut names: Vec<String> = labels.iter().map(|l| l.replace([' ', '(', ')'], "")).collect();
    if !args.strategies.is_empty() {
        names.insert(0, first.name().to_string());
    }
    Path::new("output").join(format!("compare-{}{}", names.join("-"), args.overrides.tag()))
}

/// The figures printed for a comparison of scenarios.
const SHOWN: [&str; 5] =
    ["exporter_share", "mean_markets_per_exporter", "spell_survival_1", "firm_survival_10", "discounted_profit"];

/// The figures printed for a comparison of strategies: what a firm earns by
/// each, and what the strategy costs in mistakes and gains in reach.
const SHOWN_STRATEGIES: [&str; 4] = ["discounted_profit", "failed_entries", "markets_reached", "exporter_share"];

/// A few headline figures per scenario with the paired difference to the first.
fn table(runs: &[(String, PathBuf)], rows: &[ComparisonRow], out: &Path, by_strategy: bool) -> String {
    let fmt = smesim::report::html::number;
    let what = if by_strategy { "strategies" } else { "scenarios" };
    let mut lines = vec![format!("compared {} {what} with common random numbers:", runs.len())];
    let shown: &[&str] = if by_strategy { &SHOWN_STRATEGIES } else { &SHOWN };
    for metric in shown {
        lines.push(format!("  {metric}"));
        for r in rows.iter().filter(|r| r.metric == *metric) {
            let diff = if r.scenario == runs[0].0 {
                String::new()
            } else {
                format!("   difference {} [{}, {}]", fmt(r.difference), fmt(r.difference_low), fmt(r.difference_high))
            };
            lines.push(format!("    {:<30} {:>8}{diff}", r.scenario, fmt(r.mean)));
        }
    }
    lines.push(format!("files in {}/ (open report.html in a browser)", out.display()));
    lines.join("\n")
}
