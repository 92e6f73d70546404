r"""JAX / optax: a :class:`~warmcos.Schedule` as a pure ``count -> lr`` function.

``optax_schedule(schedule)`` is what optax calls a *schedule*: pass it as any optax
optimizer's ``learning_rate``. It evaluates the one formula of :class:`~warmcos.Schedule`
(JAX arrays go through the core's array namespace; nothing is re-implemented here), so

* it is pure and traceable: it works under ``jax.jit``, ``jax.vmap``, ``lax.scan`` and
  ``shard_map``, with int32 counts (optax's) and int64 counts (with ``jax_enable_x64``);
* its hyperparameters may be traced too: ``optax_schedule(schedule, peak_lr=p)`` with ``p`` a
  tracer lets you ``vmap`` a whole training run over peak learning rates, which optax's
  ``warmup_cosine_decay_schedule`` cannot (it branches on ``peak_value`` in Python);
* it is exact in float32: the progress ``(T - count) / (T - w)`` is a ratio of exact integers,
  so there is no step quantisation for counts up to ``2**31 - 1``, and the decay is computed as
  ``sin²`` of the remaining fraction, which keeps full relative precision in the last steps,
  where optax's ``(1 + cos) / 2`` cancels (it returns 0 a few steps before the end);
* it pickles (it is a small frozen object holding the :class:`~warmcos.Schedule`, not a
  closure), and the schedule round-trips through ``to_dict``/``to_json``.

The schedule is the one of :class:`~warmcos.Schedule`:

.. math::

    \mathrm{lr}(c) = \begin{cases}
        \mathrm{start} + (\mathrm{peak} - \mathrm{start}) \, c / w & 0 \le c < w \\
        \mathrm{final} + (\mathrm{peak} - \mathrm{final}) \,
            \tfrac12 \left(1 + \cos \pi \frac{c - w}{T - w}\right) & w \le c \le T \\
        \text{the } \texttt{after} \text{ policy} & c > T
    \end{cases}

with ``c`` the optimizer's update count (optax evaluates the schedule at the count *before*
incrementing it, so the first update uses step 0), ``w = warmup_steps`` and ``T =
total_steps``. Unlike optax's ``decay_steps``, ``total_steps`` always includes the warmup.

Invalid counts cannot raise inside a traced computation: under ``jit`` a negative count, or a
count past ``total_steps`` with ``after="raise"``, gives NaN. Concrete (eager) counts raise
``ValueError`` like :class:`~warmcos.Schedule` does.

Example:
    >>> import jax, jax.numpy as jnp, optax
    >>> from warmcos import Schedule
    >>> from warmcos.jax import optax_schedule
    >>> schedule = Schedule(peak_lr=1e-3, total_steps=1000, warmup_steps=100)
    >>> lr = optax_schedule(schedule)
    >>> [float(lr(c)) for c in (0, 50, 100, 1000)]
    [0.0, 0.0005, 0.001, 0.0]
    >>> optimizer = optax.adamw(learning_rate=lr)  # or optax.inject_hyperparams(optax.adamw)
    >>> jax.jit(lr)(jnp.array([0, 100, 550, 1000])).tolist()  # under jit: the same values
    [0.0, 0.001, 0.0005, 0.0]
    >>> peaks = jnp.array([1e-3, 3e-3])
    >>> jax.vmap(lambda p: optax_schedule(schedule, peak_lr=p)(50))(peaks)
    Array([0.0005, 0.0015], dtype=float32)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

try:
    import jax
    from jax import numpy as jnp
except ModuleNotFoundError as error:  # pragma: no cover - the jax extra is installed in CI
    raise ModuleNotFoundError(
        "warmcos.jax needs JAX: install it with pip install 'warmcos[jax]'"
    ) from error

import numpy as np

from . import _math
from ._xp import namespace_of
from .schedule import Schedule, positive_rates

__all__ = ["OptaxSchedule", "optax_schedule"]

#: The learning rates that may be given as (possibly traced) arrays, in signature order.
_RATES = ("peak_lr", "warmup_start_lr", "final_lr")


@dataclass(frozen=True, eq=False, init=False)
class OptaxSchedule:
    """The ``count -> lr`` function returned by :func:`optax_schedule` (see there).

    A frozen object, not a closure: it pickles (with concrete learning rates), and calling it
    is pure. ``schedule`` is the validated :class:`~warmcos.Schedule` it evaluates;
    ``rates`` holds the learning rates given as arrays, by name (empty for a plain schedule).
    Build it with :func:`optax_schedule`, which validates what it can.
    """

    schedule: Schedule
    rates: tuple[tuple[str, Any], ...]

    def __init__(self, schedule: Schedule, rates: tuple[tuple[str, Any], ...] = ()) -> None:
        object.__setattr__(self, "schedule", schedule)
        object.__setattr__(self, "rates", rates)

    def __call__(self, count: Any) -> Any:
        """The learning rate at optimizer update ``count``, as a JAX array.

        Args:
            count: the number of updates already applied: a JAX integer array or tracer of
                any shape (optax passes an int32 scalar), or a Python int.

        Returns:
            A float array of ``count``'s shape (broadcast with the shape of array learning
            rates), in JAX's default float dtype (float32 unless ``jax_enable_x64``).

        Raises:
            ValueError: ``total_steps`` does not fit JAX's default integer (int32 unless
                ``jax_enable_x64``); or, for concrete counts only, a count is negative, or past
                ``total_steps`` with ``after="raise"``. Traced invalid counts give NaN.
        """
        if not isinstance(count, jax.Array):
            try:
                count = jnp.asarray(count)
            except OverflowError:  # a Python int beyond JAX's default integer
                limit = np.iinfo(jnp.result_type(int)).max
                raise ValueError(
                    f"count must be <= {limit} (JAX's default integer; enable jax_enable_x64 "
                    f"for larger counts); received count={count!r}"
                ) from None
        if not self.rates:
            return self.schedule(count)
        plan = self.schedule.params(**dict(self.rates))
        xp = namespace_of(count)
        return xp.evaluate(
            count,
            lambda xp, s, bounds: _math.evaluate(xp, s, bounds, plan),
            total_steps=self.schedule.total_steps,
            past_end=self.schedule.after == "raise",
        )


def optax_schedule(
    schedule: Schedule,
    *,
    peak_lr: Any = None,
    warmup_start_lr: Any = None,
    final_lr: Any = None,
) -> OptaxSchedule:
    """An optax schedule (``count -> lr``) evaluating ``schedule``, jittable and vmappable.

    Pass the result as ``learning_rate`` to any optax optimizer (``optax.adamw(lr)``,
    ``optax.inject_hyperparams(optax.adamw)(learning_rate=lr)``, ...). The optimizer's count
    is the step: the ``n``-th update (from 0) uses ``schedule(n)``.

    The learning rates may be overridden, each independently (the others keep their values
    in ``schedule``; the steps and the ``after`` policy always come from ``schedule``):

    * a Python number gives ``schedule.replace(...)``, validated as usual;
    * a JAX or NumPy array (for example a tracer under ``jax.vmap``, to sweep peak learning
      rates in one compiled run) is used as it is, broadcast against the count. Concrete
      arrays are checked (finite, ``>= 0``, ``final_lr <= peak_lr``); traced ones cannot be.
      To scale the whole shape with a traced peak, pass the other rates scaled too, e.g.
      ``final_lr=peak * 0.1``.

    Args:
        schedule: the :class:`~warmcos.Schedule` to evaluate.
        peak_lr: overrides ``schedule.peak_lr`` (the value at ``warmup_steps``).
        warmup_start_lr: overrides ``schedule.warmup_start_lr`` (the value at step 0).
        final_lr: overrides ``schedule.final_lr`` (the value at ``total_steps``).

    Returns:
        An :class:`OptaxSchedule`: a pure, picklable function of the count.

    Raises:
        TypeError: ``schedule`` is not a :class:`~warmcos.Schedule`, or a learning rate is
            neither a real number nor a real array.
        ValueError: a learning rate is negative, NaN or infinite, ``final_lr > peak_lr``, or
            0 where an exponential phase needs it positive (concrete arrays are checked like
            numbers).

    Example:
        >>> import jax.numpy as jnp
        >>> from warmcos import Schedule
        >>> from warmcos.jax import optax_schedule
        >>> s = Schedule(peak_lr=0.1, total_steps=100, warmup_steps=10, final_lr=0.01)
        >>> float(optax_schedule(s)(10)), float(optax_schedule(s, peak_lr=0.2)(10))
        (0.1, 0.2)
        >>> optax_schedule(s, final_lr=jnp.array([0.0, 0.05]))(100)
        Array([0.  , 0.05], dtype=float32)
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(
            "schedule must be a warmcos.Schedule; received "
            f"schedule={schedule!r} of type {type(schedule).__name__}"
        )
    given = dict(zip(_RATES, (peak_lr, warmup_start_lr, final_lr), strict=True))
    numbers_ = {k: v for k, v in given.items() if v is not None and _is_number(v)}
    if numbers_:
        schedule = schedule.replace(**numbers_)
    arrays = {k: _rate_array(k, v) for k, v in given.items() if v is not None and k not in numbers_}
    peak = arrays.get("peak_lr", schedule.peak_lr)
    final = arrays.get("final_lr", schedule.final_lr)
    concrete = not any(isinstance(v, jax.core.Tracer) for v in (peak, final))
    if arrays and concrete and bool(np.any(np.asarray(final) > np.asarray(peak))):
        raise ValueError(
            f"final_lr must be <= peak_lr (the {schedule.decay_shape} decay goes down from the "
            f"peak to final_lr); received final_lr={final!r}, peak_lr={peak!r}"
        )
    for name, why in positive_rates(schedule._args()):  # the core's rules, for arrays too
        value = arrays.get(name)
        concrete_value = value is not None and not isinstance(value, jax.core.Tracer)
        if concrete_value and not bool(np.all(np.asarray(value) > 0)):
            raise ValueError(f"{name} must be > 0 {why}; received {name}={given[name]!r}")
    return OptaxSchedule(schedule, tuple(arrays.items()))


def _is_number(value: Any) -> bool:
    """Whether ``value`` is a plain number (Python or NumPy scalar) rather than an array."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _rate_array(name: str, value: Any) -> Any:
    """``value`` as a JAX float array, checked unless it is traced."""
    traced = isinstance(value, jax.core.Tracer)
    if not traced and (
        isinstance(value, bool) or not isinstance(value, (jax.Array, np.ndarray, list, tuple))
    ):
        raise TypeError(
            f"{name} must be a real number or an array of them; received {name}={value!r} "
            f"of type {type(value).__name__}"
        )
    dtype = value.dtype if traced else np.asarray(value).dtype
    if not (jnp.issubdtype(dtype, jnp.integer) or jnp.issubdtype(dtype, jnp.floating)):
        raise TypeError(
            f"{name} must be an array of real numbers; received {name} of dtype {dtype}"
        )
    if not traced:
        array = np.asarray(value, dtype=np.float64)
        ok = np.isfinite(array) & (array >= 0)
        if not ok.all():
            raise ValueError(
                f"{name} must be finite and >= 0; received {name}={value!r} "
                f"(offending entries: {array[~ok][:5].tolist()})"
            )
    if jnp.issubdtype(dtype, jnp.floating):
        return value if traced else jnp.asarray(value)
    return jnp.asarray(value).astype(jnp.result_type(float))
