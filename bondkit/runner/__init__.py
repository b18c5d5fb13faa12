"""The run layer: a validated scenario in, one :class:`Result` out.

- :mod:`~bondkit.runner.pipeline`: :func:`run`, the sequence terms -> schedules -> metrics
  -> campaign, capacity, risk;
- :mod:`~bondkit.runner.result`: :class:`Result`, what a run computed (money in cents);
- :mod:`~bondkit.runner.figures`: the key figures, defined once for every face;
- :mod:`~bondkit.runner.readiness`: the readiness grid of booklet 2;
- :mod:`~bondkit.runner.display`: a result's notebook display.
"""

from bondkit.runner.pipeline import run, run_campaign
from bondkit.runner.result import Result, SeriesResult

__all__ = ["run", "run_campaign", "Result", "SeriesResult"]
