//! What the benchmarks share.

/// Worker pools to time: one thread, and every core when there is more than one.
pub fn pools() -> Vec<(usize, rayon::ThreadPool)> {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut sizes = vec![1];
    if all > 1 {
        sizes.push(all);
    }
    sizes.into_iter().map(|n| (n, rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap())).collect()
}
