//! `smesim validate`: one line per check, `validation.json`, and an exit code
//! that says whether every target passed.

mod common;

use common::smesim;
use std::path::Path;

/// A quick validation of the baseline: fewer firms, rounds and replications.
fn validate(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let small = ["--replications", "4", "--set", "simulation.firms=1500", "--set", "simulation.rounds=45"];
    smesim().args(["validate", "-q"]).args(small).arg("--out").arg(out).args(extra).assert()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn validate_prints_every_check_saves_the_verdicts_and_exits_zero_only_if_all_pass() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    let assert = validate(&out, &[]);
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let v = json(&out.join("validation.json"));
    let targets = v["targets"].as_array().unwrap();
    let ids: Vec<&str> = targets.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["V1", "V3", "V4", "V5", "V6", "V10", "V12", "V13"]);
    for t in targets {
        for c in t["checks"].as_array().unwrap() {
            let line = stdout
                .lines()
                .find(|l| l.starts_with(t["id"].as_str().unwrap()) && l.contains(c["label"].as_str().unwrap()))
                .unwrap_or_else(|| panic!("no line for {c}:\n{stdout}"));
            let pass = c["pass"].as_bool().unwrap();
            assert!(line.ends_with(if pass { "PASS" } else { "FAIL" }), "{line}");
            assert_eq!(c["replications"].as_array().unwrap().len(), 4);
            if let Some(mean) = c["value"]["mean"].as_f64() {
                assert!(c["value"]["low"].as_f64().unwrap() <= mean && mean <= c["value"]["high"].as_f64().unwrap());
            }
        }
        let all = t["checks"].as_array().unwrap().iter().all(|c| c["pass"].as_bool().unwrap());
        assert_eq!(t["pass"].as_bool(), Some(all));
    }
    let passed = v["passed"].as_bool().unwrap();
    assert_eq!(passed, targets.iter().all(|t| t["pass"].as_bool().unwrap()));
    assert_eq!(output.status.code(), Some(if passed { 0 } else { 1 }), "{stdout}");
    assert_eq!(v["runs"].as_array().unwrap().len(), 6, "the scenario, the cost cut and four KMM runs");
    assert!(out.join("manifest.json").is_file() && out.join("scenario.resolved.toml").is_file());
}

#[test]
fn a_scenario_that_misses_a_target_fails_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    // nearly free entry: far too many firms export
    let cheap = ["--set", "markets.entry_cost=0.02", "--set", "markets.fixed_cost=0.01"];
    let assert = validate(&out, &cheap).code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let v1 = stdout.lines().find(|l| l.starts_with("V1 ")).unwrap();
    assert!(v1.ends_with("FAIL"), "{v1}");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("targets not met: V1"), "{stderr}");
    assert_eq!(json(&out.join("validation.json"))["passed"], false);
}

#[test]
fn validate_refuses_bad_input_with_code_two() {
    let dir = tempfile::tempdir().unwrap();
    smesim().args(["validate", "no/such/file.toml"]).assert().code(2);
    smesim().args(["validate", "--set", "firms.death_rate=2"]).assert().code(2);
    let out = dir.path().join("taken");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("results.csv"), "x").unwrap();
    let assert = smesim().args(["validate", "-q", "--out"]).arg(&out).assert().code(2);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("--force"));
}
