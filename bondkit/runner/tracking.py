"""The campaign under way, as the committee reads it (issue #16): what was raised, where it
will end, and what to do now. :func:`track` reads the subscriptions seen (a list, or the
register), runs the plan, conditions the campaign on what was seen
(:func:`bondkit.models.tracking.forecast`) and gathers the answers in :class:`Tracking`:

- the forecast of the final raise (median, p5-p95), the chance of reaching the minimum
  (the plan's definition: with the match and the underwriter as written) and the target
  by the close, the day the minimum is expected (median of the paths that reach it);
- what it takes: the money and the subscriptions a week still needed for a 50 % and an
  80 % chance of the minimum (community money, with a match that counts), against the
  forecast's own median pace;
- the three decisions: extend the campaign by 1-4 weeks, call the match funder or the
  underwriter, or cancel (the chance of the community alone);
- baselines beside it: the straight line (the money seen, times the campaign's days over
  the days gone) and the plan's forecast before the campaign.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from bondkit.errors import BondkitError, Message
from bondkit.models.tracking import (
    EXTENSIONS,
    NEED_CHANCES,
    PRIOR_CV,
    STATUS_RATES,
    STATUSES,
    Forecast,
    Observed,
    forecast,
)

if TYPE_CHECKING:  # pragma: no cover
    import os

    from bondkit.register import Register
    from bondkit.runner.result import Result
    from bondkit.scenario import Scenario

__all__ = ["Tracking", "Extension", "TrackingError", "track", "status_rates", "straight_line"]

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def straight_line(seen_cents: int, elapsed: int, days: int) -> int:
    """The money seen, extended at the same pace to the close [cents] (0 days seen: 0).

    >>> straight_line(3_800_000, 16, 60)  # 38,000 $ after 16 days of 60: 142,500 $
    14250000
    """
    return seen_cents * days // elapsed if elapsed > 0 else 0


def _q(values: np.ndarray) -> dict[str, int]:
    return {f"p{round(q * 100):02d}": int(round(float(np.quantile(values, q)))) for q in QUANTILES}


@dataclass(frozen=True)
class Extension:
    """The campaign extended by ``weeks``: its new close, the chance of the minimum by
    then and the median community raise [cents]."""

    weeks: int
    closes: dt.date
    p_minimum: float
    median: int


@dataclass(frozen=True)
class Tracking:
    """The campaign under way (money in cents; chances as fractions; dates).

    ``observed`` is one row per day from the opening to ``as_of``: ``day``, ``date``,
    ``cumulative`` (the rows not cancelled, at their amount) and ``paid_cumulative``;
    ``band`` one row per day of the campaign: ``day``, ``date`` and the percentiles
    ``p05``..``p95`` of the cumulative community money of the forecast's paths.
    """

    as_of: dt.date
    opens: dt.date
    closes: dt.date
    elapsed: int
    days: int
    rows: int
    subscribers: int
    by_status: dict[str, int]
    seen_cents: int  # the rows not cancelled, at their amount
    minimum: int
    target: int
    cap: int
    needed: int  # community money that reaches the minimum (with a match that counts)
    final: dict[str, int]  # percentiles of the final community raise
    p_minimum: float
    p_target: float
    p_community: float  # the community alone reaches the minimum
    p_with_match: float | None  # with the match counted (None: no match)
    minimum_reached_on: dt.date | None  # the day the rows seen reached it (None: not yet)
    minimum_expected_on: dt.date | None  # the median day of the paths that reach it
    weeks_left: float
    need_per_week: dict[str, int]  # "p50", "p80": community money a week still needed
    subscriptions_per_week: dict[str, int]
    pace_per_week: int  # the forecast's median money a week to come
    extensions: tuple[Extension, ...]  # 1-4 weeks more
    straight_line: int
    straight_line_reaches: bool
    plan_p_minimum: float | None
    plan_median: int | None
    paths: int
    seed: int
    prior_cv: float
    status_rates: dict[str, float]
    source: str  # the list's file name, or "register"
    observed: pd.DataFrame
    band: pd.DataFrame

    def text(self, lang: str = "en", currency: str = "CAD") -> str:
        """The short answer of ``bondkit track`` in ``lang``, one line each."""
        return "\n".join(tracking_lines(self, lang, currency))

    def to_json(self) -> dict[str, Any]:
        """The ``tracking`` object of the summary JSON: money in currency units, chances as
        fractions, dates ISO."""

        def money(c: int | None) -> float | None:
            return None if c is None else round(c / 100, 2)

        def day(d: dt.date | None) -> str | None:
            return None if d is None else d.isoformat()

        return {
            "as_of": self.as_of.isoformat(),
            "days_elapsed": self.elapsed,
            "days": self.days,
            "source": self.source,
            "rows": self.rows,
            "subscribers": self.subscribers,
            "seen": money(self.seen_cents),
            "by_status": {k: money(v) for k, v in self.by_status.items()},
            "p_minimum_by_close": round(self.p_minimum, 4),
            "p_target_by_close": round(self.p_target, 4),
            "p_minimum_community_alone": round(self.p_community, 4),
            "p_minimum_with_match": None
            if self.p_with_match is None
            else round(self.p_with_match, 4),
            "final_raise": {k: money(v) for k, v in self.final.items()},
            "minimum_reached_on": day(self.minimum_reached_on),
            "minimum_expected_on": day(self.minimum_expected_on),
            "weeks_left": round(self.weeks_left, 2),
            "needed_per_week": {k: money(v) for k, v in self.need_per_week.items()},
            "subscriptions_per_week": dict(self.subscriptions_per_week),
            "forecast_pace_per_week": money(self.pace_per_week),
            "extensions": [
                {
                    "weeks": e.weeks,
                    "closes": e.closes.isoformat(),
                    "p_minimum": e.p_minimum,
                    "median": money(e.median),
                }
                for e in self.extensions
            ],  # fmt: skip
            "straight_line": money(self.straight_line),
            "straight_line_reaches_minimum": self.straight_line_reaches,
            "plan_p_minimum": self.plan_p_minimum,
            "plan_median": money(self.plan_median),
            "paths": self.paths,
            "seed": self.seed,
            "prior_cv": self.prior_cv,
            "status_rates": dict(self.status_rates),
        }


def observed_from_register(snapshot: Any, series: Any, opens: dt.date, as_of: dt.date) -> Observed:
    """The register's holdings subscribed by ``as_of`` as rows seen (paid, segment not
    known), from a :class:`~bondkit.runner.registered.RegisterSnapshot`."""
    index = {s.id: j for j, s in enumerate(series)}
    face = {s.id: s.face_value_cents for s in series}
    rows = [
        ((h.subscribed_on - opens).days, h.bonds * face[h.series_id], index[h.series_id])
        for h in snapshot.holdings
        if h.series_id in index and opens <= h.subscribed_on <= as_of
    ]
    a = np.array(rows, dtype=np.int64).reshape(-1, 3)
    z = np.zeros(len(a), dtype=np.int64)
    return Observed(as_of, a[:, 0], a[:, 1], a[:, 2], z - 1, z)


def _observed_days(seen: Observed, opens: dt.date, elapsed: int) -> pd.DataFrame:
    live = seen.status != STATUSES.index("cancelled")
    paid = seen.status == STATUSES.index("paid")
    n = max(elapsed, 1)
    day = np.minimum(seen.day, n - 1)
    cum = np.cumsum(np.bincount(day[live], weights=seen.amount[live], minlength=n)).astype(np.int64)
    cum_paid = np.cumsum(np.bincount(day[paid], weights=seen.amount[paid], minlength=n)).astype(
        np.int64
    )
    return pd.DataFrame(
        {
            "day": np.arange(n),
            "date": [opens + dt.timedelta(days=int(d)) for d in range(n)],
            "cumulative": cum,
            "paid_cumulative": cum_paid,
        }
    )


def _band(f: Forecast, opens: dt.date) -> pd.DataFrame:
    qs = np.quantile(f.cumulative, QUANTILES, axis=0)
    out = {"day": np.arange(f.cumulative.shape[1]),
           "date": [opens + dt.timedelta(days=int(d)) for d in range(f.cumulative.shape[1])]}  # fmt: skip
    out |= {
        f"p{round(q * 100):02d}": qs[i].round().astype(np.int64) for i, q in enumerate(QUANTILES)
    }
    return pd.DataFrame(out)


def tracking_of(
    result: Result,
    seen: Observed,
    *,
    source: str,
    paths: int = 10_000,
    rates: Mapping[str, float] | None = None,
    prior_cv: float = PRIOR_CV,
) -> Tracking:
    """The campaign of ``result``'s scenario conditioned on the rows ``seen``."""
    sc = result.scenario
    camp = result.campaign
    if camp is None:
        raise ValueError("a scenario without a [campaign] table has no campaign to track")
    terms, series = camp.terms, result.series
    rates = {**STATUS_RATES, **(rates or {})}
    f = forecast(terms, series, seen, seed=sc.seed, n=paths, rates=rates, prior_cv=prior_cv)
    elapsed, days = f.elapsed, terms.days
    live = seen.status != STATUSES.index("cancelled")
    seen_cents = int(seen.amount[live].sum())
    observed = _observed_days(seen, terms.opens, elapsed)
    reached = np.flatnonzero(observed["cumulative"].to_numpy() >= f.needed) if len(seen) else []
    reached_on = terms.opens + dt.timedelta(days=int(reached[0])) if len(reached) else None
    hit = f.day_minimum[~np.isnan(f.day_minimum)]
    expected_on = (
        terms.opens + dt.timedelta(days=int(np.ceil(np.median(hit)))) if len(hit) else None
    )
    left_days = max(days - elapsed, 0)
    weeks = left_days / 7
    future = np.maximum(f.community - f.seen, 0)  # the money still to come on each path
    ticket = float(f.future_tickets.mean()) if len(f.future_tickets) else float("nan")
    need, subs = {}, {}
    for chance in NEED_CHANCES:
        key = f"p{round(chance * 100)}"
        short = np.maximum(f.needed - f.seen, 0)
        amount = int(round(float(np.quantile(short, chance)))) if weeks > 0 else 0
        need[key] = int(math.ceil(amount / weeks)) if weeks > 0 else 0
        subs[key] = int(math.ceil(need[key] / ticket)) if weeks > 0 and ticket > 0 else 0
    extensions = []
    for w in EXTENSIONS:
        g = forecast(terms, series, seen, seed=sc.seed, n=paths, extra_days=7 * w, rates=rates,
                     prior_cv=prior_cv)  # fmt: skip
        extensions.append(
            Extension(
                weeks=w,
                closes=terms.closes + dt.timedelta(days=7 * w),
                p_minimum=round(float(g.ahead.mean()), 4),
                median=int(round(float(np.median(g.community)))),
            )
        )
    sim = camp.simulation
    line = min(straight_line(seen_cents, elapsed, days), int(sim.cap))
    return Tracking(
        as_of=seen.as_of,
        opens=terms.opens,
        closes=terms.closes,
        elapsed=elapsed,
        days=days,
        rows=len(seen),
        subscribers=int(live.sum()),
        by_status={s: int(seen.amount[seen.status == i].sum()) for i, s in enumerate(STATUSES)},
        seen_cents=seen_cents,
        minimum=f.minimum,
        target=f.target,
        cap=int(sim.cap),
        needed=f.needed,
        final=_q(f.community),
        p_minimum=float(f.ahead.mean()),
        p_target=float((f.community >= f.target).mean()),
        p_community=float((f.community >= f.minimum).mean()),
        p_with_match=None if terms.match is None else float((f.community >= f.needed).mean()),
        minimum_reached_on=reached_on,
        minimum_expected_on=reached_on or expected_on,
        weeks_left=weeks,
        need_per_week=need,
        subscriptions_per_week=subs,
        pace_per_week=int(round(float(np.median(future)) / weeks)) if weeks > 0 else 0,
        extensions=tuple(extensions),
        straight_line=line,
        straight_line_reaches=line >= f.needed,
        plan_p_minimum=float(sim.went_ahead.mean()),
        plan_median=int(round(float(np.median(sim.community)))),
        paths=paths,
        seed=sc.seed,
        prior_cv=prior_cv,
        status_rates={s: float(rates[s]) for s in STATUSES},
        source=source,
        observed=observed,
        band=_band(f, terms.opens),
    )


def with_tracking(result: Result, tracking: Tracking) -> Result:
    """``result`` carrying ``tracking`` (its workbook, chart and summary JSON show it)."""
    return dataclasses.replace(result, tracking=tracking)


class TrackingError(BondkitError):
    """A tracking request that cannot be answered (no campaign, a bad status rate): its
    message is for the user; nothing was computed (bad input: exit 2)."""

    exit_code = 2


def status_rates(given: Mapping[str, float] | None) -> dict[str, float]:
    """The rate of each status: :data:`~bondkit.models.tracking.STATUS_RATES` with
    ``given`` in place; :class:`TrackingError` for an unknown status or a rate outside 0-1.

    >>> status_rates({"pledged": 0.6})["pledged"], status_rates(None)["signed"]
    (0.6, 0.95)
    """
    out = dict(STATUS_RATES)
    for status, rate in (given or {}).items():
        if status not in STATUSES:
            raise TrackingError(
                Message("track.err.rate_status", status=status, statuses=", ".join(STATUSES))
            )
        if not 0 <= float(rate) <= 1:
            raise TrackingError(Message("track.err.rate", status=status, rate=rate))
        out[status] = float(rate)
    return out


def track(
    scenario: Scenario | Result,
    *,
    as_of: dt.date | str,
    subscriptions: str | os.PathLike | None = None,
    register: str | os.PathLike | Register | None = None,
    paths: int = 10_000,
    rates: Mapping[str, float] | None = None,
    prior_cv: float = PRIOR_CV,
    mapping: Mapping[str, str] | None = None,
    dates: str | None = None,
    sheet: str | None = None,
    seed: int | None = None,
    max_memory: int | float | str | None = None,
    max_time: int | float | str | None = None,
) -> Result:
    """The plan of ``scenario`` with its campaign under way on ``as_of``: the result of
    :func:`~bondkit.runner.pipeline.run` carrying :class:`Tracking` in ``tracking``.

    The rows seen come from ``subscriptions`` (a CSV or XLSX list, read by
    :func:`~bondkit.register.campaign_rows.read_campaign_rows` with ``mapping``,
    ``dates`` and ``sheet``) or from the issue's ``register`` (its holdings subscribed by
    ``as_of``, all paid); they are read and checked before anything is computed. ``rates``
    sets the share of each status's rows that become money (:func:`status_rates`).
    ``scenario`` may be the plan's result already run (``bk.run(scenario)``): a campaign
    followed week by week then runs the plan once (``seed`` and the budget do not apply).

    Cinéma du Parc's campaign of 78 days (from 2016-11-15), 16 days in, 30 subscriptions
    of 1,000 $ paid (30,000 $ of the 50,000 $ minimum):

    >>> import tempfile, pathlib
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 500, "risk.paths": 200})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "subs.csv"
    ...     rows = [f"2016-11-{15 + i % 16},A,1000" for i in range(30)]
    ...     _ = p.write_text("date,series,amount\\n" + "\\n".join(rows) + "\\n")
    ...     res = track(sc, as_of="2016-11-30", subscriptions=p, paths=2_000)
    >>> tr = res.tracking
    >>> tr.elapsed, tr.days, tr.rows, tr.seen_cents, tr.source
    (16, 78, 30, 3000000, 'subs.csv')
    >>> tr.p_minimum > 0.9 and tr.final["p05"] <= tr.final["p50"] <= tr.final["p95"]
    True
    """
    from bondkit.register.campaign_rows import read_campaign_rows
    from bondkit.runner.pipeline import run
    from bondkit.runner.result import Result

    planned = None
    if isinstance(scenario, Result):  # the plan already run: each week reuses it
        planned, scenario = scenario, scenario.scenario
    if (subscriptions is None) == (register is None):
        raise TrackingError(Message("track.err.one_source"))
    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    terms = scenario.campaign_terms() if hasattr(scenario, "campaign_terms") else None
    if terms is None:
        raise TrackingError(Message("track.err.no_campaign"))
    rates = status_rates(rates)
    series = tuple(scenario.series_terms())
    if subscriptions is not None:
        seen = read_campaign_rows(subscriptions, terms, series, day, mapping, dates, sheet)
        source = Path(subscriptions).name
    else:
        from bondkit.runner.registered import read_register

        snapshot = read_register(register, scenario, day)
        seen = observed_from_register(snapshot, series, terms.opens, day)
        source = "register"
    result = planned or run(scenario, seed=seed, max_memory=max_memory, max_time=max_time)
    tracking = tracking_of(result, seen, source=source, paths=paths, rates=rates, prior_cv=prior_cv)
    return with_tracking(result, tracking)


def tracking_lines(tr: Tracking, lang: str, currency: str = "CAD") -> list[str]:
    """The short answer of ``bondkit track``, one line each, in ``lang``: what was seen,
    the chance of the minimum beside the baselines, the final raise, what it takes, the
    extensions (and the backstops when the scenario has a match)."""
    from bondkit.labels import money_text, percent_text, t

    def money(c: int) -> str:
        return money_text(c, lang, currency)

    def pct(x: float | None) -> str:
        return "-" if x is None else percent_text(x, lang, 0)

    line = money(tr.straight_line)
    lines = [
        t("track.line.seen", lang).format(
            date=tr.as_of, day=tr.elapsed, days=tr.days, seen=money(tr.seen_cents),
            n=tr.subscribers, source=tr.source,
        ),
        t("track.line.reached", lang).format(minimum=money(tr.minimum), date=tr.minimum_reached_on)
        if tr.minimum_reached_on is not None
        else t("track.line.minimum", lang).format(
            minimum=money(tr.minimum), closes=tr.closes, chance=pct(tr.p_minimum),
            plan=pct(tr.plan_p_minimum), line=line,
        ),
        t("track.line.final", lang).format(
            median=money(tr.final["p50"]), p05=money(tr.final["p05"]), p95=money(tr.final["p95"]),
            target=money(tr.target), chance=pct(tr.p_target),
        ),
    ]  # fmt: skip
    if tr.weeks_left > 0 and tr.minimum_reached_on is None:
        n = tr.subscriptions_per_week
        lines.append(
            t("track.line.need", lang).format(
                p50=money(tr.need_per_week["p50"]), n50=n["p50"],
                p80=money(tr.need_per_week["p80"]), n80=n["p80"], pace=money(tr.pace_per_week),
            )
        )  # fmt: skip
    options = ", ".join(
        t("track.line.extend_one", lang).format(weeks=e.weeks, chance=pct(e.p_minimum))
        for e in tr.extensions
    )
    lines.append(t("track.line.extend", lang).format(options=options))
    if tr.p_with_match is not None:
        lines.append(
            t("track.line.backstops", lang).format(
                community=pct(tr.p_community), match=pct(tr.p_with_match)
            )
        )
    return lines
