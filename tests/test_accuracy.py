"""Accuracy against an exact evaluation (mpmath, 256-bit: tests/exact.py); the project's accuracy targets.

Two definitions of an ulp are used, and both reported in failures:

* ``rel``: ``|error| / (2**-52 * |exact|)`` -- the relative definition;
* ``spacing``: ``|error| / np.spacing(exact)`` -- the gap between floats at the exact value,
  which is up to twice as strict just above a power of two.

The float64 error budget: the angle is rounded once (0.5), ``sin`` is correctly rounded (0.5,
on the platforms we test), the square doubles both, and the final multiply-add rounds once or
twice more. Measured worst cases over the schedules below: 2.5 ``rel`` ulps and 4.09
``spacing`` ulps (4.23 at other sampled steps): the "4 ulp" target holds with margin in the
relative definition; the stricter spacing definition is bounded at 4.5 here.

A power other than 1, and a geometric phase, take double-word paths (``warmcos._math``); the
tests at the end hold them to the same bounds at the extremes of every parameter: powers up to
``POWER_MAX`` (and 1e15 in float64), 300 decades, steps up to 2**62, float32 in every framework
and under each of their compilers.
"""

from __future__ import annotations

import functools

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
        ("tanh", {}),
        ("tanh", {"cycles": 3, "cycle_mul": 2.0, "cycle_decay": 0.5}),
        ("inverse_sqrt", {"timescale": 10_000.0}),
        ("inverse_time", {"timescale": 1000.0}),
        ("constant", {}),
        ("cosine", {"cycles": 4, "cycle_mul": 1.5, "cycle_decay": 0.7, "cycle_warmup_steps": 100}),
    ]
    for final in {"exponential": (0.01, 0.1), "constant": (0.0,)}.get(decay, (0.0, 0.1))
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
    steps: np.ndarray, values: np.ndarray, exact: list[mpmath.mpf], eps: float, dtype: type
) -> tuple[float, int]:
    """The worst error of ``values`` in ulps (``eps``) of the ``exact`` rates, and its step."""
    worst, where = 0.0, -1
    for s, v, e in zip(steps.tolist(), values.tolist(), exact, strict=True):
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
    from exact import exact_family_lr

    exact = [exact_family_lr(sch, s) for s in steps.tolist()]  # at 256 bits: once, for both
    worst64, at64 = family_errors(steps, sch(steps), exact, EPS64, np.float64)
    # whatever the power or the ratio (a power or a wide ratio used to multiply roundings)
    assert worst64 <= 4.0, f"float64: {worst64:.2f} ulps at step {at64}"
    f32 = sch(torch.from_numpy(steps)).numpy()  # torch computes in float32
    worst32, at32 = family_errors(steps, f32.astype(np.float64), exact, EPS32, np.float32)
    assert worst32 <= 8.0, f"float32: {worst32:.2f} ulps at step {at32}"


# -- exact where promised: every power, every ratio, every step (issue 15) ----------------------

#: The largest power the float32 bound is promised for (docs/accuracy.md); float64 holds for any.
POWER_MAX = 1e6


def extreme_steps(sch: Schedule, seed: int) -> np.ndarray:
    """Steps where errors hide: both ends of every phase, dense and geometric, the middle, random."""
    rng = np.random.default_rng(seed)
    parts = [rng.integers(0, sch.total_steps + 1, 300)]
    for p in sch.describe():
        a, b = p.begin, p.end
        span = b - a
        if span <= 0:
            continue
        geo = np.unique(np.geomspace(1, span, 60).astype(np.int64))
        parts += [np.arange(a, min(b, a + 40)), np.arange(max(a, b - 40), b + 1), a + geo, b - geo]
        parts.append([a + span // 2 + d for d in (-1, 0, 1)])
    steps = np.unique(np.concatenate([np.asarray(x, dtype=np.int64) for x in parts]))
    return steps[(steps >= 0) & (steps <= sch.total_steps)]


def worst_ulps(
    sch: Schedule, steps: np.ndarray, values: np.ndarray, dtype: type
) -> tuple[float, float, int]:
    """Worst (rel, spacing) ulp error against ``exact_family_lr``, and the step of the latter.

    Exact values below the dtype's normal range are left out in float32 (TensorFlow and XLA
    flush them to zero) and from ``rel`` in float64 (where ``spacing`` still measures them).
    """
    from exact import exact_family_lr

    eps = EPS64 if dtype is np.float64 else EPS32
    tiny = float(np.finfo(dtype).tiny)
    worst_rel = worst_sp = 0.0
    where = -1
    for s, v in zip(steps.tolist(), np.asarray(values, dtype=np.float64).tolist(), strict=True):
        e = exact_family_lr(sch, s)
        if e == 0:
            assert v == 0, f"step {s}: exact 0, got {v!r}"
            continue
        if dtype is np.float32 and e < tiny:
            continue
        err = abs(mpmath.mpf(v) - e)
        sp = float(err / mpmath.mpf(float(np.spacing(dtype(float(e))))))
        if e >= tiny:
            worst_rel = max(worst_rel, float(err / (eps * abs(e))))
        if sp > worst_sp:
            worst_sp, where = sp, s
    return worst_rel, worst_sp, where


M = 1_000_000
EXTREMES64 = {
    "cosine-p2": Schedule(3e-4, M, warmup_steps=10_000, power=2.0),
    "cosine-p50": Schedule(3e-4, M, warmup_steps=10_000, power=50.0),
    "cosine-p7.7-floor-cosine-warmup-p0.3": Schedule(
        3e-4, M, warmup_steps=10_000, warmup_shape="cosine", warmup_power=0.3,
        warmup_start_lr=3e-6, power=7.7, final_lr=3e-5,
    ),
    "cosine-p1e6": Schedule(3e-4, M, warmup_steps=1000, power=POWER_MAX),
    "cosine-p1e15-T2**62": Schedule(3e-4, 2**62, warmup_steps=1000, power=1e15),
    "cosine-p2-T2**62": Schedule(3e-4, 2**62, warmup_steps=2**40, power=2.0),
    "polynomial-p50-poly-warmup-p1/3": Schedule(
        3e-4, M, warmup_steps=10_000, warmup_shape="polynomial", warmup_power=1 / 3,
        decay_shape="polynomial", power=50.0,
    ),
    "polynomial-p1e6": Schedule(3e-4, M, warmup_steps=1000, decay_shape="polynomial",
                                power=POWER_MAX),
    "polynomial-p3-T2**62": Schedule(3e-4, 2**62, warmup_steps=1000, decay_shape="polynomial",
                                     power=3.0),
    # the largest ratio accepted: 300 decades (high / low < 1e300)
    "exponential-300-decades": Schedule(1.0, M, warmup_steps=1000, decay_shape="exponential",
                                        final_lr=1.0001e-300),
    "exponential-300-decades-warmup": Schedule(
        1e150, M, warmup_steps=500_000, warmup_shape="exponential", warmup_start_lr=1.0001e-150,
        decay_shape="linear",
    ),
    "tanh-floor": Schedule(3e-4, M, warmup_steps=10_000, decay_shape="tanh", final_lr=3e-6),
    "tanh-T2**62": Schedule(3e-4, 2**62, warmup_steps=1000, decay_shape="tanh"),
    "exponential-300-decades-T2**62": Schedule(1e-10, 2**62, warmup_steps=1000,
                                               decay_shape="exponential", final_lr=1.0001e-310),
}  # fmt: skip


@pytest.mark.parametrize("name", EXTREMES64)
def test_every_power_and_ratio_float64_within_4_ulp(name: str) -> None:
    sch = EXTREMES64[name]
    steps = extreme_steps(sch, seed=len(name))
    values = sch(steps)
    rel, spacing, where = worst_ulps(sch, steps, values, np.float64)
    assert rel <= 4.0, f"{rel=:.2f} {spacing=:.2f} (at step {where})"
    assert spacing <= 4.5, f"{rel=:.2f} {spacing=:.2f} (at step {where})"
    # Python numbers: the same formulas through math's functions; torch float64 tensors (of
    # float64 steps, which hold every step exactly below 2**53)
    others = {"Python numbers": np.array([sch(s) for s in steps[::3].tolist()])}
    torch = pytest.importorskip("torch")
    if sch.total_steps < 2**53:
        others["torch float64"] = sch(torch.from_numpy(steps[::3]).double()).numpy()
    for what, got in others.items():
        rel, spacing, where = worst_ulps(sch, steps[::3], got, np.float64)
        assert rel <= 4.0, f"{what}: {rel=:.2f} {spacing=:.2f} (at step {where})"
        assert spacing <= 4.5, f"{what}: {rel=:.2f} {spacing=:.2f} (at step {where})"


#: float32 members: steps up to 2**31 - 1 (JAX's int32 counts), far beyond float32's 2**24.
T32 = 2**31 - 1
EXTREMES32 = {
    "cosine-p10": Schedule(3e-4, M, warmup_steps=10_000, power=10.0),
    "cosine-p7.7-floor": Schedule(3e-4, M, warmup_steps=10_000, power=7.7, final_lr=3e-5),
    "cosine-p1e6-T2**31": Schedule(3e-4, T32, warmup_steps=1000, power=POWER_MAX),
    "cosine-p2-T2**31-cosine-warmup-p0.3": Schedule(
        3e-4, T32, warmup_steps=2**30, warmup_shape="cosine", warmup_power=0.3, power=2.0
    ),
    "polynomial-p10": Schedule(3e-4, M, warmup_steps=10_000, decay_shape="polynomial",
                               power=10.0),
    "polynomial-p1e6-T2**31": Schedule(3e-4, T32, warmup_steps=1000, decay_shape="polynomial",
                                       power=POWER_MAX),
    "polynomial-p2.2-T2**31": Schedule(3e-4, T32, warmup_steps=1000, decay_shape="polynomial",
                                       power=2.2),
    "exponential-30-decades": Schedule(1.0, M, warmup_steps=10_000, decay_shape="exponential",
                                       final_lr=1e-30),
    "tanh-floor": Schedule(3e-4, M, warmup_steps=10_000, decay_shape="tanh", final_lr=3e-5),
    "tanh-T2**31": Schedule(3e-4, T32, warmup_steps=1000, decay_shape="tanh"),
    # the widest float32 ramp promised: ends 2**100 apart (30 decades), where what a fraction
    # from the lower end loses below float32's normal range (flushed to zero by TensorFlow and
    # XLA) stays under an ulp of the lower end
    "exponential-30-decades-T2**31": Schedule(1e15, T32, warmup_steps=1000,
                                              decay_shape="exponential", final_lr=1e-15),
}  # fmt: skip


def _torch(sch: Schedule, steps: np.ndarray) -> np.ndarray:
    torch = pytest.importorskip("torch")
    return sch(torch.from_numpy(steps)).numpy()


def _jax_jit(sch: Schedule, steps: np.ndarray) -> np.ndarray:
    jax = pytest.importorskip("jax")
    optax_schedule = pytest.importorskip("warmcos.jax").optax_schedule
    return np.asarray(jax.jit(optax_schedule(sch))(jax.numpy.asarray(steps, dtype="int32")))


def _tf(sch: Schedule, steps: np.ndarray, **function: bool) -> np.ndarray:
    tf = pytest.importorskip("tensorflow")
    fn = tf.function(sch.__call__, **function) if function else sch
    return np.asarray(fn(tf.constant(steps)))


FLOAT32_PATHS = {
    "torch": _torch,
    "optax-jit": _jax_jit,
    "tensorflow": _tf,
    # graphs: TensorFlow's optimiser (grappler) and XLA rewrite arithmetic
    "tf.function": functools.partial(_tf, autograph=False),
    "tf.function-xla": functools.partial(_tf, jit_compile=True),
}


@pytest.mark.slow
@pytest.mark.parametrize("path", FLOAT32_PATHS)
@pytest.mark.parametrize("name", EXTREMES32)
def test_every_power_and_ratio_float32_within_8_ulp(path: str, name: str) -> None:
    sch = EXTREMES32[name]
    steps = extreme_steps(sch, seed=len(name))
    values = FLOAT32_PATHS[path](sch, steps)
    assert values.dtype == np.float32
    _, spacing, where = worst_ulps(sch, steps, values, np.float32)
    assert spacing <= 8.0, f"{spacing=:.2f} float32 ulps (at step {where})"


def test_the_tanh_constants_are_the_nearest_floats() -> None:
    # C's relative error is one of every rate of a tanh row (warmcos._math._TANH)
    from warmcos._math import _TANH

    with mpmath.workprec(300):
        ratio = 1 - mpmath.exp(-20)
        exact = [mpmath.exp(6), (1 + mpmath.exp(-14)) / ratio, mpmath.exp(14)]
        exact.append((1 + mpmath.exp(-6)) / ratio)
        assert list(_TANH) == [float(v) for v in exact]


def test_the_log_of_the_ratio_is_exact() -> None:
    # K = log(high / low) from the two floats themselves, not from their rounded quotient
    from warmcos._dw import _log_ratio

    for high, low in [(1.0, 1e-30), (1e150, 1.0001e-150), (3.0, 2.0), (0.1, 0.1 - 2**-56), (1.0, 2**-1074)]:  # fmt: skip
        (h_num, h_den), (l_num, l_den) = high.as_integer_ratio(), low.as_integer_ratio()
        num, den = _log_ratio(h_num * l_den, h_den * l_num)
        with mpmath.workprec(300):
            exact = mpmath.log(mpmath.mpf(high) / mpmath.mpf(low))
            assert abs(mpmath.mpf(num) / den - exact) < mpmath.mpf(2) ** -118 * max(1, exact)


@pytest.mark.parametrize("k", [0, 1, 2**26 - 1, 2**27 + 12345, 2**53 + 1, 2**62 - 3])
def test_step_times_constant_is_a_double_word_beyond_2_53(k: int) -> None:
    # k * c, c = pi / 2L: every partial product exact, whatever the size of the step
    from fractions import Fraction

    from warmcos import _dw, _math
    from warmcos._xp import _PYTHON

    length = 2**62 + 12345
    num, den = _math._PI_NUM, _math._PI_DEN * 2 * length
    scale = _dw.scale_constant(num, den, length)[0]
    hi, lo = _dw._scaled(_PYTHON, k, scale)
    exact = Fraction(num * k, den)
    assert abs(Fraction(hi) + Fraction(lo) - exact) <= exact * Fraction(1, 2**75)
