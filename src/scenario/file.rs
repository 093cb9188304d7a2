//! The scenario as written in TOML: every section, every key and its default.
//!
//! These types only describe shape and defaults; [`super::validate`] checks ranges
//! and consistency. Each struct denies unknown keys, so a misspelt key is an error
//! that lists the allowed ones.

use super::dist::Dist;
pub use super::policy::*;
use serde::{Deserialize, Serialize};

/// A whole scenario file. Top-level sections are merged with the parent's when
/// the file `extends` another; keys inside a section replace the parent's value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScenarioFile {
    /// Name of the scenario; the default output folder is `output/<name>/`.
    /// Default: the file name without `.toml`. Not inherited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Free text describing the scenario. Not inherited.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Path of a parent scenario, relative to this file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Population size, length, replications, seed.
    pub simulation: Simulation,
    /// The world: home market and foreign markets.
    pub markets: Markets,
    /// Firm traits at birth, finances and death.
    pub firms: Firms,
    /// Mix of entry strategies and their knobs.
    pub strategy: StrategyMix,
    /// Foreign ties: arrival, placement, decay, inbound orders.
    pub network: Network,
    /// Knowledge and absorptive capacity.
    pub learning: Learning,
    /// The entry decision.
    pub entry: Entry,
    /// Sales and profit in served markets.
    pub operations: Operations,
    /// Leaving markets, and outcome feedback.
    pub exit: Exit,
    /// The product taken abroad: diffusion and life cycle (off by default).
    pub product: Product,
    /// What is written besides the standard tables.
    pub output: Output,
    /// Support programmes (none in the baseline).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy: Vec<Programme>,
    /// Regional innovation networks (none in the baseline).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rin: Vec<Rin>,
    /// How a policy run is compared with its no-policy twin.
    pub evaluation: Evaluation,
}

impl ScenarioFile {
    /// Does the scenario run any programme or network?
    pub fn has_policy(&self) -> bool {
        !self.policy.is_empty() || !self.rin.is_empty()
    }
}

/// `[simulation]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Simulation {
    /// Firms alive at the start (and kept alive on average by replacement births).
    pub firms: u32,
    /// Rounds (years) simulated, burn-in included.
    pub rounds: u32,
    /// Early rounds, while the first population settles, to leave out of
    /// statistics. Every round is still written to the tables.
    pub burn_in: u32,
    /// Independent replications (different firms, same world).
    pub replications: u32,
    /// Master seed; with the replication it keys every random stream.
    pub seed: u64,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation { firms: 10_000, rounds: 60, burn_in: 20, replications: 10, seed: 1 }
    }
}

/// `[markets]`: the fixed world. Replications vary the firms, not the world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Markets {
    /// Number of foreign markets M (home is market 0).
    pub count: u32,
    /// Seed of the world; independent of the simulation seed, so the world stays
    /// fixed across replications and scenarios.
    pub seed: u64,
    /// Demand scale of a generated market.
    pub size: Dist,
    /// Place generated sizes at evenly spaced quantiles of `size` (in random order)
    /// rather than drawing them, so one market seed cannot give an odd world.
    pub stratified: bool,
    /// Demand growth per round of a generated market.
    pub growth: Dist,
    /// Psychic distance of a generated market from home, in [0, 1].
    pub distance: Dist,
    /// Share of demand taken by incumbents, in [0, 1).
    pub competition: Dist,
    /// Demand scale of the home market.
    pub home_size: f64,
    /// Competition at home.
    pub home_competition: f64,
    /// Per-round fixed cost of running the firm at home (overhead).
    pub home_fixed_cost: f64,
    /// Sunk entry cost K_m = entry_cost * (1 + entry_cost_distance * distance).
    pub entry_cost: f64,
    /// See `entry_cost`.
    pub entry_cost_distance: f64,
    /// Per-round fixed cost F_m = fixed_cost * (1 + fixed_cost_distance * distance).
    pub fixed_cost: f64,
    /// See `fixed_cost`.
    pub fixed_cost_distance: f64,
    /// Iceberg trade cost tau_m = 1 + trade_cost_distance * distance.
    pub trade_cost_distance: f64,
    /// Per-round chance that a strong rival enters a market (pre-emption).
    pub rival_hazard: f64,
    /// Range of similarity in psychic space: sim = exp(-|pos - pos'| / range).
    pub similarity_range: f64,
    /// Markets listed by name; they take ids 1..=len, the rest are generated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub list: Vec<ListedMarket>,
}

impl Default for Markets {
    fn default() -> Self {
        Markets {
            count: 30,
            seed: 2024,
            size: Dist::Lognormal([1.0, 1.0]),
            stratified: true,
            growth: Dist::Fixed(0.0),
            distance: Dist::Uniform([0.05, 1.0]),
            competition: Dist::Beta([2.0, 5.0]),
            home_size: 4.0,
            home_competition: 0.0,
            home_fixed_cost: 0.5,
            entry_cost: 1.7,
            entry_cost_distance: 1.0,
            fixed_cost: 0.3,
            fixed_cost_distance: 1.0,
            trade_cost_distance: 0.5,
            rival_hazard: 0.0,
            similarity_range: 0.3,
            list: Vec::new(),
        }
    }
}

/// `[[markets.list]]`: one named market. Unset costs follow the formulas in `[markets]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListedMarket {
    /// Name, e.g. "Netherlands".
    pub name: String,
    /// Demand scale.
    pub size: f64,
    /// Point in psychic space (home at the origin); distance = its norm, clipped to 1.
    #[serde(deserialize_with = "super::dist::pair")]
    pub position: [f64; 2],
    /// Demand growth per round.
    #[serde(default)]
    pub growth: f64,
    /// Share of demand taken by incumbents, in [0, 1).
    #[serde(default = "default_listed_competition")]
    pub competition: f64,
    /// Overrides the sunk entry cost formula.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_cost: Option<f64>,
    /// Overrides the fixed cost formula.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_cost: Option<f64>,
    /// Overrides the trade cost formula.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_cost: Option<f64>,
    /// Overrides `markets.rival_hazard`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rival_hazard: Option<f64>,
}

fn default_listed_competition() -> f64 {
    2.0 / 7.0
}

/// `[firms]`: traits at birth, finances, death.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Firms {
    /// Log productivity ln(phi) of a newborn.
    pub productivity: Dist,
    /// rho of the AR(1) in log productivity, in [0, 1).
    pub productivity_persistence: f64,
    /// sd of the yearly shock to log productivity.
    pub productivity_shock: f64,
    /// Entrepreneurial orientation at birth, in [0, 1].
    pub eo: Dist,
    /// Absorptive capacity at birth, in [0, 1].
    pub acap: Dist,
    /// General internationalization knowledge at birth (prior knowledge), in [0, 1].
    pub general_knowledge: Dist,
    /// Conscious use of the network, in [0, 1].
    pub net_use: Dist,
    /// Mean number (Poisson) of foreign markets a founder already knows.
    pub prior_markets: f64,
    /// Knowledge of each market a founder already knows, in [0, 1].
    pub prior_knowledge: f64,
    /// Cash of a newborn. Money is in units of a median firm's yearly gross
    /// profit at home (home sales / elasticity = 1 at the defaults).
    pub initial_cash: f64,
    /// How far cash may fall below zero: entries must keep cash above
    /// -credit_line, and a firm whose cash falls below it dies.
    pub credit_line: f64,
    /// Exogenous yearly death hazard.
    pub death_rate: f64,
    /// Each dead firm is replaced by a newborn in the next round.
    pub replace_dead: bool,
    /// Births per round on top of replacements.
    pub births_per_round: u32,
}

impl Default for Firms {
    fn default() -> Self {
        Firms {
            productivity: Dist::Normal([0.0, 0.25]),
            productivity_persistence: 0.9,
            productivity_shock: 0.1,
            eo: Dist::Beta([2.0, 3.0]),
            acap: Dist::Beta([2.0, 3.0]),
            general_knowledge: Dist::Beta([1.0, 4.0]),
            net_use: Dist::Beta([2.0, 2.0]),
            prior_markets: 0.3,
            prior_knowledge: 0.4,
            initial_cash: 2.0,
            credit_line: 1.0,
            death_rate: 0.07,
            replace_dead: true,
            births_per_round: 0,
        }
    }
}

/// `[strategy]`: who uses which entry strategy, and the strategies' knobs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StrategyMix {
    /// Shares of newborns per strategy; must sum to 1. A `shares` table replaces
    /// the parent's whole table (missing strategies get 0).
    pub shares: Shares,
    /// Waterfall and gradual firms enter a new market only when every market they
    /// serve has been served this many rounds and earns a profit.
    pub mature_rounds: u32,
    /// Most markets a sprinkler or network firm enters in one round.
    pub sprinkler_width: u32,
    /// Waterfall and gradual firms pay entries from their own cash only (no
    /// credit): income from earlier markets funds later ones (seed 003, L706-707).
    pub self_funded: bool,
    /// Psychic radius of a gradual (Uppsala) firm with no general knowledge.
    pub gradual_radius: f64,
    /// Growth of that radius with general knowledge: radius = r0 + growth * G.
    pub gradual_radius_growth: f64,
}

impl Default for StrategyMix {
    fn default() -> Self {
        StrategyMix {
            shares: Shares::default(),
            mature_rounds: 2,
            sprinkler_width: 5,
            self_funded: false,
            gradual_radius: 0.3,
            gradual_radius_growth: 0.7,
        }
    }
}

/// `[strategy.shares]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shares {
    /// One market after another.
    #[serde(default)]
    pub waterfall: f64,
    /// Many markets at once.
    #[serde(default)]
    pub sprinkler: f64,
    /// Uppsala: waterfall within a psychic radius that grows with knowledge.
    #[serde(default)]
    pub gradual: f64,
    /// Only markets where the firm has a tie or an order.
    #[serde(default)]
    pub network: f64,
}

impl Default for Shares {
    fn default() -> Self {
        Shares { waterfall: 0.25, sprinkler: 0.25, gradual: 0.25, network: 0.25 }
    }
}

/// `[network]`: foreign ties (Chaney 2014; seed 000 on strong and weak ties).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Network {
    /// New ties per round that every firm makes (lambda_0).
    pub tie_rate: f64,
    /// Extra new ties per round at full orientation (lambda_eo * eo).
    pub tie_rate_eo: f64,
    /// Share of new ties met through existing contacts, placed near their markets.
    pub remote_share: f64,
    /// theta: how fast direct contacts thin out with distance (weight size * exp(-d/theta)).
    pub distance_decay: f64,
    /// Strength of a new tie, in (0, 1].
    pub initial_strength: f64,
    /// Share of strength lost per round.
    pub tie_decay: f64,
    /// Strengthening per round of doing business in the tie's market.
    pub tie_growth: f64,
    /// Most ties a firm holds at once, at most one per market (seed 000: a firm
    /// keeps only 5-10 strong ties).
    pub max_ties: u32,
    /// Chance per round, per unit of tie strength, of an unsolicited order.
    pub order_rate: f64,
    /// Coupled capacity only: network use rises with absorptive capacity,
    /// omega = min(1, net_use + use_from_acap * acap).
    pub use_from_acap: f64,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            tie_rate: 0.05,
            tie_rate_eo: 0.3,
            remote_share: 0.5,
            distance_decay: 0.3,
            initial_strength: 0.3,
            tie_decay: 0.1,
            tie_growth: 0.2,
            max_ties: 10,
            order_rate: 0.2,
            use_from_acap: 0.5,
        }
    }
}

/// How absorptive capacity, networks and orientation combine (seed 000).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// The revised framework: the components reinforce each other.
    Coupled,
    /// The first framework: fixed components that each add to learning.
    Additive,
}

/// `[learning]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Learning {
    /// `coupled` (default) or `additive`.
    pub capacity: Capacity,
    /// e_exp: learning from serving a market.
    pub experience: f64,
    /// e_net: learning per unit of used tie strength in a market.
    pub network: f64,
    /// epsilon: learning possible with no related knowledge (small = lock-out).
    pub lockout: f64,
    /// psi: weight of general knowledge as related knowledge.
    pub general_weight: f64,
    /// Share of market knowledge lost per round while absent.
    pub decay: f64,
    /// Growth of general knowledge per unit of market knowledge gained.
    pub general_growth: f64,
    /// Coupled only: growth of absorptive capacity per round of exporting.
    pub acap_growth: f64,
    /// Coupled only: loss of absorptive capacity per round without exporting.
    pub acap_decay: f64,
    /// A market is visible once knowledge of it exceeds this.
    pub visible_threshold: f64,
}

impl Default for Learning {
    fn default() -> Self {
        Learning {
            capacity: Capacity::Coupled,
            experience: 0.5,
            network: 0.3,
            lockout: 0.1,
            general_weight: 0.5,
            decay: 0.1,
            general_growth: 0.1,
            acap_growth: 0.05,
            acap_decay: 0.02,
            visible_threshold: 0.15,
        }
    }
}

/// `[entry]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Entry {
    /// Rounds of profit a firm counts on when it weighs an entry.
    pub horizon: f64,
    /// sd of a firm's hidden appeal a_im of a market.
    pub appeal_sd: f64,
    /// Correlation of appeal between two very similar markets.
    pub appeal_correlation: f64,
    /// sd of the noise in the firm's signal of appeal with no market knowledge;
    /// it shrinks in proportion to (1 - knowledge).
    pub signal_sd: f64,
    /// Weight of the risk penalty distance * (1 - K) * (1 - trust) * (1 - eo) * entry cost.
    pub risk_weight: f64,
    /// Discount rate per round: a firm weighs profit s rounds ahead by
    /// 1 / (1 + r)^s, and firms' discounted profits in firms.csv use it.
    pub discount_rate: f64,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            horizon: 7.0,
            appeal_sd: 1.5,
            appeal_correlation: 0.5,
            signal_sd: 3.0,
            risk_weight: 1.0,
            discount_rate: 0.0,
        }
    }
}

/// `[operations]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Operations {
    /// sigma: elasticity of substitution (sales scale with phi^(sigma-1); profit = sales/sigma).
    pub elasticity: f64,
    /// kappa: share of full sales a firm makes with no market knowledge.
    pub knowledge_floor: f64,
    /// sd of the yearly log demand shock in each served market.
    pub demand_shock: f64,
    /// Share of sales a firm loses in a market a rival entered before it.
    pub rival_advantage: f64,
}

impl Default for Operations {
    fn default() -> Self {
        Operations { elasticity: 4.0, knowledge_floor: 0.5, demand_shock: 0.3, rival_advantage: 0.3 }
    }
}

/// `[exit]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Exit {
    /// Consecutive loss-making rounds a firm rides out in a market that pays in
    /// expectation, because the sunk cost is lost on exit.
    pub patience: u32,
    /// Share of orientation lost at a market exit (failure makes firms reactive).
    pub failure_eo: f64,
    /// Share of the gap to 1 gained when a market matures in profit.
    pub success_eo: f64,
}

impl Default for Exit {
    fn default() -> Self {
        Exit { patience: 2, failure_eo: 0.1, success_eo: 0.05 }
    }
}

/// `[product]`: the product a firm takes abroad, for product-launch studies
/// such as waterfall against sprinkler (Kalish, Mahajan & Muller 1995). Off by
/// default: every served market then buys at full demand from the first round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Product {
    /// Sales in a foreign market grow with the share of its potential adopters
    /// the firm has reached, by Bass diffusion from the round it enters.
    pub diffusion: bool,
    /// p: adoption per round from outside influence (Bass 1969).
    pub innovation: f64,
    /// q: adoption per round from earlier adopters.
    pub imitation: f64,
    /// delta: lead effect, extra adoption per round from adoption in similar
    /// markets: the home market (similarity exp(-distance / similarity_range))
    /// and the foreign markets the firm serves (max over them of similarity x
    /// adoption).
    pub lead: f64,
    /// p at home, where the product diffuses from launch (the firm's birth).
    /// Home adoption only feeds the lead effect: home sales are those of the
    /// firm's established business.
    pub home_innovation: f64,
    /// q at home.
    pub home_imitation: f64,
    /// Rounds after launch (the firm's birth) before foreign demand starts to
    /// fade; 0 = it never fades.
    pub life_cycle: u32,
    /// Share of foreign demand lost per round once the life cycle is over.
    pub fade: f64,
}

impl Default for Product {
    fn default() -> Self {
        Product {
            diffusion: false,
            innovation: 0.03,
            imitation: 0.38,
            lead: 0.0,
            home_innovation: 0.03,
            home_imitation: 0.38,
            life_cycle: 0,
            fade: 0.3,
        }
    }
}

/// `[output]`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Output {
    /// Also write `panel.csv` (one row per firm and round; large).
    pub panel: bool,
}
