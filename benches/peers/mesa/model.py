"""smesim's baseline model written in Mesa 3.x: the peer implementation.

One `Firm` agent per SME, one `SmeModel` per replication. A round is
smesim's round (src/engine/replication.rs): the model builds the round's
shared environment (market demand, where new ties land), newborns replacing
last round's dead are created, every firm steps through its mechanisms reading
only that environment and its own state (so their order does not matter),
then the dead are removed and the round's figures tallied.

Per-market state of a firm lives in small numpy arrays (30 markets), ties in
arrays of `network.max_ties` slots. Mechanisms follow src/model/*.rs; the
file each method ports is named in its docstring. See DIFFERENCES.md.
"""

import csv
import math

import mesa
import numpy as np

WATERFALL, SPRINKLER, GRADUAL, NETWORK = range(4)
STRATEGIES = ("waterfall", "sprinkler", "gradual", "network")

# Ties weaker than this are dropped (network.rs, FORGOTTEN).
FORGOTTEN = 0.02
# Knowledge below this does not count as related knowledge (learning.rs, KNOWN).
KNOWN = 0.01
# u8 counter of consecutive losses saturates (firm.rs, `losses: u8`).
MAX_LOSSES = 255


def pick(cumulative, u):
    """Index drawn from cumulative weights with a uniform u in [0, 1) (model/mod.rs, `pick`)."""
    i = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
    return min(i, len(cumulative) - 1)


def cholesky_clipped(a):
    """Lower Cholesky factor with pivots clipped at zero (market.rs, `cholesky`)."""
    n = a.shape[0]
    low = np.zeros_like(a)
    for i in range(n):
        for j in range(i + 1):
            s = float(np.dot(low[i, :j], low[j, :j]))
            if i == j:
                low[i, i] = math.sqrt(max(a[i, i] - s, 0.0))
            else:
                d = low[j, j]
                low[i, j] = (a[i, j] - s) / d if d > 1e-12 else 0.0
    return low


class World:
    """The fixed markets, read from smesim's markets.csv, and what is derived
    from them (market.rs: similarity of positions, the appeal factor)."""

    def __init__(self, path, similarity_range, appeal_correlation):
        with open(path, newline="") as f:
            rows = sorted(csv.DictReader(f), key=lambda r: int(r["market"]))
        if int(rows[0]["market"]) != 0:
            raise ValueError(f"{path}: market 0 (home) is missing")
        col = lambda name: np.array([float(r[name]) for r in rows])  # noqa: E731
        self.size = col("size")  # home first
        self.growth = col("growth")
        self.competition = col("competition")
        self.trade_cost = col("trade_cost")
        self.home_fixed_cost = float(rows[0]["fixed_cost"])
        foreign = rows[1:]
        self.count = len(foreign)
        self.distance = col("distance")[1:]
        self.entry_cost = col("entry_cost")[1:]
        self.fixed_cost = col("fixed_cost")[1:]
        if np.any(col("rival_hazard") != 0.0):
            raise ValueError("rivals (rival_hazard > 0) are not ported: the baseline has none")
        pos = np.column_stack([col("position_x")[1:], col("position_y")[1:]])
        gap = np.hypot(pos[:, None, 0] - pos[None, :, 0], pos[:, None, 1] - pos[None, :, 1])
        self.similarity = np.exp(-gap / similarity_range)
        corr = appeal_correlation * self.similarity
        np.fill_diagonal(corr, 1.0)
        self.appeal_factor = cholesky_clipped(corr)


class Firm(mesa.Agent):
    """One SME. Created as a newborn (birth.rs) in the round it is born."""

    def __init__(self, model):
        super().__init__(model)
        p, w = model.p, model.world
        f = p["firms"]
        rng, rnd = model.rng, model.random
        n = w.count
        self.firm = self.unique_id - 1  # smesim numbers firms from 0
        self.birth = model.round
        u = rnd.random()
        self.strategy = next((s for s, c in enumerate(model.cumulative_shares) if u < c), NETWORK)
        self.ln_phi = model.draw(f["productivity"])
        self.eo = model.draw(f["eo"])
        self.acap = model.draw(f["acap"])
        self.general = model.draw(f["general_knowledge"])
        self.net_use = model.draw(f["net_use"])
        self.cash = f["initial_cash"]
        self.distinct = 0
        # Hidden appeal, correlated across similar markets, and the standard-normal
        # error of the first impression of it.
        self.appeal = p["entry"]["appeal_sd"] * (w.appeal_factor @ rng.standard_normal(n))
        self.bias = rng.standard_normal(n)
        self.knowledge = np.zeros(n)
        self.present = np.zeros(n, dtype=bool)  # serves the market this round
        self.revealed = np.zeros(n, dtype=bool)  # has served it: knows its true appeal
        self.profit = np.zeros(n, dtype=bool)  # made a profit the last time it was served
        self.ordered = np.zeros(n, dtype=bool)  # an order arrived through a tie this round
        self.matured = np.zeros(n, dtype=bool)  # this spell matured in profit
        self.spell_start = np.zeros(n, dtype=np.int64)
        self.losses = np.zeros(n, dtype=np.int64)
        self.order = np.zeros(n, dtype=np.int64)  # rank among the firm's distinct markets
        slots = p["network"]["max_ties"]
        self.tie_strength = np.zeros(slots)
        self.tie_market = np.zeros(slots, dtype=np.int64)
        # Markets the founder already knows, drawn like direct ties.
        if f["prior_markets"] > 0.0:
            for _ in range(min(int(rng.poisson(f["prior_markets"])), n)):
                self.knowledge[pick(model.direct_ties, rnd.random())] = f["prior_knowledge"]
        # This round's figures, read by the model's tally.
        self.entries = self.exits = self.markets_served = 0
        self.exports = 0.0
        self.died = False

    # -- the round ------------------------------------------------------------

    def step(self):
        """One round of the firm (replication.rs, `firm_pass`)."""
        if self.birth != self.model.round:
            self.evolve_productivity()
        ties = self.update_ties()
        self.learn(ties)
        self.entries = self.enter(ties)
        self.exports, self.markets_served = self.operate()
        self.exits = self.leave_markets()
        self.died = self.dies()
        if self.died:
            self.close_all("firm_death")

    def evolve_productivity(self):
        """Log AR(1) productivity (productivity.rs)."""
        f = self.model.p["firms"]
        self.ln_phi = f["productivity_persistence"] * self.ln_phi + f["productivity_shock"] * self.random.gauss()

    def update_ties(self):
        """Age ties, add new ones, draw inbound orders (network.rs, `update_ties`);
        returns the tie strength per market (`tie_sums`)."""
        model = self.model
        n = model.p["network"]
        s = self.tie_strength
        self.ordered[:] = False
        held = s > 0.0
        if held.any():
            s[held] *= 1.0 - n["tie_decay"]
            busy = held & self.present[self.tie_market]
            s[busy] += n["tie_growth"] * (1.0 - s[busy])
            s[held & (s < FORGOTTEN)] = 0.0
        rate = n["tie_rate"] + n["tie_rate_eo"] * self.eo
        if rate > 0.0:
            for _ in range(int(model.rng.poisson(rate))):
                self.add_tie(self.place_tie(), n["initial_strength"])
        held = s > 0.0
        if held.any():
            u = model.rng.random(len(s))
            hit = held & (u < n["order_rate"] * s)
            self.ordered[self.tie_market[hit]] = True
        return np.bincount(self.tie_market[held], weights=s[held], minlength=model.world.count)

    def place_tie(self):
        """Market of a new tie: next to a contact's market with chance
        `remote_share`, else by direct search (network.rs, `place_tie`)."""
        model = self.model
        held = np.flatnonzero(self.tie_strength > 0.0)
        u_mode, u_contact, u_market = self.random.random(), self.random.random(), self.random.random()
        if len(held) > 0 and u_mode < model.p["network"]["remote_share"]:
            contact = held[min(int(u_contact * len(held)), len(held) - 1)]
            return pick(model.remote_ties[self.tie_market[contact]], u_market)
        return pick(model.direct_ties, u_market)

    def add_tie(self, m, strength):
        """Strengthen the tie in m, or take the weakest slot if the new tie is
        stronger (network.rs, `add_tie`)."""
        s = self.tie_strength
        same = np.flatnonzero((s > 0.0) & (self.tie_market == m))
        if len(same) > 0:
            s[same[0]] += strength * (1.0 - s[same[0]])
            return
        weakest = int(np.argmin(s))  # the first of equally weak slots
        if s[weakest] < strength:
            s[weakest] = strength
            self.tie_market[weakest] = m

    def learn(self, ties):
        """Market knowledge, general knowledge and coupled absorptive capacity
        (learning.rs, `learn`)."""
        p, w = self.model.p, self.model.world
        lp = p["learning"]
        if lp["capacity"] == "coupled":
            omega = min(self.net_use + p["network"]["use_from_acap"] * self.acap, 1.0)
        else:
            omega = self.net_use
        k = self.knowledge
        served = self.present.any()
        inputs = lp["experience"] * self.present + lp["network"] * omega * ties
        active = inputs > 0.0
        gain = np.zeros_like(k)
        if active.any():
            related = np.maximum(k, lp["general_weight"] * self.general)
            known = k > KNOWN
            if known.any():
                # max over known markets j of sim(m, j) K_j; j = m adds K_m, already in.
                related = np.maximum(related, (w.similarity[:, known] * k[known]).max(axis=1))
            g = np.minimum(self.acap * inputs * (lp["lockout"] + related) * (1.0 - k), 1.0 - k)
            gain[active] = g[active]
        kept = np.where(self.present, k, k * (1.0 - lp["decay"]))
        self.knowledge = np.minimum(kept + gain, 1.0)
        learned = float(gain.sum())
        self.general = min(self.general + lp["general_growth"] * learned * (1.0 - self.general), 1.0)
        if lp["capacity"] == "coupled":
            if served:
                self.acap += lp["acap_growth"] * (1.0 - self.acap)
            else:
                self.acap *= 1.0 - lp["acap_decay"]

    def entry_allowance(self):
        """Most markets the strategy lets the firm enter this round (entry.rs)."""
        st = self.model.p["strategy"]
        if self.strategy in (WATERFALL, GRADUAL):
            pres = self.present
            ripe = (self.model.round - self.spell_start[pres] >= st["mature_rounds"]) & self.profit[pres]
            return 1 if ripe.all() else 0
        return st["sprinkler_width"]

    def candidates(self, ties):
        """Markets the firm sees and its strategy allows (entry.rs, `is_candidate`)."""
        p = self.model.p
        known = self.knowledge > p["learning"]["visible_threshold"]
        contact = (ties > 0.0) | self.ordered
        if self.strategy == NETWORK:
            seen = contact
        elif self.strategy == GRADUAL:
            st = p["strategy"]
            radius = st["gradual_radius"] + st["gradual_radius_growth"] * self.general
            seen = (known | contact) & (self.model.world.distance <= radius)
        else:
            seen = known | contact
        return np.flatnonzero(seen & ~self.present)

    def expected_sales(self, m, appeal):
        """Sales at full demand before the demand shock (operations.rs,
        `expected_sales`; no rivals, so no rival factor)."""
        o = self.model.p["operations"]
        scale = math.exp((o["elasticity"] - 1.0) * self.ln_phi)
        floor = o["knowledge_floor"]
        return self.model.demand[m] * scale * np.exp(appeal) * (floor + (1.0 - floor) * self.knowledge[m])

    def horizon_value(self, m, appeal):
        """Profit expected over the horizon (valuation.rs, `horizon_value`,
        without the product layer: a constant profit, discounted)."""
        model = self.model
        profit = self.expected_sales(m, appeal) / model.p["operations"]["elasticity"] - model.world.fixed_cost[m]
        return model.horizon_weight * profit

    def enter(self, ties):
        """Enter the best candidates the strategy and cash allow; returns how many (entry.rs, `enter`)."""
        allowance = self.entry_allowance()
        if allowance == 0:
            return 0
        idx = self.candidates(ties)
        if len(idx) == 0:
            return 0
        p, w = self.model.p, self.model.world
        e = p["entry"]
        k = self.knowledge[idx]
        estimate = np.where(
            self.revealed[idx], self.appeal[idx], self.appeal[idx] + e["signal_sd"] * (1.0 - k) * self.bias[idx]
        )
        value = self.horizon_value(idx, estimate)
        cost = w.entry_cost[idx]
        uncertainty = w.distance[idx] * (1.0 - k) * (1.0 - np.minimum(ties[idx], 1.0))
        surplus = value - e["risk_weight"] * (1.0 - self.eo) * uncertainty * cost - cost
        good = surplus > 0.0
        if not good.any():
            return 0
        # Best surplus first, ties by market (np.lexsort sorts by its last key first).
        ranked = np.lexsort((idx[good], -surplus[good]))
        sequential = self.strategy in (WATERFALL, GRADUAL)
        credit = 0.0 if (p["strategy"]["self_funded"] and sequential) else p["firms"]["credit_line"]
        entered = 0
        for m in idx[good][ranked]:
            if entered == allowance:
                break
            c = w.entry_cost[m]
            if self.cash - c >= -credit:
                self.cash -= c
                self.start_spell(m)
                entered += 1
        return entered

    def start_spell(self, m):
        """Begin a spell in m: the sunk cost is paid (entry.rs, `start_spell`)."""
        self.present[m] = True
        self.profit[m] = False
        self.matured[m] = False
        self.spell_start[m] = self.model.round
        self.losses[m] = 0
        if self.order[m] == 0:
            self.distinct += 1
            self.order[m] = self.distinct

    def operate(self):
        """Sell at home and in every served market, with demand shocks; book
        profits in cash (operations.rs, `operate`). Returns export sales and
        the number of markets with sales."""
        model = self.model
        o = model.p["operations"]
        w = model.world
        sd = o["demand_shock"]
        served = np.flatnonzero(self.present)
        shock = np.exp(sd * model.rng.standard_normal(len(served) + 1) - sd * sd / 2.0)
        scale = math.exp((o["elasticity"] - 1.0) * self.ln_phi)
        home = model.home_demand * scale * shock[0]
        cash = home / o["elasticity"] - w.home_fixed_cost
        exports, markets = 0.0, 0
        if len(served) > 0:
            sales = self.expected_sales(served, self.appeal[served]) * shock[1:]
            pi = sales / o["elasticity"] - w.fixed_cost[served]
            self.revealed[served] = True
            self.profit[served] = pi > 0.0
            exports = float(sales.sum())
            markets = int(np.count_nonzero(sales > 0.0))
            cash += float(pi.sum())
        self.cash += cash
        return exports, markets

    def leave_markets(self):
        """Leave markets that do not pay in expectation or have lost money for
        more than `patience` rounds; orientation falls at an exit and rises when
        a market matures in profit (exit.rs, `leave_markets`). Returns exits."""
        model = self.model
        x, st = model.p["exit"], model.p["strategy"]
        served = np.flatnonzero(self.present)
        if len(served) == 0:
            return 0
        expected = self.horizon_value(served, self.appeal[served])
        exits = 0
        for m, value in zip(served.tolist(), expected.tolist()):
            profitable = self.profit[m]
            self.losses[m] = 0 if profitable else min(self.losses[m] + 1, MAX_LOSSES)
            if value < 0.0 or self.losses[m] > x["patience"]:
                self.close_spell(m, "exit")
                self.eo -= x["failure_eo"] * self.eo
                exits += 1
            elif profitable and not self.matured[m] and model.round + 1 - self.spell_start[m] >= st["mature_rounds"]:
                self.matured[m] = True
                self.eo += x["success_eo"] * (1.0 - self.eo)
        return exits

    def dies(self):
        """Insolvency or the exogenous hazard; one draw either way (exit.rs, `dies`)."""
        f = self.model.p["firms"]
        u = self.random.random()
        return self.cash < -f["credit_line"] or u < f["death_rate"]

    def close_spell(self, m, cause):
        """End the spell in m and record it (exit.rs, `close_spell`)."""
        model = self.model
        self.present[m] = False
        self.matured[m] = False
        self.losses[m] = 0
        start = int(self.spell_start[m])
        model.spells.append(
            (model.replication, self.firm, m + 1, start, model.round, model.round - start + 1,
             int(cause == "censored"), cause, int(self.order[m]))
        )

    def close_all(self, cause):
        """End every running spell (firm death, or censoring after the last round)."""
        for m in np.flatnonzero(self.present).tolist():
            self.close_spell(m, cause)


class SmeModel(mesa.Model):
    """One replication: a population of firms in the fixed world."""

    def __init__(self, p, world, firms, rounds, replication, seed):
        super().__init__(seed=seed)
        self.p, self.world = p, world
        self.rounds, self.replication = rounds, replication
        self.round = 0
        s = p["strategy"]["shares"]
        acc, self.cumulative_shares = 0.0, []
        for name in STRATEGIES:
            acc += s[name]
            self.cumulative_shares.append(acc)
        e = p["entry"]
        self.horizon_weight = horizon_weight(e["horizon"], e["discount_rate"])
        self.sizes = world.size.copy()
        self.spells = []  # rows of spells.csv
        self.rows = []  # rows of rounds.csv
        self.build_environment()
        for _ in range(firms):
            Firm(self)
        self.births_due = p["firms"]["births_per_round"]

    def draw(self, dist):
        """One draw from a scenario distribution (scenario/dist.rs)."""
        (kind, value), = dist.items()
        if kind == "fixed":
            return float(value)
        a, b = value
        if kind == "uniform":
            return a + (b - a) * self.random.random()
        if kind == "normal":
            return self.random.gauss(a, b)
        if kind == "lognormal":
            s2 = math.log(1.0 + (b / a) ** 2)
            return self.random.lognormvariate(math.log(a) - s2 / 2.0, math.sqrt(s2))
        if kind == "beta":
            return self.random.betavariate(a, b)
        raise ValueError(f"unknown distribution {kind}")

    def build_environment(self):
        """What every firm reads this round (model/mod.rs, `Env::new`)."""
        w, size = self.world, self.sizes
        self.demand = size[1:] * (1.0 - w.competition[1:]) / w.trade_cost[1:]
        self.home_demand = size[0] * (1.0 - w.competition[0]) / w.trade_cost[0]
        self.direct_ties = np.cumsum(size[1:] * np.exp(-w.distance / self.p["network"]["distance_decay"]))
        self.remote_ties = np.cumsum(size[1:][None, :] * w.similarity, axis=1)

    def step(self):
        """One round (replication.rs, `Replication::step`)."""
        self.round += 1
        self.sizes *= 1.0 + self.world.growth
        self.build_environment()
        for _ in range(self.births_due):
            Firm(self)
        self.agents.do("step")
        self.tally()
        dead = [f for f in self.agents if f.died]
        for f in dead:
            f.remove()
        self.births_due = self.p["firms"]["births_per_round"] + (len(dead) if self.p["firms"]["replace_dead"] else 0)
        if self.round == self.rounds:
            for f in self.agents:
                f.close_all("censored")

    def tally(self):
        """The round's figures for all firms, then per strategy as smesim writes
        them when strategies are mixed (observe.rs, `Tally`)."""
        # Per group: alive, births, deaths, exporter deaths, exporters, entries, exits, markets.
        groups = [[0] * 8 for _ in range(len(STRATEGIES) + 1)]
        for f in self.agents:
            for g in (groups[0], groups[f.strategy + 1]):
                g[1] += f.birth == self.round
                g[5] += f.entries
                g[6] += f.exits
                if f.died:
                    g[2] += 1
                    g[3] += f.exports > 0.0
                    continue
                g[0] += 1
                if f.exports > 0.0:
                    g[4] += 1
                    g[7] += f.markets_served
        mixed = sum(1 for s in self.p["strategy"]["shares"].values() if s > 0.0) > 1
        for i, (alive, births, deaths, exporter_deaths, exporters, entries, exits, markets) in enumerate(groups):
            if i > 0 and not (mixed and self.p["strategy"]["shares"][STRATEGIES[i - 1]] > 0.0):
                continue
            self.rows.append(
                (self.replication, self.round, "all" if i == 0 else STRATEGIES[i - 1], alive, births, deaths,
                 exporter_deaths, exporters, exporters / alive if alive else math.nan, entries, exits,
                 markets / exporters if exporters else math.nan)
            )


def horizon_weight(horizon, rate):
    """Sum of discount weights over the horizon: `horizon` when undiscounted
    (valuation.rs with the product layer off: profit is the same every round)."""
    if rate == 0.0:
        return horizon
    beta, whole = 1.0 / (1.0 + rate), math.floor(horizon)
    part = horizon - whole
    total, weight = 0.0, 1.0
    for s in range(whole + 1):
        share = 1.0 if s < whole else part
        if share == 0.0:
            break
        total += share * weight
        weight *= beta
    return total


ROUND_COLUMNS = ("replication", "round", "strategy", "alive", "births", "deaths", "exporter_deaths", "exporters",
                 "exporter_share", "entries", "exits", "mean_markets_per_exporter")
SPELL_COLUMNS = ("replication", "firm", "market", "start", "end", "duration", "censored", "end_cause", "order")
