//! Experiments made of many runs: the strategy map (two conditions swept on a
//! grid, two strategies compared at every point) and calibration (a Latin
//! hypercube over parameters, each point judged against the validation
//! targets). Every run of an experiment shares the seed and replications, so
//! replication r of every run meets the same random draws (common random
//! numbers).

pub mod benchmark;
pub mod calibration;
pub mod strategy_map;
pub mod sweep;

use crate::scenario::{Diagnostic, Scenario, ScenarioError};

/// One swept condition: a numeric scenario key and the values it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Key path, e.g. `markets.entry_cost`.
    pub key: String,
    /// Values in ascending order.
    pub values: Vec<f64>,
}

impl Axis {
    /// Parse `KEY=LO..HI` into `steps` evenly spaced values, checking the key
    /// against `scenario` (a whole-number key gets rounded, distinct values).
    pub fn parse(spec: &str, steps: usize, scenario: &Scenario) -> Result<Axis, ScenarioError> {
        let problem = |message: &str| -> ScenarioError {
            Diagnostic {
                file: "<command line>".into(),
                text: None,
                span: None,
                key: None,
                message: format!("`{spec}`: {message}; allowed: KEY=LOW..HIGH, e.g. markets.entry_cost=0.5..3"),
                note: None,
            }
            .into()
        };
        let (key, range) = spec.split_once('=').ok_or_else(|| problem("no `=`"))?;
        let (lo, hi) = range.split_once("..").ok_or_else(|| problem("no `..` between the two ends"))?;
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
        let (lo, hi) = match (number(lo), number(hi)) {
            (Some(lo), Some(hi)) if lo <= hi => (lo, hi),
            _ => return Err(problem("the ends must be numbers with LOW <= HIGH")),
        };
        let steps = if lo == hi { 1 } else { steps.max(2) };
        let mut values: Vec<f64> = Vec::new();
        for i in 0..steps {
            let x = if steps == 1 { lo } else { lo + (hi - lo) * i as f64 / (steps - 1) as f64 };
            let applied = applied_value(&scenario.set_number(key, x)?, key);
            if values.last() != Some(&applied) {
                values.push(applied);
            }
        }
        Ok(Axis { key: key.to_string(), values })
    }
}

/// The number a scenario holds at `path` (after rounding for whole-number keys).
pub fn applied_value(scenario: &Scenario, path: &str) -> f64 {
    match value_at(scenario, path) {
        Some(toml::Value::Float(x)) => x,
        Some(toml::Value::Integer(i)) => i as f64,
        _ => f64::NAN,
    }
}

/// The value a scenario holds at the dotted key `path`, if any.
pub fn value_at(scenario: &Scenario, path: &str) -> Option<toml::Value> {
    let doc = toml::Value::try_from(scenario.config()).expect("a scenario serializes");
    path.split('.').try_fold(&doc, |v, part| v.get(part)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_axis_spreads_its_values_and_rounds_whole_number_keys() {
        let s = Scenario::baseline();
        let a = Axis::parse("markets.entry_cost=0.5..2.5", 5, &s).unwrap();
        assert_eq!(a.values, vec![0.5, 1.0, 1.5, 2.0, 2.5]);
        let b = Axis::parse("product.life_cycle=2..4", 5, &s).unwrap();
        assert_eq!(b.values, vec![2.0, 3.0, 4.0], "rounded, without repeats");
    }

    #[test]
    fn a_bad_axis_names_what_is_wrong() {
        let s = Scenario::baseline();
        for (spec, fragment) in [
            ("markets.entry_cost", "no `=`"),
            ("markets.entry_cost=3..1", "LOW <= HIGH"),
            ("markets.nonsense=1..2", "no such key"),
            ("markets.size=1..2", "single number"),
            ("firms.death_rate=0.5..2", "out of range"),
        ] {
            let e = Axis::parse(spec, 3, &s).unwrap_err().to_string();
            assert!(e.contains(fragment), "{spec}: {e}");
        }
    }

    #[test]
    fn setting_a_number_validates_it() {
        let s = Scenario::baseline();
        assert_eq!(s.set_number("markets.entry_cost", 0.7).unwrap().config().markets.entry_cost, 0.7);
        assert!(s.set_number("firms.death_rate", 3.0).is_err());
    }
}
