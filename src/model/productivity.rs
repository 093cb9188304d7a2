//! Productivity (model.md §3, phase 1): log AR(1), `ln phi' = rho ln phi + sigma eps`.
//! Its dispersion drives self-selection into exporting (Melitz 2003).

use super::Env;
use super::firm::Row;
use crate::engine::rng::Purpose;
use crate::scenario::std_normal;

/// Move the firm's productivity one round.
pub fn evolve(row: &mut Row<'_>, env: &Env<'_>) {
    let f = &env.p.firms;
    let eps = std_normal(&mut env.key.stream(row.entity(), env.round, Purpose::Productivity));
    *row.ln_phi = f.productivity_persistence * *row.ln_phi + f.productivity_shock * eps;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::Fixture;

    #[test]
    fn productivity_reverts_to_the_mean() {
        let fx = Fixture::new(|c| c.firms.productivity_shock = 0.0);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        *row.ln_phi = 1.0;
        evolve(&mut row, &fx.env(1));
        assert!((*row.ln_phi - fx.p.firms.productivity_persistence).abs() < 1e-12);
    }
}
