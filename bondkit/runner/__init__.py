"""The run layer: a validated scenario in, one :class:`Result` out.

- :mod:`~bondkit.runner.pipeline`: :func:`run`, the sequence terms -> schedules -> metrics
  -> campaign, capacity, risk;
- :mod:`~bondkit.runner.result`: :class:`Result`, what a run computed (money in cents);
- :mod:`~bondkit.runner.figures`: the key figures, defined once for every face;
- :mod:`~bondkit.runner.readiness`: the readiness grid of booklet 2;
- :mod:`~bondkit.runner.display`: a result's notebook display;
- :mod:`~bondkit.runner.registered`: what a run reads from a register of holders
  (``run(..., register=...)``): the real holdings the risk model uses and the figures
  B3.4 and B3.5 show as real data.
"""

from bondkit.runner.pipeline import run, run_campaign
from bondkit.runner.result import Result, SeriesResult

__all__ = ["run", "run_campaign", "Result", "SeriesResult"]
