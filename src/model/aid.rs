//! The firm's side of policy: the support it holds and how that support enters
//! its decisions in the round's phases. Which firms get support is decided by
//! the institutions in [`crate::policy`]; this module only reads what a firm holds.
//!
//! Three kinds of support last beyond the round they are granted, as a [`Grant`]:
//! - an entry voucher pays `effect` of the sunk cost of entering a target
//!   market, up to what is left of the grant (seed 002 l.548-566): the firm
//!   weighs and pays only the rest, so the entry threshold falls;
//! - stay support pays `effect` of the fixed cost of served target markets
//!   (seed 002 l.1363-1408): profit rises and staying is worth more;
//! - export credit raises the credit line by `effect`; the programme
//!   guarantees it and pays what the firm owes beyond its own line if it dies
//!   while (or just after) holding it (seed 003 L1522; 004 l.755-776).
//!
//! Consultants lend absorptive capacity that is taken back when their help
//! ends, except the internalized share (seed 000, L1906-1924).

use super::Env;
use super::World;
use super::firm::Row;
use crate::scenario::{Instrument, ScenarioFile};

/// What the firm pass needs to know of programme p: its instrument, effect
/// size and target markets.
#[derive(Clone, Debug, PartialEq)]
pub struct Terms {
    /// The instrument.
    pub instrument: Instrument,
    /// Its effect size.
    pub effect: f64,
    /// Per foreign market (0-based): is it a target?
    pub targets: Vec<bool>,
}

/// The terms of every programme of `p`, in order, with target markets
/// resolved against the world (distance filter included).
pub fn terms(p: &ScenarioFile, world: &World) -> Vec<Terms> {
    p.policy
        .iter()
        .map(|prog| Terms {
            instrument: prog.instrument,
            effect: prog.effect.unwrap_or(prog.instrument.default_effect()),
            targets: target_mask(p, world, prog.target_markets.as_ref(), prog.target_distance),
        })
        .collect()
}

/// Per foreign market: is it among `targets` (default all) and within `distance`?
pub fn target_mask(
    p: &ScenarioFile,
    world: &World,
    targets: Option<&crate::scenario::Targets>,
    distance: Option<[f64; 2]>,
) -> Vec<bool> {
    let all = (0..world.foreign()).collect();
    let listed: Vec<usize> = targets.map_or(Ok(all), |t| t.resolve(&p.markets)).unwrap_or_default();
    (0..world.foreign())
        .map(|m| {
            let d = world.markets[m + 1].distance;
            listed.contains(&m) && distance.is_none_or(|[lo, hi]| (lo..=hi).contains(&d))
        })
        .collect()
}

/// Support that lasts several rounds: from programme `programme - 1` (0 = none),
/// valid through round `until`, with `left` still to pay out (or, for export
/// credit, the extra line).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Grant {
    /// Index of the granting programme plus one; 0 = no grant.
    pub programme: u8,
    /// Last round it is valid.
    pub until: u16,
    /// Money left to pay out; for export credit, the extra credit line.
    pub left: f64,
}

impl Grant {
    /// No grant.
    pub const NONE: Grant = Grant { programme: 0, until: 0, left: 0.0 };

    /// A grant of programme `index` from `round` for `rounds` rounds.
    pub fn new(index: usize, round: u32, rounds: u32, left: f64) -> Self {
        Grant { programme: index as u8 + 1, until: (round + rounds - 1).min(u32::from(u16::MAX)) as u16, left }
    }

    /// Is it valid in `round`?
    #[inline]
    pub fn active(&self, round: u32) -> bool {
        self.programme != 0 && round <= u32::from(self.until)
    }

    /// Index of the granting programme, if any.
    #[inline]
    pub fn index(&self) -> Option<usize> {
        (self.programme != 0).then(|| usize::from(self.programme) - 1)
    }
}

/// The support a firm holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Aid {
    /// Programmes (bit i = programme i) the firm has taken part in; each once.
    pub taken: u64,
    /// Regional innovation networks (bit j) the firm belongs to.
    pub rins: u8,
    /// Knows of every programme (reached by an awareness campaign or a RIN).
    pub informed: bool,
    /// Entry voucher.
    pub entry: Grant,
    /// Fixed-cost support.
    pub stay: Grant,
    /// Guaranteed extra credit line.
    pub credit: Grant,
    /// Absorptive capacity lent by consultants, taken back after `lent_until`.
    pub lent_acap: f32,
    /// Last round of the consultants' help.
    pub lent_until: u16,
}

impl Aid {
    /// No support.
    pub const NONE: Aid = Aid {
        taken: 0,
        rins: 0,
        informed: false,
        entry: Grant::NONE,
        stay: Grant::NONE,
        credit: Grant::NONE,
        lent_acap: 0.0,
        lent_until: 0,
    };
}

/// Book `amount` paid by programme `index` to the firm.
#[inline]
fn pay(row: &mut Row<'_>, spent: &mut [f64], index: usize, amount: f64) {
    spent[index] += amount;
    row.record.aid_received += amount;
}

/// What the firm's entry voucher would pay towards entering `m` this round.
#[inline]
pub fn entry_subsidy(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    let g = &row.aid.entry;
    match g.index() {
        Some(i) if g.active(env.round) && env.aid[i].targets[m] => {
            (env.aid[i].effect * env.market(m).entry_cost).min(g.left)
        }
        _ => 0.0,
    }
}

/// The voucher pays its part of entering `m`; returns it.
pub fn use_entry_subsidy(row: &mut Row<'_>, env: &Env<'_>, m: usize, spent: &mut [f64]) -> f64 {
    let paid = entry_subsidy(row, env, m);
    if let (Some(i), true) = (row.aid.entry.index(), paid > 0.0) {
        row.aid.entry.left -= paid;
        pay(row, spent, i, paid);
    }
    paid
}

/// What stay support pays towards the fixed cost of served market `m` this round.
#[inline]
pub fn stay_support(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    let g = &row.aid.stay;
    match g.index() {
        Some(i) if g.active(env.round) && env.aid[i].targets[m] => {
            (env.aid[i].effect * env.market(m).fixed_cost).min(g.left)
        }
        _ => 0.0,
    }
}

/// Stay support pays its part of `m`'s fixed cost; returns it.
pub fn use_stay_support(row: &mut Row<'_>, env: &Env<'_>, m: usize, spent: &mut [f64]) -> f64 {
    let paid = stay_support(row, env, m);
    if let (Some(i), true) = (row.aid.stay.index(), paid > 0.0) {
        row.aid.stay.left -= paid;
        pay(row, spent, i, paid);
    }
    paid
}

/// What stay support still promises for `m` after this round, within the
/// firm's horizon: the firm counts it when it weighs leaving.
pub fn stay_value(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    let g = &row.aid.stay;
    match g.index() {
        Some(i) if g.active(env.round + 1) && env.aid[i].targets[m] => {
            let rounds = f64::from(u32::from(g.until) - env.round).min(env.p.entry.horizon);
            (rounds * env.aid[i].effect * env.market(m).fixed_cost).min(g.left)
        }
        _ => 0.0,
    }
}

/// The guaranteed extra credit line in force this round.
#[inline]
pub fn extra_credit(row: &Row<'_>, env: &Env<'_>) -> f64 {
    if row.aid.credit.active(env.round) { row.aid.credit.left } else { 0.0 }
}

/// At the start of the firm's round: support whose time is over ends.
/// Consultants take back what was not internalized; unused vouchers lapse;
/// a guarantee ends once the firm is back within its own credit line (else
/// it stays on the books until the firm's death calls it).
pub fn expire(row: &mut Row<'_>, env: &Env<'_>) {
    let round = env.round;
    let aid = &mut *row.aid;
    if aid.lent_acap > 0.0 && round > u32::from(aid.lent_until) {
        *row.acap = (*row.acap - f64::from(aid.lent_acap)).max(0.0);
        aid.lent_acap = 0.0;
    }
    for g in [&mut aid.entry, &mut aid.stay] {
        if g.programme != 0 && !g.active(round) {
            *g = Grant::NONE;
        }
    }
    if aid.credit.programme != 0 && !aid.credit.active(round) && *row.cash >= -env.p.firms.credit_line {
        aid.credit = Grant::NONE;
    }
}

/// The firm dies: a guarantee it holds pays what it owes beyond its own credit line.
pub fn settle_at_death(row: &mut Row<'_>, env: &Env<'_>, spent: &mut [f64]) {
    if let Some(i) = row.aid.credit.index() {
        let owed = (-*row.cash - env.p.firms.credit_line).clamp(0.0, row.aid.credit.left);
        row.aid.credit = Grant::NONE;
        if owed > 0.0 {
            pay(row, spent, i, owed);
        }
    }
}

/// The firm takes part in programme `index` in `round`: recorded once.
pub fn mark_supported(row: &mut Row<'_>, index: Option<usize>, round: u32) {
    if let Some(i) = index {
        row.aid.taken |= 1 << i;
    }
    row.record.treated = true;
    row.record.first_support.get_or_insert(round);
}

/// Book a service's unit cost `amount` to programme `index` for this firm.
pub fn book(row: &mut Row<'_>, spent: &mut [f64], index: usize, amount: f64) {
    pay(row, spent, index, amount);
}
