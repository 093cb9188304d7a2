//! Reading a run's output folder back, for analysis and plots from the CSV
//! files alone (`smesim plot DIR`).

use super::OutputError;
use super::tables::{FirmRow, MarketRow, RoundRow, SpellRow};
use crate::scenario::Scenario;
use serde::de::DeserializeOwned;
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
        })
    }
}

/// Every row of `dir/name`; errors name the file and the record.
pub fn read_table<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<Vec<T>, OutputError> {
    let path = dir.join(name);
    let mut reader = csv::Reader::from_path(&path).map_err(|e| OutputError::Read(path.clone(), e.to_string()))?;
    reader.deserialize().map(|row| row.map_err(|e| OutputError::Read(path.clone(), e.to_string()))).collect()
}
