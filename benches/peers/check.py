"""Do smesim and its peer give the same aggregate behaviour?

    python benches/peers/check.py SMESIM_DIR PEER_DIR [--burn-in 20] [--more]

SMESIM_DIR is the output folder of `smesim run`, PEER_DIR that of the peer
(benches/peers/mesa/run.py). For each measure, one value per replication:

  exporter_share             mean over the rounds after burn-in of exporters / alive
  mean_markets_per_exporter  mean over the rounds after burn-in of the round figure
  spell_survival_1, _3       Kaplan-Meier share of export spells begun after
                             burn-in that last beyond 1 (3) rounds; a firm's death
                             ends a spell as an exit, spells running after the last
                             round are censored (as smesim's summary computes them:
                             src/analysis/outcomes.rs and survival.rs)

Round figures are those of all firms (smesim's rows with strategy == "all");
non-finite round values (no exporters) are skipped, as smesim does.

It prints each side's mean with its 95% interval over replications
(Student t), the difference and its 95% Welch interval, and PASS when that
interval contains 0. Exit status 0 only if every measure passes. `--more` also
prints measures that do not gate (turnover, a longer survival, and exporter
share and markets per exporter per strategy when rounds.csv has those rows).

t quantiles: a table of t(0.975, df) for df = 1..60 (linear in between, for
Welch's fractional df), and above 60 the Cornish-Fisher expansion of t around
the normal quantile (error below 1e-9 there). Standard library only.
"""

import argparse
import csv
import math
import os
import statistics
import sys
from collections import defaultdict

Z975 = 1.959963984540054
# t(0.975, df) for df = 1..60.
T975 = (
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    2.0395, 2.0369, 2.0345, 2.0322, 2.0301, 2.0281, 2.0262, 2.0244, 2.0227, 2.0211,
    2.0195, 2.0181, 2.0167, 2.0154, 2.0141, 2.0129, 2.0117, 2.0106, 2.0096, 2.0086,
    2.0076, 2.0066, 2.0057, 2.0049, 2.0040, 2.0032, 2.0025, 2.0017, 2.0010, 2.0003,
)


def t975(df):
    """Two-sided 95% quantile of Student's t with `df` (possibly fractional) degrees of freedom."""
    if df < 1:
        return float("nan")
    if df <= len(T975):
        lo = int(df)
        if lo == df or lo == len(T975):
            return T975[lo - 1]
        return T975[lo - 1] + (df - lo) * (T975[lo] - T975[lo - 1])
    z = Z975
    return (z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
            + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * df**4))


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def finite_mean(xs):
    xs = [x for x in xs if math.isfinite(x)]
    return statistics.fmean(xs) if xs else float("nan")


def km_survival(spells, t):
    """Kaplan-Meier S(t) = P(duration > t) from (duration, event) pairs."""
    counts = defaultdict(lambda: [0, 0])
    for d, event in spells:
        counts[d][0 if event else 1] += 1
    at_risk, s = len(spells), 1.0
    for time in sorted(counts):
        if time > t:
            break
        e, c = counts[time]
        if e:
            s = 0.0 if e == at_risk else s * (1.0 - e / at_risk)
        at_risk -= e + c
    return s


def measures(folder, burn_in, more):
    """Measure -> {replication: value} of one run's rounds.csv and spells.csv."""
    rounds, by_strategy = defaultdict(list), defaultdict(list)
    for r in read(os.path.join(folder, "rounds.csv")):
        if int(r["round"]) <= burn_in:
            continue
        group = r.get("strategy", "all")
        if group == "all":
            rounds[int(r["replication"])].append(r)
        elif more:
            by_strategy[(int(r["replication"]), group)].append(r)
    spells = defaultdict(list)
    for s in read(os.path.join(folder, "spells.csv")):
        if int(s["start"]) > burn_in:
            spells[int(s["replication"])].append((int(s["duration"]), s["censored"] == "0"))
    out = defaultdict(dict)
    for rep, rows in rounds.items():
        out["exporter_share"][rep] = finite_mean(float(r["exporter_share"]) for r in rows)
        out["mean_markets_per_exporter"][rep] = finite_mean(float(r["mean_markets_per_exporter"]) for r in rows)
        sp = spells.get(rep, [])
        out["spell_survival_1"][rep] = km_survival(sp, 1)
        out["spell_survival_3"][rep] = km_survival(sp, 3)
        if more:
            out["spell_survival_5"][rep] = km_survival(sp, 5)
            out["entry_rate"][rep] = finite_mean(int(r["entries"]) / int(r["alive"]) for r in rows)
            out["exit_rate"][rep] = finite_mean(int(r["exits"]) / int(r["alive"]) for r in rows)
            out["deaths_per_firm"][rep] = finite_mean(int(r["deaths"]) / int(r["alive"]) for r in rows)
            out["spells_per_round"][rep] = len(sp) / len(rows)
    for (rep, group), rows in by_strategy.items():
        out[f"exporter_share {group}"][rep] = finite_mean(float(r["exporter_share"]) for r in rows)
        out[f"markets_per_exporter {group}"][rep] = finite_mean(float(r["mean_markets_per_exporter"]) for r in rows)
    return out


def interval(xs):
    """Mean, its 95% interval, the variance of the mean and n."""
    n = len(xs)
    m = statistics.fmean(xs)
    if n < 2:
        return m, float("nan"), float("nan"), float("nan"), n
    v = statistics.variance(xs) / n
    h = t975(n - 1) * math.sqrt(v)
    return m, m - h, m + h, v, n


def welch(a, b):
    """Difference a - b of means, its 95% Welch interval and degrees of freedom."""
    ma, _, _, va, na = interval(a)
    mb, _, _, vb, nb = interval(b)
    d = ma - mb
    se2 = va + vb
    if not se2 > 0:
        return d, d, d, float("inf")
    df = se2**2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    h = t975(df) * math.sqrt(se2)
    return d, d - h, d + h, df


GATING = ("exporter_share", "mean_markets_per_exporter", "spell_survival_1", "spell_survival_3")
EXTRA = ("spell_survival_5", "entry_rate", "exit_rate", "deaths_per_firm", "spells_per_round") + tuple(
    f"{m} {s}" for m in ("exporter_share", "markets_per_exporter") for s in ("waterfall", "sprinkler", "gradual", "network")
)


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("smesim")
    a.add_argument("peer")
    a.add_argument("--burn-in", type=int, default=20)
    a.add_argument("--more", action="store_true", help="also print measures that do not gate")
    args = a.parse_args()
    ours = measures(args.smesim, args.burn_in, args.more)
    theirs = measures(args.peer, args.burn_in, args.more)
    n_ours, n_theirs = len(ours["exporter_share"]), len(theirs["exporter_share"])
    print(f"smesim: {args.smesim} ({n_ours} replications); peer: {args.peer} ({n_theirs} replications); "
          f"burn-in {args.burn_in}; 95% intervals (t over replications, Welch for the difference)")
    fmt = lambda m, lo, hi: f"{m:.4f} [{lo:.4f}, {hi:.4f}]"  # noqa: E731
    print(f"{'measure':<32} {'smesim':>26} {'peer':>26} {'difference':>28} {'df':>5}  result")
    ok = True
    for names, gate in ((GATING, True), (EXTRA if args.more else (), False)):
        if not gate and names:
            print("not gating:")
        for name in names:
            x, y = list(ours[name].values()), list(theirs[name].values())
            if not x or not y:
                print(f"{name:<32} missing values")
                ok &= not gate
                continue
            d, lo, hi, df = welch(x, y)
            passed = lo <= 0.0 <= hi
            if gate:
                ok &= passed
            result = ("PASS" if passed else "FAIL") if gate else ("(same)" if passed else "(differs)")
            print(f"{name:<32} {fmt(*interval(x)[:3]):>26} {fmt(*interval(y)[:3]):>26} "
                  f"{d:>+9.4f} [{lo:+.4f}, {hi:+.4f}] {df:>5.1f}  {result}")
    print("equivalence: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
