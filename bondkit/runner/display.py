"""A result's notebook display: the four questions answered first (each status as a word
on its colour), then its key figures, then the readiness grid. Built as XML elements, so all user text is escaped. Every word
comes from :mod:`bondkit.labels`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from bondkit.labels import check_language, money_text, number_text, percent_text, t
from bondkit.runner.answers import answers
from bondkit.runner.figures import key_figures
from bondkit.runner.readiness import STATUS_COLOURS, readiness_grid

if TYPE_CHECKING:
    from bondkit.runner.result import Result

__all__ = ["result_html", "value_text"]


def value_text(value: Any, kind: str, lang: str, currency: str, missing: str | None = None) -> str:
    """A figure's value as text in ``lang``: ``kind`` is one of
    :data:`bondkit.columns.KINDS`; money is in currency units (as the summary gives it).
    None is ``missing``, by default the words for "not applicable".

    >>> value_text(10408.08, "money", "fr", "CAD"), value_text(0.0297, "rate", "en", "CAD")
    ('10\\xa0408,08\\xa0$', '2.97%')
    >>> value_text(None, "ratio", "en", "CAD")
    'n/a'
    """
    if value is None:
        return t("not_applicable", lang) if missing is None else missing
    if kind == "money":
        return money_text(round(float(value) * 100), lang, currency)
    if kind == "rate":
        return percent_text(float(value), lang)  # the one rule: 2 decimals
    if kind == "ratio":
        return number_text(float(value), lang, 2)
    return str(value)


def _status_cell(line: ET.Element, status: str, lang: str) -> None:
    fill, ink = STATUS_COLOURS[status]
    look = ";".join((f"background:{fill}", f"color:{ink}", "font-weight:bold", "text-align:center"))
    ET.SubElement(line, "td", style=look).text = t(f"status.{status}", lang)


def result_html(result: Result, lang: str | None = None) -> str:
    """The notebook display of a result: the four questions answered (question, figure,
    status as a word on its colour, sentence), its key figures, then the readiness grid.
    Built as XML elements, so all text is escaped.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> page = result_html(run(sc), "en")
    >>> page.startswith("<div><h4>Le Grand Costumier 2016</h4><table>"), "Watch</td>" in page
    (True, True)
    >>> page.index("Can we raise it?") < page.index("Can we afford it?") < page.index("Total interest")
    True
    """
    lang = check_language(lang or result.scenario.language)
    currency = result.scenario.currency
    page = ET.Element("div")
    ET.SubElement(page, "h4").text = result.scenario.name
    first = ET.SubElement(page, "table")
    for a in answers(result, lang):
        line = ET.SubElement(first, "tr")
        ET.SubElement(line, "th", style="text-align:left").text = a.question
        ET.SubElement(line, "td", style="text-align:right").text = a.figure
        _status_cell(line, a.status, lang)
        ET.SubElement(line, "td", style="text-align:left").text = a.sentence
    ET.SubElement(page, "h4").text = t("sec.key_figures", lang)
    figures = ET.SubElement(page, "table")
    for _key, rec in key_figures(result, lang).iterrows():
        line = ET.SubElement(figures, "tr")
        ET.SubElement(line, "th", style="text-align:left").text = rec["label"]
        cell = ET.SubElement(line, "td", style="text-align:right")
        cell.text = value_text(rec["value"], rec["unit"], lang, currency)
    grid = readiness_grid(result, lang)
    if len(grid):
        ET.SubElement(page, "h4").text = t("sheet.b2", lang)
        table = ET.SubElement(page, "table")
        for rec in grid.itertuples(index=False):
            if rec.kind == "money":
                shown = value_text(rec.value / 100, "money", lang, currency)
            elif rec.kind in ("rate", "ratio"):
                shown = value_text(rec.value, rec.kind, lang, currency)
            else:
                shown = str(rec.value)
            line = ET.SubElement(table, "tr")
            ET.SubElement(line, "td", style="text-align:left").text = rec.criterion
            ET.SubElement(line, "td", style="text-align:right").text = shown
            _status_cell(line, rec.status, lang)
    return ET.tostring(page, encoding="unicode", method="html")
