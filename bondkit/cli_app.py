"""``bondkit app``: the web face (issue #17), a command of its own that :mod:`bondkit.cli`
adds to its group with one line.

Only click and the standard library at module level: the web framework loads inside the
command, and without the ``app`` extra the command says how to install it (exit 1).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import click

__all__ = ["app_command", "default_data_folder"]


def _say(key: str, lang: str, **fields: Any) -> str:
    from bondkit.errors import Message

    return Message(key, **fields).render(lang)


def default_data_folder() -> Path:
    """Where the app keeps its users' work unless told: ``$XDG_DATA_HOME/bondkit-app``
    (``~/.local/share/bondkit-app``).

    >>> default_data_folder().name
    'bondkit-app'
    """
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "bondkit-app"


@click.command("app")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Beyond this machine (0.0.0.0, a network "
              "address) the app asks for a token.")  # fmt: skip
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")  # fmt: skip
@click.option("--token", envvar="BONDKIT_APP_TOKEN", default=None, metavar="TEXT",
              help="The team's token (or BONDKIT_APP_TOKEN). Served beyond this machine "
              "without one, the app makes one and prints it.")  # fmt: skip
@click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False), default=None,
              metavar="DIR", help="Folder of the users' work (default: "
              "~/.local/share/bondkit-app).")  # fmt: skip
@click.option("--lang", "lang", type=click.Choice(["fr", "en"]), default="fr",
              show_default=True, help="Language of these messages (each page has its own).")  # fmt: skip
def app_command(host: str, port: int, token: str | None, data: Path | None, lang: str) -> None:
    """Open bondkit in a browser: fill a scenario in a form, run it, read the four
    answers, download the workbook.

    Listens on 127.0.0.1 (this machine only) unless --host says otherwise, and prints the
    address to open. Needs the app extra: pip install 'bondkit[app]'.

    Example: bondkit app
    """
    try:
        import uvicorn

        from bondkit.app.guard import is_loopback
        from bondkit.app.web import AppConfig, create_app
    except ImportError:
        click.echo(_say("cli.app.missing", lang), err=True)
        sys.exit(1)
    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(18)
        click.echo(_say("cli.app.token", lang, token=token))
    config = AppConfig(data=data or default_data_folder(), host=host, token=token)
    shown = f"[{host}]" if ":" in host else host
    click.echo(_say("cli.app.address", lang, url=f"http://{shown}:{port}/"))
    # no access log: the addresses asked are the app's ids, and a log is no place for work
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning", access_log=False)
