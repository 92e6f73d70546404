"""The TF-TPU reference function, by name, on the one formula of :class:`~warmcos.Schedule`."""

from __future__ import annotations

import functools

from .schedule import Schedule

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from . import types as _t
else:  # evaluated only by typing.get_type_hints: see warmcos._annotations
    from . import _annotations as _t  # noqa: TC001 - evaluated by get_type_hints

__all__ = ["cosine_learning_rate_with_linear_warmup"]


# typed: 4 and 4.0, or 1 and True, are different arguments (the schedule validates types), so
# whether a call raises never depends on an earlier call.
@functools.lru_cache(maxsize=64, typed=True)
def _schedule(
    init_learning_rate: float,
    warmup_learning_rate: float,
    warmup_steps: _t.Any,
    total_steps: _t.Any,
    after: _t.AfterPolicy,
) -> Schedule:
    return Schedule(
        peak_lr=init_learning_rate,
        total_steps=total_steps,
        warmup_steps=warmup_steps,
        warmup_start_lr=warmup_learning_rate,
        after=after,
    )


def cosine_learning_rate_with_linear_warmup(
    global_step: _t.Any,
    init_learning_rate: float,
    warmup_learning_rate: float,
    warmup_steps: int,
    total_steps: int,
    *,
    after: _t.AfterPolicy = "wrap",
) -> _t.Any:
    r"""Cosine learning rate with linear warmup, as in the TensorFlow TPU reference models.

    .. math::

        \mathrm{lr}(s) = \begin{cases}
            \mathrm{wlr} + \frac{s}{w} (\mathrm{lr} - \mathrm{wlr}) & s < w \\
            \mathrm{lr} \cdot \tfrac12 \left(1 + \cos \pi \frac{s - w}{T - w}\right)
                & s \ge w
        \end{cases}

    with ``lr = init_learning_rate``, ``wlr = warmup_learning_rate``, ``w = warmup_steps``,
    ``T = total_steps``. The same parameters, the same values, the same rise past ``T`` (the
    cosine is periodic: back at the peak at ``2T - w``) unless ``after="hold"`` or
    ``"raise"``; see :class:`~warmcos.Schedule` for the policies.

    What differs from the original, on purpose:

    * the values are exact (float64 for Python numbers and NumPy), not the reference's float32
      arithmetic, which is off by up to 3 float32 ulps and returns 0 (or a value 10-20% off) in
      the last steps before ``T``, where ``cos(x) + 1`` cancels;
    * ``warmup_steps == total_steps`` raises ``ValueError`` (the original returns NaN from step
      ``w`` on), and so does every other invalid input (negative rates, negative or
      non-integer durations, negative steps).

    Args:
        global_step: the step: a Python number, a NumPy array, or a torch / TensorFlow / JAX
            tensor (a ``tf.Variable`` too). The result has the same kind.
        init_learning_rate: the peak, reached at step ``warmup_steps``.
        warmup_learning_rate: the value at step 0 (may be above the peak).
        warmup_steps: steps of linear warmup, ``0 <= warmup_steps < total_steps``.
        total_steps: the step at which the rate reaches 0.
        after: the policy past ``total_steps``: ``"wrap"`` (the reference), ``"hold"`` or
            ``"raise"``.

    Example:
        >>> from warmcos import cosine_learning_rate_with_linear_warmup as ref
        >>> [round(ref(s, 1.0, 0.1, 4, 10), 3) for s in (0, 3, 4, 9, 10, 11, 16)]
        [0.1, 0.775, 1.0, 0.067, 0.0, 0.067, 1.0]
    """
    args = (init_learning_rate, warmup_learning_rate, warmup_steps, total_steps, after)
    try:
        schedule = _schedule(*args)
    except TypeError as error:
        if "unhashable" not in str(error):
            raise
        schedule = _schedule.__wrapped__(*args)  # e.g. a NumPy array argument: validated there
    return schedule(global_step)
