"""QuantLib conversions shared by the tests that compare bondkit with QuantLib."""

from __future__ import annotations

import datetime as dt


def ql_date(ql, d: dt.date):
    return ql.Date(d.day, d.month, d.year)


def py_date(d) -> dt.date:
    return dt.date(d.year(), d.month(), d.dayOfMonth())


def ql_day_counter(ql, name: str):
    return {
        "30/360": ql.Thirty360(ql.Thirty360.BondBasis),
        "30E/360": ql.Thirty360(ql.Thirty360.European),
        "ACT/365F": ql.Actual365Fixed(),
        "ACT/ACT": ql.ActualActual(ql.ActualActual.ISDA),
    }[name]


def ql_convention(ql, name: str):
    return {
        "unadjusted": ql.Unadjusted,
        "following": ql.Following,
        "modified-following": ql.ModifiedFollowing,
    }[name]
