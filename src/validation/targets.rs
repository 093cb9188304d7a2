//! The validation targets of `../shared/validation/targets.md`, each as one
//! or more checks of a figure against a pass condition.
//!
//! A band or bound is judged on the mean over replications (the targets'
//! convention); a claim that one run beats another ("raises", "earns more")
//! needs the 95% interval of the paired difference to exclude zero.

use crate::analysis::summary::Headline;
use serde::Serialize;

/// Which run a figure comes from, or the paired difference of two runs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// A figure of one run.
    Of {
        /// The run.
        run: &'static str,
        /// The figure.
        metric: &'static str,
    },
    /// A figure of one run minus the same of another, paired by replication
    /// (common random numbers).
    Difference {
        /// The run subtracted from.
        minuend: &'static str,
        /// The run subtracted.
        subtrahend: &'static str,
        /// The figure.
        metric: &'static str,
    },
}

/// A pass condition.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The mean lies in [low, high].
    Within(f64, f64),
    /// The mean is at most this.
    AtMost(f64),
    /// The mean is at least this.
    AtLeast(f64),
    /// The mean is above this.
    Above(f64),
    /// The whole 95% interval is above zero.
    SurelyPositive,
    /// The whole 95% interval is below zero.
    SurelyNegative,
}

impl Rule {
    /// Does `h` meet the condition? Never with no value.
    pub fn holds(&self, h: &Headline) -> bool {
        let (Some(mean), Some(low), Some(high)) = (h.mean, h.low, h.high) else {
            return false;
        };
        match *self {
            Rule::Within(lo, hi) => (lo..=hi).contains(&mean),
            Rule::AtMost(x) => mean <= x,
            Rule::AtLeast(x) => mean >= x,
            Rule::Above(x) => mean > x,
            Rule::SurelyPositive => low > 0.0,
            Rule::SurelyNegative => high < 0.0,
        }
    }

    /// The condition as printed.
    pub fn describe(&self) -> String {
        match *self {
            Rule::Within(lo, hi) => format!("mean in [{lo}, {hi}]"),
            Rule::AtMost(x) => format!("mean <= {x}"),
            Rule::AtLeast(x) => format!("mean >= {x}"),
            Rule::Above(x) => format!("mean > {x}"),
            Rule::SurelyPositive => "interval above 0".into(),
            Rule::SurelyNegative => "interval below 0".into(),
        }
    }
}

/// One figure held to one condition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    /// What is measured, in words.
    pub label: &'static str,
    /// Where the figure comes from.
    pub figure: Figure,
    /// The pass condition.
    pub rule: Rule,
}

/// A target: every check must pass.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    /// `V1`, `V3`, ...
    pub id: &'static str,
    /// What it says.
    pub title: &'static str,
    /// Where the band comes from.
    pub sources: &'static str,
    /// Its checks.
    pub checks: Vec<Check>,
}

/// The run of the scenario itself.
pub const SCENARIO: &str = "scenario";
/// The scenario with every market's entry and fixed cost cut by 25%.
pub const COSTS_CUT: &str = "costs_cut";
/// The KMM sprinkler corner, every firm a waterfall firm.
pub const SPRINKLER_CORNER_WATERFALL: &str = "kmm_sprinkler_wins/waterfall";
/// The KMM sprinkler corner, every firm a sprinkler firm.
pub const SPRINKLER_CORNER_SPRINKLER: &str = "kmm_sprinkler_wins/sprinkler";
/// The KMM waterfall corner, every firm a waterfall firm.
pub const WATERFALL_CORNER_WATERFALL: &str = "kmm_waterfall_wins/waterfall";
/// The KMM waterfall corner, every firm a sprinkler firm.
pub const WATERFALL_CORNER_SPRINKLER: &str = "kmm_waterfall_wins/sprinkler";

fn of(label: &'static str, metric: &'static str, rule: Rule) -> Check {
    Check { label, figure: Figure::Of { run: SCENARIO, metric }, rule }
}

fn diff(
    label: &'static str,
    minuend: &'static str,
    subtrahend: &'static str,
    metric: &'static str,
    rule: Rule,
) -> Check {
    Check { label, figure: Figure::Difference { minuend, subtrahend, metric }, rule }
}

/// Every target, in the order of targets.md.
pub fn targets() -> Vec<Target> {
    use Rule::*;
    vec![
        Target {
            id: "V1",
            title: "Few firms export",
            sources: "Bernard, Jensen, Redding & Schott 2007; EC/EIM 2010; seed 003",
            checks: vec![of("share of alive firms exporting", "exporter_share", Within(0.10, 0.35))],
        },
        Target {
            id: "V3",
            title: "Markets per exporter fall off steeply",
            sources: "Eaton, Kortum & Kramarz 2004; Bernard et al. 2007; Lawless 2010",
            checks: vec![
                of("share of exporters in one market", "single_market_share", Within(0.30, 0.65)),
                of("one market is the most common count (margin)", "modal_market_margin", Above(0.0)),
                of("log-log slope of N(>=k), k >= 2", "ccdf_slope", AtMost(-1.0)),
            ],
        },
        Target {
            id: "V4",
            title: "New export spells are fragile",
            sources: "Besedes & Prusa 2006; Esteve-Perez 2021",
            checks: vec![of("spell survival beyond 1 round (KM)", "spell_survival_1", Within(0.30, 0.60))],
        },
        Target {
            id: "V5",
            title: "Hazard falls with spell age",
            sources: "Besedes & Prusa 2006; Esteve-Perez et al. 2013",
            checks: vec![
                of("h(1) - h(3)", "hazard_drop_1_3", Above(0.0)),
                of("h(3) - h(5)", "hazard_drop_3_5", AtLeast(0.0)),
                of("h(1) / h(3)", "spell_hazard_ratio_1_3", AtLeast(1.5)),
            ],
        },
        Target {
            id: "V6",
            title: "Spells are short",
            sources: "Besedes & Prusa 2006; Esteve-Perez et al. 2013",
            checks: vec![
                of("median spell length (KM, rounds)", "spell_median", Within(1.0, 4.0)),
                of("spell survival beyond 5 rounds (KM)", "spell_survival_5", AtMost(0.35)),
            ],
        },
        Target {
            id: "V10",
            title: "Born globals exist, and are a minority",
            sources: "Knight & Cavusgil 2004; Eurofound 2012; Moen & Servais 2002",
            checks: vec![
                of("cohort share born global (25% within 3 rounds)", "born_global_share", Within(0.03, 0.25)),
                of("ever-exporters first exporting by age 2", "early_exporter_share", Within(0.15, 0.50)),
            ],
        },
        Target {
            id: "V12",
            title: "Waterfall vs sprinkler follow Kalish, Mahajan & Muller (1995)",
            sources: "Kalish et al. 1995; seed 003 section 3.6",
            checks: vec![
                diff(
                    "(a) sprinkler corner: sprinkler - waterfall profit",
                    SPRINKLER_CORNER_SPRINKLER,
                    SPRINKLER_CORNER_WATERFALL,
                    "discounted_profit",
                    SurelyPositive,
                ),
                diff(
                    "(b) waterfall corner: waterfall - sprinkler profit",
                    WATERFALL_CORNER_WATERFALL,
                    WATERFALL_CORNER_SPRINKLER,
                    "discounted_profit",
                    AtLeast(0.0),
                ),
                diff(
                    "(c) sprinkler corner: extra failed entries",
                    SPRINKLER_CORNER_SPRINKLER,
                    SPRINKLER_CORNER_WATERFALL,
                    "failed_entries",
                    SurelyPositive,
                ),
                diff(
                    "(c) waterfall corner: extra failed entries",
                    WATERFALL_CORNER_SPRINKLER,
                    WATERFALL_CORNER_WATERFALL,
                    "failed_entries",
                    SurelyPositive,
                ),
            ],
        },
        Target {
            id: "V13",
            title: "Selection and policy sanity",
            sources: "Melitz 2003; Bernard & Jensen 1999",
            checks: vec![
                diff("costs cut 25%: change in exporter share", COSTS_CUT, SCENARIO, "exporter_share", SurelyPositive),
                diff(
                    "costs cut 25%: change in lowest new-exporter phi",
                    COSTS_CUT,
                    SCENARIO,
                    "lowest_new_exporter_productivity",
                    SurelyNegative,
                ),
                of("death hazard: non-exporters - exporters", "death_hazard_gap", SurelyPositive),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(mean: f64, low: f64, high: f64) -> Headline {
        Headline { mean: Some(mean), low: Some(low), high: Some(high), n: 30 }
    }

    #[test]
    fn bands_judge_the_mean_and_directions_the_whole_interval() {
        assert!(Rule::Within(0.1, 0.35).holds(&h(0.2, 0.05, 0.4)), "a wide interval around a mean in band");
        assert!(!Rule::Within(0.1, 0.35).holds(&h(0.36, 0.34, 0.38)));
        assert!(Rule::Within(1.0, 4.0).holds(&h(1.0, 1.0, 1.0)), "bands are closed");
        assert!(Rule::SurelyPositive.holds(&h(0.1, 0.01, 0.2)));
        assert!(!Rule::SurelyPositive.holds(&h(0.1, -0.01, 0.2)), "an interval touching zero is not enough");
        assert!(Rule::SurelyNegative.holds(&h(-0.1, -0.2, -0.01)));
        assert!(Rule::AtLeast(0.0).holds(&h(0.0, -0.1, 0.1)));
        assert!(!Rule::Above(0.0).holds(&h(0.0, -0.1, 0.1)));
        assert!(!Rule::AtMost(1.0).holds(&Headline { mean: None, low: None, high: None, n: 0 }), "no value, no pass");
    }

    #[test]
    fn every_target_of_targets_md_is_checked() {
        let ids: Vec<&str> = targets().iter().map(|t| t.id).collect();
        assert_eq!(ids, ["V1", "V3", "V4", "V5", "V6", "V10", "V12", "V13"]);
        assert!(targets().iter().all(|t| !t.checks.is_empty()));
    }
}
