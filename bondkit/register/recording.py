"""Who records a write, when and why, checked the same way by every write of the register.

>>> recorder("  Lucie ")
'Lucie'
>>> reason_text("")
Traceback (most recent call last):
...
bondkit.register.store.RegisterError: every event needs a reason: a line of text saying why (nothing was recorded)
>>> is_whole(3), is_whole(True), is_whole(3.0)
(True, False, False)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bondkit.errors import Message
from bondkit.register.ledger import operator, timestamp
from bondkit.register.store import RegisterError

__all__ = ["recorder", "reason_text", "stamp", "is_whole"]


def recorder(by: str | None) -> str:
    """Who records (:func:`bondkit.register.ledger.operator`), or RegisterError.

    >>> recorder("Lucie")
    'Lucie'
    """
    try:
        return operator(by)
    except ValueError:
        raise RegisterError(Message("reg.err.by")) from None


def reason_text(reason: Any) -> str:
    """Why: a line of printable text, trimmed, or RegisterError.

    >>> reason_text("  cheque 112 ")
    'cheque 112'
    """
    if not isinstance(reason, str) or not reason.strip():
        raise RegisterError(Message("reg.err.reason"))
    if any(not c.isprintable() for c in reason.strip()):
        raise RegisterError(Message("reg.err.reason"))
    return reason.strip()


def stamp(by: str | None, now: dt.datetime | None, reason: Any) -> tuple[str, str, str]:
    """Who, when (UTC text) and why of a write, each checked.

    >>> stamp("Lucie", dt.datetime(2027, 3, 2, 9, tzinfo=dt.UTC), "form")
    ('Lucie', '2027-03-02T09:00:00Z', 'form')
    """
    return recorder(by), timestamp(now), reason_text(reason)


def is_whole(value: Any) -> bool:
    """An integer, not a bool (a count of bonds, a number of a row).

    >>> is_whole(2), is_whole(False)
    (True, False)
    """
    return isinstance(value, int) and not isinstance(value, bool)
