//! Command-line parsing and dispatch. Clap types stay here; the library never
//! sees them. Exit codes: 0 success, 2 bad input (scenario, flags, output folder),
//! 1 anything else (including a validation target not met).

mod bench;
mod calibrate;
mod check;
mod compare;
mod effects;
mod patterns;
mod plot;
mod progress;
mod run;
mod slurm;
mod strategy_map;
mod sweep;
mod validate;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// smesim: an agent-based simulator of how SMEs go international.
#[derive(Parser)]
#[command(name = "smesim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario (default: the built-in baseline) and write its tables.
    Run(run::RunArgs),
    /// Check a scenario or sweep file without running it.
    Check {
        /// The scenario file.
        file: PathBuf,
    },
    /// Redraw summary, survival curves, plots and report from a run's CSV files.
    Plot {
        /// A folder written by `smesim run`.
        dir: PathBuf,
    },
    /// Run scenarios with the same seeds (common random numbers) and compare them.
    Compare(compare::CompareArgs),
    /// Map which of two entry strategies earns more over a grid of two conditions.
    StrategyMap(strategy_map::MapArgs),
    /// Search a Latin hypercube over parameters for points that meet the
    /// scenario's single-run validation targets.
    Calibrate(calibrate::CalibrateArgs),
    /// Check a scenario (default: the built-in baseline) against the validation
    /// targets; exit code 0 only when every target passes.
    Validate(validate::ValidateArgs),
    /// Run a sweep: a scenario at the points of a design (grid, one at a
    /// time, Latin hypercube, Morris, or a CSV file), with replications;
    /// or one shard of it (--shard I/N).
    Sweep(sweep::SweepArgs),
    /// Merge the shards of a sweep into the result one process would write.
    Merge(sweep::MergeArgs),
    /// Write SLURM scripts that run a sweep as an array job, then merge it.
    Slurm(slurm::SlurmArgs),
    /// Show whether the model reproduces the directions the seed documents
    /// report, each with its figure (a report: exit code 0 whatever the verdicts).
    Patterns(patterns::PatternsArgs),
    /// Time the simulation (outputs discarded): firm-rounds per second at
    /// one or more sizes and thread counts, with the scaling exponent.
    Bench(bench::BenchArgs),
}

/// An error and the exit code it maps to.
pub enum Failure {
    /// A result that fails what was asked of it (a validation target): exit code 1.
    Unmet(String),
    /// Bad input from the user: exit code 2.
    Input(String),
    /// Anything else: exit code 1.
    Internal(String),
}

impl From<smesim::ScenarioError> for Failure {
    fn from(e: smesim::ScenarioError) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<smesim::output::OutputError> for Failure {
    fn from(e: smesim::output::OutputError) -> Self {
        Failure::Input(format!("error: {e}"))
    }
}

impl From<smesim::report::ReportError> for Failure {
    fn from(e: smesim::report::ReportError) -> Self {
        use smesim::report::ReportError;
        match e {
            ReportError::Output(e) => e.into(),
            ReportError::Incomparable(msg) => Failure::Input(format!("error: {msg}")),
            ReportError::Plot(e) => Failure::Internal(e.to_string()),
        }
    }
}

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Check { file } => check::check(&file),
        Command::Plot { dir } => plot::plot(&dir),
        Command::Compare(args) => compare::compare(args),
        Command::StrategyMap(args) => strategy_map::run(args),
        Command::Validate(args) => validate::validate(args),
        Command::Calibrate(args) => calibrate::run(args),
        Command::Patterns(args) => patterns::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Merge(args) => sweep::merge(args),
        Command::Slurm(args) => slurm::run(args),
        Command::Bench(args) => bench::run(args),
    };
    match result {
        Ok(()) => 0,
        Err(Failure::Input(msg)) => {
            eprintln!("{msg}");
            2
        }
        Err(Failure::Unmet(msg)) => {
            eprintln!("{msg}");
            1
        }
        Err(Failure::Internal(msg)) => {
            eprintln!("error: {msg}");
            1
        }
    }
}
