"""``bondkit register show``: the register at a glance, in numbers (never a name)."""

from __future__ import annotations

from pathlib import Path

import click

from bondkit.cli_register.common import guarded, lang_option, message_lang, open_register, say

__all__ = ["show_command"]


@click.command("show")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--as-of", "as_of", default=None, metavar="DATE", help="The day to look at (default: today)."
)
@lang_option
@guarded
def show_command(db: Path, as_of: str | None, lang: str | None) -> None:
    """Show the register in numbers: outstanding by series, holders by kind, the next
    payment of each series, the redemption requests waiting. Holders are counted, never
    named.

    Example: bondkit register show my-issue.db --as-of 2027-12-31
    """
    from bondkit.labels import money_text

    with open_register(db) as reg:
        o = reg.overview(as_of)
    lg, cur = message_lang(), o["currency"]
    click.echo(say("reg.show.title", name=o["name"], date=o["as_of"]))
    if o["last_recorded"]:
        click.echo(say("reg.show.last", at=o["last_recorded"]["at"], by=o["last_recorded"]["by"]))
    rows = [say("reg.show.head").split("|")]
    for s in o["series"]:
        rows.append(
            [
                s["series_id"],
                f"{s['bonds_held']} / {s['bonds']}",
                money_text(s["principal_cents"], lg, cur),
                money_text(s["interest_cents"], lg, cur),
                str(s["holders"]),
                s["maturity"],
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    h = o["holders"]
    click.echo(
        say(
            "reg.show.holders",
            n=sum(h.values()),
            person=h["person"],
            corporation=h["corporation"],
            estate=h["estate"],
        )
    )
    for p in o["next_payments"]:
        click.echo(
            say(
                "reg.show.next",
                series=p["series_id"],
                date=p["date"],
                total=money_text(p["total_cents"], lg, cur),
                holdings=p["holdings"],
            )
        )
    q = o["requests"]
    click.echo(say("reg.show.requests", n=q["waiting"], bonds=q["bonds"], due=q["to_pay"]))
