"""The register of holders of an issue, kept in a SQLite file for the life of the issue.

After the campaign, the issuer keeps the legal register of its bondholders for five to ten
years. bondkit keeps it in one SQLite file per issue (``bondkit register init SCENARIO
--db my-issue.db``): the issue's terms from its scenario, the holders (personal data: the
file is readable by its owner only), their holdings, and an append-only ledger of events
in integer cents from which every balance is derived.

The modules, each importing only those above it:

- :mod:`~bondkit.register.schema`: the tables, step by step (migrations);
- :mod:`~bondkit.register.store`: the file and every query (with ``schema``, the only SQL);
- :mod:`~bondkit.register.ledger`: event kinds, what each may move, derived balances;
- :mod:`~bondkit.register.terms`: from a scenario to the register's terms, and back;
- :mod:`~bondkit.register.intake`: subscriptions checked before they are written;
- :mod:`~bondkit.register.check`: the register recomputed from scratch and reconciled;
- :mod:`~bondkit.register.book`: :class:`Register`, the Python face of it all.

>>> import tempfile, pathlib
>>> from bondkit.register import Register
>>> from bondkit.scenario import load_example
>>> with tempfile.TemporaryDirectory() as tmp:
...     with Register.create(pathlib.Path(tmp) / "cinema.db",
...                          load_example("cinema-du-parc-2016"), by="Lucie") as reg:
...         print(reg.issue["name"], reg.check().ok)
Cinéma du Parc 2016 True
"""

from bondkit.register.book import Register
from bondkit.register.check import CheckReport
from bondkit.register.ledger import EVENT_KINDS, Posting
from bondkit.register.schema import SCHEMA_VERSION
from bondkit.register.store import RegisterError

__all__ = ["Register", "RegisterError", "CheckReport", "Posting", "EVENT_KINDS", "SCHEMA_VERSION"]
