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
        return self.title_fr if lang == "fr" else self.title_en


@dataclass(frozen=True)
class Finding:
    """One breach of a rule set: which rule, the limit, and the scenario's value."""

    rule: str  # legal_form | commission | max_per_investor | max_per_issuer | max_share_of_raise | currency
    limit: str
    value: str

    def message(self) -> str:
        return f"{self.rule}: the rule allows {self.limit}, the scenario has {self.value}"


@cache
def rule_sets() -> dict[str, RuleSet]:
    """Every rule set shipped with bondkit, by name."""
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
