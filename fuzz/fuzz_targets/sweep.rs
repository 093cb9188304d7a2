//! Fuzz `Sweep::from_toml_str`: no input may panic it.
//!
//! Paths inside a sweep (its `scenario`, a design `file`, the scenario's
//! `extends`) resolve against the repository root, wherever `cargo fuzz` runs,
//! so that the seed corpus's paths point at the real files.

#![no_main]

use libfuzzer_sys::{Corpus, fuzz_target};
use smesim::experiment::sweep::Sweep;
use std::path::Path;

/// The repository root: this crate's parent folder.
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fuzz_target!(|data: &[u8]| -> Corpus {
    let Ok(text) = std::str::from_utf8(data) else { return Corpus::Reject };
    let _ = Sweep::from_toml_str(text, "fuzz", Path::new(ROOT));
    Corpus::Keep
});
