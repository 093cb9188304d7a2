//! Scenarios: TOML files with a documented default for every key.
//!
//! Loading has two stages, as ripgrep's `LowArgs` and `HiArgs`:
//! [`ScenarioFile`] is the file as written (with defaults filled in), and
//! [`Scenario`] is a validated, named scenario the engine can run. Every error
//! names the file, line, column and key, and says what is allowed.

mod dist;
mod error;
mod file;
mod load;
mod policy;
mod validate;

pub use dist::{Dist, Sampler, pair as dist_pair, std_normal};
pub use error::{Diagnostic, ScenarioError};
pub use file::*;
pub use load::{Source, locate, typed};

use std::path::Path;

/// The built-in baseline scenario (the text of `scenarios/baseline.toml`).
pub const BASELINE_TOML: &str = include_str!("../../scenarios/baseline.toml");

/// A validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    name: String,
    config: ScenarioFile,
}

impl Scenario {
    /// Validate `config` built in code; problems name the key but no file.
    pub fn new(name: &str, mut config: ScenarioFile) -> Result<Self, ScenarioError> {
        config.name = Some(name.to_string());
        config.extends = None;
        let problems = validate::problems(&config);
        if !problems.is_empty() {
            return Err(load::locate_problems(problems, &[]));
        }
        config.policy.iter_mut().for_each(Programme::fill_defaults);
        Ok(Scenario { name: name.to_string(), config })
    }

    /// Load and validate a scenario file and the files it `extends`.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let stem = path.file_stem().map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
        Self::resolve(load::load_path(path)?, &stem)
    }

    /// Parse and validate scenario text; `extends` resolves against the current folder.
    pub fn from_toml_str(text: &str, name: &str) -> Result<Self, ScenarioError> {
        Self::resolve(load::load_str(text, name, Path::new("."))?, name)
    }

    /// The built-in baseline (`scenarios/baseline.toml`).
    pub fn baseline() -> Self {
        Self::from_toml_str(BASELINE_TOML, "baseline").expect("the built-in baseline is valid")
    }

    fn resolve(loaded: load::Loaded, default_name: &str) -> Result<Self, ScenarioError> {
        let mut config = loaded.file;
        config.extends = None;
        let name = config.name.clone().unwrap_or_else(|| default_name.to_string());
        config.name = Some(name.clone());
        let problems = validate::problems(&config);
        if !problems.is_empty() {
            return Err(load::locate_problems(problems, &loaded.sources));
        }
        config.policy.iter_mut().for_each(Programme::fill_defaults);
        Ok(Scenario { name, config })
    }

    /// The scenario's name (default output folder `output/<name>/`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every setting, defaults filled in.
    pub fn config(&self) -> &ScenarioFile {
        &self.config
    }

    /// A copy with changed settings, validated again.
    pub fn with(&self, change: impl FnOnce(&mut ScenarioFile)) -> Result<Self, ScenarioError> {
        let mut config = self.config.clone();
        change(&mut config);
        Scenario::new(&self.name, config)
    }

    /// A copy with the number at key path `path` (e.g. `markets.entry_cost`)
    /// set to `value`, validated again; a whole-number key takes `value`
    /// rounded. For sweeps over one or two conditions.
    pub fn set_number(&self, path: &str, value: f64) -> Result<Self, ScenarioError> {
        self.replace(path, |old| match old {
            toml::Value::Float(_) => Ok(toml::Value::Float(value)),
            toml::Value::Integer(_) if value >= 0.0 => Ok(toml::Value::Integer(value.round() as i64)),
            _ => Err(format!("cannot set it to {value}; allowed: a key holding a single number")),
        })
    }

    /// A copy with the setting at key path `path` (e.g. `entry.horizon` or
    /// `policy[0].effect`) set to `value`, a TOML value
    /// written as in a scenario file (`1.5`, `true`, `"coupled"`); a bare word
    /// is taken as a string. Validated again. For `--set KEY=VALUE`.
    pub fn set(&self, path: &str, value: &str) -> Result<Self, ScenarioError> {
        let value = toml::from_str::<toml::Table>(&format!("v = {value}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.to_string()));
        self.replace(path, |old| match (old, &value) {
            (toml::Value::Float(_), toml::Value::Integer(v)) => Ok(toml::Value::Float(*v as f64)),
            (old, value) if old.same_type(value) => Ok(value.clone()),
            (old, value) => Err(format!(
                "cannot set it to {value}; allowed: a value of the type of its current value {old} ({})",
                old.type_str()
            )),
        })
    }

    /// A copy with the value at key path `path` replaced by `new(old)`,
    /// validated again.
    fn replace(
        &self,
        path: &str,
        new: impl FnOnce(&toml::Value) -> Result<toml::Value, String>,
    ) -> Result<Self, ScenarioError> {
        let problem = |message: String| -> ScenarioError {
            Diagnostic {
                file: "<command line>".into(),
                text: None,
                span: None,
                key: Some(path.into()),
                message,
                note: None,
            }
            .into()
        };
        let mut doc = toml::Value::try_from(&self.config).expect("a scenario serializes");
        let mut leaf = &mut doc;
        let missing = || {
            problem(
                "there is no such key; allowed: a key of the scenario, e.g. `markets.entry_cost` or `policy[0].effect`"
                    .into(),
            )
        };
        for part in path.split('.') {
            let (name, index) = match part.split_once('[') {
                Some((name, rest)) => {
                    (name, Some(rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok()).ok_or_else(missing)?))
                }
                None => (part, None),
            };
            leaf = leaf.get_mut(name).ok_or_else(missing)?;
            if let Some(i) = index {
                leaf = leaf.get_mut(i).ok_or_else(missing)?;
            }
        }
        *leaf = new(leaf).map_err(problem)?;
        let config: ScenarioFile = doc.try_into().map_err(|e: toml::de::Error| problem(e.message().to_string()))?;
        Scenario::new(&self.name, config)
    }

    /// This scenario with scenario texts layered over it, each over the one
    /// before, as a file `extends` its parent (their own `extends` is ignored).
    /// Takes the last layer's name, else `name`. For experiments defined as
    /// changes to whatever scenario they are given, e.g. the KMM corners.
    pub fn layered(&self, name: &str, layers: &[(&str, &str)]) -> Result<Self, ScenarioError> {
        let base = match toml::Value::try_from(&self.config).expect("a scenario serializes") {
            toml::Value::Table(t) => t,
            _ => unreachable!("a scenario serializes to a table"),
        };
        let sources = layers.iter().map(|(display, text)| load::Source::new(display, text)).collect();
        Self::resolve(load::load_layers(base, sources)?, name)
    }

    /// The no-policy twin: the same scenario without programmes or networks,
    /// named `<name>-twin`. With the same seed its firms meet the same shocks
    /// (common random numbers), so the two differ only by the policy.
    pub fn twin(&self) -> Self {
        let mut config = self.config.clone();
        config.policy.clear();
        config.rin.clear();
        let name = format!("{}-twin", self.name);
        config.name = Some(name.clone());
        Scenario { name, config }
    }

    /// The resolved scenario as TOML: every default filled in, no `extends`.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(&self.config).expect("a scenario always serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_loads_and_round_trips_through_its_resolved_toml() {
        let b = Scenario::baseline();
        let again = Scenario::from_toml_str(&b.to_toml(), "baseline").unwrap();
        assert_eq!(b, again);
    }

    #[test]
    fn layering_a_file_over_the_baseline_is_loading_it() {
        let launch = std::fs::read_to_string("scenarios/kmm_product_launch.toml").unwrap();
        let corner = std::fs::read_to_string("scenarios/kmm_waterfall_wins.toml").unwrap();
        let layers = [("kmm_product_launch.toml", launch.as_str()), ("kmm_waterfall_wins.toml", corner.as_str())];
        let layered = Scenario::baseline().layered("kmm_waterfall_wins", &layers).unwrap();
        let loaded = Scenario::load(Path::new("scenarios/kmm_waterfall_wins.toml")).unwrap();
        assert_eq!(layered, loaded);
        let bad = Scenario::baseline().layered("x", &[("bad.toml", "[markets]\nentry_cost = -1.0\n")]);
        assert!(bad.unwrap_err().to_string().contains("bad.toml:2"), "errors point into the layer");
    }

    #[test]
    fn a_setting_inside_a_programme_is_reached_by_its_position() {
        let s = Scenario::load(Path::new("scenarios/policy_start.toml")).unwrap();
        assert_eq!(s.set("policy[0].effect", "0.3").unwrap().config().policy[0].effect, Some(0.3));
        let text = s.set("policy[0].effect", "3").unwrap_err().to_string();
        assert!(text.contains("policy[0].effect") && text.contains("[0, 1]"), "{text}");
        assert!(s.set("policy[1].effect", "0.3").is_err(), "there is one programme");
    }

    #[test]
    fn code_built_scenarios_are_validated() {
        let err = Scenario::baseline().with(|c| c.firms.death_rate = 2.0).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("firms.death_rate") && text.contains("[0, 1]"), "{text}");
    }

    #[test]
    fn a_setting_takes_any_value_of_its_type_and_is_validated() {
        let b = Scenario::baseline();
        assert!(b.set("strategy.self_funded", "true").unwrap().config().strategy.self_funded);
        assert_eq!(b.set("markets.entry_cost", "2").unwrap().config().markets.entry_cost, 2.0);
        assert_eq!(b.set("learning.capacity", "additive").unwrap().config().learning.capacity, Capacity::Additive);
        for (path, value, fragment) in [
            ("strategy.self_funded", "1", "boolean"),
            ("simulation.firms", "1.5", "integer"),
            ("learning.capacity", "cubic", "coupled"),
            ("firms.death_rate", "2", "[0, 1]"),
            ("firms.no_such_key", "1", "no such key"),
            ("policy[0].effect", "0.3", "no such key"),
        ] {
            let text = b.set(path, value).unwrap_err().to_string();
            assert!(text.contains(path) && text.contains(fragment), "{path}={value}: {text}");
        }
    }
}
