//! Does absorptive capacity pay? Two populations that differ only in the
//! absorptive capacity they are born with, in the coupled framework of seed 000
//! and in the additive one.
//!
//! Run with `cargo run --release --example absorptive_capacity`.

use smesim::scenario::{Capacity, Dist};
use smesim::{Scenario, simulate};

fn main() -> Result<(), smesim::ScenarioError> {
    let base = Scenario::baseline().with(|c| {
        c.simulation.firms = 4000;
        c.simulation.rounds = 40;
        c.simulation.burn_in = 10;
        c.simulation.replications = 3;
    })?;
    println!(
        "{:<10} {:<12} {:>15} {:>22} {:>20}",
        "capacity", "acap", "exporter share", "markets per exporter", "mean spell length"
    );
    for capacity in [Capacity::Coupled, Capacity::Additive] {
        for (label, acap) in [("low", Dist::Beta([2.0, 6.0])), ("high", Dist::Beta([6.0, 2.0]))] {
            let scenario = base.with(|c| {
                c.learning.capacity = capacity;
                c.firms.acap = acap;
            })?;
            let r = simulate(&scenario);
            let spells: Vec<_> = r.spells.iter().map(|(_, s)| s).filter(|s| s.start > 10).collect();
            let mean_length = spells.iter().map(|s| f64::from(s.duration())).sum::<f64>() / spells.len() as f64;
            println!(
                "{:<10} {:<12} {:>15.3} {:>22.3} {:>20.2}",
                format!("{capacity:?}").to_lowercase(),
                label,
                r.final_mean(|s| s.exporter_share),
                r.final_mean(|s| s.mean_markets_per_exporter),
                mean_length
            );
        }
    }
    Ok(())
}
