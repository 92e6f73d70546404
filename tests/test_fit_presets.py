"""Every preset of the registry, recorded, is fitted back: equal at every recorded step.

Library presets are also recorded over drawn arguments (Hypothesis, two each): curves nobody
wrote for the test, every step the fit misses among those it reports.

Library presets are recorded from the real library (``conformance/anchors.py``, on
``DEFAULT_CASES``, from step 0 to the last step the preset equals it), codebase presets from
their golden data (``tests/data/codebases/*.json``). Each curve is fitted, and the fitted
schedule is evaluated again at every step: each step where it differs from the record by more
than the input's rounding (:func:`warmcos._fit.tolerance` of the largest value) must be one
``fit`` reports as unexplained. A preset is *fully explained* when ``fit`` leaves no step
unexplained on any of its cases: their count may grow, never shrink (:data:`EXPLAINED`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import warmcos
from conformance.anchors import ANCHORS
from conformance.preset_strategies import DEFAULT_CASES, STRATEGIES
from conformance.test_presets import last_step
from warmcos import _fit, presets
from warmcos.presets import PRESETS

DATA = Path(__file__).parent / "data" / "codebases"
#: The least number of presets fully explained on every case (the count measured today).
EXPLAINED = 102


@cache
def golden() -> dict[str, list[np.ndarray]]:
    """The codebases' recorded curves, by preset."""
    out: dict[str, list[np.ndarray]] = {}
    for path in sorted(DATA.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            out.setdefault(case["preset"], []).append(np.array(case["values"], case["dtype"]))
    return out


@cache
def curves(name: str) -> list[np.ndarray]:
    """The recorded curves of a preset's cases, of three steps or more each.

    (Two values are a line through two points, any shape's: a curve of two says nothing to
    fit, and ``fit`` rightly calls both steps unexplained.)
    """
    if PRESETS[name].codebase is not None:
        return [values for values in golden()[name] if values.size >= 3]
    out = []
    for kwargs in DEFAULT_CASES[name]:
        n = max(1, last_step(name, getattr(presets, name)(**kwargs)))
        values = np.asarray(ANCHORS[name](n, **kwargs))
        if values.size >= 3:
            out.append(values)
    return out


def checked(values: np.ndarray, *, equal: bool = False) -> warmcos.Fit:
    """``fit(values)``, every step it misses among those it reports unexplained.

    ``equal``: it misses none (the partial fit of what it cannot explain still reproduces it).
    """
    found = warmcos.fit(values)
    theirs = values.astype(np.float64)
    ours = found.schedule.curve(theirs.size)
    error = np.abs(ours - theirs)
    limit = _fit.tolerance(values.dtype == np.float32) * float(theirs.max())
    differs = set(np.flatnonzero(~(error <= limit)).tolist())
    assert differs <= set(found.unexplained), (values.tolist(), found)
    assert found.max_error == pytest.approx(float(error.max()), rel=1e-9, abs=1e-300)
    assert not (equal and differs), sorted(differs)
    return found


@cache
def unexplained(name: str) -> int:
    """How many steps ``fit`` leaves unexplained over the preset's cases, each checked."""
    return sum(len(checked(values, equal=True).unexplained) for values in curves(name))


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_recorded_preset_is_fitted_back_or_its_misfit_reported(name: str) -> None:
    unexplained(name)


def test_how_many_presets_are_fully_explained() -> None:
    explained = [name for name in PRESETS if unexplained(name) == 0]
    left = sorted(set(PRESETS) - set(explained))
    print(f"{len(explained)} of {len(PRESETS)} presets fully explained; not: {', '.join(left)}")
    assert len(explained) >= EXPLAINED, left


LIBRARY = [name for name in PRESETS if PRESETS[name].codebase is None]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", LIBRARY)
def test_a_library_curve_over_drawn_arguments_is_fitted_back_or_its_misfit_reported(
    name: str,
) -> None:
    """Curves nobody wrote for the test: the library recorded over drawn arguments."""

    @settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[name])
    def run(kwargs: dict[str, Any]) -> None:
        n = min(last_step(name, getattr(presets, name)(**kwargs)), 2000)
        if n >= 2:  # (steps 0 .. n: three values at least)
            checked(np.asarray(ANCHORS[name](n, **kwargs)))

    run()
