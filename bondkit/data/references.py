"""Public reference issues, kept as data (``bondkit/data/reference_issues.toml``).

Community bond issues whose figures are published (the "Public reference issues" table
of the domain brief), each with its source. The case-study sheet (B4) shows them beside
the scenario. Figures are indicative; a fact that was not published is ``None``.
Standard library only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib.resources import files

__all__ = ["ReferenceIssue", "reference_issues"]

PAYMENTS = ("at_maturity", "principal_at_maturity")


@dataclass(frozen=True)
class ReferenceIssue:
    """One published issue. Amounts in whole dollars, rates as fractions."""

    key: str
    issuer: str
    year: str  # as published: "2016–17", "~2023"
    first_year: int
    source: str
    city: str | None = None
    province: str | None = None
    target: int | None = None
    raised: int | None = None
    amount: int | None = None  # an amount stated without saying target or raised
    bonds: int | None = None
    face_value: int | None = None
    rate: float | None = None
    rate_min: float | None = None
    rate_max: float | None = None
    term_years: int | None = None
    term_years_min: int | None = None
    term_years_max: int | None = None
    payment: str | None = None  # one of PAYMENTS
    secured: bool | None = None
    early_redemption: bool | None = None
    transferable_after_years: int | None = None
    investors: int | None = None
    campaign_days: int | None = None
    campaign_months: float | None = None
    approximate: tuple[str, ...] = ()
    typical: bool = False
    tiess_pilot: bool = False
    note_en: str | None = None
    note_fr: str | None = None

    def note(self, lang: str) -> str | None:
        """The issue's note in ``lang`` (``"en"`` or ``"fr"``), or None.

        >>> cinema = reference_issues()[0]
        >>> cinema.note("en"), cinema.note("fr")
        ('Seat renovation.', 'Rénovation des fauteuils.')
        """
        return self.note_fr if lang == "fr" else self.note_en


@cache
def _load() -> tuple[ReferenceIssue, ...]:
    data = tomllib.loads(
        files("bondkit.data").joinpath("reference_issues.toml").read_text(encoding="utf-8")
    )
    known = {f.name for f in fields(ReferenceIssue)}
    out = []
    for key, raw in data.items():
        values = dict(raw)
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"reference issue {key!r}: unknown fields {sorted(unknown)}")
        if values.get("payment") not in (None, *PAYMENTS):
            raise ValueError(f"reference issue {key!r}: unknown payment {values['payment']!r}")
        values["approximate"] = tuple(values.get("approximate", ()))
        out.append(ReferenceIssue(key=key, **values))
    return tuple(out)


def reference_issues() -> list[ReferenceIssue]:
    """Every reference issue shipped with bondkit, in the order of the data file.

    Amounts are whole currency units, rates fractions a year, terms years:

    >>> cinema = reference_issues()[0]
    >>> cinema.issuer, cinema.target, cinema.face_value, cinema.rate, cinema.term_years
    ('Cinéma du Parc', 100000, 500, 0.02, 5)
    >>> all(issue.source for issue in reference_issues())  # every figure has a source
    True
    """
    return list(_load())
