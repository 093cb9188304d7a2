//! The product a firm takes abroad (Kalish, Mahajan & Muller 1995; Bass 1969):
//! in each foreign market it serves, the share of potential adopters reached
//! grows by Bass diffusion, faster where the firm already sells in similar
//! markets (the lead effect); after its life cycle, foreign demand fades.
//! Both are off by default (`[product]`), and then demand is full at once.

use super::Env;
use super::firm::Row;
use crate::scenario::Product;

/// Adoption after one more round of diffusion from `a`, with lead `lead`:
/// `a + (p + q a + delta lead) (1 - a)`.
pub fn bass_step(a: f64, p: &Product, lead: f64) -> f64 {
    (a + (p.innovation + p.imitation * a + p.lead * lead) * (1.0 - a)).min(1.0)
}

/// Adoption at home `age` rounds after launch: the closed-form Bass curve
/// F(t) = (1 - e^-(p+q)t) / (1 + (q/p) e^-(p+q)t), t = age + 1.
pub fn home_adoption(p: &Product, age: u32) -> f64 {
    let (pi, qi) = (p.home_innovation, p.home_imitation);
    if pi <= 0.0 {
        return 0.0;
    }
    let decay = (-(pi + qi) * f64::from(age + 1)).exp();
    (1.0 - decay) / (1.0 + qi / pi * decay)
}

/// The lead market `m` gets: the largest similarity x adoption over the home
/// market and the foreign markets the firm serves (KMM's delta N_H / m_H,
/// extended to similar markets).
pub fn lead(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    let p = &env.p.product;
    let home = env.home_similarity[m] * home_adoption(p, env.round - *row.birth);
    let similarity = env.world.similarity_row(m);
    row.served()
        .filter(|k| *k != m && row.adoption[*k] > 0)
        .map(|k| similarity[k] * row.adoption(k))
        .fold(home, f64::max)
}

/// One round of diffusion in every market the firm serves; adoption is lost
/// where it no longer serves. Leads are read before any market moves.
pub fn diffuse(row: &mut Row<'_>, env: &Env<'_>, next: &mut [f64]) {
    let p = &env.p.product;
    if !p.diffusion {
        return;
    }
    for (m, a) in next.iter_mut().enumerate() {
        *a = if row.present(m) { bass_step(row.adoption(m), p, lead(row, env, m)) } else { 0.0 };
    }
    for (m, a) in next.iter().enumerate() {
        row.set_adoption(m, *a);
    }
}

/// Foreign demand left at firm age `age`: 1 within the life cycle, then
/// falling by `fade` a round.
pub fn life_cycle(p: &Product, age: u32) -> f64 {
    if p.life_cycle == 0 || age < p.life_cycle { 1.0 } else { (1.0 - p.fade).powi((age - p.life_cycle + 1) as i32) }
}

/// Demand in market `m` this round as a share of full demand.
pub fn demand_share(row: &Row<'_>, env: &Env<'_>, m: usize) -> f64 {
    let p = &env.p.product;
    let adoption = if p.diffusion { row.adoption(m) } else { 1.0 };
    adoption * life_cycle(p, env.round - *row.birth)
}

/// Is every part of the product switched off (full demand at once, forever)?
pub fn is_plain(p: &Product) -> bool {
    !p.diffusion && p.life_cycle == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry::start_spell;
    use crate::model::fixture::Fixture;

    fn on(lead: f64) -> Fixture {
        Fixture::new(|c| {
            c.product.diffusion = true;
            c.product.innovation = 0.02;
            c.product.imitation = 0.3;
            c.product.lead = lead;
            c.product.home_innovation = 0.0;
        })
    }

    /// Rounds until market `m` reaches half adoption, the firm already serving
    /// `served` at full adoption (the product unknown at home).
    fn take_off(fx: &Fixture, served: Option<usize>, m: usize) -> u32 {
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        if let Some(k) = served {
            start_spell(&mut row, k, 1);
            row.set_adoption(k, 1.0);
        }
        start_spell(&mut row, m, 1);
        let mut next = vec![0.0; fx.world.foreign()];
        for t in 1..100 {
            diffuse(&mut row, &fx.env(t), &mut next);
            if let Some(k) = served {
                row.set_adoption(k, 1.0);
            }
            if row.adoption(m) >= 0.5 {
                return t;
            }
        }
        100
    }

    #[test]
    fn adoption_follows_an_s_curve_from_zero() {
        let p = on(0.0).p.product;
        let path: Vec<f64> = (0..30)
            .scan(0.0, |a, _| {
                *a = bass_step(*a, &p, 0.0);
                Some(*a)
            })
            .collect();
        assert!((path[0] - 0.02).abs() < 1e-12, "the first round reaches the innovators");
        let steps: Vec<f64> = path.windows(2).map(|w| w[1] - w[0]).collect();
        let peak = steps.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
        assert!(peak > 2 && peak < 25, "growth speeds up, then slows: peak at {peak}");
        assert!(path[29] > 0.95 && path.windows(2).all(|w| w[1] >= w[0]));
    }

    #[test]
    fn a_stronger_lead_effect_speeds_foreign_take_off() {
        let w = &on(0.0).world;
        let near = (1..w.foreign()).max_by(|a, b| w.similarity(0, *a).total_cmp(&w.similarity(0, *b))).unwrap();
        let without = take_off(&on(0.0), Some(near), 0);
        let weak = take_off(&on(0.2), Some(near), 0);
        let strong = take_off(&on(1.0), Some(near), 0);
        assert!(strong < weak && weak < without, "{strong} < {weak} < {without}");
        assert_eq!(take_off(&on(1.0), None, 0), without, "no lead without a market already served");
    }

    #[test]
    fn a_product_mature_at_home_takes_off_faster_abroad() {
        let fx = Fixture::new(|c| {
            c.product.diffusion = true;
            c.product.lead = 1.0;
            c.product.home_innovation = 0.1;
            c.product.home_imitation = 0.5;
        });
        let p = &fx.p.product;
        assert!(home_adoption(p, 0) < 0.15 && home_adoption(p, 10) > 0.9, "an S-curve at home");
        let mut firms = fx.one_firm();
        let row = firms.row(0);
        *row.birth = 0;
        let (young, old) = (lead(&row, &fx.env(1), 0), lead(&row, &fx.env(12), 0));
        assert!(old > 3.0 * young, "a late entrant finds the product known at home: {young} vs {old}");
    }

    #[test]
    fn after_the_life_cycle_demand_falls() {
        let p = Product { life_cycle: 5, fade: 0.3, ..Product::default() };
        assert_eq!(life_cycle(&p, 4), 1.0);
        assert!((life_cycle(&p, 5) - 0.7).abs() < 1e-12);
        assert!(life_cycle(&p, 8) < life_cycle(&p, 6));
        assert_eq!(life_cycle(&Product::default(), 500), 1.0, "life_cycle = 0 never fades");
    }

    #[test]
    fn adoption_is_lost_where_the_firm_no_longer_serves() {
        let fx = on(0.0);
        let mut firms = fx.one_firm();
        let mut row = firms.row(0);
        row.set_adoption(3, 0.6);
        diffuse(&mut row, &fx.env(2), &mut vec![0.0; fx.world.foreign()]);
        assert_eq!(row.adoption(3), 0.0);
    }
}
