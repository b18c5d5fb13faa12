"""Shared fixtures of bondkit's tests."""

from __future__ import annotations

import pytest

# a script that regenerates the reference data (it needs QuantLib), not a test module:
# keep --doctest-modules from importing it
collect_ignore = ["reference/make_reference.py"]


@pytest.fixture(scope="session")
def ql():
    """QuantLib, a test-only dependency: tests that compare with it live are skipped without
    it (tests against the stored reference data in tests/reference/ still run)."""
    return pytest.importorskip("QuantLib")
