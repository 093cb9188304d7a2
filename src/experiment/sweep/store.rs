//! A sweep's folder while it runs: the resolved sweep, who wrote it
//! (`sweep.json`), and one file per finished run under `runs/`. A run's file
//! appears under its final name only when complete (written aside, synced,
//! renamed), so its presence is the run's completion marker: `--resume`
//! skips the runs whose file exists and redoes the rest. A shard's folder is
//! complete when its `manifest.json` exists; so is a whole sweep's, which
//! then holds the tables instead of `runs/`.

use super::{RunId, Shard, Sweep};
use crate::output::atomic::write_file;
use crate::output::{OutputError, Program};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The resolved sweep, in every sweep and shard folder.
pub const RESOLVED: &str = "sweep.resolved.toml";
/// Which sweep, program and shard a folder belongs to.
pub const IDENTITY: &str = "sweep.json";
/// The folder of finished runs.
pub const RUNS: &str = "runs";
/// Written last: the folder is complete.
pub const MANIFEST: &str = "manifest.json";

/// `sweep.json`: what a folder's runs belong to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// SHA-256 of the resolved sweep and the program's version line.
    pub sweep: String,
    /// The program's version line ([`Program::id`]).
    pub program: String,
    /// This folder's shard, from 1.
    pub shard: u32,
    /// Number of shards.
    pub shards: u32,
}

impl Identity {
    /// The identity of `shard` of `sweep` run by this program.
    pub fn of(sweep: &Sweep, shard: Shard) -> Self {
        let program = Program::current().id();
        Identity { sweep: hash(sweep.to_toml(), &program), program, shard: shard.index, shards: shard.count }
    }

    /// Read `dir/sweep.json`.
    pub fn read(dir: &Path) -> Result<Self, OutputError> {
        let path = dir.join(IDENTITY);
        let text = std::fs::read_to_string(&path).map_err(|e| OutputError::Read(path.clone(), e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| OutputError::Read(path, e.to_string()))
    }

    /// Write `dir/sweep.json` and the resolved sweep.
    pub fn write(&self, dir: &Path, sweep: &Sweep) -> Result<(), OutputError> {
        write_file(dir, RESOLVED, sweep.to_toml().as_bytes())?;
        let json = serde_json::to_string_pretty(self).expect("an identity serializes");
        write_file(dir, IDENTITY, format!("{json}\n").as_bytes())?;
        Ok(())
    }

    /// This shard's runs.
    pub fn shard(&self) -> Shard {
        Shard { index: self.shard, count: self.shards }
    }
}

/// SHA-256 (hex) of a resolved sweep and a program's version line.
pub fn hash(resolved: &str, program: &str) -> String {
    let digest = Sha256::new().chain_update(resolved).chain_update("\n").chain_update(program).finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The file of `run` in a sweep or shard folder.
pub fn run_file(dir: &Path, run: RunId) -> PathBuf {
    dir.join(RUNS).join(format!("p{}-r{}.csv", run.point, run.replication))
}

/// One finished run as its row of `runs.csv`: point, replication, the
/// parameters' values, the outputs (shortest text that reads back exactly).
pub fn run_row(sweep: &Sweep, run: RunId, figures: &[f64]) -> String {
    let cells = [run.point.to_string(), run.replication.to_string()]
        .into_iter()
        .chain(sweep.design.points[run.point].iter().chain(figures).map(f64::to_string));
    cells.collect::<Vec<_>>().join(",") + "\n"
}

/// Save a finished run atomically.
pub fn save_run(dir: &Path, sweep: &Sweep, run: RunId, figures: &[f64]) -> Result<PathBuf, OutputError> {
    write_file(
        &dir.join(RUNS),
        &run_file(dir, run).file_name().expect("a file name").to_string_lossy(),
        run_row(sweep, run, figures).as_bytes(),
    )
}

/// A finished run read back: its row and its outputs. Checks that the file
/// holds this run of this sweep.
pub fn load_run(dir: &Path, sweep: &Sweep, run: RunId) -> Result<(String, Vec<f64>), OutputError> {
    let path = run_file(dir, run);
    let row = std::fs::read_to_string(&path).map_err(|e| OutputError::Read(path.clone(), e.to_string()))?;
    let cells: Vec<&str> = row.trim_end().split(',').collect();
    let width = 2 + sweep.parameters.len() + sweep.outputs.len();
    let ours = cells.len() == width
        && cells[0] == run.point.to_string()
        && cells[1] == run.replication.to_string()
        && row.ends_with('\n');
    let figures: Option<Vec<f64>> = cells.iter().skip(2 + sweep.parameters.len()).map(|c| c.parse().ok()).collect();
    match figures {
        Some(f) if ours => Ok((row, f)),
        _ => Err(OutputError::Read(path, format!("not run {} of point {} of this sweep", run.replication, run.point))),
    }
}

/// How to treat a folder that already holds files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Refuse it.
    Refuse,
    /// Keep its finished runs if it belongs to the same sweep and program.
    Resume,
    /// Remove its results and start again.
    Replace,
}

/// What a prepared folder needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prepared {
    /// Runs to do (some may be done already).
    Ready,
    /// Complete already (a resumed sweep that had finished).
    Complete,
}

/// Why a sweep folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// I/O.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The folder belongs to another sweep, program or shard.
    #[error(
        "`{}` holds runs of another sweep, program or shard ({found}); this is {wanted}; allowed: the same \
         sweep file, binary and --shard (or a new folder, or --force to replace it)",
        dir.display()
    )]
    Mismatch {
        /// The folder.
        dir: PathBuf,
        /// What it holds.
        found: String,
        /// What was asked.
        wanted: String,
    },
}

impl Identity {
    fn describe(&self) -> String {
        format!(
            "sweep {}, shard {} of {}, {}",
            self.sweep.get(..12).unwrap_or(&self.sweep),
            self.shard,
            self.shards,
            self.program
        )
    }
}

/// Make `dir` ready for `id`'s runs. A fresh or empty folder is set up; a
/// folder with files is refused, resumed (same identity) or replaced.
pub fn prepare(dir: &Path, sweep: &Sweep, id: &Identity, existing: Existing) -> Result<Prepared, StoreError> {
    let in_use = dir.is_dir() && std::fs::read_dir(dir).map_err(|e| OutputError::io(dir, e))?.next().is_some();
    match (in_use, existing) {
        (true, Existing::Refuse) => return Err(OutputError::NotEmpty(dir.to_path_buf()).into()),
        (true, Existing::Resume) => {
            let found = Identity::read(dir).map_err(|_| StoreError::Mismatch {
                dir: dir.to_path_buf(),
                found: "no sweep.json: not a sweep folder".into(),
                wanted: id.describe(),
            })?;
            if &found != id {
                return Err(StoreError::Mismatch {
                    dir: dir.to_path_buf(),
                    found: found.describe(),
                    wanted: id.describe(),
                });
            }
            let manifest = dir.join(MANIFEST);
            if manifest.is_file() {
                if dir.join("runs.csv").is_file() || pending(dir, sweep, id.shard()).is_empty() {
                    return Ok(Prepared::Complete);
                }
                // A run file went missing: the folder is no longer complete.
                std::fs::remove_file(&manifest).map_err(|e| OutputError::io(&manifest, e))?;
            }
        }
        (true, Existing::Replace) => {
            crate::output::prepare_dir(dir, true)?;
            let runs = dir.join(RUNS);
            if runs.is_dir() {
                std::fs::remove_dir_all(&runs).map_err(|e| OutputError::io(&runs, e))?;
            }
        }
        (false, _) => crate::output::prepare_dir(dir, false)?,
    }
    std::fs::create_dir_all(dir.join(RUNS)).map_err(|e| OutputError::io(&dir.join(RUNS), e))?;
    id.write(dir, sweep)?;
    Ok(Prepared::Ready)
}

/// The runs of `shard` whose files are missing from `dir`.
pub fn pending(dir: &Path, sweep: &Sweep, shard: Shard) -> Vec<RunId> {
    (0..sweep.runs())
        .filter(|k| shard.owns(*k))
        .map(|k| sweep.run(k))
        .filter(|r| !run_file(dir, *r).is_file())
        .collect()
}

/// Remove the run files once the sweep's tables hold them (`sweep.json`
/// stays: a finished folder is the whole sweep, shard 1 of 1).
pub fn tidy(dir: &Path) -> Result<(), OutputError> {
    let runs = dir.join(RUNS);
    if runs.is_dir() {
        std::fs::remove_dir_all(&runs).map_err(|e| OutputError::io(&runs, e))?;
    }
    Ok(())
}

/// `manifest.json` of a sweep or shard folder: what ran, by which program,
/// how long it took. Written last: the folder is complete.
#[derive(Clone, Debug, Serialize)]
pub struct SweepManifest {
    /// The program.
    #[serde(flatten)]
    pub program: Program,
    /// The command line as typed.
    pub command_line: Vec<String>,
    /// Sweep name.
    pub sweep: String,
    /// SHA-256 of the resolved sweep and the program's version line.
    pub sweep_hash: String,
    /// Design kind.
    pub design: &'static str,
    /// Points.
    pub points: usize,
    /// Replications per point.
    pub replications: u32,
    /// Runs of the whole sweep.
    pub runs: usize,
    /// This folder's shard and the number of shards (1 of 1: the whole sweep).
    pub shard: u32,
    /// See `shard`.
    pub shards: u32,
    /// Runs this process did (the rest were done before a resume, or by other shards).
    pub runs_done_here: usize,
    /// Worker threads (does not change results).
    pub threads: usize,
    /// Start, in seconds since the Unix epoch.
    pub started_unix: u64,
    /// Wall time in seconds.
    pub wall_seconds: f64,
    /// Peak resident memory of the process (Linux), in bytes.
    pub peak_memory_bytes: Option<u64>,
    /// Files written (run files not listed), manifest excluded.
    pub files: Vec<String>,
}

impl SweepManifest {
    /// A manifest for `id`'s folder of `sweep`; call [`SweepManifest::write`] at the end.
    pub fn new(sweep: &Sweep, id: &Identity, threads: usize) -> Self {
        SweepManifest {
            program: Program::current(),
            command_line: std::env::args().collect(),
            sweep: sweep.name.clone(),
            sweep_hash: id.sweep.clone(),
            design: sweep.kind.name(),
            points: sweep.points(),
            replications: sweep.replications,
            runs: sweep.runs(),
            shard: id.shard,
            shards: id.shards,
            runs_done_here: 0,
            threads,
            started_unix: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
            wall_seconds: 0.0,
            peak_memory_bytes: None,
            files: Vec::new(),
        }
    }

    /// Write it into `dir`, listing `files`; `started` is when the work began.
    pub fn write(mut self, dir: &Path, files: &[PathBuf], started: std::time::Instant) -> Result<PathBuf, OutputError> {
        self.wall_seconds = started.elapsed().as_secs_f64();
        self.peak_memory_bytes = Program::peak_memory_bytes();
        self.files = [dir.join(RESOLVED), dir.join(IDENTITY)]
            .iter()
            .chain(files)
            .map(|p| p.strip_prefix(dir).unwrap_or(p).to_string_lossy().replace('\\', "/"))
            .collect();
        let json = serde_json::to_string_pretty(&self).expect("a manifest serializes");
        write_file(dir, MANIFEST, format!("{json}\n").as_bytes())
    }
}
