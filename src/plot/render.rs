//! From a drawing to bytes: SVG text, PNG bytes and the two files.
//!
//! PNG goes through an RGB buffer and the small `png` crate rather than
//! plotters' `bitmap_encoder`, which would pull in the slow `image` crate.

use super::frame::DrawResult;
use super::{HEIGHT, PlotError, WIDTH, font};
use crate::output::atomic::write_file;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// A chart that can draw itself on any plotters backend.
pub(super) trait Draw {
    /// Draw the whole picture onto `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// Turn plotters' backend-specific error into ours, keeping its message.
fn draw_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> PlotError {
    PlotError::Draw(e.to_string())
}

/// The chart as SVG text, WIDTH x HEIGHT.
pub(super) fn svg(chart: &impl Draw) -> Result<String, PlotError> {
    font::register()?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
        chart.draw(&root).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(text)
}

/// The chart as an 8-bit RGB PNG, WIDTH x HEIGHT pixels.
pub(super) fn png(chart: &impl Draw) -> Result<Vec<u8>, PlotError> {
    font::register()?;
    let mut pixels = vec![255u8; WIDTH as usize * HEIGHT as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        chart.draw(&root).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    encode_png(&pixels)
}

/// Encode an RGB buffer of WIDTH x HEIGHT pixels.
fn encode_png(pixels: &[u8]) -> Result<Vec<u8>, PlotError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(bytes)
}

/// Write `<dir>/<stem>.png` and `<dir>/<stem>.svg`, each atomically.
pub(super) fn save(chart: &impl Draw, dir: &Path, stem: &str) -> Result<[PathBuf; 2], PlotError> {
    let png_path = write_file(dir, &format!("{stem}.png"), &png(chart)?)?;
    let svg_path = write_file(dir, &format!("{stem}.svg"), svg(chart)?.as_bytes())?;
    Ok([png_path, svg_path])
}
