//! `smesim calibrate [FILE] --vary KEY=LO..HI ...`: search a Latin hypercube
//! over parameters for points where the scenario's own run meets its
//! validation targets; rank the points and measure each figure's sensitivity.

use super::Failure;
use super::run::ScenarioArgs;
use indicatif::ProgressBar;
use smesim::experiment::calibration::{CONTEXT, Parameter, Point, calibrate, checks, ranked, spearman};
use smesim::output::atomic::AtomicFile;
use smesim::output::{Manifest, OutputError, write_manifest};
use smesim::validation::targets::Figure;
use std::path::{Path, PathBuf};

/// Arguments of `smesim calibrate`.
#[derive(clap::Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    common: ScenarioArgs,
    /// A parameter and its range, KEY=LOW..HIGH (repeatable), e.g.
    /// `--vary network.tie_rate_eo=0.1..0.6`.
    #[arg(long = "vary", value_name = "KEY=LO..HI", required = true)]
    vary: Vec<String>,
    /// Points of the Latin hypercube.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u16).range(2..=10_000))]
    points: u16,
    /// Judge every target, running the cost-cut twin and the four KMM runs
    /// at each point too (six runs a point instead of one).
    #[arg(long)]
    all_targets: bool,
    /// Seed of the design (the runs use the scenario's seed).
    #[arg(long, default_value_t = 1, value_name = "S")]
    design_seed: u64,
}

/// Run the design, write `calibration.csv` and `sensitivity.csv`, print the best points.
pub fn run(args: CalibrateArgs) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let (scenario, source) = args.common.scenario()?;
    let params: Vec<Parameter> = args.vary.iter().map(|v| Parameter::parse(v, &scenario)).collect::<Result<_, _>>()?;
    let dir = args.common.folder("calibrate", &scenario)?;
    let pool = args.common.execution.pool()?;
    let bar =
        if args.common.execution.quiet { ProgressBar::hidden() } else { ProgressBar::new(u64::from(args.points)) };
    let points = pool.install(|| {
        calibrate(&scenario, &params, usize::from(args.points), args.design_seed, args.all_targets, &|| bar.inc(1))
    })?;
    bar.finish_and_clear();
    let checks = labels(args.all_targets);
    let files = [write_points(&dir, &params, &checks, &points)?, write_sensitivity(&dir, &params, &checks, &points)?];
    let mut manifest = Manifest::new(&scenario, source, std::env::args().collect(), pool.current_num_threads());
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    write_manifest(&dir, manifest, &files)?;
    println!("{}", best(&params, &points, &dir));
    Ok(())
}

/// Column names of the checks: target and figure, e.g. `V1_exporter_share`.
fn labels(all_targets: bool) -> Vec<String> {
    checks(all_targets)
        .iter()
        .map(|(id, c)| match c.figure {
            Figure::Of { metric, .. } => format!("{id}_{metric}"),
            Figure::Difference { metric, .. } => format!("{id}_difference_{metric}"),
        })
        .collect()
}

/// `calibration.csv`: one row per point, in design order: the parameters,
/// each check's mean over replications and its miss, the context figures,
/// the loss, margin and depth.
fn write_points(dir: &Path, params: &[Parameter], checks: &[String], points: &[Point]) -> Result<PathBuf, OutputError> {
    let mut w = csv::Writer::from_writer(AtomicFile::create(dir, "calibration.csv")?);
    let header = ["point".to_string()]
        .into_iter()
        .chain(params.iter().map(|p| p.key.clone()))
        .chain(checks.iter().cloned())
        .chain(checks.iter().map(|c| format!("miss_{c}")))
        .chain(CONTEXT.map(String::from))
        .chain(["loss", "margin", "depth", "passes"].map(String::from));
    let fail = |e: csv::Error| OutputError::io(dir, std::io::Error::other(e));
    w.write_record(header).map_err(fail)?;
    for (i, p) in points.iter().enumerate() {
        let cells = [i.to_string()]
            .into_iter()
            .chain(p.values.iter().map(f64::to_string))
            .chain(p.means.iter().map(|m| m.map_or(String::new(), |x| x.to_string())))
            .chain(p.misses.iter().map(f64::to_string))
            .chain(p.context.iter().map(|m| m.map_or(String::new(), |x| x.to_string())))
            .chain([p.loss, p.margin, p.depth].map(|x| x.to_string()))
            .chain([u8::from(p.passes()).to_string()]);
        w.write_record(cells).map_err(fail)?;
    }
    w.into_inner().map_err(|e| OutputError::io(dir, e.into_error()))?.commit()
}

/// `sensitivity.csv`: Spearman correlation of each figure with each parameter.
fn write_sensitivity(
    dir: &Path,
    params: &[Parameter],
    checks: &[String],
    points: &[Point],
) -> Result<PathBuf, OutputError> {
    let mut w = csv::Writer::from_writer(AtomicFile::create(dir, "sensitivity.csv")?);
    let fail = |e: csv::Error| OutputError::io(dir, std::io::Error::other(e));
    w.write_record(["parameter", "figure", "spearman"]).map_err(fail)?;
    for (c, label) in checks.iter().enumerate() {
        let y: Vec<f64> = points.iter().map(|p| p.means[c].unwrap_or(f64::NAN)).collect();
        for (i, param) in params.iter().enumerate() {
            let x: Vec<f64> = points.iter().map(|p| p.values[i]).collect();
            w.write_record([param.key.clone(), label.clone(), format!("{:.3}", spearman(&x, &y))]).map_err(fail)?;
        }
    }
    w.into_inner().map_err(|e| OutputError::io(dir, e.into_error()))?.commit()
}

/// The five best points and how many pass.
fn best(params: &[Parameter], points: &[Point], dir: &Path) -> String {
    let passing = points.iter().filter(|p| p.passes()).count();
    let mut lines = vec![format!("{passing} of {} points meet every target checked; best first:", points.len())];
    for p in ranked(points).into_iter().take(5) {
        let settings: Vec<String> = params.iter().zip(&p.values).map(|(k, v)| format!("{}={v:.4}", k.key)).collect();
        lines.push(format!("  loss {:.4}  depth {:.3}  {}", p.loss, p.depth, settings.join(" ")));
    }
    lines.push(format!("files in {}/ (calibration.csv, sensitivity.csv)", dir.display()));
    lines.join("\n")
}
