//! What each instrument does to a participant when it is selected
//! (`research/seed002_004.md` §3.1; model.md §3 phases 2-4). Grants are
//! stored on the firm and act in the firm pass ([`crate::model::aid`]);
//! services act at once:
//! - market information adds knowledge of each target market as learning
//!   does: `effect * acap * (eps + related) * (1 - K)` (004 l.171-185: what
//!   can be taught still has to be absorbed);
//! - trade fairs and brokering bring `Poisson(effect)` new ties in target
//!   markets, placed by size and distance like direct contacts (seed 000 L192;
//!   004 l.1420-1450, 1521-1533); at a fair the participant pays its share of
//!   the stand, `stand_cost / stand_size * (1 - subsidy_share)`;
//! - training and consultants close `effect` of the gap to full absorptive
//!   capacity; consultants' help is taken back when it ends, except the
//!   `internalized` share (seed 000, L1906-1924);
//! - an awareness campaign closes `effect` of the gap to full orientation
//!   (the attitudinal barrier, seed 002 l.1342-1352) and makes the firm aware
//!   of every programme.

use super::EFFECT;
use crate::engine::rng::{Purpose, Stream};
use crate::model::aid::{self, Grant, Terms};
use crate::model::firm::Row;
use crate::model::learning::related_knowledge;
use crate::model::network::add_tie;
use crate::model::{Env, pick};
use crate::scenario::{Instrument, Programme};
use rand_distr::{Distribution, Poisson};

/// Can the firm take part? A fair's participant must pay its share of the stand.
pub fn affordable(prog: &Programme, row: &Row<'_>, env: &Env<'_>) -> bool {
    prog.instrument != Instrument::TradeFair || *row.cash - stand_share(prog) >= -env.p.firms.credit_line
}

/// What a fair's participant pays itself.
fn stand_share(prog: &Programme) -> f64 {
    let stand = prog.stand_cost.expect("filled") / f64::from(prog.stand_size.expect("filled"));
    stand * (1.0 - prog.subsidy_share.expect("filled"))
}

/// Support the firm in row `row` with programme `index`.
pub fn grant(prog: &Programme, index: usize, terms: &Terms, row: &mut Row<'_>, env: &Env<'_>, spent: &mut [f64]) {
    let round = env.round;
    let rounds = prog.support_rounds.unwrap_or(1);
    let cost = prog.cost_per_firm.unwrap_or(0.0);
    let mut rng = env.key.sub_stream(row.entity(), round, Purpose::Policy, EFFECT + index as u32);
    match prog.instrument {
        Instrument::EntrySubsidy => {
            row.aid.entry = Grant::new(index, round, rounds, prog.max_per_firm.expect("filled"))
        }
        Instrument::StaySupport => row.aid.stay = Grant::new(index, round, rounds, prog.max_per_firm.expect("filled")),
        Instrument::ExportCredit => row.aid.credit = Grant::new(index, round, rounds, terms.effect),
        Instrument::MarketInformation => {
            inform(row, env, &terms.targets, terms.effect);
            aid::book(row, spent, index, cost);
        }
        Instrument::TradeFair => {
            let stand = prog.stand_cost.expect("filled") / f64::from(prog.stand_size.expect("filled"));
            *row.cash -= stand_share(prog);
            new_ties(row, env, &terms.targets, terms.effect, &mut rng);
            aid::book(row, spent, index, stand * prog.subsidy_share.expect("filled"));
        }
        Instrument::NetworkBrokering => {
            new_ties(row, env, &terms.targets, terms.effect, &mut rng);
            aid::book(row, spent, index, cost);
        }
        Instrument::Training | Instrument::Consultants => {
            let gain = terms.effect * (1.0 - *row.acap);
            *row.acap += gain;
            let lent = (1.0 - prog.internalized.expect("filled")) * gain;
            if lent > 0.0 {
                row.aid.lent_acap += lent as f32;
                row.aid.lent_until = (round + rounds - 1).min(u32::from(u16::MAX)) as u16;
            }
            aid::book(row, spent, index, cost);
        }
        Instrument::AwarenessCampaign => {
            *row.eo += terms.effect * (1.0 - *row.eo);
            row.aid.informed = true;
            aid::book(row, spent, index, cost);
        }
    }
    aid::mark_supported(row, Some(index), round);
}

/// Knowledge of each target market, learnt as from experience (scaled by
/// absorptive capacity and related knowledge).
pub fn inform(row: &mut Row<'_>, env: &Env<'_>, targets: &[bool], effect: f64) {
    let l = &env.p.learning;
    let gains: Vec<(usize, f64)> = (0..env.markets())
        .filter(|m| targets[*m])
        .map(|m| {
            let k = f64::from(row.knowledge[m]);
            (m, (effect * *row.acap * (l.lockout + related_knowledge(row, env, m)) * (1.0 - k)).min(1.0 - k))
        })
        .collect();
    for (m, gain) in gains {
        row.knowledge[m] = (f64::from(row.knowledge[m]) + gain).min(1.0) as f32;
    }
}

/// `Poisson(mean)` new ties in target markets, at the network's initial strength.
pub fn new_ties(row: &mut Row<'_>, env: &Env<'_>, targets: &[bool], mean: f64, rng: &mut Stream) {
    if mean <= 0.0 || !targets.contains(&true) {
        return;
    }
    let n: f64 = Poisson::new(mean).expect("positive mean").sample(rng);
    let weights = target_weights(env, targets);
    for _ in 0..n as usize {
        let m = pick(&weights, rng.uniform());
        add_tie(row, m, env.p.network.initial_strength as f32);
    }
}

/// Cumulative weights of direct contacts (size * exp(-distance / theta)),
/// zero outside the targets.
fn target_weights(env: &Env<'_>, targets: &[bool]) -> Vec<f64> {
    let mut acc = 0.0;
    let mut before = 0.0;
    env.direct_ties
        .iter()
        .zip(targets)
        .map(|(c, t)| {
            let w = c - before;
            before = *c;
            if *t {
                acc += w;
            }
            acc
        })
        .collect()
}
