"""Public reference issues, kept as data (``bondkit/data/reference_issues.toml``).

Community bond issues whose figures are published (the "Public reference issues" table
of the domain brief), each with its sources (:class:`Source`: the title as published, in
French where the source is French) and its lessons (:class:`Lesson`, in both languages,
drawn only from the published facts). The case-study sheet (B4) shows them beside the
scenario. Figures are indicative; a fact that was not published is ``None``.
Standard library only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib.resources import files

__all__ = ["Source", "Lesson", "ReferenceIssue", "reference_issues"]

PAYMENTS = ("at_maturity", "principal_at_maturity")


@dataclass(frozen=True)
class Source:
    """Where the facts of a reference issue were published.

    ``title`` is the title as published (French for a French source); ``title_en`` an
    English rendering of a French title, shown beside it on English sheets; ``part_fr`` /
    ``part_en`` the part of the source and what it holds, in each language.
    """

    author: str | None = None
    title: str | None = None
    title_en: str | None = None
    year: int | None = None
    part_fr: str | None = None
    part_en: str | None = None
    site: str | None = None

    def part(self, lang: str) -> str | None:
        """The part of the source in ``lang`` (``"en"`` or ``"fr"``), or None.

        >>> guide = reference_issues()[0].sources[0]
        >>> guide.part("fr"), guide.part("en")
        ('livret 4 « Études de cas » (émission pilote)', 'booklet 4 “Études de cas” (pilot issue)')
        """
        return self.part_fr if lang == "fr" else self.part_en


@dataclass(frozen=True)
class Lesson:
    """A lesson of a reference issue, in French and English."""

    fr: str
    en: str

    def text(self, lang: str) -> str:
        """The lesson in ``lang`` (``"en"`` or ``"fr"``).

        >>> Lesson(fr="Une leçon.", en="A lesson.").text("fr")
        'Une leçon.'
        """
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class ReferenceIssue:
    """One published issue. Amounts in whole dollars, rates as fractions."""

    key: str
    issuer: str
    year: str  # as published: "2016–17", "~2023"
    first_year: int
    sources: tuple[Source, ...]
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
    lessons: tuple[Lesson, ...] = ()

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
        values["sources"] = tuple(_entries(key, "sources", Source, values.get("sources", ())))
        values["lessons"] = tuple(_entries(key, "lessons", Lesson, values.get("lessons", ())))
        if not values["sources"]:
            raise ValueError(f"reference issue {key!r}: no [[{key}.sources]]")
        out.append(ReferenceIssue(key=key, **values))
    return tuple(out)


def _entries(key: str, name: str, kind: type, raw: list[dict]) -> list:
    """The ``[[<key>.<name>]]`` tables of an issue as ``kind``; an unknown field is an error."""
    known = {f.name for f in fields(kind)}
    out = []
    for entry in raw:
        unknown = set(entry) - known
        if unknown:
            raise ValueError(f"reference issue {key!r}, {name}: unknown fields {sorted(unknown)}")
        out.append(kind(**entry))
    return out


def reference_issues() -> list[ReferenceIssue]:
    """Every reference issue shipped with bondkit, in the order of the data file.

    Amounts are whole currency units, rates fractions a year, terms years:

    >>> cinema = reference_issues()[0]
    >>> cinema.issuer, cinema.target, cinema.face_value, cinema.rate, cinema.term_years
    ('Cinéma du Parc', 100000, 500, 0.02, 5)
    >>> all(issue.sources for issue in reference_issues())  # every figure has a source
    True
    >>> print(cinema.lessons[0].text("en"))  # doctest: +ELLIPSIS
    Interest and principal are paid together at maturity: ...
    """
    return list(_load())
