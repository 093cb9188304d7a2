//! Sweep throughput: runs per second of a sweep of the 10^4-firm baseline
//! (60 rounds, one replication per run, figures measured and each run's file
//! written), on 1 thread and on all cores. `cargo bench --bench sweep`;
//! figures are quoted in docs/PERFORMANCE.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use smesim::experiment::sweep::execute::run_all;
use smesim::experiment::sweep::store::RUNS;
use smesim::experiment::sweep::{RunId, Sweep};
use std::path::Path;

/// 4 Latin-hypercube points x 2 replications of the baseline: 8 runs.
const SWEEP: &str = r#"
replications = 2
[design]
kind = "latin-hypercube"
points = 4
[[parameter]]
key = "markets.entry_cost"
range = [1.7, 5.1]
[[parameter]]
key = "network.tie_rate_eo"
range = [0.75, 2.25]
"#;

fn sweep(c: &mut Criterion) {
    let sweep = Sweep::from_toml_str(SWEEP, "bench", Path::new(".")).expect("a valid sweep");
    let runs: Vec<RunId> = (0..sweep.runs()).map(|k| sweep.run(k)).collect();
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.throughput(Throughput::Elements(runs.len() as u64));
    for threads in if all > 1 { vec![1, all] } else { vec![1] } {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        group.bench_function(BenchmarkId::new("8_runs_10k_firms", format!("{threads}_threads")), |b| {
            b.iter(|| {
                let dir = tempfile::tempdir().unwrap();
                std::fs::create_dir(dir.path().join(RUNS)).unwrap();
                pool.install(|| run_all(&sweep, dir.path(), &runs, &|| ())).unwrap();
            })
        });
    }
    group.finish();
}

criterion_group!(benches, sweep);
criterion_main!(benches);
