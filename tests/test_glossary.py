"""Booklet 5 (#15): every financial term the workbook, the CLI and the register's files use
has its entry in the glossary, in both languages, and the B5 sheet shows them all.

How it keeps so: :data:`TERMS` is a curated list of term stems (English, French) with the
glossary entry that defines them. The test scans the words bondkit shows (the labels whose
keys its modules name) for each stem, so a stem that no label uses any more is reported
too, and checks that the entry exists and names the term in each language. Removing an
entry, or renaming its term, fails it (see :func:`test_removing_an_entry_is_caught`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import openpyxl
import pytest

import bondkit
from bondkit.labels import GLOSSARY, LABELS, t
from bondkit.report.workbook import write_workbook
from bondkit.runner import run
from bondkit.scenario import starter_scenario

PACKAGE = Path(bondkit.__file__).resolve().parent

#: (English stem, French stem, glossary entry): a financial term bondkit's labels use and
#: the entry that defines it; stems are matched in lower case, inside words
TERMS: tuple[tuple[str, str, str], ...] = (
    # the instrument and its terms
    ("face value", "valeur nominale", "face_value"),
    ("principal", "capital", "principal"),
    ("maturity", "échéance", "maturity"),
    ("compound interest", "composé", "simple_compound"),
    ("accrued interest", "intérêts courus", "interest_accrued"),
    ("step rate", "taux par paliers", "step_rates"),
    ("interest-only", "intérêts seulement", "interest_only"),
    ("day count", "décompte", "day_count"),
    ("business day", "jour ouvrable", "business_day"),
    # repayment styles
    ("bullet", "in fine", "bullet"),
    ("accumulating", "capitalisation", "accumulating"),
    ("level payment", "versements constants", "level_payment"),
    ("level principal", "amortissement constant", "level_principal"),
    ("sculpted", "modulé", "sculpted"),
    # what it costs and yields
    ("all-in cost", "coût global", "all_in_cost"),
    ("yield", "rendement", "yield"),
    ("present value", "valeur actu", "present_value"),
    ("macaulay", "macaulay", "macaulay_duration"),
    ("weighted average life", "durée de vie moyenne pondérée", "weighted_average_life"),
    # capacity to pay
    ("debt service", "service de la dette", "debt_service"),
    ("coverage ratio", "ratio de couverture", "dscr"),
    ("sinking fund", "fonds d'amortissement", "sinking_fund"),
    ("reserve", "réserve", "reserve"),
    ("maturity test", "test d'échéance", "maturity_test"),
    ("maturity wall", "mur des échéances", "maturity_wall"),
    ("fiscal year", "exercice", "fiscal_year"),
    ("capital stack", "montage financier", "capital_stack"),
    # the campaign
    ("minimum raise", "seuil minimal", "minimum_raise"),
    ("underwrit", "ferme", "underwriting"),
    ("match", "contrepartie", "matching_loan"),
    ("funnel", "entonnoir", "funnel"),
    ("allocation", "répartition", "allocation"),
    # early redemption and renewal
    ("early redemption", "rachat avant terme", "early_redemption"),
    ("lock-in", "blocage", "lock_in"),
    ("notice", "préavis", "notice"),
    ("stress year", "année de crise", "stress_year"),
    ("liquidity shortfall", "manque de liquidités", "liquidity_shortfall"),
    ("renewal", "renouvel", "renewal"),
    # simulations
    ("simulat", "simul", "simulation"),
    ("percentile", "centile", "percentile"),
    ("seed", "germe", "seed"),
    # the legal frame
    ("by-law", "règlement d'emprunt", "borrowing_bylaw"),
    ("prospectus", "prospectus", "prospectus_exemption"),
    ("offering memorandum", "notice d'offre", "offering_memorandum"),
    ("crowdfunding", "financement participatif", "crowdfunding_exemption"),
    ("secured", "garanti", "rank"),
    # after the issue: the register and its files
    ("transfer", "transfert", "transfer"),
    ("register", "registre", "register"),
    ("t5", "t5", "tax_slips"),
    ("rl-3", "relevé 3", "tax_slips"),
)


def _used_label_keys() -> set[str]:
    """The label keys bondkit's modules name: literal keys, and every key that starts
    with the fixed part of a key built in code (``f"status.{s}"``). The glossary's own
    labels are left out: a term must be used elsewhere to count."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value in LABELS:
                    keys.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and "." in str(first.value):
                    prefixes.add(str(first.value))
    keys |= {k for k in LABELS if any(k.startswith(p) for p in prefixes)}
    return {k for k in keys if not k.startswith(("gloss.", "glossdef."))}


@pytest.fixture(scope="module")
def shown() -> dict[str, str]:
    """All the words of the labels bondkit uses, in lower case, by language."""
    keys = _used_label_keys()
    assert len(keys) > 500  # the scan found the workbook's, the CLI's and the register's labels
    return {
        "en": "\n".join(LABELS[k][0] for k in keys).lower(),
        "fr": "\n".join(LABELS[k][1] for k in keys).lower(),
    }


def missing_terms(glossary: tuple[str, ...], labels: dict[str, tuple[str, str]]) -> list[str]:
    """The entries of :data:`TERMS` that ``glossary`` lacks, or whose term in ``labels``
    does not name the stem in each language."""
    missing = []
    for en, fr, entry in TERMS:
        term = labels.get(f"gloss.{entry}")
        if (
            entry not in glossary
            or term is None
            or f"glossdef.{entry}" not in labels
            or en not in term[0].lower()
            or fr not in term[1].lower()
        ):
            missing.append(entry)
    return missing


def test_every_term_of_the_list_is_still_used(shown):
    """A stem no label uses any more: the list must follow the words (drop or fix it)."""
    unused = [(en, fr) for en, fr, _ in TERMS if en not in shown["en"] and fr not in shown["fr"]]
    assert not unused


def test_every_financial_term_used_has_a_glossary_entry():
    assert missing_terms(GLOSSARY, LABELS) == []


def test_removing_an_entry_is_caught():
    """The check fails when an entry leaves the glossary, or its term loses the word."""
    without = tuple(e for e in GLOSSARY if e != "all_in_cost")
    assert missing_terms(without, LABELS) == ["all_in_cost"]
    renamed = {**LABELS, "gloss.seed": ("random start", "germe")}
    assert missing_terms(GLOSSARY, renamed) == ["seed"]


def test_the_issue_s_terms_are_there_in_both_languages():
    """The words issue #15 names, French and English, each a glossary term."""
    pairs = {(t(f"gloss.{e}", "fr").lower(), t(f"gloss.{e}", "en").lower()) for e in GLOSSARY}
    fr_terms = " | ".join(fr for fr, _ in pairs)
    en_terms = " | ".join(en for _, en in pairs)
    for fr in (
        "coût global",
        "rendement",
        "duration de macaulay",
        "durée de vie moyenne pondérée",
        "in fine",
        "prise ferme",
        "prêt de contrepartie",
        "notice d'offre",
        "dispense de prospectus",
        "règlement d'emprunt",
        "centile",
        "germe",
        "mur des échéances",
        "ratio de couverture du service de la dette",
        "fonds d'amortissement",
        "capital",
        "intérêts courus",
        "relevé 3",
        "registre des détenteurs",
    ):
        assert fr in fr_terms, fr
    for en in (
        "all-in cost",
        "yield",
        "macaulay duration",
        "weighted average life",
        "bullet",
        "underwriting",
        "matching loan",
        "offering memorandum",
        "prospectus exemption",
        "borrowing by-law",
        "percentile",
        "seed",
        "maturity wall",
    ):
        assert en in en_terms, en


def test_entries_are_complete_short_and_distinct():
    assert len(GLOSSARY) == len(set(GLOSSARY)) >= 60
    for entry in GLOSSARY:
        term_en, term_fr = LABELS[f"gloss.{entry}"]
        def_en, def_fr = LABELS[f"glossdef.{entry}"]
        for definition in (def_en, def_fr):
            assert definition.endswith(".") and 20 < len(definition) <= 330, entry
        assert def_en != def_fr and term_en and term_fr, entry
    terms = [LABELS[f"gloss.{e}"][lang] for lang in (0, 1) for e in GLOSSARY]
    assert len(set(terms[: len(GLOSSARY)])) == len(GLOSSARY)  # English terms distinct
    assert len(set(terms[len(GLOSSARY) :])) == len(GLOSSARY)  # French terms distinct


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_b5_shows_every_entry_in_both_languages(tmp_path, lang):
    path = tmp_path / "book.xlsx"
    write_workbook(run(starter_scenario()), path, lang=lang)
    ws = openpyxl.load_workbook(path)[t("sheet.b5", lang)]
    other = "en" if lang == "fr" else "fr"
    head = next(
        r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == t(f"col.lang_{lang}", lang)
    )
    rows = [
        tuple(ws.cell(r, c).value for c in (1, 2, 3))
        for r in range(head + 1, head + 1 + len(GLOSSARY))
    ]
    assert rows == [
        (t(f"gloss.{e}", lang), t(f"gloss.{e}", other), t(f"glossdef.{e}", lang)) for e in GLOSSARY
    ]
    assert ws.cell(head + 1 + len(GLOSSARY), 1).value is None  # the glossary ends there
