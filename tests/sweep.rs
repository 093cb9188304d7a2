//! `smesim sweep`, `merge` and `slurm`: the tables a sweep writes, results
//! that do not depend on threads or shards, merging that refuses what does
//! not fit, resuming after a kill, and clear errors when the disk fails.

mod common;

use common::{Table, outputs, smesim};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn sweep_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sweeps").join(name)
}

/// Run `smesim sweep FILE --out DIR ARGS` and require success.
fn sweep(file: &str, out: &Path, args: &[&str]) {
    smesim().arg("sweep").arg(sweep_file(file)).arg("--out").arg(out).args(["-q"]).args(args).assert().success();
}

fn stderr_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn a_grid_sweep_writes_every_point_and_replication_with_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    sweep("small.toml", &out, &[]);
    let outputs = ["exporter_share", "mean_markets_per_exporter", "spell_survival_1", "firm_survival_10"];
    let keys = ["markets.entry_cost", "network.tie_rate_eo"];

    let design = Table::read(&out.join("design.csv"));
    assert_eq!(design.header, ["point", keys[0], keys[1]]);
    assert_eq!(design.rows.len(), 6, "2 x 3 grid");
    let levels: Vec<f64> = design.rows.iter().map(|r| Table::num(r, keys[1])).collect();
    assert_eq!(levels[..3], [0.1, 0.3, 0.5], "a range's levels read as written");

    let runs = Table::read(&out.join("runs.csv"));
    let expected: Vec<&str> = ["point", "replication"].iter().chain(&keys).chain(&outputs).copied().collect();
    assert_eq!(runs.header, expected);
    assert_eq!(runs.rows.len(), 6 * 3);
    for (i, row) in runs.rows.iter().enumerate() {
        assert_eq!(Table::num(row, "point") as usize, i / 3);
        assert_eq!(Table::num(row, "replication") as usize, i % 3 + 1);
        assert_eq!(row[keys[0]], design.rows[i / 3][keys[0]], "runs carry their point's values");
        assert!((0.0..=1.0).contains(&Table::num(row, "exporter_share")));
    }

    let points = Table::read(&out.join("points.csv"));
    assert_eq!(points.header, ["point", keys[0], keys[1], "output", "mean", "low", "high", "replications"]);
    assert_eq!(points.rows.len(), 6 * outputs.len());
    for row in &points.rows {
        let (mean, low, high) = (Table::num(row, "mean"), Table::num(row, "low"), Table::num(row, "high"));
        assert!(low <= mean && mean <= high, "{row:?}");
        let p = Table::num(row, "point") as usize;
        let values: Vec<f64> = runs.rows[p * 3..p * 3 + 3].iter().map(|r| Table::num(r, &row["output"])).collect();
        assert!((mean - values.iter().sum::<f64>() / 3.0).abs() < 1e-12, "the mean of the point's replications");
    }

    for o in outputs {
        for k in ["markets_entry_cost", "network_tie_rate_eo"] {
            for ext in ["png", "svg"] {
                assert!(out.join(format!("plots/{o}_vs_{k}.{ext}")).is_file(), "{o} against {k}");
            }
        }
    }
    assert!(!out.join("runs").exists(), "run files are removed once runs.csv holds them");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["runs"], 18);
    assert_eq!(manifest["points"], 6);
    assert!(manifest["files"].as_array().unwrap().iter().any(|f| f == "runs.csv"));
    assert!(manifest["peak_memory_bytes"].as_u64().unwrap_or(1) > 0);
}

#[test]
fn results_are_the_same_bytes_for_any_threads_and_shards() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    sweep("small.toml", &whole, &["--threads", "2"]);
    let one_thread = dir.path().join("one");
    sweep("small.toml", &one_thread, &["--threads", "1"]);
    assert_eq!(outputs(&whole), outputs(&one_thread));

    // Two shards by flag, merged.
    let two = dir.path().join("two");
    for i in 1..=2 {
        sweep("small.toml", &two, &["--shard", &format!("{i}/2")]);
    }
    let merged2 = dir.path().join("merged2");
    smesim()
        .arg("merge")
        .arg(two.join("shard-2-of-2"))
        .arg(two.join("shard-1-of-2"))
        .arg("--out")
        .arg(&merged2)
        .assert()
        .success();
    assert_eq!(outputs(&whole), outputs(&merged2));

    // Four shards as a SLURM array would run them (IDs from 0), merged.
    let four = dir.path().join("four");
    for id in 0..4 {
        smesim()
            .arg("sweep")
            .arg(sweep_file("small.toml"))
            .arg("--out")
            .arg(&four)
            .arg("-q")
            .env("SLURM_ARRAY_TASK_ID", id.to_string())
            .env("SLURM_ARRAY_TASK_MIN", "0")
            .env("SLURM_ARRAY_TASK_COUNT", "4")
            .assert()
            .success();
    }
    let shards: Vec<PathBuf> = (1..=4).map(|i| four.join(format!("shard-{i}-of-4"))).collect();
    assert!(shards.iter().all(|s| s.join("manifest.json").is_file()));
    let merged4 = dir.path().join("merged4");
    smesim().arg("merge").args(&shards).arg("--out").arg(&merged4).assert().success();
    assert_eq!(outputs(&whole), outputs(&merged4));
}

#[test]
fn merge_refuses_missing_doubled_foreign_and_unfinished_shards() {
    let dir = tempfile::tempdir().unwrap();
    let sh = dir.path().join("sh");
    for i in 1..=3 {
        sweep("small.toml", &sh, &["--shard", &format!("{i}/3")]);
    }
    let s = |i: u32| sh.join(format!("shard-{i}-of-3"));
    let merge = |dirs: &[PathBuf], out: &str| {
        let mut cmd = smesim();
        cmd.arg("merge").args(dirs).arg("--out").arg(dir.path().join(out));
        stderr_of(&mut cmd, 2)
    };
    let e = merge(&[s(1), s(3)], "a");
    assert!(e.contains("shard 2 of 3 missing"), "{e}");
    let e = merge(&[s(1), s(2), s(3), s(2)], "b");
    assert!(e.contains("shard 2 of 3 is given twice"), "{e}");
    let other = dir.path().join("other");
    sweep("lhs.toml", &other, &["--shard", "2/3"]);
    let e = merge(&[s(1), other.join("shard-2-of-3"), s(3)], "c");
    assert!(e.contains("belongs to another sweep"), "{e}");
    let e = merge(&[s(1), dir.path().to_path_buf()], "d");
    assert!(e.contains("is not a shard of a sweep"), "{e}");
    let damaged = dir.path().join("damaged");
    std::fs::create_dir(&damaged).unwrap();
    let id = std::fs::read_to_string(s(2).join("sweep.json")).unwrap().replace("\"shard\": 2", "\"shard\": 0");
    std::fs::write(damaged.join("sweep.json"), id).unwrap();
    let e = merge(&[s(1), damaged, s(3)], "g");
    assert!(e.contains("damaged sweep.json"), "{e}");
    std::fs::remove_file(s(3).join("runs/p5-r3.csv")).unwrap();
    let e = merge(&[s(1), s(2), s(3)], "e");
    assert!(e.contains("shard 3 of 3") && e.contains("not finished (1 runs to do)") && e.contains("--resume"), "{e}");
    assert!(!dir.path().join("e/manifest.json").exists());
    // Resuming the shard redoes the missing run only; then the merge works.
    sweep("small.toml", &sh, &["--shard", "3/3", "--resume"]);
    smesim().arg("merge").args([s(1), s(2), s(3)]).arg("--out").arg(dir.path().join("f")).assert().success();
}

#[test]
fn a_killed_sweep_resumes_to_the_same_bytes_as_an_uninterrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    sweep("resume.toml", &whole, &[]);

    let killed = dir.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_smesim"))
        .arg("sweep")
        .arg(sweep_file("resume.toml"))
        .arg("--out")
        .arg(&killed)
        .args(["-q", "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let runs = killed.join("runs");
    let finished = || {
        std::fs::read_dir(&runs).map_or(0, |d| {
            d.filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().ends_with(".csv")).count()
        })
    };
    let start = Instant::now();
    while finished() < 5 && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let done = finished();
    assert!((5..32).contains(&done), "killed partway: {done} of 32 runs finished");
    assert!(!killed.join("manifest.json").exists(), "a killed sweep does not look complete");

    // Without --resume the folder is refused; with it, the rest is done.
    let e = stderr_of(smesim().arg("sweep").arg(sweep_file("resume.toml")).arg("--out").arg(&killed), 2);
    assert!(e.contains("not empty"), "{e}");
    let out = smesim()
        .arg("sweep")
        .arg(sweep_file("resume.toml"))
        .arg("--out")
        .arg(&killed)
        .args(["--resume", "-q"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains(&format!("({} run now", 32 - done)), "only the unfinished runs are redone: {stdout}");
    assert_eq!(outputs(&whole), outputs(&killed));

    // Resuming a finished sweep does nothing; resuming with another sweep file is refused.
    let out = smesim()
        .arg("sweep")
        .arg(sweep_file("resume.toml"))
        .arg("--out")
        .arg(&killed)
        .args(["--resume"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("complete already"));
    let e = stderr_of(smesim().arg("sweep").arg(sweep_file("small.toml")).arg("--out").arg(&killed).arg("--resume"), 2);
    assert!(e.contains("holds runs of another sweep"), "{e}");
}

/// Whether this machine can mount a small tmpfs in a private namespace.
fn can_mount_tmpfs() -> bool {
    Command::new("unshare").args(["-rm", "true"]).status().is_ok_and(|s| s.success())
}

#[test]
fn a_full_disk_is_a_clear_error_and_leaves_nothing_that_looks_complete() {
    if !can_mount_tmpfs() {
        eprintln!("SKIPPED: `unshare -rm` is not permitted here, so no small disk can be made to fill");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    // 40 KiB: room for the resolved sweep and some run files, not for the tables and plots.
    let script = format!(
        "mount -t tmpfs -o size=40k tmpfs '{d}' && '{bin}' sweep '{file}' --out '{d}/out' -q; code=$?; \
         ls -a '{d}/out' '{d}/out/runs' > '{d}/../listing' 2>&1; \
         for f in '{d}'/out/runs/*.csv; do cat \"$f\"; done > '{d}/../rows' 2>/dev/null; exit $code",
        d = disk.display(),
        bin = env!("CARGO_BIN_EXE_smesim"),
        file = sweep_file("small.toml").display()
    );
    let out = Command::new("unshare").args(["-rm", "sh", "-c", &script]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("No space left on device") && stderr.contains("/out"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let listing = std::fs::read_to_string(dir.path().join("listing")).unwrap();
    assert!(!listing.contains("manifest.json"), "{listing}");
    assert!(!listing.contains(".partial"), "no half-written file is left: {listing}");
    // Every run file that exists is whole: 2 + 2 parameters + 4 outputs cells and a line end.
    let rows = std::fs::read_to_string(dir.path().join("rows")).unwrap();
    assert!(rows.lines().all(|l| l.split(',').count() == 8) && (rows.is_empty() || rows.ends_with('\n')), "{rows}");
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a_file");
    std::fs::write(&file, "x").unwrap();
    for out in [file.clone(), file.join("below")] {
        let e = stderr_of(smesim().arg("sweep").arg(sweep_file("small.toml")).arg("--out").arg(&out), 2);
        assert!(e.contains(&*file.to_string_lossy()), "{e}");
    }
    let e = stderr_of(smesim().args(["merge", "--out"]).arg(&file).arg(dir.path()), 2);
    assert!(e.contains("not a shard"), "{e}");
}

#[test]
fn memory_does_not_grow_with_the_number_of_runs() {
    let dir = tempfile::tempdir().unwrap();
    let small = common::scenario("small.toml").display().to_string();
    let peak = |points: usize| -> u64 {
        let values: Vec<String> = (0..points).map(|i| format!("{:.3}", 0.04 + 0.004 * i as f64)).collect();
        let text = format!(
            "scenario = '{small}'\nreplications = 4\n[design]\nkind = \"grid\"\n\
             [[parameter]]\nkey = \"firms.death_rate\"\nvalues = [{}]\n",
            values.join(", ")
        );
        let path = dir.path().join(format!("{points}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = dir.path().join(format!("out{points}"));
        smesim().arg("sweep").arg(&path).arg("--out").arg(&out).args(["-q", "--threads", "2"]).assert().success();
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
        m["peak_memory_bytes"].as_u64().unwrap_or(0)
    };
    // 8 runs against 96: a run's tables (about a megabyte here) are never kept.
    let few = peak(2);
    let many = peak(24);
    if few == 0 {
        eprintln!("SKIPPED: peak memory is not known on this platform");
        return;
    }
    assert!((many as f64) < few as f64 * 1.3, "peak memory {many} bytes for 12x the runs of {few} bytes");
}

#[test]
fn morris_ranks_every_parameter_for_every_output_and_draws_the_ranking() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m");
    sweep("morris.toml", &out, &[]);
    let design = Table::read(&out.join("design.csv"));
    assert_eq!(design.rows.len(), 4 * (3 + 1), "4 trajectories of 4 points");
    let m = Table::read(&out.join("morris.csv"));
    assert_eq!(m.header, ["output", "parameter", "rank", "mu_star", "mu", "sigma", "effects"]);
    assert_eq!(m.rows.len(), 2 * 3);
    for o in ["exporter_share", "spell_survival_1"] {
        let rows: Vec<_> = m.rows.iter().filter(|r| r["output"] == o).collect();
        let stars: Vec<f64> = rows.iter().map(|r| Table::num(r, "mu_star")).collect();
        assert!(stars.windows(2).all(|w| w[0] >= w[1]), "ranked by mu*: {stars:?}");
        for r in &rows {
            assert!(Table::num(r, "mu_star") >= Table::num(r, "mu").abs() - 1e-12, "mu* >= |mu|");
            assert_eq!(Table::num(r, "effects"), 4.0, "one effect per trajectory");
        }
        assert!(out.join(format!("plots/morris_{o}.svg")).is_file());
    }
    // More ties with more orientation: more exporters (network.tie_rate_eo's direction).
    let tie =
        m.rows.iter().find(|r| r["output"] == "exporter_share" && r["parameter"] == "network.tie_rate_eo").unwrap();
    assert!(Table::num(tie, "mu") > 0.0);
}

#[test]
fn a_design_file_runs_exactly_its_points() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d");
    sweep("small.toml", &out, &["--design", sweep_file("design.csv").to_str().unwrap()]);
    let design = Table::read(&out.join("design.csv"));
    let got: Vec<(f64, f64)> = design
        .rows
        .iter()
        .map(|r| (Table::num(r, "markets.entry_cost"), Table::num(r, "network.tie_rate_eo")))
        .collect();
    assert_eq!(got, [(0.7, 0.2), (1.9, 0.45), (1.2, 0.1)]);
    let resolved = std::fs::read_to_string(out.join("sweep.resolved.toml")).unwrap();
    assert!(resolved.contains("kind = \"file\"") && resolved.contains("rows"), "the points are kept inline");
    // The resolved sweep runs again to the same tables (a shard needs no other file).
    let again = dir.path().join("again");
    smesim().arg("sweep").arg(out.join("sweep.resolved.toml")).arg("--out").arg(&again).arg("-q").assert().success();
    assert_eq!(outputs(&out), outputs(&again));
}

#[test]
fn a_latin_hypercube_covers_each_range_once_per_stratum() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("l");
    sweep("lhs.toml", &out, &[]);
    let design = Table::read(&out.join("design.csv"));
    let mut strata: Vec<usize> =
        design.rows.iter().map(|r| ((Table::num(r, "firms.death_rate") - 0.03) / 0.05 * 6.0) as usize).collect();
    strata.sort_unstable();
    assert_eq!(strata, (0..6).collect::<Vec<_>>());
    assert!(out.join("plots/exporter_share_vs_firms_death_rate.png").is_file());
}

#[test]
fn one_at_a_time_moves_one_parameter_away_from_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oat.toml");
    let text = std::fs::read_to_string(sweep_file("small.toml"))
        .unwrap()
        .replace("kind = \"grid\"", "kind = \"one-at-a-time\"")
        .replace("../scenarios/small.toml", &common::scenario("small.toml").display().to_string());
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("o");
    smesim().arg("sweep").arg(&file).arg("--out").arg(&out).arg("-q").assert().success();
    let design = Table::read(&out.join("design.csv"));
    let base = (Table::num(&design.rows[0], "markets.entry_cost"), Table::num(&design.rows[0], "network.tie_rate_eo"));
    assert_eq!(base, (3.4, 1.5), "point 0 is the scenario itself");
    assert_eq!(design.rows.len(), 1 + 2 + 3);
    for r in &design.rows[1..] {
        let moved = [Table::num(r, "markets.entry_cost") != base.0, Table::num(r, "network.tie_rate_eo") != base.1];
        assert_eq!(moved.iter().filter(|m| **m).count(), 1, "{r:?}");
    }
}

#[test]
fn slurm_writes_an_array_job_a_merge_job_and_a_submit_script() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cluster");
    smesim()
        .arg("slurm")
        .arg(sweep_file("small.toml"))
        .args(["--shards", "5", "--cpus-per-task", "4", "--time", "01:00:00", "--partition", "short"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let array = std::fs::read_to_string(out.join("sweep.sbatch")).unwrap();
    for line in
        ["#SBATCH --array=1-5", "#SBATCH --cpus-per-task=4", "#SBATCH --time=01:00:00", "#SBATCH --partition=short"]
    {
        assert!(array.contains(line), "{line} in\n{array}");
    }
    assert!(array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/5\" --resume"), "{array}");
    let merge = std::fs::read_to_string(out.join("merge.sbatch")).unwrap();
    assert!(merge.contains("merge ") && merge.contains("shard-*-of-5"), "{merge}");
    let submit = std::fs::read_to_string(out.join("submit.sh")).unwrap();
    assert!(submit.contains("--dependency=afterok:"), "{submit}");
    assert!(out.join("logs").is_dir());
    // The frozen sweep the tasks run is the same sweep.
    let frozen = smesim().arg("check").arg(out.join("sweep.resolved.toml")).assert().success();
    assert!(String::from_utf8_lossy(&frozen.get_output().stdout).contains("6 points x 3 replications"));
}
