"""The web face under load (issue #17): the app served by uvicorn on 127.0.0.1 in a
process of its own, as ``bondkit app`` serves it.

- One person runs the default example: the time the result page takes (the answers,
  figures and schedule; the charts come after, each on its own request), beside
  ``bondkit.run`` of the same scenario in this process (the model alone). Target: under
  2 s of server time.
- Twenty people run at once, each their own copy of the example: every page must come
  back, none over 20 s (the app runs two at a time, the others wait their turn).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

PEOPLE = 20
EXAMPLE = "cinema-du-parc-2016"

_SERVE = """
import sys, uvicorn
from pathlib import Path
from bondkit.app.context import AppConfig
from bondkit.app.web import create_app
uvicorn.run(create_app(AppConfig(data=Path(sys.argv[1]))), host="127.0.0.1",
            port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _person(base: str):
    """A browser session with the example opened; (opener, its result page's address)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    opener.addheaders = [("accept-language", "fr")]
    home = opener.open(base + "/", timeout=120).read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', home).group(1)
    form = urllib.parse.urlencode({"csrf": token, "source": f"example:{EXAMPLE}"}).encode()
    try:
        opener.open(base + "/new", form, timeout=120)
        raise AssertionError("no redirect")
    except urllib.error.HTTPError as moved:  # 303 to the scenario
        where = moved.headers["location"]
    return opener, f"{base}{where}/result"


def _timed(opener, where: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    with opener.open(where, timeout=120) as r:
        r.read()
        status = r.status
    return time.perf_counter() - t0, status


def bench_app() -> list[str]:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return ["web face: skipped (pip install -e '.[app,test]')"]
    from bondkit import load_example, run

    t0 = time.perf_counter()
    run(load_example(EXAMPLE))
    model = time.perf_counter() - t0
    port = _port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen([sys.executable, "-c", _SERVE, data, str(port)],
                                  env={**os.environ, "MPLBACKEND": "Agg"})  # fmt: skip
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), 0.1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            c, where = _person(base)
            one, status = _timed(c, where)
            assert status == 200, status
            people = [_person(base) for _ in range(PEOPLE)]
            with ThreadPoolExecutor(PEOPLE) as pool:
                t0 = time.perf_counter()
                times = list(pool.map(lambda p: _timed(*p), people))
                wall = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(10)
    ok = sum(1 for _, s in times if s == 200)
    worst = max(t for t, _ in times)
    return [
        f"web face, one run of {EXAMPLE} (result page, server on 127.0.0.1): {one:6.2f} s"
        f"  (target < 2 s: {'met' if one < 2 else 'NOT met'})",
        f"  baseline: bondkit.run of the same scenario in this process:        {model:6.2f} s",
        f"web face, {PEOPLE} people running at once: {ok}/{PEOPLE} pages back, slowest {worst:5.1f} s,"
        f" all in {wall:5.1f} s  (target: all back, none over 20 s: "
        f"{'met' if ok == PEOPLE and worst <= 20 else 'NOT met'})",
    ]


if __name__ == "__main__":
    print("\n".join(bench_app()))
