//! `smesim compare A.toml B.toml [...]`: run scenarios with the same seed and
//! replications (common random numbers) and put them side by side.

use super::Failure;
use super::run::{Execution, Overrides, apply, execute};
use smesim::Scenario;
use smesim::output::{Manifest, prepare_dir, write_manifest};
use smesim::report::compare::{ComparisonRow, compare as compare_runs};
use std::path::{Path, PathBuf};

/// Arguments of `smesim compare`.
#[derive(clap::Args)]
pub struct CompareArgs {
    /// Scenario files; the first is the reference the others are compared with.
    #[arg(required = true, num_args = 2..)]
    files: Vec<PathBuf>,
    /// Output folder (default: output/compare-<first>-<second>...).
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
    let loaded: Vec<Scenario> = args.files.iter().map(|f| Scenario::load(f)).collect::<Result<_, _>>()?;
    let first = loaded[0].config().simulation.clone();
    let scenarios: Vec<Scenario> = loaded
        .iter()
        .map(|s| {
            s.with(|c| {
                c.simulation.seed = first.seed;
                c.simulation.replications = first.replications;
                apply(&args.overrides, c);
            })
        })
        .collect::<Result<_, _>>()?;
    let labels = labels(&scenarios);
    let out = args.out.clone().unwrap_or_else(|| default_folder(&labels));
    prepare_dir(&out, args.execution.force)?;
    let mut runs = Vec::new();
    for (i, ((s, label), file)) in scenarios.iter().zip(&labels).zip(&args.files).enumerate() {
        let dir = out.join(format!("{}_{}", i + 1, s.name()));
        prepare_dir(&dir, true)?;
        if !args.execution.quiet {
            eprintln!("running `{label}` into {}/", dir.display());
        }
        execute(s, &file.display().to_string(), &dir, &args.execution)?;
        runs.push((label.clone(), dir));
    }
    let (rows, files) = compare_runs(&runs, &out)?;
    let source = args.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ");
    let threads = args.execution.threads.map_or_else(rayon::current_num_threads, usize::from);
    let mut manifest = Manifest::new(&scenarios[0], source, std::env::args().collect(), threads);
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    write_manifest(&out, manifest, &files)?;
    println!("{}", table(&runs, &rows, &out));
    Ok(())
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

fn default_folder(labels: &[String]) -> PathBuf {
    let names: Vec<String> = labels.iter().map(|l| l.replace([' ', '(', ')'], "")).collect();
    Path::new("output").join(format!("compare-{}", names.join("-")))
}

const SHOWN: [&str; 4] = ["exporter_share", "mean_markets_per_exporter", "spell_survival_1", "firm_survival_10"];

/// A few headline figures per scenario with the paired difference to the first.
fn table(runs: &[(String, PathBuf)], rows: &[ComparisonRow], out: &Path) -> String {
    let fmt = smesim::report::html::number;
    let mut lines = vec![format!("compared {} scenarios with common random numbers:", runs.len())];
    for metric in SHOWN {
        lines.push(format!("  {metric}"));
        for r in rows.iter().filter(|r| r.metric == metric) {
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
