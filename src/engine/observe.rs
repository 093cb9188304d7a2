//! Observation (model.md §3, phase 8): what one round produced, as typed records.
//! The engine never formats them; `output` writes them and `analysis` reads them.

use crate::analysis::Diversification;
use crate::model::Env;
use crate::model::Strategy;
use crate::model::firm::Row;
use crate::model::operations::Sales;

/// Headline figures of one round for all firms or one strategy group.
/// Figures are over firms alive at the end of the round.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundStats {
    /// Round (1-based).
    pub round: u32,
    /// `None` for all firms, else the strategy group.
    pub strategy: Option<Strategy>,
    /// Firms alive at the end of the round.
    pub alive: u64,
    /// Firms born this round.
    pub births: u64,
    /// Firms that died this round.
    pub deaths: u64,
    /// Of them, firms that exported in the round they died (exporters' death
    /// hazard = exporter_deaths / (exporters + exporter_deaths)).
    pub exporter_deaths: u64,
    /// Alive firms with export sales this round.
    pub exporters: u64,
    /// exporters / alive.
    pub exporter_share: f64,
    /// Market entries this round.
    pub entries: u64,
    /// Market exits by decision this round (firm deaths are not counted).
    pub exits: u64,
    /// Mean number of foreign markets served, over exporters.
    pub mean_markets_per_exporter: f64,
    /// Mean Herfindahl index H of export sales across markets, over exporters.
    pub mean_hhi: f64,
    /// Mean normalised H* = (H - 1/N) / (1 - 1/N) (1 for one market).
    pub mean_hhi_normalised: f64,
    /// Mean numbers-equivalent 1/H.
    pub mean_hhi_equivalent: f64,
    /// Mean entropy E of export sales across markets, over exporters.
    pub mean_entropy: f64,
    /// Mean normalised E / ln N (0 for one market).
    pub mean_entropy_normalised: f64,
    /// Mean numbers-equivalent exp(E).
    pub mean_entropy_equivalent: f64,
    /// Mean export intensity (exports / sales) over exporters.
    pub mean_export_intensity: f64,
    /// Export sales of alive firms.
    pub total_exports: f64,
    /// Total exports / total sales of alive firms.
    pub export_intensity: f64,
}

/// One firm in one round (the opt-in panel).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelRow {
    /// Round.
    pub round: u32,
    /// Firm id.
    pub firm: u32,
    /// Alive at the end of the round.
    pub alive: bool,
    /// Productivity phi.
    pub productivity: f64,
    /// Home sales.
    pub home_sales: f64,
    /// Export sales.
    pub export_sales: f64,
    /// Foreign markets served.
    pub markets: u32,
    /// Cash at the end of the round.
    pub cash: f64,
}

/// Counts and sums for one group, added up chunk by chunk in a fixed order.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    alive: u64,
    births: u64,
    deaths: u64,
    exporter_deaths: u64,
    exporters: u64,
    entries: u64,
    exits: u64,
    markets: u64,
    hhi: [f64; 3],
    entropy: [f64; 3],
    intensity: f64,
    exports: f64,
    sales: f64,
}

/// One firm's part of the round's figures.
pub struct FirmRound<'a> {
    /// Born this round.
    pub born: bool,
    /// Died this round.
    pub died: bool,
    /// Entries made.
    pub entries: u32,
    /// Sunk costs paid for them.
    pub entry_cost: f64,
    /// Exits made.
    pub exits: u32,
    /// Sales.
    pub sales: Sales,
    /// Sales per foreign market.
    pub market_sales: &'a [f64],
}

/// How a surviving exporter's sales spread over its markets, as the tallies
/// sum it: markets, then H, H* and 1/H, then E, E / ln N and exp(E).
#[derive(Clone, Copy, Debug)]
pub struct Spread {
    markets: usize,
    hhi: [f64; 3],
    entropy: [f64; 3],
}

impl FirmRound<'_> {
    /// The firm's [`Spread`], if it survived and exported (the figures average
    /// over those). Computed once per firm and given to each tally it joins.
    pub fn spread(&self) -> Option<Spread> {
        (!self.died && self.sales.exports > 0.0).then(|| {
            let d = Diversification::of(self.market_sales);
            Spread {
                markets: d.markets,
                hhi: [d.hhi, d.hhi_normalised(), d.hhi_equivalent()],
                entropy: [d.entropy, d.entropy_normalised(), d.entropy_equivalent()],
            }
        })
    }
}

impl Tally {
    /// Add one firm.
    pub fn add_firm(&mut self, f: &FirmRound<'_>) {
        self.add(f, f.spread().as_ref());
    }

    /// Add one firm whose [`FirmRound::spread`] is `spread`.
    pub fn add(&mut self, f: &FirmRound<'_>, spread: Option<&Spread>) {
        self.births += u64::from(f.born);
        self.deaths += u64::from(f.died);
        self.entries += u64::from(f.entries);
        self.exits += u64::from(f.exits);
        if f.died {
            self.exporter_deaths += u64::from(f.sales.exports > 0.0);
            return;
        }
        self.alive += 1;
        self.exports += f.sales.exports;
        self.sales += f.sales.home + f.sales.exports;
        if let Some(d) = spread {
            self.exporters += 1;
            self.markets += d.markets as u64;
            add(&mut self.hhi, d.hhi);
            add(&mut self.entropy, d.entropy);
            self.intensity += f.sales.exports / (f.sales.home + f.sales.exports);
        }
    }

    /// Add another tally.
    pub fn merge(&mut self, o: &Tally) {
        self.alive += o.alive;
        self.births += o.births;
        self.deaths += o.deaths;
        self.exporter_deaths += o.exporter_deaths;
        self.exporters += o.exporters;
        self.entries += o.entries;
        self.exits += o.exits;
        self.markets += o.markets;
        add(&mut self.hhi, o.hhi);
        add(&mut self.entropy, o.entropy);
        self.intensity += o.intensity;
        self.exports += o.exports;
        self.sales += o.sales;
    }

    /// The figures of `round` for `strategy` (None = all).
    pub fn stats(&self, round: u32, strategy: Option<Strategy>) -> RoundStats {
        let per_exporter = |x: f64| x / self.exporters as f64;
        RoundStats {
            round,
            strategy,
            alive: self.alive,
            births: self.births,
            deaths: self.deaths,
            exporter_deaths: self.exporter_deaths,
            exporters: self.exporters,
            exporter_share: self.exporters as f64 / self.alive as f64,
            entries: self.entries,
            exits: self.exits,
            mean_markets_per_exporter: per_exporter(self.markets as f64),
            mean_hhi: per_exporter(self.hhi[0]),
            mean_hhi_normalised: per_exporter(self.hhi[1]),
            mean_hhi_equivalent: per_exporter(self.hhi[2]),
            mean_entropy: per_exporter(self.entropy[0]),
            mean_entropy_normalised: per_exporter(self.entropy[1]),
            mean_entropy_equivalent: per_exporter(self.entropy[2]),
            mean_export_intensity: per_exporter(self.intensity),
            total_exports: self.exports,
            export_intensity: self.exports / self.sales,
        }
    }
}

fn add(sum: &mut [f64; 3], x: [f64; 3]) {
    for (s, x) in sum.iter_mut().zip(x) {
        *s += x;
    }
}

/// Keep a firm's running record: profit discounted to birth, failed entries,
/// first export, most markets, born global (export intensity >= 25% in one of
/// its first three rounds, ages 0-2; Knight & Cavusgil 2004).
pub fn track(row: &mut Row<'_>, f: &FirmRound<'_>, env: &Env<'_>) {
    let round = env.round;
    let record = &mut *row.record;
    let rate = env.p.entry.discount_rate;
    // 1^-n is exactly 1: skip the power when profits are not discounted.
    let discount = if rate == 0.0 { 1.0 } else { (1.0 + rate).powi(-((round - record.birth) as i32)) };
    record.discounted_profit += discount * (f.sales.profit - f.entry_cost);
    record.discounted_export_profit += discount * (f.sales.export_profit - f.entry_cost);
    record.failed_entries = record.failed_entries.saturating_add(f.exits as u16); // at most 250 markets
    if f.sales.exports <= 0.0 {
        return;
    }
    if record.first_export.is_none() {
        record.first_export = Some(round);
        record.first_export_productivity = row.ln_phi.exp() as f32;
    }
    let served = f.market_sales.iter().filter(|s| **s > 0.0).count() as u16;
    record.max_markets = record.max_markets.max(served);
    let intensity = f.sales.exports / (f.sales.home + f.sales.exports);
    if round - record.birth <= 2 && intensity >= 0.25 {
        record.born_global = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn firm(exports: f64, market_sales: &[f64], died: bool) -> FirmRound<'_> {
        let sales = Sales { home: 3.0, exports, profit: 0.0, export_profit: 0.0 };
        FirmRound { born: false, died, entries: 1, entry_cost: 0.0, exits: 0, sales, market_sales }
    }

    #[test]
    fn tallies_count_exporters_among_survivors_only() {
        let mut t = Tally::default();
        t.add_firm(&firm(2.0, &[1.0, 1.0], false));
        t.add_firm(&firm(0.0, &[0.0, 0.0], false));
        t.add_firm(&firm(5.0, &[5.0, 0.0], true));
        let s = t.stats(4, None);
        assert_eq!((s.alive, s.exporters, s.deaths, s.entries), (2, 1, 1, 3));
        assert_eq!(s.exporter_deaths, 1, "the dead firm exported in its last round");
        assert_eq!(s.exporter_share, 0.5);
        assert_eq!(s.mean_markets_per_exporter, 2.0);
        assert!((s.export_intensity - 2.0 / 8.0).abs() < 1e-12);
        assert!(s.exporters <= s.alive);
    }

    #[test]
    fn the_record_discounts_later_profit_and_counts_failed_entries() {
        let fx = crate::model::fixture::Fixture::new(|c| c.entry.discount_rate = 0.1);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        let mut f = firm(0.0, &[], false);
        f.sales.profit = 1.0;
        track(&mut row, &f, &fx.env(0));
        assert!((row.record.discounted_profit - 1.0).abs() < 1e-12);
        f.exits = 2;
        track(&mut row, &f, &fx.env(2));
        assert!(
            (row.record.discounted_profit - (1.0 + 1.0 / 1.21)).abs() < 1e-12,
            "a profit two rounds on counts 1/1.1^2"
        );
        assert_eq!(row.record.failed_entries, 2);
    }
}
