"""The changes of :meth:`~bondkit.scenario.model.Scenario.with_changes` and ``bondkit sweep
--vary``: keys such as ``annual_rate``, ``series[2].term_years`` or ``campaign.target``
applied to a scenario's data, before it is validated again."""

from __future__ import annotations

import copy
from typing import Any

from bondkit.errors import Message, Problem, ScenarioError
from bondkit.scenario.series import SeriesTable

__all__ = ["series_key", "merge_changes"]


#: the terms of a series given two ways: setting one drops the other
_TERM_KEYS = {"term_years": "maturity_date", "maturity_date": "term_years"}


def series_key(key: str) -> tuple[int, str] | None:
    """``series[N].key`` as (N, key); None for any other key (N not a whole number too).

    >>> series_key("series[2].annual_rate"), series_key("annual_rate")
    ((2, 'annual_rate'), None)
    """
    head = "series["
    if not key.startswith(head) or "]." not in key:
        return None
    number, _, field = key[len(head) :].partition("].")
    return (int(number), field) if number.isdigit() and field else None


def _set(node: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        node.pop(key, None)
    else:
        node[key] = value


def _set_series(entry: dict[str, Any], key: str, value: Any) -> None:
    _set(entry, key, value)
    other = _TERM_KEYS.get(key)
    if other is not None and value is not None:
        entry.pop(other, None)
    if key == "repayment" and value != "accumulating":  # interest is for accumulating only
        entry.pop("interest", None)


def merge_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` (a scenario as a dict, e.g. :meth:`Scenario.to_data`) with
    ``changes`` applied; keys as :meth:`Scenario.with_changes` takes them. Nothing is
    checked here: :func:`validate_data` says what is wrong with the result, where.

    >>> data = {"series": [{"id": "A", "term_years": 5}, {"id": "B", "maturity_date": "x"}]}
    >>> merge_changes(data, {"series[2].term_years": 3, "campaign.target": 50000})
    {'series': [{'id': 'A', 'term_years': 5}, {'id': 'B', 'term_years': 3}], 'campaign': {'target': 50000}}
    """
    out = copy.deepcopy(data)
    series = out.get("series")
    if isinstance(series, list | tuple):  # to_data() gives a tuple
        out["series"] = series = [dict(s) if isinstance(s, dict) else s for s in series]
    for key, value in changes.items():
        one = series_key(key)
        if one is not None:
            n, field = one
            if not isinstance(series, list) or not 1 <= n <= len(series):
                raise ScenarioError(
                    [Problem(key, Message("msg.no_series_n", n=n, count=len(series or [])))]
                )
            _set_series(series[n - 1], field, value)
        elif "." not in key and key in SeriesTable.model_fields and isinstance(series, list):
            for entry in series:
                _set_series(entry, key, value)
        else:
            *path, last = key.split(".")
            node = out
            for part in path:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
            _set(node, last, value)
    return out
