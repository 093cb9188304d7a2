//! What each instrument does to a participant when it is selected
//! (`research/seed002_004.md` §3.1; model.md §3 phases 2-4). Grants are
//! stored on the firm and act in the firm pass ([`crate::model::aid`]);
//! services act at once:
//! - market information adds knowledge of each target market,
//!   `effect * acap * (1 - K)`, but never beyond [`TAUGHT_CAP`]: objective
//!   knowledge can be taught and must be absorbed, experiential knowledge only
//!   comes from being there (004 l.171-185; the cap is seed002_004.md §3.1's
//!   `objective_cap` placeholder);
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
use super::select::commitment;
use crate::engine::rng::{Purpose, Stream};
use crate::model::aid::{self, Grant, Terms};
use crate::model::firm::Row;
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
            *row.cash -= stand_share(prog);
            new_ties(row, env, &terms.targets, terms.effect, &mut rng);
            aid::book(row, spent, index, commitment(prog));
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

/// The most market knowledge information alone can give.
pub const TAUGHT_CAP: f64 = 0.4;

/// Knowledge of each target market from information, scaled by absorptive
/// capacity, up to [`TAUGHT_CAP`] (knowledge above it is left as it is).
pub fn inform(row: &mut Row<'_>, env: &Env<'_>, targets: &[bool], effect: f64) {
    for m in (0..env.markets()).filter(|m| targets[*m]) {
        let k = f64::from(row.knowledge[m]);
        if k < TAUGHT_CAP {
            row.knowledge[m] = (k + effect * *row.acap * (1.0 - k)).min(TAUGHT_CAP) as f32;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Firms;
    use crate::model::fixture::Fixture;
    use crate::scenario::{MarketRef, Targets};

    fn with(kind: Instrument, change: impl FnOnce(&mut Programme)) -> Fixture {
        Fixture::with_programme(kind, change)
    }

    /// Grant the fixture's programme to every row of `firms` in `round`; returns what was spent.
    fn grant_all(fx: &Fixture, firms: &mut Firms, round: u32) -> f64 {
        let env = fx.env(round);
        let mut spent = vec![0.0];
        for r in 0..firms.len() {
            grant(&fx.p.policy[0], 0, &fx.aid[0], &mut firms.row(r), &env, &mut spent);
        }
        spent[0]
    }

    /// Per firm: is there a tie in market `m`?
    fn tied_in(firms: &mut Firms, m: usize) -> usize {
        (0..firms.len()).filter(|r| firms.row(*r).tie_strength_in(m) > 0.0).count()
    }

    /// Ties outside `targets`, all firms.
    fn ties_outside(firms: &mut Firms, targets: &[usize]) -> usize {
        (0..firms.len())
            .map(|r| {
                let row = firms.row(r);
                (0..row.tie_market.len())
                    .filter(|s| row.tie_strength[*s] > 0.0 && !targets.contains(&usize::from(row.tie_market[*s])))
                    .count()
            })
            .sum()
    }

    #[test]
    fn market_information_raises_knowledge_of_target_markets_only_and_more_with_capacity() {
        let fx = with(Instrument::MarketInformation, |p| {
            p.target_markets = Some(Targets::List(vec![MarketRef::Id(2), MarketRef::Id(3)]));
        });
        let mut firms = fx.firms(2);
        firms.acap[0] = 0.2;
        firms.acap[1] = 0.8;
        let spent = grant_all(&fx, &mut firms, 1);
        let n = fx.world.foreign();
        let (low, high) = firms.knowledge.split_at(n);
        for m in 0..n {
            let target = m == 1 || m == 2;
            assert_eq!(low[m] > 0.0, target, "market {m}");
            assert_eq!(high[m] > 0.0, target, "market {m}");
        }
        assert!(high[1] > 2.0 * low[1], "capacity 0.8 absorbs more than 0.2 does");
        assert!(firms.record[0].treated && firms.aid[0].taken == 1);
        assert!((spent - 2.0 * fx.p.policy[0].cost_per_firm.unwrap()).abs() < 1e-12);
    }

    #[test]
    fn network_brokering_adds_about_effect_ties_in_target_markets_only() {
        let fx = with(Instrument::NetworkBrokering, |p| {
            p.effect = Some(1.0);
            p.target_markets = Some(Targets::List(vec![MarketRef::Id(4)]));
        });
        let mut firms = fx.firms(1000);
        grant_all(&fx, &mut firms, 1);
        assert_eq!(ties_outside(&mut firms, &[3]), 0);
        let share = tied_in(&mut firms, 3) as f64 / 1000.0;
        let expected = 1.0 - (-1.0_f64).exp();
        assert!((share - expected).abs() < 0.05, "share with a tie {share}, Poisson(1) gives {expected}");
    }

    #[test]
    fn a_trade_fair_adds_ties_in_target_markets_and_charges_the_stand_share() {
        let fx = with(Instrument::TradeFair, |p| {
            p.effect = Some(2.0);
            p.target_markets = Some(Targets::List(vec![MarketRef::Id(5), MarketRef::Id(6)]));
        });
        let mut firms = fx.firms(500);
        let spent = grant_all(&fx, &mut firms, 1);
        assert_eq!(ties_outside(&mut firms, &[4, 5]), 0);
        let tied = (0..500).filter(|r| [4, 5].iter().any(|m| firms.row(*r).tie_strength_in(*m) > 0.0)).count();
        assert!(tied > 400, "{tied} of 500 met someone; Poisson(2) misses 14%");
        let p = &fx.p.policy[0];
        let stand = p.stand_cost.unwrap() / f64::from(p.stand_size.unwrap());
        let own = stand * (1.0 - p.subsidy_share.unwrap());
        assert!((firms.cash[0] - (2.0 - own)).abs() < 1e-12, "the participant pays its share");
        assert!((spent - 500.0 * (stand - own)).abs() < 1e-9, "the programme pays the rest");
        firms.cash[0] = -fx.p.firms.credit_line;
        assert!(!affordable(p, &firms.row(0), &fx.env(1)), "a firm at its line cannot pay a stand");
    }

    #[test]
    fn training_raises_capacity_for_good_while_consultants_gain_fades_after_their_rounds() {
        let train = with(Instrument::Training, |_| {});
        let mut firms = train.firms(1);
        grant_all(&train, &mut firms, 1);
        assert!((firms.acap[0] - 0.55).abs() < 1e-12, "closes 10% of the gap to 1");
        aid::expire(&mut firms.row(0), &train.env(5));
        assert!((firms.acap[0] - 0.55).abs() < 1e-12, "training lasts");

        let consult = with(Instrument::Consultants, |p| p.support_rounds = Some(2));
        let mut firms = consult.firms(1);
        grant_all(&consult, &mut firms, 1);
        assert!((firms.acap[0] - 0.55).abs() < 1e-12);
        aid::expire(&mut firms.row(0), &consult.env(2));
        assert!((firms.acap[0] - 0.55).abs() < 1e-12, "still there in round 2");
        aid::expire(&mut firms.row(0), &consult.env(3));
        let kept = 0.5 + 0.3 * 0.05;
        assert!((firms.acap[0] - kept).abs() < 1e-6, "only the internalized 30% stays: {}", firms.acap[0]);
    }

    #[test]
    fn an_awareness_campaign_raises_orientation_and_informs_of_every_programme() {
        let fx = with(Instrument::AwarenessCampaign, |p| p.effect = Some(0.2));
        let mut firms = fx.firms(1);
        grant_all(&fx, &mut firms, 1);
        assert!((firms.eo[0] - 0.6).abs() < 1e-12, "closes 20% of the gap to 1");
        assert!(firms.aid[0].informed);
    }
}
