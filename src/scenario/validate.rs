//! Range and consistency checks on a merged scenario. Each problem names the
//! key paths involved; `load` turns them into file, line and column.

use super::dist::Dist;
use super::file::ScenarioFile;

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
