"""The templates of ``bondkit init`` (bondkit/examples/init-en.toml, init-fr.toml): valid
as written; every optional table written commented out, so that removing the ``# `` of its
lines gives a valid file; every key of the schema shown; comments in the template's
language (issue #15, "French first")."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from bondkit.cli import main
from bondkit.scenario import Scenario, parse_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "bondkit" / "examples"
LANGS = ("en", "fr")
#: the optional top-level tables a template writes commented out ([costs] is written as is)
COMMENTED = ("campaign", "capacity", "risk", "planning", "offer", "readiness")
#: sub-tables a user may leave commented while using the rest of their table
OPTIONAL_SUBTABLES = {
    "campaign": ("arrivals", "costs", "match", "underwriter"),
    "capacity": ("sinking_fund", "reserve"),
    "offer": ("renewals",),
    "planning": ("uses", "sources", "milestones", "budget"),
}
HEADER = re.compile(r"^\[\[?([a-z_.]+)\]\]?")
KEY = re.compile(r"^([a-z_]+) = ")


def _text(lang: str) -> str:
    return (EXAMPLES / f"init-{lang}.toml").read_text(encoding="utf-8")


def _uncomment(line: str) -> str:
    """What removing the leading ``# `` of a line gives (``#`` alone: an empty line)."""
    if line == "#":
        return ""
    return line[2:] if line.startswith("# ") else line


def _blocks(lines: list[str]) -> dict[str, range]:
    """Each commented-out top-level table: from its ``# [table]`` line to the next empty
    line (the rule the template states at its top)."""
    blocks = {}
    for i, line in enumerate(lines):
        m = re.match(r"^# \[([a-z_]+)\]", line)
        if m:
            end = lines.index("", i) if "" in lines[i:] else len(lines)
            blocks[m[1]] = range(i, end)
    return blocks


def _subtable_lines(lines: list[str], block: range, table: str, sub: str) -> set[int]:
    """The lines of every ``# [table.sub]`` or ``# [[table.sub]]`` in ``block``, each up to
    the next header of the block (its spacer lines ``#`` excepted)."""
    inside: set[int] = set()
    current = None
    for i in block:
        m = HEADER.match(_uncomment(lines[i]))
        if m:
            current = m[1]
        if current == f"{table}.{sub}" and lines[i] != "#":
            inside.add(i)
    return inside


def _with_uncommented(lines: list[str], rows: typing.Iterable[int]) -> str:
    new = list(lines)
    for i in rows:
        new[i] = _uncomment(new[i])
    return "\n".join(new)


@pytest.mark.parametrize("lang", LANGS)
def test_a_template_is_valid_as_written_with_its_optional_tables_left_out(lang):
    sc = parse_scenario(_text(lang))
    assert sc.language == lang
    assert [s.amount for s in sc.series] == [100_000]
    assert sc.issuer.legal_form == "coop"  # a co-op's 100,000 $ issue
    for table in COMMENTED:
        assert getattr(sc, table) is None, table


@pytest.mark.parametrize("lang", LANGS)
def test_every_optional_table_is_written_commented_out(lang):
    lines = _text(lang).split("\n")
    assert sorted(_blocks(lines)) == sorted(COMMENTED)
    optional = {n for n, f in Scenario.model_fields.items() if not f.is_required()}
    assert optional == {*COMMENTED, "costs"}  # a new optional table needs a block here


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("table", COMMENTED)
def test_uncommenting_one_table_gives_a_valid_scenario_with_it(lang, table):
    lines = _text(lang).split("\n")
    sc = parse_scenario(_with_uncommented(lines, _blocks(lines)[table]))
    assert getattr(sc, table) is not None
    assert [t for t in COMMENTED if getattr(sc, t) is not None] == [table]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("table", "sub"), [(t, s) for t, subs in OPTIONAL_SUBTABLES.items() for s in subs]
)
def test_an_optional_subtable_may_stay_commented(lang, table, sub):
    lines = _text(lang).split("\n")
    block = _blocks(lines)[table]
    kept = _subtable_lines(lines, block, table, sub)
    assert kept, f"no [{table}.{sub}] in the {table} block"
    sc = parse_scenario(_with_uncommented(lines, [i for i in block if i not in kept]))
    value = getattr(getattr(sc, table), sub)
    default = type(getattr(sc, table)).model_fields[sub].default
    assert value == default  # left out: its default (none, or all 0)
    with_it = parse_scenario(_with_uncommented(lines, block))
    assert getattr(getattr(with_it, table), sub) != default


@pytest.mark.parametrize("lang", LANGS)
def test_uncommenting_every_table_gives_a_valid_scenario_that_uses_them_all(lang):
    lines = _text(lang).split("\n")
    rows = [i for block in _blocks(lines).values() for i in block]
    sc = parse_scenario(_with_uncommented(lines, rows))
    assert all(getattr(sc, t) is not None for t in COMMENTED)
    # the offer states the redemption terms [risk] simulates
    assert (sc.offer.lock_in_years, sc.offer.notice_months) == (
        sc.risk.lock_in_years,
        sc.risk.notice_months,
    )
    assert [s.name for s in sc.campaign.segments] == (
        ["Members", "Neighbours"] if lang == "en" else ["Membres", "Voisinage"]
    )


@pytest.mark.parametrize("lang", LANGS)
def test_double_hash_lines_stay_comments_and_are_alternatives(lang):
    """``## key = ...`` lines are ways to write a key that the rest of the block rules
    out (cash_flow_base beside cash_flow, security without rank = "secured", segment
    probabilities without a campaign): uncommenting them too is refused."""
    lines = _text(lang).split("\n")
    alternatives = [i for i, line in enumerate(lines) if KEY.match(line.removeprefix("## "))]
    alternatives = [i for i in alternatives if lines[i].startswith("## ")]
    assert len(alternatives) == 3
    blocks = _blocks(lines)
    for i in alternatives:
        [table] = [t for t, block in blocks.items() if i in block]
        text = _with_uncommented(lines, blocks[table]).split("\n")
        text[i] = lines[i].removeprefix("## ")
        with pytest.raises(Exception, match=r"capacity|offer\.security|risk\.segment"):
            parse_scenario("\n".join(text))


# ---------------------------------------------------------------- every key is shown


def _models_in(annotation) -> list[type[BaseModel]]:
    found, stack = [], [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            found.append(a)
        stack.extend(typing.get_args(a))
    return found


def _schema_tables(model: type[BaseModel] = Scenario, path: str = "") -> dict[str, set[str]]:
    """Every table of the schema by its path (``""`` the top level), with its keys."""
    tables = {path: set(model.model_fields)}
    for name, field in model.model_fields.items():
        for sub in _models_in(field.annotation):
            tables.update(_schema_tables(sub, f"{path}.{name}" if path else name))
    return tables


def _template_keys(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    """The table headers of a template and its (table, key) lines, commented or not; the
    keys of an inline table count under the key that holds it."""
    headers, keys = set(), set()
    table = ""
    for line in text.split("\n"):
        code = line.removeprefix("## ").removeprefix("# ")
        if m := HEADER.match(code):
            table = m[1]
            headers.add(table)
        elif m := KEY.match(code):
            keys.add((table, m[1]))
            for inner in re.findall(r"[{,] *([a-z_]+) = ", code):
                keys.add((f"{table}.{m[1]}", inner))
    return headers, keys


def test_schema_walk_finds_tables_and_their_keys():
    tables = _schema_tables()
    assert tables[""] >= {"scenario", "series", "campaign", "readiness"}
    assert tables["series.step_rates"] == {"from_year", "annual_rate"}
    assert tables["campaign.segments"] >= {"name", "ticket_median", "series_shares"}
    assert "planning.budget" in tables and "capacity.reserve" in tables


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_of_the_schema_appears_in_its_table(lang):
    headers, keys = _template_keys(_text(lang))
    tables = _schema_tables()
    missing = []
    for path, names in tables.items():
        for name in names:
            full = f"{path}.{name}" if path else name
            inline = full in tables and getattr(
                _models_in(_field(path, name).annotation)[0], "inline", False
            )
            if full in tables and not inline:
                found = full in headers
            else:
                found = (path, name) in keys
            if not found:
                missing.append(full)
    assert not missing, f"init-{lang}.toml does not show {missing}"


def _field(path: str, name: str):
    model: type[BaseModel] = Scenario
    for part in filter(None, path.split(".")):
        model = _models_in(model.model_fields[part].annotation)[0]
    return model.model_fields[name]


# ---------------------------------------------------------------- the language of the comments

ENGLISH = {
    "the", "and", "of", "with", "is", "are", "every", "each", "which", "when", "only",
    "default", "required", "per", "from", "this", "that", "your", "you", "year", "years",
    "must", "for", "its", "to", "or", "by", "be", "not", "one", "at", "optional",
}  # fmt: skip
FRENCH = {
    "le", "la", "les", "des", "du", "une", "et", "est", "chaque", "avec", "pour", "défaut",
    "requis", "requise", "seulement", "année", "années", "aucun", "aucune", "sur", "dans",
    "qui", "que", "ou", "par", "au", "aux", "de", "facultative", "facultatif",
}  # fmt: skip


def _comments(text: str) -> list[str]:
    """The words people read: the comment after each header and key, and every comment
    line that is not a commented-out header or key."""
    found = []
    for line in text.split("\n"):
        code = line.removeprefix("## ").removeprefix("# ")
        if HEADER.match(code) or KEY.match(code):
            parts = re.split(r"\s{2,}# ", code, maxsplit=1)
            if len(parts) == 2:
                found.append(parts[1])
        elif line.startswith("#"):
            found.append(line.lstrip("#"))
    return found


def _words(comment: str) -> set[str]:
    """Plain words: no key, value or path (nothing with _ - . / | or a digit)."""
    tokens = comment.replace("«", " ").replace("»", " ").split()
    words = {t.strip("()[]:;,.!?\"'").lower() for t in tokens}
    return {w for w in words if w and not re.search(r"[_\-./|0-9]", w)}


@pytest.mark.parametrize(("lang", "foreign"), [("fr", ENGLISH), ("en", FRENCH)])
def test_comments_are_in_the_template_language(lang, foreign):
    comments = _comments(_text(lang))
    assert len(comments) > 100  # a comment for every key, and the explanations
    wrong = [c for c in comments if _words(c) & foreign]
    assert not wrong, f"init-{lang}.toml comments in the other language: {wrong[:5]}"
    if lang == "en":
        assert not [c for c in comments if re.search(r"[éèàùçêâ]", c)]


def test_the_language_heuristic_can_fail():
    assert _words("# paid at issue (default 0)") & ENGLISH
    assert _words("payés à l'émission (défaut 0)") & FRENCH
    assert not _words("bullet | accumulating | level-payment (défaut bullet)") & ENGLISH


# ---------------------------------------------------------------- as a user does it


def test_init_in_french_then_uncomment_two_tables_in_an_editor(tmp_path):
    runner = CliRunner()
    path = tmp_path / "coop.toml"
    assert runner.invoke(main, ["init", str(path), "--lang", "fr"]).exit_code == 0
    lines = path.read_text(encoding="utf-8").split("\n")
    assert "# [campaign]" in "\n".join(lines) and "# [risk]" in "\n".join(lines)
    blocks = _blocks(lines)
    edited = _with_uncommented(lines, [*blocks["campaign"], *blocks["risk"]])
    path.write_text(edited, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "[campaign]" not in result.stderr
