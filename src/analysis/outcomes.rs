//! Outcomes read off a run's tables: firm lifetimes, export spells and markets
//! per exporter, for all firms or a selection of them (literature.md §5.1).
//!
//! Conventions: spells begun during burn-in are left out; a spell ended by the
//! firm's death counts as an exit event or as censoring, as asked; firms are
//! followed from birth if born in round `burn_in` or later (with no burn-in,
//! the initial population too: a product-launch cohort).

use super::survival::Durations;
use crate::model::{EndCause, Strategy};
use crate::output::read::RunTables;
use crate::output::tables::FirmRow;
use std::collections::{BTreeMap, HashMap};

/// A group of firms to analyse separately.
pub struct Selection {
    /// The grouping: `all`, `strategy`, `born_global` or `treated`.
    pub by: &'static str,
    /// The group within it, e.g. `waterfall`, `born global`, `gradual`.
    pub name: String,
    keep: Box<dyn Fn(&FirmRow) -> bool + Send + Sync>,
}

impl Selection {
    /// Every firm.
    pub fn all() -> Self {
        Selection { by: "all", name: "all".into(), keep: Box::new(|_| true) }
    }

    /// Does the firm belong to the group?
    pub fn keeps(&self, f: &FirmRow) -> bool {
        (self.keep)(f)
    }
}

/// All firms; each strategy when several are mixed; born globals and gradual
/// internationalizers; treated and untreated firms when some were treated.
pub fn selections(t: &RunTables) -> Vec<Selection> {
    let mut out = vec![Selection::all()];
    let strategies: Vec<Strategy> =
        Strategy::ALL.into_iter().filter(|s| t.firms.iter().any(|f| f.strategy == *s)).collect();
    if strategies.len() > 1 {
        for s in strategies {
            out.push(Selection { by: "strategy", name: s.as_str().into(), keep: Box::new(move |f| f.strategy == s) });
        }
    }
    out.push(Selection { by: "born_global", name: "born global".into(), keep: Box::new(|f| f.born_global == 1) });
    out.push(Selection { by: "born_global", name: "gradual".into(), keep: Box::new(|f| f.born_global == 0) });
    if t.firms.iter().any(|f| f.treated == 1) {
        out.push(Selection { by: "treated", name: "treated".into(), keep: Box::new(|f| f.treated == 1) });
        out.push(Selection { by: "treated", name: "untreated".into(), keep: Box::new(|f| f.treated == 0) });
    }
    out
}

/// Outcomes of one run, indexed for repeated questions.
pub struct Outcomes<'a> {
    /// The tables.
    pub t: &'a RunTables,
    /// Per spell, the row of its firm in `t.firms`.
    spell_firm: Vec<usize>,
    /// Spell rows sorted by (replication, firm, start).
    by_firm: Vec<usize>,
    /// Replications.
    pub replications: u32,
    /// Rounds simulated.
    pub rounds: u32,
    /// Rounds of burn-in.
    pub burn_in: u32,
}

/// What the summary, the survival table and the figures need of one group,
/// computed once.
pub struct GroupOutcomes {
    /// The group.
    pub sel: Selection,
    /// Firm lifetimes per replication (index rep - 1).
    pub firms: Vec<Durations>,
    /// Spell durations per replication, firm death counted as an exit.
    pub spells: Vec<Durations>,
    /// The same with firm death as censoring.
    pub spells_deaths_censored: Vec<Durations>,
    /// Exporter-rounds per number of markets, per replication.
    pub markets: Vec<BTreeMap<u32, u64>>,
}

impl<'a> Outcomes<'a> {
    /// Index the tables of `t`.
    pub fn new(t: &'a RunTables) -> Self {
        let firm_of: HashMap<(u32, u32), usize> =
            t.firms.iter().enumerate().map(|(i, f)| ((f.replication, f.firm), i)).collect();
        let spell_firm =
            t.spells.iter().map(|s| firm_of.get(&(s.replication, s.firm)).copied().unwrap_or(usize::MAX)).collect();
        let mut by_firm: Vec<usize> = (0..t.spells.len()).collect();
        by_firm.sort_by_key(|i| (t.spells[*i].replication, t.spells[*i].firm, t.spells[*i].start));
        let sim = &t.scenario.config().simulation;
        Outcomes { t, spell_firm, by_firm, replications: sim.replications, rounds: sim.rounds, burn_in: sim.burn_in }
    }

    /// Every group of [`selections`] with its outcomes, computed in parallel.
    pub fn groups(&self) -> Vec<GroupOutcomes> {
        use rayon::prelude::*;
        selections(self.t).into_par_iter().map(|sel| self.group(sel)).collect()
    }

    /// The outcomes of one group.
    pub fn group(&self, sel: Selection) -> GroupOutcomes {
        let kept: Vec<bool> = self.t.firms.iter().map(|f| sel.keeps(f)).collect();
        GroupOutcomes {
            firms: self.firm_durations(&kept),
            spells: self.spell_durations(&kept, true),
            spells_deaths_censored: self.spell_durations(&kept, false),
            markets: self.market_counts(&kept),
            sel,
        }
    }

    fn kept_spell(&self, kept: &[bool], i: usize) -> bool {
        kept.get(self.spell_firm[i]).copied().unwrap_or(false)
    }

    /// Spell durations per replication (index rep - 1) for spells begun after
    /// burn-in by kept firms; `death_is_event` decides how a firm's death counts.
    fn spell_durations(&self, kept: &[bool], death_is_event: bool) -> Vec<Durations> {
        let mut out = vec![Durations::new(); self.replications as usize];
        for (i, s) in self.t.spells.iter().enumerate() {
            if s.start <= self.burn_in || !self.kept_spell(kept, i) {
                continue;
            }
            let event = match s.end_cause {
                EndCause::Exit => true,
                EndCause::FirmDeath => death_is_event,
                EndCause::Censored => false,
            };
            out[s.replication as usize - 1].add(s.duration, event);
        }
        out
    }

    /// Firm lifetimes per replication for kept firms of the cohort:
    /// rounds from birth to death (an event) or to the end (censored).
    fn firm_durations(&self, kept: &[bool]) -> Vec<Durations> {
        let mut out = vec![Durations::new(); self.replications as usize];
        for f in self.t.firms.iter().zip(kept).filter(|(f, k)| **k && self.in_cohort(f)).map(|(f, _)| f) {
            let last = f.death.unwrap_or(self.rounds);
            out[f.replication as usize - 1].add(last - f.birth + 1, f.death.is_some());
        }
        out
    }

    /// Per replication: how many exporter-rounds after burn-in had k foreign
    /// markets, for kept firms (k -> count), rebuilt from spell coverage.
    fn market_counts(&self, kept: &[bool]) -> Vec<BTreeMap<u32, u64>> {
        let mut out = vec![BTreeMap::new(); self.replications as usize];
        let mut served = vec![0u32; self.rounds as usize + 1];
        let spells = &self.t.spells;
        for firm in self
            .by_firm
            .chunk_by(|a, b| (spells[*a].replication, spells[*a].firm) == (spells[*b].replication, spells[*b].firm))
        {
            if !self.kept_spell(kept, firm[0]) {
                continue;
            }
            served.fill(0);
            for s in firm.iter().map(|i| &spells[*i]) {
                for r in s.start.max(self.burn_in + 1)..=s.end {
                    served[r as usize] += 1;
                }
            }
            let hist = &mut out[spells[firm[0]].replication as usize - 1];
            for k in served.iter().filter(|k| **k > 0) {
                *hist.entry(*k).or_insert(0) += 1;
            }
        }
        out
    }

    /// Is the firm followed from birth: born in round `burn_in` or later?
    pub fn in_cohort(&self, f: &FirmRow) -> bool {
        f.birth >= self.burn_in
    }

    /// Selected firms followed from birth.
    pub fn cohort<'b>(&'b self, sel: &'b Selection) -> impl Iterator<Item = &'b FirmRow> + 'b {
        self.t.firms.iter().filter(move |f| self.in_cohort(f) && sel.keeps(f))
    }
}

/// Sum of several replications' counts.
pub fn pooled_counts(per_rep: &[BTreeMap<u32, u64>]) -> BTreeMap<u32, u64> {
    let mut all = BTreeMap::new();
    for h in per_rep {
        for (k, n) in h {
            *all.entry(*k).or_insert(0) += n;
        }
    }
    all
}

/// Sum of several replications' durations.
pub fn pooled_durations(per_rep: &[Durations]) -> Durations {
    let mut all = Durations::new();
    for d in per_rep {
        all.merge(d);
    }
    all
}

/// Complementary cumulative counts N(>=k) from counts per k.
pub fn ccdf(counts: &BTreeMap<u32, u64>) -> Vec<(u32, u64)> {
    let mut remaining: u64 = counts.values().sum();
    counts
        .iter()
        .map(|(k, n)| {
            let at_least = remaining;
            remaining -= n;
            (*k, at_least)
        })
        .collect()
}

/// Least-squares slope of ln N(>=k) on ln k over k >= 2; NaN with fewer than two points.
pub fn ccdf_slope(counts: &BTreeMap<u32, u64>) -> f64 {
    let pts: Vec<(f64, f64)> = ccdf(counts)
        .into_iter()
        .filter(|(k, n)| *k >= 2 && *n > 0)
        .map(|(k, n)| ((k as f64).ln(), (n as f64).ln()))
        .collect();
    if pts.len() < 2 {
        return f64::NAN;
    }
    let n = pts.len() as f64;
    let (mx, my) = (pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n);
    let sxy: f64 = pts.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = pts.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    sxy / sxx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ccdf_counts_firms_with_at_least_k_markets() {
        let counts: BTreeMap<u32, u64> = [(1, 60), (2, 25), (3, 10), (5, 5)].into_iter().collect();
        assert_eq!(ccdf(&counts), vec![(1, 100), (2, 40), (3, 15), (5, 5)]);
    }

    #[test]
    fn ccdf_slope_recovers_a_power_law() {
        // N(>=k) = 1000 k^-2 exactly at k = 2, 4, 8: counts per k are the differences.
        let counts: BTreeMap<u32, u64> = [(1, 750), (2, 187), (4, 47), (8, 16)].into_iter().collect();
        // N(>=2) = 250, N(>=4) = 63, N(>=8) = 16: slope close to -2.
        let slope = ccdf_slope(&counts);
        assert!((slope + 1.98).abs() < 0.02, "{slope}");
        assert!(ccdf_slope(&[(1, 5)].into_iter().collect()).is_nan());
    }
}
