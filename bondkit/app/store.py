"""Where the web face keeps each person's work: a folder per user under the app's own data
folder, a file per scenario, named by bondkit (never by the person).

A user is the random id of a signed session cookie; a scenario is a random id. Both are
checked against their pattern before they become part of a path, so no name a browser
sends can reach another folder: a user sees only their own scenarios.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = ["Store", "Saved", "new_id", "scenario_toml", "ID"]

#: the ids bondkit makes (users, scenarios): 32 hexadecimal digits
ID = re.compile(r"[0-9a-f]{32}")


def new_id() -> str:
    """A new random id (128 bits).

    >>> bool(ID.fullmatch(new_id()))
    True
    """
    return secrets.token_hex(16)


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral():
        return int(value)
    return value


def scenario_toml(data: dict[str, Any]) -> str:
    """Scenario data as a TOML file that reads back to the same scenario.

    >>> import datetime
    >>> print(scenario_toml({"scenario": {"name": "Coop"}, "series": [
    ...     {"id": "A", "amount": Decimal("50000"), "face_value": Decimal("500"),
    ...      "annual_rate": Decimal("0.04"), "issue_date": datetime.date(2027, 1, 15),
    ...      "term_years": 5, "repayment": "bullet"}]}))
    [scenario]
    name = "Coop"
    <BLANKLINE>
    [[series]]
    id = "A"
    amount = 50000
    face_value = 500
    annual_rate = 0.04
    issue_date = 2027-01-15
    term_years = 5
    repayment = "bullet"
    <BLANKLINE>
    """
    import tomli_w

    return tomli_w.dumps(_plain(data))


@dataclass(frozen=True)
class Saved:
    """A scenario kept for a user: its id, name and when it was saved."""

    id: str
    name: str
    saved: dt.datetime


class Store:
    """The users' folders under ``root`` (created if missing, readable by its owner only)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def secret(self) -> str:
        """The key that signs the session cookies: made on first use, kept in the data
        folder (readable by its owner only), so that a restart keeps the sessions.

        >>> import tempfile
        >>> store = Store(tempfile.mkdtemp())
        >>> store.secret() == Store(store.root).secret() and len(store.secret()) > 30
        True
        """
        path = self.root / "session.key"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_urlsafe(32))
        return path.read_text(encoding="ascii").strip()

    def folder(self, user: str) -> Path:
        """The folder of ``user`` (an id from :func:`new_id`; anything else is refused)."""
        if not ID.fullmatch(user):
            raise KeyError("not a user id")
        return self.root / user

    def _path(self, user: str, sid: str, suffix: str = ".toml") -> Path:
        if not ID.fullmatch(sid):
            raise KeyError("not a scenario id")
        return self.folder(user) / "scenarios" / f"{sid}{suffix}"

    def save(self, user: str, text: str, sid: str | None = None) -> str:
        """Keep a scenario's TOML for ``user`` (a new one, or ``sid`` replaced); its id.
        The file is written whole or not at all."""
        sid = sid or new_id()
        path = self._path(user, sid)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
        return sid

    def text(self, user: str, sid: str) -> str:
        """A scenario's TOML; ``KeyError`` when ``user`` has no such scenario."""
        path = self._path(user, sid)
        if not path.is_file():
            raise KeyError(sid)
        return path.read_text(encoding="utf-8")

    def outputs(self, user: str, sid: str) -> Path:
        """The folder of a scenario's run files (created)."""
        path = self._path(user, sid, "")
        folder = path.parent.parent / "runs" / sid
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    def list(self, user: str) -> list[Saved]:
        """The user's scenarios, the last saved first."""
        import tomllib

        folder = self.folder(user) / "scenarios"
        out = []
        for path in folder.glob("*.toml") if folder.is_dir() else ():
            try:
                name = tomllib.loads(path.read_text(encoding="utf-8"))["scenario"]["name"]
            except (tomllib.TOMLDecodeError, KeyError, TypeError):
                name = "?"
            when = dt.datetime.fromtimestamp(path.stat().st_mtime)
            out.append(Saved(path.stem, str(name), when))
        return sorted(out, key=lambda s: s.saved, reverse=True)
