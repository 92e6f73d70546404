r"""Read a recorded learning rate back into a warmcos schedule: :func:`fit`.

The module is ``fitting`` (as ``plotting`` holds :func:`warmcos.plot`): ``warmcos.fit`` is the
function. The curve is cut into maximal runs that one registry shape explains exactly
(``warmcos._fit``), the runs become :class:`~warmcos.Segment`\ s, and the segments become
the template :class:`~warmcos.Schedule` where they are its phases (warmup, stable, decay, the
held end), else a :class:`~warmcos.Composition` (a repeated cycle folded into ``repeat``).
Whatever is returned is evaluated again at every given step: :attr:`Fit.max_error` is that
difference, never an estimate.

>>> import warmcos
>>> planned = warmcos.Schedule(0.1, 100, warmup_steps=10)
>>> found = warmcos.fit([planned(s) for s in range(120)])
>>> found.schedule == planned, found.max_error, found.unexplained
(True, 0.0, ())
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

# At run time, not for type checkers only: typing.get_type_hints(Fit) evaluates its
# annotations here (this module is imported on first use of warmcos.fit, not by warmcos).
from typing import Any

from . import _fit, _math
from .compose import Composition, Segment
from .schedule import Schedule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .types import ScheduleLike

__all__ = ["Fit", "fit", "record"]


@dataclass(frozen=True)
class Fit:
    """What :func:`fit` found.

    Attributes:
        schedule: the simplest schedule found: a :class:`~warmcos.Schedule` where the curve
            is the template, else a :class:`~warmcos.Composition`.
        max_error: the largest ``abs(schedule(step) - value)`` over the given steps.
        unexplained: the given steps that no shape explains over three points or more (a
            two-point linear piece reproduces them, but says nothing; a lone one-step phase
            and the held end are explained), and any the schedule misses: ``()`` when every
            step is explained.
        preset: ``(name, arguments)`` of a preset of the registry that builds the same
            schedule at every given step, or ``None``.
        steps: how many values were given.
    """

    schedule: Schedule | Composition
    max_error: float
    unexplained: tuple[int, ...]
    preset: tuple[str, dict[str, Any]] | None
    steps: int

    def report(self) -> str:
        """The phase table, the error, the preset and what is left unexplained, as text."""
        lines = [f"fitted {self.steps:,} values: {type(self.schedule).__name__}"]
        lines.append(f"  {'phase':<10} {'shape':<13} {'steps':<24} lr")
        for p in self.schedule.describe():
            span = f"{p.begin:,} .. {p.end:,}"
            join = "" if p.continuous else "  (jumps)"
            lines.append(
                f"  {p.kind:<10} {p.shape:<13} {span:<24} {p.lr_begin:.6g} -> {p.lr_end:.6g}{join}"
            )
        if isinstance(self.schedule, Composition):
            c = self.schedule
            clock = {"every": c.every, "offset": c.offset, "repeat": c.repeat}
            moved = [f"{k}={v}" for k, v in clock.items() if v != (1 if k != "offset" else 0)]
            if moved:
                lines.append(f"  ({', '.join(moved)})")
        lines.append(f"largest difference: {self.max_error:.3g}")
        if self.preset is not None:
            name, args = self.preset
            shown = ", ".join(f"{k}={v!r}" for k, v in args.items())
            lines.append(f"preset: {name}({shown})")
        if self.unexplained:
            head = ", ".join(f"{s:,}" for s in self.unexplained[:10])
            more = f" and {len(self.unexplained) - 10:,} more" if len(self.unexplained) > 10 else ""
            lines.append(f"unexplained steps: {head}{more}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


# -- input -----------------------------------------------------------------------------------


def _is_single(values: Any, floats: Sequence[float]) -> bool:
    """Float32 input: a float32 array, or values that are all float32 numbers."""
    dtype = str(getattr(values, "dtype", ""))
    if dtype:
        return dtype.endswith(("float32", "float16", "bfloat16"))
    try:
        import numpy as np
    except ModuleNotFoundError:
        import struct

        pack, unpack = struct.Struct("f").pack, struct.Struct("f").unpack
        try:
            return all(unpack(pack(v))[0] == v for v in floats)
        except OverflowError:
            return False
    with np.errstate(over="ignore"):
        array = np.asarray(floats)
        return bool((array.astype(np.float32).astype(np.float64) == array).all())


def _fast_floats(items: list[Any]) -> list[float] | None:
    """The values as floats when NumPy finds them all valid numbers, else ``None``."""
    if len(items) < 256:
        return None
    try:
        import numpy as np

        array = np.asarray(items)
    except (ImportError, ValueError, TypeError):
        return None
    if array.ndim != 1 or array.dtype.kind not in "fiu":
        return None
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        return None
    out: list[float] = array.tolist()
    return out


def _array(values: Any) -> Any:
    """A 1-D NumPy array of valid rates as float64 (not copied when it is one), else ``None``.

    The steps are then ``range(len(values))``: a 10,000,000-step log is never made a list.
    """
    if not (hasattr(values, "dtype") and hasattr(values, "ndim")) or values.ndim != 1:
        return None
    import numpy as np

    if values.dtype.kind not in "fiu" or values.size < 2:
        return None
    array = np.asarray(values, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"values[{i}] must be finite and >= 0; received {values[i].item()!r}")
    bad = np.flatnonzero(array < -_NEGATIVE_ZERO * float(array.max()))
    if bad.size:
        raise _negative(int(bad[0]), values[int(bad[0])].item())
    return array


#: How far below 0 a value may be, relative to the largest: a library's own rounding
#: (optax's float32 ``linear_schedule`` ends on ``-2.98e-08`` of 1.0). Within it, a value is
#: taken as given (fit's shapes never go below 0: the steps are within the rounding, or
#: reported unexplained); beyond it, it is no learning rate.
_NEGATIVE_ZERO = _fit.tolerance(True)


def _negative(i: int, value: Any) -> ValueError:
    return ValueError(
        f"values[{i}] must be finite and >= 0 (to within the float32 rounding of the largest "
        f"value); received {value!r}"
    )


def read(values: Any, steps: Sequence[int] | None) -> tuple[Sequence[int], Sequence[float], bool]:
    """``(steps, values, float32)`` from what :func:`fit` accepts, every rule checked.

    A NumPy array of rates without ``steps`` is kept an array (float64), its steps a
    ``range``; anything else becomes lists.

    Raises:
        TypeError: not numbers, or pairs of the wrong size.
        ValueError: fewer than two values, a value NaN, infinite or negative, steps not
            increasing integers >= 0, or ``steps`` of another length than ``values``.
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(
            f"values must be a sequence of learning rates or of (step, lr) pairs; received "
            f"{type(values).__name__}"
        )
    array = _array(values) if steps is None else None
    if array is not None:
        return range(array.size), array, _is_single(values, array)
    items = values.tolist() if hasattr(values, "tolist") else list(values)
    if items and isinstance(items[0], (list, tuple)):
        if steps is not None:
            raise TypeError("steps must not be given with (step, lr) pairs: the pairs hold them")
        if any(not isinstance(p, (list, tuple)) or len(p) != 2 for p in items):
            bad = next(p for p in items if not isinstance(p, (list, tuple)) or len(p) != 2)
            raise TypeError(f"values: each pair must be (step, lr); received {bad!r}")
        steps = [p[0] for p in items]
        items = [p[1] for p in items]
    if len(items) < 2:
        raise ValueError(f"values: fit needs at least two values; received {len(items)}")
    floats = _fast_floats(items)
    if floats is None:  # the rules checked one by one, to name the first value breaking one
        floats = []
        for i, v in enumerate(items):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TypeError(f"values[{i}] must be a number; received {v!r}")
            x = float(v)
            if not math.isfinite(x):
                raise ValueError(f"values[{i}] must be finite and >= 0; received {v!r}")
            floats.append(x)
    slack = -_NEGATIVE_ZERO * max(floats)
    i = next((i for i, x in enumerate(floats) if x < slack), -1)
    if i >= 0:
        raise _negative(i, items[i])
    ints = list(range(len(floats))) if steps is None else _steps(steps, len(floats))
    return ints, floats, _is_single(values, floats)


def _steps(steps: Sequence[int], count: int) -> list[int]:
    """The given steps, checked: ``count`` integers >= 0, increasing."""
    given = steps.tolist() if hasattr(steps, "tolist") else list(steps)
    if len(given) != count:
        raise ValueError(
            f"steps must be as long as values; received {len(given)} steps and {count} values"
        )
    ints: list[int] = []
    for i, s in enumerate(given):
        if isinstance(s, bool) or not (
            isinstance(s, int) or (isinstance(s, float) and s.is_integer())
        ):
            raise TypeError(f"steps[{i}] must be an integer; received {s!r}")
        if s < 0 or (ints and s <= ints[-1]):
            raise ValueError(
                f"steps must be integers >= 0, increasing; received steps[{i}]={s!r}"
                + (f" after {ints[-1]!r}" if ints else "")
            )
        ints.append(int(s))
    return ints


# -- recording a live scheduler -----------------------------------------------------------


def _is_torch_scheduler(source: object) -> bool:
    return all(hasattr(source, a) for a in ("optimizer", "step", "get_last_lr", "state_dict"))


def record(source: Any, steps: Any) -> Any:
    """The rate a scheduler gives each of the updates ``0 .. steps - 1``.

    A torch ``LRScheduler`` is deep-copied with its optimizer and the copy is stepped: the
    rate of update ``s`` is the optimizer's ``param_groups[0]["lr"]`` after ``s`` calls of
    ``step()`` (from the scheduler's current state). Any other callable (an optax schedule, a
    Keras ``LearningRateSchedule``, a function) is called with the step: once with all the
    steps as a NumPy array where that gives one value per step, else step by step. Returns
    a list of floats, or a float32 NumPy array when the schedule computes in float32.

    Raises:
        TypeError: ``steps`` is not an int >= 2, or ``source`` is neither.
        ValueError: the scheduler raised (the step and its error are named), or returned
            something that is not a number.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise TypeError(
            f"steps must be the number of steps to record from a scheduler, an int >= 2; "
            f"received steps={steps!r}"
        )
    if _is_torch_scheduler(source):
        return _record_torch(source, steps)
    if not callable(source):
        raise TypeError(f"cannot record {type(source).__name__}: not a scheduler or a callable")
    whole = _record_at_once(source, steps)
    if whole is not None:
        return whole
    out = []
    s = 0
    try:
        for s in range(steps):  # s names the step that raised
            out.append(float(source(s)))
    except Exception as error:
        raise ValueError(
            f"the schedule raised at step {s}: {type(error).__name__}: {error}"
        ) from error
    return out


def _record_at_once(source: Any, steps: int) -> Any:
    """``source(numpy.arange(steps))`` when it gives one float per step, else ``None``."""
    try:
        import numpy as np

        got = np.asarray(source(np.arange(steps)))
    except Exception:  # not vectorised (or no NumPy): step by step
        return None
    if got.shape != (steps,) or got.dtype.kind != "f":
        return None
    return got if got.dtype == np.float32 else got.astype(np.float64).tolist()


def _record_torch(scheduler: Any, steps: int) -> list[float]:
    import copy
    import warnings

    twin = copy.deepcopy(scheduler)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # step() without optimizer.step(): on purpose
        for s in range(steps):
            out.append(float(twin.optimizer.param_groups[0]["lr"]))
            if s + 1 < steps:
                try:
                    twin.step()
                except Exception as error:
                    raise ValueError(
                        f"the scheduler raised at step {s + 1}: {type(error).__name__}: {error}"
                    ) from error
    return out


# -- from runs to a schedule -----------------------------------------------------------------


def _guessed(steps: Sequence[int], found: list[tuple[_fit.Run, bool]]) -> list[range]:
    """The indices of the runs that say nothing: too short to tell a shape.

    A run of one or two points is reproduced (a line through two points, a value held), not
    explained, except a *one-step phase*: a lone short run (its neighbours are runs of three
    points or more, or the curve's ends) whose steps, and the step to the next run, are
    consecutive (nothing between them went unlogged): a jump, a one-step warmup, a step held
    before a phase. The end held (a last value alone, a log that ends one step into a new
    phase, or two equal ones) is no contradiction either. Two short runs in a row are a
    guess, every point of them.
    """
    n = len(found)

    def held(k: int) -> bool:  # the last value alone, or the last run holding its value
        run = found[k][0]
        return k == n - 1 and (run.last == run.first or run.model.shape == _math.HOLD)

    def lone(k: int) -> bool:  # no neighbour, a long one, or the held end
        return not 0 <= k < n or held(k) or found[k][0].last - found[k][0].first >= 2

    out = []
    for k, (run, _) in enumerate(found):
        size = run.last - run.first
        if size >= 2 or held(k):
            continue
        after = steps[found[k + 1][0].first] if k + 1 < n else steps[run.last] + 1
        whole = steps[run.last] - steps[run.first] == size and after - steps[run.last] <= 1
        if n > 1 and whole and lone(k - 1) and lone(k + 1):
            continue
        out.append(range(run.first, run.last + 1))
    return out


def _segments(
    steps: Sequence[int],
    values: Sequence[float],
    found: list[tuple[_fit.Run, bool]],
    *,
    snap: bool = True,
) -> list[Segment]:
    """One segment per run (a hold filling any gap between a segment's end and the next).

    ``snap``: a segment that reaches a logged step ends on that step's value (exact joins);
    else on its model's value there (within the rounding of it, and nearer the run's points).
    """
    out: list[Segment] = []
    for n, (run, shares) in enumerate(found):
        m = run.model
        last = n + 1 == len(found)
        nxt = run.last if last else found[n + 1][0].first
        span: Fraction | int = steps[nxt] - steps[run.first]
        if last and m.shape == _math.HOLD and n:  # the held end: one step, then after="hold"
            span = 1
        length = m.length if m.length is not None else max(span, 1)
        reaches = (shares or last) and span > 0 and length == span and snap
        reaches = reaches and not _math.SHAPES[m.shape].open
        end = float(values[nxt]) if reaches else m.end_at(length)
        if m.end is None and not _reachable(m, length, end):  # hold from the run's last point
            length, end = max(steps[run.last] - steps[run.first], 1), float(values[run.last])
        if not _reachable(m, length, end):  # a geometric run to a value that rounds to 0
            m = _fit.Model("linear", m.start, m.formula)  # the final check marks any misfit
        end = max(end, 0.0)  # a value a library rounded below 0 (fit's values may be)
        out.append(_segment(m, length, end))
        if not last and length < span:  # ends before the next run: hold its end
            out.append(Segment(_plain(span - length), end))
    return out


def _reachable(m: _fit.Model, length: Fraction | int, end: float) -> bool:
    """Whether a segment of the model's shape can end on ``end`` after ``length`` steps."""
    if m.predict(float(length)) < -1e-6 * m.start:  # below 0, beyond any rounding
        return False
    if _math.SHAPES[m.shape].positive:
        return end > 0 and max(m.start, end) / min(m.start, end) <= 1e300
    return True


def _plain(x: Fraction | int) -> Fraction | int:
    return int(x) if isinstance(x, int) or x.denominator == 1 else x


def _segment(m: _fit.Model, length: Fraction | int, end: float) -> Segment:
    start = max(m.start, 0.0)
    if m.shape == "constant":
        return Segment(_plain(length), start, None, _math.HOLD)
    timescale = None if m.timescale is None else _plain(m.timescale)
    return Segment(_plain(length), start, end, m.shape, m.power, timescale=timescale)


def _repeated(segments: list[Segment]) -> tuple[list[Segment], int]:
    """The shortest cycle the segments repeat, and how many times (``(segments, 1)``: none)."""
    n = len(segments)
    for p in range(1, n // 2 + 1):
        if n % p == 0 and all(segments[i] == segments[i % p] for i in range(n)):
            return segments[:p], n // p
    return segments, 1


def _end(segment: Segment) -> float:
    return segment.start if segment.end is None else segment.end


def _template(segments: list[Segment]) -> Schedule | None:
    """The template whose phases the segments are (warmup, stable, decay, held end), if any."""
    rest = list(segments)
    if rest and rest[-1].shape == _math.HOLD and len(rest) > 1:
        held = rest.pop()
        if not math.isclose(held.start, _end(rest[-1]), rel_tol=1e-12):
            return None
    args: dict[str, Any] = {}
    if len(rest) >= 2 and _end(rest[0]) > rest[0].start:
        warm = rest.pop(0)
        if warm.shape not in _math.WARMUP_SHAPES:
            return None
        args.update(warmup_steps=warm.length, warmup_start_lr=warm.start, warmup_shape=warm.shape)
        args["warmup_power"] = warm.power
    if len(rest) == 2 and rest[0].shape == _math.HOLD:
        args["stable_steps"] = rest.pop(0).length
    if len(rest) != 1 or rest[0].shape not in _math.DECAY_SHAPES or rest[0].shape == _math.HOLD:
        return None
    decay = rest[0]
    parts = [args.get("warmup_steps", 0), args.get("stable_steps", 0), decay.length]
    if any(not isinstance(x, int) for x in parts):
        return None
    total = sum(parts)
    try:
        return Schedule(
            decay.start,
            total,
            final_lr=_end(decay),
            decay_shape=decay.shape,  # type: ignore[arg-type]  # a DECAY_SHAPES name
            power=decay.power,
            timescale=None if decay.timescale is None else float(decay.timescale),
            **args,
        )
    except (TypeError, ValueError):
        return None


def _cycled(segments: list[Segment]) -> Schedule | None:
    """The template with restarts (``cycles``) whose phases the segments are, if any.

    A warmup or none, then ``k >= 2`` decays of one shape, each ``cycle_mul`` times as long
    as the one before and starting ``cycle_decay`` times as high, all to one final value
    (the held end after them). Only proposed: :func:`fit` keeps it where it equals the
    values at every given step.
    """
    rest = list(segments)
    if rest and rest[-1].shape == _math.HOLD and len(rest) > 2:
        rest.pop()
    warm = rest.pop(0) if len(rest) > 2 and _end(rest[0]) > rest[0].start else None
    if len(rest) < 2 or any(x.shape != rest[0].shape or x.power != rest[0].power for x in rest):
        return None
    first, second = rest[0], rest[1]
    if first.shape not in _math.DECAY_SHAPES or first.shape == _math.HOLD or not first.start:
        return None
    if warm is not None and warm.shape not in _math.WARMUP_SHAPES:
        return None
    given = [warm.length if warm is not None else 0, *(x.length for x in rest)]
    lengths = [x for x in given if isinstance(x, int)]
    if len(lengths) < len(given):
        return None
    args: dict[str, Any] = {}
    if warm is not None:
        args.update(warmup_steps=warm.length, warmup_start_lr=warm.start, warmup_shape=warm.shape)
        args["warmup_power"] = warm.power
    try:
        return Schedule(
            first.start,
            sum(lengths),
            final_lr=_end(first),
            decay_shape=first.shape,  # type: ignore[arg-type]  # a DECAY_SHAPES name
            power=first.power,
            cycles=len(rest),
            cycle_mul=float(Fraction(second.length) / Fraction(first.length)),
            cycle_decay=second.start / first.start,
            **args,
        )
    except (TypeError, ValueError):
        return None


def _staircase(
    steps: Sequence[int],
    values: Sequence[float],
    found: list[tuple[_fit.Run, bool]],
    tol: float,
    floor: float,
) -> Composition | None:
    """A curve that moves only every ``k`` steps (per epoch): its epochs' values fitted.

    Tried where every run is constant, the steps are ``0, 1, 2, ...`` and the runs begin at
    multiples of a ``k >= 2``; the values at ``0, k, 2k, ...`` are fitted as pairs, and the
    composition gets ``every=k``.
    """
    import math

    if len(found) < 3 or steps[-1] != len(steps) - 1:
        return None
    if any(run.model.shape != _math.HOLD for run, _ in found):
        return None
    k = 0
    for run, _ in found[1:]:
        k = math.gcd(k, steps[run.first])
    if k < 2:
        return None
    at, got = steps[::k], values[::k]  # a range and an array stay so
    epochs = _fit.runs(at, got, tol, floor)
    if len(epochs) >= len(found):
        return None
    segments = _segments(at, got, epochs)
    return Composition(segments, every=k)


def _plain_template(s: Schedule, decay: str) -> bool:
    """A warmup (linear, or none) straight into one decay of shape ``decay``: no extras."""
    return (
        s.decay_shape == decay
        and s.stable_steps == 0
        and s.cycles == 1
        and s.delay_steps == 0
        and not s.edits
        and (s.warmup_steps == 0 or s.warmup_shape == "linear")
    )


def _hf(s: Schedule, decay: str, final: bool) -> dict[str, Any] | None:
    if not _plain_template(s, decay) or s.warmup_start_lr != 0 or (s.final_lr > 0) != final:
        return None
    args = {
        "lr": s.peak_lr,
        "num_warmup_steps": s.warmup_steps,
        "num_training_steps": s.total_steps,
    }
    return {**args, "min_lr": s.final_lr} if final else args


def _torch_cosine(s: Schedule) -> dict[str, Any] | None:
    if not _plain_template(s, "cosine") or s.warmup_steps:
        return None
    return {"lr": s.peak_lr, "T_max": s.total_steps, "eta_min": s.final_lr}


def _optax_warmup_cosine(s: Schedule) -> dict[str, Any] | None:
    if not _plain_template(s, "cosine") or not s.warmup_steps:
        return None
    return {
        "init_value": s.warmup_start_lr,
        "peak_value": s.peak_lr,
        "warmup_steps": s.warmup_steps,
        "decay_steps": s.total_steps,
        "end_value": s.final_lr,
    }


def _hf_polynomial(s: Schedule) -> dict[str, Any] | None:
    if not _plain_template(s, "polynomial") or s.warmup_start_lr != 0:
        return None
    return {
        "lr": s.peak_lr,
        "num_warmup_steps": s.warmup_steps,
        "num_training_steps": s.total_steps,
        "lr_end": s.final_lr,
        "power": s.power,
    }


def _torch_polynomial(s: Schedule) -> dict[str, Any] | None:
    if not _plain_template(s, "polynomial") or s.warmup_steps or s.final_lr != 0:
        return None
    return {"lr": s.peak_lr, "total_iters": s.total_steps, "power": s.power}


def _torch_warm_restarts(s: Schedule) -> dict[str, Any] | None:
    if s.cycles < 2 or s.decay_shape != "cosine" or s.warmup_steps or s.cycle_decay != 1:
        return None
    if s.cycle_mul not in {1.0, 2.0, 3.0} or s.stable_steps or s.power != 1:
        return None
    mul = int(s.cycle_mul)  # T_0 (1 + m + ... + m^(k-1)) steps in all
    first = (
        s.total_steps // s.cycles if mul == 1 else s.total_steps * (mul - 1) // (mul**s.cycles - 1)
    )
    return {
        "lr": s.peak_lr,
        "T_0": first,
        "T_mult": mul,
        "eta_min": s.final_lr,
        "cycles": s.cycles,
    }


#: The presets a template's phase table gives the arguments of, tried in order: each reads
#: the library's arguments off the template (``None``: not this preset's curve). A match is
#: then checked at every given step.
PRESET_READERS: dict[str, Callable[[Schedule], dict[str, Any] | None]] = {
    "transformers_linear_with_warmup": lambda s: _hf(s, "linear", final=False),
    "transformers_cosine_with_warmup": lambda s: _hf(s, "cosine", final=False),
    "transformers_cosine_with_min_lr": lambda s: _hf(s, "cosine", final=True),
    "torch_cosine_annealing": _torch_cosine,
    "optax_warmup_cosine_decay": _optax_warmup_cosine,
    "transformers_polynomial_decay_with_warmup": _hf_polynomial,
    "torch_polynomial": _torch_polynomial,
    "torch_cosine_warm_restarts": _torch_warm_restarts,
}


def _preset(
    schedule: Schedule | Composition, steps: Sequence[int], values: Sequence[float], limit: float
) -> tuple[str, dict[str, Any]] | None:
    """The first preset of :data:`PRESET_READERS` equal to the values at every given step."""
    if not isinstance(schedule, Schedule):
        return None
    from . import presets

    for name, reader in PRESET_READERS.items():
        args = reader(schedule)
        if args is None:
            continue
        try:
            built = getattr(presets, name)(**args)
        except (TypeError, ValueError):
            continue
        if _error(built, steps, values, limit)[0] <= limit:
            return name, args
    return None


def _error(
    schedule: ScheduleLike, steps: Sequence[int], values: Sequence[float], limit: float
) -> tuple[float, list[int]]:
    """The largest ``abs(schedule(s) - v)`` over the given steps, and the steps beyond ``limit``.

    With NumPy for many steps (where installed), in blocks of :data:`warmcos._fit.BLOCK`.
    """
    if len(steps) > 2000:
        try:
            import numpy as np
        except ModuleNotFoundError:
            pass
        else:
            worst, wrong = 0.0, []
            for k in range(0, len(steps), _fit.BLOCK):
                stop = min(len(steps), k + _fit.BLOCK)
                block = steps[k:stop]
                at = (
                    np.asarray(block)
                    if not isinstance(block, range)
                    else np.arange(block.start, block.stop, block.step)
                )
                error = np.abs(schedule(at) - np.asarray(values[k:stop], dtype=np.float64))
                worst = max(worst, float(error.max()))
                wrong += at[~(error <= limit)].tolist()
            return worst, wrong
    errors = [abs(float(schedule(s)) - v) for s, v in zip(steps, values, strict=True)]
    return max(errors), [s for s, e in zip(steps, errors, strict=True) if not e <= limit]


def _largest(values: Sequence[float]) -> float:
    top = values.max() if hasattr(values, "max") else max(values)
    return float(top)


def fit(values: Any, steps: Sequence[int] | int | None = None) -> Fit:
    """The simplest warmcos schedule that reproduces a recorded learning rate.

    Args:
        values: the rate used by each optimizer update (a list, a NumPy array...), or
            ``(step, lr)`` pairs when only some steps were logged; or a live scheduler to
            record (:func:`record`: a torch ``LRScheduler``, stepped on a copy; an optax
            schedule, a Keras ``LearningRateSchedule``, any callable of the step).
        steps: the step of each value (default ``0, 1, 2, ...``); not with pairs. With a
            scheduler: how many steps to record (an int).

    Returns:
        A :class:`Fit`: the schedule (the template where the curve is one, else a
        composition), the largest difference at any given step (within the input's own
        float rounding: float32 ulps for float32 values), the steps no shape explains (the
        best partial fit is returned, never a wrong one) and a matching preset, if any.

    Raises:
        TypeError: values that are not numbers, or malformed pairs.
        ValueError: fewer than two values, a value NaN, infinite or negative, steps that do
            not increase; a scheduler that raises.

    >>> import warmcos
    >>> found = warmcos.fit([(0, 1.0), (10, 0.5), (20, 0.25), (30, 0.125)])
    >>> found.schedule.describe()[0].shape, found.schedule(5)
    ('exponential', 0.7071067811865476)
    """
    if callable(values) or _is_torch_scheduler(values):
        values, steps = record(values, steps), None
    if isinstance(steps, int):
        raise TypeError(
            f"steps must be a sequence of steps when values are given; received steps={steps!r} "
            "(an int is the number of steps to record from a scheduler)"
        )
    ints, floats, single = read(values, steps)
    tol = _fit.tolerance(single)
    largest = _largest(floats)
    floor = largest
    limit = tol * max(largest, 1e-300)
    found = _fit.runs(ints, floats, tol, floor)
    segments = _segments(ints, floats, found)
    offset = -ints[0] if ints[0] else 0
    unexplained = tuple(ints[k] for run in _guessed(ints, found) for k in run)
    candidates: list[Schedule | Composition] = []
    if offset == 0:  # the template, or the template with restarts
        candidates += [t for t in (_template(segments), _cycled(segments)) if t is not None]
    staircase = _staircase(ints, floats, found, tol, floor)
    if staircase is not None:
        candidates.append(staircase)
    cycle, times = _repeated(segments)
    candidates.append(Composition(cycle, repeat=times, offset=offset))
    if times > 1:
        candidates.append(Composition(segments, offset=offset))
    best, (worst, wrong) = candidates[-1], _error(candidates[-1], ints, floats, limit)
    for candidate in candidates[:-1]:
        error = _error(candidate, ints, floats, limit)
        if error[0] <= limit:
            best, (worst, wrong) = candidate, error
            break
    if worst > limit:  # joins snapped to logged values cost too much
        unsnapped = Composition(_segments(ints, floats, found, snap=False), offset=offset)
        error = _error(unsnapped, ints, floats, limit)
        if error[0] < worst:
            best, (worst, wrong) = unsnapped, error
    unexplained = tuple(sorted(set(wrong).union(unexplained)))
    preset = _preset(best, ints, floats, limit) if not unexplained else None
    return Fit(best, worst, unexplained, preset, len(floats))
