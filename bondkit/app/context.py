"""What every page of the web face shares: how the app is served (:class:`AppConfig`), the
users' folders, the results already computed, the background jobs, and the few steps
every page takes (its language, its user, the template, the form's token).
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from bondkit.app.guard import csrf_ok, csrf_token, is_loopback
from bondkit.app.jobs import Jobs
from bondkit.app.store import ID, Store, new_id
from bondkit.errors import BondkitError, ScenarioError
from bondkit.labels import LANGUAGES, t

__all__ = ["AppConfig", "Site"]


@dataclass
class AppConfig:
    """How the app is served: ``host`` (``127.0.0.1`` unless told), ``data`` (the folder of
    the users' work), ``token`` (required beyond this machine), the largest request
    ``max_upload`` [bytes], the longest run or job ``max_seconds``, how many runs at once
    ``runs`` (the others wait), the most variants of a sweep ``max_variants``, the most
    jobs a user may have waiting or running ``jobs_per_user``, and the session cookie's
    ``secret`` (None: the data folder's own, kept there, so that a restart keeps
    everyone's sessions).

    >>> AppConfig(data=Path("x"), host="0.0.0.0")
    Traceback (most recent call last):
    ...
    ValueError: an app served beyond this machine needs a token
    """

    data: Path
    host: str = "127.0.0.1"
    token: str | None = None
    max_upload: int = 2_000_000
    max_seconds: float = 60.0
    runs: int = 2
    max_variants: int = 60
    jobs_per_user: int = 3
    secret: str | None = None

    def __post_init__(self) -> None:
        if not is_loopback(self.host) and not self.token:
            raise ValueError("an app served beyond this machine needs a token")


class _Results:
    """The last results computed, by user, scenario and text (a bounded cache)."""

    def __init__(self, size: int = 16) -> None:
        self.size, self.lock = size, threading.Lock()
        self.items: OrderedDict[tuple[str, ...], Any] = OrderedDict()

    def get(self, key: tuple[str, ...]) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: tuple[str, ...], value: Any) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)


class Site:
    """The app's shared state and the steps every page takes."""

    def __init__(self, config: AppConfig) -> None:
        from bondkit.scenario import list_examples

        self.config = config
        self.store = Store(config.data)
        self.results = _Results()
        self.slots = asyncio.Semaphore(config.runs)
        self.jobs = Jobs(workers=config.runs)
        self.templates = Jinja2Templates(directory=str(files("bondkit.app").joinpath("templates")))
        self.examples = list_examples()

    def lang(self, request: Request) -> str:
        """The page's language: the one chosen, else the browser's first of French and
        English, else French (French first)."""
        chosen = request.session.get("lang")
        if chosen in LANGUAGES:
            return chosen
        for part in request.headers.get("accept-language", "").split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in LANGUAGES:
                return code
        return "fr"

    def user(self, request: Request) -> str:
        """The session's user id (made on the first visit)."""
        user = request.session.get("user")
        if not isinstance(user, str) or not ID.fullmatch(user):
            user = new_id()
            request.session["user"] = user
        return user

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        """A page in the request's language: every word through ``t``."""
        lang = self.lang(request)
        context |= {
            "lang": lang,
            "t": lambda key, **kw: t(key, lang).format(**kw) if kw else t(key, lang),
            "csrf": csrf_token(request.session),
            "other": "en" if lang == "fr" else "fr",
            "path": request.url.path,
        }
        return self.templates.TemplateResponse(request, template, context, status_code=status)

    async def posted(self, request: Request) -> Any:
        """The posted form, or None when it does not carry the session's token."""
        limit = self.config.max_upload
        form = await request.form(max_files=1, max_fields=10_000, max_part_size=limit)
        if not csrf_ok(request.session, form.get("csrf")):
            return None
        return form

    def refused(self, request: Request) -> Response:
        return self.page(request, "error.html", 403, message=t("app.err.csrf", self.lang(request)))

    def not_found(self, request: Request) -> Response:
        message = t("app.err.not_found", self.lang(request))
        return self.page(request, "error.html", 404, message=message)

    def text(self, request: Request, sid: str) -> str | None:
        """The TOML of the user's scenario ``sid`` (None: the user has no such scenario)."""
        try:
            return self.store.text(self.user(request), sid)
        except KeyError:
            return None

    async def result(self, request: Request, sid: str) -> Any:
        """The run of the user's scenario ``sid`` (computed once per text), or the
        response to send instead (not found, back to the form, a run refused)."""
        text = self.text(request, sid)
        if text is None:
            return self.not_found(request)
        key = (self.user(request), sid, hashlib.sha256(text.encode()).hexdigest())
        res = self.results.get(key)
        if res is None:
            from bondkit.runner import run
            from bondkit.scenario import parse_scenario

            try:
                scenario = parse_scenario(text, source="scenario")
            except ScenarioError:
                return RedirectResponse(f"/s/{sid}", status_code=303)
            async with self.slots:
                try:
                    limit = self.config.max_seconds
                    res = await asyncio.to_thread(run, scenario, max_time=limit)
                except BondkitError as err:
                    message = err.render(self.lang(request))
                    return self.page(request, "error.html", 422, message=message)
            self.results.put(key, res)
        return res
