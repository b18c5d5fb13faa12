"""The scenario workbook: a summary sheet, then one sheet per booklet of the TIESS guide.

:func:`write_workbook` writes, with XlsxWriter, ten sheets in the scenario's language
(names in :data:`bondkit.labels.SHEETS`): Summary, B1 Overview, B2 Readiness, B3.1
Planning, B3.2 Design, B3.3 Issue, B3.4 Management, B3.5 Renewal-repayment, B4 Case
studies, B5 Glossary. Sheets whose content comes in a later version say so and show the
scenario inputs that concern them.

With a subscription campaign (``result.campaign``), B3.3 holds the campaign: its terms
(with the number of simulated campaigns and the seed), the funnel, the expected path by
week, the simulated distribution of outcomes, the allocation of the median campaign, the
costs, the median campaign beside the planned issue, the rule findings and the two
campaign charts; B2 (and the Summary) hold the community-capacity rows of the readiness
grid, each with its value, its threshold (:data:`READINESS_THRESHOLDS`) and a status shown
as a word and a colour.

With a capacity analysis (``result.capacity``), B3.4 gains a block after the debt service
by fiscal year: coverage by fiscal year (with the coverage chart), the maturity-year test,
the sinking fund and the reserve when set, the largest issue the cash flow can carry.
With a risk analysis (``result.risk``), B3.5 gains the maturity wall, every renewal and
redemption assumption (with the number of simulated paths and the seed), the shortfall
and the recommended reserve, the principal paid out by fiscal year and the fan chart.
Either one adds the financial-capacity rows to B2 and the Summary (lowest coverage,
coverage of each maturity year, chance of a shortfall, reserve covered), and key figures
to the Summary.

Layout: every sheet starts with its title (row 1) and the scenario name (row 2), both
kept visible by a frozen pane; sections follow, each a bold heading over a table or
key-value lines (label in column A, value in column B). Column widths come from the
content (long text wraps, with row heights set for it, since LibreOffice does not
re-fit them); every sheet prints one page wide, landscape when wide, with the sheet name
and page number in the footer. On B3.4 the schedule's header is frozen and repeated on
printed pages, the payment calendar is written in the schedule's own columns so that the
same header names it, and the debt service by fiscal year (pivoted by series) comes on a
page of its own, then the capacity block (two printed pages); its key-value labels run
over empty cells instead of widening the schedule's columns. On B1 and B3.2 the header of the long table at the bottom (what one
bond pays; the issuer's flows) is repeated on the printed pages that follow.

Modules, in sheet order: :mod:`~bondkit.report.workbook.summary` (Summary),
:mod:`~bondkit.report.workbook.b1_overview`, :mod:`~bondkit.report.workbook.b2_readiness`,
:mod:`~bondkit.report.workbook.b3_1_planning`, :mod:`~bondkit.report.workbook.b3_2_design`,
:mod:`~bondkit.report.workbook.b3_3_issue` (with the campaign),
:mod:`~bondkit.report.workbook.b3_4_management` (with capacity),
:mod:`~bondkit.report.workbook.b3_5_renewal` (with risk),
:mod:`~bondkit.report.workbook.b4_cases`, :mod:`~bondkit.report.workbook.b5_glossary`;
:mod:`~bondkit.report.workbook.book` writes them in that order and
:mod:`~bondkit.report.workbook.comparison` the comparison workbook. They share the sheet
kit (:mod:`~bondkit.report.workbook.kit`: layout, number formats, ``Sheet``, ``Book``),
the pieces of several booklets (:mod:`~bondkit.report.workbook.pieces`) and the schedule
as live formulas (:mod:`~bondkit.report.workbook.formulas`).

Rules these modules keep:

- every visible word comes from :mod:`bondkit.labels` or :mod:`bondkit.columns`;
- money is carried in cents and written as a number of currency units (cents / 100)
  with a currency format; rates with a percent format, dates as ``yyyy-mm-dd``;
- text a user typed (scenario, issuer, series names) is written with ``write_string``
  only, so a name starting with ``=`` stays text (and carries Excel's quote prefix);
- no finance here: figures come from the :class:`~bondkit.runner.Result` or from
  bondkit's public functions.
"""

from bondkit.report.workbook.book import write_workbook
from bondkit.report.workbook.comparison import (
    OPTION_SHEETS,
    option_tag,
    write_comparison_workbook,
)
from bondkit.report.workbook.kit import number_formats
from bondkit.runner.readiness import READINESS_THRESHOLDS, STATUSES, readiness_status

__all__ = [
    "write_workbook",
    "write_comparison_workbook",
    "option_tag",
    "OPTION_SHEETS",
    "number_formats",
    "READINESS_THRESHOLDS",
    "STATUSES",
    "readiness_status",
]
