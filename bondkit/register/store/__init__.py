"""The register's file and every query on it: one SQLite file per issue.

With :mod:`bondkit.register.schema` (its tables, step by step), this is the only SQL of
bondkit: the rest of :mod:`bondkit.register` calls the functions here with plain Python
values and gets dicts back, so that a server database could be added later by writing
another module with the same functions.

The file
--------
- **One file, rollback journal** (``journal_mode = DELETE``, ``synchronous = FULL``): at
  rest the register is one file, which a person can copy when no command runs; it works
  on a shared network folder (WAL needs shared memory, which network file systems do not
  give) and opens from read-only media. A command holds the write lock for well under a
  second, so WAL's readers-during-writes is not needed; a reader that meets a commit waits
  (``BUSY_TIMEOUT`` seconds) instead of failing.
- **One transaction per command**: :func:`transaction` is ``BEGIN IMMEDIATE`` ...
  ``COMMIT`` (the write lock taken first, so two writers never deadlock); the connection
  is in autocommit mode (``isolation_level=None``), so Python's sqlite3 never opens or
  commits a transaction on its own. SQLite's journal makes a killed command leave the file
  as before: the next connection rolls the hot journal back.
- **Owner only**: a register is created as a temporary file of mode 0600 in the target's
  folder, filled in one transaction, then linked to its name (never over an existing
  file); SQLite gives its journal the database's mode.
- **Marked and versioned**: ``PRAGMA application_id`` says the file is a bondkit register
  (:data:`APPLICATION_ID`) and ``PRAGMA user_version`` is its schema version, the number
  of :data:`MIGRATIONS` applied. A file that is not a database, a database that is not a
  register, or a register from a newer bondkit is refused before anything is written.

Money is integer cents in ``INTEGER`` columns whose ``CHECK (typeof(x) = 'integer')``
refuses a float (STRICT tables would need SQLite 3.37); dates are ISO text checked by
``CHECK (x = date(x))``; rates are decimal text, exact.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = pathlib.Path(tmp) / "demo.db"
...     create(path, lambda conn: None)
...     conn, version = open_register(path)
...     tables = table_names(conn)
...     conn.close()
>>> version == SCHEMA_VERSION, "events" in tables, "postings" in tables
(True, True, True)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bondkit.errors import BondkitError, Message, Problem, format_problems
from bondkit.register.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, Migration

__all__ = [
    "BUSY_TIMEOUT",
    "RegisterError",
    "sqlite_errors",
    "create",
    "open_register",
    "connect",
    "identify",
    "migrate",
    "transaction",
    "backup",
    "digest",
    "table_names",
]

#: seconds a command waits for another one's write lock before giving up
BUSY_TIMEOUT = 10.0

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


class RegisterError(BondkitError):
    """A register that cannot be opened or written, or a write refused with its problems.

    ``exit_code`` is 2 for bad input (not a database, a newer schema, problems in what
    was to be written) and 1 for a failure (busy, disk full). The message never holds
    personal data: holders are named by number, never by name, address or SIN.

    >>> err = RegisterError(Message("reg.err.refused"), [Problem("subscriptions[2].bonds",
    ...     Message("msg.positive"), "0")])
    >>> print(err.render("fr"))
    rien n'a été enregistré :
    subscriptions[2].bonds : doit être supérieur à 0 (vous avez écrit 0)
    >>> err.exit_code
    2
    """

    def __init__(
        self,
        what: Message | str,
        problems: Sequence[Problem] = (),
        exit_code: int = EXIT_BAD_INPUT,
    ) -> None:
        self.what = what
        self.problems = list(problems)
        self.exit_code = exit_code
        super().__init__(what)

    def render(self, lang: str = "en") -> str:
        """The message in ``lang``, then each problem on its own line.

        >>> RegisterError(Message("reg.err.busy", file="a.db")).render("en")  # doctest: +ELLIPSIS
        'a.db is busy: ...'
        """
        head = self.what.render(lang) if isinstance(self.what, Message) else str(self.what)
        if not self.problems:
            return head
        return head + "\n" + format_problems(self.problems, lang)

    def __str__(self) -> str:
        return self.render("en")


# ---------------------------------------------------------------- opening and creating


@contextlib.contextmanager
def sqlite_errors(path: str | os.PathLike) -> Iterator[None]:
    """Turn SQLite's errors into a :class:`RegisterError` naming the file.

    >>> with sqlite_errors("a.db"):
    ...     raise sqlite3.OperationalError("database is locked")
    Traceback (most recent call last):
    ...
    bondkit.register.store.RegisterError: a.db is busy: another bondkit command is writing to it; try again in a moment (nothing was changed)
    """
    try:
        yield
    except RegisterError:
        raise
    except sqlite3.DatabaseError as exc:
        reason = str(exc)
        if "not a database" in reason:
            raise RegisterError(Message("reg.err.not_database", file=path)) from None
        if "locked" in reason or "busy" in reason:
            raise RegisterError(Message("reg.err.busy", file=path), exit_code=EXIT_FAILED) from None
        raise RegisterError(
            Message("reg.err.sqlite", file=path, reason=reason), exit_code=EXIT_FAILED
        ) from None
    except sqlite3.Error as exc:
        raise RegisterError(
            Message("reg.err.sqlite", file=path, reason=str(exc)), exit_code=EXIT_FAILED
        ) from None


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")  # per connection, and only outside a transaction
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def connect(path: str | os.PathLike) -> sqlite3.Connection:
    """A connection to an existing file (never creates one), in autocommit mode, foreign
    keys on. Raises :class:`RegisterError` when there is no such file.

    >>> connect("/nonexistent/folder/issue.db")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bondkit.register.store.RegisterError: /nonexistent/folder/issue.db: no such register ...
    """
    p = Path(path)
    if not p.is_file():
        raise RegisterError(Message("reg.err.missing", file=path))
    uri = p.resolve().as_uri() + "?mode=rw"
    with sqlite_errors(path):
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT)
        return _configure(conn)


def identify(conn: sqlite3.Connection, path: str | os.PathLike) -> int:
    """The schema version of a register; :class:`RegisterError` (nothing written) for a
    file that is not a database, a database that is not a register, or a newer schema.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "other.db"
    ...     other = sqlite3.connect(path)
    ...     _ = other.execute("CREATE TABLE notes (x)"); other.close()
    ...     conn = connect(path)
    ...     try:
    ...         identify(conn, path.name)
    ...     except RegisterError as err:
    ...         print(err)
    ...     conn.close()
    other.db is a SQLite database but not a bondkit register (nothing was changed)
    """
    with sqlite_errors(path):
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app != APPLICATION_ID:
        tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        if not tables and not version:
            raise RegisterError(Message("reg.err.empty", file=path))
        raise RegisterError(Message("reg.err.not_register", file=path))
    if version > SCHEMA_VERSION:
        raise RegisterError(
            Message("reg.err.newer", file=path, found=version, known=SCHEMA_VERSION)
        )
    return int(version)


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, write: bool = True) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``BEGIN`` ... ``ROLLBACK`` to read one
    consistent snapshot); any exception rolls back everything since ``BEGIN``.

    >>> conn = _configure(sqlite3.connect(":memory:", isolation_level=None))
    >>> _ = conn.execute("CREATE TABLE t (x INTEGER)")
    >>> try:
    ...     with transaction(conn):
    ...         _ = conn.execute("INSERT INTO t VALUES (1)")
    ...         raise KeyError("stop")
    ... except KeyError:
    ...     pass
    >>> conn.execute("SELECT COUNT(*) FROM t").fetchone()[0]
    0
    """
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if write:
        conn.execute("COMMIT")
    elif conn.in_transaction:  # a read ends without writing anything, even on a damaged file
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def migrate(
    conn: sqlite3.Connection,
    to: int = SCHEMA_VERSION,
    *,
    applied_at: str,
    bondkit_version: str,
    steps: Sequence[Migration] = MIGRATIONS,
) -> int:
    """Apply the steps after the file's version up to ``to``, inside the caller's
    transaction (all of them or none); the version it started from.

    >>> conn = _configure(sqlite3.connect(":memory:", isolation_level=None))
    >>> with transaction(conn):
    ...     migrate(conn, 1, applied_at="2026-01-01T00:00:00Z", bondkit_version="0.1.0")
    0
    >>> conn.execute("PRAGMA user_version").fetchone()[0], "series_totals" in table_names(conn)
    (1, False)
    """
    if not conn.in_transaction:
        raise RuntimeError("migrate runs inside a transaction")
    start = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for step in steps[start:to]:
        for statement in step.statements:
            conn.execute(statement)
        if step.version == 1:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {int(step.version)}")
        conn.execute(
            "INSERT INTO schema_history(version, applied_at, bondkit_version, what) "
            "VALUES (?, ?, ?, ?)",
            (step.version, applied_at, bondkit_version, step.what),
        )
    return start


def _now_text() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _version() -> str:
    from bondkit import __version__

    return __version__


def open_register(path: str | os.PathLike, upgrade: bool = True) -> tuple[sqlite3.Connection, int]:
    """Open a register; with ``upgrade``, bring an older schema to :data:`SCHEMA_VERSION`
    in one transaction first. Returns the connection and the version the file had.

    >>> open_register("/nonexistent/issue.db")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bondkit.register.store.RegisterError: /nonexistent/issue.db: no such register ...
    """
    conn = connect(path)
    try:
        version = identify(conn, path)
        if upgrade and version < SCHEMA_VERSION:
            with sqlite_errors(path), transaction(conn):
                identify(conn, path)  # again, under the write lock
                migrate(conn, applied_at=_now_text(), bondkit_version=_version())
    except BaseException:
        conn.close()
        raise
    return conn, version


def _fsync(path: Path, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # a folder cannot be opened on this system (Windows): nothing to sync
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish(tmp: Path, path: Path) -> None:
    """Give the finished file ``tmp`` its name ``path``, never replacing a file there."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise RegisterError(Message("reg.err.exists", file=path), exit_code=EXIT_FAILED) from None
    except OSError:  # no hard links on this file system: rename (checked just before)
        if path.exists():
            raise RegisterError(
                Message("reg.err.exists", file=path), exit_code=EXIT_FAILED
            ) from None
        os.replace(tmp, path)
    _fsync(path.parent, directory=True)


@contextlib.contextmanager
def _staged(path: Path) -> Iterator[Path]:
    """A temporary file of mode 0600 beside ``path``, removed at the end whatever happens."""
    if path.exists():
        raise RegisterError(Message("reg.err.exists", file=path), exit_code=EXIT_FAILED)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise RegisterError(
            Message("reg.err.write", file=path, reason=exc.strerror or exc), exit_code=EXIT_FAILED
        ) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def create(
    path: str | os.PathLike,
    fill: Callable[[sqlite3.Connection], None],
    *,
    created_at: str | None = None,
) -> None:
    """Create a register at ``path``: the whole schema and ``fill(conn)`` in one
    transaction, in a file readable by its owner only; never over an existing file.

    Killed at any moment, ``path`` either does not exist or is complete.

    >>> import tempfile, pathlib, stat
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "issue.db"
    ...     create(path, lambda conn: None)
    ...     mode = oct(stat.S_IMODE(path.stat().st_mode))
    ...     try:
    ...         create(path, lambda conn: None)
    ...     except RegisterError as err:
    ...         refused = err.exit_code
    >>> mode, refused
    ('0o600', 1)
    """
    path = Path(path)
    with _staged(path) as tmp:
        try:
            conn = _configure(sqlite3.connect(tmp, isolation_level=None))
            try:
                conn.execute("PRAGMA journal_mode = DELETE")
                with transaction(conn):
                    migrate(conn, applied_at=created_at or _now_text(), bondkit_version=_version())
                    fill(conn)
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise RegisterError(
                Message("reg.err.sqlite", file=path, reason=str(exc)), exit_code=EXIT_FAILED
            ) from None
        except OSError as exc:
            raise RegisterError(
                Message("reg.err.write", file=path, reason=exc.strerror or exc),
                exit_code=EXIT_FAILED,
            ) from None
        _fsync(tmp)
        _publish(tmp, path)


def backup(conn: sqlite3.Connection, source: str | os.PathLike, to: str | os.PathLike) -> int:
    """A consistent copy of the open register ``conn`` at ``to`` (mode 0600, never over an
    existing file), made with SQLite's online backup while other commands may be using
    it; the copy's schema version. The copy is checked (``PRAGMA integrity_check``) before
    it gets its name.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "issue.db"
    ...     create(path, lambda conn: None)
    ...     conn, _ = open_register(path)
    ...     version = backup(conn, path, pathlib.Path(tmp) / "copy.db")
    ...     conn.close()
    >>> version == SCHEMA_VERSION
    True
    """
    to = Path(to)
    if to.exists():
        raise RegisterError(Message("reg.err.exists", file=to), exit_code=EXIT_FAILED)
    with _staged(to) as tmp:
        try:
            copy = sqlite3.connect(tmp, isolation_level=None)
            try:
                with sqlite_errors(source):
                    conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
                ok = [row[0] for row in copy.execute("PRAGMA integrity_check")]
                version = int(copy.execute("PRAGMA user_version").fetchone()[0])
            finally:
                copy.close()
        except sqlite3.Error as exc:
            raise RegisterError(
                Message("reg.err.sqlite", file=to, reason=str(exc)), exit_code=EXIT_FAILED
            ) from None
        except OSError as exc:
            raise RegisterError(
                Message("reg.err.write", file=to, reason=exc.strerror or exc),
                exit_code=EXIT_FAILED,
            ) from None
        if ok != ["ok"]:
            raise RegisterError(
                Message("reg.err.sqlite", file=to, reason="; ".join(ok[:3])), exit_code=EXIT_FAILED
            )
        _fsync(tmp)
        _publish(tmp, to)
    return version


# ---------------------------------------------------------------- reading the whole file


def table_names(conn: sqlite3.Connection) -> list[str]:
    """The tables of the file, sorted (SQLite's own aside).

    >>> conn = sqlite3.connect(":memory:")
    >>> _ = conn.execute("CREATE TABLE b (x)"); _ = conn.execute("CREATE TABLE a (x)")
    >>> table_names(conn)
    ['a', 'b']
    """
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [row[0] for row in rows]


def digest(conn: sqlite3.Connection) -> str:
    """SHA-256 of everything the register holds: its version, its schema and every row
    of every table in rowid order. Two files with the same digest hold the same register.

    >>> a = sqlite3.connect(":memory:"); b = sqlite3.connect(":memory:")
    >>> for c in (a, b):
    ...     _ = c.execute("CREATE TABLE t (x INTEGER)")
    >>> _ = b.execute("INSERT INTO t VALUES (1)")
    >>> digest(a) == digest(b), digest(a) == digest(sqlite3.connect(":memory:"))
    (False, False)
    """
    h = hashlib.sha256()
    for pragma in ("user_version", "application_id"):
        h.update(repr(conn.execute(f"PRAGMA {pragma}").fetchone()[0]).encode())
    for row in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "ORDER BY type, name"
    ):
        h.update(repr(tuple(row)).encode())
    for table in table_names(conn):
        h.update(table.encode())
        for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
            h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def rows(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """The rows of a query as dicts (column name -> value)."""
    return [dict(row) for row in conn.execute(sql, tuple(params))]


# ---------------------------------------------------------------- writing rows


def insert_row(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    """Insert one row (keys are column names written by bondkit, never by a user); its
    rowid."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cur = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
    return int(cur.lastrowid)


def insert_postings(
    conn: sqlite3.Connection, event_id: int, postings: Iterable[tuple[int, int, int, int, int]]
) -> None:
    """The postings of an event: (holding, bonds, principal, interest, cash) each."""
    conn.executemany(
        "INSERT INTO postings (event_id, holding_id, bonds, principal_cents, interest_cents, "
        "cash_cents) VALUES (?, ?, ?, ?, ?, ?)",
        ((event_id, *p) for p in postings),
    )


# ---------------------------------------------------------------- reading rows


def read_issue(conn: sqlite3.Connection) -> dict[str, Any]:
    """The issue's one row."""
    return rows(conn, "SELECT * FROM issue WHERE id = 1")[0]


def read_series(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The series, in the scenario's order."""
    return rows(conn, "SELECT * FROM series ORDER BY position")


def read_holders(conn: sqlite3.Connection, include_sin: bool = False) -> list[dict[str, Any]]:
    """The holders, by number; their SIN only when asked."""
    sin = ", sin" if include_sin else ""
    return rows(
        conn,
        f"SELECT holder_id, name, address, email{sin}, language, kind, co_holder, country, "
        "payment_method, estate_of, created_at FROM holders ORDER BY holder_id",
    )


def read_holdings(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The holdings with their balances (the view ``holding_balances``)."""
    return rows(
        conn,
        "SELECT h.holding_id, h.holder_id, h.series_id, h.subscribed_on, h.interest_start, "
        "h.origin_holding_id, b.bonds, b.principal_cents, b.interest_cents, b.cash_cents "
        "FROM holdings h JOIN holding_balances b ON b.holding_id = h.holding_id "
        "ORDER BY h.holding_id",
    )


def read_holding(conn: sqlite3.Connection, holding_id: int) -> dict[str, Any] | None:
    """One holding (without balances), or None."""
    found = rows(conn, "SELECT * FROM holdings WHERE holding_id = ?", (holding_id,))
    return found[0] if found else None


def holder_exists(conn: sqlite3.Connection, holder_id: int) -> bool:
    """Whether a holder has this number."""
    return (
        conn.execute("SELECT 1 FROM holders WHERE holder_id = ?", (holder_id,)).fetchone()
        is not None
    )


def read_balances(conn: sqlite3.Connection, holding_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """The balances (bonds, principal, interest, cash) of some holdings, from the view."""
    marks = ", ".join("?" for _ in holding_ids)
    found = rows(
        conn,
        "SELECT holding_id, bonds, principal_cents, interest_cents, cash_cents "
        f"FROM holding_balances WHERE holding_id IN ({marks})",
        holding_ids,
    )
    return {
        r["holding_id"]: (r["bonds"], r["principal_cents"], r["interest_cents"], r["cash_cents"])
        for r in found
    }


def read_ledger(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every posting with its event (the view ``ledger``), in the order recorded."""
    return rows(conn, "SELECT * FROM ledger ORDER BY event_id, posting_id")


def read_events(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The events table, in the order recorded."""
    return rows(conn, "SELECT * FROM events ORDER BY event_id")


def read_event(conn: sqlite3.Connection, event_id: int) -> dict[str, Any] | None:
    """One event, or None."""
    found = rows(conn, "SELECT * FROM events WHERE event_id = ?", (event_id,))
    return found[0] if found else None


def read_postings(conn: sqlite3.Connection, event_id: int | None = None) -> list[dict[str, Any]]:
    """The postings (of one event, or all), each with the series of its holding."""
    where, params = ("WHERE p.event_id = ?", (event_id,)) if event_id is not None else ("", ())
    return rows(
        conn,
        "SELECT p.posting_id, p.event_id, p.holding_id, h.series_id, p.bonds, "
        "p.principal_cents, p.interest_cents, p.cash_cents FROM postings p "
        f"JOIN holdings h ON h.holding_id = p.holding_id {where} ORDER BY p.posting_id",
        params,
    )


def posting_tuples(conn: sqlite3.Connection) -> list[tuple]:
    """Every posting as (event, kind, holding, series, bonds, principal, interest, cash),
    by event then posting: the check's one read of the ledger."""
    return conn.execute(
        "SELECT p.event_id, e.kind, p.holding_id, h.series_id, p.bonds, p.principal_cents, "
        "p.interest_cents, p.cash_cents FROM postings p "
        "JOIN events e ON e.event_id = p.event_id "
        "JOIN holdings h ON h.holding_id = p.holding_id ORDER BY p.event_id, p.posting_id"
    ).fetchall()


def event_tuples(conn: sqlite3.Connection) -> list[tuple]:
    """Every event as (event, kind, reverses), by number."""
    return conn.execute("SELECT event_id, kind, reverses FROM events ORDER BY event_id").fetchall()


def read_series_totals(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The stored running totals by series."""
    return rows(conn, "SELECT * FROM series_totals ORDER BY series_id")


def bonds_held(conn: sqlite3.Connection) -> dict[str, int]:
    """Bonds held by series, from the running totals."""
    return {r["series_id"]: r["bonds"] for r in read_series_totals(conn)}


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many series, holders, holdings, events and postings."""
    return {
        table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        for table in ("series", "holders", "holdings", "events", "postings")
    }


def events_without_postings(conn: sqlite3.Connection) -> list[int]:
    """Events that move nothing (no posting)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT e.event_id FROM events e LEFT JOIN postings p ON p.event_id = e.event_id "
            "WHERE p.posting_id IS NULL ORDER BY e.event_id"
        )
    ]


# ---------------------------------------------------------------- the file's own checks


def integrity(conn: sqlite3.Connection, most: int = 20) -> list[str]:
    """``PRAGMA integrity_check``: ``['ok']`` for a sound file, else what is damaged."""
    return [r[0] for r in conn.execute(f"PRAGMA integrity_check({int(most)})")]


def foreign_key_problems(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """``PRAGMA foreign_key_check``: (table, rowid, missing parent table) each."""
    return [(r[0], r[1], r[2]) for r in conn.execute("PRAGMA foreign_key_check")]


def trigger_names(conn: sqlite3.Connection) -> set[str]:
    """The triggers the file has."""
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def history(conn: sqlite3.Connection) -> list[int]:
    """The schema versions applied, in order."""
    return [r[0] for r in conn.execute("SELECT version FROM schema_history ORDER BY version")]
