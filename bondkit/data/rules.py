"""Investor-limit rule sets, kept as data (``bondkit/data/rule_sets.toml``), and their check.

A scenario names a rule set; :func:`check_rules` lists what in the scenario breaks it.
Nothing is changed to fit the rules: a breach is a finding to show, not a correction.
Standard library only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files

__all__ = ["RuleSet", "Finding", "rule_sets", "rule_set", "check_rules"]


@dataclass(frozen=True)
class RuleSet:
    name: str
    title_en: str
    title_fr: str
    source: str = ""
    currency: str | None = None
    legal_forms: tuple[str, ...] | None = None
    commission_allowed: bool = True
    max_per_investor: Decimal | None = None
    max_per_issuer: Decimal | None = None
    max_share_of_raise: Decimal | None = None

    def title(self, lang: str) -> str:
        """The rule set's title in ``lang`` (``"en"`` or ``"fr"``).

        >>> rule_set("qc-npo").title("fr")
        'Dispense des OBNL au Québec (Loi sur les valeurs mobilières, art. 3(3))'
        """
        return self.title_fr if lang == "fr" else self.title_en


@dataclass(frozen=True)
class Finding:
    """One breach of a rule set: which rule, the limit, and the scenario's value."""

    rule: str  # legal_form | commission | max_per_investor | max_per_issuer | max_share_of_raise | currency
    limit: str
    value: str

    def message(self) -> str:
        """The finding in one English sentence (limits in the rule set's currency).

        >>> Finding("max_per_investor", "10000", "20000").message()
        'max_per_investor: the rule allows 10000, the scenario has 20000'
        """
        return f"{self.rule}: the rule allows {self.limit}, the scenario has {self.value}"


@cache
def rule_sets() -> dict[str, RuleSet]:
    """Every rule set shipped with bondkit, by name (amounts in the rule set's currency).

    >>> sets = rule_sets()
    >>> "none" in sets, sets["crowdfunding"].max_per_investor
    (True, Decimal('2500'))
    """
    data = tomllib.loads(
        files("bondkit.data").joinpath("rule_sets.toml").read_text(encoding="utf-8")
    )
    out = {}
    for name, raw in data.items():
        values = dict(raw)
        for key in ("max_per_investor", "max_per_issuer", "max_share_of_raise"):
            if key in values:
                values[key] = Decimal(str(values[key]))
        if "legal_forms" in values:
            values["legal_forms"] = tuple(values["legal_forms"])
        out[name] = RuleSet(name=name, **values)
    return out


def rule_set(name: str) -> RuleSet:
    """The rule set called ``name``; ValueError naming the known ones otherwise.

    Limits are in the rule set's currency (``currency``), shares as fractions:

    >>> om = rule_set("om-non-eligible")
    >>> om.currency, om.max_per_investor, om.title("en")
    ('CAD', Decimal('10000'), 'Offering memorandum exemption, non-eligible investor (NI 45-106 s. 2.9)')
    >>> rule_set("qc-npo").legal_forms
    ('npo',)
    """
    try:
        return rule_sets()[name]
    except KeyError:
        raise ValueError(f"unknown rule set {name!r}; known: {', '.join(rule_sets())}") from None


def check_rules(
    rules: RuleSet,
    *,
    legal_form: str,
    currency: str,
    total_raise: Decimal,
    max_per_investor: Decimal | None,
    commission_rate: Decimal = Decimal(0),
) -> list[Finding]:
    """What in the scenario breaks ``rules`` (an empty list when nothing does).

    ``max_per_investor`` is the limit the scenario writes (None: it takes the rule set's own
    limit, so it cannot break it); ``total_raise`` the most the issue can raise (its cap).
    Amounts are Decimals in currency units, ``commission_rate`` a fraction of the raise.

    A co-op raising 100,000 $ with a 5 % sales commission, under the Québec non-profit
    exemption (non-profits only, no commission):

    >>> from decimal import Decimal
    >>> found = check_rules(rule_set("qc-npo"), legal_form="coop", currency="CAD",
    ...                     total_raise=Decimal(100_000), max_per_investor=None,
    ...                     commission_rate=Decimal("0.05"))
    >>> [f.message() for f in found]
    ['legal_form: the rule allows npo, the scenario has coop', 'commission: the rule allows no commission, the scenario has 0.05']
    >>> check_rules(rule_set("crowdfunding"), legal_form="coop", currency="CAD",
    ...             total_raise=Decimal(100_000), max_per_investor=Decimal(2_000))
    []
    """
    found: list[Finding] = []
    if rules.currency and currency != rules.currency:
        found.append(Finding("currency", rules.currency, currency))
    if rules.legal_forms is not None and legal_form not in rules.legal_forms:
        found.append(Finding("legal_form", " or ".join(rules.legal_forms), legal_form))
    if not rules.commission_allowed and commission_rate > 0:
        found.append(Finding("commission", "no commission", str(commission_rate)))
    if max_per_investor is None:  # the scenario leaves the limit to the rule set
        max_per_investor = rules.max_per_investor
    if rules.max_per_investor is not None and max_per_investor > rules.max_per_investor:
        found.append(
            Finding("max_per_investor", str(rules.max_per_investor), str(max_per_investor))
        )
    if rules.max_per_issuer is not None and total_raise > rules.max_per_issuer:
        found.append(Finding("max_per_issuer", str(rules.max_per_issuer), str(total_raise)))
    if rules.max_share_of_raise is not None and total_raise > 0:
        share = (max_per_investor / total_raise) if max_per_investor is not None else Decimal(1)
        if share > rules.max_share_of_raise:
            found.append(
                Finding("max_share_of_raise", str(rules.max_share_of_raise), f"{share:.4f}")
            )
    return found
