//! `smesim slurm SWEEP.toml --shards N`: a folder ready to submit to SLURM:
//! the resolved sweep, an array job that runs one shard per task, a merge
//! job that waits for all of them, and `submit.sh` that submits both.

use super::Failure;
use smesim::experiment::sweep::store::RESOLVED;
use smesim::experiment::sweep::{Sweep, SweepError};
use smesim::output::atomic::write_file;
use smesim::output::{OutputError, prepare_dir};
use std::path::{Path, PathBuf};

/// Arguments of `smesim slurm`.
#[derive(clap::Args)]
pub struct SlurmArgs {
    /// The sweep file.
    file: PathBuf,
    /// Number of shards: array tasks, each running every N-th run.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    shards: u32,
    /// Folder of the scripts, shards, logs and merged result (default: output/slurm-<name>/).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Run the points of a design made elsewhere (see `smesim sweep --design`).
    #[arg(long, value_name = "FILE.csv")]
    design: Option<PathBuf>,
    /// Cores per task (each shard's worker threads).
    #[arg(long, value_name = "C", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..))]
    cpus_per_task: u16,
    /// Time limit per task, as sbatch takes it (e.g. 02:00:00).
    #[arg(long, value_name = "T")]
    time: Option<String>,
    /// Memory per task, as sbatch takes it (e.g. 4G).
    #[arg(long, value_name = "M")]
    mem: Option<String>,
    /// Partition.
    #[arg(long, value_name = "P")]
    partition: Option<String>,
    /// The smesim binary the jobs run (default: this one), on a file system
    /// the compute nodes see.
    #[arg(long, value_name = "PATH")]
    binary: Option<PathBuf>,
    /// Replace the files in a non-empty folder.
    #[arg(long)]
    force: bool,
}

/// Write the scripts and say how to submit them.
pub fn run(args: SlurmArgs) -> Result<(), Failure> {
    let sweep = Sweep::load(&args.file, args.design.as_deref())?;
    let dir = args.out.clone().unwrap_or_else(|| Path::new("output").join(format!("slurm-{}", sweep.name)));
    prepare_dir(&dir, args.force)?;
    let dir = dir.canonicalize().map_err(|e| OutputError::io(&dir, e))?;
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| OutputError::io(&logs, e))?;
    let binary = match &args.binary {
        Some(b) => b.clone(),
        None => {
            std::env::current_exe().map_err(|e| Failure::Internal(format!("cannot find this program's path: {e}")))?
        }
    };
    let write = |name: &str, text: String| write_file(&dir, name, text.as_bytes()).map_err(SweepError::from);
    write(RESOLVED, sweep.to_toml().to_string())?;
    write("sweep.sbatch", array_script(&args, &sweep, &dir, &binary))?;
    write("merge.sbatch", merge_script(&args, &sweep, &dir, &binary))?;
    let submit = write("submit.sh", submit_script(&args))?;
    make_executable(&submit)?;
    println!(
        "sweep `{}`: {} runs in {} shards; scripts in {}/\nsubmit with: bash {}\nmerged result: {}/merged/",
        sweep.name,
        sweep.runs(),
        args.shards,
        dir.display(),
        submit.display(),
        dir.display()
    );
    Ok(())
}

fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}

/// `#SBATCH` lines shared by both jobs.
fn resources(args: &SlurmArgs) -> String {
    let mut lines = format!("#SBATCH --cpus-per-task={}\n", args.cpus_per_task);
    for (flag, value) in [("time", &args.time), ("mem", &args.mem), ("partition", &args.partition)] {
        if let Some(v) = value {
            lines += &format!("#SBATCH --{flag}={v}\n");
        }
    }
    lines
}

/// One task per shard; a requeued or resubmitted task resumes its shard.
fn array_script(args: &SlurmArgs, sweep: &Sweep, dir: &Path, binary: &Path) -> String {
    let n = args.shards;
    format!(
        "#!/bin/bash\n\
         # smesim sweep `{name}`: {runs} runs in {n} shards, one per array task.\n\
         # A task that fails or is requeued resumes its shard where it stopped.\n\
         #SBATCH --job-name=smesim-{name}\n\
         #SBATCH --array=1-{n}\n\
         {res}#SBATCH --output={logs}/shard-%a.out\n\
         set -euo pipefail\n\
         exec {bin} sweep {resolved} --out {shards} --shard \"${{SLURM_ARRAY_TASK_ID}}/{n}\" --resume --quiet \\\n  \
         --threads \"${{SLURM_CPUS_PER_TASK:-1}}\"\n",
        name = sweep.name,
        runs = sweep.runs(),
        res = resources(args),
        logs = dir.join("logs").display(),
        bin = quote(binary),
        resolved = quote(&dir.join(RESOLVED)),
        shards = quote(&dir.join("shards")),
    )
}

/// Merges the shards once every task has succeeded.
fn merge_script(args: &SlurmArgs, sweep: &Sweep, dir: &Path, binary: &Path) -> String {
    format!(
        "#!/bin/bash\n\
         # Merge the {n} shards of sweep `{name}` into {merged}/.\n\
         #SBATCH --job-name=smesim-{name}-merge\n\
         {res}#SBATCH --output={logs}/merge.out\n\
         set -euo pipefail\n\
         exec {bin} merge {shards}/shard-*-of-{n} --out {merged_q} --threads \"${{SLURM_CPUS_PER_TASK:-1}}\"\n",
        n = args.shards,
        name = sweep.name,
        merged = dir.join("merged").display(),
        res = resources(args),
        logs = dir.join("logs").display(),
        bin = quote(binary),
        shards = quote(&dir.join("shards")),
        merged_q = quote(&dir.join("merged")),
    )
}

fn submit_script(args: &SlurmArgs) -> String {
    format!(
        "#!/bin/bash\n\
         # Submit the array job, then the merge job to run when every task has succeeded.\n\
         set -euo pipefail\n\
         cd \"$(dirname \"$0\")\"\n\
         array=$(sbatch --parsable sweep.sbatch)\n\
         array=${{array%%;*}}\n\
         merge=$(sbatch --parsable --dependency=afterok:\"$array\" merge.sbatch)\n\
         merge=${{merge%%;*}}\n\
         echo \"submitted array job $array ({n} shards) and merge job $merge\"\n\
         echo \"merged result: $(pwd)/merged/ (logs in $(pwd)/logs/)\"\n",
        n = args.shards
    )
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Failure::from(OutputError::io(path, e)))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<(), Failure> {
    Ok(())
}
