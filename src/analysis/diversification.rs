//! Diversification of a firm's export sales across markets
//! (literature.md §5.3): Herfindahl-Hirschman index and entropy.

/// HHI and entropy of the positive values in `sales` (zeros are ignored).
/// One market gives (1, 0); n equal markets give (1/n, ln n). No sales give (0, 0).
pub fn hhi_entropy(sales: &[f64]) -> (f64, f64) {
    let total: f64 = sales.iter().filter(|s| **s > 0.0).sum();
    if total <= 0.0 {
        return (0.0, 0.0);
    }
    sales.iter().filter(|s| **s > 0.0).fold((0.0, 0.0), |(h, e), s| {
        let share = s / total;
        (h + share * share, e - share * share.ln())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_market_is_fully_concentrated() {
        assert_eq!(hhi_entropy(&[0.0, 3.0, 0.0]), (1.0, 0.0));
    }

    #[test]
    fn equal_shares_give_one_over_n_and_log_n() {
        let (h, e) = hhi_entropy(&[2.0, 2.0, 2.0, 2.0]);
        assert!((h - 0.25).abs() < 1e-12);
        assert!((e - 4f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn concentration_lowers_entropy() {
        let (h1, e1) = hhi_entropy(&[1.0, 1.0]);
        let (h2, e2) = hhi_entropy(&[9.0, 1.0]);
        assert!(h2 > h1 && e2 < e1);
    }

    #[test]
    fn no_sales_is_zero() {
        assert_eq!(hhi_entropy(&[0.0, 0.0]), (0.0, 0.0));
    }
}
