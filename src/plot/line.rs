//! Drawing a [`LineChart`]: bands first, then lines, then markers, so no
//! band hides another series' line.

use super::data::{band_polygon, clamp_into, clean_band, clean_points, sorted_by_x, step_path};
use super::frame::{self, Chart, DrawResult};
use super::legend::{self, LegendBox};
use super::range::{explicit, fitted, fraction};
use super::style::{BAND_OPACITY, LINE_WIDTH, MARKER_RADIUS, colour, tick_label};
use super::{LineChart, Scale, Series};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::prelude::*;
use std::ops::Range;

/// One series, cleaned and shaped, in data coordinates.
struct Shapes {
    label: String,
    colour: RGBColor,
    line: Vec<(f64, f64)>,
    band: Vec<(f64, f64)>,
    markers: Vec<(f64, f64)>,
}

/// A chart's series cleaned and placed on fitted axes.
struct Layout {
    x: Range<f64>,
    y: Range<f64>,
    shapes: Vec<Shapes>,
}

impl LineChart {
    /// Draw onto any backend. The scales pick plotters' coordinate types, so
    /// the four combinations each get their own instance of `plot`.
    pub(super) fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let layout = self.layout();
        let (x, y) = (layout.x.clone(), layout.y.clone());
        match (self.x_scale, self.y_scale) {
            (Scale::Linear, Scale::Linear) => self.plot(root, &layout, x, y),
            (Scale::Linear, Scale::Log) => self.plot(root, &layout, x, y.log_scale()),
            (Scale::Log, Scale::Linear) => self.plot(root, &layout, x.log_scale(), y),
            (Scale::Log, Scale::Log) => self.plot(root, &layout, x.log_scale(), y.log_scale()),
        }
    }

    /// Clean every series, fit the axes, then shape the series within them.
    fn layout(&self) -> Layout {
        let (xs, ys) = (self.x_scale, self.y_scale);
        let cleaned: Vec<_> =
            self.series.iter().map(|s| (clean_points(&s.points, xs, ys), clean_band(&s.band, xs, ys))).collect();
        let x_values = cleaned.iter().flat_map(|(p, b)| p.iter().map(|q| q.0).chain(b.iter().map(|r| r.0)));
        let x = fitted(x_values, xs);
        let y = match explicit(self.y_range, ys) {
            Some(range) => range,
            None => fitted(
                cleaned.iter().flat_map(|(p, b)| p.iter().map(|q| q.1).chain(b.iter().flat_map(|r| [r.1, r.2]))),
                ys,
            ),
        };
        let shapes =
            self.series.iter().zip(cleaned).enumerate().map(|(i, (s, (p, b)))| shape(s, i, p, b, &y)).collect();
        Layout { x, y, shapes }
    }

    /// Axes, bands, lines, markers and legend on one coordinate system.
    fn plot<DB, X, Y>(&self, root: &DrawingArea<DB, Shift>, layout: &Layout, x: X, y: Y) -> DrawResult<DB>
    where
        DB: DrawingBackend,
        X: AsRangedCoord<Value = f64>,
        Y: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        let mut chart = frame::builder(root, &self.title)?.build_cartesian_2d(x, y)?;
        frame::axes(&mut chart, &self.x_label, &self.y_label, &|v| tick_label(*v), true)?;
        if layout.shapes.iter().all(|s| s.line.is_empty() && s.band.is_empty() && s.markers.is_empty()) {
            return frame::no_data(&chart);
        }
        draw_series(&mut chart, &layout.shapes)?;
        let labelled: Vec<&str> = layout
            .shapes
            .iter()
            .filter(|s| !s.label.is_empty() && !s.line.is_empty())
            .map(|s| s.label.as_str())
            .collect();
        if labelled.is_empty() {
            return Ok(());
        }
        frame::legend(&mut chart, self.legend_corner(layout, LegendBox::for_labels(labelled)))
    }

    /// The least crowded corner for the legend.
    fn legend_corner(&self, layout: &Layout, legend: LegendBox) -> plotters::chart::SeriesLabelPosition {
        let to_fraction =
            |&(a, b): &(f64, f64)| (fraction(a, &layout.x, self.x_scale), fraction(b, &layout.y, self.y_scale));
        let paths: Vec<Vec<_>> = layout
            .shapes
            .iter()
            .flat_map(|s| [&s.line, &s.band])
            .map(|p| p.iter().map(to_fraction).collect())
            .collect();
        legend::corner(&paths, legend)
    }
}

/// Shape one cleaned series: step or straight line, band outline, markers,
/// everything clamped into the y range.
fn shape(s: &Series, index: usize, points: Vec<(f64, f64)>, band: Vec<(f64, f64, f64)>, y: &Range<f64>) -> Shapes {
    let points: Vec<_> = points.into_iter().map(|(a, b)| (a, clamp_into(b, y))).collect();
    let band: Vec<_> = band.into_iter().map(|(a, lo, hi)| (a, clamp_into(lo, y), clamp_into(hi, y))).collect();
    let points = if s.step { sorted_by_x(points) } else { points };
    let line = match (s.joined, s.step) {
        (false, _) => Vec::new(),
        (true, true) => step_path(&points),
        (true, false) => points.clone(),
    };
    Shapes {
        label: s.label.clone(),
        colour: colour(index),
        line,
        band: if band.len() < 2 { Vec::new() } else { band_polygon(&band, s.step) },
        // A lone point makes no line; a marker keeps it visible.
        markers: if s.markers || !s.joined || points.len() == 1 { points } else { Vec::new() },
    }
}

/// All bands, then all lines (labelled for the legend), then all markers.
fn draw_series<DB, X, Y>(chart: &mut Chart<'_, DB, X, Y>, shapes: &[Shapes]) -> DrawResult<DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    for s in shapes.iter().filter(|s| !s.band.is_empty()) {
        chart.draw_series(std::iter::once(Polygon::new(s.band.clone(), s.colour.mix(BAND_OPACITY).filled())))?;
    }
    for s in shapes.iter().filter(|s| !s.line.is_empty()) {
        let style = s.colour.stroke_width(LINE_WIDTH);
        let drawn = chart.draw_series(std::iter::once(PathElement::new(s.line.clone(), style)))?;
        if !s.label.is_empty() {
            drawn.label(s.label.as_str()).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
    }
    for s in shapes.iter().filter(|s| !s.markers.is_empty()) {
        chart.draw_series(s.markers.iter().map(|&p| Circle::new(p, MARKER_RADIUS, s.colour.filled())))?;
    }
    Ok(())
}
