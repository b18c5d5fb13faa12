"""The runner: scenario -> schedules -> metrics -> one Result, the sequence recorded.

Each step is a public function an analyst can call by hand; :func:`run` only composes
them. The runner writes nothing; exporters (:mod:`bondkit.report.workbook`, :mod:`bondkit.report.charts`,
:mod:`bondkit.report.writer`) take a :class:`Result`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from bondkit import __version__
from bondkit.core.conventions import money, to_cents
from bondkit.core.metrics import (
    investor_yield,
    issuer_all_in_cost,
    issuer_cash_flows,
    macaulay_duration,
    simple_vs_compound,
    total_interest,
    weighted_average_life,
)
from bondkit.core.schedule import annual_debt_service, by_date, by_fiscal_year, issue_schedule
from bondkit.core.terms import CostTerms

if TYPE_CHECKING:
    from bondkit.core.terms import CampaignTerms, SeriesTerms
    from bondkit.models.campaign import CampaignResult
    from bondkit.models.capacity import CapacityResult
    from bondkit.models.risk import RiskResult
    from bondkit.scenario import Scenario

__all__ = ["SeriesResult", "Result", "run"]


@dataclass(frozen=True)
class SeriesResult:
    """Key figures of one series (money in cents)."""

    terms: SeriesTerms
    total_interest: int
    total_payment: int
    investor_yield: float | None
    weighted_average_life: float
    macaulay_duration: float | None
    simple_vs_compound: pd.DataFrame  # one bond: year, date, simple, compound [cents]


@dataclass(frozen=True, repr=False)
class Result:
    """Everything a run computed. DataFrames use the keys of :mod:`bondkit.columns`; money in cents.

    For an analyst: :attr:`summary` (the key figures, a DataFrame in currency units),
    :attr:`schedule` (one row per payment, columns of :data:`bondkit.columns.COLUMNS`,
    money in cents), :attr:`fiscal` (debt service by fiscal year, cents),
    :attr:`readiness` (the readiness grid), the campaign and risk tables
    (:attr:`campaign_band`, :attr:`campaign_register`, :attr:`coverage`,
    :attr:`liquidity`), :meth:`to_excel`, :meth:`to_dict` (the summary JSON) and the
    ``plot_*`` methods, which take ``ax=None`` and return the Axes. In a notebook a
    result shows its key figures and readiness statuses.

    >>> from bondkit.scenario import load_example
    >>> res = run(load_example("grand-costumier-2016"))
    >>> res
    <Result 'Le Grand Costumier 2016': 1 series, 20,000.00 CAD, all-in cost 2.97%, min coverage 0.30>
    >>> res.summary.loc["total_interest", "value"]
    2000.0
    """

    scenario: Scenario
    series: tuple[SeriesTerms, ...]
    costs: CostTerms
    schedule: pd.DataFrame  # every series, file order then date
    payments_by_date: pd.DataFrame  # date, interest, principal, payment
    fiscal_by_series: pd.DataFrame  # fiscal_year, series, interest, principal, payment
    fiscal: pd.DataFrame  # fiscal_year, interest, principal, debt_service, outstanding
    issuer_flows: pd.DataFrame  # date, kind, amount
    series_results: dict[str, SeriesResult]
    total_principal: int
    total_interest: int
    max_annual_debt_service: int
    upfront_costs: int
    annual_admin_total: int
    issuer_all_in_cost: float | None
    campaign: CampaignResult | None = None
    capacity: CapacityResult | None = None
    risk: RiskResult | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The summary JSON of scenario-format.md (plus a few more keys), as a dict:
        money in currency units rounded to the cent, rates as fractions, dates ISO.

        Le Grand Costumier: 20 000 $ at 2 % simple interest for 5 years, paid with the
        principal on 2021-09-01 (fiscal year 2022, years ending March 31): 2 000 $ of
        interest; 1 000 $ of launch costs; the lowest coverage is 6 500 / 22 000.

        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> d = run(sc.with_changes({"campaign.simulations": 200, "risk.paths": 200})).to_dict()
        >>> d["total_principal"], d["total_interest"], d["upfront_costs"]
        (20000.0, 2000.0, 1000.0)
        >>> d["first_issue_date"], d["last_maturity_date"]
        ('2016-09-01', '2021-09-01')
        >>> d["debt_service_by_fiscal_year"]["2021"], d["debt_service_by_fiscal_year"]["2022"]
        (0.0, 22000.0)
        >>> round(d["issuer_all_in_cost"], 4), round(d["capacity"]["min_dscr"], 4)
        (0.0297, 0.2955)
        >>> d["campaign"]["simulations"], d["risk"]["paths"], d["seed"]
        (200, 200, 2016)
        """
        sc = self.scenario
        return {
            "scenario": sc.name,
            "bondkit_version": __version__,
            "input_sha256": sc.input_sha256,
            "seed": sc.seed,
            "language": sc.language,
            "currency": sc.currency,
            "issuer": sc.issuer.name,
            "fiscal_year_end": sc.issuer.fiscal_year_end,
            "total_principal": money(self.total_principal),
            "total_interest": money(self.total_interest),
            "max_annual_debt_service": money(self.max_annual_debt_service),
            "issuer_all_in_cost": self.issuer_all_in_cost,
            "upfront_costs": money(self.upfront_costs),
            "annual_admin_total": money(self.annual_admin_total),
            "first_issue_date": min(t.issue_date for t in self.series).isoformat(),
            "last_maturity_date": max(t.maturity for t in self.series).isoformat(),
            "series": {
                sid: {
                    "amount": money(r.terms.amount_cents),
                    "bonds": r.terms.bonds,
                    "repayment": r.terms.repayment,
                    "investor_yield": r.investor_yield,
                    "total_interest": money(r.total_interest),
                    "total_payment": money(r.total_payment),
                    "maturity_date": r.terms.maturity.isoformat(),
                    "weighted_average_life": r.weighted_average_life,
                    "macaulay_duration": r.macaulay_duration,
                }
                for sid, r in self.series_results.items()
            },
            "debt_service_by_fiscal_year": {
                str(int(row.fiscal_year)): money(row.debt_service)
                for row in self.fiscal.itertuples(index=False)
            },
            "campaign": self.campaign.summary() if self.campaign is not None else None,
            "capacity": self.capacity.summary() if self.capacity is not None else None,
            "risk": self.risk.summary() if self.risk is not None else None,
        }

    # -- for analysts (notebooks) --------------------------------------------------------
    def __repr__(self) -> str:
        cost = self.issuer_all_in_cost
        total = f"{self.total_principal / 100:,.2f} {self.scenario.currency}"
        text = f"<Result {self.scenario.name!r}: {len(self.series)} series, {total}"
        text += f", all-in cost {cost:.2%}" if cost is not None else ""
        if self.capacity is not None and self.capacity.min_dscr is not None:
            text += f", min coverage {self.capacity.min_dscr:.2f}"
        return text + ">"

    @property
    def summary(self) -> pd.DataFrame:
        """The key figures, one row each (index: the figure's key): ``label`` (in the
        scenario's language), ``value`` and ``unit`` (``currency``: currency units, rounded
        to the cent; ``fraction``: 0.04 is 4 %; ``ratio``; ``date``; ``count``). Figures of
        a table the scenario lacks ([campaign], [capacity], [risk]) are left out."""
        from bondkit.api import key_figures

        return key_figures(self)

    @property
    def readiness(self) -> pd.DataFrame:
        """The readiness grid (:func:`bondkit.runner.readiness.readiness_grid`), in the scenario's language."""
        from bondkit.runner.readiness import readiness_grid

        return readiness_grid(self)

    @property
    def campaign_band(self) -> pd.DataFrame | None:
        """Cumulative subscriptions by day of the campaign, simulated: columns ``day``,
        ``date`` and quantiles ``p05`` to ``p95`` [cents]; None without a campaign."""
        return self.campaign.simulation.band if self.campaign is not None else None

    @property
    def campaign_register(self) -> pd.DataFrame | None:
        """The median simulated campaign's subscribers, one row each [cents]; None without
        a campaign."""
        return self.campaign.simulation.register if self.campaign is not None else None

    @property
    def coverage(self) -> pd.DataFrame | None:
        """Coverage of debt service by fiscal year (cash flow, debt service, coverage ratio,
        cash at year end... [cents]); None without ``[capacity]``."""
        return self.capacity.table if self.capacity is not None else None

    @property
    def liquidity(self) -> pd.DataFrame | None:
        """Simulated principal paid out by fiscal year (expected and quantiles) and the
        chance of a shortfall [cents]; None without ``[risk]``."""
        return self.risk.table if self.risk is not None else None

    def shortfall_curve(self, reserves: Any) -> pd.DataFrame:
        """The chance of a liquidity shortfall with each extra reserve held in every fiscal
        year, on the run's own simulated paths (no new draws, so the curve is smooth and
        exact for this seed). ``reserves`` in currency units; columns ``reserve`` (currency
        units) and ``p_shortfall`` (a fraction). Needs ``[risk]`` and ``[capacity]``.

        >>> from bondkit.scenario import load_example
        >>> sc = load_example("building-purchase-2010").with_changes(
        ...     {"campaign.simulations": 200, "risk.paths": 500})
        >>> res = run(sc)
        >>> curve = res.shortfall_curve([0, 500_000, 2_000_000])
        >>> curve["p_shortfall"].is_monotonic_decreasing, float(curve["p_shortfall"].iloc[-1])
        (True, 0.0)
        """
        if self.risk is None:
            raise ValueError("a shortfall curve needs a [risk] table")
        cents = [round(float(r) * 100) for r in reserves]
        return pd.DataFrame(
            {
                "reserve": [c / 100 for c in cents],
                "p_shortfall": self.risk.shortfall_curve(cents),
            }
        )

    def to_excel(self, path: str | Any, lang: str | None = None) -> Any:
        """Write the workbook (the ten sheets, with the charts) to ``path``; returns the path.

        The workbook of the series and costs alone (without ``[campaign]``, ``[capacity]``
        and ``[risk]``, which add their charts and take longer):

        >>> import tempfile, pathlib
        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> res = run(sc.with_changes(campaign=None, capacity=None, risk=None))
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     res.to_excel(pathlib.Path(tmp) / "costumier.xlsx").stat().st_size > 10_000
        True
        """
        from bondkit.api import to_excel

        return to_excel(self, path, lang)

    def _plot(self, name: str, ax: Any, lang: str | None) -> Any:
        from bondkit.api import plot

        return plot(self, name, ax, lang)

    def plot_debt_service(self, ax: Any = None, lang: str | None = None) -> Any:
        """Debt service by fiscal year, by series (bars) [currency units]; the Axes.

        ``ax=None`` draws on a new pyplot figure; ``lang`` defaults to the scenario's.

        >>> from matplotlib.figure import Figure
        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> res = run(sc.with_changes({"campaign.simulations": 200, "risk.paths": 200}))
        >>> ax = res.plot_debt_service(ax=Figure().add_subplot(), lang="en")
        >>> ax.get_title()
        'Debt service by fiscal year'
        >>> [float(bar.get_height()) for bar in ax.patches if bar.get_height()]  # CAD
        [20000.0, 2000.0]
        """
        return self._plot("debt_service", ax, lang)

    def plot_balance(self, ax: Any = None, lang: str | None = None) -> Any:
        """Principal outstanding after each payment [currency units]; the Axes.

        ``ax=None`` draws on a new pyplot figure; ``lang`` defaults to the scenario's.

        >>> from matplotlib.figure import Figure
        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> res = run(sc.with_changes({"campaign.simulations": 200, "risk.paths": 200}))
        >>> ax = res.plot_balance(ax=Figure().add_subplot(), lang="en")
        >>> ax.get_title()
        'Principal outstanding by series'
        >>> [float(y) for y in ax.lines[0].get_ydata()]  # CAD, until and after 2021-09-01
        [20000.0, 0.0]
        """
        return self._plot("balance", ax, lang)

    def plot_campaign(self, ax: Any = None, lang: str | None = None) -> Any:
        """Cumulative subscriptions with their p5–p95 band, minimum and target; the Axes.

        Amounts in currency units by date; needs a ``[campaign]`` (else ``ValueError``).

        >>> from matplotlib.figure import Figure
        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> res = run(sc.with_changes({"campaign.simulations": 200, "risk.paths": 200}))
        >>> ax = res.plot_campaign(ax=Figure().add_subplot(), lang="en")
        >>> print(ax.get_title())
        Cumulative subscriptions during the campaign
        200 simulated campaigns, seed 2016
        >>> [line.get_label() for line in ax.lines]
        ['Median', 'Minimum raise $10,000.00', 'Target $20,000.00']
        """
        return self._plot("campaign", ax, lang)

    def plot_raised(self, ax: Any = None, lang: str | None = None) -> Any:
        """Distribution of the amount raised over the simulated campaigns; the Axes.

        x: the amount raised from the community [currency units]; y: the share of the
        simulated campaigns (a fraction). Needs a ``[campaign]`` (else ``ValueError``).

        >>> from matplotlib.figure import Figure
        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> res = run(sc.with_changes({"campaign.simulations": 200, "risk.paths": 200}))
        >>> ax = res.plot_raised(ax=Figure().add_subplot(), lang="en")
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('Amount raised from the community (CAD)', 'Share of the simulated campaigns')
        >>> run(sc.with_changes(campaign=None, risk=None)).plot_raised(ax=Figure().add_subplot())
        Traceback (most recent call last):
        ...
        ValueError: the raised chart needs a [campaign] table in the scenario
        """
        return self._plot("raised", ax, lang)

    def plot_coverage(self, ax: Any = None, lang: str | None = None) -> Any:
        """Cash flow against debt service, with the coverage ratio; the Axes.

        Bars by fiscal year [currency units], the ratio on the right axis. Needs
        ``[capacity]`` (else ``ValueError``).

        >>> from matplotlib.figure import Figure
        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> res = run(sc.with_changes({"campaign.simulations": 200, "risk.paths": 200}))
        >>> ax = res.plot_coverage(ax=Figure().add_subplot(), lang="en")
        >>> ax.get_title()
        'Cash flow available and debt service by fiscal year'
        >>> [float(bar.get_height()) for bar in ax.patches[:6]]  # cash flow, CAD, 2017 to 2022
        [4500.0, 5000.0, 5500.0, 6000.0, 6000.0, 6500.0]
        """
        return self._plot("coverage", ax, lang)

    def plot_redemptions(self, ax: Any = None, lang: str | None = None) -> Any:
        """Fan of the principal paid out each fiscal year, simulated; the Axes.

        Amounts in currency units by fiscal year. Needs ``[risk]`` (else ``ValueError``).

        >>> from matplotlib.figure import Figure
        >>> from bondkit.scenario import load_example
        >>> sc = load_example("grand-costumier-2016")
        >>> res = run(sc.with_changes({"campaign.simulations": 200, "risk.paths": 200}))
        >>> ax = res.plot_redemptions(ax=Figure().add_subplot(), lang="en")
        >>> print(ax.get_title())
        Principal paid out by fiscal year (early redemptions and maturities)
        200 simulated paths, seed 2016
        >>> planned = ax.lines[2]
        >>> planned.get_label(), [float(y) for y in planned.get_ydata()]  # CAD, 2017 to 2022
        ('Principal planned (schedule)', [0.0, 0.0, 0.0, 0.0, 0.0, 20000.0])
        """
        return self._plot("redemptions", ax, lang)

    def _repr_html_(self) -> str:
        from bondkit.api import result_html

        return result_html(self)


def run(scenario: Scenario, *, seed: int | None = None) -> Result:
    """Compute the schedules and key figures of a validated scenario.

    ``seed``, when given, replaces the scenario's seed for every simulation (campaign and
    risk); the result's ``scenario`` is then a copy carrying that seed, so the summary and
    the workbook name the seed the numbers come from. None (the default) keeps the
    scenario's own seed. The schedules do not depend on the seed.

    Money in the result is in cents (``summary`` and :meth:`Result.to_dict` give currency
    units). Le Grand Costumier: 20 000 $ at 2 % simple interest for 5 years, all paid on
    2021-09-01: 2 000 $ of interest, 22 000 $ of debt service in fiscal year 2022.

    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> res = run(sc)
    >>> res.total_principal, res.total_interest, res.max_annual_debt_service  # cents
    (2000000, 200000, 2200000)
    >>> res.fiscal[["fiscal_year", "debt_service"]].iloc[-1].tolist()  # cents
    [2022, 2200000]
    >>> other = run(sc, seed=7)
    >>> other.scenario.seed, sc.seed, other.total_interest
    (7, 2016, 200000)
    """
    if seed is not None:
        scenario = _with_seed(scenario, seed)
    series = tuple(scenario.series_terms())
    costs = scenario.cost_terms()
    fye = scenario.issuer.fiscal_year_end
    schedule = issue_schedule(series)
    results = {}
    for t in series:
        own = schedule[schedule["series"] == t.id]
        y = investor_yield(t)
        results[t.id] = SeriesResult(
            terms=t,
            total_interest=total_interest(own),
            total_payment=int(own["payment"].sum()),
            investor_yield=y,
            weighted_average_life=weighted_average_life(own, t.issue_date),
            macaulay_duration=macaulay_duration(t, y) if y is not None else None,
            simple_vs_compound=simple_vs_compound(t),
        )
    flows = issuer_cash_flows(series, costs, schedule)
    fiscal = annual_debt_service(schedule, fye)
    terms = scenario.campaign_terms() if hasattr(scenario, "campaign_terms") else None
    campaign = (
        run_campaign(
            terms, series, costs, scenario.seed, scenario.issuer.legal_form, scenario.currency
        )
        if terms is not None
        else None
    )
    capacity = None
    cap_terms = scenario.capacity_terms() if hasattr(scenario, "capacity_terms") else None
    if cap_terms is not None:
        from bondkit.models.capacity import assess

        capacity = assess(cap_terms, series, fiscal, schedule, fye)
    risk = None
    risk_terms = scenario.risk_terms() if hasattr(scenario, "risk_terms") else None
    if risk_terms is not None:
        from bondkit.models.risk import assess_risk

        risk = assess_risk(
            risk_terms,
            series,
            fiscal,
            scenario.seed,
            fye,
            register=campaign.simulation.register if campaign is not None else None,
            # the cash the enterprise can draw on: its cash and its sinking fund
            cash_end=capacity.table.set_index("fiscal_year").eval("cash_end + sinking_balance")
            if capacity is not None
            else None,
            minimum_cash=to_cents(cap_terms.minimum_cash) if capacity is not None else 0,
        )
    return Result(
        scenario=scenario,
        series=series,
        costs=costs,
        schedule=schedule,
        payments_by_date=by_date(schedule),
        fiscal_by_series=by_fiscal_year(schedule, fye),
        fiscal=fiscal,
        issuer_flows=flows,
        series_results=results,
        total_principal=sum(t.amount_cents for t in series),
        total_interest=total_interest(schedule),
        max_annual_debt_service=int(fiscal["debt_service"].max()),
        upfront_costs=-int(flows.loc[flows["kind"] == "upfront_costs", "amount"].sum()),
        annual_admin_total=-int(flows.loc[flows["kind"] == "annual_admin", "amount"].sum()),
        issuer_all_in_cost=issuer_all_in_cost(series, costs, schedule),
        campaign=campaign,
        capacity=capacity,
        risk=risk,
    )


def _with_seed(scenario: Scenario, seed: int) -> Scenario:
    """``scenario`` with ``seed`` in its ``[scenario]`` table (itself when it already has it).

    Raises ValueError for a seed the scenario file would refuse (not a whole number >= 0).
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, not {seed!r}")
    if seed == scenario.seed:
        return scenario
    table = scenario.scenario.model_copy(update={"seed": seed})
    return scenario.model_copy(update={"scenario": table})


def run_campaign(
    terms: CampaignTerms,
    series: tuple[SeriesTerms, ...],
    costs: CostTerms,
    seed: int,
    legal_form: str = "npo",
    currency: str = "CAD",
) -> CampaignResult:
    """Simulate the campaign and price the issue the median campaign would give.

    The median campaign's amounts per series (and any match or underwriter loan, issued on
    the earliest issue date) get their own schedule and all-in cost, with the campaign's
    cost added to the upfront costs. The planned issue is not changed.
    """
    from dataclasses import replace

    from bondkit.models.campaign import (
        CampaignResult,
        backstop_terms,
        campaign_findings,
        expected_cost,
        expected_path,
        funnel,
        simulate,
    )

    sim = simulate(terms, series, seed)
    m = sim.median_path
    first = min(t.issue_date for t in series)
    median = [
        replace(t, amount=Decimal(int(sim.by_series[m, j])) / 100)
        for j, t in enumerate(series)
        if sim.by_series[m, j] > 0
    ]
    for backstop, amount in ((terms.match, sim.match[m]), (terms.underwriter, sim.underwriter[m])):
        loan = backstop_terms(backstop, int(amount), first) if backstop is not None else None
        if loan is not None:
            median.append(loan)
    median_cost = int(sim.cost[m])
    sched, all_in, interest = None, None, 0
    if median:
        sched = issue_schedule(median)
        with_campaign = replace(costs, upfront=costs.upfront + Decimal(median_cost) / 100)
        all_in = issuer_all_in_cost(median, with_campaign, sched)
        interest = total_interest(sched)
    fun = funnel(terms, series)
    return CampaignResult(
        terms=terms,
        funnel=fun,
        expected_path=expected_path(terms, series),
        simulation=sim,
        findings=tuple(campaign_findings(terms, series, legal_form, currency)),
        expected_cost=expected_cost(terms, series, fun),
        median_series=tuple(median),
        median_schedule=sched,
        median_all_in_cost=all_in,
        median_total_interest=interest,
        median_cost=median_cost,
    )
