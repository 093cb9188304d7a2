//! Axis ranges fitted to the data.

use super::Scale;
use std::ops::Range;

/// Share of the data span added on each side of a linear axis, so that
/// extreme points do not sit on the frame.
const MARGIN: f64 = 0.05;

/// The range of an axis showing `values` (already cleaned for `scale`).
pub(super) fn fitted(values: impl IntoIterator<Item = f64>, scale: Scale) -> Range<f64> {
    let (lo, hi) = values.into_iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return match scale {
            Scale::Linear => 0.0..1.0,
            Scale::Log => 1.0..10.0,
        };
    }
    match scale {
        Scale::Linear => linear(lo, hi),
        Scale::Log => decades(lo, hi),
    }
}

/// `lo..hi` widened by the margin; a single value gets a range around it.
fn linear(lo: f64, hi: f64) -> Range<f64> {
    let span = hi - lo;
    if span == 0.0 {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - pad)..(hi + pad);
    }
    (lo - span * MARGIN)..(hi + span * MARGIN)
}

/// `lo..hi` widened to whole powers of ten. plotters only puts ticks on
/// powers of ten, so a log axis spanning less than a decade would otherwise
/// have no tick labels at all. The ends sit a hair beyond the powers: plotters
/// finds its ticks with `ln`/`ceil` and repeated `* 10`, whose rounding
/// would otherwise lose the tick at an end (e.g. 1e-4).
fn decades(lo: f64, hi: f64) -> Range<f64> {
    let first = lo.log10().floor();
    let last = hi.log10().ceil().max(first + 1.0);
    10f64.powf(first) * (1.0 - EDGE)..10f64.powf(last) * (1.0 + EDGE)
}

/// Relative nudge of a log axis' ends beyond their powers of ten: far below
/// a pixel, far above the rounding error of a few multiplications.
const EDGE: f64 = 1e-9;

/// The explicit range if it can be drawn on `scale`, else `None`.
pub(super) fn explicit(range: Option<(f64, f64)>, scale: Scale) -> Option<Range<f64>> {
    let (lo, hi) = range?;
    let ok = lo.is_finite() && hi.is_finite() && lo < hi && (scale == Scale::Linear || lo > 0.0);
    ok.then_some(lo..hi)
}

/// Where `v` sits along `range`, from 0 at the start to 1 at the end.
pub(super) fn fraction(v: f64, range: &Range<f64>, scale: Scale) -> f64 {
    match scale {
        Scale::Linear => (v - range.start) / (range.end - range.start),
        Scale::Log => (v / range.start).ln() / (range.end / range.start).ln(),
    }
}
