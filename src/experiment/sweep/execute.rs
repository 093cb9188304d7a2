//! Running one run of a sweep: a point's scenario, one replication, its figures.

use super::store::save_run;
use super::{RunId, Sweep, SweepError};
use crate::engine::{Observer, RoundOutput, run_replication};
use crate::model::{FirmRecord, World};
use crate::output::read::TableCollector;
use crate::scenario::ScenarioError;
use crate::validation::measures::measure;
use rayon::prelude::*;
use std::convert::Infallible;
use std::path::Path;

/// The sweep's outputs for `run`, in the order of `sweep.outputs` (NaN where
/// a figure is undefined, e.g. a survival share with no spells). Runs on the
/// current thread pool; the values depend on nothing but the sweep and `run`.
pub fn figures(sweep: &Sweep, run: RunId) -> Result<Vec<f64>, ScenarioError> {
    let scenario = sweep.scenario_at(run.point)?;
    let world = World::generate(&scenario);
    let alone = scenario.with(|c| c.simulation.replications = 1)?;
    let mut tables = AsFirst(TableCollector::new(&alone));
    let Ok(()) = tables.0.begin(&alone, &world);
    let Ok(()) = run_replication(&scenario, &world, run.replication, &mut tables);
    let measured = measure(&tables.0.finish());
    Ok(sweep.outputs.iter().map(|o| measured.get(o.as_str()).map_or(f64::NAN, |v| v[0])).collect())
}

/// Run `runs` on the current thread pool, saving each into `dir` as it
/// finishes (nothing is held back: a sweep's memory does not grow with its
/// runs) and calling `tick` after each. Stops at the first error.
pub fn run_all(sweep: &Sweep, dir: &Path, runs: &[RunId], tick: &(dyn Fn() + Sync)) -> Result<(), SweepError> {
    runs.par_iter().with_max_len(1).try_for_each(|run| {
        let figures = figures(sweep, *run)?;
        save_run(dir, sweep, *run, &figures)?;
        tick();
        Ok(())
    })
}

/// Reports a replication as replication 1, so the tables of one replication
/// read as a run of one.
struct AsFirst(TableCollector);

impl Observer for AsFirst {
    type Error = Infallible;

    fn round(&mut self, _: u32, output: &RoundOutput) -> Result<(), Infallible> {
        self.0.round(1, output)
    }

    fn end_replication(&mut self, _: u32, firms: &[FirmRecord]) -> Result<(), Infallible> {
        self.0.end_replication(1, firms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::sweep::Sweep;

    const SMALL: &str = r#"
replications = 2
outputs = ["exporter_share", "firm_survival_10"]
[scenario]
[scenario.simulation]
firms = 300
rounds = 14
burn_in = 2
replications = 2
[design]
kind = "grid"
[[parameter]]
key = "markets.entry_cost"
values = [0.5, 3.0]
"#;

    #[test]
    fn a_run_alone_gives_the_figures_of_its_replication_in_a_full_run() {
        let sweep = Sweep::from_toml_str(SMALL, "small.toml", Path::new(".")).unwrap();
        let scenario = sweep.scenario_at(1).unwrap();
        let full = measure(&crate::validation::tables(&scenario));
        for rep in 1..=2 {
            let alone = figures(&sweep, RunId { point: 1, replication: rep }).unwrap();
            assert_eq!(alone[0].to_bits(), full["exporter_share"][rep as usize - 1].to_bits());
            assert_eq!(alone[1].to_bits(), full["firm_survival_10"][rep as usize - 1].to_bits());
        }
    }

    #[test]
    fn higher_entry_costs_mean_fewer_exporters_at_the_same_draws() {
        let sweep = Sweep::from_toml_str(SMALL, "small.toml", Path::new(".")).unwrap();
        for rep in 1..=2 {
            let cheap = figures(&sweep, RunId { point: 0, replication: rep }).unwrap();
            let dear = figures(&sweep, RunId { point: 1, replication: rep }).unwrap();
            assert!(dear[0] < cheap[0], "replication {rep}: {dear:?} vs {cheap:?}");
        }
    }
}
