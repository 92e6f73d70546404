"""Double-word arithmetic: the exact paths of the shapes whose error a power or ``exp`` amplifies.

Where one rounding of an intermediate is amplified (a power ``p`` multiplies the relative error
of its base by ``p``; ``exp`` turns the absolute error of its exponent into a relative one), the
intermediate is carried as an unevaluated sum ``hi + lo`` of two floats of the computation's own
precision: a *double-word* (Dekker 1971), about twice as precise. Built from ``+ - *`` alone, it
works unchanged in every namespace, traced or not, in float64 and in float32. Products are
split with Veltkamp's constant, not with ``fma`` (not every namespace has one). Compilers that
fuse operations are the hazard: XLA contracts products into additions and simplifies
``(c + v) - c`` for a constant ``c``, TensorFlow's graph optimiser hoists common factors; the
traced paths are written so that none of that changes a result (:func:`_two_prod`,
``Namespace.opaque``), and are checked under each compiler by the accuracy tests.

Also the exact constants those paths read, computed with integer arithmetic when a schedule is
lowered (:func:`scale_constant`, :func:`split_constant`, :func:`power_parts`,
:func:`_log_ratio`). Nothing here knows a shape; :mod:`warmcos._math` builds on it.
"""

from __future__ import annotations

import math

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._xp import Namespace

#: Veltkamp's ``2**s`` (``s`` = half the significand, rounded up), by ``single``.
_VELTKAMP = (134217728.0, 4096.0)


def _two_sum(a: Any, b: Any) -> tuple[Any, Any]:
    """``s + e == a + b`` exactly, ``s = fl(a + b)`` (Knuth; any order of magnitudes)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _quick_two_sum(a: Any, b: Any) -> tuple[Any, Any]:
    """``s + e == a + b`` exactly, for ``|a| >= |b|`` (or ``a == 0``)."""
    s = a + b
    return s, b - (s - a)


def _split(a: Any, single: bool, fused: bool) -> tuple[Any, Any]:
    """``a == hi + lo`` with both halves short enough that their products are exact.

    Veltkamp's ``t = a * (2**s + 1)``; for a compiler that fuses operations it is written
    ``a * 2**s + a``, whose value is the same fused or not, so that ``t - a`` is no product
    it could fuse (``fma(a, 2**s + 1, -a)`` would break the split).
    """
    t = a * (_VELTKAMP[single] + 1.0) if not fused else a * _VELTKAMP[single] + a
    hi = t - (t - a)
    return hi, a - hi


def _two_prod(a: Any, b: Any, single: bool, fused: bool) -> tuple[Any, Any]:
    """``a * b`` as a double-word (``p + e``, ``p = fl(a * b)``, ``e`` its rounding error).

    Dekker's product where operations run one by one (``fused=False``). A compiler that fuses
    operations (``fused=True``: XLA, TensorFlow's graph optimiser) may fuse the rounded
    ``fl(a * b)`` into the next addition, adding the error twice, or hoist a common factor out
    of ``x*y + x*z``; then only exact products of halves are formed (an exact product gives
    the same result fused or not), added with :func:`_two_sum` in an order with no common
    factor.
    """
    a_hi, a_lo = _split(a, single, fused)
    b_hi, b_lo = (a_hi, a_lo) if b is a else _split(b, single, fused)
    if not fused:
        p = a * b
        return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    s, e = _two_sum(a_hi * b_hi, a_lo * b_lo)
    s, e2 = _two_sum(s, a_hi * b_lo)
    s, e3 = _two_sum(s, a_lo * b_hi)
    return s, e + e2 + e3


def _dw_mul(x: tuple[Any, Any], y: tuple[Any, Any], single: bool, fused: bool) -> tuple[Any, Any]:
    """The product of two double-words (relative error about 2**-100 in float64).

    Not renormalised: ``|lo|`` may reach two ulps of ``hi``, which every use below allows.
    """
    p, e = _two_prod(x[0], y[0], single, fused)
    return p, e + (x[0] * y[1] + x[1] * y[0])


def _dw_sub(x: tuple[Any, Any], y: tuple[Any, Any]) -> tuple[Any, Any]:
    """The double-word ``x - y``."""
    s, e = _two_sum(x[0], -y[0])
    return _quick_two_sum(s, e + (x[1] - y[1]))


def _scaled(xp: Namespace, k: Any, scale: tuple[Any, ...]) -> tuple[Any, Any]:
    r"""``k * c`` as a double-word, for an exact step count ``k >= 0`` and a constant ``c > 0``.

    ``scale = (pieces, bits, c0, c1)`` from :func:`scale_constant`: ``c0`` holds the leading bits of
    ``c`` (27 in float64, 12 in float32), ``c1`` the rest, rounded. ``k`` is cut into
    ``pieces`` integer pieces of 26 (12) bits, so every ``piece * c0`` is exact (steps beyond
    2**53, or 2**24 in float32, included) and they are added without rounding; ``k * c1``,
    2**-26 (2**-12) times smaller, is rounded once. The result is ``k c`` within a relative
    2**-78 (float64) or 2**-34 (float32).
    """
    pieces, bits = int(scale[0]), int(scale[1])
    c0, c1 = scale[2], scale[3]
    kf = xp.to_float(k)
    lo = kf * c1
    if pieces == 1:
        return _quick_two_sum(kf * c0, lo)
    base = 1 << bits
    terms = []
    rest = k
    for i in range(pieces - 1):
        terms.append(xp.to_float(rest % base) * math.ldexp(c0, bits * i))
        rest = rest // base
    hi = xp.to_float(rest) * math.ldexp(c0, bits * (pieces - 1))
    for term in reversed(terms):  # from the largest piece down
        hi, e = _two_sum(hi, term)
        lo = lo + e
    return _quick_two_sum(hi, lo)


def _folded(xp: Namespace, n: Any, length: int, scale: tuple[Any, ...]) -> tuple[Any, Any]:
    """``k c`` as a double-word (:func:`_scaled`) with ``k = min(n, L - n)``, and ``n > L - n``.

    A shape that approaches 1 at ``n = L`` is computed from the nearer end, as ``1 - f(m)``
    in the upper half: ``f(n)`` itself would carry an absolute error of its ulp near 1, which
    a power ``p`` turns into a relative error of ``p`` times it.
    """
    m = xp.distance(length, n)
    # min(n, m), in the exact integer type (in floats where L is beyond it, as n and m are)
    k = n - xp.clip(n - m, 0, length if length <= xp.max_step else float(length))
    return _scaled(xp, k, scale), n > m


def _unfold(xp: Namespace, low: tuple[Any, Any], upper: Any) -> tuple[Any, Any]:
    """``1 - low`` where ``upper`` holds, else ``low`` (double-words)."""
    high = _dw_sub((xp.opaque(1.0), 0.0), low)
    return xp.where(upper, high[0], low[0]), xp.where(upper, high[1], low[1])


def _dw_power(xp: Namespace, g: tuple[Any, Any], power: tuple[float, ...]) -> Any:
    r"""``(hi + lo) ** p`` for a double-word in ``[0, 1]``, as exact as ``pow`` itself.

    ``pow(hi, p)`` is within an ulp or two for any ``p`` in every namespace (libm's, Sleef's
    and XLA's ``pow`` work in extended precision inside); the rest is
    :math:`(1 + lo/hi)^p \approx \exp(p\,lo/hi)`, whose exponent is at most ``p`` times
    2**-53 (2**-24 in float32), so its own rounding is negligible for any ``p`` up to 2**20.
    It is a factor, not a small term added: the term would fall below float32's normal range
    for values near 2**-100, where TensorFlow and XLA flush it to zero. ``power = (p, p_lo)``:
    in float32, ``p`` is the exponent rounded to float32 and ``p_lo`` what that rounding
    lost, :math:`hi^{p_{lo}} = \exp(p_{lo} \log hi)` (:func:`power_parts`).
    """
    hi, lo = g
    p, p_lo = power
    h = xp.maximum(hi, 2.0**-126)  # hi is 0 or above it (n >= 1 and L < 2**63)
    t = p * (lo / h)
    if p_lo:
        t = t + p_lo * xp.log(h)
    # min(): a power far beyond 2**20 must not turn exp(t) into inf (or an OverflowError)
    return xp.power(hi, p) * xp.exp(xp.minimum(t, 64.0))


#: The series of :math:`\sin^2 x / x^2 = \sum_k (-1)^k 2^{2k+1} y^k / (2k+2)!`, ``y = x^2``:
#: the terms from :math:`y^3` on (enough for 2**-64 at ``x = pi/4``).
_SIN2_TAIL = tuple(
    (-1) ** (k - 3) * 2.0 ** (2 * k + 1) / math.factorial(2 * k + 2) for k in range(3, 13)
)


def _sin_squared(xp: Namespace, x: tuple[Any, Any], single: bool) -> tuple[Any, Any]:
    r""":math:`\sin^2 x` for a double-word ``x`` in ``[0, pi/4]``, as a double-word.

    :math:`\sin^2 x = y\,G(y)`, ``y = x**2``, with
    :math:`G = 1 - y(\tfrac13 - y(\tfrac{2}{45} - y\,C(y)))`: the three outer levels in
    double-words, the tail ``C`` (under 2**-10 of the total) in plain floats. Relative error
    about 2**-64 in float64, 2**-44 in float32.
    """
    fused = not xp.concrete
    y = _dw_mul(x, x, single, fused)
    c = 0.0
    for coeff in reversed(_SIN2_TAIL):
        c = coeff + y[0] * c
    b45, b3 = ((xp.opaque(hi), lo) for hi, lo in _SIN2_CONSTS[single])
    p, e = _two_prod(y[0], c, single, fused)
    b = _dw_sub(b45, (p, e + y[1] * c))  # 2/45 - y c
    a = _dw_sub(b3, _dw_mul(y, b, single, fused))  # 1/3 - y b
    g = _dw_sub((xp.opaque(1.0), 0.0), _dw_mul(y, a, single, fused))  # 1 - y a
    return _dw_mul(y, g, single, fused)


def split_constant(num: int, den: int) -> tuple[float, float]:
    """``num / den`` (positive integers) as ``c_hi + c_lo``, ``c_hi`` with 26 significant bits.

    Exact integer arithmetic (CPython's ``int / int`` is correctly rounded), so no
    ``fractions`` import: a schedule is built without it.
    """
    mantissa, exponent = math.frexp(num / den)
    c_hi = math.ldexp(round(mantissa * (1 << 26)), exponent - 26)
    hi_num, hi_den = c_hi.as_integer_ratio()
    return c_hi, (num * hi_den - hi_num * den) / (den * hi_den)


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


def _round_bits(num: int, den: int, bits: int) -> float:
    """``num / den`` (positive integers) rounded to ``bits`` significant bits."""
    mantissa, exponent = math.frexp(num / den)
    return math.ldexp(round(mantissa * (1 << bits)), exponent - bits)


def _dw_constant(num: int, den: int, single: bool) -> tuple[float, float]:
    """``num / den`` as the double-word of its nearest float64 (float32) and the rest."""
    hi = num / den if not single else _f32(num / den)
    hi_num, hi_den = hi.as_integer_ratio()
    rest = (num * hi_den - hi_num * den) / (den * hi_den)
    return hi, _f32(rest) if single else rest


#: ``2/45`` and ``1/3`` as double-words (:func:`_sin_squared`), by ``single``.
_SIN2_CONSTS = tuple(
    (_dw_constant(2, 45, single), _dw_constant(1, 3, single)) for single in (False, True)
)


def scale_constant(num: int, den: int, most: int) -> tuple[tuple[float, ...], ...]:
    """The constants with which :func:`_scaled` computes ``k * num / den`` for ``0 <= k <= most``.

    One tuple ``(pieces, bits, c0, c1)`` for float64 computations and one for float32, indexed
    by ``single``: ``c0`` is the constant rounded to ``53 - 26`` (``24 - 12``) significant
    bits, ``c1`` the rest rounded to the precision, ``pieces`` how many ``bits``-bit pieces
    ``most`` takes. Exact integer arithmetic, as in :func:`split_constant`.
    """
    out = []
    for single, (bits, precision) in enumerate(((26, 53), (12, 24))):
        c0 = _round_bits(num, den, precision - bits)
        c0_num, c0_den = c0.as_integer_ratio()
        c1 = (num * c0_den - c0_num * den) / (den * c0_den)
        pieces = max(1, -(-int(most).bit_length() // bits))
        out.append((float(pieces), float(bits), c0, _f32(c1) if single else c1))
    return tuple(out)


def _log_ratio(num: int, den: int, bits: int = 120) -> tuple[int, int]:
    """``log(num / den)`` for positive integers, as ``(numerator, 2**F)`` within ``2**-bits``.

    ``num / den = 2**e * r`` with ``r`` in ``[1, 2)``; ``log r = 2 atanh((r - 1) / (r + 1))``
    and ``log 2 = 2 atanh(1/3)``, summed in fixed point with integers (no ``decimal``).
    """
    f = bits + 16  # guard bits
    e = num.bit_length() - den.bit_length()
    r_num, r_den = (num, den << e) if e >= 0 else (num << -e, den)
    if r_num < r_den:
        e -= 1
        r_num <<= 1

    def atanh2(z_num: int, z_den: int) -> int:  # 2 atanh(z) * 2**f, 0 <= z <= 1/3
        z = (z_num << f) // z_den
        z2 = (z * z) >> f
        total, term, k = 0, z, 1
        while term:
            total += term // k
            term = (term * z2) >> f
            k += 2
        return 2 * total

    log_r = atanh2(r_num - r_den, r_num + r_den)
    return e * atanh2(1, 3) + log_r, 1 << f


def power_parts(power: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """``power`` as :func:`_dw_power` takes it: ``(p, p_lo)`` for float64 and for float32.

    float64 holds the exponent exactly (``p_lo = 0``); float32 holds it to 24 bits, and an
    exponent rounded by a relative 2**-25 moves ``x**p`` by ``|p log x|`` times that, up to
    87 times at the bottom of float32's range, so the rest is kept. float32 holds neither
    1e-300 (``pow(0, 0) = 1``) nor 1e300 (``inf * 0 = NaN``): there the exponent is clamped
    to [2**-126, 2**127] (the float32 bound is promised up to 2**20).
    """
    clamped = min(max(power, 2.0**-126), 2.0**127)
    p_hi = _f32(clamped)
    return (power, 0.0), (p_hi, _f32(clamped - p_hi))
