"""Charts: bars that add up to the debt service, reproducible files, words in the scenario's language."""

from __future__ import annotations

from collections import defaultdict

import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from processes import kill_while_drawing, left_behind
from scenario_texts import CONTRACT, TWO_SERIES

from bondkit.columns import label
from bondkit.labels import money_text, number_text, percent_text, t
from bondkit.report.charts import (
    balance_chart,
    campaign_chart,
    coverage_chart,
    debt_service_chart,
    raised_chart,
    redemption_fan_chart,
    save_charts,
)
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


# ---------------------------------------------------------------- the subscription campaign


@pytest.fixture(scope="module")
def campaign_fr():
    """The contract example with a hand-built campaign (2 000 simulations, seed 1)."""
    from test_workbook_campaign import campaign_terms, with_campaign

    return with_campaign(CONTRACT.format(lang="fr", issuer="Cinéma du Parc"), campaign_terms())


@pytest.fixture(scope="module")
def campaign_mixed():
    """A campaign whose amounts raised spread between zero and the cap."""
    from test_workbook_campaign import campaign_terms, with_campaign

    terms = campaign_terms(people=(130, 150), minimum=38_000, target=70_000)
    return with_campaign(CONTRACT.format(lang="en", issuer="x"), terms)


def _band_edges(collection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, lower and upper edges of a ``fill_between`` polygon."""
    verts = collection.get_paths()[0].vertices
    xs = np.unique(verts[:, 0])
    lower = np.array([verts[verts[:, 0] == x, 1].min() for x in xs])
    upper = np.array([verts[verts[:, 0] == x, 1].max() for x in xs])
    return xs, lower, upper


@pytest.mark.parametrize("which", ["campaign_fr", "campaign_mixed"])
def test_campaign_band_equals_the_simulation_band(which, request):
    result = request.getfixturevalue(which)
    lang = result.scenario.language
    ax = campaign_chart(result)
    band = result.campaign.simulation.band
    days = mdates.date2num([d.date() for d in band["date"]])
    by_label = {c.get_label(): c for c in ax.collections}
    for key, low, high in (("chart.band_90", "p05", "p95"), ("chart.band_50", "p25", "p75")):
        xs, lower, upper = _band_edges(by_label[t(key, lang)])
        np.testing.assert_allclose(xs, days)
        np.testing.assert_allclose(lower, band[low] / 100)
        np.testing.assert_allclose(upper, band[high] / 100)
    median = next(x for x in ax.lines if x.get_label() == t("chart.median", lang))
    np.testing.assert_allclose(median.get_xdata(), days)
    np.testing.assert_allclose(median.get_ydata(), band["p50"] / 100)
    assert ax.get_xlim() == (days[0], days[-1])


def test_campaign_chart_marks_the_minimum_and_the_target(campaign_mixed):
    ax = campaign_chart(campaign_mixed, "en")
    sim = campaign_mixed.campaign.simulation
    lines = {x.get_label(): x for x in ax.lines}
    for key, cents in (("chart.minimum", sim.minimum), ("chart.target", sim.target)):
        name = t(key, "en").format(amount=money_text(cents, "en"))
        assert set(lines[name].get_ydata()) == {cents / 100}
    assert t("chart.minimum", "en").format(amount="$38,000.00") in lines
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert t("chart.band_90", "en") in legend and "Target $70,000.00" in legend
    assert t("chart.simulated", "en").format(n="2,000", seed=1) in ax.get_title()


@pytest.mark.parametrize("which", ["campaign_fr", "campaign_mixed"])
def test_raised_chart_is_the_distribution_of_the_amount_raised(which, request):
    """Over-subscribed (campaign_fr: the amount raised is the cap, not the demand) or not."""
    result = request.getfixturevalue(which)
    ax = raised_chart(result, "en")
    sim = result.campaign.simulation
    bars = sorted(ax.patches, key=lambda p: p.get_x())
    heights = np.array([p.get_height() for p in bars])
    assert heights.sum() == pytest.approx(1.0)
    edges = np.array([p.get_x() for p in bars] + [bars[-1].get_x() + bars[-1].get_width()])
    counts, _ = np.histogram(sim.community / 100, bins=edges)
    np.testing.assert_allclose(heights, counts / sim.n)
    assert edges[0] == 0 and edges[-1] == pytest.approx(sim.cap / 100)
    # the campaigns that did not reach the minimum (even with the underwriter) sit at zero
    assert heights[0] == pytest.approx((sim.community < edges[1] * 100).mean())
    lines = {x.get_label(): x for x in ax.lines}
    for key, cents in (("chart.minimum", sim.minimum), ("chart.target", sim.target)):
        assert set(lines[t(key, "en").format(amount=money_text(cents, "en"))].get_xdata()) == {
            cents / 100
        }
    summary = result.campaign.summary()
    box = " ".join(x.get_text() for x in ax.texts)
    assert (
        t("chart.p_minimum", "en").format(p=percent_text(summary["p_minimum_reached"], "en", 1))
        in box
    )
    assert percent_text(summary["p_minimum_reached_by_community"], "en", 1) in box


def test_campaign_charts_speak_french(campaign_fr):
    ax = raised_chart(campaign_fr)
    assert ax.get_title().startswith(t("chart.raised.title", "fr"))
    assert ax.get_xlabel() == "Montant recueilli auprès de la communauté (CAD)"
    assert "2\u00a0000 campagnes simulées, germe 1" in ax.get_title()
    ax.figure.canvas.draw()
    assert any(x.get_text().endswith("\u00a0%") for x in ax.get_yticklabels() if x.get_text())
    ax2 = campaign_chart(campaign_fr)
    assert "Seuil minimal 50\u00a0000,00\u00a0$" in [x.get_label() for x in ax2.lines]


def test_campaign_charts_draw_on_the_axes_given(campaign_fr):
    fig = Figure()
    ax = fig.add_subplot()
    assert campaign_chart(campaign_fr, "en", ax=ax) is ax
    assert raised_chart(campaign_fr, "en", ax=fig.add_subplot()) is not ax
    new = raised_chart(campaign_fr, "en")
    assert isinstance(new.figure, Figure) and getattr(new.figure.canvas, "manager", None) is None


def test_campaign_charts_need_a_campaign(two_fr):
    for draw in (campaign_chart, raised_chart):
        with pytest.raises(ValueError, match=t("chart.no_campaign", "en")[:30]):
            draw(two_fr, "en")


def test_save_charts_adds_the_campaign_charts(campaign_fr, tmp_path):
    first = save_charts(campaign_fr, tmp_path / "one", "cine")
    second = save_charts(campaign_fr, tmp_path / "two", "cine")
    assert list(first) == ["debt-service", "balance", "campaign", "raised"]
    for name in ("campaign", "raised"):
        png = first[name]
        assert png.name == f"cine-{name}.png" and png.read_bytes()[:4] == b"\x89PNG"
        assert png.read_bytes() == second[name].read_bytes()
        svg = png.with_suffix(".svg").read_bytes()
        assert svg == second[name].with_suffix(".svg").read_bytes()
        assert b"<dc:date>" not in svg


# ---------------------------------------------------------------- capacity and redemption risk


@pytest.fixture(scope="module")
def analyses_fr():
    """Capacity (with other debt) and risk, every status OK (see test_workbook_capacity)."""
    from test_workbook_capacity import ok_result

    return ok_result("fr")


@pytest.fixture(scope="module")
def analyses_en():
    """The contract example with a tiny cash flow: coverage far below the threshold."""
    from test_workbook_capacity import risk_result

    return risk_result("en")


@pytest.fixture(scope="module")
def risk_only_en():
    from test_workbook_capacity import risk_only_result

    return risk_only_result("en")


def _bars(ax) -> dict[str, list]:
    return {c.get_label(): list(c.patches) for c in ax.containers}


def _twin(ax):
    (twin,) = [a for a in ax.figure.axes if a is not ax]
    return twin


@pytest.mark.parametrize("which", ["analyses_fr", "analyses_en"])
def test_coverage_bars_equal_the_capacity_table(which, request):
    result = request.getfixturevalue(which)
    lang = result.scenario.language
    ax = coverage_chart(result)
    table = result.capacity.table
    years = table["fiscal_year"].to_numpy()
    bars = _bars(ax)
    cash = bars[t("chart.cash_flow", lang)]
    issue = bars[t("chart.issue_ds", lang)]
    centres = [p.get_x() + p.get_width() / 2 for p in cash]
    np.testing.assert_allclose(centres, years - 0.19)
    np.testing.assert_allclose([p.get_height() for p in cash], table["cash_flow"] / 100)
    due = table["due_at_maturity"].to_numpy() / 100
    periodic = table["debt_service"].to_numpy() / 100 - due
    np.testing.assert_allclose([p.get_height() for p in issue], periodic)
    # stacked above it: deposits, other debt, then what falls due at maturity, each
    # starting where the one below ends; the top is the whole debt service and deposits
    bottom = periodic.copy()
    for key, field in (
        ("chart.deposits", "sinking_deposit"),
        ("chart.other_ds", "other_debt_service"),
        ("chart.due_at_maturity", "due_at_maturity"),
    ):
        part = table[field].to_numpy() / 100
        if not part.any():
            assert t(key, lang) not in bars, key
            continue
        stacked = bars[t(key, lang)]
        np.testing.assert_allclose([p.get_height() for p in stacked], part)
        np.testing.assert_allclose([p.get_y() for p in stacked], bottom)
        bottom = bottom + part
    total = (table["total_debt_service"] + table["sinking_deposit"]).to_numpy() / 100
    np.testing.assert_allclose(bottom, total)


@pytest.mark.parametrize("which", ["analyses_fr", "analyses_en"])
def test_coverage_ratio_and_threshold_on_the_right_axis(which, request):
    result = request.getfixturevalue(which)
    lang = result.scenario.language
    ax = coverage_chart(result)
    twin = _twin(ax)
    cap = result.capacity
    lines = {x.get_label(): x for x in twin.lines}
    ratio = lines[t("chart.coverage", lang)]
    np.testing.assert_array_equal(ratio.get_xdata(), cap.table["fiscal_year"])
    np.testing.assert_allclose(ratio.get_ydata(), cap.table["coverage"], equal_nan=True)
    threshold = float(cap.terms.coverage_threshold)
    name = t("chart.threshold", lang).format(ratio=number_text(threshold, lang, 2))
    assert set(lines[name].get_ydata()) == {threshold}
    assert twin.get_ylabel() == t("chart.ratio_axis", lang)
    assert twin.get_ylim()[0] <= min(0.0, np.nanmin(cap.table["coverage"]))
    # both axes in one legend
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert t("chart.cash_flow", lang) in legend and name in legend


def test_ratios_off_the_scale_are_written_at_the_top(analyses_fr):
    """The first fiscal year pays only the other debt: coverage 10, far above the scale."""
    ax = coverage_chart(analyses_fr)
    twin = _twin(ax)
    coverage = analyses_fr.capacity.table["coverage"]
    top = twin.get_ylim()[1]
    above = [v for v in coverage if v > top]
    assert above and top < 10
    texts = [x.get_text() for x in twin.texts]
    assert texts == [f"\u2191 {number_text(v, 'fr', 2)}" for v in above]


def _line(ax, name: str):
    return next(x for x in ax.lines if x.get_label() == name)


@pytest.mark.parametrize("which", ["analyses_fr", "analyses_en", "risk_only_en"])
def test_redemption_fan_equals_the_risk_table(which, request):
    result = request.getfixturevalue(which)
    lang = result.scenario.language
    ax = redemption_fan_chart(result)
    table = result.risk.table
    years = table["fiscal_year"].to_numpy()
    by_label = {c.get_label(): c for c in ax.collections}
    for key, low, high in (("chart.fan_90", "need_p05", "need_p95"),
                           ("chart.fan_50", "need_p25", "need_p75")):  # fmt: skip
        xs, lower, upper = _band_edges(by_label[t(key, lang)])
        np.testing.assert_allclose(xs, years)
        np.testing.assert_allclose(lower, table[low] / 100)
        np.testing.assert_allclose(upper, table[high] / 100)
    for key, column in (
        ("chart.median", "need_p50"),
        ("chart.expected", "expected_outflow"),
        ("chart.planned_principal", "planned_principal"),
    ):
        line = _line(ax, t(key, lang))
        np.testing.assert_allclose(line.get_xdata(), years)
        np.testing.assert_allclose(line.get_ydata(), table[column] / 100)
    cash_name = f"{t('chart.cash_for_principal', lang)}\n{t('chart.cash_for_principal_how', lang)}"
    if result.capacity is None:
        assert cash_name not in [x.get_label() for x in ax.lines]
        return
    cap = result.capacity.table.set_index("fiscal_year")
    interest = result.fiscal.set_index("fiscal_year")["interest"]
    expected = [
        (cap.loc[y, "cash_flow"] - cap.loc[y, "other_debt_service"] - interest.get(y, 0)) / 100
        for y in years
    ]
    np.testing.assert_allclose(_line(ax, cash_name).get_ydata(), expected)


def test_analysis_charts_speak_french(analyses_fr):
    ax = coverage_chart(analyses_fr)
    assert ax.get_title() == t("chart.coverage.title", "fr")
    assert ax.get_xlabel() == "Exercice" and ax.get_ylabel() == "Montant (CAD)"
    assert _twin(ax).get_ylabel() == "Ratio de couverture"
    assert "Seuil 1,25 (axe de droite)" in [x.get_text() for x in ax.get_legend().get_texts()]
    fan = redemption_fan_chart(analyses_fr)
    assert fan.get_title().startswith(t("chart.redemptions.title", "fr"))
    assert "2\u00a0000 trajectoires simulées, germe 1" in fan.get_title()
    legend = [x.get_text() for x in fan.get_legend().get_texts()]
    assert t("chart.fan_90", "fr") in legend and t("chart.expected", "fr") in legend


def test_analysis_charts_draw_on_the_axes_given(analyses_fr):
    fig = Figure()
    ax = fig.add_subplot()
    assert coverage_chart(analyses_fr, "en", ax=ax) is ax
    other = fig.add_subplot(2, 1, 2)
    assert redemption_fan_chart(analyses_fr, "en", ax=other) is other
    new = redemption_fan_chart(analyses_fr, "en")
    assert isinstance(new.figure, Figure) and getattr(new.figure.canvas, "manager", None) is None


def test_analysis_charts_need_their_analysis(two_fr, risk_only_en):
    with pytest.raises(ValueError, match=t("chart.no_capacity", "en")[:30]):
        coverage_chart(two_fr, "en")
    with pytest.raises(ValueError, match=t("chart.no_capacity", "en")[:30]):
        coverage_chart(risk_only_en, "en")
    with pytest.raises(ValueError, match=t("chart.no_risk", "en")[:30]):
        redemption_fan_chart(two_fr, "en")


def test_save_charts_adds_coverage_and_redemptions(analyses_fr, risk_only_en, tmp_path):
    first = save_charts(analyses_fr, tmp_path / "one", "epicerie")
    second = save_charts(analyses_fr, tmp_path / "two", "epicerie")
    assert list(first) == ["debt-service", "balance", "coverage", "redemptions"]
    for name in ("coverage", "redemptions"):
        png = first[name]
        assert png.name == f"epicerie-{name}.png" and png.read_bytes()[:4] == b"\x89PNG"
        assert png.read_bytes() == second[name].read_bytes()
        svg = png.with_suffix(".svg").read_bytes()
        assert svg == second[name].with_suffix(".svg").read_bytes()
        assert b"<dc:date>" not in svg
    only = save_charts(risk_only_en, tmp_path / "three", "two")
    assert list(only) == ["debt-service", "balance", "redemptions"]


def _many_series(n: int) -> str:
    one = """
[[series]]
id = "S{k}"
amount = 10_000
face_value = 500
annual_rate = 0.04
issue_date = 2025-01-15
term_years = 5
repayment = "bullet"
"""
    head = '[scenario]\nname = "Many"\nlanguage = "en"\n[issuer]\nname = "Coop"\n'
    return head + "".join(one.format(k=k) for k in range(n))


def test_many_series_keep_a_readable_legend_and_say_nothing_on_stderr(tmp_path):
    """Issue #11, 9: with many series the legend ran off the chart (S0 ... S10 and cut)
    and matplotlib's layout warnings, with its source paths, reached the terminal."""
    import warnings

    result = run(parse_scenario(_many_series(30)))
    for draw in (debt_service_chart, balance_chart):
        ax = draw(result, "en", ax=Figure().add_subplot())
        names = [text.get_text() for text in ax.get_legend().get_texts()]
        assert len(names) == 11, names
        drawn = ax.get_legend_handles_labels()[1]  # every labelled artist
        assert len(drawn) >= (60 if draw is debt_service_chart else 30)  # 2 or 1 by series
        assert names[:10] == drawn[:10] and names[-1] == f"… and {len(drawn) - 10} more"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save_charts(result, tmp_path, "many")
    assert [str(w.message) for w in caught] == []


# ---------------------------------------------------------------- files: formats, processes


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


@pytest.mark.parametrize("formats", ["png", "svg", "none"])
def test_save_charts_writes_only_the_formats_asked(two_fr, tmp_path, formats):
    save_charts(two_fr, tmp_path / "both", "x")
    both = _files(tmp_path / "both")
    assert len(both) == 4
    folder = tmp_path / formats
    paths = save_charts(two_fr, folder, "x", formats=formats)
    charts = ("debt-service", "balance")
    suffixes = {"png": [".png"], "svg": [".svg"], "none": []}[formats]
    written = _files(folder)
    assert sorted(written) == sorted(f"x-{c}{s}" for c in charts for s in suffixes)
    assert folder.exists() == (formats != "none")  # no folder for no chart
    assert paths == ({} if formats == "none" else {c: folder / f"x-{c}.{formats}" for c in charts})
    # the same bytes as beside the other format: an SVG alone is laid out as beside its PNG
    assert written == {name: both[name] for name in written}


def test_save_charts_refuses_an_unknown_format(two_fr, tmp_path):
    with pytest.raises(ValueError, match="png, svg, both or none, not 'pdf'"):
        save_charts(two_fr, tmp_path, "x", formats="pdf")
    assert not any(tmp_path.iterdir())


def test_one_layout_for_both_files_gives_the_pictures_savefig_gives(two_fr, tmp_path):
    """save_figure lays a chart out once and draws each file once; its pictures are those
    of matplotlib's savefig, which lays the figure out and draws it without output before
    drawing the PNG (written by matplotlib, with an alpha channel), then the SVG without a
    new layout. The PNG has the same pixels without the alpha channel (a chart is
    opaque), at 150 dpi; the SVG is the same file, its words as text."""
    import io
    import warnings

    import matplotlib as mpl
    from PIL import Image

    from bondkit.report.chartkit import DPI, FIGSIZE, RC, save_figure

    for draw in (debt_service_chart, balance_chart):
        save_figure(tmp_path / "kit.png", lambda ax, draw=draw: draw(two_fr, "fr", ax=ax))
        with mpl.rc_context(RC), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
            draw(two_fr, "fr", ax=fig.add_subplot())
            before = io.BytesIO()
            fig.savefig(before, format="png", dpi=DPI)
            fig.set_layout_engine("none")
            fig.savefig(tmp_path / "before.svg", metadata={"Date": None})
        kit_png, before_png = Image.open(tmp_path / "kit.png"), Image.open(before)
        assert kit_png.mode == "RGB" and before_png.mode == "RGBA"
        assert before_png.getchannel("A").getextrema() == (255, 255)  # opaque: nothing lost
        assert kit_png.tobytes() == before_png.convert("RGB").tobytes(), draw
        assert kit_png.info["dpi"] == pytest.approx((DPI, DPI), abs=0.02)  # 5906 per metre
        kit = (tmp_path / "kit.svg").read_bytes()
        assert kit == (tmp_path / "before.svg").read_bytes(), draw
        assert kit.count(b"<path ") > 10  # a drawn chart, not an empty page
        title = draw(two_fr, "fr", ax=Figure().add_subplot()).get_title()
        assert title.encode() in kit  # the title is text, in French


def test_a_legend_keeps_its_distance_from_the_plot_whatever_the_plot_s_size():
    """A legend under the plot starts 35 points below it, one at its right 4 points right
    of it, in a tall plot as in a short one (so that measuring the chart once holds)."""
    import matplotlib as mpl

    from bondkit.report.chartkit import RC, legend_place

    for where in ("below", "right"):
        gaps = []
        for height in (3.0, 6.0):
            with mpl.rc_context(RC):
                fig = Figure(figsize=(8, height), dpi=150)
                FigureCanvasAgg(fig)
                ax = fig.add_subplot()
                ax.plot([0, 1], [0, 1], label="a")
                ax.legend(frameon=False, borderaxespad=0, borderpad=0, **legend_place(ax, where))
                fig.canvas.draw()
                plot, legend = ax.get_window_extent(), ax.get_legend().get_window_extent()
            gap = plot.y0 - legend.y1 if where == "below" else legend.x0 - plot.x1
            gaps.append(gap * 72 / 150)  # points
        assert gaps == pytest.approx([35.0 if where == "below" else 4.0] * 2, abs=0.05), where


def _can_fork() -> bool:
    import sys
    import threading

    return sys.platform.startswith("linux") and threading.active_count() == 1


@pytest.mark.skipif(not _can_fork(), reason="charts are drawn in forked processes on Linux only")
def test_charts_drawn_by_two_processes_are_the_files_of_one(analyses_fr, tmp_path, monkeypatch):
    """With jobs=2 this process and a forked one share the charts, each drawn once, and
    write byte for byte the files one process writes; the PNGs decode to the same pixels."""
    import os

    from PIL import Image

    import bondkit.report.charts as charts

    drawn_by = tmp_path / "pids"
    drawn_by.mkdir()

    def spied(draw):
        def spy(result, lang=None, ax=None):
            (drawn_by / f"{os.getpid()}-{draw.__name__}").touch()
            return draw(result, lang, ax=ax)

        return spy

    for table in ("CHARTS", "CAPACITY_CHARTS", "RISK_CHARTS"):
        monkeypatch.setattr(charts, table, {k: spied(f) for k, f in getattr(charts, table).items()})
    one = save_charts(analyses_fr, tmp_path / "one", "e", jobs=1)
    assert {p.name.split("-")[0] for p in drawn_by.iterdir()} == {str(os.getpid())}
    for p in drawn_by.iterdir():
        p.unlink()
    two = save_charts(analyses_fr, tmp_path / "two", "e", jobs=2)
    pids = {p.name.split("-")[0] for p in drawn_by.iterdir()}
    assert len(pids) == 2 and str(os.getpid()) in pids, pids
    assert len(list(drawn_by.iterdir())) == 4  # each chart drawn once
    assert list(one) == list(two) == ["debt-service", "balance", "coverage", "redemptions"]
    serial, parallel = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(parallel) == sorted(f"e-{c}.{s}" for c in one for s in ("png", "svg"))
    assert parallel == serial
    for name in one:
        a, b = (np.asarray(Image.open(paths[name])) for paths in (one, two))
        assert a.shape == (675, 1200, 3) and (a == b).all()


@pytest.mark.skipif(not _can_fork(), reason="charts are drawn in forked processes on Linux only")
def test_a_chart_failing_in_a_worker_process_fails_save_charts(two_fr, tmp_path, monkeypatch):
    import bondkit.report.charts as charts

    def broken(result, lang=None, ax=None):
        raise ValueError("cannot draw this one")

    monkeypatch.setattr(charts, "CHARTS", {"debt-service": debt_service_chart, "balance": broken})
    with pytest.raises(ValueError, match="cannot draw this one"):
        save_charts(two_fr, tmp_path, "x", jobs=2)


_KILLED = """
import os, sys, time
from pathlib import Path
from bondkit.report.drawers import save_figures
folder = Path(sys.argv[1])
def slow(ax):
    (folder / str(os.getpid())).touch()
    time.sleep(120)
save_figures({k: (folder / f"{k}.png", slow) for k in "ab"}, ["png"], jobs=2)
"""


@pytest.mark.skipif(not _can_fork(), reason="charts are drawn in forked processes on Linux only")
def test_a_killed_run_leaves_no_drawing_process_behind(tmp_path):
    """The worker process ends with the process it was forked from, however that ends
    (else it stays, blocked, holding the lock of the run's staging folder)."""
    import sys

    run, pids = kill_while_drawing([sys.executable, "-c", _KILLED, str(tmp_path)], tmp_path)
    assert run in pids and len(pids) == 2, pids  # both were drawing
    assert left_behind(pids - {run}) == set()


@pytest.mark.skipif(not _can_fork(), reason="charts are drawn in forked processes on Linux only")
def test_a_drawing_process_that_dies_fails_save_figures(tmp_path):
    """A worker killed while drawing: the other charts are drawn here, then the run fails
    (its chart is missing) with the worker's exit code, not a hang nor a traceback."""
    import os
    import signal

    from bondkit.report.drawers import save_figures

    here = os.getpid()

    def dies_in_a_worker(ax):
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        ax.bar([1, 2], [3, 4])

    charts = {k: (tmp_path / f"{k}.png", dies_in_a_worker) for k in "abcd"}
    with pytest.raises(ChildProcessError, match="exit code -9"):
        save_figures(charts, ["png"], jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.png", "c.png", "d.png"]
