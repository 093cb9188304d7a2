"""Drive the side-by-side comparison of smesim and its Mesa peer.

Called by compare.sh with the virtual environment's Python. Standard library
only: it runs both programs as separate processes (so each size has its own
peak memory) and reads the JSON they print.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "mesa", "run.py")
CHECK = os.path.join(HERE, "check.py")


def run(cmd, **kw):
    """Run a command, echoing it; return its stdout."""
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout


def world(args):
    """The world of markets smesim uses, written by a tiny run (it depends only on [markets])."""
    out = os.path.join(args.work, "world")
    run([args.smesim, "run", "--set", "simulation.firms=100", "--set", "simulation.burn_in=1",
         "--set", "simulation.rounds=2", "--replications", "1", "--out", out, "-q", "--force"])
    return os.path.join(out, "markets.csv")


def check(args, markets):
    """Both models on the same reduced scenario, replications side by side."""
    n, reps = str(args.check_firms), str(args.check_replications)
    ours = os.path.join(args.work, "check", "smesim")
    theirs = os.path.join(args.work, "check", "mesa")
    run([args.smesim, "run", "--set", f"simulation.firms={n}", "--set", f"simulation.rounds={args.rounds}",
         "--replications", reps, "--out", ours, "-q", "--force"])
    run([sys.executable, PEER, "--markets", markets, "--firms", n, "--rounds", str(args.rounds),
         "--burn-in", "20", "--replications", reps, "--seed", "1", "--out", theirs])
    result = subprocess.run([sys.executable, CHECK, ours, theirs, "--burn-in", "20"])
    return result.returncode == 0


def smesim_at(args, firms):
    """smesim bench at one size on 1 thread and on all cores."""
    doc = json.loads(run([args.smesim, "bench", "--firms", str(firms), "--threads", f"1,{os.cpu_count()}",
                          "--repeat", str(args.repeats), "--set", f"simulation.rounds={args.rounds}", "--json"]))
    return doc["measurements"]


def peer_at(args, markets, firms, repeats):
    """The peer at one size, `repeats` separate processes."""
    out = os.path.join(args.work, "timing", f"mesa_{firms}")
    runs = []
    for _ in range(repeats):
        text = run([sys.executable, PEER, "--markets", markets, "--firms", str(firms), "--rounds", str(args.rounds),
                    "--burn-in", "20", "--replications", "1", "--seed", "1", "--out", out])
        runs.append(json.loads(text.strip().splitlines()[-1]))
    return runs


def megabytes(b):
    return f"{b / 1e6:.0f} MB" if b else "-"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--smesim", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--sizes", nargs="+", type=int, required=True)
    p.add_argument("--rounds", type=int, default=60)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--peer-budget", type=float, default=900)
    p.add_argument("--check-firms", type=int, default=1000)
    p.add_argument("--check-replications", type=int, default=20)
    p.add_argument("--skip-check", action="store_true")
    args = p.parse_args()

    markets = world(args)
    same = None if args.skip_check else check(args, markets)
    rows, peer_rate = [], None
    for firms in sorted(args.sizes):
        ours = smesim_at(args, firms)
        expected = firms * args.rounds / peer_rate if peer_rate else 0
        if expected > args.peer_budget:
            print(f"peer skipped at {firms} firms: expected {expected:.0f} s > PEER_BUDGET {args.peer_budget:.0f} s")
            theirs = None
        else:
            repeats = args.repeats if expected * args.repeats <= args.peer_budget else 1
            theirs = peer_at(args, markets, firms, repeats)
            peer_rate = statistics.median(r["firm_rounds_per_second"] for r in theirs)
        rows.append((firms, ours, theirs))

    header = (f"{'firms':>8} {'smesim 1 thread':>16} {'smesim ' + str(os.cpu_count()) + ' threads':>17} "
              f"{'mesa':>12} {'ratio (1 thread)':>17} {'ratio (all cores)':>18} {'smesim memory':>14} {'mesa memory':>12}")
    lines = [f"firm-rounds per second, median of separate runs; {args.rounds} rounds, 30 markets, baseline scenario",
             f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; {platform.python_implementation()} {platform.python_version()}",
             header]
    for firms, ours, theirs in rows:
        one = min(ours, key=lambda m: m["threads"])
        allc = max(ours, key=lambda m: m["threads"])
        if theirs:
            rate = statistics.median(r["firm_rounds_per_second"] for r in theirs)
            mem = max(r["peak_rss_bytes"] for r in theirs)
            peer = (f"{rate:>12,.0f} {one['firm_rounds_per_second'] / rate:>16,.0f}x "
                    f"{allc['firm_rounds_per_second'] / rate:>17,.0f}x")
        else:
            mem, peer = None, f"{'skipped':>12} {'-':>17} {'-':>18}"
        lines.append(f"{firms:>8} {one['firm_rounds_per_second']:>16,.0f} {allc['firm_rounds_per_second']:>17,.0f} "
                     f"{peer} {megabytes(allc['peak_memory_bytes']):>14} {megabytes(mem):>12}")
    if same is not None:
        lines.append("equivalence check: " + ("PASS (same aggregate behaviour)" if same else "FAIL (see above)"))
    table = "\n".join(lines)
    print("\n" + table)
    with open(os.path.join(args.work, "compare.txt"), "w") as f:
        f.write(table + "\n")
    with open(os.path.join(args.work, "compare.json"), "w") as f:
        json.dump({"rounds": args.rounds, "sizes": [{"firms": n, "smesim": o, "mesa": t} for n, o, t in rows],
                   "equivalent": same, "finished": time.strftime("%Y-%m-%dT%H:%M:%S")}, f, indent=2)
    return 0 if same in (None, True) else 1


if __name__ == "__main__":
    sys.exit(main())
