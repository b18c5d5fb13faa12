"""The web face in a real headless browser (issue #17): Debian's Chromium driven by
Selenium through Debian's chromedriver, nothing downloaded at test time.

A person opens the French co-op example, makes a mistake and reads the message beside
the field, fixes it, runs, reads the four answers, downloads the workbook (opened here
with openpyxl), and compares two options. Each page is saved as a screenshot in both
languages (``BONDKIT_SCREENSHOTS=DIR`` keeps them; else a temporary folder).

Without Chromium, chromedriver or Selenium the test skips, saying why (``-ra`` lists it);
under ``BONDKIT_REQUIRE_BROWSER=1`` (set by ``.ci/run``) it fails instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import openpyxl
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser_tools():
    why = None
    try:
        import selenium  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as err:
        why = f"the browser test needs selenium and uvicorn ({err})"
    if why is None and (CHROMIUM is None or DRIVER is None):
        why = "the browser test needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)"
    if why is not None:
        if os.environ.get("BONDKIT_REQUIRE_BROWSER") == "1":
            pytest.fail(why + " (BONDKIT_REQUIRE_BROWSER=1)")
        pytest.skip(why)


@pytest.fixture(scope="module")
def server(browser_tools, tmp_path_factory):
    """The app on a free port of 127.0.0.1, in a thread of this process."""
    import uvicorn

    from bondkit.app.context import AppConfig
    from bondkit.app.web import create_app

    data = tmp_path_factory.mktemp("app-data")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(AppConfig(data=data)), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False)  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    keep = os.environ.get("BONDKIT_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _driver(downloads: Path, lang: str, width: int = 1280):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", f"--window-size={width},1000",
                f"--lang={lang}"):  # fmt: skip
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "intl.accept_languages": lang,
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
    })  # fmt: skip
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})  # fmt: skip
    return driver


def _shot(driver, folder: Path, name: str) -> None:
    """The page as a PNG: the whole page (the window as tall as the page, which loads
    every chart) when ``BONDKIT_SCREENSHOTS`` asks to keep them, else what the window
    shows (the suite stays quick)."""
    if not os.environ.get("BONDKIT_SCREENSHOTS"):
        driver.save_screenshot(str(folder / f"{name}.png"))
        return
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.execute_script("return window.innerWidth")
    driver.set_window_size(max(width, 360), min(height + 120, 8000))
    driver.save_screenshot(str(folder / f"{name}.png"))


def _wait_for(driver, css: str, seconds: float = 60) -> list:
    """The elements matching ``css`` once the page shows them (a click that posts a form
    returns before the next page is there)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
    return driver.find_elements(By.CSS_SELECTOR, css)


def _downloaded(folder: Path, suffix: str, seconds: float = 60) -> Path:
    for _ in range(int(seconds * 10)):
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} downloaded in {folder}")


def test_a_person_fills_runs_downloads_and_compares_in_french(server, shots, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    d = _driver(downloads, "fr")
    try:
        d.get(server + "/")
        assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        _shot(d, shots, "1-accueil-fr")
        Select(d.find_element(By.ID, "example")).select_by_value("example:cinema-du-parc-2016")
        d.find_element(By.CSS_SELECTOR, "#example ~ button").click()
        _wait_for(d, "form.scenario")
        _shot(d, shots, "2-formulaire-fr")
        # a mistake: a decimal comma; its message is beside its field, in French
        rate = d.find_element(By.ID, "series.0.annual_rate")
        rate.clear()
        rate.send_keys("0,04")
        d.find_element(By.CSS_SELECTOR, "button[value=run]").click()
        problem = _wait_for(d, "[id='series.0.annual_rate-problem']")[0]
        assert "virgule" in problem.text and "0.04" in problem.text
        field = d.find_element(By.ID, "series.0.annual_rate")
        assert field.get_attribute("aria-invalid") == "true"
        assert "series.0.annual_rate-problem" in field.get_attribute("aria-describedby")
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
        d.save_screenshot(str(shots / "3-erreur-fr.png"))
        # fixed, with the keyboard only, and run
        field.clear()
        field.send_keys("0.04")
        d.find_element(By.CSS_SELECTOR, "button[value=run]").click()
        questions = [h.text for h in _wait_for(d, ".answer h3")]
        assert questions == ["Pouvons-nous réunir la somme ?", "En avons-nous les moyens ?",
                             "Combien cela coûte-t-il ?", "Qu'est-ce qui pourrait mal tourner ?"]  # fmt: skip
        assert all(s.text for s in d.find_elements(By.CSS_SELECTOR, ".answer .status"))
        _shot(d, shots, "4-resultat-fr")
        d.find_element(By.CSS_SELECTOR, "a[href$='/download/workbook']").click()
        book = openpyxl.load_workbook(_downloaded(downloads, ".xlsx"))
        assert book.sheetnames[0] == "Sommaire"
        assert book["L3.2 Conception"] is not None
        # the same page in English
        d.find_element(By.CSS_SELECTOR, "a.lang").click()
        _wait_for(d, "html[lang=en] .answer h3")
        assert d.find_element(By.CSS_SELECTOR, ".answer h3").text == "Can we raise it?"
        _shot(d, shots, "4-result-en")
        d.find_element(By.CSS_SELECTOR, "a.lang").click()
        _wait_for(d, "html[lang=fr]")
        # a second option, then both side by side
        d.get(server + "/")
        Select(d.find_element(By.ID, "example")).select_by_value("example:grand-costumier-2016")
        d.find_element(By.CSS_SELECTOR, "#example ~ button").click()
        _wait_for(d, "form.scenario")
        d.get(server + "/compare")
        for box in d.find_elements(By.CSS_SELECTOR, "input[name=option]")[:2]:
            box.click()
        _shot(d, shots, "5-comparer-fr")
        d.find_element(By.CSS_SELECTOR, "form[action='/compare'] button").click()
        _wait_for(d, "table.figures", 120)
        head = [th.text for th in d.find_elements(By.CSS_SELECTOR, "table.figures thead th")]
        assert head[0] == "Chiffre" and set(head[1:]) == {
            "Cinéma du Parc 2016",
            "Le Grand Costumier 2016",
        }
        _shot(d, shots, "6-comparaison-fr")
    finally:
        d.quit()


def test_pages_at_phone_width_have_no_sideways_scroll(server, shots, tmp_path):
    from selenium.webdriver.common.by import By

    d = _driver(tmp_path, "en", width=390)
    try:
        d.get(server + "/")
        d.find_element(By.CSS_SELECTOR, "#example ~ button").click()
        _wait_for(d, "form.scenario")
        d.get(d.current_url + "/result")
        assert d.find_elements(By.CSS_SELECTOR, ".answer h3")
        wide = d.execute_script("return document.documentElement.scrollWidth")
        assert wide <= d.execute_script("return window.innerWidth")
        d.save_screenshot(str(shots / "7-result-phone-en.png"))
    finally:
        d.quit()
