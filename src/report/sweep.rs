//! The charts of a sweep: each output against each swept parameter, and the
//! Morris ranking of the parameters per output.

use super::figures::line;
use crate::analysis::morris::Effects;
use crate::analysis::summary::Headline;
use crate::analysis::sweep::Aggregate;
use crate::plot::{BarChart, LineChart, Series};

/// Output `output` (named `output_name`) against parameter `param`: its main
/// effect with a 95% band where the parameter takes few levels (a grid, one
/// at a time, Morris), else every point's mean as a scatter (a Latin
/// hypercube or a design file). `points` lists each point's value of the parameter.
pub fn against(
    agg: &Aggregate,
    param: usize,
    key: &str,
    output: usize,
    output_name: &str,
    points: &[f64],
) -> LineChart {
    let title = format!("{output_name} against {key}");
    let series = match agg.main_effect(param, output) {
        Some(levels) => {
            let defined: Vec<(f64, &Headline)> =
                levels.iter().filter(|(_, h)| h.mean.is_some()).map(|(x, h)| (*x, h)).collect();
            Series {
                label: "mean over the other parameters, 95% interval over replications".into(),
                points: defined.iter().map(|(x, h)| (*x, h.mean.unwrap_or(f64::NAN))).collect(),
                band: defined
                    .iter()
                    .map(|(x, h)| (*x, h.low.unwrap_or(f64::NAN), h.high.unwrap_or(f64::NAN)))
                    .collect(),
                step: false,
                markers: true,
                joined: true,
            }
        }
        None => Series {
            label: "each point's mean over replications".into(),
            points: points.iter().zip(&agg.points).map(|(x, h)| (*x, h[output].mean.unwrap_or(f64::NAN))).collect(),
            band: Vec::new(),
            step: false,
            markers: true,
            joined: false,
        },
    };
    line(&title, key, output_name, vec![series])
}

/// Parameters ranked by μ* (most important first) for one output, with σ
/// beside each: bars of similar height mean an effect that varies with the
/// other parameters (interactions) or is not linear.
pub fn morris_ranking(keys: &[String], effects: &[Effects], output_name: &str) -> BarChart {
    let order = crate::analysis::morris::ranked(effects);
    BarChart {
        title: format!("Morris elementary effects on {output_name}"),
        x_label: "parameter (most influential first; full keys in morris.csv)".into(),
        y_label: format!("effect on {output_name} per full range"),
        categories: order.iter().map(|i| short_names(keys)[*i].clone()).collect(),
        series: vec![
            ("μ* (mean |effect|)".into(), order.iter().map(|i| effects[*i].mu_star).collect()),
            ("σ (sd of effects)".into(), order.iter().map(|i| effects[*i].sigma).collect()),
        ],
    }
}

/// Each key's last part (`entry_cost` for `markets.entry_cost`) where that is
/// unique, so that many names fit under their bars; else the whole key.
fn short_names(keys: &[String]) -> Vec<String> {
    let last = |k: &str| k.rsplit('.').next().unwrap_or(k).to_string();
    let unique = |k: &String| keys.iter().filter(|o| last(o) == last(k)).count() == 1;
    keys.iter().map(|k| if unique(k) { last(k) } else { k.clone() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_keep_a_key_whole_only_where_its_last_part_repeats() {
        let keys =
            ["markets.entry_cost", "network.tie_rate_eo", "learning.network", "strategy.network"].map(String::from);
        assert_eq!(short_names(&keys), ["entry_cost", "tie_rate_eo", "learning.network", "strategy.network"]);
    }
}
