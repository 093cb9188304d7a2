//! Survival analysis of spells measured in whole rounds (literature.md §5.2):
//! Kaplan-Meier with Greenwood variance and log-log bands, the discrete-time
//! hazard by age with Wilson intervals, and the Nelson-Aalen cumulative hazard.
//!
//! A duration d >= 1 means the observation either ended by an event after d
//! rounds or was right-censored after surviving d rounds; S(t) = P(T > t).
//! Censored spells are never counted as exits (literature.md §7).

use std::collections::BTreeMap;

/// Normal quantile for two-sided 95% intervals, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959963984540054;

/// Events and censorings per duration, the input of every estimator here.
///
/// Stored as counts rather than individual spells so that large simulations
/// and merged replications stay cheap.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Durations {
    /// duration -> (events, censored); never holds a (0, 0) entry, so equal
    /// samples compare equal however they were built.
    counts: BTreeMap<u32, (u64, u64)>,
}

impl Durations {
    /// An empty sample.
    pub fn new() -> Self {
        Self::default()
    }

    /// Record one observation; `event` false means right-censored after
    /// `duration` rounds. `duration` must be >= 1 (checked in debug builds).
    pub fn add(&mut self, duration: u32, event: bool) {
        if event {
            self.add_counts(duration, 1, 0);
        } else {
            self.add_counts(duration, 0, 1);
        }
    }

    /// Add `events` events and `censored` censorings at `duration` at once
    /// (used when merging counts). Adding nothing leaves the sample unchanged.
    pub fn add_counts(&mut self, duration: u32, events: u64, censored: u64) {
        debug_assert!(duration >= 1, "durations are whole rounds >= 1");
        if events == 0 && censored == 0 {
            return;
        }
        let entry = self.counts.entry(duration).or_insert((0, 0));
        entry.0 += events;
        entry.1 += censored;
    }

    /// Add all observations of `other`, e.g. to pool replications.
    pub fn merge(&mut self, other: &Durations) {
        for (&t, &(e, c)) in &other.counts {
            self.add_counts(t, e, c);
        }
    }

    /// Number of observations (events plus censorings).
    pub fn len(&self) -> u64 {
        self.counts.values().map(|&(e, c)| e + c).sum()
    }

    /// True when no observation has been recorded.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Risk table: (time, at risk, events, censored) per distinct duration,
    /// ascending; at risk = observations with duration >= time.
    fn risk_table(&self) -> Vec<(u32, u64, u64, u64)> {
        let mut at_risk = self.len();
        self.counts
            .iter()
            .map(|(&t, &(e, c))| {
                let row = (t, at_risk, e, c);
                at_risk -= e + c;
                row
            })
            .collect()
    }
}

/// One step of a Kaplan-Meier curve: the estimate just after `time`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KmStep {
    /// Duration in rounds.
    pub time: u32,
    /// Observations with duration >= `time`.
    pub at_risk: u64,
    /// Events at `time`.
    pub events: u64,
    /// Censorings at `time`.
    pub censored: u64,
    /// Ŝ(time).
    pub survival: f64,
    /// Greenwood standard error of Ŝ(time); 0 before the first event and once Ŝ = 0.
    pub std_err: f64,
    /// Lower end of the log-log 95% band.
    pub low: f64,
    /// Upper end of the log-log 95% band.
    pub high: f64,
}

/// Kaplan-Meier estimate with Greenwood variance and log-log 95% bands
/// (log-log keeps the band inside [0, 1], unlike Ŝ ± z·SE).
#[derive(Clone, Debug, PartialEq)]
pub struct KaplanMeier {
    /// One step per distinct duration with an event or a censoring, ascending.
    pub steps: Vec<KmStep>,
}

impl KaplanMeier {
    /// Estimate from `d`; ties are handled as is (many in discrete rounds).
    pub fn new(d: &Durations) -> Self {
        let mut survival = 1.0_f64;
        // Σ d_i / (n_i (n_i - d_i)) over event times so far.
        let mut greenwood = 0.0_f64;
        let mut reached_zero = false;
        let mut steps = Vec::with_capacity(d.counts.len());
        for (time, n, e, c) in d.risk_table() {
            if e > 0 && !reached_zero {
                if e == n {
                    // Everyone at risk failed: Ŝ = 0 from here on, and the
                    // Greenwood term d/(n(n-d)) is undefined, so stop adding.
                    reached_zero = true;
                    survival = 0.0;
                } else {
                    survival *= 1.0 - e as f64 / n as f64;
                    greenwood += e as f64 / (n as f64 * (n - e) as f64);
                }
            }
            let (std_err, low, high) = if reached_zero {
                (0.0, 0.0, 0.0)
            } else if greenwood == 0.0 {
                // No event yet: Ŝ = 1 is certain.
                (0.0, 1.0, 1.0)
            } else {
                let se_star = greenwood.sqrt() / survival.ln().abs();
                (
                    survival * greenwood.sqrt(),
                    survival.powf((Z95 * se_star).exp()),
                    survival.powf((-Z95 * se_star).exp()),
                )
            };
            // Censor-only steps leave Ŝ and the Greenwood sum unchanged, so
            // the band carries over unchanged as well.
            steps.push(KmStep { time, at_risk: n, events: e, censored: c, survival, std_err, low, high });
        }
        Self { steps }
    }

    /// Last step with `time <= t`, if any.
    fn step_at(&self, t: u32) -> Option<&KmStep> {
        let i = self.steps.partition_point(|s| s.time <= t);
        i.checked_sub(1).map(|i| &self.steps[i])
    }

    /// Ŝ(t): 1 before the first step; the step function's value at t (t >= 0);
    /// the last value beyond the last step.
    pub fn survival_at(&self, t: u32) -> f64 {
        self.step_at(t).map_or(1.0, |s| s.survival)
    }

    /// The log-log band (low, high) at t, read like `survival_at`;
    /// (1, 1) before the first event.
    pub fn band_at(&self, t: u32) -> (f64, f64) {
        self.step_at(t).map_or((1.0, 1.0), |s| (s.low, s.high))
    }

    /// Median duration: smallest t with Ŝ(t) <= 0.5, or None ("not reached").
    pub fn median(&self) -> Option<u32> {
        self.steps.iter().find(|s| s.survival <= 0.5).map(|s| s.time)
    }
}

/// Discrete-time hazard at one age with a Wilson 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HazardPoint {
    /// Age in rounds (>= 1).
    pub age: u32,
    /// n_a: observations with duration >= age, i.e. at risk at the start of the age.
    pub at_risk: u64,
    /// d_a: events at duration == age.
    pub events: u64,
    /// h(a) = d_a / n_a.
    pub hazard: f64,
    /// Lower end of the Wilson 95% interval.
    pub low: f64,
    /// Upper end of the Wilson 95% interval.
    pub high: f64,
}

/// h(a) = d_a / n_a for every age a = 1..=max duration with n_a > 0
/// (n_a = observations with duration >= a, d_a = events at duration a).
/// Censored observations count as at risk up to and including their last age.
/// Ages where nothing ends are included (h = 0), so duration dependence can be
/// read off directly.
pub fn hazard(d: &Durations) -> Vec<HazardPoint> {
    let Some(&max) = d.counts.keys().next_back() else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(max as usize);
    let mut at_risk = d.len();
    for age in 1..=max {
        let (events, censored) = d.counts.get(&age).copied().unwrap_or((0, 0));
        if at_risk > 0 {
            let (low, high) = wilson(events, at_risk, Z95);
            let hazard = events as f64 / at_risk as f64;
            out.push(HazardPoint { age, at_risk, events, hazard, low, high });
        }
        at_risk -= events + censored;
    }
    out
}

/// Wilson score interval for `k` successes in `n` trials at normal quantile
/// `z`; (0, 1) when n = 0. Preferred to the Wald interval because it stays in
/// [0, 1] and behaves at k = 0 or k = n, common for late ages.
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let z2 = z * z;
    let center = (k + z2 / 2.0) / (n + z2);
    let half = z * (k * (n - k) / n + z2 / 4.0).sqrt() / (n + z2);
    // Clamp away rounding just outside [0, 1] at k = 0 or k = n.
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// Nelson-Aalen cumulative hazard Ĥ(t) = Σ d_i / n_i over durations t_i <= t.
pub fn nelson_aalen(d: &Durations, t: u32) -> f64 {
    d.risk_table().into_iter().take_while(|&(time, ..)| time <= t).map(|(_, n, e, _)| e as f64 / n as f64).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// 6-MP treatment group (Freireich 1963; Kleinbaum & Klein): 21 patients,
    /// remission times in weeks, `false` = censored.
    fn six_mp() -> Durations {
        let data = [
            (6, true),
            (6, true),
            (6, true),
            (6, false),
            (7, true),
            (9, false),
            (10, true),
            (10, false),
            (11, false),
            (13, true),
            (16, true),
            (17, false),
            (19, false),
            (20, false),
            (22, true),
            (23, true),
            (25, false),
            (32, false),
            (32, false),
            (34, false),
            (35, false),
        ];
        let mut d = Durations::new();
        for (t, e) in data {
            d.add(t, e);
        }
        d
    }

    /// Small hand-made sample: 1, 1, 1(c), 2(c), 3, 3(c), 4.
    /// Age 2 has only a censoring; at age 4 the last one at risk fails.
    fn small() -> Durations {
        let mut d = Durations::new();
        for (t, e) in [(1, true), (1, true), (1, false), (2, false), (3, true), (3, false), (4, true)] {
            d.add(t, e);
        }
        d
    }

    #[test]
    fn kaplan_meier_matches_the_6mp_textbook_example() {
        let d = six_mp();
        assert_eq!(d.len(), 21);
        let km = KaplanMeier::new(&d);
        // Distinct durations: 6 7 9 10 11 13 16 17 19 20 22 23 25 32 34 35.
        assert_eq!(km.steps.len(), 16);
        let s6 = km.steps[0];
        assert_eq!((s6.time, s6.at_risk, s6.events, s6.censored), (6, 21, 3, 1));
        // Risk set at 13: 21 - 4 (t=6) - 1 (7) - 1 (9) - 2 (10) - 1 (11) = 12.
        let s13 = km.steps[5];
        assert_eq!((s13.time, s13.at_risk, s13.events), (13, 12, 1));

        // S(6)  = 18/21                  = 0.857
        // S(7)  = 0.8571 * 16/17         = 0.807
        // S(10) = 0.8067 * 14/15         = 0.753
        // S(13) = 0.7529 * 11/12         = 0.690
        // S(16) = 0.6902 * 10/11         = 0.627
        // S(22) = 0.6275 *  6/7          = 0.538
        // S(23) = 0.5378 *  5/6          = 0.448
        for (t, s) in [(6, 0.857), (7, 0.807), (10, 0.753), (13, 0.690), (16, 0.627), (22, 0.538), (23, 0.448)] {
            assert!(close(km.survival_at(t), s, 5e-4), "S({t}) = {}", km.survival_at(t));
        }
        // S drops to 0.448 <= 0.5 first at t = 23 (S(22) = 0.538 > 0.5).
        assert_eq!(km.median(), Some(23));

        // Greenwood, Σ d/(n(n-d)):
        //  t=6:  3/(21*18) = 0.0079365
        //        SE = 0.857143 * sqrt(0.0079365) = 0.857143 * 0.089087 = 0.07636 -> 0.076
        //  t=13: 0.0079365 + 1/(17*16) + 1/(15*14) + 1/(12*11)
        //        = 0.0079365 + 0.0036765 + 0.0047619 + 0.0075758 = 0.0239507
        //        SE = 0.690196 * sqrt(0.0239507) = 0.690196 * 0.154760 = 0.10681 -> 0.107
        //  t=23: 0.0239507 + 1/(11*10) + 1/(7*6) + 1/(6*5)
        //        = 0.0239507 + 0.0090909 + 0.0238095 + 0.0333333 = 0.0901844
        //        SE = 0.448179 * sqrt(0.0901844) = 0.448179 * 0.300307 = 0.13459 -> 0.135
        let se = |t| km.steps.iter().find(|s| s.time == t).unwrap().std_err;
        assert!(close(se(6), 0.076, 5e-4), "{}", se(6));
        assert!(close(se(13), 0.107, 5e-4), "{}", se(13));
        assert!(close(se(23), 0.135, 5e-4), "{}", se(23));

        // Log-log band at t=6: ln S = ln(6/7) = -0.154151,
        // se* = sqrt(0.0079365) / 0.154151 = 0.089087 / 0.154151 = 0.577922,
        // z se* = 1.959964 * 0.577922 = 1.132706,
        // low  = 0.857143^exp(+1.132706) = 0.857143^3.10405 = exp(-0.478491) = 0.620,
        // high = 0.857143^exp(-1.132706) = 0.857143^0.32216 = exp(-0.049661) = 0.952
        // (R survfit conf.type = "log-log" gives 0.620, 0.952).
        let (low, high) = km.band_at(6);
        assert!(close(low, 0.620, 5e-4), "{low}");
        assert!(close(high, 0.952, 5e-4), "{high}");

        for s in &km.steps {
            assert!(s.low <= s.survival && s.survival <= s.high, "{s:?}");
            assert!(0.0 <= s.low && s.high <= 1.0, "{s:?}");
        }
        // Censor-only step at 9 keeps survival, SE and band of step 7.
        let (s7, s9) = (km.steps[1], km.steps[2]);
        assert_eq!(s9.time, 9);
        assert_eq!((s9.survival, s9.std_err, s9.low, s9.high), (s7.survival, s7.std_err, s7.low, s7.high));
    }

    #[test]
    fn hazard_counts_censored_spells_as_at_risk_through_their_last_age() {
        // Sample 1, 1, 1(c), 2(c), 3, 3(c), 4:
        //  age 1: n = 7 (all),           d = 2, h = 2/7 = 0.285714
        //  age 2: n = 7 - 3 = 4,         d = 0, h = 0   (only a censoring ends)
        //  age 3: n = 4 - 1 = 3,         d = 1, h = 1/3
        //  age 4: n = 3 - 2 = 1,         d = 1, h = 1
        let h = hazard(&small());
        let got: Vec<_> = h.iter().map(|p| (p.age, p.at_risk, p.events)).collect();
        assert_eq!(got, vec![(1, 7, 2), (2, 4, 0), (3, 3, 1), (4, 1, 1)]);
        for (p, want) in h.iter().zip([2.0 / 7.0, 0.0, 1.0 / 3.0, 1.0]) {
            assert!(close(p.hazard, want, 1e-12), "{p:?}");
            assert!(p.low <= p.hazard && p.hazard <= p.high, "{p:?}");
        }

        // Wilson at age 1, k = 2, n = 7, z² = 3.841459:
        //  center = (2 + 1.920729) / 10.841459 = 0.361642
        //  half   = 1.959964 * sqrt(2*5/7 + 0.960365) / 10.841459
        //         = 1.959964 * sqrt(2.388936) / 10.841459
        //         = 1.959964 * 1.545618 / 10.841459 = 0.279423
        //  -> (0.082219, 0.641066)
        assert!(close(h[0].low, 0.082219, 1e-6), "{}", h[0].low);
        assert!(close(h[0].high, 0.641066, 1e-6), "{}", h[0].high);
        assert_eq!((h[0].low, h[0].high), wilson(2, 7, Z95));
        // k = 0 with n = 4: center = half = z²/2 / (4 + z²), so low is exactly 0.
        assert_eq!(h[1].low, 0.0);
        // k = n = 1: high is exactly 1.
        assert_eq!(h[3].high, 1.0);
        assert_eq!(wilson(0, 0, Z95), (0.0, 1.0));
    }

    #[test]
    fn hazard_includes_ages_where_nothing_ends() {
        // One spell failing at 3: at risk 1 at ages 1, 2, 3; events only at 3.
        let mut d = Durations::new();
        d.add(3, true);
        let got: Vec<_> = hazard(&d).iter().map(|p| (p.age, p.at_risk, p.events, p.hazard)).collect();
        assert_eq!(got, vec![(1, 1, 0, 0.0), (2, 1, 0, 0.0), (3, 1, 1, 1.0)]);
        assert!(hazard(&Durations::new()).is_empty());
    }

    #[test]
    fn nelson_aalen_on_the_small_sample() {
        // Ĥ(0) = 0, Ĥ(1) = 2/7 = 0.285714, Ĥ(2) = Ĥ(1) (censoring only),
        // Ĥ(3) = 2/7 + 1/3 = 0.619048, Ĥ(4) = Ĥ(3) + 1/1 = 1.619048 = Ĥ(99).
        let d = small();
        for (t, want) in [
            (0, 0.0),
            (1, 2.0 / 7.0),
            (2, 2.0 / 7.0),
            (3, 2.0 / 7.0 + 1.0 / 3.0),
            (4, 2.0 / 7.0 + 1.0 / 3.0 + 1.0),
            (99, 2.0 / 7.0 + 1.0 / 3.0 + 1.0),
        ] {
            assert!(close(nelson_aalen(&d, t), want, 1e-12), "H({t})");
        }
        assert_eq!(nelson_aalen(&Durations::new(), 5), 0.0);
    }

    #[test]
    fn survival_reaching_zero_has_a_zero_band_from_there_on() {
        // Small sample: S(1) = 5/7 = 0.714286, S(2) = S(1), S(3) = 5/7 * 2/3 = 0.476190,
        // S(4) = 0 (n = d = 1). Median 3.
        let km = KaplanMeier::new(&small());
        assert!(close(km.survival_at(1), 5.0 / 7.0, 1e-12));
        assert!(close(km.survival_at(2), 5.0 / 7.0, 1e-12));
        assert!(close(km.survival_at(3), 10.0 / 21.0, 1e-12));
        assert_eq!(km.median(), Some(3));
        let last = *km.steps.last().unwrap();
        assert_eq!((last.time, last.survival, last.std_err, last.low, last.high), (4, 0.0, 0.0, 0.0, 0.0));
        assert_eq!(km.survival_at(1000), 0.0);
        assert_eq!(km.band_at(1000), (0.0, 0.0));
        for s in &km.steps {
            assert!(s.std_err.is_finite() && s.low.is_finite() && s.high.is_finite(), "{s:?}");
        }
    }

    #[test]
    fn no_events_yet_means_survival_one_and_a_degenerate_band() {
        // Only censorings: S = 1 everywhere, band (1, 1), SE 0, median not reached.
        let mut d = Durations::new();
        d.add_counts(1, 0, 2);
        d.add_counts(2, 0, 3);
        let km = KaplanMeier::new(&d);
        assert_eq!(km.steps.len(), 2);
        for s in &km.steps {
            assert_eq!((s.survival, s.std_err, s.low, s.high), (1.0, 0.0, 1.0, 1.0));
        }
        assert_eq!(km.median(), None);

        // Censoring before the first event: (1, 1) at t = 1, then at t = 2
        // n = 3, d = 2: S = 1/3, Greenwood 2/(3*1), SE = 1/3 * sqrt(2/3) = 0.272166.
        let mut d = Durations::new();
        d.add(1, false);
        d.add(2, true);
        d.add(2, true);
        d.add(3, false);
        let km = KaplanMeier::new(&d);
        assert_eq!(km.band_at(1), (1.0, 1.0));
        assert_eq!(km.band_at(0), (1.0, 1.0));
        assert!(close(km.survival_at(2), 1.0 / 3.0, 1e-12));
        assert!(close(km.steps[1].std_err, (2.0f64 / 3.0).sqrt() / 3.0, 1e-12));
        // The censor-only step at 3 carries S and band over.
        assert_eq!(km.band_at(3), km.band_at(2));
        assert_eq!(km.survival_at(3), km.survival_at(2));
    }

    #[test]
    fn empty_input_has_no_steps() {
        let d = Durations::new();
        assert!(d.is_empty());
        assert_eq!(d.len(), 0);
        let km = KaplanMeier::new(&d);
        assert!(km.steps.is_empty());
        assert_eq!(km.survival_at(0), 1.0);
        assert_eq!(km.survival_at(10), 1.0);
        assert_eq!(km.band_at(10), (1.0, 1.0));
        assert_eq!(km.median(), None);
    }

    #[test]
    fn survival_at_reads_the_step_function_between_and_beyond_steps() {
        let km = KaplanMeier::new(&six_mp());
        // Before the first step (t < 6) S = 1; between 7 and 10 it stays S(7) = 16/17 * 6/7;
        // beyond the last step (35) it stays S(23) = 0.448179.
        assert_eq!(km.survival_at(0), 1.0);
        assert_eq!(km.survival_at(5), 1.0);
        assert_eq!(km.band_at(5), (1.0, 1.0));
        assert!(close(km.survival_at(8), 18.0 / 21.0 * 16.0 / 17.0, 1e-12));
        assert_eq!(km.survival_at(9), km.survival_at(7));
        assert_eq!(km.survival_at(1000), km.survival_at(23));
        assert_eq!(km.band_at(1000), km.band_at(23));
        assert!(close(km.survival_at(1000), 0.448179, 1e-6));
    }

    #[test]
    fn median_not_reached_when_survival_stays_above_half() {
        // 1, 2(c), 3(c): S(1) = 2/3 and nothing below.
        let mut d = Durations::new();
        d.add(1, true);
        d.add(2, false);
        d.add(3, false);
        let km = KaplanMeier::new(&d);
        assert!(close(km.survival_at(3), 2.0 / 3.0, 1e-12));
        assert_eq!(km.median(), None);
        // Exactly 0.5 counts as reached: 1, 2(c) -> S(1) = 1/2.
        let mut d = Durations::new();
        d.add(1, true);
        d.add(2, false);
        assert_eq!(KaplanMeier::new(&d).median(), Some(1));
    }

    #[test]
    fn merge_equals_adding_everything_to_one_sample() {
        let mut a = Durations::new();
        a.add(1, true);
        a.add(3, false);
        let mut b = Durations::new();
        b.add(1, false);
        b.add(2, true);
        b.add(3, false);
        let mut merged = a.clone();
        merged.merge(&b);
        let mut all = Durations::new();
        for (t, e) in [(1, true), (3, false), (1, false), (2, true), (3, false)] {
            all.add(t, e);
        }
        assert_eq!(merged, all);
        assert_eq!(merged.len(), 5);
        assert_eq!(KaplanMeier::new(&merged), KaplanMeier::new(&all));
        // Merging an empty sample or adding zero counts changes nothing.
        merged.merge(&Durations::new());
        merged.add_counts(7, 0, 0);
        assert_eq!(merged, all);
    }
}
