"""``[readiness]``: the enterprise's own answers to the qualitative criteria of booklet 2's
readiness grid, each a level from 1 (not started) to 4 (strong)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import PlainValidator

from bondkit.core.readiness import READINESS_LEVELS, ReadinessTerms
from bondkit.scenario.fields import fail, optional, whole
from bondkit.scenario.table import Table

__all__ = ["ReadinessTable", "readiness_level"]

_LOWEST, _HIGHEST = READINESS_LEVELS[0], READINESS_LEVELS[-1]


def readiness_level(value: Any) -> int:
    """A self-assessed level: a whole number from 1 (not started) to 4 (strong).

    >>> readiness_level(3)
    3
    >>> readiness_level(5)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.PydanticCustomError: bondkit message
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if not _LOWEST <= value <= _HIGHEST:
            raise fail("msg.readiness_level", lowest=_LOWEST, highest=_HIGHEST)
        return value
    return whole(minimum=_LOWEST, maximum=_HIGHEST)(value)  # says what a level is written as


#: a level, or None when the criterion is not answered
Level = Annotated[int | None, PlainValidator(optional(readiness_level))]


class ReadinessTable(Table):
    """``[readiness]``: the self-assessed criteria of the readiness grid (optional: without
    it, or without a key, the criterion is shown as not answered on B2).

    Each key is a level: 1 not started, 2 under way, 3 in place, 4 strong.
    """

    governance: Level = None
    approval: Level = None
    community_base: Level = None
    staff_volunteers: Level = None
    financial_history: Level = None
    project_maturity: Level = None
    accompaniment: Level = None

    def terms(self) -> ReadinessTerms:
        """These answers as the :class:`~bondkit.core.readiness.ReadinessTerms` the grid takes."""
        return ReadinessTerms(**self.model_dump())
