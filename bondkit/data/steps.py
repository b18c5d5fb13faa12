"""The legal and practical steps of an issue, kept as data (``bondkit/data/legal_steps.toml``),
and the plan they make: each step's latest date counted back from the campaign's dates, and
its status on a given day.

Which steps apply follows the issuer (legal form, jurisdiction) and the legal frame of the
offer (an exemption of :data:`bondkit.core.offer.EXEMPTIONS`): a Québec non-profit has its
borrowing by-law and the "no remuneration for the placement" condition, a Québec
co-operative its members' approval and the placing with its members, an Ontario co-operative
above 35 members or investors its offering statement receipted by FSRA, the
offering-memorandum route its memorandum and the investors' limits; the practical steps
(readiness, projections, terms, kit, register, forms, communication, launch, closing,
certificates) are common to all. Each step has the role that carries it (the enterprise,
the regional hub, the advisor) and its words in French and English. A step marked
``confirm`` is generic: the sources of bondkit do not give its legal content, a lawyer
confirms it. Parameters of a plan, not legal advice. Standard library only.

bondkit cannot know whether a step is done: a status compares its latest date with a day.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = [
    "STEP_STATUSES",
    "Role",
    "Route",
    "Step",
    "PlannedStep",
    "roles",
    "moments",
    "routes",
    "route",
    "legal_steps",
    "steps_for",
    "step_status",
    "plan_steps",
]

#: a step's status on a day, best first: its latest date is more than ``soon`` days away
#: (``upcoming``), within them (``soon``), passed while the plan still has dates ahead
#: (``late``), or passed with every date of the plan (``past``: the plan is over)
STEP_STATUSES: tuple[str, ...] = ("upcoming", "soon", "late", "past")
#: the anchors a step's latest date is counted from: the campaign's opening or closing day
ANCHORS: tuple[str, ...] = ("opens", "closes")


@dataclass(frozen=True)
class Role:
    """Who carries a step (the enterprise, the regional hub, the advisor)."""

    key: str
    en: str
    fr: str

    def title(self, lang: str) -> str:
        """The role in ``lang`` (``"en"`` or ``"fr"``).

        >>> roles()["hub"].title("fr")
        'Pôle régional'
        """
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Route:
    """The legal frame of an offer (one per exemption): its name, the frame in one
    sentence, where it comes from, whether a lawyer must confirm its content."""

    key: str
    title_en: str
    title_fr: str
    frame_en: str
    frame_fr: str
    source_en: str = ""
    source_fr: str = ""
    confirm: bool = False

    def title(self, lang: str) -> str:
        """The frame's name in ``lang``.

        >>> route("qc-npo").title("en")
        'Québec non-profit exemption (Securities Act, s. 3 par. 3)'
        """
        return self.title_fr if lang == "fr" else self.title_en

    def frame(self, lang: str) -> str:
        """The frame in one sentence, in ``lang``, as the offer states it.

        >>> route("qc-coop-members").frame("fr")[:60]
        'Les obligations sont offertes sans prospectus en vertu de la'
        """
        return self.frame_fr if lang == "fr" else self.frame_en

    def source(self, lang: str) -> str:
        """Where the frame comes from, in ``lang`` ("" when no source gives it).

        >>> route("offering-memorandum").source("en")
        'NI 45-106 s. 2.9 (Québec and Ontario since 2016)'
        """
        return self.source_fr if lang == "fr" else self.source_en


@dataclass(frozen=True)
class Step:
    """One step of an issue. ``days`` before its ``anchor`` (negative: after it) is its
    latest date; ``legal_forms``, ``jurisdictions`` and ``exemptions`` (None: all) say
    to which issues it applies."""

    key: str
    en: str
    fr: str
    role: str
    moment: str
    legal: bool
    days: int
    anchor: str
    legal_forms: tuple[str, ...] | None = None
    jurisdictions: tuple[str, ...] | None = None
    exemptions: tuple[str, ...] | None = None
    source_en: str = ""
    source_fr: str = ""
    confirm: bool = False

    def title(self, lang: str) -> str:
        """The step in words, in ``lang``.

        >>> next(s for s in legal_steps() if s.key == "qc_npo_bylaw").title("en")
        'Borrowing by-law approved by two thirds of the members'
        """
        return self.fr if lang == "fr" else self.en

    def source(self, lang: str) -> str:
        """Where the step comes from, in ``lang`` ("" when bondkit's planning practice).

        >>> next(s for s in legal_steps() if s.key == "qc_npo_no_pay").source("fr")
        'Loi sur les valeurs mobilières (Québec), art. 3, par. 3'
        """
        return self.source_fr if lang == "fr" else self.source_en

    def applies(self, legal_form: str, jurisdiction: str, exemption: str) -> bool:
        """Whether the step belongs to an issue of ``legal_form`` in ``jurisdiction`` under
        ``exemption``.

        >>> bylaw = next(s for s in legal_steps() if s.key == "qc_npo_bylaw")
        >>> bylaw.applies("npo", "qc", "qc-npo"), bylaw.applies("coop", "QC", "qc-coop-members")
        (True, False)
        """
        where = jurisdiction.strip().upper()
        return (
            (self.legal_forms is None or legal_form in self.legal_forms)
            and (self.jurisdictions is None or where in self.jurisdictions)
            and (self.exemptions is None or exemption in self.exemptions)
        )

    def latest(self, opens: dt.date, closes: dt.date) -> dt.date:
        """The latest date of the step for a campaign from ``opens`` to ``closes``.

        >>> resolution = next(s for s in legal_steps() if s.key == "board_resolution")
        >>> resolution.latest(dt.date(2016, 11, 1), dt.date(2017, 1, 15))  # 120 days before
        datetime.date(2016, 7, 4)
        """
        anchor = opens if self.anchor == "opens" else closes
        return anchor - dt.timedelta(days=self.days)


@dataclass(frozen=True)
class PlannedStep:
    """A step of the plan: the step, its latest date, its status on the day asked."""

    step: Step
    latest: dt.date
    status: str


@cache
def _data() -> dict:
    return tomllib.loads(
        files("bondkit.data").joinpath("legal_steps.toml").read_text(encoding="utf-8")
    )


@cache
def roles() -> dict[str, Role]:
    """Who carries the steps, by key: the trio of the pilot issues' community of practice.

    >>> [r.title("en") for r in roles().values()]
    ['Enterprise', 'Regional hub', 'Advisor']
    """
    return {key: Role(key, **raw) for key, raw in _data()["roles"].items()}


@cache
def moments() -> dict[str, tuple[str, str]]:
    """The moments of booklet 3, by key: (English, French).

    >>> moments()["2B"]
    ('2B Investor kit and tools', '2B Trousse et outils de gestion')
    """
    return {key: (raw["en"], raw["fr"]) for key, raw in _data()["moments"].items()}


@cache
def routes() -> dict[str, Route]:
    """The legal frames, by the exemption they go with.

    >>> sorted(routes())[:3]
    ['ni-45-106-2.38', 'offering-memorandum', 'on-offering-statement']
    """
    return {key: Route(key, **raw) for key, raw in _data()["routes"].items()}


def route(exemption: str) -> Route:
    """The legal frame of ``exemption``; ValueError naming the known ones otherwise.

    >>> route("on-offering-statement").title("fr")
    "Prospectus d'une coopérative ontarienne (offering statement, ARSF)"
    """
    try:
        return routes()[exemption]
    except KeyError:
        raise ValueError(f"unknown exemption {exemption!r}; known: {', '.join(routes())}") from None


@cache
def legal_steps() -> tuple[Step, ...]:
    """Every step of the data file, in its order; ValueError on a step the file gets wrong
    (an unknown role, moment or anchor, no latest date or two, a key used twice).

    >>> steps = legal_steps()
    >>> len({s.key for s in steps}) == len(steps), all(s.role in roles() for s in steps)
    (True, True)
    """
    out: list[Step] = []
    for raw in _data()["steps"]:
        values = dict(raw)
        key = values.get("key", "?")
        if ("before" in values) == ("after" in values):
            raise ValueError(f"step {key!r}: write one of before or after")
        values["days"] = values.pop("before") if "before" in values else -values.pop("after")
        for name in ("legal_forms", "jurisdictions", "exemptions"):
            if name in values:
                values[name] = tuple(values[name])
        step = Step(**values)
        if step.role not in roles() or step.moment not in moments() or step.anchor not in ANCHORS:
            raise ValueError(f"step {key!r}: unknown role, moment or anchor")
        if step.exemptions is not None and not set(step.exemptions) <= set(routes()):
            raise ValueError(f"step {key!r}: unknown exemption")
        if any(s.key == key for s in out):
            raise ValueError(f"step {key!r}: used twice")
        out.append(step)
    return tuple(out)


def steps_for(legal_form: str, jurisdiction: str, exemption: str) -> list[Step]:
    """The steps of an issue by an issuer of ``legal_form`` in ``jurisdiction`` under
    ``exemption``, in the order of the data file.

    A Québec non-profit under its exemption (the by-law and no remuneration for the
    placement), and an Ontario co-operative above 35 members with its offering statement:

    >>> [s.key for s in steps_for("npo", "QC", "qc-npo") if s.legal]
    ['board_resolution', 'qc_npo_bylaw', 'qc_npo_no_pay']
    >>> [s.key for s in steps_for("coop", "ON", "on-offering-statement") if s.legal]
    ['board_resolution', 'on_statement', 'on_receipt']
    >>> len([s for s in steps_for("coop", "ON", "on-offering-statement") if not s.legal])
    10
    """
    return [s for s in legal_steps() if s.applies(legal_form, jurisdiction, exemption)]


def step_status(latest: dt.date, today: dt.date, last: dt.date, soon: int = 30) -> str:
    """The status of a step whose latest date is ``latest`` on ``today`` (one of
    :data:`STEP_STATUSES`), ``last`` being the plan's last latest date and ``soon`` the
    days [d] within which a step is due soon.

    >>> d = dt.date
    >>> step_status(d(2026, 6, 1), d(2026, 4, 1), d(2026, 9, 1))  # 61 days ahead
    'upcoming'
    >>> step_status(d(2026, 5, 1), d(2026, 4, 1), d(2026, 9, 1))  # 30 days ahead
    'soon'
    >>> step_status(d(2026, 3, 31), d(2026, 4, 1), d(2026, 9, 1))  # passed, plan under way
    'late'
    >>> step_status(d(2026, 3, 31), d(2026, 9, 2), d(2026, 9, 1))  # passed, plan over
    'past'
    """
    if latest >= today:
        return "soon" if (latest - today).days <= soon else "upcoming"
    return "late" if today <= last else "past"


def plan_steps(
    legal_form: str,
    jurisdiction: str,
    exemption: str,
    opens: dt.date,
    closes: dt.date,
    today: dt.date,
    soon: int = 30,
) -> list[PlannedStep]:
    """The steps of the issue with their latest dates counted from the campaign's opening
    ``opens`` and closing ``closes`` days, by latest date (the data file's order within a
    day), each with its status on ``today`` (:func:`step_status`, ``soon`` in days).

    A Québec non-profit whose campaign runs from 1 November 2016 to 15 January 2017, seen
    on 1 October 2016: its by-law was due 90 days before the opening, its certificates
    30 days after the closing:

    >>> plan = plan_steps("npo", "QC", "qc-npo", dt.date(2016, 11, 1), dt.date(2017, 1, 15),
    ...                   today=dt.date(2016, 10, 1))
    >>> [(p.step.key, p.latest.isoformat(), p.status) for p in plan][:3]
    [('readiness', '2016-05-05', 'late'), ('projections', '2016-06-04', 'late'), ('board_resolution', '2016-07-04', 'late')]
    >>> [(p.step.key, p.latest.isoformat(), p.status) for p in plan if p.step.key in ("qc_npo_bylaw", "launch", "certificates")]
    [('qc_npo_bylaw', '2016-08-03', 'late'), ('launch', '2016-11-01', 'upcoming'), ('certificates', '2017-02-14', 'upcoming')]
    """
    chosen = [(s, s.latest(opens, closes)) for s in steps_for(legal_form, jurisdiction, exemption)]
    chosen.sort(key=lambda pair: pair[1])
    last = max((d for _, d in chosen), default=today)
    return [PlannedStep(s, d, step_status(d, today, last, soon)) for s, d in chosen]
