"""``[offer]`` and ``[[offer.renewals]]``: the offer's clauses beyond the money (booklet 3,
moment 2A), and their rules against the series and ``[risk]``: the early-redemption terms
the offer writes are the ones the risk model simulates."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainValidator

from bondkit.core.offer import EXEMPTIONS, RANKS, TRANSFERS, OfferTerms, RenewalOffer
from bondkit.errors import Message
from bondkit.scenario.fields import (
    Rate,
    TermYears,
    one_of,
    optional,
    series_id,
    share,
    text,
    whole,
)
from bondkit.scenario.risk import risk_against_the_issue
from bondkit.scenario.table import INVALID, Issue, Table, valid
from bondkit.scenario.toml_text import plain

__all__ = ["RenewalTable", "OfferTable", "offer_against_the_issue", "offer_terms"]

#: the longest text of a clause (a paragraph of the kit)
MAX_CLAUSE_CHARS = 600
#: the early-redemption keys the offer and ``[risk]`` share
REDEMPTION_KEYS = ("lock_in_years", "notice_months", "annual_cap")


def _clause(example: str) -> Any:
    return Annotated[str | None, PlainValidator(optional(text(example, most=MAX_CLAUSE_CHARS)))]


class RenewalTable(Table):
    """One ``[[offer.renewals]]`` table: what a series' holders are offered at maturity."""

    series: Annotated[str, PlainValidator(series_id)]
    annual_rate: Rate
    term_years: TermYears

    def terms(self) -> RenewalOffer:
        return RenewalOffer(self.series, self.annual_rate, self.term_years)


class OfferTable(Table):
    """``[offer]``: the clauses of the offer (optional: without it the rank is
    subordinated, transfers need the board's consent, the legal frame is the usual one of
    the issuer's legal form and jurisdiction, and the redemption terms are ``[risk]``'s).

    The early-redemption keys, when written, must equal ``[risk]``'s (the terms the
    offer writes are the terms the model simulates); without ``[risk]`` they stand alone.
    """

    purpose: _clause("Rénover les deux salles et passer à la projection numérique") = None
    rank: Annotated[str, PlainValidator(one_of(RANKS))] = "subordinated"
    security: _clause("Hypothèque de second rang sur l'immeuble") = None
    transfer: Annotated[str, PlainValidator(one_of(TRANSFERS))] = "with-consent"
    exemption: Annotated[str | None, PlainValidator(optional(one_of(EXEMPTIONS)))] = None
    contact: _clause("Lucie Tremblay, trésorière, 514 555-0100") = None
    lock_in_years: Annotated[int | None, PlainValidator(optional(whole(minimum=0)))] = None
    notice_months: Annotated[int | None, PlainValidator(optional(whole(minimum=0, maximum=24)))] = (
        None
    )
    annual_cap: Annotated[Decimal | None, PlainValidator(optional(share))] = None
    renewals: tuple[RenewalTable, ...] = ()

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        rank, security = values.get("rank", "subordinated"), values.get("security")
        if rank is not INVALID and security is not INVALID:
            if rank == "secured" and security is None:
                yield Issue(("security",), Message("msg.offer_security_missing"))
            elif rank != "secured" and security is not None:
                yield Issue(("security",), Message("msg.offer_security_rank"), security)
        renewals = values.get("renewals")
        if isinstance(renewals, list):
            seen: dict[str, int] = {}
            for i, r in enumerate(renewals):
                if valid(r, "series"):
                    if r["series"] in seen:
                        yield Issue(
                            ("renewals", i, "series"),
                            Message("msg.offer_renewal_twice", n=seen[r["series"]] + 1),
                            r["series"],
                        )
                    seen.setdefault(r["series"], i)


def offer_against_the_issue(offer: dict[str, Any], series: Any, risk: Any) -> Iterator[Issue]:
    """The rules between ``[offer]`` and the series (a renewal names one; the lock-in ends
    before maturity) and ``[risk]`` (the same redemption terms).

    >>> import datetime as dt
    >>> series = [{"id": "A", "issue_date": dt.date(2017, 2, 1), "term_years": 5}]
    >>> offer = {"lock_in_years": 2, "renewals": [{"series": "B"}]}
    >>> for issue in offer_against_the_issue(offer, series, {"lock_in_years": 3}):
    ...     print(issue.problem())
    lock_in_years: the offer writes 2 but [risk] simulates 3: write the same in both, or leave it out here (the offer then states [risk]'s) (you wrote 2)
    renewals[1].series: is not a series of the file (series: A) (you wrote "B")
    """
    if isinstance(risk, dict):
        for key in REDEMPTION_KEYS:
            if offer.get(key) is None or not valid(offer, key):
                continue
            simulated = risk.get(key, 0 if key != "annual_cap" else None)
            if simulated is INVALID:  # [risk] says what is wrong with it
                continue
            if offer[key] != simulated:
                yield Issue(
                    (key,),
                    Message("msg.offer_risk", offer=_shown(offer[key]), risk=_shown(simulated)),
                    offer[key],
                )
    elif valid(offer, "lock_in_years") and offer.get("lock_in_years"):
        yield from risk_against_the_issue({"lock_in_years": offer["lock_in_years"]}, series, None)
    renewals = offer.get("renewals")
    if isinstance(renewals, list) and isinstance(series, list):
        ids = [s["id"] for s in series if valid(s, "id")]
        for i, r in enumerate(renewals):
            if valid(r, "series") and r["series"] not in ids:
                yield Issue(
                    ("renewals", i, "series"),
                    Message("msg.offer_no_series", ids=", ".join(ids)),
                    r["series"],
                )


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    return plain(value) if isinstance(value, Decimal) else str(value)


def offer_terms(
    offer: OfferTable | None, risk_keys: dict[str, Any], legal_form: str, jurisdiction: str
) -> OfferTerms:
    """The offer's clauses: ``offer``'s, the redemption terms from ``risk_keys`` (the
    ``[risk]`` table's, when the offer leaves them out), the usual legal frame when none
    is written.

    >>> terms = offer_terms(None, {"lock_in_years": 2}, "npo", "QC")
    >>> terms.exemption, terms.lock_in_years, terms.rank
    ('qc-npo', 2, 'subordinated')
    """
    from bondkit.core.offer import default_exemption

    o = offer or OfferTable()
    written = {k: getattr(o, k) for k in REDEMPTION_KEYS}
    redemption = {k: risk_keys.get(k) if v is None else v for k, v in written.items()}
    return OfferTerms(
        purpose=o.purpose,
        rank=o.rank,
        security=o.security,
        transfer=o.transfer,
        exemption=o.exemption or default_exemption(legal_form, jurisdiction),
        contact=o.contact,
        lock_in_years=redemption["lock_in_years"] or 0,
        notice_months=redemption["notice_months"] or 0,
        annual_cap=redemption["annual_cap"],
        renewals=tuple(r.terms() for r in o.renewals),
    )
