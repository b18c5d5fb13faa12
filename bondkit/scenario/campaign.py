"""``[campaign]`` and its tables (arrivals, segments, costs, match, underwriter): the
subscription campaign, the rules between its keys, and its rules against the series."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainValidator, WrapValidator

from bondkit.core.conventions import to_cents
from bondkit.core.terms import (
    ALLOCATIONS,
    INTEREST_STARTS,
    ArrivalShape,
    Backstop,
    CampaignCosts,
    CampaignTerms,
    Segment,
    rate_response,
)
from bondkit.data.rules import rule_sets
from bondkit.errors import Message
from bondkit.scenario.fields import (
    Amount,
    Cost,
    Date,
    Money,
    OptionalAmount,
    Rate,
    Repayment,
    Share,
    TermYears,
    Whole1,
    boolean,
    inline_table,
    one_of,
    optional,
    quantity,
    rate,
    rule_set_name,
    text,
    whole,
)
from bondkit.scenario.limits import (
    MATCH_RATIO_DECIMALS,
    MAX_AMOUNT,
    MAX_AMOUNT_TEXT,
    MAX_CAMPAIGN_DAYS,
    MAX_DEBT_TEXT,
    MAX_MATCH_RATIO,
    MAX_PEOPLE,
    MAX_SIMULATED_SUBSCRIBERS,
    MAX_STAFF_HOURS,
    SHARES_TOLERANCE,
    compound_log_growth,
    debt_too_large,
)
from bondkit.scenario.series import series_name
from bondkit.scenario.table import INVALID, Issue, Table, valid
from bondkit.scenario.toml_text import Verbatim, cents, listing, plain, toml_value

__all__ = [
    "MAX_RATE_SENSITIVITY",
    "ArrivalsTable",
    "SegmentTable",
    "CampaignCostsTable",
    "MatchTable",
    "UnderwriterTable",
    "CampaignTable",
    "campaign_against_series",
]


#: the most a segment's conversion may respond to the rate offered [log-odds per
#: percentage point]: e^5, about 150 times the odds for one point of spread
MAX_RATE_SENSITIVITY = 5

#: ``rate_sensitivity``: how conversion responds to the spread over ``reference_rate``
RateSensitivity = Annotated[
    Decimal | None,
    PlainValidator(optional(quantity("0.3", positive=False, maximum=MAX_RATE_SENSITIVITY))),
]


class ArrivalsTable(Table):
    """``[campaign.arrivals]``: when the subscribers who did not pledge arrive.

    ``start_share`` of them arrive over the first ``start_days`` days, ``final_share`` over
    the last ``final_days`` days, the rest evenly in between.
    """

    start_days: Whole1 = 7
    start_share: Share = Decimal("0.3")
    final_days: Whole1 = 7
    final_share: Share = Decimal("0.35")

    def terms(self) -> ArrivalShape:
        return ArrivalShape(
            start_days=self.start_days,
            start_share=float(self.start_share),
            final_days=self.final_days,
            final_share=float(self.final_share),
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        if valid(values, "start_share", "final_share"):
            start, final = values["start_share"], values["final_share"]
            if start + final > 1:
                yield Issue(
                    (),
                    Message("msg.shares_above_one"),
                    Verbatim(f"{toml_value(start)} + {toml_value(final)}"),
                )


class SegmentTable(Table):
    """One ``[[campaign.segments]]`` table: a group of potential investors."""

    name: Annotated[str, PlainValidator(text("Membres"))]
    people: Annotated[int, PlainValidator(whole(minimum=0, maximum=MAX_PEOPLE))]
    reached: Share
    supporting: Share = Decimal(1)
    conversion: Share
    ticket_median: Amount
    ticket_spread: Annotated[
        Decimal, PlainValidator(quantity("0.8", positive=False, maximum=3))
    ] = Decimal("0.8")
    series_shares: Annotated[
        dict[str, Share] | None, WrapValidator(inline_table("{ A = 0.6, B = 0.4 }"))
    ] = None
    pledged: Share = Decimal(0)
    rate_sensitivity: RateSensitivity = None

    def terms(self, rate_sensitivity: Decimal | None = None) -> Segment:
        """This segment's keys as a :class:`Segment`; ``rate_sensitivity`` is the campaign's,
        used when the segment has none (then 0: the segment ignores the rate offered)."""
        sensitivity = self.rate_sensitivity
        if sensitivity is None:
            sensitivity = rate_sensitivity or Decimal(0)
        return Segment(
            name=self.name,
            people=self.people,
            reached=float(self.reached),
            supporting=float(self.supporting),
            conversion=float(self.conversion),
            ticket_median=self.ticket_median,
            ticket_spread=float(self.ticket_spread),
            series_shares=tuple((k, float(v)) for k, v in (self.series_shares or {}).items()),
            pledged=float(self.pledged),
            rate_sensitivity=float(sensitivity),
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        shares = values.get("series_shares")
        if isinstance(shares, dict):  # given, and every share passed its own check
            total = sum(shares.values(), Decimal(0))
            if abs(total - 1) > SHARES_TOLERANCE:
                yield Issue(
                    ("series_shares",), Message("msg.add_up_to_one", total=plain(total)), shares
                )


class CampaignCostsTable(Table):
    """``[campaign.costs]``: what the campaign costs the issuer (every key defaults to 0)."""

    fixed: Cost = Decimal(0)
    staff_hours: Annotated[
        Decimal, PlainValidator(quantity("200", positive=False, maximum=MAX_STAFF_HOURS))
    ] = Decimal(0)
    hourly_cost: Cost = Decimal(0)
    per_subscriber: Cost = Decimal(0)
    payment_fee_rate: Rate = Decimal(0)
    commission_rate: Rate = Decimal(0)

    def terms(self) -> CampaignCosts:
        return CampaignCosts(
            fixed=self.fixed,
            staff_hours=self.staff_hours,
            hourly_cost=self.hourly_cost,
            per_subscriber=self.per_subscriber,
            payment_fee_rate=self.payment_fee_rate,
            commission_rate=self.commission_rate,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        if valid(values, "staff_hours", "hourly_cost"):
            hours, cost = values["staff_hours"], values["hourly_cost"]
            if hours * cost > MAX_AMOUNT:
                yield Issue(
                    (),
                    Message("msg.staff_cost", most=MAX_AMOUNT_TEXT),
                    Verbatim(f"{plain(hours)} x {plain(cost)}"),
                )


class MatchTable(Table):
    """``[campaign.match]``: a co-lender who lends ``ratio`` dollars per community dollar."""

    ratio: Annotated[
        Decimal,
        PlainValidator(
            quantity("1", positive=True, maximum=MAX_MATCH_RATIO, decimals=MATCH_RATIO_DECIMALS)
        ),
    ] = Decimal(1)
    max_amount: Amount
    annual_rate: Rate
    term_years: TermYears
    repayment: Repayment = "bullet"
    counts_toward_minimum: Annotated[bool, PlainValidator(boolean)] = True

    def terms(self) -> Backstop:
        return Backstop(
            kind="match",
            max_amount=self.max_amount,
            annual_rate=self.annual_rate,
            term_years=self.term_years,
            ratio=self.ratio,
            repayment=self.repayment,
            counts_toward_minimum=self.counts_toward_minimum,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        yield from _loan_within_limits(values)


class UnderwriterTable(Table):
    """``[campaign.underwriter]``: a lender who takes up what is missing to reach the minimum."""

    max_amount: Amount
    annual_rate: Rate
    term_years: TermYears
    repayment: Repayment = "bullet"

    def terms(self) -> Backstop:
        return Backstop(
            kind="underwriter",
            max_amount=self.max_amount,
            annual_rate=self.annual_rate,
            term_years=self.term_years,
            ratio=Decimal(1),
            repayment=self.repayment,
            counts_toward_minimum=False,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        yield from _loan_within_limits(values)


def _loan_within_limits(v: dict[str, Any]) -> Iterator[Issue]:
    """A match or underwriter loan repaid "accumulating" (compounded yearly) must not
    grow past MAX_DEBT."""
    if not valid(v, "repayment", "max_amount", "annual_rate", "term_years"):
        return
    if v["repayment"] != "accumulating":
        return
    rate, years, amount = v["annual_rate"], v["term_years"], v["max_amount"]
    if debt_too_large(amount, compound_log_growth(rate, 1, years)):
        yield Issue(
            (),
            Message(
                "msg.loan_too_large",
                rate=plain(rate),
                years=years,
                amount=plain(amount),
                most=MAX_DEBT_TEXT,
            ),
        )


class CampaignTable(Table):
    """``[campaign]``: the subscription campaign (optional: no table, no campaign).

    Its rules against the series (closing date, cap, series_shares) are in
    :meth:`Scenario.cross_check`.
    """

    opens: Date
    closes: Date
    minimum: Money
    target: Amount
    cap: OptionalAmount = None
    allocation: Annotated[str, PlainValidator(one_of(ALLOCATIONS))] = "first-come"
    rule_set: Annotated[str, PlainValidator(rule_set_name)] = "none"
    min_subscription: OptionalAmount = None
    max_per_investor: OptionalAmount = None
    interest_start: Annotated[str, PlainValidator(one_of(INTEREST_STARTS))] = "issue-date"
    simulations: Annotated[int, PlainValidator(whole(minimum=100, maximum=1_000_000))] = 10_000
    reference_rate: Annotated[Decimal | None, PlainValidator(optional(rate))] = None
    rate_sensitivity: RateSensitivity = None
    arrivals: ArrivalsTable = ArrivalsTable()
    segments: tuple[SegmentTable, ...]
    costs: CampaignCostsTable = CampaignCostsTable()
    match: MatchTable | None = None
    underwriter: UnderwriterTable | None = None

    def terms(self) -> CampaignTerms:
        """These keys as the :class:`~bondkit.core.terms.CampaignTerms` the campaign model takes."""
        return CampaignTerms(
            opens=self.opens,
            closes=self.closes,
            minimum=self.minimum,
            target=self.target,
            segments=tuple(s.terms(self.rate_sensitivity) for s in self.segments),
            cap=self.cap,
            allocation=self.allocation,
            rule_set=self.rule_set,
            min_subscription=self.min_subscription,
            max_per_investor=self.max_per_investor,
            interest_start=self.interest_start,
            simulations=self.simulations,
            arrivals=self.arrivals.terms(),
            costs=self.costs.terms(),
            match=self.match.terms() if self.match else None,
            underwriter=self.underwriter.terms() if self.underwriter else None,
            reference_rate=self.reference_rate,
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        v = values
        window_ok = valid(v, "opens", "closes") and v["closes"] >= v["opens"]
        if valid(v, "opens", "closes") and not window_ok:
            yield Issue(
                ("closes",), Message("msg.not_before", key="opens", value=v["opens"]), v["closes"]
            )

        # -- minimum <= target <= cap
        if valid(v, "minimum", "target") and v["target"] < v["minimum"]:
            yield Issue(
                ("target",),
                Message("msg.not_below", key="minimum", value=v["minimum"]),
                v["target"],
            )
        if valid(v, "cap"):
            if valid(v, "target"):
                if v["cap"] < v["target"]:
                    yield Issue(
                        ("cap",),
                        Message("msg.not_below", key="target", value=v["target"]),
                        v["cap"],
                    )
            elif valid(v, "minimum") and v["cap"] < v["minimum"]:
                yield Issue(
                    ("cap",), Message("msg.not_below", key="minimum", value=v["minimum"]), v["cap"]
                )

        if valid(v, "min_subscription", "max_per_investor"):
            if v["max_per_investor"] < v["min_subscription"]:
                yield Issue(
                    ("max_per_investor",),
                    Message("msg.not_below", key="min_subscription", value=v["min_subscription"]),
                    v["max_per_investor"],
                )

        # -- the size of the simulation: a window of at most two years, and at most
        #    MAX_SIMULATED_SUBSCRIBERS expected subscribers over all simulated campaigns
        if window_ok and (v["closes"] - v["opens"]).days + 1 > MAX_CAMPAIGN_DAYS:
            yield Issue(
                ("closes",),
                Message("msg.window", days=MAX_CAMPAIGN_DAYS, opens=v["opens"]),
                v["closes"],
            )
        segs = v.get("segments")
        if v.get("reference_rate") is None and isinstance(segs, list):
            # with a reference rate, the conversions depend on the series: see
            # campaign_against_series
            if all(valid(g, "conversion") for g in segs):
                yield from _simulations_fit(v, [float(g["conversion"]) for g in segs])

        yield from _rate_response_keys(v)

        # -- the arrival shape fits in the window
        arrivals = v.get("arrivals")
        if window_ok and valid(arrivals, "start_days", "final_days"):
            days = (v["closes"] - v["opens"]).days + 1
            start, final = arrivals["start_days"], arrivals["final_days"]
            if start + final > days:
                yield Issue(  # no "you wrote": the two may be defaults
                    ("arrivals",),
                    Message("msg.arrivals_fit", days=days, start=start, final=final),
                )

        # -- segments: at least one, names unique
        segments = v.get("segments")
        costs = v.get("costs")
        if isinstance(segments, list) and segments and valid(costs, "per_subscriber"):
            if all(valid(segment, "people") for segment in segments):
                people = sum(segment["people"] for segment in segments)
                if costs["per_subscriber"] * people > MAX_AMOUNT:
                    yield Issue(
                        ("costs", "per_subscriber"),
                        Message("msg.per_subscriber", people=people, most=MAX_AMOUNT_TEXT),
                        costs["per_subscriber"],
                    )
        if isinstance(segments, list):
            if not segments:
                yield Issue(
                    ("segments",), Message("msg.needs_table", header="[[campaign.segments]]")
                )
            first_index: dict[str, int] = {}
            for i, segment in enumerate(segments):
                if valid(segment, "name"):
                    name = segment["name"]
                    looks = looks_like(name)
                    if looks in first_index:
                        yield Issue(
                            ("segments", i, "name"),
                            Message("msg.same_name", n=first_index[looks] + 1),
                            name,
                        )
                    first_index.setdefault(looks, i)


def _simulations_fit(v: dict[str, Any], conversions: list[float]) -> Iterator[Issue]:
    """At most MAX_SIMULATED_SUBSCRIBERS expected subscribers over all simulated campaigns,
    with each segment's conversion (as written, or at the rate it is offered)."""
    segs = v.get("segments")
    if not (valid(v, "simulations") and isinstance(segs, list) and segs):
        return
    if not all(valid(g, "people", "reached", "supporting") for g in segs):
        return
    expected = sum(
        g["people"] * float(g["reached"]) * float(g["supporting"]) * conversion
        for g, conversion in zip(segs, conversions, strict=True)
    )
    if expected * v["simulations"] > MAX_SIMULATED_SUBSCRIBERS:
        most = max(100, int(MAX_SIMULATED_SUBSCRIBERS // max(expected, 1)))
        yield Issue(
            ("simulations",),
            Message("msg.simulations", expected=f"{expected:.0f}", most=most),
            v["simulations"],
        )


def _rate_response_keys(v: dict[str, Any]) -> Iterator[Issue]:
    """``reference_rate`` and ``rate_sensitivity`` go together: one without the other would
    be silently ignored."""
    segments = v.get("segments")
    if not isinstance(segments, list):
        return
    given = [  # the segments that write their own rate_sensitivity
        i
        for i, g in enumerate(segments)
        if isinstance(g, dict) and g.get("rate_sensitivity") is not None
    ]
    reference = v.get("reference_rate")
    if reference is None:
        if valid(v, "rate_sensitivity"):
            yield Issue(
                ("rate_sensitivity",), Message("msg.needs_reference_rate"), v["rate_sensitivity"]
            )
        for i in given:
            if valid(segments[i], "rate_sensitivity"):
                yield Issue(
                    ("segments", i, "rate_sensitivity"),
                    Message("msg.needs_reference_rate"),
                    segments[i]["rate_sensitivity"],
                )
    elif reference is not INVALID and v.get("rate_sensitivity") is None and not given:
        yield Issue(("reference_rate",), Message("msg.needs_rate_sensitivity"), reference)


def _conversions_at_offer(c: dict[str, Any], series: list[Any]) -> list[float] | None:
    """Each segment's conversion at the rate it is offered, from the partial values (as
    :func:`bondkit.models.campaign.subscribe_probabilities`), or None when a key it needs
    has a problem."""
    segments = c.get("segments")
    if not (valid(c, "reference_rate") and isinstance(segments, list)):
        return None
    if c.get("rate_sensitivity") is INVALID:
        return None
    if not all(valid(s, "id", "amount", "annual_rate") for s in series):
        return None
    rates = {s["id"]: s["annual_rate"] for s in series}
    amounts = {s["id"]: s["amount"] for s in series}
    conversions = []
    for g in segments:
        if not valid(g, "conversion") or g.get("rate_sensitivity") is INVALID:
            return None
        shares = g.get("series_shares") or amounts  # by default, the series amounts
        if not isinstance(shares, dict):
            return None
        if not all(k in rates and isinstance(w, Decimal) for k, w in shares.items()):
            return None
        total = sum(shares.values(), Decimal(0))
        if total <= 0:
            return None
        offered = sum((w * rates[k] for k, w in shares.items()), Decimal(0)) / total
        sensitivity = g.get("rate_sensitivity")
        if sensitivity is None:
            sensitivity = c.get("rate_sensitivity") or Decimal(0)
        points = float((offered - c["reference_rate"]) * 100)
        conversions.append(rate_response(float(g["conversion"]), float(sensitivity), points))
    return conversions


def looks_like(name: str) -> str:
    """What a name looks like: its characters composed the one way Unicode gives (NFC:
    an e and a combining accent is é), its spaces single, none at either end. Two segment
    names that look the same are one name.

    >>> looks_like(" Cafe\\u0301  du   parc ") == looks_like("Café du parc")
    True

    A zero-width joiner or non-joiner (allowed between two characters that show) changes
    how a script joins its letters, not which name it is:

    >>> looks_like("Coop\\u200dNord") == looks_like("CoopNord")
    True
    """
    shown = unicodedata.normalize("NFC", name).replace("\u200c", "").replace("\u200d", "")
    return " ".join(shown.split())


def campaign_against_series(c: dict[str, Any], series: list[Any]) -> Iterator[Issue]:
    """The rules between ``[campaign]`` and the ``[[series]]`` (partial values of both).

    Each rule runs when the keys it needs passed their own checks, in every series.

    >>> import datetime as dt
    >>> series = [{"id": "A", "amount": Decimal(100_000), "face_value": Decimal(500),
    ...            "issue_date": dt.date(2017, 2, 1)}]
    >>> campaign = {"closes": dt.date(2017, 3, 1), "target": Decimal(150_000)}
    >>> for issue in campaign_against_series(campaign, series):
    ...     print(issue.problem())
    closes: must be on or before the earliest issue_date, 2017-02-01 (you wrote 2017-03-01)
    target: must not be above the total of the series amounts, 100000 (you wrote 150000)
    """
    # -- the campaign closes before the money is due
    if valid(c, "closes") and all(valid(s, "issue_date") for s in series):
        first = min(s["issue_date"] for s in series)
        if c["closes"] > first:
            yield Issue(("closes",), Message("msg.closes_after_issue", first=first), c["closes"])

    # -- target <= cap <= the total of the series amounts (the cap when none is written)
    total: Decimal | None = None
    if all(valid(s, "amount") for s in series):
        total = sum((s["amount"] for s in series), Decimal(0))
        above_total = Message("msg.above_total", total=cents(to_cents(total)))
        if valid(c, "cap"):
            if c["cap"] > total:
                yield Issue(("cap",), above_total, c["cap"])
        elif c.get("cap") is None and valid(c, "target") and c["target"] > total:
            yield Issue(("target",), above_total, c["target"])

    # -- the simulation fits in memory at the conversions the offered rates give
    conversions = _conversions_at_offer(c, series)
    if conversions is not None:
        yield from _simulations_fit(c, conversions)

    # -- series_shares name series that exist
    if all(valid(s, "id") for s in series) and isinstance(c.get("segments"), list):
        ids = list(dict.fromkeys(s["id"] for s in series))
        for i, segment in enumerate(c["segments"]):
            shares = segment.get("series_shares") if isinstance(segment, dict) else None
            for key in shares if isinstance(shares, dict) else ():
                if key not in ids:
                    yield Issue(
                        ("segments", i, "series_shares", key),
                        Message("msg.no_such_series", ids=listing(ids)),
                    )

    # -- one investor can buy the smallest subscription of every series
    min_sub = c.get("min_subscription", None)
    if min_sub is INVALID or not all(valid(s, "face_value") for s in series):
        return
    low = to_cents(min_sub) if min_sub is not None else 0
    smallest = []  # (cents, series): one subscription of min_subscription, in whole bonds
    for i, s in enumerate(series):
        face = to_cents(s["face_value"])
        name = series_name(s, i)
        smallest.append((max(1, -(-low // face)) * face, name))
    need, sid = max(smallest, key=lambda pair: pair[0])
    below = Message("msg.below_smallest", series=sid, need=cents(need))
    most = c.get("max_per_investor")
    if valid(c, "max_per_investor"):
        if to_cents(most) < need and (min_sub is None or most >= min_sub):
            yield Issue(("max_per_investor",), below, most)
    elif most is None and valid(c, "rule_set"):
        limit = rule_sets()[c["rule_set"]].max_per_investor
        if limit is not None and to_cents(limit) < need:
            yield Issue(
                ("rule_set",),
                Message("msg.rule_set_limit", limit=limit, series=sid, need=cents(need)),
                c["rule_set"],
            )
    if valid(c, "cap"):
        if to_cents(c["cap"]) < need and not (valid(c, "target") and c["cap"] < c["target"]):
            yield Issue(("cap",), below, c["cap"])
    elif c.get("cap") is None and min_sub is not None and total is not None:
        if to_cents(total) < need:
            yield Issue(
                ("min_subscription",),
                Message(
                    "msg.min_subscription_too_large",
                    series=sid,
                    need=cents(need),
                    total=cents(to_cents(total)),
                ),
                min_sub,
            )
