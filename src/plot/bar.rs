//! Drawing a [`BarChart`]: categories along x, one bar per series in each.

use super::band::BandAxis;
use super::data::placeable;
use super::frame::{self, DrawResult};
use super::legend::{self, LegendBox};
use super::range::{fitted, fraction};
use super::style::colour;
use super::{BarChart, Scale};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;

/// Share of a category's width taken by its group of bars; the rest
/// separates neighbouring groups.
const GROUP_WIDTH: f64 = 0.8;

/// One bar in data coordinates: `(x0, x1, value)` for series `series`.
struct Bar {
    series: usize,
    x0: f64,
    x1: f64,
    value: f64,
}

impl BarChart {
    /// Draw onto any backend.
    pub(super) fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let bars = self.bars();
        let y = self.y_range(&bars);
        let mut chart = frame::builder(root, &self.title)?
            .build_cartesian_2d(BandAxis { bands: self.categories.len(), thin: false }, y.clone())?;
        let names = |v: &f64| self.categories.get(v.floor().max(0.0) as usize).cloned().unwrap_or_default();
        frame::axes(&mut chart, &self.x_label, &self.y_label, &names, false)?;
        if bars.is_empty() {
            return frame::no_data(&chart);
        }
        for (index, (label, _)) in self.series.iter().enumerate() {
            let fill = colour(index).filled();
            let rects =
                bars.iter().filter(|b| b.series == index).map(|b| Rectangle::new([(b.x0, 0.0), (b.x1, b.value)], fill));
            let drawn = chart.draw_series(rects)?;
            if !label.is_empty() {
                drawn.label(label.as_str()).legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], fill));
            }
        }
        if self.series.iter().all(|(label, _)| label.is_empty()) {
            return Ok(());
        }
        frame::legend(&mut chart, self.legend_corner(&bars, &y))
    }

    /// Every finite value as a bar; NaN and infinities are left out.
    fn bars(&self) -> Vec<Bar> {
        let width = GROUP_WIDTH / self.series.len().max(1) as f64;
        let start = (1.0 - GROUP_WIDTH) / 2.0;
        let mut bars = Vec::new();
        for (series, (_, values)) in self.series.iter().enumerate() {
            for (category, &value) in values.iter().enumerate().take(self.categories.len()) {
                if placeable(value, Scale::Linear) {
                    let x0 = category as f64 + start + series as f64 * width;
                    bars.push(Bar { series, x0, x1: x0 + width, value });
                }
            }
        }
        bars
    }

    /// From zero (or the lowest negative bar) to the highest bar, with a margin.
    fn y_range(&self, bars: &[Bar]) -> Range<f64> {
        let fit = fitted(bars.iter().map(|b| b.value).chain([0.0]), Scale::Linear);
        let lo = if bars.iter().any(|b| b.value < 0.0) { fit.start } else { 0.0 };
        let hi = if bars.iter().any(|b| b.value > 0.0) { fit.end } else { 0.0 };
        if lo < hi { lo..hi } else { 0.0..1.0 }
    }

    /// The least crowded corner, treating each bar as its outline.
    fn legend_corner(&self, bars: &[Bar], y: &Range<f64>) -> plotters::chart::SeriesLabelPosition {
        let n = self.categories.len().max(1) as f64;
        let at = |x: f64, v: f64| (x / n, fraction(v, y, Scale::Linear));
        let paths: Vec<Vec<_>> =
            bars.iter().map(|b| vec![at(b.x0, 0.0), at(b.x0, b.value), at(b.x1, b.value), at(b.x1, 0.0)]).collect();
        let labels = self.series.iter().map(|(l, _)| l.as_str()).filter(|l| !l.is_empty());
        legend::corner(&paths, LegendBox::for_labels(labels))
    }
}
