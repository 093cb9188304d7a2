//! Scenarios side by side. The runs share their seed and replications, so
//! replication r of every scenario meets the same random draws (common random
//! numbers): the paired difference per replication isolates what the
//! scenarios change, and its interval is much narrower than an unpaired one.

use super::figures::{self, Source};
use super::html::{Page, interval_cell};
use super::{ReportError, draw, source, write_json};
use crate::analysis::outcomes::{GroupOutcomes, Outcomes, Selection, selections};
use crate::analysis::summary::{self, Headline, METRICS};
use crate::output::read::RunTables;
use crate::output::{OutputError, write_table};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A row of `comparison.csv`: one figure of one scenario, and its paired
/// difference to the first scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// Metric key (see summary.json's definitions).
    pub metric: &'static str,
    /// Scenario label.
    pub scenario: String,
    /// Mean over replications.
    pub mean: Option<f64>,
    /// 95% interval.
    pub low: Option<f64>,
    /// 95% interval.
    pub high: Option<f64>,
    /// Mean of (this scenario - first scenario), paired by replication.
    pub difference: Option<f64>,
    /// 95% interval of the paired difference.
    pub difference_low: Option<f64>,
    /// 95% interval of the paired difference.
    pub difference_high: Option<f64>,
    /// Replications with a value in both.
    pub n: usize,
}

/// Compare the runs in `runs` (label, folder), the first being the reference;
/// write `comparison.csv`, `comparison.json`, plots and `report.html` into `out`.
/// Returns the rows and the files written.
pub fn compare(runs: &[(String, PathBuf)], out: &Path) -> Result<(Vec<ComparisonRow>, Vec<PathBuf>), ReportError> {
    let tables: Vec<RunTables> = runs.iter().map(|(_, d)| RunTables::read(d)).collect::<Result<_, _>>()?;
    check_paired(runs, &tables)?;
    let outcomes: Vec<Outcomes> = tables.iter().map(Outcomes::new).collect();
    let all: Vec<GroupOutcomes> = outcomes.iter().map(|o| o.group(everyone(o))).collect();
    let values: Vec<_> =
        outcomes.iter().zip(&all).map(|(o, g)| summary::figures(o, std::slice::from_ref(g)).pop()).collect();
    let mut rows = Vec::new();
    for (metric, _) in METRICS {
        let base = values[0].as_ref().and_then(|g| g.values.get(metric));
        for ((label, _), v) in runs.iter().zip(&values) {
            let Some(xs) = v.as_ref().and_then(|g| g.values.get(metric)) else { continue };
            let h = Headline::of(xs);
            let diffs: Vec<f64> = base.map_or(Vec::new(), |b| xs.iter().zip(b).map(|(x, b)| x - b).collect());
            let d = Headline::of(&diffs);
            rows.push(ComparisonRow {
                metric,
                scenario: label.clone(),
                mean: h.mean,
                low: h.low,
                high: h.high,
                difference: d.mean,
                difference_low: d.low,
                difference_high: d.high,
                n: d.n,
            });
        }
    }
    let mut written = vec![write_comparison(out, &rows)?, write_json(out, "comparison.json", &rows)?];
    let sources: Vec<Source> = runs
        .iter()
        .zip(&outcomes)
        .zip(&all)
        .map(|(((label, _), o), g)| Source { label: label.clone(), ..source(o, g) })
        .collect();
    let figures = figures::standard(&sources);
    let svgs = draw(out, &figures, &mut written)?;
    let html = report(runs, &rows, &figures, &svgs);
    written.push(crate::output::atomic::write_file(out, "report.html", html.as_bytes())?);
    Ok((rows, written))
}

/// Common random numbers need the same seed and replications everywhere.
fn check_paired(runs: &[(String, PathBuf)], tables: &[RunTables]) -> Result<(), ReportError> {
    let key = |t: &RunTables| (t.scenario.config().simulation.seed, t.scenario.config().simulation.replications);
    for ((label, _), t) in runs.iter().zip(tables).skip(1) {
        if key(t) != key(&tables[0]) {
            return Err(ReportError::Incomparable(format!(
                "`{label}` has seed {} and {} replications but `{}` has seed {} and {}; allowed: runs with the same \
                 seed and replications, so that replication r of each meets the same random draws",
                key(t).0,
                key(t).1,
                runs[0].0,
                key(&tables[0]).0,
                key(&tables[0]).1
            )));
        }
    }
    Ok(())
}

/// The all-firms group of a run.
fn everyone(o: &Outcomes<'_>) -> Selection {
    selections(o.t).into_iter().find(|s| s.by == "all").expect("the all-firms selection")
}

fn write_comparison(out: &Path, rows: &[ComparisonRow]) -> Result<PathBuf, OutputError> {
    write_table(out, "comparison.csv", rows)
}

fn report(runs: &[(String, PathBuf)], rows: &[ComparisonRow], figures: &[figures::Figure], svgs: &[String]) -> String {
    let names: Vec<&str> = runs.iter().map(|(l, _)| l.as_str()).collect();
    let mut page = Page::new(
        &format!("smesim: {}", names.join(" vs ")),
        "Scenarios run with the same seed and replications: replication r of every scenario meets the same random \
         draws, so each difference is paired by replication.",
    );
    page.heading("Scenarios");
    let scenario_rows: Vec<Vec<String>> =
        runs.iter().map(|(l, d)| vec![l.clone(), format!("{}/report.html", d.display())]).collect();
    page.table(&["scenario", "its own report"], &scenario_rows, &[]);
    page.heading("Headline figures");
    page.paragraph(&format!(
        "Mean [95% interval] over replications per scenario, and the paired difference to `{}` with its 95% \
         interval. A difference whose interval excludes 0 is unlikely to be chance.",
        names[0]
    ));
    let mut header = vec!["figure".to_string()];
    for n in &names {
        header.push(n.to_string());
    }
    for n in names.iter().skip(1) {
        header.push(format!("{n} - {}", names[0]));
    }
    let table: Vec<Vec<String>> = METRICS
        .iter()
        .filter_map(|(metric, _)| {
            let of: Vec<&ComparisonRow> = rows.iter().filter(|r| r.metric == *metric).collect();
            if of.len() != names.len() {
                return None;
            }
            let head = |r: &ComparisonRow| Headline { mean: r.mean, low: r.low, high: r.high, n: r.n };
            let diff = |r: &ComparisonRow| Headline {
                mean: r.difference,
                low: r.difference_low,
                high: r.difference_high,
                n: r.n,
            };
            let mut row = vec![metric.to_string()];
            row.extend(of.iter().map(|r| interval_cell(&head(r))));
            row.extend(of.iter().skip(1).map(|r| interval_cell(&diff(r))));
            Some(row)
        })
        .collect();
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let numeric: Vec<usize> = (1..header.len()).collect();
    page.table(&header_refs, &table, &numeric);
    page.heading("Figures");
    for (f, svg) in figures.iter().zip(svgs) {
        page.figure(svg, &f.caption);
    }
    page.finish(&format!("smesim: {}", names.join(" vs ")), &format!("smesim {}", env!("CARGO_PKG_VERSION")))
}
