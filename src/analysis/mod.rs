//! Analysis of simulated outcomes: diversification metrics and figures over
//! replications. (Survival analysis and plots build on these.)

pub mod diversification;
pub mod replications;

pub use diversification::hhi_entropy;
pub use replications::{Interval, interval};
