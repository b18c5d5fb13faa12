"""The bounds and patterns of a scenario file: the languages and legal forms, the shape of
an id, a currency code or a date, and the limits that keep every accepted file computable
(money in int64 cents, campaign simulations in memory, plans a board reads), with the two
functions that test the bound on debt."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from bondkit.errors import Message

__all__ = [
    "LANGUAGES",
    "LEGAL_FORMS",
    "AMORTISING",
    "MAX_CAMPAIGN_DAYS",
    "MAX_SIMULATED_SUBSCRIBERS",
    "ID_PATTERN",
    "CURRENCY_PATTERN",
    "ISO_DATE_PATTERN",
    "SHARES_TOLERANCE",
    "BARE_KEY_PATTERN",
    "LABEL_KEY",
    "MAX_AMOUNT",
    "MAX_AMOUNT_TEXT",
    "MAX_DEBT",
    "MAX_DEBT_TEXT",
    "MAX_TERM_YEARS",
    "RATE_DECIMALS",
    "FIRST_DATE",
    "LAST_DATE",
    "MAX_PEOPLE",
    "MAX_MATCH_RATIO",
    "MATCH_RATIO_DECIMALS",
    "MAX_RESERVE_MONTHS",
    "MIN_PATHS",
    "MAX_PATHS",
    "MAX_COVERAGE_THRESHOLD",
    "MAX_PLANNING_ENTRIES",
    "MAX_ITEM_CHARS",
    "MAX_NAME_CHARS",
    "MAX_SEED",
    "MIN_COVERAGE_THRESHOLD",
    "MAX_STAFF_HOURS",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "MAX_PROBLEMS",
    "MAX_LISTED",
    "compound_log_growth",
    "debt_too_large",
]


LANGUAGES: tuple[str, ...] = ("fr", "en")
LEGAL_FORMS: tuple[str, ...] = ("npo", "coop", "other")
AMORTISING: tuple[str, ...] = ("level-payment", "level-principal")
#: campaign simulations are held in memory: bounds that keep them within a few hundred MB
MAX_CAMPAIGN_DAYS = 731
MAX_SIMULATED_SUBSCRIBERS = 20_000_000
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,16}")
CURRENCY_PATTERN = re.compile(r"[A-Z]{3}")
ISO_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
SHARES_TOLERANCE = Decimal("1e-9")  # series_shares must add up to 1 within this
BARE_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
LABEL_KEY = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")  # a key of bondkit.labels.LABELS

# ---- limits. Money is computed in int64 cents (and shown through float64), so every file
# accepted must keep every amount, balance and total far below 2**63 cents (9.2e16 in the
# currency) and below 2**53 cents (float64 then still holds every cent). The bounds below
# keep the largest possible debt of an issue (principal plus compound interest) at most
# MAX_DEBT, 1e15 cents: 9,000 times below int64, 9 times below 2**53.
MAX_AMOUNT = Decimal(10_000_000_000)  # any amount, and the series amounts together
MAX_AMOUNT_TEXT = Message("msg.max_amount")  # 10000000000, ten billion
MAX_DEBT = Decimal(10) ** 13  # the most compound interest may grow an issue or a loan to
MAX_DEBT_TEXT = Message("msg.max_debt")  # 10000000000000 (ten thousand billion)
MAX_TERM_YEARS = 100
# the schedule kernel holds each rate as an exact int64 ratio over 10**8 (schedule._rate_ratio)
RATE_DECIMALS = 8
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
MAX_PEOPLE = 10_000_000  # people of one campaign segment
# a match is computed as community cents x ratio numerator: <= 1e12 x 1e6, well within int64
MAX_MATCH_RATIO, MATCH_RATIO_DECIMALS = 100, 4
MAX_RESERVE_MONTHS = 36
MIN_PATHS, MAX_PATHS = 100, 1_000_000  # simulated paths of the risk model
# sizing divides the cash flow by the threshold: at 0.1, ten times 100 years of the largest
# cash flow (1e10) is 1e13, MAX_DEBT; below it a threshold of 1e-307 sized an infinite debt
MIN_COVERAGE_THRESHOLD, MAX_COVERAGE_THRESHOLD = Decimal("0.1"), 10
MAX_STAFF_HOURS = 1_000_000  # hours of a campaign's staff: 500 people for a year
#: the seed of numpy's generators, and a signed 64-bit integer in every output
MAX_SEED = 2**63 - 1


# ---- [planning]: the plan of the issue (booklet 3, step 1). Lists are short: a plan
# with more lines than this is not a plan a board reads; item text fits a cell.
MAX_PLANNING_ENTRIES = 50
MAX_ITEM_CHARS = 120
#: every other text (names, the jurisdiction): far more than a name takes, little enough
#: for a title cell and a message
MAX_NAME_CHARS = 200

# ---- the file itself, checked before its values: a scenario takes a few kilobytes and
# nests at most 4 levels ([[series]] > step_rates > { ... }); deeper files overflow the
# recursion of the TOML reader and the checks. (Python reads no decimal integer of more
# than sys.get_int_max_str_digits() digits, 4300 by default: a problem of its own.)
MAX_FILE_BYTES = 2_000_000
MAX_NESTING = 20
# ---- the problems of a file: listed up to MAX_PROBLEMS (then how many more), and names
# listed in a message (the segments a key may name...) up to MAX_LISTED
MAX_PROBLEMS = 100
MAX_LISTED = 10


def compound_log_growth(rate: Decimal, per_year: int, years: int) -> float:
    """The log of the most that compound interest at ``rate`` a year (or less), added to the
    balance ``per_year`` times a year, can multiply it by over ``years`` bond years.

    Period k multiplies the balance by 1 + rate_k x yf_k. A term of ``years`` bond years has
    at most per_year x (years + 1) periods whose year fractions add up to less than
    years + 1 (a year fraction is at most 366/365 of the actual time, plus a few days of
    business-day adjustment), and for a given sum the product is largest when the fractions
    are many and equal: so it is at most (1 + rate / per_year) ** (per_year x (years + 1)).

    >>> round(math.exp(compound_log_growth(Decimal("0.04"), 1, 5)), 6)  # 1.04 ** 6
    1.265319
    """
    return per_year * (years + 1) * math.log1p(float(rate) / per_year)


def debt_too_large(amount: Decimal, log_growth: float) -> bool:
    """Whether ``amount`` grown by exp(``log_growth``) could exceed MAX_DEBT.

    >>> debt_too_large(Decimal(100_000), 0.0), debt_too_large(MAX_DEBT, 0.01)
    (False, True)
    """
    return math.log(amount) + log_growth > math.log(MAX_DEBT)
