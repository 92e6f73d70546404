"""Accuracy against an exact evaluation (mpmath, 256-bit: tests/exact.py), SPEC §5.

Two definitions of an ulp are used, and both reported in failures:

* ``rel``: ``|error| / (2**-52 * |exact|)`` -- the relative definition;
* ``spacing``: ``|error| / np.spacing(exact)`` -- the gap between floats at the exact value,
  which is up to twice as strict just above a power of two.

The float64 error budget: the angle is rounded once (0.5), ``sin`` is correctly rounded (0.5,
on the platforms we test), the square doubles both, and the final multiply-add rounds once or
twice more. Measured worst cases over the schedules below: 2.5 ``rel`` ulps and 4.09
``spacing`` ulps (4.23 at other sampled steps): the SPEC's "4 ulp" holds with margin in the
relative definition; the stricter spacing definition is bounded at 4.5 here.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from exact import exact_lr
from warmcos import Schedule

EPS64 = 2.0**-52
EPS32 = 2.0**-23


def steps_to_check(sch: Schedule, seed: int) -> np.ndarray:
    """Every step of the warmup's first 1000 and the decay's last 1%, plus 6000 random ones."""
    w, t = sch.warmup_steps, sch.total_steps
    rng = np.random.default_rng(seed)
    parts = [
        np.arange(0, min(w, 1000)),
        np.arange(max(w, t - t // 100), t + 1),
        rng.integers(0, t + 1, 6000),
        [w - 1, w, w + 1, t - 1, t],
    ]
    steps = np.unique(np.concatenate(parts))
    return steps[(steps >= 0) & (steps <= t)]


def errors(
    values: np.ndarray, steps: np.ndarray, sch: Schedule, dtype: type
) -> tuple[float, float, int]:
    """Worst (rel, spacing) ulp error of ``values`` and the step where the spacing one is."""
    eps = EPS64 if dtype is np.float64 else EPS32
    worst_rel = worst_sp = 0.0
    where = -1
    for s, v in zip(steps.tolist(), values.tolist(), strict=True):
        e = exact_lr(sch, s)
        if e == 0:
            assert v == 0, f"step {s}: exact 0, got {v!r}"
            continue
        err = abs(mpmath.mpf(v) - e)
        rel = float(err / (eps * abs(e)))
        sp = float(err / mpmath.mpf(float(np.spacing(dtype(float(e))))))
        worst_rel = max(worst_rel, rel)
        if sp > worst_sp:
            worst_sp, where = sp, s
    return worst_rel, worst_sp, where


SCHEDULES = [
    Schedule(peak_lr=0.1, total_steps=1_000_000, warmup_steps=10_000),
    Schedule(
        peak_lr=3e-4, total_steps=1_000_000, warmup_steps=5000, warmup_start_lr=3e-5, final_lr=3e-6
    ),
    Schedule(
        peak_lr=0.05, total_steps=1_000_000, warmup_steps=200, warmup_start_lr=0.2, final_lr=0.001
    ),
    Schedule(peak_lr=1.0, total_steps=1_234_567, warmup_steps=0),
]


@pytest.mark.parametrize("sch", SCHEDULES, ids=lambda s: f"T{s.total_steps}-w{s.warmup_steps}")
def test_float64_within_4_ulp_including_the_last_percent(sch: Schedule) -> None:
    steps = steps_to_check(sch, seed=sch.total_steps)
    values = sch(steps)
    rel, spacing, where = errors(values, steps, sch, np.float64)
    assert rel <= 4.0, f"{rel=:.3f} {spacing=:.3f} (at step {where})"
    assert spacing <= 4.5, f"{rel=:.3f} {spacing=:.3f} (at step {where})"
    # Python numbers take the same path, value for value.
    for s in steps[:: max(1, len(steps) // 500)].tolist():
        assert sch(s) == values[np.searchsorted(steps, s)]


@pytest.mark.parametrize("sch", SCHEDULES[:3], ids=lambda s: f"T{s.total_steps}-w{s.warmup_steps}")
def test_numpy_float32_steps_within_8_float32_ulp(sch: Schedule) -> None:
    steps = steps_to_check(sch, seed=1)
    values = sch(steps.astype(np.float32))
    assert values.dtype == np.float32
    # float32 steps above 2**24 are themselves rounded: compare at the step actually given.
    given = steps.astype(np.float32).astype(np.int64)
    rel, spacing, where = errors(values.astype(np.float64), given, sch, np.float32)
    assert spacing <= 8.0, f"{rel=:.3f} {spacing=:.3f} (at step {where})"


def test_the_tail_keeps_full_relative_precision_where_float32_cancellation_gives_zero() -> None:
    # The reference (float32, 1 + cos) returns exactly 0.0 at steps 99998 and 99999 of the
    # imagenet recipe (tests/data/seed_tf_float32.csv); the true values are small but positive.
    sch = Schedule(peak_lr=0.1, total_steps=100_000, warmup_steps=1000)
    for s in (99_990, 99_998, 99_999):
        e = exact_lr(sch, s)
        got = sch(s)
        assert got > 0
        assert abs(mpmath.mpf(got) - e) <= 4 * EPS64 * e
    # ...and in float32 arrays too.
    got32 = sch(np.array([99_998, 99_999], dtype=np.float32))
    assert (got32 > 0).all()


def test_exact_integer_progress_at_steps_beyond_2_53() -> None:
    # Python ints are exact at any size; under "hold" a huge step is simply the final value,
    # and wrap folds the integer step before any float appears.
    t = 2**60
    sch = Schedule(peak_lr=1.0, total_steps=t, warmup_steps=1, after="wrap")
    assert sch(t) == 0.0
    assert sch(2 * t - 1) == 1.0  # back at the peak at 2T - w
    assert sch(t - 1) > 0.0


# -- every shape of the family, 1M-step schedules ---------------------------------------------


def _family(decay: str, final: float, **kw: object) -> Schedule:
    return Schedule(
        peak_lr=3e-4, total_steps=1_000_000, warmup_steps=10_000, final_lr=final * 3e-4,
        decay_shape=decay, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


FAMILY = [
    _family(decay, final, **kw)
    for decay, kw in [
        ("cosine", {}),
        ("cosine", {"power": 2.0}),
        ("linear", {"warmup_shape": "cosine", "stable_steps": 500_000}),
        ("polynomial", {"power": 2.0, "warmup_shape": "polynomial", "warmup_power": 0.5}),
        ("polynomial", {"power": 0.5}),
        ("1-sqrt", {"stable_steps": 790_000, "warmup_shape": "1-sqrt"}),
        ("exponential", {"warmup_shape": "log"}),
        ("inverse_sqrt", {"timescale": 10_000.0}),
        ("inverse_time", {"timescale": 1000.0}),
        ("cosine", {"cycles": 4, "cycle_mul": 1.5, "cycle_decay": 0.7, "cycle_warmup_steps": 100}),
    ]
    for final in ((0.0, 0.1) if decay != "exponential" else (0.01, 0.1))
] + [
    Schedule(1.0, 1_000_000, warmup_steps=1000, warmup_start_lr=0.01, warmup_shape="exponential",
             decay_shape="exponential", final_lr=1e-4),
]  # fmt: skip


def _family_id(s: Schedule) -> str:
    shown = {
        k: v
        for k, v in s.to_dict().items()
        if k in ("decay_shape", "power", "cycles", "warmup_shape")
    }
    return "-".join(f"{v}" for v in shown.values()) + f"-final{s.final_lr:g}"


def family_errors(
    sch: Schedule, steps: np.ndarray, values: np.ndarray, eps: float, dtype: type
) -> tuple[float, int]:
    from exact import exact_family_lr

    worst, where = 0.0, -1
    for s, v in zip(steps.tolist(), values.tolist(), strict=True):
        e = exact_family_lr(sch, s)
        if e == 0:
            assert v == 0, f"step {s}: exact 0, got {v!r}"
            continue
        rounded = mpmath.mpf(float(dtype(float(e))))  # float32: against the rounded exact value
        err = float(abs(mpmath.mpf(v) - rounded) / (eps * abs(e)))
        if err > worst:
            worst, where = err, s
    return worst, where


@pytest.mark.slow
@pytest.mark.parametrize("sch", FAMILY, ids=_family_id)
def test_every_shape_float64_within_4_ulp_and_float32_within_8(sch: Schedule) -> None:
    torch = pytest.importorskip("torch")
    steps = steps_to_check(sch, seed=7)
    # every phase boundary and its neighbours too
    joins = np.array([p.begin for p in sch.describe()] + [sch.total_steps])
    steps = np.unique(np.concatenate([steps, joins - 1, joins, joins + 1]))
    steps = steps[(steps >= 0) & (steps <= sch.total_steps)]
    worst64, at64 = family_errors(sch, steps, sch(steps), EPS64, np.float64)
    # A cosine factor to the power p multiplies sin's (and the angle's) rounding by 2p.
    bound = max(4.0, 2 * sch.power + 1) if sch.decay_shape == "cosine" else 4.0
    if sch.decay_shape == "exponential" and sch.peak_lr / sch.final_lr > 1000:
        bound = 5.0  # a geometric decay over 4 decades: 4.30 ulps measured (K = log 1e4 = 9.2)
    assert worst64 <= bound, f"float64: {worst64:.2f} ulps at step {at64}"
    f32 = sch(torch.from_numpy(steps)).numpy()  # torch computes in float32
    worst32, at32 = family_errors(sch, steps, f32.astype(np.float64), EPS32, np.float32)
    assert worst32 <= 8.0, f"float32: {worst32:.2f} ulps at step {at32}"
