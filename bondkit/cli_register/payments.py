"""``bondkit register pay``: the payment run of a date, as files, and recorded on demand.

Without ``--confirm`` it writes the run's CSV and XLSX (holders' names: mode 0600) and
prints, per series, how many payments and their totals, then the difference from the
plan's schedule with its causes; nothing is recorded. With ``--confirm`` it also records
the run (:meth:`bondkit.register.Register.pay`), in one transaction. What is printed
names no holder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from bondkit.cli_register.common import by_option, guarded, message_lang, say, use_lang

__all__ = ["pay_command"]


def _date(value: str | None, option: str) -> dt.date | None:
    """A date of the command line; bad input (exit 2) naming the option and the value."""
    from bondkit.errors import Message, Problem
    from bondkit.register import RegisterError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _no_date(value)
    except ValueError:
        raise RegisterError(
            Message("reg.err.refused"), [Problem(option, Message("reg.pay.bad_date"), value)]
        ) from None


def _no_date(value: str) -> dt.date:
    raise ValueError(value)


@click.command("pay")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--date", "date", required=True, metavar="DATE", help="The payment date (YYYY-MM-DD)."
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder of the run's CSV and XLSX (they hold names: readable by you only).",
)
@click.option("--confirm", is_flag=True, help="Record the run in the register (else files only).")
@click.option(
    "--paid-on", "paid_on", default=None, metavar="DATE", help="Day paid (default: --date)."
)
@click.option("--reason", "reason", default=None, help="Why (default: 'payment run of DATE').")
@by_option
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language of the messages and files (default: the register's, that of its scenario).",
)
@guarded
def pay_command(
    db: Path,
    date: str,
    out: Path,
    confirm: bool,
    paid_on: str | None,
    reason: str | None,
    by: str | None,
    lang: str | None,
) -> None:
    """Prepare the payment run of a date: who is paid what (interest, principal, payment
    method), as CSV and XLSX, with the difference from the plan's schedule explained;
    --confirm records it. A date is never paid twice.

    Example: bondkit register pay my-issue.db --date 2027-03-02 --out runs/ --confirm
    """
    from bondkit.labels import money_text
    from bondkit.register import Register
    from bondkit.report.register_files import write_payment_run

    on = _date(date, "--date")
    paid = _date(paid_on, "--paid-on")
    assert on is not None
    with Register(db) as reg:
        issue = reg.issue
        use_lang(issue["language"])
        if reg.upgraded_from != reg.version:
            click.echo(
                say("reg.cli.upgraded", file=db, old=reg.upgraded_from, new=reg.version), err=True
            )
        run = reg.payment_run(on)
        diff = reg.plan_difference(on)
        if confirm:  # recorded first: refused (paid already...), no file is written
            runs = reg.pay(
                on,
                paid_on=paid,
                reason=reason or say("reg.pay.reason", date=on.isoformat()),
                by=by,
            )
        paths = write_payment_run(
            run, diff, out, stem=db.stem, date=on, lang=message_lang(), issue=issue["name"]
        )
    currency, lang_ = issue["currency"], message_lang()

    def money(cents: Any) -> str:
        return money_text(int(cents), lang_, currency)

    for sid, part in run.groupby("series_id", sort=False):
        click.echo(
            say(
                "reg.pay.series_line",
                series=sid,
                n=len(part),
                interest=money(part["interest_cents"].sum()),
                principal=money(part["principal_cents"].sum()),
                total=money(part["total_cents"].sum()),
            )
        )
    for row in diff.itertuples(index=False):
        click.echo(
            say(
                "reg.pay.diff_line",
                series=row.series_id,
                register=money(row.register_cents),
                plan=money(row.plan_cents),
                difference=money(row.difference_cents),
                rounding=money(row.rounding_cents),
                starts=money(row.interest_start_cents),
                unsold=money(row.unsold_cents),
            )
        )
    click.echo(say("reg.pay.files", files=", ".join(str(p) for p in paths)))
    if confirm:
        click.echo(
            say(
                "reg.pay.recorded",
                runs=", ".join(map(str, runs)),
                date=on.isoformat(),
                paid=(paid or on).isoformat(),
            )
        )
    else:
        click.echo(say("reg.pay.dry"))
