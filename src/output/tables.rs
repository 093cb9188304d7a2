//! The rows of the CSV tables, in the column order documented in the README.

use crate::engine::{PanelRow, RoundStats};
use crate::model::{EndCause, FirmRecord, Market, Spell};
use serde::Serialize;

/// A row of `rounds.csv`.
#[derive(Serialize)]
pub struct RoundRow<'a> {
    replication: u32,
    round: u32,
    strategy: &'a str,
    alive: u64,
    births: u64,
    deaths: u64,
    exporters: u64,
    exporter_share: f64,
    entries: u64,
    exits: u64,
    mean_markets_per_exporter: f64,
    mean_hhi: f64,
    mean_entropy: f64,
    total_exports: f64,
    export_intensity: f64,
}

impl<'a> RoundRow<'a> {
    /// The row of `s` in replication `rep`.
    pub fn new(rep: u32, s: &'a RoundStats) -> Self {
        RoundRow {
            replication: rep,
            round: s.round,
            strategy: s.strategy.map_or("all", |g| g.as_str()),
            alive: s.alive,
            births: s.births,
            deaths: s.deaths,
            exporters: s.exporters,
            exporter_share: s.exporter_share,
            entries: s.entries,
            exits: s.exits,
            mean_markets_per_exporter: s.mean_markets_per_exporter,
            mean_hhi: s.mean_hhi,
            mean_entropy: s.mean_entropy,
            total_exports: s.total_exports,
            export_intensity: s.export_intensity,
        }
    }
}

/// A row of `spells.csv`.
#[derive(Serialize)]
pub struct SpellRow {
    replication: u32,
    firm: u32,
    market: u32,
    start: u32,
    end: u32,
    duration: u32,
    censored: u8,
    end_cause: &'static str,
    order: u32,
}

impl SpellRow {
    /// The row of `s` in replication `rep`.
    pub fn new(rep: u32, s: &Spell) -> Self {
        SpellRow {
            replication: rep,
            firm: s.firm,
            market: s.market,
            start: s.start,
            end: s.end,
            duration: s.duration(),
            censored: u8::from(s.cause == EndCause::Censored),
            end_cause: s.cause.as_str(),
            order: s.order,
        }
    }
}

/// A row of `firms.csv`.
#[derive(Serialize)]
pub struct FirmRow {
    replication: u32,
    firm: u32,
    birth: u32,
    death: Option<u32>,
    strategy: &'static str,
    eo: f32,
    acap: f32,
    general_knowledge: f32,
    productivity: f32,
    first_export_round: Option<u32>,
    max_markets: u16,
    treated: u8,
    born_global: u8,
}

impl FirmRow {
    /// The row of `f` in replication `rep`.
    pub fn new(rep: u32, f: &FirmRecord) -> Self {
        FirmRow {
            replication: rep,
            firm: f.firm,
            birth: f.birth,
            death: f.death,
            strategy: f.strategy.as_str(),
            eo: f.eo,
            acap: f.acap,
            general_knowledge: f.general_knowledge,
            productivity: f.productivity,
            first_export_round: f.first_export,
            max_markets: f.max_markets,
            treated: u8::from(f.treated),
            born_global: u8::from(f.born_global),
        }
    }
}

/// A row of `markets.csv`.
#[derive(Serialize)]
pub struct MarketRow<'a> {
    market: usize,
    name: &'a str,
    size: f64,
    distance: f64,
    position_x: f64,
    position_y: f64,
    competition: f64,
    entry_cost: f64,
    fixed_cost: f64,
    trade_cost: f64,
    growth: f64,
    rival_hazard: f64,
}

impl<'a> MarketRow<'a> {
    /// The row of `m`.
    pub fn new(m: &'a Market) -> Self {
        MarketRow {
            market: m.id,
            name: &m.name,
            size: m.size,
            distance: m.distance,
            position_x: m.position[0],
            position_y: m.position[1],
            competition: m.competition,
            entry_cost: m.entry_cost,
            fixed_cost: m.fixed_cost,
            trade_cost: m.trade_cost,
            growth: m.growth,
            rival_hazard: m.rival_hazard,
        }
    }
}

/// A row of `panel.csv`.
#[derive(Serialize)]
pub struct PanelOut {
    replication: u32,
    round: u32,
    firm: u32,
    alive: u8,
    productivity: f64,
    home_sales: f64,
    export_sales: f64,
    markets: u32,
    cash: f64,
}

impl PanelOut {
    /// The row of `p` in replication `rep`.
    pub fn new(rep: u32, p: &PanelRow) -> Self {
        PanelOut {
            replication: rep,
            round: p.round,
            firm: p.firm,
            alive: u8::from(p.alive),
            productivity: p.productivity,
            home_sales: p.home_sales,
            export_sales: p.export_sales,
            markets: p.markets,
            cash: p.cash,
        }
    }
}
