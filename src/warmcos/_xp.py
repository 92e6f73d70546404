"""The array-namespace shim: the few operations the formulas need, for each kind of number.

The schedule math in :mod:`warmcos._math` is written once against the small interface of
:class:`Namespace`. Each kind of step value (a Python number, a NumPy array, a torch tensor, a
TensorFlow tensor, a JAX array or tracer) gets a namespace that knows how to

* turn the step into an *exact* value: integers stay integers (widened to 64 bits where the
  framework allows), so ``total_steps - step`` is computed without rounding;
* report the smallest and largest step of a concrete value (:meth:`Namespace.bounds`), which
  is how invalid steps are rejected before anything is computed, and how the formulas skip a
  phase no step is in; traced values (under ``jit``) have no bounds: every phase is computed
  and selected with ``where``, and invalid entries become NaN since a graph cannot raise;
* cast to the float type it computes in, and back to the type it returns;
* evaluate the elementwise ops of :data:`OPS` (``sin``, ``where``, ``clip``...), each named
  once there and bound to every namespace from its framework's functions.

Frameworks are never imported here at module level: a namespace is only built for a value whose
type already comes from a framework, so that framework is already imported.
"""

from __future__ import annotations

import math
import sys

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["Bounds", "Namespace", "namespace_of", "numpy_namespace"]

#: The smallest and largest step of a concrete value, as Python numbers.
Bounds = tuple[float, float]

if TYPE_CHECKING:
    #: The formula a namespace evaluates: ``fn(namespace, exact_steps, bounds_or_None)``.
    Formula = Callable[["Namespace", Any, "Bounds | None"], Any]
    #: For a step past the end (a Python int, however large), a step in ``[0, total_steps]``
    #: with the same rate: how steps beyond the 64-bit integers of an array are evaluated.
    Fold = Callable[[int], int]
    #: Steps beyond int64 (exact Python ints, or whole floats) -> steps with the same rates.
    Big = Callable[[list[Any]], list[int]]
    #: :meth:`Namespace.split`'s result: ``(row index, steps)`` pieces and their ``join``.
    Split = tuple[list[tuple[int, Any]], Callable[[list[Any]], Any]]

#: The largest step an int64 holds.
_INT64_MAX = 2**63 - 1

# NumPy evaluates long arrays in blocks of this many steps, so that the dozen elementwise
# passes of the formula run in cache instead of streaming each temporary through memory.
# 2**13 float64 temporaries (64 KiB) also stay well below glibc's 128 KiB mmap/trim thresholds:
# with 2**14 (exactly 128 KiB) the temporaries came and went as freshly page-faulted memory in
# some runs, much slower (docs/benchmarks.md).
_NUMPY_BLOCK = 1 << 13
#: Past this many phases, a long unsorted array of steps is sorted before it is evaluated.
_SORT_ROWS = 64


def check_bounds(bounds: Bounds, total_steps: int, *, past_end: bool) -> None:
    """Raise ``ValueError`` for a NaN, infinite or negative step, or one past the end."""
    lo, hi = bounds
    for value in (lo, hi):
        if isinstance(value, float) and not math.isfinite(value):  # ints of any size are finite
            raise ValueError(f"step must be a finite number; received step={value!r}")
    if lo < 0:
        raise ValueError(f"step must be >= 0; received step={lo!r}")
    if past_end and hi > total_steps:
        raise ValueError(
            f"step must be <= total_steps={total_steps} because after='raise'; received step={hi!r}"
        )


def _number(x: Any) -> float:
    """A Python int for integral values (exact), else a float."""
    value = x.item() if hasattr(x, "item") else x
    return value if isinstance(value, int) else float(value)


#: Every elementwise op of the namespaces, named once: ``op: (operands, names)``. ``operands``:
#: the op's parameters, each a number or array of the computation, but ``cond`` (a condition).
#: ``names``, keyed by :attr:`Namespace.framework`: the framework's function where it is not
#: called ``op`` in the framework's modules (:func:`_bind`); for Python numbers, the function
#: itself where ``math`` has none. Each namespace class gets every op as a method when it is
#: first built, but an op it writes itself (a dtype rule of its framework).
OPS: dict[str, tuple[str, dict[str, Any]]] = {
    "sin": ("x", {}),
    "sqrt": ("x", {}),
    "log": ("x", {}),
    "log1p": ("x", {}),
    "exp": ("x", {}),
    "expm1": ("x", {}),
    # a float base: an int base would give an exact int
    "power": ("x p", {"python": lambda x, p: float(x) ** p, "tensorflow": "pow"}),
    "where": ("cond a b", {"python": lambda cond, a, b: a if cond else b}),
    "minimum": ("x bound", {"python": min}),
    "maximum": ("x bound", {"python": max}),
    "clip": ("x lo hi", {"python": lambda x, lo, hi: min(max(x, lo), hi)}),
}

# How a tensor namespace (:attr:`Namespace.lifts`) calls a framework's function: its operands
# made tensors first (``_t``), but a ``cond``. One wrapper per pattern of operands, written
# out: ``fn(*map(self._t, xs))`` costs several times more per call.
_LIFTING: dict[tuple[bool, ...], Callable[[Callable[..., Any]], Callable[..., Any]]] = {
    (True,): lambda fn: lambda self, x: fn(self._t(x)),
    (True, True): lambda fn: lambda self, x, y: fn(self._t(x), self._t(y)),
    (False, True, True): lambda fn: lambda self, c, x, y: fn(c, self._t(x), self._t(y)),
    (True, True, True): lambda fn: lambda self, x, y, z: fn(self._t(x), self._t(y), self._t(z)),
}

#: The namespace classes whose ops are bound (:func:`_bind`).
_BOUND: set[type[Namespace]] = set()


def _bind(cls: type[Namespace], *modules: Any) -> None:
    """Give ``cls`` each op of :data:`OPS` it does not write itself, from the first module with it.

    Done once per class, when its first namespace is built (its framework is imported then),
    so that an op is the framework's function itself (:data:`_LIFTING` for tensors): no
    lookup per call.
    """
    if cls in _BOUND:
        return
    for op, (operands, names) in OPS.items():
        if op in cls.__dict__:
            continue
        fn = names.get(cls.framework, op)
        if not callable(fn):
            found = [getattr(module, fn) for module in modules if hasattr(module, fn)]
            if not found:
                raise AttributeError(f"{cls.__name__}: no {fn!r} (the op {op!r}) in {modules}")
            fn = found[0]
        if cls.lifts:
            setattr(cls, op, _LIFTING[tuple(x != "cond" for x in operands.split())](fn))
        else:
            setattr(cls, op, staticmethod(fn))
    _BOUND.add(cls)


class Namespace:
    """Operations on one kind of array; this base class implements Python numbers."""

    #: Whether values can be inspected (a traced value under ``jit`` cannot).
    concrete: bool = True
    #: The largest step the integer type holds (JAX without x64: int32); steps beyond it can
    #: never occur, so the rows that begin there are skipped and distances to ends beyond it
    #: are computed in floats (:meth:`distance`).
    max_step: float = math.inf
    #: The column of :data:`OPS` this namespace's ops come from.
    framework: str = "python"
    #: Whether the framework's functions need tensors: the ops then make them (``_t``).
    lifts: bool = False

    if TYPE_CHECKING:

        def __getattr__(self, op: str) -> Callable[..., Any]:
            """The ops of :data:`OPS` (``xp.sin(x)``...), bound by :func:`_bind`."""
            ...

    def steps(self, step: Any) -> Any:
        """Return ``step`` as an exact value: an integer where it is integral."""
        if type(step) is int:  # the per-step call of every training loop: skip the ABC checks
            return step
        import numbers

        if isinstance(step, bool) or not isinstance(step, numbers.Real):
            raise TypeError(
                "step must be a real number (an int, a float, or an array of them); "
                f"received {step!r} of type {type(step).__name__}"
            )
        return _exact(step)

    def bounds(self, s: Any) -> Bounds | None:
        """The smallest and largest step, or ``None`` for traced values (and empty arrays)."""
        return (s, s)

    def to_float(self, x: Any) -> Any:
        """Cast an exact step expression to the float type of the computation."""
        return float(x)

    def distance(self, end: int, c: Any) -> Any:
        """``end - c`` for steps ``c <= end``: exact integers (see :attr:`max_step`)."""
        return end - c

    def const(self, x: Any) -> Any:
        """A scalar (or an array rate, unchanged) in the float type of the computation."""
        return float(x)

    def opaque(self, x: float) -> Any:
        """The constant ``x``, hidden from algebraic simplification (compensated sums need it).

        The identity, but for XLA under JAX: there a compile-time constant lets the compiler
        rewrite ``(c + v) - c`` as ``v``, which is exact in real numbers and erases the
        rounding error a double-word sum computes.
        """
        return x

    def isolated(self, phi: Any, n: Any, length: int, consts: tuple[float, ...]) -> Any:
        """``phi(self, n, length, consts)``: one of the formulas' double-word paths.

        Called as it is, but under ``torch.compile`` (:class:`_Torch`), where it is one custom
        operator: the few hundred additions and products of a double-word path, each result
        read several times, make Inductor's inlining grow exponentially (minutes of compile).
        """
        return phi(self, n, length, consts)

    def mark_invalid(self, invalid: Any, x: Any) -> Any:
        """Replace the entries of ``x`` where ``invalid`` holds by NaN (traced values only)."""
        return self.where(invalid, math.nan, x)

    def split(self, s: Any, cuts: Any) -> Split | None:
        """Concrete steps grouped by the rows they fall in, or ``None`` (then ``where``).

        ``cuts``: the ascending steps where each row after the first begins (a cut step belongs
        to the later row). Returns ``(pieces, join)``: ``pieces`` lists ``(i, steps)`` for
        every row ``i`` that holds a step, and ``join`` puts one value (or array) per piece
        back in the order and shape of ``s``. Each row is then computed on its own steps
        only, so the cost no longer grows with rows times steps.
        """
        return None

    def finish(self, x: Any) -> Any:
        """Convert the computed value to what the caller gets back."""
        return float(x)

    def evaluate(
        self,
        step: Any,
        fn: Formula,
        *,
        total_steps: int,
        past_end: bool,
        rows: int = 1,
        fold: Fold | None = None,
    ) -> Any:
        """Check the steps, run ``fn(self, exact_steps, bounds)`` and convert its result.

        Concrete steps are checked in full before anything is computed (``past_end``: steps
        above ``total_steps`` are an error too). ``rows``: how many phases ``fn`` has (NumPy
        sorts a long unsorted array of steps first when there are many). ``fold``: how to
        evaluate the steps of an array beyond 64-bit integers (without it they are refused);
        Python ints need none.
        """
        s = self.steps(step)
        bounds = self.bounds(s) if self.concrete else None
        if bounds is not None:
            check_bounds(bounds, total_steps, past_end=past_end)
        return self.finish(fn(self, s, bounds))


_bind(Namespace, math)


class _NumPy(Namespace):
    """NumPy arrays and scalars: exact int64 steps, float64 arithmetic, blockwise."""

    framework = "numpy"

    def __init__(self) -> None:
        import numpy as np

        self.np = np
        _bind(_NumPy, np)
        self.out_dtype: Any = np.dtype(np.float64)

    def steps(self, step: Any, big: Big | None = None) -> Any:
        """The steps as int64 (float64 where some are fractional), checked to be numbers.

        ``big`` replaces the steps beyond int64 (Python ints in a list, ``uint64`` values,
        whole floats from ``2**63``), given as they were (exact), by steps with the same
        rate; without it they are refused. Every element of a list or an object array is
        checked to be a real number and not a bool (NumPy would read ``True`` as 1).
        """
        np = self.np
        try:
            a = np.asarray(step)
        except ValueError:  # a ragged list
            raise TypeError(
                "step must be a number or a rectangular array of numbers; received a ragged "
                f"{type(step).__name__}"
            ) from None
        kind = a.dtype.kind
        flat = isinstance(step, (list, tuple)) and set(map(type, step)) <= {int, float}
        if kind == "O" or (kind in "iuf" and isinstance(step, (list, tuple)) and not flat):
            # what NumPy converts silently: True as 1 (even beside NumPy arrays), 2**70 as an
            # object, None: every element is checked
            objects = a if kind == "O" else np.asarray(step, dtype=object)
            values = objects.ravel().tolist()
            _check_elements(values, step, np)
            if kind == "O" or (kind in "fu" and any(_beyond_int64(x) for x in values)):
                return self._from_objects(values, a.shape, big)  # not 2**64 - 1 as a float
        elif flat and kind in "fu" and any(_beyond_int64(x) for x in step):
            return self._from_objects(list(step), a.shape, big)  # not 2**64 - 1 as a float
        if kind == "b" or kind not in "iuf":
            raise TypeError(
                f"step must be an array of integers or floats; received an array of dtype {a.dtype}"
            )
        if kind == "f":
            # float32 (and float16) steps give float32 results, computed in float64.
            self.out_dtype = a.dtype if a.dtype.itemsize >= 8 else np.dtype(np.float32)
            f = a.astype(np.float64, copy=False)
            with np.errstate(invalid="ignore"):
                huge = np.abs(f) >= 2.0**63  # whole numbers beyond int64, or infinite
                beyond = bool(huge.any()) and bool((huge := huge & np.isfinite(f)).any())
                if beyond:
                    f = f.copy()
                    exact = _replace(f[huge].tolist(), big)
                    f[huge] = 0.0
                whole = np.isfinite(f).all() and (f == np.floor(f)).all()
            out = f.astype(np.int64) if whole else f
            if beyond:
                out[huge] = exact
            return out
        if kind == "u" and a.dtype.itemsize >= 8 and a.size and a.max() > _INT64_MAX:
            huge = a > _INT64_MAX
            out = a.astype(np.int64)
            out[huge] = _replace(a[huge].tolist(), big)
            return out
        return a.astype(np.int64, copy=False)

    def _from_objects(
        self,
        values: list[Any],
        shape: tuple[int, ...],
        big: Big | None,
    ) -> Any:
        """Steps from checked Python numbers: ints (of any size) exact, whole floats as ints."""
        np = self.np
        exact = [_exact(x) for x in values]
        huge = [i for i, x in enumerate(exact) if _beyond_int64(x)]
        if huge:
            for i, x in zip(huge, _replace([values[i] for i in huge], big), strict=True):
                exact[i] = x
        whole = all(isinstance(x, int) for x in exact)
        return np.array(exact, dtype=np.int64 if whole else np.float64).reshape(shape)

    def bounds(self, s: Any) -> Bounds | None:
        if s.size == 0:
            return None
        return (_number(s.min()), _number(s.max()))

    def to_float(self, x: Any) -> Any:
        # An explicit cast: NumPy's mixed int64 * float64 loop is much slower than it.
        return x.astype(self.np.float64)

    def const(self, x: Any) -> Any:
        return self.np.float64(x) if isinstance(x, (int, float)) else x

    def finish(self, x: Any) -> Any:
        return self.np.asarray(x, dtype=self.out_dtype)

    def split(self, s: Any, cuts: Any) -> Split | None:
        from itertools import pairwise

        np = self.np
        flat = s.reshape(-1)
        order = None
        if flat.size > 1 and not (flat[1:] >= flat[:-1]).all():  # sorted already, usually
            order = np.argsort(flat, kind="stable")
            flat = flat[order]
        edges = [0, *np.searchsorted(flat, cuts, side="left").tolist(), flat.size]
        spans = [(i, a, b) for i, (a, b) in enumerate(pairwise(edges)) if b > a]

        def join(values: list[Any]) -> Any:
            out = np.empty(flat.size, dtype=np.float64)
            for (_, a, b), value in zip(spans, values, strict=True):
                out[a:b] = value
            if order is not None:
                ordered, out = out, np.empty_like(out)
                out[order] = ordered
            return out.reshape(s.shape)

        return [(i, flat[a:b]) for i, a, b in spans], join

    def evaluate(
        self,
        step: Any,
        fn: Formula,
        *,
        total_steps: int,
        past_end: bool,
        rows: int = 1,
        fold: Fold | None = None,
    ) -> Any:
        np = self.np
        s = self.steps(step, None if fold is None else _folding(fold, total_steps, past_end))
        if s.ndim == 0:  # not through Namespace.evaluate: steps() would reset out_dtype
            bounds = self.bounds(s)
            if bounds is not None:
                check_bounds(bounds, total_steps, past_end=past_end)
            return self.finish(fn(self, s, bounds))[()]
        out = np.empty(s.shape, dtype=self.out_dtype)
        flat_s, flat_out = s.reshape(-1), out.reshape(-1)
        order = None
        if rows > _SORT_ROWS and flat_s.size > _NUMPY_BLOCK and (flat_s[1:] < flat_s[:-1]).any():
            # Unsorted steps over many phases: every block would span most of them. Sorted,
            # each block spans only its own, and the work is steps plus phases.
            order = np.argsort(flat_s, kind="stable")
            flat_s, flat_out = flat_s[order], np.empty(flat_s.size, dtype=self.out_dtype)
        # Each block is checked before it is computed (in cache); an error discards `out`.
        for start in range(0, flat_s.size, _NUMPY_BLOCK):
            block = flat_s[start : start + _NUMPY_BLOCK]
            bounds = self.bounds(block)
            if bounds is not None:
                check_bounds(bounds, total_steps, past_end=past_end)
            flat_out[start : start + _NUMPY_BLOCK] = fn(self, block, bounds)
        if order is not None:
            out.reshape(-1)[order] = flat_out
        return out

    def evaluate_range(
        self,
        start: int,
        stop: int,
        fn: Formula,
        *,
        total_steps: int,
        past_end: bool,
        fold: Fold | None = None,
    ) -> Any:
        """Evaluate at steps ``start .. stop - 1`` without materialising the steps array.

        Steps beyond int64 are evaluated at ``fold`` of each (refused without it).
        """
        np = self.np
        if stop > start:
            check_bounds((start, stop - 1), total_steps, past_end=past_end)
        if stop - 1 > _INT64_MAX and fold is None:
            raise ValueError(f"step must be < 2**63; received step={stop - 1}")
        try:
            out = np.empty(stop - start, dtype=np.float64)
        except (ValueError, MemoryError):  # more values than an array may have, or memory
            raise ValueError(
                f"stop - start ({stop - start} values) must fit in memory; received "
                f"start={start}, stop={stop}"
            ) from None
        first = np.arange(_NUMPY_BLOCK, dtype=np.int64)
        block = np.empty_like(first)  # one buffer for every block's steps: no allocation each
        for lo in range(start, stop, _NUMPY_BLOCK):
            hi = min(lo + _NUMPY_BLOCK, stop)
            if hi - 1 > _INT64_MAX and fold is not None:  # past every end: fold each step
                steps = np.array([fold(s) for s in range(lo, hi)], dtype=np.int64)
                bounds = (_number(steps.min()), _number(steps.max()))
                out[lo - start : hi - start] = fn(self, steps, bounds)
                continue
            steps = np.add(first[: hi - lo], lo, out=block[: hi - lo])
            out[lo - start : hi - start] = fn(self, steps, (lo, hi - 1))
        return out


def _exact(x: Any) -> int | float:
    """A real number as an exact step: an int where it is whole, else a float."""
    import numbers

    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Rational) and x.denominator == 1:
        return int(x.numerator)
    try:
        value = float(x)
    except OverflowError:
        raise ValueError(
            f"step must be an int, or a real number within float range; received step={x!r}"
        ) from None
    return int(value) if value.is_integer() else value


def _check_elements(values: list[Any], step: Any, np: Any) -> None:
    """Every element of a list or object array of steps is a real number, not a bool."""
    import numbers

    for kind in set(map(type, values)):
        if issubclass(kind, (bool, np.bool_)) or not issubclass(kind, numbers.Real):
            example = next(x for x in values if type(x) is kind)
            raise TypeError(
                "step must be a real number (an int, a float, or an array of them); received "
                f"{example!r} of type {kind.__name__} in the {type(step).__name__} of steps"
            )


def _beyond_int64(x: object) -> bool:
    """Whether ``x`` is a Python int outside int64."""
    return isinstance(x, int) and not -_INT64_MAX <= x <= _INT64_MAX


def _replace(values: list[Any], big: Big | None) -> list[int]:
    """Whole steps beyond int64 (as given) replaced by ``big``; refused without it."""
    if big is None:
        lo, hi = min(values), max(values)
        if lo < 0:
            raise ValueError(f"step must be >= 0; received step={lo}")
        raise ValueError(f"step must be < 2**63; received step={hi}")
    return big(values)


def _folding(fold: Fold, total_steps: int, past_end: bool) -> Big:
    """Check steps beyond int64 like any step, then fold each (they are all past the end)."""

    def big(values: list[Any]) -> list[int]:
        check_bounds((min(values), max(values)), total_steps, past_end=past_end)
        return [fold(int(v)) for v in values]

    return big


class _TensorFlow(Namespace):
    """TensorFlow tensors and variables: int64 steps; float32 unless the input is float64."""

    framework = "tensorflow"
    lifts = True

    def __init__(self, like: Any) -> None:
        import tensorflow as tf

        self.tf = tf
        _bind(_TensorFlow, tf.math, tf)
        dtype = tf.as_dtype(like.dtype)  # a Keras variable's dtype is a string ("int64")
        self.out_dtype = dtype if dtype.is_floating else tf.float32
        self.dtype = tf.float64 if self.out_dtype == tf.float64 else tf.float32
        # Inside ``tf.function`` (and XLA) values are symbolic and cannot be inspected.
        self.concrete = tf.executing_eagerly()

    def steps(self, step: Any) -> Any:
        tf = self.tf
        t = tf.convert_to_tensor(step)
        if t.dtype == tf.bool or not (t.dtype.is_integer or t.dtype.is_floating):
            raise TypeError(
                f"step must be a tensor of integers or floats; received dtype {t.dtype.name}"
            )
        if t.dtype.is_floating:
            return tf.cast(t, self.dtype)
        if t.dtype == tf.uint64 and self.concrete and int(tf.size(t)):
            largest = int(tf.reduce_max(t).numpy())
            if largest > _INT64_MAX:
                raise ValueError(
                    f"step must be < 2**63 (TensorFlow steps are int64); received step={largest}"
                )
        return tf.cast(t, tf.int64)

    def bounds(self, s: Any) -> Bounds | None:
        tf = self.tf
        if int(tf.size(s)) == 0:
            return None
        return (_number(tf.reduce_min(s).numpy()), _number(tf.reduce_max(s).numpy()))

    def _t(self, x: Any) -> Any:
        tf = self.tf
        # tf.cast of a Python float would round it to float32 first.
        return tf.cast(x, self.dtype) if tf.is_tensor(x) else tf.constant(x, self.dtype)

    def to_float(self, x: Any) -> Any:
        return self._t(x)

    def const(self, x: Any) -> Any:
        return self._t(x)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        tf = self.tf
        if tf.is_tensor(a) and tf.is_tensor(b) and a.dtype == b.dtype:
            return tf.where(cond, a, b)  # in their dtype: integer steps stay integers
        return tf.where(cond, self._t(a), self._t(b))

    def minimum(self, x: Any, bound: Any) -> Any:
        tf = self.tf
        if tf.is_tensor(x) and not tf.is_tensor(bound):
            return tf.minimum(x, tf.constant(bound, x.dtype))  # integer steps stay integers
        return tf.minimum(self._t(x), self._t(bound))

    def clip(self, x: Any, lo: Any, hi: Any) -> Any:
        tf = self.tf
        if tf.is_tensor(x) and x.dtype.is_integer:  # integer steps stay exact integers
            return tf.clip_by_value(x, tf.constant(lo, x.dtype), tf.constant(hi, x.dtype))
        return tf.clip_by_value(self._t(x), self._t(lo), self._t(hi))

    def finish(self, x: Any) -> Any:
        return self.tf.cast(self._t(x), self.out_dtype)


class _Jax(Namespace):
    """JAX arrays and tracers: integer steps in JAX's default int, float32 unless x64."""

    framework = "jax"

    def __init__(self, like: Any) -> None:
        import jax
        from jax import numpy as jnp

        self.jnp = jnp
        _bind(_Jax, jnp)
        dtype = jnp.result_type(like)
        self.out_dtype = dtype if jnp.issubdtype(dtype, jnp.floating) else jnp.result_type(float)
        self.dtype = self.out_dtype if jnp.dtype(self.out_dtype).itemsize >= 4 else jnp.float32
        self.concrete = not isinstance(like, jax.core.Tracer)
        import numpy as np  # JAX depends on NumPy

        self.max_step = int(np.iinfo(jnp.result_type(int)).max)

    def steps(self, step: Any) -> Any:
        jnp = self.jnp
        try:
            a = jnp.asarray(step)
        except OverflowError:
            raise ValueError(
                f"step must be <= {self.max_step} (JAX's default integer; enable "
                f"jax_enable_x64 for larger steps); received step={step!r}"
            ) from None
        if a.dtype == jnp.bool_ or not (
            jnp.issubdtype(a.dtype, jnp.integer) or jnp.issubdtype(a.dtype, jnp.floating)
        ):
            raise TypeError(
                f"step must be an array of integers or floats; received dtype {a.dtype}"
            )
        if jnp.issubdtype(a.dtype, jnp.floating):
            return a.astype(self.dtype)
        if jnp.issubdtype(a.dtype, jnp.unsignedinteger) and self.concrete and a.size:
            largest = int(jnp.max(a))  # beyond the default integer, the cast would wrap it
            if largest > self.max_step:
                raise ValueError(
                    f"step must be <= {self.max_step} (JAX's default integer; enable "
                    f"jax_enable_x64 for larger steps); received step={largest}"
                )
        return a.astype(jnp.result_type(int))

    def bounds(self, s: Any) -> Bounds | None:
        if s.size == 0:
            return None
        return (_number(self.jnp.min(s)), _number(self.jnp.max(s)))

    def to_float(self, x: Any) -> Any:
        return self.jnp.asarray(x).astype(self.dtype)

    def const(self, x: Any) -> Any:
        return self.jnp.asarray(x, dtype=self.dtype)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        return self.jnp.where(cond, a, b).astype(self.dtype)

    def finish(self, x: Any) -> Any:
        return self.jnp.asarray(x).astype(self.out_dtype)

    def opaque(self, x: float) -> Any:
        import jax

        return jax.lax.optimization_barrier(self.const(x))  # type: ignore[no-untyped-call]

    def distance(self, end: int, c: Any) -> Any:
        if end <= self.max_step:
            return end - c
        # int32 steps with an end beyond int32: the distance is too large for the integer
        # type, and is only ever used as a float (whose rounding is what float32 has anyway).
        return self.const(end - self.max_step) + (self.max_step - c).astype(self.dtype)


_PYTHON = Namespace()


def numpy_namespace() -> _NumPy:
    """The NumPy namespace (imports NumPy), for callers that build NumPy results themselves."""
    try:
        return _NumPy()
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "this needs NumPy, an optional dependency of warmcos: pip install 'warmcos[numpy]'"
        ) from None


def namespace_of(*values: Any) -> Namespace:
    """Return the namespace for the first array-valued entry of ``values``.

    Python numbers (and anything that is not a recognised array) use plain floats. A NumPy
    scalar or array, or a list, tuple or range of steps, uses NumPy. Tensors of torch,
    TensorFlow and JAX are recognised by the module their type comes from, so no framework is
    imported to ask.
    """
    for value in values:
        if type(value) in (int, float):
            continue
        if isinstance(value, (list, tuple, range)):  # schedule(range(100)): a NumPy array
            try:
                return _NumPy()
            except ModuleNotFoundError:
                continue  # without NumPy, the Python namespace says what a step may be
        module = type(value).__module__.partition(".")[0]
        if module == "builtins":
            continue
        if module == "numpy":
            return _NumPy()
        if module == "torch" and "torch" in sys.modules:
            from ._xp_torch import _Torch

            return _Torch(value)
        if module in ("tensorflow", "keras") and "tensorflow" in sys.modules:
            import tensorflow as tf

            if tf.is_tensor(value) or isinstance(value, tf.Variable):
                return _TensorFlow(value)
        if module in ("jax", "jaxlib") and "jax" in sys.modules:
            return _Jax(value)
    return _PYTHON
