"""The runner: scenario -> schedules -> metrics -> models -> one Result, the sequence recorded.

Each step is a public function an analyst can also call by hand; :func:`run` only composes
them. It writes nothing and knows no face: exporters (:mod:`bondkit.report`) take a Result.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bondkit.core.conventions import to_cents
from bondkit.core.metrics import (
    investor_yield,
    issuer_all_in_cost,
    issuer_cash_flows,
    macaulay_duration,
    simple_vs_compound,
    total_interest,
    weighted_average_life,
)
from bondkit.core.schedule import (
    annual_debt_service,
    by_date,
    by_fiscal_year,
    issue_schedule,
    sculpted_coverage,
)
from bondkit.core.terms import CostTerms
from bondkit.runner.budget import check_budget
from bondkit.runner.result import Result, SeriesResult

if TYPE_CHECKING:
    import datetime as dt
    import os

    from bondkit.core.terms import CampaignTerms, SeriesTerms
    from bondkit.models.campaign import CampaignResult
    from bondkit.register import Register
    from bondkit.scenario import Scenario

__all__ = ["run", "run_campaign", "costs_by_fiscal_year"]


def run(
    scenario: Scenario,
    *,
    seed: int | None = None,
    max_memory: int | float | str | None = None,
    max_time: int | float | str | None = None,
    register: str | os.PathLike | Register | None = None,
    register_as_of: dt.date | str | None = None,
) -> Result:
    """Compute the schedules and key figures of a validated scenario.

    Before anything is computed, the run's memory and time are estimated from the
    scenario's sizes (:func:`bondkit.runner.budget.check_budget`): above ``max_memory``
    (bytes, or a size such as ``"8G"``; default 4 GiB) or ``max_time`` (seconds, or
    ``"30m"``, ``"2h"``; default 15 minutes) it raises
    :class:`~bondkit.runner.budget.BudgetError`, whose message names the key to turn.

    ``seed``, when given, replaces the scenario's seed for every simulation (campaign and
    risk); the result's ``scenario`` is then a copy carrying that seed, so the summary and
    the workbook name the seed the numbers come from. None (the default) keeps the
    scenario's own seed. The schedules do not depend on the seed.

    ``register``, the issue's register of holders (the path of its file, or an open
    :class:`~bondkit.register.Register`), gives the run the real holders: the
    redemption-risk model takes the register's holdings that hold bonds (their principal
    outstanding, nothing repeated; a series without a holder has none) instead of the
    simulated campaign's, and the result keeps what was read
    (:class:`~bondkit.runner.registered.RegisterSnapshot` in ``register``), on the date
    of the register's last event or on ``register_as_of``. A register whose series are
    not the scenario's raises :class:`~bondkit.runner.registered.RegisterMismatch`
    (see :mod:`bondkit.runner.registered`). Without it, nothing changes.

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
    snapshot = None
    if register is not None:  # refused before anything is computed when not this issue's
        from bondkit.runner.registered import read_register

        snapshot = read_register(register, scenario, register_as_of)
    check_budget(scenario, max_memory, max_time)  # before any simulation (issue #11)
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
            sculpted_coverage=float(sculpted_coverage(t)) if t.repayment == "sculpted" else None,
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
    campaign_cost = campaign.expected_cost if campaign is not None else 0
    capacity = None
    cap_terms = scenario.capacity_terms() if hasattr(scenario, "capacity_terms") else None
    risk_terms = scenario.risk_terms() if hasattr(scenario, "risk_terms") else None
    if cap_terms is not None:
        from bondkit.models.capacity import assess

        capacity = assess(
            cap_terms,
            series,
            fiscal,
            schedule,
            fye,
            costs=costs_by_fiscal_year(flows, fiscal, fye, campaign_cost),
            renewal_rate=risk_terms.renewal_rate if risk_terms is not None else 0.0,
        )
    risk = None
    if risk_terms is not None:
        from bondkit.models.risk import assess_risk

        risk = assess_risk(
            risk_terms,
            series,
            fiscal,
            scenario.seed,
            fye,
            register=snapshot.risk_register()
            if snapshot is not None
            else campaign.simulation.register
            if campaign is not None
            else None,
            exact=snapshot is not None,
            as_of=snapshot.as_of if snapshot is not None else None,
            waiting=snapshot.risk_waiting({s.id: s.issue_date for s in series})
            if snapshot is not None
            else None,
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
        issuer_all_in_cost=issuer_all_in_cost(
            series, _with_campaign(costs, campaign_cost), schedule
        ),
        issuer_all_in_cost_without_campaign=issuer_all_in_cost(series, costs, schedule),
        campaign_cost=campaign_cost,
        campaign=campaign,
        capacity=capacity,
        risk=risk,
        register=snapshot,
    )


def _with_campaign(costs: CostTerms, campaign_cost: int) -> CostTerms:
    """``costs`` with the campaign's cost [cents] added to the upfront costs."""
    from dataclasses import replace

    if not campaign_cost:
        return costs
    return replace(costs, upfront=costs.upfront + Decimal(campaign_cost) / 100)


def costs_by_fiscal_year(
    flows: pd.DataFrame, fiscal: pd.DataFrame, fiscal_year_end: str, campaign_cost: int = 0
) -> np.ndarray:
    """The issue's costs paid in each fiscal year of ``fiscal`` [cents]: upfront and
    yearly admin from the issuer's flows (:func:`~bondkit.core.metrics.issuer_cash_flows`),
    and ``campaign_cost`` on the earliest issue date (with the upfront costs).

    >>> import datetime as dt
    >>> from bondkit.core.metrics import issuer_cash_flows
    >>> from bondkit.core.schedule import annual_debt_service, series_schedule
    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3)
    >>> sched = series_schedule(s)
    >>> flows = issuer_cash_flows([s], CostTerms(upfront=2000, annual_admin=500), sched)
    >>> costs_by_fiscal_year(flows, annual_debt_service(sched), "12-31", 850_000).tolist()
    [1050000, 50000, 50000, 50000]
    """
    from bondkit.core.conventions import fiscal_year

    years = fiscal["fiscal_year"].to_numpy(dtype=np.int64)
    out = np.zeros(len(years), dtype=np.int64)
    paid = flows[flows["kind"].isin(("upfront_costs", "annual_admin"))]
    first = flows["date"].min().date()
    dated = [(d.date(), -int(a)) for d, a in zip(paid["date"], paid["amount"], strict=True)]
    for d, amount in [*dated, (first, campaign_cost)]:
        # a cost dated outside the issue's fiscal years is paid in the nearest one
        k = int(np.clip(fiscal_year(d, fiscal_year_end) - years[0], 0, len(years) - 1))
        out[k] += amount
    return out


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

    Le Grand Costumier's campaign, 200 simulated campaigns (the seed of the example):

    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes({"campaign.simulations": 200})
    >>> res = run_campaign(sc.campaign_terms(), tuple(sc.series_terms()), sc.cost_terms(), sc.seed)
    >>> res.simulation.n, [s.id for s in res.median_series]
    (200, ['A'])
    >>> 0 <= res.p_minimum_reached <= 1, res.expected_raised > 0  # a fraction; cents
    (True, True)
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
