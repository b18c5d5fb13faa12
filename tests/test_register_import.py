"""Getting the holders in (issue #13): ``bondkit register import`` and
``Register.import_file`` / ``Register.import_simulated``.

Cinéma du Parc is the register of these tests: one series A of 200 bonds of 500 $, a
campaign from 2016-11-15 to 2017-01-31, at least 500 $ a subscription and at most
10 000 $ per investor, interest from the issue date 2017-02-01. Every expected figure
below is worked out by hand from those terms.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.register import Register, RegisterError
from bondkit.register.lists import parse_date, parse_number
from bondkit.scenario import load_example

AT = dt.datetime(2017, 2, 10, 12, tzinfo=dt.UTC)
#: personal data planted in the files; none of it may ever be printed
SECRET_NAME = "Zébulon Quartzpersonne"
SECRET_EMAIL = "zebulon.quartz@example.org"
SECRET_SIN = "046 454 286"  # valid (check digit)
BAD_SIN = "046 454 287"  # check digit wrong
SECRETS = (SECRET_NAME, "Quartzpersonne", SECRET_EMAIL, "046454286", SECRET_SIN, BAD_SIN,
           "046454287", "77 rue des Secrets")  # fmt: skip

FRENCH_HEADERS = [
    "Nom complet",
    "Adresse",
    "Courriel",
    "NAS",
    "Série",
    "Montant",
    "Date de souscription",
    "Date de paiement",
    "Mode de paiement",
    "Langue",
    "Remarque",
]


@pytest.fixture
def cinema(tmp_path) -> Register:
    reg = Register.create(tmp_path / "cinema.db", load_example("cinema-du-parc-2016"), by="Lucie")
    yield reg
    reg.close()


def _csv(path: Path, rows: list[list[str]], delimiter=";", encoding="utf-8-sig") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _french(tmp_path: Path, extra: list[list[str]] = ()) -> Path:
    rows = [
        FRENCH_HEADERS,
        [SECRET_NAME, "77 rue des Secrets, Rimouski", SECRET_EMAIL, SECRET_SIN, "A",
         "1 000,00 $", "20/11/2016", "25/11/2016", "chèque", "français", "membre"],
        ["Marc Roy", "", "marc@example.org", "", "a", "500", "01/12/2016", "", "", "en", ""],
        # the same person as row 2 (same SIN, name written otherwise): one holder
        ["ZEBULON QUARTZPERSONNE", "", "", SECRET_SIN, "Série A", "1 500,00 $", "02/12/2016",
         "", "", "", ""],
    ]  # fmt: skip
    return _csv(tmp_path / "souscriptions.csv", rows + list(extra))


def _cli(*args: str):
    return CliRunner().invoke(main, ["register", "import", *args])


def _texts(column) -> list:
    """A text column's values, a missing one as None (pandas shows it as NaN)."""
    return [x if isinstance(x, str) else None for x in column]


def _no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, secret


# ---------------------------------------------------------------- reading values


def test_numbers_are_read_as_people_type_them():
    d = parse_number
    assert d("1 000") == 1000 and d("1\u00a0000,00\u00a0$") == 1000 and d("1,000.00") == 1000
    assert d("$1,500") == 1500 and d("2") == 2 and d("12,5") == 12.5 and d("1.000.000") == 10**6
    assert d("1 000,505") is None or d("1 000,505") == 1000505  # grouped: never 1000.505
    for bad in ("", "abc", "1,2,3", "12-3", "1,00,000", "--5"):
        assert d(bad) is None, bad


def test_dates_are_read_in_the_order_of_their_column():
    assert parse_date("2016-11-20", None) == dt.date(2016, 11, 20)
    assert parse_date("2016-11-20 14:03:00", None) == dt.date(2016, 11, 20)
    assert parse_date(dt.datetime(2016, 11, 20, 0, 0), None) == dt.date(2016, 11, 20)
    assert parse_date("04/05/2016", "dmy") == dt.date(2016, 5, 4)
    assert parse_date("04/05/2016", "mdy") == dt.date(2016, 4, 5)
    assert parse_date("04/05/2016", None) is None  # undecided: never guessed
    assert parse_date("31/02/2016", "dmy") is None and parse_date("20/11/16", "dmy") is None


# ---------------------------------------------------------------- a French CSV


def test_a_french_csv_with_semicolons_and_a_bom(cinema, tmp_path):
    report = cinema.import_file(_french(tmp_path), by="Lucie", now=AT)
    assert (report.rows, len(report.added), report.already, report.rejected) == (3, 3, 0, [])
    assert (report.holders_new, report.holders_existing, report.payments) == (2, 0, 1)
    assert report.delimiter == ";" and report.ignored == ["Remarque"]
    assert report.dates == {"subscription_date": "dmy", "payment_date": "dmy"}
    holders = cinema.holders(include_sin=True)
    assert holders["name"].tolist() == [SECRET_NAME, "Marc Roy"]
    assert _texts(holders["sin"]) == ["046454286", None]
    assert _texts(holders["language"]) == ["fr", "en"]
    assert _texts(holders["payment_method"]) == ["chèque", None]
    h = cinema.holdings()
    # 1 000 $ = 2 bonds of 500 $; 500 $ = 1; 1 500 $ = 3; interest from the issue date
    assert h["holder_id"].tolist() == [1, 2, 1]
    assert h["bonds"].tolist() == [2, 1, 3]
    assert h["principal_cents"].tolist() == [100_000, 50_000, 150_000]
    assert h["cash_cents"].tolist() == [100_000, 0, 0]  # the one payment date given
    assert [d.date() for d in h["subscribed_on"]] == [
        dt.date(2016, 11, 20),
        dt.date(2016, 12, 1),
        dt.date(2016, 12, 2),
    ]
    assert {d.date() for d in h["interest_start"]} == {dt.date(2017, 2, 1)}
    events = cinema.events()
    paid = events[events["kind"] == "payment_received"]
    assert paid["occurred_on"].dt.date.tolist() == [dt.date(2016, 11, 25)]
    assert set(events["reason"]) == {"importation de souscriptions.csv"}  # the register's fr
    assert cinema.check().ok


def test_a_cp1252_csv_with_tabs_and_first_and_last_names(cinema, tmp_path):
    rows = [
        ["Prénom", "Nom", "Série", "Nombre d'obligations", "Date"],
        ["Hélène", "Gagnon", "A", "2", "2016-12-05"],
    ]
    path = _csv(tmp_path / "liste.txt", rows, delimiter="\t", encoding="cp1252")
    report = cinema.import_file(path, reason="formulaires papier", by="Lucie")
    assert len(report.added) == 1
    assert cinema.holders()["name"].tolist() == ["Hélène Gagnon"]
    assert cinema.holdings()["bonds"].tolist() == [2]


# ---------------------------------------------------------------- XLSX and mapping


def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def test_an_xlsx_with_excel_dates_and_numbers_and_a_named_sheet(cinema, tmp_path):
    rows = [
        ["Full name", "E-mail", "SIN", "Series", "Bonds", "Subscription date", "Kind", "Country"],
        # a SIN Excel stored as a number lost its leading zero; a date cell; a number cell
        ["Café du Coin", "cafe@example.org", 46454286, "A", 4, dt.datetime(2016, 12, 24),
         "organisme", "Canada"],
    ]  # fmt: skip
    path = _xlsx(tmp_path / "list.xlsx", {"Notes": [["nothing here"]], "Subscriptions": rows})
    report = cinema.import_file(path, sheet="Subscriptions", by="Lucie")
    assert len(report.added) == 1
    holders = cinema.holders(include_sin=True)
    assert holders[["sin", "kind", "country"]].values.tolist() == [
        ["046454286", "corporation", "CA"]
    ]
    h = cinema.holdings()
    assert h["bonds"].tolist() == [4] and h["principal_cents"].tolist() == [200_000]
    assert h["subscribed_on"].dt.date.tolist() == [dt.date(2016, 12, 24)]
    with pytest.raises(RegisterError, match="no sheet"):
        cinema.import_file(path, sheet="Feuil1", by="Lucie")


def test_headers_that_do_not_match_are_named_with_a_mapping(cinema, tmp_path):
    rows = [
        ["Membre", "Courriel du membre", "Qté", "Série", "Reçu le", "Commentaire"],
        ["Lucie Tremblay", "lucie@example.org", "3", "A", "2016-11-16", "x"],
    ]
    path = _csv(tmp_path / "form.csv", rows, delimiter=",")
    with pytest.raises(RegisterError) as err:
        cinema.import_file(path, by="Lucie")
    text = err.value.render("en")
    # one clear error: what is missing, and the headers found
    assert "required columns not found: holder name, bonds or amount, subscription date" in text
    assert "headers found: Membre, Courriel du membre, Qté, Série, Reçu le, Commentaire" in text
    mapping = {
        "Membre": "name",
        "courriel du membre": "email",
        "Qté": "nombre d'obligations",
        "Reçu le": "subscription_date",
        "Commentaire": "ignore",
    }
    report = cinema.import_file(path, mapping=mapping, by="Lucie")
    assert len(report.added) == 1 and report.ignored == ["Commentaire"]
    assert cinema.holders()["email"].tolist() == ["lucie@example.org"]
    assert cinema.holdings()["bonds"].tolist() == [3]
    with pytest.raises(RegisterError, match="no such field"):
        cinema.import_file(path, mapping={"Membre": "nickname"}, by="Lucie")


# ---------------------------------------------------------------- bad files


def test_every_problem_of_a_bad_file_at_once_and_nothing_written(cinema, tmp_path):
    before = cinema.digest()
    rows = [
        FRENCH_HEADERS,
        [SECRET_NAME, "", SECRET_EMAIL, BAD_SIN, "B", "1 000", "2016-11-20", "", "", "", ""],
        ["Marc Roy", "", "", "", "A", "750", "2016-11-20", "", "", "de", ""],
        ["Julie Roy", "", "", "", "A", "12 000,00 $", "2016-10-01", "", "", "", ""],
        ["Paul Roy", "", "", "", "A", "500", "2016-12-01", "2016-11-30", "", "", ""],
        ["", "", "", "", "A", "", "2016-12-01", "", "", "", ""],
        ["Anne Roy", "", "", "", "A", "500", "2017-02-30", "", "", "", ""],
    ]
    path = _csv(tmp_path / "bad.csv", rows)
    with pytest.raises(RegisterError) as err:
        cinema.import_file(path, by="Lucie")
    lines = err.value.render("en").splitlines()
    assert lines[0].startswith("bad.csv: nothing was imported: problems: 10, in rows: 6")
    assert lines[1:] == [
        'row 2, column "NAS": is not a valid social insurance number (9 digits whose last is a '
        "check digit); it is not repeated here",
        'row 2, column "Série": no series has this id (series ids: A) (you wrote B)',
        'row 3, column "Montant": is not a whole number of bonds of 500.00 (series A) '
        "(you wrote 750)",
        'row 3, column "Langue": must be fr or en (français, anglais, French, English) '
        "(you wrote de)",
        'row 4, column "Date de souscription": must be within the campaign, 2016-11-15 to '
        "2017-01-31 (you wrote 2016-10-01)",
        'row 4, column "Montant": brings the holder\'s total to 12000.00, above the maximum '
        "per investor, 10000.00 (you wrote 12 000,00 $)",
        'row 5, column "Date de paiement": must not be before the subscription date, '
        "2016-12-01 (you wrote 2016-11-30)",
        'row 6, column "Nom complet": required (missing)',
        'row 6, column "Montant": required (missing)',
        'row 7, column "Date de souscription": must be a date such as 2016-11-20 or 20/11/2016 '
        "(the year in 4 digits) (you wrote 2017-02-30)",
    ]
    _no_secret(err.value.render("en"), err.value.render("fr"))
    assert cinema.digest() == before


def test_the_limits_count_the_register_and_the_rows_above(cinema, tmp_path):
    cinema.add_subscription(name="Lucie Tremblay", email="lucie@example.org", series="A",
                            bonds=16, subscribed_on="2016-11-20", reason="paper form")  # fmt: skip
    rows = [
        ["Name", "Email", "Series", "Amount", "Subscription date"],
        # 8 000 $ held + 1 000 $ = 9 000 $: within 10 000 $
        ["lucie  TREMBLAY", "Lucie@Example.org", "A", "1000", "2016-12-01"],
        # + 1 500 $ = 10 500 $: over
        ["Lucie Tremblay", "lucie@example.org", "A", "1500", "2016-12-02"],
        # a holder of its own (no e-mail): not counted with her
        ["Lucie Tremblay", "", "A", "1500", "2016-12-02"],
        ["Marc Roy", "", "A", "250", "2016-12-02"],  # under the 500 $ minimum
    ]
    path = _csv(tmp_path / "more.csv", rows, delimiter=",")
    report = cinema.import_file(path, keep_good=True, by="Lucie")
    assert [r.row for r in report.rejected] == [3, 5]
    assert [str(p) for r in report.rejected for p in r.problems] == [
        'row 3, column "Amount": brings the holder\'s total to 10500.00, above the maximum per '
        "investor, 10000.00 (you wrote 1500)",
        'row 5, column "Amount": is not a whole number of bonds of 500.00 (series A) '
        "(you wrote 250)",
    ]
    assert (report.holders_new, report.holders_existing) == (1, 1)
    assert cinema.holdings()["holder_id"].tolist() == [1, 1, 2]


def test_a_full_series_takes_rows_first_come_first_served(cinema, tmp_path):
    rows = [["Nom", "Série", "Obligations", "Date"]]
    rows += [[f"Membre {i}", "A", "20", "2016-12-01"] for i in range(11)]  # 220 > 200 bonds
    path = _csv(tmp_path / "full.csv", rows)
    with pytest.raises(RegisterError) as err:
        cinema.import_file(path, by="Lucie")
    assert err.value.problems[0].render("en") == (
        'row 12, column "Obligations": 20 bonds asked, but only 0 of the 200 bonds of the '
        "series are left"
    )
    assert len(cinema.holdings()) == 0


def test_dates_a_column_cannot_tell_are_refused_until_dates_says(cinema, tmp_path):
    rows = [["Nom", "Série", "Obligations", "Date"],
            ["Ann", "A", "1", "12/01/2017"], ["Bob", "A", "1", "01/12/2016"]]  # fmt: skip
    path = _csv(tmp_path / "dates.csv", rows)
    with pytest.raises(RegisterError) as err:
        cinema.import_file(path, by="Lucie")
    assert "--dates dmy or --dates mdy" in err.value.render("en")
    assert err.value.problems[0].render("fr").startswith("colonne « Date » : impossible")
    cinema.import_file(path, dates="dmy", by="Lucie")
    assert cinema.holdings()["subscribed_on"].dt.date.tolist() == [
        dt.date(2017, 1, 12),
        dt.date(2016, 12, 1),
    ]
    mixed = _csv(tmp_path / "mixed.csv", [rows[0], ["Cid", "A", "1", "20/11/2016"],
                                          ["Dan", "A", "1", "11/20/2016"]])  # fmt: skip
    with pytest.raises(RegisterError, match="mixes day-first dates"):
        cinema.import_file(mixed, by="Lucie")


# ---------------------------------------------------------------- imported once


def test_the_same_file_twice_adds_nothing_and_an_extended_file_only_its_new_rows(cinema, tmp_path):
    path = _french(tmp_path)
    cinema.import_file(path, by="Lucie", now=AT)
    after_first = cinema.digest()
    again = cinema.import_file(path, by="Lucie", now=AT)
    assert (again.added, again.already, again.holders_new) == ([], 3, 0)
    assert cinema.digest() == after_first
    # the same rows, re-exported with other formats, and two new rows: one identical to
    # row 3 (a second subscription of the same amount the same day) and one new holder
    extended = [
        ["Nom complet", "Courriel", "NAS", "Série", "Montant", "Date de souscription"],
        [SECRET_NAME, SECRET_EMAIL, "046-454-286", "A", "1000", "2016-11-20"],
        ["Marc Roy", "marc@example.org", "", "A", "500,00", "2016-12-01"],
        ["Zebulon Quartzpersonne", "", "046454286", "A", "1500", "2016-12-02"],
        ["Marc Roy", "marc@example.org", "", "A", "500,00", "2016-12-01"],
        ["Rita Roy", "", "", "A", "2 500", "2017-01-10"],
    ]
    more = cinema.import_file(_csv(tmp_path / "export-2.csv", extended), by="Lucie")
    assert (len(more.added), more.already) == (2, 3)
    assert (more.holders_new, more.holders_existing) == (1, 1)
    assert cinema.holdings()["bonds"].tolist() == [2, 1, 3, 1, 5]
    assert len(cinema.holders()) == 3


# ---------------------------------------------------------------- the simulated register


def test_the_simulated_register_is_imported_through_the_same_path(tmp_path):
    import bondkit as bk

    sc = load_example("grand-costumier-2016").with_changes(
        {"campaign.simulations": 200, "risk.paths": 200}
    )
    frame = bk.run(sc).campaign_register
    kept = frame[frame["amount"] > 0]
    with Register.create(tmp_path / "gc.db", sc, by="Lucie") as reg:
        report = reg.import_simulated(frame, by="Lucie")
        assert len(report.added) == report.holders_new == len(kept) > 0
        assert reg.holders()["name"].tolist() == kept["subscriber"].tolist()
        assert reg.holdings()["principal_cents"].sum() == kept["amount"].sum()
        assert reg.check().ok
        again = reg.import_simulated(frame, by="Lucie")
        assert (again.added, again.already) == ([], len(kept))


def test_register_import_simulated_runs_the_register_s_own_scenario(tmp_path):
    db = tmp_path / "demo.db"
    Register.create(db, load_example("grand-costumier-2016"), by="Lucie").close()
    result = _cli(str(db), "--simulated", "--by", "Lucie", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "registre simulé" not in result.stdout and "added: " in result.stdout
    with Register(db) as reg:
        assert len(reg.holdings()) > 0 and reg.check().ok
        assert set(reg.events()["reason"]) == {
            "import of simulated register of Le Grand Costumier 2016, seed 2016"
        }
    assert _cli(str(db), "--simulated", "--lang", "en").stdout.count("added: 0;") == 1


# ---------------------------------------------------------------- the command line


def test_register_import_prints_counts_never_a_name_or_a_sin(cinema, tmp_path):
    db = cinema.path
    result = _cli(str(db), str(_french(tmp_path)), "--by", "Lucie", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "imported souscriptions.csv: rows read: 3; added: 3; already imported: 0; rejected: 0; "
        "holders: 2 new, 0 already in the register; payments recorded: 1"
    )
    assert result.stderr.strip() == "columns ignored: Remarque"
    _no_secret(result.stdout, result.stderr)
    bad = _french(tmp_path, [["=HYPERLINK(\"http://x\")", "", "", BAD_SIN, "A", "-5", "", "",
                              "", "", ""]])  # fmt: skip
    result = _cli(str(db), str(bad), "--lang", "fr")
    assert result.exit_code == 2
    assert "ligne 5, colonne « NAS »" in result.stderr and "HYPERLINK" not in result.stderr
    _no_secret(result.stdout, result.stderr)


def test_keep_good_imports_the_good_rows_and_writes_the_bad_ones(cinema, tmp_path):
    db, rejects = cinema.path, tmp_path / "rejets.csv"
    rows = [
        ["Nom", "NAS", "Série", "Montant", "Date"],
        ['=HYPERLINK("http://evil.example","clic")', "", "A", "500", "2016-12-01"],
        [SECRET_NAME, BAD_SIN, "A", "500", "2016-12-01"],
        ["-Marc Roy", "", "A", "700", "2016-12-01"],
    ]
    path = _csv(tmp_path / "mix.csv", rows)
    assert _cli(str(db), str(path), "--keep-good").exit_code == 2  # --rejects is needed
    result = _cli(str(db), str(path), "--keep-good", "--rejects", str(rejects), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "added: 1; already imported: 0; rejected: 2" in result.stdout
    assert f"rejected rows: 2, written with their problems to {rejects}" in result.stderr
    _no_secret(result.stdout, result.stderr)
    assert stat.S_IMODE(os.stat(rejects).st_mode) == 0o600
    text = rejects.read_bytes().decode("utf-8-sig")
    written = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert written[0] == ["Nom", "NAS", "Série", "Montant", "Date", "problem"]
    assert written[1][:5] == [SECRET_NAME, BAD_SIN, "A", "500", "2016-12-01"]
    assert written[1][5].startswith('row 3, column "NAS": is not a valid social insurance')
    assert written[2][:4] == ["'-Marc Roy", "", "A", "700"]  # text, never a formula
    # the name that looks like a formula is stored as the text it is
    assert cinema.holders()["name"].tolist() == ['=HYPERLINK("http://evil.example","clic")']
    again = _cli(str(db), str(path), "--keep-good", "--rejects", str(rejects))
    assert again.exit_code == 2 and "existe déjà" in again.stderr  # the register's French


def test_register_import_refuses_bad_arguments_and_files(cinema, tmp_path):
    db = str(cinema.path)
    before = cinema.digest()
    assert _cli(db).exit_code == 2  # neither FILE nor --simulated
    assert _cli(db, str(tmp_path / "nope.csv")).exit_code == 2
    (tmp_path / "x.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    result = _cli(db, str(tmp_path / "x.xls"), "--lang", "en")
    assert result.exit_code == 2 and "save it as CSV (UTF-8) or XLSX" in result.stderr
    result = _cli(db, str(_french(tmp_path)), "--map", "no equals sign")
    assert result.exit_code == 2 and "--map" in result.stderr
    assert cinema.digest() == before
