//! One replication: the population evolving round by round.
//!
//! Each round: (1) births and the environment (serial: market growth, rivals,
//! row allocation); (2) policy: programmes and networks select and support
//! firms (serial, in row order; skipped when there are none); then one parallel pass over fixed
//! chunks of rows in which every firm goes through networks, learning, entry,
//! operations, exit and observation, reading only the round's shared [`Env`];
//! finally a serial fold of the chunks' results in chunk order. Chunks are a
//! constant size, so neither results nor float sums depend on the thread count.

use super::observe::{FirmRound, PanelRow, RoundStats, Tally, track};
use super::rng::StreamKey;
use crate::model::firm::Chunk;
use crate::model::spell::{EndCause, Spell};
use crate::model::{
    Env, FirmRecord, Firms, Scratch, Strategy, Traits, World, aid, birth, entry, exit, learning, network, operations,
    product, productivity, rival,
};
use crate::policy::{Policy, ProgrammeRound};
use crate::scenario::Scenario;
use rayon::prelude::*;

/// Rows per chunk of the parallel pass. A constant: it fixes the order of float sums.
pub const CHUNK_ROWS: usize = 1024;

/// What one round produced.
#[derive(Clone, Debug, Default)]
pub struct RoundOutput {
    /// Round (1-based).
    pub round: u32,
    /// Figures for all firms, then per strategy when strategies are mixed.
    pub stats: Vec<RoundStats>,
    /// Spells that ended this round (in the last round, also the censored ones).
    pub spells: Vec<Spell>,
    /// Records of the firms that died this round, by id.
    pub deaths: Vec<FirmRecord>,
    /// Panel rows, when the panel is on.
    pub panel: Vec<PanelRow>,
    /// What each programme, then each network, did (empty without policy).
    pub programmes: Vec<ProgrammeRound>,
}

/// The state of one replication.
pub struct Replication<'a> {
    shared: Shared<'a>,
    firms: Firms,
    /// Id of the next newborn; ids are never reused.
    next_id: u32,
    /// Rows free for newborns, largest first (so `pop` gives the smallest).
    free: Vec<usize>,
    births_due: u32,
    groups: Vec<Strategy>,
}

/// What every firm reads in a round: settings, world, market state.
struct Shared<'a> {
    scenario: &'a Scenario,
    world: &'a World,
    traits: Traits,
    policy: Policy,
    key: StreamKey,
    round: u32,
    sizes: Vec<f64>,
}

impl Shared<'_> {
    fn env(&self) -> Env<'_> {
        Env::new(
            self.scenario.config(),
            self.world,
            &self.traits,
            &self.policy.terms,
            self.key,
            self.round,
            &self.sizes,
        )
    }

    /// Phase 1: a new round; markets grow.
    fn advance(&mut self) {
        self.round += 1;
        for (size, m) in self.sizes.iter_mut().zip(&self.world.markets) {
            *size *= 1.0 + m.growth;
        }
    }
}

/// A chunk's results, folded in chunk order.
#[derive(Default)]
struct ChunkOut {
    tallies: [Tally; 5],
    spells: Vec<Spell>,
    deaths: Vec<FirmRecord>,
    freed: Vec<usize>,
    panel: Vec<PanelRow>,
    spent: Vec<f64>,
}

impl<'a> Replication<'a> {
    /// Replication `rep` (1-based) of `scenario` in `world`, with its initial population.
    pub fn new(scenario: &'a Scenario, world: &'a World, rep: u32) -> Self {
        let p = scenario.config();
        let sh = &p.strategy.shares;
        let shares = [sh.waterfall, sh.sprinkler, sh.gradual, sh.network];
        let mixed = shares.iter().filter(|s| **s > 0.0).count() > 1;
        let groups = Strategy::ALL.into_iter().filter(|s| mixed && shares[s.index()] > 0.0).collect();
        let mut r = Replication {
            shared: Shared {
                scenario,
                world,
                traits: Traits::new(p),
                policy: Policy::new(p, world),
                key: StreamKey::new(p.simulation.seed, rep),
                round: 0,
                sizes: world.markets.iter().map(|m| m.size).collect(),
            },
            firms: Firms::new(world.foreign(), p.network.max_ties as usize),
            next_id: 0,
            free: Vec::new(),
            births_due: p.simulation.firms,
            groups,
        };
        r.allocate_births();
        let env = r.shared.env();
        r.firms.chunks_mut(CHUNK_ROWS).into_par_iter().for_each(|mut c| {
            let mut s = Scratch::new(env.markets());
            for i in 0..c.len {
                birth::born(&mut c.row(i), &env, &mut s);
            }
        });
        drop(env);
        r.births_due = p.firms.births_per_round;
        r
    }

    /// The current round (0 before the first step).
    pub fn round(&self) -> u32 {
        self.shared.round
    }

    /// The firm table (rows of live firms and of dead firms awaiting reuse).
    pub fn firms(&self) -> &Firms {
        &self.firms
    }

    /// Advance one round.
    pub fn step(&mut self) -> RoundOutput {
        self.shared.advance();
        self.allocate_births();
        let env = self.shared.env();
        let policy = &self.shared.policy;
        let programmes = if policy.is_empty() { Vec::new() } else { policy.phase(&mut self.firms, &env) };
        let panel = self.shared.scenario.config().output.panel;
        let outs: Vec<ChunkOut> =
            self.firms.chunks_mut(CHUNK_ROWS).into_par_iter().map(|mut c| firm_pass(&mut c, &env, panel)).collect();
        drop(env);
        self.fold(outs, programmes)
    }

    /// Records of the firms alive at the end, by id (call after the last round).
    /// The record column is kept and the rest of the table freed first, so the
    /// records are never held twice (at 10^5 firms a copy would add 104 bytes
    /// a firm to the run's peak memory).
    pub fn finish(mut self) -> Vec<FirmRecord> {
        let alive = std::mem::take(&mut self.firms.alive);
        let mut records = std::mem::take(&mut self.firms.record);
        drop(self);
        let mut live = alive.iter();
        records.retain(|_| *live.next().expect("one flag per row"));
        records.sort_unstable_by_key(|r| r.firm);
        records
    }

    /// Give each due newborn a fresh id, its index in this round's cohort, and a
    /// row (reusing dead firms' rows). Ids follow cohort order within a round.
    fn allocate_births(&mut self) {
        let round = self.shared.round;
        for cohort in 0..self.births_due {
            let row = self.free.pop().unwrap_or_else(|| self.firms.push_row());
            self.firms.id[row] = self.next_id;
            self.firms.birth[row] = round;
            self.firms.cohort[row] = cohort;
            self.firms.alive[row] = true;
            self.next_id += 1;
        }
    }

    /// Fold the chunks in order: figures, spells, records of births and deaths.
    fn fold(&mut self, outs: Vec<ChunkOut>, programmes: Vec<ProgrammeRound>) -> RoundOutput {
        let round = self.shared.round;
        let mut tallies = [Tally::default(); 5];
        let mut out = RoundOutput { round, programmes, ..Default::default() };
        let before = self.free.len();
        for c in outs {
            for (t, ct) in tallies.iter_mut().zip(&c.tallies) {
                t.merge(ct);
            }
            out.spells.extend(c.spells);
            out.deaths.extend(c.deaths);
            out.panel.extend(c.panel);
            self.free.extend(c.freed);
            for (p, x) in out.programmes.iter_mut().zip(c.spent) {
                p.spent += x;
            }
        }
        out.deaths.sort_unstable_by_key(|r| r.firm);
        let p = self.shared.scenario.config();
        let died = (self.free.len() - before) as u32;
        self.births_due = p.firms.births_per_round + if p.firms.replace_dead { died } else { 0 };
        self.free.sort_unstable_by(|a, b| b.cmp(a));
        out.stats.push(tallies[0].stats(round, None));
        out.stats.extend(self.groups.iter().map(|g| tallies[g.index() + 1].stats(round, Some(*g))));
        if round == p.simulation.rounds {
            self.censor(&mut out.spells);
        }
        out
    }

    /// At the end, every running spell is right-censored in the last round.
    fn censor(&mut self, spells: &mut Vec<Spell>) {
        let env = self.shared.env();
        for r in 0..self.firms.len() {
            if self.firms.alive[r] {
                exit::close_all(&mut self.firms.row(r), &env, EndCause::Censored, spells);
            }
        }
    }
}

/// Every live firm of a chunk goes through phases 1 and 3-8.
fn firm_pass(c: &mut Chunk<'_>, env: &Env<'_>, panel: bool) -> ChunkOut {
    let mut out = ChunkOut::default();
    let mut s = Scratch::with_programmes(env.markets(), env.aid.len());
    let start = c.start;
    for (i, mut row) in c.rows().enumerate() {
        if !*row.alive {
            continue;
        }
        let born = *row.birth == env.round;
        if born {
            birth::born(&mut row, env, &mut s);
        } else {
            aid::expire(&mut row, env);
            productivity::evolve(&mut row, env);
        }
        network::update_ties(&mut row, env);
        network::tie_sums(&row, &mut s.ties);
        learning::learn(&mut row, env, &mut s);
        let (entries, entry_cost) = entry::enter(&mut row, env, &mut s);
        product::diffuse(&mut row, env, &mut s.adoption);
        let sales = operations::operate(&mut row, env, &mut s);
        let exits = exit::leave_markets(&mut row, env, &mut out.spells);
        let died = exit::dies(&row, env);
        let fr = FirmRound { born, died, entries, entry_cost, exits, sales, market_sales: &s.sales };
        track(&mut row, &fr, env);
        if !died {
            rival::arrive(&mut row, env);
        }
        if died {
            aid::settle_at_death(&mut row, env, &mut s.spent);
            exit::close_all(&mut row, env, EndCause::FirmDeath, &mut out.spells);
            *row.alive = false;
            row.record.death = Some(env.round);
            out.deaths.push(*row.record);
            out.freed.push(start + i);
        }
        let spread = fr.spread();
        out.tallies[0].add(&fr, spread.as_ref());
        out.tallies[row.strategy.index() + 1].add(&fr, spread.as_ref());
        if panel {
            out.panel.push(PanelRow {
                round: env.round,
                firm: *row.id,
                alive: !died,
                productivity: row.ln_phi.exp(),
                home_sales: sales.home,
                export_sales: sales.exports,
                markets: fr.market_sales.iter().filter(|x| **x > 0.0).count() as u32,
                cash: *row.cash,
            });
        }
    }
    out.spent = s.spent;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(death_rate: f64) -> Scenario {
        Scenario::baseline()
            .with(|c| {
                c.simulation.firms = 3000;
                c.simulation.rounds = 5;
                c.simulation.burn_in = 1;
                c.firms.death_rate = death_rate;
            })
            .unwrap()
    }

    /// Traits at birth of the newborns of `round` (dead or alive: their rows are
    /// not reused before the next round), in cohort order.
    fn newborns(rep: &Replication<'_>, round: u32) -> Vec<(Strategy, f32, f32, f32)> {
        let f = rep.firms();
        let mut rows: Vec<usize> = (0..f.len()).filter(|r| f.birth[*r] == round).collect();
        rows.sort_by_key(|r| f.cohort[*r]);
        rows.iter().map(|r| f.record[*r]).map(|x| (x.strategy, x.eo, x.acap, x.productivity)).collect()
    }

    #[test]
    fn the_kth_newborn_of_a_round_is_the_same_firm_in_two_scenarios() {
        let (a, b) = (small(0.05), small(0.15));
        let (wa, wb) = (World::generate(&a), World::generate(&b));
        let (mut ra, mut rb) = (Replication::new(&a, &wa, 1), Replication::new(&b, &wb, 1));
        for _ in 0..2 {
            ra.step();
            rb.step();
        }
        let (na, nb) = (newborns(&ra, 2), newborns(&rb, 2));
        assert!(na.len() + 50 < nb.len(), "more deaths, more newborns: {} vs {}", na.len(), nb.len());
        assert!(na.len() > 50);
        assert_eq!(na[..], nb[..na.len()], "common random numbers hold for newborns");
    }

    #[test]
    fn dead_rows_are_reused_and_ids_never_are() {
        let s = small(0.2);
        let w = World::generate(&s);
        let mut r = Replication::new(&s, &w, 1);
        let mut ids = std::collections::BTreeSet::new();
        for _ in 0..5 {
            let out = r.step();
            for d in &out.deaths {
                assert!(ids.insert(d.firm), "firm {} died twice", d.firm);
            }
        }
        assert_eq!(r.firms().len(), 3000, "replacement keeps the rows in use");
        for f in r.finish() {
            assert!(ids.insert(f.firm), "survivor {} also died", f.firm);
        }
    }

    #[test]
    fn finish_gives_the_live_firms_records_by_id() {
        let s = small(0.2);
        let w = World::generate(&s);
        let mut r = Replication::new(&s, &w, 1);
        for _ in 0..3 {
            r.step();
        }
        let f = r.firms();
        let mut live: Vec<u32> = (0..f.len()).filter(|i| f.alive[*i]).map(|i| f.record[i].firm).collect();
        live.sort_unstable();
        assert!(live.len() < f.len(), "some rows wait for a newborn");
        let ids: Vec<u32> = r.finish().iter().map(|x| x.firm).collect();
        assert_eq!(ids, live);
    }
}
