//! A custom observer: follow a run as it goes, without keeping its tables in
//! memory. Here, entries and exits per round, and how many of the firms that
//! lived ever exported (firms' records arrive when they die, and for the
//! survivors at the end).
//!
//! Run with `cargo run --release --example streaming_observer`.

use smesim::engine::{Observer, RoundOutput};
use smesim::model::FirmRecord;
use smesim::{Scenario, run};
use std::convert::Infallible;

#[derive(Default)]
struct Churn {
    entries: Vec<u64>,
    exits: Vec<u64>,
    firms: usize,
    exporters: usize,
}

impl Observer for Churn {
    type Error = Infallible;

    fn round(&mut self, _rep: u32, out: &RoundOutput) -> Result<(), Infallible> {
        let all = &out.stats[0];
        self.entries.push(all.entries);
        self.exits.push(all.exits);
        self.count(&out.deaths);
        Ok(())
    }

    fn end_replication(&mut self, _rep: u32, survivors: &[FirmRecord]) -> Result<(), Infallible> {
        self.count(survivors);
        Ok(())
    }
}

impl Churn {
    fn count(&mut self, firms: &[FirmRecord]) {
        self.firms += firms.len();
        self.exporters += firms.iter().filter(|f| f.first_export.is_some()).count();
    }
}

fn main() -> Result<(), smesim::ScenarioError> {
    let scenario = Scenario::baseline().with(|c| {
        c.simulation.firms = 5000;
        c.simulation.rounds = 30;
        c.simulation.replications = 1;
        c.simulation.burn_in = 5;
    })?;
    let mut churn = Churn::default();
    match run(&scenario, &mut churn) {
        Ok(()) => {}
        Err(never) => match never {},
    }
    println!("round  entries  exits");
    for (t, (e, x)) in churn.entries.iter().zip(&churn.exits).enumerate() {
        println!("{:>5}  {:>7}  {:>5}", t + 1, e, x);
    }
    println!("{} of {} firms exported at some point", churn.exporters, churn.firms);
    Ok(())
}
