//! `smesim plot DIR`: derive the summary, survival curves, plots and report
//! again from the CSV files of a finished run.

use super::Failure;
use std::path::Path;

/// Redraw everything derived from the tables in `dir`.
pub fn plot(dir: &Path) -> Result<(), Failure> {
    let mut files = smesim::report::analyse(dir)?;
    let twin = dir.join(smesim::report::policy::TWIN);
    if twin.join("scenario.resolved.toml").is_file() {
        files.extend(smesim::report::analyse(&twin)?);
        if let Some((effects, written)) = smesim::report::policy::evaluate(dir)? {
            files.extend(written);
            println!("{}", super::effects::lines(&effects));
        }
    }
    println!("wrote {} files in {}/ (open report.html in a browser)", files.len(), dir.display());
    Ok(())
}
