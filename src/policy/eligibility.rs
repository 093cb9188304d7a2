//! Who may take part: a programme's or network's eligibility rule.

use crate::model::Env;
use crate::model::firm::Row;
use crate::model::operations::productivity_scale;
use crate::scenario::{Eligibility, ExporterStatus};

/// Rounds after its first export during which an exporter counts as new.
pub const NEW_EXPORTER_ROUNDS: u32 = 3;

/// The firm's exporter status at the start of `round` (what it served last round).
pub fn status(row: &Row<'_>, round: u32) -> ExporterStatus {
    if row.markets_served() == 0 {
        return ExporterStatus::NonExporter;
    }
    match row.record.first_export {
        Some(first) if round.saturating_sub(first) <= NEW_EXPORTER_ROUNDS => ExporterStatus::NewExporter,
        _ => ExporterStatus::Experienced,
    }
}

/// Does the firm meet every condition of `e`?
pub fn eligible(e: &Eligibility, row: &Row<'_>, env: &Env<'_>) -> bool {
    let within = |r: Option<[f64; 2]>, x: f64| r.is_none_or(|[lo, hi]| (lo..=hi).contains(&x));
    let age = env.round - *row.birth;
    within(e.productivity, row.ln_phi.exp())
        && within(e.size, env.home_demand * productivity_scale(row, env))
        && within(e.eo, *row.eo)
        && e.age.is_none_or(|[lo, hi]| (lo..=hi).contains(&age))
        && e.exporter.as_ref().is_none_or(|s| s.contains(&status(row, env.round)))
        && e.rin_member.is_none_or(|member| member == (row.aid.rins != 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry::start_spell;
    use crate::model::fixture::Fixture;

    #[test]
    fn each_condition_filters_on_its_own() {
        let fx = Fixture::new(|_| {});
        let env = fx.env(10);
        let mut firms = fx.one_firm();
        let row = firms.row(0);
        *row.birth = 4;
        let all = Eligibility::default();
        assert!(eligible(&all, &row, &env));
        let young = Eligibility { age: Some([0, 5]), ..Default::default() };
        assert!(!eligible(&young, &row, &env), "aged 6");
        let oriented = Eligibility { eo: Some([0.6, 1.0]), ..Default::default() };
        assert!(!eligible(&oriented, &row, &env));
        let productive = Eligibility { productivity: Some([1.2, 9.0]), ..Default::default() };
        assert!(!eligible(&productive, &row, &env));
        *row.ln_phi = 0.5;
        assert!(eligible(&productive, &row, &env));
        let members = Eligibility { rin_member: Some(true), ..Default::default() };
        assert!(!eligible(&members, &row, &env));
        row.aid.rins = 1;
        assert!(eligible(&members, &row, &env));
        let small = Eligibility { size: Some([0.0, 1.0]), ..Default::default() };
        assert!(!eligible(&small, &row, &env), "a productive firm is large");
    }

    #[test]
    fn exporter_status_follows_markets_served_and_the_first_export() {
        let fx = Fixture::new(|_| {});
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        assert_eq!(status(&row, 10), ExporterStatus::NonExporter);
        start_spell(&mut row, 3, 8);
        row.record.first_export = Some(8);
        assert_eq!(status(&row, 10), ExporterStatus::NewExporter);
        assert_eq!(status(&row, 12), ExporterStatus::Experienced);
        let newcomers = Eligibility { exporter: Some(vec![ExporterStatus::NewExporter]), ..Default::default() };
        assert!(eligible(&newcomers, &row, &fx.env(10)));
        assert!(!eligible(&newcomers, &row, &fx.env(12)));
    }
}
