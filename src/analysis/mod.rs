//! Analysis of simulated outcomes: survival (Kaplan-Meier, hazards),
//! diversification, and headline figures with intervals over replications.
//! It reads a run's tables, never the live simulation.

pub mod diversification;
pub mod effects;
pub mod morris;
pub mod outcomes;
pub mod patterns;
pub mod replications;
pub mod scaling;
pub mod summary;
pub mod survival;
pub mod sweep;

pub use diversification::Diversification;
pub use replications::{Interval, interval};
pub use survival::{Durations, HazardPoint, KaplanMeier, KmStep, Z95, hazard, nelson_aalen, wilson};
