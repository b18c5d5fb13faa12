"""The files of February (issue #14): the holders' statements (HTML per holder, CSV for mail
merge) and the tax slips' data (CSV and XLSX per slip type, a summary), read back and
checked by hand; then the two commands on a real register.

The fixture tax year has the shape of :class:`bondkit.register.taxes.TaxYear`, with
amounts chosen by hand, so the files are checked against numbers written here, not
against the engine that produced them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import stat
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.data.tax_rules import CANADA, UNITED_STATES
from bondkit.errors import Message
from bondkit.report.register_slips import split_address, split_name, write_slips
from bondkit.report.register_statements import write_statements

ROOT = Path(__file__).resolve().parents[1]
SIN = "046454286"
ISSUE = {
    "issuer": "Coopérative solaire du Plateau",
    "name": "Solar co-op 2026, three series",
    "currency": "CAD",
    "language": "fr",
}
LONG_LAST = "Featherstonehaugh-Smythe"  # 24 characters: the T5 keeps 20, the RL-3 30
LONG_FIRST = "Bartholomew-Alexander"  # 21 characters: the T5 keeps 12


def _holders(include_sin: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "holder_id": [1, 2, 3, 4, 5],
            "name": [
                "Lucie Tremblay",
                f"{LONG_FIRST} Quentin {LONG_LAST}",
                "Succession de Jean Côté",
                "Café du Coin inc.",
                "<script>alert(1)</script> Smith",
            ],
            "address": [
                "12 rue des Pins, app. 3, Montréal QC H2X 1Y4",
                "4521 avenue du Parc\nMontréal QC H2V 4E4",
                "8 rang du Nord, Saint-Félix QC J0K 2V0",
                "300 boul. Industriel, Laval QC H7L 3W1",
                '=HYPERLINK("x")',
            ],
            "email": ["lucie@example.org", None, None, "cafe@example.org", "s@example.org"],
            "sin": [SIN, "130692544", None, None, None],
            "language": ["fr", "en", "fr", None, "en"],
            "kind": ["person", "person", "estate", "corporation", "person"],
            "co_holder": [None, "Marie-Ève de la Fontaine", None, None, None],
            "country": ["CA", "CA", "CA", "CA", None],
        }
    )
    return frame if include_sin else frame.drop(columns="sin")


def _tax_year(country: str = "CA") -> SimpleNamespace:
    """Holder 1: 60 $ paid; 2 (joint): 172.34 $ (60 paid, 112.34 accrued under 12(4));
    3 (estate, no SIN): 90 $ paid; 4 (corporation): an accumulating holding, no 12(4)
    slip; 5: 30 $ paid, under the 50 $ threshold."""
    rules = CANADA if country == "CA" else UNITED_STATES
    statements = pd.DataFrame(
        {
            "holder_id": [1, 2, 2, 3, 4, 5],
            "holding_id": [1, 2, 6, 3, 4, 5],
            "series_id": ["A-3y", "A-3y", "B-5y", "A-3y", "B-5y", "A-3y"],
            "mode": ["paid", "paid", "accumulating", "paid", "accumulating", "paid"],
            "interest_paid_cents": [6000, 6000, 0, 9000, 0, 3000],
            "interest_accrued_reported_cents": [0, 0, 11234, 0, 0, 0],
            "principal_outstanding_cents": [200000, 200000, 250000, 300000, 1000000, 100000],
            "next_payment_on": pd.to_datetime(
                ["2028-03-02", "2028-03-02", None, "2028-03-02", None, "2028-03-02"]
            ),
            "next_payment_cents": [6000, 6000, 0, 9000, 0, 3000],
            "interest_credited_cents": [0] * 6,
        }
    )
    amounts = [6000, 17234, 9000, 0, 3000]
    by_holder = pd.DataFrame(
        {
            "holder_id": [1, 2, 3, 4, 5],
            "reportable_cents": amounts,
            "accumulating": [False, True, False, True, False],
        }
    )
    for slip in rules.slips:
        by_holder[f"{slip.key}_cents"] = amounts
        by_holder[f"issued_{slip.key}"] = [slip.issued(a) for a in amounts]
    return SimpleNamespace(
        year=2027,
        country=rules.country,
        rules=rules,
        period=(dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
        deadline=rules.due_date(2027),
        electronic={s.key: False for s in rules.slips},
        statements=statements,
        by_holder=by_holder,
        lines=pd.DataFrame(),
        warnings=[Message("taxdoc.warn.address", holder=3)],
    )


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


# ---------------------------------------------------------------- the statements


def test_statements_one_page_per_holder_by_number_in_the_holder_s_language(tmp_path):
    files = write_statements(
        _tax_year(),
        _holders(include_sin=False),
        ISSUE,
        tmp_path,
        stem="solar",
        lang="en",
        prepared_on=dt.date(2028, 2, 10),
    )
    names = sorted(str(p.relative_to(tmp_path)) for p in files.paths)
    assert names == ["solar-statements-2027.csv"] + [
        f"solar-statements-2027/holder-{n}.html" for n in range(1, 6)
    ]
    assert all(_private(p) for p in files.paths)
    assert files.languages == {"fr": 3, "en": 2}  # holder 4 has none: the issue's, French
    pages = {
        n: (tmp_path / f"solar-statements-2027/holder-{n}.html").read_text("utf-8")
        for n in range(1, 6)
    }
    langs = {n: page.split('<html lang="', 1)[1][:2] for n, page in pages.items()}
    assert langs == {1: "fr", 2: "en", 3: "fr", 4: "fr", 5: "en"}
    # French: the holding, its mode in words, money in French, the slips
    fr = pages[1]
    assert "Relevé annuel 2027" in fr and "Détenteur numéro 1" in fr
    assert "Versés à chaque échéance" in fr and "60,00\xa0$" in fr and "2\xa0000,00\xa0$" in fr
    assert "60,00\xa0$ le 2 mars 2028" in fr
    assert "Feuillet T5 : un feuillet vous sera remis pour 60,00\xa0$." in fr
    # English, joint: both names, the 12(4) mode, the totals row, the accrual note
    en = pages[2]
    assert f"{LONG_FIRST} Quentin {LONG_LAST} and Marie-Ève de la Fontaine" in en
    assert "reported each year (Income Tax Act, s. 12(4))" in en
    assert "$112.34" in en and "$172.34" in en and "$4,500.00" in en  # 200,000 + 250,000 cents
    assert "on each anniversary of the issue" in en and "No payment scheduled" in en
    assert '<th scope="col"' in en and "<caption>" in en and "<script" not in en
    # under the threshold: no slip, said so; a name that is markup stays text
    small = pages[5]
    assert "T5 slip: no slip will be issued to you for 2027." in small
    assert "<script>" not in small and "&lt;script&gt;alert(1)&lt;/script&gt; Smith" in small
    # self-contained, printable, no script
    for page in pages.values():
        assert "@page" in page and "@media print" in page
        assert "<script" not in page and "http://" not in page and "https://" not in page
    # never a SIN, whatever the holders' table holds
    files = write_statements(_tax_year(), _holders(), ISSUE, tmp_path / "b", stem="s", lang="fr")
    assert not any(SIN.encode() in p.read_bytes() for p in files.paths)


def test_statements_mail_merge_csv_read_back(tmp_path):
    files = write_statements(
        _tax_year(), _holders(include_sin=False), ISSUE, tmp_path, stem="solar", lang="fr"
    )
    rows = _csv(files.csv)
    head = list(rows[0])
    assert head[:6] == [
        "Numéro du détenteur",
        "Nom du détenteur",
        "Nom du codétenteur",
        "Adresse postale",
        "Adresse courriel",
        "Langue des lettres",
    ]
    by = {r["Numéro du détenteur"]: r for r in rows}
    assert list(by) == ["1", "2", "3", "4", "5"]
    two = by["2"]
    assert two["Nom du codétenteur"] == "Marie-Ève de la Fontaine"
    assert two["Intérêts versés ou crédités"] == "60.00"
    assert two["Intérêts courus et déclarés"] == "112.34"
    assert two["Intérêts déclarés"] == "172.34"
    assert two["Capital restant dû"] == "4500.00"
    assert two["Feuillet T5 : feuillet produit"] == "oui"
    assert two["Relevé 3 : feuillet produit"] == "oui"
    assert two["Fichier du relevé"] == "solar-statements-2027/holder-2.html"
    assert by["4"]["Langue des lettres"] == "fr" and by["5"]["Langue des lettres"] == "en"
    assert by["5"]["Feuillet T5 : feuillet produit"] == "non"
    assert by["5"]["Adresse postale"] == '\'=HYPERLINK("x")'  # text, never a formula


# ---------------------------------------------------------------- the slips


def test_names_and_addresses_split_as_the_forms_want():
    assert split_name("Lucie Tremblay") == ("Tremblay", "Lucie", "")
    assert split_name("Marie-Ève de la Fontaine") == ("de la Fontaine", "Marie-Ève", "")
    assert split_name("Tremblay, Lucie Anne") == ("Tremblay", "Lucie", "A")
    assert split_name("  Jean   Paul  Côté ") == ("Côté", "Jean", "P")
    fields, clean = split_address("4521 avenue du Parc\nMontréal QC H2V 4E4")
    assert clean and fields == {
        "line_1": "4521 avenue du Parc",
        "line_2": "",
        "city": "Montréal",
        "province": "QC",
        "postal_code": "H2V 4E4",
    }
    assert split_address("1 Main St, Burlington, VT 05401")[0]["postal_code"] == "05401"
    assert split_address("")[1] is False


def test_ca_slips_read_back_from_csv_and_xlsx(tmp_path):
    files = write_slips(_tax_year(), _holders(), ISSUE, tmp_path, stem="solar", lang="en")
    names = sorted(p.name for p in files.paths)
    assert names == [
        "solar-rl3-2027.csv",
        "solar-rl3-2027.xlsx",
        "solar-slips-2027-ca-summary.csv",
        "solar-t5-2027.csv",
        "solar-t5-2027.xlsx",
    ]
    assert all(_private(p) for p in files.paths)
    t5 = {r["Holder number"]: r for r in _csv(tmp_path / "solar-t5-2027.csv")}
    assert list(t5) == ["1", "2", "3"]  # 4: a corporation without a slip, 5: under 50 $
    one = t5["1"]
    assert (one["Report code"], one["Recipient type"]) == ("O", "1")
    assert (one["Last name"], one["First name"], one["Middle initial"]) == ("Tremblay", "Lucie", "")
    assert (one["Address line 1"], one["Address line 2"], one["City or town"]) == (
        "12 rue des Pins",
        "app. 3",
        "Montréal",
    )
    assert (one["Province or state"], one["Postal code"], one["Country code"]) == (
        "QC",
        "H2X 1Y4",
        "CAN",
    )
    assert one["Social insurance number"] == SIN
    assert one["Box 13: interest from Canadian sources"] == "60.00"
    # joint: both names, cut to the T5's 20 / 12 / 1
    two = t5["2"]
    assert two["Recipient type"] == "2"
    assert two["Last name"] == LONG_LAST[:20] == "Featherstonehaugh-Sm"
    assert two["First name"] == LONG_FIRST[:12] == "Bartholomew-"
    assert two["Middle initial"] == "Q"
    assert (two["Joint holder's last name"], two["Joint holder's first name"]) == (
        "de la Fontaine",
        "Marie-Ève",
    )
    assert two["Box 13: interest from Canadian sources"] == "172.34"
    # the estate: its name as the register holds it, in the entity's line; no SIN: zeros
    three = t5["3"]
    assert (three["Recipient type"], three["Last name"]) == ("4", "")
    assert three["Corporation or estate name"] == "Succession de Jean Côté"
    assert three["Social insurance number"] == "000000000"
    # the RL-3 keeps 30 characters of a name, and says R for an original slip
    rl3 = {r["Holder number"]: r for r in _csv(tmp_path / "solar-rl3-2027.csv")}
    assert rl3["2"]["Last name"] == LONG_LAST and rl3["2"]["First name"] == LONG_FIRST
    assert rl3["1"]["Report code"] == "R"
    assert rl3["1"]["Box D: interest from Canadian sources"] == "60.00"
    # the summary: slips, total of the box, deadline, electronic filing
    summary = _csv(tmp_path / "solar-slips-2027-ca-summary.csv")
    assert [(r["Slip type"], r["Number of slips"], r["Total of the box"]) for r in summary] == [
        ("T5 slip", "3", "322.34"),  # 60 + 172.34 + 90
        ("RL-3 slip", "3", "322.34"),
    ]
    assert summary[0]["Filing deadline"] == "2028-02-29"
    assert summary[0]["Electronic filing required"] == "no"
    assert [s.total_cents for s in files.summaries] == [32234, 32234]
    # a name shortened is a warning, by number
    assert Message("taxdoc.warn.shortened", holder=2) in files.warnings
    # the XLSX: the same cells, money as numbers, the SIN as text, a summary sheet
    book = openpyxl.load_workbook(tmp_path / "solar-t5-2027.xlsx")
    assert book.sheetnames == ["Slip data", "Slip summary"]
    rows = list(book["Slip data"].iter_rows(values_only=True))
    head = list(rows[0])
    first = dict(zip(head, rows[1], strict=True))
    assert first["Social insurance number"] == SIN and first["Last name"] == "Tremblay"
    assert first["Box 13: interest from Canadian sources"] == 60.0
    total = list(book["Slip summary"].iter_rows(values_only=True))[1]
    assert total[3:5] == (3, 322.34) and total[5] == dt.datetime(2028, 2, 29)


def test_us_slips_flag_accrual_bonds_for_1099_oid(tmp_path):
    files = write_slips(_tax_year("US"), _holders(), ISSUE, tmp_path, stem="s", lang="en")
    assert sorted(p.name for p in files.paths) == [
        "s-f1099-int-2027.csv",
        "s-f1099-int-2027.xlsx",
        "s-slips-2027-us-summary.csv",
    ]
    rows = {r["Holder number"]: r for r in _csv(tmp_path / "s-f1099-int-2027.csv")}
    assert list(rows) == ["1", "2", "3", "5"]  # 10 $ and more
    assert rows["2"]["Box 1: interest income"] == "172.34"
    assert rows["2"]["Accrual bond (Form 1099-OID)"] == "yes"
    assert rows["1"]["Accrual bond (Form 1099-OID)"] == "no"
    assert rows["5"]["Holder's name"] == "<script>alert(1)</script> Smith"


def test_files_replace_the_previous_set_whole(tmp_path):
    write_slips(_tax_year(), _holders(), ISSUE, tmp_path, stem="s", lang="en")
    ty = _tax_year()
    ty.by_holder["issued_rl3"] = False
    write_slips(ty, _holders(), ISSUE, tmp_path, stem="s", lang="fr")
    rows = _csv(tmp_path / "s-rl3-2027.csv")
    assert rows == [] and "Numéro du détenteur" in (tmp_path / "s-rl3-2027.csv").read_text(
        "utf-8-sig"
    )


# ---------------------------------------------------------------- the commands, on a register

PLANTED = "Zéphyrin Quasimodo-Larue"


@pytest.fixture
def register_db(tmp_path) -> Path:
    """A register whose series B-5y accumulates (compound): a person in French with a SIN,
    a joint holder in English, an estate, a corporation, a holder without a SIN on the
    accumulating series; paid up to 2027-03-02."""
    from bondkit.register import Register
    from bondkit.scenario import load_scenario

    text = (ROOT / "scenarios" / "solar-coop-multi-series.toml").read_text(encoding="utf-8")
    text = text.replace(
        'repayment = "bullet"\nfrequency = "semi-annual"',
        'repayment = "accumulating"\ninterest = "compound"',
    )
    (tmp_path / "solar.toml").write_text(text, encoding="utf-8")
    rows = [
        dict(
            name="Lucie Tremblay",
            sin="046 454 286",
            language="fr",
            series="A-3y",
            bonds=4,
            address="12 rue des Pins, Montréal QC H2X 1Y4",
        ),
        dict(name="Robert Smith", co_holder="Anne Smith", language="en", series="C-7y", bonds=2),
        dict(name="Estate of Paul Martin", kind="estate", language="en", series="A-3y", bonds=6),
        dict(name="Café du Coin inc.", kind="corporation", series="B-5y", bonds=10),
        dict(name=PLANTED, language="fr", series="B-5y", bonds=5, address="999 rue Introuvable"),
    ]
    db = tmp_path / "solar.db"
    with Register.create(db, load_scenario(tmp_path / "solar.toml")) as reg:
        reg.add_subscriptions([{**r, "subscribed_on": "2026-02-01"} for r in rows], reason="forms")
        for day in ("2026-06-02", "2026-09-02", "2026-12-02", "2027-03-02"):
            reg.pay(day, reason="run")
    return db


def test_commands_write_what_the_engine_computed_and_print_no_name(register_db, tmp_path):
    from bondkit.register import Register

    with Register(register_db) as reg:
        ty = reg.tax_year(2027, "CA")
    runner = CliRunner()
    out = tmp_path / "feb"
    st = runner.invoke(
        main,
        [
            "register",
            "statements",
            str(register_db),
            "--year",
            "2027",
            "--out",
            str(out),
            "--lang",
            "en",
        ],
    )
    assert st.exit_code == 0, st.output
    sl = runner.invoke(
        main,
        [
            "register",
            "slips",
            str(register_db),
            "--year",
            "2027",
            "--country",
            "CA",
            "--out",
            str(out),
            "--lang",
            "en",
        ],
    )
    assert sl.exit_code == 0, sl.output
    for printed in (st.output, sl.output):
        for secret in (PLANTED, "Quasimodo", "Introuvable", "Tremblay", "Café du Coin", SIN):
            assert secret not in printed
    assert "statements 2027: holders: 5; holdings: 5;" in st.output
    assert "in French: 2, in English: 3" in st.output  # the corporation: the issue's, English
    assert "SOCIAL INSURANCE NUMBERS" in sl.output
    assert "T5 slip: original 3, amended 0, cancelled 0 (report codes O/A/C)" in sl.output
    assert "RL-3 slip: original 3, amended 0, cancelled 0 (report codes R/A/D)" in sl.output
    assert "not recorded as filed" in sl.output
    assert "tax rules of CA as read in 2025" in sl.output
    by = ty.by_holder.set_index("holder_id")
    t5 = {int(r["Holder number"]): r for r in _csv(out / "solar-t5-2027.csv")}
    assert sorted(t5) == sorted(by.index[by["issued_t5"]].tolist())
    for hid, row in t5.items():
        assert (
            row["Box 13: interest from Canadian sources"] == f"{by.at[hid, 't5_cents'] / 100:.2f}"
        )
    assert t5[1]["Social insurance number"] == SIN
    assert t5[5]["Social insurance number"] == "000000000"  # no SIN: zeros, and a warning
    assert "no SIN for holders 3, 5" in sl.output
    assert 4 not in t5  # the corporation: no 12(4) accrual slip
    merge = {int(r["Holder number"]): r for r in _csv(out / "solar-statements-2027.csv")}
    assert sorted(merge) == [1, 2, 3, 4, 5]
    page = (out / "solar-statements-2027" / "holder-5.html").read_text("utf-8")
    assert '<html lang="fr">' in page and "par. 12(4)" in page and PLANTED in page
    statements = [p for p in out.rglob("holder-*.html")]
    assert all(_private(p) for p in out.rglob("*") if p.is_file() and ".bondkit" not in p.parts)
    assert not any(SIN.encode() in p.read_bytes() for p in statements)
    shutil.rmtree(out)
