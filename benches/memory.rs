//! Memory per firm at 10^5 firms x 30 markets.
//!
//! `cargo bench --bench memory` runs 60 rounds of one replication and prints
//! the state bytes per firm row, the rows in use, and the process's peak
//! resident memory (VmHWM, Linux) before and after, per initial firm.

use smesim::Scenario;
use smesim::engine::Replication;
use smesim::model::World;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let firms = 100_000u32;
    let s = Scenario::baseline()
        .with(|c| {
            c.simulation.firms = firms;
            c.simulation.replications = 1;
        })
        .expect("valid");
    let world = World::generate(&s);
    let before = peak_rss_kib().unwrap_or(0);
    let mut rep = Replication::new(&s, &world, 1);
    let (mut spells, mut deaths) = (0usize, 0usize);
    for _ in 0..s.config().simulation.rounds {
        let out = rep.step();
        spells += out.spells.len();
        deaths += out.deaths.len();
    }
    let rows = rep.firms().len();
    let row_bytes = rep.firms().bytes_per_row();
    let survivors = rep.finish().len();
    let after = peak_rss_kib().unwrap_or(0);
    println!("firms (initial)            {firms}");
    println!("markets                    {}", world.foreign());
    println!("rows after 60 rounds       {rows} (dead firms' rows are reused)");
    println!("firms ever born            {} (records streamed at death, not kept)", deaths + survivors);
    println!("spells (streamed, not kept) {spells}");
    println!("state bytes per row        {row_bytes}");
    println!("record bytes per firm      {}", std::mem::size_of::<smesim::model::FirmRecord>());
    println!("peak RSS before / after    {before} KiB / {after} KiB");
    println!("peak RSS growth per firm   {:.0} bytes", (after - before) as f64 * 1024.0 / f64::from(firms));
}
