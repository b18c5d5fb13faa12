"""The web face's studies (issue #17): two to four options side by side, and a rate x term
sweep with its heat map. Both run as background jobs (:mod:`bondkit.app.jobs`): their
page shows the progress, refreshes itself (no script) and offers to cancel.

The work is the library's: :func:`bondkit.studies.comparison.compare` and
:func:`~bondkit.studies.comparison.write_comparison`, :func:`bondkit.studies.sweeps.sweep`
and :func:`~bondkit.studies.sweeps.write_sweep`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from bondkit.app.context import Site
from bondkit.app.jobs import Job
from bondkit.app.store import ID
from bondkit.errors import BondkitError, ScenarioError
from bondkit.labels import t

__all__ = ["study_routes", "SWEEP_METRICS", "MAX_OPTIONS"]

#: the figures a sweep's heat map may show, the first by default
SWEEP_METRICS = ("issuer_all_in_cost", "min_dscr", "total_interest", "p_minimum_reached",
                 "total_cost", "max_annual_debt_service")  # fmt: skip
#: the most options a comparison takes
MAX_OPTIONS = 4
#: what the grid's fields may hold: numbers of at most 12 characters, commas, colons
_PLAIN_VALUES = re.compile(r"\s*[0-9.]{1,12}\s*([,:]\s*[0-9.]{1,12}\s*)*")
_MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          ".csv": "text/csv", ".svg": "image/svg+xml", ".png": "image/png"}  # fmt: skip


def _files(folder: Path) -> dict[str, Path]:
    """The files a job wrote, by name (the only names its page serves)."""
    return {p.name: p for p in folder.rglob("*") if p.is_file() and ".bondkit" not in p.parts}


def _compare_work(texts: list[str], folder: Path, lang: str, limit: float):
    def work(job: Job) -> dict[str, Any]:
        from bondkit.runner import run
        from bondkit.scenario import parse_scenario
        from bondkit.studies.comparison import compare, option_names, write_comparison

        results = []
        for text in texts:
            results.append(run(parse_scenario(text, source="option"), max_time=limit))
            job.tick()
        names, seen = [], {}
        for name in option_names([r.scenario for r in results], [None] * len(results)):
            seen[name] = seen.get(name, 0) + 1
            names.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
        write_comparison(results, names, folder, lang)
        job.tick()
        currencies = [r.scenario.currency for r in results]
        return {"table": compare(results, names), "currencies": currencies, "files": _files(folder)}

    return work


def _sweep_work(scenario: Any, specs: list[Any], metric: str, folder: Path, lang: str,
                limit: float):  # fmt: skip
    def work(job: Job) -> dict[str, Any]:
        from bondkit.studies.sweeps import sweep, write_sweep

        table = sweep(scenario, specs, progress=job.tick, lang=lang, max_time=limit)
        write_sweep(table, folder, metric, lang, scenario.currency, scenario.seed)
        return {"table": table, "metric": metric, "currency": scenario.currency,
                "keys": [s.key for s in specs], "files": _files(folder)}  # fmt: skip

    return work


def study_routes(site: Site) -> list[Route]:
    """The routes of the comparison, the sweep and their jobs.

    >>> import tempfile
    >>> from bondkit.app.context import AppConfig
    >>> [r.path for r in study_routes(Site(AppConfig(data=Path(tempfile.mkdtemp()))))][:2]
    ['/compare', '/s/{sid:str}/sweep']
    """
    config = site.config

    def job_folder(request: Request, kind: str) -> Path:
        from bondkit.app.store import new_id

        folder = site.store.folder(site.user(request)) / "jobs" / f"{kind}-{new_id()}"
        folder.mkdir(parents=True, mode=0o700)
        return folder

    def too_many(request: Request) -> Response:
        message = t("app.err.jobs", site.lang(request)).format(n=config.jobs_per_user)
        return site.page(request, "error.html", 429, message=message)

    async def compare_page(request: Request) -> Response:
        user = site.user(request)
        saved = site.store.list(user)
        if request.method != "POST":  # GET, and HEAD as GET
            return site.page(request, "compare.html", saved=saved, chosen=[])
        form = await site.posted(request)
        if form is None:
            return site.refused(request)
        lang = site.lang(request)
        chosen = [x for x in form.getlist("option") if isinstance(x, str) and ID.fullmatch(x)]
        texts = [site.text(request, sid) for sid in chosen]
        if not 2 <= len(chosen) <= MAX_OPTIONS or any(x is None for x in texts):
            problem = t("app.err.options", lang).format(most=MAX_OPTIONS)
            return site.page(request, "compare.html", 422, saved=saved, chosen=chosen,
                             problem=problem)  # fmt: skip
        if site.jobs.busy(user) >= config.jobs_per_user:
            return too_many(request)
        folder = job_folder(request, "compare")
        work = _compare_work(texts, folder, lang, config.max_seconds)
        job = site.jobs.start(user, "compare", len(texts) + 1, config.max_seconds, work)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    async def sweep_page(request: Request) -> Response:
        from bondkit.scenario import parse_scenario
        from bondkit.studies.sweeps import check_specs, grid, parse_vary

        sid = request.path_params["sid"]
        text = site.text(request, sid)
        if text is None:
            return site.not_found(request)
        try:
            scenario = parse_scenario(text, source="scenario")
        except ScenarioError:
            return RedirectResponse(f"/s/{sid}", status_code=303)
        lang = site.lang(request)
        values = {"rates": "0.03:0.06:0.005", "terms": "3,5,7", "metric": SWEEP_METRICS[0]}
        context = {"sid": sid, "name": scenario.name, "metrics": SWEEP_METRICS,
                   "problems": {}, "most": config.max_variants}  # fmt: skip
        if request.method != "POST":  # GET, and HEAD as GET
            return site.page(request, "sweep.html", values=values, **context)
        form = await site.posted(request)
        if form is None:
            return site.refused(request)
        values = {k: str(form.get(k, values[k])).strip()[:200] for k in values}
        problems, specs = {}, []
        for field in ("rates", "terms"):  # plain numbers only: no 1e999999 for the parser
            if not _PLAIN_VALUES.fullmatch(values[field]):
                problems[field] = t("app.err.sweep_values", lang)
        for field, key in (("rates", "annual_rate"), ("terms", "term_years")):
            if field in problems:
                continue
            try:
                specs.append(parse_vary(f"{key}={values[field]}", lang))
            except BondkitError as err:
                problems[field] = err.render(lang)
        if values["metric"] not in SWEEP_METRICS:
            values["metric"] = SWEEP_METRICS[0]
        if not problems:
            try:
                check_specs(scenario, specs, lang)
            except BondkitError as err:
                problems["rates"] = err.render(lang)
        if not problems and len(grid(specs)) > config.max_variants:
            problems["terms"] = t("app.err.variants", lang).format(
                n=len(grid(specs)), most=config.max_variants)  # fmt: skip
        if problems:
            context["problems"] = problems
            return site.page(request, "sweep.html", 422, values=values, **context)
        if site.jobs.busy(site.user(request)) >= config.jobs_per_user:
            return too_many(request)
        folder = job_folder(request, "sweep")
        work = _sweep_work(scenario, specs, values["metric"], folder, lang, config.max_seconds)
        job = site.jobs.start(site.user(request), "sweep", len(grid(specs)), config.max_seconds,
                              work)  # fmt: skip
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    async def job_page(request: Request) -> Response:
        job = site.jobs.get(site.user(request), request.path_params["jid"])
        if job is None:
            return site.not_found(request)
        lang = site.lang(request)
        context: dict[str, Any] = {"job": job}
        if job.state == "failed":
            err = job.error
            context["error"] = err.render(lang) if hasattr(err, "render") else str(err)
        if job.state == "done":
            context |= _outcome(job, lang)
        return site.page(request, "job.html", **context)

    async def cancel(request: Request) -> Response:
        form = await site.posted(request)
        if form is None:
            return site.refused(request)
        jid = request.path_params["jid"]
        if not site.jobs.cancel(site.user(request), jid):
            return site.not_found(request)
        return RedirectResponse(f"/jobs/{jid}", status_code=303)

    async def job_file(request: Request) -> Response:
        job = site.jobs.get(site.user(request), request.path_params["jid"])
        if job is None or job.state != "done":
            return site.not_found(request)
        path = job.output["files"].get(request.path_params["name"])
        if path is None:
            return site.not_found(request)
        inline = path.suffix == ".svg"
        return FileResponse(path, media_type=_MEDIA.get(path.suffix, "application/octet-stream"),
                            filename=None if inline else path.name)  # fmt: skip

    return [
        Route("/compare", compare_page, methods=["GET", "POST"]),
        Route("/s/{sid:str}/sweep", sweep_page, methods=["GET", "POST"]),
        Route("/jobs/{jid:str}", job_page),
        Route("/jobs/{jid:str}/cancel", cancel, methods=["POST"]),
        Route("/jobs/{jid:str}/file/{name:str}", job_file),
    ]


def _outcome(job: Job, lang: str) -> dict[str, Any]:
    """What a finished job's page shows: the table as text cells, its charts and files."""
    from bondkit.runner.figures import FIGURES
    from bondkit.studies.comparison import METRICS, metric_text

    out = job.output
    files = sorted(out["files"])
    charts = [n for n in files if n.endswith(".svg")]
    downloads = [n for n in files if n.endswith((".xlsx", ".csv"))]
    table = out["table"]
    if job.kind == "compare":
        names = list(table.index)
        rows = [(t(FIGURES[m].short, lang),
                 [metric_text(table.loc[n, m], m, lang, c) for n, c in zip(names, out["currencies"], strict=True)])
                for m in METRICS]  # fmt: skip
        head = [t("app.job.figure", lang), *names]
        return {"head": head, "rows": rows, "charts": charts, "downloads": downloads}
    from bondkit.studies.varied import varied_label, varied_value_text

    keys, metric, cur = out["keys"], out["metric"], out["currency"]
    head = [*(varied_label(k, lang) for k in keys), t(FIGURES[metric].short, lang)]
    rows = [(varied_value_text(keys[0], rec[keys[0]], lang, cur),
             [*(varied_value_text(k, rec[k], lang, cur) for k in keys[1:]),
              metric_text(rec[metric], metric, lang, cur)])
            for _i, rec in table.iterrows()]  # fmt: skip
    return {"head": head, "rows": rows, "charts": charts, "downloads": downloads}
