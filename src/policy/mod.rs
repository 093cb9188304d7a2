//! Institutions (model.md §3, phase 2): support programmes that select
//! participants within their budget and apply their instrument, and regional
//! innovation networks that admit members and run the services their funding
//! covers (seeds 002 and 004, `research/seed002_004.md` §3-4).
//!
//! The phase runs serially over the rows in order, before the firm pass; each
//! firm's draws come from its own policy streams (one sub-stream per programme
//! or network), so selection depends neither on threads nor on other phases'
//! draws, and a programme that selects nobody changes nothing.

pub mod eligibility;
pub mod instrument;
pub mod rin;
pub mod select;

use crate::model::aid::{self, Terms};
use crate::model::{Env, Firms, World};
use crate::scenario::{Programme, Rin, ScenarioFile};

/// Sub-streams of [`crate::engine::rng::Purpose::Policy`]: programme i selects
/// with `SELECT + i` and draws its effects with `EFFECT + i`; network j uses
/// `NETWORK + j` and `NETWORK_EFFECT + j`.
pub const SELECT: u32 = 0;
/// See [`SELECT`].
pub const EFFECT: u32 = 64;
/// See [`SELECT`].
pub const NETWORK: u32 = 128;
/// See [`SELECT`].
pub const NETWORK_EFFECT: u32 = 160;
/// Round coordinate of a firm's standing dispositions (awareness, willingness
/// to apply or join): drawn once, the same in every round.
pub const STANDING: u32 = u32::MAX;

/// What one programme or network did in one round.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgrammeRound {
    /// Position: programmes first, then networks.
    pub index: usize,
    /// Firms eligible (for a network: eligible non-members and members).
    pub eligible: u64,
    /// Eligible firms that knew of it and applied (for a network: members).
    pub applicants: u64,
    /// Firms selected (for a network: active members served).
    pub participants: u64,
    /// Money committed this round: grants at their ceiling, services at their
    /// cost (for a network: its funding).
    pub committed: f64,
    /// Money paid out this round, including grants made in earlier rounds.
    pub spent: f64,
}

/// A network and its target markets.
#[derive(Clone, Debug)]
pub struct Network {
    /// As written in the scenario.
    pub def: Rin,
    /// Per foreign market: does the network work on it?
    pub targets: Vec<bool>,
}

/// The scenario's programmes and networks, compiled against the world.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Programmes, as written (defaults filled).
    pub programmes: Vec<Programme>,
    /// Their terms, which the firm pass reads.
    pub terms: Vec<Terms>,
    /// Networks.
    pub networks: Vec<Network>,
}

impl Policy {
    /// Compile the programmes and networks of `p`.
    pub fn new(p: &ScenarioFile, world: &World) -> Self {
        Policy {
            programmes: p.policy.clone(),
            terms: aid::terms(p, world),
            networks: p
                .rin
                .iter()
                .map(|r| Network {
                    def: r.clone(),
                    targets: aid::target_mask(p, world, Some(&r.target_markets), r.target_distance),
                })
                .collect(),
        }
    }

    /// Programmes plus networks: the rows of each round's statistics.
    pub fn len(&self) -> usize {
        self.programmes.len() + self.networks.len()
    }

    /// No programme and no network.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Phase 2 of round `env.round`: networks admit members and serve them,
    /// then each programme selects and supports participants, in scenario order.
    pub fn phase(&self, firms: &mut Firms, env: &Env<'_>) -> Vec<ProgrammeRound> {
        let mut spent = vec![0.0; self.len()];
        let mut stats: Vec<ProgrammeRound> =
            (0..self.len()).map(|index| ProgrammeRound { index, ..Default::default() }).collect();
        let np = self.programmes.len();
        for (j, net) in self.networks.iter().enumerate() {
            if within(env.round, net.def.start, net.def.duration) {
                rin::run(net, j, firms, env, &mut stats[np + j]);
            }
        }
        for (i, prog) in self.programmes.iter().enumerate() {
            if within(env.round, prog.start, prog.duration) {
                select::run(prog, i, firms, env, &mut spent, &mut stats[i]);
            }
        }
        for (s, x) in stats.iter_mut().zip(spent) {
            s.spent += x;
        }
        stats
    }
}

/// Is `round` within `duration` rounds from `start`?
pub fn within(round: u32, start: u32, duration: u32) -> bool {
    round >= start && round < start + duration
}

/// Can a live firm that was not born this round take part?
pub fn present_before(firms: &Firms, r: usize, round: u32) -> bool {
    firms.alive[r] && firms.birth[r] < round
}
