"""Scenario texts shared by the tests (TOML templates: fill ``lang`` and, for CONTRACT, ``issuer``).

CONTRACT is the example file of scenario-format.md, whose published figures the tests check.
"""

from __future__ import annotations

import pytest

from bondkit.errors import ScenarioError
from bondkit.scenario import parse_scenario

CONTRACT = """
[scenario]
name = "Cinéma du Parc 2016"
language = "{lang}"
currency = "CAD"
seed = 2016

[issuer]
name = "{issuer}"
legal_form = "npo"
jurisdiction = "QC"
fiscal_year_end = "12-31"

[[series]]
id = "A"
amount = 100_000
face_value = 500
annual_rate = 0.02
issue_date = 2017-02-01
term_years = 5
repayment = "accumulating"
interest = "compound"
frequency = "annual"
day_count = "30/360"

[costs]
upfront = 3_000
annual_admin = 500
"""

TWO_SERIES = """
[scenario]
name = "Two series, bullet and level payment"
language = "{lang}"
seed = 11

[issuer]
name = "Coopérative d'habitation du Plateau"
legal_form = "coop"
fiscal_year_end = "06-30"

[[series]]
id = "A-bullet"
amount = 60_000
face_value = 1_000
annual_rate = 0.04
issue_date = 2025-01-15
term_years = 5
repayment = "bullet"
frequency = "semi-annual"

[[series]]
id = "B_level"
amount = 45_000
face_value = 500
annual_rate = 0.05
issue_date = 2025-03-01
term_years = 7
repayment = "level-payment"
frequency = "monthly"
day_count = "ACT/365F"
interest_only_years = 1
business_day = "following"
step_rates = [{{ from_year = 4, annual_rate = 0.055 }}]

[costs]
upfront = 3_000
upfront_rate = 0.01
annual_admin = 500
"""

# the head of a minimal scenario, and two bullet series A (100 000 in bonds of 500) and
# B (50 000 in bonds of 1 000), both issued 2017-02-01 for 5 years
HEAD = """\
[scenario]
name = "Test"

[issuer]
name = "Co-op"
"""

TWO_BULLETS = """
[[series]]
id = "A"
amount = 100_000
face_value = 500
annual_rate = 0.02
issue_date = 2017-02-01
term_years = 5
repayment = "bullet"

[[series]]
id = "B"
amount = 50_000
face_value = 1_000
annual_rate = 0.03
issue_date = 2017-02-01
term_years = 5
repayment = "bullet"
"""


def problems(text: str) -> list[str]:
    """The lines of the error message for ``text`` (fails if the text is valid)."""
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text)
    lines = str(info.value).splitlines()
    assert lines == [str(p) for p in info.value.problems]
    return lines
