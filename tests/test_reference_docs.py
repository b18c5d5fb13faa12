"""The scenario reference, in English and French, and the templates' key comments come
from one source (bondkit/data/scenario_keys.toml) that names every key of the schema and
no other (issue #15, "French first")."""

from __future__ import annotations

import importlib.util
import re
import tomllib
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from bondkit.data.scenario_keys import ROOT, key_entries, key_note, section_of, section_tables
from bondkit.scenario import Scenario, parse_scenario

REPO = Path(__file__).resolve().parents[1]
DOC_EN = REPO / "docs" / "scenario-reference.md"
DOC_FR = REPO / "docs" / "scenario-reference.fr.md"
DOCS = {"en": DOC_EN, "fr": DOC_FR}
MARKER = re.compile(r"^<!-- keys: ([a-z_.]+) -->$", re.MULTILINE)


def _tool():
    spec = importlib.util.spec_from_file_location(
        "scenario_reference", REPO / "tools" / "scenario_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- the files agree with the source


def test_docs_and_templates_on_disk_are_what_the_generator_writes():
    differ = [
        str(path.relative_to(REPO))
        for path, text in _tool().expected_files().items()
        if path.read_text(encoding="utf-8") != text
    ]
    assert not differ, f"{differ}: run python tools/scenario_reference.py"


def test_a_table_edited_by_hand_is_rewritten(tmp_path):
    """The generator replaces a key table edited in one language only (so the docs test
    above fails on such an edit)."""
    tool = _tool()
    doc = DOC_FR.read_text(encoding="utf-8")
    edited = doc.replace("Nom légal de l'émetteur.", "Nom de l'émetteur, écrit à la main.")
    assert edited != doc
    assert tool.render_doc(edited, "fr") == doc


def test_a_template_comment_edited_by_hand_is_rewritten():
    tool = _tool()
    text = (REPO / "bondkit" / "examples" / "init-fr.toml").read_text(encoding="utf-8")
    edited = text.replace("# requis : prix d'une obligation", "# price of one bond")
    assert edited != text
    assert tool.render_template(edited, "fr") == text


def test_the_check_mode_names_nothing_when_all_agree(capsys):
    assert _tool().main(["--check"]) == 0
    assert capsys.readouterr().out == ""


# ---------------------------------------------------------------- the source against the schema


def _models_in(annotation) -> list[type[BaseModel]]:
    found, stack = [], [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            found.append(a)
        stack.extend(typing.get_args(a))
    return found


def _schema_tables(model: type[BaseModel] = Scenario, path: str = "") -> dict[str, dict]:
    """Every table of the schema by its path (``""`` the top level): its pydantic fields."""
    tables = {path: dict(model.model_fields)}
    for name, field in model.model_fields.items():
        for sub in _models_in(field.annotation):
            tables.update(_schema_tables(sub, f"{path}.{name}" if path else name))
    return tables


SCHEMA = _schema_tables()


def test_every_key_of_the_schema_has_an_entry():
    entries = key_entries()
    missing = [
        f"{path}.{key}" if path else key
        for path, fields in SCHEMA.items()
        for key in fields
        if key not in entries.get(section_of(path), {})
    ]
    assert not missing, f"keys with no entry in scenario_keys.toml: {missing}"


def test_every_entry_names_a_key_of_the_schema():
    unknown = []
    for section, keys in key_entries().items():
        tables = section_tables(section) if section != ROOT else ("",)
        for table in tables:
            assert table in SCHEMA, f"section {section}: no table {table!r} in the schema"
        for key in keys:
            if not any(key in SCHEMA[t] for t in tables):
                unknown.append(f"{section}.{key}")
    assert not unknown, f"entries for keys the schema lacks: {unknown}"


def test_required_keys_are_written_required():
    """``required`` (also ``required, one or more``, ``required (sources only)``) exactly
    for the keys the schema requires, in every table a section covers."""
    wrong = []
    for section, keys in key_entries().items():
        if section == ROOT:
            continue
        for key, entry in keys.items():
            said = re.match(r"required\b(?! for)", entry.cell("default", "en")) is not None
            for table in section_tables(section):
                field = SCHEMA[table].get(key)
                if field is not None and field.is_required() != said:
                    wrong.append(f"{table}.{key}")
    assert not wrong, f"default 'required' disagrees with the schema: {wrong}"


def _same(written: object, default: object) -> bool:
    if isinstance(default, bool) or isinstance(written, bool):
        return written is default
    if isinstance(default, (int, float, Decimal)):
        return Decimal(str(written)) == Decimal(str(default))
    return written == default


def test_defaults_written_as_a_value_are_the_schema_defaults():
    """A default written as one TOML value (`` `"en"` ``, `` `0.02` ``) is the field's own
    default; and every field with a plain default (a number, text, true/false) says so."""
    wrong, checked = [], 0
    for section, keys in key_entries().items():
        if section == ROOT:
            continue
        for key, entry in keys.items():
            default_text = entry.cell("default", "en")
            for table in section_tables(section):
                field = SCHEMA[table].get(key)
                if field is None or field.is_required():
                    continue
                plain = isinstance(field.default, (str, int, float, Decimal, bool))
                literal = re.fullmatch(r"`([^`]+)`", default_text)
                if literal and field.default is not None:
                    written = tomllib.loads(f"v = {literal[1]}")["v"]
                    checked += 1
                    if not _same(written, field.default):
                        wrong.append(f"{table}.{key}: {default_text} vs {field.default!r}")
                elif plain and not literal:
                    wrong.append(f"{table}.{key}: {default_text} vs {field.default!r}")
    assert checked > 40
    assert not wrong, wrong


def test_every_example_is_a_toml_value():
    examples = [e.example for keys in key_entries().values() for e in keys.values()]
    assert sum(x is not None for x in examples) > 100
    for example in filter(None, examples):
        tomllib.loads(f"v = {example}")  # raises on a bad example


def test_every_entry_is_translated():
    same = [
        f"{section}.{key}"
        for section, keys in key_entries().items()
        for key, entry in keys.items()
        if entry.cell("meaning", "en") == entry.cell("meaning", "fr")
        or entry.cell("note", "en") == entry.cell("note", "fr")
        and re.search(r"[a-z]{4} [a-z]{4}", entry.cell("note", "en"))
    ]
    assert not same, f"French cells equal to the English ones: {same}"


def test_notes_fit_on_a_template_line():
    long = [
        f"{s}.{k}"
        for s, keys in key_entries().items()
        for k, e in keys.items()
        for lang in ("en", "fr")
        if len(e.cell("note", lang)) > 80 or "\n" in e.cell("note", lang)
    ]
    assert not long


def test_a_note_names_the_key_of_its_table():
    assert key_note("planning.milestones", "date", "en") == "required: when it happens"
    assert key_note("", "campaign", "fr").startswith("facultative")
    with pytest.raises(KeyError):
        key_note("campaign.segments", "no_such_key", "en")
    with pytest.raises(KeyError):
        section_of("no_such_table")


# ---------------------------------------------------------------- the two pages


def test_every_section_has_its_table_in_both_pages_in_the_same_order():
    en = MARKER.findall(DOC_EN.read_text(encoding="utf-8"))
    fr = MARKER.findall(DOC_FR.read_text(encoding="utf-8"))
    assert en == fr
    assert sorted(en) == sorted(key_entries())  # each section once


def _headings(text: str) -> list[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    return re.findall(r"^(#{1,6}) ", text, flags=re.MULTILINE)


def test_the_french_page_has_the_structure_of_the_english_one():
    en, fr = (DOCS[lang].read_text(encoding="utf-8") for lang in ("en", "fr"))
    assert _headings(en) == _headings(fr)
    assert en.count("```text") == fr.count("```text")
    assert en.count("```toml") == fr.count("```toml") == 1

    # the sections' titles keep their table names: [campaign.match] in both
    def tables(t):
        t = re.sub(r"```.*?```", "", t, flags=re.DOTALL)
        return [re.findall(r"`[^`]+`", h) for h in re.findall(r"^#+ .*$", t, flags=re.M)]

    assert tables(en) == tables(fr)


def test_the_french_complete_example_is_the_english_one_and_valid():
    examples = {
        lang: re.findall(r"```toml\n(.*?)```", DOCS[lang].read_text(encoding="utf-8"), re.DOTALL)
        for lang in DOCS
    }
    [en], [fr] = examples["en"], examples["fr"]
    assert tomllib.loads(en) == tomllib.loads(fr)
    assert en != fr  # its comments are French
    assert [s.id for s in parse_scenario(fr).series_terms()] == ["A", "B"]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_slug_rule():
    assert (
        _slug("`[campaign]` — the subscription campaign") == "campaign--the-subscription-campaign"
    )
    assert _slug("`[offer]` — les clauses de l'offre") == "offer--les-clauses-de-loffre"
    assert _slug("Décompte des jours") == "décompte-des-jours"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_link_inside_a_page_leads_to_one_of_its_headings(lang):
    text = DOCS[lang].read_text(encoding="utf-8")
    anchors = {_slug(h) for h in re.findall(r"^#+ (.*)$", text, flags=re.MULTILINE)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert len(links) > 10
    assert not sorted(set(links) - anchors)
    en_anchors = {
        _slug(h) for h in re.findall(r"^#+ (.*)$", DOC_EN.read_text(encoding="utf-8"), re.M)
    }
    assert not sorted(set(re.findall(r"scenario-reference\.md#([^)]+)\)", text)) - en_anchors)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_key_has_a_row_in_each_page(lang):
    text = DOCS[lang].read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    keys = {key for fields in SCHEMA.values() for key in fields}
    assert keys - rows == set()
