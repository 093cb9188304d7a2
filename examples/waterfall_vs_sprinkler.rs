//! Waterfall against sprinkler, built in code and compared through the library.
//!
//! The same world and the same seed are used for both populations, so every
//! firm meets the same shocks under either strategy (common random numbers):
//! the difference between the two columns is the strategy's doing.
//!
//! Run with `cargo run --release --example waterfall_vs_sprinkler`.

use smesim::model::EndCause;
use smesim::{Results, Scenario, Strategy, simulate};

fn main() -> Result<(), smesim::ScenarioError> {
    let base = Scenario::baseline().with(|c| {
        c.simulation.firms = 4000;
        c.simulation.rounds = 40;
        c.simulation.burn_in = 10;
        c.simulation.replications = 3;
    })?;
    let only = |strategy: Strategy| base.with(|c| c.strategy.shares = strategy.only());
    let waterfall = simulate(&only(Strategy::Waterfall)?);
    let sprinkler = simulate(&only(Strategy::Sprinkler)?);

    println!("{:<40} {:>10} {:>10}", "after 40 rounds, mean of 3 replications", "waterfall", "sprinkler");
    let row = |label: &str, f: &dyn Fn(&Results) -> f64| {
        println!("{label:<40} {:>10.3} {:>10.3}", f(&waterfall), f(&sprinkler));
    };
    row("exporter share", &|r| r.final_mean(|s| s.exporter_share));
    row("markets per exporter", &|r| r.final_mean(|s| s.mean_markets_per_exporter));
    row("HHI of export sales", &|r| r.final_mean(|s| s.mean_hhi));
    row("failed entries (exits) per firm", &|r| exits_per_firm(r));
    row("spells surviving their first round", &|r| first_round_survival(r, 10));
    Ok(())
}

/// Market exits per firm that ever lived, from the firms' records.
fn exits_per_firm(r: &Results) -> f64 {
    let exits: f64 = r.firms.iter().map(|(_, f)| f64::from(f.failed_entries)).sum();
    exits / r.firms.len() as f64
}

/// Share of spells begun after burn-in that lasted more than one round
/// (spells censored after one round are left out).
fn first_round_survival(r: &Results, burn_in: u32) -> f64 {
    let new: Vec<_> = r.spells.iter().map(|(_, s)| s).filter(|s| s.start > burn_in).collect();
    let at_risk = new.iter().filter(|s| s.duration() > 1 || s.cause != EndCause::Censored).count();
    let survived = new.iter().filter(|s| s.duration() > 1).count();
    survived as f64 / at_risk as f64
}
