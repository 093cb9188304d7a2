//! Simulation throughput at 10^5 firms x 30 markets, in firm-rounds per second.
//!
//! `cargo bench --bench throughput` measures one round of a settled population
//! and a whole run (60 rounds, one replication), each on 1 thread and on all
//! cores. Figures are quoted in docs/PERFORMANCE.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use smesim::engine::{Observer, Replication, RoundOutput};
use smesim::model::World;
use smesim::{Scenario, run};
use std::convert::Infallible;

mod common;
use common::pools;

const FIRMS: u32 = 100_000;

fn scenario(rounds: u32) -> Scenario {
    Scenario::baseline()
        .with(|c| {
            c.simulation.firms = FIRMS;
            c.simulation.rounds = rounds;
            c.simulation.burn_in = 20.min(rounds - 1);
            c.simulation.replications = 1;
        })
        .expect("a valid benchmark scenario")
}

/// Discards everything: measures the simulation, not the output.
struct Discard;

impl Observer for Discard {
    type Error = Infallible;
    fn round(&mut self, _: u32, out: &RoundOutput) -> Result<(), Infallible> {
        std::hint::black_box(out);
        Ok(())
    }
}

fn one_round(c: &mut Criterion) {
    // A long horizon, so the benchmark never reaches the censoring of the last round.
    let s = scenario(10_000);
    let world = World::generate(&s);
    let mut group = c.benchmark_group("round");
    group.throughput(Throughput::Elements(u64::from(FIRMS)));
    for (threads, pool) in pools() {
        let mut rep = Replication::new(&s, &world, 1);
        pool.install(|| (0..20).for_each(|_| drop(rep.step())));
        group.bench_function(BenchmarkId::new("100k_firms_30_markets", format!("{threads}_threads")), |b| {
            b.iter(|| pool.install(|| rep.step()))
        });
    }
    group.finish();
}

fn whole_run(c: &mut Criterion) {
    let rounds = 60;
    let s = scenario(rounds);
    let mut group = c.benchmark_group("run");
    group.sample_size(10);
    group.throughput(Throughput::Elements(u64::from(FIRMS) * u64::from(rounds)));
    for (threads, pool) in pools() {
        group.bench_function(BenchmarkId::new("100k_firms_60_rounds", format!("{threads}_threads")), |b| {
            b.iter(|| pool.install(|| run(&s, &mut Discard)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, one_round, whole_run);
criterion_main!(benches);
