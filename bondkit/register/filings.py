"""The tax slips of a year, as filed, and what a later correction of that year changes
(issue #14): original, amended and cancelled slips.

A register remembers the slips its issuer says were filed (``filed_slips``, schema 4:
country, year, slip type, recipient, the change and the amount, filed on a day, by whom
and why; rows never change). Each run of the year's slips compares the tax year computed
now (:func:`~bondkit.register.taxes.compute_tax_year`: corrections recorded since are in
it) with the last slip standing for each recipient and slip type (:func:`slip_changes`):

- nothing filed yet for a slip type: every slip issued is an **original**;
- otherwise, a recipient with no slip standing who now gets one: an **original** too; a
  slip standing whose amount changed: **amended** (the new amount); a slip standing
  whose recipient now gets none (below the threshold, or the event reversed): **cancelled**
  (the slip as filed); a slip standing with the same amount: unchanged, not filed again.

The form's letters for each change (T5: O, A, C; RL-3: R, A, D) are the rules' data
(:attr:`~bondkit.data.tax_rules.SlipType.codes`). Decided: only the amount is compared,
so a recipient's new address alone gives no amended slip; a slip type's first run after
nothing was filed gives originals whatever other types were filed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bondkit.data.tax_rules import TaxRules, rules_for
from bondkit.errors import Message
from bondkit.register.recording import stamp
from bondkit.register.store import RegisterError
from bondkit.register.store import taxes as tax_store
from bondkit.register.taxes import TaxYear, compute_tax_year, read_tax_data

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    import pandas as pd

__all__ = ["CHANGES", "CHANGE_COLUMNS", "SlipRun", "slip_changes", "TaxesMixin"]

#: what a slip filed now is, against those filed before
CHANGES = ("original", "amended", "cancelled")
#: the columns of each slip type's changes: the recipient, the change, the amount the
#: slip states now (0 when cancelled) and the amount filed before (0 when none)
CHANGE_COLUMNS = ("holder_id", "change", "amount_cents", "filed_cents")


@dataclass(frozen=True)
class SlipRun:
    """The slips of a tax year to file now: the ``tax_year``, and per slip type the
    ``changes`` (:data:`CHANGE_COLUMNS`, by holder) and how many slips filed before stand
    ``unchanged``; the days slips of the year were filed on before (``filed_on``), and
    ``recorded``: whether this run was recorded as filed."""

    tax_year: TaxYear
    changes: dict[str, pd.DataFrame]
    unchanged: dict[str, int]
    filed_on: list[dt.date] = field(default_factory=list)
    recorded: bool = False


def slip_changes(
    by_holder: pd.DataFrame, filed: pd.DataFrame, slip: str
) -> tuple[pd.DataFrame, int]:
    """The slips of type ``slip`` to file now, and how many filed before are unchanged.

    ``by_holder`` is a :class:`TaxYear`'s (``{slip}_cents``, ``issued_{slip}``); ``filed``
    the last slip filed for each recipient (``slip``, ``holder_id``, ``change``,
    ``amount_cents``), of this year and country. Holder 1 was filed 120 $ and now gets
    150 $, holder 2's 80 $ slip now falls away, holder 3 is unchanged, holder 4 is new:

    >>> import pandas as pd
    >>> now = pd.DataFrame({"holder_id": [1, 2, 3, 4], "t5_cents": [15000, 0, 9000, 6000],
    ...                     "issued_t5": [True, False, True, True]})
    >>> filed = pd.DataFrame({"slip": ["t5"] * 3, "holder_id": [1, 2, 3],
    ...                       "change": ["original"] * 3, "amount_cents": [12000, 8000, 9000]})
    >>> changes, unchanged = slip_changes(now, filed, "t5")
    >>> changes.to_dict("list"), unchanged
    ({'holder_id': [1, 2, 4], 'change': ['amended', 'cancelled', 'original'], 'amount_cents': [15000, 0, 6000], 'filed_cents': [12000, 8000, 0]}, 1)
    """
    import pandas as pd

    issued = by_holder[by_holder[f"issued_{slip}"].fillna(False).astype(bool)]
    now = pd.Series(
        issued[f"{slip}_cents"].astype("int64").to_numpy(),
        index=issued["holder_id"].astype("int64").to_numpy(),
    )
    mine = filed[filed["slip"] == slip]
    standing_rows = mine[mine["change"] != "cancelled"]
    standing = pd.Series(
        standing_rows["amount_cents"].astype("int64").to_numpy(),
        index=standing_rows["holder_id"].astype("int64").to_numpy(),
    )
    holders = now.index.union(standing.index).sort_values()
    amount = now.reindex(holders, fill_value=0)
    before = standing.reindex(holders, fill_value=0)
    is_now, was = holders.isin(now.index), holders.isin(standing.index)
    change = pd.Series("", index=holders, dtype=object)
    change[is_now & ~was] = "original"
    change[is_now & was & (amount != before)] = "amended"
    change[~is_now & was] = "cancelled"
    keep = (change != "").to_numpy()
    frame = pd.DataFrame(
        {
            "holder_id": holders.to_numpy()[keep],
            "change": change.to_numpy()[keep],
            "amount_cents": amount.to_numpy()[keep],
            "filed_cents": before.to_numpy()[keep],
        },
        columns=list(CHANGE_COLUMNS),
    )
    return frame.reset_index(drop=True), int((is_now & was).sum() - (change == "amended").sum())


def checked_rules(year: Any, country: str) -> TaxRules:
    """``country``'s rules, ``year`` checked; :class:`RegisterError` otherwise.

    >>> checked_rules(2027, "ca").country
    'CA'
    >>> checked_rules(2027, "FR")
    Traceback (most recent call last):
    ...
    bondkit.register.store.RegisterError: no tax rules for country FR (known: CA, GB, US)
    """
    try:
        rules = rules_for(country)
    except KeyError:
        from bondkit.data.tax_rules import RULES

        raise RegisterError(
            Message("tax.err.country", country=str(country), known=", ".join(RULES))
        ) from None
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 < year < 3000:
        raise RegisterError(Message("tax.err.year", year=str(year)))
    return rules


def _slip_run(conn: Any, rules: TaxRules, year: int) -> SlipRun:
    """The slip run of ``year`` read inside the caller's transaction."""
    import pandas as pd

    start, end = rules.period(year)
    tax_year = compute_tax_year(read_tax_data(conn, end, start), rules, year)
    filed = pd.DataFrame.from_records(
        tax_store.filed_slips(conn, rules.country, year),
        columns=["slip", "holder_id", "change", "amount_cents"],
    )
    changes, unchanged = {}, {}
    for s in rules.slips:
        changes[s.key], unchanged[s.key] = slip_changes(tax_year.by_holder, filed, s.key)
    dates = [dt.date.fromisoformat(d) for d in tax_store.filing_dates(conn, rules.country, year)]
    return SlipRun(tax_year, changes, unchanged, dates)


class TaxesMixin:
    """Annual statements, tax slips' figures and the slips filed, for
    :class:`~bondkit.register.Register`."""

    _read: Any
    _write: Any

    def tax_year(self, year: int, country: str = "CA") -> TaxYear:
        """Tax year ``year`` of the register under ``country``'s rules (``CA``, ``GB`` or
        ``UK``, ``US``): lines, amounts per holder and slip type, statements per holding,
        deadline, electronic filing and warnings (see :mod:`bondkit.register.taxes`). The
        register is read once, up to the period's last day; later events are left out.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("grand-costumier-2016")) as reg:
        ...         try:
        ...             reg.tax_year(2020, "FR")
        ...         except RegisterError as err:
        ...             print(err)
        no tax rules for country FR (known: CA, GB, US)
        """
        rules = checked_rules(year, country)
        start, end = rules.period(year)
        return compute_tax_year(self._read(read_tax_data, end, start), rules, year)

    def slip_run(self, year: int, country: str = "CA") -> SlipRun:
        """The slips of ``year`` to file now under ``country``'s rules: all originals
        the first time, then only those a correction of the year amended, cancelled or
        added (see :mod:`bondkit.register.filings`); nothing is recorded.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:   # 4 % a year, paid on July 1
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("building-purchase-2010")) as reg:
        ...         _ = reg.add_subscription(name="Lucie", series="A", bonds=2,
        ...                                  subscribed_on="2010-06-15", reason="form")
        ...         _ = reg.pay("2011-07-01", reason="run")
        ...         run = reg.slip_run(2011, "CA")
        >>> run.changes["t5"][["holder_id", "change", "amount_cents"]].to_dict("records")
        [{'holder_id': 1, 'change': 'original', 'amount_cents': 8000}]
        """
        rules = checked_rules(year, country)
        return self._read(_slip_run, rules, year)

    def file_slips(
        self,
        year: int,
        country: str = "CA",
        *,
        filed_on: dt.date | str | None = None,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
        write: Callable[[SlipRun], Any] | None = None,
    ) -> tuple[SlipRun, Any]:
        """Record the slips of :meth:`slip_run` as filed on ``filed_on`` (default: today),
        in one transaction: ``write(run)`` writes their files first, inside it, so a
        failure records nothing. The run (``recorded`` True) and what ``write`` returned.
        A run with nothing to file records nothing.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("building-purchase-2010")) as reg:
        ...         _ = reg.add_subscription(name="Lucie", series="A", bonds=2,
        ...                                  subscribed_on="2010-06-15", reason="form")
        ...         _ = reg.pay("2011-07-01", reason="run")
        ...         run, _ = reg.file_slips(2011, filed_on="2012-02-20", reason="filed")
        ...         again = reg.slip_run(2011)
        >>> len(again.changes["t5"]), again.unchanged["t5"], again.filed_on
        (0, 1, [datetime.date(2012, 2, 20)])
        """
        rules = checked_rules(year, country)
        who, at, why = stamp(by, now, reason)
        day = _filing_day(filed_on, now)

        def record(conn: Any) -> tuple[SlipRun, Any]:
            run = _slip_run(conn, rules, year)
            made = write(run) if write is not None else None
            rows = [
                (
                    rules.country,
                    year,
                    slip,
                    int(r.holder_id),
                    r.change,
                    _standing(r),
                    day,
                    why,
                    at,
                    who,
                )
                for slip, frame in run.changes.items()
                for r in frame.itertuples()
            ]
            tax_store.insert_filed_slips(conn, rows)
            return SlipRun(run.tax_year, run.changes, run.unchanged, run.filed_on, True), made

        return self._write(record)


def _standing(row: Any) -> int:
    """What a slip filed now leaves standing: its amount, or a cancelled slip's amount as
    filed (kept, so the record says what was cancelled)."""
    return int(row.filed_cents if row.change == "cancelled" else row.amount_cents)


def _filing_day(filed_on: dt.date | str | None, now: dt.datetime | None) -> str:
    if filed_on is None:
        return (now or dt.datetime.now(dt.UTC)).date().isoformat()
    try:
        return (
            filed_on if isinstance(filed_on, dt.date) else dt.date.fromisoformat(str(filed_on))
        ).isoformat()
    except ValueError:
        raise RegisterError(Message("tax.err.filed_on", value=str(filed_on)[:40])) from None
