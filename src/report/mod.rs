//! Everything derived from a run's tables alone: `summary.json`,
//! `survival.csv`, the plots (PNG and SVG) and `report.html`. `smesim run`
//! derives them after writing the tables; `smesim plot DIR` derives them again
//! from the CSV files; `smesim compare` puts several runs side by side.

pub mod compare;
pub mod figures;
pub mod html;
pub mod policy;
pub mod strategy_map;
pub mod sweep;

use crate::analysis::outcomes::{GroupOutcomes, Outcomes};
use crate::analysis::summary::{self, GroupFigures, METRICS, Summary};
use crate::output::atomic::write_file;
use crate::output::read::RunTables;
use crate::output::{OutputError, write_table};
use crate::plot::PlotError;
use figures::{Chart, Figure, Source};
use html::{Page, escape, interval_cell};
use std::path::{Path, PathBuf};

/// Why derived outputs could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading tables or writing files.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Drawing a chart.
    #[error(transparent)]
    Plot(#[from] PlotError),
    /// Runs that cannot be compared.
    #[error("{0}")]
    Incomparable(String),
}

/// Folder of the plots inside an output folder.
pub const PLOTS: &str = "plots";

/// Derive summary, survival curves, plots and report from the tables in `dir`.
/// Returns the files written.
pub fn analyse(dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let t = RunTables::read(dir)?;
    let o = Outcomes::new(&t);
    let outcomes = o.groups();
    let groups = summary::figures(&o, &outcomes);
    let all = outcomes.iter().find(|g| g.sel.by == "all").expect("selections start with all firms");
    let s = summary::summary(&o, all, &groups);
    let mut written = vec![write_json(dir, "summary.json", &s)?, write_survival(dir, &outcomes)?];
    let figures = run_figures(&o, &outcomes);
    let drawn = draw(dir, &figures, &mut written)?;
    let html = run_report(&t, &s, &groups, &figures, &drawn);
    written.push(write_file(dir, "report.html", html.as_bytes())?);
    Ok(written)
}

fn write_json<T: serde::Serialize>(dir: &Path, name: &str, value: &T) -> Result<PathBuf, OutputError> {
    let json = serde_json::to_string_pretty(value).expect("figures serialize");
    write_file(dir, name, format!("{json}\n").as_bytes())
}

fn write_survival(dir: &Path, groups: &[GroupOutcomes]) -> Result<PathBuf, OutputError> {
    write_table(dir, "survival.csv", summary::survival_rows(groups))
}

/// The figures of one run: all firms, and each strategy when they are mixed;
/// spell survival also for born globals against gradual internationalizers,
/// and for treated against untreated firms where there are any.
fn run_figures(o: &Outcomes<'_>, groups: &[GroupOutcomes]) -> Vec<Figure> {
    let sources = |by: &[&str]| -> Vec<Source> {
        groups.iter().filter(|g| by.contains(&g.sel.by)).map(|g| source(o, g)).collect()
    };
    let mut figs = figures::standard(&sources(&["all", "strategy"]));
    figs.push(figures::spell_survival_by(
        "spell_survival_by_origin",
        "Export spell survival: born globals and gradual internationalizers",
        &sources(&["born_global"]),
    ));
    let treated = sources(&["treated"]);
    if !treated.is_empty() {
        figs.push(figures::spell_survival_by(
            "spell_survival_by_treatment",
            "Export spell survival by treatment",
            &treated,
        ));
    }
    figs
}

/// The lines of a figure for one group.
fn source<'a>(o: &Outcomes<'a>, g: &GroupOutcomes) -> Source<'a> {
    let group = if g.sel.by == "all" { "all" } else { g.sel.name.as_str() };
    Source {
        label: g.sel.name.clone(),
        rounds: o.t.rounds.iter().filter(|r| r.strategy == group).collect(),
        firms: g.firms.clone(),
        spells: g.spells.clone(),
        markets: g.markets.clone(),
        observed_rounds: f64::from(o.replications * (o.rounds - o.burn_in)),
        cohort: o.t.firms.iter().filter(|f| o.in_cohort(f) && g.sel.keeps(f)).collect(),
    }
}

/// Draw every figure into `dir/plots/`; returns each figure's SVG text.
fn draw(dir: &Path, figures: &[Figure], written: &mut Vec<PathBuf>) -> Result<Vec<String>, ReportError> {
    let plots = dir.join(PLOTS);
    std::fs::create_dir_all(&plots).map_err(|e| OutputError::io(&plots, e))?;
    figures
        .iter()
        .map(|f| {
            let paths = match &f.chart {
                Chart::Line(c) => c.save(&plots, f.stem)?,
                Chart::Bars(c) => c.save(&plots, f.stem)?,
            };
            let svg = std::fs::read_to_string(&paths[1]).map_err(|e| OutputError::io(&paths[1], e))?;
            written.extend(paths);
            Ok(svg)
        })
        .collect()
}

/// Metrics shown per group in the report.
const GROUP_METRICS: [&str; 9] = [
    "exporter_share",
    "mean_markets_per_exporter",
    "spell_survival_1",
    "spell_median",
    "firm_survival_10",
    "born_global_share",
    "discounted_profit",
    "failed_entries",
    "markets_reached",
];

fn run_report(t: &RunTables, s: &Summary, groups: &[GroupFigures], figures: &[Figure], svgs: &[String]) -> String {
    let c = t.scenario.config();
    let intro = if c.description.is_empty() { "A smesim run.".to_string() } else { c.description.clone() };
    let mut page = Page::new(&format!("smesim: {}", t.scenario.name()), &intro);
    page.heading("Settings");
    page.table(&["setting", "value"], &settings(t), &[]);
    page.heading("Headline figures");
    page.paragraph(&format!(
        "Mean over {} replications with its 95% interval (Student t over replications). Rounds up to {} are \
         burn-in and left out; spells begun in them are left out. Full definitions are in summary.json.",
        s.replications, s.burn_in
    ));
    let rows: Vec<Vec<String>> = METRICS
        .iter()
        .filter_map(|(k, what)| s.all.get(k).map(|h| vec![k.to_string(), interval_cell(h), what.to_string()]))
        .collect();
    page.table(&["figure", "mean [95% interval]", "what it is"], &rows, &[1]);
    group_tables(&mut page, s, groups);
    page.heading("Figures");
    for (f, svg) in figures.iter().zip(svgs) {
        page.figure(svg, &f.caption);
    }
    let footer = format!(
        "smesim {}; seed {}; the tables behind every figure are in this folder (rounds.csv, spells.csv, firms.csv, \
         survival.csv, summary.json).",
        env!("CARGO_PKG_VERSION"),
        c.simulation.seed
    );
    page.finish(&format!("smesim: {}", escape(t.scenario.name())), &footer)
}

/// One table per grouping: a row per figure, a column per group.
fn group_tables(page: &mut Page, s: &Summary, groups: &[GroupFigures]) {
    for (by, title) in [
        ("strategy", "By entry strategy"),
        ("born_global", "Born globals and gradual firms"),
        ("treated", "By treatment"),
    ] {
        let Some(gs) = s.groups.get(by) else { continue };
        page.heading(title);
        let names: Vec<&str> = groups.iter().filter(|g| g.by == by).map(|g| g.name.as_str()).collect();
        let mut header = vec!["figure"];
        header.extend(&names);
        let rows: Vec<Vec<String>> = GROUP_METRICS
            .iter()
            .filter(|m| !(by == "born_global" && **m == "born_global_share"))
            .map(|m| {
                let mut row = vec![m.to_string()];
                row.extend(names.iter().map(|n| gs[*n].get(m).filter(|h| h.n > 0).map_or("-".into(), interval_cell)));
                row
            })
            .filter(|row| row[1..].iter().any(|cell| cell != "-"))
            .collect();
        let numeric: Vec<usize> = (1..=names.len()).collect();
        page.table(&header, &rows, &numeric);
    }
}

fn settings(t: &RunTables) -> Vec<Vec<String>> {
    let c = t.scenario.config();
    let sh = &c.strategy.shares;
    let shares =
        [("waterfall", sh.waterfall), ("sprinkler", sh.sprinkler), ("gradual", sh.gradual), ("network", sh.network)]
            .iter()
            .filter(|(_, x)| *x > 0.0)
            .map(|(n, x)| format!("{n} {x}"))
            .collect::<Vec<_>>()
            .join(", ");
    [
        ("firms", c.simulation.firms.to_string()),
        ("rounds (burn-in)", format!("{} ({})", c.simulation.rounds, c.simulation.burn_in)),
        ("replications", c.simulation.replications.to_string()),
        ("seed", c.simulation.seed.to_string()),
        ("foreign markets (world seed)", format!("{} ({})", c.markets.count, c.markets.seed)),
        ("entry strategies", shares),
        ("capacity framework", format!("{:?}", c.learning.capacity).to_lowercase()),
        ("sunk entry cost", format!("{} x (1 + {} x distance)", c.markets.entry_cost, c.markets.entry_cost_distance)),
        (
            "fixed cost per round",
            format!("{} x (1 + {} x distance)", c.markets.fixed_cost, c.markets.fixed_cost_distance),
        ),
        ("death rate", c.firms.death_rate.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_string(), v])
    .collect()
}
