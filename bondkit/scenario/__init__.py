"""The scenario file: its schema (pydantic models, one per TOML table) and its loading.

A scenario is a TOML file written by hand. Every problem in it is reported at once, one
per line, located the way the user sees the file (``series[2].annual_rate``) and quoting
what was written::

    series[2].annual_rate: must be a fraction such as 0.04 (you wrote 4)

Validation has two layers, both run by :func:`validate_data` (the only way in):

1. pydantic checks each key on its own (types, ranges, unknown keys and tables). Every
   leaf value goes through a small validator of :mod:`~bondkit.scenario.fields` that
   raises our own message, so no pydantic wording ever reaches the user.
2. Cross-key rules (``amount`` a multiple of ``face_value``, exactly one of ``term_years``
   and ``maturity_date``, unique series ids...) live in each table's ``cross_check``.
   They run on the keys that passed layer 1, even when other keys or other tables have
   errors, so a file with several problems gets them all in one go.

To add a table (campaign, capacity...): write ``class CampaignTable(Table)`` with its keys
(and a ``cross_check`` if some rule involves several keys) in a module of its own, add one
field to :class:`Scenario`, describe every key in English and French in
``bondkit/data/scenario_keys.toml`` (:mod:`~bondkit.data.scenario_keys`) and run
``python tools/scenario_reference.py``, which writes the key tables of
``docs/scenario-reference.md`` and ``.fr.md`` and the key comments of ``bondkit init``'s
templates from it (a test checks that each key of the schema has an entry there, and that
the docs and templates agree with it). A table may hold tables of its own
(``[campaign.arrivals]``, ``[[campaign.segments]]``); rules that involve keys of different
top-level tables (the campaign against the series) live in :meth:`Scenario.cross_check`.
Keys that hold one amount per fiscal year are arrays checked entry by entry, each entry
located by its place (``capacity.cash_flow[3]``).

The modules, each importing only those above it:

- :mod:`~bondkit.scenario.limits`: bounds and patterns (constants);
- :mod:`~bondkit.scenario.toml_text`: values, keys and locations written as in the file;
- :mod:`~bondkit.scenario.hints`: numbers and dates written as people write them for
  reading (``0,04``, ``150 000``, ``4 %``, ``15/01/2027``), found in the text, and how to
  write them;
- :mod:`~bondkit.scenario.table`: the :class:`Table` base, an :class:`~bondkit.scenario.table.Issue`;
- :mod:`~bondkit.scenario.fields`: the checks of single keys;
- the tables: :mod:`~bondkit.scenario.series`, :mod:`~bondkit.scenario.costs`,
  :mod:`~bondkit.scenario.campaign`, :mod:`~bondkit.scenario.capacity`,
  :mod:`~bondkit.scenario.risk`, :mod:`~bondkit.scenario.planning`,
  :mod:`~bondkit.scenario.readiness`, each with its rules;
- :mod:`~bondkit.scenario.guards`: the checks of the file as a whole, before its values
  (how deep it nests, in its text and in its data; where a number too long to read is);
- :mod:`~bondkit.scenario.messages`: validation, and problems located and worded;
- :mod:`~bondkit.scenario.changes`: the changes of ``with_changes`` and ``sweep --vary``;
- :mod:`~bondkit.scenario.model`: ``[scenario]``, ``[issuer]`` and :class:`Scenario`;
- :mod:`~bondkit.scenario.load`: loading from a file or text (its size and nesting
  bounded before it is read as TOML), examples, the starter.
- :mod:`~bondkit.data.scenario_keys` (apart, imported by no module): every key described
  in English and French, for the reference pages and the starter's comments.

This package imports only the standard library, pydantic and bondkit's standard-library-only
modules (conventions, errors, rules, terms), so the CLI can load it cheaply.
"""

from bondkit.scenario.campaign import (
    ArrivalsTable,
    CampaignCostsTable,
    CampaignTable,
    MatchTable,
    SegmentTable,
    UnderwriterTable,
)
from bondkit.scenario.capacity import CapacityTable, ReserveTable, SinkingFundTable
from bondkit.scenario.changes import merge_changes
from bondkit.scenario.changes import series_key as series_key
from bondkit.scenario.costs import CostsTable
from bondkit.scenario.limits import LANGUAGES, LEGAL_FORMS
from bondkit.scenario.load import (
    list_examples,
    load_example,
    load_scenario,
    parse_scenario,
    starter_scenario,
    starter_text,
    validate_data,
)
from bondkit.scenario.load import scenario_language as scenario_language
from bondkit.scenario.messages import data_language as data_language
from bondkit.scenario.messages import toml_syntax_message as toml_syntax_message
from bondkit.scenario.model import IssuerTable, Scenario, ScenarioTable
from bondkit.scenario.planning import (
    MilestoneTable,
    PlannedAmountTable,
    PlanningTable,
    SourceTable,
)
from bondkit.scenario.readiness import ReadinessTable
from bondkit.scenario.risk import RiskTable
from bondkit.scenario.series import SeriesTable, StepRateTable
from bondkit.scenario.table import Table
from bondkit.scenario.toml_text import toml_value

__all__ = [
    "LANGUAGES",
    "LEGAL_FORMS",
    "Table",
    "ScenarioTable",
    "IssuerTable",
    "StepRateTable",
    "SeriesTable",
    "CostsTable",
    "ArrivalsTable",
    "SegmentTable",
    "CampaignCostsTable",
    "MatchTable",
    "UnderwriterTable",
    "CampaignTable",
    "SinkingFundTable",
    "ReserveTable",
    "CapacityTable",
    "RiskTable",
    "PlannedAmountTable",
    "SourceTable",
    "MilestoneTable",
    "PlanningTable",
    "ReadinessTable",
    "Scenario",
    "load_scenario",
    "load_example",
    "starter_text",
    "starter_scenario",
    "list_examples",
    "merge_changes",
    "parse_scenario",
    "validate_data",
    "toml_value",
]
