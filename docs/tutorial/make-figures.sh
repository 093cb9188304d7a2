#!/usr/bin/env bash
# Runs every command of docs/tutorial-waterfall-sprinkler.md, in the order the
# tutorial gives them, and copies every figure the tutorial shows into
# docs/tutorial/ (PNG).
#
#   bash docs/tutorial/make-figures.sh      (from anywhere inside the project)
#
# It builds smesim with `cargo build --release` (a few minutes the first time);
# the commands then take about seven minutes on a two-core machine (the five
# strategy maps take most of it).
#
# The commands run in a fresh scratch folder that sees the project's scenarios,
# so their output folders are the tutorial's and nothing in your own output/
# is touched. The scratch folder is printed at the end; delete it when done.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cargo build --release
scratch="$(mktemp -d)"
ln -s "$root/scenarios" "$scratch/scenarios"
cd "$scratch"

# Print each command as the tutorial gives it, run it, and say how long it took.
step() {
  echo
  echo "\$ cargo run --release -- $*"
  local start=$SECONDS
  "$root/target/release/smesim" "$@"
  echo "(took $((SECONDS - start)) s)"
}

# Copy output/<from> to docs/tutorial/<to>.
figure() {
  cp "output/$1" "$root/docs/tutorial/$2"
  echo "figure: output/$1 -> docs/tutorial/$2"
}

waterfall=compare-kmm_waterfall_wins-waterfall-sprinkler
sprinkler=compare-kmm_sprinkler_wins-waterfall-sprinkler
map=strategy-map-kmm_waterfall_wins

# Section 2: the first run.
step run

# Section 3: the pair of corners.
step compare scenarios/kmm_waterfall_wins.toml --strategies waterfall,sprinkler
step compare scenarios/kmm_sprinkler_wins.toml --strategies waterfall,sprinkler

# Section 4: the figures of both comparisons.
figure $waterfall/plots/discounted_profit.png waterfall-wins-discounted_profit.png
figure $waterfall/plots/entries.png waterfall-wins-entries.png
figure $waterfall/plots/spell_survival.png waterfall-wins-spell_survival.png
figure $waterfall/plots/exporter_share.png waterfall-wins-exporter_share.png
figure $sprinkler/plots/discounted_profit.png sprinkler-wins-discounted_profit.png
figure $sprinkler/plots/entries.png sprinkler-wins-entries.png
figure $sprinkler/plots/exporter_share.png sprinkler-wins-exporter_share.png

# Section 4, "Is it just luck?": the waterfall corner with another seed.
step compare scenarios/kmm_waterfall_wins.toml --strategies waterfall,sprinkler --seed 2

# Section 5: change one condition, predict, check.
step compare scenarios/kmm_waterfall_wins.toml --strategies waterfall,sprinkler --set markets.entry_cost=0.5
step compare scenarios/kmm_waterfall_wins.toml --strategies waterfall,sprinkler --set markets.rival_hazard=0.3
figure "${waterfall}_markets.entry_cost=0.5/plots/discounted_profit.png" exercise1-cheap-entry-discounted_profit.png

# Section 6: strategy maps.
step strategy-map scenarios/kmm_waterfall_wins.toml --x markets.entry_cost=0.5..3 --y markets.rival_hazard=0..0.4
step strategy-map scenarios/kmm_waterfall_wins.toml --set operations.rival_advantage=0.6 --x markets.entry_cost=0.5..3 --y markets.rival_hazard=0..0.4
step strategy-map scenarios/kmm_waterfall_wins.toml --set markets.entry_cost=1.5 --x product.life_cycle=3..15 --y product.imitation=0.1..0.7
step strategy-map scenarios/kmm_waterfall_wins.toml --set markets.entry_cost=1.5 --x product.life_cycle=3..15 --y product.imitation=0.1..0.7 --seed 2
step strategy-map scenarios/kmm_waterfall_wins.toml --set markets.entry_cost=1.5 --set entry.signal_sd=0.5 --x product.life_cycle=3..15 --y product.imitation=0.1..0.7
figure $map-entry_cost-rival_hazard/plots/strategy_map.png map-entry-cost-rival.png
figure "$map-entry_cost-rival_hazard_operations.rival_advantage=0.6/plots/strategy_map.png" map-strong-rival.png
figure "$map-life_cycle-imitation_markets.entry_cost=1.5/plots/strategy_map.png" map-life-cycle-imitation.png
figure "$map-life_cycle-imitation_markets.entry_cost=1.5_entry.signal_sd=0.5/plots/strategy_map.png" map-clear-view.png

echo
echo "done: the figures are in docs/tutorial/; every output is in $scratch/output/"
