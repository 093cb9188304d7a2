//! Networks (model.md §3, phase 3). New foreign ties arrive at a rate that rises
//! with orientation (Poisson(lambda_0 + lambda_eo * eo)); a tie is placed either by
//! direct search (weight size * exp(-distance / theta)) or, through a contact,
//! next to a market where the firm already has a tie (Chaney 2014). Ties decay,
//! grow while the firm does business in their market, and can bring an
//! unsolicited order. Strong ties are few (seed 000: 5-10), hence `max_ties`.

use super::firm::{Row, flag};
use super::{Env, pick};
use crate::engine::rng::{Purpose, Stream};
use rand_distr::{Distribution, Poisson};

/// Ties weaker than this are dropped.
const FORGOTTEN: f32 = 0.02;

/// Age ties, add new ones and draw this round's inbound orders.
pub fn update_ties(row: &mut Row<'_>, env: &Env<'_>) {
    let mut rng = env.key.stream(row.entity(), env.round, Purpose::Network);
    let n = &env.p.network;
    for f in row.flags.iter_mut() {
        *f &= !flag::ORDER;
    }
    // Ties age: every slot is worked out and the result kept where there is a
    // tie, so the pattern of empty slots costs no mispredicted branch.
    let (kept, growth) = (1.0 - n.tie_decay as f32, n.tie_growth as f32);
    for (s, &m) in row.tie_strength.iter_mut().zip(row.tie_market.iter()) {
        let decayed = *s * kept;
        let grown =
            if row.flags[usize::from(m)] & flag::PRESENT != 0 { decayed + growth * (1.0 - decayed) } else { decayed };
        let aged = if grown < FORGOTTEN { 0.0 } else { grown };
        *s = if *s > 0.0 { aged } else { *s };
    }
    let rate = n.tie_rate + n.tie_rate_eo * *row.eo;
    if rate > 0.0 {
        let new: f64 = Poisson::new(rate).expect("positive rate").sample(&mut rng);
        for _ in 0..new as usize {
            let m = place_tie(row, env, &mut rng);
            add_tie(row, m, n.initial_strength as f32);
        }
    }
    for (&s, &m) in row.tie_strength.iter().zip(row.tie_market.iter()) {
        if s > 0.0 && rng.uniform() < n.order_rate * f64::from(s) {
            row.flags[usize::from(m)] |= flag::ORDER;
        }
    }
}

/// The market of a new tie: near an existing contact with chance `remote_share`,
/// else by direct search.
fn place_tie(row: &Row<'_>, env: &Env<'_>, rng: &mut Stream) -> usize {
    let held = || (0..row.tie_strength.len()).filter(|s| row.tie_strength[*s] > 0.0);
    let count = held().count();
    let (u_mode, u_contact, u_market) = (rng.uniform(), rng.uniform(), rng.uniform());
    if count > 0 && u_mode < env.p.network.remote_share {
        let contact = held().nth(((u_contact * count as f64) as usize).min(count - 1)).expect("k < count");
        let origin = usize::from(row.tie_market[contact]);
        let m = env.markets();
        pick(&env.remote_ties[origin * m..(origin + 1) * m], u_market)
    } else {
        pick(&env.direct_ties, u_market)
    }
}

/// Strengthen the tie in `m`, or take a free slot, or replace the weakest tie
/// if the new one is stronger. One pass: the first tie in `m`, else the first
/// of the weakest slots.
pub fn add_tie(row: &mut Row<'_>, m: usize, strength: f32) {
    let mut weakest = 0;
    for (slot, (&s, &market)) in row.tie_strength.iter().zip(row.tie_market.iter()).enumerate() {
        if s > 0.0 && usize::from(market) == m {
            let s = &mut row.tie_strength[slot];
            *s += strength * (1.0 - *s);
            return;
        }
        if s.total_cmp(&row.tie_strength[weakest]).is_lt() {
            weakest = slot;
        }
    }
    if row.tie_strength[weakest] < strength {
        row.tie_strength[weakest] = strength;
        row.tie_market[weakest] = m as u8;
    }
}

/// Sum of tie strength per foreign market into `out`. An empty slot adds
/// exactly nothing (+0 to a sum that is +0 or positive), so no slot is skipped
/// and the pattern of empty slots costs no mispredicted branch.
pub fn tie_sums(row: &Row<'_>, out: &mut [f64]) {
    out.fill(0.0);
    for (m, s) in row.tie_market.iter().zip(row.tie_strength.iter()) {
        out[usize::from(*m)] += if *s > 0.0 { f64::from(*s) } else { 0.0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::Fixture;

    fn ties_after(eo: f64, rounds: u32, fx: &Fixture) -> f64 {
        let mut total = 0.0;
        for id in 0..300 {
            let mut firms = fx.one_firm();
            let mut row = firms.row(0);
            *row.cohort = id;
            *row.eo = eo;
            for t in 1..=rounds {
                update_ties(&mut row, &fx.env(t));
            }
            total += row.tie_strength.iter().filter(|s| **s > 0.0).count() as f64;
        }
        total / 300.0
    }

    #[test]
    fn orientation_brings_more_ties() {
        let fx = Fixture::new(|_| {});
        assert!(ties_after(0.9, 5, &fx) > 1.5 * ties_after(0.1, 5, &fx));
    }

    #[test]
    fn ties_decay_without_business_and_are_capped() {
        let fx = Fixture::new(|c| {
            c.network.tie_rate = 0.0;
            c.network.tie_rate_eo = 0.0;
        });
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        add_tie(&mut row, 4, 0.5);
        update_ties(&mut row, &fx.env(1));
        assert!(row.tie_strength[0] < 0.5 && row.tie_strength[0] > 0.0);
        for t in 2..60 {
            update_ties(&mut row, &fx.env(t));
        }
        assert_eq!(row.tie_strength[0], 0.0, "an unused tie is eventually forgotten");

        let many = Fixture::new(|c| c.network.tie_rate = 5.0);
        let mut firms = many.one_firm();
        let mut row = firms.row(0);
        for t in 1..10 {
            update_ties(&mut row, &many.env(t));
        }
        assert!(row.tie_strength.iter().filter(|s| **s > 0.0).count() <= many.p.network.max_ties as usize);
    }

    #[test]
    fn strong_ties_bring_orders() {
        let fx = Fixture::new(|c| {
            c.network.tie_rate = 0.0;
            c.network.tie_rate_eo = 0.0;
            c.network.tie_decay = 0.0;
            c.network.order_rate = 0.5;
        });
        let mut orders = 0;
        for id in 0..400 {
            let mut firms = fx.one_firm();
            let mut row = firms.row(0);
            *row.cohort = id;
            add_tie(&mut row, 2, 1.0);
            update_ties(&mut row, &fx.env(1));
            orders += usize::from(row.flags[2] & flag::ORDER != 0);
        }
        assert!((150..250).contains(&orders), "{orders}");
    }

    #[test]
    fn contacts_of_contacts_land_near_existing_ties() {
        let fx = Fixture::new(|c| {
            c.network.tie_rate = 1.0;
            c.network.tie_rate_eo = 0.0;
            c.network.remote_share = 1.0;
        });
        let w = &fx.world;
        let origin = 0;
        let mut sim_remote = 0.0;
        let mut n = 0.0;
        for id in 0..300 {
            let mut firms = fx.one_firm();
            let mut row = firms.row(0);
            *row.cohort = id;
            add_tie(&mut row, origin, 1.0);
            update_ties(&mut row, &fx.env(1));
            for s in 0..row.tie_strength.len() {
                let m = usize::from(row.tie_market[s]);
                if row.tie_strength[s] > 0.0 && m != origin {
                    sim_remote += w.similarity(origin, m);
                    n += 1.0;
                }
            }
        }
        let mean_sim: f64 = (1..w.foreign()).map(|m| w.similarity(origin, m)).sum::<f64>() / (w.foreign() - 1) as f64;
        assert!(sim_remote / n > mean_sim, "{} vs {mean_sim}", sim_remote / n);
    }
}
