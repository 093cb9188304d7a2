//! Sweeps: a base scenario run at many points of a design over some of its
//! parameters, each point with the same replications (common random numbers:
//! replication r of every point meets the same draws, so points differ by
//! their parameters, not their luck). A sweep is a list of runs, one per
//! (point, replication); any subset of them can run anywhere (a shard), and
//! each run's figures depend on nothing else.

pub mod assemble;
pub mod design;
pub mod execute;
pub mod file;
pub mod merge;
pub mod parameter;
pub mod store;

use crate::experiment::{applied_value, value_at};
use crate::scenario::{Diagnostic, Scenario, ScenarioError, Source, locate, typed};
use design::{Design, read_design};
use file::{DesignFile, DesignKind, ParameterFile, ScenarioRef, SweepFile};
use parameter::{Parameter, Values};
use rayon::prelude::*;
use std::path::Path;

/// Figures recorded per run unless the sweep names its own.
pub const DEFAULT_OUTPUTS: [&str; 6] = [
    "exporter_share",
    "mean_markets_per_exporter",
    "spell_survival_1",
    "firm_survival_10",
    "born_global_share",
    "discounted_profit",
];

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 1_000_000;
/// The most replications per point.
pub const MAX_REPLICATIONS: u32 = 100_000;
/// Levels on a grid or one-at-a-time axis when a range does not say.
pub const DEFAULT_STEPS: u32 = 5;
/// Morris defaults: trajectories and levels (Campolongo et al. 2007 use 4 levels).
pub const DEFAULT_TRAJECTORIES: u32 = 10;
/// See [`DEFAULT_TRAJECTORIES`].
pub const DEFAULT_LEVELS: u32 = 4;
/// Latin hypercube default points.
pub const DEFAULT_POINTS: u32 = 50;

/// Keys a sweep may not vary: they define the replications themselves.
const FIXED_KEYS: [&str; 2] = ["simulation.seed", "simulation.replications"];

/// A validated sweep.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// Its name (default output folder `output/sweep-<name>/`).
    pub name: String,
    /// The base scenario.
    pub scenario: Scenario,
    /// Replications per point.
    pub replications: u32,
    /// Figures recorded per run, by name.
    pub outputs: Vec<String>,
    /// The swept parameters.
    pub parameters: Vec<Parameter>,
    /// The design kind.
    pub kind: DesignKind,
    /// The points.
    pub design: Design,
    resolved: String,
}

/// Why a sweep could not run, merge or write its results.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The sweep file, a design file or a point's scenario.
    #[error(transparent)]
    Input(#[from] ScenarioError),
    /// Writing or reading results.
    #[error("error: {0}")]
    Output(#[from] crate::output::OutputError),
    /// A folder that belongs to another sweep, program or shard.
    #[error("error: {0}")]
    Store(#[from] store::StoreError),
    /// Shards that do not make one whole sweep.
    #[error("error: {0}")]
    Merge(String),
    /// A chart could not be drawn.
    #[error("error: {0}")]
    Plot(#[from] crate::plot::PlotError),
}

/// One run of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RunId {
    /// Point, from 0.
    pub point: usize,
    /// Replication, from 1.
    pub replication: u32,
}

/// A slice of a sweep's runs: the `index`-th (from 1) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// From 1 to `count`.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl Shard {
    /// The whole sweep as one shard.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Does this shard run the `k`-th run (runs dealt out in turn, so every
    /// shard gets a similar mix of points)?
    pub fn owns(self, k: usize) -> bool {
        k % self.count as usize == self.index as usize - 1
    }
}

impl Sweep {
    /// Load and validate a sweep file; `design` (a CSV file) replaces its design.
    pub fn load(path: &Path, design: Option<&Path>) -> Result<Self, ScenarioError> {
        let display = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| plain(&display, format!("cannot read the sweep file: {e}")))?;
        let stem = path.file_stem().map_or("sweep".into(), |s| s.to_string_lossy().into_owned());
        let dir = path.parent().unwrap_or(Path::new(""));
        let override_design = design.map(read_csv).transpose()?;
        build(&Source::new(&display, &text), dir, &stem, override_design)
    }

    /// Parse and validate sweep text; paths resolve against `base_dir`.
    pub fn from_toml_str(text: &str, display: &str, base_dir: &Path) -> Result<Self, ScenarioError> {
        build(&Source::new(display, text), base_dir, "sweep", None)
    }

    /// The resolved sweep as TOML: the scenario inline, every default filled
    /// in, a design file's points inline. Loading it gives the same sweep.
    pub fn to_toml(&self) -> &str {
        &self.resolved
    }

    /// Number of points.
    pub fn points(&self) -> usize {
        self.design.points.len()
    }

    /// Number of runs: points x replications.
    pub fn runs(&self) -> usize {
        self.points() * self.replications as usize
    }

    /// The `k`-th run, point after point.
    pub fn run(&self, k: usize) -> RunId {
        let r = self.replications as usize;
        RunId { point: k / r, replication: (k % r) as u32 + 1 }
    }

    /// The scenario of point `point`.
    pub fn scenario_at(&self, point: usize) -> Result<Scenario, ScenarioError> {
        self.parameters
            .iter()
            .zip(&self.design.points[point])
            .try_fold(self.scenario.clone(), |s, (p, x)| s.set_number(&p.key, *x))
    }
}

/// A diagnostic without a location.
fn plain(file: &str, message: String) -> ScenarioError {
    Diagnostic { file: file.into(), text: None, span: None, key: None, message, note: None }.into()
}

/// A diagnostic at `path` in the sweep file.
fn at(source: &Source, path: &str, message: String) -> ScenarioError {
    Diagnostic {
        file: source.display.clone(),
        text: Some(source.text.clone()),
        span: locate(&source.text, path),
        key: Some(path.into()),
        message,
        note: None,
    }
    .into()
}

/// A design CSV read from disk: its display name and table.
fn read_csv(path: &Path) -> Result<design::DesignTable, ScenarioError> {
    let display = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| plain(&display, format!("cannot read the design file: {e}")))?;
    read_design(&text, &display)
}

fn build(
    source: &Source,
    dir: &Path,
    stem: &str,
    override_design: Option<design::DesignTable>,
) -> Result<Sweep, ScenarioError> {
    let mut file: SweepFile = typed(source)?;
    let scenario = base_scenario(source, dir, &file)?;
    let replications = file.replications.unwrap_or(scenario.config().simulation.replications);
    if !(1..=MAX_REPLICATIONS).contains(&replications) {
        return Err(at(
            source,
            "replications",
            format!("{replications} replications; allowed: 1 to {MAX_REPLICATIONS}"),
        ));
    }
    let outputs = outputs(source, &file)?;
    let table = match override_design {
        Some(t) => {
            // --design replaces the file's design, its values included.
            file.design = DesignFile { kind: DesignKind::File, ..DesignFile::default() };
            file.parameters = file
                .parameters
                .iter()
                .map(|p| ParameterFile { key: p.key.clone(), ..ParameterFile::default() })
                .collect();
            Some(t)
        }
        None => design_table(source, dir, &file.design)?,
    };
    check_design_keys(source, &file.design)?;
    if let Some(t) = &table {
        file.parameters = columns_as_parameters(source, &file.parameters, &t.columns)?;
    }
    let parameters = parameters(source, &scenario, &file, table.as_ref())?;
    if let Some(t) = &table
        && let Some(i) = t.rows.iter().position(|r| r.len() != parameters.len())
    {
        let n = t.rows[i].len();
        return Err(at(
            source,
            &format!("design.rows[{i}]"),
            format!("{n} values; allowed: one per parameter, {}", parameters.len()),
        ));
    }
    let rows = table.as_ref().map(|t| &t.rows[..]);
    let count = point_count(&file.design, &parameters, rows);
    if !(1..=MAX_POINTS as u128).contains(&count) {
        return Err(at(source, "design", format!("{count} points; allowed: 1 to {MAX_POINTS}")));
    }
    let design = make_design(&file.design, &parameters, &scenario, rows);
    let name = file.name.clone().unwrap_or_else(|| stem.to_string());
    let mut sweep = Sweep {
        name,
        scenario,
        replications,
        outputs,
        parameters,
        kind: file.design.kind,
        design,
        resolved: String::new(),
    };
    check_points(source, &sweep, table.as_ref())?;
    sweep.resolved = resolve(&sweep, &file);
    Ok(sweep)
}

fn base_scenario(source: &Source, dir: &Path, file: &SweepFile) -> Result<Scenario, ScenarioError> {
    match &file.scenario {
        None => Ok(Scenario::baseline()),
        Some(ScenarioRef::Path(p)) => {
            let path = dir.join(p);
            if !path.is_file() {
                return Err(at(
                    source,
                    "scenario",
                    format!(
                        "there is no scenario file at `{}`; allowed: the path of a scenario file, relative to this file's folder",
                        path.display()
                    ),
                ));
            }
            Scenario::load(&path)
        }
        Some(ScenarioRef::Inline(table)) => {
            let text = toml::to_string(table).expect("a table serializes");
            let name = table.get("name").and_then(|n| n.as_str()).unwrap_or("scenario");
            Scenario::from_toml_str(&text, name).map_err(|mut e| {
                for d in &mut e.diagnostics {
                    d.note.get_or_insert_with(|| format!("in the [scenario] table of `{}`", source.display));
                }
                e
            })
        }
    }
}

fn outputs(source: &Source, file: &SweepFile) -> Result<Vec<String>, ScenarioError> {
    let outputs = file.outputs.clone().unwrap_or_else(|| DEFAULT_OUTPUTS.map(String::from).to_vec());
    if outputs.is_empty() {
        return Err(at(
            source,
            "outputs",
            "no outputs; allowed: one or more figure names, e.g. \"exporter_share\"".into(),
        ));
    }
    let known: Vec<&str> = crate::validation::measures::names().collect();
    for (i, o) in outputs.iter().enumerate() {
        if !known.contains(&o.as_str()) {
            return Err(at(
                source,
                &format!("outputs[{i}]"),
                format!("unknown figure `{o}`; allowed: {}", known.join(", ")),
            ));
        }
        if outputs[..i].contains(o) {
            return Err(at(
                source,
                &format!("outputs[{i}]"),
                format!("`{o}` is listed twice; allowed: each figure once"),
            ));
        }
    }
    Ok(outputs)
}

/// The design file's table, if the design is a file (or inline rows).
fn design_table(source: &Source, dir: &Path, d: &DesignFile) -> Result<Option<design::DesignTable>, ScenarioError> {
    if d.kind != DesignKind::File {
        return Ok(None);
    }
    match (&d.file, &d.rows) {
        (Some(f), None) => {
            let path = dir.join(f);
            if !path.is_file() {
                return Err(at(
                    source,
                    "design.file",
                    format!(
                        "there is no design file at `{}`; allowed: a CSV file, relative to this file's folder",
                        path.display()
                    ),
                ));
            }
            read_csv(&path).map(Some)
        }
        (None, Some(rows)) => Ok(Some(design::DesignTable::inline(rows.clone()))),
        _ => Err(at(
            source,
            "design.kind",
            "a design of kind \"file\" needs exactly one of `file` (a CSV file) and `rows`; or give --design FILE.csv"
                .into(),
        )),
    }
}

/// Which `[design]` keys each kind takes.
fn check_design_keys(source: &Source, d: &DesignFile) -> Result<(), ScenarioError> {
    use DesignKind::*;
    let given = [
        ("points", d.points.is_some(), &[LatinHypercube][..]),
        ("trajectories", d.trajectories.is_some(), &[Morris][..]),
        ("levels", d.levels.is_some(), &[Morris][..]),
        ("seed", d.seed.is_some(), &[LatinHypercube, Morris][..]),
        ("file", d.file.is_some(), &[File][..]),
        ("rows", d.rows.is_some(), &[File][..]),
    ];
    for (key, set, kinds) in given {
        if set && !kinds.contains(&d.kind) {
            let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
            return Err(at(
                source,
                &format!("design.{key}"),
                format!("`{key}` does not apply to a {} design; allowed with: {}", d.kind.name(), names.join(", ")),
            ));
        }
    }
    let bounded = |key: &str, value: Option<u32>, low: u32, high: u32| match value {
        Some(v) if !(low..=high).contains(&v) => {
            Err(at(source, &format!("design.{key}"), format!("{v}; allowed: {low} to {high}")))
        }
        _ => Ok(()),
    };
    bounded("points", d.points, 2, MAX_POINTS as u32)?;
    bounded("trajectories", d.trajectories, 2, 100_000)?;
    bounded("levels", d.levels, 2, 100)?;
    if d.levels.is_some_and(|l| l % 2 == 1) {
        return Err(at(
            source,
            "design.levels",
            "an odd number of levels; allowed: an even number (Morris's Δ is half of them)".into(),
        ));
    }
    Ok(())
}

/// The parameters of a design file: its columns, matched to the sweep's
/// `[[parameter]]` keys when it has any (those then take no values).
fn columns_as_parameters(
    source: &Source,
    given: &[ParameterFile],
    columns: &[String],
) -> Result<Vec<ParameterFile>, ScenarioError> {
    if columns.is_empty() {
        return Ok(given.to_vec()); // inline rows: in parameter order
    }
    for (i, p) in given.iter().enumerate() {
        if p.values.is_some() || p.range.is_some() || p.distribution.is_some() || p.steps.is_some() {
            return Err(at(
                source,
                &format!("parameter[{i}].key"),
                "a design file gives the values; allowed: the key alone".into(),
            ));
        }
        if !columns.contains(&p.key) {
            return Err(at(
                source,
                &format!("parameter[{i}].key"),
                format!("the design file has no column `{}`; its columns: {}", p.key, columns.join(", ")),
            ));
        }
    }
    Ok(columns.iter().map(|c| ParameterFile { key: c.clone(), ..ParameterFile::default() }).collect())
}

/// The parameters, checked; a design file's column errors are reported at its header.
fn parameters(
    source: &Source,
    scenario: &Scenario,
    file: &SweepFile,
    table: Option<&design::DesignTable>,
) -> Result<Vec<Parameter>, ScenarioError> {
    if file.parameters.is_empty() {
        let path = if locate(&source.text, "design").is_some() { "design" } else { "parameter" };
        return Err(at(source, path, "no parameters; allowed: one or more [[parameter]] tables with a key".into()));
    }
    let from_file = file.design.kind == DesignKind::File;
    let takes_steps = matches!(file.design.kind, DesignKind::Grid | DesignKind::OneAtATime);
    let mut out: Vec<Parameter> = Vec::with_capacity(file.parameters.len());
    for (i, p) in file.parameters.iter().enumerate() {
        let here = |key: &str, message: String| match table.filter(|_| key == "key") {
            Some(t) => t
                .error_at(None, i, message.clone())
                .unwrap_or_else(|| at(source, &format!("parameter[{i}].key"), message)),
            None => at(source, &format!("parameter[{i}].{key}"), message),
        };
        if FIXED_KEYS.contains(&p.key.as_str()) {
            return Err(here(
                "key",
                format!(
                    "`{}` cannot be swept: every point runs the same replications (common random numbers); allowed: any other numeric key",
                    p.key
                ),
            ));
        }
        if out.iter().any(|q| q.key == p.key) {
            return Err(here("key", format!("`{}` is swept twice; allowed: each key once", p.key)));
        }
        let base = applied_value(scenario, &p.key);
        if base.is_nan() {
            let problem = match scenario.set_number(&p.key, 0.0) {
                Err(e) if e.diagnostics[0].message.starts_with("there is no such key") => {
                    e.diagnostics[0].message.clone()
                }
                _ => format!(
                    "`{}` holds no single number (a table, list, distribution, text or switch); allowed: a key holding one number, e.g. `markets.entry_cost`",
                    p.key
                ),
            };
            return Err(here("key", problem));
        }
        let whole = matches!(value_at(scenario, &p.key), Some(toml::Value::Integer(_)));
        scenario.set_number(&p.key, base).map_err(|e| here("key", e.diagnostics[0].message.clone()))?;
        let set = [p.values.is_some(), p.range.is_some(), p.distribution.is_some()].iter().filter(|s| **s).count();
        let values = match (&p.values, p.range, p.distribution) {
            _ if from_file && set > 0 => {
                return Err(here("key", "a design file gives the values; allowed: the key alone".into()));
            }
            _ if from_file => Values::List(vec![base]),
            _ if set != 1 => {
                return Err(here("key", "allowed: exactly one of `values`, `range` and `distribution`".into()));
            }
            (Some(v), _, _) if v.is_empty() => {
                return Err(here("values", "an empty list; allowed: one or more numbers".into()));
            }
            (Some(v), _, _) if v.iter().any(|x| !x.is_finite()) => {
                return Err(here("values", "allowed: finite numbers".into()));
            }
            (Some(v), _, _) => Values::List(v.clone()),
            (_, Some([lo, hi]), _) if !(lo.is_finite() && hi.is_finite() && lo < hi) => {
                return Err(here(
                    "range",
                    format!("[{lo}, {hi}] is an empty range; allowed: [low, high] with low < high"),
                ));
            }
            (_, Some([lo, hi]), _) => Values::Range(lo, hi),
            (_, _, Some(crate::scenario::Dist::Fixed(_))) => {
                return Err(here(
                    "distribution",
                    "a fixed value does not vary; allowed: uniform, normal, lognormal or beta (or `values`)".into(),
                ));
            }
            (_, _, Some(d)) => match d.parameter_problem() {
                Some(allowed) => return Err(here("distribution", format!("allowed: {allowed}"))),
                None => Values::Distribution(d),
            },
            _ => unreachable!("one of the three is set"),
        };
        let steps = match (p.steps, &values) {
            (Some(_), Values::List(_)) => {
                return Err(here(
                    "steps",
                    "a list gives its own values; allowed: `steps` with a range or a distribution".into(),
                ));
            }
            (Some(_), _) if !takes_steps => {
                return Err(here(
                    "steps",
                    format!(
                        "`steps` does not apply to a {} design; allowed with: grid, one-at-a-time",
                        file.design.kind.name()
                    ),
                ));
            }
            (Some(s), _) if !(2..=10_000).contains(&s) => {
                return Err(here("steps", format!("{s}; allowed: 2 to 10000")));
            }
            (Some(s), _) => s as usize,
            (None, Values::List(v)) => v.len(),
            (None, _) => DEFAULT_STEPS as usize,
        };
        out.push(Parameter { key: p.key.clone(), values, steps, whole });
    }
    Ok(out)
}

/// How many points a design will have, counted before any is made (a grid
/// of many parameters can be astronomically large).
fn point_count(d: &DesignFile, params: &[Parameter], rows: Option<&[Vec<f64>]>) -> u128 {
    let levels = |p: &Parameter| p.levels().len() as u128;
    match d.kind {
        DesignKind::Grid => params.iter().map(levels).fold(1u128, |n, l| n.saturating_mul(l)),
        DesignKind::OneAtATime => 1 + params.iter().map(levels).sum::<u128>(),
        DesignKind::LatinHypercube => u128::from(d.points.unwrap_or(DEFAULT_POINTS)),
        DesignKind::Morris => u128::from(d.trajectories.unwrap_or(DEFAULT_TRAJECTORIES)) * (params.len() as u128 + 1),
        DesignKind::File => rows.map_or(0, |r| r.len() as u128),
    }
}

fn make_design(d: &DesignFile, params: &[Parameter], scenario: &Scenario, rows: Option<&[Vec<f64>]>) -> Design {
    match d.kind {
        DesignKind::Grid => Design::grid(params),
        DesignKind::OneAtATime => {
            let base: Vec<f64> = params.iter().map(|p| applied_value(scenario, &p.key)).collect();
            Design::one_at_a_time(params, &base)
        }
        DesignKind::LatinHypercube => {
            Design::latin_hypercube(params, d.points.unwrap_or(DEFAULT_POINTS) as usize, d.seed.unwrap_or(1))
        }
        DesignKind::Morris => Design::morris(
            params,
            d.trajectories.unwrap_or(DEFAULT_TRAJECTORIES) as usize,
            d.levels.unwrap_or(DEFAULT_LEVELS) as usize,
            d.seed.unwrap_or(1),
        ),
        DesignKind::File => Design::rows(params, rows.expect("a file design has rows")),
    }
}

/// Every point must make a valid scenario; say which one does not.
fn check_points(source: &Source, sweep: &Sweep, table: Option<&design::DesignTable>) -> Result<(), ScenarioError> {
    let bad = (0..sweep.points()).into_par_iter().find_map_first(|i| sweep.scenario_at(i).err().map(|e| (i, e)));
    let Some((i, e)) = bad else { return Ok(()) };
    let settings: Vec<String> =
        sweep.parameters.iter().zip(&sweep.design.points[i]).map(|(p, x)| format!("{}={x}", p.key)).collect();
    let cause = e.diagnostics.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("; ");
    let key = e.diagnostics.first().and_then(|d| d.key.clone()).unwrap_or_default();
    let index = sweep.parameters.iter().position(|p| p.key == key);
    let message = format!("point {i} ({}) is not a valid scenario: key `{key}`: {cause}", settings.join(", "));
    if let Some(located) = table.zip(index).and_then(|(t, col)| t.error_at(Some(i), col, message.clone())) {
        return Err(located);
    }
    let path = index.map_or("parameter".to_string(), |i| format!("parameter[{i}]"));
    Err(at(source, &path, message))
}

/// The resolved sweep file: scenario inline, defaults filled in.
fn resolve(sweep: &Sweep, file: &SweepFile) -> String {
    let scenario = match toml::Value::try_from(sweep.scenario.config()).expect("a scenario serializes") {
        toml::Value::Table(t) => t,
        _ => unreachable!("a scenario serializes to a table"),
    };
    let d = &file.design;
    let kind = d.kind;
    let is = |k: DesignKind| kind == k;
    let design = DesignFile {
        kind,
        points: is(DesignKind::LatinHypercube).then(|| d.points.unwrap_or(DEFAULT_POINTS)),
        trajectories: is(DesignKind::Morris).then(|| d.trajectories.unwrap_or(DEFAULT_TRAJECTORIES)),
        levels: is(DesignKind::Morris).then(|| d.levels.unwrap_or(DEFAULT_LEVELS)),
        seed: (is(DesignKind::LatinHypercube) || is(DesignKind::Morris)).then(|| d.seed.unwrap_or(1)),
        file: None,
        rows: is(DesignKind::File).then(|| sweep.design.points.clone()),
    };
    let parameters = sweep
        .parameters
        .iter()
        .map(|p| {
            let mut f = ParameterFile { key: p.key.clone(), ..ParameterFile::default() };
            if !is(DesignKind::File) {
                match &p.values {
                    Values::List(v) => f.values = Some(v.clone()),
                    Values::Range(lo, hi) => f.range = Some([*lo, *hi]),
                    Values::Distribution(d) => f.distribution = Some(*d),
                }
                if !matches!(p.values, Values::List(_)) && matches!(kind, DesignKind::Grid | DesignKind::OneAtATime) {
                    f.steps = Some(p.steps as u32);
                }
            }
            f
        })
        .collect();
    let resolved = SweepFile {
        name: Some(sweep.name.clone()),
        description: file.description.clone(),
        replications: Some(sweep.replications),
        outputs: Some(sweep.outputs.clone()),
        scenario: Some(ScenarioRef::Inline(scenario)),
        design,
        parameters,
    };
    toml::to_string_pretty(&resolved).expect("a sweep serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(kind: &str, extra: &str) -> Sweep {
        let text = format!(
            "replications = 2\n[design]\nkind = \"{kind}\"\n{extra}\n[[parameter]]\nkey = \"markets.entry_cost\"\n\
             range = [1.0, 3.0]\n[[parameter]]\nkey = \"simulation.burn_in\"\nvalues = [10, 15]\n"
        );
        Sweep::from_toml_str(&text, "t.toml", Path::new(".")).unwrap()
    }

    #[test]
    fn a_resolved_sweep_loads_to_itself() {
        for s in [
            sweep("grid", ""),
            sweep("one-at-a-time", ""),
            sweep("latin-hypercube", "points = 7"),
            sweep("morris", "trajectories = 3"),
        ] {
            let again = Sweep::from_toml_str(s.to_toml(), "r.toml", Path::new(".")).unwrap();
            assert_eq!(again.to_toml(), s.to_toml(), "{:?}", s.kind);
            assert_eq!(again.design, s.design);
            assert_eq!(again.scenario, s.scenario);
        }
    }

    #[test]
    fn a_design_too_large_or_empty_is_refused_before_it_is_made() {
        let huge = "[[parameter]]\nkey = \"markets.entry_cost\"\nrange = [1, 2]\nsteps = 10000\n\
                    [[parameter]]\nkey = \"markets.fixed_cost\"\nrange = [0.1, 1]\nsteps = 10000\n";
        let e = Sweep::from_toml_str(huge, "h.toml", Path::new(".")).unwrap_err().to_string();
        assert!(e.contains("100000000 points; allowed: 1 to 1000000"), "{e}");
        let empty = "[design]\nkind = \"file\"\nrows = []\n[[parameter]]\nkey = \"markets.entry_cost\"\n";
        let e = Sweep::from_toml_str(empty, "e.toml", Path::new(".")).unwrap_err().to_string();
        assert!(e.contains("0 points"), "{e}");
    }

    #[test]
    fn every_run_belongs_to_exactly_one_shard() {
        let s = sweep("grid", "");
        assert_eq!(s.runs(), 5 * 2 * 2);
        for count in 1..=7 {
            for k in 0..s.runs() {
                let owners = (1..=count).filter(|&index| Shard { index, count }.owns(k)).count();
                assert_eq!(owners, 1);
            }
        }
        assert_eq!(s.run(5), RunId { point: 2, replication: 2 });
    }

    #[test]
    fn a_point_sets_its_values_on_the_base_scenario() {
        let s = sweep("grid", "");
        let last = s.scenario_at(s.points() - 1).unwrap();
        assert_eq!(last.config().markets.entry_cost, 3.0);
        assert_eq!(last.config().simulation.burn_in, 15);
        assert_eq!(last.config().simulation.seed, s.scenario.config().simulation.seed, "common random numbers");
    }
}
