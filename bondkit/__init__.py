"""bondkit: model a community bond issue before launch and manage it after.

The public API is loaded lazily so that ``import bondkit`` (and ``bondkit --help``) stays
fast: pandas, numpy and matplotlib load only when a function that needs them is used.

>>> import bondkit as bk
>>> bk.__version__
'0.1.0'
>>> res = bk.run(bk.load_example("grand-costumier-2016"))
>>> res.summary.loc["total_principal", "value"], int(res.schedule["payment"].sum())  # cents
(20000.0, 2200000)

Notebooks: ``bk.load_scenario(path)`` or ``bk.load_example(name)`` (:func:`list_examples`
lists them), ``scenario.with_changes(...)`` (validated again), ``bk.run(scenario)``, then
the result's ``summary``, ``schedule``, ``readiness``, ``plot_*`` and ``to_excel``;
``bk.compare([...])`` and ``bk.sweep(scenario, {...})`` as the commands of the same names;
``bk.track(scenario, as_of=..., subscriptions=...)`` follows a campaign under way.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_API = {
    "load_scenario": "bondkit.scenario",
    "load_example": "bondkit.scenario",
    "list_examples": "bondkit.scenario",
    "parse_scenario": "bondkit.scenario",
    "validate_data": "bondkit.scenario",
    "Scenario": "bondkit.scenario",
    "SeriesTerms": "bondkit.core.terms",
    "CostTerms": "bondkit.core.terms",
    "StepRate": "bondkit.core.terms",
    "series_schedule": "bondkit.core.schedule",
    "issue_schedule": "bondkit.core.schedule",
    "by_fiscal_year": "bondkit.core.schedule",
    "annual_debt_service": "bondkit.core.schedule",
    "run": "bondkit.runner",
    "Result": "bondkit.runner",
    "track": "bondkit.runner.tracking",
    "compare": "bondkit.api",
    "sweep": "bondkit.api",
    "plot_comparison": "bondkit.api",
    "plot_sweep": "bondkit.api",
    "key_figures": "bondkit.api",
    "readiness_grid": "bondkit.runner.readiness",
    "write_outputs": "bondkit.report.writer",
    "Register": "bondkit.register",
    "BondkitError": "bondkit.errors",
    "ScenarioError": "bondkit.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'bondkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
