"""Personal data never leaks (issue #13): a holder planted with a name, an address, an
e-mail and a SIN goes through every register command, good and bad; none of them ever
reaches the terminal, and the SIN reaches no file unless --with-sin asks for it or the
file is a tax slip, which carries it by law."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner

from bondkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
NAME, ADDRESS, EMAIL, SIN = (
    "Zéphyrin Quasimodo-Larue",
    "999 rue Introuvable, Val-Secret",
    "zq.secret@example.org",
    "046 454 286",
)
SECRETS = (NAME, "Quasimodo", ADDRESS, "Introuvable", EMAIL, SIN, SIN.replace(" ", ""))

LIST = f"""Nom;Adresse;Courriel;NAS;Série;Nombre d'obligations;Date de souscription;Date de paiement
{NAME};{ADDRESS};{EMAIL};{SIN};B-5y;3;2026-02-01;2026-02-02
Autre Personne;1 rue Ailleurs;autre@example.org;;C-7y;2;2026-02-03;2026-02-03
"""
#: a bad list: the planted holder's SIN with a wrong check digit, a name with a tab
BAD = f"""Nom;Courriel;NAS;Série;Nombre d'obligations;Date de souscription
{NAME};{EMAIL};046 454 287;B-5y;1;2026-02-01
{NAME}\tbis;{EMAIL};;Z-9;1;2026-02-01
"""


def _files_text(folder: Path) -> bytes:
    """Every byte written under ``folder``, XLSX members decompressed."""
    out = b""
    for f in folder.rglob("*"):
        if f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                out += b"".join(z.read(n) for n in z.namelist())
        elif f.is_file() and f.suffix != ".db":
            out += f.read_bytes()
    return out


def test_no_command_prints_personal_data_and_no_file_holds_a_sin_unasked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BONDKIT_USER", "Lucie")
    shutil.copy(ROOT / "scenarios" / "solar-coop-multi-series.toml", "solar.toml")
    Path("list.csv").write_text(LIST, encoding="utf-8")
    Path("bad.csv").write_text(BAD, encoding="utf-8")
    runner = CliRunner()
    printed = []

    def run(*args: str, code: int = 0) -> None:
        result = runner.invoke(main, list(args))
        printed.append(result.output)
        assert result.exit_code == code, (args, result.output)

    run("register", "init", "solar.toml", "--db", "r.db")
    run("register", "import", "r.db", "bad.csv", code=2)
    run("register", "import", "r.db", "bad.csv", "--keep-good", "--rejects", "rejects.csv")
    run("register", "import", "r.db", "list.csv")
    run("register", "show", "r.db", "--as-of", "2026-03-02")
    run("register", "pay", "r.db", "--date", "2026-06-02", "--out", "runs", "--confirm")
    run("register", "pay", "r.db", "--date", "2026-06-02", "--out", "runs", "--confirm", code=2)
    # 3 bonds of 1,000 $ at 4 % a year, paid twice a year: 60 $ in 2026, a slip is due
    run("register", "pay", "r.db", "--date", "2026-09-02", "--out", "runs", "--confirm")
    run(
        "register",
        "transfer",
        "r.db",
        "--holding",
        "1",
        "--bonds",
        "1",
        "--to-name",
        "Tiers",
        "--on",
        "2026-10-01",
        "--reason",
        "sale",
    )
    run(
        "register",
        "transfer",
        "r.db",
        "--holding",
        "1",
        "--bonds",
        "9",
        "--to-holder",
        "2",
        "--on",
        "2026-10-01",
        "--reason",
        "sale",
        code=2,
    )
    run(
        "register",
        "request",
        "r.db",
        "--holding",
        "1",
        "--bonds",
        "1",
        "--on",
        "2028-04-01",
        "--reason",
        "letter",
    )
    run("register", "queue", "r.db", "--as-of", "2028-10-01")
    run("register", "redeem", "r.db", "--date", "2028-10-01", "--confirm")
    run("register", "estate", "r.db", "--holder", "1", "--on", "2029-01-10", "--reason", "death")
    run("register", "check", "r.db")
    run("register", "backup", "r.db", "--to", "copy.db")
    run("register", "export", "r.db", "--out", "exports")
    run("register", "statements", "r.db", "--year", "2026", "--out", "statements")
    run("register", "slips", "r.db", "--year", "2026", "--country", "CA", "--out", "slips")
    terminal = "".join(printed)
    assert [s for s in SECRETS if s in terminal] == []
    # the payment run and the export name holders (that is what they are for), never a SIN
    written = (
        _files_text(tmp_path / "runs")
        + _files_text(tmp_path / "exports")
        + _files_text(tmp_path / "statements")
    )
    assert NAME.encode() in written
    assert SIN.replace(" ", "").encode() not in written and SIN.encode() not in written
    # the slips carry the SIN (the forms ask for it), and the command says so
    assert SIN.replace(" ", "").encode() in _files_text(tmp_path / "slips")
    # asked for, the SIN is in the export, and the command says so without printing it
    result = runner.invoke(main, ["register", "export", "r.db", "--out", "sin", "--with-sin"])
    assert result.exit_code == 0, result.output
    assert SIN.replace(" ", "").encode() in _files_text(tmp_path / "sin")
    assert [s for s in SECRETS if s in result.output] == []
