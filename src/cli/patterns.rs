//! `smesim patterns [FILE]`: run a scenario in memory and show, one figure
//! and one printed line each, whether the model reproduces the directions the
//! seed documents report. A report, not a test: the exit code is 0 whatever
//! the verdicts.

use super::Failure;
use super::progress::tables_of;
use super::run::ScenarioArgs;
use smesim::analysis::patterns::{self, LEARNING_ROUNDS, Pattern, Patterns};
use smesim::analysis::summary::Headline;
use smesim::output::atomic::write_file;
use smesim::output::{Manifest, write_manifest};
use smesim::plot::{BarChart, LineChart, PlotError, Scale, Series};
use std::path::{Path, PathBuf};

/// Arguments of `smesim patterns`.
#[derive(clap::Args)]
pub struct PatternsArgs {
    #[command(flatten)]
    common: ScenarioArgs,
}

/// Run the scenario, measure the patterns, save `patterns.json` and the
/// figures, then the manifest, and print one line per figure.
pub fn run(args: PatternsArgs) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let args = args.common;
    let (scenario, source) = args.scenario()?;
    let dir = args.folder("patterns", &scenario)?;
    let pool = args.execution.pool()?;
    let tables = tables_of(&scenario, &pool, args.execution.quiet);
    let measured = pool.install(|| patterns::measure(&tables));
    let json = serde_json::to_string_pretty(&measured).expect("patterns serialize");
    let mut files = vec![
        write_file(&dir, "patterns.json", format!("{json}\n").as_bytes())?,
        write_file(&dir, "scenario.resolved.toml", scenario.to_toml().as_bytes())?,
    ];
    files.extend(figures(&measured, &dir).map_err(|e| Failure::Internal(e.to_string()))?);
    let mut manifest = Manifest::new(&scenario, source, std::env::args().collect(), pool.current_num_threads());
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    write_manifest(&dir, manifest.clone(), &files)?;
    println!("{}", table(&measured, manifest.wall_seconds, &dir));
    Ok(())
}

/// Every figure as PNG and SVG in `dir`: P1a's knowledge curves, a bar chart
/// of the two groups' means for every other pattern.
fn figures(p: &Patterns, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let mut files = Vec::new();
    for pattern in &p.patterns {
        let saved = match pattern.id {
            "P1a" => learning_chart(p, pattern).save(dir, pattern.figure)?,
            _ => bar_chart(pattern).save(dir, pattern.figure)?,
        };
        files.extend(saved);
    }
    Ok(files)
}

/// The groups' means as two bars; the difference, its interval and the
/// verdict under the axis (the bars carry no error bars).
fn bar_chart(p: &Pattern) -> BarChart {
    let value = |h: &Headline| h.mean.unwrap_or(f64::NAN);
    BarChart {
        title: format!("{} ({}): {}", p.id, seeds(p), what(p)),
        x_label: caption(p),
        y_label: p.unit.to_string(),
        categories: p.groups.iter().map(|g| g.name.clone()).collect(),
        series: vec![(String::new(), p.groups.iter().map(|g| value(&g.mean)).collect())],
    }
}

/// P1a: knowledge of the market round by round, one line per capacity.
fn learning_chart(p: &Patterns, pattern: &Pattern) -> LineChart {
    let series = p
        .learning
        .curves
        .iter()
        .map(|c| Series {
            label: format!("acap {}", c.acap),
            points: c.knowledge.iter().enumerate().map(|(r, k)| (r as f64, *k)).collect(),
            band: Vec::new(),
            step: false,
            markers: true,
            joined: true,
        })
        .collect();
    LineChart {
        title: format!("{} ({}): the same experience, more capacity, more knowledge", pattern.id, seeds(pattern)),
        x_label: format!("rounds serving market {} with no ties; {}", p.learning.market, caption(pattern)),
        y_label: pattern.unit.to_string(),
        x_scale: Scale::Linear,
        y_scale: Scale::Linear,
        y_range: None,
        series,
    }
}

/// "seed 000" or "seeds 000, 004".
fn seeds(p: &Pattern) -> String {
    let plural = if p.seeds.contains(',') { "s" } else { "" };
    format!("seed{plural} {}", p.seeds)
}

/// "B - A = d [low, high]: verdict", for a figure's caption.
fn caption(p: &Pattern) -> String {
    let (d, interval) = shown(p, &p.difference.mean);
    format!("{} = {d} {interval}: {}", p.difference.name, p.verdict.describe())
}

/// A mean and its interval as printed; a deterministic figure has none.
fn shown(p: &Pattern, h: &Headline) -> (String, String) {
    match (h.mean, h.low, h.high) {
        (Some(m), _, _) if p.id == "P1a" => (format!("{m:+.3}"), "(deterministic)".into()),
        (Some(m), Some(lo), Some(hi)) => (format!("{m:+.3}"), format!("[{lo:+.3}, {hi:+.3}]")),
        _ => ("-".into(), "(no value)".into()),
    }
}

/// One line per figure, then the count reproduced.
fn table(p: &Patterns, seconds: f64, dir: &Path) -> String {
    let mean = |h: &Headline| h.mean.map_or("-".into(), |m| format!("{m:.3}"));
    let whats: Vec<String> =
        p.patterns.iter().map(|x| format!("{}: {} vs {}", what(x), x.groups[0].name, x.groups[1].name)).collect();
    let w = whats.iter().map(String::len).chain([25]).max().unwrap_or(25) + 2;
    let mut lines = vec![
        format!(
            "patterns in `{}`: {} replications x {} rounds, burn-in {}, seed {} ({seconds:.1} s)",
            p.scenario, p.replications, p.rounds, p.burn_in, p.seed
        ),
        format!(
            "{:<5}{:<w$}{:>8}{:>8}{:>9}  {:<19}{}",
            "id", "what: A vs B", "A", "B", "B - A", "95% interval", "result"
        ),
    ];
    for (x, what) in p.patterns.iter().zip(&whats) {
        let (d, interval) = shown(x, &x.difference.mean);
        let (a, b) = (mean(&x.groups[0].mean), mean(&x.groups[1].mean));
        lines.push(format!("{:<5}{what:<w$}{a:>8}{b:>8}{d:>9}  {interval:<19}{}", x.id, x.verdict.describe()));
    }
    let reproduced = p.patterns.iter().filter(|x| x.reproduced).count();
    lines.push(format!(
        "{reproduced} of {} directions reproduced; details in {}/patterns.json",
        p.patterns.len(),
        dir.display()
    ));
    lines.join("\n")
}

/// The measure in a few words, for the printed table.
fn what(p: &Pattern) -> String {
    match p.id {
        "P1a" => format!("knowledge after {LEARNING_ROUNDS} rounds"),
        "P1b" => "spell survival > 3 rounds".into(),
        "P2" => "markets per exporter".into(),
        "P3a" => "rounds to first export".into(),
        "P3b" => "markets per exporter".into(),
        "P4" => "first markets in closest third".into(),
        "P5" => "enter again within 5 rounds".into(),
        _ => p.measure.into(),
    }
}
