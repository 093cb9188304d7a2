#!/usr/bin/env bash
# smesim against its peer, side by side, in one run: builds smesim, installs
# the Mesa peer in a virtual environment, checks that both give the same
# aggregate behaviour, then times both at 10^3, 10^4 and 10^5 firms.
#
#   bash benches/peers/compare.sh            # everything (about 25 minutes on 2 cores)
#   SIZES="1000 10000" bash benches/peers/compare.sh
#
# Settings (environment): SIZES (firms, default "1000 10000 100000"), ROUNDS (60),
# REPEATS (3: the median of separate runs is reported), PEER_BUDGET (seconds a
# single peer run may be expected to take before that size is skipped for the
# peer, default 900), CHECK_FIRMS / CHECK_REPLICATIONS (the equivalence check,
# default 1000 x 20), SKIP_CHECK=1 to time only. Results go to target/peers/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=${CARGO_TARGET_DIR:-$root/target}/peers
mkdir -p "$work"

cargo build --release --quiet
smesim=${CARGO_TARGET_DIR:-$root/target}/release/smesim

venv=$work/venv
requirements=benches/peers/mesa/requirements.txt
if ! cmp -s "$requirements" "$venv/installed.txt" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/installed.txt"
fi

exec "$venv/bin/python" benches/peers/compare.py --smesim "$smesim" --work "$work" \
    --sizes ${SIZES:-1000 10000 100000} --rounds "${ROUNDS:-60}" --repeats "${REPEATS:-3}" \
    --peer-budget "${PEER_BUDGET:-900}" --check-firms "${CHECK_FIRMS:-1000}" \
    --check-replications "${CHECK_REPLICATIONS:-20}" ${SKIP_CHECK:+--skip-check}
