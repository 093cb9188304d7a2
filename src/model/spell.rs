//! Export spells: consecutive rounds in which a firm serves one foreign market.

use serde::{Deserialize, Serialize};

/// Why a spell ended (literature.md §5: firm death is its own end cause).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndCause {
    /// The firm left the market.
    Exit,
    /// The firm died.
    FirmDeath,
    /// Still running in the last round (right-censored).
    Censored,
}

impl EndCause {
    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            EndCause::Exit => "exit",
            EndCause::FirmDeath => "firm_death",
            EndCause::Censored => "censored",
        }
    }
}

/// One firm-market export spell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spell {
    /// Firm id.
    pub firm: u32,
    /// Market id (1..=M).
    pub market: u32,
    /// First round served.
    pub start: u32,
    /// Last round served.
    pub end: u32,
    /// Why it ended.
    pub cause: EndCause,
    /// This market is the firm's k-th distinct market.
    pub order: u32,
}

impl Spell {
    /// Rounds served: end - start + 1.
    pub fn duration(&self) -> u32 {
        self.end - self.start + 1
    }
}
