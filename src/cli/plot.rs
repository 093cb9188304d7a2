//! `smesim plot DIR`: derive the summary, survival curves, plots and report
//! again from the CSV files of a finished run.

use super::Failure;
use std::path::Path;

/// Redraw everything derived from the tables in `dir`.
pub fn plot(dir: &Path) -> Result<(), Failure> {
    let files = smesim::report::analyse(dir)?;
    println!("wrote {} files in {}/ (open report.html in a browser)", files.len(), dir.display());
    Ok(())
}
