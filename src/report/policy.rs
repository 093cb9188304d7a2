//! The evaluation of a policy run against its no-policy twin (in `twin/`
//! inside the run's folder): `effects.csv` (per replication), `effects.json`
//! (means, 95% intervals, the cost per additional surviving exporter, the
//! programmes' totals), `supported.csv` (each supported firm and its twin) and
//! plots of the policy and twin paths.

use super::figures::{Chart, Figure, interval_series, line, time_series};
use super::{ReportError, draw, write_json};
use crate::analysis::effects::{Effects, effects};
use crate::output::read::RunTables;
use crate::output::tables::RoundRow;
use crate::output::write_table;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folder of the twin inside a policy run's folder.
pub const TWIN: &str = "twin";

/// Evaluate the policy run in `dir` against the twin in `dir/twin`; returns
/// the effects and the files written (none for a run without policy).
pub fn evaluate(dir: &Path) -> Result<Option<(Effects, Vec<PathBuf>)>, ReportError> {
    let policy = RunTables::read(dir)?;
    if !policy.scenario.config().has_policy() {
        return Ok(None);
    }
    let twin = RunTables::read(&dir.join(TWIN))?;
    let Some(e) = effects(&policy, &twin) else { return Ok(None) };
    let mut written = vec![
        write_table(dir, "effects.csv", &e.rows)?,
        write_table(dir, "supported.csv", &e.supported)?,
        write_json(dir, "effects.json", &e)?,
    ];
    draw(dir, &figures(&policy, &twin, &e), &mut written)?;
    Ok(Some((e, written)))
}

fn all_firms(t: &RunTables) -> Vec<&RoundRow> {
    t.rounds.iter().filter(|r| r.strategy == "all").collect()
}

/// Exporters with and without the policy, their difference, and the supported
/// firms' paths against their twins'.
fn figures(policy: &RunTables, twin: &RunTables, e: &Effects) -> Vec<Figure> {
    let (p, q) = (all_firms(policy), all_firms(twin));
    let w = e.window;
    let twin_exporters: BTreeMap<(u32, u32), f64> =
        q.iter().map(|r| ((r.replication, r.round), r.exporters as f64)).collect();
    let mut diff: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
    for a in &p {
        if let Some(b) = twin_exporters.get(&(a.replication, a.round)) {
            diff.entry(a.round).or_default().push(a.exporters as f64 - b);
        }
    }
    let support =
        format!("support runs in rounds {}-{}, effects are counted to round {}", w.first, w.last_support, w.evaluation);
    vec![
        Figure {
            stem: "policy_exporters",
            chart: Chart::Line(line(
                "Exporters with the policy and in its no-policy twin",
                "round (year)",
                "alive firms exporting",
                vec![
                    time_series("policy", &p, |r| r.exporters as f64),
                    time_series("no-policy twin", &q, |r| r.exporters as f64),
                ],
            )),
            caption: format!(
                "Exporters per round: line = mean over replications, band = 95% interval; {support}. The two \
                 runs share their random numbers, so they coincide before the policy starts."
            ),
        },
        Figure {
            stem: "policy_additional_exporters",
            chart: Chart::Line(line(
                "Additional exporters: policy minus twin",
                "round (year)",
                "additional exporters",
                vec![interval_series("policy - twin", diff.into_iter().map(|(t, xs)| (f64::from(t), xs)))],
            )),
            caption: format!(
                "Exporters with the policy minus exporters in the twin, paired by replication: mean and 95% \
                 interval; {support}."
            ),
        },
        Figure {
            stem: "policy_supported_paths",
            chart: Chart::Line(share_axis(line(
                "Supported firms and their twins",
                "rounds since first support",
                "share exporting",
                vec![
                    interval_series("supported firms", e.paths.iter().map(|p| (f64::from(p.offset), p.policy.clone()))),
                    interval_series(
                        "the same firms without the policy",
                        e.paths.iter().map(|p| (f64::from(p.offset), p.twin.clone())),
                    ),
                ],
            ))),
            caption: "Share of supported firms alive and exporting k rounds after their first support, and of the \
                      same firms in the twin: the gap is what the support changed for them; the twin's level after \
                      support is the deadweight. Mean and 95% interval over replications."
                .into(),
        },
    ]
}

/// A chart of shares: the y axis from 0 to 1.
fn share_axis(mut c: crate::plot::LineChart) -> crate::plot::LineChart {
    c.y_range = Some((0.0, 1.0));
    c
}
