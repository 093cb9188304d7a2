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

/// Every file of an output folder, subfolders included, except the manifest
/// (which records times and threads), by path relative to the folder.
pub fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().unwrap() != "manifest.json" {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}
