"""The B5 Glossary sheet, last of the workbook: the glossary in both languages with its
definitions, bondkit's conventions (money, rounding, dates, interest, rates, fiscal years),
the seed, bondkit's version and the scenario file's SHA-256, then each series' day count,
frequency and business-day rule.
"""

from __future__ import annotations

from bondkit import __version__
from bondkit.labels import GLOSSARY, t
from bondkit.report.workbook.kit import (
    FIRST_ROW,
    LABEL_COL,
    VALUE_COL,
    Sheet,
    column_map,
    heading,
)
from bondkit.report.workbook.pieces import series_table

__all__ = ["write_glossary"]

#: the width (characters) at which a definition wraps
_DEFINITION_WIDTH = 72.0


def write_glossary(sheet: Sheet) -> None:
    """B5: the glossary (this language, the other, the definition), the conventions with
    the seed, version and input hash, then the series' conventions.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b5", "title.b5")
    >>> write_glossary(sheet)
    >>> sheet.ws.name, sheet.last_row > 40
    ('B5 Glossary', True)
    """
    res, lang = sheet.book.result, sheet.lang
    other = "en" if lang == "fr" else "fr"
    sc = res.scenario
    row = sheet.section(FIRST_ROW, "sec.glossary")
    here, there = f"col.lang_{lang}", f"col.lang_{other}"  # the term in each language
    keys = (here, there, "col.definition")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for entry in GLOSSARY:
        sheet.text(row, col[here], t(f"gloss.{entry}", lang), kind="bold")
        sheet.text(row, col[there], t(f"gloss.{entry}", other))
        # a definition of one or two sentences: a wide column keeps it to a few lines
        definition = t(f"glossdef.{entry}", lang)
        sheet.text(row, col["col.definition"], definition, max_width=_DEFINITION_WIDTH)
        row += 1

    row = sheet.section(row + 1, "sec.conventions")
    # key-value lines under a header: the item in LABEL_COL, its value in VALUE_COL
    row = sheet.header(row, LABEL_COL, [t("col.item", lang), t("col.value", lang)])
    for key, value in (
        ("conv.money", t("conv.money_value", lang).format(currency=sc.currency)),
        ("conv.rounding", t("conv.rounding_value", lang)),
        ("conv.dates", t("conv.dates_value", lang)),
        ("conv.interest", t("conv.interest_value", lang)),
        ("conv.rates", t("conv.rates_value", lang)),
        ("conv.fiscal", t("conv.fiscal_value", lang).format(fye=sc.issuer.fiscal_year_end)),
        ("conv.outstanding", t("conv.outstanding_value", lang)),
    ):
        sheet.kv(row, key)
        sheet.text(row, VALUE_COL, value)
        row += 1
    sheet.kv(row, "conv.seed")
    sheet.seed(row, VALUE_COL, int(sc.seed))
    sheet.kv(row + 1, "conv.version")
    sheet.text(row + 1, VALUE_COL, __version__)
    sheet.kv(row + 2, "conv.sha")
    sheet.text(row + 2, VALUE_COL, sc.input_sha256 or t("not_applicable", lang))
    row += 4
    keys = ("series", "col.day_count", "col.frequency", "col.business_day")
    own = {  # the conventions in words (B3.2 shows the day count's code)
        "col.day_count": lambda s, r, c, x: s.text(r, c, t(f"daycount.{x.day_count}", lang)),
        "col.business_day": (
            lambda s, r, c, x: s.text(r, c, t(f"businessday.{x.business_day}", lang))
        ),
    }
    series_table(sheet, row, keys, own)
