//! `manifest.json`: what is needed to reproduce a run. Written last, so its
//! presence means the run completed.

use serde::Serialize;

/// Build facts captured by `build.rs`.
pub mod build {
    /// `git rev-parse HEAD` when built, or "unknown".
    pub const GIT_COMMIT: &str = env!("SMESIM_GIT_COMMIT");
    /// "true" if the work tree had uncommitted changes when built.
    pub const GIT_DIRTY: &str = env!("SMESIM_GIT_DIRTY");
    /// `rustc --version`.
    pub const RUSTC: &str = env!("SMESIM_RUSTC");
    /// Target triple.
    pub const TARGET: &str = env!("SMESIM_TARGET");
    /// Locked versions of rand and rand_distr (value streams may change between versions).
    pub const RAND: &str = env!("SMESIM_RAND");
    /// See [`RAND`].
    pub const RAND_DISTR: &str = env!("SMESIM_RAND_DISTR");
}

/// The program that wrote a result: outputs are bit-identical only for the
/// same program on the same target.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Program {
    /// Always "smesim".
    pub program: String,
    /// Crate version.
    pub version: String,
    /// Git commit of the build, or "unknown".
    pub git_commit: String,
    /// Uncommitted changes in the build's work tree.
    pub git_dirty: bool,
    /// Compiler.
    pub rustc: String,
    /// Target platform; outputs are bit-identical only for the same binary and target.
    pub target: String,
    /// Versions of the random number crates.
    pub rand: String,
    /// See `rand`.
    pub rand_distr: String,
}

impl Program {
    /// This program.
    pub fn current() -> Self {
        Program {
            program: "smesim".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            git_commit: build::GIT_COMMIT.into(),
            git_dirty: build::GIT_DIRTY == "true",
            rustc: build::RUSTC.into(),
            target: build::TARGET.into(),
            rand: build::RAND.into(),
            rand_distr: build::RAND_DISTR.into(),
        }
    }

    /// One line naming the version, e.g. `smesim 0.1.0 (abc123, dirty; x86_64-unknown-linux-gnu)`.
    pub fn id(&self) -> String {
        let dirty = if self.git_dirty { ", dirty" } else { "" };
        format!("{} {} ({}{dirty}; {}; {})", self.program, self.version, self.git_commit, self.target, self.rustc)
    }

    /// Peak resident memory of this process so far (Linux: VmHWM), if known.
    pub fn peak_memory_bytes() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kib| kib * 1024)
    }
}

/// Everything recorded about one run.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    /// The program.
    #[serde(flatten)]
    pub program: Program,
    /// The command line as typed.
    pub command_line: Vec<String>,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file, or "built-in baseline".
    pub scenario_file: String,
    /// Master seed.
    pub seed: u64,
    /// Replications.
    pub replications: u32,
    /// Rounds per replication.
    pub rounds: u32,
    /// Initial firms.
    pub firms: u32,
    /// Worker threads (does not change results).
    pub threads: usize,
    /// Start, in seconds since the Unix epoch.
    pub started_unix: u64,
    /// Wall time of the run in seconds.
    pub wall_seconds: f64,
    /// Files written, manifest excluded.
    pub files: Vec<String>,
}

impl Manifest {
    /// A manifest with the build facts filled in.
    pub fn new(scenario: &crate::Scenario, scenario_file: String, command_line: Vec<String>, threads: usize) -> Self {
        let sim = &scenario.config().simulation;
        Manifest {
            program: Program::current(),
            command_line,
            scenario: scenario.name().to_string(),
            scenario_file,
            seed: sim.seed,
            replications: sim.replications,
            rounds: sim.rounds,
            firms: sim.firms,
            threads,
            started_unix: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
            wall_seconds: 0.0,
            files: Vec::new(),
        }
    }
}
