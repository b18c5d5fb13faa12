"""Booklet 2 complete (#15): the ``[readiness]`` table of self-assessed answers, merged with
the computed criteria into one grid on B2 (and counted on the Summary and in the JSON).

The expected statuses come from the scale written in docs/scenario-reference.md: levels 3
and 4 are OK, 2 Watch, 1 Risk, a missing level "not answered".
"""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from scenario_texts import CONTRACT

from bondkit.core.readiness import READINESS_CRITERIA, ReadinessTerms
from bondkit.errors import ScenarioError
from bondkit.labels import LABELS, t
from bondkit.report.workbook import write_workbook
from bondkit.report.writer import summary_json
from bondkit.runner import run
from bondkit.runner.readiness import readiness_grid
from bondkit.scenario import load_example, parse_scenario

#: the keys of [readiness], as the docs and the brief name them
KEYS = (
    "governance",
    "approval",
    "community_base",
    "staff_volunteers",
    "financial_history",
    "project_maturity",
    "accompaniment",
)
#: three answers and four left out: one of each status
ANSWERS = "\n[readiness]\ngovernance = 1\napproval = 2\ncommunity_base = 4\n"
EXPECTED = ["risk", "watch", "ok", "unanswered", "unanswered", "unanswered", "unanswered"]
FILLS = {"ok": "FFC6EFCE", "watch": "FFFFEB9C", "risk": "FFFFC7CE", "unanswered": "FFDDEBF7"}
LEVEL_WORDS = {
    "en": {1: "Not started", 2: "Under way", 3: "In place", 4: "Strong"},
    "fr": {1: "Pas commencé", 2: "En cours", 3: "En place", 4: "Solide"},
}


def _scenario(lang: str = "fr", readiness: str = ANSWERS):
    return parse_scenario(CONTRACT.format(lang=lang, issuer="Cinéma du Parc") + readiness)


# ---------------------------------------------------------------- the table


def test_the_keys_are_the_guide_s_criteria_in_order():
    assert READINESS_CRITERIA == KEYS
    assert tuple(name for name, _level in ReadinessTerms().answers()) == KEYS


def test_answers_are_read_and_the_rest_left_unanswered():
    answers = _scenario().readiness_terms()
    assert (answers.governance, answers.approval, answers.community_base) == (1, 2, 4)
    assert answers.staff_volunteers is None and answers.accompaniment is None
    assert answers.answered == 3
    assert _scenario(readiness="").readiness_terms() is None
    empty = _scenario(readiness="\n[readiness]\n").readiness_terms()
    assert empty is not None and empty.answered == 0


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("governance = 0", "readiness.governance: must be a level from 1 to 4"),
        ("governance = 5", "readiness.governance: must be a level from 1 to 4"),
        ('approval = "3"', "readiness.approval: must be a whole number written without quotes"),
        ("approval = 2.5", "readiness.approval: must be a whole number"),
        ("approval = true", "readiness.approval: must be a whole number"),
        ("board = 3", "readiness.board: unknown key"),
    ],
)
def test_a_wrong_answer_is_located(written, message):
    with pytest.raises(ScenarioError) as error:
        _scenario(readiness=f"\n[readiness]\n{written}\n")
    assert message in str(error.value)


def test_a_wrong_answer_is_worded_in_french_too():
    with pytest.raises(ScenarioError) as error:
        _scenario(readiness="\n[readiness]\ngovernance = 7\n")
    assert "readiness.governance : doit être un niveau de 1 à 4" in error.value.render("fr")


def test_with_changes_reaches_the_table():
    sc = _scenario().with_changes({"readiness.governance": 3})
    assert sc.readiness_terms().governance == 3
    assert sc.with_changes(readiness=None).readiness_terms() is None


def test_the_example_answers_every_criterion():
    answers = load_example("cinema-du-parc-2016").readiness_terms()
    assert answers is not None and answers.answered == len(KEYS)


# ---------------------------------------------------------------- the grid


def test_the_grid_holds_the_self_assessed_rows_with_their_status():
    grid = readiness_grid(run(_scenario()), "en")
    own = grid[grid["group"] == "self_assessed"]
    assert list(own["status"]) == EXPECTED
    assert list(own["criterion"]) == [t(f"readiness.{k}", "en") for k in KEYS]
    assert list(own["value"])[:3] == ["1 – Not started", "2 – Under way", "4 – Strong"]
    assert list(own["value"])[3] == t("readiness.not_answered", "en")
    # without the table: every self-assessed criterion is there, not answered
    plain = readiness_grid(run(_scenario(readiness="")), "fr")
    assert list(plain["status"]) == ["unanswered"] * len(KEYS)


def test_every_level_of_every_criterion_has_words_in_both_languages():
    for key in KEYS:
        for level in (1, 2, 3, 4):
            en, fr = LABELS[f"readiness.{key}.{level}"]
            assert en != fr and len(en) > 10 and len(fr) > 10, (key, level)
    for lang, words in LEVEL_WORDS.items():
        assert [t(f"readiness.level.{n}", lang) for n in (1, 2, 3, 4)] == list(words.values())


# ---------------------------------------------------------------- the workbook


@pytest.fixture(scope="module", params=["fr", "en"])
def book(request, tmp_path_factory):
    lang = request.param
    path = tmp_path_factory.mktemp(f"ready-{lang}") / "book.xlsx"
    result = run(_scenario(lang))
    write_workbook(result, path)
    return lang, result, openpyxl.load_workbook(path)


def _find(ws, text: str, start: int = 1) -> int:
    for r in range(start, ws.max_row + 1):
        if ws.cell(r, 1).value == text:
            return r
    raise AssertionError(f"{text!r} not in column A of {ws.title}")


def _rows_after(ws, head: int) -> list[list]:
    rows, r = [], head + 1
    while ws.cell(r, 1).value:
        rows.append([ws.cell(r, c) for c in range(1, 6)])
        r += 1
    return rows


def test_b2_shows_the_self_assessed_part_with_words_and_colours(book):
    lang, _result, wb = book
    ws = wb[t("sheet.b2", lang)]
    start = _find(ws, t("sec.self_assessed", lang))
    head = _find(ws, t("col.criterion", lang), start)
    assert [ws.cell(head, c).value for c in range(1, 5)] == [
        t(k, lang) for k in ("col.criterion", "col.value", "col.threshold", "col.readiness")
    ]
    rows = _rows_after(ws, head)
    assert [r[0].value for r in rows] == [t(f"readiness.{k}", lang) for k in KEYS]
    words = LEVEL_WORDS[lang]
    assert [r[1].value for r in rows[:3]] == [
        f"1 – {words[1]}",
        f"2 – {words[2]}",
        f"4 – {words[4]}",
    ]
    for cells, status in zip(rows, EXPECTED, strict=True):
        assert cells[3].value == t(f"status.{status}", lang)
        assert cells[3].fill.fgColor.rgb == FILLS[status]
        assert cells[3].font.b  # the word is bold: colour is never the only signal
    unanswered = {"fr": "Sans réponse", "en": "Not answered"}[lang]
    assert rows[-1][3].value == unanswered


def test_b2_writes_what_each_level_means_and_bolds_the_answer(book):
    lang, _result, wb = book
    ws = wb[t("sheet.b2", lang)]
    start = _find(ws, t("sec.readiness_levels", lang))
    head = _find(ws, t("col.criterion", lang), start)
    words = LEVEL_WORDS[lang]
    assert [ws.cell(head, c).value for c in range(2, 6)] == [f"{n} – {words[n]}" for n in words]
    rows = _rows_after(ws, head)
    assert len(rows) == len(KEYS)
    answered = {0: 1, 1: 2, 2: 4}  # governance 1, approval 2, community base 4
    for i, cells in enumerate(rows):
        for level in (1, 2, 3, 4):
            cell = cells[level]
            assert cell.value == t(f"readiness.{KEYS[i]}.{level}", lang)
            assert bool(cell.font.b) == (answered.get(i) == level), (KEYS[i], level)


def test_b2_has_no_placeholder_left(book):
    lang, _result, wb = book
    ws = wb[t("sheet.b2", lang)]
    texts = " ".join(c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    for placeholder in ("À venir", "à venir", "coming", "Coming", t("sec.coming", lang)):
        assert placeholder not in texts


def _tally(ws, lang) -> dict[str, int]:
    """The numbers of the tally line, by status, read back from its words."""
    line = ws.cell(_find(ws, t("sec.readiness_tally", lang)) + 1, 1).value
    numbers = {}
    for status in ("ok", "watch", "risk", "unanswered"):
        word = re.escape(t(f"status.{status}", lang))
        numbers[status] = int(re.search(rf"{word} (\d+)", line).group(1))
    numbers["criteria"] = int(re.search(r"(\d+)", line).group(1))
    return numbers


def test_the_tally_counts_the_statuses_shown_in_the_grid(book):
    lang, result, wb = book
    ws = wb[t("sheet.b2", lang)]
    shown = []  # every status cell of the three parts of the grid, read off the sheet
    for key in ("sec.financial", "sec.community", "sec.self_assessed"):
        try:
            start = _find(ws, t(key, lang))
        except AssertionError:
            continue  # this scenario has no campaign, capacity or risk
        head = _find(ws, t("col.criterion", lang), start)
        shown += [cells[3].value for cells in _rows_after(ws, head)]
    assert len(shown) == len(KEYS)  # CONTRACT has no [campaign], [capacity] or [risk]
    tally = _tally(ws, lang)
    for status in ("ok", "watch", "risk", "unanswered"):
        assert tally[status] == shown.count(t(f"status.{status}", lang)), status
    assert tally == {"ok": 1, "watch": 1, "risk": 1, "unanswered": 4, "criteria": 7}
    # the Summary says the same, and shows the self-assessed rows (the scenario has answers)
    summary = wb[t("sheet.summary", lang)]
    assert _tally(summary, lang) == tally
    start = _find(summary, t("sec.self_assessed", lang))
    head = _find(summary, t("col.criterion", lang), start)
    assert [c[2].value for c in _rows_after(summary, head)] == [
        t(f"status.{s}", lang) for s in EXPECTED
    ]
    # and the JSON: additive counts under "readiness"
    counts = json.loads(summary_json(result))["readiness"]
    assert counts == {**tally, "na": 0}


def test_without_the_table_b2_says_how_to_answer(tmp_path):
    result = run(_scenario("en", readiness=""))
    write_workbook(result, tmp_path / "plain.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "plain.xlsx")
    ws = wb["B2 Readiness"]
    start = _find(ws, t("sec.self_assessed", "en"))
    head = _find(ws, t("col.criterion", "en"), start)
    assert [c[3].value for c in _rows_after(ws, head)] == ["Not answered"] * len(KEYS)
    texts = " ".join(c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "[readiness]" in texts and "governance, approval" in texts
    # the Summary counts them but leaves their rows to B2
    summary = wb["Summary"]
    assert _tally(summary, "en")["unanswered"] == len(KEYS)
    with pytest.raises(AssertionError):
        _find(summary, t("sec.self_assessed", "en"))
