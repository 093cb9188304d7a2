//! Throughput: how many firm-rounds a second the engine runs, at several
//! population sizes and thread counts, with every output discarded (it
//! measures the simulation, not the disk). `smesim bench` prints these;
//! `docs/PERFORMANCE.md` and `benches/peers/compare.sh` quote them.

use crate::analysis::scaling::{PowerLaw, median, power_law};
use crate::engine::{Observer, RoundOutput};
use crate::output::manifest::Program;
use crate::scenario::{Scenario, ScenarioError};
use std::convert::Infallible;
use std::time::Instant;

/// One population size on one thread count, timed `seconds.len()` times.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Measurement {
    /// Firms at the start (the scenario's `simulation.firms`).
    pub firms: u32,
    /// Worker threads.
    pub threads: usize,
    /// Firm-rounds per repeat: every round, the firms that went through it
    /// (alive at its end, or died in it), over all replications.
    pub firm_rounds: u64,
    /// Wall time of each repeat: world, populations and every round.
    pub seconds: Vec<f64>,
    /// Median of `seconds`.
    pub median_seconds: f64,
    /// `firm_rounds / median_seconds`.
    pub firm_rounds_per_second: f64,
    /// Peak resident memory while this size ran (Linux; None elsewhere).
    pub peak_memory_bytes: Option<u64>,
}

/// Time `scenario` with `firms` firms `repeats` times on each of `pools`, one
/// measurement per pool. Within a repeat the pools take turns, so a slow spell
/// of a shared machine falls on every thread count alike and their ratio, the
/// speed-up, is measured in one run.
pub fn measure(
    scenario: &Scenario,
    firms: u32,
    pools: &[rayon::ThreadPool],
    repeats: usize,
) -> Result<Vec<Measurement>, ScenarioError> {
    let sized = scenario.with(|c| c.simulation.firms = firms)?;
    let mut seconds = vec![Vec::with_capacity(repeats); pools.len()];
    let mut peaks = vec![None; pools.len()];
    let mut firm_rounds = 0;
    for _ in 0..repeats.max(1) {
        for (i, pool) in pools.iter().enumerate() {
            let reset = reset_peak_memory();
            let mut count = CountFirmRounds(0);
            let started = Instant::now();
            pool.install(|| crate::run(&sized, &mut count)).unwrap_or_else(|never| match never {});
            seconds[i].push(started.elapsed().as_secs_f64());
            firm_rounds = count.0;
            peaks[i] = peaks[i].max(reset.then(Program::peak_memory_bytes).flatten());
        }
    }
    Ok(pools
        .iter()
        .zip(seconds)
        .zip(peaks)
        .map(|((pool, seconds), peak_memory_bytes)| {
            let median_seconds = median(&seconds);
            Measurement {
                firms,
                threads: pool.current_num_threads(),
                firm_rounds,
                firm_rounds_per_second: firm_rounds as f64 / median_seconds,
                median_seconds,
                seconds,
                peak_memory_bytes,
            }
        })
        .collect())
}

/// Time against firm-rounds, `time = a * firm_rounds^b`, over the sizes
/// measured on `threads` threads; b = 1 is linear scaling.
pub fn scaling(measurements: &[Measurement], threads: usize) -> Option<PowerLaw> {
    let points: Vec<(f64, f64)> = measurements
        .iter()
        .filter(|m| m.threads == threads)
        .map(|m| (m.firm_rounds as f64, m.median_seconds))
        .collect();
    power_law(&points)
}

/// How much faster the most threads ran a size than the fewest.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Speedup {
    /// Firms at the start.
    pub firms: u32,
    /// The fewest threads measured at this size.
    pub from_threads: usize,
    /// The most threads measured at this size.
    pub to_threads: usize,
    /// Median time on `from_threads` / median time on `to_threads`.
    pub ratio: f64,
}

/// The speed-up at every size measured on more than one thread count.
pub fn speedups(measurements: &[Measurement]) -> Vec<Speedup> {
    let mut sizes: Vec<u32> = measurements.iter().map(|m| m.firms).collect();
    sizes.sort_unstable();
    sizes.dedup();
    sizes
        .into_iter()
        .filter_map(|firms| {
            let at: Vec<&Measurement> = measurements.iter().filter(|m| m.firms == firms).collect();
            let fewest = at.iter().min_by_key(|m| m.threads)?;
            let most = at.iter().max_by_key(|m| m.threads)?;
            (most.threads > fewest.threads).then(|| Speedup {
                firms,
                from_threads: fewest.threads,
                to_threads: most.threads,
                ratio: fewest.median_seconds / most.median_seconds,
            })
        })
        .collect()
}

/// Discards the outputs, counting the firms that went through each round.
struct CountFirmRounds(u64);

impl Observer for CountFirmRounds {
    type Error = Infallible;
    fn round(&mut self, _: u32, out: &RoundOutput) -> Result<(), Infallible> {
        let all = &out.stats[0];
        self.0 += all.alive + all.deaths;
        std::hint::black_box(out);
        Ok(())
    }
}

/// Start measuring peak memory afresh (Linux: `clear_refs` 5 resets VmHWM to
/// the current resident size), so each run reports its own peak.
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        Scenario::baseline()
            .with(|c| {
                c.simulation.rounds = 5;
                c.simulation.burn_in = 1;
                c.simulation.replications = 2;
            })
            .unwrap()
    }

    #[test]
    fn firm_rounds_count_every_firm_in_every_round_of_every_replication() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let m = &measure(&small(), 500, &[pool], 2).unwrap()[0];
        // Dead firms are replaced, so each round sees the 500 firms plus those that died in it.
        assert!(m.firm_rounds >= 500 * 5 * 2 && m.firm_rounds < 500 * 5 * 2 * 12 / 10, "{}", m.firm_rounds);
        assert_eq!(m.seconds.len(), 2);
        assert!(m.firm_rounds_per_second > 0.0 && m.threads == 1);
    }

    #[test]
    fn every_pool_gets_its_own_measurement_of_the_same_work() {
        let pools: Vec<_> =
            [1, 2].map(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap()).into_iter().collect();
        let ms = measure(&small(), 300, &pools, 3).unwrap();
        assert_eq!(ms.iter().map(|m| m.threads).collect::<Vec<_>>(), vec![1, 2]);
        assert!(ms.iter().all(|m| m.seconds.len() == 3 && m.firm_rounds == ms[0].firm_rounds));
        assert!(ms.iter().all(|m| m.median_seconds == median(&m.seconds)));
    }

    fn timed(firms: u32, threads: usize, seconds: f64) -> Measurement {
        let firm_rounds = u64::from(firms) * 50;
        Measurement {
            firms,
            threads,
            firm_rounds,
            seconds: vec![seconds],
            median_seconds: seconds,
            firm_rounds_per_second: firm_rounds as f64 / seconds,
            peak_memory_bytes: None,
        }
    }

    #[test]
    fn scaling_fits_time_against_firm_rounds_per_thread_count() {
        let ms = [timed(10_000, 1, 0.5), timed(100_000, 1, 5.0), timed(10_000, 2, 0.3), timed(100_000, 2, 2.7)];
        let one = scaling(&ms, 1).expect("two sizes on one thread");
        assert!((one.exponent - 1.0).abs() < 1e-9, "ten times the work, ten times the time: {one:?}");
        assert!(scaling(&ms, 2).unwrap().exponent < 1.0);
        assert!(scaling(&ms, 4).is_none(), "nothing was measured on four threads");
        let up = speedups(&ms);
        assert_eq!(up.len(), 2);
        assert_eq!((up[1].firms, up[1].from_threads, up[1].to_threads), (100_000, 1, 2));
        assert!((up[1].ratio - 5.0 / 2.7).abs() < 1e-12);
    }
}
