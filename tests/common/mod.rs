//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `smesim` binary, run from the project root.
pub fn smesim() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("smesim").expect("the smesim binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Path of a test scenario in tests/scenarios/.
pub fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios").join(name)
}

/// A CSV file as its header and rows of named fields.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<BTreeMap<String, String>>,
}

impl Table {
    pub fn read(path: &Path) -> Table {
        let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(str::to_string)).collect())
            .collect();
        Table { header, rows }
    }

    pub fn num(row: &BTreeMap<String, String>, key: &str) -> f64 {
        row[key].parse().unwrap_or_else(|_| panic!("{key} = {:?} is not a number", row[key]))
    }
}

/// Every file of an output folder except the manifest (which records times and threads).
pub fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "manifest.json")
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}
