"""Redemption and renewal risk: what if holders want out early, or do not renew at maturity?

The model, holder by holder (every parameter is an input of ``[risk]``):

- Each holder may ask to redeem early in the bond years after the lock-in and before the
  last one, with an annual probability (by campaign segment). A **stress year**, drawn once
  per fiscal year for all holders, raises every holder's probability that year to the
  stress probability: requests come together, the way real runs do.
- A request comes at a uniformly drawn month of its bond year and is paid ``notice_months``
  later (at maturity if that is later), at the holder's remaining balance: for an
  amortising series what the schedule still owes it, for an accumulating series its
  principal with the interest capitalised to date. With an **annual cap**, payments beyond the cap of a
  fiscal year wait for the next one, oldest requests first; what still waits at a series'
  maturity is paid then.
- At maturity each holder still there **renews** with ``renewal_rate``; the others, and
  those whose request was still waiting, are repaid.

The draw is cheap because few numbers are drawn: for each group of holders with the same
terms, the holders who ask within the window are found by geometric skips over all
(path, holder) pairs, and only those get a request year and month; stress requests are
drawn only in stress years. Money is in cents; paths are vectorised, loops run over years.

Without a cap the expected outflow has a closed form (each year's hazard is the mean
of the normal and stress probabilities, independently from year to year); the tests check
the simulation against it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bondkit.core.conventions import add_months, fiscal_year, money
from bondkit.core.terms import RiskTerms, SeriesTerms
from bondkit.models.holders import Holders, equal_holders, holders_from_register

__all__ = [
    "RISK_STREAM",
    "holders_from_register",
    "equal_holders",
    "Holders",
    "RiskSimulation",
    "simulate_risk",
]

#: the random stream of the risk simulation, derived from the scenario seed
RISK_STREAM = 4


@dataclass(frozen=True)
class RiskSimulation:
    """Principal paid out by path and fiscal year [cents]; ``years`` are the fiscal years."""

    seed: int
    paths: int
    years: np.ndarray
    early: np.ndarray  # [paths, years] early redemptions paid
    scheduled: np.ndarray  # [paths, years] scheduled repayments before maturity (amortising series)
    interest_shift: (
        np.ndarray
    )  # [paths, years] capitalised interest paid early (+) / saved at maturity (-)
    maturity: np.ndarray  # [paths, years] principal repaid at maturity
    renewed: np.ndarray  # [paths, years] principal rolled over at maturity
    requested: np.ndarray  # [paths, years] early requests made (by payment year before any cap)
    stress: np.ndarray  # [paths, years] bool
    issued: int

    @property
    def outflow(self) -> np.ndarray:
        """Paid out each year beyond the planned coupons: principal, and the capitalised
        interest of accumulating bonds redeemed early (less what they no longer get at
        maturity) [cents]."""
        return self.early + self.scheduled + self.maturity + self.interest_shift


def _skip_hits(rng, n: int, p: float) -> np.ndarray:
    """Sorted positions in ``range(n)`` each hit independently with probability ``p``.

    Draws about ``n x p`` numbers (geometric gaps between hits) instead of ``n``.
    """
    if p <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if p >= 1:
        return np.arange(n, dtype=np.int64)
    out = []
    start = -1
    log_q = np.log1p(-p)
    while True:
        m = int(max(64, (n - start) * p * 1.1 + 10 * np.sqrt((n - start) * p + 1)))
        gaps = np.floor(np.log(rng.random(m)) / log_q).astype(np.int64) + 1
        pos = start + np.cumsum(gaps)
        keep = pos[pos < n]
        out.append(keep)
        if len(keep) < m:
            break
        start = int(pos[-1])
    return np.concatenate(out)


#: (path, holder) pairs handled at once: bounds the memory and keeps the work in cache
CHUNK = 500_000
#: blocks simulated at the same time (numpy releases the GIL in the heavy work)
THREADS = min(2, os.cpu_count() or 1)


#: resolution of the per-holder draws: probabilities are resolved to 1/65,536 (and the
#: month of a request within its year to within 1/5,461 of uniform)
LEVELS = 2**16


def _uniform16(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` independent uniform 16-bit integers, four from each raw 64-bit output."""
    return rng.bit_generator.random_raw(-(-n // 4)).view(np.uint16)[:n]


def _amount_tables(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For packed bit masks: the sum of the amounts of every subset of 8 consecutive holders
    (one 256-entry table per group of 8, flattened), and each group's offset in it."""
    groups = -(-len(a) // 8)
    padded = np.zeros(groups * 8, dtype=np.int64)
    padded[: len(a)] = a
    bits = (np.arange(256)[:, None] >> (7 - np.arange(8))[None, :]) & 1  # np.packbits order
    return (bits @ padded.reshape(groups, 8).T).T.ravel(), np.arange(groups, dtype=np.intp) * 256


def _masked_sums(mask: np.ndarray, tables: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per row of a (paths, holders) boolean mask, the sum of the masked holders' amounts."""
    return tables[np.packbits(mask, axis=1) + offsets].sum(axis=1)


def _group(rng, terms, a, p, stress, y0, y1, term, start_fy, tables, a_tiled, month_fy, Y):
    """Holders with the same terms over a block of paths: requests and maturity [cents].

    One 16-bit draw per (path, holder) decides both its normal request year (inverse
    transform of the geometric law over the window) and, for a holder who does not ask,
    whether it renews at maturity (the same draw, shifted, is uniform on what is left and
    independent of the request year). Stress requests are drawn only in stress years.
    Returns (early requests by path and month of payment — or by fiscal year when
    ``month_fy`` is given, for series that repay everything at maturity —, requests
    payable only at maturity by path, leaving at maturity by path, renewing at maturity by
    path), all as original holdings (before any scheduled repayment) [cents].
    """
    P, H = stress.shape[0], len(a)
    n = P * H
    req = np.zeros((P, Y if month_fy is not None else term + 1))
    late = np.zeros(P, dtype=np.int64)
    u = _uniform16(rng, n)
    window = max(y1 - y0 + 1, 0)
    cut = int((1 - (1 - p) ** window) * LEVELS) if window else 0  # a normal request in the window
    if cut:
        asked = np.flatnonzero(u < cut)
        # the request falls in year k of the window when u < (1 - (1 - p)^k) x LEVELS
        ua = u[asked]
        year = np.full(len(asked), y0, dtype=np.int8)
        for k in range(1, window):
            year += ua >= int((1 - (1 - p) ** k) * LEVELS)
    else:
        asked, year = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8)
    newcomers = np.zeros(0, dtype=np.int64)  # asked only because of a stress year
    if window and terms.stress_probability > 0 and terms.stress_annual_probability > p:
        extra = (terms.stress_annual_probability - p) / (1 - p)  # on top of the normal chance
        # every (path, bond year) of the window that is a stress year, then its holders
        pairs = np.flatnonzero(stress[:, start_fy[y0 - 1 : y1]])
        hits = _skip_hits(rng, len(pairs) * H, extra)
        if len(hits):
            pair, holder = np.divmod(hits, H)
            path_, y = np.divmod(pairs[pair], y1 - y0 + 1)
            idx, y = path_ * H + holder, (y + y0).astype(np.int8)
            order = np.lexsort((y, idx))  # a holder asked in several stress years: the first
            idx, y = idx[order], y[order]
            keep = np.concatenate([[True], idx[1:] != idx[:-1]])
            idx, y = idx[keep], y[keep]
            pos = np.minimum(np.searchsorted(asked, idx), max(len(asked) - 1, 0))
            known = (asked[pos] == idx) if len(asked) else np.zeros(len(idx), dtype=bool)
            year[pos[known]] = np.minimum(year[pos[known]], y[known])
            newcomers = idx[~known]
            asked = np.concatenate([asked, newcomers])
            year = np.concatenate([year, y[~known]])
    if len(asked):
        asked = asked.astype(np.int32)
        path = asked // np.int32(H)
        w = a_tiled[asked]
        months = (_uniform16(rng, len(asked)).astype(np.int32) * 12) >> 16  # 0..11
        month = 12 * (year.astype(np.int32) - 1) + months + np.int32(terms.notice_months)
        at_maturity = month >= term
        if at_maturity.any():  # a request whose notice runs past maturity: paid then
            late = np.bincount(path[at_maturity], weights=w[at_maturity], minlength=P).astype(
                np.int64
            )
            early = ~at_maturity
            path, month, w = path[early], month[early], w[early]
        if month_fy is not None:  # principal all at maturity: bin straight by fiscal year
            req = np.bincount(path * Y + month_fy[month], weights=w, minlength=P * Y).reshape(P, Y)
        else:
            req = np.bincount(
                path * (term + 1) + month, weights=w, minlength=P * (term + 1)
            ).reshape(P, term + 1)
    # at maturity a holder who did not ask leaves with probability 1 - renewal_rate; for a
    # holder with u >= cut, (u - cut) is uniform on what is left and independent of the rest
    leave = int((1 - terms.renewal_rate) * (LEVELS - cut))
    if leave >= LEVELS - 1:
        leaves = u >= cut
    elif leave:
        leaves = (u - np.uint16(cut)) < np.uint16(leave)  # wraps for u < cut: False
    else:
        leaves = np.zeros(n, dtype=bool)
    if len(newcomers):
        leaves[newcomers] = False  # those who asked in a stress year are gone already
    repaid = _masked_sums(leaves.reshape(P, H), *tables)
    stayed = int(a.sum()) - np.rint(req.sum(axis=1)).astype(np.int64) - late
    return req, late, repaid, stayed - repaid


@dataclass(frozen=True)
class _Plan:
    """How a series repays one unit of principal, month by month after its issue.

    early[m, y] — what a holding redeemed early at month m is paid, in fiscal year y (the
    balance left after the scheduled repayments made up to m); gone[m, y] — the scheduled
    repayments it no longer gets in fiscal year y; scheduled[y] — the planned repayments
    before the final one [cents]; final — the share of principal paid at maturity.
    For an accumulating series, interest[m, y] is the capitalised interest a holding
    redeemed at month m is paid with its principal, and interest_final the interest one
    unit earns to maturity, which a holding redeemed early no longer gets.
    """

    early: np.ndarray
    gone: np.ndarray
    scheduled: np.ndarray
    final: float
    final_fy: int
    interest: np.ndarray
    interest_final: float


def _plan(s: SeriesTerms, term: int, first_fy: int, Y: int, fiscal_year_end: str) -> _Plan:
    from bondkit.core.schedule import periods, series_schedule

    sched = series_schedule(s)
    per = periods(s)
    amount = s.amount_cents
    month_of = [
        (d.year - s.issue_date.year) * 12 + d.month - s.issue_date.month for d in per.unadjusted_end
    ]
    fy_of = [fiscal_year(d.date(), fiscal_year_end) - first_fy for d in sched["date"]]
    principal = sched["principal"].to_numpy(dtype=np.int64)
    month_fy = [
        fiscal_year(add_months(s.issue_date, k), fiscal_year_end) - first_fy
        for k in range(term + 1)
    ]
    early = np.zeros((term + 1, Y))
    gone = np.zeros((term + 1, Y))
    interest = np.zeros((term + 1, Y))
    interest_final = 0.0
    if s.repayment == "accumulating":
        from bondkit.core.metrics import accrued_interest

        for m in range(term):
            at = add_months(s.issue_date, m)
            interest[m, month_fy[m]] = accrued_interest(s, at) / amount
        interest_final = float(sched["interest"].iloc[-1]) / amount
    scheduled = np.zeros(Y, dtype=np.int64)
    for k in range(len(principal) - 1):
        scheduled[fy_of[k]] += principal[k]
    for m in range(term):
        paid = sum(int(principal[k]) for k in range(len(principal) - 1) if month_of[k] <= m)
        early[m, month_fy[m]] = (amount - paid) / amount
        for k in range(len(principal) - 1):
            if month_of[k] > m:
                gone[m, fy_of[k]] += principal[k] / amount
    return _Plan(
        early, gone, scheduled, float(principal[-1]) / amount, fy_of[-1], interest, interest_final
    )


def simulate_risk(
    terms: RiskTerms,
    series: Sequence[SeriesTerms],
    holders: Holders,
    seed: int = 0,
    fiscal_year_end: str = "12-31",
    paths: int | None = None,
    as_of: dt.date | None = None,
    waiting: pd.DataFrame | None = None,
) -> RiskSimulation:
    """Simulate early redemptions and renewals for ``paths`` paths (default ``terms.paths``).

    ``as_of`` (the date of a register of holders) starts the requests there: no request is
    drawn in the bond years that ended before it (what happened then is in the register);
    the bond year under way on ``as_of`` is drawn whole (the cautious side). ``waiting``
    (``series`` id, ``amount`` [cents], ``month``: months after the series' issue it is
    payable) are the register's requests already made: on every path, not drawn again
    (their bonds are not in ``holders``), under the annual cap like the others.

    Same seed, same numbers: the stress years come from numpy's SFC64 generator seeded with
    ``SeedSequence([seed, RISK_STREAM])``, and each block of holders and paths from its own
    ``SeedSequence([seed, RISK_STREAM, series, segment, block])``, so the result does not
    depend on how many threads run the blocks (SFC64: the fastest of numpy's generators here).
    Amounts in the result are cents by path and fiscal year; probabilities are fractions.

    A 100,000 $ 5-year bullet held in 100 holdings of 1,000 $; each holder asks to redeem
    with probability 5 % a year in bond years 2 to 4, and 60 % of those left renew. The
    expected early redemptions are 100,000 x (1 - 0.95^3) = 14,262.50 $; 400 paths (keep
    paths small to explore; the scenario default is 10,000):

    >>> import datetime as dt
    >>> from bondkit.core.terms import RiskTerms, SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> terms = RiskTerms(annual_probability=0.05, lock_in_years=1, renewal_rate=0.6)
    >>> sim = simulate_risk(terms, [s], equal_holders([s], 1_000), seed=1, paths=400)
    >>> sim.years.tolist()
    [2027, 2028, 2029, 2030, 2031, 2032]
    >>> float(sim.early.sum(axis=1).mean()) / 100  # mean early redemptions [currency]
    14150.0
    >>> paid = sim.early + sim.maturity + sim.renewed  # every path accounts for 100,000 $
    >>> bool((paid.sum(axis=1) == 10_000_000).all())
    True
    """
    P = terms.paths if paths is None else paths
    rng = np.random.Generator(np.random.SFC64(np.random.SeedSequence([seed, RISK_STREAM])))
    first_fy = min(fiscal_year(s.issue_date, fiscal_year_end) for s in series)
    from bondkit.core.schedule import periods

    last_fy = max(fiscal_year(periods(s).end[-1], fiscal_year_end) for s in series)  # last payment
    years = np.arange(first_fy, last_fy + 1)
    Y = len(years)
    stress = rng.random((P, Y)) < terms.stress_probability
    requested = np.zeros((P, Y), dtype=np.int64)
    requested_by_series = np.zeros((len(series), P, Y), dtype=np.int64)
    late = np.zeros((len(series), P), dtype=np.int64)  # requests only payable at maturity
    maturity = np.zeros((P, Y), dtype=np.int64)
    renewed = np.zeros((P, Y), dtype=np.int64)
    scheduled = np.zeros((P, Y), dtype=np.int64)  # scheduled repayments before maturity
    # accumulating series: interest paid early with redemptions (+), then not at maturity (-)
    interest_shift = np.zeros((P, Y), dtype=np.int64)
    final_fy: list[int] = []  # fiscal year of each series' last payment
    issued = int(holders.amount.sum())  # with the requests waiting, which are still held
    if waiting is not None:
        ids = {s.id for s in series}
        issued += int(waiting.loc[waiting["series"].isin(ids), "amount"].sum())

    for j, s in enumerate(series):
        term = (s.maturity.year - s.issue_date.year) * 12 + s.maturity.month - s.issue_date.month
        bond_years = -(-term // 12)
        y0, y1 = terms.lock_in_years + 1, bond_years - 1  # request window, bond years
        if as_of is not None:  # bond years already over are the register's, not drawn
            months = (as_of.year - s.issue_date.year) * 12 + as_of.month - s.issue_date.month
            months -= as_of.day < s.issue_date.day
            y0 = max(y0, months // 12 + 1)
        plan = _plan(s, term, first_fy, Y, fiscal_year_end)
        final_fy.append(plan.final_fy)
        # a series that repays all at maturity needs no month-by-month balance
        bullet_like = not plan.gone.any() and not plan.interest.any()
        month_fy = np.argmax(plan.early, axis=1).astype(np.int32) if bullet_like else None
        start_fy = np.array(
            [
                fiscal_year(add_months(s.issue_date, 12 * (y - 1)), fiscal_year_end) - first_fy
                for y in range(1, bond_years + 1)
            ],
            dtype=np.int64,
        )
        gone = np.zeros((P, Y))
        paid_interest = np.zeros((P, Y))  # capitalised interest paid with early redemptions
        saved_interest = np.zeros(P)  # ... and no longer paid at maturity
        leaving = np.zeros(P, dtype=np.int64)  # holdings leaving at maturity, before repayments
        mine = holders.series == j
        # what this series' holders hold: its amount, except with the real register of
        # holders, where the bonds not sold (or redeemed) are nobody's
        held = int(holders.amount[mine].sum())
        blocks = []  # (rows, holdings, probability, tables, tiled holdings, random stream)
        # grouped by integer codes, never by comparing names in numpy: numpy's strings drop
        # a trailing NUL, so "Membres\x00" would match "Membres" (issue #11)
        codes, segments = pd.factorize(
            pd.Series(holders.segment[mine], dtype=object), use_na_sentinel=False
        )
        own_amounts = holders.amount[mine]
        for g, segment in enumerate(segments):
            a = own_amounts[codes == g]
            step = max(1, CHUNK // len(a))
            tables, a_tiled = _amount_tables(a), np.tile(a.astype(np.float64), min(step, P))
            for c, c0 in enumerate(range(0, P, step)):
                # each block has its own stream, so the numbers do not depend on the threads
                stream = np.random.SeedSequence([seed, RISK_STREAM, j, g, c])
                blocks.append(
                    (
                        slice(c0, min(P, c0 + step)),
                        a,
                        terms.probability(segment),
                        tables,
                        a_tiled,
                        stream,
                    )
                )

        known, known_late = _known(waiting, s.id, term, month_fy, Y)
        if known is not None:  # the requests made: the same on every path
            held += int(known.sum()) + known_late
            late[j] += known_late
            leaving += known_late
            if month_fy is not None:
                requested_by_series[j] += np.rint(known).astype(np.int64)
            else:
                requested_by_series[j] += np.rint(known @ plan.early).astype(np.int64)
                gone += known @ plan.gone
                paid_interest += known @ plan.interest
                saved_interest += known.sum() * plan.interest_final

        def block(b, term=term, y0=y0, y1=y1, start_fy=start_fy, month_fy=month_fy):
            rows, a, p, tables, a_tiled, stream = b
            rng_b = np.random.Generator(np.random.SFC64(stream))
            return _group(
                rng_b,
                terms,
                a,
                p,
                stress[rows],
                y0,
                y1,
                term,
                start_fy,
                tables,
                a_tiled,
                month_fy,
                Y,
            )

        # numpy releases the GIL in the heavy work: two threads use the two cores
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            for (rows, *_), (req, late_c, repaid, _) in zip(
                blocks, pool.map(block, blocks), strict=True
            ):
                if month_fy is not None:
                    requested_by_series[j, rows] += np.rint(req).astype(np.int64)
                else:
                    requested_by_series[j, rows] += np.rint(req @ plan.early).astype(np.int64)
                    gone[rows] += req @ plan.gone
                    paid_interest[rows] += req @ plan.interest
                    saved_interest[rows] += req.sum(axis=1) * plan.interest_final
                late[j, rows] += late_c
                leaving[rows] += repaid + late_c
        planned = plan.scheduled
        if held != s.amount_cents:  # the holders' share of the planned repayments
            planned = np.rint(plan.scheduled * (held / s.amount_cents)).astype(np.int64)
        paid_plan = planned[None, :] - np.rint(gone).astype(np.int64)
        scheduled += paid_plan
        maturity[:, plan.final_fy] += np.rint(leaving * plan.final).astype(np.int64)
        # what is left renews: the holders' principal less everything paid out (absorbs
        # rounding)
        renewed[:, plan.final_fy] += (
            held
            - requested_by_series[j].sum(axis=1)
            - paid_plan.sum(axis=1)
            - np.rint(leaving * plan.final).astype(np.int64)
        )
        requested += requested_by_series[j]
        interest_shift += np.rint(paid_interest).astype(np.int64)
        interest_shift[:, plan.final_fy] -= np.rint(saved_interest).astype(np.int64)

    # the annual cap: payments beyond it wait, oldest first; what waits at maturity is paid then
    early = np.zeros((P, Y), dtype=np.int64)
    if terms.annual_cap is None:
        early = requested.copy()
    else:
        cap = int(np.floor(terms.annual_cap * issued))
        queue = np.zeros((len(series), P, Y), dtype=np.int64)  # waiting, by series and year asked
        for f in range(Y):
            queue[:, :, f] += requested_by_series[:, :, f]
            room = np.full(P, cap, dtype=np.int64)
            for g in range(f + 1):  # oldest requests first, series in file order
                for j in range(len(series)):
                    pay = np.minimum(queue[j, :, g], room)
                    queue[j, :, g] -= pay
                    room -= pay
                    early[:, f] += pay
            for j in range(len(series)):
                if final_fy[j] == f:
                    waiting = queue[j].sum(axis=1)  # paid at maturity instead of renewing
                    maturity[:, f] += waiting
                    queue[j] = 0
    return RiskSimulation(
        seed=seed,
        paths=P,
        years=years,
        early=early,
        maturity=maturity,
        renewed=renewed,
        requested=requested,
        stress=stress,
        issued=issued,
        scheduled=scheduled,
        interest_shift=interest_shift,
    )


def _known(
    waiting: pd.DataFrame | None, sid: str, term: int, month_fy: np.ndarray | None, Y: int
) -> tuple[np.ndarray | None, int]:
    """Series ``sid``'s requests already made, as :func:`_group`'s requests of one path
    (by month after issue, or by fiscal year when ``month_fy`` is given), and what is only
    payable at maturity [cents]."""
    if waiting is None or not (mine := waiting[waiting["series"] == sid]).size:
        return None, 0
    month = np.maximum(mine["month"].to_numpy(dtype=np.int64), 0)
    amount = mine["amount"].to_numpy(dtype=np.float64)
    early = month < term
    late = int(amount[~early].sum())
    if month_fy is not None:
        return np.bincount(month_fy[month[early]], weights=amount[early], minlength=Y), late
    return np.bincount(month[early], weights=amount[early], minlength=term + 1), late


def liquidity_table(sim: RiskSimulation, planned_principal: np.ndarray) -> pd.DataFrame:
    """By fiscal year: expected outflows and the quantiles of the liquidity need [cents].

    The need of a year is the principal paid out that year (early redemptions plus
    repayments at maturity); ``need_p05`` ... ``need_p99`` are its quantiles over the paths
    (inverted CDF: each is an amount some path really paid). ``planned_principal`` is what
    the schedule repays each fiscal year (aligned with ``sim.years``).
    """
    out = sim.outflow
    levels = {
        "need_p05": 0.05,
        "need_p25": 0.25,
        "need_p50": 0.5,
        "need_p75": 0.75,
        "need_p95": 0.95,
        "need_p99": 0.99,
    }
    table = pd.DataFrame(
        {
            "fiscal_year": sim.years,
            "planned_principal": planned_principal,
            "expected_early": sim.early.mean(axis=0),
            "expected_maturity": sim.maturity.mean(axis=0),
            "expected_renewed": sim.renewed.mean(axis=0),
            "expected_outflow": out.mean(axis=0),
            "p_stress": sim.stress.mean(axis=0),
        }
    )
    for col, level in levels.items():
        table[col] = np.quantile(out, level, axis=0, method="inverted_cdf")
    return table


def shortfall(
    sim: RiskSimulation,
    planned_principal: np.ndarray,
    cash_end: np.ndarray,
    minimum_cash: int,
    level: float,
) -> dict:
    """Probability of a liquidity shortfall and the reserve that keeps it under ``level``.

    A path's cash in a year is the planned closing cash (which already pays the planned
    principal) plus the principal planned to date minus what the path paid out to date; a
    shortfall is a year whose cash falls below ``minimum_cash``. Interest saved on bonds
    redeemed early is not counted (prudent).
    """
    gap = np.cumsum(sim.outflow - planned_principal[None, :], axis=1)
    cash = cash_end[None, :] - gap
    low = cash < minimum_cash
    worst = np.max(minimum_cash - cash, axis=1)
    need = float(np.quantile(np.maximum(worst, 0), 1 - level, method="inverted_cdf"))
    return {
        "p_shortfall": float(low.any(axis=1).mean()),
        "p_shortfall_by_year": low.mean(axis=0),
        "recommended_reserve": int(np.ceil(need)),
        "worst_gap": worst,
    }


@dataclass(frozen=True)
class RiskResult:
    """The risk part of a run: liquidity need by fiscal year and the shortfall [cents]."""

    terms: RiskTerms
    holders: Holders
    simulation: RiskSimulation
    table: pd.DataFrame  # liquidity_table, plus p_shortfall by year when capacity is known
    p_shortfall: float | None
    recommended_reserve: int
    holders_from_register: bool
    #: the holders are the real register's holdings, as they are (not repeated to make up
    #: each series' amount): see :func:`holders_from_register` with ``exact``
    exact: bool = False
    #: the year-end cash of every path before any reserve, less the minimum cash, at its
    #: lowest over the years [cents]: a reserve R avoids a shortfall on a path iff
    #: R >= this; None without a capacity analysis
    worst_gap: np.ndarray | None = field(default=None, compare=False, repr=False)

    def shortfall_curve(self, reserves_cents: Sequence[int] | np.ndarray) -> np.ndarray:
        """The chance of a liquidity shortfall if the enterprise held each extra reserve
        [cents] in every fiscal year, on the same simulated paths (exact, no new draws).

        At 0 it is :attr:`p_shortfall`; at :attr:`recommended_reserve` it is at most the
        scenario's ``shortfall_level``. Raises ValueError without a capacity analysis.

        >>> from bondkit.runner import run
        >>> from bondkit.scenario import load_example
        >>> sc = load_example("building-purchase-2010").with_changes(
        ...     {"campaign.simulations": 200, "risk.paths": 500})
        >>> risk = run(sc).risk
        >>> curve = risk.shortfall_curve([0, risk.recommended_reserve])
        >>> bool(curve[0] == risk.p_shortfall), bool(curve[1] <= 0.05)
        (True, True)
        """
        if self.worst_gap is None:
            raise ValueError("a shortfall curve needs the cash of a [capacity] analysis")
        worst = np.sort(self.worst_gap)
        reserves = np.asarray(reserves_cents, dtype=np.float64)
        # paths whose worst gap exceeds the reserve still fall short
        above = len(worst) - np.searchsorted(worst, reserves, side="right")
        return above / len(worst)

    def summary(self) -> dict:
        def by_year(col: str) -> dict[str, float]:
            return {
                str(int(y)): money(v)
                for y, v in zip(self.table["fiscal_year"], self.table[col], strict=True)
            }

        return {
            "paths": self.simulation.paths,
            "seed": self.simulation.seed,
            "holders": len(self.holders.amount),
            "holders_from_register": self.holders_from_register,
            "expected_outflow_by_year": by_year("expected_outflow"),
            "expected_early_by_year": by_year("expected_early"),
            "expected_renewed": money(self.simulation.renewed.sum(axis=1).mean()),
            "liquidity_need_p50_by_year": by_year("need_p50"),
            "liquidity_need_p95_by_year": by_year("need_p95"),
            "liquidity_need_p99_by_year": by_year("need_p99"),
            "p_shortfall": self.p_shortfall,
            "shortfall_level": self.terms.shortfall_level,
            "recommended_reserve": money(self.recommended_reserve),
        }


def assess_risk(
    terms: RiskTerms,
    series: Sequence[SeriesTerms],
    fiscal: pd.DataFrame,
    seed: int,
    fiscal_year_end: str = "12-31",
    register: pd.DataFrame | None = None,
    cash_end: pd.Series | None = None,
    minimum_cash: int = 0,
    exact: bool = False,
    as_of: dt.date | None = None,
    waiting: pd.DataFrame | None = None,
) -> RiskResult:
    """Simulate the holders' behaviour and measure the liquidity need and shortfall.

    ``fiscal`` is the issue's debt service by fiscal year; ``cash_end`` the planned closing
    cash by fiscal year (indexed by fiscal year) from the capacity analysis, when known.
    ``register`` (columns ``series``, ``amount`` in cents, ``segment``) is the simulated
    campaign's register, repeated to make up each series; with ``exact``, the real
    register of holders, whose holdings are the holders as they are (an empty one: no
    holder at all), and ``as_of`` its date: requests are drawn from then on, and those
    ``waiting`` already made are paid on every path (see :func:`simulate_risk`).
    """
    if exact:
        if register is None:
            raise ValueError("exact holders need a register")
        from_register = True
        holders = holders_from_register(register, series, terms.holding, exact=True)
    else:
        from_register = register is not None and bool((register["amount"] > 0).any())
        holders = (
            holders_from_register(register, series, terms.holding)
            if from_register
            else equal_holders(series, terms.holding)
        )
    sim = simulate_risk(terms, series, holders, seed, fiscal_year_end, as_of=as_of, waiting=waiting)
    planned = (
        fiscal.set_index("fiscal_year")["principal"]
        .reindex(sim.years, fill_value=0)
        .to_numpy(dtype=np.int64)
    )
    table = liquidity_table(sim, planned)
    if cash_end is not None:
        cash = cash_end.reindex(sim.years).ffill().fillna(0).to_numpy(dtype=np.int64)
        short = shortfall(sim, planned, cash, minimum_cash, terms.shortfall_level)
        table["p_shortfall"] = short["p_shortfall_by_year"]
        p_short = short["p_shortfall"]
    else:
        short = shortfall(
            sim, planned, np.zeros(len(sim.years), dtype=np.int64), 0, terms.shortfall_level
        )
        p_short = None
    return RiskResult(
        terms=terms,
        holders=holders,
        simulation=sim,
        table=table,
        p_shortfall=p_short,
        recommended_reserve=short["recommended_reserve"],
        holders_from_register=from_register,
        exact=exact,
        worst_gap=short["worst_gap"] if cash_end is not None else None,
    )
