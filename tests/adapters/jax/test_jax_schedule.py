"""warmcos.jax: the optax schedule against the core, against mpmath, under jit and vmap.

Accuracy is measured in float32 ulps of the exact value rounded to float32, with the ulp taken
as ``np.spacing`` there (the stricter definition just above a power of two); the target allows 8.
"""

from __future__ import annotations

import functools
import importlib
import pickle
import sys

import jax
import numpy as np
import pytest
from jax import numpy as jnp

from exact import exact_lrs as exact
from strategies import FAMILY_CASES
from warmcos import Schedule
from warmcos.jax import OptaxSchedule, optax_schedule

INT32_MAX = 2**31 - 1

# A non-zero warmup start and floor: zero defaults hide bugs.
SCHEDULE = Schedule(
    peak_lr=3e-4, total_steps=10_000, warmup_steps=500, warmup_start_lr=1e-5, final_lr=3e-6
)


def ulps32(got: jax.Array | np.ndarray, want: np.ndarray) -> np.ndarray:
    """|got - want| in float32 ulps (``np.spacing``) of ``want`` rounded to float32.

    An exact zero must be met exactly (its "ulp" is the smallest subnormal).
    """
    got = np.asarray(got)
    assert got.dtype == np.float32, got.dtype
    want32 = want.astype(np.float32)
    spacing = np.spacing(np.abs(want32)).astype(np.float64)
    return np.abs(got.astype(np.float64) - want32.astype(np.float64)) / spacing


def assert_within_8_ulps(got: jax.Array | np.ndarray, want: np.ndarray, steps: np.ndarray) -> None:
    err = ulps32(got, want)
    worst = int(np.argmax(err))
    assert err[worst] <= 8, (
        f"{err[worst]:.1f} float32 ulps at step {steps[worst]}: got {np.asarray(got)[worst]!r}, "
        f"exact {want[worst]!r}"
    )


# -- the core, every step ---------------------------------------------------------------


def test_every_step_of_a_10k_run_equals_the_core_eager_and_under_jit() -> None:
    fn = optax_schedule(SCHEDULE)
    counts = jnp.arange(SCHEDULE.total_steps + 101, dtype=jnp.int32)  # 100 steps past the end
    eager, jitted = fn(counts), jax.jit(fn)(counts)
    assert eager.dtype == jitted.dtype == jnp.float32
    assert eager.shape == jitted.shape == counts.shape
    # the adapter adds nothing: the core's schedule(jax_array), bit for bit, eager and jitted
    np.testing.assert_array_equal(eager, SCHEDULE(counts))
    np.testing.assert_array_equal(jitted, jax.jit(SCHEDULE)(counts))
    # ... which is the core's float64 value to float32 accuracy, at every step
    core64 = SCHEDULE.curve(len(counts))
    steps = np.asarray(counts)
    assert_within_8_ulps(eager, core64, steps)
    assert_within_8_ulps(jitted, core64, steps)
    # the boundary values are hit exactly: start, peak, final, and held past the end
    for c, value in ((0, 1e-5), (500, 3e-4), (10_000, 3e-6), (10_100, 3e-6)):
        assert eager[c] == jitted[c] == np.float32(value), c


@pytest.mark.parametrize("name", sorted(FAMILY_CASES))
def test_every_member_of_the_family_equals_the_core_eager_jit_and_traced_rates(name: str) -> None:
    schedule = FAMILY_CASES[name]
    counts = jnp.arange(schedule.total_steps + 51, dtype=jnp.int32)
    fn = optax_schedule(schedule)
    eager, jitted = fn(counts), jax.jit(fn)(counts)
    np.testing.assert_array_equal(eager, schedule(counts))
    np.testing.assert_array_equal(jitted, jax.jit(schedule)(counts))
    core64 = schedule.curve(len(counts))
    assert_within_8_ulps(eager, core64, np.asarray(counts))
    assert_within_8_ulps(jitted, core64, np.asarray(counts))
    for phase in schedule.describe():  # every phase that starts at one of its values
        if phase.continuous or phase.kind != "decay" or phase.cycle:
            assert eager[phase.begin] == np.float32(phase.lr_begin), phase
            assert jitted[phase.begin] == np.float32(phase.lr_begin), phase
    # Traced rates (vmap over scaled peaks): each row's values are the same linear forms.
    factors = jnp.array([0.5, 2.0])

    def scaled(f: jax.Array, count: jax.Array) -> jax.Array:
        rates = {k: getattr(schedule, k) * f for k in ("peak_lr", "warmup_start_lr", "final_lr")}
        return optax_schedule(schedule, **rates)(count)

    batched = jax.jit(jax.vmap(scaled, in_axes=(0, None)))(factors, counts[::7])
    for f, row in zip(factors.tolist(), batched, strict=True):
        assert_within_8_ulps(
            row,
            schedule.with_peak(schedule.peak_lr * f).curve(len(counts))[::7],
            np.asarray(counts[::7]),
        )


def test_each_step_as_optax_calls_it_a_traced_int32_scalar() -> None:
    """optax calls the schedule with its int32 count, one scalar per update, inside jit."""
    fn = optax_schedule(SCHEDULE)
    counts = jnp.arange(0, SCHEDULE.total_steps + 1, 7, dtype=jnp.int32)
    one_by_one = jax.jit(lambda cs: jax.lax.map(fn, cs))(counts)
    assert one_by_one.dtype == jnp.float32
    assert_within_8_ulps(one_by_one, SCHEDULE.curve()[::7], np.asarray(counts))
    # vmap over counts is the same elementwise computation
    assert_within_8_ulps(jax.vmap(fn)(counts), SCHEDULE.curve()[::7], np.asarray(counts))


@pytest.mark.parametrize(
    "count",
    [1234, np.int32(1234), np.int64(1234), jnp.int32(1234), jnp.asarray(1234, dtype=jnp.uint32)],
    ids=["python-int", "np.int32", "np.int64", "jnp.int32", "jnp.uint32"],
)
def test_count_types(count: object) -> None:
    value = optax_schedule(SCHEDULE)(count)
    assert isinstance(value, jax.Array)
    assert value.dtype == jnp.float32
    assert value.shape == ()
    assert_within_8_ulps(value[None], SCHEDULE.curve(1235)[-1:], np.array([1234]))


def test_int64_counts_with_x64() -> None:
    """With jax_enable_x64 the count may be int64, the result is float64, and schedules may be
    longer than int32 allows."""
    with jax.enable_x64(True):
        fn = optax_schedule(SCHEDULE)
        counts = jnp.arange(SCHEDULE.total_steps + 1, dtype=jnp.int64)
        for got in (fn(counts), jax.jit(fn)(counts)):
            assert got.dtype == jnp.float64
            np.testing.assert_allclose(np.asarray(got), SCHEDULE.curve(), rtol=4 * 2.0**-52)
        long = Schedule(peak_lr=1.0, total_steps=2**40, warmup_steps=2**20)
        steps = np.array([2**33 + 1, 2**39 + 3, 2**40 - 7, 2**40 - 1], dtype=np.int64)
        got = np.asarray(jax.jit(optax_schedule(long))(jnp.asarray(steps)))
        np.testing.assert_allclose(got, exact(long, steps), rtol=8 * 2.0**-52)
        assert got[-1] > 0.0  # one step before the end: tiny, but not zero


# -- accuracy (the project's target): float32, no step quantisation, the tail -----------------------------

ACCURACY_CASES = {
    # the last 1% of a 1M-step decay (where optax's 1 + cos cancels), every step
    "1M-tail": (Schedule(peak_lr=1.0, total_steps=10**6, warmup_steps=10**4), 990_000, 10**6),
    "1M-tail-floor": (
        Schedule(
            peak_lr=3e-4, total_steps=10**6, warmup_steps=10**4, warmup_start_lr=1e-6, final_lr=3e-6
        ),
        990_000,
        10**6,
    ),
    # counts near 1e8, where a float32 count is quantised to 8 steps
    "2e8-middle": (
        Schedule(peak_lr=3e-4, total_steps=2 * 10**8, warmup_steps=10**6, final_lr=3e-6),
        10**8 - 2000,
        10**8 + 2000,
    ),
    # the longest int32 schedule: its middle, its last steps, its warmup
    "int32-middle": (Schedule(peak_lr=1.0, total_steps=INT32_MAX), 10**8 - 1000, 10**8 + 1000),
    "int32-tail": (Schedule(peak_lr=1.0, total_steps=INT32_MAX), INT32_MAX - 4000, INT32_MAX),
    "int32-warmup": (
        Schedule(peak_lr=0.1, total_steps=INT32_MAX, warmup_steps=3 * 10**8, warmup_start_lr=0.01),
        3 * 10**8 - 2000,
        3 * 10**8 + 2000,
    ),
}


@pytest.mark.parametrize("case", list(ACCURACY_CASES))
def test_float32_within_8_ulps_of_mpmath(case: str) -> None:
    sch, lo, hi = ACCURACY_CASES[case]
    steps = np.arange(lo, hi + 1, dtype=np.int32)
    want = exact(sch, steps)
    fn = optax_schedule(sch)
    assert_within_8_ulps(fn(jnp.asarray(steps)), want, steps)
    assert_within_8_ulps(jax.jit(fn)(jnp.asarray(steps)), want, steps)


def test_no_step_quantisation_up_to_int32_max() -> None:
    """Every one of the last 2000 int32 counts gets its own value, falling to exactly 0 at T;
    a float32 step (optax's) cannot even tell most of these counts apart."""
    fn = jax.jit(optax_schedule(Schedule(peak_lr=1.0, total_steps=INT32_MAX)))
    counts = jnp.arange(INT32_MAX - 2000, INT32_MAX, dtype=jnp.int32) + 1  # ... up to INT32_MAX
    values = np.asarray(fn(counts))
    assert values[-1] == 0.0
    assert (np.diff(values) < 0).all()
    assert len(np.unique(np.asarray(counts).astype(np.float32))) < 30  # what float32 counts see


# -- traced hyperparameters -----------------------------------------------------------------


def test_vmap_over_peak_learning_rates() -> None:
    """One compiled function, a batch of peaks (optax's own schedule cannot trace its peak)."""
    peaks = jnp.array([1e-4, 3e-4, 1e-3, 3e-3])
    counts = jnp.arange(0, SCHEDULE.total_steps + 1, 13, dtype=jnp.int32)

    def lr(peak: jax.Array, count: jax.Array) -> jax.Array:
        # the whole shape scaled with the peak: the other rates are passed scaled too
        return optax_schedule(
            SCHEDULE, peak_lr=peak, warmup_start_lr=peak / 30, final_lr=peak / 100
        )(count)

    batched = jax.jit(jax.vmap(lr, in_axes=(0, None)))(peaks, counts)
    assert batched.shape == (len(peaks), len(counts))
    for peak, row in zip(peaks.tolist(), batched, strict=True):
        # the validated Python-float schedule with the same numbers, in float64
        same = SCHEDULE.replace(peak_lr=peak, warmup_start_lr=peak / 30, final_lr=peak / 100)
        assert_within_8_ulps(row, same.curve()[::13], np.asarray(counts))


def test_array_learning_rates_broadcast_against_counts() -> None:
    peaks = np.array([1e-3, 2e-3])
    fn = optax_schedule(SCHEDULE, peak_lr=peaks)
    got = fn(jnp.arange(0, 10_001, 500)[:, None])
    assert got.shape == (21, 2)
    assert got[1, 0] == np.float32(1e-3)
    assert got[1, 1] == np.float32(2e-3)
    for j, peak in enumerate(peaks):
        want = SCHEDULE.replace(peak_lr=peak).curve()[::500]
        assert_within_8_ulps(got[:, j], want, np.arange(0, 10_001, 500))


def test_python_number_overrides_are_a_validated_schedule() -> None:
    fn = optax_schedule(SCHEDULE, peak_lr=1e-3, final_lr=1e-5)
    assert fn.schedule == SCHEDULE.replace(peak_lr=1e-3, final_lr=1e-5)
    assert fn.rates == ()


# -- traced invalid steps, policies ---------------------------------------------------------


def test_traced_invalid_counts_are_nan_concrete_ones_raise() -> None:
    raising = optax_schedule(SCHEDULE.replace(after="raise"))
    got = jax.jit(raising)(jnp.array([-1, 0, 10_000, 10_001], dtype=jnp.int32))
    assert np.isnan(got[0])
    assert np.isnan(got[3])
    assert got[1] == np.float32(1e-5)
    assert got[2] == np.float32(3e-6)
    with pytest.raises(ValueError, match=r"step must be >= 0; received step=-1"):
        raising(jnp.array([3, -1]))
    with pytest.raises(ValueError, match=r"step must be <= total_steps=10000"):
        raising(10_001)
    # traced learning rates take the same path
    with_peak = jax.jit(lambda c, p: optax_schedule(SCHEDULE, peak_lr=p)(c))
    assert np.isnan(with_peak(jnp.int32(-5), jnp.float32(1e-3)))


def test_wrap_policy_under_jit_is_the_reference() -> None:
    wrap = jax.jit(optax_schedule(SCHEDULE.replace(after="wrap")))
    t, w = SCHEDULE.total_steps, SCHEDULE.warmup_steps
    got = wrap(jnp.array([t, t + 1, 2 * t - w, 3 * t - 2 * w], dtype=jnp.int32))
    assert got[0] == np.float32(3e-6)
    assert got[2] == np.float32(3e-4)  # back at the peak at 2T - w
    assert got[3] == np.float32(3e-6)
    np.testing.assert_array_equal(got[1], wrap(jnp.int32(t - 1)))


# -- pickling and rebuilding ----------------------------------------------------------------


@pytest.mark.parametrize("rates", [{}, {"peak_lr": np.array([1e-3, 2e-3])}], ids=["plain", "array"])
def test_pickle_round_trip(rates: dict[str, np.ndarray]) -> None:
    fn = optax_schedule(SCHEDULE, **rates)
    restored = pickle.loads(pickle.dumps(fn))
    assert isinstance(restored, OptaxSchedule)
    assert restored.schedule == SCHEDULE
    counts = jnp.arange(0, 10_001, 250)[:, None]
    np.testing.assert_array_equal(jax.jit(restored)(counts), jax.jit(fn)(counts))
    # a partial of it (how a traced rate is usually bound) pickles too
    bound = pickle.loads(pickle.dumps(functools.partial(fn, jnp.int32(600))))
    np.testing.assert_array_equal(bound(), fn(600))


def test_rebuilt_from_the_schedule_config() -> None:
    fn = optax_schedule(SCHEDULE)
    rebuilt = optax_schedule(Schedule.from_json(fn.schedule.to_json()))
    counts = jnp.arange(10_001)
    np.testing.assert_array_equal(jax.jit(rebuilt)(counts), jax.jit(fn)(counts))


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"peak_lr": np.array([1e-3, -1e-3])}, ValueError, r"peak_lr must be finite and >= 0"),
        ({"final_lr": jnp.array([np.nan])}, ValueError, r"final_lr must be finite and >= 0"),
        ({"warmup_start_lr": [np.inf]}, ValueError, r"warmup_start_lr must be finite and >= 0"),
        ({"final_lr": jnp.array([1e-3, 1.0])}, ValueError, r"final_lr must be <= peak_lr"),
        ({"peak_lr": jnp.array([1e-3, 1e-7])}, ValueError, r"final_lr must be <= peak_lr"),
        ({"peak_lr": -1.0}, ValueError, r"peak_lr must be >= 0; received peak_lr=-1.0"),
        ({"peak_lr": 1e-7}, ValueError, r"final_lr must be <= peak_lr"),
        ({"peak_lr": "3e-4"}, TypeError, r"peak_lr must be a real number or an array"),
        ({"peak_lr": True}, TypeError, r"received peak_lr=True of type bool"),
        ({"final_lr": np.array([True])}, TypeError, r"final_lr .* dtype bool"),
        ({"peak_lr": 1j}, TypeError, r"peak_lr must be a real number"),
    ],
)
def test_bad_learning_rates(kwargs: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        optax_schedule(SCHEDULE, **kwargs)  # type: ignore[arg-type]


def test_a_zero_array_where_a_geometric_phase_needs_a_positive_rate() -> None:
    # the documented ValueError of a Python 0.0, for a concrete array too (it gave NaN)
    warm = Schedule(1.0, 100, warmup_steps=10, warmup_shape="exponential", warmup_start_lr=0.01)
    decay = Schedule(1.0, 100, decay_shape="exponential", final_lr=0.01)
    cases = [
        (warm, {"warmup_start_lr": jnp.array(0.0)}, "warmup_start_lr", "warmup_shape"),
        (warm, {"warmup_start_lr": np.array([0.0, 0.1])}, "warmup_start_lr", "warmup_shape"),
        (warm, {"peak_lr": jnp.array(0.0), "final_lr": jnp.array(0.0)}, "peak_lr", "warmup"),
        (decay, {"final_lr": jnp.array([0.0])}, "final_lr", "decay_shape"),
    ]
    for schedule, rates, name, rule in cases:
        with pytest.raises(ValueError, match=rf"{name} must be > 0 for {rule}.*received {name}="):
            optax_schedule(schedule, **rates)
        number = {k: float(np.ravel(v)[0]) for k, v in rates.items()}
        with pytest.raises(ValueError, match=rf"{name} must be > 0"):
            optax_schedule(schedule, **number)
    positive = optax_schedule(warm, warmup_start_lr=jnp.array([0.01, 0.1]))(5)
    assert np.isfinite(np.asarray(positive)).all()


def test_bad_schedule() -> None:
    with pytest.raises(TypeError, match=r"schedule must be a warmcos.Schedule; received .*dict"):
        optax_schedule(SCHEDULE.to_dict())  # type: ignore[arg-type]


def test_total_steps_beyond_int32_without_x64() -> None:
    # optax runs decay_steps=1e10 on int32 counts (its own test does); so does warmcos: the
    # counts cannot pass int32, and distances to an end beyond it are taken in float32.
    schedule = Schedule(peak_lr=1.0, total_steps=10**10, warmup_steps=10**6, stable_steps=10**6,
                        decay_shape="1-sqrt", final_lr=0.01)  # fmt: skip
    fn = optax_schedule(schedule)
    counts = jnp.array([0, 5 * 10**5, 10**6, 2 * 10**6 - 1, 2 * 10**6, 10**9, INT32_MAX], jnp.int32)
    want = schedule(np.asarray(counts).astype(np.int64))
    for got in (fn(counts), jax.jit(fn)(counts), jax.vmap(fn)(counts)):
        assert_within_8_ulps(got, want, np.asarray(counts))
    with pytest.raises(ValueError, match=r"count must be <= 2147483647 .*x64.*2147483648"):
        fn(2**31)
    cosine = optax_schedule(Schedule(1.0, 2**31 + 10, warmup_steps=5, after="raise"))
    steps = np.array([0, 5, 2**30, INT32_MAX], np.int64)
    got = jax.jit(cosine)(jnp.asarray(steps, jnp.int32))
    assert_within_8_ulps(got, cosine.schedule(steps), steps)


def test_missing_jax_is_one_helpful_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jax", None)
    monkeypatch.delitem(sys.modules, "warmcos.jax")
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'warmcos\[jax\]'"):
        importlib.import_module("warmcos.jax")
