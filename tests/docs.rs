//! The documents a user reads: every local link and picture they point to
//! exists, and every scenario or sweep file their commands name is valid.

use std::path::{Path, PathBuf};

const DOCUMENTS: [&str; 7] = [
    "README.md",
    "docs/ODD.md",
    "docs/PERFORMANCE.md",
    "docs/tutorial-waterfall-sprinkler.md",
    "docs/cluster.md",
    "docs/sensitivity.md",
    "docs/fuzzing.md",
];

/// Scenario files a document asks the reader to write first.
const WRITTEN_BY_THE_READER: [&str; 1] = ["scenarios/my_test.toml"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The targets of the Markdown links and images `[..](target)` in `text`
/// that point into the project (no scheme, no bare anchor).
fn local_links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|target| target.split('#').next().unwrap_or("").trim().to_string())
        .filter(|t| !t.is_empty() && !t.contains("://") && !t.starts_with("mailto:"))
        .collect()
}

#[test]
fn every_local_link_and_picture_exists() {
    for doc in DOCUMENTS {
        let path = root().join(doc);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{doc}: {e}"));
        let folder = path.parent().unwrap();
        for target in local_links(&text) {
            assert!(folder.join(&target).exists(), "{doc} links to {target}, which does not exist");
        }
    }
}

#[test]
fn every_scenario_a_command_names_is_valid() {
    let mut named: Vec<PathBuf> = Vec::new();
    for doc in DOCUMENTS {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        for line in text.lines().filter(|l| l.contains("cargo run") || l.trim_start().starts_with("smesim ")) {
            let files = line
                .split_whitespace()
                .map(|w| w.trim_matches('`'))
                .filter(|w| w.starts_with("scenarios/") && w.ends_with(".toml"))
                .filter(|w| !WRITTEN_BY_THE_READER.contains(w));
            named.extend(files.map(|w| root().join(w)));
        }
    }
    assert!(named.len() >= 5, "the documents name scenario files in their commands");
    for file in named {
        let sweep = file.parent().is_some_and(|d| d.ends_with("sweeps"));
        let checked = if sweep {
            smesim::experiment::sweep::Sweep::load(&file, None).map(|_| ())
        } else {
            smesim::Scenario::load(&file).map(|_| ())
        };
        if let Err(e) = checked {
            panic!("{}: {e}", file.display());
        }
    }
}
