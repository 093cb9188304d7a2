//! The model of `../shared/design/model.md`: markets, firms and the mechanisms of
//! one round, each a function of one firm and the round's shared environment.
//!
//! Mechanisms never see other firms: every firm reads the same [`Env`], built
//! before the firm pass, so the order of firms and the number of threads cannot
//! change a result (the two-phase update of model.md §3).

pub mod aid;
pub mod birth;
pub mod entry;
pub mod exit;
pub mod firm;
pub mod learning;
pub mod market;
pub mod network;
pub mod operations;
pub mod product;
pub mod productivity;
pub mod rival;
pub mod spell;
pub mod valuation;

pub use firm::{FirmRecord, Firms, Row};
pub use market::{Market, World};
pub use spell::{EndCause, Spell};

use crate::engine::rng::StreamKey;
use crate::scenario::{Sampler, ScenarioFile, Shares};
use serde::{Deserialize, Serialize};

/// How a firm goes abroad (model.md §3, phase 5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// One market at a time, each after the last has matured in profit.
    #[default]
    Waterfall,
    /// Several markets at once, up to `sprinkler_width` a round.
    Sprinkler,
    /// Uppsala: waterfall within a psychic radius that grows with knowledge.
    Gradual,
    /// Only markets where the firm has a tie or an order.
    Network,
}

impl Strategy {
    /// All strategies, in output order.
    pub const ALL: [Strategy; 4] = [Strategy::Waterfall, Strategy::Sprinkler, Strategy::Gradual, Strategy::Network];

    /// The name used in scenarios and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Waterfall => "waterfall",
            Strategy::Sprinkler => "sprinkler",
            Strategy::Gradual => "gradual",
            Strategy::Network => "network",
        }
    }

    /// Position in [`Strategy::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The strategy called `name`, if any.
    pub fn from_name(name: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Shares that give every newborn this strategy.
    pub fn only(self) -> Shares {
        let mut shares = Shares { waterfall: 0.0, sprinkler: 0.0, gradual: 0.0, network: 0.0 };
        *match self {
            Strategy::Waterfall => &mut shares.waterfall,
            Strategy::Sprinkler => &mut shares.sprinkler,
            Strategy::Gradual => &mut shares.gradual,
            Strategy::Network => &mut shares.network,
        } = 1.0;
        shares
    }
}

impl firm::Touch for Strategy {
    #[inline]
    fn touch(&mut self, zero: u64) -> u64 {
        *self = Strategy::ALL[(self.index() ^ zero as usize) & 3];
        self.index() as u64
    }
}

/// Samplers for newborns' traits, compiled once from the scenario.
#[derive(Clone, Debug)]
pub struct Traits {
    /// Log productivity.
    pub productivity: Sampler,
    /// Entrepreneurial orientation.
    pub eo: Sampler,
    /// Absorptive capacity.
    pub acap: Sampler,
    /// General knowledge.
    pub general: Sampler,
    /// Network use.
    pub net_use: Sampler,
    /// Cumulative strategy shares in [`Strategy::ALL`] order.
    pub shares: [f64; 4],
}

impl Traits {
    /// Compile the trait distributions of `p`.
    pub fn new(p: &ScenarioFile) -> Self {
        let f = &p.firms;
        let s = &p.strategy.shares;
        let mut acc = 0.0;
        let shares = [s.waterfall, s.sprinkler, s.gradual, s.network].map(|x| {
            acc += x;
            acc
        });
        Traits {
            productivity: f.productivity.sampler(),
            eo: f.eo.sampler(),
            acap: f.acap.sampler(),
            general: f.general_knowledge.sampler(),
            net_use: f.net_use.sampler(),
            shares,
        }
    }
}

/// Everything a firm may read during one round: the scenario, the world and
/// this round's market state. Built once per round, shared by all firms.
pub struct Env<'a> {
    /// Scenario settings.
    pub p: &'a ScenarioFile,
    /// The fixed world.
    pub world: &'a World,
    /// Newborns' trait samplers.
    pub traits: &'a Traits,
    /// Key of this replication's random streams.
    pub key: StreamKey,
    /// The current round (1-based; 0 initialises the first population).
    pub round: u32,
    /// Per foreign market: size * (1 - competition) / trade cost this round.
    pub demand: Vec<f64>,
    /// The same at home.
    pub home_demand: f64,
    /// Cumulative weights for placing a direct (random-search) tie.
    pub direct_ties: Vec<f64>,
    /// Per origin market, cumulative weights for placing a tie met through a contact there.
    pub remote_ties: Vec<f64>,
    /// Terms of the scenario's programmes, by index (see [`aid`]).
    pub aid: &'a [aid::Terms],
    /// Does any foreign market have a rival hazard? If not, [`rival::arrive`]
    /// has nothing to draw.
    pub rivals: bool,
    /// Per foreign market: its similarity to home, exp(-distance / similarity_range)
    /// (the home market's share of the lead effect, [`product::lead`]).
    pub home_similarity: Vec<f64>,
    /// The lowest sunk entry cost of a foreign market: a firm without an entry
    /// voucher that cannot pay it can enter nowhere ([`entry::enter`]).
    pub cheapest_entry: f64,
}

impl<'a> Env<'a> {
    /// The environment of `round` given current market sizes.
    pub fn new(
        p: &'a ScenarioFile,
        world: &'a World,
        traits: &'a Traits,
        aid: &'a [aid::Terms],
        key: StreamKey,
        round: u32,
        sizes: &[f64],
    ) -> Self {
        let foreign = &world.markets[1..];
        let demand =
            foreign.iter().zip(&sizes[1..]).map(|(m, size)| size * (1.0 - m.competition) / m.trade_cost).collect();
        let home = &world.markets[0];
        let theta = p.network.distance_decay;
        let direct = foreign.iter().zip(&sizes[1..]).map(|(m, s)| s * (-m.distance / theta).exp());
        let n = foreign.len();
        let remote =
            (0..n).flat_map(|o| (0..n).map(move |j| (o, j))).map(|(o, j)| sizes[j + 1] * world.similarity(o, j));
        Env {
            p,
            world,
            traits,
            key,
            round,
            demand,
            home_demand: sizes[0] * (1.0 - home.competition) / home.trade_cost,
            direct_ties: cumulative(direct),
            remote_ties: remote.collect::<Vec<_>>().chunks(n).flat_map(|row| cumulative(row.iter().copied())).collect(),
            aid,
            rivals: foreign.iter().any(|m| m.rival_hazard > 0.0),
            home_similarity: foreign.iter().map(|m| (-m.distance / p.markets.similarity_range).exp()).collect(),
            cheapest_entry: foreign.iter().map(|m| m.entry_cost).fold(f64::INFINITY, f64::min),
        }
    }

    /// Number of foreign markets.
    pub fn markets(&self) -> usize {
        self.demand.len()
    }

    /// Foreign market (0-based) `m`.
    pub fn market(&self, m: usize) -> &Market {
        &self.world.markets[m + 1]
    }
}

fn cumulative(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// The markets whose bits are set in `words`, in order: market m is bit
/// m % 64 of word m / 64. A mechanism that visits few of a firm's markets marks
/// them in a first pass without branches (a firm's pattern of markets would
/// make a branch per market mispredict), then visits only those.
#[inline]
pub fn marked(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(w, &word)| firm::set_bits(word).map(move |b| 64 * w + b))
}

/// Index drawn from cumulative weights with a uniform `u` in [0, 1).
pub fn pick(cumulative: &[f64], u: f64) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let target = u * total;
    cumulative.partition_point(|c| *c <= target).min(cumulative.len().saturating_sub(1))
}

/// Test fixtures: a one-firm table and an environment around it.
#[cfg(test)]
pub mod fixture {
    use super::*;
    use crate::scenario::{Instrument, Programme, Scenario};

    /// A scenario, its world and traits, ready to build environments.
    pub struct Fixture {
        /// The scenario settings.
        pub p: ScenarioFile,
        /// Its world.
        pub world: World,
        /// Its trait samplers.
        pub traits: Traits,
        /// Its programmes' terms.
        pub aid: Vec<aid::Terms>,
    }

    impl Fixture {
        /// The baseline, changed by `f`.
        pub fn new(f: impl FnOnce(&mut ScenarioFile)) -> Self {
            let s = Scenario::baseline().with(f).expect("valid test scenario");
            let world = World::generate(&s);
            let aid = aid::terms(s.config(), &world);
            Fixture { traits: Traits::new(s.config()), p: s.config().clone(), world, aid }
        }

        /// The baseline whose only programme is `kind` (see [`programme`]), changed by `change`.
        pub fn with_programme(kind: Instrument, change: impl FnOnce(&mut Programme)) -> Self {
            Fixture::new(|c| {
                let mut p = programme(kind);
                change(&mut p);
                c.policy.push(p);
            })
        }

        /// The environment of `round` with initial sizes.
        pub fn env(&self, round: u32) -> Env<'_> {
            let sizes: Vec<f64> = self.world.markets.iter().map(|m| m.size).collect();
            Env::new(&self.p, &self.world, &self.traits, &self.aid, StreamKey::new(7, 1), round, &sizes)
        }

        /// A table with one blank, alive firm of middling traits.
        pub fn one_firm(&self) -> Firms {
            self.firms(1)
        }

        /// A table of `n` alive firms of middling traits born in round 0, with
        /// distinct ids and cohorts (so distinct random streams).
        pub fn firms(&self, n: usize) -> Firms {
            let mut f = Firms::new(self.world.foreign(), self.p.network.max_ties as usize);
            for i in 0..n {
                let r = f.push_row();
                f.id[r] = i as u32;
                f.cohort[r] = i as u32;
                f.alive[r] = true;
                f.eo[r] = 0.5;
                f.acap[r] = 0.5;
                f.net_use[r] = 0.5;
                f.general[r] = 0.2;
                f.cash[r] = 2.0;
            }
            f
        }
    }

    /// A programme of `instrument` selecting in rounds 1-10 with a budget of
    /// 100 a round, every firm eligible, aware and applying, defaults filled.
    pub fn programme(instrument: crate::scenario::Instrument) -> crate::scenario::Programme {
        let mut p = crate::scenario::Programme {
            id: format!("p_{}", instrument.as_str()),
            instrument,
            start: 1,
            duration: 10,
            budget_per_round: 100.0,
            eligibility: Default::default(),
            selection: Default::default(),
            ranking_noise: 0.5,
            awareness: 1.0,
            take_up: 1.0,
            target_markets: None,
            target_distance: None,
            effect: None,
            max_per_firm: None,
            cost_per_firm: None,
            support_rounds: None,
            stand_cost: None,
            stand_size: None,
            subsidy_share: None,
            internalized: None,
        };
        p.fill_defaults();
        p
    }
}

/// Per-chunk work buffers, so the firm pass allocates nothing per firm.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Per market: sum of tie strength, as left by this round's network phase
    /// ([`network::tie_sums`]); learning and entry read it.
    pub ties: Vec<f64>,
    /// Markets that can learn or forget this round, as bits (see [`marked`]).
    pub marked: Vec<u64>,
    /// Markets whose knowledge counts as related knowledge, as bits.
    pub known_bits: Vec<u64>,
    /// Those markets with their knowledge at the start of learning.
    pub known: Vec<(usize, f64)>,
    /// Entry candidates: (surplus, market).
    pub candidates: Vec<(f64, usize)>,
    /// Per market: sales this round (0 where not served).
    pub sales: Vec<f64>,
    /// Per market: next round's adoption, while diffusion is computed.
    pub adoption: Vec<f64>,
    /// Per programme: money paid out by the chunk this round.
    pub spent: Vec<f64>,
    /// Per market: a newborn's standard normals, before they are correlated.
    pub normals: Vec<f64>,
}

impl Scratch {
    /// Buffers for `markets` foreign markets and `programmes` programmes.
    pub fn with_programmes(markets: usize, programmes: usize) -> Self {
        Scratch { spent: vec![0.0; programmes], ..Scratch::new(markets) }
    }

    /// Buffers for `markets` foreign markets and no programmes.
    pub fn new(markets: usize) -> Self {
        Scratch {
            ties: vec![0.0; markets],
            marked: vec![0; markets.div_ceil(64)],
            known_bits: vec![0; markets.div_ceil(64)],
            known: Vec::with_capacity(markets),
            candidates: Vec::with_capacity(markets),
            sales: vec![0.0; markets],
            adoption: vec![0.0; markets],
            spent: Vec::new(),
            normals: Vec::with_capacity(markets),
        }
    }
}
