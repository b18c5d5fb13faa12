"""``bondkit register transfer`` and ``bondkit register estate``: bonds that change hands.

What is printed names holdings, holders and events by number, never a person.
"""

from __future__ import annotations

from pathlib import Path

import click

from bondkit.cli_register.common import (
    by_option,
    guarded,
    lang_option,
    message_lang,
    open_register,
    say,
)

__all__ = [
    "transfer_command",
    "estate_command",
    "request_command",
    "withdraw_command",
    "queue_command",
    "redeem_command",
    "offer_command",
    "renew_command",
]

on_option = click.option(
    "--on", "on", required=True, metavar="DATE", help="The day it happened (YYYY-MM-DD)."
)


@click.command("transfer")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--holding", "holding", required=True, type=int, help="The holding the bonds leave.")
@click.option("--bonds", "bonds", required=True, type=int, help="How many bonds move.")
@click.option(
    "--to-holder", "to_holder", type=int, default=None, help="An existing holder who receives them."
)
@click.option(
    "--to-name", "to_name", default=None, help="Or a new holder who receives them: the name."
)
@click.option("--to-address", "to_address", default=None, help="The new holder's address.")
@click.option("--to-email", "to_email", default=None, help="The new holder's e-mail.")
@click.option("--to-language", "to_language", type=click.Choice(["fr", "en"]), default=None)
@click.option("--to-country", "to_country", default=None, help="Country of residence (CA, FR...).")
@click.option(
    "--to-kind",
    "to_kind",
    type=click.Choice(["person", "corporation"]),
    default="person",
    show_default=True,
)
@on_option
@click.option("--reason", "reason", required=True, help="Why (the signed transfer form...).")
@by_option
@lang_option
@guarded
def transfer_command(
    db: Path,
    holding: int,
    bonds: int,
    to_holder: int | None,
    to_name: str | None,
    to_address: str | None,
    to_email: str | None,
    to_language: str | None,
    to_country: str | None,
    to_kind: str,
    on: str,
    reason: str,
    by: str | None,
    lang: str | None,
) -> None:
    """Transfer bonds of a holding to another holder: one event; the new holding keeps the
    original subscription date and interest start.

    Example: bondkit register transfer my-issue.db --holding 12 --bonds 2 --to-name "Marc Roy"
    --on 2027-05-01 --reason "signed transfer form"
    """
    to = None
    if to_holder is None:
        to = {
            k: v
            for k, v in {
                "name": to_name,
                "address": to_address,
                "email": to_email,
                "language": to_language,
                "country": to_country,
                "kind": to_kind,
            }.items()
            if v is not None
        }
    with open_register(db) as reg:
        event, new = reg.transfer(
            holding, bonds, on=on, to_holder_id=to_holder, to=to, reason=reason, by=by
        )
        holder = int(reg.holdings().set_index("holding_id").loc[new, "holder_id"])
    click.echo(
        say(
            "reg.move.transferred",
            event=event,
            bonds=bonds,
            holding=holding,
            new=new,
            holder=holder,
        )
    )


@click.command("estate")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--holder", "holder", required=True, type=int, help="The holder who died.")
@on_option
@click.option("--reason", "reason", required=True, help="Why (the death notice, the will...).")
@by_option
@lang_option
@guarded
def estate_command(
    db: Path, holder: int, on: str, reason: str, by: str | None, lang: str | None
) -> None:
    """Move every holding of a holder who died to their estate ("Estate of ..." /
    "Succession de ..."), one event per holding, all in one transaction.

    Example: bondkit register estate my-issue.db --holder 7 --on 2028-01-10 --reason "death notice"
    """
    with open_register(db) as reg:
        estate, events = reg.estate(holder, on=on, reason=reason, by=by)
    click.echo(
        say(
            "reg.move.estated",
            holder=holder,
            n=len(events),
            estate=estate,
            events=", ".join(str(e) for e in events),
        )
    )


@click.command("request")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--holding", "holding", required=True, type=int, help="The holding to redeem from.")
@click.option("--bonds", "bonds", required=True, type=int, help="How many bonds to redeem.")
@on_option
@click.option("--reason", "reason", required=True, help="Why (the holder's letter...).")
@by_option
@lang_option
@guarded
def request_command(
    db: Path, holding: int, bonds: int, on: str, reason: str, by: str | None, lang: str | None
) -> None:
    """Record a holder's request to redeem bonds early (checked against the lock-in); it
    waits in the queue until its notice has run and the annual cap leaves room.

    Example: bondkit register request my-issue.db --holding 12 --bonds 1 --on 2028-06-01
    --reason "letter of 2028-05-30"
    """
    with open_register(db) as reg:
        n = reg.request_redemption(holding, bonds, asked_on=on, reason=reason, by=by)
        row = reg.redemption_queue(on).set_index("request_id").loc[n]
    click.echo(
        say("reg.redeem.requested", n=n, bonds=bonds, holding=holding, due=row["due_on"].date())
    )


@click.command("withdraw")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--request", "request", required=True, type=int, help="The request withdrawn.")
@on_option
@click.option("--reason", "reason", required=True, help="Why (the holder's call...).")
@by_option
@lang_option
@guarded
def withdraw_command(
    db: Path, request: int, on: str, reason: str, by: str | None, lang: str | None
) -> None:
    """Record that a holder withdrew a redemption request still waiting.

    Example: bondkit register withdraw my-issue.db --request 3 --on 2028-07-01 --reason "call"
    """
    with open_register(db) as reg:
        reg.withdraw_request(request, on=on, reason=reason, by=by)
    click.echo(say("reg.redeem.withdrawn", n=request))


@click.command("queue")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--as-of", "as_of", default=None, metavar="DATE", help="The day to look at (default: today)."
)
@lang_option
@guarded
def queue_command(db: Path, as_of: str | None, lang: str | None) -> None:
    """List the redemption requests waiting, oldest first: when each is due, what it would
    be paid that day and its status (to pay, notice, cap, maturity). Numbers, no names.

    Example: bondkit register queue my-issue.db --as-of 2028-12-31
    """
    import datetime as dt

    from bondkit.labels import money_text

    day = as_of or dt.date.today().isoformat()
    with open_register(db) as reg:
        queue = reg.redemption_queue(day)
        currency = reg.issue["currency"]
    if queue.empty:
        click.echo(say("reg.redeem.empty", date=day))
        return
    rows = [say("reg.redeem.queue_head").split("|")]
    for r in queue.itertuples():
        rows.append(
            [
                str(r.request_id),
                str(r.holding_id),
                str(r.holder_id),
                r.series_id,
                str(r.bonds),
                str(r.asked_on.date()),
                str(r.due_on.date()),
                say(f"reg.redeem.status.{r.status}"),
                money_text(int(r.total_cents), message_lang(), currency),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@click.command("redeem")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--date", "date", required=True, metavar="DATE", help="The day of payment.")
@click.option("--confirm", is_flag=True, help="Record the redemptions (else only show them).")
@click.option("--reason", "reason", default=None, help="Why (default: early redemptions of DATE).")
@by_option
@lang_option
@guarded
def redeem_command(
    db: Path, date: str, confirm: bool, reason: str | None, by: str | None, lang: str | None
) -> None:
    """Pay the redemption requests due on a date within the annual cap, oldest first:
    principal and the interest accrued to that day. Without --confirm, shows the totals.

    Example: bondkit register redeem my-issue.db --date 2028-12-15 --confirm
    """
    from bondkit.labels import money_text, t

    with open_register(db) as reg:
        queue = reg.redemption_queue(date)
        due = queue[queue["status"].isin(["to pay", "part"])]
        currency = reg.issue["currency"]
        lang_ = message_lang()
        if confirm:
            why = reason or t("reg.reason.redeemed", lang_).format(date=date)
            reg.redeem(date, reason=why, by=by)
    total = int(due["total_cents"].sum())
    if confirm:
        click.echo(
            say("reg.redeem.paid", date=date, n=len(due), total=money_text(total, lang_, currency))
        )
        return
    click.echo(
        say(
            "reg.redeem.plan",
            date=date,
            n=len(due),
            total=money_text(total, lang_, currency),
            principal=money_text(int(due["principal_cents"].sum()), lang_, currency),
            interest=money_text(int(due["interest_cents"].sum()), lang_, currency),
        )
    )


@click.command("offer")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--renews", "renews", required=True, help="The series that matures.")
@click.option("--series", "series_id", required=True, help="The id of the renewal series.")
@click.option("--rate", "rate", default=None, help="Its annual rate (0.045 for 4.5 %).")
@click.option("--term-years", "term_years", type=int, default=None, help="Its term in years.")
@click.option("--maturity", "maturity", default=None, metavar="DATE", help="Or its maturity.")
@click.option("--face-value", "face_value", default=None, help="Its face value.")
@click.option("--amount", "amount", default=None, help="Its amount (default: the old one's).")
@click.option(
    "--repayment",
    type=click.Choice(["bullet", "level-payment", "level-principal", "accumulating"]),
    default=None,
)
@click.option("--interest", type=click.Choice(["simple", "compound"]), default=None)
@click.option("--reason", "reason", required=True, help="Why (the board's resolution...).")
@by_option
@lang_option
@guarded
def offer_command(
    db: Path,
    renews: str,
    series_id: str,
    rate: str | None,
    term_years: int | None,
    maturity: str | None,
    face_value: str | None,
    amount: str | None,
    repayment: str | None,
    interest: str | None,
    reason: str,
    by: str | None,
    lang: str | None,
) -> None:
    """Offer a renewal series to the holders of a series that matures: its terms with the
    changes given, issued on the old series' maturity date.

    Example: bondkit register offer my-issue.db --renews A --series A2 --rate 0.045
    --term-years 5 --reason "board resolution 2030-11"
    """
    given = {
        "annual_rate": rate,
        "term_years": term_years,
        "maturity_date": maturity,
        "face_value": face_value,
        "amount": amount,
        "repayment": repayment,
        "interest": interest,
    }
    with open_register(db) as reg:
        reg.add_renewal_series(
            renews, series_id, reason=reason, by=by, **{k: v for k, v in given.items() if v}
        )
        row = reg.series().set_index("series_id").loc[series_id]
    click.echo(
        say(
            "reg.renew.offered",
            series=series_id,
            renews=renews,
            issue=row["issue_date"].date(),
            maturity=row["maturity"].date(),
        )
    )


@click.command("renew")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--into", "into", required=True, help="The renewal series.")
@click.option(
    "--holdings", "holdings", required=True, help="The holdings renewed, by number: 3,7,12."
)
@click.option("--reason", "reason", required=True, help="Why (the renewal forms...).")
@by_option
@lang_option
@guarded
def renew_command(
    db: Path, into: str, holdings: str, reason: str, by: str | None, lang: str | None
) -> None:
    """Renew holdings, every bond of each, into a renewal series on the old series'
    maturity date, in one transaction.

    Example: bondkit register renew my-issue.db --into A2 --holdings 3,7,12 --reason "forms"
    """
    from bondkit.errors import Message, Problem
    from bondkit.register import RegisterError

    numbers = []
    for part in holdings.split(","):
        try:
            numbers.append(int(part.strip()))
        except ValueError:
            raise RegisterError(
                Message("reg.err.refused"),
                [Problem("--holdings", Message("msg.whole"), part.strip())],
            ) from None
    with open_register(db) as reg:
        new = reg.renew(numbers, into, reason=reason, by=by)
        date = reg.series().set_index("series_id").loc[into, "issue_date"].date()
    click.echo(
        say(
            "reg.renew.renewed",
            date=date,
            series=into,
            n=len(new),
            new=", ".join(str(n) for n in new),
        )
    )
