//! Operations (model.md §3, phase 6): sales and profit in every served market.
//!
//! `s_im = demand_m * phi^(sigma-1) * exp(a_im) * (kappa + (1-kappa) K_im) * rival_im * share_im * shock`,
//! with `demand_m = size_m (1 - competition_m) / trade_cost_m` (Melitz 2003 with
//! a firm-market appeal, Eaton, Kortum & Kramarz 2011), profit `s / sigma - F_m`.
//! Serving a market reveals its true appeal (Albornoz et al. 2012). A firm that
//! entered after its rival loses `rival_advantage` of its sales (Mascarenhas
//! 1997; [`super::rival`]). With product diffusion on, `share_im` is the adopted
//! share of the market times the product's life-cycle demand ([`super::product`]);
//! otherwise it is 1.

use super::aid;
use super::firm::{Row, flag};
use super::product::demand_share;
use super::{Env, Scratch};
use crate::engine::rng::Purpose;
use crate::scenario::std_normal;

/// A firm's sales and profit this round.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sales {
    /// Home sales.
    pub home: f64,
    /// Foreign sales, all markets.
    pub exports: f64,
    /// Profit at home and abroad (before sunk entry costs).
    pub profit: f64,
    /// The part of it earned abroad.
    pub export_profit: f64,
}

/// phi^(sigma - 1): how productivity scales sales. Log productivity moves
/// only at the start of a firm's round, so callers compute this once per
/// firm-round and pass it on as `scale`.
#[inline]
pub fn productivity_scale(row: &Row<'_>, env: &Env<'_>) -> f64 {
    ((env.p.operations.elasticity - 1.0) * *row.ln_phi).exp()
}

/// Share of sales kept in market `m` by a firm whose spell began in `start`:
/// all of them if it got there before its rival, less `rival_advantage` if
/// the rival came first.
#[inline]
pub fn rival_factor(row: &Row<'_>, env: &Env<'_>, m: usize, start: u32) -> f64 {
    let rival = u32::from(row.rival[m]);
    if rival != 0 && rival < start { 1.0 - env.p.operations.rival_advantage } else { 1.0 }
}

/// Sales in foreign market `m` at full demand, before the demand shock, for a
/// given appeal (the product's adoption and life cycle scale it: [`super::product`]);
/// `scale` is the firm's [`productivity_scale`].
#[inline]
pub fn expected_sales(row: &Row<'_>, env: &Env<'_>, m: usize, appeal: f64, start: u32, scale: f64) -> f64 {
    let o = &env.p.operations;
    let k = f64::from(row.knowledge[m]);
    env.demand[m]
        * scale
        * appeal.exp()
        * (o.knowledge_floor + (1.0 - o.knowledge_floor) * k)
        * rival_factor(row, env, m, start)
}

/// Profit of `sales` in foreign market `m`.
#[inline]
pub fn profit(env: &Env<'_>, m: usize, sales: f64) -> f64 {
    sales / env.p.operations.elasticity - env.market(m).fixed_cost
}

/// Sell at home and in every served market; book the profits in cash (stay
/// support counts as part of a market's profit). Leaves each market's sales
/// in `s.sales`.
pub fn operate(row: &mut Row<'_>, env: &Env<'_>, s: &mut Scratch) -> Sales {
    let o = &env.p.operations;
    let entity = row.entity();
    let shock = |sub: u32| {
        let mut rng = env.key.sub_stream(entity, env.round, Purpose::Demand, sub);
        (o.demand_shock * std_normal(&mut rng) - o.demand_shock * o.demand_shock / 2.0).exp()
    };
    let scale = productivity_scale(row, env);
    let home = env.home_demand * scale * shock(0);
    let mut cash = home / o.elasticity - env.world.markets[0].fixed_cost;
    let (mut exports, mut export_profit) = (0.0, 0.0);
    s.sales.fill(0.0);
    row.each_served(|row, m| {
        let full = expected_sales(row, env, m, f64::from(row.appeal[m]), u32::from(row.spell_start[m]), scale);
        let sales = full * demand_share(row, env, m) * shock(m as u32 + 1);
        let pi = profit(env, m, sales) + aid::use_stay_support(row, env, m, &mut s.spent);
        row.flags[m] |= flag::REVEALED;
        if pi > 0.0 {
            row.flags[m] |= flag::PROFIT;
        } else {
            row.flags[m] &= !flag::PROFIT;
        }
        s.sales[m] = sales;
        exports += sales;
        export_profit += pi;
        cash += pi;
    });
    *row.cash += cash;
    Sales { home, exports, profit: cash, export_profit }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::Fixture;

    fn sales_in(fx: &Fixture, setup: impl Fn(&mut Row<'_>)) -> f64 {
        let env = fx.env(5);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        row.flags[2] = flag::PRESENT;
        row.spell_start[2] = 4;
        setup(&mut row);
        operate(&mut row, &env, &mut Scratch::new(fx.world.foreign())).exports
    }

    #[test]
    fn productivity_appeal_and_knowledge_raise_sales() {
        let fx = Fixture::new(|c| c.operations.demand_shock = 0.0);
        let base = sales_in(&fx, |_| {});
        assert!(sales_in(&fx, |r| *r.ln_phi = 0.3) > base);
        assert!(sales_in(&fx, |r| r.appeal[2] = 1.0) > base);
        assert!(sales_in(&fx, |r| r.knowledge[2] = 0.9) > base);
    }

    #[test]
    fn a_rival_who_came_first_takes_a_share() {
        let fx = Fixture::new(|c| c.operations.demand_shock = 0.0);
        let env = fx.env(5);
        let mut firms = fx.one_firm();
        let row = firms.row(0);
        let alone = expected_sales(&row, &env, 2, 0.0, 4, 1.0);
        row.rival[2] = 3;
        assert!(expected_sales(&row, &env, 2, 0.0, 4, 1.0) < alone, "a later entrant loses share");
        row.rival[2] = 4;
        assert_eq!(expected_sales(&row, &env, 2, 0.0, 4, 1.0), alone, "the first entrant keeps it");
    }

    #[test]
    fn serving_a_market_reveals_its_appeal_and_books_profit() {
        let fx = Fixture::new(|_| {});
        let env = fx.env(1);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        row.flags[1] = flag::PRESENT;
        let before = *row.cash;
        let sales = operate(&mut row, &env, &mut Scratch::new(fx.world.foreign()));
        assert!(row.flags[1] & flag::REVEALED != 0);
        let expected = (sales.home + sales.exports) / 4.0 - env.world.markets[0].fixed_cost - env.market(1).fixed_cost;
        assert!((*row.cash - before - expected).abs() < 1e-9);
    }
}
