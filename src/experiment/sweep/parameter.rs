//! A swept parameter: a numeric scenario key and the values it may take,
//! given as a list, a range or a distribution.

use crate::scenario::Dist;

/// Where a parameter's values come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// Exactly these values.
    List(Vec<f64>),
    /// Evenly spread over `[low, high]`.
    Range(f64, f64),
    /// Quantiles of a distribution.
    Distribution(Dist),
}

/// One swept parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Key path, e.g. `markets.entry_cost`.
    pub key: String,
    /// Its values.
    pub values: Values,
    /// Levels on a grid or one-at-a-time axis (list: its length).
    pub steps: usize,
    /// The key holds a whole number: values are rounded when applied.
    pub whole: bool,
}

impl Parameter {
    /// Level `j` of `n` (0-based), spread over the parameter's values: a
    /// range's ends and evenly spaced points between; a list's entries
    /// (the nearest one when `n` differs from its length); a distribution's
    /// quantiles at the middles of `n` equally likely strata (its support
    /// may be unbounded).
    pub fn level(&self, j: usize, n: usize) -> f64 {
        let share = if n < 2 { 0.5 } else { j as f64 / (n - 1) as f64 };
        let x = match &self.values {
            Values::List(v) => v[(share * (v.len() - 1) as f64).round() as usize],
            Values::Range(lo, hi) => tidy(lo + share * (hi - lo)),
            Values::Distribution(d) => d.quantile((j as f64 + 0.5) / n.max(1) as f64),
        };
        self.applied(x)
    }

    /// The value at `u` in [0, 1) of the unit interval (Latin hypercube):
    /// a range linearly, a list by equal shares, a distribution by its quantile.
    pub fn at(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let x = match &self.values {
            Values::List(v) => v[((u * v.len() as f64) as usize).min(v.len() - 1)],
            Values::Range(lo, hi) => lo + u * (hi - lo),
            Values::Distribution(d) => d.quantile(u.clamp(1e-9, 1.0 - 1e-9)),
        };
        self.applied(x)
    }

    /// The parameter's levels on a grid or one-at-a-time axis, without repeats.
    pub fn levels(&self) -> Vec<f64> {
        let mut out: Vec<f64> = Vec::new();
        for j in 0..self.steps {
            let x = self.level(j, self.steps);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }

    /// `x` as the scenario will hold it (rounded for a whole-number key).
    pub fn applied(&self, x: f64) -> f64 {
        if self.whole { x.round() } else { x }
    }
}

/// `x` to 12 significant digits: a level of a range reads as written
/// (0.3, not 0.30000000000000004).
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(values: Values, steps: usize) -> Parameter {
        Parameter { key: "k".into(), values, steps, whole: false }
    }

    #[test]
    fn a_range_spreads_evenly_and_a_list_keeps_its_entries() {
        assert_eq!(param(Values::Range(1.0, 3.0), 5).levels(), vec![1.0, 1.5, 2.0, 2.5, 3.0]);
        assert_eq!(param(Values::Range(0.1, 0.5), 3).levels(), vec![0.1, 0.3, 0.5]);
        assert_eq!(param(Values::List(vec![0.2, 0.9, 0.4]), 3).levels(), vec![0.2, 0.9, 0.4]);
        assert_eq!(param(Values::Range(0.0, 10.0), 2).at(0.25), 2.5);
        assert_eq!(param(Values::List(vec![1.0, 2.0]), 2).at(0.6), 2.0);
    }

    #[test]
    fn a_distribution_gives_stratum_middles_and_a_whole_key_rounds() {
        let d = param(Values::Distribution(Dist::Uniform([0.0, 1.0])), 4);
        assert_eq!(d.levels(), vec![0.125, 0.375, 0.625, 0.875]);
        let n = param(Values::Distribution(Dist::Normal([0.0, 1.0])), 2);
        assert!(n.level(0, 2).is_finite() && n.at(0.0).is_finite() && n.at(1.0).is_finite());
        let whole = Parameter { whole: true, ..param(Values::Range(1.0, 3.0), 5) };
        assert_eq!(whole.levels(), vec![1.0, 2.0, 3.0], "rounded, without repeats");
    }
}
