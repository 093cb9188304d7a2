//! Entry (model.md §3, phase 5).
//!
//! A firm sees a market if it knows it (K > visible_threshold), has a tie there
//! or got an order from there. It values a visible market at the discounted
//! profit over `horizon` rounds it expects, with the product's projected demand,
//! from its signal of the hidden appeal (noise sd
//! `signal_sd * (1 - K)`: firms enter on optimistic noise, Albornoz et al. 2012),
//! minus a risk penalty `risk_weight * (1 - eo) * distance * (1 - K) * (1 - trust)`
//! times the sunk cost it puts at stake (risk = commitment x uncertainty,
//! Johanson & Vahlne 1977). It enters when that value exceeds the sunk entry cost
//! and it can pay from cash and credit. The strategy bounds how many markets a
//! round and which (seed 003 §2; Kalish, Mahajan & Muller 1995).

use super::aid;
use super::firm::{Row, flag};
use super::operations::productivity_scale;
use super::valuation::horizon_value;
use super::{Env, Scratch, Strategy};

/// Most markets the firm may enter this round under its strategy.
pub fn entry_allowance(row: &Row<'_>, env: &Env<'_>) -> usize {
    let st = &env.p.strategy;
    match *row.strategy {
        Strategy::Waterfall | Strategy::Gradual => {
            let matured = row.served().all(|m| {
                env.round - u32::from(row.spell_start[m]) >= st.mature_rounds && row.flags[m] & flag::PROFIT != 0
            });
            usize::from(matured)
        }
        Strategy::Sprinkler | Strategy::Network => st.sprinkler_width as usize,
    }
}

/// Can the firm consider market `m` at all: does it see it, and does its strategy allow it?
pub fn is_candidate(row: &Row<'_>, env: &Env<'_>, m: usize, ties: f64) -> bool {
    Sight::of(row, env).sees(env, m, row.knowledge[m], row.flags[m], ties)
}

/// What decides which markets a firm sees, worked out once per firm-round
/// (the entry scan asks it of every market).
struct Sight {
    /// A network firm sees only markets where it has a tie or an order.
    contacts_only: bool,
    /// Knowledge above this makes a market visible.
    threshold: f64,
    /// A gradual firm's psychic radius.
    radius: Option<f64>,
}

impl Sight {
    fn of(row: &Row<'_>, env: &Env<'_>) -> Self {
        let st = &env.p.strategy;
        Sight {
            contacts_only: *row.strategy == Strategy::Network,
            threshold: env.p.learning.visible_threshold,
            radius: (*row.strategy == Strategy::Gradual)
                .then_some(st.gradual_radius + st.gradual_radius_growth * *row.general),
        }
    }

    /// Does the firm see market `m`, given its knowledge, flags and tie strength there?
    #[inline]
    fn sees(&self, env: &Env<'_>, m: usize, knowledge: f32, flags: u8, ties: f64) -> bool {
        let contact = ties > 0.0 || flags & flag::ORDER != 0;
        let visible = contact || (!self.contacts_only && f64::from(knowledge) > self.threshold);
        visible && self.radius.is_none_or(|r| env.market(m).distance <= r)
    }
}

/// The firm's estimate of its appeal in `m`: the truth once it has served it,
/// else the truth plus a first-impression error that shrinks with knowledge.
pub fn appeal_estimate(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    let a = f64::from(row.appeal[m]);
    if row.flags[m] & flag::REVEALED != 0 {
        a
    } else {
        a + env.p.entry.signal_sd * (1.0 - f64::from(row.knowledge[m])) * f64::from(row.bias[m])
    }
}

/// The sunk cost of entering `m` the firm itself bears: the market's entry
/// cost less what an entry voucher pays ([`aid::entry_subsidy`]).
pub fn own_entry_cost(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    env.market(m).entry_cost - aid::entry_subsidy(row, env, m)
}

/// Value of entering `m` now minus the sunk cost the firm bears; `ties` is the
/// tie strength there.
pub fn entry_surplus(row: &Row<'_>, env: &Env<'_>, m: usize, ties: f64) -> f64 {
    surplus(row, env, m, ties, own_entry_cost(row, env, m), productivity_scale(row, env))
}

/// [`entry_surplus`] given the firm's own entry cost `cost` there and its
/// [`productivity_scale`].
fn surplus(row: &Row<'_>, env: &Env<'_>, m: usize, ties: f64, cost: f64, scale: f64) -> f64 {
    let e = &env.p.entry;
    let value = horizon_value(row, env, m, appeal_estimate(row, env, m), env.round, env.round, scale);
    let k = f64::from(row.knowledge[m]);
    let uncertainty = env.market(m).distance * (1.0 - k) * (1.0 - ties.min(1.0));
    let risk = e.risk_weight * (1.0 - *row.eo) * uncertainty * cost;
    value - risk - cost
}

/// Can a firm with `cash` pay an entry costing it `cost` within `credit`?
#[inline]
fn affordable(cash: f64, cost: f64, credit: f64) -> bool {
    cash - cost >= -credit
}

/// How far below zero entries may take the firm's cash: its credit line
/// (plus any guaranteed export credit), or nothing for a self-funded
/// waterfall or gradual firm.
pub fn entry_credit(row: &Row<'_>, env: &Env<'_>) -> f64 {
    let sequential = matches!(*row.strategy, Strategy::Waterfall | Strategy::Gradual);
    let own = if env.p.strategy.self_funded && sequential { 0.0 } else { env.p.firms.credit_line };
    own + aid::extra_credit(row, env)
}

/// Enter the best candidates the strategy and cash allow; returns how many
/// and the sunk costs the firm paid (vouchers pay the rest, booked in
/// `s.spent`). Reads the tie strength per market from `s.ties`
/// (see [`Scratch::ties`]).
pub fn enter(row: &mut Row<'_>, env: &Env<'_>, s: &mut Scratch) -> (u32, f64) {
    let allowance = entry_allowance(row, env);
    if allowance == 0 {
        return (0, 0.0);
    }
    let credit = entry_credit(row, env);
    candidates(row, env, credit, s);
    s.candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let (mut entered, mut paid) = (0, 0.0);
    for &(_, m) in &s.candidates {
        if entered == allowance {
            break;
        }
        let cost = own_entry_cost(row, env, m);
        if affordable(*row.cash, cost, credit) {
            aid::use_entry_subsidy(row, env, m, &mut s.spent);
            *row.cash -= cost;
            paid += cost;
            start_spell(row, m, env.round);
            entered += 1;
        }
    }
    (entered as u32, paid)
}

/// Fill `s.candidates` with (surplus, market) for the markets the firm sees,
/// does not serve, values above their cost and can afford now.
///
/// Only markets affordable now are valued: one that is not can never be
/// entered this round, since each entry lowers the firm's cash (entry costs
/// are non-negative) and can only raise what later entries cost it (a voucher
/// pays at most the whole cost, from what is left of it). Leaving them out
/// changes no entry and spares most firms the valuation. Without a voucher a
/// firm pays each market's whole cost, so one that cannot pay the cheapest
/// ([`Env::cheapest_entry`]) has no candidate at all.
fn candidates(row: &Row<'_>, env: &Env<'_>, credit: f64, s: &mut Scratch) {
    s.candidates.clear();
    if !row.aid.entry.active(env.round) && !affordable(*row.cash, env.cheapest_entry, credit) {
        return;
    }
    let sight = Sight::of(row, env);
    let mut scale = None;
    let markets = row.knowledge.iter().zip(row.flags.iter()).zip(&s.ties).enumerate();
    for (m, ((&knowledge, &flags), &ties)) in markets {
        if flags & flag::PRESENT != 0 || !sight.sees(env, m, knowledge, flags, ties) {
            continue;
        }
        let cost = own_entry_cost(row, env, m);
        if !affordable(*row.cash, cost, credit) {
            continue;
        }
        let scale = *scale.get_or_insert_with(|| productivity_scale(row, env));
        let surplus = surplus(row, env, m, ties, cost, scale);
        if surplus > 0.0 {
            s.candidates.push((surplus, m));
        }
    }
}

/// Begin a spell in `m`: the sunk cost has been paid.
pub fn start_spell(row: &mut Row<'_>, m: usize, round: u32) {
    row.flags[m] = (row.flags[m] & (flag::REVEALED | flag::ORDER)) | flag::PRESENT;
    row.spell_start[m] = round as u16;
    row.losses[m] = 0;
    if row.order[m] == 0 {
        *row.distinct += 1;
        row.order[m] = *row.distinct;
        row.record.markets_reached = u16::from(*row.distinct);
        row.record.last_new_market = Some(round);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::Fixture;
    use crate::model::network::{add_tie, tie_sums};

    /// A firm that finds every visible market attractive.
    fn eager(fx: &Fixture, strategy: Strategy) -> crate::model::Firms {
        let mut firms = fx.one_firm();
        let row = firms.row(0);
        *row.strategy = strategy;
        *row.ln_phi = 1.5;
        *row.cash = 1000.0;
        row.knowledge.fill(0.5);
        row.appeal.fill(2.0);
        firms
    }

    fn served(row: &Row<'_>) -> usize {
        row.markets_served()
    }

    #[test]
    fn a_waterfall_firm_enters_one_market_a_round_and_waits_for_it_to_mature() {
        let fx = Fixture::new(|c| c.strategy.mature_rounds = 2);
        let mut firms = eager(&fx, Strategy::Waterfall);
        let mut row = firms.row(0);
        let mut s = Scratch::new(fx.world.foreign());
        assert_eq!(enter(&mut row, &fx.env(1), &mut s).0, 1);
        assert_eq!(enter(&mut row, &fx.env(2), &mut s).0, 0, "the first market has not matured");
        let m = (0..fx.world.foreign()).find(|m| row.present(*m)).unwrap();
        assert_eq!(enter(&mut row, &fx.env(3), &mut s).0, 0, "matured, but has not shown a profit");
        row.flags[m] |= flag::PROFIT;
        assert_eq!(enter(&mut row, &fx.env(3), &mut s).0, 1);
        assert_eq!(served(&row), 2);
    }

    #[test]
    fn a_sprinkler_firm_enters_several_markets_at_once() {
        let fx = Fixture::new(|c| c.strategy.sprinkler_width = 4);
        let mut firms = eager(&fx, Strategy::Sprinkler);
        let mut row = firms.row(0);
        assert_eq!(enter(&mut row, &fx.env(1), &mut Scratch::new(fx.world.foreign())).0, 4);
    }

    #[test]
    fn a_network_firm_enters_only_where_it_has_a_tie() {
        let fx = Fixture::new(|_| {});
        let mut firms = eager(&fx, Strategy::Network);
        let mut row = firms.row(0);
        let mut s = Scratch::new(fx.world.foreign());
        assert_eq!(enter(&mut row, &fx.env(1), &mut s).0, 0);
        add_tie(&mut row, 9, 0.5);
        tie_sums(&row, &mut s.ties);
        assert_eq!(enter(&mut row, &fx.env(1), &mut s).0, 1);
        assert!(row.present(9));
    }

    #[test]
    fn a_gradual_firm_stays_within_its_psychic_radius() {
        let fx = Fixture::new(|c| {
            c.strategy.gradual_radius = 0.3;
            c.strategy.gradual_radius_growth = 0.0;
        });
        let mut firms = eager(&fx, Strategy::Gradual);
        let mut row = firms.row(0);
        enter(&mut row, &fx.env(1), &mut Scratch::new(fx.world.foreign()));
        let m = (0..fx.world.foreign()).find(|m| row.present(*m)).unwrap();
        assert!(fx.world.markets[m + 1].distance <= 0.3);
    }

    #[test]
    fn a_market_must_be_visible_to_be_entered() {
        let fx = Fixture::new(|_| {});
        let mut firms = eager(&fx, Strategy::Sprinkler);
        let mut row = firms.row(0);
        row.knowledge.fill(0.0);
        let mut s = Scratch::new(fx.world.foreign());
        assert_eq!(enter(&mut row, &fx.env(1), &mut s).0, 0);
        add_tie(&mut row, 3, 0.3);
        tie_sums(&row, &mut s.ties);
        assert_eq!(enter(&mut row, &fx.env(1), &mut s).0, 1, "a tie makes it visible");
    }

    #[test]
    fn entry_needs_cash_or_credit_and_pays_the_sunk_cost() {
        let fx = Fixture::new(|c| c.firms.credit_line = 0.0);
        let mut firms = eager(&fx, Strategy::Waterfall);
        let mut row = firms.row(0);
        *row.cash = 0.1;
        let mut s = Scratch::new(fx.world.foreign());
        assert_eq!(enter(&mut row, &fx.env(1), &mut s).0, 0);
        *row.cash = 100.0;
        enter(&mut row, &fx.env(1), &mut s);
        let m = (0..fx.world.foreign()).find(|m| row.present(*m)).unwrap();
        assert!((*row.cash - (100.0 - fx.world.markets[m + 1].entry_cost)).abs() < 1e-9);
    }

    #[test]
    fn a_self_funded_waterfall_firm_pays_entries_from_its_own_cash() {
        let fx = Fixture::new(|c| {
            c.firms.credit_line = 50.0;
            c.strategy.self_funded = true;
        });
        for (strategy, entries) in [(Strategy::Waterfall, 0), (Strategy::Sprinkler, 1)] {
            let mut firms = eager(&fx, strategy);
            let mut row = firms.row(0);
            *row.cash = 0.1;
            let (entered, _) = enter(&mut row, &fx.env(1), &mut Scratch::new(fx.world.foreign()));
            assert_eq!(entered.min(1), entries, "{strategy:?} with cash 0.1 and credit 50");
        }
    }

    #[test]
    fn orientation_lowers_the_risk_penalty_of_distant_unknown_markets() {
        let fx = Fixture::new(|_| {});
        let mut firms = eager(&fx, Strategy::Sprinkler);
        let row = firms.row(0);
        row.knowledge.fill(0.0);
        let far = (0..fx.world.foreign())
            .max_by(|a, b| fx.world.markets[a + 1].distance.total_cmp(&fx.world.markets[b + 1].distance))
            .unwrap();
        *row.eo = 0.1;
        let cautious = entry_surplus(&row, &fx.env(1), far, 0.0);
        *row.eo = 0.9;
        assert!(entry_surplus(&row, &fx.env(1), far, 0.0) > cautious);
        assert!(entry_surplus(&row, &fx.env(1), far, 1.0) > cautious, "trust through ties lowers it too");
    }

    #[test]
    fn an_optimistic_first_impression_fades_as_knowledge_grows() {
        let fx = Fixture::new(|_| {});
        let mut firms = eager(&fx, Strategy::Sprinkler);
        let row = firms.row(0);
        row.appeal[0] = 0.0;
        row.bias[0] = 1.0;
        row.knowledge[0] = 0.0;
        let naive = appeal_estimate(&row, &fx.env(1), 0);
        row.knowledge[0] = 0.8;
        let informed = appeal_estimate(&row, &fx.env(1), 0);
        assert!(naive > informed && informed > 0.0);
        row.flags[0] |= flag::REVEALED;
        assert_eq!(appeal_estimate(&row, &fx.env(1), 0), 0.0);
    }

    #[test]
    fn re_entry_pays_the_sunk_cost_again_but_keeps_the_market_rank() {
        let fx = Fixture::new(|_| {});
        let mut firms = eager(&fx, Strategy::Sprinkler);
        let mut row = firms.row(0);
        start_spell(&mut row, 4, 1);
        start_spell(&mut row, 6, 1);
        row.flags[4] &= !flag::PRESENT;
        row.knowledge.fill(0.0);
        row.knowledge[4] = 0.5;
        let cash = *row.cash;
        assert_eq!(enter(&mut row, &fx.env(5), &mut Scratch::new(fx.world.foreign())).0, 1);
        assert!(row.present(4));
        assert!((*row.cash - (cash - fx.world.markets[5].entry_cost)).abs() < 1e-9);
        assert_eq!(row.order[4], 1);
        assert_eq!(row.spell_start[4], 5);
    }
}
