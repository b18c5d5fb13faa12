"""``bondkit register transfer`` and ``bondkit register estate``: bonds that change hands.

What is printed names holdings, holders and events by number, never a person.
"""

from __future__ import annotations

from pathlib import Path

import click

from bondkit.cli_register import _guarded, _open, _say, lang_option

__all__ = ["transfer_command", "estate_command"]

by_option = click.option(
    "--by",
    "by",
    default=None,
    metavar="NAME",
    help="Who records (default: BONDKIT_USER, else your user name).",
)
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
@_guarded
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
    with _open(db) as reg:
        event, new = reg.transfer(
            holding, bonds, on=on, to_holder_id=to_holder, to=to, reason=reason, by=by
        )
        holder = int(reg.holdings().set_index("holding_id").loc[new, "holder_id"])
    click.echo(
        _say(
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
@_guarded
def estate_command(
    db: Path, holder: int, on: str, reason: str, by: str | None, lang: str | None
) -> None:
    """Move every holding of a holder who died to their estate ("Estate of ..." /
    "Succession de ..."), one event per holding, all in one transaction.

    Example: bondkit register estate my-issue.db --holder 7 --on 2028-01-10 --reason "death notice"
    """
    with _open(db) as reg:
        estate, events = reg.estate(holder, on=on, reason=reason, by=by)
    click.echo(
        _say(
            "reg.move.estated",
            holder=holder,
            n=len(events),
            estate=estate,
            events=", ".join(str(e) for e in events),
        )
    )
