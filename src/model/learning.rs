//! Learning (model.md §3, phase 4; seed 000; Cohen & Levinthal 1990).
//!
//! `dK = acap * (e_exp * present + e_net * omega * ties) * (eps + related) * (1 - K)`,
//! with `related = max(K, max_m' sim(m, m') K_m', psi * G)`: learning needs
//! related knowledge, so with a small `eps` a firm with none is locked out.
//! Knowledge decays while the firm is absent; general knowledge grows with what
//! is learned.
//!
//! The capacity framework (seed 000, §1.4): `coupled` (default) lets the
//! components reinforce each other: exporting builds absorptive capacity and
//! capacity raises the use made of ties (omega = net_use + use_from_acap * acap).
//! `additive` keeps capacity and network use fixed, each adding on its own.

use super::firm::{Row, flag};
use super::{Env, Scratch, marked};
use crate::scenario::Capacity;

/// Ignore knowledge below this when looking for related knowledge.
const KNOWN: f32 = 0.01;

/// Conscious use of the network (omega), after the capacity coupling.
pub fn network_use(row: &Row<'_>, env: &Env<'_>) -> f64 {
    match env.p.learning.capacity {
        Capacity::Coupled => (*row.net_use + env.p.network.use_from_acap * *row.acap).min(1.0),
        Capacity::Additive => *row.net_use,
    }
}

/// Update market knowledge, general knowledge and (coupled) absorptive capacity.
/// Reads the tie strength per market from `s.ties` (see [`Scratch::ties`]).
///
/// Most markets are inert (no knowledge, not served, no tie): their knowledge
/// would stay exactly zero, so only the others are visited. A first pass marks
/// them, and the markets whose knowledge counts as related knowledge, as bits
/// (without a branch per market, which a firm's pattern of markets would
/// mispredict); the known markets' knowledge is copied to `s.known`, since
/// what a market learns reads the others' knowledge as it was before this
/// round; then each active market's knowledge is updated in turn.
pub fn learn(row: &mut Row<'_>, env: &Env<'_>, s: &mut Scratch) {
    let l = &env.p.learning;
    let mut flags_seen = 0;
    let words = row.knowledge.chunks(64).zip(row.flags.chunks(64)).zip(s.ties.chunks(64));
    for (((knowledge, flags), ties), (active, known)) in words.zip(s.marked.iter_mut().zip(&mut s.known_bits)) {
        let (mut active_bits, mut known_bits) = (0u64, 0u64);
        // From the last market down, shifting: market b ends at bit b.
        for ((&k, &f), &ties) in knowledge.iter().zip(flags).zip(ties).rev() {
            flags_seen |= f;
            let inert = u64::from(k.to_bits()) | u64::from(f & flag::PRESENT) | ties.to_bits() == 0;
            active_bits = active_bits << 1 | u64::from(!inert);
            known_bits = known_bits << 1 | u64::from(k > KNOWN);
        }
        (*active, *known) = (active_bits, known_bits);
    }
    s.known.clear();
    for j in marked(&s.known_bits) {
        s.known.push((j, f64::from(row.knowledge[j])));
    }
    let general = l.general_weight * *row.general;
    let (from_ties, keep, acap) = (l.network * network_use(row, env), 1.0 - l.decay, *row.acap);
    let mut learned = 0.0;
    for m in marked(&s.marked) {
        let present = row.flags[m] & flag::PRESENT != 0;
        let input = l.experience * if present { 1.0 } else { 0.0 } + from_ties * s.ties[m];
        let before = f64::from(row.knowledge[m]);
        let mut gain = 0.0;
        if input > 0.0 {
            let related = related(&s.known, env.world.similarity_row(m), before.max(general));
            gain = (acap * input * (l.lockout + related) * (1.0 - before)).min(1.0 - before);
            learned += gain;
        }
        let kept = if present { before } else { before * keep };
        row.knowledge[m] = (kept + gain).min(1.0) as f32;
    }
    *row.general = (*row.general + l.general_growth * learned * (1.0 - *row.general)).min(1.0);
    if l.capacity == Capacity::Coupled {
        *row.acap = if flags_seen & flag::PRESENT != 0 {
            *row.acap + l.acap_growth * (1.0 - *row.acap)
        } else {
            *row.acap * (1.0 - l.acap_decay)
        };
    }
}

/// The related knowledge market `m` draws on: the largest of `floor` (at
/// least K_m) and sim(m, j) K_j over the `known` markets j (with K_j) other
/// than m; `similarity` is m's row of the similarity matrix.
///
/// m itself is not skipped, which spares a branch: its term sim(m, m) K_m is
/// exactly K_m (sim(m, m) = exp(-0) = 1), at most the running maximum, so
/// the maximum is the same number.
#[inline]
fn related(known: &[(usize, f64)], similarity: &[f64], floor: f64) -> f64 {
    known.iter().map(|&(j, k)| similarity[j] * k).fold(floor, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::firm::flag;
    use crate::model::fixture::Fixture;
    use crate::model::network::{add_tie, tie_sums};

    /// Knowledge of market 3 after `rounds` rounds present there.
    fn knowledge_from_experience(fx: &Fixture, acap: f64, rounds: u32) -> f32 {
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        *row.acap = acap;
        row.flags[3] = flag::PRESENT;
        let mut s = Scratch::new(fx.world.foreign());
        for t in 1..=rounds {
            learn(&mut row, &fx.env(t), &mut s);
        }
        row.knowledge[3]
    }

    #[test]
    fn more_absorptive_capacity_learns_faster_from_the_same_experience() {
        for capacity in [Capacity::Coupled, Capacity::Additive] {
            let fx = Fixture::new(|c| c.learning.capacity = capacity);
            assert!(knowledge_from_experience(&fx, 0.8, 3) > knowledge_from_experience(&fx, 0.2, 3));
        }
    }

    #[test]
    fn knowledge_decays_when_absent() {
        let fx = Fixture::new(|_| {});
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        row.knowledge[5] = 0.8;
        learn(&mut row, &fx.env(1), &mut Scratch::new(fx.world.foreign()));
        assert!(row.knowledge[5] < 0.8);
    }

    #[test]
    fn without_related_knowledge_a_firm_is_locked_out() {
        let slow = Fixture::new(|c| {
            c.learning.lockout = 0.01;
            c.learning.general_weight = 0.0;
        });
        let fast = Fixture::new(|c| c.learning.general_weight = 1.0);
        assert!(knowledge_from_experience(&slow, 0.5, 1) * 5.0 < knowledge_from_experience(&fast, 0.5, 1));
    }

    #[test]
    fn ties_teach_only_firms_that_use_them() {
        let fx = Fixture::new(|c| c.learning.capacity = Capacity::Additive);
        let learnt = |use_: f64| {
            let mut firms = fx.one_firm();
            let mut row = firms.row(0);
            *row.net_use = use_;
            add_tie(&mut row, 7, 0.8);
            let mut s = Scratch::new(fx.world.foreign());
            tie_sums(&row, &mut s.ties);
            learn(&mut row, &fx.env(1), &mut s);
            row.knowledge[7]
        };
        assert_eq!(learnt(0.0), 0.0);
        assert!(learnt(0.9) > 0.0);
    }

    #[test]
    fn coupled_capacity_grows_with_exporting_and_additive_stays_fixed() {
        for (capacity, grows) in [(Capacity::Coupled, true), (Capacity::Additive, false)] {
            let fx = Fixture::new(|c| c.learning.capacity = capacity);
            let mut firms = fx.one_firm();
            let mut row = firms.row(0);
            row.flags[0] = flag::PRESENT;
            learn(&mut row, &fx.env(1), &mut Scratch::new(fx.world.foreign()));
            assert_eq!(*row.acap > 0.5, grows, "{capacity:?}");
        }
    }

    #[test]
    fn coupled_capacity_raises_the_use_made_of_ties() {
        let fx = Fixture::new(|c| c.learning.capacity = Capacity::Coupled);
        let mut firms = fx.one_firm();
        let row = firms.row(0);
        let low = {
            *row.acap = 0.1;
            network_use(&row, &fx.env(1))
        };
        *row.acap = 0.9;
        assert!(network_use(&row, &fx.env(1)) > low);
    }

    #[test]
    fn learning_spills_over_to_similar_markets_knowledge() {
        let fx = Fixture::new(|c| {
            c.learning.lockout = 0.01;
            c.learning.general_weight = 0.0;
        });
        let w = &fx.world;
        let near = (1..w.foreign()).max_by(|a, b| w.similarity(0, *a).total_cmp(&w.similarity(0, *b))).unwrap();
        let learnt = |known: f32| {
            let mut firms = fx.one_firm();
            let mut row = firms.row(0);
            row.knowledge[near] = known;
            row.flags[0] = flag::PRESENT;
            learn(&mut row, &fx.env(1), &mut Scratch::new(w.foreign()));
            row.knowledge[0]
        };
        assert!(learnt(0.9) > 2.0 * learnt(0.0));
    }
}
