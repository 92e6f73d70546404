"""Learning rates given as arrays: what :meth:`warmcos.Schedule.with_rates` returns.

A schedule's steps, shapes and policy are lowered once; its three learning rates enter the
phase table only as linear forms (:data:`warmcos._math.Rate`), so they may be arrays, traced
ones included (``jax.vmap`` over peak learning rates). Concrete arrays are checked here with
the schedule's own rules, entry by entry: each distinct combination of rates is validated as
the schedule it stands for (:meth:`~warmcos.Schedule.replace`), so every rule a rate obeys
(``final_lr <= peak_lr``, each restart's scaled floor under its peak, positive ends of a
geometric phase, ...) is stated once, in the core. Traced arrays cannot be inspected; their
invalid entries give NaN or an unchecked value, as documented.
"""

from __future__ import annotations

import numbers

from ._math import evaluate
from ._spec import positive_rates
from ._xp import Namespace, namespace_of

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._math import Plan
    from ._xp import Bounds
    from .schedule import Schedule

__all__ = ["RATES", "Rated"]

#: The learning rates that may be given as arrays, in :class:`~warmcos.Schedule`'s order.
RATES = ("peak_lr", "warmup_start_lr", "final_lr")


class Rated:
    """A :class:`~warmcos.Schedule` with some learning rates given as arrays (see there).

    ``schedule`` is the validated schedule (with the rates given as numbers), ``rates`` the
    rates given as arrays, by name (empty when every rate is a number). Calling it is pure.
    """

    __slots__ = ("_plan", "rates", "schedule")

    schedule: Schedule
    rates: dict[str, Any]
    _plan: Plan

    def __init__(self, schedule: Schedule, rates: dict[str, Any]) -> None:
        unknown = sorted(set(rates) - set(RATES))
        if unknown:
            raise TypeError(f"with_rates() overrides only {sorted(RATES)}; received {unknown}")
        given = {k: v for k, v in rates.items() if v is not None}
        scalars = {k: v for k, v in given.items() if _is_number(v)}
        if scalars:
            schedule = schedule.replace(**scalars)
        arrays = {k: _checked(k, v) for k, v in given.items() if k not in scalars}
        if arrays:
            _check_together(schedule, arrays, given)
        self.schedule = schedule
        self.rates = arrays
        self._plan = schedule.params(**arrays)

    def __call__(self, step: Any) -> Any:
        """The learning rate at ``step``, broadcast with the shape of the array rates.

        The steps' kind decides the result's (a Python number: the first array rate's).
        """
        if not self.rates:
            return self.schedule(step)
        s = self.schedule
        xp = namespace_of(step, *self.rates.values())
        # Namespace's own evaluation, not NumPy's: NumPy evaluates flat blocks of steps, which
        # array rates (of the steps' shape or broadcast against it) would not line up with.
        return Namespace.evaluate(
            xp, step, self._formula, total_steps=s.total_steps, past_end=s.after == "raise"
        )

    def _formula(self, xp: Namespace, s: Any, bounds: Bounds | None) -> Any:
        return evaluate(xp, s, bounds, self._plan)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Rated, (self.schedule, self.rates))

    def __repr__(self) -> str:
        rates = ", ".join(f"{k}={v!r}" for k, v in self.rates.items())
        return f"{self.schedule!r}.with_rates({rates})"


def _is_number(value: Any) -> bool:
    """Whether ``value`` is a plain number (Python or NumPy scalar) rather than an array."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _traced(value: Any) -> bool:
    """Whether ``value`` cannot be inspected (a tracer under ``jit`` or ``vmap``)."""
    return not isinstance(value, (list, tuple)) and not namespace_of(value).concrete


def _checked(name: str, value: Any) -> Any:
    """``value``, an array of real numbers (a list or tuple as a NumPy float64 array).

    Concrete values must be finite and ``>= 0``; traced ones cannot be checked.
    """
    traced = _traced(value)
    if isinstance(value, (bool, str, bytes)) or not (
        traced or isinstance(value, (list, tuple)) or hasattr(value, "dtype")
    ):
        raise TypeError(
            f"{name} must be a real number or an array of them; received {name}={value!r} "
            f"of type {type(value).__name__}"
        )
    if traced:
        dtype = value.dtype
    else:
        import numpy as np

        array = np.asarray(_on_host(value))
        dtype = array.dtype
    if _kind(dtype) in ("b", "c", "O", "U", "S", "M", "m"):
        raise TypeError(
            f"{name} must be an array of real numbers; received {name} of dtype {dtype}"
        )
    if traced:
        return value
    values = array.astype(np.float64)
    ok = np.isfinite(values) & (values >= 0)
    if not ok.all():
        raise ValueError(
            f"{name} must be finite and >= 0; received {name}={value!r} "
            f"(offending entries: {values[~ok][:5].tolist()})"
        )
    return values if isinstance(value, (list, tuple)) else value


def _check_together(schedule: Schedule, arrays: dict[str, Any], given: dict[str, Any]) -> None:
    """Every combination of the concrete rates is a valid schedule: the core's own rules.

    With a traced rate among them, only the rules of each concrete rate alone are checked.
    """
    import numpy as np

    if any(_traced(v) for v in arrays.values()):
        for name, why in positive_rates(schedule._args()):
            value = arrays.get(name)
            concrete = value is not None and not _traced(value)
            if concrete and not bool(np.all(np.asarray(_on_host(value)) > 0)):
                raise ValueError(f"{name} must be > 0 {why}; received {name}={given[name]!r}")
        return
    names = list(arrays)
    columns = np.broadcast_arrays(*(np.asarray(_on_host(arrays[k]), np.float64) for k in names))
    shape = columns[0].shape
    table = np.stack([c.reshape(-1) for c in columns], axis=-1)
    distinct, first = np.unique(table, axis=0, return_index=True)
    for row, at in zip(distinct.tolist(), first.tolist(), strict=True):
        error = _broken_rule(schedule, dict(zip(names, row, strict=True)))
        if error is not None:
            index = tuple(int(i) for i in np.unravel_index(at, shape))
            where = f" (entry {index} of the rate arrays)" if shape else ""
            raise ValueError(f"{error}{where}")


def _broken_rule(schedule: Schedule, rates: dict[str, float]) -> ValueError | None:
    """The core's error for ``schedule`` with ``rates``, or ``None`` if it is valid."""
    try:
        schedule.replace(**rates)
    except ValueError as error:
        return error
    return None


def _on_host(value: Any) -> Any:
    """A torch tensor detached and on the CPU (NumPy reads it); anything else as it is."""
    detach = getattr(value, "detach", None)
    return detach().cpu() if callable(detach) and hasattr(value, "cpu") else value


def _kind(dtype: Any) -> str | None:
    """The NumPy kind of a dtype of NumPy, JAX, TensorFlow or torch; ``None`` if unknown."""
    import numpy as np

    dtype = getattr(dtype, "as_numpy_dtype", dtype)  # TensorFlow
    for candidate in (dtype, str(dtype).rpartition(".")[2]):  # torch.float32 -> "float32"
        try:
            kind: str = np.dtype(candidate).kind
        except TypeError:
            continue
        return kind
    return None
