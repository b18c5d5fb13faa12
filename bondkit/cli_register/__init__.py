"""``bondkit register``: the register of holders of an issue, from the terminal.

Thin commands over :mod:`bondkit.register`, written like those of :mod:`bondkit.cli` (which
adds this group with one line): only click and the standard library at module level; every
line comes from :data:`bondkit.labels.LABELS`, in ``--lang``, else the register's (its
scenario's) language, else English; no traceback ever. A register that cannot be used
(no such file, not a database, a newer schema) or bad input exits 2 with one message
naming the file; a failure (busy, disk full) or a check that finds problems exits 1. The
file is then unchanged. Holders are never named in what these commands print.
"""

from __future__ import annotations

from pathlib import Path

import click

from bondkit.cli_register.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    fail,
    guarded,
    lang_option,
    message_lang,
    open_register,
    say,
    use_lang,
    warn_if_readable,
)
from bondkit.cli_register.help_words import help_lang_option

__all__ = ["register"]


@help_lang_option
@click.group("register")
def register() -> None:
    """Keep the register of holders of an issue in a database file (one per issue).

    \b
    The file holds personal data: it is created readable by you only.
      bondkit register init my-issue.toml --db my-issue.db --by "Lucie"
      bondkit register check my-issue.db
      bondkit register backup my-issue.db --to copies/my-issue-2026-03-31.db
    """


@register.command("init")
@click.argument("scenario", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--db",
    "db",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The register's file to create (never over an existing file).",
)
@click.option(
    "--by",
    "by",
    default=None,
    metavar="NAME",
    help="Who creates it (default: BONDKIT_USER, else your user name).",
)
@lang_option
@guarded
def init_command(scenario: Path, db: Path, by: str | None, lang: str | None) -> None:
    """Create the register of an issue from its scenario: series terms, interest-start
    rule, redemption rules; no holder yet. Exit 2 with every problem of a bad scenario.

    Example: bondkit register init my-issue.toml --db my-issue.db --by "Lucie"
    """
    from bondkit.errors import ScenarioError
    from bondkit.labels import money_text
    from bondkit.register import Register
    from bondkit.scenario import load_scenario

    try:
        sc = load_scenario(scenario)
    except ScenarioError as exc:
        use_lang(exc.language)
        fail(exc.render(message_lang()), EXIT_BAD_INPUT)
    use_lang(sc.language)
    with Register.create(db, sc, by=by) as reg:
        terms = reg.series_terms()
        total = sum(t.amount_cents for t in terms)
        click.echo(
            say(
                "reg.cli.created",
                file=db,
                name=sc.name,
                n=len(terms),
                total=money_text(total, message_lang(), sc.currency),
                version=reg.version,
            )
        )


@register.command("check")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@lang_option
@guarded
def check_command(db: Path, lang: str | None) -> None:
    """Recompute the register from scratch and reconcile it: the file's integrity, every
    event against its kind's rules, every holding's balances, the series totals. Exit 1
    with every problem found (located by table and number, never by name).

    Example: bondkit register check my-issue.db
    """
    with open_register(db) as reg:
        report = reg.check()
    warn_if_readable(db)
    if not report.ok:
        click.echo(report.render(message_lang()), err=True)
        fail(say("reg.cli.failed", file=db, n=len(report.problems)), EXIT_FAILED)
    c = report.counts
    click.echo(
        say(
            "reg.cli.ok",
            file=db,
            version=report.version,
            series=c["series"],
            holders=c["holders"],
            holdings=c["holdings"],
            events=c["events"],
        )
    )


@register.command("backup")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--to",
    "to",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The copy to write (never over an existing file).",
)
@lang_option
@guarded
def backup_command(db: Path, to: Path, lang: str | None) -> None:
    """Write a consistent copy of the register, even while another command uses it (SQLite's
    online backup), readable by you only, checked before it gets its name.

    Example: bondkit register backup my-issue.db --to copies/my-issue-2026-03-31.db
    """
    from bondkit.register import Register

    reg = Register(db, upgrade=False)
    with reg:
        use_lang(reg.issue["language"])
        reg.backup(to)
        version = reg.version
    click.echo(say("reg.cli.copied", file=db, copy=to, version=version))


# the commands of the other modules of this package (they share bondkit.cli_register.common)
from bondkit.cli_register import importing, moves, payments, show  # noqa: E402
from bondkit.cli_register.exports import export_command  # noqa: E402
from bondkit.cli_register.taxes import slips_command, statements_command  # noqa: E402

for _command in (
    importing.import_command,
    payments.pay_command,
    moves.transfer_command,
    moves.estate_command,
    moves.request_command,
    moves.withdraw_command,
    moves.queue_command,
    moves.redeem_command,
    moves.offer_command,
    moves.renew_command,
    show.show_command,
    export_command,
    statements_command,
    slips_command,
):
    register.add_command(_command)
