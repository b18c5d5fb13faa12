"""The checks of single keys (leaf validators) and the annotated types the tables use.

Each check takes the raw value (what tomllib gave) and returns the value kept, or raises
the error made by :func:`fail`, whose message is ours (a label key and its fields).
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainValidator
from pydantic_core import PydanticCustomError

from bondkit.core.conventions import parse_month_day
from bondkit.core.terms import REPAYMENTS
from bondkit.data.rules import rule_sets
from bondkit.errors import Message
from bondkit.scenario.hints import Hint, date_hint, number_hint
from bondkit.scenario.limits import (
    CURRENCY_PATTERN,
    FIRST_DATE,
    ID_PATTERN,
    ISO_DATE_PATTERN,
    LABEL_KEY,
    LAST_DATE,
    MAX_AMOUNT,
    MAX_AMOUNT_TEXT,
    MAX_NAME_CHARS,
    MAX_TERM_YEARS,
    RATE_DECIMALS,
)
from bondkit.scenario.toml_text import plain

__all__ = [
    "fail",
    "showing",
    "first_hidden",
    "visible",
    "rate",
    "money",
    "whole",
    "share",
    "quantity",
    "boolean",
    "text",
    "one_of",
    "rule_set_name",
    "series_id",
    "currency_code",
    "month_day",
    "optional",
    "inline_table",
    "by_fiscal_year",
    "probability",
    "growth",
    "open_share",
    "Rate",
    "Amount",
    "Cost",
    "Date",
    "OptionalDate",
    "Share",
    "Money",
    "OptionalAmount",
    "Whole1",
    "TermYears",
    "OptionalTermYears",
    "Repayment",
    "SignedAmount",
    "Probability",
]


# ================================================================ leaf validators
# Each takes the raw value (what tomllib gave) and returns the value kept, or raises a
# PydanticCustomError whose message is ours. The message says what is expected; the
# "(you wrote ...)" part is added when the problem is formatted. Messages are label keys of
# bondkit.labels.LABELS with their fields (a test checks that every key used here exists
# there with the same fields); the language is chosen only when the problems are shown.


def fail(key: str, **fields: Any) -> PydanticCustomError:
    """The error of a leaf validator: the message (key and fields) rides in the context.

    Plain text instead of a key is shown as is, in every language (to be avoided).

    >>> fail("msg.fraction", example="0.04").context["message"].render("fr")
    'doit être une fraction, par exemple 0.04'

    Each check raises it:

    >>> try:
    ...     rate(4)
    ... except PydanticCustomError as error:
    ...     print(error.context["message"])
    must be a fraction such as 0.04
    """
    message = Message(key, **fields) if LABEL_KEY.fullmatch(key) else key
    return PydanticCustomError("bondkit", "bondkit message", {"message": message})


def _hinted(hint: Hint) -> PydanticCustomError:
    """The error of a value written as text the way people write numbers or dates
    (``"0,04"``, ``"15/01/2027"``): the hint of :mod:`~bondkit.scenario.hints`, the same as
    for the value unquoted."""
    return PydanticCustomError("bondkit", "bondkit message", {"message": hint.message})


def showing(error: PydanticCustomError, shown: Any) -> PydanticCustomError:
    """The error made by :func:`fail`, quoting ``shown`` after "you wrote" instead of the
    value checked (the number of entries of a list too long to quote, say).

    >>> showing(fail("msg.whole"), 51).context["wrote"]
    51
    """
    return PydanticCustomError(
        "bondkit", "bondkit message", {**(error.context or {}), "wrote": shown}
    )


def _number(value: Any, example: str) -> Decimal:
    """An int or float (never a boolean), kept exactly as written (floats through repr)."""
    if isinstance(value, bool):
        raise fail("msg.number_not_bool", example=example)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise fail("msg.finite")
        return Decimal(repr(value))
    if isinstance(value, Decimal):  # from code, or a dumped scenario validated again
        if not value.is_finite():
            raise fail("msg.finite")
        return value
    if isinstance(value, str):
        hint = number_hint(value)
        if hint is not None:  # "0,04", "150 000", "4 %": how to write it
            raise _hinted(hint)
        raise fail("msg.number_unquoted", example=example)
    raise fail("msg.number", example=example)


def _places(number: Decimal) -> int:
    """How many decimals a number has (``0.0400`` has 2, ``1E+9`` none), read from its
    digits: a number from code such as ``Decimal("1E-999999999")`` is never expanded."""
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite: _number refused the others
    zeros = len(digits) - len(bytes(digits).rstrip(b"\0"))
    return 0 if zeros == len(digits) else max(0, -(exponent + zeros))


def _decimals(number: Decimal, most: int) -> None:
    """Refuse a number written with more than ``most`` decimals (``0.0400`` has 2)."""
    if _places(number) > most:
        raise fail("msg.decimals", most=most)


def rate(value: Any) -> Decimal:
    """A rate as a fraction: 0 <= rate <= 1 (0.04 is 4 %), at most 8 decimals.

    >>> rate(0.04), rate(1)
    (Decimal('0.04'), Decimal('1'))
    """
    rate = _number(value, "0.04")
    if rate < 0:
        raise fail("msg.not_negative")
    if rate > 1:
        raise fail("msg.fraction", example="0.04")
    _decimals(rate, RATE_DECIMALS)
    return rate


def money(*, positive: bool) -> Callable[[Any], Decimal]:
    """An amount of money in the currency, in whole cents (at most 2 decimals).

    >>> money(positive=True)(100_000), money(positive=False)(0), money(positive=False)(12.5)
    (Decimal('100000'), Decimal('0'), Decimal('12.5'))
    """

    def validate(value: Any) -> Decimal:
        amount = _number(value, "100000" if positive else "500")
        if positive and amount <= 0:
            raise fail("msg.positive")
        if amount < 0:
            raise fail("msg.not_negative")
        if amount > MAX_AMOUNT:
            raise fail("msg.at_most", most=MAX_AMOUNT_TEXT)
        if _places(amount) > 2:
            raise fail("msg.whole_cents")
        return amount

    return validate


def whole(*, minimum: int, maximum: int | None = None) -> Callable[[Any], int]:
    """A whole number (a TOML integer) of at least ``minimum`` (and at most ``maximum``).

    >>> whole(minimum=1, maximum=100)(5)
    5
    """

    def validate(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            hint = number_hint(value) if isinstance(value, str) else None
            if hint is not None:  # "10 000"
                raise _hinted(hint)
            if isinstance(value, str):
                raise fail("msg.whole_unquoted")
            raise fail("msg.whole")
        if value < minimum:
            if minimum == 0:
                raise fail("msg.not_negative")
            raise fail("msg.at_least", least=minimum)
        if maximum is not None and value > maximum:
            raise fail("msg.at_most", most=maximum)
        return value

    return validate


def share(value: Any) -> Decimal:
    """A share of a whole (of people, of subscribers, of the money): 0 <= share <= 1.

    >>> share(0.25), share(1)
    (Decimal('0.25'), Decimal('1'))
    """
    share = _number(value, "0.25")
    if share < 0:
        raise fail("msg.not_negative")
    if share > 1:
        raise fail("msg.share", example="0.25")
    return share


def quantity(
    example: str,
    *,
    positive: bool,
    minimum: Decimal | None = None,
    maximum: int | None = None,
    decimals: int | None = None,
) -> Callable[[Any], Decimal]:
    """A number that is not money (hours, a ratio, a spread), decimals allowed (at most
    ``decimals`` of them when given), from ``minimum`` to ``maximum`` when given.

    >>> quantity("1.25", positive=True, minimum=Decimal("0.1"), maximum=10)(1.5)
    Decimal('1.5')
    """

    def validate(value: Any) -> Decimal:
        number = _number(value, example)
        if positive and number <= 0:
            raise fail("msg.positive")
        if number < 0:
            raise fail("msg.not_negative")
        if minimum is not None and number < minimum:
            raise fail("msg.at_least_such_as", least=minimum, example=example)
        if maximum is not None and number > maximum:
            raise fail("msg.at_most_such_as", most=maximum, example=example)
        if decimals is not None:
            _decimals(number, decimals)
        return number

    return validate


def boolean(value: Any) -> bool:
    """A TOML boolean (``true`` or ``false``, unquoted).

    >>> boolean(True), boolean(False)
    (True, False)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        raise fail("msg.bool_unquoted")
    raise fail("msg.bool")


def _date(value: Any) -> dt.date:
    """A TOML date such as 2025-01-15 (not a string, not a date with a time), from
    FIRST_DATE to LAST_DATE."""
    if isinstance(value, dt.datetime):
        raise fail("msg.date_no_time")
    if isinstance(value, dt.date):
        if not FIRST_DATE <= value <= LAST_DATE:
            raise fail("msg.date_between", first=FIRST_DATE, last=LAST_DATE)
        return value
    if isinstance(value, str):
        if ISO_DATE_PATTERN.fullmatch(value.strip()):
            try:
                dt.date.fromisoformat(value.strip())
            except ValueError:
                raise fail("msg.date_real_unquoted") from None
            raise fail("msg.date_unquoted", date=value.strip())
        hint = date_hint(value)
        if hint is not None:  # "15/01/2027", "2027/01/15"
            raise _hinted(hint)
        raise fail("msg.date_text")
    raise fail("msg.date")


#: control characters (NUL, tab, line breaks...), format characters (zero-width space,
#: byte-order mark, bidi overrides and isolates, soft hyphen...), lone surrogates and the
#: line and paragraph separators: invisible, or not what the text looks like
_HIDDEN_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
#: characters of other categories that show nothing alone: Hangul fillers, the combining
#: grapheme joiner, variation selectors (allowed after a character, as in an emoji), the
#: Khmer inherent vowels, the blank Braille pattern
_BLANK = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def first_hidden(text: str) -> int | None:
    """The place of the first control or invisible format character of ``text``, or None.

    >>> first_hidden("Membres\\x00"), first_hidden("Co\\u200bop"), first_hidden("Café\\u00a0Nord")
    (7, 2, None)

    A zero-width joiner or non-joiner between two visible characters is spelling (Persian
    "می‌خواهم", an emoji family), not a hidden character; alone or at an end it is:

    >>> first_hidden("\\u0645\\u06cc\\u200c\\u062e"), first_hidden("\\u200dA"), first_hidden("A\\u200d")
    (None, 0, 1)
    """
    if text.isprintable():  # False for every hidden category (and for spaces but " ")
        return None
    for i, c in enumerate(text):
        if unicodedata.category(c) in _HIDDEN_CATEGORIES and not _joins(text, i):
            return i
    return None


#: the zero-width non-joiner and joiner: part of the spelling of Persian, Indic and other
#: scripts, and of emoji sequences, wherever they stand between two visible characters
_JOINERS = frozenset("\u200c\u200d")


def _joins(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a joiner between two characters that show."""
    return (
        text[i] in _JOINERS
        and 0 < i < len(text) - 1
        and visible(text[i - 1])
        and visible(text[i + 1])
    )


def visible(text: str) -> bool:
    """Whether ``text`` shows anything once spaces and invisible characters are removed.

    >>> visible(" \\u200b\\t"), visible("\\u3164"), visible("\\u00a0A")
    (False, False, True)
    """
    return any(
        not (c.isspace() or c in _BLANK or unicodedata.category(c) in _HIDDEN_CATEGORIES)
        for c in text
    )


def text(example: str, most: int = MAX_NAME_CHARS) -> Callable[[Any], str]:
    """Text on one line (a TOML string) of at most ``most`` characters, that shows
    something and holds no control or invisible character: what it looks like.

    >>> text("QC")("Cinéma du Parc")
    'Cinéma du Parc'
    >>> text("QC")("Membres\\x00")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.PydanticCustomError: bondkit message
    """

    def validate(value: Any) -> str:
        if not isinstance(value, str):
            raise fail("msg.text", example=example)
        if len(value) > most:
            raise fail("msg.too_long", most=most, chars=len(value))
        if not visible(value):
            raise fail("msg.not_empty")
        at = first_hidden(value)
        if at is not None:
            raise fail("msg.hidden_character", char=f"U+{ord(value[at]):04X}", at=at + 1)
        return value

    return validate


def one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    """One of a fixed list of words.

    >>> one_of(("fr", "en"))("fr")
    'fr'
    """

    def validate(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise fail("msg.one_of", choices=", ".join(choices))
        return value

    return validate


def rule_set_name(value: Any) -> str:
    """The name of a rule set of ``bondkit/data/rule_sets.toml`` (read when first needed).

    >>> rule_set_name("qc-npo")
    'qc-npo'
    """
    return one_of(tuple(rule_sets()))(value)


def series_id(value: Any) -> str:
    """A series id: 1 to 16 letters, digits, ``_`` or ``-``.

    >>> series_id("A"), series_id("2024_B-1")
    ('A', '2024_B-1')
    """
    if not isinstance(value, str):
        raise fail("msg.text", example="A")
    if not ID_PATTERN.fullmatch(value):
        raise fail("msg.series_id")
    return value


def currency_code(value: Any) -> str:
    """A currency code of 3 capital letters (``CAD``).

    >>> currency_code("CAD")
    'CAD'
    """
    if not isinstance(value, str) or not CURRENCY_PATTERN.fullmatch(value):
        raise fail("msg.currency")
    return value


def month_day(value: Any) -> str:
    """A month and day as ``MM-DD`` (the end of a fiscal year).

    >>> month_day("06-30")
    '06-30'
    """
    try:
        parse_month_day(value)
    except ValueError:
        raise fail("msg.month_day") from None
    return value


def optional(validate: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``None`` stands for "not given" (TOML has no null; a merged dict may).

    >>> check = optional(rate)
    >>> check(None), check(0.04)
    (None, Decimal('0.04'))
    """
    return lambda value: None if value is None else validate(value)


def inline_table(example: str) -> Callable[[Any, Any], Any]:
    """An inline table whose entries pydantic then checks one by one (each located by its
    key, as in ``series_shares.A``); ``None`` stands for "not given".

    >>> check = inline_table("{ A = 0.6, B = 0.4 }")
    >>> check({"A": 0.6, "B": 0.4}, dict), check(None, dict)
    ({'A': 0.6, 'B': 0.4}, None)
    """

    def validate(value: Any, check_entries: Callable[[Any], Any]) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise fail("msg.inline_table_such_as", example=example)
        return check_entries(value)

    return validate


def _signed_money(value: Any) -> Decimal:
    """An amount that may be 0 or negative (a year that loses money), in whole cents."""
    amount = _number(value, "45000")
    if amount > MAX_AMOUNT:
        raise fail("msg.at_most", most=MAX_AMOUNT_TEXT)
    if amount < -MAX_AMOUNT:
        raise fail("msg.at_least_minus_max", least=f"-{plain(MAX_AMOUNT)}")
    if _places(amount) > 2:
        raise fail("msg.whole_cents")
    return amount


def by_fiscal_year(
    example: str, single: Callable[[Any], Any] | None = None
) -> Callable[[Any, Any], Any]:
    """An array of amounts, one per fiscal year, that pydantic then checks one by one (each
    located by its place, as in ``capacity.cash_flow[3]``); ``None`` stands for "not given".

    With ``single`` (the check of one amount), one amount alone is accepted too: the same
    amount every year, kept as an array of that one amount (as the dataclasses take it).

    >>> by_fiscal_year("[45_000, 47_000]")([45_000, 47_000], tuple)
    (45000, 47000)
    >>> by_fiscal_year("[12_000, 9_000]", money(positive=False))(12_000, tuple)
    (Decimal('12000'),)
    """

    def validate(value: Any, check_entries: Callable[[Any], Any]) -> Any:
        if value is None:
            return None
        if isinstance(value, list | tuple):
            if not value:
                raise fail("msg.one_amount", example=example)
            return check_entries(value)
        if single is not None and not isinstance(value, dict):
            return (single(value),)
        if single is not None:
            raise fail("msg.amount_or_by_year", example=example)
        raise fail("msg.by_year", example=example)

    return validate


def probability(value: Any) -> Decimal:
    """A probability: 0 <= p <= 1 (0.02 is a 2 % chance).

    >>> probability(0.02)
    Decimal('0.02')
    """
    p = _number(value, "0.02")
    if p < 0:
        raise fail("msg.not_negative")
    if p > 1:
        raise fail("msg.probability", example="0.02")
    return p


def growth(value: Any) -> Decimal:
    """A growth rate per year as a fraction, from -1 (nothing left) to 1 (doubling).

    >>> growth(-0.1), growth(0.02)
    (Decimal('-0.1'), Decimal('0.02'))
    """
    growth = _number(value, "0.02")
    if not -1 <= growth <= 1:
        raise fail("msg.growth")
    return growth


def open_share(value: Any) -> Decimal:
    """A share strictly between 0 and 1.

    >>> open_share(0.05)
    Decimal('0.05')
    """
    share = _number(value, "0.05")
    if not 0 < share < 1:
        raise fail("msg.open_share", example="0.05")
    return share


Rate = Annotated[Decimal, PlainValidator(rate)]
Amount = Annotated[Decimal, PlainValidator(money(positive=True))]
Cost = Annotated[Decimal, PlainValidator(money(positive=False))]
Date = Annotated[dt.date, PlainValidator(_date)]
OptionalDate = Annotated[dt.date | None, PlainValidator(optional(_date))]
Share = Annotated[Decimal, PlainValidator(share)]
Money = Annotated[Decimal, PlainValidator(money(positive=False))]  # an amount, 0 allowed
OptionalAmount = Annotated[Decimal | None, PlainValidator(optional(money(positive=True)))]
Whole1 = Annotated[int, PlainValidator(whole(minimum=1))]
TermYears = Annotated[int, PlainValidator(whole(minimum=1, maximum=MAX_TERM_YEARS))]
OptionalTermYears = Annotated[
    int | None, PlainValidator(optional(whole(minimum=1, maximum=MAX_TERM_YEARS)))
]
Repayment = Annotated[str, PlainValidator(one_of(REPAYMENTS))]
SignedAmount = Annotated[Decimal, PlainValidator(_signed_money)]
Probability = Annotated[Decimal, PlainValidator(probability)]
