//! Regional innovation networks (seed 004; `research/seed002_004.md` §4.2).
//!
//! Each round a network admits eligible firms that are willing to join (a
//! standing draw below `take_up`), then runs the services its funding covers,
//! in the order listed, each at its cost. Each member takes part with chance
//! `engagement` (most members are dormant, 004 l.1695-1707). Active members:
//! - information: knowledge of the target markets, as a programme's
//!   (004 l.1776-1796), and awareness of every programme (the relay of the
//!   agencies' offers, 004 l.1562-1566);
//! - cooperation: general knowledge closes `effect` of its mean gap to the
//!   exporting members above it ("how successful exporters did it",
//!   004 l.1793-1794);
//! - brokering: `Poisson(effect)` ties in target markets, used with chance
//!   `exp(-own_network * own tie strength)`: firms with networks of their own
//!   use the network less for finding partners (004 l.2204-2245);
//! - joint stands: members who can pay `stand_cost / stand_size` meet
//!   `Poisson(effect)` new ties in target markets (004 l.1412-1450).

use super::{NETWORK, NETWORK_EFFECT, Network, ProgrammeRound, STANDING, eligibility, instrument, present_before};
use crate::engine::rng::Purpose;
use crate::model::aid;
use crate::model::firm::Row;
use crate::model::{Env, Firms};
use crate::scenario::ServiceKind;

/// Admit members and serve them for one round.
pub fn run(net: &Network, j: usize, firms: &mut Firms, env: &Env<'_>, stats: &mut ProgrammeRound) {
    let r = &net.def;
    let bit = 1u8 << j;
    let mut members = Vec::new();
    for i in 0..firms.len() {
        if !present_before(firms, i, env.round) {
            continue;
        }
        let row = firms.row(i);
        if row.aid.rins & bit == 0 {
            if !eligibility::eligible(&r.eligibility, &row, env) {
                continue;
            }
            stats.eligible += 1;
            let joins = env.key.sub_stream(row.entity(), STANDING, Purpose::Policy, NETWORK + j as u32).uniform();
            if joins >= r.take_up {
                continue;
            }
            row.aid.rins |= bit;
        } else {
            stats.eligible += 1;
        }
        members.push(i);
    }
    stats.applicants = members.len() as u64;
    stats.committed = r.funding_per_round;
    let running = services(net);
    stats.spent = running.iter().map(|s| r.service(*s).cost).sum();
    if running.is_empty() {
        return;
    }
    let exporters = exporters_knowledge(firms, &members);
    for i in members {
        let mut row = firms.row(i);
        let mut rng = env.key.sub_stream(row.entity(), env.round, Purpose::Policy, NETWORK_EFFECT + j as u32);
        if rng.uniform() >= r.engagement {
            continue;
        }
        for kind in &running {
            serve(net, *kind, &mut row, env, &exporters, &mut rng);
        }
        aid::mark_supported(&mut row, None, env.round);
        stats.participants += 1;
    }
}

/// The services the funding covers this round, in priority order: each runs
/// if what is left of the funding pays its cost.
pub fn services(net: &Network) -> Vec<ServiceKind> {
    let mut left = net.def.funding_per_round;
    let mut running = Vec::new();
    for kind in &net.def.services {
        let cost = net.def.service(*kind).cost;
        if cost <= left {
            left -= cost;
            running.push(*kind);
        }
    }
    running
}

/// General knowledge of the members that export, sorted, with suffix sums.
pub struct Exporters {
    sorted: Vec<f64>,
    suffix: Vec<f64>,
}

fn exporters_knowledge(firms: &mut Firms, members: &[usize]) -> Exporters {
    let mut sorted = Vec::new();
    for i in members {
        let row = firms.row(*i);
        if row.markets_served() > 0 {
            sorted.push(*row.general);
        }
    }
    sorted.sort_by(f64::total_cmp);
    let mut suffix = vec![0.0; sorted.len() + 1];
    for k in (0..sorted.len()).rev() {
        suffix[k] = suffix[k + 1] + sorted[k];
    }
    Exporters { sorted, suffix }
}

impl Exporters {
    /// Mean over exporting members of max(0, G_j - g).
    pub fn mean_gap(&self, g: f64) -> f64 {
        let n = self.sorted.len();
        if n == 0 {
            return 0.0;
        }
        let k = self.sorted.partition_point(|x| *x <= g);
        (self.suffix[k] - (n - k) as f64 * g) / n as f64
    }
}

fn serve(
    net: &Network,
    kind: ServiceKind,
    row: &mut Row<'_>,
    env: &Env<'_>,
    exporters: &Exporters,
    rng: &mut crate::engine::rng::Stream,
) {
    let r = &net.def;
    let effect = r.service(kind).effect;
    match kind {
        ServiceKind::Information => {
            instrument::inform(row, env, &net.targets, effect);
            row.aid.informed = true;
        }
        ServiceKind::Cooperation => {
            *row.general = (*row.general + effect * exporters.mean_gap(*row.general)).min(1.0);
        }
        ServiceKind::Brokering => {
            let own: f64 = row.tie_strength.iter().map(|s| f64::from(*s)).sum();
            if rng.uniform() < (-r.own_network * own).exp() {
                instrument::new_ties(row, env, &net.targets, effect, rng);
            }
        }
        ServiceKind::JointStands => {
            let share = r.stand_cost / f64::from(r.stand_size);
            if *row.cash - share >= -env.p.firms.credit_line {
                *row.cash -= share;
                instrument::new_ties(row, env, &net.targets, effect, rng);
            }
        }
    }
}
