//! Diversification of a firm's export sales across markets (literature.md §5.3):
//! Herfindahl-Hirschman index and entropy, raw, normalised and as
//! numbers-equivalents.

/// How a firm's export sales spread over the markets it serves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Diversification {
    /// Markets with positive sales, N.
    pub markets: usize,
    /// H = sum of squared shares, in [1/N, 1].
    pub hhi: f64,
    /// E = -sum s ln s, in [0, ln N].
    pub entropy: f64,
}

impl Diversification {
    /// The spread of the positive values in `sales` (zeros are ignored);
    /// no sales give N = 0, H = 0, E = 0.
    pub fn of(sales: &[f64]) -> Self {
        let total: f64 = sales.iter().filter(|s| **s > 0.0).sum();
        let mut d = Diversification { markets: 0, hhi: 0.0, entropy: 0.0 };
        if total <= 0.0 {
            return d;
        }
        for s in sales.iter().filter(|s| **s > 0.0) {
            let share = s / total;
            d.markets += 1;
            d.hhi += share * share;
            d.entropy -= share * share.ln();
        }
        d
    }

    /// H* = (H - 1/N) / (1 - 1/N) in [0, 1]; 1 for a single market (fully concentrated).
    pub fn hhi_normalised(&self) -> f64 {
        let n = self.markets as f64;
        if self.markets <= 1 { 1.0 } else { ((self.hhi - 1.0 / n) / (1.0 - 1.0 / n)).clamp(0.0, 1.0) }
    }

    /// 1 / H: the number of equal-sized markets with the same concentration.
    pub fn hhi_equivalent(&self) -> f64 {
        if self.hhi > 0.0 { 1.0 / self.hhi } else { 0.0 }
    }

    /// E / ln N in [0, 1]; 0 for a single market.
    pub fn entropy_normalised(&self) -> f64 {
        if self.markets <= 1 { 0.0 } else { (self.entropy / (self.markets as f64).ln()).clamp(0.0, 1.0) }
    }

    /// exp(E): the number of equal-sized markets with the same entropy.
    pub fn entropy_equivalent(&self) -> f64 {
        if self.markets == 0 { 0.0 } else { self.entropy.exp() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_market_is_fully_concentrated() {
        let d = Diversification::of(&[0.0, 3.0, 0.0]);
        assert_eq!((d.markets, d.hhi, d.entropy), (1, 1.0, 0.0));
        assert_eq!((d.hhi_normalised(), d.entropy_normalised()), (1.0, 0.0));
        assert_eq!((d.hhi_equivalent(), d.entropy_equivalent()), (1.0, 1.0));
    }

    #[test]
    fn equal_shares_give_one_over_n_and_log_n() {
        let d = Diversification::of(&[2.0, 2.0, 2.0, 2.0]);
        assert!((d.hhi - 0.25).abs() < 1e-12);
        assert!((d.entropy - 4f64.ln()).abs() < 1e-12);
        assert!(d.hhi_normalised().abs() < 1e-12, "equal shares are not concentrated at all");
        assert!((d.entropy_normalised() - 1.0).abs() < 1e-12);
        assert!((d.hhi_equivalent() - 4.0).abs() < 1e-12);
        assert!((d.entropy_equivalent() - 4.0).abs() < 1e-12);
    }

    #[test]
    fn concentration_lowers_entropy_and_the_equivalents() {
        let (even, skewed) = (Diversification::of(&[1.0, 1.0]), Diversification::of(&[9.0, 1.0]));
        assert!(skewed.hhi > even.hhi && skewed.entropy < even.entropy);
        assert!(skewed.hhi_equivalent() < 2.0 && skewed.entropy_equivalent() < 2.0);
        assert!(skewed.hhi_equivalent() > 1.0);
        // H = 0.82, H* = (0.82 - 0.5) / 0.5 = 0.64
        assert!((skewed.hhi_normalised() - 0.64).abs() < 1e-12);
    }

    #[test]
    fn no_sales_is_zero() {
        let d = Diversification::of(&[0.0, 0.0]);
        assert_eq!((d.markets, d.hhi, d.entropy, d.hhi_equivalent(), d.entropy_equivalent()), (0, 0.0, 0.0, 0.0, 0.0));
    }
}
