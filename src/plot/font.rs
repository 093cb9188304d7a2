//! The one font every chart uses, embedded in the binary.
//!
//! plotters' default text path needs fontconfig and freetype from the system;
//! we build it with `ab_glyph` instead, which draws nothing until a font is
//! registered (rust_ecosystem.md §1.5). Registering DejaVu Sans from the
//! `dejavu` crate makes the charts identical on every machine.

use super::PlotError;
use plotters::style::FontStyle;
use std::sync::OnceLock;

/// The family name the charts ask for; plotters maps `FontFamily::SansSerif` to it.
pub(super) const FAMILY: &str = "sans-serif";

/// Register the embedded font once per process; later calls are free.
pub(super) fn register() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular()).is_ok());
    if ok { Ok(()) } else { Err(PlotError::Draw("the embedded DejaVu Sans font could not be loaded".into())) }
}
