//! The engine: runs replications of a scenario round by round and reports each
//! round to an [`Observer`]. It never opens a file or formats a number
//! (as ripgrep's searcher reports to a `Sink`).

pub mod observe;
pub mod replication;
pub mod rng;

pub use observe::{PanelRow, RoundStats};
pub use replication::{CHUNK_ROWS, Replication, RoundOutput};

use crate::model::{FirmRecord, Spell, World};
use crate::scenario::Scenario;
use std::convert::Infallible;

/// Receives what a run produces, in order: the world, then each replication's
/// rounds (with the records of firms that died in them), then the records of
/// the firms still alive at its end.
pub trait Observer {
    /// What can go wrong while observing (e.g. writing a file).
    type Error;

    /// Before the first replication.
    fn begin(&mut self, _scenario: &Scenario, _world: &World) -> Result<(), Self::Error> {
        Ok(())
    }

    /// After each round of replication `replication` (1-based).
    fn round(&mut self, replication: u32, output: &RoundOutput) -> Result<(), Self::Error>;

    /// After the last round of a replication: the firms alive at its end.
    fn end_replication(&mut self, _replication: u32, _firms: &[FirmRecord]) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Run every replication of `scenario`, reporting to `observer`.
/// Runs on the current rayon thread pool; results do not depend on its size.
pub fn run<O: Observer>(scenario: &Scenario, observer: &mut O) -> Result<(), O::Error> {
    let world = World::generate(scenario);
    observer.begin(scenario, &world)?;
    for rep in 1..=scenario.config().simulation.replications {
        run_replication(scenario, &world, rep, observer)?;
    }
    Ok(())
}

/// Run replication `rep` of `scenario` alone (its draws are those it has in a
/// full run), reporting its rounds and survivors to `observer`. Sweeps and
/// shards run replications one at a time, wherever they fall.
pub fn run_replication<O: Observer>(
    scenario: &Scenario,
    world: &World,
    rep: u32,
    observer: &mut O,
) -> Result<(), O::Error> {
    let mut r = Replication::new(scenario, world, rep);
    for _ in 0..scenario.config().simulation.rounds {
        let out = r.step();
        observer.round(rep, &out)?;
    }
    observer.end_replication(rep, &r.finish())
}

/// Everything a run produced, kept in memory (for library use and tests).
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// The world of markets.
    pub world: Option<World>,
    /// (replication, figures) for every round and group.
    pub rounds: Vec<(u32, RoundStats)>,
    /// (replication, spell) for every spell.
    pub spells: Vec<(u32, Spell)>,
    /// (replication, record) for every firm: the dead in order of death, then the survivors.
    pub firms: Vec<(u32, FirmRecord)>,
    /// (replication, row) when the panel is on.
    pub panel: Vec<(u32, PanelRow)>,
    /// (replication, round, what a programme or network did), with policy.
    pub programmes: Vec<(u32, u32, crate::policy::ProgrammeRound)>,
}

impl Observer for Results {
    type Error = Infallible;

    fn begin(&mut self, _: &Scenario, world: &World) -> Result<(), Infallible> {
        self.world = Some(world.clone());
        Ok(())
    }

    fn round(&mut self, rep: u32, out: &RoundOutput) -> Result<(), Infallible> {
        self.rounds.extend(out.stats.iter().map(|s| (rep, s.clone())));
        self.spells.extend(out.spells.iter().map(|s| (rep, *s)));
        self.firms.extend(out.deaths.iter().map(|f| (rep, *f)));
        self.panel.extend(out.panel.iter().map(|p| (rep, *p)));
        self.programmes.extend(out.programmes.iter().map(|p| (rep, out.round, p.clone())));
        Ok(())
    }

    fn end_replication(&mut self, rep: u32, firms: &[FirmRecord]) -> Result<(), Infallible> {
        self.firms.extend(firms.iter().map(|f| (rep, *f)));
        Ok(())
    }
}

impl Results {
    /// All-firm figures of the last round, one per replication.
    pub fn final_rounds(&self) -> Vec<&RoundStats> {
        let last = self.rounds.iter().map(|(_, s)| s.round).max().unwrap_or(0);
        self.rounds.iter().filter(|(_, s)| s.round == last && s.strategy.is_none()).map(|(_, s)| s).collect()
    }

    /// Mean of `f` over the replications' last rounds.
    pub fn final_mean(&self, f: impl Fn(&RoundStats) -> f64) -> f64 {
        let last = self.final_rounds();
        last.iter().map(|s| f(s)).sum::<f64>() / last.len() as f64
    }
}

/// Run `scenario` and keep every result in memory.
///
/// ```
/// use smesim::{Scenario, simulate};
/// let small = Scenario::baseline()
///     .with(|c| {
///         c.simulation.firms = 300;
///         c.simulation.rounds = 10;
///         c.simulation.burn_in = 2;
///         c.simulation.replications = 1;
///     })
///     .unwrap();
/// let results = simulate(&small);
/// let share = results.final_mean(|r| r.exporter_share);
/// assert!((0.0..=1.0).contains(&share));
/// ```
pub fn simulate(scenario: &Scenario) -> Results {
    let mut results = Results::default();
    match run(scenario, &mut results) {
        Ok(()) => results,
        Err(never) => match never {},
    }
}
