"""What every table shares: the :class:`Table` base (frozen, unknown keys refused, a
``cross_check`` for rules between its keys), the :class:`Issue` a check yields, and the
partial values cross checks work on (``INVALID`` for a key that failed its own check)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict

from bondkit.errors import Message, Problem
from bondkit.scenario.toml_text import format_location, toml_value

__all__ = ["NOTHING", "INVALID", "Issue", "Table", "valid"]


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NOTHING: Any = _Marker("NOTHING")  # an issue that quotes no value
INVALID: Any = _Marker("INVALID")  # in partial values: a key that failed its own check


class Issue(NamedTuple):
    """A problem before formatting: where (pydantic-style loc), what (a message key and its
    fields, in no language yet), and the value written."""

    loc: tuple[str | int, ...]
    message: Message | str  # plain text: shown as is in every language (to be avoided)
    value: Any = NOTHING

    def problem(self) -> Problem:
        wrote = None if self.value is NOTHING else toml_value(self.value)
        return Problem(format_location(self.loc), self.message, wrote)


class Table(BaseModel):
    """A TOML table: frozen, and any key it does not define is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: written as an inline table (``{ ... }``) inside another table, not under a header
    inline: ClassVar[bool] = False
    #: how one entry of this table is written inline, for messages about its shape
    toml_example: ClassVar[str] = ""

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        """Rules that involve several keys of this table.

        ``values`` holds the validated value of each key that passed its own check, the
        default of each optional key not written, and ``INVALID`` for a key that failed;
        a nested table is a dict of the same kind (a list of them for ``[[...]]``).
        Yields issues located relative to this table.
        """
        return iter(())


def valid(values: Any, *names: str) -> bool:
    """Whether each key was given (or defaulted) and passed its own check.

    >>> values = {"amount": 500, "face_value": INVALID, "cap": None}
    >>> valid(values, "amount"), valid(values, "amount", "face_value"), valid(values, "cap")
    (True, False, False)
    """
    return isinstance(values, dict) and all(
        values.get(n, INVALID) is not INVALID and values.get(n) is not None for n in names
    )
