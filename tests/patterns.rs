//! `smesim patterns`: every direction in `patterns.json`, one figure and one
//! printed line each, and exit code 0 whatever the verdicts.

mod common;

use common::smesim;

const IDS: [&str; 7] = ["P1a", "P1b", "P2", "P3a", "P3b", "P4", "P5"];
const FIGURES: [&str; 7] = [
    "p1a_learning",
    "p1b_acap_survival",
    "p2_network_markets",
    "p3_first_export_age",
    "p3_markets",
    "p4_first_market_distance",
    "p5_reentry_after_failure",
];

/// A finite number, or null where the figure is undefined.
fn finite_or_null(v: &serde_json::Value) -> bool {
    v.is_null() || v.as_f64().is_some_and(f64::is_finite)
}

#[test]
fn patterns_saves_every_direction_with_its_figure_and_prints_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p");
    let small = ["--replications", "3", "--set", "simulation.firms=1500", "--set", "simulation.rounds=40"];
    let assert = smesim().args(["patterns", "-q"]).args(small).arg("--out").arg(&out).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let p: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("patterns.json")).unwrap()).unwrap();
    let patterns = p["patterns"].as_array().unwrap();
    assert_eq!(patterns.iter().map(|x| x["id"].as_str().unwrap()).collect::<Vec<_>>(), IDS);
    for (x, figure) in patterns.iter().zip(FIGURES) {
        let id = x["id"].as_str().unwrap();
        assert_eq!(x["figure"], figure);
        for g in x["groups"].as_array().unwrap().iter().chain([&x["difference"]]) {
            assert_eq!(g["replications"].as_array().unwrap().len(), 3, "{id}");
            assert!(g["replications"].as_array().unwrap().iter().all(finite_or_null), "{id}: {g}");
            let mean = &g["mean"];
            assert!(finite_or_null(&mean["mean"]), "{id}: {g}");
            if let Some(m) = mean["mean"].as_f64() {
                assert!(mean["low"].as_f64().unwrap() <= m && m <= mean["high"].as_f64().unwrap(), "{id}: {g}");
            }
        }
        assert!(["positive", "negative"].contains(&x["predicted"].as_str().unwrap()), "{id}");
        assert_eq!(x["reproduced"].as_bool(), Some(x["verdict"] == "reproduced"), "{id}");
        for ext in ["png", "svg"] {
            assert!(out.join(format!("{figure}.{ext}")).is_file(), "{figure}.{ext}");
        }
        let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with(&format!("{id} "))).collect();
        assert_eq!(lines.len(), 1, "{id}:\n{stdout}");
        assert!(lines[0].contains("reproduced"), "{}", lines[0]);
    }
    assert_eq!(p["patterns"][0]["verdict"], "reproduced", "more capacity learns more: deterministic");
    let curves = p["learning"]["curves"].as_array().unwrap();
    assert!(curves.iter().all(|c| c["knowledge"].as_array().unwrap().len() == 9));
    assert!(out.join("manifest.json").is_file() && out.join("scenario.resolved.toml").is_file());
}

#[test]
fn patterns_refuses_bad_input_with_code_two() {
    let dir = tempfile::tempdir().unwrap();
    smesim().args(["patterns", "no/such/file.toml"]).assert().code(2);
    smesim().args(["patterns", "--set", "firms.death_rate=2"]).assert().code(2);
    let out = dir.path().join("taken");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("results.csv"), "x").unwrap();
    let assert = smesim().args(["patterns", "-q", "--out"]).arg(&out).assert().code(2);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("--force"));
}
