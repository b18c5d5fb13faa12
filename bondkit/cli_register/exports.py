"""``bondkit register export``: the register as files (CSV, XLSX, and a CSV for Odoo).

It reads the register in one state (:func:`bondkit.report.register_exports.read_tables`)
and writes its three files together into ``--out`` (holders' names: mode 0600). SINs are
read, and so written, only with ``--with-sin``; the command says whether they were. What
is printed are paths and counts, never a name.
"""

from __future__ import annotations

from pathlib import Path

import click

from bondkit.cli_register.common import guarded, message_lang, open_register, say

__all__ = ["export_command"]


@click.command("export")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder of the files (they hold names: readable by you only).",
)
@click.option(
    "--with-sin",
    "with_sin",
    is_flag=True,
    help="Include the holders' social insurance numbers (left out by default).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language of the messages and headers (default: the register's, that of its scenario).",
)
@guarded
def export_command(db: Path, out: Path, with_sin: bool, lang: str | None) -> None:
    """Export the register: DB-register.csv (one row per holding with its holder),
    DB-register.xlsx (holdings, holders, the ledger of events, the series) and
    DB-odoo-loan-issue-lines.csv (easy_my_coop_loan's loan.issue.line fields), written
    together. No SIN unless --with-sin.

    Example: bondkit register export my-issue.db --out exports/
    """
    from bondkit.report.register_exports import read_tables, write_register_export

    with open_register(db) as reg:
        tables = read_tables(reg, include_sin=with_sin)
    paths = write_register_export(tables, out, stem=db.stem, lang=message_lang())
    click.echo(say("reg.export.files", files=", ".join(str(p) for p in paths)))
    click.echo(
        say(
            "reg.export.counts",
            holdings=len(tables.holdings),
            holders=len(tables.holders),
            events=tables.events["event_id"].nunique(),
            series=len(tables.series),
            lines=len(tables.holdings),  # one loan-issue line per holding
        )
    )
    click.echo(say("reg.export.with_sin" if tables.include_sin else "reg.export.no_sin"))
