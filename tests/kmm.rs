//! The two corners of Kalish, Mahajan & Muller (1995), as shipped in
//! `scenarios/`: the same firms run once as waterfall and once as sprinkler
//! firms (common random numbers), compared by replication.

use smesim::analysis::summary::Headline;
use smesim::{Scenario, Strategy, simulate};
use std::path::Path;

/// Per replication, the mean of `f` over the cohort's firms, for a run where
/// every firm uses `strategy`.
fn per_replication(s: &Scenario, strategy: Strategy, f: fn(&smesim::model::FirmRecord) -> f64) -> Vec<f64> {
    let s = s.with(|c| c.strategy.shares = strategy.only()).unwrap();
    let results = simulate(&s);
    (1..=s.config().simulation.replications)
        .map(|rep| {
            let xs: Vec<f64> = results.firms.iter().filter(|(r, _)| *r == rep).map(|(_, firm)| f(firm)).collect();
            xs.iter().sum::<f64>() / xs.len() as f64
        })
        .collect()
}

/// Sprinkler minus waterfall, paired by replication.
fn difference(s: &Scenario, f: fn(&smesim::model::FirmRecord) -> f64) -> Headline {
    let (w, sp) = (per_replication(s, Strategy::Waterfall, f), per_replication(s, Strategy::Sprinkler, f));
    Headline::of(&sp.iter().zip(&w).map(|(a, b)| a - b).collect::<Vec<_>>())
}

fn corner(name: &str) -> Scenario {
    Scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name)).unwrap()
}

#[test]
fn with_strong_rivals_and_cheap_entry_sprinkler_earns_more_and_fails_more() {
    let s = corner("kmm_sprinkler_wins.toml");
    let profit = difference(&s, |f| f.discounted_profit);
    assert!(profit.low.unwrap() > 0.0, "sprinkler - waterfall discounted profit: {profit:?}");
    let failed = difference(&s, |f| f64::from(f.failed_entries));
    assert!(failed.low.unwrap() > 0.0, "sprinkler - waterfall failed entries: {failed:?}");
}

#[test]
fn with_no_rival_costly_entry_strong_lead_and_slow_diffusion_waterfall_earns_as_much_and_fails_less() {
    // V12 (b): waterfall earns at least as much as sprinkler (on the mean; the
    // calibrated baseline leaves its lead short of significance, CALIBRATION.md)
    let s = corner("kmm_waterfall_wins.toml");
    let profit = difference(&s, |f| f.discounted_profit);
    assert!(profit.mean.unwrap() <= 0.0, "sprinkler - waterfall discounted profit: {profit:?}");
    let failed = difference(&s, |f| f64::from(f.failed_entries));
    assert!(failed.low.unwrap() > 0.0, "sprinkler - waterfall failed entries: {failed:?}");
}

#[test]
fn the_corners_differ_only_in_the_conditions_kalish_et_al_name() {
    let (w, s) = (corner("kmm_waterfall_wins.toml"), corner("kmm_sprinkler_wins.toml"));
    let (w, s) = (w.config(), s.config());
    assert_eq!((&w.simulation, &w.firms, &w.strategy, &w.entry), (&s.simulation, &s.firms, &s.strategy, &s.entry));
    assert!(w.markets.entry_cost > s.markets.entry_cost);
    assert!(w.markets.rival_hazard < s.markets.rival_hazard);
    assert!(w.product.lead > s.product.lead);
    assert!(w.product.innovation < s.product.innovation && w.product.imitation < s.product.imitation);
}
