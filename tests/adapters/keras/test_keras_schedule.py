"""warmcos.keras.WarmcosSchedule on the TensorFlow backend, and TF tensors through the core.

Equality with the core :class:`~warmcos.Schedule` at every step of a 10k-step run, eager,
in ``tf.function`` and under XLA, through the real Keras optimizer; float32 accuracy against
mpmath in the last 1% of the decay and beyond ``2**24``; configs and Keras serialisation;
bad input. Other backends, saving/loading and ``MirroredStrategy`` run in fresh processes
(``test_keras_backends.py``, ``test_keras_saving.py``, ``test_keras_distribute.py``).
"""

from __future__ import annotations

import pickle
from typing import Any

import keras
import numpy as np
import pytest
import tensorflow as tf

import warmcos
from exact import exact_lrs as exact
from strategies import FAMILY_CASES
from warmcos import Schedule
from warmcos.keras import WarmcosSchedule

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="in-process Keras tests use the TensorFlow backend (others run in subprocesses)",
)

#: Schedules of a 10k-step run: a rising warmup with a floor, a falling warmup, no warmup with
#: the reference's periodic continuation past the end.
SCHEDULES = {
    "rising": Schedule(
        peak_lr=1e-2, total_steps=10_000, warmup_steps=500, warmup_start_lr=1e-3, final_lr=1e-4
    ),
    "falling": Schedule(peak_lr=0.05, total_steps=10_000, warmup_steps=200, warmup_start_lr=0.2),
    "no_warmup_wrap": Schedule(peak_lr=0.4, total_steps=10_000, after="wrap"),
    **FAMILY_CASES,  # every shape of the family, restarts included
}
#: Every step of the run, its end, and 99 steps past it.
STEPS = np.arange(10_100, dtype=np.int64)
#: SPEC section 5: float32 paths within 8 ulps of the float32-rounded exact value.
MAX_ULPS = 8


def ulps(actual: Any, expected: Any) -> np.ndarray:
    """Distance in float32 ulps between ``actual`` and ``expected`` rounded to float32."""
    a = np.asarray(actual, dtype=np.float32) + np.float32(0)  # -0.0 -> 0.0
    e = np.asarray(expected, dtype=np.float64).astype(np.float32) + np.float32(0)
    assert (a >= 0).all()
    assert (e >= 0).all()
    return np.abs(a.view(np.int32).astype(np.int64) - e.view(np.int32).astype(np.int64))


def core64(schedule: Schedule, steps: np.ndarray) -> np.ndarray:
    """The core schedule in float64 (NumPy), the reference for the float32 paths."""
    return np.asarray(schedule(steps), dtype=np.float64)


def optimizer_lrs(schedule: Schedule, steps: np.ndarray, *, jit_compile: bool) -> np.ndarray:
    """The learning rate a real Keras optimizer applies at each of ``steps``.

    A plain SGD update of a variable reset to 0 with gradient 1 leaves ``-lr`` in it, exactly;
    ``optimizer.iterations`` (int64) is set to each step first. All steps run in one compiled
    ``tf.function`` loop, the way ``model.fit`` calls the schedule.
    """
    optimizer = keras.optimizers.SGD(learning_rate=WarmcosSchedule(schedule))
    w = keras.Variable(0.0, dtype="float32")
    optimizer.build([w])
    one = tf.constant(1.0)

    @tf.function(jit_compile=jit_compile)
    def run(steps: tf.Tensor) -> tf.Tensor:
        n = tf.shape(steps)[0]
        out = tf.TensorArray(tf.float32, size=n)
        for i in tf.range(n):
            optimizer.iterations.assign(steps[i])
            w.assign(0.0)
            optimizer.apply_gradients([(one, w)])
            out = out.write(i, -w.value)
        return out.stack()

    assert optimizer.iterations.dtype == "int64"
    return run(tf.constant(steps, tf.int64)).numpy()


# -- equality with the core at every step --------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_eager_equals_core_at_every_step(name: str) -> None:
    schedule = SCHEDULES[name]
    lr = WarmcosSchedule(schedule)
    steps = tf.constant(STEPS)
    got = lr(steps)
    assert isinstance(got, tf.Tensor)
    assert got.dtype == tf.float32
    assert got.shape == steps.shape
    # The adapter adds nothing: bit for bit the core formula on the same tensor.
    np.testing.assert_array_equal(got.numpy(), schedule(steps).numpy())
    assert ulps(got, core64(schedule, STEPS)).max() <= MAX_ULPS
    # Scalar calls, as the optimizer makes them, at the joins and the ends. (TensorFlow's
    # scalar and vectorised sin kernels may differ by an ulp: compare like with like.)
    for step in (0, 1, schedule.warmup_steps, 5_000, 9_999, 10_000, 10_001, 10_099):
        value = lr(tf.constant(step, tf.int64))
        assert value.shape == ()
        assert value.numpy() == schedule(tf.constant(step, tf.int64)).numpy()
        assert ulps(value, schedule(step)) <= MAX_ULPS


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_tf_function_equals_core_at_every_step(name: str) -> None:
    schedule = SCHEDULES[name]
    lr = WarmcosSchedule(schedule)
    steps = tf.constant(STEPS)
    got = tf.function(lr)(steps).numpy()
    # Graph optimisations may round differently from eager: compare graphs with graphs.
    np.testing.assert_array_equal(got, tf.function(schedule.__call__)(steps).numpy())
    assert ulps(got, core64(schedule, STEPS)).max() <= MAX_ULPS
    # ... and the real optimizer in a tf.function loop applies the schedule at every step.
    applied = optimizer_lrs(schedule, STEPS, jit_compile=False)
    assert ulps(applied, core64(schedule, STEPS)).max() <= MAX_ULPS


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_xla_equals_core_at_every_step(name: str) -> None:
    schedule = SCHEDULES[name]
    lr = WarmcosSchedule(schedule)
    steps = tf.constant(STEPS)
    got = tf.function(lr, jit_compile=True)(steps).numpy()
    # XLA has its own sin (1-2 ulps from TensorFlow's): the same formula, compiled alike.
    core = tf.function(schedule.__call__, jit_compile=True)(steps).numpy()
    np.testing.assert_array_equal(got, core)
    assert ulps(got, core64(schedule, STEPS)).max() <= MAX_ULPS
    applied = optimizer_lrs(schedule, STEPS, jit_compile=True)
    assert ulps(applied, core64(schedule, STEPS)).max() <= MAX_ULPS
    # Exact where the formula has no rounding: the peak, the floor, and holding past the end.
    _w, t = schedule.warmup_steps, schedule.total_steps
    for phase in schedule.describe():  # every phase that starts at one of its values
        if phase.continuous or phase.kind != "decay" or phase.cycle:
            assert applied[phase.begin] == np.float32(phase.lr_begin), phase
    if schedule(t) == schedule.final_lr:  # an endpoint (open shapes only approach final_lr)
        assert applied[t] == np.float32(schedule(t))
    if schedule.after == "hold":  # held: the value at the end, bit for bit, forever
        assert (applied[t:] == applied[t]).all()


# -- accuracy: the last 1% of the decay, and steps beyond 2**24 ----------------------------


def test_last_percent_of_a_million_step_decay_within_8_ulps() -> None:
    schedule = Schedule(peak_lr=1e-4, total_steps=1_000_000, warmup_steps=10_000)
    steps = np.arange(990_100, 1_000_001, dtype=np.int64)  # the last 1% of the decay
    expected = exact(schedule, steps)
    lr = WarmcosSchedule(schedule)
    eager = lr(tf.constant(steps)).numpy()
    xla = tf.function(lr, jit_compile=True)(tf.constant(steps)).numpy()
    assert ulps(eager, expected).max() <= MAX_ULPS
    assert ulps(xla, expected).max() <= MAX_ULPS
    # The last step before the end is tiny but not 0 (the reference's float32 cos gives 0).
    assert 0 < eager[-2] < 1e-14
    assert eager[-1] == 0.0


def test_steps_beyond_2_24_through_int64_iterations_within_8_ulps() -> None:
    # Warmup and decay both run past 2**24, where float32 cannot hold consecutive steps.
    w, t = 3 * 2**23 + 1, 2**26 + 3
    schedule = Schedule(peak_lr=0.3, total_steps=t, warmup_steps=w, warmup_start_lr=0.01)
    rng = np.random.default_rng(0)
    steps = np.unique(
        np.concatenate(
            [
                np.arange(2**24 - 3, 2**24 + 4),  # consecutive steps around 2**24
                np.arange(w - 3, w + 4),  # the warmup/decay join
                rng.integers(2**24, t, 300),
                np.arange(t - (t - w) // 100, t - (t - w) // 100 + 20),  # the last 1% begins
                np.arange(t - 30, t + 3),  # the end and past it
            ]
        )
    ).astype(np.int64)
    expected = exact(schedule, steps)
    applied = optimizer_lrs(schedule, steps, jit_compile=True)
    assert ulps(applied, expected).max() <= MAX_ULPS
    # No float32 step quantisation: at 2**26 a float32 step moves in multiples of 8, which
    # would flatten the last steps into a staircase; here each one is distinct and exact.
    last = applied[steps >= t - 30]
    assert (np.diff(last[:-2]) < 0).all()  # steps t - 30 .. t
    assert (last[-3:] == 0).all()  # t, then held


# -- TensorFlow tensors through the core --------------------------------------------------


@pytest.mark.parametrize("dtype", [tf.int32, tf.int64, tf.float32])
@pytest.mark.parametrize("mode", ["eager", "tf.function", "xla"])
def test_core_and_reference_take_tf_tensors(dtype: tf.DType, mode: str) -> None:
    schedule = SCHEDULES["rising"]
    steps = np.array([0, 250, 500, 5_000, 9_999, 10_000, 12_000])

    def both(s: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        return schedule(s), warmcos.cosine_learning_rate_with_linear_warmup(
            s, 0.1, 0.01, 500, 10_000
        )

    fn = {
        "eager": both,
        "tf.function": tf.function(both),
        "xla": tf.function(both, jit_compile=True),
    }[mode]
    got, ref = fn(tf.constant(steps, dtype))
    for value in (got, ref):
        assert isinstance(value, tf.Tensor)
        assert value.dtype == tf.float32
        assert value.shape == (len(steps),)
    assert ulps(got, core64(schedule, steps)).max() <= MAX_ULPS
    expected_ref = warmcos.cosine_learning_rate_with_linear_warmup(steps, 0.1, 0.01, 500, 10_000)
    assert ulps(ref, expected_ref).max() <= MAX_ULPS
    assert ref.numpy()[-1] > 0.001  # the reference rises again past total_steps (wrap)


def test_core_takes_variables_of_tf_and_keras() -> None:
    schedule = SCHEDULES["rising"]
    expected = np.float32(schedule(700))
    for variable in (tf.Variable(700, dtype=tf.int64), keras.Variable(700, dtype="int64")):
        value = schedule(variable)
        assert isinstance(value, tf.Tensor)
        assert value.dtype == tf.float32
        assert ulps(value, expected).max() <= MAX_ULPS
        assert WarmcosSchedule(schedule)(variable).numpy() == value.numpy()


def test_float64_tensor_computes_in_float64() -> None:
    schedule = SCHEDULES["rising"]
    got = schedule(tf.constant(STEPS, tf.float64))
    assert got.dtype == tf.float64
    np.testing.assert_allclose(got.numpy(), core64(schedule, STEPS), rtol=1e-14, atol=0)
    # The Keras schedule still hands the optimizer float32.
    assert WarmcosSchedule(schedule)(tf.constant(STEPS, tf.float64)).dtype == tf.float32


def test_python_number_steps_give_tensors() -> None:
    lr = WarmcosSchedule(SCHEDULES["rising"])
    for step in (0, 750, 750.0, np.int64(750)):
        value = lr(step)
        assert isinstance(value, tf.Tensor)
        assert value.dtype == tf.float32
    assert lr(750).numpy() == lr(np.int64(750)).numpy() == lr(750.0).numpy()


def test_python_number_steps_beyond_every_integer_type() -> None:
    # The core's rate of the number (TensorFlow could not convert 2**63 or 1e300)
    schedule = SCHEDULES["rising"]
    lr = WarmcosSchedule(schedule)
    end = lr(schedule.total_steps).numpy()
    for step in (2**63, 10**400, 1e300):
        value = lr(step)
        assert value.dtype == tf.float32
        assert value.numpy() == end
    strict = WarmcosSchedule(schedule.replace(after="raise"))
    with pytest.raises(ValueError, match=r"after='raise'; received step=10000000000"):
        strict(10**400)
    with pytest.raises(ValueError, match=r"step must be >= 0; received step=-9223372036854775809"):
        lr(-(2**63) - 1)


# -- config, serialisation, pickling ------------------------------------------------------


def test_get_config_is_the_schedule_dict_and_from_config_rebuilds_it() -> None:
    schedule = SCHEDULES["falling"]
    lr = WarmcosSchedule(schedule)
    assert lr.get_config() == schedule.to_dict()
    rebuilt = WarmcosSchedule.from_config(lr.get_config())
    assert type(rebuilt) is WarmcosSchedule
    assert rebuilt.schedule == schedule
    # A hand-written config with a duration in epochs resolves like the constructor.
    config = {"version": 1, "peak_lr": 0.1, "total_steps": "10ep", "steps_per_epoch": 50}
    assert WarmcosSchedule.from_config(config).schedule.total_steps == 500


def test_keras_serialization_needs_no_custom_objects() -> None:
    lr = WarmcosSchedule(SCHEDULES["no_warmup_wrap"])
    assert keras.saving.get_registered_name(WarmcosSchedule) == "warmcos>WarmcosSchedule"
    serialized = keras.saving.serialize_keras_object(lr)
    assert serialized["registered_name"] == "warmcos>WarmcosSchedule"
    assert serialized["config"] == SCHEDULES["no_warmup_wrap"].to_dict()
    restored = keras.saving.deserialize_keras_object(serialized)
    assert isinstance(restored, WarmcosSchedule)
    assert restored.schedule == lr.schedule
    # Through an optimizer's config, as model.save writes it.
    optimizer = keras.optimizers.AdamW(learning_rate=lr)
    copy = keras.optimizers.AdamW.from_config(optimizer.get_config())
    assert isinstance(copy.learning_rate, tf.Tensor)  # evaluated at iterations = 0
    assert copy.learning_rate.numpy() == np.float32(0.4)
    assert keras.optimizers.deserialize(keras.optimizers.serialize(optimizer)).get_config() == (
        optimizer.get_config()
    )


def test_pickle_round_trip() -> None:
    lr = WarmcosSchedule(SCHEDULES["rising"])
    copy = pickle.loads(pickle.dumps(lr))
    assert copy.schedule == lr.schedule
    assert copy(tf.constant(600)).numpy() == lr(tf.constant(600)).numpy()


def test_repr_shows_the_schedule() -> None:
    assert repr(WarmcosSchedule(Schedule(peak_lr=0.1, total_steps=10))) == (
        "WarmcosSchedule(Schedule(peak_lr=0.1, total_steps=10, warmup_steps=0, "
        "warmup_start_lr=0.0, final_lr=0.0, after='hold'))"
    )


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        0.1,
        None,
        "cosine",
        keras.optimizers.schedules.CosineDecay(0.1, 100),
        SCHEDULES["rising"].to_dict(),
    ],
    ids=["float", "None", "str", "keras-CosineDecay", "dict"],
)
def test_rejects_what_is_not_a_schedule(value: object) -> None:
    with pytest.raises(
        TypeError, match=r"schedule must be a warmcos\.Schedule.*received schedule="
    ) as info:
        WarmcosSchedule(value)  # type: ignore[arg-type]
    assert type(value).__name__ in str(info.value)
    if isinstance(value, dict):
        assert "from_config" in str(info.value)


def test_from_config_rejects_unknown_keys_wrong_version_and_non_mappings() -> None:
    good = SCHEDULES["rising"].to_dict()
    with pytest.raises(ValueError, match=r"unknown keys \['decay_steps'\]"):
        WarmcosSchedule.from_config({**good, "decay_steps": 100})
    with pytest.raises(ValueError, match=r"version must be 1 or 2; received version=3"):
        WarmcosSchedule.from_config({**good, "version": 3})
    with pytest.raises(
        ValueError,
        match=r"config \(version 1\) has keys of version 2: \['cycle_decay', 'cycle_floor', ",
    ):
        WarmcosSchedule.from_config({**good, "version": 1})  # v1 configs have v1 keys only
    without_version = {k: v for k, v in good.items() if k != "version"}
    # a config without `version` is of the current version (issue 19: files written by hand)
    assert WarmcosSchedule.from_config(without_version).schedule == SCHEDULES["rising"]
    with pytest.raises(ValueError, match=r"warmup_steps must be < total_steps"):
        WarmcosSchedule.from_config({**good, "warmup_steps": 10_000})
    with pytest.raises(TypeError, match=r"config must be a mapping"):
        WarmcosSchedule.from_config([("peak_lr", 0.1)])  # type: ignore[arg-type]
    # The same through Keras' deserialisation: the error is ours, naming the key.
    serialized = keras.saving.serialize_keras_object(WarmcosSchedule(SCHEDULES["rising"]))
    serialized["config"]["warmup_step"] = 5
    with pytest.raises(ValueError, match=r"unknown keys \['warmup_step'\]"):
        keras.saving.deserialize_keras_object(serialized)


def test_rejects_bad_steps() -> None:
    lr = WarmcosSchedule(SCHEDULES["rising"])
    for bad in (None, "5", [1, 2], True):
        with pytest.raises(TypeError, match=r"step must be an int, a float, or a tensor"):
            lr(bad)
    with pytest.raises(TypeError, match=r"integers or floats; received dtype bool"):
        lr(tf.constant([True]))
    with pytest.raises(ValueError, match=r"step must be >= 0; received step=-1"):
        lr(tf.constant(-1, tf.int64))
    strict = WarmcosSchedule(SCHEDULES["rising"].replace(after="raise"))
    with pytest.raises(ValueError, match=r"after='raise'; received step=10001"):
        strict(tf.constant(10_001, tf.int64))


def test_compiled_invalid_steps_become_nan() -> None:
    # A graph cannot raise: negative steps, and steps past the end under after="raise", give
    # NaN (documented), so a run that overshoots fails loudly instead of training on.
    strict = WarmcosSchedule(SCHEDULES["rising"].replace(after="raise"))
    got = tf.function(strict, jit_compile=True)(tf.constant([-1, 0, 10_000, 10_001], tf.int64))
    assert np.isnan(got.numpy()).tolist() == [True, False, False, True]


def test_keras_gradient_accumulation_calls_the_schedule_with_micro_batches() -> None:
    # Keras 3.15 behaviour, documented in the README: with gradient_accumulation_steps=k the
    # schedule gets the micro-batch count, so update n (from 0) uses schedule(k * n + k - 1).
    schedule = Schedule(peak_lr=1.0, total_steps=101, warmup_steps=100)
    optimizer = keras.optimizers.SGD(
        learning_rate=WarmcosSchedule(schedule), gradient_accumulation_steps=2
    )
    w = keras.Variable(0.0)
    optimizer.build([w])
    applied = []
    for _ in range(6):
        before = float(w.numpy())
        optimizer.apply_gradients([(tf.constant(-1.0), w)])
        applied.append(float(w.numpy()) - before)
    assert int(optimizer.iterations.numpy()) == 3  # updates
    np.testing.assert_allclose(applied, [0, 0.01, 0, 0.03, 0, 0.05], rtol=1e-6, atol=0)
