//! Fuzz `Scenario::from_toml_str`: no input may panic it, and every scenario it
//! accepts must load again, equal, from its resolved TOML (`to_toml`).
//!
//! `extends = "path"` resolves against the folder `cargo fuzz` runs in; run it
//! from the repository root (docs/fuzzing.md), where the seed corpus's
//! `extends` paths point at the real scenario files.

#![no_main]

use libfuzzer_sys::{Corpus, fuzz_target};
use smesim::Scenario;

fuzz_target!(
    init: {
        if !std::path::Path::new("scenarios/baseline.toml").is_file() {
            eprintln!("note: not run from the repository root: `extends` paths in the seed corpus will not resolve");
        }
    },
    |data: &[u8]| -> Corpus {
        let Ok(text) = std::str::from_utf8(data) else { return Corpus::Reject };
        let Ok(scenario) = Scenario::from_toml_str(text, "fuzz") else { return Corpus::Keep };
        let resolved = scenario.to_toml();
        let again = match Scenario::from_toml_str(&resolved, "fuzz") {
            Ok(again) => again,
            Err(e) => panic!("an accepted scenario's resolved TOML is rejected: {e}\n--- resolved TOML ---\n{resolved}"),
        };
        assert!(
            again == scenario,
            "the resolved TOML loads as a different scenario\n--- resolved TOML ---\n{resolved}\n--- loaded again, resolved ---\n{}",
            again.to_toml()
        );
        Corpus::Keep
    }
);
