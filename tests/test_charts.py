"""Charts: bars that add up to the debt service, reproducible files, words in the scenario's language."""

from __future__ import annotations

from collections import defaultdict

import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib.figure import Figure
from scenario_texts import CONTRACT, TWO_SERIES

from bondkit.charts import balance_chart, debt_service_chart, save_charts
from bondkit.columns import label
from bondkit.labels import t
from bondkit.runner import run
from bondkit.scenario import parse_scenario


@pytest.fixture(scope="module")
def two_fr():
    return run(parse_scenario(TWO_SERIES.format(lang="fr")))


@pytest.fixture(scope="module")
def contract():
    return run(parse_scenario(CONTRACT.format(lang="fr", issuer="Cinéma du Parc")))


def _bar_totals(ax) -> dict[int, float]:
    """Sum of bar heights by year; checks on the way that each year's bars stack without gaps."""
    stacks: dict[int, list] = defaultdict(list)
    for patch in ax.patches:
        centre = patch.get_x() + patch.get_width() / 2
        stacks[int(round(centre))].append(patch)
    totals = {}
    for year, patches in stacks.items():
        top = 0.0
        for patch in sorted(patches, key=lambda p: (p.get_y(), p.get_height())):
            assert patch.get_y() == pytest.approx(top, abs=1e-9), year
            top += patch.get_height()
        totals[year] = top
    return totals


@pytest.mark.parametrize("which", ["two_fr", "contract"])
def test_bars_add_up_to_the_debt_service_of_each_fiscal_year(which, request):
    result = request.getfixturevalue(which)
    ax = debt_service_chart(result, "fr")
    totals = _bar_totals(ax)
    expected = {
        int(y): ds / 100
        for y, ds in zip(result.fiscal["fiscal_year"], result.fiscal["debt_service"], strict=True)
    }
    for year, amount in expected.items():
        assert totals[year] == pytest.approx(amount, abs=1e-6)
    # years shown without a payment carry empty bars only
    assert all(v == 0 for y, v in totals.items() if y not in expected)
    # one principal and one interest bar per series and year
    assert len(ax.patches) == len(totals) * len(result.series) * 2


def test_interest_and_principal_bars_of_one_series(two_fr):
    ax = debt_service_chart(two_fr, "en")
    fb = two_fr.fiscal_by_series
    by_label = defaultdict(float)
    for container in ax.containers:
        by_label[container.get_label()] += sum(p.get_height() for p in container.patches)
    for sid in ("A-bullet", "B_level"):
        own = fb[fb["series"] == sid]
        assert by_label[t("chart.principal_of", "en").format(series=sid)] == pytest.approx(
            own["principal"].sum() / 100
        )
        assert by_label[t("chart.interest_of", "en").format(series=sid)] == pytest.approx(
            own["interest"].sum() / 100
        )


def test_accumulating_series_shows_the_years_before_maturity(contract):
    ax = debt_service_chart(contract, "fr")
    years = sorted(_bar_totals(ax))
    assert years == list(range(2017, 2023))  # issued in 2017, all paid in 2022


def test_balance_chart_follows_the_closing_balances(two_fr):
    ax = balance_chart(two_fr, "fr")
    total = ax.lines[-1]
    x = np.asarray(total.get_xdata())
    y = np.asarray(total.get_ydata())
    assert y.max() == pytest.approx(two_fr.total_principal / 100)
    assert y[-1] == 0
    sched = two_fr.schedule
    # at every payment date, the total is the sum of each series' last closing balance so far
    for d in sched["date"].unique():
        day = mdates.date2num(d.to_pydatetime())
        expected = sum(
            int(own.loc[own["date"] <= d, "closing_balance"].iloc[-1])
            if (own["date"] <= d).any()
            else int(own["opening_balance"].iloc[0]) * (own["accrual_start"].iloc[0] <= d)
            for _, own in sched.groupby("series", sort=False)
        )
        at = np.searchsorted(x, day, side="right") - 1
        assert y[at] == pytest.approx(expected / 100), d


def test_charts_speak_french_for_a_french_scenario(two_fr):
    ax = debt_service_chart(two_fr)
    assert ax.get_xlabel() == label("fiscal_year", "fr") == "Exercice"
    assert ax.get_title() == t("chart.debt_service.title", "fr")
    assert ax.get_ylabel() == "Montant (CAD)"
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert "A-bullet – intérêts" in legend and "B_level – capital" in legend
    # thousands separated the French way
    ax.figure.canvas.draw()
    ticks = [x.get_text() for x in ax.get_yticklabels() if x.get_text()]
    assert any("\u00a0" in s for s in ticks), ticks
    ax2 = balance_chart(two_fr)
    assert ax2.get_title() == t("chart.balance.title", "fr")
    assert t("series_n", "fr").format(series="A-bullet") in [
        x.get_text() for x in ax2.get_legend().get_texts()
    ]


def test_chart_functions_draw_on_the_axes_given_or_a_new_figure(two_fr):
    fig = Figure()
    ax = fig.add_subplot()
    assert debt_service_chart(two_fr, "en", ax=ax) is ax
    assert balance_chart(two_fr, "en", ax=ax) is ax
    new = debt_service_chart(two_fr, "en")
    assert isinstance(new.figure, Figure) and new.figure is not fig
    assert getattr(new.figure.canvas, "manager", None) is None  # not registered with pyplot


def test_save_charts_writes_reproducible_png_and_svg(two_fr, tmp_path):
    first = save_charts(two_fr, tmp_path / "one", "two-series")
    second = save_charts(two_fr, tmp_path / "two", "two-series")
    assert set(first) == {"debt-service", "balance"}
    for name, png in first.items():
        assert png.name == f"two-series-{name}.png"
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"Creation Time" not in data and b"tIME" not in data
        svg = png.with_suffix(".svg")
        assert svg.exists()
        assert svg.read_bytes() == second[name].with_suffix(".svg").read_bytes()
        assert data == second[name].read_bytes()
        assert b"<dc:date>" not in svg.read_bytes()


def test_save_charts_uses_the_language_asked(contract, tmp_path):
    paths = save_charts(contract, tmp_path, "cine", lang="en")
    assert paths["balance"].exists()
    with pytest.raises(ValueError):
        save_charts(contract, tmp_path, "cine", lang="de")
