//! Figures over replications: mean and 95% interval (Student t), the headline
//! uncertainty of a stochastic model (literature.md §5.2).

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Mean and 95% confidence interval of a statistic over replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Mean over replications.
    pub mean: f64,
    /// Lower end of the 95% interval (equal to the mean with one replication).
    pub low: f64,
    /// Upper end of the 95% interval.
    pub high: f64,
    /// Number of replications.
    pub n: usize,
}

/// Mean and t-interval of `values` (NaNs are skipped); None if there are none.
pub fn interval(values: &[f64]) -> Option<Interval> {
    let xs: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    let n = xs.len();
    if n == 0 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Some(Interval { mean, low: mean, high: mean, n });
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64).expect("n >= 2").inverse_cdf(0.975);
    let half = t * (var / n as f64).sqrt();
    Some(Interval { mean, low: mean - half, high: mean + half, n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_matches_a_hand_computed_t_interval() {
        // mean 2, sd 1, n 3: half width = 4.302653 / sqrt(3)
        let i = interval(&[1.0, 2.0, 3.0]).unwrap();
        assert!((i.mean - 2.0).abs() < 1e-12);
        assert!((i.high - 2.0 - 4.302_652_73 / 3f64.sqrt()).abs() < 1e-6);
    }

    #[test]
    fn one_value_has_no_width_and_none_has_no_interval() {
        assert_eq!(interval(&[5.0]).unwrap().low, 5.0);
        assert!(interval(&[]).is_none());
    }
}
