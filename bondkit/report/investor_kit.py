"""The investor kit (TIESS booklet 3, phase 2B): the subscriber's summary of the offer, as
an editable Word document in the scenario's language.

It holds, in this order: the warnings an offer must carry (not a deposit, may lose some or
all, no market, not a donation, no regulator's review under an exemption, and the rank
when the bonds are subordinated); the issuer, its purpose, the use of the money and how
the project is financed; each series' terms and **what 1,000 $ pays, and when**, as a
table; how to subscribe (minimum and maximum per investor, the campaign's dates, its
minimum, target and cap, and what happens below the minimum); the holder's rights (rank
and security, early redemption, transfer, maturity and the renewal offered); taxes; the
legal frame; a contact.

**Every figure is the workbook's.** The kit is built from the same
:class:`~bondkit.runner.Result`: the terms of its series, the campaign's minimum, target
and cap of its simulation (B3.3), the planning's uses and sources (B3.1), the offer's
clauses (B3.2). What 1,000 $ pays is the exact cent schedule of the core
(:func:`bondkit.core.schedule.series_schedule`) on a series of 1,000 $, that is two bonds
of 500 $, or one bond of 1,000 $ (:func:`investment`): the register pays a holding of
1,000 $ the same amounts (its calendar runs the same kernel on the holding's principal,
rounded per holding). A bond above 1,000 $, or one whose price does not divide 1,000 $,
is shown per bond, as the workbook's B1 shows it.

What the scenario does not say (the purpose, the campaign, a contact...) is a passage
highlighted in yellow, "[To complete: ...]", naming the scenario key that would fill it:
the enterprise completes and adapts the document; a lawyer or an advisor checks it.
Words come from :data:`bondkit.labels.LABELS` (``kit.*``); dates are written out
(:func:`bondkit.report.register_statements.date_text`: ``1er février 2022``,
``February 1, 2022``). Text from the scenario (names, purpose, items) is written as text.

>>> from bondkit.runner import run
>>> from bondkit.scenario import load_example
>>> doc = kit_document(run(load_example("cinema-du-parc-2016")), "fr")
>>> doc.paragraphs[0].text
"Trousse de l'investisseur"
>>> pays = [x for x in doc.tables if x.rows[0].cells[0].text == "Date du versement"]
>>> [cell.text for cell in pays[0].rows[1].cells]
['1er\\xa0février\\xa02022', '104,08\\xa0$', '1\\xa0000,00\\xa0$', '1\\xa0104,08\\xa0$']
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bondkit.core.conventions import to_cents
from bondkit.core.schedule import series_schedule
from bondkit.labels import LABELS, money_text, percent_text, t
from bondkit.report import docx_kit as dk
from bondkit.report.register_statements import date_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from bondkit.core.terms import SeriesTerms
    from bondkit.runner import Result

__all__ = [
    "UNIT_CENTS",
    "investment",
    "investment_payments",
    "rate_text",
    "kit_document",
]

#: the investment the kit's tables show: 1,000 $ [cents]
UNIT_CENTS = 100_000
#: the width of the text on the page [cm] (A4 with 2 cm margins; Letter is wider)
WIDTH = 17.0
#: the width of the labels' column of the key-value tables [cm]
LABEL_COLUMN_CM = 5.0
#: series side by side in one table of terms (more go in a second table)
SERIES_PER_TABLE = 4
#: the legal frames under which a regulator reviews the offer (a prospectus) or receipts
#: its document (an Ontario offering statement); under the others, no regulator reviews it
_REVIEWED = ("prospectus", "on-offering-statement")
#: Canada's provinces and territories: their tax slips (T5, RL-3) are stated
_CANADA = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
NBSP = "\u00a0"
_MARK = "mark"
_BOLD = "bold"
_ITALIC = "italic"


def investment(terms: SeriesTerms) -> tuple[int, int]:
    """The investment the kit shows for a series, and its number of bonds: 1,000 $ when
    whole bonds make it, else one bond [cents].

    >>> import datetime as dt
    >>> from bondkit.core.terms import SeriesTerms
    >>> def price(face):
    ...     return SeriesTerms("A", 30_000, face, 0.03, dt.date(2026, 3, 2), term_years=3)
    >>> investment(price(500)), investment(price(1_000)), investment(price(1_500))
    ((100000, 2), (100000, 1), (150000, 1))
    >>> investment(price(300))  # 1,000 $ is not whole bonds of 300 $: one bond
    (30000, 1)
    """
    face = terms.face_value_cents
    if face <= UNIT_CENTS and UNIT_CENTS % face == 0:
        return UNIT_CENTS, UNIT_CENTS // face
    return face, 1


def investment_payments(terms: SeriesTerms) -> pd.DataFrame:
    """What the investment of :func:`investment` is paid, and when: columns ``date``
    (datetime.date), ``interest``, ``principal`` and ``payment`` [cents], one row per
    payment date (the schedule of a series of that amount, exact to the cent).

    Two bonds of 500 $ at 2 %, compounded yearly over 5 years: 1,104.08 $ at maturity.

    >>> import datetime as dt
    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 500, 0.02, dt.date(2017, 2, 1), term_years=5,
    ...                 repayment="accumulating", interest="compound")
    >>> investment_payments(s).values.tolist()
    [[datetime.date(2022, 2, 1), 10408, 100000, 110408]]
    """
    cents, _bonds = investment(terms)
    schedule = series_schedule(terms.with_amount(Decimal(cents) / 100))
    out = schedule[["date", "interest", "principal", "payment"]].copy()
    out["date"] = [d.date() if isinstance(d, dt.datetime) else d for d in out["date"]]
    return out.reset_index(drop=True)


def rate_text(rate: Decimal | float, lang: str) -> str:
    """A rate as a percentage with the decimals it is written with (none to six).

    >>> rate_text(Decimal("0.02"), "fr"), rate_text(Decimal("0.035"), "en")
    ('2\\xa0%', '3.5%')
    >>> rate_text(Decimal("0.04125"), "en")
    '4.125%'
    """
    percent = (Decimal(str(rate)) * 100).normalize()
    exponent = percent.as_tuple().exponent
    decimals = min(6, max(0, -exponent if isinstance(exponent, int) else 0))
    return percent_text(float(rate), lang, decimals)


class _Kit:
    """One kit being written: the document, its language and the run it states."""

    def __init__(self, result: Result, lang: str) -> None:
        self.result, self.lang = result, lang
        self.scenario = result.scenario
        self.currency = self.scenario.currency
        self.issuer = self.scenario.issuer.name
        self.offer = self.scenario.offer_terms()
        paper = "letter" if self.currency in ("CAD", "USD") else "a4"
        self.doc = dk.new_document(paper, language=f"{lang}-CA" if paper == "letter" else lang)

    # ---------------------------------------------------------------- words and figures

    def t(self, key: str, **fields: Any) -> str:
        """The label ``key`` filled with ``fields``; in French, the space before a colon
        and inside the guillemets is a no-break space (the label's own, never the user's)."""
        text = t(key, self.lang)
        if self.lang == "fr":
            text = (
                text.replace(" :", NBSP + ":").replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
            )
        return text.format(**fields) if fields else text

    def money(self, cents: int) -> str:
        return money_text(int(cents), self.lang, self.currency)

    def amount(self, cents: int) -> str:
        """Money in prose: without the cents when there are none (``1 000 $``)."""
        text = self.money(cents)
        if int(cents) % 100 == 0:
            text = text.replace(",00", "", 1) if self.lang == "fr" else text.replace(".00", "", 1)
        return text

    def date(self, day: dt.date) -> str:
        """A date written out, kept on one line (``1er février 2022``)."""
        return date_text(day, self.lang).replace(" ", NBSP)

    def rate(self, rate: Decimal | float) -> str:
        return rate_text(rate, self.lang)

    def term(self, terms: SeriesTerms) -> str:
        if terms.term_years is None:
            return self.t("kit.term_until", date=self.date(terms.maturity))
        if terms.term_years == 1:
            return self.t("kit.year_one")
        return self.t("kit.years_n", n=terms.term_years)

    def mark(self, what_key: str) -> tuple[str, str]:
        """A passage the enterprise completes, highlighted."""
        return self.t("kit.to_complete", what=self.t(what_key)), _MARK

    def joined(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return self.t("kit.and", a=", ".join(items[:-1]), b=items[-1])

    # ---------------------------------------------------------------- the document

    def write(self) -> Any:
        doc = self.doc
        dk.paragraph(doc, self.t("kit.title"), style=dk.TITLE)
        dk.paragraph(doc, self.t("kit.subtitle", issuer=self.issuer), style=dk.SUBTITLE)
        note = self.t("kit.draft", scenario=self.scenario.name, issuer=self.issuer)
        dk.note(doc, [(note, _ITALIC)])
        self.warnings()
        self.issuer_and_project()
        self.bonds()
        self.subscribing()
        self.rights()
        self.taxes()
        self.legal()
        self.contact()
        dk.footer(doc, self.t("kit.footer", issuer=self.issuer), self.t("kit.page"))
        props = doc.core_properties
        props.title = f"{self.t('kit.title')} — {self.issuer}"
        props.author = self.issuer
        props.language = self.lang
        props.subject = self.t("kit.subtitle", issuer=self.issuer)
        props.comments = ""  # the template's says which library wrote it
        return doc

    def warnings(self) -> None:
        offer = self.offer
        items: list[Any] = [
            self.t("kit.warn.deposit"),
            self.t("kit.warn.loss", issuer=self.issuer),
            self.t("kit.warn.market"),
            self.t("kit.warn.donation"),
        ]
        if offer.exemption not in _REVIEWED:
            frame = self.t(f"kit.frame.{offer.exemption}")
            items.append(self.t("kit.warn.no_review", frame=frame))
        elif offer.exemption == "on-offering-statement":
            items.append(self.t("kit.warn.statement"))
        if offer.rank == "subordinated":
            items.append(self.t("kit.warn.subordinated", issuer=self.issuer))
        items.append([(self.t("kit.warn.read"), _BOLD)])
        dk.box(self.doc, self.t("kit.h.warnings"), items, width=WIDTH)

    def issuer_and_project(self) -> None:
        doc, sc = self.doc, self.scenario
        dk.heading(doc, self.t("kit.h.issuer"), 1)
        place = sc.issuer.jurisdiction.strip().upper()
        place_key = f"kit.place.{place}"
        purpose = self.offer.purpose
        dk.key_values(
            doc,
            [
                (self.t("kit.issuer"), self.issuer),
                (self.t("kit.legal_form"), t(f"legal_form.{sc.issuer.legal_form}", self.lang)),
                (
                    self.t("kit.jurisdiction"),
                    t(place_key, self.lang) if place_key in LABELS else sc.issuer.jurisdiction,
                ),
                (
                    self.t("kit.purpose"),
                    [(purpose, "")] if purpose else [self.mark("kit.purpose_what")],
                ),
            ],
            widths=(LABEL_COLUMN_CM, WIDTH - LABEL_COLUMN_CM),
        )
        plan = sc.planning_terms()
        dk.heading(doc, self.t("kit.h.uses"), 2)
        if plan is None or not plan.uses:
            dk.paragraph(doc, [self.mark("kit.uses_what")])
            return
        rows = [[u.item, self.money(u.amount_cents)] for u in plan.uses]
        rows.append([self.t("kit.total_uses"), self.money(plan.total_uses_cents)])
        head = [self.t("kit.col.use"), t("col.amount", self.lang)]
        dk.table(doc, head, rows, widths=[11.5, 3.5], right=[1], total=True)
        bonds = self.result.total_principal
        dk.heading(doc, self.t("kit.h.sources"), 2)
        rows = [[self.t("kit.source.bonds"), self.money(bonds)]]
        rows += [[s.item, self.money(s.amount_cents)] for s in plan.sources]
        rows.append([self.t("kit.total_sources"), self.money(plan.total_sources_cents(bonds))])
        head = [self.t("kit.col.source"), t("col.amount", self.lang)]
        dk.table(doc, head, rows, widths=[11.5, 3.5], right=[1], total=True)
        gap = plan.gap_cents(bonds)
        if gap > 0:
            dk.paragraph(doc, self.t("kit.gap", amount=self.money(gap)))

    # ---------------------------------------------------------------- the bonds

    def bonds(self) -> None:
        doc, series = self.doc, self.result.series
        dk.heading(doc, self.t("kit.h.bonds"), 1)
        total = self.amount(self.result.total_principal)
        key = "kit.bonds_one" if len(series) == 1 else "kit.bonds_many"
        dk.paragraph(
            doc, self.t(key, issuer=self.issuer, total=total, n=len(series)), keep_with_next=True
        )
        for start in range(0, len(series), SERIES_PER_TABLE):
            self.terms_table(series[start : start + SERIES_PER_TABLE])
        for terms in series:
            self.one_series(terms)

    def terms_table(self, series: tuple[SeriesTerms, ...] | list[SeriesTerms]) -> None:
        label_width = 4.5
        width = min(4.0, (WIDTH - label_width) / len(series))
        lines = [
            ("kit.col.offered", lambda s: self.money(s.amount_cents)),
            ("kit.col.price", lambda s: self.money(s.face_value_cents)),
            ("kit.col.rate", lambda s: self.rate(s.annual_rate)),
            ("kit.col.term", self.term),
            ("kit.col.issue", lambda s: self.date(s.issue_date)),
            ("kit.col.maturity", lambda s: self.date(s.maturity)),
            ("kit.col.paid", self.paid_words),
        ]
        head = [self.t("kit.col.series"), *(s.id for s in series)]
        rows = [[self.t(key), *(show(s) for s in series)] for key, show in lines]
        dk.table(
            self.doc,
            head,
            rows,
            widths=[label_width, *([width] * len(series))],
            right=list(range(1, len(series) + 1)),
        )

    def paid_words(self, terms: SeriesTerms) -> str:
        if terms.repayment == "accumulating":
            return self.t("kit.pay.at_maturity")
        return self.t(f"kit.pay.{terms.frequency}")

    def one_series(self, terms: SeriesTerms) -> None:
        doc = self.doc
        title = self.t(
            "kit.h.series",
            series=terms.id,
            rate=self.rate(terms.annual_rate),
            term=self.term(terms),
        )
        dk.heading(doc, title, 2)
        flows = investment_payments(terms)
        dk.paragraph(doc, " ".join(self.how_it_pays(terms, flows)), keep_with_next=True)
        cents, bonds = investment(terms)
        price = self.amount(terms.face_value_cents)
        if cents != UNIT_CENTS:
            caption = self.t("kit.pays_per_bond", price=price)
        elif bonds == 1:
            caption = self.t("kit.pays_one", amount=self.amount(cents))
        else:
            caption = self.t("kit.pays_bonds", amount=self.amount(cents), n=bonds, price=price)
        dk.paragraph(doc, [(caption, _BOLD)], keep_with_next=True)
        head = [
            self.t("kit.col.date"),
            self.t("kit.col.interest"),
            self.t("kit.col.principal"),
            self.t("kit.col.received"),
        ]
        rows = [
            [
                self.date(r.date),
                self.money(r.interest),
                self.money(r.principal),
                self.money(r.payment),
            ]
            for r in flows.itertuples(index=False)
        ]
        interest, paid = int(flows["interest"].sum()), int(flows["payment"].sum())
        many = len(rows) > 1
        if many:
            rows.append(
                [
                    self.t("kit.row.total"),
                    self.money(interest),
                    self.money(int(flows["principal"].sum())),
                    self.money(paid),
                ]
            )
        dk.table(doc, head, rows, widths=[5.0, 3.5, 3.5, 3.5], right=[1, 2, 3], total=many)
        sentence = self.t(
            "kit.pays_sum",
            amount=self.amount(cents),
            issue=self.date(terms.issue_date),
            total=self.money(paid),
            interest=self.money(interest),
        )
        campaign = self.scenario.campaign_terms()
        if campaign is not None and campaign.interest_start == "subscription-date":
            sentence += " " + self.t("kit.pays_early")
        dk.paragraph(doc, sentence)

    def how_it_pays(self, terms: SeriesTerms, flows: pd.DataFrame) -> list[str]:
        common = dict(
            rate=self.rate(terms.annual_rate),
            freq=self.t(f"kit.freq.{terms.frequency}"),
            maturity=self.date(flows["date"].iloc[-1]),
            first=self.date(flows["date"].iloc[0]),
            n=len(flows),
            price=self.amount(terms.face_value_cents),
            issuer=self.issuer,
        )
        if terms.repayment == "accumulating":
            key = "kit.how.compound" if terms.interest == "compound" else "kit.how.simple"
        else:
            key = f"kit.how.{terms.repayment}"
        out = [self.t(key, **common)]
        if terms.interest_only_years:
            n = terms.interest_only_years
            out.append(self.t("kit.how.io_one") if n == 1 else self.t("kit.how.io_many", n=n))
        for step in terms.step_rates:
            out.append(
                self.t(
                    "kit.how.step",
                    rate=self.rate(step.annual_rate),
                    year=step.from_year,
                    date=self.date(terms.year_start(step.from_year)),
                )
            )
        if terms.business_day != "unadjusted":
            out.append(self.t("kit.how.adjusted"))
        return out

    # ---------------------------------------------------------------- subscribing

    def subscribing(self) -> None:
        doc, series = self.doc, self.result.series
        dk.heading(doc, self.t("kit.h.subscribe"), 1)
        campaign = self.result.campaign
        terms = campaign.terms if campaign is not None else None
        prices = sorted({s.face_value_cents for s in series})
        if terms is not None and terms.min_subscription is not None:
            minimum: Any = self.money(to_cents(terms.min_subscription))
        elif len(prices) == 1:
            minimum = self.t("kit.one_bond", price=self.money(prices[0]))
        else:
            each = "; ".join(
                self.t("kit.series_price", series=s.id, price=self.money(s.face_value_cents))
                for s in series
            )
            minimum = self.t("kit.one_bond_each", prices=each)
        pairs: list[tuple[str, Any]] = [(self.t("kit.min_investor"), minimum)]
        if terms is None:
            pairs.append((self.t("kit.max_investor"), [self.mark("kit.max_what")]))
            dk.key_values(doc, pairs, widths=(LABEL_COLUMN_CM, WIDTH - LABEL_COLUMN_CM))
            dk.paragraph(doc, [self.mark("kit.campaign_what")])
            return
        from bondkit.data.rules import rule_set

        rules = rule_set(terms.rule_set)
        if terms.max_per_investor is not None:
            maximum = self.money(to_cents(terms.max_per_investor))
        elif rules.max_per_investor is not None:
            limit = self.money(to_cents(rules.max_per_investor))
            maximum = self.t("kit.max_rules", amount=limit, rules=rules.title(self.lang))
        else:
            maximum = self.t("kit.no_max")
        sim = campaign.simulation
        closes = self.date(terms.closes)
        pairs += [
            (self.t("kit.max_investor"), maximum),
            (
                self.t("kit.period"),
                self.t("kit.period_value", opens=self.date(terms.opens), closes=closes),
            ),
            (self.t("kit.minimum"), self.money(sim.minimum)),
            (self.t("kit.target"), self.money(sim.target)),
            (self.t("kit.cap"), self.money(sim.cap)),
        ]
        dk.key_values(doc, pairs, widths=(LABEL_COLUMN_CM, WIDTH - LABEL_COLUMN_CM))
        minimum = self.amount(sim.minimum)
        dk.paragraph(doc, self.t("kit.below_minimum", minimum=minimum, closes=closes))
        rule = self.t(f"kit.alloc.{terms.allocation}")
        dk.paragraph(doc, self.t("kit.above_cap", cap=self.amount(sim.cap), rule=rule))
        dk.paragraph(doc, self.t(f"kit.start.{terms.interest_start}"))

    # ---------------------------------------------------------------- rights

    def rights(self) -> None:
        doc, offer = self.doc, self.offer
        dk.heading(doc, self.t("kit.h.rights"), 1)
        if offer.rank == "secured":
            rank = self.t("kit.rank.secured", security=(offer.security or "").rstrip(". "))
        else:
            rank = self.t(f"kit.rank.{offer.rank}", issuer=self.issuer)
        dk.paragraph(doc, [(self.t("kit.lead.rank"), _BOLD), (" " + rank, "")])
        dk.paragraph(doc, [(self.t("kit.lead.redemption"), _BOLD), (" ", ""), *self.redemption()])
        transfer = self.t(f"kit.transfer.{offer.transfer}", issuer=self.issuer)
        dk.paragraph(doc, [(self.t("kit.lead.transfer"), _BOLD), (" " + transfer, "")])
        dk.paragraph(doc, [(self.t("kit.lead.maturity"), _BOLD)], keep_with_next=True)
        items = []
        for terms in self.result.series:
            renewal = offer.renewal(terms.id)
            when = self.date(terms.maturity)
            if renewal is None:
                items.append(self.t("kit.maturity.repaid", series=terms.id, date=when))
            else:
                years = renewal.term_years
                term = self.t("kit.year_one") if years == 1 else self.t("kit.years_n", n=years)
                rate = self.rate(renewal.annual_rate)
                items.append(
                    self.t("kit.maturity.renewal", series=terms.id, date=when, rate=rate, term=term)
                )
        dk.bullets(doc, items)

    def redemption(self) -> list[tuple[str, str]]:
        offer = self.offer
        if not offer.lock_in_years and not offer.notice_months and offer.annual_cap is None:
            return [self.mark("kit.red_what")]
        words = []
        n = offer.lock_in_years
        if n:
            words.append(self.t("kit.red.lock_one") if n == 1 else self.t("kit.red.lock_many", n=n))
            words.append(self.t("kit.red.ask_after", issuer=self.issuer))
        else:
            words.append(self.t("kit.red.ask", issuer=self.issuer))
        n = offer.notice_months
        if n:
            words.append(
                self.t("kit.red.notice_one") if n == 1 else self.t("kit.red.notice_many", n=n)
            )
        if offer.annual_cap is not None:
            cap = to_cents(offer.annual_cap * Decimal(self.result.total_principal) / 100)
            share = self.rate(offer.annual_cap)
            words.append(self.t("kit.red.cap", share=share, amount=self.amount(cap)))
        return [(" ".join(words), "")]

    # ---------------------------------------------------------------- taxes, law, contact

    def taxes(self) -> None:
        doc = self.doc
        dk.heading(doc, self.t("kit.h.tax"), 1)
        paragraphs: list[Any] = [self.t("kit.tax.income")]
        in_canada = self.scenario.issuer.jurisdiction.strip().upper() in _CANADA
        if in_canada:
            from bondkit.data.tax_rules import rules_for

            threshold = rules_for("CA").slip("t5").threshold_cents
            paragraphs.append(
                self.t("kit.tax.slips", issuer=self.issuer, threshold=self.amount(threshold))
            )
        accumulating = [s.id for s in self.result.series if s.repayment == "accumulating"]
        if accumulating:
            ids = self.joined(accumulating)
            if not in_canada:
                key = "kit.tax.accrual_other"
            else:
                key = "kit.tax.accrual_one" if len(accumulating) == 1 else "kit.tax.accrual_many"
            paragraphs.append(self.t(key, series=ids, issuer=self.issuer))
        if in_canada:
            paragraphs.append([self.mark("kit.tax.registered_what")])
        paragraphs.append([(self.t("kit.tax.advice"), _ITALIC)])
        for text in paragraphs:
            dk.paragraph(doc, text)

    def legal(self) -> None:
        doc, exemption = self.doc, self.offer.exemption
        dk.heading(doc, self.t("kit.h.legal"), 1)
        if f"kit.legal.{exemption}" not in LABELS:  # another frame: the enterprise names it
            dk.paragraph(doc, [self.mark("kit.legal.other_what")])
        else:
            dk.paragraph(doc, self.t(f"kit.legal.{exemption}", issuer=self.issuer))
        dk.paragraph(doc, self.t("kit.legal.terms", issuer=self.issuer))

    def contact(self) -> None:
        doc, contact = self.doc, self.offer.contact
        dk.heading(doc, self.t("kit.h.contact"), 1)
        if contact:
            dk.paragraph(doc, self.t("kit.contact", contact=contact.rstrip(". ")))
        else:
            dk.paragraph(
                doc, [(self.t("kit.contact_lead") + " ", ""), self.mark("kit.contact_what")]
            )
        dk.paragraph(
            doc,
            [
                (self.t("kit.documents", issuer=self.issuer) + " ", ""),
                self.mark("kit.documents_what"),
            ],
        )


def kit_document(result: Result, lang: str | None = None) -> Any:
    """The investor kit of a run, in ``lang`` (default: the scenario's), as a
    python-docx ``Document`` (``.save(path)`` writes the .docx).

    A solar co-op's three series: the English kit states each series' terms, then what
    1,000 $ pays in each; series A-3y pays 30 $ a year and the 1,000 $ back:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> doc = kit_document(run(load_example("solar-coop-multi-series")), "en")
    >>> [p.text for p in doc.paragraphs if p.style.name == "Heading 2"][2:4]
    ['Series A-3y: 3% for 3 years', 'Series B-5y: 4% for 5 years']
    >>> pays = [x for x in doc.tables if x.rows[0].cells[0].text == "Payment date"]
    >>> [row.cells[3].text for row in pays[0].rows]
    ['Total received', '$30.00', '$30.00', '$1,030.00', '$1,090.00']
    """
    from bondkit.labels import check_language

    lang = check_language(lang or result.scenario.language)
    return _Kit(result, lang).write()
