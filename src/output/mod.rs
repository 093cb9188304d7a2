//! Writing a run's outputs: tidy CSV tables, the resolved scenario and the
//! manifest (model.md §5). Every file is written under a temporary name and
//! renamed when complete; the manifest comes last, so a folder with a manifest
//! holds a complete run. An existing result is never overwritten silently.

pub mod atomic;
pub mod manifest;
pub mod read;
pub mod tables;

pub use manifest::{Manifest, Program};

use crate::engine::{Observer, RoundOutput, RoundStats};
use crate::model::{FirmRecord, World};
use crate::scenario::Scenario;
use crate::scenario::ScenarioFile;
use atomic::AtomicFile;
use std::path::{Path, PathBuf};
use tables::{FirmRow, MarketRow, PanelOut, ProgrammeRow, RoundRow, SpellRow};

/// Every file smesim writes into an output folder, manifest last.
pub const OUTPUT_FILES: [&str; 8] = [
    "scenario.resolved.toml",
    "markets.csv",
    "rounds.csv",
    "spells.csv",
    "firms.csv",
    "panel.csv",
    "programmes.csv",
    "manifest.json",
];

/// Why outputs could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder holds files and `--force` was not given.
    #[error(
        "output folder `{}` already exists and is not empty; allowed: a new or empty folder \
         (choose another with --out, or pass --force to replace the results in it)",
        .0.display()
    )]
    NotEmpty(PathBuf),
    /// The path exists but is not a folder.
    #[error("output path `{}` exists and is not a folder; allowed: a folder path", .0.display())]
    NotAFolder(PathBuf),
    /// The folder holds no complete run.
    #[error(
        "`{}` holds no smesim run (no scenario.resolved.toml); allowed: a folder written by `smesim run`",
        .0.display()
    )]
    NotARun(PathBuf),
    /// A table or the scenario could not be read back.
    #[error("cannot read `{}`: {}", .0.display(), .1)]
    Read(PathBuf, String),
    /// An I/O error on a path.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl OutputError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        OutputError::Io { path: path.to_path_buf(), source }
    }
}

/// Write one row, naming the file if it fails (e.g. a full disk).
pub fn write_row<T: serde::Serialize>(w: &mut csv::Writer<AtomicFile>, row: T) -> Result<(), OutputError> {
    w.serialize(row).map_err(|e| {
        let path = w.get_ref().path().to_path_buf();
        match e.into_kind() {
            csv::ErrorKind::Io(source) => OutputError::Io { path, source },
            other => OutputError::Io { path, source: std::io::Error::other(format!("{other:?}")) },
        }
    })
}

/// Write `rows` as the CSV table `dir/name`, atomically; returns its path.
pub fn write_table<T: serde::Serialize>(
    dir: &Path,
    name: &str,
    rows: impl IntoIterator<Item = T>,
) -> Result<PathBuf, OutputError> {
    let mut w = table(dir, name)?;
    for row in rows {
        write_row(&mut w, row)?;
    }
    w.into_inner().map_err(|e| OutputError::io(dir, e.into_error()))?.commit()
}

/// Make `dir` ready for a run: create it, refuse a non-empty folder unless
/// `force`, and check that it is writable. With `force` the old manifest is
/// removed first, so an interrupted run cannot pass for a complete one.
pub fn prepare_dir(dir: &Path, force: bool) -> Result<(), OutputError> {
    if dir.exists() && !dir.is_dir() {
        return Err(OutputError::NotAFolder(dir.to_path_buf()));
    }
    std::fs::create_dir_all(dir).map_err(|e| OutputError::io(dir, e))?;
    let mut entries = std::fs::read_dir(dir).map_err(|e| OutputError::io(dir, e))?;
    if entries.next().is_some() {
        if !force {
            return Err(OutputError::NotEmpty(dir.to_path_buf()));
        }
        let manifest = dir.join("manifest.json");
        if manifest.exists() {
            std::fs::remove_file(&manifest).map_err(|e| OutputError::io(&manifest, e))?;
        }
    }
    let probe = dir.join(".smesim-write-test");
    std::fs::write(&probe, b"").map_err(|e| OutputError::io(dir, e))?;
    std::fs::remove_file(&probe).map_err(|e| OutputError::io(&probe, e))?;
    Ok(())
}

/// An [`Observer`] that writes the tables of a run into a prepared folder.
pub struct RunWriter {
    dir: PathBuf,
    resolved: String,
    markets: csv::Writer<AtomicFile>,
    rounds: csv::Writer<AtomicFile>,
    spells: csv::Writer<AtomicFile>,
    firms: csv::Writer<AtomicFile>,
    panel: Option<csv::Writer<AtomicFile>>,
    programmes: Option<csv::Writer<AtomicFile>>,
    config: ScenarioFile,
    last_round: u32,
    last_rounds: Vec<RoundStats>,
}

fn table(dir: &Path, name: &str) -> Result<csv::Writer<AtomicFile>, OutputError> {
    Ok(csv::Writer::from_writer(AtomicFile::create(dir, name)?))
}

impl RunWriter {
    /// Start writing `scenario`'s outputs into `dir` (see [`prepare_dir`]).
    pub fn new(dir: &Path, scenario: &Scenario) -> Result<Self, OutputError> {
        Ok(RunWriter {
            dir: dir.to_path_buf(),
            resolved: scenario.to_toml(),
            markets: table(dir, "markets.csv")?,
            rounds: table(dir, "rounds.csv")?,
            spells: table(dir, "spells.csv")?,
            firms: table(dir, "firms.csv")?,
            panel: scenario.config().output.panel.then(|| table(dir, "panel.csv")).transpose()?,
            programmes: scenario.config().has_policy().then(|| table(dir, "programmes.csv")).transpose()?,
            config: scenario.config().clone(),
            last_round: scenario.config().simulation.rounds,
            last_rounds: Vec::new(),
        })
    }

    /// All-firm figures of each replication's last round.
    pub fn last_rounds(&self) -> &[RoundStats] {
        &self.last_rounds
    }

    /// Commit every table and remove stale tables of an earlier run (e.g. a
    /// panel this run did not write). Returns the files written.
    pub fn finish(self) -> Result<Vec<PathBuf>, OutputError> {
        let mut written = vec![atomic::write_file(&self.dir, "scenario.resolved.toml", self.resolved.as_bytes())?];
        let tables =
            [Some(self.markets), Some(self.rounds), Some(self.spells), Some(self.firms), self.panel, self.programmes];
        for writer in tables.into_iter().flatten() {
            let file = writer.into_inner().map_err(|e| e.into_error()).map_err(|e| OutputError::io(&self.dir, e))?;
            written.push(file.commit()?);
        }
        for stale in OUTPUT_FILES {
            let path = self.dir.join(stale);
            if !written.contains(&path) && stale != "manifest.json" && path.exists() {
                std::fs::remove_file(&path).map_err(|e| OutputError::io(&path, e))?;
            }
        }
        Ok(written)
    }
}

/// Write `manifest.json` into `dir`, listing `files` relative to it. Call it
/// last: its presence marks the folder's outputs as complete.
pub fn write_manifest(dir: &Path, mut manifest: Manifest, files: &[PathBuf]) -> Result<PathBuf, OutputError> {
    manifest.files =
        files.iter().map(|p| p.strip_prefix(dir).unwrap_or(p).to_string_lossy().replace('\\', "/")).collect();
    let json = serde_json::to_string_pretty(&manifest).expect("a manifest serializes");
    atomic::write_file(dir, "manifest.json", format!("{json}\n").as_bytes())
}

impl Observer for RunWriter {
    type Error = OutputError;

    fn begin(&mut self, _: &Scenario, world: &World) -> Result<(), OutputError> {
        for m in &world.markets {
            write_row(&mut self.markets, MarketRow::new(m))?;
        }
        Ok(())
    }

    fn round(&mut self, rep: u32, out: &RoundOutput) -> Result<(), OutputError> {
        for s in &out.stats {
            write_row(&mut self.rounds, RoundRow::new(rep, s))?;
        }
        for s in &out.spells {
            write_row(&mut self.spells, SpellRow::new(rep, s))?;
        }
        for f in &out.deaths {
            write_row(&mut self.firms, FirmRow::new(rep, f))?;
        }
        if let Some(panel) = &mut self.panel {
            for p in &out.panel {
                write_row(panel, PanelOut::new(rep, p))?;
            }
        }
        if let Some(programmes) = &mut self.programmes {
            for p in &out.programmes {
                write_row(programmes, ProgrammeRow::new(rep, out.round, p, &self.config))?;
            }
        }
        if out.round == self.last_round {
            self.last_rounds.extend(out.stats.first().cloned());
        }
        Ok(())
    }

    fn end_replication(&mut self, rep: u32, firms: &[FirmRecord]) -> Result<(), OutputError> {
        for f in firms {
            write_row(&mut self.firms, FirmRow::new(rep, f))?;
        }
        Ok(())
    }
}
