//! The command line on a small scenario: files, headers, invariants, flags.

mod common;

use common::{Table, scenario, smesim};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const ROUNDS: f64 = 25.0;

fn run_small(out: &Path, extra: &[&str]) {
    smesim().args(["run", "-q"]).arg(scenario("small.toml")).arg("--out").arg(out).args(extra).assert().success();
}

#[test]
fn run_writes_every_table_with_the_documented_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("small");
    let assert = smesim().args(["run", "-q"]).arg(scenario("small.toml")).arg("--out").arg(&out).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for expected in ["scenario `small`", "firms alive", "exporter share", "mean markets per exporter", "files in"] {
        assert!(stdout.contains(expected), "summary lacks {expected:?}:\n{stdout}");
    }
    let headers = [
        (
            "rounds.csv",
            "replication,round,strategy,alive,births,deaths,exporter_deaths,exporters,exporter_share,entries,exits,\
             mean_markets_per_exporter,mean_hhi,mean_hhi_normalised,mean_hhi_equivalent,mean_entropy,\
             mean_entropy_normalised,mean_entropy_equivalent,mean_export_intensity,total_exports,export_intensity",
        ),
        ("spells.csv", "replication,firm,market,start,end,duration,censored,end_cause,order"),
        (
            "firms.csv",
            "replication,firm,birth,death,strategy,eo,acap,general_knowledge,net_use,productivity,\
             first_export_round,first_export_productivity,max_markets,treated,first_support_round,aid_received,\
             cohort,born_global,discounted_profit,\
             discounted_export_profit,failed_entries,markets_reached,rounds_to_reach",
        ),
        (
            "markets.csv",
            "market,name,size,distance,position_x,position_y,competition,entry_cost,fixed_cost,\
             trade_cost,growth,rival_hazard",
        ),
    ];
    for (file, header) in headers {
        let t = Table::read(&out.join(file));
        assert_eq!(t.header.join(","), header, "{file}");
        assert!(!t.rows.is_empty(), "{file} is empty");
    }
    assert!(out.join("scenario.resolved.toml").exists());
    assert!(!out.join("panel.csv").exists(), "the panel is opt-in");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    for key in ["version", "git_commit", "command_line", "seed", "threads", "target", "wall_seconds", "rand"] {
        assert!(manifest.get(key).is_some(), "manifest lacks {key}");
    }
    for f in manifest["files"].as_array().unwrap() {
        assert!(out.join(f.as_str().unwrap()).exists(), "manifest lists a missing file {f}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn outputs_hold_their_invariants() {
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path(), &[]);
    let rounds = Table::read(&dir.path().join("rounds.csv"));
    let mut seen = BTreeMap::new();
    for r in &rounds.rows {
        let (alive, exporters) = (Table::num(r, "alive"), Table::num(r, "exporters"));
        assert!(exporters <= alive, "exporters > alive in {r:?}");
        let share = Table::num(r, "exporter_share");
        assert!((0.0..=1.0).contains(&share));
        assert!((share - exporters / alive).abs() < 1e-12);
        let intensity = Table::num(r, "export_intensity");
        assert!((0.0..=1.0).contains(&intensity));
        if r["strategy"] == "all" {
            *seen.entry(r["replication"].clone()).or_insert(0) += 1;
        }
    }
    assert_eq!(seen.into_values().collect::<Vec<_>>(), vec![25, 25], "one all-firm row per round and replication");
    let strategies: std::collections::BTreeSet<_> = rounds.rows.iter().map(|r| r["strategy"].as_str()).collect();
    assert_eq!(strategies.into_iter().collect::<Vec<_>>(), ["all", "gradual", "network", "sprinkler", "waterfall"]);

    let firms = Table::read(&dir.path().join("firms.csv"));
    let death: HashMap<(String, String), f64> = firms
        .rows
        .iter()
        .filter(|f| !f["death"].is_empty())
        .map(|f| ((f["replication"].clone(), f["firm"].clone()), Table::num(f, "death")))
        .collect();
    for f in &firms.rows {
        let birth = Table::num(f, "birth");
        if !f["death"].is_empty() {
            assert!(Table::num(f, "death") >= birth);
        }
        let exported = !f["first_export_round"].is_empty();
        assert_eq!(exported, Table::num(f, "max_markets") >= 1.0, "{f:?}");
        assert_eq!(exported, !f["first_export_productivity"].is_empty(), "{f:?}");
        if exported {
            assert!(Table::num(f, "first_export_round") >= birth);
            assert!(Table::num(f, "first_export_productivity") > 0.0);
        }
        let reached = Table::num(f, "markets_reached");
        assert!(reached >= Table::num(f, "max_markets"), "{f:?}");
        assert_eq!(reached > 0.0, !f["rounds_to_reach"].is_empty(), "{f:?}");
        assert!(Table::num(f, "discounted_profit").is_finite());
    }

    let spells = Table::read(&dir.path().join("spells.csv"));
    let mut exits: HashMap<(String, String), f64> = HashMap::new();
    for s in spells.rows.iter().filter(|s| s["end_cause"] == "exit") {
        *exits.entry((s["replication"].clone(), s["firm"].clone())).or_default() += 1.0;
    }
    for f in &firms.rows {
        let key = (f["replication"].clone(), f["firm"].clone());
        assert_eq!(Table::num(f, "failed_entries"), exits.get(&key).copied().unwrap_or(0.0), "{f:?}");
    }
    let mut censored = 0;
    for s in &spells.rows {
        let (start, end) = (Table::num(s, "start"), Table::num(s, "end"));
        assert!(start <= end && end <= ROUNDS, "{s:?}");
        assert_eq!(Table::num(s, "duration"), end - start + 1.0);
        assert!(Table::num(s, "order") >= 1.0);
        let is_censored = s["censored"] == "1";
        assert_eq!(is_censored, s["end_cause"] == "censored");
        if is_censored {
            censored += 1;
            assert_eq!(end, ROUNDS, "censored spells end in the last round");
        }
        if let Some(d) = death.get(&(s["replication"].clone(), s["firm"].clone())) {
            assert!(end <= *d, "a dead firm never exports again: {s:?}");
            if s["end_cause"] == "firm_death" {
                assert_eq!(end, *d);
            }
        }
        assert!(["exit", "firm_death", "censored"].contains(&s["end_cause"].as_str()));
    }
    assert!(censored > 0 && censored < spells.rows.len());

    let markets = Table::read(&dir.path().join("markets.csv"));
    assert_eq!(markets.rows.len(), 31);
    assert_eq!(markets.rows[0]["name"], "home");
}

#[test]
fn an_existing_result_is_never_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path(), &["--panel"]);
    let before = std::fs::read(dir.path().join("rounds.csv")).unwrap();
    let assert = smesim()
        .args(["run", "-q"])
        .arg(scenario("small.toml"))
        .arg("--out")
        .arg(dir.path())
        .args(["--seed", "5"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("not empty") && stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read(dir.path().join("rounds.csv")).unwrap(), before);

    run_small(dir.path(), &["--seed", "5", "--force"]);
    assert_ne!(std::fs::read(dir.path().join("rounds.csv")).unwrap(), before);
    assert!(!dir.path().join("panel.csv").exists(), "a stale panel from the earlier run is removed");
}

#[test]
fn the_panel_is_written_on_request() {
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path(), &["--panel", "--replications", "1"]);
    let panel = Table::read(&dir.path().join("panel.csv"));
    assert_eq!(
        panel.header.join(","),
        "replication,round,firm,alive,productivity,home_sales,export_sales,markets,cash"
    );
    let rounds = Table::read(&dir.path().join("rounds.csv"));
    let alive_end: f64 = rounds.rows.iter().filter(|r| r["strategy"] == "all").map(|r| Table::num(r, "alive")).sum();
    let alive_rows = panel.rows.iter().filter(|p| p["alive"] == "1").count();
    assert_eq!(alive_rows as f64, alive_end, "one alive panel row per firm alive at the end of each round");
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a_file");
    std::fs::write(&file, "x").unwrap();
    for out in [file.clone(), file.join("below")] {
        let assert = smesim().args(["run", "-q"]).arg(scenario("small.toml")).arg("--out").arg(&out).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(&*file.to_string_lossy()), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn bad_flags_exit_with_code_two() {
    smesim().args(["run", "--replications", "0"]).assert().code(2);
    smesim().args(["run", "--threads", "zero"]).assert().code(2);
    smesim().args(["frobnicate"]).assert().code(2);
}

#[test]
fn check_accepts_a_valid_scenario() {
    let assert = smesim().arg("check").arg(scenario("small.toml")).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.starts_with("ok:") && stdout.contains("800 firms"), "{stdout}");
}

#[test]
fn the_resolved_scenario_reproduces_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    run_small(&first, &["--replications", "1"]);
    let second = dir.path().join("second");
    smesim().args(["run", "-q"]).arg(first.join("scenario.resolved.toml")).arg("--out").arg(&second).assert().success();
    for file in ["rounds.csv", "spells.csv", "firms.csv", "markets.csv"] {
        assert_eq!(std::fs::read(first.join(file)).unwrap(), std::fs::read(second.join(file)).unwrap(), "{file}");
    }
}

#[test]
fn bench_reports_every_size_and_thread_count_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let assert = smesim()
        .current_dir(dir.path())
        .args(["bench", "--firms", "300,100", "--threads", "1,2", "--repeat", "2", "--json"])
        .args(["--set", "simulation.burn_in=1", "--set", "simulation.rounds=4"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let ms = doc["measurements"].as_array().unwrap();
    let sizes: Vec<(u64, u64)> =
        ms.iter().map(|m| (m["firms"].as_u64().unwrap(), m["threads"].as_u64().unwrap())).collect();
    assert_eq!(sizes, [(100, 1), (100, 2), (300, 1), (300, 2)], "sizes ascending, each on every thread count");
    for m in ms {
        assert_eq!(m["seconds"].as_array().unwrap().len(), 2);
        assert!(m["firm_rounds"].as_u64().unwrap() >= m["firms"].as_u64().unwrap() * 4);
        assert!(m["firm_rounds_per_second"].as_f64().unwrap() > 0.0);
    }
    assert_eq!(doc["replications"], 1, "a benchmark times one population unless told otherwise");
    assert_eq!(doc["scaling"].as_array().unwrap().len(), 2, "one fit per thread count");
    assert_eq!(doc["speedups"].as_array().unwrap().len(), 2, "one speed-up per size");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "bench writes no files");
}

#[test]
fn bench_prints_a_table_with_the_fitted_exponent() {
    let assert = smesim()
        .args(["bench", "--firms", "100,200", "--threads", "1", "--repeat", "1"])
        .args(["--set", "simulation.burn_in=1", "--set", "simulation.rounds=3"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("firm-rounds/s") && stdout.contains("time ~ firm-rounds^"), "{stdout}");
    smesim().args(["bench", "--firms", "0"]).assert().code(2);
    smesim().args(["bench", "--set", "simulation.rounds=-1"]).assert().code(2);
}
