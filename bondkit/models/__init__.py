"""The models on top of the schedules: the campaign, the capacity to pay, redemption risk.

Each takes terms from :mod:`bondkit.core` and a seed, never a scenario file.
"""
