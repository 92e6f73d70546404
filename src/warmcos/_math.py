r"""The schedule formulas: one table of phases, one function per shape, one evaluator.

A :class:`~warmcos.Schedule` is *lowered*, when it is built, into a :class:`Plan`: a tuple of
:class:`Row`\ s, one per phase (warmup, stable, each cycle's warmup and decay), ordered by the
step where each begins. Every row goes between two values over a *frame* of ``length`` steps,
and every shape is one function

.. math::

    \phi(n, L) \in [0, 1], \qquad \phi(0, L) = 0, \quad \phi(L, L) = 1,

of ``n``, the exact integer number of steps from the row's **lower** end (``L`` = the frame's
length). The value is measured up from the lower value,

.. math::

    \mathrm{lr} = v_\mathrm{low} + (v_\mathrm{high} - v_\mathrm{low}) \, \phi(n, L),

so every term is non-negative and nothing cancels however small the rate gets, and both ends
are hit exactly (see :func:`_between`). Because the orientation comes from "which end is
lower", one ``phi`` serves a rising warmup and a falling decay. Progress stays a ratio of
exact integers (``n`` is computed from integer steps), so there is no float32 step
quantisation and no ``1 - u`` cancellation.

The evaluator follows optax's ``join_schedules``: each row clamps the step into its own range
and a ``where`` chain picks the row that holds it, the boundary step belonging to the later
row. Concrete steps (known bounds) skip the rows no step is in; traced steps (``jit``,
``tf.function``, ``torch.compile``) compute every row, branch-free.
"""

from __future__ import annotations

import math
import operator
from bisect import bisect_right
from collections import namedtuple

from ._dw import (
    _dw_power,
    _f32,
    _folded,
    _log_ratio,
    _scaled,
    _sin_squared,
    _unfold,
    power_parts,
    scale_constant,
    split_constant,
)

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, NamedTuple

    from ._xp import Bounds, Namespace


__all__ = [
    "AFTER_POLICIES",
    "DECAY_SHAPES",
    "SHAPES",
    "WARMUP_SHAPES",
    "Plan",
    "Row",
    "Shape",
    "angle_constant",
    "evaluate",
    "evaluate_int",
]

#: What happens after ``total_steps``: the names of the policies, in the order shown to users.
AFTER_POLICIES = ("hold", "wrap", "raise")

#: A value as a linear form over the schedule's three rates:
#: ``(c_start, c_peak, c_final) . (warmup_start_lr, peak_lr, final_lr)``.
Rate = tuple[float, float, float]

# -- shapes -------------------------------------------------------------------------------------


def _linear(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = n / L`."""
    return xp.to_float(n) / float(length)


def _cosine(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = \sin^2(\tfrac{\pi}{2} \tfrac{n}{L})^p`: half a cosine period, to a power.

    :math:`\tfrac12 (1 - \cos \pi u) = \sin^2(\tfrac{\pi}{2} u)`: the sine form has no
    cancellation near the lower end, where ``1 + cos`` loses every digit, and costs one
    transcendental. The angle is ``n * c`` with :math:`c = \pi / 2L` held as the sum of two
    floats (:func:`angle_constant`), so it carries one rounding, not three. A power ``p != 1``
    takes the double-word path (:func:`_cosine_dw`).
    """
    if len(k) > 3:  # power != 1 (_cosine_constants)
        return xp.isolated(_cosine_dw, n, length, k[3][_is_single(xp.to_float(n))])
    c_hi, c_lo, _ = k
    a = xp.to_float(n)
    x = xp.sin(a * c_hi + a * c_lo)
    return x * x


def _polynomial(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = (n / L)^p` (:func:`_polynomial_dw` for ``p != 1``)."""
    if len(k) > 1:  # power != 1 (_polynomial_constants)
        return xp.isolated(_polynomial_dw, n, length, k[1][_is_single(xp.to_float(n))])
    return xp.power(xp.to_float(n) / float(length), k[0])


def _exponential(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = \operatorname{expm1}(K n/L) / \operatorname{expm1}(K)`, ``K = log(high/low)``.

    That is the geometric interpolation :math:`v_\mathrm{low} (v_\mathrm{high} /
    v_\mathrm{low})^{n/L}` measured up from the lower value, computed by
    :func:`_exponential_dw` (traced rates, whose ``K`` is traced too, use this formula).
    """
    big_k = k[0]
    u = xp.to_float(n) / float(length)
    if isinstance(big_k, float) and big_k == 0.0:  # equal ends: any fraction gives the value
        return u
    if len(k) == 1:  # traced rates: K is traced too
        return xp.expm1(u * big_k) / xp.expm1(xp.const(big_k))
    consts = k[1][_is_single(u)]
    if consts is None:  # the two ends are one float32 apart at most: any fraction will do
        return u
    return xp.isolated(_exponential_dw, n, length, consts)


# The double-word paths: ``phi(xp, n, L, c)`` with ``c`` the six numbers of one precision
# (``Namespace.isolated`` may run them apart from the rest of a compiled graph).


def _cosine_dw(xp: Namespace, n: Any, length: int, c: tuple[float, ...]) -> Any:
    r"""``cosine`` with ``power != 1``: a power multiplies every relative error of its base.

    So :math:`\sin^2` is a double-word, computed from the nearer end (:func:`_folded`,
    :func:`_sin_squared`) and raised with :func:`_dw_power`: the error does not grow with
    the power. ``c = (pieces, bits, c0, c1, p, p_lo)`` (:func:`_cosine_constants`).
    """
    x, upper = _folded(xp, n, length, c[:4])
    return _dw_power(xp, _unfold(xp, _sin_squared(xp, x, _is_single(x[0])), upper), c[4:])


def _polynomial_dw(xp: Namespace, n: Any, length: int, c: tuple[float, ...]) -> Any:
    """``polynomial`` with ``power != 1``: ``n / L`` as a double-word from the nearer end."""
    x, upper = _folded(xp, n, length, c[:4])
    return _dw_power(xp, _unfold(xp, x, upper), c[4:])


def _exponential_dw(xp: Namespace, n: Any, length: int, c: tuple[float, ...]) -> Any:
    r"""``exponential``, from the upper end: :math:`\phi = (e^{-y} - \rho) / (1 - \rho)`.

    ``y = K m / L`` (``m = L - n``), :math:`\rho = v_\mathrm{low} / v_\mathrm{high}`.
    ``exp`` turns the absolute error of ``y`` into a relative one, up to ``K`` (690 at 300
    decades) times the rounding of ``y``, so ``y`` is a double-word from ``K`` computed
    exactly (:func:`_exponential_constants`). Measured from the rate it gives, every term is
    within an ulp or so of the rate: near the lower end :math:`e^{-y} - \rho` cancels, but
    :math:`v_\mathrm{high} (e^{-y} - \rho) \ge 0` is then itself small next to
    :math:`v_\mathrm{low}`. ``c = (pieces, bits, c0, c1, rho, 1 - rho)``.
    """
    y_hi, y_lo = _scaled(xp, xp.distance(length, n), c[:4])
    # exp(-(hi + lo)) = exp(-hi) (1 - lo), |lo| <= 2**-53 hi (2**-24 in float32); a factor,
    # as in _dw_power, that no flush-to-zero can drop
    phi = (xp.exp(-y_hi) * (1.0 - y_lo) - c[4]) / c[5]
    return xp.where(_at_end(xp, n, length), 1.0, xp.where(n > 0, xp.clip(phi, 0.0, 1.0), 0.0))


def _tanh(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = \frac{\tanh(10 x - 3) + \tanh 3}{\tanh 7 + \tanh 3}`, ``x = n / L``.

    timm's ``TanhLRScheduler`` curve, :math:`\tfrac12 (1 - \tanh(l (1 - u) + h u))` with its
    default bounds ``l = -7``, ``h = 3`` over ``u = 1 - x``, rescaled to go exactly from 0 to
    1 (timm's decay starts ``8.3e-7`` of its height below its peak and ends ``0.25%`` of it
    above its floor; a row goes between those two values). Computed by :func:`_tanh_dw`.
    """
    return xp.isolated(_tanh_dw, n, length, k[_is_single(xp.to_float(n))])


def _tanh_dw(xp: Namespace, n: Any, length: int, c: tuple[float, ...]) -> Any:
    r"""``tanh``, from the nearer end, without cancellation: sums of ``tanh`` are products.

    :math:`\tanh a + \tanh b = \sinh(a + b) / (\cosh a \cosh b)` turns :math:`\phi` into
    :math:`C (1 - e^{-w}) / (1 + E e^{-w})` with ``w = 20 n / L``, :math:`E = e^6`,
    :math:`C = (1 + e^{-14}) / (1 - e^{-20})`, and :math:`1 - \phi` into the same with
    ``m = L - n`` for ``n``, :math:`E = e^{14}`, :math:`C = (1 + e^{-6}) / (1 - e^{-20})`:
    every term positive, and ``1 - e^{-w}`` an ``expm1``. ``w`` is a double-word
    (:func:`_folded`): ``exp`` turns its absolute error into a relative one, up to ``w``
    (10) times its rounding. Each half keeps a few ulps; the upper one, ``1 - g`` of a
    ``g`` below 0.02, keeps the rate monotone where timm's curve is flat (its first
    steps move it by less than a float32 ulp). ``c = (pieces, bits, c0, c1, E, C, E', C')``
    (:func:`_tanh_constants`).
    """
    (w_hi, w_lo), upper = _folded(xp, n, length, c[:4])
    t = xp.exp(-w_hi)
    # 1 - exp(-(hi + lo)) = -expm1(-hi) + exp(-hi) lo, and exp(-(hi + lo)) = exp(-hi) (1 - lo)
    rise = t * w_lo - xp.expm1(-w_hi)
    t = t * (1.0 - w_lo)
    g = xp.where(upper, rise * c[7], rise * c[5]) / (xp.where(upper, t * c[6], t * c[4]) + 1.0)
    return xp.where(upper, 1.0 - g, g)


def _one_minus_sqrt(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = 1 - \sqrt{1 - n/L} = \frac{n/L}{1 + \sqrt{m/L}}`, ``m = L - n``.

    The second form has full relative precision as ``n -> 0`` (the naive one loses 5 digits at
    the last step of a 1M-step cooldown). transformers' WSD ``1-sqrt`` warmup and decay are
    both this function, oriented by which end is lower.
    """
    u = xp.to_float(n) / float(length)
    rest = xp.to_float(xp.distance(length, n)) / float(length)
    return u / (xp.sqrt(rest) + 1.0)


def _log(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = \log(1 + n) / \log(1 + L)` (DeepSpeed's ``log(s + 1) / log(W)`` warmup)."""
    return xp.log1p(xp.to_float(n)) / xp.log1p(xp.const(float(length)))


def _inverse_sqrt(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = \sqrt{\tau / (\tau + d)}`, ``d`` = steps since the row began."""
    tau = k[0]
    return xp.sqrt(tau / (xp.to_float(n) + tau))


def _inverse_time(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = \tau / (\tau + d)`, ``d`` = steps since the row began."""
    tau = k[0]
    return tau / (xp.to_float(n) + tau)


def _constant(xp: Namespace, n: Any, length: int, k: tuple[Any, ...]) -> Any:
    r""":math:`\phi = 0`: the row stays at its lower (and only) value."""
    return xp.to_float(n) * 0.0


# pi to 70 digits, as an integer ratio: the angle constant is computed exactly from it.
_PI_NUM = 31415926535897932384626433832795028841971693993751058209749445923078164
_PI_DEN = 10**70


def angle_constant(length: int) -> tuple[float, float]:
    """``pi / (2 * length)`` as ``c_hi + c_lo``, ``c_hi`` with 26 significant bits.

    With 26 bits in ``c_hi``, ``a * c_hi`` is exact for every integer ``a < 2**27``, and
    ``a * c_lo`` is ``2**-26`` times smaller, so ``a * c_hi + a * c_lo`` is the exact angle
    rounded once. Computed when a schedule is lowered (traced code, e.g. under
    ``torch.compile``, only reads the row's constants).
    """
    return split_constant(_PI_NUM, _PI_DEN * 2 * int(length))


#: The largest ``K = log(high / low)`` of an exponential row: beyond, ``expm1(K)`` overflows.
_MAX_LOG_RATIO = math.log(1e300)


def _exponential_constants(length: int, v_low: float, v_high: float, _: Any) -> tuple[Any, ...]:
    """The constants of an exponential row from ``v_low`` up to ``v_high`` (both > 0).

    ``K = log(v_high / v_low)`` is computed exactly from the two floats (:func:`_log_ratio`),
    not from their rounded ratio: its rounding would reach every value multiplied by ``K``.
    Returns ``(K, (float64 constants, float32 constants))``, each the :func:`scale_constant` of
    ``K / L`` followed by ``rho = v_low / v_high`` and ``1 - rho``
    for :func:`_exponential` (``None`` where the two ends are one float32 at most apart).
    """
    big_k = math.log(v_high / v_low) if v_low > 0 else math.nan
    if not big_k < _MAX_LOG_RATIO:  # expm1(K) would overflow float64
        raise ValueError(
            f"an exponential phase from {v_high!r} to {v_low!r} spans more than 300 "
            "decades, beyond float64 (a geometric ramp needs high / low <= 1e300)"
        )
    if v_high == v_low:
        return (0.0,)
    hi_num, hi_den = v_high.as_integer_ratio()
    lo_num, lo_den = v_low.as_integer_ratio()
    k_num, k_den = _log_ratio(hi_num * lo_den, hi_den * lo_num)
    scales = scale_constant(k_num, k_den * length, length)
    rho = v_low / v_high
    rho32 = _f32(rho)
    one_minus32 = _f32(1.0 - rho32)
    single_consts = (*scales[1], rho32, one_minus32) if one_minus32 > 0.0 else None
    return big_k, ((*scales[0], rho, 1.0 - rho), single_consts)


def _cosine_constants(length: int, v_low: float, v_high: float, power: Any) -> tuple[Any, ...]:
    """The constants of a cosine row with exponent ``power`` (:func:`_cosine`).

    ``power == 1``: the angle constant (:func:`angle_constant`) the plain formula reads.
    Otherwise also those of the double-word path, for float64 and for float32: the
    :func:`scale_constant` of ``pi / 2L`` up to ``L // 2``, and :func:`power_parts`.
    """
    c_hi, c_lo = angle_constant(length)
    if power == 1.0:
        return c_hi, c_lo, power
    scales = scale_constant(_PI_NUM, _PI_DEN * 2 * length, length // 2)
    return c_hi, c_lo, power, tuple(map(operator.add, scales, power_parts(power)))


def _polynomial_constants(length: int, v_low: float, v_high: float, power: Any) -> tuple[Any, ...]:
    """The constants of a polynomial row with exponent ``power`` (:func:`_polynomial`).

    ``power == 1``: the exponent alone. Otherwise also those of the double-word path (the
    :func:`scale_constant` of ``1 / L`` up to ``L // 2``, and :func:`power_parts`).
    """
    if power == 1.0:
        return (power,)
    scales = scale_constant(1, length, length // 2)
    return power, tuple(map(operator.add, scales, power_parts(power)))


#: ``(E, C)`` of :func:`_tanh_dw`'s lower half and ``(E', C')`` of its upper half:
#: :math:`e^6`, :math:`(1 + e^{-14}) / (1 - e^{-20})`, :math:`e^{14}`,
#: :math:`(1 + e^{-6}) / (1 - e^{-20})`, each the float64 nearest the exact value (a relative
#: error of ``C`` is one of every rate; tests/test_accuracy.py checks them at 300 bits).
_TANH = (403.4287934927351, 1.0000008335898745, 1202604.2841647768, 1.002478754242929)


def _tanh_constants(length: int, v_low: float, v_high: float, _: Any) -> tuple[Any, ...]:
    """The constants of a tanh row: ``20 / L`` for :func:`_folded` and :data:`_TANH`.

    One tuple for float64 computations and one for float32 (:func:`_tanh`).
    """
    scales = scale_constant(20, length, length // 2)
    return (*scales[0], *_TANH), (*scales[1], *map(_f32, _TANH))


def _timescale_constants(length: int, v_low: float, v_high: float, tau: Any) -> tuple[Any, ...]:
    """The constants of an inverse-power row: its timescale ``tau``, in steps."""
    return (tau,)


if TYPE_CHECKING:

    class Shape(NamedTuple):
        """One entry of the shape registry :data:`SHAPES`."""

        phi: Callable[[Namespace, Any, int, tuple[Any, ...]], Any]
        warmup: bool
        decay: bool
        open: bool = False
        positive: bool = False
        divides: bool = False
        flat: bool = False
        param: str = ""
        consts: Callable[[int, float, float, Any], tuple[Any, ...]] | None = None
        wraps: bool = False
        whole: bool = False

        @property
        def ends(self) -> bool:
            """Whether a row of this shape reaches its end value (``final_lr``)."""
            return not (self.open or self.flat)

else:  # collections.namedtuple: the same fields, without importing typing at run time

    class Shape(
        namedtuple(
            "Shape",
            "phi warmup decay open positive divides flat param consts wraps whole",
            defaults=(False, False, False, False, "", None, False, False),
        )
    ):
        """One entry of the shape registry :data:`SHAPES`: all a shape is.

        Attributes:
            phi: ``phi(xp, n, L, consts)``, the fraction of the row's height above its lower
                value.
            warmup: whether it may be a ``warmup_shape``.
            decay: whether it may be a ``decay_shape``.
            open: no target value: it falls from the row's start towards ``final_lr`` as an
                asymptote, ``n`` counting steps since the row began.
            positive: both values must be > 0 (a geometric interpolation).
            divides: ``phi(L) == 1`` rests on an exact division (guarded for compilers that
                rewrite ``x / L`` as ``x * (1 / L)``).
            flat: the row holds its first value (``final_lr`` has no effect).
            param: the parameter that feeds its constants: ``"power"`` (``power``, or
                ``warmup_power`` in a warmup) or ``"timescale"``.
            consts: ``consts(L, v_low, v_high, value of param)``, the row's constants,
                computed when a schedule is lowered; a ``ValueError`` names the phase, and
                the lowering adds the parameters.
            wraps: ``after="wrap"`` continues it periodically (the TF-TPU reference's
                cosine).
            whole: ``phi`` changes with the unit of ``n`` (``log(1 + n)``): a row of it
                counts whole steps, never the finer ticks of a composition's frame.
            ends: (derived) whether a row reaches its end value, as a re-planned decay must.
        """

        __slots__ = ()

        @property
        def ends(self):
            """Whether a row of this shape reaches its end value (``final_lr``)."""
            return not (self.open or self.flat)


#: Every shape by name, in the order shown to users.
SHAPES: dict[str, Shape] = {
    "linear": Shape(_linear, True, True, divides=True),
    "cosine": Shape(_cosine, True, True, param="power", consts=_cosine_constants, wraps=True),
    "polynomial": Shape(
        _polynomial, True, True, divides=True, param="power", consts=_polynomial_constants
    ),
    "exponential": Shape(_exponential, True, True, positive=True, consts=_exponential_constants),
    "1-sqrt": Shape(_one_minus_sqrt, True, True, divides=True),
    "log": Shape(_log, True, False, divides=True, whole=True),
    "tanh": Shape(_tanh, False, True, consts=_tanh_constants),
    "inverse_sqrt": Shape(
        _inverse_sqrt, False, True, open=True, param="timescale", consts=_timescale_constants
    ),
    "inverse_time": Shape(
        _inverse_time, False, True, open=True, param="timescale", consts=_timescale_constants
    ),
    "constant": Shape(_constant, False, True, flat=True),
}

#: The shape of a row that holds one value: a stable phase, a delay.
HOLD = next(name for name, shape in SHAPES.items() if shape.flat)

#: The valid ``warmup_shape`` and ``decay_shape`` names, in the order shown to users.
WARMUP_SHAPES = tuple(name for name, shape in SHAPES.items() if shape.warmup)
DECAY_SHAPES = tuple(name for name, shape in SHAPES.items() if shape.decay)


# -- rows and plans -----------------------------------------------------------------------------

#: The ``ticks`` of a row counted in steps (every template row): ``None``, tested with ``is``,
#: so the template's evaluation pays one ``is`` for the composition's rows in ticks. (Not a
#: tuple: ``torch.compile`` does not keep a tuple's identity, and a row counted in steps
#: taken for one in ticks of ``(1, 0)`` counts from step 0, not from its origin.)
IN_STEPS = None

if TYPE_CHECKING:

    class Row(NamedTuple):
        """One phase of a lowered schedule."""

        begin: int
        end: int
        origin: int
        length: int
        low_at_origin: bool
        low: Rate
        high: Rate
        v_low: float
        v_high: float
        shape: str
        consts: tuple[Any, ...]
        kind: str
        cycle: int
        ticks: tuple[int, int] | None = None

    class Plan(NamedTuple):
        """What the evaluator reads."""

        rows: tuple[Row, ...]
        begins: tuple[int, ...]
        total_steps: int
        after: str
        wrap_from: int
        rates: tuple[Any, Any, Any] | None = None

else:
    Row = namedtuple(
        "Row",
        "begin end origin length low_at_origin low high v_low v_high shape consts kind cycle ticks",
        defaults=(IN_STEPS,),
    )
    Row.__doc__ = """One phase of a lowered schedule (see the module docstring).

    The row is *active* on ``[begin, end)`` (the last row also at ``end == total_steps``);
    its progress runs over the frame ``[origin, origin + length]``, normally ``(begin,
    end - begin)``: a frame wider than the active range expresses a decay whose clock started
    earlier (timm's ``warmup_prefix=False``). ``low_at_origin``: whether the lower value is at
    the frame's origin (a rising row); ``low``/``high``: the two values as linear forms over
    the three rates, ``v_low``/``v_high`` resolved; ``consts``: the shape's precomputed
    constants; ``kind`` (``"warmup"``, ``"stable"``, ``"decay"``) and ``cycle`` for
    :meth:`warmcos.Schedule.describe`. ``ticks = (a, b)``: a frame counted in finer units than
    steps (a :class:`~warmcos.Composition`'s rational boundaries and clock scale): at step
    ``c`` the frame has run ``c * a + b`` of its ``length`` ticks, less than ``length`` on
    the row's steps; ``None`` (every template row) counts ``c - origin`` steps. A composition's
    rows hold plain numbers: their forms are ``(v, 0, 0)`` over the rates ``(1, 0, 0)``."""
    Plan = namedtuple("Plan", "rows begins total_steps after wrap_from rates", defaults=(None,))
    Plan.__doc__ = """What the evaluator reads: the rows, the end, the after-end policy, the rates.

    ``rates`` is ``None`` for a plan of Python floats (the rows' resolved ``v_low``/``v_high``
    are used); adapters whose learning rates are arrays (traced peaks under ``jax.vmap``) get
    a plan with ``rates = (warmup_start_lr, peak_lr, final_lr)`` from
    :meth:`warmcos.Schedule.params`, and each row's values are resolved from them.
    ``wrap_from``: the step where ``after="wrap"`` reflects (the decay's start)."""


def _resolve(form: Rate, rates: tuple[Any, Any, Any]) -> Any:
    """The value of a linear form over the rates; a lone unit coefficient is the rate itself."""
    terms = [(c, r) for c, r in zip(form, rates, strict=True) if c != 0.0]
    if not terms:
        return 0.0
    value = None
    for c, r in terms:
        term = r if c == 1.0 else r * c
        value = term if value is None else value + term
    return value


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


def _rounds_back(low: float, delta: float, high: float, *, single: bool) -> bool:
    """Whether ``low + delta == high`` in the precision the arrays are computed in.

    In float32 the constants are rounded first, and ``f32(low) + f32(delta)`` may miss
    ``f32(high)`` by an ulp where the float64 sum does not (``3e-6`` and ``3e-4`` do).
    """
    if not single:
        return low + delta == high
    return _f32(_f32(low) + _f32(delta)) == _f32(high)


def _at_end(xp: Namespace, n: Any, length: int) -> Any:
    """``n >= L``, exactly: as floats, ``L - 1`` rounds to ``L`` beyond 2**53 (2**24 in float32).

    As floats only where ``L`` is beyond the integer type (JAX's int32), which then holds no
    ``n`` near it.
    """
    return n >= length if length <= xp.max_step else xp.to_float(n) >= float(length)


def _row_fraction(xp: Namespace, s: Any, row: Row) -> Any:
    """``phi`` of one row at steps ``s``: how far its value is from the lower up to the upper."""
    c = xp.clip(s, row.begin, min(row.end, xp.max_step))
    shape = SHAPES[row.shape]
    if row.ticks is not IN_STEPS:
        n = _ticks_from_low(xp, c, row, shape)
    elif shape.open or row.low_at_origin:
        n = c - row.origin
    else:
        n = row.origin + row.length - c
    return shape.phi(xp, n, row.length, row.consts)


def _ticks_from_low(xp: Namespace, c: Any, row: Row, shape: Shape) -> Any:
    """How far steps ``c`` are from the lower end of a row in ticks, in exact integers.

    At step ``c`` the frame has run ``c * a + b`` ticks (``row.ticks = (a, b)``), within
    ``[0, length)`` on the row's steps; in floats only where the frame is beyond the
    namespace's integer type (JAX's int32). An open shape counts from its start.
    """
    a, b = row.ticks  # type: ignore[misc]  # not None: the caller tested it
    if row.end * a <= xp.max_step:  # c * a never overflows
        done = c * a + b
    else:  # measured from the origin, the two terms stay within the frame's size
        done = xp.to_float(c - row.origin) * float(a) + float(b + row.origin * a)
    return done if shape.open or row.low_at_origin else xp.distance(row.length, done)


def _row(
    xp: Namespace, s: Any, row: Row, rates: tuple[Any, Any, Any] | None, *, inside: bool = False
) -> Any:
    """The value of one row at steps ``s``, clamped into the row's active range.

    ``inside``: every step is already in the range (known from concrete bounds): no clamp.
    """
    shape = SHAPES[row.shape]
    c = s if inside else xp.clip(s, row.begin, min(row.end, xp.max_step))
    # steps from the lower end (an open shape counts from its start)
    if row.ticks is not IN_STEPS:  # a composition's rational frame
        n = _ticks_from_low(xp, c, row, shape)
    elif shape.open or row.low_at_origin:
        n = c - row.origin
    else:
        n = xp.distance(row.origin + row.length, c)
    consts = row.consts
    if rates is None:
        low, high = row.v_low, row.v_high
    else:
        low, high = _resolve(row.low, rates), _resolve(row.high, rates)
        if shape.positive:  # the geometric ratio of traced rates is traced too
            consts = (xp.log(high / low),)
    g = shape.phi(xp, n, row.length, consts)
    if shape.divides:  # XLA may divide by multiplying with a reciprocal: n/L at n = L is not 1
        g = xp.where(_at_end(xp, n, row.length), 1.0, g)
    return _between(xp, low, high, g)


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


def equivalent_step(xp: Namespace, s: int, plan: Plan) -> int:
    """A step in ``[0, total_steps]`` with the rate of the Python int step ``s``, exactly.

    What the ``after`` policy makes of a step past the end, however large (the steps of an
    array beyond 64-bit integers are evaluated at it): ``"hold"`` gives ``total_steps``,
    ``"wrap"`` the step it folds to (:func:`_wrap` of Python ints); ``"raise"`` and steps up
    to the end give ``s`` itself. ``xp``: the Python-number namespace.
    """
    t = plan.total_steps
    if s <= t or plan.after == "raise":
        return s
    if plan.after == "wrap":
        return int(_wrap(xp, s, plan.wrap_from, t))
    return t


def evaluate_int(xp: Namespace, s: int, plan: Plan) -> float:
    """The fast path of a Python int step in ``[0, total_steps]``: bisect to its row."""
    rows = plan.rows
    return float(_row(xp, s, rows[bisect_right(plan.begins, s) - 1], None))


#: Concrete steps spanning more rows than this are grouped by row (``Namespace.split``) rather
#: than run through a ``where`` chain over every row, whose cost is rows times steps.
_WHERE_ROWS = 4


def evaluate(xp: Namespace, s: Any, bounds: Bounds | None, plan: Plan) -> Any:
    r"""The learning rate at exact step(s) ``s``: the row that holds each step, evaluated.

    ``bounds`` (the smallest and largest step, known for concrete values) only lets the
    computation skip rows no step is in; the result is the same without it. Concrete steps
    have been checked before this runs; traced ones (``bounds is None``) cannot raise, so
    negative steps, and steps past the end under ``after="raise"``, become NaN.
    """
    t = plan.total_steps
    reachable = t < xp.max_step  # False: the integer type cannot even hold a step past the end
    lo, hi = bounds if bounds is not None else (-math.inf, math.inf)
    invalid = None
    if bounds is None:
        invalid = (s < 0) | (s > t) if plan.after == "raise" and reachable else s < 0
    if hi > t and reachable:
        if plan.after == "wrap":
            s = _wrap(xp, s, plan.wrap_from, t)
            lo = min(lo, plan.wrap_from)
        else:
            s = xp.minimum(s, t)
        hi = t
    rows = plan.rows
    if bounds is None:  # traced: every row, branch-free (and no bisect for compilers to trace)
        first, last = 0, len(rows) if reachable else bisect_right(plan.begins, xp.max_step)
    else:
        first, last = max(bisect_right(plan.begins, lo) - 1, 0), bisect_right(plan.begins, hi)
    if last - first == 1:  # one row (a block of a NumPy curve, a scalar): maybe no clamp
        row = rows[first]
        inside = bounds is not None and row.begin <= lo and hi <= row.end
        lr = _row(xp, s, row, plan.rates, inside=inside)
        return lr if invalid is None else xp.mark_invalid(invalid, lr)
    if bounds is not None and plan.rates is None and last - first > _WHERE_ROWS:
        split = xp.split(s, plan.begins[first + 1 : last])
        if split is not None:  # many short phases: each row on its own steps
            pieces, join = split
            # each piece lies in its row's active range: no clamp
            return join([_row(xp, p, rows[first + i], None, inside=True) for i, p in pieces])
    lr = _row(xp, s, rows[first], plan.rates)
    for row in rows[first + 1 : last]:  # the boundary step belongs to the later row
        lr = xp.where(s < row.begin, lr, _row(xp, s, row, plan.rates))
    return lr if invalid is None else xp.mark_invalid(invalid, lr)
