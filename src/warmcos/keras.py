r"""Keras 3 adapter: a :class:`~warmcos.Schedule` as a Keras ``LearningRateSchedule``.

:class:`WarmcosSchedule` wraps one :class:`~warmcos.Schedule` and evaluates it at the
optimizer's step, ``optimizer.iterations``, on whatever Keras backend is active (TensorFlow,
JAX or torch): the step is converted to the backend's tensor with ``keras.ops`` and the core
evaluates its one formula on that tensor, so the value is the same as ``schedule(step)``
everywhere, inside ``tf.function``, XLA and ``jax.jit`` included.

It is registered with Keras' serialisation under ``"warmcos>WarmcosSchedule"``: a model
compiled with it saves to ``.keras`` and loads with plain ``keras.models.load_model(path)``,
no ``custom_objects``, in any process that has imported :mod:`warmcos.keras` (Keras only
imports the module of a saved object for its own packages, so the registration must have
run before loading). The loaded optimizer continues the schedule at its restored
``iterations``.

Accuracy: the result is float32 (what Keras optimizers use for learning rates), computed
from exact integer steps (int64 on TensorFlow and torch), within 8 float32 ulps of the exact
value at every step, including the last 1% of the decay, where Keras' own ``CosineDecay``
and the TF-TPU reference return 0 or lose digits, and at steps beyond ``2**24``.

Example:
    >>> import keras
    >>> from warmcos import Schedule
    >>> from warmcos.keras import WarmcosSchedule
    >>> lr = WarmcosSchedule(Schedule(peak_lr=1e-3, total_steps=10_000, warmup_steps=500))
    >>> optimizer = keras.optimizers.AdamW(learning_rate=lr)
    >>> [round(float(lr(step)), 7) for step in (0, 250, 500, 9_999, 10_000)]
    [0.0, 0.0005, 0.001, 0.0, 0.0]
    >>> float(lr(9_999))  # the last step before the end is small, not 0
    2.73...e-11
    >>> WarmcosSchedule.from_config(lr.get_config()).schedule == lr.schedule
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras

from ._load import from_dict
from .compose import Composition
from .schedule import Schedule

__all__ = ["WarmcosSchedule"]


@keras.saving.register_keras_serializable(package="warmcos", name="WarmcosSchedule")
class WarmcosSchedule(keras.optimizers.schedules.LearningRateSchedule):  # type: ignore[misc]
    """A :class:`~warmcos.Schedule` as a ``keras.optimizers.schedules.LearningRateSchedule``.

    Pass it as an optimizer's ``learning_rate``; the optimizer calls it with
    ``optimizer.iterations`` (the number of updates already applied), so the first update
    uses ``schedule(0)``. The conventions are the schedule's: the peak at step
    ``warmup_steps``, ``final_lr`` at step ``total_steps``, then its ``after`` policy.

    Its Keras config is the schedule's :meth:`~warmcos.Schedule.to_dict` (versioned);
    :meth:`from_config` rebuilds it and rejects unknown keys or another version. A
    :class:`~warmcos.Composition` is taken the same way: its config is its ``to_dict()``
    (a ``segments`` key), read back by ``warmcos.load``'s one dispatcher.

    Under compilation (``tf.function``, XLA, ``jax.jit``) the step is symbolic and cannot
    raise: a step past ``total_steps`` with ``after="raise"`` gives a NaN learning rate there
    (and so a NaN loss; ``keras.callbacks.TerminateOnNaN`` stops the run). Eager calls raise
    ``ValueError``.

    Args:
        schedule: the :class:`~warmcos.Schedule` or :class:`~warmcos.Composition` to follow.

    Raises:
        TypeError: ``schedule`` is not a :class:`~warmcos.Schedule` or a
            :class:`~warmcos.Composition`.

    Example:
        >>> from warmcos import Schedule
        >>> lr = WarmcosSchedule(Schedule(peak_lr=0.1, total_steps=100, warmup_steps=10))
        >>> lr
        WarmcosSchedule(Schedule(peak_lr=0.1, total_steps=100, warmup_steps=10, \
warmup_start_lr=0.0, final_lr=0.0, after='hold'))
        >>> config = lr.get_config()
        >>> config["version"], config["total_steps"], config["decay_shape"]
        (2, 100, 'cosine')
    """

    def __init__(self, schedule: Schedule | Composition) -> None:
        if not isinstance(schedule, (Schedule, Composition)):
            hint = (
                "; use WarmcosSchedule.from_config(config) for a config dict"
                if isinstance(schedule, Mapping)
                else ""
            )
            raise TypeError(
                "schedule must be a warmcos.Schedule, e.g. WarmcosSchedule(Schedule(peak_lr="
                f"1e-3, total_steps=10_000)); received schedule={schedule!r} of type "
                f"{type(schedule).__name__}{hint} (or pass a warmcos.Composition)"
            )
        super().__init__()
        self.schedule = schedule

    def __call__(self, step: Any) -> Any:
        """The learning rate at ``step`` as a float32 tensor of the active Keras backend.

        Args:
            step: the number of optimizer updates applied: ``optimizer.iterations`` (a Keras
                variable), a backend tensor, or a Python number; integers or floats.

        Returns:
            A float32 tensor of the backend (``tf.Tensor``, ``jax.Array``, ``torch.Tensor``)
            with the shape of ``step``.

        Raises:
            TypeError: ``step`` is not a number or a tensor of numbers.
            ValueError: (eager only) a step is negative, not finite, or past
                ``total_steps`` with ``after="raise"``.
        """
        if isinstance(step, bool) or not (isinstance(step, (int, float)) or hasattr(step, "dtype")):
            raise TypeError(
                "step must be an int, a float, or a tensor of them (optimizer.iterations); "
                f"received step={step!r} of type {type(step).__name__}"
            )
        if isinstance(step, keras.Variable):  # optimizer.iterations: read its backend value
            step = step.value
        if isinstance(step, (int, float)) and not abs(step) < 2**31:
            # beyond what every backend's default integer holds (and 1e300 beyond float32):
            # the core's exact rate of the Python number (or its ValueError), as a tensor
            return keras.ops.convert_to_tensor(self.schedule(step), "float32")
        lr = self.schedule(keras.ops.convert_to_tensor(step))
        return keras.ops.cast(lr, "float32")

    def get_config(self) -> dict[str, Any]:
        """The schedule's :meth:`~warmcos.Schedule.to_dict`: its arguments and ``version``."""
        return self.schedule.to_dict()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WarmcosSchedule:
        """Rebuild from :meth:`get_config`'s output, validated by ``Schedule.from_dict``.

        A config with a ``segments`` key is a composition's (``Composition.from_dict``).

        Raises:
            TypeError: ``config`` is not a mapping.
            ValueError: ``config`` has unknown keys, no or another ``version``, or invalid
                values.
        """
        return cls(from_dict(config))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.schedule!r})"
