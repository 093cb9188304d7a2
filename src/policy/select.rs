//! Selection of a programme's participants: eligible firms that know of the
//! programme (`awareness`, or reached by a campaign or network) and apply
//! (`take_up`) are ordered by the selection rule and supported in that order
//! while the round's budget covers their commitment (seed 002 §3.1):
//! - `first_come`: proactive firms apply first (arrival `u * (1 - eo)`), so
//!   the informed and oriented get the money (high deadweight, an assumption
//!   after `research/seed002_004.md` §3.1);
//! - `lottery`: a uniform draw (broad support);
//! - `ranked`: the agency's noisy judgement of potential, log productivity plus
//!   `ranking_noise` times the applicants' sd of it times a standard normal
//!   (picking winners, seed 002 l.1551-1569).

use super::{ProgrammeRound, SELECT, STANDING, eligibility, instrument, present_before};
use crate::engine::rng::Purpose;
use crate::model::firm::Row;
use crate::model::{Env, Firms};
use crate::scenario::{Instrument, Programme, Selection, std_normal};

/// One applicant: its place in the queue (lower first), id (breaks ties) and row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Applicant {
    /// Queue key.
    pub key: f64,
    /// Firm id.
    pub firm: u32,
    /// Row in the firm table.
    pub row: usize,
}

/// Select and support programme `index`'s participants this round.
pub fn run(
    prog: &Programme,
    index: usize,
    firms: &mut Firms,
    env: &Env<'_>,
    spent: &mut [f64],
    stats: &mut ProgrammeRound,
) {
    let (eligible, queue) = applicants(prog, index, firms, env);
    stats.eligible = eligible;
    stats.applicants = queue.len() as u64;
    if prog.budget_per_round <= 0.0 {
        return;
    }
    let unit = commitment(prog);
    for a in queue {
        // n * unit, not a running sum, so rounding never drops the last firm the budget covers
        if (stats.participants + 1) as f64 * unit > prog.budget_per_round + BUDGET_SLACK {
            break;
        }
        let mut row = firms.row(a.row);
        if instrument::affordable(prog, &row, env) {
            instrument::grant(prog, index, &env.aid[index], &mut row, env, spent);
            stats.participants += 1;
        }
    }
    stats.committed = stats.participants as f64 * unit;
}

/// Rounding allowed when money is compared with a budget.
pub const BUDGET_SLACK: f64 = 1e-9;

/// What supporting one firm commits: a grant's ceiling, a guarantee's line,
/// the programme's part of a stand, or a service's unit cost.
pub fn commitment(prog: &Programme) -> f64 {
    let get = |x: Option<f64>| x.expect("defaults are filled when a scenario is validated");
    match prog.instrument {
        Instrument::EntrySubsidy | Instrument::StaySupport => get(prog.max_per_firm),
        Instrument::ExportCredit => get(prog.effect),
        Instrument::TradeFair => {
            get(prog.stand_cost) / f64::from(prog.stand_size.expect("filled")) * get(prog.subsidy_share)
        }
        _ => get(prog.cost_per_firm),
    }
}

/// The eligible count, and the applicants in the order the rule serves them.
pub fn applicants(prog: &Programme, index: usize, firms: &mut Firms, env: &Env<'_>) -> (u64, Vec<Applicant>) {
    let mut eligible = 0;
    let mut queue = Vec::new();
    let mut potential = Vec::new();
    for r in 0..firms.len() {
        if !present_before(firms, r, env.round) {
            continue;
        }
        let row = firms.row(r);
        if row.aid.taken & (1 << index) != 0 || !lever_free(prog.instrument, &row, env) {
            continue;
        }
        if !eligibility::eligible(&prog.eligibility, &row, env) {
            continue;
        }
        eligible += 1;
        let mut standing = env.key.sub_stream(row.entity(), STANDING, Purpose::Policy, SELECT + index as u32);
        let (aware, apply) = (standing.uniform(), standing.uniform());
        if !(row.aid.informed || aware < prog.awareness) || apply >= prog.take_up {
            continue;
        }
        let mut rng = env.key.sub_stream(row.entity(), env.round, Purpose::Policy, SELECT + index as u32);
        let key = match prog.selection {
            Selection::FirstCome => rng.uniform() * (1.0 - *row.eo),
            Selection::Lottery => rng.uniform(),
            Selection::Ranked => {
                potential.push((*row.ln_phi, std_normal(&mut rng)));
                0.0
            }
        };
        queue.push(Applicant { key, firm: *row.id, row: r });
    }
    if prog.selection == Selection::Ranked {
        let sd = spread(potential.iter().map(|p| p.0));
        for (a, (ln_phi, z)) in queue.iter_mut().zip(potential) {
            a.key = -(ln_phi + prog.ranking_noise * sd * z);
        }
    }
    queue.sort_by(|a, b| a.key.total_cmp(&b.key).then(a.firm.cmp(&b.firm)));
    (eligible, queue)
}

/// Can the firm hold another grant of this kind? Not while one is running,
/// nor while an expired guarantee still covers debt beyond its own line, nor
/// while consultants' capacity is on loan to it.
fn lever_free(kind: Instrument, row: &Row<'_>, env: &Env<'_>) -> bool {
    let aid = &*row.aid;
    match kind {
        Instrument::EntrySubsidy => !aid.entry.active(env.round),
        Instrument::StaySupport => !aid.stay.active(env.round),
        Instrument::ExportCredit => aid.credit.programme == 0,
        Instrument::Training | Instrument::Consultants => aid.lent_acap == 0.0,
        _ => true,
    }
}

/// Sample standard deviation (0 for fewer than two values).
fn spread(xs: impl Iterator<Item = f64>) -> f64 {
    let xs: Vec<f64> = xs.collect();
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return 0.0;
    }
    let mean = xs.iter().sum::<f64>() / n;
    (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::Fixture;
    use crate::scenario::Eligibility;

    fn with(kind: Instrument, change: impl FnOnce(&mut Programme)) -> Fixture {
        Fixture::with_programme(kind, change)
    }

    /// `n` firms whose orientation and log productivity spread evenly over (0, 1).
    fn spread_firms(fx: &Fixture, n: usize) -> Firms {
        let mut firms = fx.firms(n);
        for r in 0..n {
            let x = (r as f64 + 0.5) / n as f64;
            firms.eo[r] = x;
            firms.ln_phi[r] = (x * 7.0).fract();
        }
        firms
    }

    /// Run the fixture's programme in `round`; returns its statistics.
    fn run_in(fx: &Fixture, firms: &mut Firms, round: u32) -> ProgrammeRound {
        let mut stats = ProgrammeRound::default();
        let mut spent = vec![0.0];
        run(&fx.p.policy[0], 0, firms, &fx.env(round), &mut spent, &mut stats);
        stats
    }

    fn selected(firms: &Firms) -> Vec<usize> {
        (0..firms.len()).filter(|r| firms.aid[*r].taken & 1 != 0).collect()
    }

    fn mean(xs: impl Iterator<Item = f64>) -> f64 {
        let v: Vec<f64> = xs.collect();
        v.iter().sum::<f64>() / v.len() as f64
    }

    #[test]
    fn only_eligible_firms_are_selected() {
        let fx = with(Instrument::MarketInformation, |p| {
            p.eligibility = Eligibility { eo: Some([0.6, 1.0]), ..Default::default() };
        });
        let mut firms = spread_firms(&fx, 200);
        let stats = run_in(&fx, &mut firms, 1);
        assert_eq!(stats.eligible, 80);
        assert_eq!(stats.participants, 80, "the budget covers every eligible applicant");
        assert!(selected(&firms).iter().all(|r| firms.eo[*r] >= 0.6));
    }

    #[test]
    fn take_up_is_the_share_of_eligible_firms_that_apply() {
        let fx = with(Instrument::MarketInformation, |p| p.take_up = 0.3);
        let mut firms = fx.firms(2000);
        let (eligible, queue) = applicants(&fx.p.policy[0], 0, &mut firms, &fx.env(1));
        assert_eq!(eligible, 2000);
        let share = queue.len() as f64 / 2000.0;
        assert!((0.26..0.34).contains(&share), "{share} applied");
        let (_, again) = applicants(&fx.p.policy[0], 0, &mut firms, &fx.env(2));
        assert_eq!(queue.len(), again.len(), "willingness to apply is a standing disposition");
    }

    #[test]
    fn unaware_firms_do_not_apply_unless_a_campaign_or_network_informed_them() {
        let fx = with(Instrument::MarketInformation, |p| p.awareness = 0.4);
        let mut firms = fx.firms(2000);
        let (_, queue) = applicants(&fx.p.policy[0], 0, &mut firms, &fx.env(1));
        let share = queue.len() as f64 / 2000.0;
        assert!((0.36..0.44).contains(&share), "{share} knew of it");
        firms.aid.iter_mut().for_each(|a| a.informed = true);
        let (_, queue) = applicants(&fx.p.policy[0], 0, &mut firms, &fx.env(1));
        assert_eq!(queue.len(), 2000, "informed firms all know of it");
    }

    #[test]
    fn the_budget_caps_participants_times_commitment() {
        for (kind, budget) in
            [(Instrument::EntrySubsidy, 9.0), (Instrument::Training, 10.0), (Instrument::ExportCredit, 7.5)]
        {
            let fx = with(kind, |p| p.budget_per_round = budget);
            let mut firms = fx.firms(100);
            let stats = run_in(&fx, &mut firms, 1);
            let unit = commitment(&fx.p.policy[0]);
            assert_eq!(stats.participants, (budget / unit).floor() as u64, "{kind:?}");
            assert!(stats.committed <= budget && stats.committed + unit > budget, "{kind:?}: {}", stats.committed);
            assert_eq!(selected(&firms).len() as u64, stats.participants);
        }
    }

    #[test]
    fn ranking_without_noise_selects_the_most_productive_applicants() {
        let fx = with(Instrument::MarketInformation, |p| {
            p.selection = Selection::Ranked;
            p.ranking_noise = 0.0;
            p.budget_per_round = 20.0 * p.cost_per_firm.unwrap() + 1e-9;
        });
        let mut firms = spread_firms(&fx, 200);
        run_in(&fx, &mut firms, 1);
        let chosen = selected(&firms);
        assert_eq!(chosen.len(), 20);
        let mut phi = firms.ln_phi.clone();
        phi.sort_by(|a, b| b.total_cmp(a));
        assert!(chosen.iter().all(|r| firms.ln_phi[*r] >= phi[19]), "the top 20 by productivity");
    }

    #[test]
    fn first_come_favours_proactive_firms_and_a_lottery_does_not() {
        let mean_eo = |selection: Selection| {
            let fx = with(Instrument::MarketInformation, |p| {
                p.selection = selection;
                p.budget_per_round = 100.0 * p.cost_per_firm.unwrap() + 1e-9;
            });
            let mut firms = spread_firms(&fx, 500);
            run_in(&fx, &mut firms, 1);
            mean(selected(&firms).into_iter().map(|r| firms.eo[r]))
        };
        let first = mean_eo(Selection::FirstCome);
        let lottery = mean_eo(Selection::Lottery);
        assert!(first > 0.65, "first come: mean orientation {first} against 0.5 among applicants");
        assert!((lottery - 0.5).abs() < 0.07, "lottery: {lottery}");
    }

    #[test]
    fn a_firm_takes_part_in_a_programme_at_most_once() {
        let fx = with(Instrument::MarketInformation, |p| p.budget_per_round = 30.0 * p.cost_per_firm.unwrap() + 1e-9);
        let mut firms = fx.firms(50);
        assert_eq!(run_in(&fx, &mut firms, 1).participants, 30);
        let second = run_in(&fx, &mut firms, 2);
        assert_eq!((second.eligible, second.participants), (20, 20), "only those not yet served");
        assert_eq!(run_in(&fx, &mut firms, 3).participants, 0);
        assert_eq!(selected(&firms).len(), 50);
    }
}
