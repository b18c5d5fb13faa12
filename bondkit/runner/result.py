"""What a run computed: :class:`Result` (and :class:`SeriesResult`), money in cents.

A Result is data plus the methods an analyst calls in a notebook. Its key figures come
from :mod:`bondkit.runner.figures` (defined once); its display from
:mod:`bondkit.runner.display`. Its ``to_excel`` and ``plot_*`` methods load the report
layer lazily, inside the method (the one upward import the layer contract allows, as
lifelines does), so the runner itself never depends on a workbook or a chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from bondkit import __version__
from bondkit.core.conventions import money, to_cents
from bondkit.runner.figures import FIGURES, JSON_FIGURES

if TYPE_CHECKING:
    from bondkit.core.terms import CostTerms, SeriesTerms
    from bondkit.models.campaign import CampaignResult
    from bondkit.models.capacity import CapacityResult
    from bondkit.models.risk import RiskResult
    from bondkit.runner.registered import RegisterSnapshot
    from bondkit.runner.tracking import Tracking
    from bondkit.scenario import Scenario

__all__ = ["SeriesResult", "Result"]


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
    #: a sculpted series' constant coverage k (its cash flow ÷ its debt service, every
    #: fiscal year); None for the other styles
    sculpted_coverage: float | None = None


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
    >>> from bondkit.runner import run
    >>> res = run(load_example("grand-costumier-2016"))
    >>> res
    <Result 'Le Grand Costumier 2016': 1 series, 20,000.00 CAD, all-in cost 6.12%, min coverage 1.15>
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
    #: every cost of raising the money counted, the campaign's included (scenario-format.md's
    #: figure plus the expected campaign cost, paid with the upfront costs)
    issuer_all_in_cost: float | None
    #: the same without the campaign's cost (equal when there is no campaign)
    issuer_all_in_cost_without_campaign: float | None = None
    #: the campaign's expected cost [cents] (0 without a campaign)
    campaign_cost: int = 0
    campaign: CampaignResult | None = None
    capacity: CapacityResult | None = None
    risk: RiskResult | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: the register of holders the run read (``run(..., register=...)``): the real
    #: holders of the risk model and the real figures of B3.4 and B3.5; None without one
    register: RegisterSnapshot | None = None
    #: the campaign under way (``bondkit track``, :func:`bondkit.runner.tracking.track`):
    #: where it will end and what it takes; None for a plan
    tracking: Tracking | None = None

    def to_dict(self) -> dict[str, Any]:
        """The summary JSON of scenario-format.md (plus a few more keys), as a dict:
        money in currency units rounded to the cent, rates as fractions, dates ISO.

        Le Grand Costumier: 20 000 $ at 2 % simple interest for 5 years, paid with the
        principal on 2021-09-01 (fiscal year 2022, years ending March 31): 2 000 $ of
        interest; 1 000 $ of launch costs; 2.97 % all-in before the campaign's costs, 6.12 %
        with them; the lowest coverage is that of the sinking fund's deposits in 2017.

        >>> from bondkit.scenario import load_example
        >>> from bondkit.runner import run
        >>> sc = load_example("grand-costumier-2016")
        >>> d = run(sc.with_changes({"campaign.simulations": 200, "risk.paths": 200})).to_dict()
        >>> d["total_principal"], d["total_interest"], d["upfront_costs"]
        (20000.0, 2000.0, 1000.0)
        >>> d["first_issue_date"], d["last_maturity_date"]
        ('2016-09-01', '2021-09-01')
        >>> d["debt_service_by_fiscal_year"]["2021"], d["debt_service_by_fiscal_year"]["2022"]
        (0.0, 22000.0)
        >>> round(d["issuer_all_in_cost_without_campaign"], 4), round(d["issuer_all_in_cost"], 4)
        (0.0297, 0.0612)
        >>> round(d["min_dscr"], 4), round(d["maturity_coverage"], 4), d["total_cost"]
        (1.1477, 2.1474, 5653.9)
        >>> d["campaign"]["simulations"], d["risk"]["paths"], d["seed"]
        (200, 200, 2016)
        >>> d["readiness"]["criteria"], d["readiness"]["unanswered"]  # no [readiness] table
        (15, 7)
        """
        from bondkit.runner.readiness import readiness_counts

        sc = self.scenario
        fig = {key: FIGURES[key].json(self) for key in JSON_FIGURES}
        out = {
            "scenario": sc.name,
            "bondkit_version": __version__,
            "input_sha256": sc.input_sha256,
            "seed": sc.seed,
            "language": sc.language,
            "currency": sc.currency,
            "issuer": sc.issuer.name,
            "fiscal_year_end": sc.issuer.fiscal_year_end,
            **fig,
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
                    "sculpted_coverage": r.sculpted_coverage,
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
            # the readiness grid (B2): how many criteria apply and how many have each status
            "readiness": readiness_counts(self),
        }
        if self.tracking is not None:  # added only by bondkit track
            out["tracking"] = self.tracking.to_json()
        if self.register is not None:  # keys added only with a register of holders
            reg = self.register
            out["register"] = reg.summary()
            if out["risk"] is not None:
                out["risk"].update(
                    holders_from="register",
                    register_as_of=reg.as_of.isoformat(),
                    register_holdings=len(reg.holdings),
                )
        return out

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
        scenario's language), ``value`` and ``unit``, a kind of
        :data:`bondkit.columns.KINDS` (``money``: currency units, rounded to the cent;
        ``rate``: 0.04 is 4 %; ``ratio``; ``date``; ``count``). Figures of a table the
        scenario lacks ([campaign], [capacity], [risk]) are left out."""
        from bondkit.runner.figures import key_figures

        return key_figures(self)

    @property
    def total_cost(self) -> int:
        """What the money costs in all [cents]: interest + upfront costs + the campaign's
        expected cost + yearly admin."""
        return (
            self.total_interest + self.upfront_costs + self.campaign_cost + self.annual_admin_total
        )

    @property
    def answers(self) -> pd.DataFrame:
        """The four questions of the Sommaire (index: ``raise``, ``afford``, ``cost``,
        ``wrong``), in the scenario's language: ``question``, ``figure`` (words),
        ``status`` (``ok``, ``watch``, ``risk``, ``na``) and ``sentence``
        (:func:`bondkit.runner.answers.answers`).

        >>> from bondkit.scenario import load_example
        >>> from bondkit.runner import run
        >>> res = run(load_example("grand-costumier-2016").with_changes(
        ...     {"campaign.simulations": 200, "risk.paths": 200}))
        >>> res.answers.loc["afford", ["figure", "status"]].tolist()
        ['1,15', 'watch']
        """
        from bondkit.runner.answers import answers

        rows = {a.key: (a.question, a.figure, a.status, a.sentence) for a in answers(self)}
        frame = pd.DataFrame.from_dict(
            rows, orient="index", columns=["question", "figure", "status", "sentence"]
        )
        frame.index.name = "question_key"
        return frame

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
        >>> from bondkit.runner import run
        >>> sc = load_example("building-purchase-2010").with_changes(
        ...     {"campaign.simulations": 200, "risk.paths": 500})
        >>> res = run(sc)
        >>> curve = res.shortfall_curve([0, 500_000, 2_000_000])
        >>> curve["p_shortfall"].is_monotonic_decreasing, float(curve["p_shortfall"].iloc[-1])
        (True, 0.0)
        """
        if self.risk is None:
            raise ValueError("a shortfall curve needs a [risk] table")
        cents = [to_cents(r) for r in reserves]
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
        >>> from bondkit.runner import run
        >>> sc = load_example("grand-costumier-2016")
        >>> res = run(sc.with_changes(campaign=None, capacity=None, risk=None))
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     res.to_excel(pathlib.Path(tmp) / "costumier.xlsx").stat().st_size > 10_000
        True
        """
        from bondkit.report.writer import to_excel  # lazy: the report layer is above

        return to_excel(self, path, lang)

    def _plot(self, name: str, ax: Any, lang: str | None) -> Any:
        from bondkit.report.charts import plot  # lazy: the report layer is above

        return plot(self, name, ax, lang)

    def plot_debt_service(self, ax: Any = None, lang: str | None = None) -> Any:
        """Debt service by fiscal year, by series (bars) [currency units]; the Axes.

        ``ax=None`` draws on a new pyplot figure; ``lang`` defaults to the scenario's.

        >>> from matplotlib.figure import Figure
        >>> from bondkit.scenario import load_example
        >>> from bondkit.runner import run
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
        >>> from bondkit.runner import run
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
        >>> from bondkit.runner import run
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
        >>> from bondkit.runner import run
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
        >>> from bondkit.runner import run
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
        >>> from bondkit.runner import run
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

    def plot_tracking(self, ax: Any = None, lang: str | None = None) -> Any:
        """The campaign under way: what was subscribed so far over the forecast band to the
        close, with the minimum, the target and the baselines; the Axes. Needs a result of
        :func:`~bondkit.runner.tracking.track` (else ``ValueError``).

        >>> from matplotlib.figure import Figure
        >>> from bondkit.scenario import load_example
        >>> from bondkit.runner import run
        >>> res = run(load_example("grand-costumier-2016").with_changes(
        ...     {"campaign.simulations": 200, "risk.paths": 200}))
        >>> res.plot_tracking(ax=Figure().add_subplot(), lang="en")
        Traceback (most recent call last):
        ...
        ValueError: This result tracks no campaign under way (bondkit track, bk.track).
        """
        return self._plot("tracking", ax, lang)

    def _repr_html_(self) -> str:
        from bondkit.runner.display import result_html

        return result_html(self)
