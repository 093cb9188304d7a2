//! How cost grows with size: a power law `time = a * size^b` fitted by least
//! squares on logarithms. An exponent of 1 means linear scaling; the
//! benchmarks of issue 8 report it for time against firm-rounds.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// A fitted power law `y = a * x^exponent`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PowerLaw {
    /// The exponent b (slope of ln y on ln x).
    pub exponent: f64,
    /// 95% interval of the exponent (equal to it with two points).
    pub low: f64,
    /// See `low`.
    pub high: f64,
    /// Share of the variance of ln y the fit explains.
    pub r2: f64,
    /// Number of points.
    pub n: usize,
}

/// Fit `y = a * x^b` to positive points; None with fewer than two distinct x.
pub fn power_law(points: &[(f64, f64)]) -> Option<PowerLaw> {
    let logs: Vec<(f64, f64)> =
        points.iter().filter(|(x, y)| *x > 0.0 && *y > 0.0).map(|(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len();
    let mean = |f: fn(&(f64, f64)) -> f64| logs.iter().map(f).sum::<f64>() / n as f64;
    let (mx, my) = (mean(|p| p.0), mean(|p| p.1));
    let sxx: f64 = logs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    if n < 2 || sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = logs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let syy: f64 = logs.iter().map(|(_, y)| (y - my).powi(2)).sum();
    let b = sxy / sxx;
    let residual = (syy - b * sxy).max(0.0);
    let r2 = if syy > 0.0 { 1.0 - residual / syy } else { 1.0 };
    let half = if n > 2 {
        let t = StudentsT::new(0.0, 1.0, (n - 2) as f64).expect("n > 2").inverse_cdf(0.975);
        t * (residual / (n - 2) as f64 / sxx).sqrt()
    } else {
        0.0
    };
    Some(PowerLaw { exponent: b, low: b - half, high: b + half, r2, n })
}

/// Median of `xs` (the mean of the middle two for an even count); NaN if empty.
pub fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exact_power_law_gives_back_its_exponent() {
        let pts: Vec<(f64, f64)> = [1e4f64, 1e5, 1e6, 1e7].iter().map(|x| (*x, 3e-7 * x.powf(1.2))).collect();
        let fit = power_law(&pts).unwrap();
        assert!((fit.exponent - 1.2).abs() < 1e-9, "{fit:?}");
        assert!((fit.r2 - 1.0).abs() < 1e-9 && (fit.high - fit.low).abs() < 1e-6);
    }

    #[test]
    fn noise_widens_the_interval_around_linear_scaling() {
        let pts = [(1e4, 0.011), (1e5, 0.098), (1e6, 1.03), (1e7, 9.7)];
        let fit = power_law(&pts).unwrap();
        assert!(fit.low < fit.exponent && fit.exponent < fit.high);
        assert!(fit.low < 1.0 && 1.0 < fit.high, "{fit:?}");
    }

    #[test]
    fn one_size_has_no_exponent() {
        assert!(power_law(&[(1e4, 1.0), (1e4, 1.1)]).is_none());
        assert!(power_law(&[]).is_none());
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }
}
