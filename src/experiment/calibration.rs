//! Calibration by simulated moments: run the scenario at every point of a
//! Latin hypercube over a few parameters, measure the validation figures
//! (those the scenario's own run gives: V1-V6, V10, V13's death hazards; or,
//! with every target, also the cost-cut twin and the KMM corners), and rank
//! the points by how far they miss their targets. The same sample gives each
//! figure's sensitivity to each parameter (Spearman rank correlation, which a
//! Latin hypercube's nearly independent columns make a fair measure of it).

use super::Axis;
use crate::analysis::summary::Headline;
use crate::engine::rng::{Purpose, StreamKey};
use crate::scenario::{Scenario, ScenarioError};
use crate::validation::targets::{Check, Figure, Rule, SCENARIO, targets};
use crate::validation::{Figures, PlannedRun, measures, plan, tables, values_of};
use rand::seq::SliceRandom;
use serde::Serialize;

/// A fitted parameter: a numeric key and the range searched.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Key path, e.g. `network.tie_rate_eo`.
    pub key: String,
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Parameter {
    /// Parse `KEY=LO..HI`, checking both ends against `scenario`.
    pub fn parse(spec: &str, scenario: &Scenario) -> Result<Self, ScenarioError> {
        let axis = Axis::parse(spec, 2, scenario)?;
        let (low, high) = (axis.values[0], *axis.values.last().expect("an axis has a value"));
        Ok(Parameter { key: axis.key, low, high })
    }
}

/// `points` points of a Latin hypercube in [0, 1)^dims: each coordinate takes
/// each of `points` equal strata once, in an order shuffled per dimension.
pub fn latin_hypercube(dims: usize, points: usize, seed: u64) -> Vec<Vec<f64>> {
    let key = StreamKey::new(seed, 0);
    let columns: Vec<Vec<f64>> = (0..dims)
        .map(|d| {
            let mut rng = key.stream(d as u64, 0, Purpose::Design);
            let mut strata: Vec<usize> = (0..points).collect();
            strata.shuffle(&mut rng);
            strata.into_iter().map(|s| (s as f64 + rng.uniform()) / points as f64).collect()
        })
        .collect();
    (0..points).map(|p| columns.iter().map(|c| c[p]).collect()).collect()
}

/// How far a mean misses its condition, in the condition's own units: band
/// widths for a band, the bound's size (1 for a bound of 0) for a bound,
/// interval widths for an interval that must exclude zero. Negative inside:
/// then it is the distance to the nearest edge.
pub fn miss(rule: &Rule, h: &Headline) -> f64 {
    let (Some(m), Some(low), Some(high)) = (h.mean, h.low, h.high) else {
        return f64::INFINITY;
    };
    let scale = |x: f64| if x == 0.0 { 1.0 } else { x.abs() };
    let width = (high - low).max(f64::MIN_POSITIVE);
    match *rule {
        Rule::Within(lo, hi) => (lo - m).max(m - hi) / (hi - lo),
        Rule::AtMost(x) => (m - x) / scale(x),
        Rule::AtLeast(x) | Rule::Above(x) => (x - m) / scale(x),
        Rule::SurelyPositive => -low / width,
        Rule::SurelyNegative => high / width,
    }
}

/// The checks judged: every target's, or only those the scenario's own run
/// can judge (no cost-cut twin, no KMM corners: one run per point, not six).
pub fn checks(all_targets: bool) -> Vec<(&'static str, Check)> {
    targets()
        .into_iter()
        .flat_map(|t| t.checks.into_iter().map(move |c| (t.id, c)))
        .filter(|(_, c)| all_targets || matches!(c.figure, Figure::Of { run, .. } if run == SCENARIO))
        .collect()
}

/// One point of the design and how it did.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The parameters' values, in the order given.
    pub values: Vec<f64>,
    /// Each check's mean over replications (as [`checks`]).
    pub means: Vec<Option<f64>>,
    /// Each check's miss ([`miss`]).
    pub misses: Vec<f64>,
    /// Sum of squared misses of the checks that fail: 0 when all pass.
    pub loss: f64,
    /// The smallest distance inside a condition (negative if one fails).
    pub margin: f64,
    /// The mean distance inside the conditions, each counted up to 1: how
    /// deep inside its targets the point sits (ranks points that all pass).
    pub depth: f64,
    /// Figures reported beside the targets ([`CONTEXT`]), means over replications.
    pub context: Vec<Option<f64>>,
}

/// Figures that are no target but say whether a point is plausible.
pub const CONTEXT: [&str; 4] =
    ["yearly_death_rate", "mean_markets_per_exporter", "exporter_death_hazard", "non_exporter_death_hazard"];

impl Point {
    fn judge(values: Vec<f64>, checks: &[(&'static str, Check)], figures: &Figures) -> Self {
        let heads: Vec<Headline> = checks.iter().map(|(_, c)| Headline::of(&values_of(&c.figure, figures))).collect();
        let misses: Vec<f64> = checks.iter().zip(&heads).map(|((_, c), h)| miss(&c.rule, h)).collect();
        let own = |metric: &'static str| Headline::of(&values_of(&Figure::Of { run: SCENARIO, metric }, figures)).mean;
        Point {
            values,
            means: heads.iter().map(|h| h.mean).collect(),
            loss: misses.iter().map(|m| m.max(0.0).powi(2)).sum(),
            margin: -misses.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            depth: misses.iter().map(|m| (-m).clamp(0.0, 1.0)).sum::<f64>() / misses.len() as f64,
            context: CONTEXT.iter().map(|m| own(m)).collect(),
            misses,
        }
    }

    /// Do all the checks pass?
    pub fn passes(&self) -> bool {
        self.margin >= 0.0
    }
}

/// Run `scenario` at `points` Latin-hypercube points over `params` (on the
/// current thread pool), judging [`checks`]`(all_targets)` and calling `tick`
/// after each point; points come back in design order.
pub fn calibrate(
    scenario: &Scenario,
    params: &[Parameter],
    points: usize,
    seed: u64,
    all_targets: bool,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Point>, ScenarioError> {
    let checked = checks(all_targets);
    latin_hypercube(params.len(), points, seed)
        .into_iter()
        .map(|unit| {
            let mut s = scenario.clone();
            for (p, u) in params.iter().zip(&unit) {
                s = s.set_number(&p.key, p.low + u * (p.high - p.low))?;
            }
            let runs = if all_targets {
                plan(&s)?
            } else {
                vec![PlannedRun { name: SCENARIO, what: "the scenario", scenario: s.clone() }]
            };
            let figures = runs.iter().map(|r| (r.name, measures::measure(&tables(&r.scenario)))).collect();
            let values = params.iter().map(|p| super::applied_value(&s, &p.key)).collect();
            tick();
            Ok(Point::judge(values, &checked, &figures))
        })
        .collect()
}

/// Points ordered best first: least loss, then deepest inside the targets.
pub fn ranked(points: &[Point]) -> Vec<&Point> {
    let mut order: Vec<&Point> = points.iter().collect();
    order.sort_by(|a, b| a.loss.total_cmp(&b.loss).then(b.depth.total_cmp(&a.depth)));
    order
}

/// Spearman rank correlation of `x` and `y` (pairs with a NaN dropped).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let pairs: Vec<(f64, f64)> =
        x.iter().zip(y).filter(|(a, b)| a.is_finite() && b.is_finite()).map(|(a, b)| (*a, *b)).collect();
    let rx = ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let ry = ranks(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    pearson(&rx, &ry)
}

/// Ranks from 1, ties sharing their mean rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|a, b| v[*a].total_cmp(&v[*b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let j = (i..order.len()).take_while(|j| v[order[*j]] == v[order[i]]).last().unwrap_or(i);
        for k in &order[i..=j] {
            r[*k] = (i + j) as f64 / 2.0 + 1.0;
        }
        i = j + 1;
    }
    r
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_hypercube_puts_one_point_in_every_stratum_of_every_dimension() {
        let design = latin_hypercube(3, 8, 5);
        for d in 0..3 {
            let mut strata: Vec<usize> = design.iter().map(|p| (p[d] * 8.0) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..8).collect::<Vec<_>>());
        }
        assert_eq!(design, latin_hypercube(3, 8, 5), "seeded");
        assert_ne!(design, latin_hypercube(3, 8, 6));
    }

    #[test]
    fn a_miss_is_negative_inside_and_grows_outside() {
        let h = |m: f64| Headline { mean: Some(m), low: Some(m - 0.01), high: Some(m + 0.01), n: 5 };
        let band = Rule::Within(0.1, 0.3);
        assert!((miss(&band, &h(0.15)) + 0.25).abs() < 1e-12, "a quarter band inside the lower edge");
        assert!((miss(&band, &h(0.5)) - 1.0).abs() < 1e-12, "one band width above");
        assert!(miss(&Rule::AtMost(-1.0), &h(-2.0)) < 0.0 && miss(&Rule::AtMost(-1.0), &h(-0.5)) > 0.0);
        assert!(miss(&Rule::SurelyPositive, &h(0.02)) < 0.0 && miss(&Rule::SurelyPositive, &h(0.005)) > 0.0);
    }

    #[test]
    fn spearman_sees_any_monotone_relation() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((spearman(&x, &[1.0, 8.0, 27.0, 64.0, 125.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&x, &[5.0, 4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(ranks(&[2.0, 1.0, 2.0]), vec![2.5, 1.0, 2.5]);
    }

    #[test]
    fn the_single_run_checks_leave_out_the_comparisons() {
        let ids: Vec<&str> = checks(false).iter().map(|(id, _)| *id).collect();
        assert!(ids.contains(&"V1") && ids.contains(&"V13") && !ids.contains(&"V12"));
        assert!(checks(true).iter().any(|(id, _)| *id == "V12"));
    }
}
