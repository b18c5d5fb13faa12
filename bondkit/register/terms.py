"""From a scenario to the register's terms, and back: the issue's row and its series.

The register keeps the terms it was created with (series terms, the interest-start rule,
the redemption rules of ``[risk]``, the campaign's dates and limits) and the scenario's
text, so that it stays readable without the file. Amounts are stored in cents, rates as
the decimal text written in the scenario (exact), dates as ISO text.

>>> from bondkit.scenario import load_example
>>> sc = load_example("solar-coop-multi-series")
>>> [row["series_id"] for row in series_rows(sc)]
['A-3y', 'B-5y', 'C-7y']
>>> [series_terms(row) for row in series_rows(sc)] == sc.series_terms()
True
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bondkit.core.conventions import to_cents
from bondkit.core.terms import SeriesTerms, StepRate

if TYPE_CHECKING:  # pragma: no cover
    from bondkit.scenario import Scenario

__all__ = ["issue_row", "series_rows", "series_row", "series_terms"]


def _cents(amount: Decimal | None) -> int | None:
    return None if amount is None else to_cents(amount)


def issue_row(scenario: Scenario, created_at: str, created_by: str, version: str) -> dict[str, Any]:
    """The issue's one row: who issues, the rules every holding follows, and where the
    terms came from (the scenario's SHA-256 and text).

    ``interest_start`` is the campaign's rule (``issue-date`` without a campaign); the
    redemption rules (``lock_in_years``, ``notice_months``, ``annual_cap``) are those of
    ``[risk]``, None when the scenario has none.

    >>> from bondkit.scenario import load_example
    >>> row = issue_row(load_example("solar-coop-multi-series"), "2026-03-02T00:00:00Z",
    ...                 "Lucie", "0.1.0")
    >>> row["interest_start"], row["lock_in_years"], row["notice_months"], row["annual_cap"]
    ('issue-date', 2, 6, '0.05')
    """
    campaign = scenario.campaign_terms()
    risk = scenario.risk
    return {
        "id": 1,
        "name": scenario.name,
        "issuer": scenario.issuer.name,
        "legal_form": scenario.issuer.legal_form,
        "jurisdiction": scenario.issuer.jurisdiction,
        "currency": scenario.currency,
        "language": scenario.language,
        "fiscal_year_end": scenario.issuer.fiscal_year_end,
        "interest_start": campaign.interest_start if campaign else "issue-date",
        "campaign_opens": campaign.opens.isoformat() if campaign else None,
        "campaign_closes": campaign.closes.isoformat() if campaign else None,
        "rule_set": campaign.rule_set if campaign else None,
        "min_subscription_cents": _cents(campaign.min_subscription) if campaign else None,
        "max_per_investor_cents": _cents(campaign.max_per_investor) if campaign else None,
        "lock_in_years": risk.lock_in_years if risk else None,
        "notice_months": risk.notice_months if risk else None,
        "annual_cap": str(risk.annual_cap) if risk and risk.annual_cap is not None else None,
        "scenario_sha256": scenario.input_sha256,
        "scenario_text": scenario.source_text,
        "created_at": created_at,
        "created_by": created_by,
        "bondkit_version": version,
    }


def series_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """One row per series of the scenario, in its order (see :func:`series_terms`).

    >>> from bondkit.scenario import load_example
    >>> [row] = series_rows(load_example("grand-costumier-2016"))
    >>> row["amount_cents"], row["bonds"], row["annual_rate"], row["maturity"]
    (2000000, 20, '0.02', '2021-09-01')
    """
    return [series_row(t, position) for position, t in enumerate(scenario.series_terms(), 1)]


def series_row(t: SeriesTerms, position: int) -> dict[str, Any]:
    """The register's row of one series' terms, at ``position`` in the issue's order.

    >>> from bondkit.scenario import load_example
    >>> row = series_row(load_example("grand-costumier-2016").series_terms()[0], 1)
    >>> row["series_id"], row["face_value_cents"], row["step_rates"]
    ('A', 100000, '[]')
    """
    return {
        "series_id": t.id,
        "position": position,
        "amount_cents": t.amount_cents,
        "face_value_cents": t.face_value_cents,
        "bonds": t.bonds,
        "annual_rate": str(t.annual_rate),
        "issue_date": t.issue_date.isoformat(),
        "maturity": t.maturity.isoformat(),
        "term_years": t.term_years,
        "maturity_date": t.maturity_date.isoformat() if t.maturity_date else None,
        "repayment": t.repayment,
        "interest": t.interest,
        "frequency": t.frequency,
        "day_count": t.day_count,
        "interest_only_years": t.interest_only_years,
        "business_day": t.business_day,
        "step_rates": json.dumps([[s.from_year, str(s.annual_rate)] for s in t.step_rates]),
        "sculpt_cash_flow": json.dumps([[y, str(c)] for y, c in t.sculpt_cash_flow]),
        "fiscal_year_end": t.fiscal_year_end,
    }


def series_terms(row: dict[str, Any]) -> SeriesTerms:
    """The :class:`~bondkit.core.terms.SeriesTerms` of a series row of the register.

    >>> from bondkit.scenario import load_example
    >>> [row] = series_rows(load_example("grand-costumier-2016"))
    >>> t = series_terms(row)
    >>> t.id, t.amount, t.face_value, t.annual_rate, t.maturity
    ('A', Decimal('20000'), Decimal('1000'), Decimal('0.02'), datetime.date(2021, 9, 1))
    """
    maturity_date = row["maturity_date"]
    return SeriesTerms(
        id=row["series_id"],
        amount=Decimal(row["amount_cents"]) / 100,
        face_value=Decimal(row["face_value_cents"]) / 100,
        annual_rate=Decimal(row["annual_rate"]),
        issue_date=dt.date.fromisoformat(row["issue_date"]),
        term_years=row["term_years"],
        maturity_date=dt.date.fromisoformat(maturity_date) if maturity_date else None,
        repayment=row["repayment"],
        interest=row["interest"],
        frequency=row["frequency"],
        day_count=row["day_count"],
        interest_only_years=row["interest_only_years"],
        business_day=row["business_day"],
        step_rates=tuple(StepRate(int(y), Decimal(r)) for y, r in json.loads(row["step_rates"])),
        sculpt_cash_flow=tuple(
            (int(y), Decimal(c)) for y, c in json.loads(row["sculpt_cash_flow"])
        ),
        fiscal_year_end=row["fiscal_year_end"],
    )
