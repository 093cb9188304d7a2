//! The policy layer end to end: `[[policy]]` programmes and `[[rin]]` networks
//! run against their no-policy twin on small scenarios. A programme that spends
//! nothing changes nothing, the twin is the run without the policy, budgets
//! hold, the evaluation's files are complete and consistent, and a strong
//! subsidy makes more exporters.
//!
//! Each scenario is run once (see [`Fixture`]) and shared by the tests that
//! read it; bad input is covered by the cases in `tests/scenarios/malformed/`.

mod common;

use common::{Table, smesim};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The tables a run writes whatever it simulates.
const TABLES: [&str; 4] = ["rounds.csv", "spells.csv", "firms.csv", "markets.csv"];

const REPLICATIONS: usize = 3;
const ROUNDS: u32 = 30;

/// A small world: the baseline with fewer firms, rounds and replications.
fn base() -> String {
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    format!(
        "extends = '{}'\nname = \"policy-test\"\n\n[simulation]\nfirms = 1500\nrounds = {ROUNDS}\nburn_in = 10\n\
         replications = {REPLICATIONS}\nseed = 7\n",
        baseline.display()
    )
}

/// An entry subsidy with no money.
const ZERO_BUDGET: &str = r#"
[[policy]]
id = "nothing"
instrument = "entry_subsidy"
start = 12
duration = 10
budget_per_round = 0.0
selection = "lottery"
eligibility = { exporter = ["non_exporter"] }
"#;

/// A network with no money: members join, but no service runs.
const ZERO_RIN: &str = r#"
[[rin]]
id = "idle"
start = 12
duration = 10
funding_per_round = 0.0
take_up = 0.5
"#;

/// Several instruments and a network at once, most with budgets that bind.
const MULTI: &str = r#"
[[policy]]
id = "entry"
instrument = "entry_subsidy"
start = 12
duration = 8
budget_per_round = 6.0
selection = "lottery"
eligibility = { exporter = ["non_exporter"] }
support_rounds = 2

[[policy]]
id = "stay"
instrument = "stay_support"
start = 13
duration = 6
budget_per_round = 3.0
eligibility = { exporter = ["new_exporter", "experienced"] }

[[policy]]
id = "credit"
instrument = "export_credit"
start = 12
duration = 10
budget_per_round = 4.5
selection = "ranked"
take_up = 0.5
effect = 1.5

[[policy]]
id = "info"
instrument = "market_information"
start = 14
duration = 5
budget_per_round = 1.0
cost_per_firm = 0.15
awareness = 0.6
target_markets = [1, 2, "m5"]

[[policy]]
id = "fair"
instrument = "trade_fair"
start = 12
duration = 4
budget_per_round = 2.5
stand_size = 4
target_distance = [0.0, 0.5]

[[policy]]
id = "training"
instrument = "training"
start = 15
duration = 3
budget_per_round = 2.0
selection = "ranked"
eligibility = { age = [2, 100], eo = [0.3, 1.0] }

[[rin]]
id = "network"
start = 12
duration = 10
funding_per_round = 10.0
take_up = 0.4
engagement = 0.25

[evaluation]
horizon = 4
"#;

/// First round of support in [`MULTI`] and [`STRONG`].
const START: u32 = 12;

/// A generous subsidy of 90% of the entry cost for non-exporters, by lottery.
const STRONG: &str = r#"
[[policy]]
id = "strong"
instrument = "entry_subsidy"
start = 12
duration = 8
budget_per_round = 400.0
selection = "lottery"
eligibility = { exporter = ["non_exporter"] }
effect = 0.9
max_per_firm = 8.0

[evaluation]
horizon = 5
"#;

/// A scenario run once, on first use, into `target/tmp/policy/<name>/` (kept
/// for inspection after a failure).
struct Fixture {
    name: &'static str,
    policy: &'static str,
    out: OnceLock<PathBuf>,
}

impl Fixture {
    const fn new(name: &'static str, policy: &'static str) -> Self {
        Fixture { name, policy, out: OnceLock::new() }
    }

    /// The run's output folder.
    fn out(&self) -> &Path {
        self.out.get_or_init(|| {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("policy");
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("{}.toml", self.name));
            std::fs::write(&file, format!("{}{}", base(), self.policy)).unwrap();
            let out = dir.join(self.name);
            if out.exists() {
                std::fs::remove_dir_all(&out).unwrap();
            }
            smesim().args(["run", "-q"]).arg(&file).arg("--out").arg(&out).assert().success();
            out
        })
    }
}

static PLAIN: Fixture = Fixture::new("plain", "");
static ZERO_BUDGET_RUN: Fixture = Fixture::new("zero_budget", ZERO_BUDGET);
static ZERO_RIN_RUN: Fixture = Fixture::new("zero_rin", ZERO_RIN);
static MULTI_RUN: Fixture = Fixture::new("multi", MULTI);
static STRONG_RUN: Fixture = Fixture::new("strong", STRONG);

fn assert_same_tables(a: &Path, b: &Path) {
    for file in TABLES {
        let (x, y) = (std::fs::read(a.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap());
        assert!(x == y, "{file} differs between {} and {}", a.display(), b.display());
    }
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `[[policy]]` and `[[rin]]` entries of a run's resolved scenario, by id:
/// (money per round, start, duration).
fn programmes(out: &Path) -> BTreeMap<String, (f64, u32, u32)> {
    let text = std::fs::read_to_string(out.join("scenario.resolved.toml")).unwrap();
    let resolved: toml::Table = text.parse().unwrap();
    let mut found = BTreeMap::new();
    for (section, money) in [("policy", "budget_per_round"), ("rin", "funding_per_round")] {
        for entry in resolved.get(section).and_then(|v| v.as_array()).into_iter().flatten() {
            let int = |key: &str| u32::try_from(entry[key].as_integer().unwrap()).unwrap();
            let id = entry["id"].as_str().unwrap().to_string();
            found.insert(id, (entry[money].as_float().unwrap(), int("start"), int("duration")));
        }
    }
    found
}

#[test]
fn a_policy_without_money_changes_nothing() {
    for run in [&ZERO_BUDGET_RUN, &ZERO_RIN_RUN] {
        let out = run.out();
        assert_same_tables(PLAIN.out(), out);
        assert_same_tables(PLAIN.out(), &out.join("twin"));

        let rows = Table::read(&out.join("programmes.csv")).rows;
        assert_eq!(rows.len(), REPLICATIONS * ROUNDS as usize, "{}: one row per replication and round", run.name);
        for r in &rows {
            for key in ["participants", "committed", "spent"] {
                assert_eq!(Table::num(r, key), 0.0, "{}: {r:?}", run.name);
            }
        }
        if run.name == ZERO_RIN_RUN.name {
            // Firms still join the network: only the money for its services is missing.
            assert!(rows.iter().any(|r| Table::num(r, "applicants") > 0.0), "nobody joined the network");
        }

        assert!(Table::read(&out.join("supported.csv")).rows.is_empty(), "{}", run.name);
        let effects = Table::read(&out.join("effects.csv"));
        assert_eq!(effects.rows.len(), REPLICATIONS);
        for r in &effects.rows {
            for key in ["supported", "additional_exporters", "additional_surviving_exporters", "budget_spent"] {
                assert_eq!(Table::num(r, key), 0.0, "{}: {key} in {r:?}", run.name);
            }
        }
    }
}

/// rounds.csv rows of the policy run and its twin before `start` are equal,
/// and some later row differs.
fn assert_twin_until(out: &Path, start: u32) {
    let (policy, twin) = (Table::read(&out.join("rounds.csv")), Table::read(&out.join("twin/rounds.csv")));
    assert_eq!(policy.header, twin.header);
    assert_eq!(policy.rows.len(), twin.rows.len());
    let mut before = 0;
    let mut differ_after = false;
    for (p, t) in policy.rows.iter().zip(&twin.rows) {
        assert_eq!((&p["replication"], &p["round"], &p["strategy"]), (&t["replication"], &t["round"], &t["strategy"]));
        if Table::num(p, "round") < f64::from(start) {
            assert_eq!(p, t, "{}: the policy run and its twin differ before round {start}", out.display());
            before += 1;
        } else {
            differ_after |= p != t;
        }
    }
    assert!(before > 0, "no rounds before {start}");
    assert!(differ_after, "{}: the policy changed nothing", out.display());
}

#[test]
fn the_twin_is_the_run_without_the_policy_and_matches_it_until_support_starts() {
    for run in [&MULTI_RUN, &STRONG_RUN] {
        let out = run.out();
        let first = programmes(out).values().map(|(_, start, _)| *start).min().unwrap();
        assert_eq!(first, START);
        assert_twin_until(out, first);
        assert_same_tables(PLAIN.out(), &out.join("twin"));
        assert!(!out.join("twin/programmes.csv").exists(), "the twin runs no programme");
    }
}

#[test]
fn programmes_never_commit_more_than_their_budget() {
    let out = MULTI_RUN.out();
    let budgets = programmes(out);
    assert_eq!(budgets.len(), 7, "six programmes and a network: {budgets:?}");
    let table = Table::read(&out.join("programmes.csv"));
    assert_eq!(
        table.header.join(","),
        "replication,round,programme,instrument,eligible,applicants,participants,committed,spent"
    );
    assert_eq!(table.rows.len(), REPLICATIONS * ROUNDS as usize * budgets.len());

    // (replication, programme) -> (committed, spent) summed over rounds
    let mut sums: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    // programmes that had participants, and whose budget turned applicants away
    let (mut active, mut binding) = (BTreeSet::new(), BTreeSet::new());
    for r in &table.rows {
        let id = &r["programme"];
        let (budget, start, duration) =
            *budgets.get(id).unwrap_or_else(|| panic!("programmes.csv names an unknown programme {id:?}"));
        let (committed, spent) = (Table::num(r, "committed"), Table::num(r, "spent"));
        let (eligible, applicants, participants) =
            (Table::num(r, "eligible"), Table::num(r, "applicants"), Table::num(r, "participants"));
        assert!(committed <= budget + 1e-9, "committed more than budget_per_round = {budget}: {r:?}");
        assert!(committed >= 0.0 && spent >= 0.0, "{r:?}");
        assert!(participants <= applicants && applicants <= eligible, "{r:?}");
        let round = Table::num(r, "round") as u32;
        if !(start..start + duration).contains(&round) {
            assert_eq!((participants, committed), (0.0, 0.0), "selection outside rounds {start}-: {r:?}");
        }
        if participants > 0.0 {
            active.insert(id.clone());
        }
        if applicants > participants {
            binding.insert(id.clone());
        }
        let sum = sums.entry((r["replication"].clone(), id.clone())).or_default();
        sum.0 += committed;
        sum.1 += spent;
    }
    for ((rep, id), (committed, spent)) in &sums {
        assert!(spent <= &(committed + 1e-6), "replication {rep}, {id}: spent {spent} > committed {committed}");
    }
    let all: BTreeSet<String> = budgets.keys().cloned().collect();
    assert_eq!(active, all, "every programme selects someone");
    assert_eq!(binding, all, "every budget binds somewhere, so the checks above have teeth");
}

/// The field names of `EffectRow` and `SupportedRow` in src/analysis/effects.rs.
const EFFECTS_HEADER: &str = "replication,supported,additional_exporters,additional_surviving_exporters,\
                              additional_export_sales,budget_spent,cost_per_additional_surviving_exporter,deadweight,\
                              deadweight_survival,supported_exporting,supported_exporting_twin,displacement";
const SUPPORTED_HEADER: &str = "replication,firm,twin_firm,birth,cohort,first_support_round,aid_received,exported,\
                                exported_twin,exporting_at_horizon,exporting_at_horizon_twin,alive_at_horizon,\
                                alive_at_horizon_twin";
/// `METRICS` in src/analysis/effects.rs.
const METRICS: [&str; 10] = [
    "supported",
    "additional_exporters",
    "additional_surviving_exporters",
    "additional_export_sales",
    "budget_spent",
    "deadweight",
    "deadweight_survival",
    "supported_exporting",
    "supported_exporting_twin",
    "displacement",
];

fn check_evaluation_files(out: &Path) {
    let what = out.display();
    let effects = Table::read(&out.join("effects.csv"));
    assert_eq!(effects.header.join(","), EFFECTS_HEADER);
    let reps: Vec<&str> = effects.rows.iter().map(|r| r["replication"].as_str()).collect();
    assert_eq!(reps, ["1", "2", "3"], "{what}: one row per replication");

    // budget_spent is what programmes.csv says was spent
    let mut spent: BTreeMap<String, f64> = BTreeMap::new();
    for r in &Table::read(&out.join("programmes.csv")).rows {
        *spent.entry(r["replication"].clone()).or_default() += Table::num(r, "spent");
    }
    for r in &effects.rows {
        let (budget, expected) = (Table::num(r, "budget_spent"), spent[&r["replication"]]);
        assert!((budget - expected).abs() < 1e-6 * (1.0 + expected), "{what}: {budget} vs {expected}");
        assert!(budget > 0.0, "{what}: nothing spent in {r:?}");
    }

    // supported.csv and firms.csv tell the same story
    let supported = Table::read(&out.join("supported.csv"));
    assert_eq!(supported.header.join(","), SUPPORTED_HEADER);
    assert!(!supported.rows.is_empty(), "{what}: nobody supported");
    let firms = Table::read(&out.join("firms.csv"));
    let by_id: BTreeMap<(&str, &str), &BTreeMap<String, String>> =
        firms.rows.iter().map(|f| ((f["replication"].as_str(), f["firm"].as_str()), f)).collect();
    let mut per_rep: BTreeMap<String, f64> = BTreeMap::new();
    for s in &supported.rows {
        let f = by_id
            .get(&(s["replication"].as_str(), s["firm"].as_str()))
            .unwrap_or_else(|| panic!("{what}: supported firm not in firms.csv: {s:?}"));
        assert_eq!(f["treated"], "1", "{what}: {f:?}");
        for key in ["first_support_round", "birth", "cohort"] {
            assert_eq!(f[key], s[key], "{what}: {key} of {s:?}");
        }
        assert!((Table::num(f, "aid_received") - Table::num(s, "aid_received")).abs() < 1e-9, "{s:?}");
        let t0 = Table::num(s, "first_support_round");
        assert!(t0 >= Table::num(s, "birth") && t0 >= f64::from(START), "{s:?}");
        *per_rep.entry(s["replication"].clone()).or_default() += 1.0;
    }
    let treated = firms.rows.iter().filter(|f| f["treated"] == "1").count();
    assert_eq!(treated, supported.rows.len(), "{what}: every treated firm is in supported.csv");
    for f in &firms.rows {
        assert_eq!(f["treated"] == "1", !f["first_support_round"].is_empty(), "{what}: {f:?}");
        assert!(["0", "1"].contains(&f["treated"].as_str()), "{f:?}");
    }
    for r in &effects.rows {
        assert_eq!(Table::num(r, "supported"), per_rep[&r["replication"]], "{what}: {r:?}");
    }

    // effects.json: headline figures, the cost ratio, the window, the programmes
    let e = json(&out.join("effects.json"));
    for metric in METRICS {
        let h = &e["figures"][metric];
        assert_eq!(h["n"].as_u64(), Some(REPLICATIONS as u64), "{what}: {metric}: {h}");
        let (mean, low, high) = (h["mean"].as_f64().unwrap(), h["low"].as_f64().unwrap(), h["high"].as_f64().unwrap());
        assert!(low <= mean + 1e-9 && mean <= high + 1e-9, "{what}: {metric}: {h}");
    }
    let cost = &e["cost_per_additional_surviving_exporter"];
    for key in ["estimate", "low", "high", "note"] {
        assert!(cost.get(key).is_some(), "{what}: the cost ratio lacks {key}: {cost}");
    }
    assert!(cost["estimate"].is_f64() != cost["note"].is_string(), "{what}: an estimate or a note: {cost}");
    let schedule = programmes(out);
    let last = schedule.values().map(|(_, start, duration)| start + duration - 1).max().unwrap();
    assert_eq!(e["window"]["first"], START);
    assert_eq!(e["window"]["last_support"], last);
    let horizon = e["window"]["horizon"].as_u64().unwrap() as u32;
    assert_eq!(e["window"]["evaluation"], last + horizon);
    let ids: BTreeSet<&str> =
        e["programmes"].as_array().unwrap().iter().map(|p| p["programme"].as_str().unwrap()).collect();
    assert_eq!(ids, schedule.keys().map(String::as_str).collect(), "{what}");

    // the manifest lists the twin and the evaluation, and only files that exist
    let manifest = json(&out.join("manifest.json"));
    let files: BTreeSet<&str> = manifest["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    for f in &files {
        assert!(out.join(f).is_file(), "{what}: the manifest lists a missing file {f}");
    }
    let plots = ["policy_exporters", "policy_additional_exporters", "policy_supported_paths"];
    let mut expected: Vec<String> = TABLES.iter().map(|t| format!("twin/{t}")).collect();
    expected.extend(["programmes.csv", "effects.csv", "effects.json", "supported.csv"].map(String::from));
    expected.extend(plots.iter().flat_map(|p| [format!("plots/{p}.png"), format!("plots/{p}.svg")]));
    for f in &expected {
        assert!(files.contains(f.as_str()), "{what}: the manifest lacks {f}");
    }
    for p in plots {
        let png = std::fs::read(out.join(format!("plots/{p}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{what}: {p}.png is not a PNG");
        let svg = std::fs::read_to_string(out.join(format!("plots/{p}.svg"))).unwrap();
        assert!(svg.contains("<svg"), "{what}: {p}.svg is not an SVG");
    }
}

#[test]
fn the_evaluation_files_are_complete_and_consistent() {
    check_evaluation_files(MULTI_RUN.out());
    check_evaluation_files(STRONG_RUN.out());
}

#[test]
fn a_strong_entry_subsidy_makes_more_exporters() {
    let out = STRONG_RUN.out();
    let e = json(&out.join("effects.json"));
    let extra = &e["figures"]["additional_exporters"];
    let (mean, low) = (extra["mean"].as_f64().unwrap(), extra["low"].as_f64().unwrap());
    assert!(mean > 0.0 && low > 0.0, "additional exporters: {extra}");
    for r in &Table::read(&out.join("effects.csv")).rows {
        assert!(Table::num(r, "additional_exporters") > 0.0, "{r:?}");
        assert!(Table::num(r, "supported") > 0.0, "{r:?}");
    }
}
