"""What the commands of ``bondkit register`` share: their language, their messages, how
they fail (never a traceback), how they open a register, and their common options.

Only click and the standard library at module level, like :mod:`bondkit.cli`.
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

#: the helpers are the package's own (its commands share them), not an API
__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED"]

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
LANG_KEY = "bondkit.register.lang"


def message_lang() -> str:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return "en"
    return ctx.meta.get(LANG_KEY) or ctx.params.get("lang") or "en"


def use_lang(lang: str | None) -> None:
    ctx = click.get_current_context(silent=True)
    if ctx is not None and lang in ("en", "fr") and not ctx.params.get("lang"):
        ctx.meta[LANG_KEY] = lang


def say(key: str, **fields: Any) -> str:
    from bondkit.errors import Message

    return Message(key, **fields).render(message_lang())


def fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command so that it never ends in a traceback (as ``bondkit.cli`` does): a
    :class:`~bondkit.errors.BondkitError` is ``bondkit: <message>`` with its exit code
    (2 by default for the register's), anything else an internal error, exit 1."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from bondkit.errors import BondkitError

        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            sys.exit(EXIT_FAILED)
        except BondkitError as exc:
            code = getattr(exc, "exit_code", EXIT_FAILED)
            fail(say("cli.error", message=exc.render(message_lang())), code)
        except OSError as exc:
            fail(say("cli.err.output", reason=exc.strerror or exc), EXIT_FAILED)
        except Exception as exc:
            fail(say("cli.err.internal", kind=type(exc).__name__, reason=exc), EXIT_FAILED)

    return run


def open_register(db: Path):
    """Open a register (upgraded if older), its messages then in its own language."""
    from bondkit.register import Register

    reg = Register(db)
    use_lang(reg.issue["language"])
    if reg.upgraded_from != reg.version:
        click.echo(
            say("reg.cli.upgraded", file=db, old=reg.upgraded_from, new=reg.version), err=True
        )
    return reg


def warn_if_readable(db: Path) -> None:
    if os.name != "posix":
        return
    try:
        mode = stat.S_IMODE(db.stat().st_mode)
    except OSError:
        return
    if mode & 0o077:
        click.echo(say("reg.cli.readable", file=db), err=True)


lang_option = click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language of the messages (default: the register's, that of its scenario).",
)


by_option = click.option(
    "--by",
    "by",
    default=None,
    metavar="NAME",
    help="Who records (default: BONDKIT_USER, else your user name).",
)
