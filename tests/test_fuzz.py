"""A seeded fuzz test of the scenario file (issue #11, "Checks").

Each case takes one example of ``scenarios/`` and mutates it 1 to 3 times, either as data
(a key dropped, two values swapped, a value replaced by an extreme: 0, -1, 1e308, 1e-308,
huge integers, nan and inf, empty, long or invisible text, control characters, a wrong
type, nested arrays; an entry of ``[[series]]`` dropped or duplicated; an unknown key)
written back as TOML, or as text (a line dropped, duplicated or swapped with another, a
value replaced by a raw TOML token, the file cut short). It then runs ``bondkit validate``
and ``bondkit schedule --format csv`` on the file through click's CliRunner and asserts:

- the exit code is 0 or 2, never a traceback or an internal error, for both commands;
- both commands agree (a file ``validate`` accepts, ``schedule`` accepts too);
- for every accepted file, the schedule identities, on the CSV with ``decimal.Decimal``:
  per series, the principal repaid is the series amount to the cent; per row, interest +
  principal = payment and closing = opening - principal; the next row opens at the last
  one's closing; no balance, interest or principal is negative.

The count is fixed, not the time: ``BONDKIT_FUZZ`` cases (default :data:`SUITE_CASES`,
about 40-50 s on the 2-core development machine); ``make fuzz`` runs 20,000. The seed is
``BONDKIT_FUZZ_SEED`` (default :data:`SEED`) and case ``i`` draws from its own generator,
``random.Random(f"{seed}:{i}")``: a failure names its case and mutations, and
``BONDKIT_FUZZ_SEED=s BONDKIT_FUZZ_CASE=i pytest tests/test_fuzz.py`` replays it alone.
At the end the test prints its counts: tried / rejected (exit 2) / accepted (exit 0) /
crashed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import random
import re
import tomllib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from bondkit.cli import main
from bondkit.core.conventions import BUSINESS_DAYS, DAY_COUNTS, FREQUENCIES
from bondkit.core.terms import ALLOCATIONS, INTEREST_KINDS, INTEREST_STARTS, REPAYMENTS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "scenarios").glob("*.toml"))
#: cases in the test suite (count-based: 40-50 s on the 2-core development machine)
SUITE_CASES = 2_500
SEED = 11  # issue #11

# ---------------------------------------------------------------- values and tokens

DEEP = 40  # nested arrays deeper than any scenario needs, still parsed by tomllib

#: extreme values put in place of a value of the parsed file
EXTREMES: list[Any] = [
    0,
    -1,
    1,
    0.0,
    -0.0,
    1e308,
    -1e308,
    1e-308,
    5e-324,
    2**63 - 1,
    2**63,
    2**64,
    -(2**63) - 1,
    10**30,
    10**4000,
    math.nan,
    math.inf,
    -math.inf,
    0.1 + 0.2,
    "",
    " ",
    "x" * 10_000,
    "é" * 300,
    "\x00",
    "Membres\x00",
    "\u200b",
    "\u202eevil",
    "\t",
    "a\nb",
    "=1+1",
    "-A1",
    "@SUM(A1)",
    "0.04",
    "100000",
    "nan",
    True,
    False,
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.date(2024, 2, 29),
    dt.datetime(2020, 1, 1, 12, 0, tzinfo=dt.UTC),
    dt.time(12, 30),
    [],
    [1],
    [0.5, "a"],
    [[[1]]],
    {},
    {"a": 1},
    {"A": 0.5, "B": 0.5},
    "DEEP",  # replaced by DEEP nested arrays
]

#: the words of a key, swapped for one another (the file often stays valid: more schedules)
WORDS = [*FREQUENCIES, *DAY_COUNTS, *BUSINESS_DAYS, *REPAYMENTS, *INTEREST_KINDS]
WORDS += [*ALLOCATIONS, *INTEREST_STARTS]
#: factors a number is multiplied by (the file often stays valid)
FACTORS = [0, 0.001, 0.1, 0.5, 0.99, 1.01, 1.5, 2, 3, 10, 100, 1e6]

#: raw TOML put in place of the value of a ``key = value`` line
TOKENS = [
    "nan",
    "inf",
    "-inf",
    "+nan",
    "1e308",
    "1e309",
    "-1e308",
    "1e-308",
    "1e-400",
    "0",
    "-0",
    "-1",
    "0.0000001",
    "9" * 30,
    "9" * 5000,
    "0x7fffffffffffffff",
    "0b1",
    "0o777",
    "1_000_000_000_000",
    "10_000_000_001",
    "true",
    '""',
    '"' + "x" * 5000 + '"',
    '"\\u0000"',
    '"\\u200b"',
    '"\\u0007bell"',
    "'literal'",
    '"""multi\nline"""',
    "[]",
    "[1, 2, 3]",
    "[[1], [2]]",
    "[" * 400 + "]" * 400,
    "{}",
    "{ a = 1 }",
    "1979-05-27T07:32:00Z",
    "1979-05-27",
    "07:32:00",
    "2023-02-30",
    "",
    "=",
    '"unterminated',
]

# ---------------------------------------------------------------- writing TOML back

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key(k: str) -> str:
    return k if _BARE.fullmatch(k) else _string(k)


def _string(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(v: Any) -> str:
    if v == "DEEP":
        return "[" * DEEP + "1" + "]" * DEEP
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def _is_tables(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _table(lines: list[str], header: list[str], table: dict[str, Any], array: bool) -> None:
    """A table's own keys first, then its sub-tables and arrays of tables."""
    if header:
        name = ".".join(_key(h) for h in header)
        lines.append(f"[[{name}]]" if array else f"[{name}]")
    later = []
    for k, v in table.items():
        if isinstance(v, dict) or _is_tables(v):
            later.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in later:
        if isinstance(v, dict):
            _table(lines, [*header, k], v, array=False)
        else:
            for entry in v:
                _table(lines, [*header, k], entry, array=True)


def dump(data: dict[str, Any]) -> str:
    """``data`` as TOML text (values tomllib cannot hold, such as nan, written as TOML)."""
    lines: list[str] = []
    _table(lines, [], data, array=False)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- mutations


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in the parsed file (keys and list indexes)."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*prefix, k))
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, dict | list):
                out += _paths(v, (*prefix, i))
    return out


def _get(data: Any, path: tuple) -> Any:
    for p in path:
        data = data[p]
    return data


def _name(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else f"{text[:30]}...({len(text)} chars)"


def mutate_data(rng: random.Random, data: dict[str, Any]) -> str:
    """One mutation of the parsed file, in place; returns its description."""
    paths = _paths(data)
    if not paths:  # an empty file
        data["scenario"] = value = rng.choice(EXTREMES)
        return f"set scenario = {_short(value)}"
    kind = rng.choice(
        ["extreme", "extreme", "extreme", "nudge", "nudge", "nudge", "drop", "swap", "unknown"]
        + ["entries"]
    )
    if kind == "entries":
        lists = [p for p in paths if _is_tables(_get(data, p))]
        if lists:
            path = rng.choice(lists)
            entries = _get(data, path)
            i = rng.randrange(len(entries))
            what = rng.random()
            if what < 0.4 and len(entries) > 1:
                del entries[i]
                return f"drop {_name(path)}[{i}]"
            if what < 0.7:
                entries.append(dict(entries[i]))
                return f"duplicate {_name(path)}[{i}]"
            copies = rng.choice([2, 5, 20])  # more entries, each with its own id or name
            for k in range(copies):
                entry = dict(entries[i])
                for key in ("id", "name"):
                    if isinstance(entry.get(key), str):
                        entry[key] = f"{entry[key][:12]}{k}"
                entries.append(entry)
            return f"{copies} copies of {_name(path)}[{i}] with their own ids"
        kind = "extreme"
    path = rng.choice(paths)
    parent, key = _get(data, path[:-1]), path[-1]
    if kind == "nudge":
        value = parent[key]
        if isinstance(value, bool):
            parent[key] = not value
        elif isinstance(value, int | float):
            factor = rng.choice(FACTORS)
            parent[key] = type(value)(value * factor) if abs(value * factor) < 1e300 else value
        elif isinstance(value, dt.date):
            days = rng.choice([-3650, -365, -31, -1, 1, 29, 366])
            try:
                parent[key] = value + dt.timedelta(days=days)
            except OverflowError:  # near year 1 or 9999
                return f"nudge {_name(path)} (none: {value} out of range)"
        elif isinstance(value, str) and value in WORDS:
            parent[key] = rng.choice(WORDS)
        else:
            return f"nudge {_name(path)} (none: {type(value).__name__})"
        return f"nudge {_name(path)}: {_short(value)} -> {_short(parent[key])}"
    if kind == "drop":
        del parent[key]
        return f"drop {_name(path)}"
    if kind == "swap":
        other = rng.choice(paths)
        if other[: len(path)] == path or path[: len(other)] == other:
            return "swap (none: nested)"
        o_parent, o_key = _get(data, other[:-1]), other[-1]
        parent[key], o_parent[o_key] = o_parent[o_key], parent[key]
        return f"swap {_name(path)} <-> {_name(other)}"
    if kind == "unknown":
        target = parent if isinstance(parent, dict) else data
        target["colour" if rng.random() < 0.5 else "annual_rate_"] = rng.choice(EXTREMES)
        return f"unknown key beside {_name(path)}"
    value = rng.choice(EXTREMES)
    parent[key] = value
    return f"set {_name(path)} = {_short(value)}"


_ASSIGNMENT = re.compile(r"^(\s*[A-Za-z0-9_.\"-]+\s*=\s*)(.*)$")


def mutate_text(rng: random.Random, text: str) -> tuple[str, str]:
    """One mutation of the file's text: the new text and its description."""
    lines = text.split("\n")
    kind = rng.choice(["token", "token", "token", "drop", "duplicate", "swap", "cut", "char"])
    i = rng.randrange(len(lines))
    assignments = [j for j, line in enumerate(lines) if _ASSIGNMENT.match(line)]
    if kind == "token" and assignments:
        i = rng.choice(assignments)
        token = rng.choice(TOKENS)
        lines[i] = _ASSIGNMENT.sub(lambda m: m.group(1) + token, lines[i])
        return "\n".join(lines), f"line {i + 1}: value -> {_short(token)}"
    if kind == "drop":
        del lines[i]
        return "\n".join(lines), f"drop line {i + 1}"
    if kind == "duplicate":
        lines.insert(i, lines[i])
        return "\n".join(lines), f"duplicate line {i + 1}"
    if kind == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines), f"swap lines {i + 1} and {j + 1}"
    if kind == "cut" and text:
        at = rng.randrange(len(text))
        return text[:at], f"cut at character {at}"
    at = rng.randrange(len(text) + 1)
    ch = rng.choice(["\x00", "\x7f", "\u200b", "\ufeff", '"', "[", "=", "\n", "\\", "é", "\ud800"])
    return text[:at] + ch + text[at:], f"insert {ch!r} at character {at}"


def make_case(seed: int, i: int) -> tuple[str, str, list[str]]:
    """Case ``i``: (its example's name, the mutated text, the mutations), from its own
    generator, so that any case can be made again alone."""
    rng = random.Random(f"{seed}:{i}")
    example = rng.choice(EXAMPLES)
    text = example.read_text(encoding="utf-8")
    done = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        if rng.random() < 0.6:
            try:
                data = tomllib.loads(text)
                what = mutate_data(rng, data)
                text, done = dump(data), [*done, "data: " + what]
                continue
            except (tomllib.TOMLDecodeError, ValueError, RecursionError):
                pass  # not TOML, or nested too deep for this writer: mutate the text
        text, what = mutate_text(rng, text)
        done.append("text: " + what)
    return example.name, text, done


# ---------------------------------------------------------------- the checks


def _clean(result) -> list[str]:
    """What is wrong with a command's result: an exit other than 0 or 2, a traceback, an
    internal error, an exception that escaped."""
    wrong = []
    out = result.output + (result.stderr if result.stderr not in result.output else "")
    if result.exit_code not in (0, 2):
        wrong.append(f"exit {result.exit_code}: {out.strip()[:300]}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        wrong.append(f"exception {type(result.exception).__name__}: {result.exception}")
    for word in ("Traceback", "internal error", "erreur interne"):
        if word in out:
            wrong.append(f"{word!r} in the output: {out.strip()[:300]}")
    return wrong


def _amounts(text: str) -> dict[str, Decimal]:
    """Each series id of an accepted file and its amount as written."""
    data = tomllib.loads(text)
    out = {}
    for s in data["series"]:
        amount = s["amount"]
        out[s["id"]] = Decimal(amount) if isinstance(amount, int) else Decimal(repr(amount))
    return out


def schedule_problems(csv_text: str, amounts: dict[str, Decimal]) -> list[str]:
    """The identities of a schedule CSV (money as Decimal, exactly as written)."""
    problems = []
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    by_series: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        sid = row["series"]
        if sid[:1] == "'" and sid[1:2] in ("=", "+", "-", "@", "\t", "\r"):
            sid = sid[1:]  # quoted for spreadsheets
        by_series[sid].append(row)
    if set(by_series) != set(amounts):
        problems.append(f"series {sorted(by_series)} in the CSV, {sorted(amounts)} in the file")
    for sid, own in by_series.items():
        principal_total = Decimal(0)
        previous = None
        for row in own:
            o, i, p, pay, c = (
                Decimal(row[k])
                for k in ("opening_balance", "interest", "principal", "payment", "closing_balance")
            )
            where = f"series {sid} period {row['period']}"
            if i + p != pay:
                problems.append(f"{where}: interest {i} + principal {p} != payment {pay}")
            if o - p != c:
                problems.append(f"{where}: opening {o} - principal {p} != closing {c}")
            if min(o, i, p, c) < 0:
                problems.append(f"{where}: a negative amount ({o}, {i}, {p}, {c})")
            if previous is not None and o != previous:
                problems.append(f"{where}: opens at {o}, the last row closed at {previous}")
            previous = c
            principal_total += p
        if sid in amounts and principal_total != amounts[sid]:
            problems.append(f"series {sid}: principal repaid {principal_total} != {amounts[sid]}")
        if previous is not None and previous != 0:
            problems.append(f"series {sid}: closes at {previous}, not 0")
    return problems


# ---------------------------------------------------------------- the test


def test_fuzz_the_examples(tmp_path, capsys):
    seed = int(os.environ.get("BONDKIT_FUZZ_SEED", SEED))
    n = int(os.environ.get("BONDKIT_FUZZ", SUITE_CASES))
    only = os.environ.get("BONDKIT_FUZZ_CASE")
    cases = [int(only)] if only else range(n)
    runner = CliRunner()
    path = tmp_path / "fuzzed.toml"
    counts = {"tried": 0, "rejected": 0, "accepted": 0, "crashed": 0}
    failures = []
    for i in cases:
        name, text, mutations = make_case(seed, i)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        counts["tried"] += 1
        checked = runner.invoke(main, ["validate", str(path), "--lang", "en"])
        printed = runner.invoke(main, ["schedule", str(path), "--format", "csv", "--lang", "en"])
        wrong = [f"validate: {w}" for w in _clean(checked)]
        wrong += [f"schedule: {w}" for w in _clean(printed)]
        if not wrong and checked.exit_code != printed.exit_code:
            wrong.append(f"validate exits {checked.exit_code}, schedule {printed.exit_code}")
        if not wrong and printed.exit_code == 0:
            wrong += schedule_problems(printed.stdout, _amounts(text))
        if wrong:
            counts["crashed"] += 1
            keep = tmp_path / f"case-{i}.toml"
            keep.write_text(text, encoding="utf-8", errors="surrogatepass")
            failures.append(
                f"case {i} (seed {seed}) of {name}, {'; '.join(mutations)}: {wrong[0]}"
                f" [file {keep}; replay: BONDKIT_FUZZ_SEED={seed} BONDKIT_FUZZ_CASE={i}]"
            )
        elif checked.exit_code == 0:
            counts["accepted"] += 1
        else:
            counts["rejected"] += 1
    with capsys.disabled():
        print(
            f"\nfuzz (seed {seed}): tried {counts['tried']} / rejected (exit 2) "
            f"{counts['rejected']} / accepted (exit 0) {counts['accepted']} / crashed "
            f"{counts['crashed']}"
        )
    assert not failures, f"{len(failures)} crashes:\n" + "\n".join(failures[:20])
    if not only:
        # the mutations reach both outcomes in good numbers
        assert counts["rejected"] > n / 10 and counts["accepted"] > n / 20, counts


def test_the_writer_gives_back_what_it_read():
    for example in EXAMPLES:
        data = tomllib.loads(example.read_text(encoding="utf-8"))
        assert tomllib.loads(dump(data)) == data, example.name


def test_a_case_is_the_same_every_time():
    assert make_case(SEED, 7) == make_case(SEED, 7)
    assert make_case(SEED, 7) != make_case(SEED, 8)


def test_the_checks_catch_an_internal_error(monkeypatch, tmp_path):
    import bondkit.scenario

    def broken(path):
        raise RuntimeError("boom")

    monkeypatch.setattr(bondkit.scenario, "load_scenario", broken)
    result = CliRunner().invoke(main, ["validate", str(EXAMPLES[0])])
    assert result.exit_code == 1
    assert any("internal error" in w for w in _clean(result))


def test_the_identities_catch_a_wrong_schedule():
    good = (
        "series,period,date,opening_balance,interest,principal,payment,closing_balance\n"
        "A,1,2028-01-15,100.00,4.00,50.00,54.00,50.00\n"
        "A,2,2029-01-15,50.00,2.00,50.00,52.00,0.00\n"
    )
    assert schedule_problems(good, {"A": Decimal(100)}) == []
    assert schedule_problems(good, {"A": Decimal("100.01")})  # not the amount
    assert schedule_problems(good.replace("54.00", "54.01"), {"A": Decimal(100)})
    assert schedule_problems(good.replace("2029-01-15,50.00", "2029-01-15,50.01"), {"A": 100})
