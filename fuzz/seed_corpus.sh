#!/bin/sh
# Seed the fuzz corpora from the repository's own files:
#   corpus/scenario/  scenarios/*.toml and tests/scenarios/**/*.toml
#   corpus/sweep/     sweeps/**/*.toml and tests/sweeps/**/*.toml (when they exist)
#
# The targets resolve relative paths (`extends`, a sweep's `scenario` and
# design `file`) against the repository root, so each file's relative paths
# are rewritten to start from the root: `extends = "baseline.toml"` in
# scenarios/ becomes `extends = "scenarios/baseline.toml"`. Files are named by
# their path, so running this again replaces them; what the fuzzer added stays.
#
# Usage (from anywhere): fuzz/seed_corpus.sh
set -eu

fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
cd "$root"

# seed TARGET DIR...: copy every *.toml under the DIRs into corpus/TARGET/.
seed() {
    target=$1
    shift
    out="$fuzz/corpus/$target"
    mkdir -p "$out"
    count=0
    old_ifs=$IFS
    IFS='
'
    for dir in "$@"; do
        [ -d "$dir" ] || continue
        for file in $(find "$dir" -name '*.toml' | sort); do
            folder=$(dirname "$file")
            name=$(printf '%s' "$file" | tr '/' '_')
            # Only the keys that hold paths, and only relative paths.
            sed -E "s#^([[:space:]]*(extends|scenario|file)[[:space:]]*=[[:space:]]*\")([^/\"][^\"]*\")#\1$folder/\3#" \
                "$file" >"$out/seed_$name"
            count=$((count + 1))
        done
    done
    IFS=$old_ifs
    echo "$target: $count seed files in ${out#"$root"/}"
}

seed scenario scenarios tests/scenarios
seed sweep sweeps tests/sweeps
