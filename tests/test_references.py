"""Public reference issues: the data file, and the B4 case-study sheet that shows them."""

from __future__ import annotations

import openpyxl
import pytest
from scenario_texts import CONTRACT

from bondkit.data.references import ReferenceIssue, reference_issues
from bondkit.labels import t
from bondkit.report.workbook import write_workbook
from bondkit.runner import run
from bondkit.scenario import parse_scenario

EVIL = '=HYPERLINK("http://x","y")'


def _by_key() -> dict[str, ReferenceIssue]:
    return {r.key: r for r in reference_issues()}


def test_the_data_file_loads_with_a_source_for_every_issue():
    refs = reference_issues()
    assert len(refs) == 7
    assert all(isinstance(r, ReferenceIssue) for r in refs)
    for r in refs:
        assert r.sources, r.key
        assert all(s.site and (s.title or s.part_fr) for s in r.sources), r.key
        assert r.issuer and r.year and r.first_year


def test_every_issue_has_lessons_in_both_languages_and_french_titles():
    """One to three lessons each (FR and EN); a French title is kept as published, its
    English rendering beside it; the French part of a source is in French."""
    for r in reference_issues():
        assert 1 <= len(r.lessons) <= 3, r.key
        for lesson in r.lessons:
            assert lesson.fr.strip() and lesson.en.strip() and lesson.fr != lesson.en, r.key
        for s in r.sources:
            if s.part_en:
                assert s.part_fr and s.part_fr != s.part_en, r.key
    guide = _by_key()["cinema_du_parc_2016"].sources[0]
    assert guide.title.startswith("Guide d'émission d'obligations communautaires")
    assert guide.part("fr").startswith("livret 4") and guide.part("en").startswith("booklet 4")
    # English words the French sheet showed before (#15) are gone from the French parts
    for r in reference_issues():
        for s in r.sources:
            for english in ("pilot issue", "examples of", "monitoring", "issues in"):
                assert english not in (s.part_fr or ""), (r.key, english)


def test_lessons_stay_with_the_facts_of_the_brief():
    """Figures a lesson quotes are the issue's own published figures (a lesson never
    brings a figure of its own)."""
    r = _by_key()
    assert "41" in r["csi_toronto_2020"].lessons[0].en
    assert "227" in r["csi_toronto_2014"].lessons[0].fr
    assert "4 M$" in r["batiment_7_2017"].lessons[0].fr
    assert "3" in r["grand_costumier_2016"].lessons[0].en  # transferable after 3 years


def test_the_facts_are_domain_md_s():
    r = _by_key()
    cine = r["cinema_du_parc_2016"]
    assert (cine.bonds, cine.face_value, cine.rate, cine.term_years) == (200, 500, 0.02, 5)
    assert (cine.target, cine.raised, cine.payment, cine.year) == (
        100_000,
        None,
        "at_maturity",
        "2016–17",
    )
    assert cine.campaign_months == 2.5 and "campaign" in cine.approximate
    cost = r["grand_costumier_2016"]
    assert (cost.amount, cost.bonds, cost.face_value, cost.rate, cost.term_years) == (
        20_000,
        20,
        1_000,
        0.02,
        5,
    )
    assert cost.early_redemption is False and cost.transferable_after_years == 3
    assert cost.campaign_months == 2
    b7 = r["batiment_7_2017"]
    assert (b7.raised, b7.rate, b7.term_years, b7.bonds) == (75_000, 0.02, 5, None)
    csi10 = r["csi_toronto_2010"]
    assert (csi10.target, csi10.raised, csi10.rate, csi10.term_years) == (
        2_000_000,
        2_000_000,
        0.04,
        5,
    )
    assert csi10.payment == "principal_at_maturity"
    csi14 = r["csi_toronto_2014"]
    assert (csi14.raised, csi14.investors, csi14.rate, csi14.secured) == (
        4_300_000,
        227,
        0.045,
        True,
    )
    assert csi14.term_years is None  # not published: absent, never guessed
    csi20 = r["csi_toronto_2020"]
    assert (csi20.raised, csi20.investors, csi20.campaign_days) == (1_900_000, 120, 41)
    assert csi20.rate is None and "investors" in csi20.approximate
    pfp = r["places_for_people_2023"]
    assert (pfp.raised, pfp.campaign_months, pfp.province, pfp.city) == (850_000, 3, "ON", None)
    assert (pfp.rate_min, pfp.rate_max, pfp.term_years_min, pfp.term_years_max) == (
        0.025,
        0.05,
        2,
        7,
    )
    assert pfp.typical and pfp.year == "~2023"


# ---------------------------------------------------------------- the B4 sheet


def _write(tmp_path_factory, lang: str, issuer: str = "Cinéma du Parc"):
    folder = tmp_path_factory.mktemp(f"refs-{lang}")
    result = run(parse_scenario(CONTRACT.format(lang=lang, issuer=issuer)))
    path = folder / "book.xlsx"
    write_workbook(result, path, lang=lang)
    return result, openpyxl.load_workbook(path)[t("sheet.b4", lang)]


def _table(ws, lang):
    """(header row number, {column label: column number})."""
    first = t("ref.col.issue", lang)
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == first:
            return r, {
                ws.cell(r, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(r, c).value
            }
    raise AssertionError("no reference table")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_sheet_puts_this_scenario_first_then_every_reference_issue(tmp_path_factory, lang):
    result, ws = _write(tmp_path_factory, lang)
    head, cols = _table(ws, lang)
    col = {k: cols[t(k, lang)] for k in (f"ref.col.{x}" for x in ("issue", "year", "amount", "bonds", "rate", "term", "payment", "investors", "notes"))}  # fmt: skip
    me = head + 1
    terms = result.series[0]
    assert ws.cell(me, col["ref.col.issue"]).value == result.scenario.issuer.name
    assert ws.cell(me, col["ref.col.year"]).value == terms.issue_date.year == 2017
    assert ws.cell(me, col["ref.col.amount"]).value == result.total_principal / 100 == 100_000
    assert ws.cell(me, col["ref.col.bonds"]).value.startswith(f"{terms.bonds} × ")
    assert ws.cell(me, col["ref.col.rate"]).value == float(terms.annual_rate)
    assert ws.cell(me, col["ref.col.term"]).value == t("years_n", lang).format(n=5)
    assert ws.cell(me, col["ref.col.payment"]).value == t("repayment.accumulating", lang)
    refs = reference_issues()
    for i, ref in enumerate(refs, start=1):
        assert ws.cell(me + i, col["ref.col.issue"]).value == ref.issuer
    assert ws.cell(me + len(refs) + 1, 1).value is None  # the table ends there
    cine = me + 1
    assert ws.cell(cine, col["ref.col.amount"]).value == 100_000
    assert ws.cell(cine, col["ref.col.rate"]).value == 0.02
    assert ws.cell(cine, col["ref.col.bonds"]).value.startswith("200 × ")
    assert ws.cell(cine, col["ref.col.investors"]).value is None  # not published: empty
    csi14 = me + [r.key for r in refs].index("csi_toronto_2014") + 1
    assert ws.cell(csi14, col["ref.col.amount"]).value == 4_300_000
    assert ws.cell(csi14, col["ref.col.investors"]).value == 227
    assert ws.cell(csi14, col["ref.col.rate"]).value == 0.045
    assert ws.cell(csi14, col["ref.col.term"]).value is None
    assert ws.cell(csi14, col["ref.col.notes"]).value.endswith(refs[4].note(lang))
    # lessons and sources listed under the table, then the Québec market line
    texts = [ws.cell(r, 1).value or "" for r in range(me + len(refs) + 1, ws.max_row + 1)]
    joined = " ".join(texts)
    for ref in refs:
        assert ref.issuer in joined
        for source in ref.sources:
            assert source.site in joined
            assert source.part(lang) is None or source.part(lang) in joined
    assert joined.index(t("ref.sec.lessons", lang)) < joined.index(t("ref.sec.sources", lang))
    cine = refs[0]
    lesson = t("ref.lesson_line", lang).format(
        issue=cine.issuer, year=cine.year, lesson=cine.lessons[0].text(lang)
    )
    assert lesson[:60] in joined
    # the guide's title as published, in French, on both sheets; its rendering in English only
    assert "Guide d'émission d'obligations communautaires" in joined
    assert ("Guide to issuing community bonds" in joined) == (lang == "en")
    if lang == "fr":
        assert "pilot issue" not in joined and "examples of issues" not in joined
    assert t("ref.market", lang).split()[0] in joined
    assert "57" in joined
    # printable: one page wide
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0


def test_the_campaign_columns_are_empty_without_a_campaign(tmp_path_factory):
    _result, ws = _write(tmp_path_factory, "en")
    head, cols = _table(ws, "en")
    for key in ("ref.col.expected_raise", "ref.col.p_minimum"):
        assert ws.cell(head + 1, cols[t(key, "en")]).value is None


def test_user_text_stays_text(tmp_path_factory):
    _result, ws = _write(tmp_path_factory, "fr", issuer=EVIL.replace('"', '\\"'))
    head, _cols = _table(ws, "fr")
    cell = ws.cell(head + 1, 1)
    assert cell.data_type == "s" and cell.value == EVIL and cell.quotePrefix
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
