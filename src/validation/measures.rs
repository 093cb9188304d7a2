//! The figures the validation targets read off one run, one value per
//! replication: the run's headline figures (`summary.json`) and a few more
//! that only the targets need.

use crate::analysis::outcomes::{Outcomes, Selection};
use crate::analysis::summary::{self, PerReplication};
use crate::output::read::RunTables;
use crate::output::tables::RoundRow;
use std::collections::BTreeMap;

/// The figures [`measure`] adds to the headline figures (`summary::METRICS`).
pub const EXTRA: [&str; 8] = [
    "hazard_drop_1_3",
    "hazard_drop_3_5",
    "modal_market_margin",
    "lowest_new_exporter_productivity",
    "exporter_death_hazard",
    "non_exporter_death_hazard",
    "yearly_death_rate",
    "death_hazard_gap",
];

/// The name of every figure [`measure`] gives.
pub fn names() -> impl Iterator<Item = &'static str> {
    summary::METRICS.iter().map(|(k, _)| *k).chain(EXTRA)
}

/// Every figure of `t` a target may read.
pub fn measure(t: &RunTables) -> PerReplication {
    let o = Outcomes::new(t);
    let all = o.group(Selection::all());
    let mut values = summary::figures(&o, std::slice::from_ref(&all)).remove(0).values;
    let reps = o.replications as usize;
    let per_rep = |f: &dyn Fn(usize) -> f64| (0..reps).map(f).collect::<Vec<f64>>();
    let hazards: Vec<(f64, f64, f64)> = (1..=o.replications).map(|r| death_hazards(&o, r)).collect();
    let extra: Vec<(&'static str, Vec<f64>)> = vec![
        ("hazard_drop_1_3", gap(&values, "spell_hazard_1", "spell_hazard_3")),
        ("hazard_drop_3_5", gap(&values, "spell_hazard_3", "spell_hazard_5")),
        ("modal_market_margin", per_rep(&|r| modal_margin(&all.markets[r]))),
        ("lowest_new_exporter_productivity", per_rep(&|r| lowest_new_exporter(&o, r as u32 + 1))),
        ("exporter_death_hazard", hazards.iter().map(|h| h.0).collect()),
        ("non_exporter_death_hazard", hazards.iter().map(|h| h.1).collect()),
        ("yearly_death_rate", hazards.iter().map(|h| h.2).collect()),
    ];
    values.extend(extra);
    values.insert("death_hazard_gap", gap(&values, "non_exporter_death_hazard", "exporter_death_hazard"));
    values
}

/// `a - b`, replication by replication.
fn gap(values: &PerReplication, a: &str, b: &str) -> Vec<f64> {
    values[a].iter().zip(&values[b]).map(|(a, b)| a - b).collect()
}

/// Share of exporters with one market minus the largest share with any other
/// count: positive when one market is the most common count.
fn modal_margin(counts: &BTreeMap<u32, u64>) -> f64 {
    let total = counts.values().sum::<u64>() as f64;
    let one = counts.get(&1).copied().unwrap_or(0);
    let others = counts.iter().filter(|(k, _)| **k != 1).map(|(_, n)| *n).max().unwrap_or(0);
    (one as f64 - others as f64) / total
}

/// The lowest productivity at first export among firms that first exported
/// after burn-in (Melitz 2003: the export cutoff).
fn lowest_new_exporter(o: &Outcomes<'_>, rep: u32) -> f64 {
    o.t.firms
        .iter()
        .filter(|f| f.replication == rep && f.first_export_round.is_some_and(|r| r > o.burn_in))
        .filter_map(|f| f.first_export_productivity)
        .map(f64::from)
        .fold(f64::NAN, f64::min)
}

/// Yearly death hazards after burn-in: of firms exporting in the round, of
/// the others, and of all firms (deaths per firm alive at some point of the round).
fn death_hazards(o: &Outcomes<'_>, rep: u32) -> (f64, f64, f64) {
    let rows = o.t.rounds.iter().filter(|r| r.replication == rep && r.strategy == "all" && r.round > o.burn_in);
    let sum = |f: &dyn Fn(&RoundRow) -> u64| rows.clone().map(f).sum::<u64>() as f64;
    let exporter_deaths = sum(&|r| r.exporter_deaths);
    let exporters = sum(&|r| r.exporters) + exporter_deaths;
    let deaths = sum(&|r| r.deaths);
    let firms = sum(&|r| r.alive) + deaths;
    (exporter_deaths / exporters, (deaths - exporter_deaths) / (firms - exporters), deaths / firms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(u32, u64)]) -> BTreeMap<u32, u64> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn measure_gives_every_named_figure_and_no_other() {
        let s = crate::Scenario::baseline()
            .with(|c| {
                c.simulation.firms = 300;
                c.simulation.rounds = 12;
                c.simulation.burn_in = 2;
                c.simulation.replications = 1;
            })
            .unwrap();
        let measured = measure(&crate::validation::tables(&s));
        let mut expected: Vec<&str> = names().collect();
        expected.sort_unstable();
        assert_eq!(measured.keys().copied().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn the_modal_margin_is_positive_only_when_one_market_is_most_common() {
        assert!((modal_margin(&counts(&[(1, 50), (2, 30), (3, 20)])) - 0.2).abs() < 1e-12);
        assert!(modal_margin(&counts(&[(1, 30), (2, 50), (3, 20)])) < 0.0);
        assert!(modal_margin(&counts(&[(2, 10)])) < 0.0, "no single-market exporters");
    }
}
