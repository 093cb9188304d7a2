//! Distributions a scenario can name for a trait or a market property.

use rand::Rng;
use rand_distr::{Beta, Distribution, LogNormal, Normal, StandardNormal};
use serde::{Deserialize, Serialize};

/// A univariate distribution, written in TOML as a one-key inline table,
/// e.g. `eo = { beta = [2.0, 3.0] }` or `growth = { fixed = 0.0 }`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Dist {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[low, high]`.
    #[serde(deserialize_with = "pair")]
    Uniform([f64; 2]),
    /// Normal with `[mean, sd]`.
    #[serde(deserialize_with = "pair")]
    Normal([f64; 2]),
    /// Lognormal given by the `[mean, sd]` of the variable itself (not of its log).
    #[serde(deserialize_with = "pair")]
    Lognormal([f64; 2]),
    /// Beta with shape parameters `[a, b]`, on [0, 1].
    #[serde(deserialize_with = "pair")]
    Beta([f64; 2]),
}

/// Exactly two numbers: a longer array is an error, not silently cut.
pub fn pair<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[f64; 2], D::Error> {
    let v = Vec::<f64>::deserialize(d)?;
    <[f64; 2]>::try_from(v.as_slice()).map_err(|_| {
        let n = v.len();
        serde::de::Error::custom(format!(
            "found {n} number{}; allowed: an array of exactly 2 numbers",
            if n == 1 { "" } else { "s" }
        ))
    })
}

impl Dist {
    /// The smallest and largest value the distribution can produce.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Fixed(x) => (x, x),
            Dist::Uniform([lo, hi]) => (lo, hi),
            Dist::Normal(_) => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::Lognormal(_) => (0.0, f64::INFINITY),
            Dist::Beta(_) => (0.0, 1.0),
        }
    }

    /// Why the parameters are invalid, if they are.
    pub fn parameter_problem(&self) -> Option<String> {
        let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
        match *self {
            Dist::Fixed(x) if !x.is_finite() => Some("a finite number".into()),
            Dist::Uniform([lo, hi]) if !finite(&[lo, hi]) || lo > hi => {
                Some("`uniform = [low, high]` with low <= high".into())
            }
            Dist::Normal([m, sd]) if !finite(&[m, sd]) || sd < 0.0 => Some("`normal = [mean, sd]` with sd >= 0".into()),
            Dist::Lognormal([m, sd]) if !finite(&[m, sd]) || m <= 0.0 || sd < 0.0 => {
                Some("`lognormal = [mean, sd]` with mean > 0 and sd >= 0".into())
            }
            Dist::Beta([a, b]) if !finite(&[a, b]) || a <= 0.0 || b <= 0.0 => {
                Some("`beta = [a, b]` with a > 0 and b > 0".into())
            }
            _ => None,
        }
    }

    /// A sampler with its constants computed once. Call only on a validated `Dist`.
    pub fn sampler(&self) -> Sampler {
        match *self {
            Dist::Fixed(x) => Sampler::Fixed(x),
            Dist::Uniform([lo, hi]) => Sampler::Uniform(lo, hi - lo),
            Dist::Normal([m, sd]) => Sampler::Normal(Normal::new(m, sd).expect("validated")),
            Dist::Lognormal([mean, sd]) => {
                let (mu, sigma) = lognormal_params(mean, sd);
                Sampler::LogNormal(LogNormal::new(mu, sigma).expect("validated"))
            }
            Dist::Beta([a, b]) => Sampler::Beta(Beta::new(a, b).expect("validated")),
        }
    }

    /// The `p`-quantile, used to place stratified market sizes.
    pub fn quantile(&self, p: f64) -> f64 {
        let z = || standard_normal_quantile(p);
        match *self {
            Dist::Fixed(x) => x,
            Dist::Uniform([lo, hi]) => lo + p * (hi - lo),
            Dist::Normal([m, sd]) => m + sd * z(),
            Dist::Lognormal([mean, sd]) => {
                let (mu, sigma) = lognormal_params(mean, sd);
                (mu + sigma * z()).exp()
            }
            Dist::Beta([a, b]) => {
                use statrs::distribution::{Beta as SBeta, ContinuousCDF};
                SBeta::new(a, b).expect("validated").inverse_cdf(p)
            }
        }
    }
}

/// (mu, sigma) of ln X for a lognormal X with the given mean and sd.
fn lognormal_params(mean: f64, sd: f64) -> (f64, f64) {
    let s2 = (1.0 + (sd / mean).powi(2)).ln();
    (mean.ln() - s2 / 2.0, s2.sqrt())
}

fn standard_normal_quantile(p: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal as SNormal};
    SNormal::standard().inverse_cdf(p)
}

/// A ready-to-draw form of [`Dist`].
#[derive(Clone, Copy, Debug)]
pub enum Sampler {
    /// See [`Dist::Fixed`].
    Fixed(f64),
    /// Low and width.
    Uniform(f64, f64),
    /// See [`Dist::Normal`].
    Normal(Normal<f64>),
    /// See [`Dist::Lognormal`].
    LogNormal(LogNormal<f64>),
    /// See [`Dist::Beta`].
    Beta(Beta<f64>),
}

impl Sampler {
    /// One draw.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Sampler::Fixed(x) => *x,
            Sampler::Uniform(lo, w) => {
                let u: f64 = rand_distr::StandardUniform.sample(rng);
                lo + w * u
            }
            Sampler::Normal(d) => d.sample(rng),
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Beta(d) => d.sample(rng),
        }
    }
}

/// A standard normal draw.
#[inline]
pub fn std_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    StandardNormal.sample(rng)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_is_parameterised_by_its_own_mean_and_sd() {
        let d = Dist::Lognormal([1.0, 1.0]);
        let mut rng = crate::engine::rng::StreamKey::new(1, 1).stream(0, 0, crate::engine::rng::Purpose::World);
        let s = d.sampler();
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| s.sample(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!((mean - 1.0).abs() < 0.02, "mean {mean}");
        assert!((sd - 1.0).abs() < 0.06, "sd {sd}");
        assert!((d.quantile(0.5) - (-(2f64.ln()) / 2.0).exp()).abs() < 1e-9);
    }

    #[test]
    fn invalid_parameters_are_named() {
        assert!(Dist::Beta([0.0, 1.0]).parameter_problem().is_some());
        assert!(Dist::Uniform([2.0, 1.0]).parameter_problem().is_some());
        assert!(Dist::Normal([0.0, 1.0]).parameter_problem().is_none());
    }
}
