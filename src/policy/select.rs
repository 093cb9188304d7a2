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
    let unit = commitment(prog);
    for a in queue {
        if stats.committed + unit > prog.budget_per_round {
            break;
        }
        let mut row = firms.row(a.row);
        if instrument::affordable(prog, &row, env) {
            instrument::grant(prog, index, &env.aid[index], &mut row, env, spent);
            stats.committed += unit;
            stats.participants += 1;
        }
    }
}

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
/// nor while an expired guarantee still covers debt beyond its own line.
fn lever_free(kind: Instrument, row: &Row<'_>, env: &Env<'_>) -> bool {
    let aid = &*row.aid;
    match kind {
        Instrument::EntrySubsidy => !aid.entry.active(env.round),
        Instrument::StaySupport => !aid.stay.active(env.round),
        Instrument::ExportCredit => aid.credit.programme == 0,
        Instrument::Consultants => aid.lent_acap == 0.0,
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
