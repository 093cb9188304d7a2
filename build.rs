//! Records the git commit, compiler, target and random-number crate versions
//! for the run manifest.

use std::process::Command;

fn main() {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc_version = Command::new(rustc)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|_| "unknown".into());
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let rand = locked_version(&lock, "rand");
    let rand_distr = locked_version(&lock, "rand_distr");
    println!("cargo:rustc-env=SMESIM_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=SMESIM_GIT_DIRTY={dirty}");
    println!("cargo:rustc-env=SMESIM_RUSTC={rustc_version}");
    println!("cargo:rustc-env=SMESIM_TARGET={}", std::env::var("TARGET").unwrap_or_default());
    println!("cargo:rustc-env=SMESIM_RAND={rand}");
    println!("cargo:rustc-env=SMESIM_RAND_DISTR={rand_distr}");
    // The dirty flag must follow edits that are not staged, so any change to
    // the tracked sources reruns this script.
    for tracked in ["src", "scenarios", "build.rs", "Cargo.toml"] {
        println!("cargo:rerun-if-changed={tracked}");
    }
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/index");
    println!("cargo:rerun-if-changed=Cargo.lock");
}

/// The version of `name` that smesim itself uses, from Cargo.lock: the lock
/// names it as "name version" in smesim's dependencies when several versions
/// are locked, and as "name" when only one is.
fn locked_version(lock: &str, name: &str) -> String {
    let ours = lock.split("[[package]]").find(|p| p.contains("name = \"smesim\"")).unwrap_or("");
    let wanted = ours.lines().map(|l| l.trim().trim_matches(|c| c == '"' || c == ',')).find_map(|dep| {
        let mut parts = dep.split(' ');
        (parts.next() == Some(name)).then(|| parts.next().map(str::to_string))
    });
    match wanted {
        Some(Some(version)) => version,
        Some(None) => lock
            .split("[[package]]")
            .find(|p| p.contains(&format!("name = \"{name}\"\n")))
            .and_then(|p| p.split("version = \"").nth(1))
            .and_then(|v| v.split('"').next())
            .unwrap_or("unknown")
            .to_string(),
        None => "unknown".to_string(),
    }
}
