"""Run the Mesa peer of smesim's baseline and write rounds.csv, spells.csv, timing.json.

    python benches/peers/mesa/run.py --markets MARKETS.csv --firms N --rounds R \
        --burn-in B --replications K --seed S --out DIR

MARKETS.csv is the markets.csv of any smesim run (the world depends only on
the [markets] section). Other settings come from the scenario file (default
scenarios/baseline.toml of this repository); the flags override it.
"""

import argparse
import csv
import json
import os
import platform
import resource
import sys
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import mesa  # noqa: E402

from model import ROUND_COLUMNS, SPELL_COLUMNS, SmeModel, World  # noqa: E402

BASELINE = os.path.join(HERE, "..", "..", "..", "scenarios", "baseline.toml")


def scenario(path):
    """The scenario's settings; refuses what the peer does not port."""
    with open(path, "rb") as f:
        p = tomllib.load(f)
    if "extends" in p:
        sys.exit(f"{path}: `extends` is not supported by the peer; give a complete scenario")
    if p.get("policy") or p.get("rin"):
        sys.exit(f"{path}: policy programmes and networks are not ported (the baseline has none)")
    product = p.get("product", {})
    if product.get("diffusion", False) or product.get("life_cycle", 0) != 0:
        sys.exit(f"{path}: the product layer is not ported (the baseline has it off)")
    return p


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--markets", required=True, help="markets.csv written by smesim")
    a.add_argument("--scenario", default=BASELINE, help="scenario TOML (default: scenarios/baseline.toml)")
    a.add_argument("--firms", type=int)
    a.add_argument("--rounds", type=int)
    a.add_argument("--burn-in", type=int, help="recorded in timing.json; every round is written")
    a.add_argument("--replications", type=int)
    a.add_argument("--seed", type=int)
    a.add_argument("--out", required=True)
    args = a.parse_args()

    p = scenario(args.scenario)
    sim = p["simulation"]
    firms = args.firms if args.firms is not None else sim["firms"]
    rounds = args.rounds if args.rounds is not None else sim["rounds"]
    burn_in = args.burn_in if args.burn_in is not None else sim["burn_in"]
    reps = args.replications if args.replications is not None else sim["replications"]
    seed = args.seed if args.seed is not None else sim["seed"]
    world = World(args.markets, p["markets"]["similarity_range"], p["entry"]["appeal_correlation"])

    rounds_rows, spell_rows = [], []
    start = time.perf_counter()
    for rep in range(1, reps + 1):
        model = SmeModel(p, world, firms, rounds, rep, seed=seed * 1_000_003 + rep)
        for _ in range(rounds):
            model.step()
        rounds_rows.extend(model.rows)
        spell_rows.extend(model.spells)
        # Mesa keeps every model alive (a key of the class-level `Agent._ids`), so
        # free the finished replication's firms before the next one.
        model.remove_all_agents()
    seconds = time.perf_counter() - start

    os.makedirs(args.out, exist_ok=True)
    for name, columns, rows in (("rounds.csv", ROUND_COLUMNS, rounds_rows), ("spells.csv", SPELL_COLUMNS, spell_rows)):
        with open(os.path.join(args.out, name), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(columns)
            w.writerows(rows)
    firm_rounds = firms * rounds * reps
    timing = {
        "implementation": "mesa",
        "mesa_version": mesa.__version__,
        "python_version": platform.python_version(),
        "firms": firms,
        "rounds": rounds,
        "burn_in": burn_in,
        "replications": reps,
        "seed": seed,
        "seconds": seconds,
        "firm_rounds": firm_rounds,
        "firm_rounds_per_second": firm_rounds / seconds,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    with open(os.path.join(args.out, "timing.json"), "w") as f:
        json.dump(timing, f, indent=2)
        f.write("\n")
    print(json.dumps(timing), flush=True)


if __name__ == "__main__":
    main()
