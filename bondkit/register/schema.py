"""The register's tables, step by step: every ``CREATE`` of the file, and nothing else.

With :mod:`bondkit.register.store` (the file and every query), this is the only SQL of
bondkit. A schema change is a new :class:`Migration` at the end of :data:`MIGRATIONS`:
a released step never changes, because registers written by it exist
(``tests/test_register_store.py`` holds the hash of each one and upgrades a register of
every earlier version, with data in it, to the latest).

Version 1 holds the issue (its terms as of the scenario it was created from), the series,
the holders (personal data), their holdings, and the ledger: ``events`` (what happened,
when, recorded by whom and why) and their ``postings`` (what each event moved, holding by
holding, in integer cents). Triggers refuse any UPDATE or DELETE of the issue, the series,
the holdings, the events and the postings (:data:`GUARDS`): a mistake is put right by a
correction event. Version 2 adds running totals by series, kept by a trigger on every
posting, that ``check`` reconciles with the postings recomputed from scratch. Version 3
says more of each holder (language, kind, joint holder, country, payment method, estate),
links a renewed series to the one it renews, and adds the rows imported from files, the
payment runs and the early redemption requests with their outcomes, all append-only.

>>> [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
True
>>> sorted({verb for _name, _table, verb in GUARDS})
['DELETE', 'UPDATE']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["APPLICATION_ID", "Migration", "MIGRATIONS", "SCHEMA_VERSION", "GUARDS", "EVENT_KINDS"]

#: PRAGMA application_id of a bondkit register: "BkRg" in ASCII
APPLICATION_ID = 0x426B5267

#: the kinds of events of the ledger (the table ``event_kinds`` of version 1)
EVENT_KINDS: tuple[str, ...] = (
    "subscription",
    "payment_received",
    "interest_accrued",
    "interest_paid",
    "principal_repaid",
    "early_redemption",
    "transfer",
    "renewal",
    "estate_transfer",
    "correction",
)


@dataclass(frozen=True)
class Migration:
    """One step of the schema: from version ``version - 1`` to ``version``.

    A released step never changes (``tests/test_register_store.py`` holds their hashes):
    a later change to the schema is a new step at the end of :data:`MIGRATIONS`.
    """

    version: int
    what: str
    statements: tuple[str, ...]


#: the tables whose rows version 1 never lets change: the terms and the ledger
_V1_FIXED = ("issue", "series", "holdings", "events", "postings")
#: the tables version 3 adds whose rows never change either
_V3_FIXED = ("import_rows", "payment_runs", "redemption_requests", "request_outcomes")
#: and version 4's
_V4_FIXED = ("filed_slips",)

#: the guards (triggers) that keep the ledger append-only and the terms fixed, in the
#: latest schema: (trigger, table, verb); ``check`` reports a missing one
GUARDS: tuple[tuple[str, str, str], ...] = tuple(
    (f"{table}_no_{verb.lower()}", table, verb)
    for table in (*_V1_FIXED, *_V3_FIXED, *_V4_FIXED)
    for verb in ("UPDATE", "DELETE")
)


def _guard(name: str, table: str, verb: str) -> str:
    return (
        f"CREATE TRIGGER {name} BEFORE {verb} ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'bondkit register: rows of {table} are never changed or "
        f"deleted; record a correction event instead'); END"
    )


def _int(column: str, default: str = "") -> str:
    return f"{column} INTEGER NOT NULL {default} CHECK (typeof({column}) = 'integer')"


_V1 = (
    """CREATE TABLE schema_history (
        version INTEGER PRIMARY KEY,
        applied_at TEXT NOT NULL,
        bondkit_version TEXT NOT NULL,
        what TEXT NOT NULL)""",
    """CREATE TABLE issue (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL,
        issuer TEXT NOT NULL,
        legal_form TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        currency TEXT NOT NULL,
        language TEXT NOT NULL,
        fiscal_year_end TEXT NOT NULL,
        interest_start TEXT NOT NULL,
        campaign_opens TEXT CHECK (campaign_opens = date(campaign_opens)),
        campaign_closes TEXT CHECK (campaign_closes = date(campaign_closes)),
        rule_set TEXT,
        min_subscription_cents INTEGER CHECK (typeof(min_subscription_cents) IN ('integer', 'null')),
        max_per_investor_cents INTEGER CHECK (typeof(max_per_investor_cents) IN ('integer', 'null')),
        lock_in_years INTEGER CHECK (typeof(lock_in_years) IN ('integer', 'null')),
        notice_months INTEGER CHECK (typeof(notice_months) IN ('integer', 'null')),
        annual_cap TEXT,
        scenario_sha256 TEXT,
        scenario_text TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        bondkit_version TEXT NOT NULL)""",
    f"""CREATE TABLE series (
        series_id TEXT PRIMARY KEY,
        position INTEGER NOT NULL UNIQUE,
        {_int("amount_cents")} CHECK (amount_cents > 0),
        {_int("face_value_cents")} CHECK (face_value_cents > 0),
        {_int("bonds")} CHECK (bonds * face_value_cents = amount_cents),
        annual_rate TEXT NOT NULL,
        issue_date TEXT NOT NULL CHECK (issue_date = date(issue_date)),
        maturity TEXT NOT NULL CHECK (maturity = date(maturity) AND maturity > issue_date),
        term_years INTEGER,
        maturity_date TEXT CHECK (maturity_date = date(maturity_date)),
        repayment TEXT NOT NULL,
        interest TEXT,
        frequency TEXT NOT NULL,
        day_count TEXT NOT NULL,
        {_int("interest_only_years")},
        business_day TEXT NOT NULL,
        step_rates TEXT NOT NULL,
        sculpt_cash_flow TEXT NOT NULL,
        fiscal_year_end TEXT NOT NULL)""",
    """CREATE TABLE holders (
        holder_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) > 0),
        address TEXT,
        email TEXT,
        sin TEXT CHECK (sin IS NULL OR (length(sin) = 9 AND sin NOT GLOB '*[^0-9]*')),
        created_at TEXT NOT NULL)""",
    """CREATE TABLE holdings (
        holding_id INTEGER PRIMARY KEY,
        holder_id INTEGER NOT NULL REFERENCES holders(holder_id),
        series_id TEXT NOT NULL REFERENCES series(series_id),
        subscribed_on TEXT NOT NULL CHECK (subscribed_on = date(subscribed_on)),
        interest_start TEXT NOT NULL CHECK (interest_start = date(interest_start)),
        origin_holding_id INTEGER REFERENCES holdings(holding_id),
        created_at TEXT NOT NULL)""",
    "CREATE INDEX holdings_holder ON holdings(holder_id)",
    "CREATE INDEX holdings_series ON holdings(series_id)",
    "CREATE TABLE event_kinds (kind TEXT PRIMARY KEY)",
    """INSERT INTO event_kinds(kind) VALUES ('subscription'), ('payment_received'),
        ('interest_accrued'), ('interest_paid'), ('principal_repaid'), ('early_redemption'),
        ('transfer'), ('renewal'), ('estate_transfer'), ('correction')""",
    """CREATE TABLE events (
        event_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL REFERENCES event_kinds(kind),
        occurred_on TEXT NOT NULL CHECK (occurred_on = date(occurred_on)),
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL CHECK (length(recorded_by) > 0),
        reason TEXT NOT NULL CHECK (length(reason) > 0),
        reverses INTEGER UNIQUE REFERENCES events(event_id),
        CHECK ((kind = 'correction') = (reverses IS NOT NULL)))""",
    f"""CREATE TABLE postings (
        posting_id INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL REFERENCES events(event_id),
        holding_id INTEGER NOT NULL REFERENCES holdings(holding_id),
        {_int("bonds", "DEFAULT 0")},
        {_int("principal_cents", "DEFAULT 0")},
        {_int("interest_cents", "DEFAULT 0")},
        {_int("cash_cents", "DEFAULT 0")})""",
    "CREATE INDEX postings_event ON postings(event_id)",
    "CREATE INDEX postings_holding ON postings(holding_id)",
    """CREATE VIEW holding_balances AS
        SELECT h.holding_id, h.holder_id, h.series_id,
               COALESCE(SUM(p.bonds), 0) AS bonds,
               COALESCE(SUM(p.principal_cents), 0) AS principal_cents,
               COALESCE(SUM(p.interest_cents), 0) AS interest_cents,
               COALESCE(SUM(p.cash_cents), 0) AS cash_cents
        FROM holdings h LEFT JOIN postings p ON p.holding_id = h.holding_id
        GROUP BY h.holding_id""",
    """CREATE VIEW ledger AS
        SELECT e.event_id, e.kind, e.occurred_on, e.recorded_at, e.recorded_by, e.reason,
               e.reverses, p.posting_id, p.holding_id, h.series_id, h.holder_id,
               p.bonds, p.principal_cents, p.interest_cents, p.cash_cents
        FROM events e JOIN postings p ON p.event_id = e.event_id
        JOIN holdings h ON h.holding_id = p.holding_id""",
    *(_guard(f"{t}_no_{v.lower()}", t, v) for t in _V1_FIXED for v in ("UPDATE", "DELETE")),
)

_V2 = (
    f"""CREATE TABLE series_totals (
        series_id TEXT PRIMARY KEY REFERENCES series(series_id),
        {_int("bonds", "DEFAULT 0")},
        {_int("principal_cents", "DEFAULT 0")},
        {_int("interest_cents", "DEFAULT 0")},
        {_int("cash_cents", "DEFAULT 0")},
        {_int("postings", "DEFAULT 0")})""",
    """INSERT INTO series_totals
        (series_id, bonds, principal_cents, interest_cents, cash_cents, postings)
        SELECT s.series_id, COALESCE(SUM(p.bonds), 0), COALESCE(SUM(p.principal_cents), 0),
               COALESCE(SUM(p.interest_cents), 0), COALESCE(SUM(p.cash_cents), 0),
               COUNT(p.posting_id)
        FROM series s LEFT JOIN holdings h ON h.series_id = s.series_id
        LEFT JOIN postings p ON p.holding_id = h.holding_id
        GROUP BY s.series_id""",
    """CREATE TRIGGER series_totals_new_series AFTER INSERT ON series BEGIN
        INSERT INTO series_totals(series_id) VALUES (NEW.series_id); END""",
    """CREATE TRIGGER series_totals_posting AFTER INSERT ON postings BEGIN
        UPDATE series_totals SET bonds = bonds + NEW.bonds,
            principal_cents = principal_cents + NEW.principal_cents,
            interest_cents = interest_cents + NEW.interest_cents,
            cash_cents = cash_cents + NEW.cash_cents,
            postings = postings + 1
        WHERE series_id = (SELECT series_id FROM holdings WHERE holding_id = NEW.holding_id);
        END""",
)

_V3 = (
    # who a holder is, for the payment runs, the statements and the tax slips: the
    # language of their letters, a person, a corporation or an estate (of a holder), the
    # name of a joint holder, the country of residence (ISO 3166 alpha-2; none: not known)
    # and how they are paid; a holder's details may change (an address): not the ledger
    "ALTER TABLE holders ADD COLUMN language TEXT "
    "CHECK (language IS NULL OR language IN ('en', 'fr'))",
    "ALTER TABLE holders ADD COLUMN kind TEXT NOT NULL DEFAULT 'person' "
    "CHECK (kind IN ('person', 'corporation', 'estate'))",
    "ALTER TABLE holders ADD COLUMN co_holder TEXT",
    "ALTER TABLE holders ADD COLUMN country TEXT "
    "CHECK (country IS NULL OR (length(country) = 2 AND country GLOB '[A-Z][A-Z]'))",
    "ALTER TABLE holders ADD COLUMN payment_method TEXT",
    "ALTER TABLE holders ADD COLUMN estate_of INTEGER REFERENCES holders(holder_id)",
    # a series a renewal created says which series it renews
    "ALTER TABLE series ADD COLUMN renews TEXT REFERENCES series(series_id)",
    # each row of an imported file, by a key of its values and its occurrence in the file:
    # the same file imported again adds nothing
    """CREATE TABLE import_rows (
        row_key TEXT PRIMARY KEY,
        holding_id INTEGER NOT NULL REFERENCES holdings(holding_id),
        source_name TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        row_number INTEGER NOT NULL CHECK (typeof(row_number) = 'integer'),
        imported_at TEXT NOT NULL)""",
    # one payment run per series and payment date: a date is never paid twice
    """CREATE TABLE payment_runs (
        run_id INTEGER PRIMARY KEY,
        series_id TEXT NOT NULL REFERENCES series(series_id),
        due_on TEXT NOT NULL CHECK (due_on = date(due_on)),
        paid_on TEXT NOT NULL CHECK (paid_on = date(paid_on)),
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL CHECK (length(recorded_by) > 0),
        UNIQUE (series_id, due_on))""",
    "ALTER TABLE events ADD COLUMN run_id INTEGER REFERENCES payment_runs(run_id)",
    "CREATE INDEX events_run ON events(run_id)",
    # early redemption requests, queued under the annual cap, and what became of each
    f"""CREATE TABLE redemption_requests (
        request_id INTEGER PRIMARY KEY,
        holding_id INTEGER NOT NULL REFERENCES holdings(holding_id),
        {_int("bonds")} CHECK (bonds > 0),
        asked_on TEXT NOT NULL CHECK (asked_on = date(asked_on)),
        reason TEXT NOT NULL CHECK (length(reason) > 0),
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL CHECK (length(recorded_by) > 0))""",
    """CREATE TABLE request_outcomes (
        request_id INTEGER PRIMARY KEY REFERENCES redemption_requests(request_id),
        outcome TEXT NOT NULL CHECK (outcome IN ('redeemed', 'withdrawn', 'refused')),
        decided_on TEXT NOT NULL CHECK (decided_on = date(decided_on)),
        event_id INTEGER UNIQUE REFERENCES events(event_id),
        reason TEXT NOT NULL CHECK (length(reason) > 0),
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL CHECK (length(recorded_by) > 0),
        CHECK ((outcome = 'redeemed') = (event_id IS NOT NULL)))""",
    *(_guard(f"{t}_no_{v.lower()}", t, v) for t in _V3_FIXED for v in ("UPDATE", "DELETE")),
)

_V4 = (
    # the tax slips filed, one row per slip (recipient, slip type, year), as the issuer
    # says they were sent: what a later correction of that year amends or cancels
    f"""CREATE TABLE filed_slips (
        filing_id INTEGER PRIMARY KEY,
        country TEXT NOT NULL CHECK (length(country) = 2 AND country GLOB '[A-Z][A-Z]'),
        {_int("year")} CHECK (year > 1900 AND year < 3000),
        slip TEXT NOT NULL CHECK (length(slip) > 0),
        holder_id INTEGER NOT NULL REFERENCES holders(holder_id),
        change TEXT NOT NULL CHECK (change IN ('original', 'amended', 'cancelled')),
        {_int("amount_cents")} CHECK (amount_cents >= 0),
        filed_on TEXT NOT NULL CHECK (filed_on = date(filed_on)),
        reason TEXT NOT NULL CHECK (length(reason) > 0),
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL CHECK (length(recorded_by) > 0))""",
    "CREATE INDEX filed_slips_year ON filed_slips(country, year, slip, holder_id)",
    *(_guard(f"{t}_no_{v.lower()}", t, v) for t in _V4_FIXED for v in ("UPDATE", "DELETE")),
)

#: every step of the schema, in order; the schema version is the number applied
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "issue, series, holders, holdings, an append-only ledger of events", _V1),
    Migration(2, "running totals by series, kept by triggers, reconciled by check", _V2),
    Migration(
        3,
        "holders' language, kind, joint holder, country, payment method and estate; renewed "
        "series; imported rows; payment runs; redemption requests and their outcomes",
        _V3,
    ),
    Migration(4, "the tax slips filed, which a correction of their year amends or cancels", _V4),
)
SCHEMA_VERSION: int = len(MIGRATIONS)
