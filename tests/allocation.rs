//! A round allocates nothing per firm: the firm pass works in per-chunk
//! buffers (`model::Scratch`), and what a round hands out (spells, records of
//! the dead, freed rows) goes into per-chunk vectors that grow a few times.
//!
//! A counting global allocator (around the system allocator) counts the heap
//! allocations made during one round of a settled population, on a one-thread
//! rayon pool. This is a behaviour, not a timing: an allocation per firm, or
//! per firm in some mechanism, would make the count grow with the firms.

use smesim::Scenario;
use smesim::engine::Replication;
use smesim::model::World;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts allocations (fresh and grown), then lets the system allocator serve them.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed on unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn a_round_allocates_nothing_per_firm() {
    let firms = 20_000u32;
    let s = Scenario::baseline()
        .with(|c| {
            c.simulation.firms = firms;
            c.simulation.rounds = 100;
            c.simulation.replications = 1;
        })
        .expect("a valid scenario");
    let world = World::generate(&s);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a thread pool");
    let (allocations, firm_rounds) = pool.install(|| {
        let mut rep = Replication::new(&s, &world, 1);
        for _ in 0..10 {
            rep.step();
        }
        let before = ALLOCATIONS.load(Ordering::SeqCst);
        let out = rep.step();
        let allocations = ALLOCATIONS.load(Ordering::SeqCst) - before;
        (allocations, out.stats[0].alive + out.stats[0].deaths)
    });
    assert!(firm_rounds >= u64::from(firms), "the round ran {firm_rounds} firm-rounds");
    assert!(
        allocations < firm_rounds / 20,
        "{allocations} heap allocations in a round of {firm_rounds} firms: something allocates per firm"
    );
}
