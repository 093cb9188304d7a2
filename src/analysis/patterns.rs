//! The directions the seed documents report, measured on one run's tables
//! (`smesim patterns`). Each pattern compares two groups, A and B: a value per
//! replication for each, and their paired difference B - A with a 95% interval
//! over replications. A direction is reproduced when that interval excludes
//! zero on the side the seeds predict; otherwise the verdict says whether the
//! interval lies on the other side or includes zero.
//!
//! Conventions as in the summary (`outcomes.rs`): firms born in round
//! `burn_in` or later, spells begun after burn-in, a firm's death ends its
//! spells as an exit. "Thirds" of a trait at birth are cut at the cohort's
//! terciles within each replication. P1a is not read off the population: it
//! is a controlled experiment with the model's own learning rule, because in
//! the population capacity also changes which markets firms enter.

use super::outcomes::Outcomes;
use super::summary::Headline;
use super::survival::{Durations, KaplanMeier};
use crate::engine::rng::StreamKey;
use crate::model::entry::start_spell;
use crate::model::learning::learn;
use crate::model::{EndCause, Env, Firms, Scratch, Traits, World};
use crate::output::read::RunTables;
use crate::output::tables::{FirmRow, MarketRow, SpellRow};
use crate::scenario::Scenario;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// P1a: the two absorptive capacities compared.
pub const LEARNING_ACAP: [f64; 2] = [0.2, 0.8];
/// P1a: rounds the two firms serve their market.
pub const LEARNING_ROUNDS: u32 = 8;
/// P1b: spells are compared on survival beyond this many rounds.
pub const SURVIVAL_ROUNDS: u32 = 3;
/// P5: a first spell that ends in an exit within this many rounds failed early.
pub const EARLY_ROUNDS: u32 = 2;
/// P5: rounds after the first spell's start in which a new spell counts.
pub const FOLLOW_UP_ROUNDS: u32 = 5;

/// The sign the seeds predict for B - A.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sign {
    /// B exceeds A.
    Positive,
    /// B falls short of A.
    Negative,
}

/// Whether the model reproduces a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The 95% interval of B - A excludes zero on the predicted side.
    Reproduced,
    /// It excludes zero on the other side.
    OppositeSign,
    /// It includes zero (or one replication gives no interval).
    NotSignificant,
    /// A group had nothing to measure.
    NoValue,
}

impl Verdict {
    /// Judge the difference `d` against `predicted`. A deterministic figure
    /// needs no interval; a stochastic one needs two replications.
    pub fn judge(predicted: Sign, d: &Headline, deterministic: bool) -> Self {
        let (Some(low), Some(high)) = (d.low, d.high) else {
            return Verdict::NoValue;
        };
        if d.n < 2 && !deterministic {
            return Verdict::NotSignificant;
        }
        let (agrees, opposes) = match predicted {
            Sign::Positive => (low > 0.0, high < 0.0),
            Sign::Negative => (high < 0.0, low > 0.0),
        };
        match (agrees, opposes) {
            (true, _) => Verdict::Reproduced,
            (_, true) => Verdict::OppositeSign,
            _ => Verdict::NotSignificant,
        }
    }

    /// The verdict as printed.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::OppositeSign => "not reproduced (opposite sign)",
            Verdict::NotSignificant => "not reproduced (not significant)",
            Verdict::NoValue => "not reproduced (no value)",
        }
    }
}

/// A group's (or the difference's) value per replication and their interval.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// What the group is.
    pub name: String,
    /// One value per replication (NaN, written null, where undefined).
    pub replications: Vec<f64>,
    /// Mean and 95% interval over replications.
    pub mean: Headline,
}

impl Group {
    fn new(name: impl Into<String>, replications: Vec<f64>) -> Self {
        Group { name: name.into(), mean: Headline::of(&replications), replications }
    }
}

/// One direction, measured.
#[derive(Clone, Debug, Serialize)]
pub struct Pattern {
    /// `P1a`, `P1b`, `P2`, `P3a`, `P3b`, `P4`, `P5`.
    pub id: &'static str,
    /// File stem of its figure.
    pub figure: &'static str,
    /// The seed documents that report it.
    pub seeds: &'static str,
    /// What they report.
    pub claim: &'static str,
    /// What is measured, in a line.
    pub measure: &'static str,
    /// Unit of the groups' values.
    pub unit: &'static str,
    /// Groups A and B.
    pub groups: [Group; 2],
    /// B - A per replication.
    pub difference: Group,
    /// The sign the seeds predict for B - A.
    pub predicted: Sign,
    /// Does the model reproduce it?
    pub reproduced: bool,
    /// And if not, why not.
    pub verdict: Verdict,
    /// Caveats of the measure.
    pub note: &'static str,
}

/// P1a's knowledge curves.
#[derive(Clone, Debug, Serialize)]
pub struct Learning {
    /// The market served (id in `markets.csv`).
    pub market: usize,
    /// The traits the two firms share.
    pub traits: &'static str,
    /// One curve per capacity.
    pub curves: Vec<Curve>,
}

/// Knowledge of the market after 0, 1, ... rounds of serving it.
#[derive(Clone, Debug, Serialize)]
pub struct Curve {
    /// Absorptive capacity at the start.
    pub acap: f64,
    /// Knowledge after each round, starting with 0 rounds.
    pub knowledge: Vec<f64>,
}

/// `patterns.json`: every direction and how it was measured.
#[derive(Clone, Debug, Serialize)]
pub struct Patterns {
    /// Scenario name.
    pub scenario: String,
    /// Replications.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// Rounds simulated.
    pub rounds: u32,
    /// Rounds of burn-in left out.
    pub burn_in: u32,
    /// How groups are formed and directions judged.
    pub conventions: Vec<&'static str>,
    /// P1a's knowledge curves.
    pub learning: Learning,
    /// The directions, one per figure.
    pub patterns: Vec<Pattern>,
}

/// How the figures are taken.
pub const CONVENTIONS: &[&str] = &[
    "firms born in round burn_in or later; spells begun after burn-in",
    "thirds of a trait at birth are cut at the cohort's 1/3 and 2/3 quantiles within each replication",
    "a spell ended by the firm's death counts as an exit; spells running in the last round are censored",
    "difference = B - A per replication, mean and 95% Student-t interval over replications",
    "reproduced: the interval excludes zero on the predicted side",
];

/// What a pattern is, before it is measured.
struct Spec {
    id: &'static str,
    figure: &'static str,
    seeds: &'static str,
    claim: &'static str,
    measure: &'static str,
    unit: &'static str,
    a: &'static str,
    b: &'static str,
    predicted: Sign,
    note: &'static str,
}

const P1A: Spec = Spec {
    id: "P1a",
    figure: "p1a_learning",
    seeds: "000",
    claim: "firms with more absorptive capacity learn more from the same experience",
    measure: "knowledge of a market after 8 rounds serving it, no ties",
    unit: "market knowledge",
    a: "acap 0.2",
    b: "acap 0.8",
    predicted: Sign::Positive,
    note: "a controlled experiment with the model's learning rule: two firms alike but for capacity; deterministic",
};

const P1B: Spec = Spec {
    id: "P1b",
    figure: "p1b_acap_survival",
    seeds: "000",
    claim: "firms with more absorptive capacity survive longer abroad",
    measure: "Kaplan-Meier share of export spells lasting beyond 3 rounds",
    unit: "share of spells",
    a: "low-acap third",
    b: "high-acap third",
    predicted: Sign::Positive,
    note: "spells begun after burn-in by cohort firms; acap at birth; firm death counts as exit",
};

const P2: Spec = Spec {
    id: "P2",
    figure: "p2_network_markets",
    seeds: "000, 004",
    claim: "firms that use their networks reach more markets",
    measure: "distinct foreign markets reached, mean over ever-exporters",
    unit: "markets",
    a: "low-net_use third",
    b: "high-net_use third",
    predicted: Sign::Positive,
    note: "thirds of net_use at birth over the whole cohort, then exporters only",
};

const P3A: Spec = Spec {
    id: "P3a",
    figure: "p3_first_export_age",
    seeds: "003",
    claim: "high-orientation, innovative firms start exporting earlier (about 4 vs 10 years)",
    measure: "rounds from birth to first export, mean over firms that exported",
    unit: "rounds",
    a: "rest",
    b: "high EO & productivity",
    predicted: Sign::Negative,
    note: "innovation is proxied by productivity at birth, the model's nearest trait; high = top third of both",
};

const P3B: Spec = Spec {
    id: "P3b",
    figure: "p3_markets",
    seeds: "003",
    claim: "high-orientation, innovative firms serve more markets (34 vs 6)",
    measure: "distinct foreign markets reached, mean over ever-exporters",
    unit: "markets",
    a: "rest",
    b: "high EO & productivity",
    predicted: Sign::Positive,
    note: "innovation is proxied by productivity at birth, the model's nearest trait; high = top third of both",
};

const P4: Spec = Spec {
    id: "P4",
    figure: "p4_first_market_distance",
    seeds: "003",
    claim: "most first export markets are psychically close (74% neighbouring countries)",
    measure: "share of first export markets in the closest third of foreign markets",
    unit: "share of first markets",
    a: "chance",
    b: "observed",
    predicted: Sign::Positive,
    note: "chance = the closest third's share of foreign markets (1/3 with 30 markets); first spells after burn-in",
};

const P5: Spec = Spec {
    id: "P5",
    figure: "p5_reentry_after_failure",
    seeds: "000",
    claim: "an early failure makes a firm less likely to enter again",
    measure: "share beginning another spell within 5 rounds of the first spell's start",
    unit: "share of firms",
    a: "first spell lasted",
    b: "failed early",
    predicted: Sign::Negative,
    note: "first spell after burn-in, >= 6 rounds before the end, firm alive 5 rounds on; failed early = exit \
           within 2 rounds; spells begun in the first spell's own round do not count",
};

/// Measure every pattern of the run in `t`.
pub fn measure(t: &RunTables) -> Patterns {
    let o = Outcomes::new(t);
    let sim = &t.scenario.config().simulation;
    let cohorts = cohorts(&o);
    let split = |f: &dyn Fn(&Cohort<'_>) -> (f64, f64)| -> (Vec<f64>, Vec<f64>) { cohorts.iter().map(f).unzip() };
    let (closest, chance) = closest_third(&t.markets);
    let learning = learning_curves(&t.scenario);
    let after = |c: &Curve| c.knowledge.last().copied().unwrap_or(f64::NAN);
    let reps = cohorts.len();
    let (p1a_a, p1a_b) = match &learning.curves[..] {
        [low, high] => (vec![after(low); reps], vec![after(high); reps]),
        _ => (vec![f64::NAN; reps], vec![f64::NAN; reps]),
    };
    let p4_b = cohorts.iter().map(|c| first_market_share(c, &closest)).collect();
    let patterns = vec![
        pattern(&P1A, (p1a_a, p1a_b), true),
        pattern(&P1B, split(&acap_survival), false),
        pattern(&P2, split(&network_markets), false),
        pattern(&P3A, split(&high_flyers_first_export), false),
        pattern(&P3B, split(&high_flyers_markets), false),
        pattern(&P4, (vec![chance; reps], p4_b), false),
        pattern(&P5, split(&reentry_after_failure), false),
    ];
    Patterns {
        scenario: t.scenario.name().to_string(),
        replications: sim.replications,
        seed: sim.seed,
        rounds: sim.rounds,
        burn_in: sim.burn_in,
        conventions: CONVENTIONS.to_vec(),
        learning,
        patterns,
    }
}

/// A measured pattern from its groups' values per replication.
fn pattern(spec: &Spec, (a, b): (Vec<f64>, Vec<f64>), deterministic: bool) -> Pattern {
    let difference = Group::new(format!("{} - {}", spec.b, spec.a), a.iter().zip(&b).map(|(a, b)| b - a).collect());
    let verdict = Verdict::judge(spec.predicted, &difference.mean, deterministic);
    Pattern {
        id: spec.id,
        figure: spec.figure,
        seeds: spec.seeds,
        claim: spec.claim,
        measure: spec.measure,
        unit: spec.unit,
        groups: [Group::new(spec.a, a), Group::new(spec.b, b)],
        difference,
        predicted: spec.predicted,
        reproduced: verdict == Verdict::Reproduced,
        verdict,
        note: spec.note,
    }
}

/// One replication's cohort: the firms followed from birth and their spells.
struct Cohort<'a> {
    firms: Vec<&'a FirmRow>,
    /// Per firm id, all its spells ordered by start round, then order.
    spells: HashMap<u32, Vec<&'a SpellRow>>,
    burn_in: u32,
    rounds: u32,
}

impl Cohort<'_> {
    fn spells_of(&self, f: &FirmRow) -> &[&SpellRow] {
        self.spells.get(&f.firm).map_or(&[], Vec::as_slice)
    }

    /// Each firm's third of `value`.
    fn thirds(&self, value: fn(&FirmRow) -> f32) -> Vec<Third> {
        let xs: Vec<f64> = self.firms.iter().map(|f| f64::from(value(f))).collect();
        let cuts = terciles(xs.clone());
        xs.into_iter().map(|x| cuts.map_or(Third::Middle, |c| third_of(x, c))).collect()
    }
}

/// The cohort of every replication (index rep - 1).
fn cohorts<'a>(o: &Outcomes<'a>) -> Vec<Cohort<'a>> {
    let (reps, t) = (o.replications as usize, o.t);
    let mut out: Vec<Cohort<'a>> = (0..reps)
        .map(|_| Cohort { firms: Vec::new(), spells: HashMap::new(), burn_in: o.burn_in, rounds: o.rounds })
        .collect();
    let slot = |rep: u32| (rep as usize).checked_sub(1).filter(|i| *i < reps);
    for f in t.firms.iter().filter(|f| o.in_cohort(f)) {
        if let Some(i) = slot(f.replication) {
            out[i].firms.push(f);
            out[i].spells.insert(f.firm, Vec::new());
        }
    }
    for s in &t.spells {
        if let Some(list) = slot(s.replication).and_then(|i| out[i].spells.get_mut(&s.firm)) {
            list.push(s);
        }
    }
    for c in &mut out {
        c.spells.values_mut().for_each(|l| l.sort_by_key(|s| (s.start, s.order)));
    }
    out
}

/// Where a firm's trait lies among its cohort's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Third {
    Bottom,
    Middle,
    Top,
}

/// The 1/3 and 2/3 quantiles, interpolated between order statistics (R's
/// type 7); None without values.
fn terciles(mut xs: Vec<f64>) -> Option<(f64, f64)> {
    xs.retain(|x| x.is_finite());
    xs.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (xs.len() - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        xs[lo] + (h - h.floor()) * (xs[hi] - xs[lo])
    };
    (!xs.is_empty()).then(|| (q(1.0 / 3.0), q(2.0 / 3.0)))
}

/// Strictly below the first tercile is the bottom third, strictly above the
/// second the top: a trait every firm shares puts no firm in either.
fn third_of(x: f64, (low, high): (f64, f64)) -> Third {
    if x < low {
        Third::Bottom
    } else if x > high {
        Third::Top
    } else {
        Third::Middle
    }
}

/// Means of `value` over the firms in group A (`Some(false)`) and B
/// (`Some(true)`); firms with no value count in neither; NaN for an empty group.
fn group_means(firms: &[&FirmRow], side: &[Option<bool>], value: impl Fn(&FirmRow) -> Option<f64>) -> (f64, f64) {
    let mut sums = [(0.0, 0u64); 2];
    for (f, side) in firms.iter().zip(side) {
        if let (Some(b), Some(x)) = (side, value(f)) {
            let s = &mut sums[usize::from(*b)];
            (s.0, s.1) = (s.0 + x, s.1 + 1);
        }
    }
    let mean = |(sum, n): (f64, u64)| if n == 0 { f64::NAN } else { sum / n as f64 };
    (mean(sums[0]), mean(sums[1]))
}

/// Bottom third is A, top third B, the middle neither.
fn extremes(thirds: &[Third]) -> Vec<Option<bool>> {
    thirds
        .iter()
        .map(|t| match t {
            Third::Bottom => Some(false),
            Third::Middle => None,
            Third::Top => Some(true),
        })
        .collect()
}

/// P1b: Kaplan-Meier survival beyond 3 rounds of the spells of the bottom and
/// top thirds of absorptive capacity.
fn acap_survival(c: &Cohort<'_>) -> (f64, f64) {
    let mut durations = [Durations::new(), Durations::new()];
    for (f, side) in c.firms.iter().zip(extremes(&c.thirds(|f| f.acap))) {
        let Some(b) = side else { continue };
        for s in c.spells_of(f).iter().filter(|s| s.start > c.burn_in) {
            durations[usize::from(b)].add(s.duration, s.end_cause != EndCause::Censored);
        }
    }
    let beyond = |d: &Durations| match d.is_empty() {
        true => f64::NAN,
        false => KaplanMeier::new(d).survival_at(SURVIVAL_ROUNDS),
    };
    (beyond(&durations[0]), beyond(&durations[1]))
}

/// Markets reached, for ever-exporters only.
fn markets_if_exporter(f: &FirmRow) -> Option<f64> {
    f.first_export_round.map(|_| f64::from(f.markets_reached))
}

/// P2: markets reached by exporters in the bottom and top thirds of network use.
fn network_markets(c: &Cohort<'_>) -> (f64, f64) {
    group_means(&c.firms, &extremes(&c.thirds(|f| f.net_use)), markets_if_exporter)
}

/// P3: B = top third of orientation and of productivity at birth, A = the rest.
fn high_flyers(c: &Cohort<'_>) -> Vec<Option<bool>> {
    let (eo, phi) = (c.thirds(|f| f.eo), c.thirds(|f| f.productivity));
    eo.iter().zip(&phi).map(|(e, p)| Some(*e == Third::Top && *p == Third::Top)).collect()
}

/// P3a: rounds from birth to first export of those that exported.
fn high_flyers_first_export(c: &Cohort<'_>) -> (f64, f64) {
    group_means(&c.firms, &high_flyers(c), |f| f.first_export_round.map(|r| f64::from(r.saturating_sub(f.birth))))
}

/// P3b: markets reached by ever-exporters.
fn high_flyers_markets(c: &Cohort<'_>) -> (f64, f64) {
    group_means(&c.firms, &high_flyers(c), markets_if_exporter)
}

/// The firm's first export spell: its earliest spell of order 1 (a re-entry
/// into the first market has order 1 too, but starts later).
fn first_spell<'a>(spells: &[&'a SpellRow]) -> Option<&'a SpellRow> {
    spells.iter().copied().find(|s| s.order == 1)
}

/// The closest third of foreign markets by distance (ties by id), and its
/// share of foreign markets: the share of first markets chance would put there.
fn closest_third(markets: &[MarketRow]) -> (HashSet<u32>, f64) {
    let mut foreign: Vec<&MarketRow> = markets.iter().filter(|m| m.market != 0).collect();
    foreign.sort_by(|a, b| a.distance.total_cmp(&b.distance).then(a.market.cmp(&b.market)));
    let k = (foreign.len() as f64 / 3.0).round() as usize;
    let closest = foreign.iter().take(k).map(|m| m.market as u32).collect();
    (closest, if foreign.is_empty() { f64::NAN } else { k as f64 / foreign.len() as f64 })
}

/// P4: share of the cohort's first export markets (first spells begun after
/// burn-in) in the closest third; NaN with none.
fn first_market_share(c: &Cohort<'_>, closest: &HashSet<u32>) -> f64 {
    let firsts: Vec<&SpellRow> =
        c.firms.iter().filter_map(|f| first_spell(c.spells_of(f))).filter(|s| s.start > c.burn_in).collect();
    let near = firsts.iter().filter(|s| closest.contains(&s.market)).count();
    if firsts.is_empty() { f64::NAN } else { near as f64 / firsts.len() as f64 }
}

/// P5 for one firm: whether its first spell failed early, and whether it
/// began another spell in the 5 rounds after the first began; None unless
/// the first spell began after burn-in, at least 6 rounds before the end, and
/// the firm lived through the 5 rounds. Spells begun in the first spell's own
/// round are not a response to its outcome, so they do not count.
fn early_failure(f: &FirmRow, spells: &[&SpellRow], burn_in: u32, rounds: u32) -> Option<(bool, bool)> {
    let first = first_spell(spells)?;
    let window = first.start + FOLLOW_UP_ROUNDS;
    let followed = first.start > burn_in && window < rounds && f.death.is_none_or(|d| d > window);
    if !followed {
        return None;
    }
    let failed = first.end_cause == EndCause::Exit && first.duration <= EARLY_ROUNDS;
    let again = spells.iter().any(|s| s.start > first.start && s.start <= window);
    Some((failed, again))
}

/// P5: share entering again among firms whose first spell succeeded (A) and
/// failed early (B).
fn reentry_after_failure(c: &Cohort<'_>) -> (f64, f64) {
    let outcome: Vec<Option<(bool, bool)>> =
        c.firms.iter().map(|f| early_failure(f, c.spells_of(f), c.burn_in, c.rounds)).collect();
    let side: Vec<Option<bool>> = outcome.iter().map(|o| o.map(|(failed, _)| failed)).collect();
    let again: HashMap<u32, bool> =
        c.firms.iter().zip(&outcome).filter_map(|(f, o)| o.map(|(_, again)| (f.firm, again))).collect();
    group_means(&c.firms, &side, |f| again.get(&f.firm).map(|a| f64::from(u8::from(*a))))
}

/// P1a: knowledge curves of two firms alike but for capacity, each serving
/// foreign market 1 for 8 rounds with no ties, under `scenario`'s learning
/// rule. With no other market known, which market it is does not matter.
pub fn learning_curves(scenario: &Scenario) -> Learning {
    let world = World::generate(scenario);
    let curves = match world.foreign() {
        0 => Vec::new(),
        _ => {
            LEARNING_ACAP.iter().map(|a| Curve { acap: *a, knowledge: knowledge_path(scenario, &world, *a) }).collect()
        }
    };
    Learning { market: 1, traits: "eo 0.5, net_use 0.5, general knowledge 0.2, no ties, no prior knowledge", curves }
}

/// Knowledge of foreign market 1 after 0..=8 rounds of serving it.
fn knowledge_path(scenario: &Scenario, world: &World, acap: f64) -> Vec<f64> {
    let p = scenario.config();
    let traits = Traits::new(p);
    let sizes: Vec<f64> = world.markets.iter().map(|m| m.size).collect();
    let key = StreamKey::new(p.simulation.seed, 1);
    let mut firms = one_firm(world, p.network.max_ties as usize, acap);
    let mut row = firms.row(0);
    start_spell(&mut row, 0, 1);
    let mut s = Scratch::new(world.foreign());
    let mut path = vec![f64::from(row.knowledge[0])];
    for round in 1..=LEARNING_ROUNDS {
        learn(&mut row, &Env::new(p, world, &traits, &[], key, round, &sizes), &mut s);
        path.push(f64::from(row.knowledge[0]));
    }
    path
}

/// A table with one alive firm of middling traits (as the model's own tests
/// build it) and capacity `acap`.
fn one_firm(world: &World, tie_slots: usize, acap: f64) -> Firms {
    let mut f = Firms::new(world.foreign(), tie_slots.max(1));
    let r = f.push_row();
    f.alive[r] = true;
    f.eo[r] = 0.5;
    f.acap[r] = acap;
    f.net_use[r] = 0.5;
    f.general[r] = 0.2;
    f.cash[r] = 2.0;
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Strategy;
    use std::path::PathBuf;

    fn firm(id: u32, birth: u32) -> FirmRow {
        FirmRow {
            replication: 1,
            firm: id,
            birth,
            death: None,
            strategy: Strategy::Waterfall,
            eo: 0.5,
            acap: 0.5,
            general_knowledge: 0.2,
            net_use: 0.5,
            productivity: 1.0,
            first_export_round: None,
            first_export_productivity: None,
            max_markets: 0,
            treated: 0,
            first_support_round: None,
            aid_received: 0.0,
            cohort: 0,
            born_global: 0,
            discounted_profit: 0.0,
            discounted_export_profit: 0.0,
            failed_entries: 0,
            markets_reached: 0,
            rounds_to_reach: None,
        }
    }

    fn spell(firm: u32, market: u32, start: u32, end: u32, cause: EndCause, order: u32) -> SpellRow {
        let censored = u8::from(cause == EndCause::Censored);
        SpellRow {
            replication: 1,
            firm,
            market,
            start,
            end,
            duration: end - start + 1,
            censored,
            end_cause: cause,
            order,
        }
    }

    fn market(id: usize, distance: f64) -> MarketRow {
        MarketRow {
            market: id,
            name: format!("m{id}"),
            size: 1.0,
            distance,
            position_x: distance,
            position_y: 0.0,
            competition: 0.1,
            entry_cost: 1.0,
            fixed_cost: 0.1,
            trade_cost: 1.0,
            growth: 0.0,
            rival_hazard: 0.0,
        }
    }

    /// Tables of one replication of 20 rounds with burn-in 2.
    fn tables(firms: Vec<FirmRow>, spells: Vec<SpellRow>, markets: Vec<MarketRow>) -> RunTables {
        let scenario = Scenario::baseline()
            .with(|c| (c.simulation.rounds, c.simulation.burn_in, c.simulation.replications) = (20, 2, 1))
            .unwrap();
        RunTables { dir: PathBuf::new(), scenario, rounds: Vec::new(), spells, firms, markets, programmes: Vec::new() }
    }

    fn cohort_of(t: &RunTables) -> Cohort<'_> {
        cohorts(&Outcomes::new(t)).remove(0)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn terciles_interpolate_and_thirds_are_strict() {
        let (lo, hi) = terciles(vec![6.0, 1.0, 3.0, 2.0, 5.0, 4.0]).unwrap();
        // type 7: h = 5/3 -> 2 + 2/3; h = 10/3 -> 4 + 1/3
        assert!(close(lo, 8.0 / 3.0) && close(hi, 13.0 / 3.0), "{lo} {hi}");
        let thirds: Vec<Third> = (1..=6).map(|x| third_of(f64::from(x), (lo, hi))).collect();
        use Third::*;
        assert_eq!(thirds, [Bottom, Bottom, Middle, Middle, Top, Top]);
        assert_eq!(third_of(0.5, terciles(vec![0.5; 4]).unwrap()), Middle, "a shared trait splits no one");
        assert!(terciles(Vec::new()).is_none());
    }

    #[test]
    fn verdicts_need_the_interval_on_the_predicted_side() {
        let h = |xs: &[f64]| Headline::of(xs);
        assert_eq!(Verdict::judge(Sign::Positive, &h(&[1.0, 1.2, 0.9]), false), Verdict::Reproduced);
        assert_eq!(Verdict::judge(Sign::Negative, &h(&[1.0, 1.2, 0.9]), false), Verdict::OppositeSign);
        assert_eq!(Verdict::judge(Sign::Positive, &h(&[1.0, -1.2, 0.1]), false), Verdict::NotSignificant);
        assert_eq!(Verdict::judge(Sign::Positive, &h(&[0.3]), false), Verdict::NotSignificant);
        assert_eq!(Verdict::judge(Sign::Positive, &h(&[0.3]), true), Verdict::Reproduced);
        assert_eq!(Verdict::judge(Sign::Positive, &h(&[f64::NAN]), false), Verdict::NoValue);
    }

    #[test]
    fn only_the_cohort_is_followed_and_spells_are_ordered() {
        let t = tables(
            vec![firm(1, 0), firm(2, 2), firm(3, 5)],
            vec![spell(2, 4, 9, 9, EndCause::Exit, 2), spell(2, 3, 6, 20, EndCause::Censored, 1)],
            Vec::new(),
        );
        let c = cohort_of(&t);
        assert_eq!(c.firms.iter().map(|f| f.firm).collect::<Vec<_>>(), [2, 3], "born before burn-in: left out");
        assert_eq!(c.spells_of(&t.firms[1]).iter().map(|s| s.start).collect::<Vec<_>>(), [6, 9]);
    }

    #[test]
    fn acap_survival_compares_the_spells_of_the_extreme_thirds() {
        let acaps = [0.1, 0.2, 0.5, 0.6, 0.8, 0.9];
        let firms = (0..6).map(|i| FirmRow { acap: acaps[i], ..firm(i as u32, 2) }).collect();
        let spells = vec![
            // bottom: one exit at 1, one firm death at 2, one censored at 6: S(3) = 1/3
            spell(0, 1, 4, 4, EndCause::Exit, 1),
            spell(0, 2, 5, 6, EndCause::FirmDeath, 2),
            spell(1, 1, 4, 9, EndCause::Censored, 1),
            // middle: ignored
            spell(2, 1, 4, 4, EndCause::Exit, 1),
            // top: one exit at 4, one censored at 2 -> S(3) = 1
            spell(4, 1, 4, 7, EndCause::Exit, 1),
            spell(5, 1, 19, 20, EndCause::Censored, 1),
            // begun in burn-in: ignored
            spell(5, 2, 2, 2, EndCause::Exit, 2),
        ];
        let t = tables(firms, spells, Vec::new());
        let (bottom, top) = acap_survival(&cohort_of(&t));
        assert!(close(bottom, 1.0 / 3.0), "{bottom}");
        assert!(close(top, 1.0), "{top}");
    }

    #[test]
    fn network_and_high_flyer_groups_average_the_right_firms() {
        let mk = |id: u32, net_use: f32, eo: f32, phi: f32, export: Option<u32>, reached: u16| FirmRow {
            net_use,
            eo,
            productivity: phi,
            first_export_round: export,
            markets_reached: reached,
            ..firm(id, 4)
        };
        let firms = vec![
            mk(0, 0.1, 0.9, 1.5, Some(6), 2),  // bottom net_use; high flyer, exported at age 2
            mk(1, 0.2, 0.1, 0.9, Some(14), 1), // bottom net_use; rest, age 10
            mk(2, 0.5, 0.5, 1.0, None, 0),     // never exported
            mk(3, 0.5, 0.6, 1.1, Some(8), 1),  // rest, age 4
            mk(4, 0.8, 0.2, 0.8, None, 0),     // top net_use, never exported: not an exporter
            mk(5, 0.9, 0.8, 1.4, Some(5), 6),  // top net_use; high flyer, age 1
        ];
        let t = tables(firms, Vec::new(), Vec::new());
        let c = cohort_of(&t);
        assert_eq!(network_markets(&c), (1.5, 6.0));
        assert_eq!(
            high_flyers(&c).iter().map(|s| s.unwrap()).collect::<Vec<_>>(),
            [true, false, false, false, false, true]
        );
        let (rest, high) = high_flyers_first_export(&c);
        assert!(close(rest, 7.0) && close(high, 1.5), "{rest} {high}");
        let (rest, high) = high_flyers_markets(&c);
        assert!(close(rest, 1.0) && close(high, 4.0), "{rest} {high}");
    }

    #[test]
    fn the_first_market_share_counts_each_firm_once_in_the_closest_third() {
        // six foreign markets: the closest two (ids 4 and 2) form the closest third
        let markets = [(0, 0.0), (1, 0.9), (2, 0.2), (3, 0.5), (4, 0.1), (5, 0.7), (6, 0.4)]
            .into_iter()
            .map(|(id, d)| market(id, d))
            .collect();
        let spells = vec![
            spell(1, 4, 5, 5, EndCause::Exit, 1),
            spell(1, 4, 8, 9, EndCause::Exit, 1), // re-entry into the first market: not a new first
            spell(2, 1, 6, 20, EndCause::Censored, 1),
            spell(2, 2, 6, 20, EndCause::Censored, 2), // second market entered at once: not a first
            spell(3, 2, 4, 20, EndCause::Censored, 1),
            spell(4, 4, 2, 20, EndCause::Censored, 1), // begun in burn-in: left out
        ];
        let firms = (1..=4).map(|i| firm(i, 2)).collect();
        let t = tables(firms, spells, markets);
        let (closest, chance) = closest_third(&t.markets);
        assert_eq!(closest, [4, 2].into_iter().collect());
        assert!(close(chance, 2.0 / 6.0));
        assert!(close(first_market_share(&cohort_of(&t), &closest), 2.0 / 3.0));
    }

    #[test]
    fn early_failure_classifies_first_spells_and_counts_later_entries_only() {
        let at = |start, end, cause, order| spell(0, 1, start, end, cause, order);
        let f = firm(0, 3);
        let check = |spells: Vec<SpellRow>, f: &FirmRow| {
            let refs: Vec<&SpellRow> = spells.iter().collect();
            early_failure(f, &refs, 2, 20)
        };
        // exit after 2 rounds, re-entry 3 rounds after the start
        assert_eq!(check(vec![at(4, 5, EndCause::Exit, 1), at(7, 9, EndCause::Exit, 1)], &f), Some((true, true)));
        // exit after 3 rounds: not early; nothing else within 5 rounds
        assert_eq!(check(vec![at(4, 6, EndCause::Exit, 1), at(10, 12, EndCause::Exit, 2)], &f), Some((false, false)));
        // a second market entered in the same round does not count
        assert_eq!(check(vec![at(4, 4, EndCause::Exit, 1), at(4, 20, EndCause::Censored, 2)], &f), Some((true, false)));
        // too late to follow, begun in burn-in, or dead within the window
        assert_eq!(check(vec![at(15, 15, EndCause::Exit, 1)], &f), None);
        assert_eq!(check(vec![at(2, 2, EndCause::Exit, 1)], &f), None);
        assert_eq!(check(vec![at(4, 4, EndCause::Exit, 1)], &FirmRow { death: Some(9), ..firm(0, 3) }), None);
        assert_eq!(
            check(vec![at(4, 4, EndCause::Exit, 1)], &FirmRow { death: Some(10), ..firm(0, 3) }),
            Some((true, false))
        );
        assert_eq!(check(Vec::new(), &f), None, "never exported");
    }

    #[test]
    fn reentry_shares_split_by_the_first_spells_outcome() {
        let spells = vec![
            spell(1, 1, 4, 4, EndCause::Exit, 1), // failed, no re-entry
            spell(2, 1, 4, 5, EndCause::Exit, 1), // failed, enters another market
            spell(2, 2, 6, 20, EndCause::Censored, 2),
            spell(3, 1, 4, 20, EndCause::Censored, 1), // succeeded, enters another
            spell(3, 2, 7, 20, EndCause::Censored, 2),
        ];
        let t = tables((1..=3).map(|i| firm(i, 3)).collect(), spells, Vec::new());
        assert_eq!(reentry_after_failure(&cohort_of(&t)), (1.0, 0.5));
    }

    #[test]
    fn more_capacity_learns_more_from_the_same_experience() {
        let l = learning_curves(&Scenario::baseline());
        let [low, high] = &l.curves[..] else { panic!("two curves") };
        assert_eq!(low.knowledge.len(), LEARNING_ROUNDS as usize + 1);
        assert_eq!((low.knowledge[0], high.knowledge[0]), (0.0, 0.0));
        assert!(low.knowledge.windows(2).all(|w| w[1] > w[0]), "{:?}", low.knowledge);
        assert!(high.knowledge.iter().zip(&low.knowledge).skip(1).all(|(h, l)| h > l));
    }

    #[test]
    fn measure_pairs_the_groups_by_replication() {
        let markets = (0..=3).map(|i| market(i, f64::from(i as u32) * 0.2)).collect();
        let t = tables(vec![firm(1, 3)], vec![spell(1, 1, 4, 20, EndCause::Censored, 1)], markets);
        let p = measure(&t);
        let ids: Vec<&str> = p.patterns.iter().map(|p| p.id).collect();
        assert_eq!(ids, ["P1a", "P1b", "P2", "P3a", "P3b", "P4", "P5"]);
        let p4 = &p.patterns[5];
        assert_eq!((p4.groups[0].replications[0], p4.groups[1].replications[0]), (1.0 / 3.0, 1.0));
        assert!(close(p4.difference.replications[0], 2.0 / 3.0));
        assert_eq!(p4.verdict, Verdict::NotSignificant, "one replication gives no interval");
        assert_eq!(p.patterns[0].verdict, Verdict::Reproduced, "P1a is deterministic");
        assert_eq!(p.patterns[1].verdict, Verdict::NoValue, "no thirds among one firm");
    }
}
