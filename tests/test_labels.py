"""The label table: complete in both languages, and the only source of words for exporters."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import bondkit
from bondkit.columns import COLUMNS
from bondkit.core.conventions import BUSINESS_DAYS, DAY_COUNTS, FREQUENCIES
from bondkit.core.terms import INTEREST_KINDS, SERIES_REPAYMENTS
from bondkit.labels import GLOSSARY, LABELS, SHEETS, money_text, percent_text, t
from bondkit.report.workbook import STATUSES

PACKAGE = Path(bondkit.__file__).resolve().parent
#: the modules that write words for people: the workbook, charts, readiness grid, the
#: notebook display
EXPORTERS = sorted(
    [
        *(PACKAGE / "report" / "workbook").rglob("*.py"),
        PACKAGE / "report" / "charts.py",
        PACKAGE / "runner" / "display.py",
        PACKAGE / "runner" / "readiness.py",
        # the investor kit's words (its Word layer, report/docx_kit.py, holds Word's own
        # style and element names, and no words)
        PACKAGE / "report" / "investor_kit.py",
    ]
)

SHEETS_FR = [
    "Sommaire",
    "L1 Tour d’horizon",  # a typographic apostrophe: no quote to double in a reference
    "L2 Prérequis",
    "L3.1 Planification",
    "L3.2 Conception",
    "L3.3 Émission",
    "L3.4 Gestion",
    "L3.5 Renouvellement",
    "L4 Études de cas",
    "L5 Glossaire",
]
SHEETS_EN = [
    "Summary",
    "B1 Overview",
    "B2 Readiness",
    "B3.1 Planning",
    "B3.2 Design",
    "B3.3 Issue",
    "B3.4 Management",
    "B3.5 Renewal-repayment",
    "B4 Case studies",
    "B5 Glossary",
]


def _fields(s: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(s) if name is not None}


# ---------------------------------------------------------------- the table itself


def test_every_label_has_english_and_french():
    for key, pair in LABELS.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        en, fr = pair
        assert en.strip() and fr.strip(), f"{key}: empty label"
        assert en == en.strip() and fr == fr.strip(), f"{key}: stray spaces"


def test_templates_use_the_same_fields_in_both_languages():
    for key, (en, fr) in LABELS.items():
        assert _fields(en) == _fields(fr), key


def test_every_template_fills_in_both_languages():
    """Fields are plain names (no index or attribute a caller could not pass), and a label
    formats with them in English and French alike (no stray brace)."""
    for key, (en, fr) in LABELS.items():
        fields = _fields(en)
        assert all(f.isidentifier() for f in fields), key
        values = {f: f"<{f}>" for f in fields}
        for text in (en, fr):
            filled = text.format(**values)
            assert all(f"<{f}>" in filled or f"'<{f}>'" in filled for f in fields), key


def test_sheet_names_are_the_guide_s_and_valid_for_excel():
    assert [t(k, "fr") for k in SHEETS] == SHEETS_FR
    assert [t(k, "en") for k in SHEETS] == SHEETS_EN
    for names in (SHEETS_FR, SHEETS_EN):
        assert len(set(names)) == len(names)
        for name in names:
            assert 0 < len(name) <= 31, name
            assert not set(name) & set("[]:*?/\\"), name
            assert not name.startswith("'") and not name.endswith("'"), name
            # an ASCII apostrophe must be doubled inside a quoted reference ('L1 Tour
            # d''horizon'!A1) and some engines misparse it in defined names and print
            # areas: sheet names use the typographic apostrophe
            assert "'" not in name, name


def test_every_sheet_has_a_title():
    for key in SHEETS:
        assert "title." + key.split(".", 1)[1] in LABELS


def test_every_vocabulary_value_has_a_label():
    expected = (
        [f"repayment.{r}" for r in SERIES_REPAYMENTS]
        + [f"repayment_short.{r}" for r in SERIES_REPAYMENTS]
        + [f"interest.{k}" for k in INTEREST_KINDS]
        + [f"frequency.{f}" for f in FREQUENCIES]
        + [f"daycount.{d}" for d in DAY_COUNTS]
        + [f"businessday.{b}" for b in BUSINESS_DAYS]
        + [f"legal_form.{f}" for f in ("npo", "coop", "other")]
        + [f"flow.{k}" for k in ("proceeds", "upfront_costs", "annual_admin", "debt_service")]
    )
    missing = [k for k in expected if k not in LABELS]
    assert not missing


def test_every_campaign_vocabulary_value_has_a_label():
    from decimal import Decimal

    from bondkit.core.terms import ALLOCATIONS, INTEREST_STARTS
    from bondkit.data.rules import RuleSet, check_rules

    # a rule set and a scenario that break every rule: every rule a finding can name
    strict = RuleSet(
        name="strict",
        title_en="x",
        title_fr="x",
        currency="CAD",
        legal_forms=("npo",),
        commission_allowed=False,
        max_per_investor=Decimal(10),
        max_per_issuer=Decimal(10),
        max_share_of_raise=Decimal("0.01"),
    )
    findings = check_rules(
        strict,
        legal_form="coop",
        currency="GBP",
        total_raise=Decimal(1000),
        max_per_investor=Decimal(100),
        commission_rate=Decimal("0.1"),
    )
    rules = {f.rule for f in findings}
    assert len(rules) == 6
    expected = (
        [f"allocation.{a}" for a in ALLOCATIONS]
        + [f"interest_start.{s}" for s in INTEREST_STARTS]
        + [f"status.{s}" for s in STATUSES]
        + [f"rule.{r}" for r in rules]
        + [f"finding.{r}" for r in rules]
        + [f"pct.p{q:02d}" for q in (5, 25, 50, 75, 95)]
    )
    missing = [k for k in expected if k not in LABELS]
    assert not missing
    # status words are short enough for their cell, and distinct in each language
    for lang in ("en", "fr"):
        words = [t(f"status.{s}", lang) for s in STATUSES]
        assert len(set(words)) == len(words) and all(len(w) <= 14 for w in words)
    assert [t(f"status.{s}", "fr") for s in STATUSES] == ["OK", "À surveiller", "Risque"]
    assert [t(f"status.{s}", "en") for s in STATUSES] == ["OK", "Watch", "Risk"]


def test_legal_forms_match_the_scenario_schema():
    scenario = pytest.importorskip("bondkit.scenario")
    forms = getattr(scenario, "LEGAL_FORMS", ("npo", "coop", "other"))
    assert all(f"legal_form.{f}" in LABELS for f in forms)


def test_glossary_has_terms_and_definitions_in_both_languages():
    assert len(GLOSSARY) == len(set(GLOSSARY)) >= 20
    for entry in GLOSSARY:
        assert f"gloss.{entry}" in LABELS and f"glossdef.{entry}" in LABELS
    # a few pairs straight from domain.md's glossary
    pairs = {(t(f"gloss.{e}", "fr"), t(f"gloss.{e}", "en")) for e in GLOSSARY}
    assert ("obligation communautaire", "community bond") in pairs
    assert ("fonds d'amortissement", "sinking fund") in pairs
    assert ("ratio de couverture du service de la dette", "debt service coverage ratio") in pairs


def test_t_refuses_unknown_keys_and_languages():
    with pytest.raises(KeyError, match="no label"):
        t("no.such.key", "fr")
    with pytest.raises(ValueError, match="language"):
        t("sheet.summary", "de")


def test_text_helpers_follow_each_language():
    nbsp = "\u00a0"
    assert money_text(123456789, "fr") == f"1{nbsp}234{nbsp}567,89{nbsp}$"
    assert money_text(123456789, "en") == "$1,234,567.89"
    assert money_text(-5, "en") == "-$0.05"
    assert money_text(100, "fr", "EUR") == f"1,00{nbsp}€"
    assert percent_text(0.0475, "fr") == f"4,75{nbsp}%"
    assert percent_text(0.0475, "en") == "4.75%"
    assert percent_text(None, "fr") == t("not_solvable", "fr")


# ---------------------------------------------------------------- exporters hold no words

_FORMAT_CODE = re.compile(r"^[#0.,%\s\[\]$\-A-Fa-f\d;@\"\\{}a-z]*$")
_LOWER_KEY = re.compile(r"^[a-z0-9_.\-/:|]*$")
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LETTER_RUN = re.compile(r"[^\W\d_]{2,}")
#: module constants, codes in capitals (CAD, QC), struct formats
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$|^[<>]I+B?$")
#: pieces of a spreadsheet formula: functions in capitals, operators, references
_FORMULA = re.compile(r"^[=+\-*/]?(?:[A-Z]+\()+$")
#: a piece of a formula built in code: function names in capitals, references, numbers,
#: operators and empty text (""), once the ``{x}`` placeholders of a template are removed
_FORMULA_PIECE = re.compile(r'^[A-Z0-9$:!(),.=<>+\-*/^&" ]*$')
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
#: metadata keys and option values matplotlib requires spelled this way
_ALLOWED = {"Date", "Software", "upper left"}
#: lowercase data keys that happen to equal a label (``"amount"``, ``"accumulating"``):
#: vocabularies, readiness status codes, columns of the schedule and campaign DataFrames
_DATA_KEYS = {
    *SERIES_REPAYMENTS,
    *INTEREST_KINDS,
    *FREQUENCIES,
    *DAY_COUNTS,
    *BUSINESS_DAYS,
    *STATUSES,
    "date",
    "kind",
    "amount",
    "people",
    "reached",
    "supporting",
    "week",
    "rate",  # a number format kind of the workbook (percent)
    # columns of the readiness and key-figure DataFrames
    "criterion",
    "value",
    "threshold",
    "status",
    "demanded",
    "refunded",
}


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _all_names(tree: ast.AST) -> set[int]:
    """The strings of a module's ``__all__``: names of its code (``"Sheet"``), not words."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(x, ast.Name) and x.id == "__all__" for x in targets):
                ids |= {id(x) for x in ast.walk(node.value)}
    return ids


def _label_words() -> set[str]:
    words = {s.lower() for pair in LABELS.values() for s in pair}
    words |= {s.lower() for c in COLUMNS.values() for s in (c.en, c.fr)}
    return words


def word_problems(source: str) -> list[str]:
    """String literals in ``source`` that look like words a user would read.

    Allowed: docstrings and the names in ``__all__``; lowercase keys and option names
    (``"num_format"``, ``"debt-service"``) and data keys; constant names and codes in
    capitals (``"CAD"``); number-format codes (``"#,##0.00"``, ``"yyyy-mm-dd"``); hex
    colours; text with no run of two letters (``"&P / &N"``); a few matplotlib names.
    Refused: anything else with a capital letter, a space between letters or an accent,
    and any literal equal to a label (``"total"``) that is not itself a key.
    """
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree) | _all_names(tree)
    keys = set(LABELS) | set(COLUMNS) | _DATA_KEYS
    words = _label_words()
    problems = []
    for node in ast.walk(tree):
        if (
            not (isinstance(node, ast.Constant) and isinstance(node.value, str))
            or id(node) in docstrings
        ):
            continue
        s = node.value
        if (
            s in _ALLOWED
            or s in keys
            or _HEX_COLOUR.match(s)
            or _CONSTANT.match(s)
            or _FORMULA.match(s)
            or _FORMULA_PIECE.match(_PLACEHOLDER.sub("", s))
            or not _LETTER_RUN.search(s)
        ):
            continue
        is_code = (
            ("0" in s or "yyyy" in s) and _FORMAT_CODE.match(s) and not re.search(r"[a-z]{5,}", s)
        )
        if is_code:
            continue
        if not _LOWER_KEY.match(s):
            problems.append(f"line {node.lineno}: {s!r}")
        elif s.lower() in words:
            problems.append(f"line {node.lineno}: {s!r} is a label, not a key")
    return problems


def test_the_word_check_catches_words():
    src = 'ws.write_string(0, 0, "Total interest")\nx = "Échéance"\ny = "aucun"\nz = "Total"\n'
    assert len(word_problems(src)) == 4
    ok = 'f = {"num_format": "#,##0.00 [$$-C0C]", "font_color": "#1f4e79"}\ng = "&L&A&R&P / &N"\nh = "yyyy-mm-dd"\n'
    assert word_problems(ok) == []


@pytest.mark.parametrize("path", EXPORTERS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_exporters_contain_no_hard_coded_words(path):
    assert word_problems(path.read_text(encoding="utf-8")) == []


def _label_calls(tree: ast.AST):
    """(function name, first argument node) of every ``t(...)`` / ``label(...)`` call."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            f = node.func
            name = (
                f.id
                if isinstance(f, ast.Name)
                else f.attr
                if isinstance(f, ast.Attribute)
                else None
            )
            if name in ("t", "label"):
                yield name, node.args[0]


@pytest.mark.parametrize("path", EXPORTERS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_label_key_used_by_exporters_exists(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = 0
    for name, arg in _label_calls(tree):
        table = LABELS if name == "t" else COLUMNS
        if isinstance(arg, ast.Constant):
            assert arg.value in table, (
                f"{path.name}:{arg.lineno}: {name}({arg.value!r}) is not a key"
            )
            used += 1
        elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
            prefix = arg.values[0].value
            assert any(k.startswith(prefix) for k in table), (
                f"{path.name}:{arg.lineno}: no key starts {prefix!r}"
            )
            used += 1
        elif isinstance(arg, ast.BinOp) and isinstance(arg.left, ast.Constant):
            assert any(k.startswith(arg.left.value) for k in table)
            used += 1
    # the scan found the file's calls; a module that imports neither t nor label (one that
    # only re-exports, or calls the writers of the booklets) has none to find, and one whose
    # tables name their columns by key (heading(key, lang)) may have only a few
    if any(
        isinstance(node, ast.ImportFrom) and {a.name for a in node.names} & {"t", "label"}
        for node in ast.walk(tree)
    ):
        assert used >= 1
