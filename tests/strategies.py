"""Hypothesis strategies for valid schedules, in one place."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from warmcos import Schedule
from warmcos.schedule import FIELDS

#: The shapes, as the registry gives them (``warmcos._math.SHAPES``, through the public
#: ``FIELDS``): every list of shapes in the tests is this one, so a new shape is drawn, and
#: checked for coverage (tests/test_registry.py), without editing a test.
WARMUP_SHAPE_NAMES: tuple[str, ...] = next(f.choices for f in FIELDS if f.name == "warmup_shape")
DECAY_SHAPE_NAMES: tuple[str, ...] = next(f.choices for f in FIELDS if f.name == "decay_shape")

AFTER = st.sampled_from(["hold", "wrap", "raise"])

# Learning rates over the range people use, zero included; no subnormals.
lrs = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-8, max_value=10.0, allow_nan=False, allow_infinity=False),
)


@st.composite
def schedules(
    draw: st.DrawFn, max_total: int = 10**7, after: st.SearchStrategy[str] = AFTER
) -> Schedule:
    """Any valid Schedule: warmup may rise or fall, the floor is at most the peak."""
    total = draw(st.integers(min_value=1, max_value=max_total))
    warmup = draw(st.integers(min_value=0, max_value=total - 1))
    peak = draw(lrs)
    final = draw(st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=peak)))
    start = draw(lrs)
    return Schedule(
        peak_lr=peak,
        total_steps=total,
        warmup_steps=warmup,
        warmup_start_lr=start,
        final_lr=final,
        after=draw(after),
    )


# -- the schedule family ------------------------------------------------------------------------

WARMUP_SHAPES = st.sampled_from(WARMUP_SHAPE_NAMES)
DECAY_SHAPES = st.sampled_from(DECAY_SHAPE_NAMES)
positive_lrs = st.floats(min_value=1e-6, max_value=10.0, allow_nan=False, allow_infinity=False)
powers = st.sampled_from([0.5, 1.0, 2.0, 3.0]) | st.floats(min_value=0.1, max_value=4.0)


@st.composite
def family(draw: st.DrawFn, max_total: int = 20_000, max_cycles: int = 5) -> Schedule:
    """Any member of the family: shapes, stable phase, floor, restarts, decay_from_zero."""
    decay = draw(DECAY_SHAPES)
    warm = draw(WARMUP_SHAPES)
    cycles = 1 if decay == "constant" else draw(st.integers(1, max_cycles))
    total = draw(st.integers(min_value=max(2, 4 * cycles), max_value=max_total))
    warmup = draw(st.integers(0, total // 4))
    stable = draw(st.integers(0, total // 4))
    peak = draw(positive_lrs)
    start = draw(positive_lrs if warm == "exponential" else st.just(0.0) | positive_lrs)
    if decay == "constant":
        final = 0.0
    elif decay == "exponential":
        final = draw(st.floats(min_value=1e-3, max_value=1.0)) * peak
    else:
        final = draw(st.just(0.0) | st.floats(min_value=0.0, max_value=1.0)) * peak
    kw: dict[str, object] = {
        "warmup_shape": warm,
        "decay_shape": decay,
        "stable_steps": stable,
        "warmup_start_lr": start,
        "final_lr": final,
        "after": draw(st.sampled_from(["hold", "raise"])),
    }
    if warm == "polynomial":
        kw["warmup_power"] = draw(powers)
    if decay in ("polynomial", "cosine"):
        kw["power"] = draw(powers)
    if decay in ("inverse_sqrt", "inverse_time"):
        kw["timescale"] = draw(st.floats(min_value=1.0, max_value=1e4))
    if cycles > 1:
        kw["cycles"] = cycles
        kw["cycle_mul"] = draw(st.sampled_from([1.0, 1.5, 2.0]))
        kw["cycle_decay"] = draw(st.sampled_from([1.0, 0.9, 0.5]))
        kw["cycle_floor"] = draw(st.sampled_from(["fixed", "scaled"]))
        kw["cycle_warmup_steps"] = draw(st.integers(0, 3))
    elif decay != "constant" and stable == 0 and draw(st.booleans()):
        kw["decay_from_zero"] = warmup > 0
    try:
        return Schedule(peak, total, warmup_steps=warmup, **kw)  # type: ignore[arg-type]
    except ValueError as error:  # too many cycles for the span, a floor above a cycle's peak...
        from hypothesis import reject

        if "cycle" in str(error) or "floor" in str(error) or "decay_from_zero" in str(error):
            reject()
        raise


#: Named members of the family for the adapters' equality tests: 10k-step runs, non-zero
#: warmup starts and floors (zero defaults hide bugs), restarts, overlap, a power other than 1,
#: and every shape of the registry as a warmup and as a decay (tests/test_registry.py checks).
FAMILY_CASES: dict[str, Schedule] = {
    "wsd_1sqrt": Schedule(
        3e-4, 10_000, warmup_steps=300, warmup_start_lr=3e-5, stable_steps="70%",
        decay_shape="1-sqrt", final_lr=3e-6,
    ),
    "linear_to_zero": Schedule(1e-2, 10_000, warmup_steps=100, warmup_start_lr=1e-4,
                               decay_shape="linear"),
    "sgdr": Schedule(
        1e-2, 10_000, warmup_steps=200, warmup_start_lr=1e-4, final_lr=1e-5, cycles=3,
        cycle_mul=2.0, cycle_decay=0.5, cycle_warmup_steps=50,
    ),
    "polynomial_cosine_warmup": Schedule(
        0.1, 10_000, warmup_steps=500, warmup_shape="cosine", warmup_start_lr=0.01,
        decay_shape="polynomial", power=2.0, final_lr=1e-3,
    ),
    "exponential_log_warmup": Schedule(
        0.1, 10_000, warmup_steps=999, warmup_shape="log", warmup_start_lr=0.001,
        decay_shape="exponential", final_lr=1e-3,
    ),
    "inverse_sqrt": Schedule(1e-3, 10_000, warmup_steps=400, warmup_start_lr=1e-5,
                             decay_shape="inverse_sqrt", timescale=400.0),
    "decay_from_zero": Schedule(0.1, 10_000, warmup_steps=500, warmup_start_lr=0.01,
                                decay_from_zero=True, final_lr=1e-3),
    "constant_after_warmup": Schedule(0.1, 10_000, warmup_steps=500, warmup_start_lr=0.01,
                                      decay_shape="constant"),
    "inverse_time_1sqrt_warmup": Schedule(
        1e-3, 10_000, warmup_steps=700, warmup_shape="1-sqrt", warmup_start_lr=1e-5,
        decay_shape="inverse_time", timescale=250.0, final_lr=1e-5,
    ),
    "cosine_power_polynomial_warmup": Schedule(
        0.1, 10_000, warmup_steps=600, warmup_shape="polynomial", warmup_power=0.5,
        warmup_start_lr=0.01, power=2.0, final_lr=1e-3,
    ),
    "tanh_with_restarts": Schedule(
        0.1, 10_000, warmup_steps=400, warmup_start_lr=1e-3, decay_shape="tanh", final_lr=1e-4,
        cycles=3, cycle_decay=0.5, cycle_floor="scaled",
    ),
    "linear_exponential_warmup": Schedule(
        0.1, 10_000, warmup_steps=800, warmup_shape="exponential", warmup_start_lr=1e-4,
        stable_steps=1000, decay_shape="linear", final_lr=1e-3,
    ),
}  # fmt: skip


def _member(total: int, **kw: Any) -> Schedule:
    """A schedule with non-zero ends and a stable phase; a shape that needs a timescale gets one."""
    base: dict[str, Any] = {
        "warmup_steps": total * 3 // 20, "warmup_start_lr": 2e-3, "stable_steps": total // 20,
        "final_lr": 1e-3,
    }  # fmt: skip
    base.update(kw)
    try:
        return Schedule(0.1, total, **base)
    except ValueError as error:
        if "needs a timescale" not in str(error):
            raise
        return Schedule(0.1, total, timescale=total / 25, **base)


def _with_power(total: int, field: str, power: float, **kw: Any) -> Schedule | None:
    """The member with ``field`` (``power`` or ``warmup_power``) set, if its shape takes one."""
    try:
        return _member(total, **kw, **{field: power})
    except ValueError as error:
        if f"{field} is the exponent" in str(error):
            return None
        raise


def shape_members(total: int) -> dict[str, Schedule]:
    """Every shape of the registry as a warmup and as a decay, at powers 1, 0.5 and 3 where it
    takes a power, by name (``"warmup-log"``, ``"decay-cosine-p3.0"``): ``total`` steps."""
    out: dict[str, Schedule] = {}
    for name in WARMUP_SHAPE_NAMES:
        out[f"warmup-{name}"] = _member(total, warmup_shape=name)
        for p in (0.5, 3.0):
            if (s := _with_power(total, "warmup_power", p, warmup_shape=name)) is not None:
                out[f"warmup-{name}-p{p}"] = s
    for name in DECAY_SHAPE_NAMES:
        kw: dict[str, Any] = {"decay_shape": name}
        try:
            out[f"decay-{name}"] = _member(total, **kw)
        except ValueError as error:  # a shape without an end value (constant): no floor
            if "final_lr has no effect" not in str(error):
                raise
            kw["final_lr"] = 0.0
            out[f"decay-{name}"] = _member(total, **kw)
        for p in (0.5, 3.0):
            if (s := _with_power(total, "power", p, **kw)) is not None:
                out[f"decay-{name}-p{p}"] = s
    return out
