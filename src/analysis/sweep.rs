//! Figures over a sweep's points, gathered as the runs stream past: each
//! point's mean and 95% interval per output, and each parameter's main
//! effect (the output at each of its levels, averaged over the other
//! parameters' values, with an interval over replications: with common
//! random numbers the replications pair up across points).

use super::summary::Headline;

/// A parameter's main effect on every output, accumulated point by point.
#[derive(Clone, Debug)]
pub struct MainEffect {
    /// The parameter's levels, ascending.
    pub levels: Vec<f64>,
    /// Which points count (all, or one-at-a-time's axis of the parameter).
    counted: Vec<bool>,
    /// Sums and counts per (level, replication, output), flattened.
    sums: Vec<f64>,
    counts: Vec<u32>,
}

impl MainEffect {
    /// A main effect over `levels` counting the points marked in `counted`.
    pub fn new(levels: Vec<f64>, counted: Vec<bool>, replications: usize, outputs: usize) -> Self {
        let cells = levels.len() * replications * outputs;
        MainEffect { levels, counted, sums: vec![0.0; cells], counts: vec![0; cells] }
    }
}

/// Every point's figures and every parameter's main effect.
#[derive(Clone, Debug)]
pub struct Aggregate {
    replications: usize,
    outputs: usize,
    /// Per point, per output: mean and 95% interval over replications.
    pub points: Vec<Vec<Headline>>,
    /// Per parameter: its main effect, where its levels are few enough to average over.
    pub main: Vec<Option<MainEffect>>,
}

impl Aggregate {
    /// An empty aggregate of `outputs` outputs over `replications` replications.
    pub fn new(replications: usize, outputs: usize, main: Vec<Option<MainEffect>>) -> Self {
        Aggregate { replications, outputs, points: Vec::new(), main }
    }

    /// Add the next point: its parameter values and its outputs per
    /// replication (`values[rep][output]`, NaN where undefined).
    pub fn add(&mut self, coords: &[f64], values: &[Vec<f64>]) {
        let point = self.points.len();
        let column = |o: usize| values.iter().map(|v| v[o]).collect::<Vec<f64>>();
        self.points.push((0..self.outputs).map(|o| Headline::of(&column(o))).collect());
        let (reps, outs) = (self.replications, self.outputs);
        for (m, x) in self.main.iter_mut().zip(coords) {
            let Some(m) = m else { continue };
            let Some(level) = m.levels.iter().position(|l| l == x) else { continue };
            if !m.counted.get(point).copied().unwrap_or(false) {
                continue;
            }
            for (r, row) in values.iter().enumerate().take(reps) {
                for (o, y) in row.iter().enumerate().take(outs).filter(|(_, y)| !y.is_nan()) {
                    let cell = (level * reps + r) * outs + o;
                    m.sums[cell] += y;
                    m.counts[cell] += 1;
                }
            }
        }
    }

    /// Parameter `param`'s main effect on output `output`: each level with
    /// the mean and interval over replications of the level's mean.
    pub fn main_effect(&self, param: usize, output: usize) -> Option<Vec<(f64, Headline)>> {
        let m = self.main.get(param)?.as_ref()?;
        let (reps, outs) = (self.replications, self.outputs);
        let at = |level: usize| -> Vec<f64> {
            (0..reps)
                .map(|r| {
                    let cell = (level * reps + r) * outs + output;
                    if m.counts[cell] == 0 { f64::NAN } else { m.sums[cell] / f64::from(m.counts[cell]) }
                })
                .collect()
        };
        Some(m.levels.iter().enumerate().map(|(l, x)| (*x, Headline::of(&at(l)))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_main_effect_averages_over_the_other_parameters_per_replication() {
        // Two parameters on a 2 x 2 grid; y = 10 a + b + replication noise.
        let grid = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
        let main = (0..2).map(|_| Some(MainEffect::new(vec![0.0, 1.0], vec![true; 4], 3, 1))).collect();
        let mut agg = Aggregate::new(3, 1, main);
        for p in &grid {
            let values: Vec<Vec<f64>> = (0..3).map(|r| vec![10.0 * p[0] + p[1] + r as f64]).collect();
            agg.add(p, &values);
        }
        let a = agg.main_effect(0, 0).unwrap();
        assert_eq!(a[0].1.mean, Some(0.5 + 1.0));
        assert_eq!(a[1].1.mean, Some(10.5 + 1.0));
        let b = agg.main_effect(1, 0).unwrap();
        assert_eq!(b[1].1.mean.unwrap() - b[0].1.mean.unwrap(), 1.0);
        assert_eq!(agg.points[3][0].mean, Some(12.0));
        assert_eq!(agg.points[3][0].n, 3);
    }
}
