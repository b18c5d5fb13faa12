"""The campaign under way (issue #16): the forecast conditioned on what was seen, the list
of subscriptions and its checks, ``bondkit track``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.core.terms import Backstop, CampaignTerms, Segment, SeriesTerms
from bondkit.models.tracking import (
    STATUSES,
    Observed,
    arrived_share,
    community_needed,
    elapsed_days,
    forecast,
    posterior_draws,
)
from bondkit.register.campaign_rows import read_campaign_rows
from bondkit.register.store import RegisterError
from bondkit.studies.backtest import backtest

ROOT = Path(__file__).resolve().parent.parent
CINEMA = ROOT / "scenarios" / "cinema-du-parc-2016.toml"
SERIES = [SeriesTerms("A", 300_000, 500, 0.04, dt.date(2027, 5, 1), term_years=5)]
MEMBERS = Segment("Members", people=2_000, reached=0.8, supporting=0.5, conversion=0.1,
                  ticket_median=1_000, ticket_spread=0.6)  # fmt: skip
TERMS = CampaignTerms(dt.date(2027, 3, 1), dt.date(2027, 4, 29), minimum=80_000,
                      target=150_000, segments=(MEMBERS,), max_per_investor=10_000)  # fmt: skip


def seen_rows(n: int, as_of: dt.date, amount: int = 100_000, status: int = 0, days: int = 16):
    return Observed(as_of, np.arange(n) % days, np.full(n, amount), np.zeros(n, int),
                    np.zeros(n, int), np.full(n, status))  # fmt: skip


# ---------------------------------------------------------------- the update, by hand


def test_the_posterior_is_the_beta_of_the_closed_form_when_every_arrival_is_seen():
    """Exposure 1 (the whole campaign seen): Beta(a, b) prior, k of N subscribed: the
    posterior is Beta(a + k, b + N - k) (conjugacy), its mean and sd computed by hand."""
    m, cv, n_people, k = 0.04, 0.5, 2_000, 100
    strength = (1 - m) / (m * cv * cv) - 1  # 95
    a, b = m * strength + k, (1 - m) * strength + n_people - k  # 103.8, 1991.2
    mean = a / (a + b)
    sd = (a * b / ((a + b) ** 2 * (a + b + 1))) ** 0.5
    p = posterior_draws(np.random.default_rng(5), m, n_people, k, 1.0, 200_000, cv)
    assert p.mean() == pytest.approx(mean, rel=2e-3)
    assert p.std() == pytest.approx(sd, rel=1e-2)


def test_nothing_seen_gives_the_prior_s_expected_subscribers():
    f = forecast(TERMS, SERIES, Observed.empty(dt.date(2027, 2, 1)), seed=3, n=20_000)
    assert f.elapsed == 0 and (f.seen == 0).all()
    subscribers = len(f.future_tickets) / f.n  # the plan: 2,000 x 0.04 = 80
    assert subscribers == pytest.approx(80, rel=0.03)


def test_what_was_seen_moves_the_forecast_its_way():
    as_of = dt.date(2027, 3, 16)  # 16 days; the plan expects 0.368 x 80 = 29.5 by then
    assert arrived_share(TERMS, 16)[0] == pytest.approx(0.3 + 9 * 0.35 / 46)
    low, mid, high = (forecast(TERMS, SERIES, seen_rows(k, as_of), seed=1, n=4_000)
                      for k in (10, 30, 60))  # fmt: skip
    medians = [float(np.median(f.community)) for f in (low, mid, high)]
    assert medians[0] < medians[1] < medians[2]
    assert low.ahead.mean() < mid.ahead.mean() < high.ahead.mean()
    # 60 seen when 29.5 were expected: the level doubles, shrunk a little toward the plan
    assert 1.6 < high.posterior_mean[0] / 0.04 < 2.0


def test_the_people_seen_are_not_prospects_again():
    """A segment of 20 people: 20 seen, nobody is left to come."""
    few = Segment("Board", people=20, reached=1, conversion=0.5, ticket_median=1_000)
    terms = CampaignTerms(TERMS.opens, TERMS.closes, minimum=10_000, target=30_000,
                          segments=(few,), max_per_investor=10_000)  # fmt: skip
    f = forecast(terms, SERIES, seen_rows(20, dt.date(2027, 3, 16)), seed=1, n=2_000)
    assert len(f.future_tickets) == 0 and (f.community == 2_000_000).all()


def test_after_the_close_the_forecast_is_what_was_seen():
    f = forecast(TERMS, SERIES, seen_rows(70, dt.date(2027, 5, 15), days=60), seed=1, n=500)
    assert f.elapsed == 60 and len(f.future_tickets) == 0
    assert (f.community == 7_000_000).all() and not f.ahead.any()


@pytest.mark.parametrize(("rate", "expected"), [(0.0, 0), (1.0, 3_000_000), (0.5, 1_500_000)])
def test_pending_rows_become_money_at_their_status_s_rate(rate, expected):
    as_of = dt.date(2027, 3, 16)
    f = forecast(TERMS, SERIES, seen_rows(30, as_of, status=STATUSES.index("pledged")), seed=2,
                 n=20_000, rates={"pledged": rate})  # fmt: skip
    assert f.seen.mean() == pytest.approx(expected, rel=0.02, abs=1)


def test_a_longer_campaign_never_lowers_the_chance():
    as_of = dt.date(2027, 3, 30)
    chances = [
        forecast(
            TERMS, SERIES, seen_rows(25, as_of, days=30), seed=4, n=4_000, extra_days=7 * w
        ).ahead.mean()
        for w in range(5)
    ]
    assert chances == sorted(chances) and chances[-1] > chances[0]


def test_community_needed_with_a_match():
    match = Backstop("match", max_amount=10_000, annual_rate=0.03, term_years=5, ratio=0.5)
    terms = CampaignTerms(TERMS.opens, TERMS.closes, minimum=30_000, target=40_000,
                          segments=(MEMBERS,), match=match)  # fmt: skip
    # c + min(c / 2, 10,000) >= 30,000: c = 20,000 $ (20,000 + 10,000)
    assert community_needed(terms, 3_000_000) == 2_000_000
    assert community_needed(TERMS, 8_000_000) == 8_000_000


def test_elapsed_days():
    assert elapsed_days(TERMS, dt.date(2027, 2, 27)) == 0
    assert elapsed_days(TERMS, dt.date(2027, 4, 29)) == TERMS.days == 60


def test_the_backtest_covers_near_nominal_and_beats_the_plan():
    """Campaigns drawn from the prior: the p5-p95 interval holds about 90 % of the finals,
    and "reaches the minimum" is right more often than the plan's single answer."""
    members = Segment("Members", people=2_000, reached=0.8, supporting=0.5, conversion=0.1,
                      ticket_median=1_000, ticket_spread=0.6, pledged=0.1)  # fmt: skip
    terms = CampaignTerms(TERMS.opens, TERMS.closes, minimum=95_000, target=150_000,
                          segments=(members,), max_per_investor=10_000)  # fmt: skip
    table = backtest(terms, SERIES, campaigns=80, paths=600, seed=2, checkpoints=(0.25, 0.5))
    assert table["coverage"].between(0.8, 0.97).all()
    assert (table["accuracy"] > table["accuracy_plan"]).all()
    assert (table["error_median"] < table["error_straight_line"]).all()


# ---------------------------------------------------------------- the list


def _write(tmp_path: Path, text: str, name: str = "subs.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_every_problem_of_a_list_is_listed_by_row_and_no_name_is_quoted(tmp_path):
    p = _write(tmp_path, "Nom,Date,Montant,Statut,Segment\n"
               "Lucie Tremblay,2027-03-20,1000,payé,\n"  # after as-of
               "Marc Roy,2027-02-20,1000,payé,\n"  # before the opening
               "Ana Silva,2027-03-05,750,payé,\n"  # not whole bonds
               "Jo Doe,2027-03-06,1000,peut-être,Voisins\n"  # unknown status and segment
               "Al Bo,2027-03-07,1000,promesse,members\n")  # fmt: skip
    with pytest.raises(RegisterError) as info:
        read_campaign_rows(p, TERMS, SERIES, dt.date(2027, 3, 16))
    text = info.value.render("en")
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == [
        "row 2", "row 3", "row 4", "row 5", "row 5"]  # fmt: skip
    for name in ("Lucie", "Tremblay", "Marc", "Ana", "Jo Doe", "Al Bo"):
        assert name not in text
    assert "2027-03-16" in text and "2027-03-01" in text and "peut-être" in text


def test_a_good_list_with_statuses_segments_and_an_xlsx(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Date de souscription", "Nombre d'obligations", "Série", "État", "Canal"])
    ws.append([dt.datetime(2027, 3, 2), 2, "A", "Signé", "Members"])
    ws.append([dt.datetime(2027, 3, 3), 1, "a", "annulé", ""])
    book.save(tmp_path / "list.xlsx")
    seen = read_campaign_rows(tmp_path / "list.xlsx", TERMS, SERIES, dt.date(2027, 3, 16))
    assert seen.day.tolist() == [1, 2] and seen.amount.tolist() == [100_000, 50_000]
    assert [STATUSES[s] for s in seen.status] == ["signed", "cancelled"]
    assert seen.segment.tolist() == [0, -1]


def test_a_list_of_another_issue_is_named_so(tmp_path):
    p = _write(tmp_path, "date,series,amount\n2020-01-05,C,1000\n2020-01-06,C,1000\n")
    with pytest.raises(RegisterError) as info:
        read_campaign_rows(p, TERMS, SERIES, dt.date(2027, 3, 16))
    assert "another issue" in info.value.render("en").splitlines()[1]


def test_a_list_without_the_columns_needed(tmp_path):
    p = _write(tmp_path, "Nom,Courriel\nLucie,l@x.ca\n")
    with pytest.raises(RegisterError) as info:
        read_campaign_rows(p, TERMS, SERIES, dt.date(2027, 3, 16))
    assert "subscription date" in info.value.render("en")


# ---------------------------------------------------------------- bondkit track


def _cinema_list(tmp_path: Path) -> Path:
    rows = [f"2016-11-{15 + i % 16},A,1000,payé" for i in range(30)] + ["2016-11-29,A,500,promesse"]
    return _write(tmp_path, "date,série,montant,statut\n" + "\n".join(rows) + "\n")


def test_track_answers_in_french_and_writes_the_summary(tmp_path):
    out = tmp_path / "out"
    args = ["track", str(CINEMA), "--subscriptions", str(_cinema_list(tmp_path)),
            "--as-of", "2016-11-30", "--out", str(out)]  # fmt: skip
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith(
        "Campagne au 2016-11-30 (jour 16 sur 78) : 30\u00a0500,00\u00a0$ de 31"
    )
    assert lines[1].startswith("Minimum de 50\u00a0000,00\u00a0$ d'ici la clôture (2017-01-31)")
    summary = json.loads((out / "cinema-du-parc-2016-summary.json").read_text("utf-8"))
    tr = summary["tracking"]
    assert tr["seen"] == 30_500.0 and tr["by_status"]["pledged"] == 500.0
    assert tr["days_elapsed"] == 16 and tr["as_of"] == "2016-11-30"
    assert tr["straight_line"] == 100_000.0  # 30,500 x 78 / 16 = 148,687.50, capped
    q = tr["final_raise"]
    assert 30_000 <= q["p05"] <= q["p50"] <= q["p95"] <= 100_000
    assert [e["weeks"] for e in tr["extensions"]] == [1, 2, 3, 4]
    assert summary["total_principal"] == 100_000.0  # the plan's keys are all there


def test_track_with_a_bad_list_writes_nothing(tmp_path):
    bad = _write(tmp_path, "date,series,amount\n2016-12-05,A,1000\n2016-11-20,B,1000\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["track", str(CINEMA), "--subscriptions", str(bad),
                                    "--as-of", "2016-11-30", "--out", str(out), "--lang", "en"])  # fmt: skip
    assert res.exit_code == 2
    assert "row 2" in res.stderr and "row 3" in res.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--status-rate", "maybe=0.5"],
        ["--status-rate", "pledged=2"],
        ["--status-rate", "pledged"],
    ],
)
def test_track_refuses_what_it_cannot_answer(tmp_path, extra):
    source = [] if not extra else ["--subscriptions", str(_cinema_list(tmp_path))]
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["track", str(CINEMA), "--as-of", "2016-11-30",
                                    "--out", str(out), *source, *extra])  # fmt: skip
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith("bondkit") and not out.exists()


# ---------------------------------------------------------------- the workbook and the chart


@pytest.fixture(scope="module")
def tracked(tmp_path_factory):
    """bondkit track on Cinéma du Parc, in English: 30 paid rows of 1,000 $ from 15 to 30
    November (day i % 16), one pledge of 500 $ on the 29th; read on the 30th (day 16)."""
    tmp = tmp_path_factory.mktemp("tracked")
    out = tmp / "out"
    args = ["track", str(CINEMA), "--subscriptions", str(_cinema_list(tmp)),
            "--as-of", "2016-11-30", "--out", str(out), "--lang", "en"]  # fmt: skip
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "cinema-du-parc-2016-summary.json").read_text("utf-8"))
    return out, summary["tracking"]


def _values_by_label(ws) -> dict[str, list]:
    """Column A's text -> the values on its right, for every row of a sheet."""
    out = {}
    for row in ws.iter_rows(values_only=True):
        if isinstance(row[0], str):
            out.setdefault(row[0].strip(), [v for v in row[1:] if v is not None])
    return out


def test_the_issue_sheet_opens_with_the_campaign_under_way(tracked):
    out, tr = tracked
    wb = openpyxl.load_workbook(out / "cinema-du-parc-2016.xlsx")
    ws = wb["B3.3 Issue"]
    first = [r[0] for r in ws.iter_rows(min_row=1, max_row=6, max_col=1, values_only=True)]
    assert "The campaign under way, read on 2016-11-30 (day 16 of 78)" in first
    rows = _values_by_label(ws)
    # what was seen, counted here from the list: 30 x 1,000 $ paid and a 500 $ pledge
    assert rows["Subscribed so far (not cancelled)"][0] == 30_500
    assert rows["of which paid"][0] == 30_000 and rows["of which pledged"][0] == 500
    assert rows["Subscriptions (not cancelled)"][0] == 31
    chance = rows[
        "Chance of reaching the minimum by the close (with the match and the underwriter)"
    ]
    assert chance[0] == pytest.approx(tr["p_minimum_by_close"], abs=1e-4)
    assert chance[1] == ("OK" if chance[0] >= 0.9 else "Watch" if chance[0] >= 0.7 else "Risk")
    # the decisions: carrying on, then 1-4 weeks more, each closing a week later
    carry = rows["Carry on as planned"]
    assert carry[0].date() == dt.date(2017, 1, 31)
    extended = [rows["Extend by 1 week"]] + [rows[f"Extend by {w} weeks"] for w in (2, 3, 4)]
    assert [e[0].date() for e in extended] == [dt.date(2017, 1, 31) + dt.timedelta(days=7 * w)
                                               for w in (1, 2, 3, 4)]  # fmt: skip
    chances = [carry[1]] + [e[1] for e in extended]
    assert chances == sorted(chances)
    assert [e["p_minimum"] for e in tr["extensions"]] == pytest.approx(chances[1:], abs=1e-4)
    assert "return $30,500.00 to 31 subscribers" in rows["Cancel the issue"][0]
    # week by week: week 1 (15-21 November) holds the rows of days 0-6 (i = 0-6, 16-22)
    assert rows["Week 1"][1:3] == [14_000, 14_000]
    assert rows["Week 2"][1:3] == [28_000, 28_000]
    week3 = rows["Week 3"]  # under way: what was seen, and the band from here
    assert week3[1:3] == [30_500, 30_000] and len(week3) == 6
    assert len(rows["Week 12"]) == 4  # to come: the date and the band only
    assert week3[3] <= week3[4] <= week3[5]
    assert len(ws._images) == 3  # the tracking chart, the campaign band, the raised histogram
    # the Sommaire's first answer is the campaign under way's chance
    summary = _values_by_label(wb["Summary"])
    assert summary["Can we raise it?"][0] == pytest.approx(tr["p_minimum_by_close"], abs=1e-4)


def test_the_tracking_chart_draws_what_was_seen_over_the_band(tracked, tmp_path):
    from matplotlib.figure import Figure

    from bondkit.report.charts import plot
    from bondkit.runner import run
    from bondkit.runner.tracking import track
    from bondkit.scenario import load_scenario

    out, _tr = tracked
    assert (out / "charts" / "cinema-du-parc-2016-tracking.png").stat().st_size > 10_000
    assert (out / "charts" / "cinema-du-parc-2016-tracking.svg").exists()
    sc = load_scenario(CINEMA).with_changes({"campaign.simulations": 300, "risk.paths": 200})
    res = track(sc, as_of="2016-11-30", subscriptions=_cinema_list(tmp_path), paths=1_000)
    ax = plot(res, "tracking", ax=Figure().add_subplot(), lang="fr")
    assert ax.get_title().startswith("La campagne en cours")
    seen = next(line for line in ax.lines if line.get_label() == "Souscrit à ce jour")
    assert seen.get_ydata()[-1] == 30_500  # currency units
    assert len(seen.get_ydata()) == 16  # the days from the opening to the day read
    with pytest.raises(ValueError, match="no campaign under way"):
        plot(run(sc), "tracking", ax=Figure().add_subplot(), lang="en")
