//! Rivals (Kalish, Mahajan & Muller 1995; Mascarenhas 1997): the firm's
//! product meets a strong rival in each foreign market. At the end of every
//! round, in each market where it has not yet appeared, the rival enters with
//! chance `rival_hazard`. Whoever entered first keeps the larger share: a firm
//! already serving the market keeps all its sales; one entering after the rival
//! loses `operations.rival_advantage` of them ([`super::operations::rival_factor`]).

use super::Env;
use super::firm::Row;
use crate::engine::rng::Purpose;

/// Rivals arrive in this round's uncontested markets.
pub fn arrive(row: &mut Row<'_>, env: &Env<'_>) {
    if !env.rivals {
        return;
    }
    let entity = row.entity();
    for m in 0..env.markets() {
        let hazard = env.market(m).rival_hazard;
        if row.rival[m] == 0 && hazard > 0.0 {
            let u = env.key.sub_stream(entity, env.round, Purpose::Rival, m as u32 + 1).uniform();
            if u < hazard {
                row.rival[m] = env.round as u16;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry::start_spell;
    use crate::model::fixture::Fixture;
    use crate::model::operations::rival_factor;

    #[test]
    fn rivals_arrive_at_their_hazard_and_only_once() {
        let fx = Fixture::new(|c| c.markets.rival_hazard = 0.3);
        let mut arrived = 0;
        for id in 0..200 {
            let mut firms = fx.one_firm();
            let mut row = firms.row(0);
            *row.cohort = id;
            arrive(&mut row, &fx.env(1));
            arrived += row.rival.iter().filter(|r| **r == 1).count();
            let first = row.rival.to_vec();
            arrive(&mut row, &fx.env(2));
            assert!(row.rival.iter().zip(&first).all(|(now, then)| *then == 0 || now == then));
        }
        let share = arrived as f64 / (200.0 * fx.world.foreign() as f64);
        assert!((share - 0.3).abs() < 0.02, "{share}");
        let none = Fixture::new(|_| {});
        let mut firms = none.one_firm();
        let mut row = firms.row(0);
        arrive(&mut row, &none.env(1));
        assert!(row.rival.iter().all(|r| *r == 0), "no rivals at hazard 0");
    }

    #[test]
    fn entering_before_the_rival_keeps_the_market() {
        let fx = Fixture::new(|c| c.markets.rival_hazard = 1.0);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        start_spell(&mut row, 2, 3);
        arrive(&mut row, &fx.env(3));
        assert_eq!(rival_factor(&row, &fx.env(4), 2, 3), 1.0, "first in: full share");
        assert!(rival_factor(&row, &fx.env(4), 4, 4) < 1.0, "entering after the rival: a smaller share");
    }
}
