//! The strategy map: over a grid of two conditions, which of two entry
//! strategies earns more discounted profit per firm, and by how much
//! (the comparative statics of Kalish, Mahajan & Muller 1995). At every point
//! the same firms run once with each strategy (common random numbers); the
//! difference is paired by replication.

use super::Axis;
use crate::analysis::summary::Headline;
use crate::engine::{Observer, RoundOutput, run};
use crate::model::{FirmRecord, Strategy};
use crate::scenario::{Scenario, ScenarioError};
use rayon::prelude::*;
use serde::Serialize;
use std::convert::Infallible;

/// What to sweep and what to compare.
#[derive(Clone, Debug)]
pub struct MapSpec {
    /// Columns of the map.
    pub x: Axis,
    /// Rows of the map.
    pub y: Axis,
    /// The two strategies; differences are second minus first.
    pub strategies: [Strategy; 2],
}

/// One point of the map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    /// Value of the x condition.
    pub x: f64,
    /// Value of the y condition.
    pub y: f64,
    /// Mean discounted profit per firm under each strategy.
    pub profit: [Headline; 2],
    /// Mean failed entries per firm under each strategy.
    pub failed_entries: [Headline; 2],
    /// Second strategy's profit minus the first's, paired by replication.
    pub difference: Headline,
}

impl Cell {
    /// Does the difference's 95% interval exclude zero?
    pub fn settled(&self) -> bool {
        matches!((self.difference.low, self.difference.high), (Some(lo), Some(hi)) if lo > 0.0 || hi < 0.0)
    }
}

/// Per-replication means over firms followed from birth (born in round burn_in or later).
#[derive(Default)]
struct CohortMeans {
    burn_in: u32,
    sums: Vec<(f64, f64, u64)>,
}

impl CohortMeans {
    fn add(&mut self, rep: u32, firms: &[FirmRecord]) {
        let i = rep as usize - 1;
        if self.sums.len() <= i {
            self.sums.resize(i + 1, (0.0, 0.0, 0));
        }
        for f in firms.iter().filter(|f| f.birth >= self.burn_in) {
            let s = &mut self.sums[i];
            *s = (s.0 + f.discounted_profit, s.1 + f64::from(f.failed_entries), s.2 + 1);
        }
    }

    fn means(&self) -> (Vec<f64>, Vec<f64>) {
        self.sums.iter().map(|(p, f, n)| (p / *n as f64, f / *n as f64)).unzip()
    }
}

impl Observer for CohortMeans {
    type Error = Infallible;

    fn round(&mut self, rep: u32, out: &RoundOutput) -> Result<(), Infallible> {
        self.add(rep, &out.deaths);
        Ok(())
    }

    fn end_replication(&mut self, rep: u32, survivors: &[FirmRecord]) -> Result<(), Infallible> {
        self.add(rep, survivors);
        Ok(())
    }
}

/// Run `scenario` at every point of the grid with both strategies, calling
/// `done` after each run (for a progress bar). Cells come row by row (y outer,
/// x inner).
pub fn strategy_map(scenario: &Scenario, spec: &MapSpec, done: &(dyn Fn() + Sync)) -> Result<Vec<Cell>, ScenarioError> {
    let mut jobs = Vec::new();
    for &y in &spec.y.values {
        for &x in &spec.x.values {
            let point = scenario.set_number(&spec.x.key, x)?.set_number(&spec.y.key, y)?;
            for s in spec.strategies {
                jobs.push(point.with(|c| c.strategy.shares = s.only())?);
            }
        }
    }
    let results: Vec<(Vec<f64>, Vec<f64>)> = jobs
        .par_iter()
        .map(|sc| {
            let mut means = CohortMeans { burn_in: sc.config().simulation.burn_in, sums: Vec::new() };
            match run(sc, &mut means) {
                Ok(()) => done(),
                Err(never) => match never {},
            }
            means.means()
        })
        .collect();
    let points = spec.y.values.iter().flat_map(|y| spec.x.values.iter().map(move |x| (*x, *y)));
    Ok(points
        .zip(results.chunks(2))
        .map(|((x, y), pair)| {
            let diff: Vec<f64> = pair[1].0.iter().zip(&pair[0].0).map(|(b, a)| b - a).collect();
            Cell {
                x,
                y,
                profit: [Headline::of(&pair[0].0), Headline::of(&pair[1].0)],
                failed_entries: [Headline::of(&pair[0].1), Headline::of(&pair[1].1)],
                difference: Headline::of(&diff),
            }
        })
        .collect())
}
