"""The offer's clauses beyond the money (booklet 3, moment 2A "Conception"): what the bonds
rank behind, what secures them, whether they can be transferred, the early-redemption
terms as written in the offer, the legal frame relied on, the renewal offered at maturity,
and who to contact. The workbook's L3.2 and the investor kit state them; the redemption
terms written must be those the risk model simulates (the scenario checks it).

>>> terms = OfferTerms(rank="subordinated", transfer="with-consent", exemption="qc-npo")
>>> terms.rank, terms.renewal("A") is None
('subordinated', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "RANKS",
    "TRANSFERS",
    "EXEMPTIONS",
    "RenewalOffer",
    "OfferTerms",
    "default_exemption",
]

#: what the bonds rank as: behind no debt but secured ones (``secured``: by what
#: ``security`` says), equal to the other unsecured debts, or behind the enterprise's other
#: creditors (``subordinated``, the usual case of community bonds)
RANKS: tuple[str, ...] = ("secured", "unsecured", "subordinated")
#: whether a holder may transfer bonds: never, with the board's consent, or freely
TRANSFERS: tuple[str, ...] = ("none", "with-consent", "free")
#: the legal frame of the offer: Québec's Securities Act art. 3 par. 3 (a non-profit legal
#: person, no remuneration for the placement) or par. 5 (a co-operative placing with its
#: members); NI 45-106 s. 2.38 (a non-profit issuer elsewhere in Canada); an Ontario
#: co-operative's offering statement (above 35 members or investors); an offering
#: memorandum; a prospectus; another frame (say which in the kit)
EXEMPTIONS: tuple[str, ...] = (
    "qc-npo",
    "qc-coop-members",
    "ni-45-106-2.38",
    "on-offering-statement",
    "offering-memorandum",
    "prospectus",
    "other",
)


@dataclass(frozen=True)
class RenewalOffer:
    """What the holders of series ``series_id`` are offered at its maturity: new bonds at
    ``annual_rate`` [fraction] for ``term_years`` [yr]."""

    series_id: str
    annual_rate: Decimal
    term_years: int


@dataclass(frozen=True)
class OfferTerms:
    """The offer's clauses (see the module).

    purpose : str or None — what the money is for, in the issuer's words
    rank : str — one of :data:`RANKS`
    security : str or None — what secures the bonds (only with ``rank = "secured"``)
    transfer : str — one of :data:`TRANSFERS`
    exemption : str — one of :data:`EXEMPTIONS`
    contact : str or None — who answers the investors' questions
    lock_in_years : int — no early redemption in the first years [yr]
    notice_months : int — an early redemption is paid this long after it is asked [months]
    annual_cap : Decimal or None — the most redeemed early in a fiscal year, as a share of
        the issue (None: no cap)
    renewals : tuple of :class:`RenewalOffer` — the renewal offered per series
    """

    purpose: str | None = None
    rank: str = "subordinated"
    security: str | None = None
    transfer: str = "with-consent"
    exemption: str = "other"
    contact: str | None = None
    lock_in_years: int = 0
    notice_months: int = 0
    annual_cap: Decimal | None = None
    renewals: tuple[RenewalOffer, ...] = ()

    def renewal(self, series_id: str) -> RenewalOffer | None:
        """The renewal offered to series ``series_id`` (None: none written).

        >>> offer = OfferTerms(renewals=(RenewalOffer("A", Decimal("0.045"), 5),))
        >>> offer.renewal("A").term_years, offer.renewal("B")
        (5, None)
        """
        return next((r for r in self.renewals if r.series_id == series_id), None)


def default_exemption(legal_form: str, jurisdiction: str) -> str:
    """The legal frame an issuer of ``legal_form`` in ``jurisdiction`` usually relies on
    when the scenario does not say (:data:`EXEMPTIONS`; an advisor confirms it).

    >>> default_exemption("npo", "QC"), default_exemption("coop", "qc")
    ('qc-npo', 'qc-coop-members')
    >>> default_exemption("npo", "BC"), default_exemption("coop", "ON"), default_exemption("other", "QC")
    ('ni-45-106-2.38', 'on-offering-statement', 'other')
    """
    where = jurisdiction.strip().upper()
    if where == "QC":
        return {"npo": "qc-npo", "coop": "qc-coop-members"}.get(legal_form, "other")
    if legal_form == "coop" and where == "ON":
        return "on-offering-statement"
    if legal_form == "npo" and where in _CANADA:
        return "ni-45-106-2.38"
    return "other"


#: Canada's provinces and territories (ISO 3166-2:CA codes)
_CANADA = frozenset("AB BC MB NB NL NS NT NU ON PE QC SK YT".split())
