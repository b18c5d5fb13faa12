"""The register exported (issue #13): the CSV and XLSX a person reads, the CSV in the field
names of Odoo's loan-issue lines, and ``bondkit register export``.

One small register built here, every value expected below worked out by hand from what
was recorded (in the comments): never by the code under test. The personal-data rule is
checked on the bytes of every file: no SIN unless ``--with-sin`` asks for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
import zipfile

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Posting, Register
from bondkit.scenario import parse_scenario

openpyxl = pytest.importorskip("openpyxl")

SIN = "046 454 286"
SIN_FORMS = (SIN, SIN.replace(" ", ""), "046-454-286")
SCENARIO = """
[scenario]
name = "Export test"
language = "fr"
[issuer]
name = "Coop"
[[series]]
id = "A"
amount = 10_000
face_value = 500
annual_rate = 0.04
issue_date = 2026-03-02
term_years = 3
repayment = "bullet"
[[series]]
id = "B"
amount = 10_000
face_value = 1_000
annual_rate = 0.04125
issue_date = 2026-03-02
term_years = 5
repayment = "bullet"
[campaign]
opens = 2025-12-01
closes = 2026-02-27
minimum = 100
target = 20_000
interest_start = "issue-date"
[[campaign.segments]]
name = "Members"
people = 100
reached = 0.5
supporting = 0.5
conversion = 0.1
ticket_median = 1_000
ticket_spread = 0.5
"""
FORMULA_NAME = "=1+1"
PLUS_ADDRESS = "+1 514 rue Ontario Est, Montréal"

HEAD_FR = [
    "Numéro du détenteur",
    "Nom du détenteur",
    "Adresse du détenteur",
    "Adresse courriel",
    "Langue des lettres",
    "Type de détenteur",
    "Nom du codétenteur",
    "Pays de résidence",
    "Mode de paiement",
    "Numéro du placement",
    "Série d'obligations",
    "Date de souscription",
    "Début des intérêts",
    "Placement d'origine",
    "Obligations détenues",
    "Capital dû",
    "Intérêts courus non versés",
    "Argent net (+ reçu, - versé)",
]
HEAD_EN = [
    "Holder number",
    "Holder's name",
    "Holder's address",
    "E-mail address",
    "Social insurance number",
    "Language of letters",
    "Kind of holder",
    "Joint holder's name",
    "Country of residence",
    "Payment method",
    "Holding number",
    "Bond series",
    "Subscription date",
    "Interest start",
    "Origin holding",
    "Bonds held",
    "Principal owed",
    "Interest accrued, unpaid",
    "Net cash (+ received, - paid)",
]
ODOO_HEAD = "reference,loan_issue_id,partner_id,quantity,face_value,amount,date,payment_date,state,tax_exemption"  # fmt: skip


def build(tmp_path) -> Register:
    """Six holders, six holdings, thirteen events, fifteen postings:

    - holder 1 "=1+1" (address starting with "+"): holding 1, A, 2 bonds of 500 $ on
      2026-01-15 (event 1); pays 999.99 $ on 01-20 and 0.01 $ on 01-25 (events 5, 6);
      gives 1 bond to a new holder 5, "Marc Roy", on 2026-05-01 (event 12, holding 5);
    - holder 2 "Lucie Tremblay" (SIN, French): holding 2, B, 3 bonds of 1 000 $ on
      2026-02-01 (event 2); pays 1 500 $ on 02-10 and 02-20 (events 7, 8); dies: her
      estate, holder 6, gets holding 6 with the 3 bonds on 2026-06-01 (event 13);
    - holder 3 "Café du Coin" (corporation): holding 3, A, 1 bond on 2026-02-05 (event 3),
      corrected away (event 11);
    - holder 4 "Zoé Martin" (English, France): holding 4, B, 1 bond on 2026-02-10 (event
      4); a payment of 1 000 $ on 02-12 (event 9) recorded by mistake and reversed (10).
    """
    reg = Register.create(tmp_path / "reg.db", parse_scenario(SCENARIO), by="test")
    # fmt: off
    rows = [
        {"name": FORMULA_NAME, "address": PLUS_ADDRESS, "series": "A", "bonds": 2, "subscribed_on": "2026-01-15"},
        {"name": "Lucie Tremblay", "sin": SIN, "address": "45 rue Rachel", "email": "lucie@example.org", "language": "fr", "payment_method": "chèque", "series": "B", "bonds": 3, "subscribed_on": "2026-02-01"},
        {"name": "Café du Coin", "kind": "corporation", "series": "A", "bonds": 1, "subscribed_on": "2026-02-05"},
        {"name": "Zoé Martin", "language": "en", "country": "FR", "co_holder": "Paul Martin", "series": "B", "bonds": 1, "subscribed_on": "2026-02-10"},
    ]
    # fmt: on
    assert reg.add_subscriptions(rows, reason="forms", by="test") == [1, 2, 3, 4]

    def pay(holding: int, on: str, cents: int) -> int:
        return reg.record("payment_received", on, [Posting(holding, cash_cents=cents)], reason="cheque", by="test")  # fmt: skip

    assert [pay(1, "2026-01-20", 99_999), pay(1, "2026-01-25", 1)] == [5, 6]
    assert [pay(2, "2026-02-10", 150_000), pay(2, "2026-02-20", 150_000)] == [7, 8]
    assert pay(4, "2026-02-12", 100_000) == 9
    assert reg.correct(9, reason="cheque returned", by="test") == (10, None)
    assert reg.correct(3, reason="subscription withdrawn", by="test") == (11, None)
    assert reg.transfer(1, 1, on="2026-05-01", to={"name": "Marc Roy"}, reason="sale", by="test") == (12, 5)  # fmt: skip
    assert reg.estate(2, on="2026-06-01", reason="death notice", by="test") == (6, [13])
    assert reg.check().ok
    return reg


def export(tmp_path, *args: str):
    with build(tmp_path):
        pass
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["register", "export", str(tmp_path / "reg.db"), "--out", str(out), *args])  # fmt: skip
    assert result.exit_code == 0, result.output
    return out, result


def read_csv(path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads the accents
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def all_bytes(path) -> bytes:
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist())


# ---------------------------------------------------------------- the CSV a person reads


def test_the_register_csv_has_every_holding_to_the_cent_in_the_register_s_language(tmp_path):
    out, result = export(tmp_path)
    names = sorted(p.name for p in out.iterdir())
    assert names == [".bondkit", "reg-odoo-loan-issue-lines.csv", "reg-register.csv", "reg-register.xlsx"]  # fmt: skip
    rows = read_csv(out / "reg-register.csv")
    assert rows[0] == HEAD_FR
    # holding 1: 2 bonds - 1 transferred = 1 bond, 500.00 $ owed; cash 999.99 + 0.01
    assert rows[1] == ["1", "'=1+1", "'" + PLUS_ADDRESS, "", "", "person", "", "", "", "1", "A", "2026-01-15", "2026-03-02", "", "1", "500.00", "0.00", "1000.00"]  # fmt: skip
    # holding 2: its 3 bonds and 3 000 $ went to the estate; the 3 000 $ received stay
    assert rows[2] == ["2", "Lucie Tremblay", "45 rue Rachel", "lucie@example.org", "fr", "person", "", "", "chèque", "2", "B", "2026-02-01", "2026-03-02", "", "0", "0.00", "0.00", "3000.00"]  # fmt: skip
    # holding 3: the subscription reversed: nothing left
    assert rows[3] == ["3", "Café du Coin", "", "", "", "corporation", "", "", "", "3", "A", "2026-02-05", "2026-03-02", "", "0", "0.00", "0.00", "0.00"]  # fmt: skip
    # holding 4: 1 bond of 1 000 $; the payment reversed: no cash
    assert rows[4] == ["4", "Zoé Martin", "", "", "en", "person", "Paul Martin", "FR", "", "4", "B", "2026-02-10", "2026-03-02", "", "1", "1000.00", "0.00", "0.00"]  # fmt: skip
    # holding 5: the transferred bond keeps the original subscription date; no cash moved
    assert rows[5] == ["5", "Marc Roy", "", "", "", "person", "", "", "", "5", "A", "2026-01-15", "2026-03-02", "1", "1", "500.00", "0.00", "0.00"]  # fmt: skip
    # holding 6: the estate, with the deceased's address, e-mail, language and payment method
    assert rows[6] == ["6", "Succession de Lucie Tremblay", "45 rue Rachel", "lucie@example.org", "fr", "estate", "", "", "chèque", "6", "B", "2026-02-01", "2026-03-02", "2", "3", "3000.00", "0.00", "0.00"]  # fmt: skip
    assert len(rows) == 7
    assert "exporté : placements : 6; détenteurs : 6; événements : 13; séries : 2; lignes d'émission Odoo : 6" in result.stdout  # fmt: skip
    assert "aucun numéro d'assurance sociale dans ces fichiers" in result.stdout
    for secret in ("Lucie", "Zoé", "Marc", "1+1", "Café", "Rachel", "046"):
        assert secret not in result.output


def test_the_sin_is_in_no_file_without_the_flag_and_in_its_column_with_it(tmp_path):
    out, _ = export(tmp_path)
    files = sorted(p for p in out.iterdir() if p.is_file())
    assert len(files) == 3
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        data = all_bytes(path)
        for form in SIN_FORMS:
            assert form.encode() not in data, path.name
    # again with the flag, in English: the same three files replaced, the SIN in them
    result = CliRunner().invoke(main, ["register", "export", str(tmp_path / "reg.db"), "--out", str(out), "--with-sin", "--lang", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "social insurance numbers included (--with-sin)" in result.stdout
    assert "exported: holdings: 6; holders: 6; events: 13; series: 2; Odoo loan-issue lines: 6" in result.stdout  # fmt: skip
    assert "046" not in result.output
    assert sorted(p for p in out.iterdir() if p.is_file()) == files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = read_csv(out / "reg-register.csv")
    assert rows[0] == HEAD_EN
    assert [r[4] for r in rows[1:]] == ["", "046454286", "", "", "", ""]  # the estate has none
    assert rows[2][:6] == ["2", "Lucie Tremblay", "45 rue Rachel", "lucie@example.org", "046454286", "fr"]  # fmt: skip
    book = openpyxl.load_workbook(out / "reg-register.xlsx")
    holders = book["Holders in the register"]
    assert holders["E1"].value == "Social insurance number"
    sin = holders["E3"]
    assert sin.value == "046454286" and sin.data_type == "s"  # text: its leading zero kept
    # the Odoo file never has a SIN column
    odoo = (out / "reg-odoo-loan-issue-lines.csv").read_bytes()
    assert all(form.encode() not in odoo for form in SIN_FORMS)


# ---------------------------------------------------------------- the workbook


def test_the_workbook_has_four_sheets_with_dates_money_and_text_as_such(tmp_path):
    out, _ = export(tmp_path)
    book = openpyxl.load_workbook(out / "reg-register.xlsx")
    assert book.sheetnames == ["Placements au registre", "Détenteurs au registre", "Journal des événements", "Séries d'obligations"]  # fmt: skip
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    holdings = book["Placements au registre"]
    assert [c.value for c in holdings[1]] == HEAD_FR
    assert holdings.column_dimensions["B"].width > 15  # the names' column is widened
    name, address = holdings["B2"], holdings["C2"]
    assert name.value == FORMULA_NAME and name.data_type == "s" and name.quotePrefix
    assert address.value == PLUS_ADDRESS and address.data_type == "s" and address.quotePrefix
    assert holdings["K2"].value == "A"
    subscribed = holdings["L2"]
    assert subscribed.value == dt.datetime(2026, 1, 15) and subscribed.is_date
    assert subscribed.number_format == "yyyy-mm-dd"
    assert holdings["M2"].value == dt.datetime(2026, 3, 2)
    assert holdings["N2"].value is None and holdings["N6"].value == 1  # origin holding
    assert [holdings.cell(row=r, column=15).value for r in range(2, 8)] == [1, 0, 0, 1, 1, 3]
    assert [holdings.cell(row=r, column=16).value for r in range(2, 8)] == [500, 0, 0, 1000, 500, 3000]  # fmt: skip
    assert [holdings.cell(row=r, column=18).value for r in range(2, 8)] == [1000, 3000, 0, 0, 0, 0]  # fmt: skip
    assert holdings["P2"].number_format == "#,##0.00"
    assert holdings.max_row == 7

    holders = book["Détenteurs au registre"]
    head = [c.value for c in holders[1]]
    assert head == [*HEAD_FR[:9], "Détenteur décédé", "Enregistré le"]
    assert [holders.cell(row=r, column=2).value for r in range(2, 8)] == [FORMULA_NAME, "Lucie Tremblay", "Café du Coin", "Zoé Martin", "Marc Roy", "Succession de Lucie Tremblay"]  # fmt: skip
    assert holders["B2"].data_type == "s" and holders["B2"].quotePrefix
    assert holders["J7"].value == 2 and holders["F7"].value == "estate"  # the estate of holder 2

    ledger = book["Journal des événements"]
    assert [c.value for c in ledger[1]][:6] == ["Numéro de l'événement", "Type d'événement", "Date de l'événement", "Enregistré le", "Enregistré par", "Raison donnée"]  # fmt: skip
    assert ledger.max_row == 1 + 15  # fifteen postings
    rows = [[c.value for c in r] for r in ledger.iter_rows(min_row=2)]
    # event 6: the last cent of holding 1, on 2026-01-25
    assert rows[5][:3] == [6, "payment_received", dt.datetime(2026, 1, 25)]
    assert rows[5][8:] == [1, "A", 1, 0, 0, 0, 0.01]
    # event 10 reverses event 9 on its date: -1 000.00 $
    assert rows[9][:3] == [10, "correction", dt.datetime(2026, 2, 12)]
    assert rows[9][6] == 9 and rows[9][-1] == -1000
    # event 12, the transfer: one bond and 500 $ leave holding 1 for holding 5
    transfer = [r for r in rows if r[0] == 12]
    assert [(r[8], r[11], r[12]) for r in transfer] == [(1, -1, -500), (5, 1, 500)]
    assert transfer[0][5] == "sale" and transfer[0][4] == "test"

    series = book["Séries d'obligations"]
    assert [c.value for c in series[1]][:6] == ["Série d'obligations", "Montant de la série", "Valeur nominale", "Obligations de la série", "Taux annuel", "Date d'émission"]  # fmt: skip
    a, b = ([c.value for c in r] for r in series.iter_rows(min_row=2))
    assert a[:8] == ["A", 10000, 500, 20, 0.04, dt.datetime(2026, 3, 2), dt.datetime(2029, 3, 2), 3]  # fmt: skip
    assert b[:8] == ["B", 10000, 1000, 10, 0.04125, dt.datetime(2026, 3, 2), dt.datetime(2031, 3, 2), 5]  # fmt: skip
    # held: A 1 + 1 bonds (1 000 $, 1 000 $ received); B 1 + 3 bonds (4 000 $, 3 000 $)
    assert a[-4:] == [2, 1000, 0, 1000] and b[-4:] == [4, 4000, 0, 3000]
    assert series["E2"].number_format == "0.00##%"


# ---------------------------------------------------------------- Odoo's loan-issue lines


def test_the_odoo_file_has_loan_issue_line_fields_and_honest_states(tmp_path):
    out, _ = export(tmp_path)
    data = (out / "reg-odoo-loan-issue-lines.csv").read_bytes()
    assert data.startswith(b"reference,")  # no byte-order mark in the header's first name
    lines = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert ",".join(lines[0]) == ODOO_HEAD
    # fmt: off
    assert lines[1:] == [
        # paid in full when the last cent arrived, 2026-01-25; 1 bond left x 500.00
        ["1", "A", FORMULA_NAME, "1", "500.00", "500.00", "2026-01-15", "2026-01-25", "paid", ""],
        # every bond went to the estate: ended; it had been paid in full on 2026-02-20
        ["2", "B", "Lucie Tremblay", "0", "1000.00", "0.00", "2026-02-01", "2026-02-20", "ended", ""],
        # the subscription corrected away
        ["3", "A", "Café du Coin", "0", "500.00", "0.00", "2026-02-05", "", "cancelled", ""],
        # the only payment was reversed: not paid
        ["4", "B", "Zoé Martin", "1", "1000.00", "1000.00", "2026-02-10", "", "subscribed", ""],
        # the transferred bond was paid for by holding 1
        ["5", "A", "Marc Roy", "1", "500.00", "500.00", "2026-01-15", "2026-01-25", "paid", ""],
        # the estate's bonds, paid for by the deceased
        ["6", "B", "Succession de Lucie Tremblay", "3", "1000.00", "3000.00", "2026-02-01", "2026-02-20", "paid", ""],
    ]
    # fmt: on


# ---------------------------------------------------------------- all or nothing


def test_an_export_into_a_file_fails_and_writes_nothing(tmp_path):
    with build(tmp_path):
        pass
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("mine")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(main, ["register", "export", str(tmp_path / "reg.db"), "--out", str(blocker)])  # fmt: skip
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert blocker.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_failed_export_leaves_the_previous_one_whole(tmp_path, monkeypatch):
    from bondkit.report import register_exports

    out, _ = export(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(path, sheets):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(register_exports, "_xlsx", broken)
    result = CliRunner().invoke(main, ["register", "export", str(tmp_path / "reg.db"), "--out", str(out), "--with-sin"])  # fmt: skip
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert [p.name for p in (out / ".bondkit").iterdir() if p.name.startswith("stage-")] == []
