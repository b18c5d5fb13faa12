"""Exceptions that carry messages meant for the person who wrote the input."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BondkitError", "Problem", "ScenarioError"]


class BondkitError(Exception):
    """Base class: an error whose message is for the user, shown without a traceback."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input: where it is (``series[2].annual_rate``) and what is wrong."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ScenarioError(BondkitError):
    """A scenario file with one or more problems; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
