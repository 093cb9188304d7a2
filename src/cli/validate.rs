//! `smesim validate [FILE]`: run a scenario and the runs the validation
//! targets need, print one line per check, save `validation.json`.

use super::Failure;
use super::progress::tables_of;
use super::run::ScenarioArgs;
use smesim::analysis::summary::Headline;
use smesim::output::atomic::write_file;
use smesim::output::{Manifest, write_manifest};
use smesim::validation::{Figures, MIN_REPLICATIONS, Validation, evaluate, measures::measure, plan};
use std::path::Path;

/// Arguments of `smesim validate`.
#[derive(clap::Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    common: ScenarioArgs,
}

/// Run every planned run, judge the targets, save and print the verdicts.
/// Fails (exit code 1) when a target fails.
pub fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let args = args.common;
    let (mut scenario, source) = args.scenario()?;
    if args.overrides.replications.is_none() {
        scenario = scenario.with(|c| c.simulation.replications = c.simulation.replications.max(MIN_REPLICATIONS))?;
    }
    let dir = args.folder("validate", &scenario)?;
    let runs = plan(&scenario)?;
    let pool = args.execution.pool()?;
    let mut figures = Figures::new();
    for (i, run) in runs.iter().enumerate() {
        if !args.execution.quiet {
            eprintln!("[{}/{}] {}", i + 1, runs.len(), run.what);
        }
        let tables = tables_of(&run.scenario, &pool, args.execution.quiet);
        figures.insert(run.name, pool.install(|| measure(&tables)));
    }
    let verdict = evaluate(&scenario, &runs, &figures);
    let json = serde_json::to_string_pretty(&verdict).expect("a validation serializes");
    let files = [
        write_file(&dir, "validation.json", format!("{json}\n").as_bytes())?,
        write_file(&dir, "scenario.resolved.toml", scenario.to_toml().as_bytes())?,
    ];
    let mut manifest = Manifest::new(&scenario, source, std::env::args().collect(), pool.current_num_threads());
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    write_manifest(&dir, manifest.clone(), &files)?;
    println!("{}", table(&verdict, manifest.wall_seconds, &dir));
    let failed = verdict.targets.iter().filter(|t| !t.pass).map(|t| t.id).collect::<Vec<_>>();
    match failed.is_empty() {
        true => Ok(()),
        false => Err(Failure::Unmet(format!("targets not met: {}", failed.join(", ")))),
    }
}

/// One line per check, then the count of targets passed.
fn table(v: &Validation, seconds: f64, dir: &Path) -> String {
    let mut lines = vec![
        format!(
            "validating `{}`: {} replications per run, seed {}, {} runs ({seconds:.1} s)",
            v.scenario,
            v.replications,
            v.seed,
            v.runs.len()
        ),
        format!("{:<7}{:<52}{:>9}  {:<22}{:<22}{}", "target", "figure", "mean", "95% interval", "condition", "result"),
    ];
    for t in &v.targets {
        for c in &t.checks {
            let verdict = if c.pass { "PASS" } else { "FAIL" };
            let (mean, interval) = shown(&c.value);
            lines.push(format!("{:<7}{:<52}{mean:>9}  {interval:<22}{:<22}{verdict}", t.id, c.label, c.condition));
        }
    }
    let passed = v.targets.iter().filter(|t| t.pass).count();
    lines.push(format!("{passed} of {} targets pass; details in {}/validation.json", v.targets.len(), dir.display()));
    lines.join("\n")
}

fn shown(h: &Headline) -> (String, String) {
    match (h.mean, h.low, h.high) {
        (Some(m), Some(lo), Some(hi)) => (format!("{m:.3}"), format!("[{lo:.3}, {hi:.3}]")),
        _ => ("-".into(), "no value".into()),
    }
}
