"""``[risk]``: early redemptions and renewals at maturity, the rule between its keys, and
its rules against the series (the lock-in) and the campaign (the segment names)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainValidator, WrapValidator

from bondkit.core.terms import RiskTerms
from bondkit.errors import Message
from bondkit.scenario.fields import (
    Amount,
    Probability,
    inline_table,
    open_share,
    optional,
    probability,
    share,
    whole,
)
from bondkit.scenario.limits import MAX_PATHS, MIN_PATHS
from bondkit.scenario.series import (
    bond_years_in_term,
    series_maturity,
    series_name,
    years_later,
)
from bondkit.scenario.table import INVALID, Issue, Table, valid
from bondkit.scenario.toml_text import listing, plain, toml_key, toml_value

__all__ = ["RiskTable", "risk_against_the_issue"]


class RiskTable(Table):
    """``[risk]``: early redemptions and renewals at maturity, simulated holder by holder
    (optional: no table, no simulation).

    Its rules against the series (the lock-in) and the campaign (segment names) are in
    :meth:`Scenario.cross_check`.
    """

    annual_probability: Probability = Decimal("0.02")
    segment_probability: Annotated[
        dict[str, Probability] | None,
        WrapValidator(inline_table("{ Membres = 0.01, Voisinage = 0.04 }")),
    ] = None
    lock_in_years: Annotated[int, PlainValidator(whole(minimum=0))] = 0
    notice_months: Annotated[int, PlainValidator(whole(minimum=0, maximum=24))] = 0
    annual_cap: Annotated[Decimal | None, PlainValidator(optional(share))] = None
    stress_probability: Probability = Decimal(0)
    stress_annual_probability: Annotated[Decimal | None, PlainValidator(optional(probability))] = (
        None
    )
    renewal_rate: Probability = Decimal("0.65")
    shortfall_level: Annotated[Decimal, PlainValidator(open_share)] = Decimal("0.05")
    holding: Amount = Decimal(1000)
    paths: Annotated[int, PlainValidator(whole(minimum=MIN_PATHS, maximum=MAX_PATHS))] = 10_000

    def terms(self) -> RiskTerms:
        """These keys as the :class:`~bondkit.core.terms.RiskTerms` the risk model takes."""
        stress = self.stress_annual_probability
        return RiskTerms(
            annual_probability=float(self.annual_probability),
            segment_probability=tuple(
                (name, float(p)) for name, p in (self.segment_probability or {}).items()
            ),
            lock_in_years=self.lock_in_years,
            notice_months=self.notice_months,
            annual_cap=None if self.annual_cap is None else float(self.annual_cap),
            stress_probability=float(self.stress_probability),
            stress_annual_probability=0.0 if stress is None else float(stress),
            renewal_rate=float(self.renewal_rate),
            shortfall_level=float(self.shortfall_level),
            holding=self.holding,
            paths=self.paths,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        # -- in a stress year a holder is at least as likely to ask as in another year
        if not valid(values, "stress_probability") or values["stress_probability"] == 0:
            return
        usual = []
        if valid(values, "annual_probability"):
            usual.append(("annual_probability", values["annual_probability"]))
        segments = values.get("segment_probability")
        if isinstance(segments, dict):
            usual += [(f"segment_probability.{toml_key(k)}", p) for k, p in segments.items()]
        stress = values.get("stress_annual_probability")
        if stress is INVALID or not usual:
            return
        name, highest = max(usual, key=lambda pair: pair[1])  # the first of equals
        if stress is None and highest > 0:  # its default, 0, would be below
            yield Issue(
                ("stress_annual_probability",),
                Message("msg.stress_missing", key=name, value=plain(highest)),
            )
        elif stress is not None and stress < highest:
            yield Issue(
                ("stress_annual_probability",),
                Message("msg.stress_below", key=name, value=plain(highest)),
                stress,
            )


def risk_against_the_issue(r: dict[str, Any], series: Any, campaign: Any) -> Iterator[Issue]:
    """The rules between ``[risk]`` and the series (the lock-in) and the campaign (the
    segment names).

    >>> import datetime as dt
    >>> series = [{"id": "A", "issue_date": dt.date(2017, 2, 1), "term_years": 5}]
    >>> risk = {"lock_in_years": 5, "segment_probability": {"Membres": Decimal("0.01")}}
    >>> for issue in risk_against_the_issue(risk, series, None):
    ...     print(issue.problem())
    segment_probability: applies only with a [campaign] and its [[campaign.segments]]: remove it (you wrote { Membres = 0.01 })
    lock_in_years: must be shorter than the term of every series: series A matures 5 years after its issue_date (you wrote 5)
    """
    # -- segment_probability names segments of the campaign
    shares = r.get("segment_probability")
    if isinstance(shares, dict):
        if campaign is None:
            yield Issue(
                ("segment_probability",),
                Message("msg.needs_campaign"),
                shares,
            )
        elif isinstance(campaign, dict) and isinstance(campaign.get("segments"), list):
            segments = campaign["segments"]
            if all(valid(s, "name") for s in segments):
                names = list(dict.fromkeys(s["name"] for s in segments))
                for key in shares:
                    if key not in names:
                        yield Issue(
                            ("segment_probability", key),
                            Message(
                                "msg.no_such_segment",
                                names=listing([toml_value(n, limit=40) for n in names]),
                            ),
                        )

    # -- the lock-in ends before every maturity
    lock = r.get("lock_in_years")
    if not valid(r, "lock_in_years") or not lock or not isinstance(series, list):
        return
    for i, s in enumerate(series):
        maturity = series_maturity(s)
        if maturity is not None and years_later(s["issue_date"], lock) >= maturity:
            years = bond_years_in_term(s["issue_date"], maturity)
            whole = years_later(s["issue_date"], years) == maturity
            term = Message("msg.n_years" if whole else "msg.less_than_n_years", n=years)
            yield Issue(
                ("lock_in_years",),
                Message("msg.lock_in", series=series_name(s, i), term=term),
                lock,
            )
            return
