//! A finished sweep's tables and plots, written from its run files (one
//! folder, or the folders of its shards) in a fixed order, so the result is
//! byte for byte the same however the runs were spread out:
//! - `design.csv`: each point's parameter values;
//! - `runs.csv`: one row per point and replication, the outputs as columns;
//! - `points.csv`: per point and output, the mean and 95% interval over replications;
//! - `morris.csv` (Morris designs): μ*, μ and σ per output and parameter, ranked;
//! - `plots/`: each output against each parameter; the Morris ranking per output.

use super::store::load_run;
use super::{RunId, Sweep, SweepError};
use crate::analysis::morris::{self, Effects};
use crate::analysis::sweep::{Aggregate, MainEffect};
use crate::output::OutputError;
use crate::output::atomic::AtomicFile;
use crate::report::PLOTS;
use crate::report::sweep::{against, morris_ranking};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The most levels a parameter may take for its plot to be a main effect
/// (more, and each point is shown instead).
const MAX_LEVELS: usize = 25;

/// Write the tables and plots into `out`; run `k` is read from
/// `sources[k % sources.len()]` (shard folders in shard order). Returns the files written.
pub fn assemble(sweep: &Sweep, sources: &[PathBuf], out: &Path) -> Result<Vec<PathBuf>, SweepError> {
    let keys: Vec<&str> = sweep.parameters.iter().map(|p| p.key.as_str()).collect();
    let mut files = vec![design_table(sweep, out, &keys)?];
    let mut runs = Table::create(
        out,
        "runs.csv",
        ["point", "replication"].iter().chain(&keys).copied().chain(sweep.outputs.iter().map(String::as_str)),
    )?;
    let mut points = Table::create(
        out,
        "points.csv",
        ["point"].iter().chain(&keys).chain(&["output", "mean", "low", "high", "replications"]).copied(),
    )?;
    let reps = sweep.replications as usize;
    let mut agg = Aggregate::new(reps, sweep.outputs.len(), main_effects(sweep));
    for p in 0..sweep.points() {
        let mut values = Vec::with_capacity(reps);
        for r in 0..reps {
            let run = RunId { point: p, replication: r as u32 + 1 };
            let (row, figures) = load_run(&sources[(p * reps + r) % sources.len()], sweep, run)?;
            runs.line(&row)?;
            values.push(figures);
        }
        let coords = &sweep.design.points[p];
        agg.add(coords, &values);
        for (name, h) in sweep.outputs.iter().zip(&agg.points[p]) {
            let stats = [h.mean, h.low, h.high].map(|x| x.map_or(String::new(), |x| x.to_string()));
            let cells = [p.to_string()]
                .into_iter()
                .chain(coords.iter().map(f64::to_string))
                .chain([name.clone()])
                .chain(stats)
                .chain([h.n.to_string()]);
            points.line(&(cells.collect::<Vec<_>>().join(",") + "\n"))?;
        }
    }
    files.push(runs.commit()?);
    files.push(points.commit()?);
    let plots = out.join(PLOTS);
    std::fs::create_dir_all(&plots).map_err(|e| OutputError::io(&plots, e))?;
    for (o, name) in sweep.outputs.iter().enumerate() {
        for (i, key) in keys.iter().enumerate() {
            let x: Vec<f64> = sweep.design.points.iter().map(|pt| pt[i]).collect();
            let stem = format!("{name}_vs_{}", key.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
            files.extend(against(&agg, i, key, o, name, &x).save(&plots, &stem)?);
        }
    }
    if let Some(effects) = morris_effects(sweep, &agg) {
        files.push(morris_table(sweep, out, &effects)?);
        let all_keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        for (name, e) in sweep.outputs.iter().zip(&effects) {
            files.extend(morris_ranking(&all_keys, e, name).save(&plots, &format!("morris_{name}"))?);
        }
    }
    Ok(files)
}

/// A CSV file written line by line, atomically.
struct Table(AtomicFile);

impl Table {
    fn create<'a>(dir: &Path, name: &str, header: impl Iterator<Item = &'a str>) -> Result<Self, OutputError> {
        let mut t = Table(AtomicFile::create(dir, name)?);
        t.line(&(header.collect::<Vec<_>>().join(",") + "\n"))?;
        Ok(t)
    }

    fn line(&mut self, line: &str) -> Result<(), OutputError> {
        self.0.write_all(line.as_bytes()).map_err(|e| OutputError::io(self.0.path(), e))
    }

    fn commit(self) -> Result<PathBuf, OutputError> {
        self.0.commit()
    }
}

/// `design.csv`.
fn design_table(sweep: &Sweep, out: &Path, keys: &[&str]) -> Result<PathBuf, OutputError> {
    let mut t = Table::create(out, "design.csv", ["point"].iter().chain(keys).copied())?;
    for (p, coords) in sweep.design.points.iter().enumerate() {
        let cells = [p.to_string()].into_iter().chain(coords.iter().map(f64::to_string));
        t.line(&(cells.collect::<Vec<_>>().join(",") + "\n"))?;
    }
    t.commit()
}

/// A main effect for each parameter with few levels among the points that
/// vary it (one-at-a-time: its own axis).
fn main_effects(sweep: &Sweep) -> Vec<Option<MainEffect>> {
    let all = vec![true; sweep.points()];
    (0..sweep.parameters.len())
        .map(|i| {
            let counted = match &sweep.design.axes {
                Some(axes) => (0..sweep.points()).map(|p| axes[i].contains(&p)).collect(),
                None => all.clone(),
            };
            let mut levels: Vec<f64> =
                sweep.design.points.iter().zip(&counted).filter(|(_, c)| **c).map(|(pt, _)| pt[i]).collect();
            levels.sort_by(f64::total_cmp);
            levels.dedup();
            (2..=MAX_LEVELS)
                .contains(&levels.len())
                .then(|| MainEffect::new(levels, counted, sweep.replications as usize, sweep.outputs.len()))
        })
        .collect()
}

/// Per output, each parameter's elementary effects (Morris designs only),
/// from the points' means over replications.
fn morris_effects(sweep: &Sweep, agg: &Aggregate) -> Option<Vec<Vec<Effects>>> {
    let layout = sweep.design.morris.as_ref()?;
    Some(
        (0..sweep.outputs.len())
            .map(|o| {
                let y: Vec<f64> = agg.points.iter().map(|h| h[o].mean.unwrap_or(f64::NAN)).collect();
                morris::effects(&layout.levels_at, layout.levels, &y)
            })
            .collect(),
    )
}

/// `morris.csv`: per output, the parameters from most to least influential.
fn morris_table(sweep: &Sweep, out: &Path, effects: &[Vec<Effects>]) -> Result<PathBuf, OutputError> {
    let header = ["output", "parameter", "rank", "mu_star", "mu", "sigma", "effects"];
    let mut t = Table::create(out, "morris.csv", header.into_iter())?;
    for (name, e) in sweep.outputs.iter().zip(effects) {
        for (rank, i) in morris::ranked(e).into_iter().enumerate() {
            let x = &e[i];
            let cells = [name.clone(), sweep.parameters[i].key.clone(), (rank + 1).to_string()]
                .into_iter()
                .chain([x.mu_star, x.mu, x.sigma].map(|v| v.to_string()))
                .chain([x.n.to_string()]);
            t.line(&(cells.collect::<Vec<_>>().join(",") + "\n"))?;
        }
    }
    t.commit()
}
