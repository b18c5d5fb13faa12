"""``[costs]``: what issuing costs the issuer."""

from __future__ import annotations

from decimal import Decimal

from bondkit.core.terms import CostTerms
from bondkit.scenario.fields import Cost, Rate
from bondkit.scenario.table import Table

__all__ = ["CostsTable"]


class CostsTable(Table):
    """``[costs]``: what issuing costs the issuer (every key defaults to 0)."""

    upfront: Cost = Decimal(0)
    upfront_rate: Rate = Decimal(0)
    annual_admin: Cost = Decimal(0)

    def terms(self) -> CostTerms:
        return CostTerms(
            upfront=self.upfront, upfront_rate=self.upfront_rate, annual_admin=self.annual_admin
        )
