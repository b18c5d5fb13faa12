"""``[planning]`` and its lists (uses, sources, milestones, budget): the plan of the issue
(booklet 3, step 1), and the rules on the length of its lists and their totals."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainValidator, WrapValidator

from bondkit.core.conventions import to_cents
from bondkit.core.terms import (
    SOURCE_KINDS,
    FundingSource,
    Milestone,
    PlannedAmount,
    PlanningTerms,
)
from bondkit.errors import Message
from bondkit.scenario.fields import Amount, Date, fail, one_of, showing, text
from bondkit.scenario.limits import (
    MAX_AMOUNT,
    MAX_AMOUNT_TEXT,
    MAX_ITEM_CHARS,
    MAX_PLANNING_ENTRIES,
)
from bondkit.scenario.table import Issue, Table, valid
from bondkit.scenario.toml_text import plain

__all__ = ["PlannedAmountTable", "SourceTable", "MilestoneTable", "PlanningTable"]


#: what a line of the plan is: text of at most MAX_ITEM_CHARS characters (a cell)
Item = Annotated[str, PlainValidator(text("Rénovation des sièges", most=MAX_ITEM_CHARS))]


def _at_most_entries(name: str) -> WrapValidator:
    """A list of ``[[planning.<name>]]`` tables, refused whole when it has more than
    MAX_PLANNING_ENTRIES of them, before any entry is checked: 100 000 bad milestones are
    one problem, found in the time it takes to count them.

    >>> check = _at_most_entries("uses").func
    >>> check([{"item": "a"}], lambda entries: "checked")
    'checked'
    """

    def validate(value: Any, check_entries: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) > MAX_PLANNING_ENTRIES:
            too_many = fail(
                "msg.plan_too_many", most=MAX_PLANNING_ENTRIES, header=f"[[planning.{name}]]"
            )
            raise showing(too_many, len(value))
        return check_entries(value)

    return WrapValidator(validate)


class PlannedAmountTable(Table):
    """One ``[[planning.uses]]`` or ``[[planning.budget]]`` table: an item and its amount."""

    item: Item
    amount: Amount

    def terms(self) -> PlannedAmount:
        return PlannedAmount(item=self.item, amount_cents=to_cents(self.amount))


class SourceTable(Table):
    """One ``[[planning.sources]]`` table: a source of funds beside the bond issue."""

    item: Item
    amount: Amount
    kind: Annotated[str, PlainValidator(one_of(SOURCE_KINDS))]

    def terms(self) -> FundingSource:
        return FundingSource(item=self.item, amount_cents=to_cents(self.amount), kind=self.kind)


class MilestoneTable(Table):
    """One ``[[planning.milestones]]`` table: a dated step of the issue."""

    item: Item
    date: Date

    def terms(self) -> Milestone:
        return Milestone(item=self.item, date=self.date)


class PlanningTable(Table):
    """``[planning]``: need, sources and uses of funds, timeline, pre-issue budget (optional:
    no table, the B3.1 sheet shows the inputs only). Every list may be left out.

    The bond issue is always a source, computed from the series: it is never written here.
    The budget is for planning only; the cost model uses ``[costs]``.
    """

    uses: Annotated[tuple[PlannedAmountTable, ...], _at_most_entries("uses")] = ()
    sources: Annotated[tuple[SourceTable, ...], _at_most_entries("sources")] = ()
    milestones: Annotated[tuple[MilestoneTable, ...], _at_most_entries("milestones")] = ()
    budget: Annotated[tuple[PlannedAmountTable, ...], _at_most_entries("budget")] = ()

    def terms(self) -> PlanningTerms:
        """These keys as the :class:`~bondkit.core.terms.PlanningTerms` the workbook takes."""
        return PlanningTerms(
            uses=tuple(u.terms() for u in self.uses),
            sources=tuple(s.terms() for s in self.sources),
            milestones=tuple(m.terms() for m in self.milestones),
            budget=tuple(b.terms() for b in self.budget),
        )

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        for name in ("uses", "sources", "budget"):  # a list too long is INVALID already
            entries = values.get(name)
            if not isinstance(entries, list):
                continue
            # -- a total is an amount too
            if all(valid(e, "amount") for e in entries):
                total = sum((e["amount"] for e in entries), Decimal(0))
                if total > MAX_AMOUNT:
                    yield Issue(
                        (name,),
                        Message("msg.plan_total", most=MAX_AMOUNT_TEXT, total=plain(total)),
                    )
