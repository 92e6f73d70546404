r"""The schedule formulas, written once, branch-free, against the namespace of :mod:`warmcos._xp`.

Every phase of a schedule goes from one value to another over ``[begin, end]`` steps. Its
progress is a ratio of two exact integers (the step stays an integer until this division),

.. math::

    u(s) = \frac{s - \mathrm{begin}}{\mathrm{end} - \mathrm{begin}}
    \quad\text{or}\quad
    r(s) = \frac{\mathrm{end} - s}{\mathrm{end} - \mathrm{begin}},

exactly 0 and 1 at the phase's ends, at any step count up to 2**53 in float64 and without
float32 step quantisation. A *shape* maps progress to a fraction ``g`` in ``[0, 1]``, and the
value is measured **up from the lower of the two values**,

.. math::

    \mathrm{lr} = v_\mathrm{low} + (v_\mathrm{high} - v_\mathrm{low}) \, g,

so every term is non-negative and nothing cancels, however small the rate gets; both ends are
hit exactly (see :func:`_between`).

The cosine shape is :math:`g(r) = \tfrac12 (1 - \cos \pi r) = \sin^2(\tfrac{\pi}{2} r)`,
the reference's :math:`\tfrac12(1 + \cos(\pi p))` with :math:`p = 1 - r`. The sine form has no
cancellation near the end of the decay, where :math:`1 + \cos` loses every digit, and costs
one transcendental per step.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from ._xp import Bounds, Namespace


__all__ = ["AFTER_POLICIES", "Params", "Plan", "cosine", "evaluate", "linear"]

#: What happens after ``total_steps``: the names of the policies, in the order shown to users.
AFTER_POLICIES = ("hold", "wrap", "raise")


def linear(xp: Namespace, steps_left: Any, length: int) -> Any:
    r"""Linear shape: :math:`g(r) = r`, with ``r = steps_left / length``."""
    return xp.to_float(steps_left) / float(length)


def cosine(xp: Namespace, steps_left: Any, length: int) -> Any:
    r"""Cosine shape: :math:`g(r) = \sin^2(\tfrac{\pi}{2} r)`, with ``r = steps_left / length``.

    The angle is ``steps_left * c`` with :math:`c = \pi / (2 \cdot \mathrm{length})` held as
    the sum of two floats (:func:`angle_constant`), so the angle carries one rounding, not
    the three of ``steps_left / length * (pi / 2)``; ``sin`` is correctly rounded on the
    platforms we test, and the square doubles what error is left. Measured against mpmath:
    see ``tests/test_accuracy.py``.
    """
    c_hi, c_lo = angle_constant(length)
    a = xp.to_float(steps_left)
    x = xp.sin(a * c_hi + a * c_lo)
    return x * x


# pi to 64 digits: the angle constant is computed exactly from it, once per phase length.
_PI = Fraction("3.141592653589793238462643383279502884197169399375105820974944592307816")


# A plain dict, not functools.lru_cache: torch.compile warns on every lru_cache it traces.
_ANGLE_CONSTANTS: dict[int, tuple[float, float]] = {}


def angle_constant(length: int) -> tuple[float, float]:
    """``pi / (2 * length)`` as ``c_hi + c_lo``, ``c_hi`` with 26 significant bits.

    With 26 bits in ``c_hi``, ``a * c_hi`` is exact for every integer ``a < 2**27``, and
    ``a * c_lo`` is ``2**-26`` times smaller, so ``a * c_hi + a * c_lo`` is the exact angle
    rounded once. Computed once per phase length (a :class:`~warmcos.Schedule` computes its
    own when it is built, so traced code, e.g. under ``torch.compile``, only looks it up).
    """
    length = int(length)  # a traced (symbolic) int becomes the concrete one it stands for
    constant = _ANGLE_CONSTANTS.get(length)
    if constant is None:
        c = _PI / (2 * length)
        mantissa, exponent = math.frexp(float(c))
        c_hi = math.ldexp(round(mantissa * (1 << 26)), exponent - 26)
        constant = _ANGLE_CONSTANTS[length] = (c_hi, float(c - Fraction(c_hi)))
    return constant


def _between(xp: Namespace, low: Any, high: Any, g: Any) -> Any:
    """The value a fraction ``g`` in ``[0, 1]`` of the way from ``low`` up to ``high``.

    Every term is non-negative (``low <= high``, ``0 <= g <= 1``), so nothing cancels: the
    result has full relative precision however small it is. It is exactly ``low`` at
    ``g = 0`` and exactly ``high`` at ``g = 1``, and never outside ``[low, high]``. For
    Python-float values (every :class:`~warmcos.Schedule`) the form is chosen once, on the
    constants: ``low + (high - low) * g`` (two operations, monotone in ``g``) when
    ``low + (high - low)`` rounds back to ``high`` exactly in the precision of ``g`` (float64,
    or float32 for float32 arrays), as it does for most pairs;
    otherwise ``high * g + low * (1 - g)``, clamped, which is exact at both ends for any pair.
    """
    if isinstance(low, (int, float)) and isinstance(high, (int, float)):
        if low == 0.0:
            return high * g
        delta = high - low
        if _rounds_back(low, delta, high, single=_is_single(g)):
            return low + delta * g
        lo, hi = low, high
    else:  # traced hyperparameters: the general form, in either order, bounds in the namespace
        lo, hi = xp.minimum(low, high), xp.maximum(low, high)
    return xp.clip(high * g + low * (1.0 - g), lo, hi)


def _is_single(x: Any) -> bool:
    """Whether ``x`` is an array computed in float32 (numpy, torch, TensorFlow and JAX dtypes)."""
    dtype = getattr(x, "dtype", None)
    size = getattr(dtype, "itemsize", None) or getattr(dtype, "size", None)
    return isinstance(size, int) and size < 8


def _f32(x: float) -> float:
    """``x`` rounded to the nearest float32 (ties to even), as a Python float.

    Plain arithmetic rather than ``struct``: ``torch.compile`` traces this (it folds it to a
    constant) and recurses forever on ``struct.pack``.
    """
    if x == 0.0 or not math.isfinite(x):
        return x
    mantissa, exponent = math.frexp(x)  # x = mantissa * 2**exponent, 0.5 <= |mantissa| < 1
    bits = 24 - max(0, -125 - exponent)  # 24 significant bits, fewer for float32 subnormals
    return math.ldexp(round(math.ldexp(mantissa, bits)), exponent - bits)


def _rounds_back(low: float, delta: float, high: float, *, single: bool) -> bool:
    """Whether ``low + delta == high`` in the precision the arrays are computed in.

    In float32 the constants are rounded first, and ``f32(low) + f32(delta)`` may miss
    ``f32(high)`` by an ulp where the float64 sum does not (``3e-6`` and ``3e-4`` do).
    """
    if not single:
        return low + delta == high
    return _f32(_f32(low) + _f32(delta)) == _f32(high)


def _linear_phase(xp: Namespace, s: Any, *, begin: int, end: int, v_begin: Any, v_end: Any) -> Any:
    """Linear from ``v_begin`` at ``begin`` to ``v_end`` at ``end``, anchored at the lower value.

    Both fractions of the phase, done ``(s - begin) / n`` and left ``(end - s) / n``, are
    exact integer ratios, so the one measured from the lower value is used: no cancellation
    whether the phase rises or falls.
    """
    if isinstance(v_begin, (int, float)) and isinstance(v_end, (int, float)) and v_begin > v_end:
        return _between(xp, v_end, v_begin, linear(xp, end - s, end - begin))
    # rising, or traced values (whose order is unknown: _between's general form takes any)
    return _between(xp, v_begin, v_end, linear(xp, s - begin, end - begin))


class Plan(Protocol):
    """What the formulas read: integer steps, learning rates, the after-end policy.

    A :class:`~warmcos.Schedule` is a plan whose learning rates are validated Python floats.
    """

    @property
    def peak_lr(self) -> Any: ...
    @property
    def total_steps(self) -> int: ...
    @property
    def warmup_steps(self) -> int: ...
    @property
    def warmup_start_lr(self) -> Any: ...
    @property
    def final_lr(self) -> Any: ...
    @property
    def after(self) -> str: ...


class Params(NamedTuple):
    """A :class:`Plan` whose learning rates may be framework arrays (traced hyperparameters).

    Adapters get one from a validated schedule with :meth:`warmcos.Schedule.params`, e.g.
    ``schedule.params(peak_lr=traced_peak)``; the steps and the policy always come from the
    schedule.
    """

    peak_lr: Any
    total_steps: int
    warmup_steps: int
    warmup_start_lr: Any
    final_lr: Any
    after: str


def _wrap(xp: Namespace, s: Any, w: int, t: int) -> Any:
    """Fold a step past ``t`` back into ``[w, t]``: the reference's periodic cosine.

    The reference's cosine has period ``2 (t - w)`` in the step: after ``t`` it climbs back to
    the peak at ``2t - w``, then falls again. Folding the integer step keeps the progress exact
    however many periods have passed, and needs no ``2 (t - w)`` (safe in int32).
    """
    length = t - w
    k = (s - w) // length  # half-periods completed since the peak
    r = (s - w) - k * length  # steps into the current half-period
    folded = xp.where(k % 2 == 0, w + r, t - r)
    return xp.where(s < w, s, folded)


def _warmup(xp: Namespace, s: Any, plan: Plan) -> Any:
    """Linear from ``warmup_start_lr`` at step 0 to ``peak_lr`` at ``warmup_steps``."""
    return _linear_phase(
        xp, s, begin=0, end=plan.warmup_steps, v_begin=plan.warmup_start_lr, v_end=plan.peak_lr
    )


def _decay(xp: Namespace, s: Any, plan: Plan) -> Any:
    """Cosine from ``peak_lr`` at ``warmup_steps`` to ``final_lr`` at ``total_steps``.

    ``final_lr <= peak_lr``, so the value is measured up from the final value.
    """
    t = plan.total_steps
    return _between(xp, plan.final_lr, plan.peak_lr, cosine(xp, t - s, t - plan.warmup_steps))


def evaluate(xp: Namespace, s: Any, bounds: Bounds | None, plan: Plan) -> Any:
    r"""The learning rate at exact step(s) ``s``.

    .. math::

        \mathrm{lr}(s) = \begin{cases}
            \mathrm{peak} + (\mathrm{start} - \mathrm{peak}) \, \frac{w - s}{w}
                & 0 \le s < w \\
            \mathrm{final} + (\mathrm{peak} - \mathrm{final})
                \sin^2\!\left(\frac{\pi}{2} \frac{T - s}{T - w}\right)
                & w \le s \le T \\
            \mathrm{lr}(T) & s > T, \text{ after = hold} \\
            \text{periodic continuation} & s > T, \text{ after = wrap}
        \end{cases}

    with ``w = warmup_steps``, ``T = total_steps``.

    ``bounds`` (the smallest and largest step, known for concrete values) only lets the
    computation skip work no step needs; the result is the same without it. Concrete steps
    have been checked before this runs; traced ones (``bounds is None``) cannot raise, so
    negative steps, and steps past the end under ``after="raise"``, become NaN.
    """
    w, t = plan.warmup_steps, plan.total_steps
    lo, hi = bounds if bounds is not None else (-math.inf, math.inf)
    invalid = None
    if bounds is None:
        invalid = (s < 0) | (s > t) if plan.after == "raise" else s < 0
    if hi > t:
        s = _wrap(xp, s, w, t) if plan.after == "wrap" else xp.minimum(s, t)

    if w == 0 or lo >= w:
        lr = _decay(xp, s, plan)
    elif hi < w:
        lr = _warmup(xp, s, plan)
    else:
        lr = xp.where(s < w, _warmup(xp, s, plan), _decay(xp, s, plan))
    return lr if invalid is None else xp.mark_invalid(invalid, lr)
