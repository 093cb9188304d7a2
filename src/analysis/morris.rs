//! Morris's elementary effects (Morris 1991; Campolongo, Cariboni & Saltelli
//! 2007): a screening design of `r` trajectories through a grid of `p` levels
//! per parameter, each moving one parameter at a time by Δ = p / (2(p - 1)),
//! and per parameter the mean of the absolute effects (μ*, its importance),
//! the mean (μ, its direction) and the standard deviation (σ, interaction or
//! non-linearity).

use crate::engine::rng::{Purpose, StreamKey};
use rand::seq::SliceRandom;
use serde::Serialize;

/// Round of the design streams (the Latin hypercube uses round 0).
const MORRIS_ROUND: u32 = 1;

/// `trajectories` trajectories of `dims + 1` points each, as level indices in
/// `0..levels` (`levels` even): point 0 of a trajectory sits on a random base,
/// each next point moves one parameter, in a random order, by `levels / 2`
/// levels up or down, so every parameter moves exactly once.
pub fn trajectories(dims: usize, trajectories: usize, levels: usize, seed: u64) -> Vec<Vec<usize>> {
    let key = StreamKey::new(seed, 0);
    let jump = levels / 2;
    let mut points = Vec::with_capacity(trajectories * (dims + 1));
    for t in 0..trajectories {
        let mut rng = key.stream(t as u64, MORRIS_ROUND, Purpose::Design);
        let mut order: Vec<usize> = (0..dims).collect();
        order.shuffle(&mut rng);
        let mut point: Vec<usize> = Vec::with_capacity(dims);
        let mut up = Vec::with_capacity(dims);
        for _ in 0..dims {
            let base = ((rng.uniform() * jump as f64) as usize).min(jump - 1);
            let rising = rng.uniform() < 0.5;
            point.push(if rising { base } else { base + jump });
            up.push(rising);
        }
        points.push(point.clone());
        for &i in &order {
            point[i] = if up[i] { point[i] + jump } else { point[i] - jump };
            points.push(point.clone());
        }
    }
    points
}

/// The elementary effects of one parameter on one output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effects {
    /// Mean of the absolute effects: the parameter's importance.
    pub mu_star: f64,
    /// Mean of the signed effects: its direction (near 0 with large μ* when
    /// the sign changes across the space).
    pub mu: f64,
    /// Standard deviation of the effects: interactions or non-linearity.
    pub sigma: f64,
    /// Effects measured (trajectories whose two outputs were defined).
    pub n: usize,
}

/// Effects of every parameter on one output, from the design in level
/// indices (as [`trajectories`] made it) and the output at each point. An
/// effect is the change of the output over the change of the parameter as a
/// share of its range (Δ), so parameters on different scales compare.
pub fn effects(design: &[Vec<usize>], levels: usize, y: &[f64]) -> Vec<Effects> {
    let dims = design.first().map_or(0, Vec::len);
    let mut by_param: Vec<Vec<f64>> = vec![Vec::new(); dims];
    for (step, pair) in design.windows(2).enumerate() {
        if (step + 1) % (dims + 1) == 0 {
            continue; // the next trajectory begins
        }
        let Some(i) = (0..dims).find(|&i| pair[0][i] != pair[1][i]) else { continue };
        let delta = (pair[1][i] as f64 - pair[0][i] as f64) / (levels - 1) as f64;
        let ee = (y[step + 1] - y[step]) / delta;
        if ee.is_finite() {
            by_param[i].push(ee);
        }
    }
    by_param.iter().map(|ees| summarise(ees)).collect()
}

/// Parameter indices from the most influential (largest μ*) to the least;
/// ties keep parameter order, and an undefined μ* comes last.
pub fn ranked(effects: &[Effects]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..effects.len()).collect();
    let key = |i: usize| if effects[i].mu_star.is_nan() { f64::NEG_INFINITY } else { effects[i].mu_star };
    order.sort_by(|a, b| key(*b).total_cmp(&key(*a)).then(a.cmp(b)));
    order
}

fn summarise(ees: &[f64]) -> Effects {
    let n = ees.len();
    let mean = |f: &dyn Fn(f64) -> f64| ees.iter().map(|e| f(*e)).sum::<f64>() / n as f64;
    let mu = mean(&|e| e);
    let sigma =
        if n > 1 { (ees.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt() } else { f64::NAN };
    Effects { mu_star: mean(&f64::abs), mu, sigma, n }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_moves_one_parameter_by_half_the_levels() {
        let (dims, levels) = (3, 4);
        let design = trajectories(dims, 5, levels, 7);
        assert_eq!(design.len(), 5 * (dims + 1));
        for t in design.chunks(dims + 1) {
            let mut moved = Vec::new();
            for pair in t.windows(2) {
                let changed: Vec<usize> = (0..dims).filter(|&i| pair[0][i] != pair[1][i]).collect();
                assert_eq!(changed.len(), 1);
                assert_eq!(pair[0][changed[0]].abs_diff(pair[1][changed[0]]), levels / 2);
                moved.push(changed[0]);
            }
            moved.sort_unstable();
            assert_eq!(moved, vec![0, 1, 2], "each parameter moves once");
            assert!(t.iter().flatten().all(|&l| l < levels));
        }
        assert_eq!(design, trajectories(dims, 5, levels, 7), "seeded");
        assert_ne!(design, trajectories(dims, 5, levels, 8));
    }

    #[test]
    fn effects_rank_a_steep_parameter_first_and_see_an_interaction() {
        let levels = 4;
        let design = trajectories(3, 20, levels, 3);
        let unit = |p: &Vec<usize>, i: usize| p[i] as f64 / (levels - 1) as f64;
        // y = 5 x0 - 1 x1 + 0 x2, plus an x1 * x2 interaction.
        let y: Vec<f64> =
            design.iter().map(|p| 5.0 * unit(p, 0) - unit(p, 1) + 3.0 * unit(p, 1) * unit(p, 2)).collect();
        let e = effects(&design, levels, &y);
        assert!((e[0].mu_star - 5.0).abs() < 1e-9 && (e[0].mu - 5.0).abs() < 1e-9);
        assert!(e[0].sigma < 1e-9, "a linear effect does not vary");
        assert!(e[1].sigma > 0.1 && e[2].sigma > 0.1, "the interaction makes the effects vary");
        assert!(e[0].mu_star > e[1].mu_star && e[0].mu_star > e[2].mu_star);
        assert_eq!(e[0].n, 20);
    }
}
