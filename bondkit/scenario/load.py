"""Loading a scenario: from a file, TOML text or a dict (all validated the same way), the
packaged examples and the starter scenario of ``bondkit init``, and the language a
scenario file asks for."""

from __future__ import annotations

import hashlib
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from bondkit.errors import Message, Problem, ScenarioError
from bondkit.scenario.guards import long_number_at, text_nesting
from bondkit.scenario.hints import repaired, text_language, text_slips
from bondkit.scenario.limits import MAX_FILE_BYTES, MAX_NESTING, MAX_PROBLEMS
from bondkit.scenario.messages import data_language, toml_syntax_message, validate
from bondkit.scenario.model import Scenario

__all__ = [
    "load_scenario",
    "load_example",
    "starter_text",
    "starter_scenario",
    "list_examples",
    "parse_scenario",
    "read_toml",
    "validate_data",
    "scenario_language",
]


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise :class:`ScenarioError` listing every problem.

    The file is UTF-8 TOML (a byte-order mark is accepted) of at most MAX_FILE_BYTES bytes
    (a larger file is refused before it is read whole); amounts in it are in currency
    units, rates fractions. The scenario remembers its ``source_path`` and the SHA-256 of
    the file's bytes (``input_sha256``, named in the summary JSON).

    >>> import pathlib, tempfile
    >>> text = '''
    ... [scenario]
    ... name = "Épicerie solidaire 2024"
    ... [issuer]
    ... name = "Épicerie solidaire"
    ... [[series]]
    ... id = "A"
    ... amount = 50_000           # CAD: 50 bonds of 1 000 $
    ... face_value = 1_000
    ... annual_rate = 0.035       # 3.5 % a year
    ... issue_date = 2024-06-01
    ... term_years = 5
    ... repayment = "bullet"
    ... '''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "epicerie.toml"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     sc = load_scenario(path)
    >>> sc.name, sc.source_path.name, len(sc.input_sha256)
    ('Épicerie solidaire 2024', 'epicerie.toml', 64)
    >>> sc.series_terms()[0].maturity
    datetime.date(2029, 6, 1)
    >>> load_scenario(path)  # the folder is gone  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: ...epicerie.toml: cannot read the file: ...
    """
    path = Path(path)
    text, data = _read_text(path)
    scenario = parse_scenario(text, source=str(path))
    scenario._source_path = path
    scenario._input_sha256 = hashlib.sha256(data).hexdigest()
    return scenario


def _read_text(path: Path) -> tuple[str, bytes]:
    """The text of a scenario file and its bytes: at most MAX_FILE_BYTES of them are read,
    so that a file of gigabytes is refused at once."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ScenarioError(
            [Problem(str(path), Message("msg.cannot_read", reason=reason))], str(path)
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            [Problem(str(path), Message("msg.file_too_large", most=MAX_FILE_BYTES))], str(path)
        )
    try:
        text = data.decode("utf-8-sig")  # tolerate the byte-order mark some Windows editors add
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [Problem(str(path), Message("msg.not_utf8", byte=exc.start + 1))], str(path)
        ) from None
    return text, data


def read_toml(text: str, source: str = "<string>") -> dict[str, Any]:
    """The data of a scenario's TOML text, or :class:`ScenarioError` with its problems:
    text longer than MAX_FILE_BYTES bytes, arrays and inline tables nested more than
    MAX_NESTING levels deep (found in the text, before the TOML reader recurses into
    them), a TOML syntax error, or a whole number too long for Python to read; each with
    its line and column.

    >>> read_toml("seed = " + "[" * 50 + "]" * 50, source="deep.toml")
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: deep.toml: nests arrays and tables more than 20 levels deep (at line 1, column 28): a scenario needs at most 4

    A text that is not TOML because of the way people write numbers and dates (``0,04``,
    ``150 000``, ``100 000 $``, ``4 %``, ``15/01/2027``) gets a hint for every such value
    at once, each with its line and column, then tomllib's first error elsewhere; the
    error's ``language`` is that of ``[scenario]`` when the text names one:

    >>> read_toml('[scenario]\\nlanguage = "fr"\\n[costs]\\nupfront = 3 000 $\\nannual_admin = 500,5')
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: costs.upfront: an amount is written without a currency symbol (the currency is [scenario] currency): write 3_000 or 3000 (you wrote 3 000 $ at line 4, column 11)
    costs.annual_admin: a number takes a decimal point, not a comma: write 500.5 (you wrote 500,5 at line 5, column 16)
    """
    data, problems, _ = _read_toml(text, source)
    if problems:
        raise ScenarioError(problems, source, language=text_language(text))
    return data


#: where tomllib's message places its error
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)$")


def _read_toml(text: str, source: str) -> tuple[Any, list[Problem], list[str]]:
    """The data of a scenario's text, the problems of its TOML, and the keys of the values
    hinted (``series[1].amount``).

    When the text is not TOML: a problem for each value a hint explains
    (:func:`~bondkit.scenario.hints.text_slips`), and tomllib's first error when it is on
    another line; then the data of the text once the hints are followed (None when that is
    not TOML either, with its first error when on another line), so that the rest of the
    file can be checked in the same go.
    """
    try:
        return _loads(text, source), [], []
    except tomllib.TOMLDecodeError as exc:
        first: tomllib.TOMLDecodeError = exc
    slips = text_slips(text)
    hinted = {slip.line for slip in slips}
    found = [(slip.line, slip.problem()) for slip in slips]
    data = None
    for error in (first, None):
        if error is None and slips:
            try:
                data = _loads(repaired(text, slips), source)
            except tomllib.TOMLDecodeError as again:
                error = again if str(again) != str(first) else None
            except ScenarioError:  # a number too long: the first reading says so
                pass
        at = _TOML_LINE.search(str(error)) if error is not None else None
        line = int(at[1]) if at else 0
        if error is not None and line not in hinted:
            found.append((line or len(text), Problem(source, toml_syntax_message(error))))
    found.sort(key=lambda f: f[0])
    problems = [p for _, p in found[:MAX_PROBLEMS]]
    if len(found) > MAX_PROBLEMS:
        problems.append(Problem("", Message("msg.more_problems", n=len(found) - MAX_PROBLEMS)))
    return data, problems, [str(p.location) for _, p in found if p.location != source]


def _within(location: str, keys: list[str]) -> bool:
    """Whether ``location`` is one of ``keys`` or inside one (``series[1].step_rates[2]``
    is inside ``series[1].step_rates``)."""
    return any(location == k or location.startswith((f"{k}.", f"{k}[")) for k in keys)


def _loads(text: str, source: str) -> dict[str, Any]:
    """``tomllib.loads`` within the bounds of a scenario: its size and nesting checked
    first; a syntax error is raised as tomllib's, any other as a :class:`ScenarioError`."""
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScenarioError(
            [Problem(source, Message("msg.file_too_large", most=MAX_FILE_BYTES))], source
        )
    deep = text_nesting(text)
    if deep is not None:
        where = Message("toml.at_line", line=deep[0], column=deep[1])
        problem = Problem(source, Message("msg.too_deep", most=MAX_NESTING, where=where))
        raise ScenarioError([problem], source)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:  # its message ends with "(at line L, column C)"
        raise
    except ValueError as exc:  # a whole number of more digits than Python reads
        most = sys.get_int_max_str_digits()
        at = long_number_at(text, most) if most else None
        if at is None:
            message = Message("msg.toml_syntax_plain", reason=str(exc))
        else:
            where = Message("toml.at_line", line=at[0], column=at[1])
            message = Message("msg.long_number", most=most, where=where)
        raise ScenarioError([Problem(source, message)], source) from None
    except RecursionError:  # cannot happen within MAX_NESTING: a last resort
        problem = Problem(source, Message("msg.too_deep_here", most=MAX_NESTING))
        raise ScenarioError([problem], source) from None


def list_examples() -> list[str]:
    """The names of the example scenarios packaged with bondkit (offline).

    >>> list_examples()
    ['building-purchase-2010', 'cinema-du-parc-2016', 'grand-costumier-2016', 'solar-coop-multi-series']
    """
    from importlib.resources import files

    folder = files("bondkit.examples")
    return sorted(
        p.name.removesuffix(".toml")
        for p in folder.iterdir()
        if p.name.endswith(".toml") and not p.name.startswith("init-")
    )


def starter_text(lang: str = "en") -> str:
    """The commented starter scenario ``bondkit init`` writes, as TOML text, in ``lang``.

    >>> starter_text("fr").splitlines()[0].startswith("#")
    True
    """
    from importlib.resources import files

    return files("bondkit.examples").joinpath(f"init-{lang}.toml").read_text(encoding="utf-8")


def starter_scenario(lang: str = "en") -> Scenario:
    """The starter scenario of ``bondkit init``, validated: a co-op's 100,000 $ 5-year
    bullet at 4 % (annual interest), issued on 15 January 2027, with no campaign, capacity
    or risk table. Examples add them with :meth:`Scenario.with_changes`.

    >>> sc = starter_scenario()
    >>> str(sc.series[0].amount), str(sc.series[0].annual_rate), sc.series[0].term_years
    ('100000', '0.04', 5)
    """
    return parse_scenario(starter_text(lang), source=f"init-{lang}.toml")


def load_example(name: str) -> Scenario:
    """One of the example scenarios packaged with bondkit (:func:`list_examples`), validated.

    The same files as the repository's ``scenarios/`` folder, readable offline and
    without the repository. An unknown name raises :class:`ScenarioError` naming them.

    >>> sc = load_example("cinema-du-parc-2016")
    >>> sc.name, sc.language, len(sc.series), str(sc.series[0].amount)
    ('Cinéma du Parc 2016', 'fr', 1, '100000')
    """
    from importlib.resources import as_file, files

    names = list_examples()
    if name not in names:
        raise ScenarioError([Problem(str(name), Message("msg.no_example", names=", ".join(names)))])
    with as_file(files("bondkit.examples") / f"{name}.toml") as path:
        scenario = load_scenario(path)
    return scenario


def parse_scenario(text: str, source: str = "<string>") -> Scenario:
    """Validate a scenario given as TOML text; ``source`` names it in a syntax error.

    Amounts in currency units, rates as fractions (0.035 is 3.5 %), dates unquoted. The
    scenario has no ``source_path``; its ``input_sha256`` is that of the UTF-8 text.

    >>> text = '''
    ... [scenario]
    ... name = "Épicerie solidaire 2024"
    ... [issuer]
    ... name = "Épicerie solidaire"
    ... [[series]]
    ... id = "A"
    ... amount = 50_000
    ... face_value = 1_000
    ... annual_rate = 0.035
    ... issue_date = 2024-06-01
    ... term_years = 5
    ... repayment = "bullet"
    ... '''
    >>> sc = parse_scenario(text)
    >>> sc.source_path is None, sc.currency, sc.series_terms()[0].bonds
    (True, 'CAD', 50)

    A TOML syntax error (here the quotes of the id forgotten) names the line and column:

    >>> parse_scenario(text.replace('"A"', "A"), source="epicerie.toml")
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: epicerie.toml: TOML syntax error: Invalid value (at line 7, column 6)

    Values written as people write numbers and dates get a hint each, and the rest of the
    file is checked as if the hints were followed, so every problem is listed at once:

    >>> bad = text.replace("50_000", "50 000 $").replace("0.035", "3,5 %")
    >>> parse_scenario(bad.replace("id = ", "ident = "))
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: series[1].amount: an amount is written without a currency symbol (the currency is [scenario] currency): write 50_000 or 50000 (you wrote 50 000 $ at line 8, column 10)
    series[1].annual_rate: a rate or a share is a fraction, written without %: write 0.035 (you wrote 3,5 % at line 10, column 15)
    series[1].id: required (missing)
    series[1].ident: unknown key
    """
    data, problems, hinted = _read_toml(text, source)
    if problems:
        if data is not None:  # the rest of the file, as if the hints were followed
            try:
                validate_data(data, source=source)
            except ScenarioError as exc:
                # not those of the values hinted: they quote a value the user did not write
                problems += [p for p in exc.problems if not _within(p.location, hinted)]
        raise ScenarioError(problems, source, language=text_language(text))
    scenario = validate_data(data, source=source)
    scenario._source_text = text
    scenario._input_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return scenario


def validate_data(data: dict[str, Any], source: str | None = None) -> Scenario:
    """Validate a scenario given as a dict (as read from TOML, or merged with changes).

    Raises :class:`ScenarioError` with one :class:`Problem` per problem, all at once; its
    ``language`` is the scenario's ``language`` key when that key is valid.

    Values as TOML gives them: amounts in currency units, rates as fractions, dates as
    ``datetime.date`` (a date given as text is refused, as a quoted date in a file).

    >>> import datetime as dt
    >>> data = {
    ...     "scenario": {"name": "Épicerie solidaire 2024", "language": "fr"},
    ...     "issuer": {"name": "Épicerie solidaire"},
    ...     "series": [{"id": "A", "amount": 50_000, "face_value": 1_000,
    ...                 "annual_rate": 0.035, "issue_date": dt.date(2024, 6, 1),
    ...                 "term_years": 5, "repayment": "bullet"}],
    ... }
    >>> validate_data(data).series_terms()[0].maturity
    datetime.date(2029, 6, 1)
    >>> bad = dict(data, series=[dict(data["series"][0], amount=50_500, annual_rate=3.5)])
    >>> validate_data(bad)
    Traceback (most recent call last):
    ...
    bondkit.errors.ScenarioError: series[1].amount: must be a whole multiple of face_value 1000, such as 50000 or 51000 (you wrote 50500)
    series[1].annual_rate: must be a fraction such as 0.04 (you wrote 3.5)
    """
    return validate(Scenario, data, source)


def scenario_language(path: str | Path) -> str | None:
    """The ``language`` a scenario file asks for, read from its TOML even when the scenario
    has problems; None when the file cannot be read or parsed, or names no valid language.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "draft.toml"
    ...     _ = path.write_text('[scenario]\\nname = 4\\nlanguage = "fr"\\n', encoding="utf-8")
    ...     print(scenario_language(path), scenario_language(pathlib.Path(tmp) / "nope.toml"))
    fr None
    """
    try:
        data = read_toml(_read_text(Path(path))[0])
    except ScenarioError as exc:  # not TOML: as the text names it
        return exc.language
    return data_language(data)
