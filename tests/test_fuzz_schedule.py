"""A fuzz of ``Schedule(...)`` over extreme values, for every field of ``FIELDS`` (issue 15).

Every outcome is one of two: a schedule whose rates at a few telling steps (0, the end of the
warmup, the middle, ``total_steps``, past it, far past it) are finite and within the lowest
and highest rate its spec names; or a ``ValueError``/``TypeError`` whose message names a
parameter that was given an unusual value. Steps are fuzzed the same way: a rate within those
bounds, or an error that names ``step``. Never another exception, a NaN, or a value outside.

(The number of restart cycles is kept to what builds at once here: the cost of the worst
accepted cycle counts is the bounded-work benchmark's subject, not this test's.)
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from warmcos import Schedule
from warmcos.schedule import FIELDS

#: Values no field expects, tried for every one of them.
EXTREMES: list[object] = [
    math.inf, -math.inf, math.nan, 0, 0.0, -0.0, 1e-320, 5e-324, 1e308, 10**30, 10**400,
    -1, -1.0, 0.5, 1.5, 2.0, 1e5, 2**63, 2**63 - 1, "5%", "0.05", "abc", "", "2ep", None,
    True, False, [], (), {}, np.float32(0.05), np.float16(1.0), np.float64(math.nan),
    np.int64(10), np.int8(-1), np.uint32(2**32 - 1), np.uint64(2**64 - 1), np.bool_(True),
]  # fmt: skip

#: Values each kind of field does take, so that combinations of valid ones are reached too.
VALID: dict[str, st.SearchStrategy[object]] = {
    "lr": st.sampled_from([0.0, 1e-6, 0.01, 0.5, 1.0, 3.0, np.float32(0.1), 1e-320, 1e308]),
    "duration": st.sampled_from([0, 1, 5, 50, 0.1, "5%", 0.999, np.int64(7)]),
    "real": st.sampled_from([0.5, 1.0, 1.5, 2.0, 0.9, np.float64(3.0)]),
    "optional_real": st.sampled_from([None, 1.0, 100.0]),
    "int": st.sampled_from([1, 2, 3, 7]),
    "bool": st.booleans(),
    "edits": st.sampled_from(
        [(), [(50, "cosine", 100)], [{"at_step": 80, "shape": "linear", "planned_total": 100}]]
    ),
}
#: Values outside the usual kinds, for the fields whose kind is a word or a table.
ODD = {
    "choice": st.text(max_size=8),
    "edits": st.sampled_from(
        [[(2**70, "cosine", 2**71)], [{1: 2, "a": 3}], [(True, "cosine", 100)], [[]], 5]
    ),
    "int": st.sampled_from([0, -1, 10**30, 10_001, 2.0, "3", np.int64(3)]),
}
BY_NAME = {f.name: f for f in FIELDS}
BASE: dict[str, object] = {"peak_lr": 1.0, "total_steps": 100, "warmup_steps": 10}


def value_for(name: str) -> st.SearchStrategy[object]:
    kind = BY_NAME[name].kind
    options = [st.sampled_from(EXTREMES)]
    if kind == "choice":  # mostly a valid name: the shapes and policies reach the rules
        options += [st.sampled_from(BY_NAME[name].choices)] * 4
    if kind in VALID:
        options += [VALID[kind]] * 2
    if kind in ODD:
        options.append(ODD[kind])
    return st.one_of(*options)


@st.composite
def specs(draw: st.DrawFn) -> tuple[dict[str, object], set[str]]:
    names = draw(st.sets(st.sampled_from(list(BY_NAME)), min_size=1, max_size=5))
    if draw(st.booleans()):  # a shape or a restart count, with the values it relates to
        names.add(draw(st.sampled_from(["warmup_shape", "decay_shape", "cycles"])))
    kwargs = dict(BASE)
    for name in sorted(names):
        kwargs[name] = draw(value_for(name))
    return kwargs, names


def rate_bounds(s: Schedule) -> tuple[float, float]:
    """The lowest and highest rate the spec names: its three rates, each cycle's peak and floor."""
    rates = [s.warmup_start_lr, s.peak_lr, s.final_lr]
    k_total = s.cycles
    for k in range(k_total):
        rates.append(s.peak_lr * s.cycle_decay**k)
        if s.cycle_floor == "scaled":
            rates.append(s.final_lr * s.cycle_decay ** (k - k_total + 1))
    return min(rates), max(rates)


def check_rates(s: Schedule, values: object) -> None:
    lo, hi = rate_bounds(s)
    for v in np.ravel(np.asarray(values, dtype=np.float64)).tolist():
        assert math.isfinite(v), (s, v)
        assert lo <= v <= hi, (s, v, lo, hi)


def telling_steps(s: Schedule) -> list[int]:
    """0, the end of the warmup, the middle, the end; past it (unless after="raise")."""
    t, w = s.total_steps, s.warmup_steps
    past = [] if s.after == "raise" else [t + 1, 2 * t, 10**6 + t, 10**400]
    return [0, w, (w + t) // 2, t - 1, t, *past]


def names_one_of(message: str, names: set[str]) -> bool:
    return any(name in message for name in names)


def outcome(fn: object, *args: object, **kwargs: object) -> tuple[object, str | None]:
    """``(result, None)``, or ``(None, message)`` for a ``ValueError``/``TypeError``."""
    try:
        return fn(*args, **kwargs), None  # type: ignore[operator]
    except (ValueError, TypeError) as error:
        return None, str(error)


@settings(max_examples=400)
@given(specs())
def test_every_spec_is_a_schedule_within_its_rates_or_an_error_naming_a_parameter(
    case: tuple[dict[str, object], set[str]],
) -> None:
    kwargs, names = case
    s, message = outcome(Schedule, **kwargs)
    if message is not None:
        assert names_one_of(message, names), (kwargs, message)
        return
    assert isinstance(s, Schedule)
    steps = telling_steps(s)
    check_rates(s, [s(k) for k in steps])
    check_rates(s, s(np.array(steps, dtype=object)))  # Python ints beyond int64 too
    # the spec round-trips, as every accepted schedule must
    assert Schedule.from_dict(s.to_dict()) == s


STEPS: list[object] = [
    0, 1, 2**31, 2**63 - 1, 2**63, 2**64, 10**400, -1, -(10**400), 0.5, 1e300, -0.0,
    math.inf, math.nan, True, None, "3", 1j, np.uint32(2**32 - 1), np.uint64(2**64 - 1),
    np.int8(-1), np.float32(7.5), np.float16(2.0), np.bool_(False), [True], [2**70, 1],
    [10**400, 0.5], [[1, 2], [3]], [None], np.array([2**70], dtype=object),
    np.array([1e300, 5.0]), np.array([2**64 - 1], dtype=np.uint64), np.array([], dtype=int),
]  # fmt: skip
SCHEDULES = [
    Schedule(1.0, 100, warmup_steps=10, warmup_start_lr=0.1, final_lr=0.01, after=after)
    for after in ("hold", "wrap", "raise")
] + [
    Schedule(0.3, 1000, warmup_steps=100, decay_shape="exponential", final_lr=1e-3, cycles=3,
             cycle_mul=2.0, cycle_decay=0.5, cycle_floor="scaled", cycle_warmup_steps=5),
    Schedule(1e-3, 2**63 - 1, warmup_steps="1%", decay_shape="inverse_sqrt", timescale=1e4),
]  # fmt: skip


@given(st.sampled_from(SCHEDULES), st.sampled_from(STEPS) | st.integers(-(10**30), 10**30))
def test_every_step_is_a_rate_within_bounds_or_an_error_naming_step(
    s: Schedule, step: object
) -> None:
    got, message = outcome(s, step)
    if message is not None:
        assert "step" in message, (step, message)
        return
    check_rates(s, got)


def test_each_field_alone_with_each_extreme() -> None:
    """Every field, every extreme value, one at a time: the same two outcomes."""
    for name in BY_NAME:
        for value in EXTREMES:
            s, message = outcome(Schedule, **{**BASE, name: value})
            if message is not None:
                assert name in message, (name, value, message)
                continue
            assert isinstance(s, Schedule)
            check_rates(s, s(np.array(telling_steps(s), dtype=object)))
            check_rates(s, s.curve(0, min(s.total_steps, 10_000) + 1))


#: The spec's own rules, which a derived schedule inherits (a cooldown of a wrap schedule).
SPEC_RULES = ("after='wrap'", "final_lr", "edits", "the rate at step")


def test_every_method_with_extreme_arguments_returns_or_names_its_parameter() -> None:
    """replan, cooldown, with_peak, curve and first_step_below, over the same extremes."""
    values = [*EXTREMES, 5, 50, 99, 100, 101, 1000, 5000]
    branch = Schedule(1.0, 10_000, warmup_steps=100, stable_steps=9_000).cooldown(5_000, 1_000)
    calls: list[tuple[str, object, tuple[str, ...]]] = []
    for s in [*SCHEDULES, branch]:
        for a in values:
            calls += [
                ("with_peak", lambda s=s, a=a: s.with_peak(a), ("peak_lr",)),
                ("curve", lambda s=s, a=a: s.curve(a) if small(a) else None, ("stop", "step")),
                ("first_step_below", lambda s=s, a=a: s.first_step_below(a), ("lr",)),
                ("start", lambda s=s, a=a: s.first_step_below(0.5, start=a), ("start",)),
            ]
            for b in values:
                calls += [
                    ("replan", lambda s=s, a=a, b=b: s.replan(a, b), ("at_step", "total_steps")),
                    ("cooldown", lambda s=s, a=a, b=b: s.cooldown(a, b), ("at_step", "steps")),
                    (
                        "curve",
                        lambda s=s, a=a, b=b: s.curve(a, b) if small(a) and small(b) else None,
                        ("start", "stop", "step"),
                    ),
                ]
    for name, call, names in calls:
        _, message = outcome(call)
        if message is not None:
            assert any(n in message for n in (*names, *SPEC_RULES)), (name, message)


def small(value: object) -> bool:
    """Not an int so large that curve() would fill memory (that refusal has its own test)."""
    return not isinstance(value, int) or value <= 10**6
