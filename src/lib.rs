//! # smesim
//!
//! A fast, reproducible agent-based simulator of how small and medium-sized
//! enterprises go international. Firms with prior knowledge, absorptive
//! capacity, network ties and an entrepreneurial orientation enter foreign
//! markets, learn, operate and exit, round by round.
//!
//! The crate is layered so that each layer only uses those before it:
//! - [`scenario`]: TOML scenarios, defaults, validation with located errors;
//! - [`model`]: markets, firms and the mechanisms of a round;
//! - [`policy`]: institutions: programmes that select and support firms, regional innovation networks;
//! - [`engine`]: replications, the deterministic parallel round loop, random streams;
//! - [`analysis`]: diversification and figures over replications;
//! - [`output`]: tidy CSV tables and the manifest, written atomically;
//! - [`plot`]: line and bar charts as PNG and SVG, drawn with an embedded font;
//! - [`report`]: what is derived from a run's tables: summary, survival curves, plots, `report.html`, comparisons;
//! - [`experiment`]: experiments made of many runs (the strategy map);
//! - [`validation`]: the runs the validation targets need, and a verdict on each target.
//!
//! The `smesim` binary is a thin command line on top.
//!
//! ```
//! use smesim::{Scenario, simulate};
//! let scenario = Scenario::baseline()
//!     .with(|c| {
//!         c.simulation.firms = 500;
//!         c.simulation.rounds = 12;
//!         c.simulation.burn_in = 2;
//!         c.simulation.replications = 2;
//!     })
//!     .unwrap();
//! let results = simulate(&scenario);
//! for (rep, round) in results.rounds.iter().filter(|(_, r)| r.round == 12 && r.strategy.is_none()) {
//!     assert!(round.exporters <= round.alive, "replication {rep}");
//! }
//! ```

#![warn(missing_docs)]

pub mod analysis;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod output;
pub mod plot;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod validation;

pub use engine::{Observer, Results, run, simulate};
pub use model::Strategy;
pub use scenario::{Scenario, ScenarioError};
