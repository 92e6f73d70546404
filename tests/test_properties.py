"""Hypothesis properties of every valid schedule (STYLE.md: tests in layers)."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import schedules
from warmcos import Schedule


@given(schedules(), st.integers(min_value=0, max_value=2 * 10**7))
def test_values_stay_between_the_endpoints(sch: Schedule, step: int) -> None:
    if sch.after == "raise":
        step = min(step, sch.total_steps)
    lr = sch(step)
    lo = min(sch.peak_lr, sch.final_lr, sch.warmup_start_lr)
    hi = max(sch.peak_lr, sch.warmup_start_lr)
    assert lo <= lr <= hi


@given(schedules())
def test_exact_endpoints(sch: Schedule) -> None:
    assert sch(0) == (sch.warmup_start_lr if sch.warmup_steps else sch.peak_lr)
    assert sch(sch.warmup_steps) == sch.peak_lr
    assert sch(sch.total_steps) == sch.final_lr
    # the same through NumPy
    got = sch(np.array([0, sch.warmup_steps, sch.total_steps]))
    assert got[1] == sch.peak_lr
    assert got[2] == sch.final_lr


@given(schedules(max_total=5000))
def test_warmup_and_decay_are_monotone(sch: Schedule) -> None:
    curve = sch.curve()
    w = sch.warmup_steps
    d = np.diff(curve[: w + 1])  # steps 0..w, the peak included
    if sch.warmup_start_lr <= sch.peak_lr:
        assert (d >= 0).all()
    else:
        assert (d <= 0).all()
    assert (np.diff(curve[w:]) <= 0).all()


@given(schedules(max_total=10**6))
def test_continuity_at_the_joins(sch: Schedule) -> None:
    w, t = sch.warmup_steps, sch.total_steps
    # One step never moves the rate by more than one step of the steepest part of each phase.
    span = max(sch.peak_lr, sch.warmup_start_lr)
    if w:
        ramp = abs(sch.peak_lr - sch.warmup_start_lr) / w
        assert abs(sch(w) - sch(w - 1)) <= ramp * (1 + 1e-9) + 4 * math.ulp(span)
    cos_slope = (sch.peak_lr - sch.final_lr) * math.pi / 2 / (t - w)
    assert abs(sch(w + 1) - sch(w)) <= cos_slope * (1 + 1e-9) + 4 * math.ulp(span)
    assert abs(sch(t) - sch(t - 1)) <= cos_slope * (1 + 1e-9) + 4 * math.ulp(span)


@given(schedules(after=st.just("hold")), st.integers(min_value=1, max_value=10**12))
def test_hold_is_constant_after_the_end(sch: Schedule, extra: int) -> None:
    assert sch(sch.total_steps + extra) == sch.final_lr


@given(
    schedules(after=st.just("wrap"), max_total=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=1000),
)
def test_wrap_is_periodic_and_mirrors_the_decay(sch: Schedule, offset: int, periods: int) -> None:
    w, t = sch.warmup_steps, sch.total_steps
    period = 2 * (t - w)
    s = w + offset
    assert sch(s + periods * period) == sch(s)
    # rising back symmetrically: T + k mirrors T - k
    k = offset % (t - w + 1)
    assert sch(t + k) == sch(t - k)


@given(
    schedules(after=st.sampled_from(["hold", "wrap"])),
    st.lists(st.integers(0, 3 * 10**7), max_size=50),
)
def test_numpy_and_python_numbers_agree_exactly(sch: Schedule, steps: list[int]) -> None:
    got = sch(np.array(steps, dtype=np.int64))
    assert got.tolist() == [sch(s) for s in steps]


@given(schedules())
def test_round_trips(sch: Schedule) -> None:
    assert Schedule.from_dict(sch.to_dict()) == sch
    assert Schedule.from_json(sch.to_json()) == sch
    again = pickle.loads(pickle.dumps(sch))
    assert again == sch
    assert hash(again) == hash(sch)
    assert again(sch.warmup_steps) == sch.peak_lr


@given(schedules(), st.floats(min_value=1e-6, max_value=10.0))
def test_with_peak_scales_the_shape(sch: Schedule, peak: float) -> None:
    if sch.peak_lr == 0:
        return
    scaled = sch.with_peak(peak)
    assert scaled.peak_lr == peak
    assert scaled(scaled.warmup_steps) == peak
    mid = (sch.warmup_steps + sch.total_steps) // 2
    assert math.isclose(scaled(mid), sch(mid) * peak / sch.peak_lr, rel_tol=1e-12, abs_tol=1e-300)


@given(
    schedules(after=st.sampled_from(["hold", "wrap"]), max_total=10**5),
    st.lists(st.integers(0, 3 * 10**5), min_size=1, max_size=40),
)
def test_branch_free_path_equals_the_concrete_one(sch: Schedule, steps: list[int]) -> None:
    # Traced values (jit) have no bounds: every phase is computed and selected with `where`.
    # The same formula on NumPy, run that way, must give exactly what the concrete path gives.
    from warmcos import _math
    from warmcos._xp import numpy_namespace

    xp = numpy_namespace()
    s = xp.steps(np.array(steps))
    assert _math.evaluate(xp, s, None, sch.params()).tolist() == sch(np.array(steps)).tolist()


@given(
    schedules(after=st.just("hold"), max_total=10**5),
    st.lists(st.floats(0.0, 10.0), min_size=1, max_size=5),
)
def test_array_valued_learning_rates_broadcast_like_one_schedule_each(
    sch: Schedule, peaks: list[float]
) -> None:
    # Schedule.params lets adapters pass arrays (e.g. traced peaks under jax.vmap) as rates.
    from warmcos import _math
    from warmcos._xp import numpy_namespace

    xp = numpy_namespace()
    steps = np.array(
        [0, sch.warmup_steps // 2, sch.warmup_steps, sch.total_steps // 2, sch.total_steps]
    )
    peak = np.array(peaks)[:, None]
    final = np.minimum(sch.final_lr, peak)
    got = _math.evaluate(
        xp, xp.steps(steps)[None, :], None, sch.params(peak_lr=peak, final_lr=final)
    )
    for row, p in zip(got, peaks, strict=True):
        one = sch.replace(peak_lr=p, final_lr=min(sch.final_lr, p))
        np.testing.assert_allclose(row, one(steps), rtol=1e-12, atol=1e-300)


@given(schedules())
def test_float32_tensors_hit_the_endpoints_exactly(sch: Schedule) -> None:
    # Framework integers compute in float32: the constants are rounded to float32 first, and
    # the endpoints must still be the float32 peak and final values, bit for bit.
    torch = pytest.importorskip("torch")
    got = sch(torch.tensor([sch.warmup_steps, sch.total_steps, 0]))
    assert got.dtype == torch.float32
    assert got[0].item() == float(np.float32(sch.peak_lr))
    assert got[1].item() == float(np.float32(sch.final_lr))
    first = sch.warmup_start_lr if sch.warmup_steps else sch.peak_lr
    assert got[2].item() == float(np.float32(first))
