//! `smesim check FILE`: validate a scenario or a sweep file without running it.

use super::Failure;
use smesim::Scenario;
use smesim::experiment::sweep::Sweep;
use std::path::Path;

/// Load and validate `file`; print a one-line description when it is valid.
/// A file with a `[design]` table or `[[parameter]]` tables is a sweep.
pub fn check(file: &Path) -> Result<(), Failure> {
    if is_sweep(file) {
        let s = Sweep::load(file, None)?;
        println!(
            "ok: {}: sweep `{}` ({} design, {} parameters, {} points x {} replications = {} runs of scenario `{}`)",
            file.display(),
            s.name,
            s.kind.name(),
            s.parameters.len(),
            s.points(),
            s.replications,
            s.runs(),
            s.scenario.name()
        );
        return Ok(());
    }
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

/// Does the file look like a sweep (a syntax error leaves it to the scenario checks)?
fn is_sweep(file: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(file) else { return false };
    text.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("[[parameter]]") || l.starts_with("[design]")
    })
}
