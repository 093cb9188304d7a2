//! Properties that must hold for any valid scenario, and a parser that never panics.

use proptest::prelude::*;
use smesim::model::EndCause;
use smesim::scenario::{Capacity, Shares};
use smesim::{Scenario, simulate};

/// Small scenarios across the range of the main knobs.
fn scenarios() -> impl Strategy<Value = Scenario> {
    (
        (50u32..400, 3u32..12, 1u32..12, any::<u64>()),
        (0.0f64..0.3, 0.0..3.0f64, 0.0..2.0f64, 0.0..1.0f64),
        (0usize..4, 1u32..6, 0u32..4, any::<bool>()),
    )
        .prop_map(
            |((firms, rounds, markets, seed), (death, entry, fixed, ties), (only, width, patience, coupled))| {
                Scenario::baseline()
                    .with(|c| {
                        c.simulation.firms = firms;
                        c.simulation.rounds = rounds;
                        c.simulation.burn_in = 1;
                        c.simulation.replications = 1;
                        c.simulation.seed = seed;
                        c.markets.count = markets;
                        c.firms.death_rate = death;
                        c.markets.entry_cost = entry;
                        c.markets.fixed_cost = fixed;
                        c.network.tie_rate = ties;
                        let mut shares = Shares { waterfall: 0.0, sprinkler: 0.0, gradual: 0.0, network: 0.0 };
                        *[&mut shares.waterfall, &mut shares.sprinkler, &mut shares.gradual, &mut shares.network]
                            [only] = 1.0;
                        c.strategy.shares = shares;
                        c.strategy.sprinkler_width = width;
                        c.exit.patience = patience;
                        c.learning.capacity = if coupled { Capacity::Coupled } else { Capacity::Additive };
                    })
                    .expect("generated scenarios are valid")
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn outputs_keep_their_invariants(s in scenarios()) {
        let rounds = s.config().simulation.rounds;
        let markets = s.config().markets.count;
        let r = simulate(&s);
        for (_, st) in &r.rounds {
            prop_assert!(st.exporters <= st.alive);
            prop_assert!((0.0..=1.0).contains(&st.exporter_share));
            if st.exporters > 0 {
                prop_assert!(st.mean_markets_per_exporter >= 1.0);
                prop_assert!(st.mean_markets_per_exporter <= f64::from(markets));
                prop_assert!(st.mean_hhi > 0.0 && st.mean_hhi <= 1.0 + 1e-12);
            }
        }
        let deaths: std::collections::HashMap<u32, u32> =
            r.firms.iter().filter_map(|(_, f)| f.death.map(|d| (f.firm, d))).collect();
        for (_, sp) in &r.spells {
            prop_assert!(sp.start <= sp.end && sp.end <= rounds);
            prop_assert!(sp.market >= 1 && sp.market <= markets);
            if sp.cause == EndCause::Censored {
                prop_assert_eq!(sp.end, rounds, "censored spells end in the last round");
                prop_assert!(!deaths.contains_key(&sp.firm), "a dead firm's spells are not censored");
            }
            if let Some(d) = deaths.get(&sp.firm) {
                prop_assert!(sp.end <= *d, "a dead firm never exports again");
            }
        }
        let ids: std::collections::HashSet<u32> = r.firms.iter().map(|(_, f)| f.firm).collect();
        prop_assert_eq!(ids.len(), r.firms.len(), "every firm has one record");
    }

    #[test]
    fn any_text_gives_a_scenario_or_an_error_never_a_panic(text in scenario_like_text()) {
        let _ = Scenario::from_toml_str(&text, "fuzz");
    }
}

/// Text that looks like a scenario: known sections and keys with odd values.
fn scenario_like_text() -> impl Strategy<Value = String> {
    let section = prop::sample::select(vec![
        "[simulation]",
        "[markets]",
        "[firms]",
        "[strategy]",
        "[strategy.shares]",
        "[network]",
        "[learning]",
        "[entry]",
        "[operations]",
        "[exit]",
        "[output]",
        "[[markets.list]]",
        "[bogus]",
    ]);
    let key = prop::sample::select(vec![
        "firms",
        "rounds",
        "burn_in",
        "count",
        "size",
        "eo",
        "death_rate",
        "waterfall",
        "name",
        "position",
        "capacity",
        "panel",
        "extends",
        "max_ties",
        "elasticity",
        "seed",
        "typo",
    ]);
    let value = prop::sample::select(vec![
        "1",
        "0",
        "-3",
        "1e400",
        "0.5",
        "\"x\"",
        "true",
        "[1, 2]",
        "[1, 2, 3]",
        "{ beta = [2, 3] }",
        "{ normal = [0, -1] }",
        "{ fixed = 1, beta = [1, 1] }",
        "\"coupled\"",
        "nan",
        "inf",
        "[",
        "",
    ]);
    prop::collection::vec((section, prop::collection::vec((key, value), 0..4)), 0..5).prop_map(|sections| {
        sections
            .into_iter()
            .map(|(s, kvs)| {
                let body: Vec<String> = kvs.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{s}\n{}\n", body.join("\n"))
            })
            .collect()
    })
}
