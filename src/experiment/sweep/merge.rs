//! Putting shards back together: their folders must hold every shard of one
//! sweep, run by this program, each finished, none twice.

use super::store::{IDENTITY, Identity, MANIFEST, RESOLVED, pending};
use super::{Sweep, SweepError};
use crate::output::Program;
use std::path::{Path, PathBuf};

/// The sweep the shard folders `dirs` belong to, and the folders in shard
/// order; an error says which folder is foreign, missing, doubled or unfinished.
pub fn shards(dirs: &[PathBuf]) -> Result<(Sweep, Vec<PathBuf>), SweepError> {
    let fail = |m: String| Err(SweepError::Merge(m));
    let Some(first_dir) = dirs.first() else { return fail("no shard folders given".into()) };
    let ids: Vec<Identity> = dirs
        .iter()
        .map(|d| {
            Identity::read(d).map_err(|_| {
                SweepError::Merge(format!(
                    "`{}` is not a shard of a sweep (no readable {IDENTITY}); allowed: folders written by \
                     `smesim sweep --shard I/N`",
                    d.display()
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    if let Some((d, id)) =
        dirs.iter().zip(&ids).find(|(_, id)| id.shard == 0 || id.shard > id.shards || id.sweep.len() != 64)
    {
        return fail(format!(
            "`{}` has a damaged {IDENTITY} (shard {} of {}); allowed: the file `smesim sweep --shard` wrote",
            d.display(),
            id.shard,
            id.shards
        ));
    }
    let first = &ids[0];
    let program = Program::current().id();
    for (d, id) in dirs.iter().zip(&ids) {
        if id.sweep != first.sweep || id.shards != first.shards {
            return fail(format!(
                "`{}` belongs to another sweep than `{}` (sweep {} of {} shards, not {} of {}); allowed: the shards of one sweep",
                d.display(),
                first_dir.display(),
                &id.sweep[..12],
                id.shards,
                &first.sweep[..12],
                first.shards
            ));
        }
        if id.program != program {
            return fail(format!(
                "`{}` was written by {}, and this is {program}; allowed: shards run and merged by the same program \
                 (results are bit-identical only then)",
                d.display(),
                id.program
            ));
        }
    }
    let count = first.shards as usize;
    let mut by_index: Vec<Option<&PathBuf>> = vec![None; count];
    for (d, id) in dirs.iter().zip(&ids) {
        let slot = &mut by_index[id.shard as usize - 1];
        if let Some(other) = slot {
            return fail(format!(
                "shard {} of {count} is given twice: `{}` and `{}`",
                id.shard,
                other.display(),
                d.display()
            ));
        }
        *slot = Some(d);
    }
    let missing: Vec<String> =
        by_index.iter().enumerate().filter(|(_, d)| d.is_none()).map(|(i, _)| (i + 1).to_string()).collect();
    if !missing.is_empty() {
        return fail(format!(
            "shard{} {} of {count} missing; allowed: all {count} shards",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        ));
    }
    let ordered: Vec<PathBuf> = by_index.into_iter().map(|d| d.expect("checked").clone()).collect();
    let sweep = Sweep::load(&ordered[0].join(RESOLVED), None)?;
    if Identity::of(&sweep, super::Shard::WHOLE).sweep != first.sweep {
        return fail(format!(
            "`{}` was changed after the shard ran; allowed: the file as the shard wrote it",
            ordered[0].join(RESOLVED).display()
        ));
    }
    for (d, id) in ordered.iter().zip(1..) {
        let left = pending(d, &sweep, super::Shard { index: id, count: count as u32 }).len();
        if left > 0 || !d.join(MANIFEST).is_file() {
            return fail(format!(
                "shard {id} of {count} in `{}` is not finished ({left} runs to do); allowed: finished shards \
                 (finish it with `smesim sweep {} --out {} --shard {id}/{count} --resume`)",
                d.display(),
                d.join(RESOLVED).display(),
                parent(d).display()
            ));
        }
    }
    Ok((sweep, ordered))
}

fn parent(d: &Path) -> &Path {
    d.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}
