"""Tax reporting rules for interest on community bonds, as data: one frozen
:class:`TaxRules` per country (issue #14, "Every February").

The register's tax engine (:mod:`bondkit.register.taxes`) reads these rules; the rules
hold no logic beyond small pure helpers (the period of a tax year, its filing deadline).
**Tax rules change and this is not tax advice**: each rule set names the year its rules
were read (``year``) and its sources, and an accountant confirms them before any slip is
filed. Values we could not confirm from a public source are listed in ``to_confirm``.

What is covered:

- **Canada** (``CA``, rules of 2025): the federal T5 (box 13, interest from Canadian
  sources) and the Québec RL-3 (box D), each slip type on its own threshold of 50 $ a
  recipient and calendar year (interest paid, interest credited, and the interest accrued
  on an investment contract under s. 12(4) of the Income Tax Act); the annual accrual to
  each anniversary day and to the day of disposition for accumulating series (none for
  corporations, which report accrued interest themselves under s. 12(3)); the deadline (the
  last day of February, moved to the next business day); electronic filing above 5 slips
  of a type; report codes O, A, C; the name fields of each form.
- **United Kingdom** (``GB``, rules of 2025): registered societies pay interest gross and
  return the payments above a threshold to each person within 3 months of the period end;
  the tax year runs from 6 April to 5 April.
- **United States** (``US``, rules of 2025): form 1099-INT, box 1, from 10 $ a recipient
  and calendar year, copies to recipients by January 31; accrual-style (accumulating)
  bonds are flagged for form 1099-OID, which is not computed.

Not covered: provinces other than Québec (the register keeps a country, not a province),
withholding on payments to non-residents (NR4, Part XIII; UK deduction), trusts, the
summary forms' other boxes, the XML files themselves (their layout is the slips'
writer's), foreign-currency interest.

>>> rules = rules_for("CA")
>>> [s.form for s in rules.slips], rules.year
(['T5', 'RL-3'], 2025)
>>> rules.due_date(2026)   # February 28 2027 is a Sunday
datetime.date(2027, 3, 1)
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

__all__ = [
    "NameRule",
    "SlipType",
    "TaxRules",
    "CANADA",
    "UNITED_KINGDOM",
    "UNITED_STATES",
    "RULES",
    "rules_for",
    "rules_for_jurisdiction",
    "next_business_day",
    "anniversary_day",
]

#: what an accountant is asked to do with every rule set (said in every output)
CONFIRM = "an accountant confirms these rules before anything is filed"


@dataclass(frozen=True)
class NameRule:
    """How a slip's recipient name is split and cut (the form's fields and their longest
    lengths, in characters): an individual's surname, given name and initial; an
    organisation's (or an estate's) name on ``entity_lines`` lines of ``entity_line``."""

    surname: int
    given: int
    initial: int
    entity_line: int
    entity_lines: int
    source: str

    def cut(self, surname: str, given: str = "") -> tuple[str, str, str]:
        """Surname, given name and initial cut to the form's lengths (the initial is the
        first letter of a second given name, if any).

        >>> CANADA.slips[0].names.cut("Tremblay-Gagnon de la Montagne", "Marie-Ève Josée")
        ('Tremblay-Gagnon de l', 'Marie-Ève', 'J')
        """
        parts = given.split()
        first = parts[0] if parts else ""
        initial = parts[1][: self.initial] if len(parts) > 1 else ""
        return surname.strip()[: self.surname], first[: self.given], initial


@dataclass(frozen=True)
class SlipType:
    """One slip (or return line) and when it is due to a recipient.

    ``key`` names the columns of the engine's per-holder table (``{key}_cents``,
    ``issued_{key}``); ``threshold_cents``: a slip is issued when the recipient's amount
    for the period is at least this; ``modes``: the holdings whose amounts count
    (``paid``: interest paid at least yearly; ``accumulating``: paid at maturity);
    ``electronic_above``: filing must be electronic above this many slips of the type;
    ``codes``: the form's report codes of an original, an amended and a cancelled slip;
    ``cancelled_amount``: what a cancelled slip states, the amounts as ``"filed"`` or
    ``"zero"`` (a corrected form with nothing on it).
    """

    key: str
    form: str
    box: str
    authority: str
    threshold_cents: int
    modes: tuple[str, ...] = ("paid", "accumulating")
    electronic_above: int | None = None
    names: NameRule | None = None
    codes: tuple[str, str, str] = ("O", "A", "C")
    cancelled_amount: str = "filed"
    source: str = ""

    def issued(self, cents: int) -> bool:
        """Whether an amount for the period gives a slip.

        >>> CANADA.slips[0].issued(4999), CANADA.slips[0].issued(5000)
        (False, True)
        """
        return cents >= self.threshold_cents


@dataclass(frozen=True)
class TaxRules:
    """The interest-reporting rules of one country, as read in ``year``.

    ``period_start`` (month, day) starts the tax year named by its calendar year;
    ``deadline`` is ``"last-day-of-february"`` (of the next year), ``"months-after-end"``
    (``deadline_months`` after the period's last day) or ``"fixed"`` (``deadline_day``,
    month and day, of the next year); ``next_business_day`` moves a deadline off a weekend;
    ``accrual`` names the annual accrual rule for accumulating series (None: interest is
    reported when paid or credited); ``accrual_corporations``: whether it applies to
    corporations; ``accrual_flag``: the form accumulating holdings are flagged for, when
    the engine does not compute it.
    """

    country: str
    name: str
    currency: str
    year: int
    slips: tuple[SlipType, ...]
    period_start: tuple[int, int] = (1, 1)
    deadline: str = "last-day-of-february"
    deadline_months: int = 0
    deadline_day: tuple[int, int] | None = None
    next_business_day: bool = True
    accrual: str | None = None
    accrual_corporations: bool = False
    accrual_flag: str | None = None
    report_codes: tuple[tuple[str, str], ...] = ()
    holidays: str = ""
    to_confirm: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    confirm: str = CONFIRM

    def slip(self, key: str) -> SlipType:
        """The slip type ``key``.

        >>> CANADA.slip("rl3").box
        'D'
        """
        return next(s for s in self.slips if s.key == key)

    def period(self, year: int) -> tuple[dt.date, dt.date]:
        """The first and last days of tax year ``year`` (the one that starts in ``year``).

        >>> CANADA.period(2026)
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        >>> UNITED_KINGDOM.period(2026)   # the 2026-27 tax year
        (datetime.date(2026, 4, 6), datetime.date(2027, 4, 5))
        """
        month, day = self.period_start
        start = dt.date(year, month, day)
        end = dt.date(year + 1, month, day) - dt.timedelta(days=1)
        return start, end

    def due_date(self, year: int) -> dt.date:
        """When the slips (or the return) of tax year ``year`` are due.

        >>> CANADA.due_date(2027), UNITED_KINGDOM.due_date(2026), UNITED_STATES.due_date(2026)
        (datetime.date(2028, 2, 29), datetime.date(2027, 7, 5), datetime.date(2027, 2, 1))
        """
        end = self.period(year)[1]
        if self.deadline == "last-day-of-february":
            due = dt.date(end.year + 1, 2, calendar.monthrange(end.year + 1, 2)[1])
        elif self.deadline == "months-after-end":
            due = _add_months(end, self.deadline_months)
        else:
            assert self.deadline_day is not None
            due = dt.date(end.year + 1, *self.deadline_day)
        return next_business_day(due) if self.next_business_day else due


def _add_months(d: dt.date, months: int) -> dt.date:
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def next_business_day(d: dt.date) -> dt.date:
    """``d``, or the Monday after it when it falls on a weekend (weekends only: see each
    rule set's ``holidays`` for why no holiday can fall on its deadlines).

    >>> next_business_day(dt.date(2027, 2, 28)), next_business_day(dt.date(2026, 2, 28))
    (datetime.date(2027, 3, 1), datetime.date(2026, 3, 2))
    """
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def anniversary_day(issue_date: dt.date, n: int) -> dt.date:
    """The ``n``-th anniversary day of an investment contract issued on ``issue_date``
    (Income Tax Act s. 12(11)): ``n`` years after the day before the issue date. A
    contract issued on January 1 has its anniversaries on December 31; one issued on
    October 29, on October 28; one issued on March 1 of a leap year, on February 28.

    >>> anniversary_day(dt.date(2021, 10, 29), 1), anniversary_day(dt.date(2026, 1, 1), 1)
    (datetime.date(2022, 10, 28), datetime.date(2026, 12, 31))
    """
    day_before = issue_date - dt.timedelta(days=1)
    return _add_months(day_before, 12 * n)


# ---------------------------------------------------------------- Canada (rules of 2025)

#: T5 recipient name: the CRA's T5 XML layout (T619 electronic filing, "RCPNT_NM"): surname
#: ``snm`` 20 characters, given name ``gvn_nm`` 12, initial ``init`` 1; a corporation,
#: trust or estate ("Estate of ...") in ``rcpnt_corp_nm``, two lines ``l1_nm``/``l2_nm`` of
#: 30. [CRA, "T5 Return of Investment Income: XML specifications", 2025; decided from
#: the published layout, to confirm when the CRA updates it]
T5_NAMES = NameRule(20, 12, 1, 30, 2, "CRA T5 XML specifications (T619), RCPNT_NM")
#: RL-3 recipient name (decided): Revenu Québec's RL slips layout gives a family name and
#: a first name of 30 characters each, one initial, and an organisation's name on two lines
#: of 30. [Revenu Québec, "RL-3 guide" (RL-3.G-V) and the RL XML specifications; to
#: confirm against the year's specifications]
RL3_NAMES = NameRule(30, 30, 1, 30, 2, "Revenu Québec RL-3 guide and RL XML specifications")

T5 = SlipType(
    key="t5",
    form="T5",
    box="13",
    authority="CRA",
    threshold_cents=5_000,
    electronic_above=5,
    names=T5_NAMES,
    # no slip below 50 $ paid or credited in the year, 12(4) accruals included; SIN in
    # box 22 (reasonable effort to obtain it); joint holders on one slip with both names
    source="canada.ca, T5 Return of Investment Income (T4015 guide); CRA Slips and summaries",
)
RL3 = SlipType(
    key="rl3",
    form="RL-3",
    box="D",
    authority="Revenu Québec",
    threshold_cents=5_000,
    electronic_above=5,
    names=RL3_NAMES,
    codes=("R", "A", "D"),  # "R" original, "A" modified, "D" cancelled (annulé)
    # required when interest of 50 $ or more is paid or credited, accrued interest on an
    # investment contract included; online filing above 5 slips; the XML needs Revenu
    # Québec's software certification
    source="revenuquebec.ca, Guide to Filing the RL-3 Slip (RL-3.G-V)",
)

CANADA = TaxRules(
    country="CA",
    name="Canada (federal T5, Québec RL-3)",
    currency="CAD",
    year=2025,
    slips=(T5, RL3),
    deadline="last-day-of-february",
    next_business_day=True,
    accrual="12(4)",
    accrual_corporations=False,
    report_codes=(("O", "original"), ("A", "amended"), ("C", "cancelled")),  # T5's; RL-3: R, A, D
    holidays=(
        "weekends only: no Canadian federal statutory holiday falls between the last day "
        "of February and the next Monday (Family Day, a provincial holiday, is the third "
        "Monday of February)"
    ),
    to_confirm=("RL-3 name lengths", "RL-3 report codes R, A, D"),
    sources=(
        "CRA, What is an investment contract (s. 12(4), anniversary day s. 12(11))",
        "CRA technical interpretation 2005-0122641E5 (issued October 29, disposed of April 7)",
        "CRA, Interest adjustments and penalties (no negative slip; s. 20(21) deduction)",
        "canada.ca, T5 Return of Investment Income; CRA Slips and summaries (due date, "
        "electronic filing above 5 slips, report codes O/A/C)",
        "CRA, T5 slip identification (joint holders, 'Estate of ...')",
        "revenuquebec.ca, RL-3 guide (box D, 50 $, online filing above 5 slips)",
    ),
)

# ---------------------------------------------------------------- United Kingdom (2025)

#: ITA 2007 s. 887 asks for a return of payments "over £15" to any person; HMRC accepts in
#: practice returns of payments of £250 and over (CTM40525; Community Shares Handbook 8.2):
#: the engine takes £250, the practice, marked to confirm.
UK_RETURN = SlipType(
    key="uk_return",
    form="s. 887 return",
    box="gross interest",
    authority="HMRC",
    threshold_cents=25_000,
    codes=("", "amended", "cancelled"),  # a return has no codes: the words are bondkit's
    source="ITA 2007 s. 887; HMRC CTM40525; Community Shares Handbook 8.2",
)

UNITED_KINGDOM = TaxRules(
    country="GB",
    name="United Kingdom (registered societies)",
    currency="GBP",
    year=2025,
    slips=(UK_RETURN,),
    period_start=(4, 6),
    deadline="months-after-end",
    deadline_months=3,
    next_business_day=False,  # "within three months": a last day, not moved
    accrual=None,
    report_codes=(),
    holidays="not moved: the return is due within three months of the period end",
    to_confirm=(
        "threshold: £250 in practice (HMRC CTM40525), over £15 in ITA 2007 s. 887",
        "period: s. 887 speaks of the society's accounting period; the tax year is used",
    ),
    sources=(
        "ITA 2007 s. 887 (interest paid gross by registered societies, return of payments)",
        "HMRC Company Taxation Manual CTM40525 (return within 3 months; £250 in practice)",
        "Community Shares Handbook 8.2 (non-residents: tax deducted)",
    ),
)

# ---------------------------------------------------------------- United States (2025)

F1099_INT = SlipType(
    key="f1099_int",
    form="1099-INT",
    box="1",
    authority="IRS",
    threshold_cents=1_000,
    modes=("paid",),  # accrual-style bonds belong on 1099-OID: flagged, not computed
    # a correction is a new form with the CORRECTED box checked; one filed in error is
    # corrected to zero amounts
    codes=("", "CORRECTED", "CORRECTED"),
    cancelled_amount="zero",
    source="IRS, Instructions for Forms 1099-INT and 1099-OID (secondary sources)",
)

UNITED_STATES = TaxRules(
    country="US",
    name="United States (1099-INT)",
    currency="USD",
    year=2025,
    slips=(F1099_INT,),
    deadline="fixed",
    deadline_day=(1, 31),
    next_business_day=True,  # a due date on a weekend moves to the next business day
    accrual=None,
    accrual_flag="1099-OID",
    report_codes=(),
    holidays=("weekends only: no federal legal holiday falls on January 31 or the Monday after"),
    to_confirm=("rules read from secondary sources",),
    sources=("IRS, Instructions for Forms 1099-INT and 1099-OID (secondary sources)",),
)

#: every rule set, by ISO 3166 alpha-2 country code
RULES: dict[str, TaxRules] = {r.country: r for r in (CANADA, UNITED_KINGDOM, UNITED_STATES)}

#: other names accepted for a country
_ALIASES = {"UK": "GB"}


def rules_for(country: str) -> TaxRules:
    """The rule set of ``country`` (ISO alpha-2, any case; ``UK`` for ``GB``); KeyError
    naming the countries known otherwise.

    >>> rules_for("uk").name
    'United Kingdom (registered societies)'
    >>> rules_for("FR")
    Traceback (most recent call last):
    ...
    KeyError: 'no tax rules for FR (known: CA, GB, US)'
    """
    code = str(country).strip().upper()
    code = _ALIASES.get(code, code)
    if code not in RULES:
        raise KeyError(f"no tax rules for {country} (known: {', '.join(RULES)})")
    return RULES[code]


#: Canada's provinces and territories (ISO 3166-2:CA codes): their issuers report on the
#: Canadian slips
_CANADA = frozenset("AB BC MB NB NL NS NT NU ON PE QC SK YT".split())


def rules_for_jurisdiction(jurisdiction: str) -> TaxRules | None:
    """The rule set of an issuer's ``jurisdiction`` (a Canadian province or territory
    gives Canada's, a country code its own), or None when bondkit has none.

    >>> rules_for_jurisdiction("qc").country, rules_for_jurisdiction("UK").country
    ('CA', 'GB')
    >>> rules_for_jurisdiction("FR") is None
    True
    """
    code = str(jurisdiction).strip().upper()
    if code in _CANADA:
        return CANADA
    try:
        return rules_for(code)
    except KeyError:
        return None
