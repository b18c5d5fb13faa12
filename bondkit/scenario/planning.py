"""``[planning]`` and its lists (uses, sources, milestones, budget): the plan of the issue
(booklet 3, step 1), and the rules on the length of its lists and their totals."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainValidator

from bondkit.core.conventions import to_cents
from bondkit.core.terms import (
    SOURCE_KINDS,
    FundingSource,
    Milestone,
    PlannedAmount,
    PlanningTerms,
)
from bondkit.errors import Message
from bondkit.scenario.fields import Amount, Date, fail, one_of, text
from bondkit.scenario.limits import (
    MAX_AMOUNT,
    MAX_AMOUNT_TEXT,
    MAX_ITEM_CHARS,
    MAX_PLANNING_ENTRIES,
)
from bondkit.scenario.table import Issue, Table, valid
from bondkit.scenario.toml_text import plain

__all__ = ["PlannedAmountTable", "SourceTable", "MilestoneTable", "PlanningTable"]


def _item(value: Any) -> str:
    """What a line of the plan is: non-empty text of at most MAX_ITEM_CHARS characters."""
    written = text("Rénovation des sièges")(value)
    if len(written) > MAX_ITEM_CHARS:
        raise fail("msg.plan_item_long", most=MAX_ITEM_CHARS, chars=len(written))
    return written


Item = Annotated[str, PlainValidator(_item)]


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

    uses: tuple[PlannedAmountTable, ...] = ()
    sources: tuple[SourceTable, ...] = ()
    milestones: tuple[MilestoneTable, ...] = ()
    budget: tuple[PlannedAmountTable, ...] = ()

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
        for name in ("uses", "sources", "milestones", "budget"):
            entries = values.get(name)
            if not isinstance(entries, list):
                continue
            if len(entries) > MAX_PLANNING_ENTRIES:
                yield Issue(
                    (name,),
                    Message(
                        "msg.plan_too_many",
                        most=MAX_PLANNING_ENTRIES,
                        header=f"[[planning.{name}]]",
                    ),
                    len(entries),
                )
            # -- a total is an amount too
            if name != "milestones" and all(valid(e, "amount") for e in entries):
                total = sum((e["amount"] for e in entries), Decimal(0))
                if total > MAX_AMOUNT:
                    yield Issue(
                        (name,),
                        Message("msg.plan_total", most=MAX_AMOUNT_TEXT, total=plain(total)),
                    )
