//! Validation against the stylized facts of `../shared/validation/targets.md`:
//! the runs the targets need, the figures read off each, and one verdict per
//! target. `smesim validate` prints and saves the [`Validation`].
//!
//! Besides the scenario itself, two targets need runs of their own, all with
//! the scenario's seed and replications (common random numbers): V13 the
//! scenario with every market's entry and fixed cost cut by 25%, V12 the two
//! corners of Kalish, Mahajan & Muller (`scenarios/kmm_*.toml`, layered over
//! the scenario as their `extends` chain layers them over the baseline), each
//! run once with every firm a waterfall firm and once a sprinkler firm.

pub mod measures;
pub mod targets;

use crate::analysis::summary::{Headline, PerReplication};
use crate::model::Strategy;
use crate::output::read::{RunTables, TableCollector};
use crate::scenario::{Scenario, ScenarioError};
use serde::Serialize;
use std::collections::BTreeMap;
use targets::{Figure, Target};

/// Replications of a validation unless asked otherwise (targets.md).
pub const MIN_REPLICATIONS: u32 = 30;

/// The base of the KMM corners.
const KMM_LAUNCH: (&str, &str) =
    ("scenarios/kmm_product_launch.toml", include_str!("../../scenarios/kmm_product_launch.toml"));
/// KMM's sprinkler corner.
const KMM_SPRINKLER: (&str, &str) =
    ("scenarios/kmm_sprinkler_wins.toml", include_str!("../../scenarios/kmm_sprinkler_wins.toml"));
/// KMM's waterfall corner.
const KMM_WATERFALL: (&str, &str) =
    ("scenarios/kmm_waterfall_wins.toml", include_str!("../../scenarios/kmm_waterfall_wins.toml"));

/// Share of every market's entry and fixed cost kept in the V13 run.
pub const COST_CUT_TO: f64 = 0.75;

/// A run the targets need.
#[derive(Clone, Debug)]
pub struct PlannedRun {
    /// Its name in [`targets`].
    pub name: &'static str,
    /// What it is, in words.
    pub what: &'static str,
    /// The scenario to run.
    pub scenario: Scenario,
}

/// Every run the targets need, with `scenario`'s seed and replications.
pub fn plan(scenario: &Scenario) -> Result<Vec<PlannedRun>, ScenarioError> {
    use targets::*;
    let sim = &scenario.config().simulation;
    let costs_cut = scenario.with(|c| {
        c.markets.entry_cost *= COST_CUT_TO;
        c.markets.fixed_cost *= COST_CUT_TO;
        for m in &mut c.markets.list {
            m.entry_cost = m.entry_cost.map(|k| k * COST_CUT_TO);
            m.fixed_cost = m.fixed_cost.map(|f| f * COST_CUT_TO);
        }
    })?;
    let corner = |corner: (&str, &str), strategy: Strategy| -> Result<Scenario, ScenarioError> {
        let name = corner.0.trim_start_matches("scenarios/").trim_end_matches(".toml");
        scenario.layered(name, &[KMM_LAUNCH, corner])?.with(|c| {
            c.simulation.seed = sim.seed;
            c.simulation.replications = sim.replications;
            c.strategy.shares = strategy.only();
        })
    };
    let run = |name, what, scenario| PlannedRun { name, what, scenario };
    Ok(vec![
        run(SCENARIO, "the scenario", scenario.clone()),
        run(COSTS_CUT, "every market's entry and fixed cost cut by 25%", costs_cut),
        run(
            SPRINKLER_CORNER_WATERFALL,
            "KMM sprinkler corner, all waterfall",
            corner(KMM_SPRINKLER, Strategy::Waterfall)?,
        ),
        run(
            SPRINKLER_CORNER_SPRINKLER,
            "KMM sprinkler corner, all sprinkler",
            corner(KMM_SPRINKLER, Strategy::Sprinkler)?,
        ),
        run(
            WATERFALL_CORNER_WATERFALL,
            "KMM waterfall corner, all waterfall",
            corner(KMM_WATERFALL, Strategy::Waterfall)?,
        ),
        run(
            WATERFALL_CORNER_SPRINKLER,
            "KMM waterfall corner, all sprinkler",
            corner(KMM_WATERFALL, Strategy::Sprinkler)?,
        ),
    ])
}

/// Run `scenario` on the current thread pool and keep its tables in memory.
pub fn tables(scenario: &Scenario) -> RunTables {
    let mut collector = TableCollector::new(scenario);
    let Ok(()) = crate::engine::run(scenario, &mut collector);
    collector.finish()
}

/// Per run name, its figures.
pub type Figures = BTreeMap<&'static str, PerReplication>;

/// The verdict on one check.
#[derive(Clone, Debug, Serialize)]
pub struct CheckResult {
    /// What is measured.
    pub label: &'static str,
    /// Where it comes from.
    pub figure: Figure,
    /// The pass condition, in words.
    pub condition: String,
    /// Mean and 95% interval over replications.
    pub value: Headline,
    /// Did it pass?
    pub pass: bool,
    /// The value of each replication (NaN where undefined).
    pub replications: Vec<f64>,
}

/// The verdict on one target.
#[derive(Clone, Debug, Serialize)]
pub struct TargetResult {
    /// `V1`, ...
    pub id: &'static str,
    /// What it says.
    pub title: &'static str,
    /// Where its band comes from.
    pub sources: &'static str,
    /// Did every check pass?
    pub pass: bool,
    /// The checks.
    pub checks: Vec<CheckResult>,
}

/// A run of the validation, as saved.
#[derive(Clone, Debug, Serialize)]
pub struct RunInfo {
    /// Name.
    pub name: &'static str,
    /// What it is.
    pub what: &'static str,
    /// Firms at the start.
    pub firms: u32,
    /// Rounds simulated.
    pub rounds: u32,
    /// Rounds left out.
    pub burn_in: u32,
}

/// `validation.json`: every target's verdict and how it was reached.
#[derive(Clone, Debug, Serialize)]
pub struct Validation {
    /// The scenario validated.
    pub scenario: String,
    /// Replications of every run.
    pub replications: u32,
    /// Master seed of every run.
    pub seed: u64,
    /// Did every target pass?
    pub passed: bool,
    /// How checks are judged.
    pub convention: &'static str,
    /// The runs behind the figures.
    pub runs: Vec<RunInfo>,
    /// The verdicts.
    pub targets: Vec<TargetResult>,
}

/// How a check is judged.
pub const CONVENTION: &str = "a band or bound is judged on the mean over replications; a claim that one \
    run beats another needs the 95% interval of the paired difference (common random numbers) to exclude zero";

/// Judge every target on the figures of the planned runs.
pub fn evaluate(scenario: &Scenario, runs: &[PlannedRun], figures: &Figures) -> Validation {
    let sim = &scenario.config().simulation;
    let targets: Vec<TargetResult> = targets::targets().into_iter().map(|t| judge(t, figures)).collect();
    Validation {
        scenario: scenario.name().to_string(),
        replications: sim.replications,
        seed: sim.seed,
        passed: targets.iter().all(|t| t.pass),
        convention: CONVENTION,
        runs: runs
            .iter()
            .map(|r| {
                let s = &r.scenario.config().simulation;
                RunInfo { name: r.name, what: r.what, firms: s.firms, rounds: s.rounds, burn_in: s.burn_in }
            })
            .collect(),
        targets,
    }
}

fn judge(t: Target, figures: &Figures) -> TargetResult {
    let checks: Vec<CheckResult> = t
        .checks
        .into_iter()
        .map(|c| {
            let values = values_of(&c.figure, figures);
            let value = Headline::of(&values);
            CheckResult {
                label: c.label,
                figure: c.figure,
                condition: c.rule.describe(),
                pass: c.rule.holds(&value),
                value,
                replications: values,
            }
        })
        .collect();
    TargetResult { id: t.id, title: t.title, sources: t.sources, pass: checks.iter().all(|c| c.pass), checks }
}

/// The per-replication values of a figure (empty if its run is missing).
pub fn values_of(figure: &Figure, figures: &Figures) -> Vec<f64> {
    let get = |run: &str, metric: &str| figures.get(run).and_then(|f| f.get(metric)).cloned().unwrap_or_default();
    match *figure {
        Figure::Of { run, metric } => get(run, metric),
        Figure::Difference { minuend, subtrahend, metric } => {
            get(minuend, metric).iter().zip(get(subtrahend, metric)).map(|(a, b)| a - b).collect()
        }
    }
}

/// Plan, run and judge, on the current thread pool (the command line does
/// the same with a progress bar).
pub fn validate(scenario: &Scenario) -> Result<Validation, ScenarioError> {
    let runs = plan(scenario)?;
    let figures = runs.iter().map(|r| (r.name, measures::measure(&tables(&r.scenario)))).collect();
    Ok(evaluate(scenario, &runs, &figures))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_cuts_costs_and_runs_each_corner_with_each_strategy_on_the_same_draws() {
        let s = Scenario::baseline().with(|c| c.simulation.replications = 7).unwrap();
        let runs = plan(&s).unwrap();
        assert_eq!(runs.len(), 6);
        assert!(runs.iter().all(|r| r.scenario.config().simulation.replications == 7));
        assert!(runs.iter().all(|r| r.scenario.config().simulation.seed == s.config().simulation.seed));
        let (cut, base) = (&runs[1].scenario.config().markets, &s.config().markets);
        assert_eq!((cut.entry_cost, cut.fixed_cost), (base.entry_cost * 0.75, base.fixed_cost * 0.75));
        let corner = runs[2].scenario.config();
        assert_eq!((corner.markets.rival_hazard, corner.strategy.shares.waterfall), (0.3, 1.0));
        assert_eq!(runs[3].scenario.config().strategy.shares.sprinkler, 1.0);
        assert_eq!(runs[4].scenario.config().markets.entry_cost, 3.0);
    }

    #[test]
    fn a_difference_is_paired_by_replication() {
        let mut figures = Figures::new();
        figures.insert("a", [("m", vec![3.0, 5.0])].into_iter().collect());
        figures.insert("b", [("m", vec![1.0, 4.0])].into_iter().collect());
        let d = Figure::Difference { minuend: "a", subtrahend: "b", metric: "m" };
        assert_eq!(values_of(&d, &figures), vec![2.0, 1.0]);
        assert!(values_of(&Figure::Of { run: "c", metric: "m" }, &figures).is_empty());
    }
}
