"""The self-assessed part of booklet 2's readiness grid: the qualitative criteria of the
TIESS grid, each answered by the enterprise as a level from 1 to 4.

The criteria (:data:`READINESS_CRITERIA`) are those of the guide's grid that no
computation can answer: governance, member or board approval, community base, staff and
volunteers, financial history, project maturity, accompaniment. A level says how far the
enterprise is (:data:`READINESS_LEVELS`: 1 not started, 2 under way, 3 in place,
4 strong); its status in the grid (:func:`level_status`) is OK at 3 or 4, Watch at 2,
Risk at 1, and "unanswered" when the scenario gives no level. The words of each level,
criterion by criterion, are labels (``readiness.<criterion>.<level>``).

Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = [
    "READINESS_CRITERIA",
    "READINESS_LEVELS",
    "LEVEL_STATUSES",
    "UNANSWERED",
    "ReadinessTerms",
    "level_status",
]

#: the self-assessed criteria of the readiness grid, in the order of the grid (keys of
#: ``[readiness]``; labels ``readiness.<criterion>``)
READINESS_CRITERIA: tuple[str, ...] = (
    "governance",
    "approval",
    "community_base",
    "staff_volunteers",
    "financial_history",
    "project_maturity",
    "accompaniment",
)

#: the levels an answer may take, lowest first (labels ``readiness.level.<n>``)
READINESS_LEVELS: tuple[int, ...] = (1, 2, 3, 4)

#: the status of each level in the readiness grid: in place or strong is OK, under way is
#: to watch, not started is a risk
LEVEL_STATUSES: dict[int, str] = {1: "risk", 2: "watch", 3: "ok", 4: "ok"}

#: the status of a criterion the scenario does not answer (label ``status.unanswered``)
UNANSWERED = "unanswered"


def level_status(level: int | None) -> str:
    """The status of a self-assessed level: ``"ok"``, ``"watch"``, ``"risk"``, or
    ``"unanswered"`` when no level is given.

    >>> [level_status(n) for n in (1, 2, 3, 4, None)]
    ['risk', 'watch', 'ok', 'ok', 'unanswered']
    """
    return UNANSWERED if level is None else LEVEL_STATUSES[level]


@dataclass(frozen=True)
class ReadinessTerms:
    """The enterprise's own answers to the qualitative criteria of the readiness grid.

    Each field is a level from 1 (not started) to 4 (strong), or None when not answered.

    governance : int or None — a board that decides on the issue, with roles and rules
    approval : int or None — the borrowing by-law or board resolution the law requires
    community_base : int or None — the members, users and partners who may subscribe
    staff_volunteers : int or None — people with time for the campaign and the management
    financial_history : int or None — the enterprise's financial statements and record
    project_maturity : int or None — how ready the financed project is
    accompaniment : int or None — outside support (advisor, regional hub)

    >>> terms = ReadinessTerms(governance=3, approval=2)
    >>> terms.answers()[:3]
    (('governance', 3), ('approval', 2), ('community_base', None))
    >>> terms.answered
    2
    """

    governance: int | None = None
    approval: int | None = None
    community_base: int | None = None
    staff_volunteers: int | None = None
    financial_history: int | None = None
    project_maturity: int | None = None
    accompaniment: int | None = None

    def answers(self) -> tuple[tuple[str, int | None], ...]:
        """(criterion, level or None) for every criterion, in the grid's order."""
        return tuple((f.name, getattr(self, f.name)) for f in fields(self))

    @property
    def answered(self) -> int:
        """How many criteria have a level."""
        return sum(level is not None for _name, level in self.answers())
