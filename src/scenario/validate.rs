//! Range and consistency checks on a merged scenario. Each problem names the
//! key paths involved; `load` turns them into file, line and column.

use super::dist::Dist;
use super::file::ScenarioFile;
use super::policy::{Eligibility, Instrument, Key, Targets};

/// A problem with the values of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Key paths involved, the one to point at first.
    pub paths: Vec<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, paths: &[&str], message: String) {
        let paths = paths.iter().map(|p| p.to_string()).collect();
        self.problems.push(Problem { paths, message });
    }

    fn number(&mut self, path: &str, v: f64, ok: bool, allowed: &str) {
        if !(v.is_finite() && ok) {
            self.fail(&[path], format!("{v} is out of range; allowed: {allowed}"));
        }
    }

    /// lo <= v <= hi
    fn closed(&mut self, path: &str, v: f64, lo: f64, hi: f64) {
        self.number(path, v, (lo..=hi).contains(&v), &format!("a number in [{lo}, {hi}]"));
    }

    /// lo <= v < hi
    fn half_open(&mut self, path: &str, v: f64, lo: f64, hi: f64) {
        self.number(path, v, v >= lo && v < hi, &format!("a number in [{lo}, {hi})"));
    }

    /// lo < v <= hi
    fn above(&mut self, path: &str, v: f64, lo: f64, hi: f64) {
        self.number(path, v, v > lo && v <= hi, &format!("a number in ({lo}, {hi}]"));
    }

    fn count(&mut self, path: &str, v: u64, lo: u64, hi: u64) {
        if !(lo..=hi).contains(&v) {
            self.fail(&[path], format!("{v} is out of range; allowed: an integer in [{lo}, {hi}]"));
        }
    }

    /// A distribution with valid parameters whose draws lie in `domain`.
    fn dist(&mut self, path: &str, d: &Dist, domain: Domain) {
        if let Some(allowed) = d.parameter_problem() {
            self.fail(&[path], format!("invalid distribution parameters; allowed: {allowed}"));
            return;
        }
        let (lo, hi) = d.support();
        let (ok, range, allowed) = match domain {
            Domain::Any => (true, "", ""),
            Domain::Positive => (
                lo > 0.0 || matches!(d, Dist::Lognormal(_)),
                "positive values",
                "lognormal, or fixed or uniform above 0",
            ),
            Domain::Unit => (lo >= 0.0 && hi <= 1.0, "[0, 1]", "beta, or fixed or uniform within [0, 1]"),
        };
        if !ok {
            self.fail(&[path], format!("the distribution can draw values outside {range}; allowed: {allowed}"));
        }
    }
}

/// Where a distribution's draws must lie.
#[derive(Clone, Copy)]
enum Domain {
    Any,
    Positive,
    Unit,
}

/// Every problem with `s`, or none.
pub fn problems(s: &ScenarioFile) -> Vec<Problem> {
    let mut c = Checker::default();
    simulation(&mut c, s);
    markets(&mut c, s);
    firms(&mut c, s);
    strategy(&mut c, s);
    behaviour(&mut c, s);
    programmes(&mut c, s);
    rins(&mut c, s);
    c.problems
}

fn simulation(c: &mut Checker, s: &ScenarioFile) {
    let sim = &s.simulation;
    c.count("simulation.firms", sim.firms.into(), 1, 50_000_000);
    c.count("simulation.rounds", sim.rounds.into(), 1, 10_000);
    c.count("simulation.replications", sim.replications.into(), 1, 100_000);
    if sim.burn_in >= sim.rounds {
        c.fail(
            &["simulation.burn_in", "simulation.rounds"],
            format!(
                "burn_in ({}) must be smaller than rounds ({}); allowed: 0 <= burn_in < rounds",
                sim.burn_in, sim.rounds
            ),
        );
    }
    if let Some(name) = &s.name {
        let ok = !name.is_empty()
            && name.chars().all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
            && !name.starts_with('.');
        if !ok {
            c.fail(
                &["name"],
                format!(
                    "{name:?} is not a valid name; allowed: letters, digits, '-', '_' and '.', not starting with '.'"
                ),
            );
        }
    }
}

fn markets(c: &mut Checker, s: &ScenarioFile) {
    let m = &s.markets;
    c.count("markets.count", m.count.into(), 1, 250);
    c.dist("markets.size", &m.size, Domain::Positive);
    c.dist("markets.growth", &m.growth, Domain::Any);
    c.dist("markets.distance", &m.distance, Domain::Unit);
    c.dist("markets.competition", &m.competition, Domain::Unit);
    c.above("markets.home_size", m.home_size, 0.0, 1e6);
    c.half_open("markets.home_competition", m.home_competition, 0.0, 1.0);
    c.closed("markets.home_fixed_cost", m.home_fixed_cost, 0.0, 1e6);
    c.closed("markets.entry_cost", m.entry_cost, 0.0, 1e6);
    c.closed("markets.entry_cost_distance", m.entry_cost_distance, 0.0, 100.0);
    c.closed("markets.fixed_cost", m.fixed_cost, 0.0, 1e6);
    c.closed("markets.fixed_cost_distance", m.fixed_cost_distance, 0.0, 100.0);
    c.closed("markets.trade_cost_distance", m.trade_cost_distance, 0.0, 100.0);
    c.closed("markets.rival_hazard", m.rival_hazard, 0.0, 1.0);
    c.above("markets.similarity_range", m.similarity_range, 0.0, 100.0);
    if m.list.len() > m.count as usize {
        c.fail(
            &["markets.list", "markets.count"],
            format!(
                "{} markets are listed but markets.count is {}; allowed: at most markets.count listed markets",
                m.list.len(),
                m.count
            ),
        );
    }
    for (i, lm) in m.list.iter().enumerate() {
        let p = |key: &str| format!("markets.list[{i}].{key}");
        if lm.name.trim().is_empty() {
            c.fail(&[&p("name")], "a market needs a non-empty name".into());
        }
        if m.list[..i].iter().any(|o| o.name == lm.name) {
            c.fail(&[&p("name")], format!("market name {:?} is listed twice; allowed: unique names", lm.name));
        }
        c.above(&p("size"), lm.size, 0.0, 1e6);
        c.closed(&p("position"), lm.position[0], -10.0, 10.0);
        c.closed(&p("position"), lm.position[1], -10.0, 10.0);
        c.closed(&p("growth"), lm.growth, -0.5, 0.5);
        c.half_open(&p("competition"), lm.competition, 0.0, 1.0);
        if let Some(x) = lm.entry_cost {
            c.closed(&p("entry_cost"), x, 0.0, 1e6);
        }
        if let Some(x) = lm.fixed_cost {
            c.closed(&p("fixed_cost"), x, 0.0, 1e6);
        }
        if let Some(x) = lm.trade_cost {
            c.closed(&p("trade_cost"), x, 1.0, 100.0);
        }
        if let Some(x) = lm.rival_hazard {
            c.closed(&p("rival_hazard"), x, 0.0, 1.0);
        }
    }
}

fn firms(c: &mut Checker, s: &ScenarioFile) {
    let f = &s.firms;
    c.dist("firms.productivity", &f.productivity, Domain::Any);
    c.half_open("firms.productivity_persistence", f.productivity_persistence, 0.0, 1.0);
    c.closed("firms.productivity_shock", f.productivity_shock, 0.0, 2.0);
    for (key, d) in [
        ("firms.eo", &f.eo),
        ("firms.acap", &f.acap),
        ("firms.general_knowledge", &f.general_knowledge),
        ("firms.net_use", &f.net_use),
    ] {
        c.dist(key, d, Domain::Unit);
    }
    c.closed("firms.prior_markets", f.prior_markets, 0.0, 250.0);
    c.closed("firms.prior_knowledge", f.prior_knowledge, 0.0, 1.0);
    c.closed("firms.initial_cash", f.initial_cash, -1e6, 1e6);
    c.closed("firms.credit_line", f.credit_line, 0.0, 1e6);
    c.closed("firms.death_rate", f.death_rate, 0.0, 1.0);
    c.count("firms.births_per_round", f.births_per_round.into(), 0, 10_000_000);
    if f.initial_cash < -f.credit_line {
        c.fail(
            &["firms.initial_cash", "firms.credit_line"],
            format!(
                "initial_cash ({}) is below -credit_line ({}), so every firm would die at birth; \
                 allowed: initial_cash >= -credit_line",
                f.initial_cash, -f.credit_line
            ),
        );
    }
}

fn strategy(c: &mut Checker, s: &ScenarioFile) {
    let st = &s.strategy;
    let sh = &st.shares;
    let shares =
        [("waterfall", sh.waterfall), ("sprinkler", sh.sprinkler), ("gradual", sh.gradual), ("network", sh.network)];
    for (name, v) in shares {
        c.closed(&format!("strategy.shares.{name}"), v, 0.0, 1.0);
    }
    let sum: f64 = shares.iter().map(|(_, v)| v).sum();
    if (sum - 1.0).abs() > 1e-9 {
        c.fail(
            &["strategy.shares"],
            format!("the strategy shares sum to {}; allowed: shares that sum to 1", (sum * 1e9).round() / 1e9),
        );
    }
    c.count("strategy.mature_rounds", st.mature_rounds.into(), 0, 1000);
    c.count("strategy.sprinkler_width", st.sprinkler_width.into(), 1, 250);
    c.closed("strategy.gradual_radius", st.gradual_radius, 0.0, 2.0);
    c.closed("strategy.gradual_radius_growth", st.gradual_radius_growth, 0.0, 10.0);
}

fn behaviour(c: &mut Checker, s: &ScenarioFile) {
    let n = &s.network;
    c.closed("network.tie_rate", n.tie_rate, 0.0, 10.0);
    c.closed("network.tie_rate_eo", n.tie_rate_eo, 0.0, 10.0);
    c.closed("network.remote_share", n.remote_share, 0.0, 1.0);
    c.above("network.distance_decay", n.distance_decay, 0.0, 100.0);
    c.above("network.initial_strength", n.initial_strength, 0.0, 1.0);
    c.closed("network.tie_decay", n.tie_decay, 0.0, 1.0);
    c.closed("network.tie_growth", n.tie_growth, 0.0, 1.0);
    c.count("network.max_ties", n.max_ties.into(), 1, 32);
    c.closed("network.order_rate", n.order_rate, 0.0, 1.0);
    c.closed("network.use_from_acap", n.use_from_acap, 0.0, 1.0);

    let l = &s.learning;
    for (key, v) in [
        ("learning.experience", l.experience),
        ("learning.network", l.network),
        ("learning.lockout", l.lockout),
        ("learning.general_weight", l.general_weight),
        ("learning.decay", l.decay),
        ("learning.general_growth", l.general_growth),
        ("learning.acap_growth", l.acap_growth),
        ("learning.acap_decay", l.acap_decay),
        ("learning.visible_threshold", l.visible_threshold),
    ] {
        c.closed(key, v, 0.0, 1.0);
    }

    let e = &s.entry;
    c.above("entry.horizon", e.horizon, 0.0, 1000.0);
    c.closed("entry.appeal_sd", e.appeal_sd, 0.0, 10.0);
    c.closed("entry.appeal_correlation", e.appeal_correlation, 0.0, 1.0);
    c.closed("entry.signal_sd", e.signal_sd, 0.0, 20.0);
    c.closed("entry.risk_weight", e.risk_weight, 0.0, 100.0);
    c.closed("entry.discount_rate", e.discount_rate, 0.0, 1.0);

    let o = &s.operations;
    c.number("operations.elasticity", o.elasticity, o.elasticity > 1.0 && o.elasticity <= 20.0, "a number in (1, 20]");
    c.closed("operations.knowledge_floor", o.knowledge_floor, 0.0, 1.0);
    c.closed("operations.demand_shock", o.demand_shock, 0.0, 3.0);
    c.closed("operations.rival_advantage", o.rival_advantage, 0.0, 1.0);

    let pr = &s.product;
    c.closed("product.innovation", pr.innovation, 0.0, 1.0);
    c.closed("product.imitation", pr.imitation, 0.0, 2.0);
    c.closed("product.lead", pr.lead, 0.0, 5.0);
    c.closed("product.home_innovation", pr.home_innovation, 0.0, 1.0);
    c.closed("product.home_imitation", pr.home_imitation, 0.0, 2.0);
    c.count("product.life_cycle", pr.life_cycle.into(), 0, 10_000);
    c.closed("product.fade", pr.fade, 0.0, 1.0);
    // Foreign adoption grows from innovation or from the lead of an adopted home
    // market; with neither, the product never sells abroad.
    let no_lead = pr.lead == 0.0 || pr.home_innovation == 0.0;
    if pr.diffusion && pr.innovation == 0.0 && no_lead {
        c.fail(
            &["product.innovation", "product.lead", "product.home_innovation"],
            "with diffusion on and innovation = 0, a foreign market takes off only from \
             the home market's lead; allowed: innovation > 0, or lead > 0 with \
             home_innovation > 0"
                .into(),
        );
    }

    let x = &s.exit;
    c.count("exit.patience", x.patience.into(), 0, 100);
    c.closed("exit.failure_eo", x.failure_eo, 0.0, 1.0);
    c.closed("exit.success_eo", x.success_eo, 0.0, 1.0);
}

/// Most programmes and networks: each has a bit in a firm's record of support.
const MAX_PROGRAMMES: usize = 64;
const MAX_RINS: usize = 8;

fn programmes(c: &mut Checker, s: &ScenarioFile) {
    if s.policy.len() > MAX_PROGRAMMES {
        c.fail(&["policy"], format!("{} programmes; allowed: at most {MAX_PROGRAMMES}", s.policy.len()));
    }
    for (i, raw) in s.policy.iter().enumerate() {
        let at = |key: &str| format!("policy[{i}].{key}");
        let kind = raw.instrument;
        for (key, given, needs) in [
            ("target_markets", raw.target_markets.is_some(), Key::Targets),
            ("target_distance", raw.target_distance.is_some(), Key::Targets),
            ("max_per_firm", raw.max_per_firm.is_some(), Key::MaxPerFirm),
            ("cost_per_firm", raw.cost_per_firm.is_some(), Key::CostPerFirm),
            ("support_rounds", raw.support_rounds.is_some(), Key::SupportRounds),
            ("stand_cost", raw.stand_cost.is_some(), Key::Stand),
            ("stand_size", raw.stand_size.is_some(), Key::Stand),
            ("subsidy_share", raw.subsidy_share.is_some(), Key::Stand),
            ("internalized", raw.internalized.is_some(), Key::Internalized),
        ] {
            if given && !kind.keys().contains(&needs) {
                c.fail(
                    &[&at(key)],
                    format!(
                        "`{key}` does not apply to the instrument {}; allowed for it: {}",
                        kind.as_str(),
                        optional_keys(kind)
                    ),
                );
            }
        }
        let mut p = raw.clone();
        p.fill_defaults();
        identity(c, s, &at("id"), &p.id, i);
        window(c, s, &at(""), p.start, p.duration);
        c.closed(&at("budget_per_round"), p.budget_per_round, 0.0, 1e9);
        c.closed(&at("ranking_noise"), p.ranking_noise, 0.0, 10.0);
        c.closed(&at("awareness"), p.awareness, 0.0, 1.0);
        c.closed(&at("take_up"), p.take_up, 0.0, 1.0);
        eligibility(c, &at("eligibility"), &p.eligibility);
        if let Some(t) = &p.target_markets {
            targets(c, s, &at(""), t, p.target_distance);
        }
        let (meaning, lo, hi) = kind.effect_meaning();
        let effect = p.effect.unwrap_or(f64::NAN);
        c.number(&at("effect"), effect, (lo..=hi).contains(&effect), &format!("{meaning}, in [{lo}, {hi}]"));
        let positive = |c: &mut Checker, key: &str, v: Option<f64>| {
            if let Some(v) = v {
                c.above(&at(key), v, 0.0, 1e9);
            }
        };
        positive(c, "max_per_firm", p.max_per_firm);
        positive(c, "cost_per_firm", p.cost_per_firm);
        positive(c, "stand_cost", p.stand_cost);
        if let Some(n) = p.support_rounds {
            c.count(&at("support_rounds"), n.into(), 1, 1000);
        }
        if let Some(n) = p.stand_size {
            c.count(&at("stand_size"), n.into(), 1, 1000);
        }
        for (key, v) in [("subsidy_share", p.subsidy_share), ("internalized", p.internalized)] {
            if let Some(v) = v {
                c.closed(&at(key), v, 0.0, 1.0);
            }
        }
        if kind == Instrument::TradeFair && p.subsidy_share == Some(0.0) {
            c.fail(
                &[&at("subsidy_share")],
                "a fair the programme pays nothing for costs it nothing, so its budget cannot \
                 limit it; allowed: a share above 0"
                    .into(),
            );
        }
    }
}

/// The optional keys of `kind`, for messages.
fn optional_keys(kind: Instrument) -> String {
    let names: Vec<&str> = kind
        .keys()
        .iter()
        .flat_map(|k| match k {
            Key::Targets => &["target_markets", "target_distance"][..],
            Key::MaxPerFirm => &["max_per_firm"],
            Key::CostPerFirm => &["cost_per_firm"],
            Key::SupportRounds => &["support_rounds"],
            Key::Stand => &["stand_cost", "stand_size", "subsidy_share"],
            Key::Internalized => &["internalized"],
        })
        .copied()
        .collect();
    format!("{} (besides the keys every programme has)", names.join(", "))
}

fn rins(c: &mut Checker, s: &ScenarioFile) {
    if s.rin.len() > MAX_RINS {
        c.fail(&["rin"], format!("{} networks; allowed: at most {MAX_RINS}", s.rin.len()));
    }
    for (i, r) in s.rin.iter().enumerate() {
        let at = |key: &str| format!("rin[{i}].{key}");
        identity(c, s, &at("id"), &r.id, s.policy.len() + i);
        window(c, s, &at(""), r.start, r.duration);
        c.closed(&at("funding_per_round"), r.funding_per_round, 0.0, 1e9);
        c.closed(&at("take_up"), r.take_up, 0.0, 1.0);
        c.closed(&at("engagement"), r.engagement, 0.0, 1.0);
        c.closed(&at("own_network"), r.own_network, 0.0, 100.0);
        c.above(&at("stand_cost"), r.stand_cost, 0.0, 1e9);
        c.count(&at("stand_size"), r.stand_size.into(), 1, 1000);
        eligibility(c, &at("eligibility"), &r.eligibility);
        targets(c, s, &at(""), &r.target_markets, r.target_distance);
        if r.services.is_empty() {
            c.fail(
                &[&at("services")],
                "no services; allowed: a list of information, cooperation, brokering, joint_stands".into(),
            );
        }
        for (j, kind) in r.services.iter().enumerate() {
            if r.services[..j].contains(kind) {
                c.fail(&[&at("services")], format!("{:?} is listed twice; allowed: each service once", kind.as_str()));
            }
            let service = r.service(*kind);
            let name = kind.as_str();
            c.number(
                &at(&format!("{name}.cost")),
                service.cost,
                service.cost > 0.0 && service.cost <= 1e9,
                "a number above 0",
            );
            let hi = if matches!(kind, super::policy::ServiceKind::Brokering | super::policy::ServiceKind::JointStands)
            {
                10.0
            } else {
                1.0
            };
            c.closed(&at(&format!("{name}.effect")), service.effect, 0.0, hi);
        }
    }
}

/// A programme's or network's id: non-empty and unique among both.
fn identity(c: &mut Checker, s: &ScenarioFile, path: &str, id: &str, index: usize) {
    let ids: Vec<&str> = s.policy.iter().map(|p| p.id.as_str()).chain(s.rin.iter().map(|r| r.id.as_str())).collect();
    if id.trim().is_empty() || id.contains(',') {
        c.fail(&[path], format!("{id:?} is not a usable id; allowed: a non-empty name without commas"));
    } else if ids[..index].contains(&id) {
        c.fail(&[path], format!("id {id:?} is used twice; allowed: an id unique among programmes and networks"));
    }
}

/// `start` and `duration`, whose last round plus the evaluation horizon must fit the run.
fn window(c: &mut Checker, s: &ScenarioFile, at: &str, start: u32, duration: u32) {
    let rounds = s.simulation.rounds;
    c.count(&format!("{at}start"), start.into(), 1, rounds.into());
    c.count(&format!("{at}duration"), duration.into(), 1, rounds.into());
    let last = u64::from(start) + u64::from(duration) - 1;
    let horizon = u64::from(s.evaluation.horizon);
    if start >= 1 && duration >= 1 && last + horizon > u64::from(rounds) {
        c.fail(
            &[&format!("{at}duration"), "evaluation.horizon", "simulation.rounds"],
            format!(
                "support ends in round {last} and its effect is measured {horizon} rounds later, after the last \
                 round ({rounds}); allowed: start + duration - 1 + evaluation.horizon <= simulation.rounds"
            ),
        );
    }
}

fn eligibility(c: &mut Checker, at: &str, e: &Eligibility) {
    let range = |c: &mut Checker, key: &str, r: Option<[f64; 2]>, lo: f64, hi: f64| {
        if let Some([a, b]) = r {
            let ok = a.is_finite() && b.is_finite() && lo <= a && a <= b && b <= hi;
            if !ok {
                c.fail(
                    &[&format!("{at}.{key}")],
                    format!("[{a}, {b}] is not a range; allowed: [low, high] with {lo} <= low <= high <= {hi}"),
                );
            }
        }
    };
    range(c, "productivity", e.productivity, 0.0, 1e9);
    range(c, "size", e.size, 0.0, 1e9);
    range(c, "eo", e.eo, 0.0, 1.0);
    range(c, "age", e.age.map(|[a, b]| [f64::from(a), f64::from(b)]), 0.0, 1e9);
    if e.exporter.as_ref().is_some_and(|x| x.is_empty()) {
        c.fail(
            &[&format!("{at}.exporter")],
            "no status admits no firm; allowed: a non-empty list of non_exporter, new_exporter, experienced".into(),
        );
    }
}

fn targets(c: &mut Checker, s: &ScenarioFile, at: &str, t: &Targets, distance: Option<[f64; 2]>) {
    if let Err(message) = t.resolve(&s.markets) {
        c.fail(&[&format!("{at}target_markets")], message);
    }
    if let Some([a, b]) = distance {
        if !(0.0..=1.0).contains(&a) || !(a..=1.0).contains(&b) {
            c.fail(
                &[&format!("{at}target_distance")],
                format!("[{a}, {b}] is not a range; allowed: [low, high] with 0 <= low <= high <= 1"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(problems(&ScenarioFile::default()), vec![]);
    }

    #[test]
    fn inconsistent_combinations_are_caught() {
        let mut s = ScenarioFile::default();
        s.strategy.shares.waterfall = 0.5;
        s.simulation.burn_in = s.simulation.rounds;
        let p = problems(&s);
        assert!(p.iter().any(|p| p.paths[0] == "strategy.shares"));
        assert!(p.iter().any(|p| p.paths[0] == "simulation.burn_in"));
    }

    #[test]
    fn distributions_must_stay_in_their_range() {
        let mut s = ScenarioFile::default();
        s.firms.eo = Dist::Normal([0.5, 0.1]);
        let p = problems(&s);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].paths[0], "firms.eo");
        assert!(p[0].message.contains("[0, 1]"), "{}", p[0].message);
    }
}
