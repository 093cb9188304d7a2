//! A harness for profiling one round: settles a baseline population, then runs
//! the measured rounds inside `measured_round`, a function a profiler can be
//! told to count alone.
//!
//! `cargo run --release --example profile_round -- [FIRMS] [SETTLE] [ROUNDS] [THREADS]`
//! (defaults 100000 20 1 1) prints the firm-rounds measured. With callgrind,
//! counting only the measured rounds (docs/PERFORMANCE.md):
//!
//! ```text
//! cargo build --release --example profile_round
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='profile_round::measured_round' \
//!     target/release/examples/profile_round 100000 20 1 1
//! callgrind_annotate --inclusive=yes callgrind.out.<pid>
//! ```

use smesim::Scenario;
use smesim::engine::Replication;
use smesim::model::World;

fn arg(n: usize, default: u32) -> u32 {
    std::env::args().nth(n).map_or(default, |a| a.parse().expect("a whole number"))
}

/// The rounds being profiled; returns the firm-rounds they simulated.
#[inline(never)]
fn measured_round(rep: &mut Replication<'_>, rounds: u32) -> u64 {
    (0..rounds)
        .map(|_| {
            let out = std::hint::black_box(rep.step());
            out.stats[0].alive + out.stats[0].deaths
        })
        .sum()
}

fn main() -> Result<(), smesim::ScenarioError> {
    let (firms, settle, rounds, threads) = (arg(1, 100_000), arg(2, 20), arg(3, 1), arg(4, 1));
    let s = Scenario::baseline().with(|c| {
        c.simulation.firms = firms;
        // A long horizon, so the measured rounds never reach the censoring of the last round.
        c.simulation.rounds = 10_000;
        c.simulation.burn_in = settle;
        c.simulation.replications = 1;
    })?;
    let world = World::generate(&s);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads as usize).build().expect("a thread pool");
    pool.install(|| {
        let mut rep = Replication::new(&s, &world, 1);
        (0..settle).for_each(|_| drop(rep.step()));
        let firm_rounds = measured_round(&mut rep, rounds);
        println!(
            "{firms} firms x {} markets, settled {settle} rounds: {firm_rounds} firm-rounds measured",
            world.foreign()
        );
    });
    Ok(())
}
