"""The investor kit (``bondkit kit``, report/investor_kit.py): what it states, that every
figure in it equals the workbook's, and how its files are written.

The kit is read back with python-docx and the workbook with openpyxl (its cached values:
XlsxWriter stores every value); expected values come from the workbook, from the
register's own per-holding calendar, or from a hand computation written here
(1,000 $ at 2 % compounded yearly for 5 years: 1,000 x 1.02^5 = 1,104.0808 $).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from libreoffice import soffice

from bondkit.cli import main
from bondkit.columns import label
from bondkit.labels import percent_text, t
from bondkit.report.investor_kit import investment, kit_document, rate_text
from bondkit.report.kit_files import write_investor_kit
from bondkit.report.workbook import write_workbook
from bondkit.runner import run
from bondkit.scenario import load_example, load_scenario

ROOT = Path(__file__).resolve().parents[1]
CINEMA = ROOT / "scenarios" / "cinema-du-parc-2016.toml"
SOLAR = ROOT / "scenarios" / "solar-coop-multi-series.toml"
MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
}


# ---------------------------------------------------------------- reading the two files


def money(text: str, lang: str) -> int:
    """``1 104,08 $`` or ``$1,104.08`` as cents."""
    body = text.replace("\u00a0", "").replace(" ", "").replace("$", "")
    body = body.replace(",", ".") if lang == "fr" else body.replace(",", "")
    return int((Decimal(body) * 100).to_integral_value())


def day(text: str, lang: str) -> dt.date:
    """``1er février 2022`` or ``February 1, 2022`` as a date."""
    words = text.replace("\u00a0", " ").replace(",", "").replace("1er", "1").split()
    months = MONTHS[lang].split()
    if lang == "fr":
        d, m, y = words
    else:
        m, d, y = words
    return dt.date(int(y), months.index(m) + 1, int(d))


def percent(text: str) -> Decimal:
    return Decimal(text.replace("\u00a0", "").replace("%", "").replace(",", ".")) / 100


def kit_tables(document) -> dict[str, list[list[list[str]]]]:
    """The kit's tables by the text of their first cell."""
    found: dict[str, list] = {}
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        found.setdefault(rows[0][0], []).append(rows)
    return found


def kit_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts).replace("\u00a0", " ")  # French puts one before ":"


def workbook_figures(path: Path, lang: str, series_ids: list[str]) -> dict:
    """From the workbook: B1's terms by series, each series' one-bond flows, and B3.3's
    campaign terms (label in column A, value in column B)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    b1 = list(wb[t("sheet.b1", lang)].iter_rows(values_only=True))
    terms: dict[str, dict] = {}
    for i, row in enumerate(b1):
        if row[0] == label("series", lang):
            for label_row in b1[i + 1 :]:
                if label_row[0] is None:
                    break
                for k, sid in enumerate(series_ids):
                    terms.setdefault(sid, {})[label_row[0]] = label_row[1 + k]
            break
    flows: dict[str, list[tuple[dt.date, int]]] = {}
    for i, row in enumerate(b1):
        for c, value in enumerate(row):
            for sid in series_ids:
                if isinstance(value, str) and value.startswith(
                    t("one_bond.header", lang).format(series=sid, face="")
                ):
                    out = []
                    for below in b1[i + 2 :]:  # under the header row
                        when, amount = below[c], below[c + 1]
                        if not isinstance(when, dt.datetime):
                            break
                        out.append((when.date(), round(amount * 100)))
                    flows[sid] = out
    camp = {}
    if t("sheet.b3_3", lang) in wb.sheetnames:
        for row in wb[t("sheet.b3_3", lang)].iter_rows(values_only=True):
            if isinstance(row[0], str):
                camp.setdefault(row[0], row[1])
    return {"terms": terms, "flows": flows, "campaign": camp}


@pytest.fixture(scope="module")
def cinema(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cinema")
    result = run(load_scenario(CINEMA))
    write_workbook(result, folder / "cinema.xlsx", lang="fr")
    files = write_investor_kit(result, folder, "cinema", ["fr"], pdf=False)
    return result, docx.Document(str(files.paths[0])), folder / "cinema.xlsx"


@pytest.fixture(scope="module")
def solar(tmp_path_factory):
    folder = tmp_path_factory.mktemp("solar")
    result = run(load_scenario(SOLAR))
    write_workbook(result, folder / "solar.xlsx", lang="en")
    files = write_investor_kit(result, folder, "solar", ["en"], pdf=False)
    return result, docx.Document(str(files.paths[0])), folder / "solar.xlsx"


# ---------------------------------------------------------------- every figure is the workbook's


@pytest.mark.parametrize("case, lang", [("cinema", "fr"), ("solar", "en")])
def test_terms_and_amounts_per_1000_equal_the_workbook(case, lang, request):
    result, document, workbook = request.getfixturevalue(case)
    ids = [s.id for s in result.series]
    wb = workbook_figures(workbook, lang, ids)
    tables = kit_tables(document)
    (terms_table,) = tables[t("kit.col.series", lang)]
    assert terms_table[0][1:] == ids
    kit = {row[0]: row[1:] for row in terms_table[1:]}
    for k, sid in enumerate(ids):
        book = wb["terms"][sid]
        assert money(kit[t("kit.col.offered", lang)][k], lang) == round(
            book[t("col.amount", lang)] * 100
        )
        assert money(kit[t("kit.col.price", lang)][k], lang) == round(
            book[t("col.face_value", lang)] * 100
        )
        assert percent(kit[t("kit.col.rate", lang)][k]) == Decimal(
            str(book[label("annual_rate", lang)])
        )
        assert kit[t("kit.col.term", lang)][k] == book[t("col.term", lang)]
        assert day(kit[t("kit.col.issue", lang)][k], lang) == book[t("col.issue_date", lang)].date()
        assert (
            day(kit[t("kit.col.maturity", lang)][k], lang) == book[t("col.maturity", lang)].date()
        )
    pays = tables[t("kit.col.date", lang)]
    assert len(pays) == len(ids)
    for sid, table in zip(ids, pays, strict=True):
        face = round(wb["terms"][sid][t("col.face_value", lang)] * 100)
        n = 100_000 // face  # every bond of these two scenarios divides 1,000 $
        one_bond = wb["flows"][sid][1:]  # without the purchase
        rows = [r for r in table[1:] if r[0] != t("kit.row.total", lang)]
        assert [day(r[0], lang) for r in rows] == [d for d, _ in one_bond]
        assert [money(r[3], lang) for r in rows] == [n * a for _, a in one_bond]
        # interest + principal = the total of each row
        for r in rows:
            assert money(r[1], lang) + money(r[2], lang) == money(r[3], lang)


def test_campaign_figures_equal_the_workbook(cinema):
    result, document, workbook = cinema
    lang = "fr"
    wb = workbook_figures(workbook, lang, ["A"])["campaign"]
    (pairs,) = kit_tables(document)[t("kit.min_investor", lang)]
    kit = dict(pairs)
    assert money(kit[t("kit.min_investor", lang)], lang) == round(
        wb[t("camp.min_subscription", lang)] * 100
    )
    assert money(kit[t("kit.max_investor", lang)], lang) == round(
        wb[t("camp.max_per_investor", lang)] * 100
    )
    assert money(kit[t("kit.minimum", lang)], lang) == round(wb[t("camp.minimum", lang)] * 100)
    assert money(kit[t("kit.target", lang)], lang) == round(wb[t("camp.target", lang)] * 100)
    assert money(kit[t("kit.cap", lang)], lang) == round(wb[t("camp.cap", lang)] * 100)
    period = kit[t("kit.period", lang)].replace("\u00a0", " ")
    opens, closes = re.fullmatch(r"Du (.+) au (.+)", period).groups()
    assert day(opens, lang) == wb[t("camp.opens", lang)].date()
    assert day(closes, lang) == wb[t("camp.closes", lang)].date()
    # the figures the scenario file states (its comments: 50 000 / 100 000 / 100 000)
    assert [money(kit[t(k, lang)], lang) for k in ("kit.minimum", "kit.target", "kit.cap")] == [
        5_000_000,
        10_000_000,
        10_000_000,
    ]


def test_uses_equal_the_plan(cinema):
    result, document, _ = cinema
    (uses,) = kit_tables(document)[t("kit.col.use", "fr")]
    assert uses[-1][0] == t("kit.total_uses", "fr")
    # the scenario's [[planning.uses]]: 95 000 + 18 000 + 3 000 + 6 000
    assert [money(r[1], "fr") for r in uses[1:]] == [
        9_500_000,
        1_800_000,
        300_000,
        600_000,
        12_200_000,
    ]


def test_1000_dollars_of_the_cinema_pays_the_hand_computed_amount(cinema):
    _, document, _ = cinema
    (table,) = kit_tables(document)[t("kit.col.date", "fr")]
    # 1,000 x 1.02^5 = 1,104.0808: one payment, at maturity, no total row
    assert table[1:] == [
        [
            "1er\u00a0février\u00a02022",
            "104,08\u00a0$",
            "1\u00a0000,00\u00a0$",
            "1\u00a0104,08\u00a0$",
        ]
    ]
    assert "2 obligations de 500" in kit_text(document)


def test_what_1000_pays_is_what_the_register_pays_a_holding_of_1000(solar):
    """The register's calendar (rounded per holding) of a holding of 1,000 $ from the issue
    date: the same cents as the kit's table, for every series of the co-op."""
    from bondkit.register.calendar import series_calendar

    result, document, _ = solar
    pays = kit_tables(document)[t("kit.col.date", "en")]
    for terms, table in zip(result.series, pays, strict=True):
        cal = series_calendar(terms, [100_000], [terms.issue_date])
        rows = [r for r in table[1:] if r[0] != t("kit.row.total", "en")]
        assert [money(r[1], "en") for r in rows] == cal.interest[0].tolist()
        assert [money(r[2], "en") for r in rows] == cal.principal[0].tolist()
    # series A-3y: 3 % of 1,000 $ a year, 3 years; B-5y: 2 % of 1,000 $ each half-year
    assert [money(r[3], "en") for r in pays[0][1:]] == [3000, 3000, 103000, 109000]
    assert [money(r[3], "en") for r in pays[1][1:-1]] == [2000] * 9 + [102000]


# ---------------------------------------------------------------- what the kit says


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_warnings_and_the_legal_frame_are_stated(lang, cinema):
    result = cinema[0]
    text = kit_text(kit_document(result, lang))
    issuer = result.scenario.issuer.name
    for key in ("kit.warn.deposit", "kit.warn.market", "kit.warn.donation"):
        assert t(key, lang) in text
    assert t("kit.warn.loss", lang).format(issuer=issuer) in text
    frame = t("kit.frame.qc-npo", lang)
    assert t("kit.warn.no_review", lang).format(frame=frame) in text
    assert t("kit.legal.qc-npo", lang).format(issuer=issuer) in text
    # accumulating bonds: interest reported every year (s. 12(4)), the T5/RL-3 slips
    assert "12(4)" in text and "T5" in text
    # no [offer] purpose nor contact: marked for the enterprise to complete
    assert t("kit.to_complete", lang).format(what=t("kit.purpose_what", lang)) in text
    assert t("kit.to_complete", lang).format(what=t("kit.contact_what", lang)) in text


def test_the_offer_s_clauses_are_stated(solar):
    result, document, _ = solar
    text = kit_text(document)
    assert "Install about 700 kW of rooftop solar arrays on member buildings" in text
    assert "For your questions: The treasurer, treasurer@solar-coop.example, 555-0100." in text
    # lock-in 2 years, notice 6 months, 5 % of the 500,000 $ issue a fiscal year
    assert "No bond is redeemed during its first 2 years." in text
    assert "paid 6 months after it is asked for" in text
    five = percent_text(0.05, "en", 0)  # the way bondkit writes 5 % in English
    assert f"limited to {five} of the issue ($25,000) in a fiscal year" in text
    # the renewal offered to A-3y only
    assert (
        "Series A-3y: repaid on March 2, 2029 or, if the holder chooses, renewed into "
        f"new bonds at {percent_text(0.035, 'en', 1)} for 3 years." in text
    )
    assert "Series B-5y: repaid on March 2, 2031; this offer promises no renewal." in text
    # a co-operative placing with its members; no accumulating series, no campaign
    assert t("kit.legal.qc-coop-members", "en").format(issuer=result.scenario.issuer.name) in text
    assert "12(4)" not in text
    assert t("kit.to_complete", "en").format(what=t("kit.campaign_what", "en")) in text


def test_a_bond_above_1000_is_shown_per_bond_and_a_secured_rank_names_its_security():
    sc = load_example("solar-coop-multi-series").with_changes(
        {
            "series[3].face_value": 1_250,
            "series[3].amount": 250_000,
            "offer.rank": "secured",
            "offer.security": "A second-rank hypothec on the arrays.",
            "offer.exemption": "prospectus",
        }
    )
    result = run(sc)
    document = kit_document(result, "en")
    text = kit_text(document)
    assert "What one bond of $1,250 pays, and when" in text
    assert "The bonds are secured by: A second-rank hypothec on the arrays." in text
    # a prospectus: no "no regulator's review" warning
    assert "No securities regulator has reviewed" not in text
    table = kit_tables(document)[t("kit.col.date", "en")][2]
    # one bond of 1,250 $: its principal is 1,250 $
    assert money(table[-1][2], "en") == 125_000
    assert investment(result.series[2]) == (125_000, 1)


def test_user_text_is_text_and_the_only_fields_are_the_page_numbers(tmp_path):
    hostile = '=HYPERLINK("http://x.example","click") {page} <w:fldSimple/>'
    sc = load_example("cinema-du-parc-2016").with_changes(
        {"issuer.name": hostile, "offer.purpose": "=1+1 {issuer}", "offer.contact": "@SUM(A1)"}
    )
    files = write_investor_kit(run(sc), tmp_path, "x", ["fr"], pdf=False)
    document = docx.Document(str(files.paths[0]))
    text = kit_text(document)
    assert hostile in text and "=1+1 {issuer}" in text and "@SUM(A1)" in text
    with zipfile.ZipFile(files.paths[0]) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    fields = re.findall(r'w:instr="([^"]*)"', xml)
    assert sorted(fields) == ["NUMPAGES", "PAGE"]
    assert "instrText" not in xml


def test_rate_text_keeps_the_decimals_written():
    """As many decimals as the rate is written with: 5 %, 5.25 %, 4.125 %."""
    assert rate_text(Decimal("0.05"), "en") == percent_text(0.05, "en", 0)
    assert rate_text(Decimal("0.0525"), "fr") == percent_text(0.0525, "fr", 2)
    assert rate_text(Decimal("0.04125"), "en") == percent_text(0.04125, "en", 3)
    assert percent(rate_text(Decimal("0.04125"), "fr")) == Decimal("0.04125")


# ---------------------------------------------------------------- the command


def test_kit_writes_the_scenario_s_language_then_both(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-office"))  # no LibreOffice on the PATH
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(main, ["kit", str(CINEMA), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out / 'cinema-du-parc-2016-kit-fr.docx'} écrit\n"
    assert result.stderr == t("kit.cli.no_office", "fr") + "\n"
    first = (out / "cinema-du-parc-2016-kit-fr.docx").read_bytes()
    result = runner.invoke(
        main, ["kit", str(CINEMA), "--out", str(out), "--lang", "en", "--no-pdf"]
    )
    assert result.exit_code == 0 and result.stderr == ""
    # the English kit is written beside the French one, which stays as it was
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    assert names == ["cinema-du-parc-2016-kit-en.docx", "cinema-du-parc-2016-kit-fr.docx"]
    assert (out / "cinema-du-parc-2016-kit-fr.docx").read_bytes() == first
    result = runner.invoke(
        main, ["kit", str(SOLAR), "--out", str(out), "--lang", "both", "--no-pdf"]
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"wrote {out / 'solar-coop-multi-series-kit-en.docx'}",
        f"wrote {out / 'solar-coop-multi-series-kit-fr.docx'}",
    ]
    french = docx.Document(str(out / "solar-coop-multi-series-kit-fr.docx"))
    assert french.paragraphs[0].text == "Trousse de l'investisseur"


def test_a_scenario_with_problems_exits_2_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        CINEMA.read_text(encoding="utf-8").replace("annual_rate = 0.02", "annual_rate = 2"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["kit", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "series[1].annual_rate" in result.stderr and "(vous avez écrit 2)" in result.stderr
    assert result.stdout == ""
    assert not out.exists()


def test_kit_help_names_the_command():
    result = CliRunner().invoke(main, ["--help"])
    assert "  kit " in result.stdout
    result = CliRunner().invoke(main, ["kit", "--help"])
    assert result.exit_code == 0 and "--lang [fr|en|both]" in result.stdout


def _writer_or_skip() -> None:
    """LibreOffice with Writer, or a skip (a failure under ``BONDKIT_REQUIRE_LO=1``)."""
    exe = soffice()
    if exe is not None and Path("/usr/lib/libreoffice/program/libswlo.so").exists():
        return
    why = "LibreOffice Writer is not installed"
    if os.environ.get("BONDKIT_REQUIRE_LO") == "1":
        pytest.fail(why + " (BONDKIT_REQUIRE_LO=1)")
    pytest.skip(why)


def test_the_pdf_is_made_with_libreoffice(tmp_path):
    _writer_or_skip()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["kit", str(CINEMA), "--out", str(out), "--lang", "both"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    for lang in ("fr", "en"):
        pdf = (out / f"cinema-du-parc-2016-kit-{lang}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    text = _pdf_text(out / "cinema-du-parc-2016-kit-fr.pdf")
    if text is not None:  # poppler's pdftotext, when installed
        assert "1 104,08 $" in text.replace("\u00a0", " ")
        assert "Page 1 de 3" in text or "Page 1 de 4" in text


def _pdf_text(path: Path) -> str | None:
    import shutil
    import subprocess

    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    done = subprocess.run(
        [exe, "-layout", str(path), "-"], capture_output=True, text=True, env=os.environ
    )
    return done.stdout
