"""``bondkit register statements`` and ``bondkit register slips``: every February, the
holders' annual statements and the tax slips' data (issue #14).

Both read the tax year from the register (``reg.tax_year(year, country)``, one state of
the register) and write their files together into ``--out``, readable by you only.
``statements`` never reads a SIN; ``slips`` must (a slip carries it), and says so loudly.
What is printed are counts, totals, deadlines, paths and warnings by holder number, never
a name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bondkit.cli_register.common import (
    by_option,
    guarded,
    lang_option,
    message_lang,
    open_register,
    say,
)

__all__ = ["statements_command", "slips_command"]

#: the statements' columns of interest paid in cash or credited (rolled into a renewal)
_PAID = ("interest_paid_cents", "interest_credited_cents")
#: how many times the register is read again when another command wrote meanwhile
_TRIES = 5

_year_option = click.option(
    "--year", "year", type=int, required=True, help="The tax year (2027; in the UK, 2027-28)."
)
_out_option = click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder of the files (they hold names: readable by you only).",
)


def _country_option(default: str | None) -> Any:
    return click.option(
        "--country",
        "country",
        type=click.Choice(["CA", "UK", "US"]),
        default=default,
        required=default is None,
        show_default=default is not None,
        help="Whose tax rules: CA (T5 and RL-3), UK (return of interest paid), US (1099-INT).",
    )


def _read(
    db: Path, year: int, country: str, include_sin: bool, slips: bool = False
) -> tuple[Any, Any, dict]:
    """The tax year (the slip run with ``slips``), the holders and the issue, from one
    state of the register."""
    from bondkit.errors import BondkitError, Message

    with open_register(db) as reg:
        for _ in range(_TRIES):
            before = reg.digest()
            tax_year = reg.slip_run(year, country) if slips else reg.tax_year(year, country)
            holders = reg.holders(include_sin=include_sin)
            issue = reg.issue
            if reg.digest() == before:
                return tax_year, holders, issue
    raise BondkitError(Message("reg.export.busy"))


def _money(cents: int, issue: dict) -> str:
    from bondkit.labels import money_text

    return money_text(int(cents), message_lang(), issue.get("currency") or "CAD")


def _warn(messages: list) -> None:
    lang = message_lang()
    for m in messages:
        text = m.render(lang) if hasattr(m, "render") else str(m)
        click.echo(say("taxdoc.cli.warning", message=text), err=True)


def _accountant(tax_year: Any) -> None:
    rules = tax_year.rules
    click.echo(say("taxdoc.cli.accountant", country=rules.country, year=rules.year))


@click.command("statements")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@_year_option
@_out_option
@_country_option("CA")
@lang_option
@guarded
def statements_command(db: Path, year: int, out: Path, country: str, lang: str | None) -> None:
    """Write each holder's annual statement of YEAR (one HTML page per holder, in the
    holder's language, that prints on Letter or A4) and a CSV for mail merge, together.
    Files are named by holder number; no SIN is read.

    Example: bondkit register statements my-issue.db --year 2027 --out statements/
    """
    from bondkit.report.register_statements import slip_label, slip_types, write_statements

    tax_year, holders, issue = _read(db, year, country, include_sin=False)
    files = write_statements(tax_year, holders, issue, out, stem=db.stem, lang=message_lang())
    st = tax_year.statements
    paid = sum(int(st[c].sum()) for c in _PAID if c in st)
    click.echo(
        say(
            "taxdoc.cli.statements",
            year=year,
            holders=len(files.paths) - 1,
            holdings=files.holdings,
            paid=_money(paid, issue),
            accrued=_money(int(st["interest_accrued_reported_cents"].sum()), issue),
            fr=files.languages.get("fr", 0),
            en=files.languages.get("en", 0),
        )
    )
    for slip in slip_types(tax_year.by_holder):
        n = int(tax_year.by_holder[f"issued_{slip}"].fillna(False).astype(bool).sum())
        click.echo(say("taxdoc.cli.slips_issued", slip=slip_label(slip, message_lang()), n=n))
    folder = files.paths[1].parent if len(files.paths) > 1 else out
    click.echo(
        say("taxdoc.cli.statement_files", csv=files.csv, n=len(files.paths) - 1, folder=folder)
    )
    _warn(list(tax_year.warnings))
    _accountant(tax_year)


@click.command("slips")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@_year_option
@_country_option(None)
@_out_option
@click.option(
    "--record",
    is_flag=True,
    help="Record in the register that the slips written are filed (on --filed-on): a "
    "later correction of the year then gives amended and cancelled slips.",
)
@click.option(
    "--filed-on",
    "filed_on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="With --record: the day the slips were filed (default: today).",
)
@click.option(
    "--reason", "reason", default=None, help="With --record: why (default: 'slips of YEAR filed')."
)
@by_option
@lang_option
@guarded
def slips_command(
    db: Path,
    year: int,
    country: str,
    out: Path,
    record: bool,
    filed_on: Any,
    reason: str | None,
    by: str | None,
    lang: str | None,
) -> None:
    """Write the data of the tax slips of YEAR, per recipient and box (CA: T5 box 13 and
    RL-3 box D, one CSV and one XLSX each; UK: the return of interest paid; US: 1099-INT
    box 1), with their summary: number of slips, total, deadline, electronic filing.
    The slips carry the SIN: these files hold it (readable by you only).

    The first time, every slip is an original. With --record, the register keeps the
    slips as filed; once it has, the same command writes only what a correction of YEAR
    changed: amended slips (new amount), cancelled slips (as filed) and new originals, in
    files of their own.

    Example: bondkit register slips my-issue.db --year 2027 --country CA --out slips/ --record
    """
    from bondkit.report.register_slips import write_slips

    sin = country != "UK"  # the UK's return needs no identifier
    lang = message_lang()
    if record:
        why = reason or say("taxdoc.reason.filed", year=year, country=country)
        day = None if filed_on is None else filed_on.date()
        with open_register(db) as reg:

            def write(run: Any) -> Any:
                holders = reg.holders(include_sin=sin)
                return write_slips(
                    run.tax_year, holders, reg.issue, out, stem=db.stem, lang=lang, run=run
                )

            run, files = reg.file_slips(year, country, filed_on=day, reason=why, by=by, write=write)
            issue = reg.issue
    else:
        run, holders, issue = _read(db, year, country, include_sin=sin, slips=True)
        files = write_slips(run.tax_year, holders, issue, out, stem=db.stem, lang=lang, run=run)
    _say_slips(run, files, issue, year, lang, record, filed_on)
    if sin:
        click.echo(say("taxdoc.cli.sin_loud"), err=True)
    _warn([*run.tax_year.warnings, *files.warnings])
    _accountant(run.tax_year)


def _say_slips(
    run: Any, files: Any, issue: dict, year: int, lang: str, record: bool, filed_on: Any
) -> None:
    """The slips' lines: per slip type its count, total, deadline and changes; the files;
    whether they are recorded as filed."""
    from bondkit.report.register_slips import report_codes
    from bondkit.report.register_statements import slip_label

    if run.filed_on:
        dates = ", ".join(d.isoformat() for d in run.filed_on)
        click.echo(say("taxdoc.cli.filed_before", year=year, dates=dates))
    for s in files.summaries:
        label = slip_label(s.slip, lang)
        click.echo(
            say(
                "taxdoc.cli.slip_line",
                slip=label,
                n=s.count,
                total=_money(s.total_cents, issue),
                deadline=s.deadline.isoformat(),
                electronic=say("taxdoc.cli.efile_yes" if s.electronic else "taxdoc.cli.efile_no"),
            )
        )
        codes = "/".join(c or "-" for c in report_codes(run.tax_year, s.slip))
        click.echo(
            say(
                "taxdoc.cli.codes",
                slip=label,
                codes=codes,
                unchanged=s.unchanged,
                **{c: s.changes.get(c, 0) for c in ("original", "amended", "cancelled")},
            )
        )
    if run.filed_on and not any(s.count for s in files.summaries):
        click.echo(say("taxdoc.cli.nothing"))
    click.echo(say("taxdoc.cli.slip_files", files=", ".join(str(p) for p in files.paths)))
    if record:
        n = sum(s.count for s in files.summaries)
        day = (filed_on.date() if filed_on is not None else None) or _today()
        click.echo(say("taxdoc.cli.recorded", date=day.isoformat(), n=n, year=year))
    else:
        click.echo(say("taxdoc.cli.not_recorded"))


def _today() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC).date()
