//! Births (model.md §3, phase 1): a newborn draws its traits, its hidden appeal
//! of every foreign market and the markets its founder already knows.
//! Prior knowledge enters only as initial knowledge (seed 000's revised
//! framework removes it as a separate driver).

use super::firm::{FirmRecord, Row};
use super::{Env, Scratch, Strategy, pick};
use crate::engine::rng::{Purpose, Stream};
use crate::scenario::std_normal;
use rand_distr::{Distribution, Poisson};

/// Give row `row` (already holding its id and birth round) a newborn's state.
/// `s` lends a buffer for the appeal draws, so a birth allocates nothing.
pub fn born(row: &mut Row<'_>, env: &Env<'_>, s: &mut Scratch) {
    let mut rng = env.key.stream(row.entity(), *row.birth, Purpose::Birth);
    let t = env.traits;
    let u = rng.uniform();
    *row.strategy = Strategy::ALL[t.shares.iter().position(|c| u < *c).unwrap_or(3)];
    *row.ln_phi = t.productivity.sample(&mut rng);
    *row.eo = t.eo.sample(&mut rng);
    *row.acap = t.acap.sample(&mut rng);
    *row.general = t.general.sample(&mut rng);
    *row.net_use = t.net_use.sample(&mut rng);
    *row.cash = env.p.firms.initial_cash;
    *row.alive = true;
    *row.distinct = 0;
    *row.aid = super::aid::Aid::NONE;
    draw_appeal(row, env, &mut rng, &mut s.normals);
    row.knowledge.fill(0.0);
    row.adoption.fill(0);
    row.rival.fill(0);
    row.spell_start.fill(0);
    row.order.fill(0);
    row.losses.fill(0);
    row.flags.fill(0);
    row.tie_strength.fill(0.0);
    row.tie_market.fill(0);
    prior_markets(row, env, &mut rng);
    *row.record = FirmRecord::at_birth(row);
}

/// Appeal a = sd * L z (correlated across similar markets) and an independent
/// first-impression error per market; `z` is a buffer for the normals.
fn draw_appeal(row: &mut Row<'_>, env: &Env<'_>, rng: &mut Stream, z: &mut Vec<f64>) {
    let sd = env.p.entry.appeal_sd;
    z.clear();
    z.extend((0..env.markets()).map(|_| std_normal(rng)));
    env.world.correlate(z);
    for (a, z) in row.appeal.iter_mut().zip(z.iter()) {
        *a = (sd * z) as f32;
    }
    for b in row.bias.iter_mut() {
        *b = std_normal(rng) as f32;
    }
}

/// Markets the founder already knows, drawn like direct ties (near, large markets first).
fn prior_markets(row: &mut Row<'_>, env: &Env<'_>, rng: &mut Stream) {
    let f = &env.p.firms;
    if f.prior_markets <= 0.0 {
        return;
    }
    let n: f64 = Poisson::new(f.prior_markets).expect("validated").sample(rng);
    for _ in 0..(n as usize).min(env.markets()) {
        let m = pick(&env.direct_ties, rng.uniform());
        row.knowledge[m] = f.prior_knowledge as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::Fixture;

    #[test]
    fn strategies_follow_their_shares() {
        let fx = Fixture::new(|c| {
            c.strategy.shares = crate::scenario::Shares { waterfall: 0.7, sprinkler: 0.3, gradual: 0.0, network: 0.0 }
        });
        let env = fx.env(1);
        let mut firms = fx.one_firm();
        let mut counts = [0usize; 4];
        for id in 0..4000 {
            let mut row = firms.row(0);
            *row.cohort = id;
            *row.birth = 1;
            born(&mut row, &env, &mut Scratch::new(fx.world.foreign()));
            counts[row.strategy.index()] += 1;
        }
        assert_eq!(counts[2] + counts[3], 0);
        let share = counts[0] as f64 / 4000.0;
        assert!((share - 0.7).abs() < 0.03, "{share}");
    }

    #[test]
    fn founders_with_prior_markets_start_with_knowledge_there() {
        let fx = Fixture::new(|c| {
            c.firms.prior_markets = 3.0;
            c.firms.prior_knowledge = 0.6;
        });
        let env = fx.env(1);
        let mut firms = fx.one_firm();
        let mut known = 0;
        for id in 0..200 {
            let mut row = firms.row(0);
            *row.cohort = id;
            born(&mut row, &env, &mut Scratch::new(fx.world.foreign()));
            known += row.knowledge.iter().filter(|k| **k == 0.6).count();
        }
        assert!(known > 400, "{known}");
    }

    #[test]
    fn a_reused_row_starts_blank() {
        let fx = Fixture::new(|_| {});
        let env = fx.env(1);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        row.flags[3] = 0xff;
        row.tie_strength[0] = 0.9;
        *row.distinct = 4;
        born(&mut row, &env, &mut Scratch::new(fx.world.foreign()));
        assert!(row.flags.iter().all(|f| *f == 0));
        assert!(row.tie_strength.iter().all(|s| *s == 0.0));
        assert_eq!(*row.distinct, 0);
    }
}
