"""The web face's pages (issue #17): start from an example, a blank scenario or a file;
fill the scenario in a form generated from the file format; run it and read the four
answers first, then the key figures, the charts, the schedule and the readiness grid;
download the workbook, the summary, the charts, the TOML and the investor kit.

Nothing is computed here that the library does not compute: the pages call
:func:`bondkit.runner.run` and the report writers. Server-rendered with Jinja2 templates
and no script (the pages work with the keyboard and at phone width); see
docs/app.md for why.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import shutil
import zipfile
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bondkit.app.context import AppConfig, Site
from bondkit.app.form import by_field, check_form, field_names, form_groups
from bondkit.app.guard import BodyLimit, Headers, Shield, TokenGate, is_loopback
from bondkit.app.registry import register_routes
from bondkit.app.store import scenario_toml
from bondkit.app.studies import study_routes
from bondkit.errors import ScenarioError
from bondkit.labels import LANGUAGES, t

__all__ = ["AppConfig", "create_app", "plain_text", "group_title"]

#: the charts a result page shows, by the name of their file
CHART_NAMES = ("debt-service", "balance", "campaign", "raised", "coverage", "redemptions")
#: the schedule rows a result page shows before "download the workbook for the rest"
SCHEDULE_ROWS = 60


def create_app(config: AppConfig) -> Starlette:
    """The web face as an ASGI application (serve it with uvicorn: ``bondkit app``).

    >>> import tempfile
    >>> app = create_app(AppConfig(data=Path(tempfile.mkdtemp())))
    >>> [r.path for r in app.routes if hasattr(r, "methods")][:4]
    ['/', '/new', '/s/{sid:str}', '/s/{sid:str}/result']
    """
    site = Site(config)
    site.templates.env.filters["plain"] = plain_text
    site.templates.env.filters["title_of"] = group_title
    store, page, posted = site.store, site.page, site.posted
    refused, not_found, examples = site.refused, site.not_found, site.examples
    _lang, _user = site.lang, site.user

    # -- pages ------------------------------------------------------------------
    async def home(request: Request) -> Response:
        user = _user(request)
        return page(request, "home.html", examples=examples, saved=store.list(user))

    async def new(request: Request) -> Response:
        form = await posted(request)
        if form is None:
            return refused(request)
        lang, user = _lang(request), _user(request)
        source = str(form.get("source", ""))
        if source == "blank":
            from bondkit.scenario import starter_text

            text = starter_text(lang)
        elif source.startswith("example:") and source[8:] in examples:
            from importlib.resources import files as data_files

            text = data_files("bondkit.examples").joinpath(f"{source[8:]}.toml").read_text("utf-8")
        elif source == "upload" and hasattr(form.get("file"), "read"):
            raw = await form["file"].read()
            try:
                text = raw.decode("utf-8-sig")
                from bondkit.scenario.load import read_toml

                read_toml(text, source="upload")
            except (UnicodeDecodeError, ScenarioError) as err:
                message = err.render(lang) if isinstance(err, ScenarioError) else str(err)
                return page(request, "home.html", 422, examples=examples,
                            saved=store.list(user), upload_problems=message.splitlines())  # fmt: skip
        else:
            return page(request, "error.html", 400, message=t("app.err.source", lang))
        sid = store.save(user, text)
        return RedirectResponse(f"/s/{sid}", status_code=303)

    def _data(text: str) -> dict[str, Any]:
        from bondkit.scenario.load import read_toml

        return read_toml(text, source="scenario")

    async def edit(request: Request) -> Response:
        sid, user = request.path_params["sid"], _user(request)
        try:
            text = store.text(user, sid)
        except KeyError:
            return not_found(request)
        lang = _lang(request)
        if request.method != "POST":  # GET, and HEAD as GET
            data = _data(text)
            groups = form_groups(data)
            problems = _problems_of(data, lang)
            _place(groups, problems)
            return page(request, "form.html", sid=sid, groups=groups,
                        top=problems.get("", []), saved=True)  # fmt: skip
        form = await posted(request)
        if form is None:
            return refused(request)
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        check = await asyncio.to_thread(check_form, fields, lang)
        store.save(user, scenario_toml(check.data), sid)
        if check.scenario is not None and form.get("action") == "run":
            return RedirectResponse(f"/s/{sid}/result", status_code=303)
        groups = form_groups(check.data)
        _keep_typed(groups, fields)
        _place(groups, check.problems)
        status = 422 if check.problems else 200
        return page(request, "form.html", status, sid=sid, groups=groups,
                    top=check.problems.get("", []), saved=not check.problems)  # fmt: skip

    async def result_of(request: Request) -> tuple[Any, str] | Response:
        sid = request.path_params["sid"]
        got = await site.result(request, sid)
        return got if isinstance(got, Response) else (got, sid)

    async def result(request: Request) -> Response:
        got = await result_of(request)
        if isinstance(got, Response):
            return got
        res, sid = got
        lang = _lang(request)
        return page(request, "result.html", sid=sid, **_result_context(res, lang))

    async def chart(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in CHART_NAMES:
            return not_found(request)
        got = await result_of(request)
        if isinstance(got, Response):
            return got
        res, sid = got
        lang = _lang(request)
        # named by the scenario's text: a chart of an earlier version is never shown
        version = hashlib.sha256((site.text(request, sid) or "").encode()).hexdigest()[:16]
        path = store.outputs(_user(request), sid) / f"{name}-{lang}-{version}.svg"
        if not path.exists():
            await asyncio.to_thread(_draw, res, name, lang, path)
        if not path.exists():
            return not_found(request)
        return FileResponse(path, media_type="image/svg+xml")

    async def download(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in DOWNLOADS:
            return not_found(request)
        sid, user = request.path_params["sid"], _user(request)
        if kind == "toml":
            try:
                text = store.text(user, sid)
            except KeyError:
                return not_found(request)
            name = _stem(_data(text)) + ".toml"
            return Response(text, media_type="application/toml",
                            headers=_attachment(name))  # fmt: skip
        got = await result_of(request)
        if isinstance(got, Response):
            return got
        res, sid = got
        lang = _lang(request)
        folder = store.outputs(user, sid)
        async with site.slots:
            path = await asyncio.to_thread(DOWNLOADS[kind], res, folder, lang)
        return FileResponse(path, filename=path.name, media_type=MEDIA[path.suffix])

    async def language(request: Request) -> Response:
        lang = request.path_params["lang"]
        if lang in LANGUAGES:
            request.session["lang"] = lang
        back = request.query_params.get("next", "/")
        if not back.startswith("/") or back.startswith("//"):
            back = "/"  # never away from the app
        return RedirectResponse(back, status_code=303)

    async def login(request: Request) -> Response:
        if request.method != "POST":  # GET, and HEAD as GET
            return page(request, "login.html")
        form = await posted(request)
        if form is None:
            return refused(request)
        given = str(form.get("token", ""))
        if config.token and secrets.compare_digest(given.encode(), config.token.encode()):
            request.session["auth"] = True
            return RedirectResponse("/", status_code=303)
        return page(request, "login.html", 401, wrong=True)

    routes = [
        Route("/", home),
        Route("/new", new, methods=["POST"]),
        Route("/s/{sid:str}", edit, methods=["GET", "POST"]),
        Route("/s/{sid:str}/result", result),
        Route("/s/{sid:str}/chart/{name:str}.svg", chart),
        Route("/s/{sid:str}/download/{kind:str}", download),
        Route("/lang/{lang:str}", language),
        Route("/login", login, methods=["GET", "POST"]),
        *study_routes(site),
        *register_routes(site),
        Mount("/static", StaticFiles(directory=str(files("bondkit.app").joinpath("static")))),
    ]
    middleware = [
        Middleware(Shield),
        Middleware(Headers),
        Middleware(BodyLimit, limit=config.max_upload),
        Middleware(
            SessionMiddleware,
            secret_key=config.secret or site.store.secret(),
            same_site="strict",
            session_cookie="bondkit",
            max_age=None,  # a browser session: the token is asked again after it
        ),  # fmt: skip
        Middleware(TokenGate, token=config.token),
    ]
    if is_loopback(config.host):  # a page of another site cannot reach it by a DNS name
        hosts = ["127.0.0.1", "localhost", "[::1]", "testserver"]
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=hosts))
    return Starlette(routes=routes, middleware=middleware)


# ---------------------------------------------------------------- helpers of the pages


def plain_text(markdown: str) -> str:
    """A reference cell without its Markdown: code marks and links removed.

    >>> plain_text("0 to 1; see [Limits](#limits), `0.04`")
    '0 to 1; see Limits, 0.04'
    """
    import re

    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown).replace("`", "")


def group_title(name: str, lang: str) -> str:
    """The legend of a table of the form: how the file writes it, its number when it
    repeats, and what it is.

    >>> group_title("campaign.segments.1", "en")
    '[[campaign.segments]] 2 – The groups of people who may subscribe.'
    >>> group_title("series.0", "fr").split(" – ")[0]
    '[[series]] 1'
    """
    from bondkit.data.scenario_keys import ROOT, key_entries, section_of

    parts = name.split(".")
    index = int(parts[-1]) + 1 if parts[-1].isdigit() else None
    table = ".".join(p for p in parts if not p.isdigit())
    parent, _, key = table.rpartition(".")
    section = ROOT if not parent else section_of(parent)
    meaning = plain_text(key_entries()[section][key].cell("meaning", lang))
    written = f"[[{table}]] {index}" if index is not None else f"[{table}]"
    return f"{written} – {meaning}"


def _problems_of(data: dict[str, Any], lang: str) -> dict[str, list[str]]:
    """The problems of stored data, by field (as :func:`check_form` places them)."""
    from bondkit.scenario import validate_data

    try:
        validate_data(data, source="scenario")
    except ScenarioError as err:
        return by_field(err.problems, field_names(form_groups(data)), lang)
    return {}


def _place(groups: list[Any], problems: dict[str, list[str]]) -> None:
    """Put each problem on its field or group."""
    for g in groups:
        g.problems = problems.get(g.name, [])
        for f in g.fields:
            f.problems = problems.get(f.name, [])
        _place(g.groups, problems)


def _keep_typed(groups: list[Any], fields: dict[str, str]) -> None:
    """Show what the person typed (``0,04`` stays ``0,04`` beside its message)."""
    for g in groups:
        if any(k.startswith(f"{g.name}.") and v.strip() for k, v in fields.items()):
            g.present = True
        for f in g.fields:
            if f.name in fields:
                f.value = fields[f.name]
        _keep_typed(g.groups, fields)


def _stem(data: dict[str, Any]) -> str:
    """A file name from the scenario's name (letters, digits and dashes only)."""
    import re
    import unicodedata

    name = str((data.get("scenario") or {}).get("name") or "scenario")
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60] or "scenario"


def _attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}


def _result_context(res: Any, lang: str) -> dict[str, Any]:
    from bondkit.columns import label
    from bondkit.runner.answers import answers
    from bondkit.runner.display import value_text
    from bondkit.runner.figures import key_figures
    from bondkit.runner.readiness import readiness_grid

    cur = res.scenario.currency
    figures = [(r["label"], value_text(r["value"], r["unit"], lang, cur))
               for _k, r in key_figures(res, lang).iterrows()]  # fmt: skip
    rows = [(r["criterion"], _grid_value(r, lang, cur), r["threshold"], r["status"])
            for _k, r in readiness_grid(res, lang).iterrows()]  # fmt: skip
    money = ["opening_balance", "interest", "principal", "payment", "closing_balance"]
    sched = res.schedule.head(SCHEDULE_ROWS)
    columns = ["series", "date", *money]
    schedule = [[str(r["series"]), str(r["date"])[:10],
                 *[value_text(r[c] / 100, "money", lang, cur) for c in money]]
                for _k, r in sched.iterrows()]  # fmt: skip
    from bondkit.report.charts import result_charts

    charts = [n for n in result_charts(res) if n in CHART_NAMES]
    return {
        "name": res.scenario.name,
        "answers": answers(res, lang),
        "figures": figures,
        "grid": rows,
        "schedule_head": [label(c, lang) for c in columns],
        "schedule": schedule,
        "more_rows": max(len(res.schedule) - SCHEDULE_ROWS, 0),
        "charts": charts,
        "downloads": list(DOWNLOADS),
    }


def _grid_value(row: Any, lang: str, currency: str) -> str:
    """A readiness row's value as text (money in the grid is in cents)."""
    from bondkit.runner.display import value_text

    value, kind = row["value"], row["kind"]
    if kind == "text" or isinstance(value, str):
        return "" if value is None else str(value)
    return value_text(None if value is None else (value / 100 if kind == "money" else value),
                      kind, lang, currency)  # fmt: skip


def _draw(res: Any, name: str, lang: str, path: Path) -> None:
    from bondkit.report.chartkit import save_figure
    from bondkit.report.charts import result_charts

    draw = result_charts(res).get(name)
    if draw is not None:
        save_figure(path.with_suffix(".png"), lambda ax: draw(res, lang, ax=ax), ("svg",))


def _workbook(res: Any, folder: Path, lang: str) -> Path:
    from bondkit.report.writer import to_excel

    return to_excel(res, folder / f"{_stem(res.scenario.to_data())}-{lang}.xlsx", lang=lang)


def _summary(res: Any, folder: Path, lang: str) -> Path:
    from bondkit.report.writer import summary_json

    path = folder / f"{_stem(res.scenario.to_data())}-summary.json"
    path.write_text(summary_json(res), encoding="utf-8")
    return path


def _charts(res: Any, folder: Path, lang: str) -> Path:
    from bondkit.report.charts import save_charts

    stem = _stem(res.scenario.to_data())
    pictures = folder / f"charts-{lang}"
    shutil.rmtree(pictures, ignore_errors=True)  # only this version's charts in the zip
    save_charts(res, pictures, stem, lang=lang, jobs=1)
    path = folder / f"{stem}-charts-{lang}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(pictures.iterdir()):
            z.write(p, p.name)
    return path


def _kit(res: Any, folder: Path, lang: str) -> Path:
    from bondkit.report.investor_kit import kit_document

    path = folder / f"{_stem(res.scenario.to_data())}-kit-{lang}.docx"
    kit_document(res, lang).save(str(path))
    return path


#: what a result page offers to download, and how each file is made
DOWNLOADS = {"workbook": _workbook, "summary": _summary, "charts": _charts, "kit": _kit,
             "toml": None}  # fmt: skip
MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".zip": "application/zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
