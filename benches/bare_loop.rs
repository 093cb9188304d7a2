//! The bare loop: how fast could a round of 10^5 firms x 30 markets possibly be?
//!
//! `cargo bench --bench bare_loop` times, on the settled population of the
//! throughput benchmark (the baseline, 100,000 firms, 30 foreign markets,
//! after 20 rounds; `cargo bench --bench bare_loop -- --firms N` for another
//! size), with the model's rayon chunking (chunks of `CHUNK_ROWS`
//! rows), on one thread and on all cores:
//!
//! - **the model**: one round, `Replication::step`;
//! - **the bare loop**: a round without the model's decisions. For every live
//!   row it opens as many random streams and draws as many Philox blocks as the
//!   model did per firm in a round, and reads and writes back every column of
//!   the row (`Row::touch`: scalars, per-market and tie slices, the record and
//!   the support held), folding all of it into a checksum given to
//!   `std::hint::black_box`.
//!
//! It prints the median time of each over 15 repetitions (model and bare loop
//! alternate, so a load on the machine falls on both alike), firm-rounds per
//! second, and the model's throughput as a fraction of the bare loop's.
//!
//! Why the bare loop is a fair floor: whatever the model decides, a round must
//! draw its random numbers (counter-based streams, one per firm, round and
//! purpose: the draws are the model's, counted as it runs by the tally that
//! `smesim::engine::rng::take_drawn` reads) and bring each firm's state through
//! the cache and back (the model reads most columns of a live row and writes
//! many). The bare loop does exactly that and nothing else: the same streams'
//! block function, the same rows, chunks and threads, no branch on the state
//! and no float arithmetic, so it is faster than any model that draws the same
//! numbers on the same state. Blocks are spread over rows in proportion (row r
//! draws the integer part of the mean plus, Bresenham-like, its share of the
//! remainder), so the bare loop draws the model's total.

use rand::Rng;
use rayon::prelude::*;
use smesim::Scenario;
use smesim::engine::rng::{self, Drawn, Purpose, StreamKey};
use smesim::engine::{CHUNK_ROWS, Replication};
use smesim::model::firm::Chunk;
use smesim::model::{Firms, World};
use std::hint::black_box;
use std::time::{Duration, Instant};

mod common;
use common::pools;

/// Firms unless `--firms N` says otherwise.
const FIRMS: u32 = 100_000;
const SETTLE: u32 = 20;
const REPETITIONS: usize = 15;

/// `--firms N` from the command line, else [`FIRMS`].
fn firms() -> u32 {
    let args: Vec<String> = std::env::args().collect();
    let Some(i) = args.iter().position(|a| a == "--firms") else { return FIRMS };
    match args.get(i + 1).and_then(|n| n.parse().ok()) {
        Some(n) if n > 0 => n,
        _ => {
            eprintln!("error: --firms takes a whole number of firms above 0, e.g. --firms 10000");
            std::process::exit(2);
        }
    }
}

fn scenario(firms: u32) -> Scenario {
    Scenario::baseline()
        .with(|c| {
            c.simulation.firms = firms;
            // A long horizon, so the benchmark never reaches the censoring of the last round.
            c.simulation.rounds = 10_000;
            c.simulation.burn_in = SETTLE;
            c.simulation.replications = 1;
        })
        .expect("a valid benchmark scenario")
}

/// Streams and blocks drawn on the pool's threads since the last call.
fn drawn(pool: &rayon::ThreadPool) -> Drawn {
    pool.broadcast(|_| rng::take_drawn())
        .into_iter()
        .fold(Drawn::default(), |a, b| Drawn { streams: a.streams + b.streams, blocks: a.blocks + b.blocks })
}

/// `total` things spread over rows in proportion to one per `per` rows: row r
/// gets the integer part of the mean and, Bresenham-like, its share of the rest.
#[derive(Clone, Copy)]
struct Spread {
    total: u64,
    per: u64,
}

impl Spread {
    fn of_row(self, r: u64) -> u64 {
        (r + 1) * self.total / self.per - r * self.total / self.per
    }
}

/// What the bare loop draws: the model's streams and blocks per firm-round.
#[derive(Clone, Copy)]
struct Plan {
    key: StreamKey,
    round: u32,
    streams: Spread,
    blocks: Spread,
}

/// One bare round over all rows, in the model's chunks.
fn bare_round(firms: &mut Firms, plan: Plan) -> u64 {
    let zero = black_box(0);
    let sums: Vec<u64> =
        firms.chunks_mut(CHUNK_ROWS).into_par_iter().map(|mut c| bare_chunk(&mut c, plan, zero)).collect();
    sums.into_iter().fold(0, u64::wrapping_add)
}

/// Every live row of a chunk: open its streams, draw its blocks, touch its state.
fn bare_chunk(c: &mut Chunk<'_>, plan: Plan, zero: u64) -> u64 {
    let start = c.start as u64;
    let mut sum = 0u64;
    for (i, mut row) in c.rows().enumerate() {
        if !*row.alive {
            continue;
        }
        let r = start + i as u64;
        let (streams, blocks) = (plan.streams.of_row(r).max(1), plan.blocks.of_row(r));
        let entity = row.entity();
        for k in 0..streams {
            let mut stream = plan.key.sub_stream(entity, plan.round, Purpose::Demand, k as u32);
            let own = blocks / streams + u64::from(k < blocks % streams);
            for _ in 0..2 * own {
                sum = sum.wrapping_add(stream.next_u64());
            }
        }
        sum = sum.wrapping_add(row.touch(zero));
    }
    sum
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn per_second(firm_rounds: u64, t: Duration) -> f64 {
    firm_rounds as f64 / t.as_secs_f64()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let firms = firms();
    let s = scenario(firms);
    let world = World::generate(&s);
    println!(
        "bare loop: {firms} firms x {} markets, settled {SETTLE} rounds, chunks of {CHUNK_ROWS} rows, \
         medians of {REPETITIONS} repetitions",
        world.foreign()
    );
    println!(
        "{:>7}  {:>11}  {:>11}  {:>18}  {:>18}  {:>10}",
        "threads", "model", "bare loop", "model firm-rounds/s", "bare firm-rounds/s", "model/bare"
    );
    let mut counts = Vec::new();
    for (threads, pool) in pools() {
        let mut rep = Replication::new(&s, &world, 1);
        pool.install(|| (0..SETTLE).for_each(|_| drop(rep.step())));
        let mut bare = rep.firms().clone();
        drawn(&pool);
        let out = pool.install(|| rep.step());
        let model_drawn = drawn(&pool);
        let firm_rounds = out.stats[0].alive + out.stats[0].deaths;
        let plan = Plan {
            key: StreamKey::new(s.config().simulation.seed, 1),
            round: rep.round(),
            streams: Spread { total: model_drawn.streams, per: firm_rounds },
            blocks: Spread { total: model_drawn.blocks, per: firm_rounds },
        };
        let live = bare.alive.iter().filter(|a| **a).count() as u64;
        black_box(pool.install(|| bare_round(&mut bare, plan)));
        let bare_drawn = drawn(&pool);
        counts.push((threads, firm_rounds, model_drawn, live, bare_drawn));

        let (mut model_times, mut bare_times) = (Vec::new(), Vec::new());
        for _ in 0..REPETITIONS {
            let t = Instant::now();
            let out = black_box(pool.install(|| rep.step()));
            model_times.push(t.elapsed());
            drop(out);
            let t = Instant::now();
            black_box(pool.install(|| bare_round(&mut bare, plan)));
            bare_times.push(t.elapsed());
        }
        let (model, bare_t) = (median(model_times), median(bare_times));
        let (model_rate, bare_rate) = (per_second(firm_rounds, model), per_second(live, bare_t));
        println!(
            "{threads:>7}  {:>8.1} ms  {:>8.1} ms  {:>16.3} M  {:>16.3} M  {:>10.2}",
            model.as_secs_f64() * 1e3,
            bare_t.as_secs_f64() * 1e3,
            model_rate / 1e6,
            bare_rate / 1e6,
            model_rate / bare_rate
        );
    }
    for (threads, firm_rounds, model, live, bare) in counts {
        println!(
            "{threads} thread(s): the model drew {:.2} Philox blocks from {:.2} streams per firm-round \
             ({firm_rounds} firm-rounds); the bare loop {:.2} from {:.2} ({live} live rows)",
            model.blocks as f64 / firm_rounds as f64,
            model.streams as f64 / firm_rounds as f64,
            bare.blocks as f64 / live as f64,
            bare.streams as f64 / live as f64,
        );
    }
    println!("model/bare: smesim's throughput as a fraction of the bare loop's (issue 8's goal: at least 0.5)");
    println!(
        "state bytes per row touched: {}",
        Firms::new(world.foreign(), s.config().network.max_ties as usize).bytes_per_row()
    );
}
