//! Colours, text sizes and tick labels shared by all charts.

use plotters::style::RGBColor;

/// Okabe-Ito colours, readable with the common colour-vision deficiencies.
/// Yellow comes last: it is faint on white.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(240, 228, 66),  // yellow
];

/// The colour of series `index`, so a scenario keeps its colour across charts.
pub(super) fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Stroke width of lines, in pixels.
pub(super) const LINE_WIDTH: u32 = 2;
/// Opacity of a confidence band: light enough that lines stay visible through it.
pub(super) const BAND_OPACITY: f64 = 0.2;
/// Radius of point markers, in pixels.
pub(super) const MARKER_RADIUS: u32 = 3;

/// Text sizes in pixels.
pub(super) const TITLE_SIZE: u32 = 26;
/// Axis titles.
pub(super) const AXIS_TITLE_SIZE: u32 = 18;
/// Tick labels and legend entries.
pub(super) const LABEL_SIZE: u32 = 15;

/// A short tick label: at most four significant digits, no float noise
/// (`0.30000000000000004` becomes `0.3`), scientific form for extremes.
pub(super) fn tick_label(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v == 0.0 { "0".into() } else { format!("{v}") };
    }
    let exponent = v.abs().log10().floor() as i32;
    if !(-3..6).contains(&exponent) {
        let mantissa = v / 10f64.powi(exponent);
        return format!("{}e{exponent}", trimmed(mantissa, 3));
    }
    trimmed(v, (3 - exponent).clamp(0, 6) as usize)
}

/// `v` with `decimals` decimals, trailing zeros removed.
fn trimmed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" { "0".into() } else { s.to_string() }
}
