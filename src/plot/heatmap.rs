//! Drawing a [`HeatMap`]: one equal-sized cell per (x, y) condition, filled
//! on a diverging scale around zero, its value printed in it, and a legend
//! in a column to the right of the grid so it never covers a cell.

use super::HeatMap;
use super::band::BandAxis;
use super::font::FAMILY;
use super::frame::{self, Chart, DrawResult};
use super::style::{AXIS_TITLE_SIZE, LABEL_SIZE, colour, tick_label};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Width in pixels kept free right of the grid for the legend.
const LEGEND_WIDTH: u32 = 250;
/// Gap in pixels between the grid and the legend column.
const LEGEND_GAP: i32 = 22;
/// Strength of an unsettled cell's tint relative to a settled one of the
/// same value: pale enough to read as "undecided" at a glance.
const PALE: f64 = 0.3;
/// Lines between cells: light enough to vanish against strong fills, dark
/// enough to outline near-white ones.
const SEPARATOR: RGBColor = RGBColor(232, 232, 232);
/// Fill of a cell without a value.
const MISSING: RGBColor = RGBColor(210, 210, 210);
/// Text on settled cells with a light fill.
const DARK_TEXT: RGBColor = RGBColor(25, 25, 25);
/// Text on unsettled cells (whose fills are always light).
const GREY_TEXT: RGBColor = RGBColor(110, 110, 110);
/// Size of the numbers in the cells when every one fits at it.
const CELL_TEXT: u32 = 17;
/// Size of the numbers in narrower cells; narrower still get none.
const SMALL_CELL_TEXT: u32 = 12;
/// Most tick labels per axis; more bands label every k-th.
const MAX_TICKS: usize = 14;
/// Side of a legend swatch, in pixels.
const SWATCH: i32 = 18;
/// Height of one legend text line, in pixels.
const LINE: i32 = 19;
/// Steps in the legend's colour bar.
const BAR_STEPS: i32 = 60;

/// One cell to draw, in band coordinates.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Cell {
    /// Column index (x band).
    pub col: usize,
    /// Row index (y band), 0 at the bottom.
    pub row: usize,
    /// The value, `None` when missing or not finite.
    pub value: Option<f64>,
    /// Whether the value's 95% interval excludes zero.
    pub settled: bool,
}

impl HeatMap {
    /// Draw onto any backend.
    pub(super) fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (cols, rows) = (self.x_values.len(), self.y_values.len());
        let mut builder = frame::builder(root, &self.title)?;
        builder.margin_right(LEGEND_WIDTH);
        let mut chart =
            builder.build_cartesian_2d(BandAxis { bands: cols, thin: true }, BandAxis { bands: rows, thin: true })?;
        self.axes(&mut chart)?;
        let cells = self.cells();
        let Some(scale) = max_abs(&cells) else {
            return frame::no_data(&chart);
        };
        draw_cells(root, &mut chart, &cells, scale, (cols, rows))?;
        self.legend(root, &chart, scale, cells.iter().any(|c| c.value.is_none()))
    }

    /// Axis titles and the x and y values under and beside their bands; no
    /// grid lines (the cells cover the whole plotting area).
    fn axes<DB: DrawingBackend>(&self, chart: &mut Chart<'_, DB, BandAxis, BandAxis>) -> DrawResult<DB> {
        let x_ticks = |v: &f64| band_label(&self.x_values, *v);
        let y_ticks = |v: &f64| band_label(&self.y_values, *v);
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .axis_desc_style((FAMILY, AXIS_TITLE_SIZE))
            .label_style((FAMILY, LABEL_SIZE))
            .x_label_formatter(&x_ticks)
            .y_label_formatter(&y_ticks)
            .x_labels(MAX_TICKS)
            .y_labels(MAX_TICKS)
            .disable_mesh()
            .axis_style(BLACK.mix(0.7))
            .draw()
    }

    /// Every cell of the grid, row by row from the bottom; missing entries of
    /// `cells` or `settled` count as no value and unsettled.
    pub(super) fn cells(&self) -> Vec<Cell> {
        let (cols, rows) = (self.x_values.len(), self.y_values.len());
        let mut cells = Vec::with_capacity(cols * rows);
        for row in 0..rows {
            for col in 0..cols {
                let value = self.cells.get(row).and_then(|r| r.get(col)).copied().filter(|v| v.is_finite());
                let settled = self.settled.get(row).and_then(|r| r.get(col)).copied().unwrap_or(false);
                cells.push(Cell { col, row, value, settled });
            }
        }
        cells
    }

    /// The legend column right of the grid, its top level with the grid's:
    /// the two colours, what pale means, grey cells if any, a colour bar
    /// from -max to +max, and what the numbers are.
    fn legend<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &Chart<'_, DB, BandAxis, BandAxis>,
        scale: f64,
        any_missing: bool,
    ) -> DrawResult<DB> {
        let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
        let x0 = x_pixels.end + LEGEND_GAP;
        let width = (root.dim_in_pixel().0 as i32 - x0 - 14).max(SWATCH * 3);
        let text = TextStyle::from((FAMILY, LABEL_SIZE).into_font()).color(&DARK_TEXT);
        let (negative, positive) = (colour(0), colour(1));
        let mut y = y_pixels.start;
        let entry = |fills: &[RGBColor], label: &str, y: &mut i32| -> DrawResult<DB> {
            let share = SWATCH / fills.len().max(1) as i32;
            for (i, &fill) in fills.iter().enumerate() {
                let left = x0 + i as i32 * share;
                let right = if i + 1 == fills.len() { x0 + SWATCH } else { left + share };
                root.draw(&Rectangle::new([(left, *y), (right, *y + SWATCH)], fill.filled()))?;
            }
            root.draw(&Rectangle::new([(x0, *y), (x0 + SWATCH, *y + SWATCH)], BLACK.mix(0.4)))?;
            let lines = wrap(root, label, &text, (width - SWATCH - 8) as u32)?;
            *y = draw_lines(root, &lines, &text, x0 + SWATCH + 8, *y)?.max(*y + SWATCH) + 10;
            Ok(())
        };
        entry(&[negative], &self.negative_label, &mut y)?;
        entry(&[positive], &self.positive_label, &mut y)?;
        let pale = [tint(negative, PALE), tint(positive, PALE)];
        entry(&pale, "pale: not settled (95% interval includes 0)", &mut y)?;
        if any_missing {
            entry(&[MISSING], "grey: no value", &mut y)?;
        }
        y = colour_bar(root, (x0, y + 6), width, scale)? + 14;
        if !self.value_label.is_empty() {
            let note = TextStyle::from((FAMILY, LABEL_SIZE).into_font()).color(&GREY_TEXT);
            let lines = wrap(root, &format!("Numbers in cells: {}", self.value_label), &note, width as u32)?;
            draw_lines(root, &lines, &note, x0, y)?;
        }
        Ok(())
    }
}

/// The tick label of band `v` (its centre): the value it stands for.
fn band_label(values: &[f64], v: f64) -> String {
    values.get(v.floor().max(0.0) as usize).map(|&x| tick_label(x)).unwrap_or_default()
}

/// The largest |value| over the cells with a value; `None` if there are none.
pub(super) fn max_abs(cells: &[Cell]) -> Option<f64> {
    cells.iter().filter_map(|c| c.value).map(f64::abs).fold(None, |m, v| Some(m.map_or(v, |m: f64| m.max(v))))
}

/// The fill of a cell: white at 0, the full negative or positive colour at
/// |value| = `scale`, a pale tint of that when unsettled, grey when missing.
pub(super) fn fill(cell: &Cell, scale: f64) -> RGBColor {
    let Some(v) = cell.value else { return MISSING };
    let strength = if scale > 0.0 { (v.abs() / scale).min(1.0) } else { 0.0 };
    let hue = if v < 0.0 { colour(0) } else { colour(1) };
    tint(hue, if cell.settled { strength } else { strength * PALE })
}

/// The colour a share `strength` (0..=1) of the way from white to `c`.
pub(super) fn tint(c: RGBColor, strength: f64) -> RGBColor {
    let mix = |channel: u8| (255.0 + (f64::from(channel) - 255.0) * strength).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// The colour of the number on a cell: grey on unsettled cells; on settled
/// ones dark, or white where the fill is dark enough that white contrasts
/// more (WCAG relative luminance below 0.179).
pub(super) fn text_colour(cell: &Cell, fill: RGBColor) -> RGBColor {
    if !cell.settled {
        return GREY_TEXT;
    }
    if luminance(fill) < 0.179 { WHITE } else { DARK_TEXT }
}

/// WCAG relative luminance of an sRGB colour.
fn luminance(c: RGBColor) -> f64 {
    let linear = |channel: u8| {
        let s = f64::from(channel) / 255.0;
        if s <= 0.04045 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2)
}

/// `v` with three significant digits, trailing zeros dropped; scientific
/// form below 0.001 and from 1 000 000 up in magnitude, as tick labels.
pub(super) fn cell_label(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v == 0.0 { "0".into() } else { format!("{v}") };
    }
    let mut exponent = v.abs().log10().floor() as i32;
    // Rounding to three digits can carry into the next power (999.7 -> 1000).
    let rounded = |e: i32| (v / 10f64.powi(e - 2)).round() * 10f64.powi(e - 2);
    if rounded(exponent).abs() >= 10f64.powi(exponent + 1) {
        exponent += 1;
    }
    if !(-3..6).contains(&exponent) {
        let mantissa = rounded(exponent) / 10f64.powi(exponent);
        return format!("{}e{exponent}", trim(&format!("{mantissa:.2}")));
    }
    let decimals = (2 - exponent).max(0) as usize;
    trim(&format!("{:.decimals$}", rounded(exponent)))
}

/// Trailing zeros (and a bare point) removed; "-0" becomes "0".
fn trim(s: &str) -> String {
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s };
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// Fill every cell, separate them with thin light grey lines, and print
/// each value centred in its cell. All numbers share one size, the larger
/// of two at which every one fits its cell; if none does, none is printed
/// (the colour bar still gives the scale).
fn draw_cells<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Chart<'_, DB, BandAxis, BandAxis>,
    cells: &[Cell],
    scale: f64,
    (cols, rows): (usize, usize),
) -> DrawResult<DB> {
    let corners = |c: &Cell| [(c.col as f64, c.row as f64), (c.col as f64 + 1.0, c.row as f64 + 1.0)];
    chart.draw_series(cells.iter().map(|c| Rectangle::new(corners(c), fill(c, scale).filled())))?;
    chart.draw_series(cells.iter().map(|c| Rectangle::new(corners(c), SEPARATOR.stroke_width(2))))?;
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    let room = (
        (x_pixels.end - x_pixels.start) / cols.max(1) as i32 - 6,
        (y_pixels.end - y_pixels.start) / rows.max(1) as i32 - 2,
    );
    let labels: Vec<(&Cell, String)> = cells.iter().filter_map(|c| Some((c, cell_label(c.value?)))).collect();
    let mut size = None;
    for candidate in [CELL_TEXT, SMALL_CELL_TEXT] {
        let font = TextStyle::from((FAMILY, candidate).into_font());
        let mut fits = true;
        for (_, label) in &labels {
            let (w, h) = root.estimate_text_size(label, &font)?;
            fits &= (w as i32) <= room.0 && (h as i32) <= room.1;
        }
        if fits {
            size = Some(candidate);
            break;
        }
    }
    let Some(size) = size else { return Ok(()) };
    for (cell, label) in labels {
        let colour = text_colour(cell, fill(cell, scale));
        let style =
            TextStyle::from((FAMILY, size).into_font()).color(&colour).pos(Pos::new(HPos::Center, VPos::Center));
        let centre = (cell.col as f64 + 0.5, cell.row as f64 + 0.5);
        chart.draw_series(std::iter::once(Text::new(label, centre, style)))?;
    }
    Ok(())
}

/// A horizontal bar from -`scale` (full negative colour) through white to
/// +`scale` (full positive colour), labelled at both ends and at 0, with a
/// "settled" caption; returns the y below it.
fn colour_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x0, y0): (i32, i32),
    width: i32,
    scale: f64,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let caption = TextStyle::from((FAMILY, LABEL_SIZE).into_font()).color(&DARK_TEXT);
    root.draw(&Text::new("colour scale (settled cells)", (x0, y0), caption.clone()))?;
    let top = y0 + LINE + 2;
    let height = 14;
    for step in 0..BAR_STEPS {
        let left = x0 + width * step / BAR_STEPS;
        let right = x0 + width * (step + 1) / BAR_STEPS;
        let centre = (f64::from(step) + 0.5) / f64::from(BAR_STEPS) * 2.0 - 1.0;
        let cell = Cell { col: 0, row: 0, value: Some(centre), settled: true };
        root.draw(&Rectangle::new([(left, top), (right, top + height)], fill(&cell, 1.0).filled()))?;
    }
    root.draw(&Rectangle::new([(x0, top), (x0 + width, top + height)], BLACK.mix(0.4)))?;
    let below = top + height + 3;
    let ends = [(x0, HPos::Left, -scale), (x0 + width / 2, HPos::Center, 0.0), (x0 + width, HPos::Right, scale)];
    for (x, h, v) in ends {
        let label = if v > 0.0 { format!("+{}", cell_label(v)) } else { cell_label(v) };
        root.draw(&Text::new(label, (x, below), caption.clone().pos(Pos::new(h, VPos::Top))))?;
    }
    Ok(below + LINE)
}

/// `text` broken at spaces into lines no wider than `width` pixels (a
/// single word wider than that gets a line of its own).
fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: u32,
) -> Result<Vec<String>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && root.estimate_text_size(&candidate, style)?.0 > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// Draw `lines` one under another from `(x, y)` (their top left); returns
/// the y below the last.
fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[String],
    style: &TextStyle,
    x: i32,
    y: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = style.pos(Pos::new(HPos::Left, VPos::Top));
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(line.as_str(), (x, y + i as i32 * LINE), style.clone()))?;
    }
    Ok(y + lines.len() as i32 * LINE)
}
