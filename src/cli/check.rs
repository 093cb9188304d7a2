//! `smesim check FILE`: validate a scenario without running it.

use super::Failure;
use smesim::Scenario;
use std::path::Path;

/// Load and validate `file`; print a one-line description when it is valid.
pub fn check(file: &Path) -> Result<(), Failure> {
    let s = Scenario::load(file)?;
    let sim = &s.config().simulation;
    println!(
        "ok: {}: scenario `{}` ({} firms, {} rounds with {} of burn-in, {} replications, {} foreign markets, seed {})",
        file.display(),
        s.name(),
        sim.firms,
        sim.rounds,
        sim.burn_in,
        sim.replications,
        s.config().markets.count,
        sim.seed
    );
    Ok(())
}
