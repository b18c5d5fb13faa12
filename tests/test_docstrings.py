"""Every public function has a docstring with a runnable example (issue #6).

"Public" is what a module names in ``__all__``. The examples themselves run as doctests
(``--doctest-modules`` in pyproject.toml); this test checks that each public function, and
each method an analyst calls on the objects bondkit hands back, has one (a ``>>>`` line).
A failure lists what is missing, module by module.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil

import pytest

import bondkit

#: modules never imported here (running them has side effects)
SKIP_MODULES = {"bondkit.__main__"}

#: classes whose public methods an analyst calls on what bondkit returns or raises, by
#: module; their methods need an example too (pydantic/dataclass hooks excepted)
ANALYST_CLASSES: dict[str, tuple[str, ...]] = {
    "bondkit.runner": ("Result",),
    "bondkit.scenario": ("Scenario",),
    "bondkit.models.campaign": ("Simulation",),
    "bondkit.models.capacity": ("CapacityResult",),
    "bondkit.errors": ("BondkitError", "Message", "Problem", "ScenarioError"),
    "bondkit.data.rules": ("RuleSet", "Finding"),
    "bondkit.data.references": ("ReferenceIssue",),
}
#: methods that are framework hooks, not calls an analyst makes
HOOKS = {"model_post_init", "cross_check"}


def _modules() -> list[str]:
    names = [bondkit.__name__]
    for info in pkgutil.walk_packages(bondkit.__path__, prefix="bondkit."):
        if info.name not in SKIP_MODULES:
            names.append(info.name)
    return sorted(names)


MODULES = _modules()


def _has_example(obj: object) -> bool:
    return ">>>" in (inspect.getdoc(obj) or "")


def _is_function(obj: object) -> bool:
    """A plain function, or one wrapped by a decorator (functools.cache, wraps...)."""
    obj = inspect.unwrap(obj) if callable(obj) else obj
    return inspect.isfunction(obj) or isinstance(obj, functools.partial)


@functools.cache
def _public_functions() -> dict[str, dict[str, object]]:
    """Every function named in some ``__all__``, under the module that defines it (so a
    function re-exported by ``bondkit/__init__.py`` is counted once, where it is written)."""
    found: dict[str, dict[str, object]] = {name: {} for name in MODULES}
    for name in MODULES:
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", ()):
            obj = getattr(module, public)
            if not _is_function(obj):
                continue
            home = inspect.unwrap(obj).__module__
            home = home if home in found else name
            found[home].setdefault(inspect.unwrap(obj).__name__, obj)
    return found


def _missing_functions(module) -> list[str]:
    functions = _public_functions()[module.__name__]
    return [name for name, obj in functions.items() if not _has_example(obj)]


def _missing_methods(module) -> list[str]:
    missing = []
    for cls_name in ANALYST_CLASSES.get(module.__name__, ()):
        cls = getattr(module, cls_name)
        for name, attr in vars(cls).items():
            if name.startswith("_") or name in HOOKS:
                continue
            if isinstance(attr, classmethod | staticmethod):
                attr = attr.__func__
            if inspect.isfunction(attr) and not _has_example(attr):
                missing.append(f"{cls_name}.{name}")
    return missing


def test_the_package_is_walked():
    """The walk finds the modules (a broken walk would make every other test vacuous)."""
    assert {"bondkit.core.schedule", "bondkit.core.conventions", "bondkit.runner"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_have_a_runnable_example(name):
    module = importlib.import_module(name)
    missing = _missing_functions(module)
    assert not missing, (
        f"{name}: {len(missing)} public function(s) without a '>>>' example in the "
        f"docstring: {', '.join(missing)}"
    )


@pytest.mark.parametrize("name", sorted(ANALYST_CLASSES))
def test_analyst_methods_have_a_runnable_example(name):
    module = importlib.import_module(name)
    missing = _missing_methods(module)
    assert not missing, (
        f"{name}: {len(missing)} method(s) an analyst calls without a '>>>' example: "
        f"{', '.join(missing)}"
    )


def test_every_public_function_has_an_example_summary():
    """All that is missing in one message, by module (what is left of issue #6)."""
    report = {}
    for name in MODULES:
        module = importlib.import_module(name)
        missing = _missing_functions(module) + _missing_methods(module)
        if missing:
            report[name] = missing
    total = sum(len(v) for v in report.values())
    lines = [f"  {name}: {', '.join(missing)}" for name, missing in report.items()]
    assert not report, f"{total} public name(s) without a '>>>' example:\n" + "\n".join(lines)
