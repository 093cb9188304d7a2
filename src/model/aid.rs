//! The firm's side of policy: the support it holds and how that support enters
//! its decisions in the round's phases. Which firms get support is decided by
//! the institutions in [`crate::policy`]; this module only reads what a firm holds.
//!
//! Three kinds of support last beyond the round they are granted, as a [`Grant`]:
//! - an entry voucher pays `effect` of the sunk cost of entering a target
//!   market, up to what is left of the grant (seed 002 l.548-566): the firm
//!   weighs and pays only the rest, so the entry threshold falls;
//! - stay support pays `effect` of the fixed cost of served target markets
//!   (seed 002 l.1363-1408): profit rises and staying is worth more;
//! - export credit raises the credit line by `effect`; the programme
//!   guarantees it and pays what the firm owes beyond its own line if it dies
//!   while (or just after) holding it (seed 003 L1522; 004 l.755-776).
//!
//! Consultants lend absorptive capacity that is taken back when their help
//! ends, except the internalized share (seed 000, L1906-1924).

use super::Env;
use super::World;
use super::firm::{Row, Touch, touch_sum};
use crate::scenario::{Instrument, ScenarioFile};

/// What the firm pass needs to know of programme p: its instrument, effect
/// size and target markets.
#[derive(Clone, Debug, PartialEq)]
pub struct Terms {
    /// The instrument.
    pub instrument: Instrument,
    /// Its effect size.
    pub effect: f64,
    /// Per foreign market (0-based): is it a target?
    pub targets: Vec<bool>,
}

/// The terms of every programme of `p`, in order, with target markets
/// resolved against the world (distance filter included).
pub fn terms(p: &ScenarioFile, world: &World) -> Vec<Terms> {
    p.policy
        .iter()
        .map(|prog| Terms {
            instrument: prog.instrument,
            effect: prog.effect.unwrap_or(prog.instrument.default_effect()),
            targets: target_mask(p, world, prog.target_markets.as_ref(), prog.target_distance),
        })
        .collect()
}

/// Per foreign market: is it among `targets` (default all) and within `distance`?
pub fn target_mask(
    p: &ScenarioFile,
    world: &World,
    targets: Option<&crate::scenario::Targets>,
    distance: Option<[f64; 2]>,
) -> Vec<bool> {
    let all = (0..world.foreign()).collect();
    let listed: Vec<usize> = targets.map_or(Ok(all), |t| t.resolve(&p.markets)).unwrap_or_default();
    (0..world.foreign())
        .map(|m| {
            let d = world.markets[m + 1].distance;
            listed.contains(&m) && distance.is_none_or(|[lo, hi]| (lo..=hi).contains(&d))
        })
        .collect()
}

/// Support that lasts several rounds: from programme `programme - 1` (0 = none),
/// valid through round `until`, with `left` still to pay out (or, for export
/// credit, the extra line).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Grant {
    /// Index of the granting programme plus one; 0 = no grant.
    pub programme: u8,
    /// Last round it is valid.
    pub until: u16,
    /// Money left to pay out; for export credit, the extra credit line.
    pub left: f64,
}

impl Grant {
    /// No grant.
    pub const NONE: Grant = Grant { programme: 0, until: 0, left: 0.0 };

    /// A grant of programme `index` from `round` for `rounds` rounds.
    pub fn new(index: usize, round: u32, rounds: u32, left: f64) -> Self {
        Grant { programme: index as u8 + 1, until: (round + rounds - 1).min(u32::from(u16::MAX)) as u16, left }
    }

    /// Is it valid in `round`?
    #[inline]
    pub fn active(&self, round: u32) -> bool {
        self.programme != 0 && round <= u32::from(self.until)
    }

    /// Index of the granting programme, if any.
    #[inline]
    pub fn index(&self) -> Option<usize> {
        (self.programme != 0).then(|| usize::from(self.programme) - 1)
    }
}

/// The support a firm holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Aid {
    /// Programmes (bit i = programme i) the firm has taken part in; each once.
    pub taken: u64,
    /// Regional innovation networks (bit j) the firm belongs to.
    pub rins: u8,
    /// Knows of every programme (reached by an awareness campaign or a RIN).
    pub informed: bool,
    /// Entry voucher.
    pub entry: Grant,
    /// Fixed-cost support.
    pub stay: Grant,
    /// Guaranteed extra credit line.
    pub credit: Grant,
    /// Absorptive capacity lent by consultants, taken back after `lent_until`.
    pub lent_acap: f32,
    /// Last round of the consultants' help.
    pub lent_until: u16,
}

impl Aid {
    /// No support.
    pub const NONE: Aid = Aid {
        taken: 0,
        rins: 0,
        informed: false,
        entry: Grant::NONE,
        stay: Grant::NONE,
        credit: Grant::NONE,
        lent_acap: 0.0,
        lent_until: 0,
    };
}

impl Touch for Grant {
    fn touch(&mut self, zero: u64) -> u64 {
        let Grant { programme, until, left } = self;
        touch_sum([programme.touch(zero), until.touch(zero), left.touch(zero)])
    }
}

impl Touch for Aid {
    fn touch(&mut self, zero: u64) -> u64 {
        let Aid { taken, rins, informed, entry, stay, credit, lent_acap, lent_until } = self;
        touch_sum([
            taken.touch(zero),
            rins.touch(zero),
            informed.touch(zero),
            entry.touch(zero),
            stay.touch(zero),
            credit.touch(zero),
            lent_acap.touch(zero),
            lent_until.touch(zero),
        ])
    }
}

/// Book `amount` paid by programme `index` for the firm.
#[inline]
pub fn book(row: &mut Row<'_>, spent: &mut [f64], index: usize, amount: f64) {
    spent[index] += amount;
    row.record.aid_received += amount;
}

/// What the firm's entry voucher would pay towards entering `m` this round.
#[inline]
pub fn entry_subsidy(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    let g = &row.aid.entry;
    match g.index() {
        Some(i) if g.active(env.round) && env.aid[i].targets[m] => {
            (env.aid[i].effect * env.market(m).entry_cost).min(g.left)
        }
        _ => 0.0,
    }
}

/// The voucher pays its part of entering `m`; returns it.
pub fn use_entry_subsidy(row: &mut Row<'_>, env: &Env<'_>, m: usize, spent: &mut [f64]) -> f64 {
    let paid = entry_subsidy(row, env, m);
    if let (Some(i), true) = (row.aid.entry.index(), paid > 0.0) {
        row.aid.entry.left -= paid;
        book(row, spent, i, paid);
    }
    paid
}

/// What stay support pays towards the fixed cost of served market `m` this round.
#[inline]
pub fn stay_support(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    let g = &row.aid.stay;
    match g.index() {
        Some(i) if g.active(env.round) && env.aid[i].targets[m] => {
            (env.aid[i].effect * env.market(m).fixed_cost).min(g.left)
        }
        _ => 0.0,
    }
}

/// Stay support pays its part of `m`'s fixed cost; returns it.
pub fn use_stay_support(row: &mut Row<'_>, env: &Env<'_>, m: usize, spent: &mut [f64]) -> f64 {
    let paid = stay_support(row, env, m);
    if let (Some(i), true) = (row.aid.stay.index(), paid > 0.0) {
        row.aid.stay.left -= paid;
        book(row, spent, i, paid);
    }
    paid
}

/// What stay support still promises for `m` after this round, within the
/// firm's horizon: the firm counts it when it weighs leaving.
pub fn stay_value(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    let g = &row.aid.stay;
    match g.index() {
        Some(i) if g.active(env.round + 1) && env.aid[i].targets[m] => {
            let rounds = f64::from(u32::from(g.until) - env.round).min(env.p.entry.horizon);
            (rounds * env.aid[i].effect * env.market(m).fixed_cost).min(g.left)
        }
        _ => 0.0,
    }
}

/// The guaranteed extra credit line in force this round.
#[inline]
pub fn extra_credit(row: &Row<'_>, env: &Env<'_>) -> f64 {
    if row.aid.credit.active(env.round) { row.aid.credit.left } else { 0.0 }
}

/// At the start of the firm's round: support whose time is over ends.
/// Consultants take back what was not internalized; unused vouchers lapse;
/// a guarantee ends once the firm is back within its own credit line (else
/// it stays on the books until the firm's death calls it).
pub fn expire(row: &mut Row<'_>, env: &Env<'_>) {
    let round = env.round;
    let aid = &mut *row.aid;
    if aid.lent_acap > 0.0 && round > u32::from(aid.lent_until) {
        *row.acap = (*row.acap - f64::from(aid.lent_acap)).max(0.0);
        aid.lent_acap = 0.0;
    }
    for g in [&mut aid.entry, &mut aid.stay] {
        if g.programme != 0 && !g.active(round) {
            *g = Grant::NONE;
        }
    }
    if aid.credit.programme != 0 && !aid.credit.active(round) && *row.cash >= -env.p.firms.credit_line {
        aid.credit = Grant::NONE;
    }
}

/// The firm dies: a guarantee it holds pays what it owes beyond its own credit line.
pub fn settle_at_death(row: &mut Row<'_>, env: &Env<'_>, spent: &mut [f64]) {
    if let Some(i) = row.aid.credit.index() {
        let owed = (-*row.cash - env.p.firms.credit_line).clamp(0.0, row.aid.credit.left);
        row.aid.credit = Grant::NONE;
        if owed > 0.0 {
            book(row, spent, i, owed);
        }
    }
}

/// The firm takes part in programme `index` in `round`: recorded once.
pub fn mark_supported(row: &mut Row<'_>, index: Option<usize>, round: u32) {
    if let Some(i) = index {
        row.aid.taken |= 1 << i;
    }
    row.record.treated = true;
    row.record.first_support.get_or_insert(round);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry::{enter, entry_surplus, own_entry_cost, start_spell};
    use crate::model::exit::{dies, leave_markets};
    use crate::model::firm::flag;
    use crate::model::fixture::{Fixture, programme};
    use crate::model::operations::{operate, productivity_scale};
    use crate::model::valuation::horizon_value;
    use crate::model::{Scratch, Strategy};
    use crate::scenario::{MarketRef, Targets};

    /// A fixture whose only programme is `kind` with `effect`, working in
    /// foreign markets 1 and 2 (0-based 0 and 1) where targets apply.
    fn with(kind: Instrument, effect: f64, change: impl FnOnce(&mut ScenarioFile)) -> Fixture {
        Fixture::new(|c| {
            let mut p = programme(kind);
            p.effect = Some(effect);
            if p.target_markets.is_some() {
                p.target_markets = Some(Targets::List(vec![MarketRef::Id(1), MarketRef::Id(2)]));
            }
            c.policy.push(p);
            change(c);
        })
    }

    /// Set the appeal of `m` so that `f` (increasing in it) is `target`.
    fn tune_appeal(row: &mut Row<'_>, m: usize, target: f64, f: impl Fn(&Row<'_>) -> f64) {
        let (mut lo, mut hi) = (-10.0_f32, 10.0_f32);
        for _ in 0..60 {
            let mid = (lo + hi) / 2.0;
            row.appeal[m] = mid;
            if f(row) < target { lo = mid } else { hi = mid }
        }
        row.appeal[m] = (lo + hi) / 2.0;
        assert!((f(row) - target).abs() < 1e-3, "tuned to {}", f(row));
    }

    #[test]
    fn an_entry_voucher_makes_a_firm_enter_a_market_it_would_not_enter_at_full_cost() {
        let fx = with(Instrument::EntrySubsidy, 0.5, |_| {});
        let env = fx.env(1);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        *row.strategy = Strategy::Sprinkler;
        *row.cash = 10.0;
        row.knowledge[0] = 0.5;
        tune_appeal(&mut row, 0, -0.05, |r| entry_surplus(r, &env, 0, 0.0));
        let mut s = Scratch::with_programmes(env.markets(), 1);
        assert_eq!(enter(&mut row, &env, &mut s).0, 0, "slightly below the threshold at full cost");
        row.aid.entry = Grant::new(0, 1, 3, 10.0);
        let k = env.market(0).entry_cost;
        assert!((own_entry_cost(&row, &env, 0) - 0.5 * k).abs() < 1e-12);
        assert!(entry_surplus(&row, &env, 0, 0.0) > 0.5 * k);
        let (entered, paid) = enter(&mut row, &env, &mut s);
        assert_eq!(entered, 1);
        assert!((paid - 0.5 * k).abs() < 1e-12, "the firm pays only the rest");
        assert!((*row.cash - (10.0 - 0.5 * k)).abs() < 1e-12);
        assert!((s.spent[0] - 0.5 * k).abs() < 1e-12, "the voucher's part is booked to the programme");
        assert!((row.record.aid_received - 0.5 * k).abs() < 1e-12);
        assert!((row.aid.entry.left - (10.0 - 0.5 * k)).abs() < 1e-12);
    }

    #[test]
    fn an_entry_voucher_pays_only_target_markets_while_valid_and_never_more_than_is_left() {
        let fx = with(Instrument::EntrySubsidy, 0.5, |_| {});
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        row.aid.entry = Grant::new(0, 1, 2, 10.0);
        let env = fx.env(2);
        assert!(entry_subsidy(&row, &env, 1) > 0.0);
        assert_eq!(entry_subsidy(&row, &env, 5), 0.0, "market 6 is not a target");
        assert_eq!(entry_subsidy(&row, &fx.env(3), 1), 0.0, "valid through round 2 only");
        row.aid.entry.left = 0.3;
        let mut spent = vec![0.0];
        assert_eq!(use_entry_subsidy(&mut row, &env, 1, &mut spent), 0.3);
        assert_eq!(use_entry_subsidy(&mut row, &env, 0, &mut spent), 0.0, "nothing left");
        assert_eq!((spent[0], row.record.aid_received), (0.3, 0.3));
    }

    #[test]
    fn stay_support_adds_its_share_of_the_fixed_cost_to_the_profit_of_served_target_markets() {
        let fx = with(Instrument::StaySupport, 0.5, |c| c.operations.demand_shock = 0.0);
        let env = fx.env(2);
        let profit_with = |grant: Grant| {
            let mut firms = fx.one_firm();
            let mut row = firms.row(0);
            *row.ln_phi = 0.5;
            start_spell(&mut row, 0, 1);
            start_spell(&mut row, 5, 1);
            row.aid.stay = grant;
            let mut s = Scratch::with_programmes(env.markets(), 1);
            let sales = operate(&mut row, &env, &mut s);
            (sales.export_profit, s.spent[0], row.record.aid_received)
        };
        let (without, _, _) = profit_with(Grant::NONE);
        let (with, spent, received) = profit_with(Grant::new(0, 1, 3, 10.0));
        let paid = 0.5 * env.market(0).fixed_cost;
        assert!((with - without - paid).abs() < 1e-9, "only target market 1 is supported");
        assert!((spent - paid).abs() < 1e-12 && (received - paid).abs() < 1e-12);
    }

    #[test]
    fn stay_support_still_to_come_keeps_a_firm_in_a_market_it_would_leave() {
        let fx = with(Instrument::StaySupport, 0.5, |_| {});
        let env = fx.env(2);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        *row.ln_phi = 0.5;
        start_spell(&mut row, 0, 1);
        tune_appeal(&mut row, 0, -0.05, |r| {
            horizon_value(r, &env, 0, f64::from(r.appeal[0]), 1, 3, productivity_scale(r, &env))
        });
        let leaves = |row: &mut Row<'_>| {
            start_spell(row, 0, 1);
            row.flags[0] |= flag::PROFIT;
            leave_markets(row, &env, &mut Vec::new())
        };
        assert_eq!(leaves(&mut row), 1, "worth slightly less than nothing");
        row.aid.stay = Grant::new(0, 2, 3, 10.0);
        let promised = stay_value(&row, &env, 0);
        assert!((promised - 2.0 * 0.5 * env.market(0).fixed_cost).abs() < 1e-12, "two rounds still to come");
        assert_eq!(leaves(&mut row), 0);
        row.aid.stay.left = 0.01;
        assert_eq!(stay_value(&row, &env, 0), 0.01, "no more than is left");
        assert_eq!(leaves(&mut row), 1);
    }

    #[test]
    fn export_credit_lets_a_firm_enter_with_less_cash_and_delays_insolvency() {
        let fx = with(Instrument::ExportCredit, 2.0, |c| c.firms.death_rate = 0.0);
        let env = fx.env(1);
        let line = fx.p.firms.credit_line;
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        *row.strategy = Strategy::Sprinkler;
        *row.ln_phi = 1.0;
        row.knowledge[0] = 0.5;
        row.appeal[0] = 3.0;
        let k = env.market(0).entry_cost;
        *row.cash = k - line - 1.0;
        let mut s = Scratch::with_programmes(env.markets(), 1);
        assert_eq!(enter(&mut row, &env, &mut s).0, 0, "the entry would take it 1 below its line");
        row.aid.credit = Grant::new(0, 1, 3, 2.0);
        assert_eq!(enter(&mut row, &env, &mut s).0, 1);
        assert!((*row.cash + line + 1.0).abs() < 1e-9);
        assert!(!dies(&row, &env), "within the guaranteed line");
        assert!(!dies(&row, &fx.env(3)));
        assert!(dies(&row, &fx.env(4)), "the guarantee ended in round 3");
        row.aid.credit = Grant::NONE;
        assert!(dies(&row, &env));
    }

    #[test]
    fn at_death_the_guarantee_pays_the_debt_beyond_the_own_line_up_to_the_extra_line() {
        let fx = with(Instrument::ExportCredit, 2.0, |_| {});
        let env = fx.env(5);
        let line = fx.p.firms.credit_line;
        for (cash, owed) in [(-line + 0.5, 0.0), (-line - 1.5, 1.5), (-line - 9.0, 2.0)] {
            let mut firms = fx.one_firm();
            let mut row = firms.row(0);
            *row.cash = cash;
            row.aid.credit = Grant::new(0, 1, 3, 2.0);
            let mut spent = vec![0.0];
            settle_at_death(&mut row, &env, &mut spent);
            assert!((spent[0] - owed).abs() < 1e-12, "cash {cash}: paid {}", spent[0]);
            assert!((row.record.aid_received - owed).abs() < 1e-12);
            assert_eq!(row.aid.credit, Grant::NONE);
        }
    }

    #[test]
    fn expiry_takes_back_lent_capacity_and_clears_lapsed_grants() {
        let fx = Fixture::new(|_| {});
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        *row.acap = 0.6;
        row.aid.lent_acap = 0.1;
        row.aid.lent_until = 3;
        row.aid.entry = Grant::new(0, 1, 2, 5.0);
        row.aid.stay = Grant::new(0, 1, 3, 5.0);
        expire(&mut row, &fx.env(3));
        assert_eq!(*row.acap, 0.6, "the consultants are still there in round 3");
        assert_eq!(row.aid.entry, Grant::NONE, "the voucher lapsed after round 2");
        assert_eq!(row.aid.stay.left, 5.0);
        expire(&mut row, &fx.env(4));
        assert!((*row.acap - 0.5).abs() < 1e-6);
        assert_eq!((row.aid.lent_acap, row.aid.stay), (0.0, Grant::NONE));
    }

    #[test]
    fn a_lapsed_guarantee_stays_on_the_books_while_the_firm_is_beyond_its_own_line() {
        let fx = Fixture::new(|_| {});
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        row.aid.credit = Grant::new(0, 1, 2, 2.0);
        *row.cash = -fx.p.firms.credit_line - 1.0;
        expire(&mut row, &fx.env(5));
        assert_eq!(row.aid.credit.left, 2.0);
        *row.cash = 0.0;
        expire(&mut row, &fx.env(5));
        assert_eq!(row.aid.credit, Grant::NONE);
    }
}
