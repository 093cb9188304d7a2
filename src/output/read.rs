//! A run's tables for analysis: read back from its output folder (`smesim
//! plot DIR` works from the CSV files alone), or kept in memory as the run goes
//! (`smesim validate` needs figures, not files).

use super::OutputError;
use super::tables::{FirmRow, MarketRow, ProgrammeRow, RoundRow, SpellRow};
use crate::engine::{Observer, RoundOutput};
use crate::model::{FirmRecord, World};
use crate::scenario::Scenario;
use serde::de::DeserializeOwned;
use std::convert::Infallible;
use std::path::{Path, PathBuf};

/// The tables of one run, as written.
#[derive(Clone, Debug)]
pub struct RunTables {
    /// The folder they came from.
    pub dir: PathBuf,
    /// `scenario.resolved.toml`.
    pub scenario: Scenario,
    /// `rounds.csv`.
    pub rounds: Vec<RoundRow>,
    /// `spells.csv`.
    pub spells: Vec<SpellRow>,
    /// `firms.csv`.
    pub firms: Vec<FirmRow>,
    /// `markets.csv`.
    pub markets: Vec<MarketRow>,
    /// `programmes.csv` (empty for a run without policy).
    pub programmes: Vec<ProgrammeRow>,
}

impl RunTables {
    /// Read the tables of the run in `dir`.
    pub fn read(dir: &Path) -> Result<Self, OutputError> {
        let resolved = dir.join("scenario.resolved.toml");
        if !resolved.is_file() {
            return Err(OutputError::NotARun(dir.to_path_buf()));
        }
        let scenario = Scenario::load(&resolved).map_err(|e| OutputError::Read(resolved.clone(), e.to_string()))?;
        Ok(RunTables {
            dir: dir.to_path_buf(),
            scenario,
            rounds: read_table(dir, "rounds.csv")?,
            spells: read_table(dir, "spells.csv")?,
            firms: read_table(dir, "firms.csv")?,
            markets: read_table(dir, "markets.csv")?,
            programmes: if dir.join("programmes.csv").is_file() {
                read_table(dir, "programmes.csv")?
            } else {
                Vec::new()
            },
        })
    }
}

/// An [`Observer`] that keeps the tables in memory, row for row as
/// [`RunWriter`](super::RunWriter) writes them (no panel).
pub struct TableCollector(RunTables);

impl TableCollector {
    /// Empty tables for a run of `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let empty = RunTables {
            dir: PathBuf::new(),
            scenario: scenario.clone(),
            rounds: Vec::new(),
            spells: Vec::new(),
            firms: Vec::new(),
            markets: Vec::new(),
            programmes: Vec::new(),
        };
        TableCollector(empty)
    }

    /// The tables of the finished run.
    pub fn finish(self) -> RunTables {
        self.0
    }
}

impl Observer for TableCollector {
    type Error = Infallible;

    fn begin(&mut self, _: &Scenario, world: &World) -> Result<(), Infallible> {
        self.0.markets.extend(world.markets.iter().map(MarketRow::new));
        Ok(())
    }

    fn round(&mut self, rep: u32, out: &RoundOutput) -> Result<(), Infallible> {
        let t = &mut self.0;
        t.rounds.extend(out.stats.iter().map(|s| RoundRow::new(rep, s)));
        t.spells.extend(out.spells.iter().map(|s| SpellRow::new(rep, s)));
        t.firms.extend(out.deaths.iter().map(|f| FirmRow::new(rep, f)));
        let config = t.scenario.config();
        t.programmes.extend(out.programmes.iter().map(|p| ProgrammeRow::new(rep, out.round, p, config)));
        Ok(())
    }

    fn end_replication(&mut self, rep: u32, firms: &[FirmRecord]) -> Result<(), Infallible> {
        self.0.firms.extend(firms.iter().map(|f| FirmRow::new(rep, f)));
        Ok(())
    }
}

/// Every row of `dir/name`; errors name the file and the record.
pub fn read_table<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<Vec<T>, OutputError> {
    let path = dir.join(name);
    let mut reader = csv::Reader::from_path(&path).map_err(|e| OutputError::Read(path.clone(), e.to_string()))?;
    reader.deserialize().map(|row| row.map_err(|e| OutputError::Read(path.clone(), e.to_string()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{RunWriter, prepare_dir};

    #[test]
    fn tables_kept_in_memory_equal_the_tables_read_back() {
        let s = Scenario::baseline()
            .with(|c| {
                (c.simulation.firms, c.simulation.rounds, c.simulation.burn_in) = (400, 12, 2);
                c.simulation.replications = 2;
            })
            .unwrap();
        let dir = std::env::temp_dir().join(format!("smesim-collector-{}", std::process::id()));
        prepare_dir(&dir, true).unwrap();
        let mut writer = RunWriter::new(&dir, &s).unwrap();
        crate::engine::run(&s, &mut writer).unwrap();
        writer.finish().unwrap();
        let read = RunTables::read(&dir).unwrap();
        let mut collector = TableCollector::new(&s);
        let Ok(()) = crate::engine::run(&s, &mut collector);
        let kept = collector.finish();
        // NaN != NaN (a group with no exporters has no mean HHI), so compare as printed
        let shown = |t: &RunTables| format!("{:?}", (&t.rounds, &t.spells, &t.firms, &t.markets, &t.programmes));
        assert_eq!(shown(&kept), shown(&read));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
