//! An axis of equal bands (bar categories, heatmap rows and columns).

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use std::ops::Range;

/// An axis of `bands` equal bands, band `i` spanning `i..i + 1`, with a tick
/// at each centre rather than at round numbers. With `thin`, only every k-th
/// band is ticked when the chart asks for fewer labels than there are bands.
#[derive(Clone, Copy, Debug)]
pub(super) struct BandAxis {
    /// Number of bands.
    pub bands: usize,
    /// Follow the chart's label budget instead of labelling every band.
    pub thin: bool,
}

impl Ranged for BandAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = value / self.bands.max(1) as f64;
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let stride = if self.thin { self.bands.div_ceil(hint.max_num_points().max(1)).max(1) } else { 1 };
        (0..self.bands).step_by(stride).map(|i| i as f64 + 0.5).collect()
    }

    fn range(&self) -> Range<f64> {
        0.0..self.bands.max(1) as f64
    }
}
