//! Markets and the fixed world they form (model.md §2, "Market m").
//!
//! The world is generated from `markets.seed`, never from the simulation seed:
//! replications vary the firms, not the world (model.md §2 and §7).

use crate::engine::rng::{Purpose, StreamKey};
use crate::scenario::{ListedMarket, Markets, Scenario};

/// One market. Market 0 is home; foreign markets are 1..=M.
#[derive(Clone, Debug, PartialEq)]
pub struct Market {
    /// 0 for home, 1..=M abroad.
    pub id: usize,
    /// Listed name, or `home`, or `m<id>` for a generated market.
    pub name: String,
    /// Demand scale A_m at the start of a replication.
    pub size: f64,
    /// Demand growth per round.
    pub growth: f64,
    /// Psychic distance from home, in [0, 1].
    pub distance: f64,
    /// Point in psychic space; home is the origin.
    pub position: [f64; 2],
    /// Share of demand taken by incumbents.
    pub competition: f64,
    /// Sunk cost of entering (paid again on re-entry).
    pub entry_cost: f64,
    /// Per-round cost of serving the market.
    pub fixed_cost: f64,
    /// Iceberg trade cost tau >= 1.
    pub trade_cost: f64,
    /// Per-round chance that a strong rival enters.
    pub rival_hazard: f64,
}

/// The markets and what is derived from them once per scenario.
#[derive(Clone, Debug)]
pub struct World {
    /// Home first, then foreign markets 1..=M.
    pub markets: Vec<Market>,
    /// M x M similarity of foreign markets i, j (0-based foreign indices).
    similarity: Vec<f64>,
    /// Lower Cholesky factor of the correlation of a firm's appeal across foreign markets.
    appeal_factor: Vec<f64>,
}

impl World {
    /// Generate the world of `scenario` from its market seed.
    pub fn generate(scenario: &Scenario) -> World {
        let cfg = scenario.config();
        let m = &cfg.markets;
        let count = m.count as usize;
        let mut markets = vec![home(m)];
        markets.extend(m.list.iter().enumerate().map(|(i, lm)| listed(i + 1, lm, m)));
        let generated = count - m.list.len();
        let sizes = generated_sizes(m, generated);
        for (k, size) in sizes.into_iter().enumerate() {
            markets.push(generated_market(markets.len(), size, m, k));
        }
        let similarity = similarity_matrix(&markets[1..], m.similarity_range);
        let appeal_factor = cholesky(&appeal_correlation(&similarity, count, cfg.entry.appeal_correlation), count);
        World { markets, similarity, appeal_factor }
    }

    /// Number of foreign markets M.
    pub fn foreign(&self) -> usize {
        self.markets.len() - 1
    }

    /// Similarity of foreign markets `i` and `j` (0-based foreign indices).
    #[inline]
    pub fn similarity(&self, i: usize, j: usize) -> f64 {
        self.similarity[i * self.foreign() + j]
    }

    /// Similarities of foreign market `i` to every foreign market, in order.
    #[inline]
    pub fn similarity_row(&self, i: usize) -> &[f64] {
        let n = self.foreign();
        &self.similarity[i * n..(i + 1) * n]
    }

    /// Correlated standard normals: `z` (independent) becomes L z in place,
    /// so appeal is similar in similar markets.
    ///
    /// Rows are worked out in pairs from the last up (two dot products share
    /// one pass over `z`, and every row still reads `z` as drawn); each row's
    /// terms are added in order from the value `Iterator::sum` starts from,
    /// so the result is exactly that of summing row by row.
    pub fn correlate(&self, z: &mut [f64]) {
        let (n, l) = (self.foreign(), &self.appeal_factor);
        let zero: f64 = std::iter::empty::<f64>().sum();
        let mut rows = n;
        while rows >= 2 {
            let (a, b) = (rows - 1, rows - 2);
            let (row_a, row_b) = (&l[a * n..=a * n + a], &l[b * n..=b * n + b]);
            let (mut sum_a, mut sum_b) = (zero, zero);
            for ((la, lb), x) in row_a.iter().zip(row_b).zip(&z[..=b]) {
                sum_a += la * x;
                sum_b += lb * x;
            }
            sum_a += row_a[a] * z[a];
            (z[a], z[b]) = (sum_a, sum_b);
            rows -= 2;
        }
        if rows == 1 {
            z[0] = zero + l[0] * z[0];
        }
    }
}

fn home(m: &Markets) -> Market {
    Market {
        id: 0,
        name: "home".into(),
        size: m.home_size,
        growth: 0.0,
        distance: 0.0,
        position: [0.0, 0.0],
        competition: m.home_competition,
        entry_cost: 0.0,
        fixed_cost: m.home_fixed_cost,
        trade_cost: 1.0,
        rival_hazard: 0.0,
    }
}

fn listed(id: usize, lm: &ListedMarket, m: &Markets) -> Market {
    let distance = lm.position[0].hypot(lm.position[1]).min(1.0);
    Market {
        id,
        name: lm.name.clone(),
        size: lm.size,
        growth: lm.growth,
        distance,
        position: lm.position,
        competition: lm.competition,
        entry_cost: lm.entry_cost.unwrap_or_else(|| entry_cost(m, distance)),
        fixed_cost: lm.fixed_cost.unwrap_or_else(|| fixed_cost(m, distance)),
        trade_cost: lm.trade_cost.unwrap_or_else(|| trade_cost(m, distance)),
        rival_hazard: lm.rival_hazard.unwrap_or(m.rival_hazard),
    }
}

fn entry_cost(m: &Markets, d: f64) -> f64 {
    m.entry_cost * (1.0 + m.entry_cost_distance * d)
}

fn fixed_cost(m: &Markets, d: f64) -> f64 {
    m.fixed_cost * (1.0 + m.fixed_cost_distance * d)
}

fn trade_cost(m: &Markets, d: f64) -> f64 {
    1.0 + m.trade_cost_distance * d
}

/// Sizes of the generated markets: evenly spaced quantiles in a seeded random
/// order when stratified, else independent draws.
fn generated_sizes(m: &Markets, n: usize) -> Vec<f64> {
    let key = StreamKey::new(m.seed, 0);
    let mut rng = key.stream(0, 0, Purpose::World);
    if !m.stratified {
        let s = m.size.sampler();
        return (0..n).map(|_| s.sample(&mut rng)).collect();
    }
    let mut sizes: Vec<f64> = (0..n).map(|k| m.size.quantile((k as f64 + 0.5) / n as f64)).collect();
    for i in (1..n).rev() {
        let j = (rng.uniform() * (i + 1) as f64) as usize;
        sizes.swap(i, j.min(i));
    }
    sizes
}

fn generated_market(id: usize, size: f64, m: &Markets, k: usize) -> Market {
    let mut rng = StreamKey::new(m.seed, 0).stream(k as u64 + 1, 1, Purpose::World);
    let distance = m.distance.sampler().sample(&mut rng).clamp(0.0, 1.0);
    let angle = std::f64::consts::TAU * rng.uniform();
    let growth = m.growth.sampler().sample(&mut rng).clamp(-0.5, 0.5);
    let competition = m.competition.sampler().sample(&mut rng).clamp(0.0, 0.95);
    Market {
        id,
        name: format!("m{id}"),
        size,
        growth,
        distance,
        position: [distance * angle.cos(), distance * angle.sin()],
        competition,
        entry_cost: entry_cost(m, distance),
        fixed_cost: fixed_cost(m, distance),
        trade_cost: trade_cost(m, distance),
        rival_hazard: m.rival_hazard,
    }
}

fn similarity_matrix(foreign: &[Market], range: f64) -> Vec<f64> {
    foreign
        .iter()
        .flat_map(|a| {
            foreign.iter().map(move |b| {
                let d = (a.position[0] - b.position[0]).hypot(a.position[1] - b.position[1]);
                (-d / range).exp()
            })
        })
        .collect()
}

/// Correlation (1 - c) I + c S: 1 on the diagonal, c * sim between markets.
fn appeal_correlation(sim: &[f64], n: usize, c: f64) -> Vec<f64> {
    (0..n * n).map(|k| if k / n == k % n { 1.0 } else { c * sim[k] }).collect()
}

/// Lower Cholesky factor of a symmetric positive semi-definite n x n matrix
/// (pivots clipped at zero, so coinciding markets are allowed).
fn cholesky(a: &[f64], n: usize) -> Vec<f64> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                l[i * n + i] = (a[i * n + i] - s).max(0.0).sqrt();
            } else {
                let d = l[j * n + j];
                l[i * n + j] = if d > 1e-12 { (a[i * n + j] - s) / d } else { 0.0 };
            }
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_depends_on_the_market_seed_only() {
        let a = Scenario::baseline();
        let b = a.with(|c| c.simulation.seed = 99).unwrap();
        let c = a.with(|c| c.markets.seed = 99).unwrap();
        let (wa, wb, wc) = (World::generate(&a), World::generate(&b), World::generate(&c));
        assert_eq!(wa.markets, wb.markets);
        assert_ne!(wa.markets, wc.markets);
    }

    #[test]
    fn costs_rise_with_distance_and_home_is_market_zero() {
        let w = World::generate(&Scenario::baseline());
        assert_eq!(w.markets[0].name, "home");
        let mut foreign = w.markets[1..].to_vec();
        foreign.sort_by(|a, b| a.distance.total_cmp(&b.distance));
        let (near, far) = (&foreign[0], foreign.last().unwrap());
        assert!(far.entry_cost > near.entry_cost && far.fixed_cost > near.fixed_cost);
        assert!(far.trade_cost > near.trade_cost);
    }

    #[test]
    fn listed_markets_come_first_and_keep_their_values() {
        let s = Scenario::baseline()
            .with(|c| {
                c.markets.list = vec![ListedMarket {
                    name: "Netherlands".into(),
                    size: 2.0,
                    position: [0.1, 0.0],
                    growth: 0.0,
                    competition: 0.3,
                    entry_cost: Some(1.0),
                    fixed_cost: None,
                    trade_cost: None,
                    rival_hazard: None,
                }]
            })
            .unwrap();
        let w = World::generate(&s);
        assert_eq!(w.markets[1].name, "Netherlands");
        assert_eq!(w.markets[1].entry_cost, 1.0);
        assert!((w.markets[1].distance - 0.1).abs() < 1e-12);
        assert_eq!(w.markets.len(), 31);
    }

    #[test]
    fn a_market_is_exactly_as_similar_to_itself_as_one() {
        // learning::related relies on it to skip no market.
        let w = World::generate(&Scenario::baseline());
        assert!((0..w.foreign()).all(|m| w.similarity(m, m) == 1.0));
    }

    #[test]
    fn correlating_rows_in_pairs_gives_the_row_by_row_sums_exactly() {
        for count in [1, 2, 3, 7, 30] {
            let w = World::generate(&Scenario::baseline().with(|c| c.markets.count = count).unwrap());
            let n = w.foreign();
            let mut rng = StreamKey::new(3, 1).stream(0, 0, Purpose::Birth);
            let z: Vec<f64> = (0..n).map(|_| crate::scenario::std_normal(&mut rng)).collect();
            let mut expected = z.clone();
            for i in (0..n).rev() {
                let row = &w.appeal_factor[i * n..i * n + i + 1];
                expected[i] = row.iter().zip(&expected[..=i]).map(|(l, x)| l * x).sum();
            }
            let mut pairs = z.clone();
            w.correlate(&mut pairs);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&pairs), bits(&expected), "{count} markets");
        }
    }

    #[test]
    fn appeal_is_correlated_between_similar_markets() {
        let w = World::generate(&Scenario::baseline());
        let n = w.foreign();
        // The pair of most similar markets and the least similar.
        let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| (0..i).map(move |j| (i, j))).collect();
        let close = *pairs.iter().max_by(|a, b| w.similarity(a.0, a.1).total_cmp(&w.similarity(b.0, b.1))).unwrap();
        let far = *pairs.iter().min_by(|a, b| w.similarity(a.0, a.1).total_cmp(&w.similarity(b.0, b.1))).unwrap();
        let mut rng = StreamKey::new(5, 1).stream(0, 0, Purpose::Birth);
        let (mut c_close, mut c_far) = (0.0, 0.0);
        let reps = 20_000;
        for _ in 0..reps {
            let mut z: Vec<f64> = (0..n).map(|_| crate::scenario::std_normal(&mut rng)).collect();
            w.correlate(&mut z);
            c_close += z[close.0] * z[close.1];
            c_far += z[far.0] * z[far.1];
        }
        let (c_close, c_far) = (c_close / reps as f64, c_far / reps as f64);
        assert!(c_close > 0.3 && c_far < 0.1, "close {c_close}, far {c_far}");
    }
}
