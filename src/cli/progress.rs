//! A progress bar per round and replication, as an [`Observer`] wrapped around
//! another. indicatif hides it when stderr is not a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use smesim::Scenario;
use smesim::engine::{Observer, RoundOutput};
use smesim::model::{FirmRecord, World};
use smesim::output::read::{RunTables, TableCollector};

/// Run `scenario` on `pool` with a progress bar, keeping its tables in memory.
pub fn tables_of(scenario: &Scenario, pool: &rayon::ThreadPool, quiet: bool) -> RunTables {
    let mut observer = Progress::new(TableCollector::new(scenario), scenario, quiet);
    let Ok(()) = pool.install(|| smesim::run(scenario, &mut observer));
    observer.done();
    observer.inner.finish()
}

/// Forwards everything to `inner` and ticks once per round.
pub struct Progress<O> {
    /// The observer doing the work.
    pub inner: O,
    bar: ProgressBar,
    replications: u32,
}

impl<O> Progress<O> {
    /// A bar over every round of every replication of `scenario`.
    pub fn new(inner: O, scenario: &Scenario, quiet: bool) -> Self {
        let sim = &scenario.config().simulation;
        let total = u64::from(sim.rounds) * u64::from(sim.replications);
        let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(total) };
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {msg} (eta {eta})")
                .expect("a valid template"),
        );
        Progress { inner, bar, replications: sim.replications }
    }

    /// Remove the bar.
    pub fn done(&self) {
        self.bar.finish_and_clear();
    }
}

impl<O: Observer> Observer for Progress<O> {
    type Error = O::Error;

    fn begin(&mut self, scenario: &Scenario, world: &World) -> Result<(), O::Error> {
        self.inner.begin(scenario, world)
    }

    fn round(&mut self, rep: u32, out: &RoundOutput) -> Result<(), O::Error> {
        self.bar.set_message(format!("replication {rep}/{} round {}", self.replications, out.round));
        self.bar.inc(1);
        self.inner.round(rep, out)
    }

    fn end_replication(&mut self, rep: u32, firms: &[FirmRecord]) -> Result<(), O::Error> {
        self.inner.end_replication(rep, firms)
    }
}
