"""Hints for the natural typing mistakes in a scenario file, those of a person used to the
way numbers and dates are written in French (or in English prose): a decimal comma
(``0,04``), spaces in a number (``150 000``), a currency symbol (``100 000 $``,
``$100,000``), a percent sign (``4 %``), a date written ``15/01/2027`` or ``2027/01/15``.

Unquoted, most of them are TOML syntax errors, and tomllib stops at the first one. So the
text is read line by line (:func:`text_slips`) for values that are not TOML and that one of
these mistakes explains: each is reported with its line, column and key, and how to write
it, all at once. Quoted (``annual_rate = "0,04"``), the value is TOML text, and the check
of the key gives the same hint (:func:`number_hint`, :func:`date_hint`).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal
from typing import NamedTuple

from bondkit.errors import Message, Problem
from bondkit.scenario.limits import LANGUAGES
from bondkit.scenario.toml_text import format_location, plain

__all__ = ["Hint", "Slip", "number_hint", "date_hint", "text_slips", "repaired", "text_language"]


class Hint(NamedTuple):
    """How to write a value: the message saying so, and the value as TOML (None when it
    cannot be told, as for a date that does not exist)."""

    message: Message
    toml: str | None


class Slip(NamedTuple):
    """A value of a scenario's text that is not TOML, with the hint that explains it."""

    line: int  #: 1-based, as tomllib counts
    column: int  #: 1-based, where the value starts
    end: int  #: 0-based column just after the value
    loc: tuple[str | int, ...]  #: the key it is written for, as pydantic locates it
    wrote: str  #: the value as written
    hint: Hint

    def problem(self) -> Problem:
        """The problem as the user reads it: the key, the hint, what was written and where.

        >>> slip = text_slips("[costs]\\nupfront = 3 000\\n")[0]
        >>> print(slip.problem().render("fr"))
        costs.upfront : un nombre s'écrit sans espace : écrivez 3_000 ou 3000 (vous avez écrit 3 000 à la ligne 2, colonne 11)
        """
        where = Message("toml.at_line", line=self.line, column=self.column)
        what = Message("msg.hint_at", message=self.hint.message, value=self.wrote, where=where)
        return Problem(format_location(self.loc), what)


# ---------------------------------------------------------------- one value

#: the spaces found between the digits of a number written for reading: the space, the
#: no-break space, the narrow no-break space (French typography), the thin space
_SPACES = " \u00a0\u202f\u2009"
_SYMBOL = r"(?:CA\$|US\$|C\$|\$\s?CA|\$\s?US|\$|€|£|CAD|USD|EUR)"
_NUMBER = re.compile(
    rf"(?P<s1>[-+])?\s*(?P<pre>{_SYMBOL})?\s*(?P<s2>[-+])?\s*"
    rf"(?P<body>\d(?:[\d_'{_SPACES}.,]*\d)?)"
    rf"\s*(?P<pct>%)?\s*(?P<post>{_SYMBOL})?"
)
#: digits grouped by threes with one separator (``X``), before any decimals
_GROUPED = r"\d{{1,3}}(?:{sep}\d{{3}})+"


def _grouped(digits: str, sep: str) -> bool:
    """Whether ``digits`` are grouped by threes, ``sep`` (a pattern) between groups."""
    return re.fullmatch(_GROUPED.format(sep=sep), digits) is not None


def _toml_number(number: Decimal) -> tuple[str, Message | str]:
    """A number as TOML (thousands grouped by ``_`` from 1 000 up) and as the message says
    it (``150_000 or 150000``)."""
    text = format(number, "f")  # as written: 500.50 stays 500.50
    whole, dot, decimals = text.lstrip("-").partition(".")
    if len(whole) < 4:
        return text, text
    sign = "-" if number < 0 else ""
    grouped = f"{sign}{int(whole):_}{dot}{decimals}"
    return grouped, Message("msg.or", a=grouped, b=text)


def number_hint(text: str) -> Hint | None:
    """How to write a number written as people write it for reading, or None when the
    text is no such number (or is already a TOML number).

    >>> def show(text):
    ...     hint = number_hint(text)
    ...     return hint.message.render("en"), hint.toml
    >>> show("0,04")
    ('a number takes a decimal point, not a comma: write 0.04', '0.04')
    >>> show("150 000")
    ('a number has no spaces inside: write 150_000 or 150000', '150_000')
    >>> show("100 000 $")[0]
    'an amount is written without a currency symbol (the currency is [scenario] currency): write 100_000 or 100000'
    >>> show("$100,000")[1], show("4 %"), show("4,5%")[1]
    ('100_000', ('a rate or a share is a fraction, written without %: write 0.04', '0.04'), '0.045')
    >>> show("1,500")[0]
    'a number has no comma: write 1.5 with a decimal point, or 1_500 without a thousands separator'
    >>> number_hint("0.04"), number_hint("1_000"), number_hint("cinq"), number_hint("1 2")
    (None, None, None, None)
    """
    m = _NUMBER.fullmatch(text.strip())
    if m is None or (m["s1"] and m["s2"]) or len(m["body"]) > 40:  # no typing slip: as is
        return None
    sign = "-" if "-" in (m["s1"] or "") + (m["s2"] or "") else ""
    body = m["body"]
    spaced = any(c in body for c in _SPACES)
    apostrophe = "'" in body
    if spaced or apostrophe:  # digits grouped by threes, before any decimals
        whole = re.split(r"[.,](?=\d+$)", body)[0] if re.search(r"[.,]\d+$", body) else body
        if not _grouped(whole, f"[{_SPACES}']"):
            return None
    digits = re.sub(f"[{_SPACES}'_]", "", body)
    commas, points = digits.count(","), digits.count(".")
    decimal_comma = ambiguous = False
    thousands = apostrophe
    if commas and points:
        dec = "," if digits.rfind(",") > digits.rfind(".") else "."
        sep = "." if dec == "," else ","
        whole, _, decimals = digits.rpartition(dec)
        if digits.count(dec) != 1 or not _grouped(whole, re.escape(sep)):
            return None
        number = f"{whole.replace(sep, '')}.{decimals}"
        decimal_comma, thousands = dec == ",", True
    elif commas > 1 or points > 1:
        sep = "," if commas else "."
        if not _grouped(digits, re.escape(sep)):
            return None
        number, thousands = digits.replace(sep, ""), True
    elif commas:
        whole, decimals = digits.split(",")
        if len(decimals) == 3 and whole != "0" and not spaced:
            # $1,500 (English style) and 150,000 are thousands; 1,500 may be either
            thousands = bool(m["pre"]) or decimals == "000"
            ambiguous = not thousands
            number = whole + decimals if thousands else f"{whole}.{decimals}"
        else:
            number, decimal_comma = f"{whole}.{decimals}", True
    else:
        number = digits
    value = Decimal(sign + number)
    if m["pct"]:
        fraction = plain(value / 100)
        return Hint(Message("msg.hint_percent", good=fraction), fraction)
    toml, good = _toml_number(value)
    if m["pre"] or m["post"]:
        return Hint(Message("msg.hint_currency", good=good), toml)
    if decimal_comma:
        return Hint(Message("msg.hint_decimal_comma", good=good), toml)
    if ambiguous:  # 1.5 (not 1.500, which reads as thousands in French) or 1_500
        whole_toml = _toml_number(Decimal(sign + number.replace(".", "")))[0]
        decimal = plain(value)
        return Hint(Message("msg.hint_comma", decimal=decimal, whole=whole_toml), decimal)
    if thousands:
        return Hint(Message("msg.hint_thousands", good=good), toml)
    if spaced:
        return Hint(Message("msg.hint_space", good=good), toml)
    return None  # a TOML number (with any sign and underscores)


_DMY = re.compile(r"(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})")
_YMD = re.compile(r"(?P<y>\d{4})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})")


def _real(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def date_hint(text: str) -> Hint | None:
    """How to write a date written the way people write it (``15/01/2027``,
    ``2027/01/15``, ``15.01.2027``, ``2027-1-15``), or None when the text is no such date
    (or is already a TOML date). Day, month, year is the order read first (as in French),
    then month, day, year when only that order is a date.

    >>> def show(text):
    ...     hint = date_hint(text)
    ...     return hint.message.render("en"), hint.toml
    >>> show("15/01/2027")
    ('a date is written year-month-day, without quotes: write 2027-01-15', '2027-01-15')
    >>> show("01/02/2027")[0]
    'a date is written year-month-day, without quotes: write 2027-02-01 (read as day/month/year)'
    >>> show("2027/01/15")[1], show("01/15/2027")[1], show("31/02/2027")
    ('2027-01-15', '2027-01-15', ('is not a date: a date is written year-month-day, such as 2027-01-15', None))
    >>> date_hint("2027-01-15"), date_hint("15 janvier")
    (None, None)
    """
    text = text.strip()
    ymd, dmy = _YMD.fullmatch(text), _DMY.fullmatch(text)
    if ymd:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
            return None
        day = _real(ymd["y"], ymd["m"], ymd["d"])
        if day is None:
            return Hint(Message("msg.hint_no_date"), None)
        return Hint(Message("msg.hint_date", good=day.isoformat()), day.isoformat())
    if dmy:
        day = _real(dmy["y"], dmy["m"], dmy["d"])
        if day is not None and int(dmy["d"]) <= 12 and int(dmy["d"]) != int(dmy["m"]):
            return Hint(Message("msg.hint_date_dmy", good=day.isoformat()), day.isoformat())
        day = day or _real(dmy["y"], dmy["d"], dmy["m"])  # 01/15/2027: month first
        if day is None:
            return Hint(Message("msg.hint_no_date"), None)
        return Hint(Message("msg.hint_date", good=day.isoformat()), day.isoformat())
    return None


def _hint(text: str) -> Hint | None:
    return date_hint(text) or number_hint(text)


# ---------------------------------------------------------------- the text, line by line

_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY_VALUE = re.compile(rf"\s*(?P<key>{_PART}(?:\s*\.\s*{_PART})*)\s*=\s*(?P<value>.*)")
_HEADER = re.compile(
    rf"\s*\[(?P<many>\[)?\s*(?P<key>{_PART}(?:\s*\.\s*{_PART})*)\s*\]\]?\s*(?:#.*)?"
)
_ONE_PART = re.compile(rf"\s*({_PART})\s*\.?")
#: inside an array or inline table: what may be a number or date written for reading
#: (commas separate the entries there, so a decimal comma is read only after a key's "=")
_RUN = re.compile(
    rf"(?<![\w.])(?:\d{{1,2}}([/.-])\d{{1,2}}\1\d{{4}}|\d{{4}}([/.-])\d{{1,2}}\2\d{{1,2}})(?![\w])"
    rf"|(?<![\w.])(?:{_SYMBOL}\s?)?[-+]?\d(?:[\d_']|[{_SPACES}](?=\d)|\.(?=\d))*(?:\s?%|\s?{_SYMBOL})?"
    rf"|(?<==)\s*(?:{_SYMBOL}\s?)?[-+]?\d(?:[\d_']|[{_SPACES}](?=\d)|[.,](?=\d))*"
    rf"(?:\s?%|\s?{_SYMBOL})?(?=\s*[,}}]|\s*$)"
)


def _names(key: str) -> list[str]:
    """The parts of a dotted key, unquoted."""
    names = []
    for part in _ONE_PART.findall(key):
        if part[:1] in "\"'":
            names.append(part[1:-1] if part[0] == "'" else _unquote(part))
        else:
            names.append(part)
    return names


def _unquote(part: str) -> str:
    try:
        return tomllib.loads(f"k = {part}")["k"]
    except tomllib.TOMLDecodeError:
        return part[1:-1]


def _code(text: str) -> tuple[str, int]:
    """``text`` up to a comment (strings masked with ``x``, so that nothing in them is read
    as a value), right-stripped, and the depth of brackets it opens (or closes: negative)."""
    out, depth, quote, i = [], 0, "", 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                out.append("xx")
                i += 2
                continue
            out.append(c if c == quote else "x")
            quote = "" if c == quote else quote
        elif c == "#":
            break
        else:
            if c in "\"'":
                quote = c
            depth += (c in "[{") - (c in "]}")
            out.append(c)
        i += 1
    return "".join(out)[: len(text)].rstrip(), depth


def _is_toml(value: str) -> bool:
    try:
        tomllib.loads(f"v = {value}")
    except tomllib.TOMLDecodeError:
        return False
    return True


def text_slips(text: str) -> list[Slip]:
    """Every value of a scenario's text that is not TOML and that a hint explains, in the
    order of the text: the value of a key (``amount = 150 000``), or a number or date in an
    array or an inline table (``cash_flow = [45 000, 47 000]``). Values in strings and
    comments are not read; a value that is TOML as written never has a hint.

    >>> text = '''
    ... [[series]]
    ... id = "A"  # 2 000 $
    ... amount = 150 000 $
    ... annual_rate = 0,04
    ... issue_date = 15/01/2027
    ... step_rates = [{ from_year = 3, annual_rate = 4,5 % }]
    ... '''
    >>> for slip in text_slips(text):
    ...     print(slip.line, slip.column, slip.loc, slip.wrote, slip.hint.toml)
    4 10 ('series', 0, 'amount') 150 000 $ 150_000
    5 15 ('series', 0, 'annual_rate') 0,04 0.04
    6 14 ('series', 0, 'issue_date') 15/01/2027 2027-01-15
    7 46 ('series', 0, 'step_rates') 4,5 % 0.045
    """
    slips: list[Slip] = []
    table: tuple[str | int, ...] = ()
    arrays: dict[tuple[str | int, ...], int] = {}  # how many of each [[array]] so far
    lines = text.split("\n")
    at, closing = 0, ""  # closing: the quotes that end a multi-line string being skipped
    while at < len(lines):
        line = lines[at].rstrip("\r")
        at += 1
        if closing:
            closing = "" if closing in line else closing
            continue
        header = _HEADER.fullmatch(line)
        if header:
            table = _table(_names(header["key"]), bool(header["many"]), arrays)
            continue
        pair = _KEY_VALUE.fullmatch(line)
        if pair is None:
            continue
        loc, start = (*table, *_names(pair["key"])), pair.start("value")
        value, depth = _code(line[start:])
        if value[:3] in ('"""', "'''"):
            closing = "" if value.count(value[:3]) > 1 else value[:3]
            continue
        if value[:1] not in "[{":
            wrote = line[start : start + len(value)]
            hint = _hint(wrote)
            if hint is not None and not _is_toml(value):
                slips.append(Slip(at, start + 1, start + len(value), loc, wrote, hint))
            continue
        pieces = [(at, start, value)]  # an array or inline table, over one line or more
        while depth > 0 and at < len(lines):
            more, opened = _code(lines[at].rstrip("\r"))
            at += 1
            pieces.append((at, 0, more))
            depth += opened
        if _is_toml("\n".join(p for _, _, p in pieces)):
            continue
        for number, offset, piece in pieces:
            source = lines[number - 1]
            for run in _RUN.finditer(piece):
                first = run.start() + len(run.group()) - len(run.group().lstrip())
                wrote = source[offset + first : offset + run.end()]
                hint = _hint(wrote)
                if hint is not None:
                    slips.append(Slip(number, offset + first + 1, offset + run.end(), loc, wrote, hint))  # fmt: skip
    return slips


def _table(
    names: list[str], many: bool, arrays: dict[tuple[str | int, ...], int]
) -> tuple[str | int, ...]:
    """The loc of a table header (``[[series]]`` the second time: ``("series", 1)``),
    counting the arrays of tables in ``arrays``."""
    loc: list[str | int] = []
    for i, name in enumerate(names):
        loc.append(name)
        here = tuple(loc)
        if many and i == len(names) - 1:
            arrays[here] = arrays.get(here, 0) + 1
            loc.append(arrays[here] - 1)
        elif here in arrays:
            loc.append(arrays[here] - 1)
    return tuple(loc)


def repaired(text: str, slips: list[Slip]) -> str:
    """``text`` with each value of ``slips`` written as its hint says (those without a TOML
    form left as they are): what the file would be once the hints are followed.

    >>> text = "amount = 150 000 $\\nannual_rate = 0,04 # 4 %\\n"
    >>> repaired(text, text_slips(text))
    'amount = 150_000\\nannual_rate = 0.04 # 4 %\\n'
    """
    lines = text.split("\n")
    for slip in sorted(slips, key=lambda s: (s.line, -s.column)):
        if slip.hint.toml is not None:
            line = lines[slip.line - 1]
            lines[slip.line - 1] = line[: slip.column - 1] + slip.hint.toml + line[slip.end :]
    return "\n".join(lines)


def text_language(text: str) -> str | None:
    """The ``language`` of ``[scenario]`` as written in a scenario's text, read line by
    line (the text need not be TOML), when it is a language bondkit writes; else None.

    >>> text_language('[scenario]\\nname = "x"\\nlanguage = "fr"  # FR\\namount = 1 000\\n')
    'fr'
    >>> text_language('[issuer]\\nlanguage = "fr"\\n'), text_language('language = "de"')
    (None, None)
    """
    table: tuple[str, ...] = ()
    for line in text.split("\n"):
        header = _HEADER.fullmatch(line.rstrip("\r"))
        if header:
            table = tuple(_names(header["key"]))
            continue
        pair = _KEY_VALUE.fullmatch(line.rstrip("\r"))
        if pair is None:
            continue
        key = (*table, *_names(pair["key"]))
        value = pair["value"][: len(_code(pair["value"])[0])]
        if key == ("scenario", "language") and len(value) > 1 and value[0] == value[-1] in "\"'":
            return value[1:-1] if value[1:-1] in LANGUAGES else None
    return None
