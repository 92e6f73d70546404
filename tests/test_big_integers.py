"""Big integers (issue 15, items 4 and 5): steps and totals beyond float and int64 ranges.

A step past ``total_steps`` has a well-defined rate under ``after="hold"`` (the final one) and
``after="wrap"`` (the step it folds to, found with integer arithmetic), whatever its size; under
``after="raise"`` it is the documented ``ValueError``. Python ints, lists of them, object
arrays, ``uint64`` arrays and whole floats from ``2**63`` are all evaluated alike (exactly as
the Python int is). Totals that no 64-bit step could reach are refused, naming the parameter.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import warmcos
from warmcos import Schedule

HOLD = Schedule(1.0, 1000, warmup_steps=100, final_lr=0.1)
WRAP = Schedule(1.0, 1000, warmup_steps=100, final_lr=0.1, after="wrap")
RAISE = Schedule(1.0, 1000, warmup_steps=100, final_lr=0.1, after="raise")
HUGE = (2**63, 2**64 - 1, 2**70, 10**30, 10**400)


def folded(s: Schedule, step: int) -> int:
    """The step in [w, T] that the reference's periodic cosine gives ``step``: by hand."""
    w, t = s.warmup_steps, s.total_steps
    k, r = divmod(step - w, t - w)
    return w + r if k % 2 == 0 else t - r


def test_python_int_steps_beyond_float_range() -> None:
    for step in HUGE:
        assert HOLD(step) == HOLD.final_lr
        assert WRAP(step) == WRAP(folded(WRAP, step))
        with pytest.raises(ValueError, match=r"total_steps=1000 because after='raise'; received"):
            RAISE(step)
        with pytest.raises(ValueError, match=r"step must be >= 0; received step=-"):
            HOLD(-step)


@given(st.integers(min_value=1001, max_value=10**500))
def test_wrap_of_any_python_int_is_the_exact_fold(step: int) -> None:
    assert WRAP(step) == WRAP(folded(WRAP, step))


@pytest.mark.parametrize(
    "steps",
    [
        [2**70, 5],
        [[10**400], [2**63]],
        (2**64 - 1, 0),
        np.array([2**70, 7], dtype=object),
        np.array([2**64 - 1, 2**63, 3], dtype=np.uint64),
        np.array([2.0**63, 1e300, 4.0]),
        np.array([1e300, 2.5]),  # a fractional step too: float results
        [1e300, 10**400, 0.5],
    ],
)
def test_numpy_steps_beyond_int64_equal_the_python_ints(steps: object) -> None:
    flat = np.asarray(steps, dtype=object).ravel().tolist()
    for s in (HOLD, WRAP):
        got = s(steps)
        assert got.dtype == np.float64
        assert got.ravel().tolist() == [s(x) for x in flat]  # Python numbers: exact
    with pytest.raises(ValueError, match=r"after='raise'; received step=(\d{19,}|1e\+300)$"):
        RAISE(steps)


def test_numpy_scalars_beyond_int64() -> None:
    assert HOLD(np.uint64(2**64 - 1)) == HOLD.final_lr
    assert WRAP(np.float64(1e300)) == WRAP(int(1e300)) == WRAP(1e300)
    assert WRAP(np.array(2**70, dtype=object)) == WRAP(2**70)
    with pytest.raises(ValueError, match=r"step must be >= 0; received step=-1000000000000"):
        HOLD(np.array([-(10**30), 5], dtype=object))
    with pytest.raises(ValueError, match=r"step must be >= 0; received step=-1e\+300"):
        HOLD(np.array([-1e300]))


def test_curve_beyond_int64() -> None:
    start = 2**70
    for s in (HOLD, WRAP):
        got = s.curve(start, start + 5)
        assert got.tolist() == [s(k) for k in range(start, start + 5)]
    across = 2**63 - 3  # a block that straddles the int64 limit
    assert WRAP.curve(across, across + 6).tolist() == [WRAP(k) for k in range(across, across + 6)]
    with pytest.raises(ValueError, match=r"because after='raise'; received step=118059162071"):
        RAISE.curve(start, start + 5)
    with pytest.raises(ValueError, match=r"must fit in memory; received start=0, stop=118059"):
        HOLD.curve(0, start)


def test_totals_beyond_int64_are_refused_naming_the_parameter() -> None:
    with pytest.raises(ValueError, match=r"total_steps must be < 2\*\*63 .*total_steps=2361"):
        HOLD.replan(500, total_steps=2**71)
    with pytest.raises(ValueError, match=r"at_step \+ steps .*< 2\*\*63.*at_step=500, steps=1180"):
        HOLD.cooldown(500, 2**70)
    with pytest.raises(
        ValueError, match=r"planned_total must be < 2\*\*63.*1180591620717411303424"
    ):
        Schedule(1.0, 100, edits=[(5, "cosine", 2**70)])
    with pytest.raises(ValueError, match=r"total_steps must be < 2\*\*63.*total_steps=1e\+300"):
        Schedule(1.0, 1e300)


def test_steps_of_too_many_epochs_is_a_value_error() -> None:
    for epochs in (10**400, 1e308, 2**63):
        with pytest.raises(ValueError, match=r"steps\(\) must count < 2\*\*63 updates.*epochs="):
            warmcos.steps(epochs, steps_per_epoch=10)
    assert warmcos.steps(2**40, steps_per_epoch=2**20) == 2**60  # a count that fits is fine


def test_big_step_stays_exact_for_first_step_below() -> None:
    assert HOLD.first_step_below(0.5, start=10**400) is None
    assert math.isfinite(HOLD(10**400))


# -- frameworks: an unsigned step beyond the integer type is named, never shown wrapped -------


def test_torch_uint64_steps_beyond_int64() -> None:
    torch = pytest.importorskip("torch")
    steps = torch.tensor([5, 2**64 - 1], dtype=torch.uint64)
    with pytest.raises(ValueError, match=r"step must be < 2\*\*63 .*received step=1844674407370"):
        HOLD(steps)
    fits = torch.tensor([5, 7], dtype=torch.uint64)
    assert HOLD(fits).tolist() == HOLD(torch.tensor([5, 7])).tolist()


def test_jax_unsigned_steps_beyond_its_default_integer() -> None:
    jnp = pytest.importorskip("jax.numpy")
    limit = np.iinfo(jnp.result_type(int)).max
    with pytest.raises(ValueError, match=rf"step must be <= {limit} .*received step=4294967295"):
        HOLD(jnp.asarray(np.array([2**32 - 1], dtype=np.uint32)))


def test_tensorflow_uint64_steps_beyond_int64() -> None:
    tf = pytest.importorskip("tensorflow")
    with pytest.raises(ValueError, match=r"step must be < 2\*\*63 .*received step=1844674407370"):
        HOLD(tf.constant([2**64 - 1], dtype=tf.uint64))
