//! Charts of simulation results as PNG and SVG files.
//!
//! Three chart kinds cover the report's figures: [`LineChart`] (time series,
//! Kaplan-Meier curves with confidence bands, hazards, distributions on log
//! axes), [`BarChart`] (grouped bars per category) and [`HeatMap`] (a grid of
//! conditions coloured by a signed difference, e.g. which of two strategies
//! earns more). Each is drawn once by
//! a function generic over the plotters backend, so the PNG and the SVG show
//! the same picture. Text uses DejaVu Sans embedded in the binary, so charts
//! need no system fonts and the SVG is byte-identical from run to run.
//!
//! Points that cannot be drawn (NaN, infinities, non-positive values on a log
//! axis) are skipped; a chart with nothing left shows its axes and a
//! "no data" note. Drawing never panics on data.

mod band;
mod bar;
mod data;
mod font;
mod frame;
mod heatmap;
mod legend;
mod line;
mod range;
mod render;
mod style;
#[cfg(test)]
mod tests;

use crate::output::OutputError;
use frame::DrawResult;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use std::path::{Path, PathBuf};

/// Pixel size of every chart (PNG) and viewBox size (SVG): wide enough for
/// a legend beside the data, small enough to embed in a report page.
pub const WIDTH: u32 = 960;
/// Pixel height of every chart (PNG) and viewBox height (SVG).
pub const HEIGHT: u32 = 600;

/// One line on a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text; empty leaves the series out of the legend.
    pub label: String,
    /// The points `(x, y)`, joined in this order (sorted by x when `step`).
    pub points: Vec<(f64, f64)>,
    /// A shaded 95% band `(x, low, high)` drawn under the line in a light
    /// tint of its colour; empty draws none.
    pub band: Vec<(f64, f64, f64)>,
    /// Draw a right-continuous step function (Kaplan-Meier curves): each
    /// value holds until the next x, then jumps; the band likewise.
    pub step: bool,
    /// Also mark each point with a small circle, for sparse data such as
    /// hazards or distributions.
    pub markers: bool,
    /// Join the points by a line; without it (and with `markers`) the
    /// series is a scatter, e.g. the points of a Latin hypercube.
    pub joined: bool,
}

/// Axis scaling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Evenly spaced values.
    Linear,
    /// Powers of ten evenly spaced; values <= 0 are not drawn.
    Log,
}

/// A line chart: title, axis titles with units, legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LineChart {
    /// Title at the top.
    pub title: String,
    /// Title of the x axis, with its unit, e.g. "spell age (rounds)".
    pub x_label: String,
    /// Title of the y axis, with its unit.
    pub y_label: String,
    /// Scaling of the x axis.
    pub x_scale: Scale,
    /// Scaling of the y axis.
    pub y_scale: Scale,
    /// Fixed y range, e.g. `Some((0.0, 1.0))` for survival; data beyond it
    /// runs along the frame. `None` fits the data with a small margin (whole
    /// decades on a log axis), as does a range the scale cannot show.
    pub y_range: Option<(f64, f64)>,
    /// The lines, coloured by position (the same index keeps its colour).
    pub series: Vec<Series>,
}

/// Grouped bars: one bar per (category, series), e.g. the share of
/// exporters with k markets, per scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    /// Title at the top.
    pub title: String,
    /// Title of the category axis.
    pub x_label: String,
    /// Title of the value axis, with its unit.
    pub y_label: String,
    /// Category names along x, in order.
    pub categories: Vec<String>,
    /// `(legend label, one value per category)`; missing or non-finite
    /// values draw no bar.
    pub series: Vec<(String, Vec<f64>)>,
}

/// A grid of cells coloured by a signed value on a diverging scale: the
/// "strategy map" of a comparison, each cell one (x, y) condition showing
/// which of two alternatives does better and by how much.
///
/// Columns and rows are drawn as equal bands labelled with their values, so
/// unevenly spaced conditions still get equal cells. Negative values are
/// blue, positive vermillion, with strength proportional to |value| over the
/// largest |value| in the grid (white at 0); each cell prints its value with
/// three significant digits. The legend sits right of the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatMap {
    /// Title at the top.
    pub title: String,
    /// Title of the x axis, with its unit.
    pub x_label: String,
    /// Title of the y axis, with its unit.
    pub y_label: String,
    /// The condition of each column, left to right (ascending); one
    /// equal-width band each, labelled with the value.
    pub x_values: Vec<f64>,
    /// The condition of each row, bottom to top (ascending).
    pub y_values: Vec<f64>,
    /// `cells[row][col]`, row 0 at the bottom. NaN, infinities and missing
    /// entries are drawn light grey with no number.
    pub cells: Vec<Vec<f64>>,
    /// `settled[row][col]`: whether the cell's 95% interval excludes zero.
    /// Settled cells are drawn at full strength with dark text (white on
    /// dark fills); unsettled ones (and missing entries) in a pale tint of
    /// their colour with grey text.
    pub settled: Vec<Vec<bool>>,
    /// Legend text for the colour of negative values, e.g. "waterfall earns more".
    pub negative_label: String,
    /// Legend text for the colour of positive values, e.g. "sprinkler earns more".
    pub positive_label: String,
    /// What the number in each cell is, shown as a note under the legend,
    /// e.g. "sprinkler - waterfall, discounted profit per firm".
    pub value_label: String,
}

/// Why a chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// plotters failed to draw (e.g. the font could not be used).
    #[error("cannot draw chart: {0}")]
    Draw(String),
    /// The file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The PNG could not be encoded.
    #[error("cannot encode PNG: {0}")]
    Png(#[from] png::EncodingError),
}

impl render::Draw for LineChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        self.draw_on(root)
    }
}

impl render::Draw for BarChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        self.draw_on(root)
    }
}

impl render::Draw for HeatMap {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        self.draw_on(root)
    }
}

impl LineChart {
    /// Draw as `<dir>/<stem>.png` and `<dir>/<stem>.svg` (each written
    /// atomically, so a reader never sees half a file); returns both paths.
    pub fn save(&self, dir: &Path, stem: &str) -> Result<[PathBuf; 2], PlotError> {
        render::save(self, dir, stem)
    }

    /// The SVG text alone (for embedding in an HTML report).
    pub fn svg(&self) -> Result<String, PlotError> {
        render::svg(self)
    }
}

impl BarChart {
    /// Draw as `<dir>/<stem>.png` and `<dir>/<stem>.svg` (each written
    /// atomically, so a reader never sees half a file); returns both paths.
    pub fn save(&self, dir: &Path, stem: &str) -> Result<[PathBuf; 2], PlotError> {
        render::save(self, dir, stem)
    }

    /// The SVG text alone (for embedding in an HTML report).
    pub fn svg(&self) -> Result<String, PlotError> {
        render::svg(self)
    }
}

impl HeatMap {
    /// Draw as `<dir>/<stem>.png` and `<dir>/<stem>.svg` (each written
    /// atomically, so a reader never sees half a file); returns both paths.
    pub fn save(&self, dir: &Path, stem: &str) -> Result<[PathBuf; 2], PlotError> {
        render::save(self, dir, stem)
    }

    /// The SVG text alone (for embedding in an HTML report).
    pub fn svg(&self) -> Result<String, PlotError> {
        render::svg(self)
    }
}
