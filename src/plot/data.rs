//! Turning a series' raw numbers into the shapes that are drawn.
//!
//! Points plotters cannot place (NaN, infinities, non-positive values on a
//! log axis) are dropped here, so drawing never sees them and never panics.

use super::Scale;
use std::ops::Range;

/// Whether `v` can be placed on an axis with `scale`.
pub(super) fn placeable(v: f64, scale: Scale) -> bool {
    v.is_finite() && (scale == Scale::Linear || v > 0.0)
}

/// The points that can be drawn, in their given order.
pub(super) fn clean_points(points: &[(f64, f64)], x: Scale, y: Scale) -> Vec<(f64, f64)> {
    points.iter().copied().filter(|&(a, b)| placeable(a, x) && placeable(b, y)).collect()
}

/// The band rows that can be drawn, sorted by x, with low <= high.
pub(super) fn clean_band(band: &[(f64, f64, f64)], x: Scale, y: Scale) -> Vec<(f64, f64, f64)> {
    let mut rows: Vec<_> = band
        .iter()
        .filter(|&&(a, lo, hi)| placeable(a, x) && placeable(lo, y) && placeable(hi, y))
        .map(|&(a, lo, hi)| (a, lo.min(hi), lo.max(hi)))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows
}

/// Points sorted by x (stable, so ties keep their order).
pub(super) fn sorted_by_x(mut points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
}

/// A right-continuous step function through sorted points: each value holds
/// until the next x, then jumps (how Kaplan-Meier curves are read).
pub(super) fn step_path(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut path = Vec::with_capacity(points.len() * 2);
    for (i, &(x, y)) in points.iter().enumerate() {
        path.push((x, y));
        if let Some(&(next_x, _)) = points.get(i + 1) {
            path.push((next_x, y));
        }
    }
    path
}

/// The outline of a band: along the high edge, back along the low edge.
/// With `step`, both edges are step functions like the line they surround.
pub(super) fn band_polygon(band: &[(f64, f64, f64)], step: bool) -> Vec<(f64, f64)> {
    let edge = |pick: fn(&(f64, f64, f64)) -> f64| {
        let points: Vec<_> = band.iter().map(|r| (r.0, pick(r))).collect();
        if step { step_path(&points) } else { points }
    };
    let mut outline = edge(|r| r.2);
    outline.extend(edge(|r| r.1).into_iter().rev());
    outline
}

/// `v` moved into `range`: with an explicit y range, data beyond it runs
/// along the frame instead of spilling outside (plotters does not clip).
pub(super) fn clamp_into(v: f64, range: &Range<f64>) -> f64 {
    v.clamp(range.start, range.end)
}
