//! `smesim sweep SWEEP.toml`: run a sweep (or one shard of it) and write its
//! tables; `smesim merge SHARD...`: put shards together.

use super::Failure;
use super::run::Execution;
use indicatif::{ProgressBar, ProgressStyle};
use smesim::experiment::sweep::assemble::assemble;
use smesim::experiment::sweep::execute::run_all;
use smesim::experiment::sweep::merge::shards;
use smesim::experiment::sweep::store::{self, Existing, Identity, Prepared, SweepManifest};
use smesim::experiment::sweep::{Shard, Sweep, SweepError};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `smesim sweep`.
#[derive(clap::Args)]
pub struct SweepArgs {
    /// The sweep file (see scenarios/sweeps/).
    file: PathBuf,
    /// Output folder (default: output/sweep-<name>/); a shard writes into
    /// DIR/shard-I-of-N/.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Run the points of a design made elsewhere (e.g. by SALib): a CSV
    /// file whose header names the parameters' key paths.
    #[arg(long, value_name = "FILE.csv")]
    design: Option<PathBuf>,
    /// Run only the I-th of N slices of the runs (default: from
    /// SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT when set); merge the
    /// shards with `smesim merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<Shard>,
    /// Keep the finished runs in the output folder and do the rest.
    #[arg(long, conflicts_with = "force")]
    resume: bool,
    #[command(flatten)]
    execution: Execution,
}

/// Arguments of `smesim merge`.
#[derive(clap::Args)]
pub struct MergeArgs {
    /// The shard folders (DIR/shard-I-of-N), every one of them.
    #[arg(required = true, value_name = "SHARD_DIR")]
    dirs: Vec<PathBuf>,
    /// Where to write the merged sweep.
    #[arg(long, value_name = "DIR", required = true)]
    out: PathBuf,
    #[command(flatten)]
    execution: Execution,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let bad = || format!("`{s}`; allowed: I/N with 1 <= I <= N, e.g. 3/8");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (index, count) = (i.trim().parse::<u32>().map_err(|_| bad())?, n.trim().parse::<u32>().map_err(|_| bad())?);
    if index == 0 || index > count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// The shard SLURM gives an array task: index from SLURM_ARRAY_TASK_ID
/// (counted from SLURM_ARRAY_TASK_MIN), count SLURM_ARRAY_TASK_COUNT.
fn slurm_shard() -> Result<Option<Shard>, Failure> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (Some(id), Some(count)) = (var("SLURM_ARRAY_TASK_ID"), var("SLURM_ARRAY_TASK_COUNT")) else {
        return Ok(None);
    };
    let min = var("SLURM_ARRAY_TASK_MIN").unwrap_or_else(|| "1".into());
    let number = |v: &str| v.parse::<u32>().ok();
    match (number(&id), number(&min), number(&count)) {
        (Some(id), Some(min), Some(count)) if id >= min => parse_shard(&format!("{}/{count}", id - min + 1))
            .map(Some)
            .map_err(|e| Failure::Input(format!("error: SLURM array task: {e}"))),
        _ => Err(Failure::Input(format!(
            "error: SLURM_ARRAY_TASK_ID={id}, SLURM_ARRAY_TASK_MIN={min}, SLURM_ARRAY_TASK_COUNT={count}; allowed: \
             whole numbers with MIN <= ID (or pass --shard I/N)"
        ))),
    }
}

impl From<SweepError> for Failure {
    fn from(e: SweepError) -> Self {
        match e {
            SweepError::Plot(p) => Failure::Internal(p.to_string()),
            other => Failure::Input(other.to_string()),
        }
    }
}

/// Run the sweep or shard and print where its results are.
pub fn run(args: SweepArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let sweep = Sweep::load(&args.file, args.design.as_deref())?;
    let shard = match args.shard {
        Some(s) => Some(s),
        None => slurm_shard()?,
    };
    let root = args.out.clone().unwrap_or_else(|| Path::new("output").join(format!("sweep-{}", sweep.name)));
    let dir = match shard {
        Some(s) => root.join(format!("shard-{}-of-{}", s.index, s.count)),
        None => root.clone(),
    };
    let id = Identity::of(&sweep, shard.unwrap_or(Shard::WHOLE));
    let existing = match (args.resume, args.execution.force) {
        (true, _) => Existing::Resume,
        (_, true) => Existing::Replace,
        _ => Existing::Refuse,
    };
    if store::prepare(&dir, &sweep, &id, existing).map_err(SweepError::from)? == Prepared::Complete {
        println!("{} is complete already (nothing to resume)", dir.display());
        return Ok(());
    }
    let pool = args.execution.pool()?;
    let mut manifest = SweepManifest::new(&sweep, &id, pool.current_num_threads());
    let todo = store::pending(&dir, &sweep, id.shard());
    let bar = progress(todo.len(), args.execution.quiet);
    pool.install(|| run_all(&sweep, &dir, &todo, &|| bar.inc(1)))?;
    bar.finish_and_clear();
    manifest.runs_done_here = todo.len();
    let mine = (0..sweep.runs()).filter(|k| id.shard().owns(*k)).count();
    if let Some(s) = shard {
        manifest.write(&dir, &[], started).map_err(SweepError::from)?;
        println!(
            "shard {} of {}: {mine} runs ({} now) in {}/ ({:.1} s)\nwhen every shard is done: smesim merge {}/shard-*-of-{} --out DIR",
            s.index,
            s.count,
            todo.len(),
            dir.display(),
            started.elapsed().as_secs_f64(),
            root.display(),
            s.count
        );
        return Ok(());
    }
    let files = pool.install(|| finish(&sweep, std::slice::from_ref(&dir), &dir, manifest, started))?;
    println!("{}", summary(&sweep, todo.len(), files, &dir, started));
    Ok(())
}

/// Merge shard folders into one sweep folder.
pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let (sweep, dirs) = shards(&args.dirs)?;
    let id = Identity::of(&sweep, Shard::WHOLE);
    let existing = if args.execution.force { Existing::Replace } else { Existing::Refuse };
    store::prepare(&args.out, &sweep, &id, existing).map_err(SweepError::from)?;
    let pool = args.execution.pool()?;
    let manifest = SweepManifest::new(&sweep, &id, pool.current_num_threads());
    let files = pool.install(|| finish(&sweep, &dirs, &args.out, manifest, started))?;
    println!("merged {} shards: {}", dirs.len(), summary(&sweep, 0, files, &args.out, started));
    Ok(())
}

/// Tables, plots, manifest, then remove the run files; returns how many files were written.
fn finish(
    sweep: &Sweep,
    sources: &[PathBuf],
    out: &Path,
    manifest: SweepManifest,
    started: Instant,
) -> Result<usize, SweepError> {
    let files = assemble(sweep, sources, out)?;
    manifest.write(out, &files, started)?;
    store::tidy(out)?;
    Ok(files.len() + 3)
}

fn progress(runs: usize, quiet: bool) -> ProgressBar {
    let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(runs as u64) };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} runs (eta {eta})")
            .expect("a valid template"),
    );
    bar
}

fn summary(sweep: &Sweep, done_now: usize, files: usize, dir: &Path, started: Instant) -> String {
    let morris = if sweep.design.morris.is_some() { ", morris.csv" } else { "" };
    format!(
        "sweep `{}`: {} points x {} replications = {} runs ({} run now, {:.1} s)\n\
         {files} files in {}/ (runs.csv, points.csv, design.csv{morris}, plots/)",
        sweep.name,
        sweep.points(),
        sweep.replications,
        sweep.runs(),
        done_now,
        started.elapsed().as_secs_f64(),
        dir.display()
    )
}
