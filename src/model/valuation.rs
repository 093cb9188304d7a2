//! What a market is worth to a firm over its horizon: the sum of the profits it
//! expects there in the next `entry.horizon` rounds, discounted at
//! `entry.discount_rate`, with demand following the product's projected
//! adoption and life cycle. Entry weighs it against the sunk cost; a firm
//! already in a market stays while it is not negative (the sunk cost is sunk).

use super::Env;
use super::firm::Row;
use super::operations::{expected_sales, profit};
use super::product::{bass_step, is_plain, lead, life_cycle};

/// Profit expected from market `m` over the horizon, starting in round
/// `first`, for a spell begun in `start` and an appeal of `appeal`; `scale`
/// is the firm's [`productivity_scale`](super::operations::productivity_scale).
pub fn horizon_value(row: &Row<'_>, env: &Env<'_>, m: usize, appeal: f64, start: u32, first: u32, scale: f64) -> f64 {
    let (e, p) = (&env.p.entry, &env.p.product);
    let full = expected_sales(row, env, m, appeal, start, scale);
    if is_plain(p) && e.discount_rate == 0.0 {
        return e.horizon * profit(env, m, full);
    }
    let beta = 1.0 / (1.0 + e.discount_rate);
    let whole = e.horizon.floor() as u32;
    let part = e.horizon - f64::from(whole);
    let lead = if p.diffusion { lead(row, env, m) } else { 0.0 };
    let mut adoption = if row.present(m) { row.adoption(m) } else { 0.0 };
    let (mut total, mut weight) = (0.0, 1.0);
    for s in 0..=whole {
        let share_of_round = if s < whole { 1.0 } else { part };
        if share_of_round == 0.0 {
            break;
        }
        adoption = if p.diffusion { bass_step(adoption, p, lead) } else { 1.0 };
        let demand = adoption * life_cycle(p, first + s - *row.birth);
        total += share_of_round * weight * profit(env, m, full * demand);
        weight *= beta;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::Fixture;
    use crate::model::operations::productivity_scale;

    fn value(fx: &Fixture) -> f64 {
        let mut firms = fx.one_firm();
        let row = firms.row(0);
        *row.ln_phi = 1.0;
        horizon_value(&row, &fx.env(1), 2, 2.0, 1, 1, productivity_scale(&row, &fx.env(1)))
    }

    #[test]
    fn without_product_dynamics_it_is_horizon_times_profit() {
        let fx = Fixture::new(|_| {});
        let mut firms = fx.one_firm();
        let row = firms.row(0);
        *row.ln_phi = 1.0;
        let env = fx.env(1);
        let scale = productivity_scale(&row, &env);
        let per_round = profit(&env, 2, expected_sales(&row, &env, 2, 2.0, 1, scale));
        assert_eq!(horizon_value(&row, &env, 2, 2.0, 1, 1, scale), fx.p.entry.horizon * per_round);
    }

    #[test]
    fn discounting_slow_diffusion_and_a_short_life_cycle_each_lower_the_value() {
        let plain = value(&Fixture::new(|_| {}));
        assert!(value(&Fixture::new(|c| c.entry.discount_rate = 0.2)) < plain);
        assert!(value(&Fixture::new(|c| c.product.diffusion = true)) < plain);
        assert!(value(&Fixture::new(|c| c.product.life_cycle = 2)) < plain);
        let fast = value(&Fixture::new(|c| {
            c.product.diffusion = true;
            c.product.imitation = 1.0;
        }));
        assert!(fast > value(&Fixture::new(|c| c.product.diffusion = true)), "faster take-off is worth more");
    }
}
