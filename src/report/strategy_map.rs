//! The strategy map's outputs: `strategy_map.csv`, the heatmap (PNG and SVG)
//! and `report.html`.

use super::html::{Page, interval_cell};
use super::{PLOTS, ReportError};
use crate::experiment::strategy_map::{Cell, MapSpec};
use crate::output::atomic::{AtomicFile, write_file};
use crate::output::{OutputError, write_row};
use crate::plot::HeatMap;
use crate::scenario::Scenario;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A row of `strategy_map.csv`.
#[derive(Serialize)]
struct Row<'a> {
    x_key: &'a str,
    x: f64,
    y_key: &'a str,
    y: f64,
    first: &'a str,
    second: &'a str,
    first_profit: Option<f64>,
    second_profit: Option<f64>,
    difference: Option<f64>,
    difference_low: Option<f64>,
    difference_high: Option<f64>,
    settled: u8,
    winner: &'a str,
    first_failed_entries: Option<f64>,
    second_failed_entries: Option<f64>,
    replications: usize,
}

/// Write the map's table, heatmap and report into `dir`; returns the files.
pub fn write(dir: &Path, scenario: &Scenario, spec: &MapSpec, cells: &[Cell]) -> Result<Vec<PathBuf>, ReportError> {
    let [a, b] = spec.strategies.map(|s| s.as_str());
    let mut w = csv::Writer::from_writer(AtomicFile::create(dir, "strategy_map.csv")?);
    for c in cells {
        write_row(
            &mut w,
            Row {
                x_key: &spec.x.key,
                x: c.x,
                y_key: &spec.y.key,
                y: c.y,
                first: a,
                second: b,
                first_profit: c.profit[0].mean,
                second_profit: c.profit[1].mean,
                difference: c.difference.mean,
                difference_low: c.difference.low,
                difference_high: c.difference.high,
                settled: u8::from(c.settled()),
                winner: winner(c, a, b),
                first_failed_entries: c.failed_entries[0].mean,
                second_failed_entries: c.failed_entries[1].mean,
                replications: c.difference.n,
            },
        )?;
    }
    let mut written = vec![w.into_inner().map_err(|e| OutputError::io(dir, e.into_error()))?.commit()?];
    let map = heatmap(spec, cells);
    let plots = dir.join(PLOTS);
    std::fs::create_dir_all(&plots).map_err(|e| OutputError::io(&plots, e))?;
    let paths = map.save(&plots, "strategy_map")?;
    let svg = std::fs::read_to_string(&paths[1]).map_err(|e| OutputError::io(&paths[1], e))?;
    written.extend(paths);
    written.push(write_file(dir, "report.html", report(scenario, spec, cells, &svg).as_bytes())?);
    Ok(written)
}

fn winner<'a>(c: &Cell, a: &'a str, b: &'a str) -> &'a str {
    match c.difference.mean {
        Some(d) if c.settled() && d > 0.0 => b,
        Some(_) if c.settled() => a,
        _ => "undecided",
    }
}

fn heatmap(spec: &MapSpec, cells: &[Cell]) -> HeatMap {
    let [a, b] = spec.strategies.map(|s| s.as_str());
    let cols = spec.x.values.len();
    let rows: Vec<&[Cell]> = cells.chunks(cols).collect();
    HeatMap {
        title: format!("Which strategy earns more: {b} - {a}"),
        x_label: spec.x.key.clone(),
        y_label: spec.y.key.clone(),
        x_values: spec.x.values.clone(),
        y_values: spec.y.values.clone(),
        cells: rows.iter().map(|r| r.iter().map(|c| c.difference.mean.unwrap_or(f64::NAN)).collect()).collect(),
        settled: rows.iter().map(|r| r.iter().map(Cell::settled).collect()).collect(),
        negative_label: format!("{a} earns more"),
        positive_label: format!("{b} earns more"),
        value_label: format!("{b} - {a}, discounted profit per firm"),
    }
}

fn report(scenario: &Scenario, spec: &MapSpec, cells: &[Cell], svg: &str) -> String {
    let [a, b] = spec.strategies.map(|s| s.as_str());
    let reps = scenario.config().simulation.replications;
    let mut page = Page::new(
        &format!("smesim strategy map: {}", scenario.name()),
        &format!(
            "At every point of the grid the same firms run once as {a} and once as {b} firms (common random \
             numbers, {reps} replications). Each cell shows the mean of ({b} - {a}) discounted profit per firm, \
             paired by replication; pale cells are not settled (their 95% interval includes 0)."
        ),
    );
    page.figure(
        svg,
        &format!(
            "Colour and number: how much more discounted profit per firm {b} earns than {a} (negative: {a} earns \
             more). Read along a row to see one condition's effect with the other held fixed."
        ),
    );
    page.heading("Every point");
    let header = [&spec.x.key, &spec.y.key, &format!("{a} profit"), &format!("{b} profit"), &format!("{b} - {a}")];
    let header: Vec<&str> = header.iter().map(|s| s.as_str()).collect();
    let rows: Vec<Vec<String>> = cells
        .iter()
        .map(|c| {
            vec![
                super::html::number(Some(c.x)),
                super::html::number(Some(c.y)),
                interval_cell(&c.profit[0]),
                interval_cell(&c.profit[1]),
                interval_cell(&c.difference),
            ]
        })
        .collect();
    page.table(&header, &rows, &[0, 1, 2, 3, 4]);
    page.finish(&format!("smesim strategy map: {}", scenario.name()), &format!("smesim {}", env!("CARGO_PKG_VERSION")))
}
