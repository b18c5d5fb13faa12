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

import functools
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = ["register"]

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
_LANG_KEY = "bondkit.register.lang"


def _lang() -> str:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return "en"
    return ctx.meta.get(_LANG_KEY) or ctx.params.get("lang") or "en"


def _use_lang(lang: str | None) -> None:
    ctx = click.get_current_context(silent=True)
    if ctx is not None and lang in ("en", "fr") and not ctx.params.get("lang"):
        ctx.meta[_LANG_KEY] = lang


def _say(key: str, **fields: Any) -> str:
    from bondkit.errors import Message

    return Message(key, **fields).render(_lang())


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def _guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command so that it never ends in a traceback (as ``bondkit.cli`` does): a
    :class:`~bondkit.errors.BondkitError` is ``bondkit: <message>`` with its exit code
    (2 by default for the register's), anything else an internal error, exit 1."""

    @functools.wraps(command)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        from bondkit.errors import BondkitError

        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            sys.exit(EXIT_FAILED)
        except BondkitError as exc:
            code = getattr(exc, "exit_code", EXIT_FAILED)
            _fail(_say("cli.error", message=exc.render(_lang())), code)
        except OSError as exc:
            _fail(_say("cli.err.output", reason=exc.strerror or exc), EXIT_FAILED)
        except Exception as exc:
            _fail(_say("cli.err.internal", kind=type(exc).__name__, reason=exc), EXIT_FAILED)

    return guarded


def _open(db: Path):
    """Open a register (upgraded if older), its messages then in its own language."""
    from bondkit.register import Register

    reg = Register(db)
    _use_lang(reg.issue["language"])
    if reg.upgraded_from != reg.version:
        click.echo(
            _say("reg.cli.upgraded", file=db, old=reg.upgraded_from, new=reg.version), err=True
        )
    return reg


def _warn_if_readable(db: Path) -> None:
    if os.name != "posix":
        return
    try:
        mode = stat.S_IMODE(db.stat().st_mode)
    except OSError:
        return
    if mode & 0o077:
        click.echo(_say("reg.cli.readable", file=db), err=True)


lang_option = click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language of the messages (default: the register's, that of its scenario).",
)


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
@_guarded
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
        _use_lang(exc.language)
        _fail(exc.render(_lang()), EXIT_BAD_INPUT)
    _use_lang(sc.language)
    with Register.create(db, sc, by=by) as reg:
        terms = reg.series_terms()
        total = sum(t.amount_cents for t in terms)
        click.echo(
            _say(
                "reg.cli.created",
                file=db,
                name=sc.name,
                n=len(terms),
                total=money_text(total, _lang(), sc.currency),
                version=reg.version,
            )
        )


@register.command("check")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False))
@lang_option
@_guarded
def check_command(db: Path, lang: str | None) -> None:
    """Recompute the register from scratch and reconcile it: the file's integrity, every
    event against its kind's rules, every holding's balances, the series totals. Exit 1
    with every problem found (located by table and number, never by name).

    Example: bondkit register check my-issue.db
    """
    with _open(db) as reg:
        report = reg.check()
    _warn_if_readable(db)
    if not report.ok:
        click.echo(report.render(_lang()), err=True)
        _fail(_say("reg.cli.failed", file=db, n=len(report.problems)), EXIT_FAILED)
    c = report.counts
    click.echo(
        _say(
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
@_guarded
def backup_command(db: Path, to: Path, lang: str | None) -> None:
    """Write a consistent copy of the register, even while another command uses it (SQLite's
    online backup), readable by you only, checked before it gets its name.

    Example: bondkit register backup my-issue.db --to copies/my-issue-2026-03-31.db
    """
    from bondkit.register import Register

    reg = Register(db, upgrade=False)
    with reg:
        _use_lang(reg.issue["language"])
        reg.backup(to)
        version = reg.version
    click.echo(_say("reg.cli.copied", file=db, copy=to, version=version))


# the commands of the other modules of this package (each uses the helpers above)
from bondkit.cli_register import moves, show  # noqa: E402

for _command in (
    moves.transfer_command,
    moves.estate_command,
    moves.request_command,
    moves.withdraw_command,
    moves.queue_command,
    moves.redeem_command,
    show.show_command,
):
    register.add_command(_command)
