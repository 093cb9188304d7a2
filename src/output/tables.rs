//! The rows of the CSV tables, in the column order documented in the README.
//! The same types write a run's tables and read them back for analysis, so the
//! two can never disagree about a column.

use crate::engine::{PanelRow, RoundStats};
use crate::model::{EndCause, FirmRecord, Market, Spell, Strategy};
use crate::policy::ProgrammeRound;
use crate::scenario::ScenarioFile;
use serde::{Deserialize, Serialize};

/// A row of `rounds.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct RoundRow {
    pub replication: u32,
    pub round: u32,
    /// `all`, or a strategy's name.
    pub strategy: String,
    pub alive: u64,
    pub births: u64,
    pub deaths: u64,
    /// Deaths of firms that exported in the round they died.
    pub exporter_deaths: u64,
    pub exporters: u64,
    pub exporter_share: f64,
    pub entries: u64,
    pub exits: u64,
    pub mean_markets_per_exporter: f64,
    pub mean_hhi: f64,
    pub mean_hhi_normalised: f64,
    pub mean_hhi_equivalent: f64,
    pub mean_entropy: f64,
    pub mean_entropy_normalised: f64,
    pub mean_entropy_equivalent: f64,
    pub mean_export_intensity: f64,
    pub total_exports: f64,
    pub export_intensity: f64,
}

impl RoundRow {
    /// The row of `s` in replication `rep`.
    pub fn new(rep: u32, s: &RoundStats) -> Self {
        RoundRow {
            replication: rep,
            round: s.round,
            strategy: s.strategy.map_or("all", |g| g.as_str()).to_string(),
            alive: s.alive,
            births: s.births,
            deaths: s.deaths,
            exporter_deaths: s.exporter_deaths,
            exporters: s.exporters,
            exporter_share: s.exporter_share,
            entries: s.entries,
            exits: s.exits,
            mean_markets_per_exporter: s.mean_markets_per_exporter,
            mean_hhi: s.mean_hhi,
            mean_hhi_normalised: s.mean_hhi_normalised,
            mean_hhi_equivalent: s.mean_hhi_equivalent,
            mean_entropy: s.mean_entropy,
            mean_entropy_normalised: s.mean_entropy_normalised,
            mean_entropy_equivalent: s.mean_entropy_equivalent,
            mean_export_intensity: s.mean_export_intensity,
            total_exports: s.total_exports,
            export_intensity: s.export_intensity,
        }
    }
}

/// A row of `spells.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct SpellRow {
    pub replication: u32,
    pub firm: u32,
    pub market: u32,
    pub start: u32,
    pub end: u32,
    pub duration: u32,
    /// 1 if still running in the last round.
    pub censored: u8,
    pub end_cause: EndCause,
    pub order: u32,
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
            end_cause: s.cause,
            order: s.order,
        }
    }
}

/// A row of `firms.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct FirmRow {
    pub replication: u32,
    pub firm: u32,
    pub birth: u32,
    pub death: Option<u32>,
    pub strategy: Strategy,
    pub eo: f32,
    pub acap: f32,
    pub general_knowledge: f32,
    pub net_use: f32,
    pub productivity: f32,
    pub first_export_round: Option<u32>,
    /// Productivity in the round of the first export (empty if none).
    pub first_export_productivity: Option<f32>,
    pub max_markets: u16,
    pub treated: u8,
    /// Round of the first support (empty if never supported).
    pub first_support_round: Option<u32>,
    /// Money programmes paid for the firm.
    pub aid_received: f64,
    /// Index among its birth round's newborns: (birth, cohort) is the same
    /// firm in a policy run and its twin.
    pub cohort: u32,
    pub born_global: u8,
    /// Profit at home and abroad net of sunk entry costs, discounted to birth.
    pub discounted_profit: f64,
    /// The part of it earned abroad.
    pub discounted_export_profit: f64,
    /// Market exits.
    pub failed_entries: u16,
    /// Distinct foreign markets ever entered.
    pub markets_reached: u16,
    /// Rounds from birth to the last new market entered (empty if none).
    pub rounds_to_reach: Option<u32>,
}

impl FirmRow {
    /// The row of `f` in replication `rep`.
    pub fn new(rep: u32, f: &FirmRecord) -> Self {
        FirmRow {
            replication: rep,
            firm: f.firm,
            birth: f.birth,
            death: f.death,
            strategy: f.strategy,
            eo: f.eo,
            acap: f.acap,
            general_knowledge: f.general_knowledge,
            net_use: f.net_use,
            productivity: f.productivity,
            first_export_round: f.first_export,
            first_export_productivity: f.first_export.map(|_| f.first_export_productivity),
            max_markets: f.max_markets,
            treated: u8::from(f.treated),
            first_support_round: f.first_support,
            aid_received: f.aid_received,
            cohort: f.cohort,
            born_global: u8::from(f.born_global),
            discounted_profit: f.discounted_profit,
            discounted_export_profit: f.discounted_export_profit,
            failed_entries: f.failed_entries,
            markets_reached: f.markets_reached,
            rounds_to_reach: f.last_new_market.map(|r| r - f.birth),
        }
    }
}

/// A row of `markets.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct MarketRow {
    pub market: usize,
    pub name: String,
    pub size: f64,
    pub distance: f64,
    pub position_x: f64,
    pub position_y: f64,
    pub competition: f64,
    pub entry_cost: f64,
    pub fixed_cost: f64,
    pub trade_cost: f64,
    pub growth: f64,
    pub rival_hazard: f64,
}

impl MarketRow {
    /// The row of `m`.
    pub fn new(m: &Market) -> Self {
        MarketRow {
            market: m.id,
            name: m.name.clone(),
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PanelOut {
    pub replication: u32,
    pub round: u32,
    pub firm: u32,
    pub alive: u8,
    pub productivity: f64,
    pub home_sales: f64,
    pub export_sales: f64,
    pub markets: u32,
    pub cash: f64,
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

/// A row of `programmes.csv`: what one programme or network did in one round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct ProgrammeRow {
    pub replication: u32,
    pub round: u32,
    /// The programme's or network's id.
    pub programme: String,
    /// The instrument, or `rin` for a network.
    pub instrument: String,
    pub eligible: u64,
    pub applicants: u64,
    pub participants: u64,
    /// Money committed this round (grants at their ceiling; a network's funding).
    pub committed: f64,
    /// Money paid out this round.
    pub spent: f64,
}

impl ProgrammeRow {
    /// The row of `p` in replication `rep` and `round`, named from `scenario`.
    pub fn new(rep: u32, round: u32, p: &ProgrammeRound, scenario: &ScenarioFile) -> Self {
        let np = scenario.policy.len();
        let (programme, instrument) = match scenario.policy.get(p.index) {
            Some(prog) => (prog.id.clone(), prog.instrument.as_str().to_string()),
            None => (scenario.rin[p.index - np].id.clone(), "rin".to_string()),
        };
        ProgrammeRow {
            replication: rep,
            round,
            programme,
            instrument,
            eligible: p.eligible,
            applicants: p.applicants,
            participants: p.participants,
            committed: p.committed,
            spent: p.spent,
        }
    }
}
