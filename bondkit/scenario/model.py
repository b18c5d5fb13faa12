"""The root of the schema: ``[scenario]``, ``[issuer]`` and :class:`Scenario`, the whole
file, with the rules between its top-level tables and what the computations take from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import PlainValidator, PrivateAttr

from bondkit.core.offer import OfferTerms
from bondkit.core.readiness import ReadinessTerms
from bondkit.core.terms import (
    CampaignTerms,
    CapacityTerms,
    CostTerms,
    PlanningTerms,
    RiskTerms,
    SeriesTerms,
)
from bondkit.errors import Message
from bondkit.scenario.campaign import CampaignTable, campaign_against_series
from bondkit.scenario.capacity import CapacityTable, capacity_against_series
from bondkit.scenario.changes import merge_changes
from bondkit.scenario.costs import CostsTable
from bondkit.scenario.fields import currency_code, month_day, one_of, text, whole
from bondkit.scenario.limits import LANGUAGES, LEGAL_FORMS, MAX_SEED
from bondkit.scenario.messages import validate
from bondkit.scenario.offer import OfferTable, offer_against_the_issue, offer_terms
from bondkit.scenario.planning import PlanningTable
from bondkit.scenario.readiness import ReadinessTable
from bondkit.scenario.risk import RiskTable, risk_against_the_issue
from bondkit.scenario.series import (
    SeriesTable,
    issue_within_limits,
    sculpt_cash_flow,
    sculpted_against_capacity,
)
from bondkit.scenario.table import Issue, Table, valid

__all__ = ["ScenarioTable", "IssuerTable", "Scenario"]


class ScenarioTable(Table):
    """``[scenario]``: what the scenario is called and how its outputs are produced."""

    name: Annotated[str, PlainValidator(text("Cinéma du Parc 2016"))]
    language: Annotated[str, PlainValidator(one_of(LANGUAGES))] = "en"
    currency: Annotated[str, PlainValidator(currency_code)] = "CAD"
    seed: Annotated[int, PlainValidator(whole(minimum=0, maximum=MAX_SEED))] = 0


class IssuerTable(Table):
    """``[issuer]``: the enterprise that borrows."""

    name: Annotated[str, PlainValidator(text("Cinéma du Parc"))]
    legal_form: Annotated[str, PlainValidator(one_of(LEGAL_FORMS))] = "npo"
    jurisdiction: Annotated[str, PlainValidator(text("QC"))] = "QC"
    fiscal_year_end: Annotated[str, PlainValidator(month_day)] = "12-31"


class Scenario(Table):
    """A validated scenario file. Build one with :func:`load_scenario`,
    :func:`parse_scenario` or :func:`validate_data` (which also run the cross-key rules).

    >>> from bondkit.scenario import parse_scenario
    >>> sc = parse_scenario('''
    ... [scenario]
    ... name = "Cinéma du Parc 2016"
    ... [issuer]
    ... name = "Cinéma du Parc"
    ... [[series]]
    ... id = "A"
    ... amount = 100_000
    ... face_value = 500
    ... annual_rate = 0.02
    ... issue_date = 2017-02-01
    ... term_years = 5
    ... repayment = "accumulating"
    ... interest = "compound"
    ... ''')
    >>> sc.name, sc.currency, sc.series_terms()[0].maturity
    ('Cinéma du Parc 2016', 'CAD', datetime.date(2022, 2, 1))
    """

    scenario: ScenarioTable
    issuer: IssuerTable
    series: tuple[SeriesTable, ...]
    costs: CostsTable = CostsTable()
    campaign: CampaignTable | None = None
    capacity: CapacityTable | None = None
    risk: RiskTable | None = None
    offer: OfferTable | None = None
    planning: PlanningTable | None = None
    readiness: ReadinessTable | None = None

    _source_path: Path | None = PrivateAttr(default=None)
    _source_text: str | None = PrivateAttr(default=None)
    _input_sha256: str | None = PrivateAttr(default=None)

    # -- shortcuts to [scenario]
    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def language(self) -> str:
        return self.scenario.language

    @property
    def currency(self) -> str:
        return self.scenario.currency

    @property
    def seed(self) -> int:
        return self.scenario.seed

    # -- where it came from
    @property
    def source_path(self) -> Path | None:
        """The file it was loaded from (None when parsed from text or built from a dict)."""
        return self._source_path

    @property
    def source_text(self) -> str | None:
        """The TOML text it was parsed from."""
        return self._source_text

    @property
    def input_sha256(self) -> str | None:
        """SHA-256 (hex) of the file's bytes (of the UTF-8 text when parsed from text)."""
        return self._input_sha256

    # -- what the computations take
    def series_terms(self) -> list[SeriesTerms]:
        """The terms of every series, in file order: amounts in currency units (Decimal),
        ``annual_rate`` a fraction (0.02 is 2 %), dates as ``datetime.date``.

        >>> from bondkit.scenario import load_example
        >>> [a] = load_example("grand-costumier-2016").series_terms()
        >>> a.id, a.amount, a.annual_rate, a.repayment, a.interest
        ('A', Decimal('20000'), Decimal('0.02'), 'accumulating', 'simple')
        >>> a.bonds, a.amount_cents, a.maturity  # 20 bonds of 1 000 $; 2 000 000 cents
        (20, 2000000, datetime.date(2021, 9, 1))

        A sculpted series also carries the cash flow it follows, by fiscal year (the
        ``[capacity]`` cash flow less other debt service), and the fiscal year end:

        >>> sculpted = load_example("grand-costumier-2016").with_changes(
        ...     repayment="sculpted", interest=None)
        >>> [(year, int(cash)) for year, cash in sculpted.series_terms()[0].sculpt_cash_flow]
        [(2017, 4500), (2018, 5000), (2019, 5500), (2020, 6000), (2021, 6000), (2022, 6500)]
        """
        fiscal_year_end = self.issuer.fiscal_year_end
        cash_flow = sculpt_cash_flow(self.series, self.capacity_terms(), fiscal_year_end)
        return [s.terms(cash_flow, fiscal_year_end) for s in self.series]

    def cost_terms(self) -> CostTerms:
        """The issuer's costs of ``[costs]`` (all 0 when the file has none): ``upfront`` and
        ``annual_admin`` in currency units, ``upfront_rate`` a fraction of the principal.

        >>> from bondkit.scenario import load_example
        >>> costs = load_example("grand-costumier-2016").cost_terms()
        >>> costs.upfront, costs.upfront_rate, costs.annual_admin
        (Decimal('1000'), Decimal('0'), Decimal('0'))
        >>> costs.upfront_cents(2_000_000)  # on the 20 000 $ issue: 1 000 $, in cents
        100000
        """
        return self.costs.terms()

    def campaign_terms(self) -> CampaignTerms | None:
        """The subscription campaign, or None when the file has no ``[campaign]``.

        Dates as ``datetime.date``, amounts in currency units (Decimal).

        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> camp = sc.campaign_terms()
        >>> camp.opens, camp.closes
        (datetime.date(2016, 7, 1), datetime.date(2016, 8, 31))
        >>> camp.minimum, camp.target, camp.rule_set, camp.simulations
        (Decimal('10000'), Decimal('20000'), 'qc-npo', 10000)
        >>> [s.name for s in camp.segments]
        ['Membres et bénévoles', 'Clientèle', 'Milieu culturel']
        >>> sc.with_changes(campaign=None).campaign_terms() is None
        True
        """
        return self.campaign.terms() if self.campaign else None

    def capacity_terms(self) -> CapacityTerms | None:
        """The enterprise's capacity to pay, or None when the file has no ``[capacity]``.

        Cash flows and cash in currency units (Decimal), one cash flow per fiscal year from
        the fiscal year of the first issue; the coverage threshold is a ratio.

        >>> from bondkit.scenario import load_example
        >>> cap = load_example("grand-costumier-2016").capacity_terms()
        >>> [int(x) for x in cap.cash_flow]  # fiscal years 2017 to 2022, CAD
        [4500, 5000, 5500, 6000, 6000, 6500]
        >>> cap.opening_cash, cap.minimum_cash, cap.coverage_threshold, cap.sinking_fund.rate
        (Decimal('4000'), Decimal('3000'), Decimal('1.25'), Decimal('0.01'))
        """
        return self.capacity.terms() if self.capacity else None

    def risk_terms(self) -> RiskTerms | None:
        """Early redemption and renewal risk, or None when the file has no ``[risk]``.

        Probabilities and rates are fractions (0.65 is 65 %); ``paths`` is the number of
        simulated paths.

        >>> from bondkit.scenario import load_example
        >>> risk = load_example("grand-costumier-2016").risk_terms()
        >>> risk.annual_probability, risk.renewal_rate, risk.shortfall_level, risk.paths
        (0.0, 0.65, 0.05, 10000)
        """
        return self.risk.terms() if self.risk else None

    def offer_terms(self) -> OfferTerms:
        """The offer's clauses (rank, security, transfers, legal frame, redemption terms,
        renewal offers: :class:`~bondkit.core.offer.OfferTerms`), ``[offer]``'s, with the
        redemption terms of ``[risk]`` where the offer leaves them out and the usual legal
        frame of the issuer's legal form and jurisdiction when none is written.

        >>> from bondkit.scenario import load_example
        >>> terms = load_example("solar-coop-multi-series").offer_terms()
        >>> terms.rank, terms.lock_in_years, terms.notice_months, str(terms.annual_cap)
        ('subordinated', 2, 6, '0.05')
        """
        risk = self.risk.model_dump() if self.risk else {}
        return offer_terms(self.offer, risk, self.issuer.legal_form, self.issuer.jurisdiction)

    def planning_terms(self) -> PlanningTerms | None:
        """The plan of the issue, or None when the file has no ``[planning]``.

        Amounts in cents; the bond issue is not among the sources (pass it to
        :meth:`~bondkit.core.terms.PlanningTerms.gap_cents`).

        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> plan = sc.planning_terms()
        >>> plan.total_uses_cents, plan.other_sources_cents  # 21 000 $ of uses, 1 000 $ own funds
        (2100000, 100000)
        >>> plan.gap_cents(sum(t.amount_cents for t in sc.series_terms()))  # + the 20 000 $ issue
        0
        """
        return self.planning.terms() if self.planning else None

    def readiness_terms(self) -> ReadinessTerms | None:
        """The enterprise's own answers to the qualitative criteria of the readiness grid
        (levels 1 to 4, None where a criterion is not answered), or None when the file has
        no ``[readiness]``.

        >>> from bondkit.scenario import load_example
        >>> sc = load_example("cinema-du-parc-2016")
        >>> answers = sc.readiness_terms()
        >>> answers.governance, answers.approval, answers.answered
        (3, 3, 7)
        >>> sc.with_changes(readiness=None).readiness_terms() is None
        True
        """
        return self.readiness.terms() if self.readiness else None

    def to_data(self) -> dict[str, Any]:
        """The scenario as a plain dict that :func:`validate_data` accepts again
        (e.g. merged with changes): every key, defaults included, with the values as
        validated (amounts and rates as Decimal, in currency units and fractions; dates as
        ``datetime.date``); tables the file does not have are left out.

        >>> from bondkit.scenario import load_example, validate_data
        >>> sc = load_example("grand-costumier-2016")
        >>> data = sc.to_data()
        >>> a = data["series"][0]
        >>> a["amount"], a["annual_rate"], a["issue_date"], a["frequency"]
        (Decimal('20000'), Decimal('0.02'), datetime.date(2016, 9, 1), 'annual')
        >>> validate_data(data).to_data() == data
        True
        """
        return self.model_dump(exclude_none=True)

    def with_changes(self, changes: dict[str, Any] | None = None, /, **keys: Any) -> Scenario:
        """A new scenario: this one with some values changed, validated again as a whole.

        Keys (``changes`` and keywords together) are those of ``bondkit sweep --vary``: a
        series key applies to every series (``annual_rate=0.045``), ``"series[2].term_years"``
        to the second series (from 1), a dotted key to a table (``"campaign.target"``,
        ``"risk.annual_probability"``); a table or key set to None is removed
        (``campaign=None``). Units as in the file: rates are fractions (0.045 is 4.5 %),
        amounts in currency units. Setting ``term_years`` drops ``maturity_date`` and the
        reverse; a repayment other than ``accumulating`` drops ``interest``.

        A change that makes the scenario invalid raises :class:`ScenarioError` with the
        same located messages as a bad file; this scenario is never modified. The new
        scenario has no file behind it (``source_path`` and ``input_sha256`` are None).

        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> dearer = sc.with_changes(annual_rate=0.03)
        >>> str(dearer.series[0].annual_rate), str(sc.series[0].annual_rate)
        ('0.03', '0.02')
        >>> sc.with_changes({"series[1].annual_rate": 4})
        Traceback (most recent call last):
        ...
        bondkit.errors.ScenarioError: series[1].annual_rate: must be a fraction such as 0.04 (you wrote 4)

        The whole scenario is checked again: a longer term needs more years of cash flow.

        >>> sc.with_changes(term_years=7)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        bondkit.errors.ScenarioError: capacity.cash_flow: covers fiscal years 2017 to 2022 but the issue runs to 2024: add 2 more years (you wrote [...])
        """
        merged = merge_changes(self.to_data(), {**(changes or {}), **keys})
        source = f"{self.source_path.name if self.source_path else self.name} (changed)"
        return validate(Scenario, merged, source=source)

    @classmethod
    def cross_check(cls, values: dict[str, Any]) -> Iterator[Issue]:
        series = values.get("series")
        risk = values.get("risk")
        if isinstance(risk, dict):  # its rule against the campaign needs no series
            for issue in risk_against_the_issue(risk, series, values.get("campaign")):
                yield issue._replace(loc=("risk", *issue.loc))
        offer = values.get("offer")
        if isinstance(offer, dict):  # the redemption terms it writes are [risk]'s
            for issue in offer_against_the_issue(offer, series, risk):
                yield issue._replace(loc=("offer", *issue.loc))
        if not isinstance(series, list):
            return
        if not series:
            yield Issue(("series",), Message("msg.needs_table", header="[[series]]"))
        first_index: dict[str, int] = {}
        for i, s in enumerate(series):
            if valid(s, "id"):
                if s["id"] in first_index:
                    yield Issue(
                        ("series", i, "id"),
                        Message("msg.same_id", n=first_index[s["id"]] + 1),
                        s["id"],
                    )
                first_index.setdefault(s["id"], i)
        yield from issue_within_limits(series)
        campaign = values.get("campaign")
        if series and isinstance(campaign, dict):
            for issue in campaign_against_series(campaign, series):
                yield issue._replace(loc=("campaign", *issue.loc))
        capacity, issuer = values.get("capacity"), values.get("issuer")
        if valid(issuer, "fiscal_year_end"):  # a sculpted series needs [capacity]
            yield from sculpted_against_capacity(series, capacity, issuer["fiscal_year_end"])
        if series and isinstance(capacity, dict) and valid(issuer, "fiscal_year_end"):
            for issue in capacity_against_series(capacity, series, issuer["fiscal_year_end"]):
                yield issue._replace(loc=("capacity", *issue.loc))
