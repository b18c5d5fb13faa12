"""Bounded work, stated up front (issue #11, item 7): a run's memory and time estimated
from the scenario's sizes, a refusal before any simulation that names the key to turn,
limits raised with --max-memory / --max-time (max_memory= / max_time= in Python)."""

from __future__ import annotations

import datetime as dt
import re
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

import bondkit.models.campaign
import bondkit.models.risk
from bondkit.cli import main
from bondkit.errors import Message
from bondkit.labels import LABELS
from bondkit.runner import run
from bondkit.runner.budget import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_TIME,
    BudgetError,
    check_budget,
    duration_text,
    estimate,
    parse_duration,
    parse_size,
    size_text,
)
from bondkit.scenario import list_examples, load_example, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
CINEMA = ROOT / "scenarios" / "cinema-du-parc-2016.toml"
COSTUMIER = ROOT / "scenarios" / "grand-costumier-2016.toml"

TEN_BILLION = """\
[scenario]
name = "Ten billion"
language = "en"
currency = "CAD"
seed = 1

[issuer]
name = "Big co-op"
legal_form = "coop"
fiscal_year_end = "12-31"

[[series]]
id = "A"
amount = 10_000_000_000
face_value = {face}
annual_rate = 0.03
issue_date = 2027-01-15
term_years = 5
repayment = "bullet"

[risk]
{risk}
"""


def _cinema(**replace: str) -> str:
    """The Cinéma du Parc example with some of its lines replaced (``key = value``)."""
    text = CINEMA.read_text(encoding="utf-8")
    for key, line in replace.items():
        text, n = re.subn(rf"(?m)^{key} = .*$", line, text, count=1)
        assert n == 1, key
    return text


#: the issue's reproductions, as files: (what, text, the words the refusal must hold)
REPRODUCTIONS = {
    # a [risk] table with holding = 1 on a 10-billion issue: an instant MemoryError
    "holding-1": (
        TEN_BILLION.format(face=1, risk="holding = 1"),
        ["risk.holding = 1", "of memory", "raise risk.holding", "--max-memory"],
    ),
    # ... and with a larger holding, a run of hours
    "hours": (
        TEN_BILLION.format(face=1_000, risk="holding = 2_000\npaths = 100_000"),
        ["risk.paths = 100000", "of computing", "lower risk.paths", "--max-time"],
    ),
    # a campaign simulated 150,000 times over two years: 4.5 GiB
    "campaign-days": (
        _cinema(simulations="simulations = 150_000", opens="opens = 2015-02-01"),
        ["campaign.simulations = 150000", "731 days", "lower campaign.simulations"],
    ),
    # tickets of 1 to 10 billion bonds of 1 $: "internal error: MemoryError" before
    "tickets": (
        _cinema(
            amount="amount = 10_000_000_000",
            face_value="face_value = 1",
            cap="cap = 10_000_000_000",
            max_per_investor="# no max_per_investor",
            min_subscription="# no min_subscription",
        ),
        ["10000000000 bonds of series A", "campaign.max_per_investor", "--max-memory"],
    ),
}


class ModelRan(AssertionError):
    """Raised by a model that a refused run must never reach."""


@pytest.fixture
def no_models(monkeypatch):
    """Every model that allocates by the size of the scenario raises if called: a refusal
    must come from the budget, before any of them (and the test never allocates)."""

    def ran(*args, **kwargs):
        raise ModelRan("a model ran: the budget did not refuse first")

    for module, names in (
        (bondkit.models.campaign, ["simulate", "funnel", "expected_path", "ticket_distribution"]),
        (
            bondkit.models.risk,
            ["assess_risk", "simulate_risk", "equal_holders", "holders_from_register"],
        ),
    ):
        for name in names:
            monkeypatch.setattr(module, name, ran)


@pytest.mark.parametrize("case", list(REPRODUCTIONS))
def test_the_issue_s_reproductions_are_refused_before_anything_runs(case, tmp_path, no_models):
    text, words = REPRODUCTIONS[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(out), "--lang", "en"])
    assert time.perf_counter() - start < 5  # refused at once, nothing allocated
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("bondkit: ")
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not out.exists()  # nothing written
    # the API refuses the same way
    with pytest.raises(BudgetError) as refused:
        run(parse_scenario(text))
    assert refused.value.render("en") == result.stderr.strip()[len("bondkit: ") :]


def test_the_refusal_speaks_the_scenario_s_language(tmp_path, no_models):
    text, _ = REPRODUCTIONS["campaign-days"]  # the Cinéma example is in French
    path = tmp_path / "cinema.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == (
        "bondkit : campaign.simulations = 150000 sur une campagne de 731 jours demande environ "
        "4,5 Gio de mémoire, plus que la limite de 4 Gio : réduisez campaign.simulations ou "
        "raccourcissez la campagne (de campaign.opens à campaign.closes), ou relevez la limite "
        "avec --max-memory (max_memory= en Python)\n"
    )


def test_a_raised_limit_lets_the_run_go_ahead(tmp_path):
    out = tmp_path / "out"
    refused = CliRunner().invoke(
        main, ["run", str(COSTUMIER), "--out", str(out), "--max-memory", "5M"]
    )
    assert refused.exit_code == 2 and "--max-memory" in refused.stderr
    assert not out.exists()
    ran = CliRunner().invoke(
        main, ["run", str(COSTUMIER), "--out", str(out), "--max-memory", "1G", "--max-time", "1h"]
    )
    assert ran.exit_code == 0, ran.output
    assert (out / "grand-costumier-2016.xlsx").exists()
    # and in Python
    sc = load_example("grand-costumier-2016")
    with pytest.raises(BudgetError, match="raise the limit with --max-memory"):
        run(sc, max_memory="5M")
    with pytest.raises(BudgetError, match="of computing on 2 cores"):
        run(sc, max_time=0.01)
    check_budget(sc, max_memory=float("inf"), max_time=float("inf"))


def test_compare_and_sweep_refuse_before_running_anything(tmp_path, no_models):
    text, _ = REPRODUCTIONS["holding-1"]
    big = tmp_path / "big.toml"
    big.write_text(text, encoding="utf-8")
    small = tmp_path / "small.toml"
    small.write_text(text.replace("10_000_000_000", "100_000").replace("holding = 1", ""))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(small), str(big), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{big}: the risk model with risk.paths = 10000")
    assert not out.exists()
    vary = ["--vary", "series[1].amount=100000,10000000000", "--vary", "risk.holding=1000,1"]
    result = CliRunner().invoke(main, ["sweep", str(small), *vary, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        "bondkit: variant 3 (series[1].amount=10000000000, risk.holding=1000): the risk model"
    ), result.stderr
    assert not out.exists()


def test_a_limit_that_is_not_a_size_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["run", str(COSTUMIER), "--max-memory", "lots"])
    assert result.exit_code == 2
    assert "not a memory size such as 8G or 512M" in result.output
    result = CliRunner().invoke(main, ["run", str(COSTUMIER), "--max-time", "-5m"])
    assert result.exit_code == 2 and "not a duration" in result.output
    french = ["run", str(COSTUMIER), "--lang", "fr", "--max-time", "beaucoup"]
    result = CliRunner().invoke(main, french)
    assert result.exit_code == 2
    assert "pas une durée comme 90s, 30m ou 2h (plus de 0) : 'beaucoup'" in result.output


def test_sizes_and_durations_are_read_and_written_plainly():
    assert parse_size("8G") == parse_size("8 GiB") == parse_size("8gb") == 8 * 2**30
    assert parse_size("1.5G") == 1.5 * 2**30 and parse_size("4096") == 4096
    assert parse_duration("1h") == parse_duration("60m") == parse_duration("3600") == 3600
    for bad in ("", "G", "8X", "-1G", "0", "nan", "8 G B"):
        with pytest.raises(ValueError):
            parse_size(bad)
    for bad in (0, -1, True, float("nan")):
        with pytest.raises(ValueError):
            parse_size(bad)
    assert size_text(DEFAULT_MAX_MEMORY).render("fr") == "4 Gio"
    assert size_text(3.95 * 2**30).render("en") == "4 GiB"
    assert size_text(600 * 2**20).render("en") == "600 MiB"
    assert duration_text(DEFAULT_MAX_TIME).render("en") == "15 min"


# ---------------------------------------------------------------- the first reproduction


def _many_series(n: int, simulations: int):
    """The Cinéma du Parc example with ``n`` series of 500 $ (its campaign, no risk)."""
    data = load_example("cinema-du-parc-2016").to_data()
    one = data["series"][0]
    each = max(500, 100_000 // n // 500 * 500)  # whole bonds, adding up to the cap or more
    data["series"] = [one | {"id": f"S{i}", "amount": each} for i in range(n)]
    data["campaign"]["simulations"] = simulations
    for table in ("risk", "planning", "capacity"):
        data.pop(table)
    from bondkit.scenario import validate_data

    return validate_data(data)


def test_campaign_memory_no_longer_grows_with_the_series():
    """500 series with a campaign grew past 11.9 GB: every subscriber compared its draw with
    every series (a subscribers x series matrix). Now the series are looked up."""
    peaks = {}
    for n in (1, 100):
        sc = _many_series(n, 2_000)
        terms, series = sc.campaign_terms(), tuple(sc.series_terms())
        tracemalloc.start()
        bondkit.models.campaign.simulate(terms, series, seed=1)
        peaks[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # 200,000 subscribers x 99 series x 9 bytes would be 180 MB more
    assert peaks[100] < 1.5 * peaks[1] + 2**20, peaks
    big = estimate(_many_series(500, 10_000))
    assert big.memory < 2**30  # was above 11.9 GB
    assert big.largest("memory").name == "campaign.subscribers"


# ---------------------------------------------------------------- the estimate


def _peak(sc) -> int:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    run(sc)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    return peak


def _risk_heavy():
    """100,000 holders of 1,000 $ over 100 paths (no campaign)."""
    return parse_scenario(
        TEN_BILLION.replace("10_000_000_000", "100_000_000").format(
            face=500, risk="holding = 1_000\npaths = 100"
        )
    )


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: load_example("grand-costumier-2016"), id="small"),
        pytest.param(lambda: load_example("cinema-du-parc-2016"), id="medium"),
        pytest.param(_risk_heavy, id="risk-heavy"),
    ],
)
def test_the_estimate_is_within_a_factor_of_two_of_the_measured_peak(make):
    sc = make()
    peak, est = _peak(sc), estimate(sc).memory
    assert peak / 2 <= est <= 2 * peak, (est / 2**20, peak / 2**20)


def test_the_examples_are_well_under_the_defaults():
    for name in list_examples():
        est = estimate(load_example(name))
        assert est.memory < DEFAULT_MAX_MEMORY / 10, name
        assert est.seconds < DEFAULT_MAX_TIME / 100, name


def test_the_estimate_takes_no_time():
    sc = _many_series(500, 10_000)
    start = time.perf_counter()
    estimate(sc)
    assert time.perf_counter() - start < 1


# ---------------------------------------------------------------- the words


def test_every_budget_message_is_a_label_in_both_languages():
    """Each part's words render in French and English with the fields they are given."""
    scenarios = [
        load_example("cinema-du-parc-2016"),
        load_example("solar-coop-multi-series"),
        parse_scenario(REPRODUCTIONS["holding-1"][0]),
    ]
    for sc in scenarios:
        for part in estimate(sc).parts:
            for lang in ("en", "fr"):
                for message in (part.what, part.fix):
                    assert message.key in LABELS
                    assert "{" not in message.render(lang)
    for key, (en, fr) in LABELS.items():
        if key.startswith("msg.budget_"):
            assert en != fr or key.startswith(("msg.budget_in_", "msg.budget_paths_fix")), key
    assert Message("msg.budget_variant", n=1, changes="a=1", message="x").render("fr")


def test_a_long_campaign_window_counts():
    """The window's days count: the same simulations over 731 days need more."""
    days = 731
    short = load_example("cinema-du-parc-2016")
    opens = short.campaign_terms().closes - dt.timedelta(days=days - 1)
    long = short.with_changes({"campaign.opens": opens})
    assert estimate(long).memory > estimate(short).memory + 10_000 * days * 20


def test_the_fixture_blocks_the_models(no_models):
    with pytest.raises(ModelRan):
        run(load_example("grand-costumier-2016"))
