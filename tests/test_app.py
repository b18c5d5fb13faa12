"""The web face (issue #17), request by request: the form generated from the file format,
problems beside their fields in the page's language, a run with the four answers first,
the downloads, and what makes it safe to serve to a team."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from bondkit.app.form import check_form, field_names, form_groups  # noqa: E402
from bondkit.app.web import AppConfig, create_app  # noqa: E402
from bondkit.data.scenario_keys import ROOT, key_entries, section_tables  # noqa: E402
from bondkit.runner import run  # noqa: E402
from bondkit.runner.answers import answers  # noqa: E402
from bondkit.scenario import list_examples, load_example, parse_scenario  # noqa: E402

FR = {"accept-language": "fr-CA,fr;q=0.9"}
EN = {"accept-language": "en"}


def client(tmp_path: Path, **config) -> TestClient:
    return TestClient(create_app(AppConfig(data=tmp_path / "data", **config)))


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def open_example(c: TestClient, name: str, headers=FR) -> str:
    """Open an example as a person does; the scenario's address."""
    home = c.get("/", headers=headers)
    r = c.post("/new", data={"csrf": csrf(home.text), "source": f"example:{name}"},
               headers=headers, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    return r.headers["location"]


def form_fields(page: str) -> dict[str, str]:
    """The fields of a form page as a browser submits them (text, select, textarea,
    the include boxes with their hidden blanks)."""
    out: dict[str, str] = {}
    for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*>', page):
        tag, name = m.group(0), m.group(1)
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                out[name] = "on"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        out[name] = _unescape(value.group(1)) if value else ""
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', m.group(2))
        out[m.group(1)] = _unescape(chosen.group(1)) if chosen else ""
    for m in re.finditer(r"<textarea[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</textarea>", page, re.S):
        out[m.group(1)] = _unescape(m.group(2))
    return out


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


# ---------------------------------------------------------------- the form is the file format


def test_the_form_has_every_key_of_the_file_format():
    """Every key of every table in the reference (the docs' table) is a field or a
    sub-table of the form, with its unit and default."""
    names = field_names(form_groups({}))
    plain = {re.sub(r"\.\d+", "", n) for n in names}
    missing = []
    for section, keys in key_entries().items():
        if section == ROOT:
            continue
        for table in section_tables(section):
            for key in keys:
                if f"{table}.{key}" not in plain:
                    missing.append(f"{table}.{key}")
    assert missing == []


@pytest.mark.parametrize("name", list_examples())
def test_every_example_goes_through_the_form_unchanged(name):
    """An example shown in the form and submitted as is gives the same scenario."""
    scenario = load_example(name)
    fields = {}

    def fill(groups):
        for g in groups:
            if not g.present:
                continue
            if g.optional and not g.repeated and "." not in g.name:
                fields[f"include.{g.name}"] = "on"
            fields.update({f.name: f.value for f in g.fields if f.value})
            fill(g.groups)

    fill(form_groups(scenario.to_data()))
    check = check_form(fields, "en")
    assert check.problems == {}
    assert check.scenario.to_data() == scenario.to_data()


# ---------------------------------------------------------------- a person's path


def test_a_mistake_is_shown_beside_its_field_in_french(tmp_path):
    c = client(tmp_path)
    where = open_example(c, "cinema-du-parc-2016")
    page = c.get(where, headers=FR)
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    fields = form_fields(page.text)
    assert fields["series.0.annual_rate"] == "0.02"
    fields |= {"series.0.annual_rate": "0,04", "costs.upfront": "-5", "action": "run"}
    r = c.post(where, data=fields, headers=FR, follow_redirects=False)
    assert r.status_code == 422
    problem = re.search(r'id="series.0.annual_rate-problem"[^>]*>(.*?)</p>', r.text).group(1)
    assert "virgule" in problem and "0.04" in problem
    assert 'id="costs.upfront-problem"' in r.text
    assert 'aria-describedby="series.0.annual_rate-help series.0.annual_rate-problem"' in r.text
    assert 'value="0,04"' in r.text  # what was typed stays
    # the same in English when the page is English
    r = c.post(where, data=fields, headers=EN)
    assert "decimal point" in r.text


def test_run_shows_the_four_answers_first_then_figures_charts_and_schedule(tmp_path):
    c = client(tmp_path)
    where = open_example(c, "grand-costumier-2016", EN)
    page = c.get(f"{where}/result", headers=EN)
    assert page.status_code == 200
    expected = answers(run(load_example("grand-costumier-2016")), "en")
    shown = re.findall(r"<h3>(.*?)</h3>", page.text)
    assert shown == [_escape(a.question) for a in expected]
    for a in expected:
        assert _escape(a.sentence) in page.text
    body = page.text
    order = [
        body.index(x) for x in ('id="answers"', 'id="figures"', 'id="charts"', 'id="schedule"')
    ]
    assert order == sorted(order)
    svg = c.get(f"{where}/chart/debt-service.svg", headers=EN)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content[:400]


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def test_the_downloads(tmp_path):
    c = client(tmp_path)
    where = open_example(c, "solar-coop-multi-series", EN)
    book = c.get(f"{where}/download/workbook", headers=EN)
    assert book.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(book.content))
    assert wb.sheetnames[0] == "Summary"
    summary = json.loads(c.get(f"{where}/download/summary").content)
    res = run(load_example("solar-coop-multi-series"))
    assert summary["total_principal"] == res.total_principal / 100
    toml = c.get(f"{where}/download/toml").text
    assert parse_scenario(toml).to_data() == load_example("solar-coop-multi-series").to_data()
    kit = c.get(f"{where}/download/kit", headers=EN)
    assert zipfile.ZipFile(io.BytesIO(kit.content)).namelist()  # a .docx is a zip
    charts = zipfile.ZipFile(io.BytesIO(c.get(f"{where}/download/charts").content))
    assert any(n.endswith("-balance.svg") for n in charts.namelist())


def test_what_was_filled_is_kept_as_a_file_that_reads_back(tmp_path):
    c = client(tmp_path)
    home = c.get("/", headers=FR)
    r = c.post("/new", data={"csrf": csrf(home.text), "source": "blank"}, headers=FR)
    fields = form_fields(r.text)
    fields |= {"scenario.name": "Épicerie solidaire 2027", "series.0.annual_rate": "0.035",
               "action": "save"}  # fmt: skip
    where = str(r.url.path)
    assert c.post(where, data=fields, headers=FR).status_code == 200
    text = c.get(f"{where}/download/toml").text
    sc = parse_scenario(text)
    assert sc.name == "Épicerie solidaire 2027" and str(sc.series[0].annual_rate) == "0.035"


def test_an_upload_that_is_not_a_scenario_is_refused_with_its_problems(tmp_path):
    c = client(tmp_path)
    home = c.get("/", headers=FR)
    bad = b"[scenario]\nname = 'x'\n[costs]\nupfront = 3 000 $\n"
    r = c.post("/new", data={"csrf": csrf(home.text), "source": "upload"},
               files={"file": ("../../evil.toml", bad, "text/plain")}, headers=FR)  # fmt: skip
    assert r.status_code == 422 and "costs.upfront" in r.text
    assert not list((tmp_path / "data").rglob("*.toml"))


# ---------------------------------------------------------------- safe to serve to a team


def test_beyond_this_machine_a_token_is_required(tmp_path):
    with pytest.raises(ValueError):
        AppConfig(data=tmp_path, host="0.0.0.0")
    c = client(tmp_path, host="0.0.0.0", token="s3cret-team")
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert c.post("/new", data={"source": "blank"}).status_code == 403
    login = c.get("/login", headers=EN)
    wrong = c.post("/login", data={"csrf": csrf(login.text), "token": "guess"})
    assert wrong.status_code == 401
    right = c.post("/login", data={"csrf": csrf(login.text), "token": "s3cret-team"},
                   follow_redirects=False)  # fmt: skip
    assert right.status_code == 303
    assert c.get("/").status_code == 200


def test_a_form_without_the_session_s_token_is_refused(tmp_path):
    c = client(tmp_path)
    c.get("/")
    assert c.post("/new", data={"source": "blank"}).status_code == 403
    other = client(tmp_path)
    token = csrf(other.get("/").text)  # another session's token
    assert c.post("/new", data={"csrf": token, "source": "blank"}).status_code == 403
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").rglob("*.toml"))


def test_a_request_over_the_size_limit_is_refused(tmp_path):
    c = client(tmp_path, max_upload=10_000)
    home = c.get("/")
    big = b"# " + b"x" * 20_000 + b"\n"
    r = c.post("/new", data={"csrf": csrf(home.text), "source": "upload"},
               files={"file": ("big.toml", big, "text/plain")})  # fmt: skip
    assert r.status_code == 413
    assert not list((tmp_path / "data").rglob("*.toml"))


def test_each_user_sees_only_their_own_scenarios(tmp_path):
    alice, bob = client(tmp_path), client(tmp_path)
    where = open_example(alice, "cinema-du-parc-2016")
    assert alice.get(where).status_code == 200
    bob.get("/")
    for path in (where, f"{where}/result", f"{where}/download/toml", f"{where}/chart/balance.svg"):
        assert bob.get(path).status_code == 404, path
    assert "Cinéma du Parc" not in bob.get("/").text


def test_no_name_a_browser_sends_reaches_a_path(tmp_path):
    c = client(tmp_path)
    c.get("/")
    for path in ("/s/..%2F..%2Fetc%2Fpasswd", "/s/../../etc/passwd", "/s/abc", "/s/" + "g" * 32,
                 "/s/" + "0" * 32 + "/download/..%2Fscenarios"):  # fmt: skip
        assert c.get(path).status_code == 404, path
    home = c.get("/")
    c.post("/new", data={"csrf": csrf(home.text), "source": "upload"},
           files={"file": ("../../../outside.toml", load_text("grand-costumier-2016"), "text/plain")})  # fmt: skip
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file() and p.name != "session.key"]
    assert len(files) == 1 and re.fullmatch(r"[0-9a-f]{32}\.toml", files[0].name)
    assert not (tmp_path / "outside.toml").exists()


def load_text(name: str) -> bytes:
    from importlib.resources import files

    return files("bondkit.examples").joinpath(f"{name}.toml").read_bytes()


def test_a_name_written_as_a_formula_stays_text_in_the_workbook(tmp_path):
    c = client(tmp_path)
    where = open_example(c, "grand-costumier-2016", EN)
    fields = form_fields(c.get(where, headers=EN).text)
    fields |= {"scenario.name": '=HYPERLINK("http://evil.example","click")', "action": "run"}
    assert c.post(where, data=fields, follow_redirects=False).status_code == 303
    wb = openpyxl.load_workbook(io.BytesIO(c.get(f"{where}/download/workbook", headers=EN).content))
    cell = wb["Summary"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_pages_come_with_the_security_headers_and_only_this_host(tmp_path):
    c = client(tmp_path)
    r = c.get("/")
    assert "script-src" not in r.headers["content-security-policy"]
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert c.get("/", headers={"host": "evil.example"}).status_code == 400
    back = c.get("/lang/en?next=//evil.example/x", follow_redirects=False)
    assert back.headers["location"] == "/"


# ---------------------------------------------------------------- comparisons, sweeps, jobs


def finished(c: TestClient, where: str, headers=EN) -> str:
    """The page of a job once it is done (it refreshes itself until then)."""
    import time

    for _ in range(600):
        page = c.get(where, headers=headers)
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_two_options_compared_side_by_side(tmp_path):
    from bondkit.studies.comparison import metric_text

    c = client(tmp_path)
    ids = [
        open_example(c, n, EN).split("/")[-1]
        for n in ("grand-costumier-2016", "cinema-du-parc-2016")
    ]
    token = csrf(c.get("/compare", headers=EN).text)
    one = c.post("/compare", data={"csrf": token, "option": ids[:1]}, headers=EN)
    assert one.status_code == 422 and "from 2 to 4" in one.text
    r = c.post("/compare", data={"csrf": token, "option": ids}, headers=EN, follow_redirects=False)
    assert r.status_code == 303
    page = finished(c, r.headers["location"])
    head = re.findall(r'<th scope="col">(.*?)</th>', page)
    assert head == ["Figure", "Le Grand Costumier 2016", "Cinéma du Parc 2016"]
    interest = re.search(r'<th scope="row">Total interest</th><td>(.*?)</td><td>(.*?)</td>', page)
    runs = [run(load_example(n)) for n in ("grand-costumier-2016", "cinema-du-parc-2016")]
    assert list(interest.groups()) == [
        _escape(metric_text(r.total_interest / 100, "total_interest", "en", "CAD")) for r in runs
    ]
    book = re.search(r'href="(/jobs/[^"]+/file/comparison.xlsx)"', page).group(1)
    assert openpyxl.load_workbook(io.BytesIO(c.get(book).content)).sheetnames
    svg = re.search(r'<img src="([^"]+\.svg)"', page).group(1)
    assert c.get(svg).headers["content-type"].startswith("image/svg+xml")
    other = client(tmp_path)
    other.get("/")
    assert other.get(r.headers["location"]).status_code == 404
    assert other.get(book).status_code == 404


def test_a_rate_by_term_sweep_with_its_heat_map(tmp_path):
    from bondkit.studies.comparison import metric_text

    c = client(tmp_path)
    where = open_example(c, "grand-costumier-2016", EN)
    token = csrf(c.get(f"{where}/sweep", headers=EN).text)
    bad = c.post(f"{where}/sweep", headers=EN,
                 data={"csrf": token, "rates": "0,02:0,04", "terms": "3,5", "metric": "min_dscr"})  # fmt: skip
    assert bad.status_code == 422 and 'id="rates-problem"' in bad.text
    fresh = open_example(c, "grand-costumier-2016", EN)  # the one above is now invalid
    many = c.post(f"{fresh}/sweep", headers=EN,
                  data={"csrf": token, "rates": "0.01:0.08:0.001", "terms": "3,5", "metric": "min_dscr"})  # fmt: skip
    assert many.status_code == 422 and 'id="terms-problem"' in many.text
    r = c.post(f"{where}/sweep", headers=EN, follow_redirects=False,
               data={"csrf": token, "rates": "0.02,0.03", "terms": "3,5", "metric": "total_interest"})  # fmt: skip
    page = finished(c, r.headers["location"])
    cells = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', page)
    assert [(a, b) for a, b, _ in cells] == [
        ("2%", "3 years"),
        ("2%", "5 years"),
        ("3%", "3 years"),
        ("3%", "5 years"),
    ]
    sc = load_example("grand-costumier-2016")
    for (_, _, shown), (rate, term) in zip(
        cells, [(0.02, 3), (0.02, 5), (0.03, 3), (0.03, 5)], strict=True
    ):
        res = run(sc.with_changes(annual_rate=rate, term_years=term))
        assert _unescape(shown) == metric_text(
            res.total_interest / 100, "total_interest", "en", "CAD"
        )
    assert re.search(r'<img src="[^"]+sweep-total-interest\.svg"', page)


def test_a_job_stops_at_its_next_step_when_cancelled_or_too_long():
    import threading

    from bondkit.app.jobs import Jobs

    jobs, started, go = Jobs(workers=1), threading.Event(), threading.Event()

    def work(job):
        for _ in range(5):
            started.set()
            go.wait(5)
            job.tick()
        return "all"

    user = "a" * 32
    job = jobs.start(user, "sweep", 5, 60, work)
    started.wait(5)
    assert not jobs.cancel("b" * 32, job.id)  # another user's
    assert jobs.cancel(user, job.id)
    go.set()
    jobs.wait(job.id, 10)
    assert job.state == "cancelled" and job.done == 0 and job.output is None
    slow = jobs.start(user, "sweep", 5, 0.0, work)  # no time at all
    jobs.wait(slow.id, 10)
    assert slow.state == "too_long"


# ---------------------------------------------------------------- the register


SECRET_SIN = "046 454 286"  # valid (check digit)
LIST = (
    "Nom complet;Courriel;NAS;Série;Montant;Date de souscription;Date de paiement\r\n"
    f"Zébulon Quartz;z@example.org;{SECRET_SIN};A;1 000,00 $;20/11/2016;25/11/2016\r\n"
    "Marc Roy;marc@example.org;;A;500;01/12/2016;\r\n"
)


def test_the_register_of_an_issue_imported_and_shown(tmp_path):
    c = client(tmp_path)
    where = open_example(c, "cinema-du-parc-2016", EN)
    page = c.get(f"{where}/register", headers=EN)
    assert "no register here yet" in page.text
    token = csrf(page.text)
    c.post(f"{where}/register/create", data={"csrf": token})
    bad = LIST + "Anne;;;B;700;35/12/2016;\r\n"
    r = c.post(f"{where}/register/import", data={"csrf": token}, headers=EN,
               files={"file": ("list.csv", bad.encode("utf-8-sig"), "text/csv")})  # fmt: skip
    assert r.status_code == 422 and "row 4" in r.text and "Anne" not in r.text
    assert "tmp" not in r.text and "--keep-good" not in r.text  # no file of bondkit's, no CLI
    good = c.post(f"{where}/register/import", data={"csrf": token}, headers=EN,
                  files={"file": ("list.csv", LIST.encode("utf-8-sig"), "text/csv")})  # fmt: skip
    assert good.status_code == 200 and "2 holdings added" in good.text
    again = c.post(f"{where}/register/import", data={"csrf": token}, headers=EN,
                   files={"file": ("list.csv", LIST.encode("utf-8-sig"), "text/csv")})  # fmt: skip
    assert "0 holdings added, 2 already in the register" in again.text
    view = c.get(f"{where}/register?as_of=2017-03-01&year=2017", headers=EN).text
    row = re.search(r'<tr><th scope="row">A</th>(.*?)</tr>', view).group(1)
    assert re.findall(r"<td>(.*?)</td>", row)[:3] == [
        "3",
        "200",
        "$1,500.00",
    ]  # bonds held of 500 $
    assert "Zébulon Quartz" in view and "Marc Roy" in view  # the keeper sees the names
    assert SECRET_SIN not in view and "046454286" not in view  # never the SIN
    assert "2022-02-01" in view  # the next payment run: the maturity of the accumulating bond
    assert not list((tmp_path / "data").rglob("*.csv"))  # the uploaded list is not kept
    other = client(tmp_path)
    other.get("/")
    assert other.get(f"{where}/register").status_code == 404


def test_from_a_blank_scenario_to_a_workbook_of_one_s_own_issue(tmp_path):
    """Someone who has never seen bondkit: blank scenario, their name and amount, run,
    the workbook."""
    c = client(tmp_path)
    home = c.get("/", headers=FR)
    form = c.post("/new", data={"csrf": csrf(home.text), "source": "blank"}, headers=FR)
    fields = form_fields(form.text)
    fields |= {"scenario.name": "Épicerie du quartier 2027", "issuer.name": "Épicerie du quartier",
               "series.0.amount": "60000", "action": "run"}  # fmt: skip
    r = c.post(str(form.url.path), data=fields, headers=FR, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/result")
    page = c.get(r.headers["location"], headers=FR)
    assert "Épicerie du quartier 2027" in page.text
    book = c.get(r.headers["location"].replace("/result", "/download/workbook"), headers=FR)
    wb = openpyxl.load_workbook(io.BytesIO(book.content))
    assert wb["Sommaire"]["A2"].value == "Épicerie du quartier 2027"


def test_a_run_over_the_server_s_time_limit_is_refused(tmp_path):
    c = client(tmp_path, max_seconds=0.001)
    where = open_example(c, "cinema-du-parc-2016", EN)
    r = c.get(f"{where}/result", headers=EN)
    assert r.status_code == 422 and "max-time" in r.text


# ---------------------------------------------------------------- odd input never breaks a page


def test_forged_field_names_and_numbers_are_problems_not_errors(tmp_path):
    import time

    c = client(tmp_path)
    where = open_example(c, "grand-costumier-2016", EN)
    fields = form_fields(c.get(where, headers=EN).text)
    token = fields["csrf"]
    for forged in ({"scenario.0.name": "X"}, {"series.id": "X"}, {"series.\u00b2.id": "X"},
                   {"series.99999999.id": "X"}, {"series..id": "X"}, {"issuer.name.x": "y"}):  # fmt: skip
        r = c.post(where, data={**fields, **forged, "action": "save"}, headers=EN)
        assert r.status_code in (200, 422), forged
        assert c.get(where, headers=EN).status_code == 200, forged
    t0 = time.perf_counter()
    odd = {
        "series.0.amount": "inf",
        "series.0.term_years": "1e1000000",
        "series.0.face_value": "sNaN",
    }
    r = c.post(where, data={**fields, **odd, "action": "run"}, headers=EN)
    assert time.perf_counter() - t0 < 10
    assert r.status_code == 422
    for name in odd:
        assert f'id="{name}-problem"' in r.text, name
    assert c.get(f"{where}/download/toml").status_code == 200
    fresh = open_example(c, "grand-costumier-2016", EN)  # the one above is now invalid
    many = c.post(f"{fresh}/sweep", headers=EN,
                  data={"csrf": token, "rates": "1e999999:1e999999:1", "terms": "3", "metric": "min_dscr"})  # fmt: skip
    assert many.status_code == 422 and 'id="rates-problem"' in many.text


def test_an_uploaded_file_of_another_shape_opens_with_its_problems(tmp_path):
    c = client(tmp_path)
    for text in (
        'scenario = "x"\n',
        "series = [1, 2]\n",
        '[series]\nid = "A"\n',
        '[[issuer]]\nname = "x"\n',
    ):
        home = c.get("/", headers=EN)
        r = c.post("/new", data={"csrf": csrf(home.text), "source": "upload"}, headers=EN,
                   files={"file": ("odd.toml", text.encode(), "text/plain")})  # fmt: skip
        assert r.status_code == 200, text  # the form, with the problems beside the fields
        assert 'class="problem"' in r.text


def test_the_register_page_takes_any_date_and_any_file(tmp_path):
    c = client(tmp_path)
    where = open_example(c, "cinema-du-parc-2016", EN)
    token = csrf(c.get(f"{where}/register", headers=EN).text)
    c.post(f"{where}/register/create", data={"csrf": token})
    for query in ("year=0", "year=99999", "year=%D9%A3", "as_of=9999-12-31", "as_of=0001-01-01"):
        assert c.get(f"{where}/register?{query}", headers=EN).status_code in (200, 422), query
    for name, content in (
        ("list.csv", b"\xff\xfe\x00bad"),
        ("list.xlsx", b"not a zip"),
        ("empty.csv", b""),
    ):
        r = c.post(f"{where}/register/import", data={"csrf": token}, headers=EN,
                   files={"file": (name, content, "text/csv")})  # fmt: skip
        assert r.status_code == 422, name
        assert "tmp" not in r.text and "Nothing was imported" in r.text


def test_charts_follow_the_scenario_and_sessions_survive_a_restart(tmp_path):
    c = client(tmp_path)
    where = open_example(c, "grand-costumier-2016", EN)
    before = c.get(f"{where}/chart/balance.svg", headers=EN).content
    fields = form_fields(c.get(where, headers=EN).text)
    fields |= {"series.0.amount": "40000", "action": "run"}
    assert c.post(where, data=fields, follow_redirects=False).status_code == 303
    assert c.get(f"{where}/chart/balance.svg", headers=EN).content != before
    assert c.head(where).status_code == 200
    again = TestClient(create_app(AppConfig(data=tmp_path / "data")), cookies=dict(c.cookies))
    assert again.get(where).status_code == 200  # the same browser, after a restart


def test_a_body_without_its_length_is_cut_at_the_limit_too(tmp_path):
    c = client(tmp_path, max_upload=10_000)
    token = csrf(c.get("/").text)

    def chunks():  # no Content-Length: the body is counted as it comes
        yield f"csrf={token}&source=upload&x=".encode()
        for _ in range(30):
            yield b"y" * 1_000

    r = c.post(
        "/new", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert r.status_code == 413
    assert not list((tmp_path / "data").rglob("*.toml"))
