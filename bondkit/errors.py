"""Exceptions that carry messages meant for the person who wrote the input.

A message a user reads is a :class:`Message`: a key of :data:`bondkit.labels.LABELS` and the
fields of its template, not yet in a language. The language is chosen only when the message
is shown (:meth:`Message.render`, :meth:`Problem.render`, :meth:`ScenarioError.render`), so
one validation serves French and English alike; ``str()`` is always the English text.

>>> p = Problem("series[2].annual_rate", Message("msg.fraction", example="0.04"), "4")
>>> str(p)
'series[2].annual_rate: must be a fraction such as 0.04 (you wrote 4)'
>>> p.render("fr")
'series[2].annual_rate : doit être une fraction, par exemple 0.04 (vous avez écrit 4)'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BondkitError",
    "Message",
    "Problem",
    "ScenarioError",
    "format_problems",
    "render_text",
]


@dataclass(frozen=True, init=False)
class Message:
    """A message before its language is chosen: a label key and its template's fields.

    A field may itself be a :class:`Message` (a phrase of its own, rendered in the same
    language); any other value is shown with :meth:`str.format`, as written.
    """

    key: str
    fields: tuple[tuple[str, Any], ...]

    def __init__(self, key: str, /, **fields: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "fields", tuple(fields.items()))

    def render(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"en"`` or ``"fr"``).

        >>> Message("msg.fraction", example="0.04").render("fr")
        'doit être une fraction, par exemple 0.04'
        """
        from bondkit.labels import t

        values = {name: render_text(value, lang) for name, value in self.fields}
        return t(self.key, lang).format(**values)

    def __str__(self) -> str:
        return self.render("en")


def render_text(value: Any, lang: str) -> Any:
    """A :class:`Message` in ``lang``; anything else unchanged (text shown as written).

    >>> render_text(Message("msg.fraction", example="0.04"), "fr")
    'doit être une fraction, par exemple 0.04'
    >>> render_text(100000, "fr")
    100000
    """
    return value.render(lang) if isinstance(value, Message) else value


class BondkitError(Exception):
    """Base class: an error whose message is for the user, shown without a traceback.

    Raised with a :class:`Message` (``BondkitError(Message("key", ...))``) it can be shown in
    either language with :meth:`render`; raised with plain text, that text is shown as is.
    """

    def render(self, lang: str = "en") -> str:
        """The message in ``lang`` (plain text is the same in every language).

        >>> BondkitError(Message("msg.fraction", example="0.04")).render("fr")
        'doit être une fraction, par exemple 0.04'
        >>> BondkitError("disk full").render("fr")
        'disk full'
        """
        if len(self.args) == 1 and isinstance(self.args[0], Message):
            return self.args[0].render(lang)
        return super().__str__()

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True)
class Problem:
    """One problem in an input: where it is (``series[2].annual_rate``), what is wrong, and
    the value written there (shown after "you wrote"), as TOML text.

    ``what`` is a :class:`Message`, or plain text shown as is in every language.
    """

    location: str
    what: Message | str
    wrote: str | None = None

    @property
    def message(self) -> str:
        """What is wrong, in English, with the value written."""
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """What is wrong in ``lang``, with "(you wrote ...)" when a value is quoted.

        >>> p = Problem("series[1].annual_rate", Message("msg.fraction", example="0.04"), "4")
        >>> p.text("fr")
        'doit être une fraction, par exemple 0.04 (vous avez écrit 4)'
        """
        what = render_text(self.what, lang)
        if self.wrote is None:
            return what
        return Message("msg.you_wrote", message=what, value=self.wrote).render(lang)

    def render(self, lang: str = "en") -> str:
        """The problem on one line in ``lang``: ``location: what (you wrote value)``.

        >>> p = Problem("series[1].annual_rate", Message("msg.fraction", example="0.04"), "4")
        >>> p.render("en")
        'series[1].annual_rate: must be a fraction such as 0.04 (you wrote 4)'
        """
        text = self.text(lang)
        if not self.location:
            return text
        return Message("msg.at", location=self.location, message=text).render(lang)

    def __str__(self) -> str:
        return self.render("en")


def format_problems(problems: Iterable[Problem], lang: str = "en") -> str:
    """Problems in ``lang``, one per line.

    >>> problems = [
    ...     Problem("series[1].annual_rate", Message("msg.fraction", example="0.04"), "4"),
    ...     Problem("series[1].amount", "must be positive", "-100000"),
    ... ]
    >>> print(format_problems(problems))
    series[1].annual_rate: must be a fraction such as 0.04 (you wrote 4)
    series[1].amount: must be positive (you wrote -100000)
    >>> print(format_problems(problems[:1], "fr"))
    series[1].annual_rate : doit être une fraction, par exemple 0.04 (vous avez écrit 4)
    """
    return "\n".join(p.render(lang) for p in problems)


class ScenarioError(BondkitError):
    """A scenario file with one or more problems; ``str()`` lists them one per line (in
    English), :meth:`render` in either language.

    ``language`` is the scenario's own ``language`` key when the file could be read far
    enough to tell (its TOML parses and the key is a language bondkit writes), else None.
    """

    def __init__(
        self, problems: list[Problem], source: str | None = None, language: str | None = None
    ):
        self.problems = list(problems)
        self.source = source
        self.language = language
        super().__init__(format_problems(self.problems))

    def render(self, lang: str = "en") -> str:
        """Every problem in ``lang``, one per line (plain-text problems as written).

        >>> err = ScenarioError([
        ...     Problem("series[1].annual_rate", Message("msg.fraction", example="0.04"), "4"),
        ...     Problem("series[1].amount", "must be positive", "-100000"),
        ... ], source="coop.toml")
        >>> print(err.render("fr"))
        series[1].annual_rate : doit être une fraction, par exemple 0.04 (vous avez écrit 4)
        series[1].amount : must be positive (vous avez écrit -100000)
        """
        return format_problems(self.problems, lang)

    def __str__(self) -> str:
        return self.render("en")
