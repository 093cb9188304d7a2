//! `[[policy]]`, `[[rin]]` and `[evaluation]`: support programmes, regional
//! innovation networks and how their effect is measured against the no-policy
//! twin (seeds 002 and 004; `research/seed002_004.md` §3-4).
//!
//! An instrument's keys beyond the common ones depend on its kind; [`Instrument::keys`]
//! says which apply, validation rejects the others, and [`Programme::fill_defaults`]
//! writes the defaults of those that apply into the resolved scenario.

use serde::{Deserialize, Serialize};

/// `[[policy]]`: one programme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// Name in outputs (`programmes.csv`).
    pub id: String,
    /// What the programme gives.
    pub instrument: Instrument,
    /// First round of selection (1-based).
    #[serde(default = "one")]
    pub start: u32,
    /// Rounds in which participants are selected.
    pub duration: u32,
    /// Money the programme may commit per round (grants at their ceiling,
    /// services at their unit cost); unspent money does not carry over.
    pub budget_per_round: f64,
    /// Who may take part.
    #[serde(default)]
    pub eligibility: Eligibility,
    /// How participants are chosen among applicants when the budget is short.
    #[serde(default)]
    pub selection: Selection,
    /// `ranked` only: sd of the agency's error in judging potential, in units of
    /// the applicants' spread of log productivity (0 = it picks the best).
    #[serde(default = "half")]
    pub ranking_noise: f64,
    /// Share of eligible firms that know of the programme (an awareness
    /// campaign or a RIN reaches the others).
    #[serde(default = "unity")]
    pub awareness: f64,
    /// Share of eligible firms that know of it and apply.
    #[serde(default = "unity")]
    pub take_up: f64,
    /// Foreign markets the programme works in: `"all"`, or a list of market
    /// ids (1 = the first foreign market) or names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_markets: Option<Targets>,
    /// Keep only target markets whose psychic distance lies in `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_distance: Option<[f64; 2]>,
    /// The effect size; its meaning depends on the instrument (see [`Instrument`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<f64>,
    /// Grants: the most a firm may receive from one grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_firm: Option<f64>,
    /// Services: what serving one firm costs the programme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_firm: Option<f64>,
    /// How many rounds a grant or a consultant's help lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_rounds: Option<u32>,
    /// Trade fairs: cost of one stand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stand_cost: Option<f64>,
    /// Trade fairs: firms sharing a stand (1 = an own stand; 10 = a joint stand, 004 l.1443).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stand_size: Option<u32>,
    /// Trade fairs: share of a participant's stand cost the programme pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsidy_share: Option<f64>,
    /// Training and consultants: share of the capacity gained that stays
    /// after the help ends (seed 000's internalization share iota).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internalized: Option<f64>,
}

fn one() -> u32 {
    1
}

fn half() -> f64 {
    0.5
}

fn unity() -> f64 {
    1.0
}

/// The instruments of seeds 002-004 (`research/seed002_004.md` §3.1). What
/// `effect` means for each is in [`Instrument::effect_meaning`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// Pays a share of the sunk entry cost in target markets.
    EntrySubsidy,
    /// Pays a share of the per-round fixed cost of served target markets
    /// (sustaining rather than starting).
    StaySupport,
    /// Knowledge of the target markets.
    MarketInformation,
    /// New ties in target markets from a stand whose cost participants share.
    TradeFair,
    /// Introductions that become ties in target markets.
    NetworkBrokering,
    /// A larger credit line, guaranteed by the programme.
    ExportCredit,
    /// Absorptive capacity that lasts (hiring or training).
    Training,
    /// Absorptive capacity while the consultants are there; part of it fades.
    Consultants,
    /// Orientation, and awareness of every programme.
    AwarenessCampaign,
}

/// Keys of a programme that only some instruments use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// `target_markets` and `target_distance`.
    Targets,
    /// `max_per_firm`.
    MaxPerFirm,
    /// `cost_per_firm`.
    CostPerFirm,
    /// `support_rounds`.
    SupportRounds,
    /// `stand_cost`, `stand_size`, `subsidy_share`.
    Stand,
    /// `internalized`.
    Internalized,
}

impl Instrument {
    /// Every instrument, in documentation order.
    pub const ALL: [Instrument; 9] = [
        Instrument::EntrySubsidy,
        Instrument::StaySupport,
        Instrument::MarketInformation,
        Instrument::TradeFair,
        Instrument::NetworkBrokering,
        Instrument::ExportCredit,
        Instrument::Training,
        Instrument::Consultants,
        Instrument::AwarenessCampaign,
    ];

    /// The name used in scenarios and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::EntrySubsidy => "entry_subsidy",
            Instrument::StaySupport => "stay_support",
            Instrument::MarketInformation => "market_information",
            Instrument::TradeFair => "trade_fair",
            Instrument::NetworkBrokering => "network_brokering",
            Instrument::ExportCredit => "export_credit",
            Instrument::Training => "training",
            Instrument::Consultants => "consultants",
            Instrument::AwarenessCampaign => "awareness_campaign",
        }
    }

    /// The optional keys this instrument uses.
    pub fn keys(self) -> &'static [Key] {
        use Key::*;
        match self {
            Instrument::EntrySubsidy | Instrument::StaySupport => &[Targets, MaxPerFirm, SupportRounds],
            Instrument::MarketInformation | Instrument::NetworkBrokering => &[Targets, CostPerFirm],
            Instrument::TradeFair => &[Targets, Stand],
            Instrument::ExportCredit => &[SupportRounds],
            Instrument::Training | Instrument::Consultants => &[CostPerFirm, SupportRounds, Internalized],
            Instrument::AwarenessCampaign => &[CostPerFirm],
        }
    }

    /// Default effect size (placeholders of `research/seed002_004.md` §3.1 in
    /// this model's units: money in a median firm's yearly home profit).
    pub fn default_effect(self) -> f64 {
        match self {
            Instrument::EntrySubsidy | Instrument::StaySupport => 0.5,
            Instrument::MarketInformation => 0.5,
            Instrument::TradeFair => 1.0,
            Instrument::NetworkBrokering => 0.5,
            Instrument::ExportCredit => 1.0,
            Instrument::Training | Instrument::Consultants => 0.1,
            Instrument::AwarenessCampaign => 0.1,
        }
    }

    /// What `effect` means, and its allowed range (low, high).
    pub fn effect_meaning(self) -> (&'static str, f64, f64) {
        match self {
            Instrument::EntrySubsidy => ("share of the sunk entry cost paid", 0.0, 1.0),
            Instrument::StaySupport => ("share of the per-round fixed cost paid", 0.0, 1.0),
            Instrument::MarketInformation => {
                ("share of the gap to full knowledge of each target market closed, times capacity", 0.0, 1.0)
            }
            Instrument::TradeFair => ("mean new ties per participant", 0.0, 10.0),
            Instrument::NetworkBrokering => ("mean new ties per participant", 0.0, 10.0),
            Instrument::ExportCredit => ("extra credit line", 0.0, 1e6),
            Instrument::Training | Instrument::Consultants => {
                ("share of the gap to full absorptive capacity closed", 0.0, 1.0)
            }
            Instrument::AwarenessCampaign => ("share of the gap to full orientation closed", 0.0, 1.0),
        }
    }
}

impl Programme {
    /// Write the defaults of the optional keys this instrument uses, so the
    /// resolved scenario shows every value in force.
    pub fn fill_defaults(&mut self) {
        let kind = self.instrument;
        self.effect.get_or_insert(kind.default_effect());
        for key in kind.keys() {
            match key {
                Key::Targets => {
                    self.target_markets.get_or_insert(Targets::Word("all".into()));
                }
                Key::MaxPerFirm => {
                    self.max_per_firm.get_or_insert(if kind == Instrument::EntrySubsidy { 2.0 } else { 1.0 });
                }
                Key::CostPerFirm => {
                    self.cost_per_firm.get_or_insert(match kind {
                        Instrument::AwarenessCampaign => 0.01,
                        Instrument::Training => 0.3,
                        _ => 0.1,
                    });
                }
                Key::SupportRounds => {
                    self.support_rounds.get_or_insert(match kind {
                        Instrument::Training => 1,
                        Instrument::Consultants => 2,
                        _ => 3,
                    });
                }
                Key::Stand => {
                    self.stand_cost.get_or_insert(1.0);
                    self.stand_size.get_or_insert(10);
                    self.subsidy_share.get_or_insert(0.5);
                }
                Key::Internalized => {
                    self.internalized.get_or_insert(if kind == Instrument::Training { 1.0 } else { 0.3 });
                }
            }
        }
    }
}

/// How participants are chosen among applicants (seed 002, l.1551-1569).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// In order of application: proactive (high-orientation) firms apply first.
    #[default]
    FirstCome,
    /// At random: broad support.
    Lottery,
    /// On the agency's noisy judgement of potential: picking winners.
    Ranked,
}

/// Target markets: `"all"` or a list of market ids or names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged, expecting = "allowed: \"all\" or a list of market ids (1 = the first foreign market) or names")]
pub enum Targets {
    /// `"all"`.
    Word(String),
    /// Market ids (1 = the first foreign market) or names.
    List(Vec<MarketRef>),
}

/// One market named in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged, expecting = "allowed: a market id (1 = the first foreign market) or a market name")]
pub enum MarketRef {
    /// Market id (1 = the first foreign market).
    Id(u32),
    /// Market name (`[[markets.list]]`, or `m<id>` for a generated market).
    Name(String),
}

/// An exporter status a programme may target (seed 002's three strands, l.62-72).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExporterStatus {
    /// Serves no foreign market.
    NonExporter,
    /// Serves one, and first exported in the last three rounds.
    NewExporter,
    /// Serves one, and first exported earlier.
    Experienced,
}

/// Who may take part; every condition given must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// Productivity phi in `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub productivity: Option<[f64; 2]>,
    /// Size (home sales this round at the firm's productivity) in `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<[f64; 2]>,
    /// Age in rounds in `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<[u32; 2]>,
    /// Exporter statuses admitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exporter: Option<Vec<ExporterStatus>>,
    /// Entrepreneurial orientation in `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eo: Option<[f64; 2]>,
    /// Members (true) or non-members (false) of any regional innovation network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rin_member: Option<bool>,
}

/// `[[rin]]`: a regional innovation network (seed 004; `research/seed002_004.md` §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rin {
    /// Name in outputs.
    pub id: String,
    /// First round it runs.
    #[serde(default = "one")]
    pub start: u32,
    /// Rounds it runs.
    pub duration: u32,
    /// Public money per round; services run in `services` order while it
    /// covers their cost for every active member.
    pub funding_per_round: f64,
    /// Who may join.
    #[serde(default)]
    pub eligibility: Eligibility,
    /// Share of eligible firms that join.
    #[serde(default = "rin_take_up")]
    pub take_up: f64,
    /// Chance per round that a member takes part in the services (most members
    /// are dormant or occasional, 004 l.1695-1707, 1816).
    #[serde(default = "rin_engagement")]
    pub engagement: f64,
    /// The markets the network works on: `"all"` or a list.
    #[serde(default = "all_markets")]
    pub target_markets: Targets,
    /// Keep only target markets whose psychic distance lies in `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_distance: Option<[f64; 2]>,
    /// Services in order of priority; the funding decides how many run.
    #[serde(default = "all_services")]
    pub services: Vec<ServiceKind>,
    /// Information on the target markets.
    #[serde(default = "information")]
    pub information: Service,
    /// Cooperation among members: knowledge spill-over from exporting members.
    #[serde(default = "cooperation")]
    pub cooperation: Service,
    /// Brokering ties with partners abroad, used less by firms with ties of their own.
    #[serde(default = "brokering")]
    pub brokering: Service,
    /// Joint stands at fairs abroad: participants share the stand's cost.
    #[serde(default = "joint_stands")]
    pub joint_stands: Service,
    /// Brokering: use falls as exp(-own_network * the member's tie strength)
    /// (004 l.2204-2245: firms with networks of their own find partners themselves).
    #[serde(default = "unity")]
    pub own_network: f64,
    /// Joint stands: cost of one stand.
    #[serde(default = "unity")]
    pub stand_cost: f64,
    /// Joint stands: members sharing a stand.
    #[serde(default = "ten")]
    pub stand_size: u32,
}

fn rin_take_up() -> f64 {
    0.3
}

fn rin_engagement() -> f64 {
    0.25
}

fn ten() -> u32 {
    10
}

fn all_markets() -> Targets {
    Targets::Word("all".into())
}

fn all_services() -> Vec<ServiceKind> {
    vec![ServiceKind::Information, ServiceKind::Cooperation, ServiceKind::Brokering, ServiceKind::JointStands]
}

fn information() -> Service {
    Service { cost: 0.05, effect: 0.3 }
}

fn cooperation() -> Service {
    Service { cost: 0.02, effect: 0.1 }
}

fn brokering() -> Service {
    Service { cost: 0.1, effect: 0.5 }
}

fn joint_stands() -> Service {
    Service { cost: 0.05, effect: 1.0 }
}

/// The services of a RIN (004 §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// Information on chosen markets.
    Information,
    /// Cooperation among members with knowledge spill-over.
    Cooperation,
    /// Brokering ties abroad.
    Brokering,
    /// Joint stands at fairs.
    JointStands,
}

impl ServiceKind {
    /// The name used in scenarios.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Information => "information",
            ServiceKind::Cooperation => "cooperation",
            ServiceKind::Brokering => "brokering",
            ServiceKind::JointStands => "joint_stands",
        }
    }
}

/// One service: what serving one active member costs per round, and its effect size
/// (information: share of the gap to full knowledge of each target market
/// closed, times capacity, as a programme's;
/// cooperation: share of the gap to exporting members' general knowledge
/// closed; brokering and joint stands: mean new ties per member served).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Cost per active member served per round (staff time), paid from the funding.
    pub cost: f64,
    /// Effect size.
    pub effect: f64,
}

impl Rin {
    /// The service of `kind`.
    pub fn service(&self, kind: ServiceKind) -> &Service {
        match kind {
            ServiceKind::Information => &self.information,
            ServiceKind::Cooperation => &self.cooperation,
            ServiceKind::Brokering => &self.brokering,
            ServiceKind::JointStands => &self.joint_stands,
        }
    }
}

/// `[evaluation]`: how a policy run is compared with its no-policy twin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Evaluation {
    /// Rounds after the last round of support at which surviving exporters
    /// are counted; also how long after its first support a firm is followed
    /// to judge deadweight.
    pub horizon: u32,
}

impl Default for Evaluation {
    fn default() -> Self {
        Evaluation { horizon: 5 }
    }
}

impl Targets {
    /// The foreign markets (0-based) named, given the scenario's markets and an
    /// optional distance filter applied later by the caller; an error says which
    /// name or id is unknown and what is allowed.
    pub fn resolve(&self, markets: &super::Markets) -> Result<Vec<usize>, String> {
        let count = markets.count as usize;
        match self {
            Targets::Word(w) if w == "all" => Ok((0..count).collect()),
            Targets::Word(w) => {
                Err(format!("{w:?} is not a market list; allowed: \"all\" or a list of market ids or names"))
            }
            Targets::List(list) if list.is_empty() => {
                Err("the list is empty; allowed: \"all\" or a non-empty list of market ids or names".into())
            }
            Targets::List(list) => {
                let mut ids = Vec::with_capacity(list.len());
                for m in list {
                    let id = match m {
                        MarketRef::Id(id) => Some(*id as usize).filter(|id| (1..=count).contains(id)),
                        MarketRef::Name(name) => market_by_name(name, markets),
                    };
                    let Some(id) = id else {
                        return Err(format!(
                            "there is no foreign market {}; allowed: ids 1 to {count}, names of [[markets.list]] or m<id>",
                            match m {
                                MarketRef::Id(id) => id.to_string(),
                                MarketRef::Name(name) => format!("{name:?}"),
                            }
                        ));
                    };
                    if !ids.contains(&(id - 1)) {
                        ids.push(id - 1);
                    }
                }
                ids.sort_unstable();
                Ok(ids)
            }
        }
    }
}

/// The id (1-based) of the foreign market called `name`.
fn market_by_name(name: &str, markets: &super::Markets) -> Option<usize> {
    if let Some(i) = markets.list.iter().position(|m| m.name == name) {
        return Some(i + 1);
    }
    let id: usize = name.strip_prefix('m')?.parse().ok()?;
    (id > markets.list.len() && id <= markets.count as usize).then_some(id)
}
