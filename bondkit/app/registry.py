"""The register of holders in the web face (issue #17): read-only views of the issue's
register (outstanding by series, holders, the next payment run, the redemption requests
waiting, a year's tax slips) and imports of subscription lists with the same row-by-row
report as ``bondkit register import``.

Each user's register sits in their own folder, named by the scenario's id; it is created
from the scenario and changed only by an import (one transaction: all rows or none).
Holders' names are shown to the user who keeps the register, never their SIN; the
import's problems quote no personal value (the register's own rule).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bondkit.app.context import Site
from bondkit.errors import BondkitError, ScenarioError
from bondkit.labels import money_text, t

__all__ = ["register_routes", "SHOWN_ROWS"]

#: the rows of a long table (holders, a payment run) shown before "and N more"
SHOWN_ROWS = 100
#: the suffixes an uploaded list may have
LIST_SUFFIXES = (".csv", ".xlsx", ".txt")


#: the dates the register's views take: from 1900 to a century ahead
_EARLIEST, _LATEST = dt.date(1900, 1, 1), dt.date.today().replace(year=dt.date.today().year + 100)


def _as_of(text: str | None) -> dt.date:
    """The date a view is read on: the one asked, within the range it takes, else today.

    >>> _as_of("2017-06-01"), _as_of("9999-12-31") == _LATEST, _as_of("x") == dt.date.today()
    (datetime.date(2017, 6, 1), True, True)
    """
    try:
        day = dt.date.fromisoformat(str(text)) if text else dt.date.today()
    except ValueError:
        return dt.date.today()
    return min(max(day, _EARLIEST), _LATEST)


def _year(text: str | None, as_of: dt.date) -> int:
    """The tax year asked (ASCII digits, within the dates taken), else the one before
    ``as_of``'s.

    >>> _year("2017", dt.date(2020, 1, 1)), _year("٣", dt.date(2020, 1, 1)), _year("99999", dt.date(2020, 1, 1))
    (2017, 2019, 2019)
    """
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and _EARLIEST.year <= int(text) <= _LATEST.year - 1:
        return int(text)
    return as_of.year - 1


def _view(reg: Any, as_of: dt.date, year: int, lang: str) -> dict[str, Any]:
    """What the register page shows on ``as_of``, money as text in ``lang``."""
    ov = reg.overview(as_of)
    cur = ov["currency"]

    def money(cents: Any) -> str:
        return money_text(int(cents), lang, cur)

    series = [(s["series_id"], s["bonds_held"], s["bonds"], money(s["principal_cents"]),
               money(s["interest_cents"]), s["holders"], s["maturity"]) for s in ov["series"]]  # fmt: skip
    holdings = reg.holdings()
    held = holdings.groupby("holder_id").agg(
        bonds=("bonds", "sum"), principal=("principal_cents", "sum")
    )
    holders = (
        reg.holders()
        .set_index("holder_id")
        .join(held, how="left")
        .fillna({"bonds": 0, "principal": 0})
    )
    people = [(int(i), str(h["name"]), t(f"app.reg.kind.{h['kind']}", lang), int(h["bonds"]),
               money(h["principal"])) for i, h in holders.head(SHOWN_ROWS).iterrows()]  # fmt: skip
    run_rows, run_date, run_total = [], None, 0
    if ov["next_payments"]:
        run_date = min(p["date"] for p in ov["next_payments"])
        run = reg.payment_run(run_date)
        run_total = int(run["total_cents"].sum()) if len(run) else 0
        run_rows = [(str(r["name"]), r["series_id"], int(r["bonds"]), money(r["interest_cents"]),
                     money(r["principal_cents"]), money(r["total_cents"]))
                    for _i, r in run.head(SHOWN_ROWS).iterrows()]  # fmt: skip
    queue = reg.redemption_queue(as_of)
    names = reg.holders().set_index("holder_id")["name"]
    waiting = [(str(r["asked_on"])[:10], str(r["due_on"])[:10], str(names.get(r["holder_id"], "")),
                r["series_id"], int(r["bonds"]), money(r["total_cents"]))
               for _i, r in queue.iterrows()]  # fmt: skip
    tax = reg.tax_year(year)
    by = tax.by_holder
    slips = {
        "year": year,
        "recipients": int((by["reportable_cents"] > 0).sum()) if len(by) else 0,
        "t5": int(by["issued_t5"].sum()) if len(by) else 0,
        "rl3": int(by["issued_rl3"].sum()) if len(by) else 0,
        "reportable": money(by["reportable_cents"].sum() if len(by) else 0),
        "missing_sin": int(by["missing_sin"].sum()) if len(by) else 0,
        "deadline": str(tax.deadline),
        "warnings": [w.render(lang) for w in tax.warnings],
    }
    return {
        "overview": ov,
        "series_rows": series,
        "holders": people,
        "more_holders": max(len(holders) - SHOWN_ROWS, 0),
        "run_date": run_date,
        "run_rows": run_rows,
        "run_total": money(run_total),
        "waiting": waiting,
        "slips": slips,
    }


def _read(path: Path, as_of: dt.date, year: int, lang: str) -> dict[str, Any]:
    """The register at ``path`` viewed (:func:`_view`), opened and closed here."""
    from bondkit.register import Register

    reg = Register(path)
    try:
        return _view(reg, as_of, year, lang)
    finally:
        reg.close()


def _import(path: Path, listed: str, reason: str, by: str) -> Any:
    """Import the list ``listed`` into the register at ``path`` (opened and closed here)."""
    from bondkit.register import Register

    reg = Register(path)
    try:
        return reg.import_file(listed, reason=reason, by=by)
    finally:
        reg.close()


def register_routes(site: Site) -> list[Route]:
    """The routes of the register pages.

    >>> import tempfile
    >>> from bondkit.app.context import AppConfig
    >>> [r.path for r in register_routes(Site(AppConfig(data=Path(tempfile.mkdtemp()))))]
    ['/s/{sid:str}/register', '/s/{sid:str}/register/create', '/s/{sid:str}/register/import']
    """

    def path_of(request: Request, sid: str) -> Path:
        return site.store.folder(site.user(request)) / "registers" / f"{sid}.db"

    async def show(request: Request) -> Response:
        sid = request.path_params["sid"]
        text = site.text(request, sid)
        if text is None:
            return site.not_found(request)
        path, lang = path_of(request, sid), site.lang(request)
        as_of = _as_of(request.query_params.get("as_of"))
        year = _year(request.query_params.get("year"), as_of)
        context = {"sid": sid, "as_of": as_of.isoformat(), "exists": path.exists()}
        if path.exists():
            try:  # opened, read and closed in one thread (SQLite's rule)
                context |= await asyncio.to_thread(_read, path, as_of, year, lang)
            except BondkitError as err:  # a date the register cannot read the year of
                return site.page(request, "error.html", 422, message=err.render(lang))
        return site.page(request, "register.html", **context)

    async def create(request: Request) -> Response:
        from bondkit.register import Register
        from bondkit.scenario import parse_scenario

        form = await site.posted(request)
        if form is None:
            return site.refused(request)
        sid = request.path_params["sid"]
        text = site.text(request, sid)
        if text is None:
            return site.not_found(request)
        path = path_of(request, sid)
        if not path.exists():
            try:
                scenario = parse_scenario(text, source="scenario")
            except ScenarioError:
                return RedirectResponse(f"/s/{sid}", status_code=303)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            Register.create(path, scenario, by=t("app.reg.by", site.lang(request))).close()
        return RedirectResponse(f"/s/{sid}/register", status_code=303)

    async def import_list(request: Request) -> Response:
        form = await site.posted(request)
        if form is None:
            return site.refused(request)
        sid = request.path_params["sid"]
        path, lang = path_of(request, sid), site.lang(request)
        if site.text(request, sid) is None or not path.exists():
            return site.not_found(request)
        upload = form.get("file")
        if not hasattr(upload, "read"):
            return site.page(request, "error.html", 400, message=t("app.reg.no_file", lang))
        suffix = Path(str(upload.filename or "")).suffix.lower()
        suffix = suffix if suffix in LIST_SUFFIXES else ".csv"
        raw = await upload.read()
        by = t("app.reg.by", lang)
        # the list goes to a file of bondkit's naming in the user's folder, then is removed
        fd, tmp = tempfile.mkstemp(suffix=suffix, dir=path.parent)
        context: dict[str, Any] = {"sid": sid}
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(raw)
            reason = t("app.reg.reason", lang)
            # one transaction, in a thread of its own: the other pages go on meanwhile
            context["report"] = await asyncio.to_thread(_import, path, tmp, reason, by)
        except BondkitError as err:
            # the problems by row; the line that names the file bondkit wrote, and the
            # command line's advice, are for the terminal
            name, shown = Path(tmp).name, Path(str(upload.filename or "list")).name
            lines = [x.replace(name, shown) for x in err.render(lang).splitlines()]
            context["problems"] = [x for x in lines if "--keep-good" not in x] or lines
        finally:
            Path(tmp).unlink(missing_ok=True)
        status = 422 if "problems" in context else 200
        return site.page(request, "register_import.html", status, **context)

    return [
        Route("/s/{sid:str}/register", show),
        Route("/s/{sid:str}/register/create", create, methods=["POST"]),
        Route("/s/{sid:str}/register/import", import_list, methods=["POST"]),
    ]
