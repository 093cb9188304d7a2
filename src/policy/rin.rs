//! Regional innovation networks (seed 004; `research/seed002_004.md` §4.2).
//!
//! Each round a network admits eligible firms that are willing to join (a
//! standing draw below `take_up`); each member takes part with chance
//! `engagement` (most members are dormant, 004 l.1695-1707). The network runs
//! the services its funding covers for all active members, in the order
//! listed, each at its cost per member served: thin funding runs only the
//! first (004 l.1912-1926, 2056-2080). Active members:
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
use crate::engine::rng::{Purpose, Stream};
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
    // each member's stream of the round: its first draw decides engagement, the rest serve it
    let active: Vec<(usize, Stream)> = members
        .into_iter()
        .filter_map(|i| {
            let entity = firms.row(i).entity();
            let mut rng = env.key.sub_stream(entity, env.round, Purpose::Policy, NETWORK_EFFECT + j as u32);
            (rng.uniform() < r.engagement).then_some((i, rng))
        })
        .collect();
    let running = services(net, active.len());
    if running.is_empty() {
        return;
    }
    let per_member: f64 = running.iter().map(|s| r.service(*s).cost).sum();
    stats.spent = per_member * active.len() as f64;
    stats.participants = active.len() as u64;
    let exporters = exporters_knowledge(firms, active.iter().map(|(i, _)| *i));
    for (i, mut rng) in active {
        let mut row = firms.row(i);
        for kind in &running {
            serve(net, *kind, &mut row, env, &exporters, &mut rng);
        }
        row.record.aid_received += per_member;
        aid::mark_supported(&mut row, None, env.round);
    }
}

/// The services the funding covers this round for `active` members, in
/// priority order: each runs if what is left of the funding pays its cost for
/// every active member.
pub fn services(net: &Network, active: usize) -> Vec<ServiceKind> {
    let mut left = net.def.funding_per_round;
    let mut running = Vec::new();
    for kind in &net.def.services {
        let cost = net.def.service(*kind).cost * active as f64;
        if active > 0 && cost <= left + super::select::BUDGET_SLACK {
            left -= cost;
            running.push(*kind);
        }
    }
    running
}

/// General knowledge of the active members that export, sorted, with suffix sums.
pub struct Exporters {
    sorted: Vec<f64>,
    suffix: Vec<f64>,
}

fn exporters_knowledge(firms: &mut Firms, members: impl Iterator<Item = usize>) -> Exporters {
    let mut sorted = Vec::new();
    for i in members {
        let row = firms.row(i);
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

fn serve(net: &Network, kind: ServiceKind, row: &mut Row<'_>, env: &Env<'_>, exporters: &Exporters, rng: &mut Stream) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry::start_spell;
    use crate::model::fixture::Fixture;
    use crate::model::network::add_tie;
    use crate::scenario::{MarketRef, Rin, Targets};

    /// A network with the scenario defaults, changed by `change`, working on
    /// foreign market 1 (0-based 0).
    fn network(fx: &Fixture, change: impl FnOnce(&mut Rin)) -> Network {
        let mut def: Rin = toml::from_str("id = \"rin\"\nduration = 10\nfunding_per_round = 1e6").unwrap();
        def.target_markets = Targets::List(vec![MarketRef::Id(1)]);
        change(&mut def);
        let targets = aid::target_mask(&fx.p, &fx.world, Some(&def.target_markets), None);
        Network { def, targets }
    }

    fn run_in(net: &Network, firms: &mut Firms, env: &Env<'_>) -> ProgrammeRound {
        let mut stats = ProgrammeRound::default();
        run(net, 0, firms, env, &mut stats);
        stats
    }

    #[test]
    fn take_up_is_the_share_of_eligible_firms_that_join() {
        let fx = Fixture::new(|_| {});
        let net = network(&fx, |r| r.take_up = 0.3);
        let mut firms = fx.firms(2000);
        let stats = run_in(&net, &mut firms, &fx.env(1));
        let members = firms.aid.iter().filter(|a| a.rins & 1 != 0).count();
        let share = members as f64 / 2000.0;
        assert!((0.26..0.34).contains(&share), "{share} joined");
        assert_eq!(stats.applicants, members as u64);
        let again = run_in(&net, &mut firms, &fx.env(2));
        assert_eq!(again.applicants, members as u64, "the same firms, who stay members");
    }

    #[test]
    fn funding_runs_the_services_it_covers_for_every_active_member_in_priority_order() {
        use ServiceKind::*;
        let fx = Fixture::new(|_| {});
        let running = |funding: f64, services: Vec<ServiceKind>, active: usize| {
            let net = network(&fx, |r| {
                r.funding_per_round = funding;
                r.services = services;
                r.information.cost = 0.2;
                r.cooperation.cost = 0.2;
                r.brokering.cost = 0.6;
                r.joint_stands.cost = 0.6;
            });
            super::services(&net, active)
        };
        let all = vec![Information, Cooperation, Brokering, JointStands];
        assert_eq!(running(10.0, all.clone(), 1), all);
        assert_eq!(running(1.1, all.clone(), 1), vec![Information, Cooperation, Brokering]);
        assert_eq!(running(1.1, all.clone(), 2), vec![Information, Cooperation], "twice the members, twice the cost");
        assert_eq!(running(0.5, all.clone(), 1), vec![Information, Cooperation]);
        assert_eq!(running(0.7, vec![Brokering, Information, Cooperation], 1), vec![Brokering]);
        assert_eq!(
            running(0.5, vec![Brokering, Information, Cooperation], 1),
            vec![Information, Cooperation],
            "a service too dear for what is left is skipped, cheaper ones after it still run"
        );
        assert_eq!(running(0.1, all.clone(), 1), vec![]);
        assert_eq!(running(10.0, all, 0), vec![], "no active member, nothing runs");
    }

    #[test]
    fn members_with_networks_of_their_own_use_brokering_less() {
        let fx = Fixture::new(|_| {});
        let net = network(&fx, |r| {
            r.take_up = 1.0;
            r.engagement = 1.0;
            r.services = vec![ServiceKind::Brokering];
            r.brokering.effect = 1.0;
        });
        let mut firms = fx.firms(2000);
        for r in 1000..2000 {
            let mut row = firms.row(r);
            for m in 5..9 {
                add_tie(&mut row, m, 0.5);
            }
        }
        run_in(&net, &mut firms, &fx.env(1));
        let mut share_tied = |rows: std::ops::Range<usize>| {
            let n = rows.len() as f64;
            rows.filter(|r| firms.row(*r).tie_strength_in(0) > 0.0).count() as f64 / n
        };
        let (alone, networked) = (share_tied(0..1000), share_tied(1000..2000));
        assert!(alone > 0.55, "without ties of their own: {alone}, Poisson(1) gives 0.63");
        assert!(networked < 0.25 * alone, "own ties of strength 2: {networked} against {alone}");
    }

    #[test]
    fn cooperation_brings_members_general_knowledge_towards_exporting_members() {
        let fx = Fixture::new(|_| {});
        let net = network(&fx, |r| {
            r.take_up = 1.0;
            r.engagement = 1.0;
            r.services = vec![ServiceKind::Cooperation];
            r.cooperation.effect = 0.1;
        });
        let mut firms = fx.firms(100);
        for r in 0..50 {
            start_spell(&mut firms.row(r), 3, 0);
            firms.general[r] = 0.8;
            firms.general[r + 50] = 0.1;
        }
        run_in(&net, &mut firms, &fx.env(1));
        assert!((firms.general[99] - (0.1 + 0.1 * 0.7)).abs() < 1e-9, "closes 10% of the gap of 0.7 to exporters");
        assert_eq!(firms.general[0], 0.8, "no exporter above them");
    }

    #[test]
    fn exporters_mean_gap_averages_the_shortfall_over_exporting_members_only() {
        let fx = Fixture::new(|_| {});
        let mut firms = fx.firms(4);
        for (r, g) in [0.9, 0.2, 0.5, 0.95].into_iter().enumerate() {
            firms.general[r] = g;
            if r < 3 {
                start_spell(&mut firms.row(r), 0, 0);
            }
        }
        let e = exporters_knowledge(&mut firms, [0, 1, 2, 3].into_iter());
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(e.mean_gap(0.0), 1.6 / 3.0), "the non-exporter's 0.95 does not count");
        assert!(close(e.mean_gap(0.4), (0.1 + 0.5) / 3.0));
        assert!(close(e.mean_gap(0.5), 0.4 / 3.0), "an equal exporter adds no gap");
        assert_eq!(e.mean_gap(0.95), 0.0);
        assert_eq!(exporters_knowledge(&mut firms, [3].into_iter()).mean_gap(0.0), 0.0, "no exporters, no gap");
    }
}
