//! Headline figures of a run: one value per replication, then the mean and
//! 95% interval over replications (`summary.json`), and the pooled survival
//! curves (`survival.csv`).

use super::outcomes::{GroupOutcomes, Outcomes, Selection, ccdf, ccdf_slope, pooled_counts, pooled_durations};
use super::replications::{Interval, interval};
use super::survival::{Durations, KaplanMeier, hazard};
use crate::output::tables::{FirmRow, RoundRow};
use serde::Serialize;
use std::collections::BTreeMap;

/// Every headline figure: key, what it is.
pub const METRICS: &[(&str, &str)] = &[
    ("exporter_share", "share of alive firms that export, mean over rounds after burn-in"),
    ("mean_markets_per_exporter", "foreign markets per exporter, mean over rounds after burn-in"),
    ("single_market_share", "share of exporters serving exactly one foreign market (exporter-rounds after burn-in)"),
    ("ccdf_slope", "slope of log N(>=k) on log k, k >= 2: how fast exporters thin out with more markets"),
    ("mean_hhi", "Herfindahl index of an exporter's sales across markets, mean over exporters and rounds"),
    ("mean_hhi_normalised", "normalised Herfindahl index (H - 1/N)/(1 - 1/N), mean"),
    ("mean_hhi_equivalent", "numbers-equivalent 1/H, mean"),
    ("mean_entropy", "entropy of an exporter's sales across markets, mean"),
    ("mean_entropy_normalised", "normalised entropy E / ln N, mean"),
    ("mean_entropy_equivalent", "numbers-equivalent exp(E), mean"),
    ("mean_export_intensity", "an exporter's exports / its sales, mean over exporters and rounds"),
    ("export_intensity", "all exports / all sales, mean over rounds after burn-in"),
    ("entry_rate", "market entries per alive firm per round, after burn-in"),
    ("exit_rate", "market exits per alive firm per round, after burn-in"),
    ("spell_survival_1", "Kaplan-Meier share of new export spells lasting beyond 1 round (firm death = exit)"),
    ("spell_survival_3", "the same beyond 3 rounds"),
    ("spell_survival_5", "the same beyond 5 rounds"),
    ("spell_median", "Kaplan-Meier median spell length in rounds (missing where not reached)"),
    ("spell_hazard_1", "share of spells at risk that end at age 1"),
    ("spell_hazard_3", "share of spells at risk that end at age 3"),
    ("spell_hazard_5", "share of spells at risk that end at age 5"),
    (
        "spell_hazard_ratio_1_3",
        "h(1) / h(3) per replication (missing where h(3) = 0): how steeply the exit hazard falls",
    ),
    ("spell_survival_1_deaths_censored", "spell survival beyond 1 round when firm death censors a spell"),
    ("spell_survival_5_deaths_censored", "spell survival beyond 5 rounds when firm death censors a spell"),
    ("firm_survival_5", "Kaplan-Meier share of firms born in round burn_in or later alive after 5 rounds"),
    ("firm_survival_10", "the same after 10 rounds"),
    ("firm_median_life", "Kaplan-Meier median firm life in rounds (missing where not reached)"),
    (
        "born_global_share",
        "share of firms born in round burn_in or later reaching 25% export intensity in their first 3 rounds",
    ),
    (
        "early_exporter_share",
        "share of ever-exporters (born in round burn_in or later, 10+ rounds before the end) first exporting within 2 rounds of birth",
    ),
    (
        "discounted_profit",
        "a firm's profit at home and abroad net of sunk entry costs, discounted to its birth: mean over firms",
    ),
    (
        "discounted_export_profit",
        "the part of it earned abroad: foreign profit net of sunk entry costs, discounted; mean over firms",
    ),
    ("failed_entries", "market exits per firm over its life: mean over firms"),
    ("markets_reached", "distinct foreign markets a firm ever entered: mean over firms"),
    ("rounds_to_reach", "rounds from birth to the last new market a firm entered: mean over firms that entered any"),
    ("firms_alive", "firms alive in the last round"),
    ("exporter_share_last", "share of alive firms that export, in the last round"),
    ("mean_markets_per_exporter_last", "foreign markets per exporter, in the last round"),
    ("mean_hhi_last", "Herfindahl index of exporters' sales across markets, mean in the last round"),
    ("mean_entropy_last", "entropy of exporters' sales across markets, mean in the last round"),
    ("mean_export_intensity_last", "an exporter's exports / its sales, mean in the last round"),
];

/// A group's figures, one value per replication (NaN where undefined).
pub type PerReplication = BTreeMap<&'static str, Vec<f64>>;

/// The figures of one group of firms.
pub struct GroupFigures {
    /// `all`, `strategy`, `born_global` or `treated`.
    pub by: &'static str,
    /// The group's name.
    pub name: String,
    /// Metric -> value per replication.
    pub values: PerReplication,
}

/// Figures for every group of a run.
pub fn figures(o: &Outcomes<'_>, groups: &[GroupOutcomes]) -> Vec<GroupFigures> {
    groups.iter().map(|g| GroupFigures { by: g.sel.by, name: g.sel.name.clone(), values: group_values(o, g) }).collect()
}

fn group_values(o: &Outcomes<'_>, g: &GroupOutcomes) -> PerReplication {
    let sel = &g.sel;
    let reps = o.replications as usize;
    let mut v: PerReplication = BTreeMap::new();
    let mut put = |k: &'static str, rep: usize, x: f64| v.entry(k).or_insert_with(|| vec![f64::NAN; reps])[rep] = x;
    let rounds_group = match sel.by {
        "all" => Some("all"),
        "strategy" => Some(sel.name.as_str()),
        _ => None,
    };
    let (spells, spells_censored, firms, markets) = (&g.spells, &g.spells_deaths_censored, &g.firms, &g.markets);
    for rep in 0..reps {
        if let Some(g) = rounds_group {
            for (k, x) in round_means(o, rep as u32 + 1, g) {
                put(k, rep, x);
            }
        }
        let km = KaplanMeier::new(&spells[rep]);
        let h = hazard(&spells[rep]);
        let h_at = |a: u32| h.iter().find(|p| p.age == a).map_or(f64::NAN, |p| p.hazard);
        put("spell_survival_1", rep, km.survival_at(1));
        put("spell_survival_3", rep, km.survival_at(3));
        put("spell_survival_5", rep, km.survival_at(5));
        put("spell_median", rep, km.median().map_or(f64::NAN, f64::from));
        put("spell_hazard_1", rep, h_at(1));
        put("spell_hazard_3", rep, h_at(3));
        put("spell_hazard_5", rep, h_at(5));
        put("spell_hazard_ratio_1_3", rep, if h_at(3) > 0.0 { h_at(1) / h_at(3) } else { f64::NAN });
        let kmc = KaplanMeier::new(&spells_censored[rep]);
        put("spell_survival_1_deaths_censored", rep, kmc.survival_at(1));
        put("spell_survival_5_deaths_censored", rep, kmc.survival_at(5));
        let life = KaplanMeier::new(&firms[rep]);
        put("firm_survival_5", rep, life.survival_at(5));
        put("firm_survival_10", rep, life.survival_at(10));
        put("firm_median_life", rep, life.median().map_or(f64::NAN, f64::from));
        let total: u64 = markets[rep].values().sum();
        let sum_k: u64 = markets[rep].iter().map(|(k, n)| u64::from(*k) * n).sum();
        put("single_market_share", rep, markets[rep].get(&1).copied().unwrap_or(0) as f64 / total as f64);
        put("ccdf_slope", rep, ccdf_slope(&markets[rep]));
        if rounds_group.is_none() {
            put("mean_markets_per_exporter", rep, sum_k as f64 / total as f64);
        }
        for (k, x) in cohort_figures(o, sel, rep as u32 + 1) {
            put(k, rep, x);
        }
    }
    v
}

/// Means over the rounds after burn-in of one replication's rows for a group.
fn round_means(o: &Outcomes<'_>, rep: u32, group: &str) -> Vec<(&'static str, f64)> {
    let rows: Vec<&RoundRow> =
        o.t.rounds.iter().filter(|r| r.replication == rep && r.strategy == group && r.round > o.burn_in).collect();
    let mean = |f: &dyn Fn(&RoundRow) -> f64| {
        let xs: Vec<f64> = rows.iter().map(|r| f(r)).filter(|x| x.is_finite()).collect();
        xs.iter().sum::<f64>() / xs.len() as f64
    };
    let last = rows.iter().max_by_key(|r| r.round);
    vec![
        ("exporter_share", mean(&|r| r.exporter_share)),
        ("mean_markets_per_exporter", mean(&|r| r.mean_markets_per_exporter)),
        ("mean_hhi", mean(&|r| r.mean_hhi)),
        ("mean_hhi_normalised", mean(&|r| r.mean_hhi_normalised)),
        ("mean_hhi_equivalent", mean(&|r| r.mean_hhi_equivalent)),
        ("mean_entropy", mean(&|r| r.mean_entropy)),
        ("mean_entropy_normalised", mean(&|r| r.mean_entropy_normalised)),
        ("mean_entropy_equivalent", mean(&|r| r.mean_entropy_equivalent)),
        ("mean_export_intensity", mean(&|r| r.mean_export_intensity)),
        ("export_intensity", mean(&|r| r.export_intensity)),
        ("entry_rate", mean(&|r| r.entries as f64 / r.alive as f64)),
        ("exit_rate", mean(&|r| r.exits as f64 / r.alive as f64)),
        ("firms_alive", last.map_or(f64::NAN, |r| r.alive as f64)),
        ("exporter_share_last", last.map_or(f64::NAN, |r| r.exporter_share)),
        ("mean_markets_per_exporter_last", last.map_or(f64::NAN, |r| r.mean_markets_per_exporter)),
        ("mean_hhi_last", last.map_or(f64::NAN, |r| r.mean_hhi)),
        ("mean_entropy_last", last.map_or(f64::NAN, |r| r.mean_entropy)),
        ("mean_export_intensity_last", last.map_or(f64::NAN, |r| r.mean_export_intensity)),
    ]
}

/// Born-global share of cohorts that could be observed for 3 rounds, and the
/// share of early first exports among ever-exporters observed for 10 rounds.
/// Figures over the firms of one replication's cohort: born-global and early
/// exporter shares (over cohorts that could be observed for 3 and 10 rounds),
/// and the means of each firm's discounted profit, failed entries, markets
/// reached and rounds taken to reach them.
fn cohort_figures(o: &Outcomes<'_>, sel: &Selection, rep: u32) -> Vec<(&'static str, f64)> {
    let firms: Vec<&FirmRow> = o.cohort(sel).filter(|f| f.replication == rep).collect();
    let observed_for = |rounds: u32| move |f: &&&FirmRow| f.birth + rounds <= o.rounds + 1;
    let share = |of: Vec<&&FirmRow>, yes: &dyn Fn(&FirmRow) -> bool| {
        of.iter().filter(|f| yes(f)).count() as f64 / of.len() as f64
    };
    let mean = |xs: Vec<f64>| xs.iter().sum::<f64>() / xs.len() as f64;
    let over_all = |f: &dyn Fn(&FirmRow) -> f64| mean(firms.iter().map(|x| f(x)).collect());
    let exporters = firms.iter().filter(observed_for(10)).filter(|f| f.first_export_round.is_some()).collect();
    vec![
        ("born_global_share", share(firms.iter().filter(observed_for(3)).collect(), &|f| f.born_global == 1)),
        ("early_exporter_share", share(exporters, &|f| f.first_export_round.is_some_and(|r| r - f.birth <= 2))),
        ("discounted_profit", over_all(&|f| f.discounted_profit)),
        ("discounted_export_profit", over_all(&|f| f.discounted_export_profit)),
        ("failed_entries", over_all(&|f| f64::from(f.failed_entries))),
        ("markets_reached", over_all(&|f| f64::from(f.markets_reached))),
        ("rounds_to_reach", mean(firms.iter().filter_map(|f| f.rounds_to_reach).map(f64::from).collect())),
    ]
}

/// The mean and 95% interval of one metric over replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Headline {
    /// Mean over replications with a value.
    pub mean: Option<f64>,
    /// Lower end of the 95% interval (Student t over replications).
    pub low: Option<f64>,
    /// Upper end.
    pub high: Option<f64>,
    /// Replications with a value.
    pub n: usize,
}

impl Headline {
    /// The interval of `values` (NaNs skipped).
    pub fn of(values: &[f64]) -> Self {
        match interval(values) {
            Some(Interval { mean, low, high, n }) => Headline { mean: Some(mean), low: Some(low), high: Some(high), n },
            None => Headline { mean: None, low: None, high: None, n: 0 },
        }
    }
}

/// `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Replications.
    pub replications: u32,
    /// Rounds simulated.
    pub rounds: u32,
    /// Rounds of burn-in left out.
    pub burn_in: u32,
    /// What each metric means.
    pub definitions: BTreeMap<&'static str, &'static str>,
    /// Conventions behind the figures.
    pub conventions: BTreeMap<&'static str, &'static str>,
    /// Metric -> interval over replications, all firms.
    pub all: BTreeMap<&'static str, Headline>,
    /// Grouping -> group -> metric -> interval.
    pub groups: BTreeMap<&'static str, BTreeMap<String, BTreeMap<&'static str, Headline>>>,
    /// Markets per exporter, all firms, pooled over replications and rounds
    /// after burn-in: k, share of exporters with k markets, and exporters per
    /// round with k or more (the complementary cumulative count N(>=k)).
    pub markets_per_exporter: Vec<MarketsRow>,
}

/// One k of the markets-per-exporter distribution.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarketsRow {
    /// Number of foreign markets.
    pub markets: u32,
    /// Share of exporters (exporter-rounds) with exactly this many.
    pub share: f64,
    /// Exporters per round with this many or more, N(>=k).
    pub at_least_per_round: f64,
}

/// The summary of `t`, from its figures and its all-firms outcomes.
pub fn summary(o: &Outcomes<'_>, all: &GroupOutcomes, figures: &[GroupFigures]) -> Summary {
    let t = o.t;
    let sim = &t.scenario.config().simulation;
    let headlines = |v: &PerReplication| v.iter().map(|(k, xs)| (*k, Headline::of(xs))).collect();
    let mut groups: BTreeMap<&'static str, BTreeMap<String, _>> = BTreeMap::new();
    for g in figures.iter().filter(|g| g.by != "all") {
        groups.entry(g.by).or_default().insert(g.name.clone(), headlines(&g.values));
    }
    Summary {
        scenario: t.scenario.name().to_string(),
        replications: sim.replications,
        rounds: sim.rounds,
        burn_in: sim.burn_in,
        definitions: METRICS.iter().copied().collect(),
        conventions: CONVENTIONS.iter().copied().collect(),
        all: figures.iter().find(|g| g.by == "all").map(|g| headlines(&g.values)).unwrap_or_default(),
        groups,
        markets_per_exporter: markets_rows(o, all),
    }
}

fn markets_rows(o: &Outcomes<'_>, all: &GroupOutcomes) -> Vec<MarketsRow> {
    let counts = pooled_counts(&all.markets);
    let total = counts.values().sum::<u64>() as f64;
    let rounds = f64::from(o.replications * (o.rounds - o.burn_in));
    ccdf(&counts)
        .into_iter()
        .map(|(k, at_least)| MarketsRow {
            markets: k,
            share: counts[&k] as f64 / total,
            at_least_per_round: at_least as f64 / rounds,
        })
        .collect()
}

/// How the figures are taken (literature.md §5).
pub const CONVENTIONS: &[(&str, &str)] = &[
    ("intervals", "mean and 95% Student-t interval over replications"),
    ("burn_in", "rounds up to burn_in are left out; spells begun in them are left out"),
    ("spells", "a spell is a run of consecutive rounds serving one market; its duration is end - start + 1"),
    (
        "firm_death",
        "in spell figures a spell ended by firm death counts as an exit event, except the *_deaths_censored ones",
    ),
    ("censoring", "spells and firms still running in the last round are right-censored"),
    (
        "firm_lifetimes",
        "firms born in round burn_in or later, from birth to death (event) or the last round (censored)",
    ),
    (
        "firm_outcomes",
        "discounted profit, failed entries, markets reached and rounds to reach them: means over firms born in round burn_in or later",
    ),
];

/// A row of `survival.csv`: one curve at one time, pooled over replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurvivalRow {
    /// `firm` (lifetimes) or `spell`.
    pub curve: &'static str,
    /// How a firm's death counts: `event` or `censoring`.
    pub firm_death: &'static str,
    /// The grouping.
    pub group_by: &'static str,
    /// The group.
    pub group: String,
    /// Rounds survived, t.
    pub time: u32,
    /// Observations at risk at t.
    pub at_risk: u64,
    /// Events at t.
    pub events: u64,
    /// Censored at t.
    pub censored: u64,
    /// Kaplan-Meier S(t).
    pub survival: f64,
    /// Greenwood standard error.
    pub std_err: f64,
    /// Log-log 95% band, lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Discrete hazard h(t) = events / at risk.
    pub hazard: f64,
    /// Wilson 95% interval of h(t), lower end.
    pub hazard_low: f64,
    /// Upper end.
    pub hazard_high: f64,
}

/// Every pooled curve: firm lifetimes, and spells with firm death as an event
/// and as censoring, for every group.
pub fn survival_rows(groups: &[GroupOutcomes]) -> Vec<SurvivalRow> {
    let mut rows = Vec::new();
    for g in groups {
        let curves = [
            ("firm", "event", pooled_durations(&g.firms)),
            ("spell", "event", pooled_durations(&g.spells)),
            ("spell", "censoring", pooled_durations(&g.spells_deaths_censored)),
        ];
        for (curve, firm_death, d) in curves {
            rows.extend(curve_rows(&d).into_iter().map(|mut r| {
                (r.curve, r.firm_death, r.group_by, r.group) = (curve, firm_death, g.sel.by, g.sel.name.clone());
                r
            }));
        }
    }
    rows
}

fn curve_rows(d: &Durations) -> Vec<SurvivalRow> {
    let km = KaplanMeier::new(d);
    hazard(d)
        .into_iter()
        .map(|h| {
            let step = km.steps.iter().find(|s| s.time == h.age);
            let (low, high) = km.band_at(h.age);
            SurvivalRow {
                curve: "",
                firm_death: "",
                group_by: "",
                group: String::new(),
                time: h.age,
                at_risk: h.at_risk,
                events: h.events,
                censored: step.map_or(0, |s| s.censored),
                survival: km.survival_at(h.age),
                std_err: km.steps.iter().take_while(|s| s.time <= h.age).last().map_or(0.0, |s| s.std_err),
                low,
                high,
                hazard: h.hazard,
                hazard_low: h.low,
                hazard_high: h.high,
            }
        })
        .collect()
}
