//! The command line for strategy studies: `compare --strategies`,
//! `strategy-map` and `--set`.

mod common;

use common::{Table, scenario, smesim};

#[test]
fn compare_runs_one_scenario_once_per_strategy_with_the_same_firms() {
    let dir = tempfile::tempdir().unwrap();
    let assert = smesim()
        .args(["compare", "-q"])
        .arg(scenario("small.toml"))
        .args(["--strategies", "waterfall,sprinkler", "--replications", "2", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for shown in ["compared 2 strategies", "discounted_profit", "failed_entries", "markets_reached"] {
        assert!(stdout.contains(shown), "the printed table lacks {shown}: {stdout}");
    }
    let rows = Table::read(&dir.path().join("comparison.csv"));
    let labels: std::collections::BTreeSet<_> = rows.rows.iter().map(|r| r["scenario"].as_str()).collect();
    assert_eq!(labels.into_iter().collect::<Vec<_>>(), ["sprinkler", "waterfall"]);
    for (sub, strategy) in [("1_waterfall", "waterfall"), ("2_sprinkler", "sprinkler")] {
        let firms = Table::read(&dir.path().join(sub).join("firms.csv"));
        assert!(firms.rows.iter().all(|f| f["strategy"] == strategy), "{sub} holds only {strategy} firms");
    }
    let (w, s) = (
        Table::read(&dir.path().join("1_waterfall/firms.csv")),
        Table::read(&dir.path().join("2_sprinkler/firms.csv")),
    );
    let initial = |t: &Table| -> Vec<String> {
        t.rows
            .iter()
            .filter(|f| f["birth"] == "0")
            .map(|f| format!("{} {} {}", f["firm"], f["eo"], f["productivity"]))
            .collect()
    };
    let (mut iw, mut is) = (initial(&w), initial(&s));
    iw.sort();
    is.sort();
    assert_eq!(iw, is, "the same initial firms under both strategies");
}

#[test]
fn a_strategy_map_writes_its_table_heatmap_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let assert = smesim()
        .args(["strategy-map", "-q"])
        .arg(scenario("small.toml"))
        .args(["--x", "markets.entry_cost=0.5..2", "--y", "markets.rival_hazard=0..0.3", "--steps", "2"])
        .args(["--replications", "2", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("rows: markets.rival_hazard, columns: markets.entry_cost"), "{stdout}");
    let t = Table::read(&dir.path().join("strategy_map.csv"));
    assert_eq!(
        t.header.join(","),
        "x_key,x,y_key,y,first,second,first_profit,second_profit,difference,difference_low,difference_high,\
         settled,winner,first_failed_entries,second_failed_entries,replications"
    );
    assert_eq!(t.rows.len(), 4);
    for r in &t.rows {
        let d = Table::num(r, "difference");
        assert!((d - (Table::num(r, "second_profit") - Table::num(r, "first_profit"))).abs() < 1e-9);
        assert!(["waterfall", "sprinkler", "undecided"].contains(&r["winner"].as_str()));
    }
    let png = std::fs::File::open(dir.path().join("plots/strategy_map.png")).unwrap();
    let info = png::Decoder::new(png).read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (smesim::plot::WIDTH, smesim::plot::HEIGHT));
    let svg = std::fs::read_to_string(dir.path().join("plots/strategy_map.svg")).unwrap();
    assert!(svg.contains("markets.entry_cost") && svg.contains("sprinkler earns more"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("strategy map"));
    assert!(dir.path().join("manifest.json").exists());
}

#[test]
fn set_changes_one_setting_and_a_bad_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    smesim()
        .args(["run", "-q"])
        .arg(scenario("small.toml"))
        .args(["--set", "markets.entry_cost=0.9", "--set", "simulation.firms=300"])
        .args(["--set", "strategy.self_funded=true", "--replications", "1", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let resolved = std::fs::read_to_string(dir.path().join("scenario.resolved.toml")).unwrap();
    for setting in ["entry_cost = 0.9", "firms = 300", "self_funded = true"] {
        assert!(resolved.contains(setting), "{setting}: {resolved}");
    }
    for (bad, fragment) in [
        ("markets.entry_kost=1", "markets.entry_kost"),
        ("firms.death_rate=2", "firms.death_rate"),
        ("strategy.self_funded=1", "boolean"),
        ("markets.entry_cost", "KEY=VALUE"),
    ] {
        let assert = smesim().args(["run", "-q", "--set", bad, "--out"]).arg(dir.path().join("x")).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(fragment), "--set {bad}: {stderr}");
    }
}

#[test]
fn strategy_map_rejects_a_bad_axis_or_strategy() {
    for args in [
        vec!["--x", "markets.entry_cost=3..1", "--y", "markets.rival_hazard=0..0.3"],
        vec!["--x", "markets.entry_cost=0.5..2", "--y", "product.nonsense=0..1"],
        vec![
            "--x",
            "markets.entry_cost=0.5..2",
            "--y",
            "markets.rival_hazard=0..0.3",
            "--strategies",
            "waterfall,zigzag",
        ],
    ] {
        let assert = smesim().arg("strategy-map").arg(scenario("small.toml")).args(&args).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains("allowed"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_changed_run_gets_its_own_default_folder() {
    let cwd = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        smesim()
            .current_dir(cwd.path())
            .args(["run", "-q", "--replications", "1"])
            .arg(scenario("small.toml"))
            .args(extra)
            .assert()
            .success();
    };
    run(&[]);
    run(&["--set", "markets.entry_cost=0.9", "--seed", "7"]);
    for folder in ["small_replications=1", "small_seed=7_replications=1_markets.entry_cost=0.9"] {
        assert!(cwd.path().join("output").join(folder).join("manifest.json").exists(), "{folder}");
    }
}
