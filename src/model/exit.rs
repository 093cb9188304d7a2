//! Exit (model.md §3, phase 7).
//!
//! A firm leaves a market at once when, knowing its true appeal, the value of
//! staying over the horizon is negative (most first-year exits: it entered on optimistic
//! noise). It rides out losses from demand shocks for up to `patience` rounds,
//! because the sunk cost is lost on exit (hysteresis, Roberts & Tybout 1997).
//! A firm dies when its cash falls below its credit line, or by the exogenous
//! hazard `death_rate`. Outcomes feed back on orientation: an exit lowers it,
//! a market that matures in profit raises it (seed 000, P6).

use super::Env;
use super::aid;
use super::firm::{Row, flag};
use super::operations::productivity_scale;
use super::spell::{EndCause, Spell};
use super::valuation::horizon_value;
use crate::engine::rng::Purpose;

/// Leave the markets that do not pay; returns how many were left.
pub fn leave_markets(row: &mut Row<'_>, env: &Env<'_>, spells: &mut Vec<Spell>) -> u32 {
    let x = &env.p.exit;
    let mut exits = 0;
    let mut scale = None;
    row.each_served(|row, m| {
        let start = u32::from(row.spell_start[m]);
        let scale = *scale.get_or_insert_with(|| productivity_scale(row, env));
        let expected = horizon_value(row, env, m, f64::from(row.appeal[m]), start, env.round + 1, scale)
            + aid::stay_value(row, env, m);
        let profitable = row.flags[m] & flag::PROFIT != 0;
        if profitable {
            row.losses[m] = 0;
        } else {
            row.losses[m] = row.losses[m].saturating_add(1);
        }
        if expected < 0.0 || u32::from(row.losses[m]) > x.patience {
            close_spell(row, env, m, EndCause::Exit, spells);
            *row.eo -= x.failure_eo * *row.eo;
            exits += 1;
        } else if profitable
            && row.flags[m] & flag::MATURED == 0
            && env.round + 1 - start >= env.p.strategy.mature_rounds
        {
            row.flags[m] |= flag::MATURED;
            *row.eo += x.success_eo * (1.0 - *row.eo);
        }
    });
    exits
}

/// Does the firm die this round? One draw from its death stream either way,
/// so common random numbers survive a change in cash. Guaranteed export
/// credit extends the line the firm may draw on.
pub fn dies(row: &Row<'_>, env: &Env<'_>) -> bool {
    let u = env.key.stream(row.entity(), env.round, Purpose::Death).uniform();
    *row.cash < -(env.p.firms.credit_line + aid::extra_credit(row, env)) || u < env.p.firms.death_rate
}

/// End every running spell with `cause` (firm death, or censoring at the end).
pub fn close_all(row: &mut Row<'_>, env: &Env<'_>, cause: EndCause, spells: &mut Vec<Spell>) {
    row.each_served(|row, m| close_spell(row, env, m, cause, spells));
}

fn close_spell(row: &mut Row<'_>, env: &Env<'_>, m: usize, cause: EndCause, spells: &mut Vec<Spell>) {
    row.flags[m] &= !(flag::PRESENT | flag::MATURED);
    row.losses[m] = 0;
    // A re-entry starts its diffusion afresh, as the entry valuation assumes.
    row.set_adoption(m, 0.0);
    spells.push(Spell {
        firm: *row.id,
        market: m as u32 + 1,
        start: u32::from(row.spell_start[m]),
        end: env.round,
        cause,
        order: u32::from(row.order[m]),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry::start_spell;
    use crate::model::fixture::Fixture;

    #[test]
    fn a_market_that_does_not_pay_in_expectation_is_left_at_once() {
        let fx = Fixture::new(|_| {});
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        start_spell(&mut row, 2, 1);
        row.flags[2] |= flag::PROFIT;
        row.appeal[2] = -5.0;
        let mut spells = Vec::new();
        assert_eq!(leave_markets(&mut row, &fx.env(1), &mut spells), 1);
        assert_eq!(spells[0].duration(), 1);
        assert_eq!(spells[0].cause, EndCause::Exit);
        assert!(*row.eo < 0.5, "failure makes the firm less entrepreneurial");
    }

    #[test]
    fn leaving_a_market_loses_the_product_adoption_there() {
        let fx = Fixture::new(|c| c.product.diffusion = true);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        start_spell(&mut row, 2, 1);
        row.set_adoption(2, 0.6);
        row.appeal[2] = -5.0;
        leave_markets(&mut row, &fx.env(1), &mut Vec::new());
        assert_eq!(row.adoption(2), 0.0, "a re-entry starts its diffusion afresh");
    }

    #[test]
    fn transitory_losses_are_ridden_out_for_patience_rounds() {
        let fx = Fixture::new(|c| c.exit.patience = 2);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        *row.ln_phi = 1.0;
        row.appeal[2] = 2.0;
        start_spell(&mut row, 2, 1);
        let mut spells = Vec::new();
        for t in 1..=2 {
            row.flags[2] &= !flag::PROFIT;
            assert_eq!(leave_markets(&mut row, &fx.env(t), &mut spells), 0, "round {t}");
        }
        row.flags[2] &= !flag::PROFIT;
        assert_eq!(leave_markets(&mut row, &fx.env(3), &mut spells), 1);
        assert_eq!(spells[0].end, 3);
    }

    #[test]
    fn a_market_maturing_in_profit_raises_orientation_once() {
        let fx = Fixture::new(|c| c.strategy.mature_rounds = 2);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        *row.ln_phi = 1.0;
        row.appeal[2] = 2.0;
        start_spell(&mut row, 2, 1);
        row.flags[2] |= flag::PROFIT;
        let mut spells = Vec::new();
        leave_markets(&mut row, &fx.env(1), &mut spells);
        assert_eq!(*row.eo, 0.5);
        leave_markets(&mut row, &fx.env(2), &mut spells);
        let raised = *row.eo;
        assert!(raised > 0.5);
        leave_markets(&mut row, &fx.env(3), &mut spells);
        assert_eq!(*row.eo, raised);
    }

    #[test]
    fn firms_die_of_insolvency_or_the_exogenous_hazard() {
        let fx = Fixture::new(|c| c.firms.death_rate = 0.0);
        let mut firms = fx.one_firm();
        let row = firms.row(0);
        assert!(!dies(&row, &fx.env(1)));
        *row.cash = -fx.p.firms.credit_line - 0.01;
        assert!(dies(&row, &fx.env(1)));
        let certain = Fixture::new(|c| c.firms.death_rate = 1.0);
        let mut firms = certain.one_firm();
        assert!(dies(&firms.row(0), &certain.env(1)));
    }
}
