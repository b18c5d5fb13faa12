"""French first on the command line (issue #15): hints for the natural typing mistakes of
a scenario file, click's own usage errors in the run's language, the schedule table in
French, and one rule for showing rates and percentages.

Expected texts are written here by hand (the French as a reader would want it), never
taken from the code under test."""

from __future__ import annotations

import ast
import json
import re
import textwrap
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.errors import ScenarioError
from bondkit.labels import LABELS, percent_format, percent_text
from bondkit.scenario import parse_scenario
from bondkit.scenario.hints import date_hint, number_hint

NBSP = "\u00a0"
ROOT = Path(__file__).resolve().parents[1]
CINEMA = ROOT / "scenarios" / "cinema-du-parc-2016.toml"

#: a French co-op's issue, as the starter of ``bondkit init --lang fr`` has it, valid
COOP = """\
[scenario]
name = "Coop des Voisins 2027"
language = "fr"
currency = "CAD"

[issuer]
name = "Coop des Voisins"
legal_form = "coop"
fiscal_year_end = "03-31"

[[series]]
id = "A"
amount = 150_000
face_value = 500
annual_rate = 0.04
issue_date = 2027-01-15
term_years = 5
repayment = "bullet"

[costs]
upfront = 3_000
annual_admin = 500
"""

#: each typing mistake: (what the valid line is, what was typed instead)
MISTAKES = {
    "amount": ("amount = 150_000", "amount = 150 000"),
    "annual_rate": ("annual_rate = 0.04", "annual_rate = 0,04"),
    "issue_date": ("issue_date = 2027-01-15", "issue_date = 15/01/2027"),
    "upfront": ("upfront = 3_000", "upfront = 3 000 $"),
    "annual_admin": ("annual_admin = 500", "annual_admin = 500,50"),
}


def _typed(text: str = COOP, keys: tuple[str, ...] = tuple(MISTAKES)) -> str:
    for key in keys:
        good, bad = MISTAKES[key]
        assert text.count(good) == 1
        text = text.replace(good, bad)
    return text


def _write(tmp_path: Path, text: str, name: str = "coop.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# ---------------------------------------------------------------- hints, in the file's text


def test_every_mistake_of_the_file_is_listed_at_once_in_french(runner, tmp_path):
    text = _typed()
    path = _write(tmp_path, text)
    result = runner.invoke(main, ["validate", str(path)])  # the file says language = "fr"
    assert result.exit_code == 2 and result.stdout == ""
    n = {key: _line_of(text, MISTAKES[key][1]) for key in MISTAKES}
    assert result.stderr.splitlines() == [
        "series[1].amount : un nombre s'écrit sans espace : écrivez 150_000 ou 150000 "
        f"(vous avez écrit 150 000 à la ligne {n['amount']}, colonne 10)",
        "series[1].annual_rate : un nombre s'écrit avec un point décimal, pas une virgule : "
        f"écrivez 0.04 (vous avez écrit 0,04 à la ligne {n['annual_rate']}, colonne 15)",
        "series[1].issue_date : une date s'écrit année-mois-jour, sans guillemets : écrivez "
        f"2027-01-15 (vous avez écrit 15/01/2027 à la ligne {n['issue_date']}, colonne 14)",
        "costs.upfront : un montant s'écrit sans symbole de devise (la devise est celle de "
        "[scenario] currency) : écrivez 3_000 ou 3000 "
        f"(vous avez écrit 3 000 $ à la ligne {n['upfront']}, colonne 11)",
        "costs.annual_admin : un nombre s'écrit avec un point décimal, pas une virgule : "
        f"écrivez 500.50 (vous avez écrit 500,50 à la ligne {n['annual_admin']}, colonne 16)",
    ]


def test_the_hints_in_english_with_lang_en(runner, tmp_path):
    text = _typed(keys=("amount", "annual_rate"))
    result = runner.invoke(main, ["validate", str(_write(tmp_path, text)), "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "series[1].amount: a number has no spaces inside: write 150_000 or 150000 "
        f"(you wrote 150 000 at line {_line_of(text, '150 000')}, column 10)",
        "series[1].annual_rate: a number takes a decimal point, not a comma: write 0.04 "
        f"(you wrote 0,04 at line {_line_of(text, '0,04')}, column 15)",
    ]


def test_a_file_that_names_no_language_gets_english(runner, tmp_path):
    text = _typed(keys=("annual_rate",)).replace('language = "fr"\n', "")
    result = runner.invoke(main, ["validate", str(_write(tmp_path, text))])
    assert result.exit_code == 2
    assert result.stderr.startswith("series[1].annual_rate: a number takes a decimal point")


def test_one_correction_as_the_hints_say_makes_the_file_valid(runner, tmp_path):
    path = _write(tmp_path, _typed())
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 2
    fixed = path.read_text(encoding="utf-8")
    for bad, good in [
        ("150 000", "150_000"),
        ("0,04", "0.04"),
        ("15/01/2027", "2027-01-15"),
        ("3 000 $", "3_000"),
        ("500,50", "500.50"),
    ]:  # what each hint says to write, done once
        fixed = fixed.replace(bad, good)
    path.write_text(fixed, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK ")


def test_the_rest_of_the_file_is_checked_in_the_same_go(runner, tmp_path):
    """The hints, then the problems of the rest of the file as if they were followed; not
    the hinted keys again (they would quote values the user did not write)."""
    text = _typed(keys=("amount", "annual_rate")).replace("term_years = 5", "term = 5")
    text = text.replace('repayment = "bullet"', 'repayment = "balloon"')
    result = runner.invoke(main, ["validate", str(_write(tmp_path, text)), "--lang", "en"])
    lines = result.stderr.splitlines()
    assert result.exit_code == 2 and len(lines) == 5, lines
    assert lines[0].startswith("series[1].amount: a number has no spaces inside")
    assert lines[1].startswith("series[1].annual_rate: a number takes a decimal point")
    assert lines[2:] == [
        "series[1].term_years: required (missing): give term_years or maturity_date",
        "series[1].repayment: must be one of bullet, accumulating, level-payment, "
        'level-principal, sculpted (you wrote "balloon")',
        "series[1].term: unknown key (did you mean term_years?)",
    ]


def test_a_syntax_error_the_hints_do_not_explain_is_listed_too(tmp_path):
    text = _typed(keys=("annual_rate",)).replace("[issuer]", "[issuer")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, source="coop.toml")
    lines = info.value.render("fr").splitlines()
    assert lines == [
        "coop.toml : erreur de syntaxe TOML : ']' attendu à la fin d'un en-tête de table "
        f"(à la ligne {_line_of(text, '[issuer')}, colonne 8)",
        "series[1].annual_rate : un nombre s'écrit avec un point décimal, pas une virgule : "
        f"écrivez 0.04 (vous avez écrit 0,04 à la ligne {_line_of(text, '0,04')}, colonne 15)",
    ]
    assert info.value.language == "fr"


def test_run_writes_nothing_for_a_file_with_hints(runner, tmp_path):
    out = tmp_path / "out"
    path = _write(tmp_path, _typed(keys=("upfront",)))
    result = runner.invoke(main, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("costs.upfront : un montant s'écrit sans symbole de devise")
    assert not out.exists()


def test_numbers_and_dates_in_an_array_or_inline_table(tmp_path):
    text = (
        COOP.replace(
            'repayment = "bullet"',
            'repayment = "bullet"\nstep_rates = [{ from_year = 3, annual_rate = 4,5 % }]',
        )
        + "\n[capacity]\ncash_flow = [45 000, 47 000,\n  49 000 $]\nopening_cash = 4_000\n"
    )
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text)
    lines = info.value.render("en").splitlines()
    at = _line_of(text, "cash_flow")
    assert lines == [
        "series[1].step_rates: a rate or a share is a fraction, written without %: write 0.045 "
        f"(you wrote 4,5 % at line {_line_of(text, 'step_rates')}, column 46)",
        "capacity.cash_flow: a number has no spaces inside: write 45_000 or 45000 "
        f"(you wrote 45 000 at line {at}, column 14)",
        "capacity.cash_flow: a number has no spaces inside: write 47_000 or 47000 "
        f"(you wrote 47 000 at line {at}, column 22)",
        "capacity.cash_flow: an amount is written without a currency symbol (the currency "
        "is [scenario] currency): write 49_000 or 49000 "
        f"(you wrote 49 000 $ at line {at + 1}, column 3)",
    ]


def test_text_in_strings_and_comments_is_never_hinted(tmp_path):
    """A value that is TOML (a name with 150 000 $ in it, a comment of 0,04) has no hint,
    even when another line has a syntax error; a valid file is read as before."""
    text = COOP.replace('name = "Coop des Voisins"', 'name = "Coop 150 000 $ 0,04 15/01/2027"')
    text = text.replace("annual_rate = 0.04", "annual_rate = 0.04  # 4,5 % au lieu de 0,04 ?")
    assert parse_scenario(text).issuer.name == "Coop 150 000 $ 0,04 15/01/2027"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text.replace('id = "A"', "id = A"), source="coop.toml")
    assert [p.location for p in info.value.problems] == ["coop.toml"]


@pytest.mark.parametrize(
    ("written", "toml"),
    [
        ("0,04", "0.04"),
        ("0,075", "0.075"),
        ("150 000", "150_000"),
        (f"150{NBSP}000", "150_000"),
        ("150\u202f000,50", "150_000.50"),  # a narrow no-break space, a decimal comma
        ("100 000 $", "100_000"),
        ("100 000$", "100_000"),
        ("$100,000", "100_000"),
        ("100,000", "100_000"),
        ("1,250,000.50", "1_250_000.50"),
        ("1.250.000,50", "1_250_000.50"),
        ("4 %", "0.04"),
        ("4%", "0.04"),
        ("4,5 %", "0.045"),
        ("2 500 CAD", "2_500"),
        ("-1 000", "-1_000"),
    ],
)
def test_how_each_number_is_to_be_written(written, toml):
    hint = number_hint(written)
    assert hint is not None and hint.toml == toml


@pytest.mark.parametrize(
    "written", ["0.04", "150000", "1_000", "-3", "+4.5", "quatre", "1 2", "4 ans"]
)
def test_a_toml_number_or_no_number_has_no_hint(written):
    assert number_hint(written) is None


def test_a_comma_that_may_be_either_says_both():
    hint = number_hint("1,500")
    assert hint is not None
    assert hint.message.render("fr") == (
        "un nombre s'écrit sans virgule : écrivez 1.5 avec un point décimal, ou 1_500 "
        "sans séparateur de milliers"
    )


@pytest.mark.parametrize(
    ("written", "iso", "read_as"),
    [
        ("15/01/2027", "2027-01-15", False),
        ("15.01.2027", "2027-01-15", False),
        ("15-01-2027", "2027-01-15", False),
        ("2027/01/15", "2027-01-15", False),
        ("2027-1-5", "2027-01-05", False),
        ("01/02/2027", "2027-02-01", True),  # day first, and said so
        ("01/15/2027", "2027-01-15", False),  # only month first is a date
    ],
)
def test_how_each_date_is_to_be_written(written, iso, read_as):
    hint = date_hint(written)
    assert hint is not None and hint.toml == iso
    assert ("(lu comme jour/mois/année)" in hint.message.render("fr")) is read_as


def test_a_date_that_does_not_exist_is_said_so():
    hint = date_hint("31/02/2027")
    assert hint is not None and hint.toml is None
    assert hint.message.render("fr").startswith("n'est pas une date")
    assert date_hint("2027-01-15") is None


@pytest.mark.parametrize(
    ("key", "quoted", "expected"),
    [
        ("annual_rate", '"0,04"', "un nombre s'écrit avec un point décimal, pas une virgule : écrivez 0.04"),
        ("annual_rate", '"4 %"', "un taux ou une part s'écrit en fraction, sans % : écrivez 0.04"),
        ("amount", '"150 000"', "un nombre s'écrit sans espace : écrivez 150_000 ou 150000"),
        ("issue_date", '"15/01/2027"', "une date s'écrit année-mois-jour, sans guillemets : écrivez 2027-01-15"),
    ],
)  # fmt: skip
def test_a_quoted_value_gets_the_same_hint_from_its_check(key, quoted, expected):
    good = {"annual_rate": "0.04", "amount": "150_000", "issue_date": "2027-01-15"}[key]
    text = COOP.replace(f"{key} = {good}", f"{key} = {quoted}")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text)
    assert info.value.render("fr") == (f"series[1].{key} : {expected} (vous avez écrit {quoted})")


def test_a_whole_number_in_quotes_gets_its_hint():
    text = COOP + '\n[campaign]\nsimulations = "10 000"\n'
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text)
    assert 'campaign.simulations: a number has no spaces inside: write 10_000 or 10000 (you wrote "10 000")' in str(info.value)  # fmt: skip


def test_compare_names_the_file_of_each_hint(runner, tmp_path):
    bad = _write(tmp_path, _typed(keys=("annual_rate",)), "a.toml")
    good = _write(tmp_path, COOP, "b.toml")
    result = runner.invoke(main, ["compare", str(bad), str(good), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad} : series[1].annual_rate : un nombre s'écrit avec")


# ---------------------------------------------------------------- click's own words


def test_a_missing_argument_in_french(runner):
    result = runner.invoke(main, ["validate", "--lang", "fr"], prog_name="bondkit")
    assert result.exit_code == 2
    assert result.stderr == (
        "Utilisation : bondkit validate [OPTIONS] FILE\n"
        "Pour l'aide, tapez 'bondkit validate --help'.\n"
        "\n"
        "Erreur : Il manque l'argument 'FILE'.\n"
    )


def test_a_bad_choice_and_an_unknown_option_and_command_in_french(runner):
    result = runner.invoke(main, ["schedule", str(CINEMA), "--format", "xml", "--lang", "fr"])
    assert result.stderr.splitlines()[-1] == (
        "Erreur : Valeur invalide pour '--format' : 'xml' n'est pas une des valeurs "
        "possibles : 'csv', 'json', 'table'."
    )
    result = runner.invoke(main, ["schedule", str(CINEMA), "--lnag", "fr", "--lang", "fr"])
    assert result.stderr.splitlines()[-1] == (
        "Erreur : Option inconnue : '--lnag'. Vouliez-vous dire '--lang'?"
    )
    result = runner.invoke(main, ["valdate", "x.toml", "--lang=fr"])
    assert result.stderr.splitlines()[-1] == (
        "Erreur : Commande inconnue : 'valdate'. Vouliez-vous dire 'validate'?"
    )
    result = runner.invoke(main, ["validate", "a.toml", "b.toml", "--lang", "fr"])
    assert result.stderr.splitlines()[-1] == "Erreur : Argument en trop (b.toml)"


def test_a_folder_for_a_file_in_french(runner, tmp_path):
    result = runner.invoke(main, ["run", str(tmp_path), "--lang", "fr"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Erreur : Valeur invalide pour 'FILE' : Fichier '{tmp_path}' : c'est un dossier."
    )


def test_click_s_words_follow_the_scenario_s_language_and_lang_en(runner, tmp_path):
    french = _write(tmp_path, COOP)
    result = runner.invoke(main, ["schedule", str(french), "--format", "pdf"])
    assert result.exit_code == 2 and "Erreur : Valeur invalide pour '--format'" in result.stderr
    assert result.stderr.startswith("Utilisation : ")
    result = runner.invoke(main, ["schedule", str(french), "--format", "pdf", "--lang", "en"])
    assert result.stderr.startswith("Usage: ")
    assert "Error: Invalid value for '--format': 'pdf' is not one of" in result.stderr
    # no --lang and no scenario file: English, as click writes it
    result = runner.invoke(main, ["validate"])
    assert result.stderr.splitlines()[-1] == "Error: Missing argument 'FILE'."


def test_click_is_left_as_it_was(runner):
    runner.invoke(main, ["validate", "--lang", "fr"])
    with pytest.raises(click.UsageError) as info:
        main.main(["validate"], standalone_mode=False)
    assert info.value.format_message() == "Missing argument 'FILE'."
    import gettext

    assert click.exceptions._ is gettext.gettext  # type: ignore[attr-defined]


def _click_ids() -> set[str]:
    """Every text click passes to gettext, read from its source."""
    ids = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
                ids |= {
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                }
    return ids


def test_every_click_label_is_one_of_click_s_texts():
    """The labels are looked up by click's English text: a new version of click that words
    a message otherwise leaves it in English, and this test says which."""
    ids = _click_ids()
    assert len(ids) > 50  # the scan does find them
    ours = {key: en for key, (en, _) in LABELS.items() if key.startswith("cli.click.")}
    kinds = {"cli.click.kind_file", "cli.click.kind_directory", "cli.click.kind_path"}
    assert kinds <= set(ours)
    # "required" reaches gettext from a dict (``_(extra["required"])``), not as a literal
    missing = [key for key, en in ours.items() if key not in kinds and en not in ids | {"required"}]
    assert not missing
    assert {"file", "directory", "path"} <= ids


# ---------------------------------------------------------------- the schedule table


def test_the_schedule_table_of_a_french_scenario_is_french(runner):
    result = runner.invoke(main, ["schedule", str(CINEMA)])
    assert result.exit_code == 0
    header, rule, row = result.stdout.splitlines()
    assert re.split(r" {2,}", header) == [
        "Série", "Période", "Date de paiement", "Solde d'ouverture", "Intérêts", "Capital",
        "Versement", "Solde de clôture",
    ]  # fmt: skip
    # Cinéma du Parc: 100 000 $ accumulating at 2 % compound for 5 years: 10 408,08 $
    assert row.split(" ") and [c for c in row.split(" ") if c] == [
        "A", "1", "2022-02-01", f"100{NBSP}000,00", f"10{NBSP}408,08", f"100{NBSP}000,00",
        f"110{NBSP}408,08", "0,00",
    ]  # fmt: skip
    english = runner.invoke(main, ["schedule", str(CINEMA), "--lang", "en"]).stdout
    assert "110,408.08" in english and english.startswith("series  period  date")


def test_csv_and_json_keep_their_contract_in_french(runner):
    csv = runner.invoke(main, ["schedule", str(CINEMA), "--format", "csv", "--lang", "fr"])
    assert csv.stdout == (
        "series,period,date,opening_balance,interest,principal,payment,closing_balance\n"
        "A,1,2022-02-01,100000.00,10408.08,100000.00,110408.08,0.00\n"
    )
    out = runner.invoke(main, ["schedule", str(CINEMA), "--format", "json", "--lang", "fr"])
    assert json.loads(out.stdout)[0]["payment"] == 110408.08 and NBSP not in out.stdout


# ---------------------------------------------------------------- one rule for rates


def test_one_rule_for_rates_and_percentages():
    assert [percent_text(x, "fr") for x in (0.04, 0.039973, 0.050903, 1.0)] == [
        f"4,00{NBSP}%", f"4,00{NBSP}%", f"5,09{NBSP}%", f"100,00{NBSP}%"
    ]  # fmt: skip
    assert [percent_text(x, "en") for x in (0.04, 0.039973, 0.050903)] == [
        "4.00%",
        "4.00%",
        "5.09%",
    ]
    assert percent_format("en") == "0.00%" and percent_format("fr") == f'0.00"{NBSP}"%'


def test_the_terminal_shows_every_percentage_by_the_rule(runner, tmp_path):
    from scenario_texts import CONTRACT

    for lang in ("fr", "en"):
        path = _write(tmp_path, CONTRACT.format(lang=lang, issuer="Coop"), f"s-{lang}.toml")
        result = runner.invoke(main, ["run", str(path), "--out", str(tmp_path / lang), "--charts", "none"])  # fmt: skip
        assert result.exit_code == 0, result.stderr
        shown = re.findall(r"[\d,. \u00a0]*%", result.stdout)
        assert shown
        for text in shown:
            body = text.strip(" ")
            if lang == "fr":  # 4,11 % (a chance in a sentence: 98 %)
                assert re.fullmatch(r"\d+(,\d\d)?\u00a0%", body), body
            else:
                assert re.fullmatch(r"\d+(\.\d\d)?%", body), body


def test_the_workbook_shows_every_percentage_by_the_rule(runner, tmp_path):
    from scenario_texts import CONTRACT

    for lang, code in (("fr", f'0.00"{NBSP}"%'), ("en", "0.00%")):
        path = _write(tmp_path, CONTRACT.format(lang=lang, issuer="Coop"), f"w-{lang}.toml")
        out = tmp_path / f"out-{lang}"
        result = runner.invoke(main, ["run", str(path), "--out", str(out), "--charts", "none"])
        assert result.exit_code == 0, result.stderr
        book = openpyxl.load_workbook(out / f"w-{lang}.xlsx")
        formats = {
            cell.number_format
            for ws in book.worksheets
            for row in ws.iter_rows()
            for cell in row
            if "%" in cell.number_format
        }
        assert formats, lang
        assert {f.removeprefix("[$-C0C]") for f in formats} == {code}, formats
