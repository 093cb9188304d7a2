//! What a policy bought: a policy run against its no-policy twin, replication
//! by replication. With the same seed the twin's firms meet the same shocks
//! (common random numbers), and the k-th newborn of a round is the same firm in
//! both, so each supported firm is paired with itself without the policy by
//! (birth round, cohort).
//!
//! The window runs from the first round of support to the evaluation round,
//! `evaluation.horizon` rounds after the last round of support. Per replication:
//! - additional exporters: firms that exported in some round of the window,
//!   policy minus twin;
//! - additional surviving exporters: exporters alive in the evaluation round,
//!   policy minus twin;
//! - additional export sales: export sales summed over the window;
//! - budget spent: all money programmes and networks paid out;
//! - deadweight: share of supported firms whose twin exported within
//!   `horizon` rounds of the firm's first support (they would have exported
//!   anyway); survival deadweight: share whose twin was still exporting then;
//! - displacement: exporters in the evaluation round among firms never
//!   supported, policy minus twin (firms here compete for no common demand,
//!   so it can only come from the replacement of firms that die);
//! - cost per additional surviving exporter: mean budget over the mean of
//!   additional surviving exporters, with a delta-method 95% interval; none
//!   when the interval of the denominator includes 0.

use super::replications::interval;
use super::summary::Headline;
use crate::output::read::RunTables;
use crate::output::tables::{FirmRow, SpellRow};
use crate::scenario::ScenarioFile;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::collections::{BTreeMap, HashMap};

/// The rounds an evaluation looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    /// First round any programme or network runs.
    pub first: u32,
    /// Last round any runs.
    pub last_support: u32,
    /// `last_support + horizon`: where surviving exporters are counted.
    pub evaluation: u32,
    /// `evaluation.horizon`.
    pub horizon: u32,
}

impl Window {
    /// The window of a scenario's programmes and networks; none without them.
    pub fn of(p: &ScenarioFile) -> Option<Self> {
        let spans = p.policy.iter().map(|x| (x.start, x.duration)).chain(p.rin.iter().map(|r| (r.start, r.duration)));
        let (first, last) = spans.fold(None, |acc: Option<(u32, u32)>, (start, duration)| {
            let last = start + duration - 1;
            Some(acc.map_or((start, last), |(f, l)| (f.min(start), l.max(last))))
        })?;
        let horizon = p.evaluation.horizon;
        Some(Window { first, last_support: last, evaluation: (last + horizon).min(p.simulation.rounds), horizon })
    }
}

/// The effect in one replication (a row of `effects.csv`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EffectRow {
    /// Replication.
    pub replication: u32,
    /// Firms supported (by a programme or a network's services).
    pub supported: u64,
    /// Firms exporting in some round of the window, policy minus twin.
    pub additional_exporters: f64,
    /// Exporters alive in the evaluation round, policy minus twin.
    pub additional_surviving_exporters: f64,
    /// Export sales over the window, policy minus twin.
    pub additional_export_sales: f64,
    /// Money programmes and networks paid out.
    pub budget_spent: f64,
    /// Budget over additional surviving exporters (empty if there are none).
    pub cost_per_additional_surviving_exporter: Option<f64>,
    /// Share of supported firms whose twin exported within the horizon of their first support.
    pub deadweight: Option<f64>,
    /// Share of supported firms whose twin was exporting at that horizon.
    pub deadweight_survival: Option<f64>,
    /// Share of supported firms exporting at the horizon of their first support.
    pub supported_exporting: Option<f64>,
    /// The same share for their twins.
    pub supported_exporting_twin: Option<f64>,
    /// Exporters in the evaluation round among never-supported firms, policy minus twin.
    pub displacement: f64,
}

/// One supported firm and its twin (a row of `supported.csv`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SupportedRow {
    /// Replication.
    pub replication: u32,
    /// Id in the policy run.
    pub firm: u32,
    /// Id of the same firm in the twin (empty if it was never born there).
    pub twin_firm: Option<u32>,
    /// Round of birth.
    pub birth: u32,
    /// Index among that round's newborns.
    pub cohort: u32,
    /// First round of support.
    pub first_support_round: u32,
    /// Money programmes paid for it.
    pub aid_received: f64,
    /// Exported within the horizon of its first support.
    pub exported: u8,
    /// Its twin did.
    pub exported_twin: u8,
    /// Exporting (and alive) at that horizon.
    pub exporting_at_horizon: u8,
    /// Its twin was.
    pub exporting_at_horizon_twin: u8,
    /// Alive at that horizon.
    pub alive_at_horizon: u8,
    /// Its twin was.
    pub alive_at_horizon_twin: u8,
}

/// The cost per additional surviving exporter over replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ratio {
    /// Mean budget / mean additional surviving exporters.
    pub estimate: Option<f64>,
    /// Lower end of the delta-method 95% interval.
    pub low: Option<f64>,
    /// Upper end.
    pub high: Option<f64>,
    /// Why there is no estimate, if there is none.
    pub note: Option<String>,
}

/// Everything an evaluation finds.
#[derive(Clone, Debug, Serialize)]
pub struct Effects {
    /// The window.
    pub window: Window,
    /// Per replication.
    #[serde(skip)]
    pub rows: Vec<EffectRow>,
    /// Per supported firm.
    #[serde(skip)]
    pub supported: Vec<SupportedRow>,
    /// Metric -> mean and 95% interval over replications.
    pub figures: BTreeMap<&'static str, Headline>,
    /// Cost per additional surviving exporter.
    pub cost_per_additional_surviving_exporter: Ratio,
    /// Per programme or network: mean per replication of participants (firm-rounds),
    /// money committed and money spent over the run.
    pub programmes: Vec<ProgrammeTotals>,
    /// Share of supported firms exporting (alive) k rounds from their first
    /// support, and of their twins, per replication.
    #[serde(skip)]
    pub paths: Vec<PathPoint>,
}

/// Supported firms' exporting k rounds from their first support.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPoint {
    /// Rounds from the first support (negative: before it).
    pub offset: i32,
    /// Per replication: share of supported firms exporting then.
    pub policy: Vec<f64>,
    /// Per replication: the same for their twins (a firm never born there counts as not exporting).
    pub twin: Vec<f64>,
}

/// One programme's or network's totals, mean per replication.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProgrammeTotals {
    /// Its id.
    pub programme: String,
    /// Its instrument, or `rin`.
    pub instrument: String,
    /// Participants summed over rounds.
    pub participants: f64,
    /// Money committed.
    pub committed: f64,
    /// Money spent.
    pub spent: f64,
}

/// Exporting rounds of each firm, by (replication, firm): its spells as (start, end).
type Spells = HashMap<(u32, u32), Vec<(u32, u32)>>;

fn spells_by_firm(spells: &[SpellRow]) -> Spells {
    let mut by: Spells = HashMap::new();
    for s in spells {
        by.entry((s.replication, s.firm)).or_default().push((s.start, s.end));
    }
    by
}

/// One run's view of its firms: spells, and rows by id and by (birth, cohort).
struct Run<'a> {
    t: &'a RunTables,
    spells: Spells,
    by_id: HashMap<(u32, u32), &'a FirmRow>,
    by_origin: HashMap<(u32, u32, u32), &'a FirmRow>,
}

impl<'a> Run<'a> {
    fn new(t: &'a RunTables) -> Self {
        Run {
            t,
            spells: spells_by_firm(&t.spells),
            by_id: t.firms.iter().map(|f| ((f.replication, f.firm), f)).collect(),
            by_origin: t.firms.iter().map(|f| ((f.replication, f.birth, f.cohort), f)).collect(),
        }
    }

    /// Did the firm export in some round of [from, to]?
    fn exported(&self, rep: u32, firm: u32, from: u32, to: u32) -> bool {
        self.spells.get(&(rep, firm)).is_some_and(|s| s.iter().any(|(a, b)| *a <= to && *b >= from))
    }

    /// Was the firm alive at the end of round `t` and exporting in it?
    fn exporting(&self, rep: u32, firm: u32, t: u32) -> bool {
        self.alive(rep, firm, t) && self.exported(rep, firm, t, t)
    }

    fn alive(&self, rep: u32, firm: u32, t: u32) -> bool {
        self.by_id.get(&(rep, firm)).is_some_and(|f| f.birth <= t && f.death.is_none_or(|d| d > t))
    }

    /// Distinct firms exporting in some round of [from, to], per replication.
    fn exporters_in(&self, from: u32, to: u32) -> BTreeMap<u32, f64> {
        let mut n = BTreeMap::new();
        for ((rep, _), s) in &self.spells {
            if s.iter().any(|(a, b)| *a <= to && *b >= from) {
                *n.entry(*rep).or_insert(0.0) += 1.0;
            }
        }
        n
    }

    /// All-firm value of `f` in round `t`, per replication.
    fn at_round(&self, t: u32, f: impl Fn(&crate::output::tables::RoundRow) -> f64) -> BTreeMap<u32, f64> {
        self.t.rounds.iter().filter(|r| r.round == t && r.strategy == "all").map(|r| (r.replication, f(r))).collect()
    }

    /// All-firm export sales summed over [from, to], per replication.
    fn sales_in(&self, from: u32, to: u32) -> BTreeMap<u32, f64> {
        let mut n = BTreeMap::new();
        for r in self.t.rounds.iter().filter(|r| r.strategy == "all" && (from..=to).contains(&r.round)) {
            *n.entry(r.replication).or_insert(0.0) += r.total_exports;
        }
        n
    }
}

/// Compare the policy run `policy` with its twin `twin` (same seed, same replications).
pub fn effects(policy: &RunTables, twin: &RunTables) -> Option<Effects> {
    let window = Window::of(policy.scenario.config())?;
    let (p, q) = (Run::new(policy), Run::new(twin));
    let rounds = policy.scenario.config().simulation.rounds;
    let (from, to) = (window.first, window.evaluation);
    let supported = pair_supported(&p, &q, window.horizon, rounds);
    let (pe, qe) = (p.exporters_in(from, to), q.exporters_in(from, to));
    let (ps, qs) = (p.at_round(to, |r| r.exporters as f64), q.at_round(to, |r| r.exporters as f64));
    let (px, qx) = (p.sales_in(from, to), q.sales_in(from, to));
    let mut budget: BTreeMap<u32, f64> = BTreeMap::new();
    for r in &policy.programmes {
        *budget.entry(r.replication).or_insert(0.0) += r.spent;
    }
    let reps = 1..=policy.scenario.config().simulation.replications;
    let rows: Vec<EffectRow> = reps
        .map(|rep| {
            let get = |m: &BTreeMap<u32, f64>| m.get(&rep).copied().unwrap_or(0.0);
            let mine: Vec<&SupportedRow> = supported.iter().filter(|s| s.replication == rep).collect();
            let share = |f: &dyn Fn(&SupportedRow) -> u8| {
                (!mine.is_empty()).then(|| mine.iter().map(|s| f64::from(f(s))).sum::<f64>() / mine.len() as f64)
            };
            let supported_now = mine.iter().filter(|s| p.exporting(rep, s.firm, to)).count() as f64;
            let twins_now = mine.iter().filter(|s| s.twin_firm.is_some_and(|t| q.exporting(rep, t, to))).count() as f64;
            let surviving = get(&ps) - get(&qs);
            let spent = get(&budget);
            EffectRow {
                replication: rep,
                supported: mine.len() as u64,
                additional_exporters: get(&pe) - get(&qe),
                additional_surviving_exporters: surviving,
                additional_export_sales: get(&px) - get(&qx),
                budget_spent: spent,
                cost_per_additional_surviving_exporter: (surviving > 0.0).then(|| spent / surviving),
                deadweight: share(&|s| s.exported_twin),
                deadweight_survival: share(&|s| s.exporting_at_horizon_twin),
                supported_exporting: share(&|s| s.exporting_at_horizon),
                supported_exporting_twin: share(&|s| s.exporting_at_horizon_twin),
                displacement: (get(&ps) - supported_now) - (get(&qs) - twins_now),
            }
        })
        .collect();
    Some(Effects {
        window,
        figures: figures(&rows),
        cost_per_additional_surviving_exporter: cost_ratio(&rows),
        programmes: totals(policy),
        paths: paths(&p, &q, &supported, window.horizon, rounds),
        rows,
        supported,
    })
}

/// The supported firms' paths from 3 rounds before their first support to
/// twice the horizon after, where the run lasts that long.
fn paths(p: &Run<'_>, q: &Run<'_>, supported: &[SupportedRow], horizon: u32, rounds: u32) -> Vec<PathPoint> {
    let reps = p.t.scenario.config().simulation.replications;
    let before = 3i32;
    (-before..=2 * horizon as i32)
        .map(|k| {
            let mut point = PathPoint { offset: k, policy: Vec::new(), twin: Vec::new() };
            for rep in 1..=reps {
                let at = |s: &SupportedRow| {
                    let t = s.first_support_round as i32 + k;
                    (t >= 1 && t <= rounds as i32 && t >= s.birth as i32).then_some(t as u32)
                };
                let mine: Vec<(&SupportedRow, u32)> =
                    supported.iter().filter(|s| s.replication == rep).filter_map(|s| at(s).map(|t| (s, t))).collect();
                if mine.is_empty() {
                    continue;
                }
                let n = mine.len() as f64;
                point.policy.push(mine.iter().filter(|(s, t)| p.exporting(rep, s.firm, *t)).count() as f64 / n);
                let twin = |(s, t): &&(&SupportedRow, u32)| s.twin_firm.is_some_and(|f| q.exporting(rep, f, *t));
                point.twin.push(mine.iter().filter(twin).count() as f64 / n);
            }
            point
        })
        .filter(|p| !p.policy.is_empty())
        .collect()
}

/// Each supported firm with its twin's outcomes.
fn pair_supported(p: &Run<'_>, q: &Run<'_>, horizon: u32, rounds: u32) -> Vec<SupportedRow> {
    let mut rows: Vec<SupportedRow> =
        p.t.firms
            .iter()
            .filter_map(|f| {
                let t0 = f.first_support_round?;
                let rep = f.replication;
                let h = (t0 + horizon).min(rounds);
                let twin = q.by_origin.get(&(rep, f.birth, f.cohort)).map(|t| t.firm);
                let in_twin = |test: &dyn Fn(u32) -> bool| u8::from(twin.is_some_and(test));
                Some(SupportedRow {
                    replication: rep,
                    firm: f.firm,
                    twin_firm: twin,
                    birth: f.birth,
                    cohort: f.cohort,
                    first_support_round: t0,
                    aid_received: f.aid_received,
                    exported: u8::from(p.exported(rep, f.firm, t0, h)),
                    exported_twin: in_twin(&|t| q.exported(rep, t, t0, h)),
                    exporting_at_horizon: u8::from(p.exporting(rep, f.firm, h)),
                    exporting_at_horizon_twin: in_twin(&|t| q.exporting(rep, t, h)),
                    alive_at_horizon: u8::from(p.alive(rep, f.firm, h)),
                    alive_at_horizon_twin: in_twin(&|t| q.alive(rep, t, h)),
                })
            })
            .collect();
    rows.sort_by_key(|r| (r.replication, r.firm));
    rows
}

/// The headline figures, in a fixed order.
pub const METRICS: [&str; 10] = [
    "supported",
    "additional_exporters",
    "additional_surviving_exporters",
    "additional_export_sales",
    "budget_spent",
    "deadweight",
    "deadweight_survival",
    "supported_exporting",
    "supported_exporting_twin",
    "displacement",
];

fn figures(rows: &[EffectRow]) -> BTreeMap<&'static str, Headline> {
    let nan = |x: Option<f64>| x.unwrap_or(f64::NAN);
    let values = |m: &str| -> Vec<f64> {
        rows.iter()
            .map(|r| match m {
                "supported" => r.supported as f64,
                "additional_exporters" => r.additional_exporters,
                "additional_surviving_exporters" => r.additional_surviving_exporters,
                "additional_export_sales" => r.additional_export_sales,
                "budget_spent" => r.budget_spent,
                "deadweight" => nan(r.deadweight),
                "deadweight_survival" => nan(r.deadweight_survival),
                "supported_exporting" => nan(r.supported_exporting),
                "supported_exporting_twin" => nan(r.supported_exporting_twin),
                _ => r.displacement,
            })
            .collect()
    };
    METRICS.iter().map(|m| (*m, Headline::of(&values(m)))).collect()
}

/// Ratio of means with a delta-method interval: var(B/A) ~ (s_B^2 - 2R s_AB + R^2 s_A^2) / (n A^2).
fn cost_ratio(rows: &[EffectRow]) -> Ratio {
    let none = |note: &str| Ratio { estimate: None, low: None, high: None, note: Some(note.into()) };
    let a: Vec<f64> = rows.iter().map(|r| r.additional_surviving_exporters).collect();
    let b: Vec<f64> = rows.iter().map(|r| r.budget_spent).collect();
    let Some(ia) = interval(&a) else { return none("no replications") };
    if ia.mean <= 0.0 || ia.low <= 0.0 {
        return none(
            "the additional surviving exporters are not surely positive (their 95% interval reaches 0), \
             so the cost per additional surviving exporter is unbounded",
        );
    }
    let n = a.len() as f64;
    let mb = b.iter().sum::<f64>() / n;
    let r = mb / ia.mean;
    let cov = |x: &[f64], mx: f64, y: &[f64], my: f64| {
        x.iter().zip(y).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / (n - 1.0).max(1.0)
    };
    let (va, vb, vab) = (cov(&a, ia.mean, &a, ia.mean), cov(&b, mb, &b, mb), cov(&a, ia.mean, &b, mb));
    let se = ((vb - 2.0 * r * vab + r * r * va).max(0.0) / (n * ia.mean * ia.mean)).sqrt();
    let t = if a.len() > 1 { StudentsT::new(0.0, 1.0, n - 1.0).expect("n >= 2").inverse_cdf(0.975) } else { 0.0 };
    Ratio { estimate: Some(r), low: Some(r - t * se), high: Some(r + t * se), note: None }
}

fn totals(policy: &RunTables) -> Vec<ProgrammeTotals> {
    let reps = f64::from(policy.scenario.config().simulation.replications);
    let mut out: Vec<ProgrammeTotals> = Vec::new();
    for r in &policy.programmes {
        let at = match out.iter().position(|t| t.programme == r.programme) {
            Some(i) => i,
            None => {
                out.push(ProgrammeTotals {
                    programme: r.programme.clone(),
                    instrument: r.instrument.clone(),
                    participants: 0.0,
                    committed: 0.0,
                    spent: 0.0,
                });
                out.len() - 1
            }
        };
        let t = &mut out[at];
        t.participants += r.participants as f64 / reps;
        t.committed += r.committed / reps;
        t.spent += r.spent / reps;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(surviving: f64, budget: f64) -> EffectRow {
        EffectRow {
            replication: 1,
            supported: 10,
            additional_exporters: 0.0,
            additional_surviving_exporters: surviving,
            additional_export_sales: 0.0,
            budget_spent: budget,
            cost_per_additional_surviving_exporter: None,
            deadweight: None,
            deadweight_survival: None,
            supported_exporting: None,
            supported_exporting_twin: None,
            displacement: 0.0,
        }
    }

    #[test]
    fn the_cost_ratio_is_budget_over_additional_survivors_with_an_interval() {
        let rows = [row(10.0, 100.0), row(12.0, 100.0), row(8.0, 100.0)];
        let r = cost_ratio(&rows);
        assert!((r.estimate.unwrap() - 10.0).abs() < 1e-12);
        assert!(r.low.unwrap() < 10.0 && r.high.unwrap() > 10.0);
    }

    #[test]
    fn no_cost_ratio_when_the_additional_survivors_may_be_zero() {
        let r = cost_ratio(&[row(3.0, 100.0), row(-2.0, 100.0), row(0.0, 100.0)]);
        assert!(r.estimate.is_none() && r.note.unwrap().contains("unbounded"));
    }
}
