//! The figures of a run or a comparison: which curves, axes and captions.
//! Each builder turns analysis results into a [`LineChart`] or [`BarChart`].

use crate::analysis::outcomes::{ccdf, pooled_counts, pooled_durations};
use crate::analysis::replications::interval;
use crate::analysis::survival::{Durations, KaplanMeier, hazard};
use crate::output::tables::{FirmRow, RoundRow};
use crate::plot::{BarChart, LineChart, Scale, Series};
use std::collections::BTreeMap;

/// A figure to draw: file stem, chart, and a one-line caption on how to read it.
pub struct Figure {
    /// File name without extension, e.g. `spell_survival`.
    pub stem: &'static str,
    /// The chart.
    pub chart: Chart,
    /// How to read it.
    pub caption: String,
}

/// Either kind of chart.
pub enum Chart {
    /// Lines (with optional bands).
    Line(LineChart),
    /// Grouped bars.
    Bars(BarChart),
}

/// What one line of a figure is made of: a label and its data.
pub struct Source<'a> {
    /// Legend label.
    pub label: String,
    /// Round rows of the group (all replications).
    pub rounds: Vec<&'a RoundRow>,
    /// Firm lifetimes per replication.
    pub firms: Vec<Durations>,
    /// Spell durations per replication (firm death as an exit).
    pub spells: Vec<Durations>,
    /// Markets per exporter-round per replication.
    pub markets: Vec<BTreeMap<u32, u64>>,
    /// Replications and rounds after burn-in, to scale counts per round.
    pub observed_rounds: f64,
    /// The firms followed from birth (all replications).
    pub cohort: Vec<&'a FirmRow>,
}

/// Longest spell age or firm age shown.
const MAX_AGE: u32 = 30;

/// Kaplan-Meier step curve with its log-log band, from t = 0.
fn km_series(label: &str, d: &Durations) -> Series {
    let km = KaplanMeier::new(d);
    let mut points = vec![(0.0, 1.0)];
    let mut band = vec![(0.0, 1.0, 1.0)];
    for s in km.steps.iter().filter(|s| s.time <= MAX_AGE) {
        points.push((f64::from(s.time), s.survival));
        band.push((f64::from(s.time), s.low, s.high));
    }
    Series { label: label.to_string(), points, band, step: true, markers: false, joined: true }
}

fn hazard_series(label: &str, d: &Durations) -> Series {
    let h: Vec<_> = hazard(d).into_iter().filter(|p| p.age <= 15 && p.at_risk >= 10).collect();
    Series {
        label: label.to_string(),
        points: h.iter().map(|p| (f64::from(p.age), p.hazard)).collect(),
        band: h.iter().map(|p| (f64::from(p.age), p.low, p.high)).collect(),
        step: false,
        markers: true,
        joined: true,
    }
}

/// Mean over replications per round, with the 95% interval as a band.
pub(crate) fn time_series(label: &str, rows: &[&RoundRow], value: impl Fn(&RoundRow) -> f64) -> Series {
    let mut by_round: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
    for r in rows {
        by_round.entry(r.round).or_default().push(value(r));
    }
    interval_series(label, by_round.into_iter().map(|(t, xs)| (f64::from(t), xs)))
}

/// Mean of each x's values (one per replication), with the 95% interval as a band.
pub(crate) fn interval_series(label: &str, values: impl Iterator<Item = (f64, Vec<f64>)>) -> Series {
    let stats: Vec<_> = values.filter_map(|(x, xs)| interval(&xs).map(|i| (x, i))).collect();
    Series {
        label: label.to_string(),
        points: stats.iter().map(|(t, i)| (*t, i.mean)).collect(),
        band: stats.iter().map(|(t, i)| (*t, i.low, i.high)).collect(),
        step: false,
        markers: false,
        joined: true,
    }
}

pub(crate) fn line(title: &str, x: &str, y: &str, series: Vec<Series>) -> LineChart {
    LineChart {
        title: title.into(),
        x_label: x.into(),
        y_label: y.into(),
        x_scale: Scale::Linear,
        y_scale: Scale::Linear,
        y_range: None,
        series,
    }
}

/// The standard figures, one line per source.
pub fn standard(sources: &[Source<'_>]) -> Vec<Figure> {
    let mut figures = vec![
        Figure {
            stem: "exporter_share",
            chart: Chart::Line(line(
                "Exporter share over time",
                "round (year)",
                "share of alive firms exporting",
                sources.iter().map(|s| time_series(&s.label, &s.rounds, |r| r.exporter_share)).collect(),
            )),
            caption: "Share of alive firms with export sales in each round: line = mean over replications, \
                      band = 95% interval over replications. The early rounds are the first population settling."
                .into(),
        },
        Figure {
            stem: "firm_survival",
            chart: Chart::Line(LineChart {
                y_range: Some((0.0, 1.0)),
                ..line(
                    "Firm survival",
                    "firm age (rounds)",
                    "share of firms still alive",
                    sources.iter().map(|s| km_series(&s.label, &pooled_durations(&s.firms))).collect(),
                )
            }),
            caption:
                "Kaplan-Meier share of firms born from the end of burn-in on still alive at each age, with its log-log \
                      95% band; a steeper fall means firms die younger."
                    .into(),
        },
        Figure {
            stem: "spell_survival",
            chart: Chart::Line(LineChart {
                y_range: Some((0.0, 1.0)),
                ..line(
                    "Export spell survival",
                    "spell length (rounds)",
                    "share of spells still running",
                    sources.iter().map(|s| km_series(&s.label, &pooled_durations(&s.spells))).collect(),
                )
            }),
            caption: "Kaplan-Meier share of new firm-market export spells still running after t rounds (firm death \
                      counts as an exit), with log-log 95% bands; the first step is the share that survive their \
                      first year."
                .into(),
        },
        Figure {
            stem: "spell_hazard",
            chart: Chart::Line(line(
                "Exit hazard by spell age",
                "spell age (rounds)",
                "share of running spells ending at this age",
                sources.iter().map(|s| hazard_series(&s.label, &pooled_durations(&s.spells))).collect(),
            )),
            caption: "Discrete exit hazard h(a): of the spells that reached age a, the share that end there, with \
                      Wilson 95% intervals (ages with at least 10 spells at risk). A falling line means spells \
                      that survive their first years become safer."
                .into(),
        },
        markets_bars(sources),
        Figure {
            stem: "markets_ccdf",
            chart: Chart::Line(LineChart {
                x_scale: Scale::Log,
                y_scale: Scale::Log,
                ..line(
                    "Exporters serving k or more markets",
                    "foreign markets k (log scale)",
                    "exporters with k or more markets, per round (log scale)",
                    sources.iter().map(ccdf_series).collect(),
                )
            }),
            caption: "Complementary cumulative count N(>=k) of exporters by the number of foreign markets they \
                      serve, averaged over rounds after burn-in, on log-log axes: a straight line is a power law, \
                      and a steeper slope means exporters thin out faster with more markets."
                .into(),
        },
    ];
    figures.push(per_firm_bars(
        sources,
        "discounted_profit",
        "Discounted profit per firm",
        "money (a median firm's yearly gross home profit = 1)",
        [("total", |f: &FirmRow| f.discounted_profit), ("from exporting", |f: &FirmRow| f.discounted_export_profit)],
        "Mean over firms of their profit net of sunk entry costs, discounted to birth at the scenario's discount \
         rate: in total, and the part earned abroad. Higher is better; compare the bars of each group.",
    ));
    figures.push(per_firm_bars(
        sources,
        "entries",
        "Failed entries and markets reached per firm",
        "markets per firm",
        [
            ("failed entries", |f: &FirmRow| f64::from(f.failed_entries)),
            ("markets reached", |f: &FirmRow| f64::from(f.markets_reached)),
        ],
        "Mean over firms of the foreign markets they left (failed entries) and of the distinct foreign markets \
         they ever entered: spreading fast reaches more markets and fails more often.",
    ));
    figures.push(Figure {
        stem: "diversification_hhi",
        chart: Chart::Line(line(
            "Concentration of exporters' sales over time",
            "round (year)",
            "Herfindahl index, mean over exporters",
            sources.iter().map(|s| time_series(&s.label, &s.rounds, |r| r.mean_hhi)).collect(),
        )),
        caption: "Mean Herfindahl index of exporters' sales across their markets (1 = all sales in one market, \
                  1/N for N equal markets), with 95% bands over replications: lower means more diversified."
            .into(),
    });
    figures.push(Figure {
        stem: "diversification_entropy",
        chart: Chart::Line(line(
            "Spread of exporters' sales over time",
            "round (year)",
            "entropy of sales shares, mean over exporters",
            sources.iter().map(|s| time_series(&s.label, &s.rounds, |r| r.mean_entropy)).collect(),
        )),
        caption: "Mean entropy of exporters' sales shares across markets (0 = one market, ln N for N equal \
                  markets), with 95% bands over replications: higher means more diversified."
            .into(),
    });
    figures
}

fn ccdf_series(s: &Source<'_>) -> Series {
    let counts = pooled_counts(&s.markets);
    Series {
        label: s.label.clone(),
        points: ccdf(&counts).into_iter().map(|(k, n)| (f64::from(k), n as f64 / s.observed_rounds)).collect(),
        band: Vec::new(),
        step: false,
        markers: true,
        joined: true,
    }
}

/// Share of exporter-rounds with k markets, k = 1..=10 and "11+".
fn markets_bars(sources: &[Source<'_>]) -> Figure {
    const TOP: u32 = 10;
    let mut categories: Vec<String> = (1..=TOP).map(|k| k.to_string()).collect();
    categories.push(format!("{}+", TOP + 1));
    let series = sources
        .iter()
        .map(|s| {
            let counts = pooled_counts(&s.markets);
            let total: u64 = counts.values().sum::<u64>().max(1);
            let share = |k: u32| counts.get(&k).copied().unwrap_or(0) as f64 / total as f64;
            let mut shares: Vec<f64> = (1..=TOP).map(share).collect();
            shares.push(counts.range(TOP + 1..).map(|(_, n)| *n).sum::<u64>() as f64 / total as f64);
            (s.label.clone(), shares)
        })
        .collect();
    Figure {
        stem: "markets_per_exporter",
        chart: Chart::Bars(BarChart {
            title: "Markets per exporter".into(),
            x_label: "foreign markets served".into(),
            y_label: "share of exporters".into(),
            categories,
            series,
        }),
        caption: "Distribution of the number of foreign markets an exporter serves, pooled over rounds after \
                  burn-in and replications: the tallest bar is the most common count."
            .into(),
    }
}

/// Spell survival for a set of groups (e.g. born globals against gradual firms).
pub fn spell_survival_by(stem: &'static str, title: &str, sources: &[Source<'_>]) -> Figure {
    Figure {
        stem,
        chart: Chart::Line(LineChart {
            y_range: Some((0.0, 1.0)),
            ..line(
                title,
                "spell length (rounds)",
                "share of spells still running",
                sources.iter().map(|s| km_series(&s.label, &pooled_durations(&s.spells))).collect(),
            )
        }),
        caption: format!(
            "Kaplan-Meier survival of new export spells for each group, with log-log 95% bands ({}).",
            sources.iter().map(|s| s.label.as_str()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// A per-firm measure and its name.
type Measure = (&'static str, fn(&FirmRow) -> f64);

/// Bars of per-firm means: one category per measure, one bar per source.
fn per_firm_bars(
    sources: &[Source<'_>],
    stem: &'static str,
    title: &str,
    y_label: &str,
    measures: [Measure; 2],
    caption: &str,
) -> Figure {
    let mean =
        |firms: &[&FirmRow], f: fn(&FirmRow) -> f64| firms.iter().map(|x| f(x)).sum::<f64>() / firms.len() as f64;
    Figure {
        stem,
        chart: Chart::Bars(BarChart {
            title: title.into(),
            x_label: String::new(),
            y_label: y_label.into(),
            categories: measures.iter().map(|(name, _)| name.to_string()).collect(),
            series: sources
                .iter()
                .map(|s| (s.label.clone(), measures.iter().map(|(_, f)| mean(&s.cohort, *f)).collect()))
                .collect(),
        }),
        caption: caption.into(),
    }
}
