"""The register's store (issue #13): the file, its schema and migrations, the append-only
ledger, check, backup, the command line, and personal data kept out of every message."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.labels import LABELS
from bondkit.register import EVENT_KINDS, SCHEMA_VERSION, Posting, Register, RegisterError, store
from bondkit.register.schema import APPLICATION_ID, GUARDS, MIGRATIONS
from bondkit.scenario import load_example

ROOT = Path(__file__).resolve().parents[1]
SOLAR = ROOT / "scenarios" / "solar-coop-multi-series.toml"
CINEMA = ROOT / "scenarios" / "cinema-du-parc-2016.toml"
AT = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)

#: a holder whose every detail is personal data; none may appear in any message
SECRET = {
    "name": "Zébulon Quartzpersonne",
    "address": "77 rue des Secrets, Rimouski",
    "email": "zebulon.quartz@example.org",
    "sin": "046 454 286",
}
SECRET_STRINGS = (
    *(v for k, v in SECRET.items() if k != "sin"),
    "046454286",
    "046 454 286",
    "Quartzpersonne",
    "Secrets",
)

#: the SHA-256 of each released migration's statements, written when it was released:
#: registers made by it exist, so it never changes (a schema change is a new step)
RELEASED = {
    1: "8bb7599175e4369865c81f5e69fb288b81926fe8d9a87106dc8bd0f6a8e1a000",
    2: "6a302c4ada0df211b22679f5fab9e41887d57745e3c10ca747fd86b817d12da2",
    3: "3637d97e36b2f6c5f0c671c22f44e4ff0a51b81c4e3721ce474222727d608fef",
    4: "b58208ecfb07a88c5e4afdc068cf6f632dcd23e8821395214f13cc21e61dbcdb",
}


def _sha(step) -> str:
    return hashlib.sha256("\n;\n".join(step.statements).encode()).hexdigest()


@pytest.fixture
def solar(tmp_path) -> Register:
    reg = Register.create(
        tmp_path / "solar.db", load_example("solar-coop-multi-series"), by="Lucie"
    )
    yield reg
    reg.close()


def _sub(reg: Register, **row) -> int:
    row = {"series": "A-3y", "bonds": 2, "subscribed_on": "2026-02-01", **row}
    row.setdefault("name", "Café du Coin") if "holder_id" not in row else None
    return reg.add_subscription(reason="paper form", by="Lucie", now=AT, **row)


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


# ---------------------------------------------------------------- the file


def test_a_new_register_is_readable_by_its_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        with Register.create(tmp_path / "a.db", load_example("grand-costumier-2016")) as reg:
            _sub(reg, series="A", subscribed_on="2016-07-15")
            reg._conn.execute("BEGIN IMMEDIATE")
            reg._conn.execute("INSERT INTO holders (name, created_at) VALUES ('x', 'now')")
            journal = Path(f"{reg.path}-journal")
            journal_mode = stat.S_IMODE(journal.stat().st_mode)
            reg._conn.execute("ROLLBACK")
            copy = reg.backup(tmp_path / "copy.db")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.db").stat().st_mode) == 0o600
    assert journal_mode == 0o600  # SQLite gives its journal the database's mode
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db", "copy.db"]  # no leftovers


def test_the_file_is_marked_versioned_and_uses_a_rollback_journal(solar):
    conn = solar._conn
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.history(conn) == list(range(1, SCHEMA_VERSION + 1))
    kinds = [r[0] for r in conn.execute("SELECT kind FROM event_kinds ORDER BY rowid")]
    assert tuple(kinds) == EVENT_KINDS


def test_init_never_writes_over_a_file(tmp_path):
    path = tmp_path / "mine.db"
    path.write_bytes(b"my own notes")
    with pytest.raises(RegisterError) as err:
        Register.create(path, load_example("grand-costumier-2016"))
    assert err.value.exit_code == 1 and "already exists" in str(err.value)
    assert path.read_bytes() == b"my own notes"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.db"]


def _newer(tmp_path: Path) -> Path:
    path = tmp_path / "newer.db"
    Register.create(path, load_example("grand-costumier-2016")).close()
    conn = _raw(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    return path


def _other_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.commit()
    conn.close()
    return path


REFUSED = {
    "text": (
        lambda p: (p / "notes.db").write_bytes(b"not a database " * 100) and p / "notes.db",
        "is not a SQLite database",
        "n'est pas une base de données SQLite",
    ),
    "empty": (
        lambda p: (p / "empty.db").write_bytes(b"") or p / "empty.db",
        "is empty, so not a bondkit register",
        "est vide, donc pas un registre bondkit",
    ),
    "other": (
        _other_sqlite,
        "is a SQLite database but not a bondkit register",
        "mais pas un registre bondkit",
    ),
    "newer": (
        _newer,
        f"was written by a newer bondkit (register schema {SCHEMA_VERSION + 1}; "
        f"this bondkit reads up to {SCHEMA_VERSION})",
        "a été écrit par un bondkit plus récent",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
@pytest.mark.parametrize("command", ["check", "backup"])
def test_a_file_that_is_not_a_register_is_refused_by_name_and_left_unchanged(
    tmp_path, case, command
):
    make, en, fr = REFUSED[case]
    path = make(tmp_path)
    before = path.read_bytes()
    extra = ["--to", str(tmp_path / "copy.db")] if command == "backup" else []
    for lang, words in (("en", en), ("fr", fr)):
        result = CliRunner().invoke(main, ["register", command, str(path), "--lang", lang, *extra])
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert str(path) in result.stderr and words in result.stderr, result.stderr
        assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no journal, no copy
    with pytest.raises(RegisterError):
        Register(path)
    assert path.read_bytes() == before


def test_a_missing_register_is_not_created(tmp_path):
    result = CliRunner().invoke(main, ["register", "check", str(tmp_path / "nope.db")])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"bondkit: {tmp_path / 'nope.db'}: no such register (nothing was created; bondkit register init creates one)\n"
    )
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- migrations


def test_released_migrations_never_change():
    """Registers written by a released step exist: change the schema with a new step (and
    write its hash here when it is released)."""
    assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    assert {m.version: _sha(m) for m in MIGRATIONS} == RELEASED


def _fill_v1(conn: sqlite3.Connection) -> None:
    """A register of schema 1 with data, written with schema 1's own SQL (frozen here)."""
    conn.execute(
        "INSERT INTO issue (id, name, issuer, legal_form, jurisdiction, currency, language, "
        "fiscal_year_end, interest_start, created_at, created_by, bondkit_version) VALUES "
        "(1, 'Old issue', 'Coop', 'coop', 'QC', 'CAD', 'fr', '12-31', 'issue-date', "
        "'2026-01-01T00:00:00Z', 'Lucie', '0.1.0')"
    )
    for pos, (sid, amount, face) in enumerate(
        (("A", 10_000_000, 50_000), ("B", 5_000_000, 100_000)), 1
    ):
        conn.execute(
            "INSERT INTO series (series_id, position, amount_cents, face_value_cents, bonds, "
            "annual_rate, issue_date, maturity, term_years, repayment, frequency, day_count, "
            "interest_only_years, business_day, step_rates, sculpt_cash_flow, fiscal_year_end) "
            "VALUES (?, ?, ?, ?, ?, '0.04', '2026-03-02', '2031-03-02', 5, 'bullet', 'annual', "
            "'30/360', 0, 'unadjusted', '[]', '[]', '12-31')",
            (sid, pos, amount, face, amount // face),
        )
    for h in range(1, 4):
        conn.execute("INSERT INTO holders (name, created_at) VALUES (?, 'x')", (f"H{h}",))
    holdings = [(1, "A"), (2, "A"), (3, "B"), (1, "A")]
    for holder, sid in holdings:
        conn.execute(
            "INSERT INTO holdings (holder_id, series_id, subscribed_on, interest_start, "
            "created_at) VALUES (?, ?, '2026-02-01', '2026-03-02', 'x')",
            (holder, sid),
        )
    events = [
        ("subscription", None, [(1, 4, 200_000, 0, 0)]),
        ("subscription", None, [(2, 2, 100_000, 0, 0)]),
        ("subscription", None, [(3, 3, 300_000, 0, 0)]),
        ("payment_received", None, [(1, 0, 0, 0, 20_000)]),
        ("correction", 4, [(1, 0, 0, 0, -20_000)]),
        ("payment_received", None, [(1, 0, 0, 0, 200_000)]),
        ("interest_accrued", None, [(3, 0, 0, 1_200, 0)]),
        ("transfer", None, [(1, -1, -50_000, 0, 0), (4, 1, 50_000, 0, 0)]),
    ]
    for kind, reverses, postings in events:
        cur = conn.execute(
            "INSERT INTO events (kind, occurred_on, recorded_at, recorded_by, reason, reverses) "
            "VALUES (?, '2026-02-01', '2026-02-01T10:00:00Z', 'Lucie', 'test', ?)",
            (kind, reverses),
        )
        for p in postings:
            conn.execute(
                "INSERT INTO postings (event_id, holding_id, bonds, principal_cents, "
                "interest_cents, cash_cents) VALUES (?, ?, ?, ?, ?, ?)",
                (cur.lastrowid, *p),
            )


def _fill_v3(conn: sqlite3.Connection) -> None:
    """A register of schema 3 with data: version 1's, a holder's new details, and a row in
    each table version 3 added, written with schema 3's own SQL (frozen here)."""
    _fill_v1(conn)
    conn.execute(
        "UPDATE holders SET language = 'en', kind = 'estate', co_holder = 'Paul', "
        "country = 'CA', payment_method = 'cheque', estate_of = 1 WHERE holder_id = 2"
    )
    conn.execute(
        "INSERT INTO import_rows VALUES ('k1', 1, 'forms.csv', 'abc', 2, '2026-02-01T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO payment_runs (series_id, due_on, paid_on, recorded_at, recorded_by) "
        "VALUES ('A', '2027-03-02', '2027-03-02', '2027-03-02T00:00:00Z', 'Lucie')"
    )
    cur = conn.execute(
        "INSERT INTO events (kind, occurred_on, recorded_at, recorded_by, reason, run_id) "
        "VALUES ('interest_accrued', '2027-03-02', '2027-03-02T00:00:00Z', 'Lucie', 'run', 1)"
    )
    conn.execute(
        "INSERT INTO postings (event_id, holding_id, interest_cents) VALUES (?, 2, 4000)",
        (cur.lastrowid,),
    )
    cur = conn.execute(
        "INSERT INTO events (kind, occurred_on, recorded_at, recorded_by, reason, run_id) "
        "VALUES ('interest_paid', '2027-03-02', '2027-03-02T00:00:00Z', 'Lucie', 'run', 1)"
    )
    conn.execute(
        "INSERT INTO postings (event_id, holding_id, interest_cents, cash_cents) "
        "VALUES (?, 2, -4000, -4000)",
        (cur.lastrowid,),
    )
    conn.execute(
        "INSERT INTO redemption_requests (holding_id, bonds, asked_on, reason, recorded_at, "
        "recorded_by) VALUES (1, 1, '2027-04-01', 'letter', '2027-04-01T00:00:00Z', 'Lucie')"
    )
    conn.execute(
        "INSERT INTO request_outcomes (request_id, outcome, decided_on, reason, recorded_at, "
        "recorded_by) VALUES (1, 'withdrawn', '2027-04-15', 'call', '2027-04-15T00:00:00Z', "
        "'Lucie')"
    )


#: for every earlier schema version, how to fill a register of it (a new version needs one)
FILL = {1: _fill_v1, 2: _fill_v1, 3: _fill_v3}  # version 2 added no table to fill


def _at_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    with store.transaction(conn):
        store.migrate(conn, version, applied_at="2026-01-01T00:00:00Z", bondkit_version="0.0.9")
        FILL[version](conn)
    conn.close()
    path.chmod(0o600)  # as bondkit created it


def _columns(path: Path, tables: list[str]) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    out = {t: [r[1] for r in conn.execute(f"PRAGMA table_info('{t}')")] for t in tables}
    conn.close()
    return out


def _tables(path: Path, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of the tables, in the columns given (those they had before an upgrade)."""
    conn = sqlite3.connect(path)
    out = {
        t: conn.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY rowid").fetchall()
        for t, cols in columns.items()
    }
    conn.close()
    return out


def test_every_earlier_version_has_data_to_upgrade_from():
    assert set(FILL) == set(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("version", sorted(FILL))
def test_a_register_of_every_earlier_version_upgrades_with_its_data(tmp_path, version):
    path = tmp_path / f"v{version}.db"
    _at_version(path, version)
    conn = sqlite3.connect(path)
    kept = [t for t in store.table_names(conn) if t != "schema_history"]
    conn.close()
    columns = _columns(path, kept)
    before = _tables(path, columns)
    result = CliRunner().invoke(main, ["register", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        result.stderr
        == f"{path} : registre mis à jour du schéma {version} au schéma {SCHEMA_VERSION}\n"
    )
    with Register(path) as reg:
        assert reg.version == SCHEMA_VERSION and reg.upgraded_from == SCHEMA_VERSION
        assert reg.check().ok
        holdings = reg.holdings().set_index("holding_id")
        series = reg.series().set_index("series_id")
    assert _tables(path, columns) == before  # every row kept as it was
    # the running totals of version 2 are those of the postings, correction and transfer in
    assert holdings.loc[1, ["bonds", "principal_cents", "cash_cents"]].tolist() == [
        3,
        150_000,
        200_000,
    ]
    assert series.loc["A", "bonds_held"] == 6 and series.loc["B", "interest_owed_cents"] == 1_200
    paid = 4_000 if version >= 3 else 0  # version 3's payment run
    assert series.loc["A", "cash_cents"] == 200_000 - paid


def test_an_upgrade_that_fails_leaves_the_register_as_it_was(tmp_path):
    path = tmp_path / "v1.db"
    _at_version(path, 1)
    before = path.read_bytes()
    broken = (
        *MIGRATIONS,
        store.Migration(
            SCHEMA_VERSION + 1, "broken", ("CREATE TABLE x (a)", "INSERT INTO nowhere VALUES (1)")
        ),
    )
    conn = _raw(path)
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        with store.transaction(conn):
            store.migrate(
                conn, SCHEMA_VERSION + 1, applied_at="x", bondkit_version="x", steps=broken
            )
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "series_totals" not in store.table_names(conn) and "x" not in store.table_names(conn)
    conn.close()
    assert path.read_bytes() == before


# ---------------------------------------------------------------- the ledger is append-only


def _some_of_everything(reg: Register) -> tuple[int, int]:
    h1 = _sub(reg, name="Café du Coin", bonds=4)
    h2 = _sub(reg, name="Lucie Tremblay", bonds=1)
    reg.record(
        "payment_received",
        "2026-02-03",
        [Posting(h1, cash_cents=200_000)],
        reason="cheque 12",
        now=AT,
    )
    reg.record(
        "interest_accrued",
        "2026-12-31",
        [Posting(h1, interest_cents=6_000)],
        reason="year end",
        now=AT,
    )
    reg.record(
        "transfer",
        "2027-01-10",
        [
            Posting(h1, bonds=-1, principal_cents=-50_000),
            Posting(h2, bonds=1, principal_cents=50_000),
        ],
        reason="gift to a daughter",
        now=AT,
    )
    # a row in each table of version 3, as its commands write them
    conn = reg._conn
    conn.execute(
        "INSERT INTO import_rows VALUES ('k1', ?, 'forms.csv', 'abc', 2, '2026-02-01T00:00:00Z')",
        (h1,),
    )
    conn.execute(
        "INSERT INTO payment_runs (series_id, due_on, paid_on, recorded_at, recorded_by) "
        "VALUES ('A-3y', '2027-03-02', '2027-03-02', '2027-03-02T00:00:00Z', 'Lucie')"
    )
    conn.execute(
        "INSERT INTO redemption_requests (holding_id, bonds, asked_on, reason, recorded_at, "
        "recorded_by) VALUES (?, 1, '2027-04-01', 'letter', '2027-04-01T00:00:00Z', 'Lucie')",
        (h1,),
    )
    conn.execute(
        "INSERT INTO request_outcomes (request_id, outcome, decided_on, reason, recorded_at, "
        "recorded_by) VALUES (1, 'withdrawn', '2027-04-15', 'call', '2027-04-15T00:00:00Z', "
        "'Lucie')"
    )
    # and of version 4
    conn.execute(
        "INSERT INTO filed_slips (country, year, slip, holder_id, change, amount_cents, "
        "filed_on, reason, recorded_at, recorded_by) VALUES ('CA', 2027, 't5', 1, 'original', "
        "6000, '2028-02-20', 'filed', '2028-02-20T00:00:00Z', 'Lucie')"
    )
    return h1, h2


@pytest.mark.parametrize("guard", GUARDS, ids=[g[0] for g in GUARDS])
def test_the_guards_refuse_any_change_or_deletion(solar, guard):
    _some_of_everything(solar)
    name, table, verb = guard
    before = solar.digest()
    column = solar._conn.execute(
        f"SELECT name FROM pragma_table_info('{table}') WHERE pk = 0"
    ).fetchone()[0]
    sql = f"UPDATE {table} SET {column} = {column}" if verb == "UPDATE" else f"DELETE FROM {table}"
    with pytest.raises(sqlite3.IntegrityError, match="never changed or deleted"):
        solar._conn.execute(sql)
    assert solar.digest() == before


def _tamper(reg: Register, *sql: str) -> list[str]:
    conn = reg._conn
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in sql:
        conn.execute(statement)
    conn.execute("PRAGMA foreign_keys = ON")
    return [str(p) for p in reg.check().problems]


def test_check_finds_a_dropped_guard_and_the_change_it_let_through(solar):
    _some_of_everything(solar)
    assert solar.check().ok
    found = _tamper(
        solar,
        "DROP TRIGGER postings_no_update",
        "UPDATE postings SET principal_cents = principal_cents + 1 WHERE posting_id = 1",
    )
    assert found == [
        "postings: the guard postings_no_update that refuses any UPDATE is missing: the ledger is no longer append-only",
        "events[1]: the principal subscribed is not the bonds times the face value, 50000 cents",
        "series_totals[A-3y].principal_cents: stored total 250000, but the postings add up to 250001",
    ]


def test_check_finds_what_only_a_hand_edit_could_do(solar):
    h1, h2 = _some_of_everything(solar)
    found = _tamper(
        solar,
        # an interest payment of more than was accrued, a subscription past the series'
        # size, a posting of a holding that does not exist, a correction that is not the
        # opposite of what it reverses, an event that moves nothing
        "INSERT INTO events (kind, occurred_on, recorded_at, recorded_by, reason) VALUES "
        "('interest_paid', '2027-03-02', 'x', 'x', 'x')",
        f"INSERT INTO postings (event_id, holding_id, interest_cents, cash_cents) VALUES (6, {h2}, -900, -900)",
        "INSERT INTO holdings (holder_id, series_id, subscribed_on, interest_start, created_at) "
        "VALUES (1, 'A-3y', '2026-02-01', '2026-03-02', 'x')",
        "INSERT INTO events (kind, occurred_on, recorded_at, recorded_by, reason) VALUES "
        "('subscription', '2026-02-01', 'x', 'x', 'x')",
        "INSERT INTO postings (event_id, holding_id, bonds, principal_cents) VALUES (7, 3, 200, 10000000)",
        "INSERT INTO events (kind, occurred_on, recorded_at, recorded_by, reason) VALUES "
        "('payment_received', '2026-02-01', 'x', 'x', 'x')",
        "INSERT INTO postings (event_id, holding_id, cash_cents) VALUES (8, 99, 5)",
        "INSERT INTO events (kind, occurred_on, recorded_at, recorded_by, reason, reverses) VALUES "
        "('correction', '2026-02-03', 'x', 'x', 'x', 3)",
        f"INSERT INTO postings (event_id, holding_id, cash_cents) VALUES (9, {h1}, -100)",
        "INSERT INTO events (kind, occurred_on, recorded_at, recorded_by, reason) VALUES "
        "('interest_accrued', '2027-12-31', 'x', 'x', 'x')",
    )
    assert found == [
        "postings[9]: refers to a row of holdings that does not exist",
        "events[10]: the event moves nothing (it has no posting)",
        "events[9]: does not post the exact opposite of event 3, or event 3 cannot be reversed",
        "holdings[2]: its balance of interest_cents is negative: -900",
        "series[A-3y]: 205 bonds held, more than the 200 bonds of the series",
        "series[A-3y]: 10250000 cents of principal held, more than the series amount, 10000000 cents",
    ]


def test_check_reports_a_damaged_file(tmp_path, solar):
    _some_of_everything(solar)
    path = solar.path
    solar.close()
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'postings'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8 : start + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["register", "check", str(path)])
    assert result.exit_code == 1
    assert (
        "file: the file is damaged: " in result.stderr
        and "restore it from a backup" in result.stderr
    )
    assert result.stderr.endswith(" (listed above)\n")


# ---------------------------------------------------------------- writing


def test_a_batch_with_problems_lists_them_all_and_records_nothing(solar):
    _sub(solar, bonds=150)
    before = solar.digest()
    rows = [
        {**SECRET, "series": "A-3y", "bonds": 2, "subscribed_on": "2026-02-02"},
        {
            "name": "Bob",
            "series": "Z",
            "bonds": 2.5,
            "subscribed_on": "02/02/2026",
            "colour": "red",
        },
        {
            **SECRET,
            "sin": "046 454 287",
            "series": "B-5y",
            "bonds": 1,
            "subscribed_on": "2031-03-02",
        },
        {
            "holder_id": 99,
            "name": "Again",
            "series": "A-3y",
            "bonds": 49,
            "subscribed_on": "2026-02-02",
        },
        {
            "name": "   ",
            "address": "line\x07",
            "series": "A-3y",
            "bonds": 0,
            "subscribed_on": "2026-02-02",
        },
        {"name": "Claire", "series": "A-3y", "bonds": 49, "subscribed_on": "2026-02-02"},
    ]
    with pytest.raises(RegisterError) as err:
        solar.add_subscriptions(rows, reason="spring forms", by="Lucie", now=AT)
    assert err.value.exit_code == 2
    assert str(err.value).splitlines() == [
        "nothing was recorded:",
        "subscriptions[2].colour: unknown key",
        "subscriptions[2].series: no series has this id (series ids: A-3y, B-5y, C-7y) (you wrote Z)",
        "subscriptions[2].bonds: must be a whole number (you wrote 2.5)",
        "subscriptions[2].subscribed_on: must be a date such as 2025-01-15 (you wrote 02/02/2026)",
        "subscriptions[3].sin: is not a valid social insurance number (9 digits whose last is a check digit); it is not repeated here",
        "subscriptions[3].subscribed_on: must be before the series' maturity, 2031-03-02 (you wrote 2031-03-02)",
        "subscriptions[4].holder_id: no holder has this number (you wrote 99)",
        "subscriptions[4].name: give holder_id or the holder's details, not both",
        "subscriptions[5].name: required (missing)",
        "subscriptions[5].address: must not contain control characters",
        "subscriptions[5].bonds: must be greater than 0 (you wrote 0)",
        "series[A-3y]: 51 bonds asked, but only 50 of the 200 bonds of the series are left",
    ]
    assert err.value.render("fr").splitlines()[-1] == (
        "series[A-3y] : 51 obligations demandées, mais il ne reste que 50 des 200 obligations de la série"
    )
    assert solar.digest() == before


def test_a_subscription_records_its_holder_holding_and_event(tmp_path, monkeypatch):
    sc = load_example("grand-costumier-2016").with_changes(
        {"campaign.interest_start": "subscription-date"}
    )
    with Register.create(tmp_path / "a.db", sc, by="Lucie") as reg:
        monkeypatch.setenv("BONDKIT_USER", "Marc")
        first = reg.add_subscription(
            **SECRET,
            series="A",
            bonds=3,
            subscribed_on=dt.date(2016, 7, 15),
            reason="paper form",
            now=AT,
        )
        monkeypatch.delenv("BONDKIT_USER")
        monkeypatch.setattr("getpass.getuser", lambda: "os-user")
        again = reg.add_subscription(
            holder_id=1, series="A", bonds=1, subscribed_on="2016-08-01", reason="top-up"
        )
        holders, holdings, events = reg.holders(include_sin=True), reg.holdings(), reg.events()
        assert reg.check().ok
    assert holders.to_dict("records") == [
        {
            "holder_id": 1,
            "name": SECRET["name"],
            "address": SECRET["address"],
            "email": SECRET["email"],
            "sin": "046454286",
            "language": None,
            "kind": "person",
            "co_holder": None,
            "country": None,
            "payment_method": None,
            "estate_of": None,
            "created_at": "2026-03-01T12:00:00Z",
        }
    ]
    assert (first, again) == (1, 2)
    assert holdings["holder_id"].tolist() == [1, 1]
    assert holdings["bonds"].tolist() == [3, 1]
    assert holdings["principal_cents"].tolist() == [300_000, 100_000]
    # the issue's rule: interest from the subscription date
    assert holdings["interest_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2016-07-15",
        "2016-08-01",
    ]
    assert events["recorded_by"].tolist() == ["Marc", "os-user"]
    assert events["reason"].tolist() == ["paper form", "top-up"]
    assert events["kind"].tolist() == ["subscription", "subscription"]
    assert str(events["occurred_on"].dtype) == "datetime64[s]"
    assert all(
        str(holdings[c].dtype) == "int64" for c in ("bonds", "principal_cents", "cash_cents")
    )


def test_the_issue_date_rule_starts_interest_at_the_series_issue_date(solar):
    _sub(solar, subscribed_on="2026-01-20")
    assert solar.holdings()["interest_start"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02"]


def test_who_and_why_are_required(solar):
    with pytest.raises(RegisterError, match="needs a reason"):
        solar.add_subscription(
            name="A", series="A-3y", bonds=1, subscribed_on="2026-02-01", reason=" "
        )
    with pytest.raises(RegisterError, match="must be a name"):
        solar.add_subscription(
            name="A", series="A-3y", bonds=1, subscribed_on="2026-02-01", reason="form", by="x\ny"
        )
    assert solar.holdings().empty


def test_events_follow_their_kinds_rules_and_balances_never_go_negative(solar):
    h1, h2 = _some_of_everything(solar)
    h3 = _sub(solar, series="B-5y", bonds=1)
    before = solar.digest()
    refused = {
        "payment_received": [Posting(h1, cash_cents=-5)],
        "interest_paid": [Posting(h1, interest_cents=-7_000, cash_cents=-7_000)],  # 6 000 accrued
        "early_redemption": [Posting(h2, bonds=-3, principal_cents=-150_000, cash_cents=-150_000)],
        "transfer": [
            Posting(h1, bonds=-1, principal_cents=-50_000),
            Posting(h3, bonds=1, principal_cents=50_000),
        ],
    }
    for kind, postings in refused.items():
        with pytest.raises(RegisterError) as err:
            solar.record(kind, "2027-03-02", postings, reason="test")
        assert str(err.value).startswith("nothing was recorded:\n"), kind
    with pytest.raises(RegisterError, match="no holding has this number"):
        solar.record("payment_received", "2026-02-03", [Posting(42, cash_cents=5)], reason="test")
    with pytest.raises(RegisterError, match="add_subscriptions"):
        solar.record(
            "subscription", "2026-02-03", [Posting(h1, bonds=1, principal_cents=50_000)], reason="x"
        )
    assert solar.digest() == before
    paid = solar.record(
        "interest_paid",
        "2027-03-02",
        [Posting(h1, interest_cents=-6_000, cash_cents=-6_000)],
        reason="payment run 2027-03-02",
    )
    assert paid == 7
    balances = solar.holdings().set_index("holding_id")
    assert balances.loc[
        h1, ["bonds", "principal_cents", "interest_cents", "cash_cents"]
    ].tolist() == [3, 150_000, 0, 194_000]
    assert balances.loc[h2, "bonds"] == 2  # one bond transferred in
    series = solar.series().set_index("series_id")
    assert series.loc["A-3y", "bonds_held"] == 5 and series.loc["B-5y", "bonds_held"] == 1
    assert solar.check().ok


def test_a_correction_reverses_an_event_that_stays_in_the_ledger(solar):
    h1 = _sub(solar)
    paid = solar.record(
        "payment_received", "2026-02-03", [Posting(h1, cash_cents=10_000)], reason="cheque 12"
    )
    first = store.read_ledger(solar._conn)
    fixed, new = solar.correct(
        paid,
        reason="typed 100 $ for 1 000 $",
        by="Marc",
        now=AT,
        replacement=("payment_received", "2026-02-03", [Posting(h1, cash_cents=100_000)]),
    )
    assert store.read_ledger(solar._conn)[: len(first)] == first  # nothing rewritten
    events = solar.events()
    assert events["kind"].tolist() == [
        "subscription",
        "payment_received",
        "correction",
        "payment_received",
    ]
    assert events.loc[2, "reverses"] == paid and events.loc[2, "cash_cents"] == -10_000
    assert (fixed, new) == (3, 4)
    assert solar.holdings().loc[0, "cash_cents"] == 100_000
    assert solar.check().ok
    with pytest.raises(RegisterError, match="already corrected"):
        solar.correct(paid, reason="again")
    with pytest.raises(RegisterError, match="a correction is never corrected"):
        solar.correct(fixed, reason="undo")
    # a correction alone undoes a subscription: bonds and principal back to nothing
    solar.correct(1, reason="subscription withdrawn before the issue date")
    assert solar.holdings().loc[0, ["bonds", "principal_cents"]].tolist() == [0, 0]
    assert solar.series().set_index("series_id").loc["A-3y", "bonds_held"] == 0
    assert solar.check().ok


def test_the_series_terms_come_back_as_the_scenario_gave_them(tmp_path):
    from bondkit.scenario import list_examples

    for name in list_examples():
        sc = load_example(name)
        with Register.create(tmp_path / f"{name}.db", sc) as reg:
            assert reg.series_terms() == sc.series_terms(), name
            assert reg.issue["scenario_sha256"] == sc.input_sha256
            assert reg.issue["scenario_text"] == sc.source_text


# ---------------------------------------------------------------- backup


def test_a_backup_while_a_write_is_open_holds_what_was_committed(tmp_path, solar):
    _sub(solar)
    committed = solar.digest()
    writer = _raw(solar.path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO holders (name, created_at) VALUES ('uncommitted', 'x')")
    copy = solar.backup(tmp_path / "copy.db")
    writer.execute("COMMIT")
    writer.close()
    with Register(copy) as again:
        assert again.digest() == committed
        assert again.check().ok
    assert solar.digest() != committed
    with pytest.raises(RegisterError, match="already exists"):
        solar.backup(copy)


WRITER = textwrap.dedent(
    """
    import os, sys, time
    from bondkit.register import Register
    reg = Register(sys.argv[1])
    print("ready", flush=True)
    i = 0
    while not os.path.exists(sys.argv[2]):  # until told to stop
        if i < 140:  # the bonds of series B-5y
            reg.add_subscription(name=f"H{i}", series="B-5y", bonds=1,
                                 subscribed_on="2026-02-01", reason="one a transaction",
                                 by="writer")
            i += 1
        time.sleep(0.005)
    print("done", flush=True)
    """
)


def test_backups_taken_while_another_process_writes_are_each_consistent(tmp_path, solar):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    stop = tmp_path / "stop"
    child = subprocess.Popen(
        [sys.executable, str(script), str(solar.path), str(stop)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline() == "ready\n"
    seen: list[int] = []
    while len(seen) < 5:  # five copies while the writer writes, however fast the machine
        result = CliRunner().invoke(
            main,
            ["register", "backup", str(solar.path), "--to", str(tmp_path / f"c{len(seen)}.db")],
        )
        assert result.exit_code == 0, result.output
        with Register(tmp_path / f"c{len(seen)}.db") as copy:
            assert copy.check().ok
            counts = copy.check().counts
        # every write adds one holder, one holding and one event together, or nothing
        assert counts["holders"] == counts["holdings"] == counts["events"]
        seen.append(counts["events"])
    stop.touch()
    assert child.wait() == 0
    assert seen == sorted(seen) and len(set(seen)) >= 2, seen


# ---------------------------------------------------------------- the command line


def test_init_check_backup_from_the_command_line(tmp_path):
    db, copy = tmp_path / "solar.db", tmp_path / "copy.db"
    runner = CliRunner()
    result = runner.invoke(main, ["register", "init", str(SOLAR), "--db", str(db), "--by", "Lucie"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"created {db}: the register of 'Solar co-op 2026, three series' "
        f"(series: 3; total: $500,000.00; schema {SCHEMA_VERSION}), readable by you only\n"
    )
    with Register(db) as reg:
        assert reg.issue["created_by"] == "Lucie"
        _sub(reg)
    result = runner.invoke(main, ["register", "check", str(db)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"OK {db}: schema {SCHEMA_VERSION}; series: 3, holders: 1, holdings: 1, events: 1; "
        "integrity, ledger rules, balances and series totals reconcile\n"
    )
    result = runner.invoke(main, ["register", "backup", str(db), "--to", str(copy), "--lang", "fr"])
    assert result.exit_code == 0
    assert result.stdout == (
        f"{db} copié dans {copy} : schéma {SCHEMA_VERSION}, vérifié; la copie contient les mêmes "
        "renseignements personnels : gardez-la aussi bien que le registre\n"
    )
    result = runner.invoke(main, ["register", "init", str(CINEMA), "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"bondkit : {db} existe déjà")  # the scenario's language
    db.chmod(0o644)
    result = runner.invoke(main, ["register", "check", str(db)])
    assert result.exit_code == 0
    assert (
        result.stderr
        == f"warning: {db} can be read by other users of this computer: it holds personal data (chmod 600 {db})\n"
    )


def test_init_from_a_bad_scenario_lists_its_problems_and_creates_nothing(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        SOLAR.read_text(encoding="utf-8").replace("annual_rate = 0.03\n", "annual_rate = 3\n"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["register", "init", str(bad), "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 2
    assert result.stderr == "series[1].annual_rate: must be a fraction such as 0.04 (you wrote 3)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_the_help_lists_the_register_commands():
    result = CliRunner().invoke(main, ["register", "--help"])
    assert result.exit_code == 0
    for command in ("init", "check", "backup"):
        assert f"  {command}" in result.stdout
    assert "register" in CliRunner().invoke(main, ["--help"]).stdout


# ---------------------------------------------------------------- personal data


def test_personal_data_never_reaches_the_terminal_or_a_message(tmp_path):
    db = tmp_path / "a.db"
    runner = CliRunner()
    outputs = [runner.invoke(main, ["register", "init", str(SOLAR), "--db", str(db)]).output]
    with Register(db) as reg:
        _sub(reg, **SECRET)
        for bad in (
            {**SECRET, "sin": "046 454 287"},
            {**SECRET, "bonds": 0},
            {**SECRET, "series": "Z"},
            {**SECRET, "name": SECRET["name"] * 20},
        ):
            with pytest.raises(RegisterError) as err:
                _sub(reg, **bad)
            outputs += [str(err.value), err.value.render("fr"), repr(err.value)]
        outputs.append(repr(reg))
        reg._conn.execute("PRAGMA foreign_keys = OFF")  # a hand edit: check must speak of it
        reg._conn.execute("INSERT INTO postings (event_id, holding_id, bonds) VALUES (1, 1, -9)")
    for args in (
        ["check", str(db)],
        ["check", str(db), "--lang", "fr"],
        ["backup", str(db), "--to", str(tmp_path / "b.db")],
    ):
        outputs.append(runner.invoke(main, ["register", *args]).output)
    text = "\n".join(outputs)
    assert "negative" in text and "not a valid social insurance number" in text  # spoke, but:
    for secret in SECRET_STRINGS:
        assert secret not in text, secret


# ---------------------------------------------------------------- words


def test_every_event_kind_has_its_words_in_both_languages():
    for kind in EVENT_KINDS:
        assert f"event.{kind}" in LABELS and f"reg.rule.{kind}" in LABELS


def _message_keys(path: Path) -> list[str]:
    """The label keys a module passes to Message(...) or _say(...): constants, and the
    constant start of an f-string (``f"reg.rule.{kind}"`` -> ``reg.rule.``)."""
    import ast

    keys = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            arg = node.args[0]
            if name in ("Message", "_say"):
                if isinstance(arg, ast.Constant):
                    keys.append(arg.value)
                elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                    keys.append(arg.values[0].value + "*")
    return keys


def test_every_message_of_the_register_has_its_label():
    """Every word the register shows comes from the label table: each key it names exists
    (a prefix: some key starts with it), in both languages (tests/test_labels.py)."""
    paths = [
        *sorted((ROOT / "bondkit" / "register").rglob("*.py")),
        *sorted((ROOT / "bondkit" / "cli_register").rglob("*.py")),
    ]
    keys = [k for p in paths for k in _message_keys(p)]
    assert len(keys) > 60
    missing = [
        k
        for k in keys
        if (k.endswith("*") and not any(x.startswith(k[:-1]) for x in LABELS))
        or (not k.endswith("*") and k not in LABELS)
    ]
    assert missing == []


def test_a_correction_that_would_leave_a_balance_below_zero_is_refused(solar):
    h1 = _sub(solar)
    accrued = solar.record(
        "interest_accrued", "2026-12-31", [Posting(h1, interest_cents=3_000)], reason="year end"
    )
    solar.record(
        "interest_paid",
        "2027-03-02",
        [Posting(h1, interest_cents=-3_000, cash_cents=-3_000)],
        reason="run",
    )
    before = solar.digest()
    with pytest.raises(RegisterError) as err:
        solar.correct(accrued, reason="accrued twice")
    assert (
        str(err.value)
        == "nothing was recorded:\nholdings[1]: its balance of interest_cents is negative: -3000"
    )
    assert solar.digest() == before
