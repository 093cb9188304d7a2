//! What `smesim run` derives from its tables: summary, survival curves, plots,
//! report; `smesim plot` redraws them from the CSV files alone; `smesim compare`.

mod common;

use common::{Table, outputs, scenario, smesim};
use std::path::Path;

fn run_small(out: &Path) {
    smesim().args(["run", "-q"]).arg(scenario("small.toml")).arg("--out").arg(out).assert().success();
}

const PLOTS: [&str; 11] = [
    "exporter_share",
    "firm_survival",
    "spell_survival",
    "spell_hazard",
    "markets_per_exporter",
    "markets_ccdf",
    "discounted_profit",
    "entries",
    "diversification_hhi",
    "diversification_entropy",
    "spell_survival_by_origin",
];

#[test]
fn every_plot_is_a_png_of_the_right_size_and_an_svg_with_axis_titles() {
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path());
    for stem in PLOTS {
        let png = dir.path().join(format!("plots/{stem}.png"));
        let decoder = png::Decoder::new(std::fs::File::open(&png).unwrap_or_else(|e| panic!("{stem}.png: {e}")));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (smesim::plot::WIDTH, smesim::plot::HEIGHT), "{stem}");
        let svg = std::fs::read_to_string(dir.path().join(format!("plots/{stem}.svg"))).unwrap();
        assert!(svg.contains("<svg"), "{stem}.svg");
        assert!(svg.matches("<text").count() >= 5, "{stem}.svg has a title, axis titles and tick labels");
    }
    let svg = std::fs::read_to_string(dir.path().join("plots/spell_survival.svg")).unwrap();
    for text in ["Export spell survival", "spell length (rounds)", "share of spells still running", "waterfall"] {
        assert!(svg.contains(text), "spell_survival.svg lacks {text:?}");
    }
    let svg = std::fs::read_to_string(dir.path().join("plots/markets_ccdf.svg")).unwrap();
    assert!(svg.contains("foreign markets k (log scale)"));
}

#[test]
fn plot_redraws_everything_from_the_csv_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path());
    let before = outputs(dir.path());
    for derived in ["summary.json", "survival.csv", "report.html"] {
        std::fs::remove_file(dir.path().join(derived)).unwrap();
    }
    std::fs::remove_dir_all(dir.path().join("plots")).unwrap();
    smesim().arg("plot").arg(dir.path()).assert().success();
    let after = outputs(dir.path());
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    for (name, bytes) in &before {
        assert!(after[name] == *bytes, "{name} differs when redrawn from the CSV files");
    }
}

#[test]
fn plot_refuses_a_folder_without_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let assert = smesim().arg("plot").arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("holds no smesim run"), "{stderr}");
}

#[test]
fn survival_curves_hold_their_invariants() {
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path());
    let t = Table::read(&dir.path().join("survival.csv"));
    assert_eq!(
        t.header.join(","),
        "curve,firm_death,group_by,group,time,at_risk,events,censored,survival,std_err,low,high,hazard,hazard_low,hazard_high"
    );
    let mut curves = std::collections::BTreeMap::<String, Vec<_>>::new();
    for r in &t.rows {
        let key = format!("{}/{}/{}/{}", r["curve"], r["firm_death"], r["group_by"], r["group"]);
        curves.entry(key).or_default().push(r);
    }
    for required in
        ["firm/event/all/all", "spell/event/all/all", "spell/censoring/all/all", "spell/event/strategy/waterfall"]
    {
        assert!(curves.contains_key(required), "survival.csv lacks {required}");
    }
    for (key, rows) in &curves {
        let mut previous = (1.0, f64::INFINITY);
        for r in rows {
            let (s, lo, hi) = (Table::num(r, "survival"), Table::num(r, "low"), Table::num(r, "high"));
            let (h, hl, hh) = (Table::num(r, "hazard"), Table::num(r, "hazard_low"), Table::num(r, "hazard_high"));
            let at_risk = Table::num(r, "at_risk");
            assert!(s <= previous.0 + 1e-12, "{key}: survival rises at t = {}", r["time"]);
            assert!(at_risk <= previous.1, "{key}: at risk rises");
            assert!(lo <= s + 1e-12 && s <= hi + 1e-12, "{key}: band excludes S at t = {}", r["time"]);
            assert!(hl <= h + 1e-12 && h <= hh + 1e-12 && (0.0..=1.0).contains(&h));
            previous = (s, at_risk);
        }
    }
}

#[test]
fn summary_gives_every_headline_figure_with_an_interval() {
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path());
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["replications"], 2);
    for (metric, _) in smesim::analysis::summary::METRICS {
        let h = &s["all"][metric];
        assert!(h.is_object(), "summary.json lacks {metric}");
        assert!(s["definitions"][metric].is_string());
        if let (Some(m), Some(lo), Some(hi)) = (h["mean"].as_f64(), h["low"].as_f64(), h["high"].as_f64()) {
            assert!(lo <= m && m <= hi, "{metric}: {h}");
        }
    }
    let share = s["all"]["exporter_share"]["mean"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&share));
    assert!(s["groups"]["strategy"]["sprinkler"]["spell_survival_1"].is_object());
    assert!(s["groups"]["born_global"]["born global"]["spell_survival_1"].is_object());
    assert!(s["conventions"]["firm_death"].as_str().unwrap().contains("exit event"));
}

#[test]
fn the_report_is_one_self_contained_page_with_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path());
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("smesim: small") && html.contains("Headline figures"));
    assert_eq!(html.matches("<svg").count(), PLOTS.len(), "every plot inline");
    assert_eq!(html.matches("<figcaption>").count(), PLOTS.len(), "every plot with a caption");
    for external in ["<script", "<link", "<img", "src=", "url("] {
        assert!(!html.contains(external), "report.html loads something: {external}");
    }
    assert!(html.contains("exporter_share") && html.contains("95%"));
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let dir = tempfile::tempdir().unwrap();
    let small = scenario("small.toml");
    smesim()
        .args(["compare", "-q"])
        .arg(&small)
        .arg(&small)
        .arg("--out")
        .arg(dir.path())
        .args(["--replications", "3"])
        .assert()
        .success();
    let rows = Table::read(&dir.path().join("comparison.csv"));
    assert_eq!(rows.header.join(","), "metric,scenario,mean,low,high,difference,difference_low,difference_high,n");
    let mut checked = 0;
    for r in &rows.rows {
        if !r["difference"].is_empty() {
            for col in ["difference", "difference_low", "difference_high"] {
                assert_eq!(Table::num(r, col), 0.0, "{} {col} = {}", r["metric"], r[col]);
            }
            checked += 1;
        }
    }
    assert!(checked >= 2 * 20, "every metric of both scenarios: {checked}");
    for sub in ["1_small", "2_small"] {
        assert!(dir.path().join(sub).join("manifest.json").exists(), "{sub} is a complete run");
        assert!(dir.path().join(sub).join("report.html").exists());
    }
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("small (1)") && html.contains("small (2)"));
    assert!(dir.path().join("plots/spell_survival.svg").exists());
}

#[test]
fn compare_pairs_replications_and_finds_a_real_difference() {
    let dir = tempfile::tempdir().unwrap();
    let cheap = dir.path().join("cheap.toml");
    std::fs::write(
        &cheap,
        format!(
            "extends = {:?}\nname = \"cheap\"\n[markets]\nentry_cost = 0.5\nfixed_cost = 0.1\n",
            scenario("small.toml").to_string_lossy()
        ),
    )
    .unwrap();
    let out = dir.path().join("cmp");
    smesim().args(["compare", "-q"]).arg(scenario("small.toml")).arg(&cheap).arg("--out").arg(&out).assert().success();
    let rows = Table::read(&out.join("comparison.csv"));
    let share = rows.rows.iter().find(|r| r["metric"] == "exporter_share" && r["scenario"] == "cheap").unwrap();
    assert!(Table::num(share, "difference_low") > 0.0, "cheaper entry raises the exporter share: {share:?}");
}
