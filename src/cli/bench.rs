//! `smesim bench [FILE]`: firm-rounds per second at several population sizes
//! and thread counts, outputs discarded, with the fitted scaling exponent and
//! the speed-up from the fewest to the most threads.

use super::Failure;
use super::run::{Overrides, apply, load_or_baseline};
use smesim::experiment::benchmark::{Measurement, measure, scaling, speedups};
use smesim::output::manifest::Program;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `smesim bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Scenario file (default: the built-in baseline).
    file: Option<PathBuf>,
    /// Firms at the start, one or more sizes (default: the scenario's), e.g. `--firms 10000,100000`.
    #[arg(long, value_name = "N,...", value_delimiter = ',', value_parser = clap::value_parser!(u32).range(1..))]
    firms: Vec<u32>,
    /// Worker threads, one or more counts (default: all cores), e.g. `--threads 1,2`.
    #[arg(long, value_name = "N,...", value_delimiter = ',', value_parser = clap::value_parser!(u16).range(1..))]
    threads: Vec<u16>,
    /// Timed repeats of each size and thread count (the thread counts take turns
    /// within a repeat); the median is reported.
    #[arg(long, value_name = "K", default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    repeat: u16,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    json: bool,
    /// Replications default to 1 here (a benchmark times one population).
    #[command(flatten)]
    overrides: Overrides,
}

/// Time every size on every thread count and print the results.
pub fn run(mut args: BenchArgs) -> Result<(), Failure> {
    args.overrides.replications.get_or_insert(1);
    let (base, source) = load_or_baseline(args.file.as_deref())?;
    let scenario = apply(&args.overrides, &base)?;
    let sim = &scenario.config().simulation;
    let firms = if args.firms.is_empty() { vec![sim.firms] } else { sorted(args.firms) };
    let threads = if args.threads.is_empty() { vec![0] } else { sorted(args.threads) };
    let pools = threads
        .iter()
        .map(|n| rayon::ThreadPoolBuilder::new().num_threads(usize::from(*n)).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Internal(format!("cannot start worker threads: {e}")))?;
    let heading = format!(
        "{} on {} cores\nscenario `{}` ({source}): {} markets, {} rounds, {} replication(s); median of {} repeats, outputs discarded",
        Program::current().id(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        scenario.name(),
        scenario.config().markets.count,
        sim.rounds,
        sim.replications,
        args.repeat,
    );
    if !args.json {
        println!(
            "{heading}\n{:>12} {:>8} {:>14} {:>10} {:>15} {:>12}",
            "firms", "threads", "firm-rounds", "median s", "firm-rounds/s", "peak memory"
        );
    }
    let mut measurements = Vec::new();
    for n in &firms {
        for m in measure(&scenario, *n, &pools, usize::from(args.repeat))? {
            if !args.json {
                println!("{}", row(&m));
                std::io::stdout().flush().ok();
            }
            measurements.push(m);
        }
    }
    let fits: Vec<_> = pools
        .iter()
        .filter_map(|p| scaling(&measurements, p.current_num_threads()).map(|f| (p.current_num_threads(), f)))
        .collect();
    let ups = speedups(&measurements);
    if args.json {
        let doc = serde_json::json!({
            "program": Program::current(),
            "scenario": scenario.name(),
            "source": source,
            "markets": scenario.config().markets.count,
            "rounds": sim.rounds,
            "replications": sim.replications,
            "repeats": args.repeat,
            "measurements": measurements,
            "scaling": fits.iter().map(|(t, f)| serde_json::json!({"threads": t, "fit": f})).collect::<Vec<_>>(),
            "speedups": ups,
        });
        println!("{}", serde_json::to_string_pretty(&doc).expect("figures serialize"));
        return Ok(());
    }
    for (threads, f) in &fits {
        println!(
            "time ~ firm-rounds^{:.3}, 95% interval [{:.3}, {:.3}], r2 {:.4} ({} sizes, {threads} threads)",
            f.exponent, f.low, f.high, f.r2, f.n
        );
    }
    for u in &ups {
        println!("speed-up {} -> {} threads at {} firms: {:.2}x", u.from_threads, u.to_threads, u.firms, u.ratio);
    }
    Ok(())
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort_unstable();
    v.dedup();
    v
}

/// One line of the table.
fn row(m: &Measurement) -> String {
    let memory = m.peak_memory_bytes.map_or("-".to_string(), |b| format!("{:.0} MB", b as f64 / 1e6));
    format!(
        "{:>12} {:>8} {:>14} {:>10.3} {:>13.3} M {:>12}",
        m.firms,
        m.threads,
        m.firm_rounds,
        m.median_seconds,
        m.firm_rounds_per_second / 1e6,
        memory
    )
}
