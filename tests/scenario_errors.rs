//! `smesim check` on malformed scenarios and sweep files: each error must name
//! the right file, line and key, and say what is allowed.
//!
//! Every `*.toml` directly in `tests/scenarios/malformed/` (scenarios) or
//! `tests/sweeps/malformed/` (sweep files) is one case with one problem. Its
//! leading comment lines state where the error must be reported:
//!
//! ```toml
//! # expect-line: 4                          1-based line of the reported position
//! # expect-key: firms.death_rate            key path in the message, or `none` (pure syntax errors)
//! # expect-file: parents/bad_parent.toml    only when reported in another file (a parent, a design CSV); relative to the case's folder
//! # expect-text: [0, 1]                     optional fragment of the "what is allowed" part
//! # known-bug: what is wrong today          optional, see below
//! ```
//!
//! Subfolders (such as `parents/` or `designs/`) hold files that cases extend
//! or read; they are not cases themselves.
//!
//! A case marked `known-bug` states the report we want, which `smesim` does not
//! give yet. It must still exit with code 2 without panicking; its location, key
//! and text checks are expected to fail, and the suite fails once they all
//! pass, so that whoever fixes the bug removes the marker.

mod common;

use common::smesim;
use std::path::{Path, PathBuf};

/// The scenario cases, relative to the project root (the folder the binary runs in).
const CASES: &str = "tests/scenarios/malformed";

/// The sweep-file cases, relative to the project root.
const SWEEP_CASES: &str = "tests/sweeps/malformed";

/// The project's real scenarios, relative to the project root.
const SCENARIOS: &str = "scenarios";

/// The project's sweep files, relative to the project root; the folder may
/// not exist yet.
const PROJECT_SWEEPS: &str = "scenarios/sweeps";

/// The test suite's valid sweep files, relative to the project root.
const TEST_SWEEPS: &str = "tests/sweeps";

const MIN_CASES: usize = 20;

const MIN_SWEEP_CASES: usize = 14;

/// What a case's header comments expect.
#[derive(Debug, Default)]
struct Expect {
    line: usize,
    /// `None` for `expect-key: none`.
    key: Option<String>,
    /// Relative to the case's folder.
    file: Option<String>,
    text: Option<String>,
    known_bug: Option<String>,
}

/// Parse the leading `#` lines of a case.
fn parse_expect(text: &str) -> Result<Expect, String> {
    let mut line = None;
    let mut key = None;
    let mut expect = Expect::default();
    for raw in text.lines().take_while(|l| l.trim_start().starts_with('#')) {
        let body = raw.trim_start().trim_start_matches('#').trim();
        let Some((name, value)) = body.split_once(':') else { continue };
        let (name, value) = (name.trim(), value.trim().to_string());
        if !(name.starts_with("expect-") || name == "known-bug") {
            continue;
        }
        if value.is_empty() {
            return Err(format!("`{name}` has no value"));
        }
        let slot = match name {
            "expect-line" => {
                let n: usize = value.parse().map_err(|_| format!("expect-line {value:?} is not a line number"))?;
                if n == 0 {
                    return Err("expect-line is 1-based".into());
                }
                if line.replace(n).is_some() {
                    return Err("expect-line is given twice".into());
                }
                continue;
            }
            "expect-key" => &mut key,
            "expect-file" => &mut expect.file,
            "expect-text" => &mut expect.text,
            "known-bug" => &mut expect.known_bug,
            other => return Err(format!("unknown header `{other}`")),
        };
        if slot.replace(value).is_some() {
            return Err(format!("`{name}` is given twice"));
        }
    }
    expect.line = line.ok_or("the header has no `# expect-line:`")?;
    let key = key.ok_or("the header has no `# expect-key:` (use `none` for pure syntax errors)")?;
    expect.key = (key != "none").then_some(key);
    Ok(expect)
}

/// `*.toml` files directly in `dir`, sorted.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

/// `*.toml` files in `dir` and its subfolders, sorted.
fn toml_files_recursive(dir: &Path) -> Vec<PathBuf> {
    let mut files = toml_files(dir);
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        files.extend(toml_files_recursive(&sub));
    }
    files.sort();
    files
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run `smesim check path` (path relative to the project root): exit code, stdout, stderr.
fn check(path: &Path) -> (Option<i32>, String, String) {
    let output = smesim().arg("check").arg(path).output().expect("smesim runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stdout, stderr)
}

/// Problems with one case; `Ok(note)` when it behaves as its header says.
fn run_case(case: &Path) -> Result<Option<String>, Vec<String>> {
    let text = std::fs::read_to_string(root().join(case)).map_err(|e| vec![format!("cannot read the case: {e}")])?;
    let expect = parse_expect(&text).map_err(|e| vec![format!("bad header: {e}")])?;
    let (code, _, stderr) = check(case);

    // Checks that hold even for known bugs.
    let mut hard = Vec::new();
    if code != Some(2) {
        hard.push(format!("exit code {code:?}, expected 2"));
    }
    if stderr.contains("panicked") {
        hard.push("smesim panicked".into());
    }

    // Where and what.
    let mut soft = Vec::new();
    let file = match &expect.file {
        // As load.rs displays a parent: the child's folder joined with `extends`.
        Some(rel) => case.parent().unwrap_or(Path::new("")).join(rel),
        None => case.to_path_buf(),
    };
    let location = format!("{}:{}:", file.display(), expect.line);
    if !stderr.contains(&location) {
        soft.push(format!("stderr lacks the location `{location}`"));
    }
    if let Some(key) = &expect.key {
        let named = format!("key `{key}`");
        if !stderr.contains(&named) {
            soft.push(format!("stderr lacks \"{named}\""));
        }
    }
    if let Some(fragment) = &expect.text {
        if !stderr.contains(fragment.as_str()) {
            soft.push(format!("stderr lacks the text {fragment:?}"));
        }
    }

    let mut problems = hard;
    match (&expect.known_bug, soft.is_empty()) {
        (None, _) => problems.extend(soft),
        (Some(_), true) => problems.push(
            "marked `known-bug` but reported as expected: the bug seems fixed, remove the `known-bug` line".into(),
        ),
        (Some(_), false) => {}
    }
    if !problems.is_empty() {
        problems.push(format!("stderr was:\n{}", indent(&stderr)));
        return Err(problems);
    }
    Ok(expect.known_bug.map(|bug| format!("known bug still present: {bug}")))
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    | {l}")).collect::<Vec<_>>().join("\n")
}

/// Run every case directly in `dir` (relative to the project root); panic
/// with every case not reported as its header says.
fn run_corpus(dir: &str, min_cases: usize, what: &str) {
    let cases: Vec<PathBuf> =
        toml_files(&root().join(dir)).into_iter().map(|p| Path::new(dir).join(p.file_name().unwrap())).collect();
    assert!(cases.len() >= min_cases, "only {} cases in {dir}, expected at least {min_cases}", cases.len());

    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy();
        match run_case(case) {
            Ok(Some(note)) => println!("{name}: {note}"),
            Ok(None) => {}
            Err(problems) => failures.push(format!("{name}:\n  - {}", problems.join("\n  - "))),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} malformed {what} were not reported as expected:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// `smesim check` each file (relative to the project root), which must pass
/// and print `ok: ` and `kind` (empty: anything); the failures, each with
/// what it printed.
fn check_all_pass(files: &[PathBuf], kind: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for file in files {
        let (code, stdout, stderr) = check(file);
        if code != Some(0) || !stdout.starts_with("ok: ") || !stdout.contains(kind) {
            failures.push(format!(
                "{}: exit code {code:?}, expected 0 and `ok: ...{kind}...`\n{}\n{}",
                file.display(),
                indent(&stdout),
                indent(&stderr)
            ));
        }
    }
    failures
}

#[test]
fn malformed_scenarios_are_reported_at_the_right_file_line_and_key() {
    run_corpus(CASES, MIN_CASES, "scenarios");
}

#[test]
fn malformed_sweeps_are_reported_at_the_right_file_line_and_key() {
    run_corpus(SWEEP_CASES, MIN_SWEEP_CASES, "sweep files");
}

#[test]
fn every_project_scenario_passes_check() {
    let dir = root().join(SCENARIOS);
    let scenarios: Vec<PathBuf> = toml_files_recursive(&dir)
        .into_iter()
        .map(|p| Path::new(SCENARIOS).join(p.strip_prefix(&dir).unwrap()))
        .collect();
    assert!(!scenarios.is_empty(), "no scenarios found in {SCENARIOS}/");

    let failures = check_all_pass(&scenarios, "");
    assert!(
        failures.is_empty(),
        "{} of {} scenarios in {SCENARIOS}/ fail `smesim check`:\n\n{}",
        failures.len(),
        scenarios.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_valid_sweep_file_passes_check() {
    let mut sweeps = Vec::new();
    let project = root().join(PROJECT_SWEEPS);
    if project.exists() {
        let found = toml_files(&project);
        assert!(!found.is_empty(), "{PROJECT_SWEEPS}/ exists but holds no sweep files");
        sweeps.extend(found.into_iter().map(|p| Path::new(PROJECT_SWEEPS).join(p.file_name().unwrap())));
    }
    let tests = toml_files(&root().join(TEST_SWEEPS));
    assert!(!tests.is_empty(), "no sweep files found in {TEST_SWEEPS}/");
    sweeps.extend(tests.into_iter().map(|p| Path::new(TEST_SWEEPS).join(p.file_name().unwrap())));

    let failures = check_all_pass(&sweeps, ": sweep `");
    assert!(
        failures.is_empty(),
        "{} of {} sweep files fail `smesim check`:\n\n{}",
        failures.len(),
        sweeps.len(),
        failures.join("\n\n")
    );
}
