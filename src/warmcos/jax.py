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

The schedule is the one of :class:`~warmcos.Schedule`, a table of phases (warmup, stable,
decay cycles, re-planned endings; docs/family.md):

.. math::

    \mathrm{lr}(c) = \begin{cases}
        v_\mathrm{low} + (v_\mathrm{high} - v_\mathrm{low}) \, \varphi_\mathrm{shape}(n, L)
            & 0 \le c \le T, \text{ in the phase holding } c \\
        \text{the } \texttt{after} \text{ policy} & c > T
    \end{cases}

with ``c`` the optimizer's update count (optax evaluates the schedule at the count *before*
incrementing it, so the first update uses step 0), ``T = total_steps``, ``n`` the number of
steps from the phase's lower end, ``L`` its length, ``v_low``/``v_high`` its lower and upper
rates, and ``phi(0) = 0``, ``phi(L) = 1`` (the default cosine decay is ``phi = sin²(π/2 ·
n/L)``). Unlike optax's ``decay_steps``, ``total_steps`` always includes the warmup.

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

from dataclasses import dataclass, field
from typing import Any

try:
    import jax
    from jax import numpy as jnp
except ModuleNotFoundError as error:  # pragma: no cover - the jax extra is installed in CI
    raise ModuleNotFoundError(
        "warmcos.jax needs JAX: install it with pip install 'warmcos[jax]'"
    ) from error

# At run time: typing.get_type_hints(OptaxSchedule) evaluates its fields' annotations.
from collections.abc import Callable  # noqa: TC003

import numpy as np

from .compose import Composition
from .schedule import Schedule

__all__ = ["OptaxSchedule", "optax_schedule"]


@dataclass(frozen=True, eq=False, init=False)
class OptaxSchedule:
    """The ``count -> lr`` function returned by :func:`optax_schedule` (see there).

    A frozen object, not a closure: it pickles (with concrete learning rates), and calling it
    is pure. ``schedule`` is the validated :class:`~warmcos.Schedule` (or
    :class:`~warmcos.Composition`) it evaluates; ``rates`` holds the learning rates given as
    arrays, by name (empty for a plain schedule, and always for a composition).
    Build it with :func:`optax_schedule`, which validates what it can.
    """

    schedule: Schedule | Composition
    rates: tuple[tuple[str, Any], ...]
    #: ``schedule.with_rates(**rates)`` (a composition: itself): checked once, evaluated at
    #: every call.
    _evaluate: Callable[[Any], Any] = field(repr=False)

    def __init__(
        self, schedule: Schedule | Composition, rates: tuple[tuple[str, Any], ...] = ()
    ) -> None:
        object.__setattr__(self, "schedule", schedule)
        object.__setattr__(self, "rates", rates)
        evaluate = (
            schedule.with_rates(**dict(rates)) if isinstance(schedule, Schedule) else schedule
        )
        object.__setattr__(self, "_evaluate", evaluate)

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
        return self._evaluate(count)


def optax_schedule(
    schedule: Schedule | Composition,
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
    in ``schedule``; the steps and the ``after`` policy always come from ``schedule``), as
    :meth:`~warmcos.Schedule.with_rates` takes them:

    * a Python number gives ``schedule.replace(...)``, validated as usual;
    * a JAX or NumPy array (for example a tracer under ``jax.vmap``, to sweep peak learning
      rates in one compiled run) is used as it is, broadcast against the count. Concrete
      arrays are checked with the schedule's rules, entry by entry (finite, ``>= 0``,
      ``final_lr <= peak_lr``, ...); traced ones cannot be. To scale the whole shape with a
      traced peak, pass the other rates scaled too, e.g. ``final_lr=peak * 0.1``.

    A :class:`~warmcos.Composition` is evaluated as it is (``composition(count)``, its one
    formula); it has no ``peak_lr``, ``warmup_start_lr`` or ``final_lr`` to override, so
    those must be ``None`` with it (a ``ValueError`` otherwise): sweep a composition's rates
    by building one composition per value, or multiply it by a constant factor.

    Args:
        schedule: the :class:`~warmcos.Schedule` or :class:`~warmcos.Composition` to
            evaluate.
        peak_lr: overrides ``schedule.peak_lr`` (the value at ``warmup_steps``).
        warmup_start_lr: overrides ``schedule.warmup_start_lr`` (the value at step 0).
        final_lr: overrides ``schedule.final_lr`` (the value at ``total_steps``).

    Returns:
        An :class:`OptaxSchedule`: a pure, picklable function of the count.

    Raises:
        TypeError: ``schedule`` is not a :class:`~warmcos.Schedule` or a
            :class:`~warmcos.Composition`, or a learning rate is neither a real number nor a
            real array.
        ValueError: a learning rate is negative, NaN or infinite, ``final_lr > peak_lr``, or
            0 where an exponential phase needs it positive (concrete arrays are checked like
            numbers, entry by entry); or a learning rate is given with a composition.

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
    if isinstance(schedule, Composition):
        given = {"peak_lr": peak_lr, "warmup_start_lr": warmup_start_lr, "final_lr": final_lr}
        named = [f"{k}={v!r}" for k, v in given.items() if v is not None]
        if named:
            raise ValueError(
                "a Composition has no peak_lr, warmup_start_lr or final_lr to override: its "
                "values are its segments' (build one composition per value, or multiply it "
                f"by a constant factor); received {', '.join(named)}"
            )
        return OptaxSchedule(schedule)
    if not isinstance(schedule, Schedule):
        raise TypeError(
            "schedule must be a warmcos.Schedule; received "
            f"schedule={schedule!r} of type {type(schedule).__name__} (or pass a "
            "warmcos.Composition)"
        )
    rated = schedule.with_rates(
        peak_lr=peak_lr, warmup_start_lr=warmup_start_lr, final_lr=final_lr
    )  # the core's checks
    rates = tuple((name, _jax_float(value)) for name, value in rated.rates.items())
    return OptaxSchedule(rated.schedule, rates)


def _jax_float(value: Any) -> Any:
    """A (checked) rate array as a JAX float array: integers in JAX's default float dtype."""
    if isinstance(value, jax.core.Tracer):
        dtype = value.dtype
    else:
        value = jnp.asarray(value)
        dtype = value.dtype
    if jnp.issubdtype(dtype, jnp.floating):
        return value
    return jnp.asarray(value).astype(jnp.result_type(float))
