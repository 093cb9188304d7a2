//! `smesim strategy-map SCENARIO --x KEY=LO..HI --y KEY=LO..HI`: which of two
//! entry strategies earns more over a grid of two conditions.

use super::Failure;
use super::run::{Execution, Overrides, apply};
use indicatif::ProgressBar;
use smesim::experiment::Axis;
use smesim::experiment::strategy_map::{Cell, MapSpec, strategy_map};
use smesim::output::{Manifest, prepare_dir, write_manifest};
use smesim::{Scenario, Strategy};
use std::path::{Path, PathBuf};

/// Arguments of `smesim strategy-map`.
#[derive(clap::Args)]
pub struct MapArgs {
    /// Scenario file.
    file: PathBuf,
    /// Condition along the x axis, KEY=LOW..HIGH (e.g. markets.entry_cost=0.5..3).
    #[arg(long, value_name = "KEY=LO..HI")]
    x: String,
    /// Condition along the y axis, KEY=LOW..HIGH (e.g. markets.rival_hazard=0..0.4).
    #[arg(long, value_name = "KEY=LO..HI")]
    y: String,
    /// Grid points per axis.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..=25))]
    steps: u16,
    /// The two strategies compared; the map shows the second minus the first.
    #[arg(long, value_delimiter = ',', default_value = "waterfall,sprinkler", value_name = "A,B")]
    strategies: Vec<String>,
    /// Output folder (default: output/strategy-map-<scenario>-<x>-<y>/, the
    /// axes' last key parts, with any --seed, --replications and --set
    /// appended).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    execution: Execution,
}

/// Run the grid, write the map, print it as text.
pub fn run(args: MapArgs) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let scenario = apply(&args.overrides, &Scenario::load(&args.file)?)?;
    let strategies = two_strategies(&args.strategies)?;
    let spec = MapSpec {
        x: Axis::parse(&args.x, usize::from(args.steps), &scenario)?,
        y: Axis::parse(&args.y, usize::from(args.steps), &scenario)?,
        strategies,
    };
    let default = || {
        let short = |key: &str| key.rsplit('.').next().unwrap_or(key).to_string();
        let axes = format!("{}-{}", short(&spec.x.key), short(&spec.y.key));
        Path::new("output").join(format!("strategy-map-{}-{axes}{}", scenario.name(), args.overrides.tag()))
    };
    let out = args.out.clone().unwrap_or_else(default);
    prepare_dir(&out, args.execution.force)?;
    let pool = args.execution.pool()?;
    let runs = 2 * spec.x.values.len() * spec.y.values.len();
    let bar = if args.execution.quiet { ProgressBar::hidden() } else { ProgressBar::new(runs as u64) };
    let cells = pool.install(|| strategy_map(&scenario, &spec, &|| bar.inc(1)))?;
    bar.finish_and_clear();
    let files = smesim::report::strategy_map::write(&out, &scenario, &spec, &cells)?;
    let mut manifest = Manifest::new(
        &scenario,
        args.file.display().to_string(),
        std::env::args().collect(),
        pool.current_num_threads(),
    );
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    write_manifest(&out, manifest, &files)?;
    println!("{}", text_map(&spec, &cells, &out));
    Ok(())
}

fn two_strategies(names: &[String]) -> Result<[Strategy; 2], Failure> {
    let parsed: Vec<Strategy> = names
        .iter()
        .map(|n| {
            Strategy::from_name(n).ok_or_else(|| {
                Failure::Input(format!(
                    "error: --strategies: unknown strategy `{n}`; allowed: waterfall, sprinkler, gradual, network"
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    match parsed[..] {
        [a, b] if a != b => Ok([a, b]),
        _ => Err(Failure::Input(
            "error: --strategies: allowed: two different strategies, e.g. waterfall,sprinkler".into(),
        )),
    }
}

/// The map as text: one row per y value (top = highest), the winner in each cell.
fn text_map(spec: &MapSpec, cells: &[Cell], out: &Path) -> String {
    let [a, b] = spec.strategies.map(|s| s.as_str());
    let mark = |c: &Cell| match c.difference.mean {
        Some(d) if c.settled() && d > 0.0 => b[..1].to_uppercase(),
        Some(_) if c.settled() => a[..1].to_uppercase(),
        _ => "?".into(),
    };
    let cols = spec.x.values.len();
    let mut lines = vec![format!(
        "which strategy earns more discounted profit per firm ({} = {b}, {} = {a}, ? = not settled):",
        b[..1].to_uppercase(),
        a[..1].to_uppercase()
    )];
    for (row, y) in cells.chunks(cols).zip(&spec.y.values).rev() {
        let marks: Vec<String> = row.iter().map(|c| format!("{:>7}", mark(c))).collect();
        lines.push(format!("  {:>10} | {}", smesim::report::html::number(Some(*y)), marks.join("")));
    }
    let xs: Vec<String> =
        spec.x.values.iter().map(|x| format!("{:>7}", smesim::report::html::number(Some(*x)))).collect();
    lines.push(format!("  {:>10}   {}", "", xs.join("")));
    lines.push(format!("  rows: {}, columns: {}", spec.y.key, spec.x.key));
    lines.push(format!("files in {}/ (open report.html in a browser)", out.display()));
    lines.join("\n")
}
