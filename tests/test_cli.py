"""The command line, through click's CliRunner: exact outputs, exit codes, files written."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from scenario_texts import CONTRACT

from bondkit import __version__
from bondkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
CINEMA = ROOT / "scenarios" / "cinema-du-parc-2016.toml"
COSTUMIER = ROOT / "scenarios" / "grand-costumier-2016.toml"
SOLAR = ROOT / "scenarios" / "solar-coop-multi-series.toml"

CONTRACT_TOML = CONTRACT.format(lang="fr", issuer="Cinéma du Parc")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"bondkit, version {__version__}\n"


def test_help_lists_the_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "schedule", "run", "init"):
        assert f"  {command}" in result.stdout


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from bondkit.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'numpy', 'matplotlib', 'openpyxl', 'xlsxwriter') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "HEAVY:"


def test_python_dash_m_bondkit():
    out = subprocess.run(
        [sys.executable, "-m", "bondkit", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and __version__ in out.stdout


def test_validate_ok(runner):
    result = runner.invoke(main, ["validate", str(CINEMA), "--lang", "en"])
    assert result.exit_code == 0
    assert result.stdout == (
        f"OK {CINEMA}: 'Cinéma du Parc 2016', 1 series, 100000.00 CAD, 2017-02-01 to 2022-02-01\n"
    )


def test_validate_ok_in_the_scenario_s_language(runner):
    # the cinema's scenario says language = "fr": without --lang, the line is in French
    result = runner.invoke(main, ["validate", str(CINEMA)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"OK {CINEMA} : 'Cinéma du Parc 2016', 1 série, 100000.00 CAD, "
        "du 2017-02-01 au 2022-02-01\n"
    )
    solar = runner.invoke(main, ["validate", str(SOLAR), "--lang", "fr"])
    assert solar.exit_code == 0
    assert solar.stdout.startswith(f"OK {SOLAR} : ") and ", 3 séries, " in solar.stdout


def test_schedule_csv_contract_example(runner, tmp_path):
    path = write(tmp_path, CONTRACT_TOML)
    result = runner.invoke(main, ["schedule", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "series,period,date,opening_balance,interest,principal,payment,closing_balance\n"
        "A,1,2022-02-01,100000.00,10408.08,100000.00,110408.08,0.00\n"
    )


def test_schedule_json_simple_interest(runner):
    # 20 000 $ at 2 % simple for 5 years of 30/360: 2 000 $ of interest, all at maturity
    result = runner.invoke(main, ["schedule", str(COSTUMIER), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "series": "A",
            "period": 1,
            "date": "2021-09-01",
            "opening_balance": 20000.0,
            "interest": 2000.0,
            "principal": 20000.0,
            "payment": 22000.0,
            "closing_balance": 0.0,
        }
    ]


def test_schedule_csv_multi_series_order_and_totals(runner):
    result = runner.invoke(main, ["schedule", str(SOLAR), "--format", "csv"])
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and all("\r" not in line for line in lines)
    rows = [line.split(",") for line in lines[1:-1]]
    # series in file order, then by date; periods numbered from 1 within each series
    assert [r[0] for r in rows] == ["A-3y"] * 3 + ["B-5y"] * 10 + ["C-7y"] * 28
    for sid, amount in (("A-3y", "100000.00"), ("B-5y", "150000.00"), ("C-7y", "250000.00")):
        own = [r for r in rows if r[0] == sid]
        assert [int(r[1]) for r in own] == list(range(1, len(own) + 1))
        assert [r[2] for r in own] == sorted(r[2] for r in own)
        assert sum(int(r[5].replace(".", "")) for r in own) == int(amount.replace(".", ""))
        assert own[-1][7] == "0.00"
    # A: 3 % on 100 000 $ every year (30/360 annual): 3 000.00
    assert [r[4] for r in rows[:3]] == ["3000.00"] * 3
    # B: 4 % semi-annual on 150 000 $: 3 000.00 each half-year
    assert {r[4] for r in rows[3:13]} == {"3000.00"}


def test_schedule_table_is_readable(runner):
    result = runner.invoke(main, ["schedule", str(CINEMA), "--lang", "en"])
    assert result.exit_code == 0
    assert "110,408.08" in result.stdout
    assert result.stdout.splitlines()[0].split() == [
        "series", "period", "date", "opening_balance", "interest", "principal", "payment", "closing_balance"
    ]  # fmt: skip
    # the Cinéma's scenario is French: its table too (tests/test_french_first.py)
    result = runner.invoke(main, ["schedule", str(CINEMA)])
    assert "110\u00a0408,08" in result.stdout and result.stdout.startswith("Série  Période")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'issue_date = 2025-01-15\nterm_years = 5\nrepayment = "bullet"\n',
            "series[1].annual_rate: required (missing)",
        ),
        (
            'annual_rate = 0.04\nissue_date = 2025-01-15\nterm_years = 5\nrepayment = "bullet"\ncolour = "red"\n',
            "series[1].colour: unknown key",
        ),
        (
            'annual_rate = "4%"\nissue_date = 2025-01-15\nterm_years = 5\nrepayment = "bullet"\n',
            "series[1].annual_rate:",
        ),
        (
            'annual_rate = -0.02\nissue_date = 2025-01-15\nterm_years = 5\nrepayment = "bullet"\n',
            "series[1].annual_rate: must not be negative (you wrote -0.02)",
        ),
        (
            'annual_rate = 4\nissue_date = 2025-01-15\nterm_years = 5\nrepayment = "bullet"\n',
            "series[1].annual_rate: must be a fraction such as 0.04 (you wrote 4)",
        ),
        (
            'annual_rate = 0.04\nissue_date = "next spring"\nterm_years = 5\nrepayment = "bullet"\n',
            "series[1].issue_date:",
        ),
        (
            'annual_rate = 0.04\nissue_date = 2025-02-30\nterm_years = 5\nrepayment = "bullet"\n',
            "(at line 10, column 14)",
        ),
    ],
    ids=[
        "missing",
        "unknown-key",
        "wrong-type",
        "negative",
        "percent",
        "bad-date-string",
        "bad-date-toml",
    ],
)
def test_bad_files_exit_2_with_the_problem_and_write_nothing(runner, tmp_path, body, expected):
    path = write(
        tmp_path,
        '[scenario]\nname = "x"\n[issuer]\nname = "y"\n[[series]]\nid = "A"\namount = 1000\nface_value = 500\n'
        + body,
    )
    out = tmp_path / "out"
    result = runner.invoke(main, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert not out.exists()


def test_amount_not_multiple_of_face_value(runner, tmp_path):
    text = CONTRACT_TOML.replace("amount = 100_000", "amount = 100_250")
    result = runner.invoke(main, ["validate", str(write(tmp_path, text)), "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr.startswith("series[1].amount: must be a whole multiple of face_value 500")
    # the file says language = "fr"
    result = runner.invoke(main, ["validate", str(write(tmp_path, text))])
    assert result.exit_code == 2
    assert result.stderr == (
        "series[1].amount : doit être un multiple entier de face_value 500, "
        "par exemple 100000 ou 100500 (vous avez écrit 100250)\n"
    )


def test_every_problem_listed_once_per_line(runner, tmp_path):
    text = CONTRACT_TOML.replace("annual_rate = 0.02", "annual_rate = 2").replace(
        'fiscal_year_end = "12-31"', 'fiscal_year_end = "12-31"\ncolour = "blue"'
    )
    text = text.replace("upfront = 3_000", "upfront = -1")
    result = runner.invoke(main, ["validate", str(write(tmp_path, text)), "--lang", "en"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert lines[1] == "series[1].annual_rate: must be a fraction such as 0.04 (you wrote 2)"
    assert lines[0].startswith("issuer.colour: unknown key")
    assert lines[2] == "costs.upfront: must not be negative (you wrote -1)"


def test_missing_file(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "nope.toml" in result.stderr and "Traceback" not in result.output


def test_run_writes_workbook_summary_and_charts(runner, tmp_path):
    src = write(tmp_path, CONTRACT_TOML, "cinema.toml")
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "new" / "out"
    result = runner.invoke(main, ["run", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # input never modified
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    names = [n for n in names if not n.startswith(".bondkit")]  # its journal and manifest
    assert names == [
        "charts",
        "charts/cinema-balance.png",
        "charts/cinema-balance.svg",
        "charts/cinema-debt-service.png",
        "charts/cinema-debt-service.svg",
        "cinema-summary.json",
        "cinema.xlsx",
    ]
    summary = json.loads((out / "cinema-summary.json").read_text(encoding="utf-8"))
    # the figures printed in scenario-format.md for this very file
    assert summary["scenario"] == "Cinéma du Parc 2016"
    assert summary["bondkit_version"] == __version__
    assert summary["input_sha256"] == before
    assert summary["seed"] == 2016
    assert summary["total_principal"] == 100000.00
    assert summary["total_interest"] == 10408.08
    assert summary["max_annual_debt_service"] == 110408.08
    assert round(summary["issuer_all_in_cost"], 4) == 0.0311
    assert round(summary["series"]["A"]["investor_yield"], 6) == 0.019989
    assert summary["series"]["A"]["total_interest"] == 10408.08
    assert summary["series"]["A"]["maturity_date"] == "2022-02-01"
    wb = openpyxl.load_workbook(out / "cinema.xlsx")
    assert wb.sheetnames[0] == "Sommaire" and len(wb.sheetnames) == 10
    for p in out.glob("charts/*.png"):
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(out.glob(".bondkit/stage-*"))  # staging folder removed


def test_failed_run_leaves_no_partial_output(runner, tmp_path, monkeypatch):
    import bondkit.report.workbook

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bondkit.report.workbook, "write_workbook", broken)
    out = tmp_path / "out"
    result = runner.invoke(main, ["run", str(write(tmp_path, CONTRACT_TOML)), "--out", str(out)])
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert list(out.rglob("*")) == []  # nothing: not the charts written before the failure


def test_rerun_replaces_previous_outputs(runner, tmp_path):
    src = write(tmp_path, CONTRACT_TOML, "c.toml")
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", str(src), "--out", str(out)]).exit_code == 0
    src.write_text(
        CONTRACT_TOML.replace("annual_rate = 0.02", "annual_rate = 0.03"), encoding="utf-8"
    )
    assert runner.invoke(main, ["run", str(src), "--out", str(out)]).exit_code == 0
    summary = json.loads((out / "c-summary.json").read_text(encoding="utf-8"))
    assert summary["total_interest"] == 15927.41  # 100000 x (1.03^5 - 1) = 15927.407...


def test_init_writes_a_valid_scenario_and_refuses_to_overwrite(runner, tmp_path):
    for lang in ("en", "fr"):
        path = tmp_path / f"new-{lang}.toml"
        result = runner.invoke(main, ["init", str(path), "--lang", lang])
        assert result.exit_code == 0
        text = path.read_text(encoding="utf-8")
        assert f'language = "{lang}"' in text
        assert runner.invoke(main, ["validate", str(path)]).exit_code == 0
        again = runner.invoke(main, ["init", str(path)])
        assert again.exit_code == 1
        assert "already exists" in again.stderr
        assert path.read_text(encoding="utf-8") == text


def test_run_output_folder_that_is_a_file(runner, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    result = runner.invoke(main, ["run", str(CINEMA), "--out", str(blocker)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert blocker.read_text() == "not a folder"
    # a folder inside that file cannot be made: said in the scenario's language (the
    # cinema is French), then in English on request
    inside = blocker / "sub"
    french = runner.invoke(main, ["run", str(CINEMA), "--out", str(inside)])
    assert french.exit_code != 0
    assert f"impossible d'écrire dans {inside} : " in french.stderr
    english = runner.invoke(main, ["run", str(CINEMA), "--out", str(inside), "--lang", "en"])
    assert f"cannot write to {inside}: " in english.stderr
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(os.name == "nt", reason="POSIX console entry point")
def test_console_script_installed():
    exe = Path(sys.executable).parent / "bondkit"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"bondkit, version {__version__}"


def test_rerun_without_campaign_removes_the_old_campaign_charts(runner, tmp_path):
    """The set of files of a stem is replaced as a whole: no chart of an earlier run of
    it stays; files it did not write (another scenario's, the user's) are left alone."""
    out = tmp_path / "out"
    src = tmp_path / "c.toml"
    shutil.copy(CINEMA, src)  # with a campaign
    assert runner.invoke(main, ["run", str(src), "--out", str(out)]).exit_code == 0
    campaign = out / "charts" / "c-campaign.png"
    assert campaign.exists()
    other = out / "charts" / "other-debt-service.png"  # another scenario's file
    other.write_bytes(b"keep")
    mine = out / "charts" / "c-logo.png"  # the user's own, named like a chart of c
    mine.write_bytes(b"mine")
    write(tmp_path, CONTRACT_TOML, "c.toml")  # no campaign any more
    assert runner.invoke(main, ["run", str(src), "--out", str(out)]).exit_code == 0
    assert not campaign.exists() and (out / "charts" / "c-balance.png").exists()
    assert other.read_bytes() == b"keep" and mine.read_bytes() == b"mine"


def test_failed_move_restores_the_previous_outputs(runner, tmp_path, monkeypatch):
    import bondkit.report.writer

    src = write(tmp_path, CONTRACT_TOML, "c.toml")
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", str(src), "--out", str(out)]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real, calls = os.replace, []

    def flaky(a, b):
        calls.append(a)
        if len(calls) == len(before) + 3:  # fail in the middle of moving the new files in
            raise OSError(5, "Input/output error")
        return real(a, b)

    monkeypatch.setattr(bondkit.report.writer.os, "replace", flaky)
    src.write_text(
        CONTRACT_TOML.replace("annual_rate = 0.02", "annual_rate = 0.03"), encoding="utf-8"
    )
    result = runner.invoke(main, ["run", str(src), "--out", str(out)])
    assert result.exit_code == 1 and "Input/output error" in result.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


# ---------------------------------------------------------------- never a traceback

SIMPLE_TOML = """\
[scenario]
name = "T"
[issuer]
name = "I"
[[series]]
id = "A"
amount = 1000
face_value = 100
annual_rate = 0.05
repayment = "bullet"
issue_date = 2020-01-01
term_years = 2
"""


def _raise(exc: BaseException):
    def broken(*args, **kwargs):
        raise exc

    return broken


@pytest.mark.parametrize("command", ["schedule", "run"])
@pytest.mark.parametrize(
    "exc, expected",
    [
        (None, "bondkit: the issue cannot be computed on a Sunday"),  # a BondkitError
        (
            ValueError("rates must have at most 8 decimals"),
            "bondkit: cannot compute this scenario: rates must have at most 8 decimals",
        ),
        (
            OverflowError("Python int too large to convert to C long"),
            "bondkit: cannot compute this scenario: Python int too large to convert to C long",
        ),
        (
            ZeroDivisionError("division by zero"),
            "bondkit: internal error, please report it: ZeroDivisionError: division by zero",
        ),
        (KeyError("A"), "bondkit: internal error, please report it: KeyError: 'A'"),
    ],
    ids=["bondkit-error", "value-error", "overflow", "zero-division", "key-error"],
)
def test_compute_commands_end_with_one_line_and_exit_1_whatever_fails(
    runner, tmp_path, monkeypatch, command, exc, expected
):
    import bondkit.core.schedule
    import bondkit.runner
    from bondkit.errors import BondkitError

    exc = exc if exc is not None else BondkitError("the issue cannot be computed on a Sunday")
    if command == "schedule":
        monkeypatch.setattr(bondkit.core.schedule, "issue_schedule", _raise(exc))
        args = ["schedule", str(write(tmp_path, SIMPLE_TOML)), "--format", "csv"]
    else:
        monkeypatch.setattr(bondkit.runner, "run", _raise(exc))
        args = ["run", str(write(tmp_path, SIMPLE_TOML)), "--out", str(tmp_path / "out")]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not the exception itself
    assert result.stderr == expected + "\n"
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_run_failing_while_writing_is_an_internal_error_not_a_traceback(
    runner, tmp_path, monkeypatch
):
    import bondkit.report.writer

    monkeypatch.setattr(
        bondkit.report.writer, "summary_json", _raise(TypeError("not serializable"))
    )
    out = tmp_path / "out"
    result = runner.invoke(main, ["run", str(write(tmp_path, SIMPLE_TOML)), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        "bondkit: internal error, please report it: TypeError: not serializable\n"
    )
    assert [p for p in out.rglob("*")] == []


def test_a_bad_file_still_exits_2_with_its_problems(runner, tmp_path):
    bad = write(tmp_path, SIMPLE_TOML.replace("annual_rate = 0.05", "annual_rate = 1e-300"))
    for args in (["schedule", str(bad)], ["run", str(bad), "--out", str(tmp_path / "out")]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2
        assert result.stderr == (
            "series[1].annual_rate: must have at most 8 decimals (you wrote 1e-300)\n"
        )


def test_stdout_that_cannot_be_written_gives_one_line_and_exit_1(runner, tmp_path, monkeypatch):
    import click

    echo = click.echo

    def full(message=None, file=None, nl=True, err=False, color=None):
        if err:
            return echo(message, file=file, nl=nl, err=err, color=color)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(click, "echo", full)
    src = write(tmp_path, SIMPLE_TOML)
    for args in (["schedule", str(src)], ["run", str(src), "--out", str(tmp_path / "out")]):
        result = runner.invoke(main, args)
        assert result.exit_code == 1
        assert result.stderr == "bondkit: cannot write the output: No space left on device\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_schedule_to_a_full_device(tmp_path):
    src = write(tmp_path, SIMPLE_TOML)
    with open("/dev/full", "w") as full:
        out = subprocess.run(
            [sys.executable, "-m", "bondkit", "schedule", str(src), "--format", "csv"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert out.returncode == 1
    assert out.stderr == "bondkit: cannot write the output: No space left on device\n"


@pytest.mark.skipif(os.name == "nt", reason="POSIX pipes")
def test_schedule_into_a_closed_pipe_exits_quietly(tmp_path):
    src = write(tmp_path, SIMPLE_TOML)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bondkit", "schedule", str(src), "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader is gone before anything is written, as with `| head -0`
    stderr = proc.stderr.read()
    assert proc.wait() == 1
    assert stderr == b""


# ---------------------------------------------------------------- fixes found in review


def test_run_of_costs_that_take_all_the_proceeds_writes_a_null_all_in_cost(runner, tmp_path):
    # upfront_rate = 1: the net proceeds at the issue date are 0, then only outflows, so there
    # is no rate (the solver once returned 1.2e15)
    src = write(tmp_path, SIMPLE_TOML + "[costs]\nupfront_rate = 1\n", "upfront_all.toml")
    out = tmp_path / "out"
    result = runner.invoke(main, ["run", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "upfront_all-summary.json").read_text(encoding="utf-8"))
    assert summary["issuer_all_in_cost"] is None
    assert summary["series"]["A"]["investor_yield"] == pytest.approx(0.05, abs=1e-3)


def test_schedule_dates_are_iso_with_four_digit_years():
    import datetime as dt

    from bondkit.core.schedule import issue_schedule
    from bondkit.core.terms import SeriesTerms
    from bondkit.report.tables import schedule_csv, schedule_json, schedule_table

    # year 1 cannot come from a file any more; the renderers must still write it in full
    terms = SeriesTerms("A", 1000, 100, 0.05, dt.date(1, 2, 1), term_years=2, repayment="bullet")
    df = issue_schedule([terms])
    assert schedule_csv(df).splitlines()[1:] == [
        "A,1,0002-02-01,1000.00,50.00,0.00,50.00,1000.00",
        "A,2,0003-02-01,1000.00,50.00,1000.00,1050.00,0.00",
    ]
    assert [r["date"] for r in json.loads(schedule_json(df))] == ["0002-02-01", "0003-02-01"]
    assert "0003-02-01" in schedule_table(df)


def test_schedule_csv_series_ids_are_never_formulas(runner, tmp_path):
    """Issue #11, 8: a series id ``-A1`` was written raw (Excel reads it as =-A1)."""
    src = write(tmp_path, SIMPLE_TOML.replace('id = "A"', 'id = "-A1"'))
    result = runner.invoke(main, ["schedule", str(src), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "series,period,date,opening_balance,interest,principal,payment,closing_balance"
    )
    assert all(line.startswith("'-A1,") for line in lines[1:]) and len(lines) > 1


def test_an_input_named_dot_toml_writes_visible_outputs(runner, tmp_path):
    """Issue #11, 9: an input named ``.toml`` wrote hidden outputs (``.xlsx``)."""
    src = write(tmp_path, SIMPLE_TOML, ".toml")
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", str(src), "--out", str(out)]).exit_code == 0
    names = sorted(p.name for p in out.iterdir() if p.name != ".bondkit")
    assert names == ["charts", "scenario-summary.json", "scenario.xlsx"]


#: the charts of the cinema example (campaign, capacity and risk), in the workbook's order
CINEMA_CHARTS = ("debt-service", "balance", "campaign", "raised", "coverage", "redemptions")


@pytest.mark.parametrize(
    "charts, suffixes",
    [(None, (".png", ".svg")), ("png", (".png",)), ("svg", (".svg",)), ("none", ())],
)
def test_run_charts_option_writes_exactly_those_files(runner, tmp_path, charts, suffixes):
    """By default a PNG and an SVG of every chart (the workbook embeds the PNGs); --charts
    png or svg one of them (the workbook has pictures with the PNGs only); --charts none no
    chart and no charts folder."""
    import zipfile

    text = CINEMA.read_text(encoding="utf-8")  # every chart, few simulations: quick
    text = text.replace("simulations = 10_000", "simulations = 200")
    src = write(tmp_path, text.replace("paths = 10_000", "paths = 200"), "cine.toml")
    out = tmp_path / "out"
    option = [] if charts is None else ["--charts", charts]
    result = runner.invoke(main, ["run", str(src), "--out", str(out), "--lang", "en", *option])
    assert result.exit_code == 0, result.output
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    names = [n for n in names if not n.startswith(".bondkit")]
    files = [f"charts/cine-{c}{s}" for c in CINEMA_CHARTS for s in suffixes]
    folder = ["charts"] if suffixes else []
    assert names == sorted([*folder, *files, "cine-summary.json", "cine.xlsx"])
    for name in files:
        data = (out / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n" if name.endswith(".png") else b"<?xml")
    with zipfile.ZipFile(out / "cine.xlsx") as book:
        media = {book.read(n) for n in book.namelist() if n.startswith("xl/media/")}
    pngs = {(out / f).read_bytes() for f in files if f.endswith(".png")}
    assert media == pngs and len(pngs) == (6 if ".png" in suffixes else 0)
    last = result.stdout.splitlines()[-1]
    if suffixes:
        assert last == f"charts:   {out / 'charts'}/ ({len(files)} files)"
    else:
        assert last == "charts:   none (--charts none)"


def test_run_charts_option_refuses_another_format(runner, tmp_path):
    out = tmp_path / "out"
    args = ["run", str(write(tmp_path, CONTRACT_TOML)), "--out", str(out), "--charts", "pdf"]
    result = runner.invoke(main, [*args, "--lang", "en"])
    assert result.exit_code == 2 and "'pdf' is not one of" in result.stderr
    # without --lang, click's words are in the scenario's language (French)
    result = runner.invoke(main, args)
    assert result.exit_code == 2 and "'pdf' n'est pas une des valeurs possibles" in result.stderr
    assert not out.exists()


def test_a_chart_failing_in_a_drawing_process_leaves_the_previous_outputs(
    runner, tmp_path, monkeypatch
):
    """The charts are drawn by worker processes into the staging folder: one that fails
    fails the run, and the files of the previous run stay as they were (all or nothing)."""
    import bondkit.report.charts

    src = write(tmp_path, CONTRACT_TOML, "c.toml")
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", str(src), "--out", str(out)]).exit_code == 0
    before = {
        p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".bondkit" not in p.parts
    }
    assert len(before) == 6  # the workbook, the summary, 2 charts x 2 formats

    def broken(result, lang=None, ax=None):
        raise OSError(28, "No space left on device")

    charts = {**bondkit.report.charts.CHARTS, "balance": broken}
    monkeypatch.setattr(bondkit.report.charts, "CHARTS", charts)
    src.write_text(CONTRACT_TOML.replace("annual_rate = 0.02", "annual_rate = 0.03"), "utf-8")
    result = runner.invoke(main, ["run", str(src), "--out", str(out)])
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "Traceback" not in result.output
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".bondkit" not in p.parts}
    assert after == before
    assert not list(out.glob(".bondkit/stage-*"))


def test_run_without_charts_does_not_load_matplotlib(tmp_path):
    """--charts none is the quick run: matplotlib (a third of a second to load) stays out."""
    code = (
        "import sys\n"
        "from bondkit.cli import main\n"
        "try:\n    main(['run', sys.argv[1], '--out', sys.argv[2], '--charts', 'none'])\n"
        "except SystemExit as end:\n    assert not end.code, end.code\n"
        "print('MATPLOTLIB:' + str('matplotlib' in sys.modules))\n"
    )
    src = write(tmp_path, CONTRACT_TOML)
    command = [sys.executable, "-c", code, str(src), str(tmp_path / "out")]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.splitlines()[-1] == "MATPLOTLIB:False"
    assert (tmp_path / "out" / "scenario.xlsx").exists()


def test_the_console_entry_ends_the_process_with_the_command_exit_code(tmp_path):
    """`bondkit` (cli.entry) leaves with os._exit once the command is done: its output is
    all there, a bad file still exits 2, a good run 0, and a file written is whole."""
    src = write(tmp_path, SIMPLE_TOML)
    out = tmp_path / "out"
    ok = subprocess.run(
        [sys.executable, "-m", "bondkit", "run", str(src), "--out", str(out), "--charts", "none"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[-1] == "charts:   none (--charts none)"
    assert json.loads((out / f"{src.stem}-summary.json").read_text())["total_principal"] > 0
    bad = subprocess.run(
        [sys.executable, "-m", "bondkit", "run", str(tmp_path / "missing.toml")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "missing.toml" in bad.stderr and bad.stdout == ""


def test_entry_maps_sys_exit_values_as_python_does(monkeypatch, capsys):
    import bondkit.cli as cli

    codes = []
    monkeypatch.setattr(cli.os, "_exit", codes.append)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # entry's default, undone after the test
    for raised, expected in ((None, 0), (3, 3), ("a message", 1)):

        def fake(raised=raised):
            raise SystemExit(raised)

        monkeypatch.setattr(cli, "main", fake)
        cli.entry()
        assert codes[-1] == expected
    assert capsys.readouterr().err == "a message\n"


@pytest.mark.parametrize(("given", "expected"), [(None, 1), ("2", 2)])
def test_the_console_entry_runs_openblas_on_one_thread_unless_told(given, expected):
    """numpy's OpenBLAS starts a thread per core as it loads, whose spinning took CPU a
    run's charts need: `bondkit` loads it on one thread; a user's OPENBLAS_NUM_THREADS
    stays theirs. (On one core the default is 1 anyway: the second case still checks.)"""
    from threadpoolctl import threadpool_info

    code = (
        "import json, sys\n"
        "from bondkit import cli\n"
        "def report():\n"
        "    import numpy\n"
        "    from threadpoolctl import threadpool_info\n"
        "    pools = [p['num_threads'] for p in threadpool_info() if p['internal_api'] == 'openblas']\n"
        "    print(json.dumps(pools))\n"
        "cli.main = report\n"
        "cli.entry()\n"
    )
    if not any(p["internal_api"] == "openblas" for p in threadpool_info()):
        pytest.skip("this numpy is not built with OpenBLAS")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT
    )
    assert json.loads(out.stdout) == [expected]
