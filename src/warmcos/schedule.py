"""The :class:`Schedule` spec: linear warmup, cosine decay, a floor, and an after-end policy."""

from __future__ import annotations

import json
import math
import numbers
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import _math
from ._xp import namespace_of

if TYPE_CHECKING:
    from ._xp import Bounds, Namespace
from .units import Duration, resolve_steps

__all__ = ["FIELDS", "SCHEMA_VERSION", "Field", "Schedule", "load"]

#: The ``version`` written by :meth:`Schedule.to_dict` and required by :meth:`Schedule.from_dict`.
SCHEMA_VERSION = 1


class Field(NamedTuple):
    """One parameter of :class:`Schedule`, described for tools (the CLI builds its options here).

    ``kind`` says how a tool should read a value from text: ``"lr"`` (a real number >= 0),
    ``"duration"`` (an int, ``"5%"``, ``0.05`` or ``"2ep"``; see :mod:`warmcos.units`),
    ``"choice"`` (one of ``choices``), ``"real"``, ``"optional_real"`` (a real number or
    ``None``), ``"int"`` or ``"bool"``.
    """

    name: str
    kind: str
    default: Any  # None for the required ones (``required``)
    choices: tuple[str, ...] | None
    help: str
    required: bool = False


#: Every parameter of :class:`Schedule`, in constructor (and ``to_dict``) order.
FIELDS: tuple[Field, ...] = (
    Field("peak_lr", "lr", None, None, "the learning rate at the end of the warmup", True),
    Field("total_steps", "duration", None, None, "the step at which final_lr is reached", True),
    Field("warmup_steps", "duration", 0, None, "steps of warmup"),
    Field("warmup_start_lr", "lr", 0.0, None, "the learning rate at step 0"),
    Field("final_lr", "lr", 0.0, None, "the learning rate at total_steps"),
    Field("after", "choice", "hold", _math.AFTER_POLICIES, "the policy after total_steps"),
)


def _lr(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number; received {name}={value!r} "
            f"of type {type(value).__name__}"
        )
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite; received {name}={value!r}")
    if x < 0:
        raise ValueError(f"{name} must be >= 0; received {name}={value!r}")
    return x + 0.0  # -0.0 -> 0.0, so equal schedules print and serialise alike


@dataclass(frozen=True, init=False)
class Schedule:
    r"""Linear warmup to a peak, then cosine decay to a final value, as one immutable spec.

    .. math::

        \mathrm{lr}(s) = \begin{cases}
            \mathrm{start} + (\mathrm{peak} - \mathrm{start}) \, s / w & 0 \le s < w \\
            \mathrm{final} + (\mathrm{peak} - \mathrm{final}) \,
                \tfrac12 \left(1 + \cos \pi \frac{s - w}{T - w}\right) & w \le s \le T
        \end{cases}

    with ``s`` the step (the number of optimizer updates already applied), ``w =
    warmup_steps``, ``T = total_steps``, ``start = warmup_start_lr``, ``peak = peak_lr`` and
    ``final = final_lr``. After ``T`` the ``after`` policy decides.

    Conventions (drawn in the README):

    * step ``0`` uses ``warmup_start_lr``; the last warmup step ``w - 1`` is one increment
      short of the peak;
    * the peak is used **at step** ``w``, the first decay step (with ``w = 0``, at step 0);
    * ``final_lr`` is reached **at step** ``T``: a run of ``T`` updates (steps ``0 .. T-1``)
      ends one step above it, exactly like the TF-TPU reference, optax and Keras;
    * after ``T``: ``"hold"`` stays at ``final_lr`` (default), ``"wrap"`` continues the cosine
      periodically like the reference (back at the peak at ``2T - w``), ``"raise"`` raises
      ``ValueError`` for any step past ``T``.

    Args:
        peak_lr: the learning rate at step ``warmup_steps``; ``>= 0``.
        total_steps: the step at which ``final_lr`` is reached (warmup included); an int
            ``>= 1`` or epochs (``"90ep"``, with ``steps_per_epoch``).
        warmup_steps: steps of linear warmup, ``< total_steps``: an int, a fraction of
            ``total_steps`` (``0.05`` or ``"5%"``, rounded up) or epochs (``"2ep"``).
        warmup_start_lr: the learning rate at step 0; may be above ``peak_lr`` (a falling
            warmup).
        final_lr: the learning rate at ``total_steps``; ``<= peak_lr``.
        after: the policy past ``total_steps``: ``"hold"``, ``"wrap"`` or ``"raise"``.
        steps_per_epoch: what one epoch is worth in optimizer updates, for durations given in
            epochs. Durations are resolved to integer steps at construction, so it is not
            stored.

    Raises:
        TypeError: a parameter has the wrong type (e.g. a ``bool``, or a float number of
            steps).
        ValueError: a parameter breaks a rule; the message names it, the rule, and the value.

    Example:
        >>> from warmcos import Schedule
        >>> s = Schedule(peak_lr=1.0, total_steps=10, warmup_steps=4, warmup_start_lr=0.1)
        >>> [round(s(step), 3) for step in range(12)]
        [0.1, 0.325, 0.55, 0.775, 1.0, 0.933, 0.75, 0.5, 0.25, 0.067, 0.0, 0.0]
        >>> s(4) == s.peak_lr and s(10) == s.final_lr
        True
        >>> Schedule.from_dict(s.to_dict()) == s
        True
    """

    peak_lr: float
    total_steps: int
    warmup_steps: int
    warmup_start_lr: float
    final_lr: float
    after: str

    def __init__(
        self,
        peak_lr: float,
        total_steps: Duration,
        *,
        warmup_steps: Duration = 0,
        warmup_start_lr: float = 0.0,
        final_lr: float = 0.0,
        after: str = "hold",
        steps_per_epoch: int | None = None,
    ) -> None:
        if steps_per_epoch is not None and (
            isinstance(steps_per_epoch, bool)
            or not isinstance(steps_per_epoch, numbers.Integral)
            or steps_per_epoch < 1
        ):
            raise ValueError(
                f"steps_per_epoch must be an int >= 1; received steps_per_epoch={steps_per_epoch!r}"
            )
        peak = _lr(peak_lr, "peak_lr")
        start = _lr(warmup_start_lr, "warmup_start_lr")
        final = _lr(final_lr, "final_lr")
        if final > peak:
            raise ValueError(
                "final_lr must be <= peak_lr (the cosine decays from the peak to the final "
                f"value); received final_lr={final_lr!r}, peak_lr={peak_lr!r}"
            )
        total = resolve_steps(total_steps, "total_steps", steps_per_epoch=steps_per_epoch)
        if total < 1:
            raise ValueError(f"total_steps must be >= 1; received total_steps={total_steps!r}")
        warmup = resolve_steps(
            warmup_steps, "warmup_steps", total_steps=total, steps_per_epoch=steps_per_epoch
        )
        if warmup >= total:
            raise ValueError(
                "warmup_steps must be < total_steps: the cosine decay needs at least one step "
                f"(the reference divides by zero there); received warmup_steps={warmup_steps!r}"
                f", total_steps={total_steps!r}"
            )
        if not isinstance(after, str) or after not in _math.AFTER_POLICIES:
            valid = ", ".join(repr(p) for p in _math.AFTER_POLICIES)
            raise ValueError(f"after must be one of {valid}; received after={after!r}")
        _math.angle_constant(total - warmup)  # computed now, looked up when evaluated
        for name, value in (
            ("peak_lr", peak),
            ("total_steps", total),
            ("warmup_steps", warmup),
            ("warmup_start_lr", start),
            ("final_lr", final),
            ("after", after),
        ):
            object.__setattr__(self, name, value)

    def __call__(self, step: Any) -> Any:
        """The learning rate at ``step``: a number, or an array of steps of any supported kind.

        Args:
            step: the number of optimizer updates already applied: a Python int or float, a
                NumPy array, or a torch / TensorFlow / JAX tensor of integers or floats.

        Returns:
            A Python float for a Python number; otherwise an array of the same kind and shape
            (float64 for NumPy integers, the framework's default float for framework
            integers, the input's float dtype for float input).

        Raises:
            TypeError: ``step`` is not a number or an array of numbers.
            ValueError: a step is negative, NaN or infinite, or past ``total_steps`` with
                ``after="raise"``. (Traced steps under ``jit`` cannot raise: those entries
                are NaN.)
        """
        return namespace_of(step).evaluate(
            step, self._formula, total_steps=self.total_steps, past_end=self.after == "raise"
        )

    def curve(self, num_steps: int | None = None) -> Any:
        """The learning rate at steps ``0 .. num_steps - 1`` as a NumPy float64 array.

        Args:
            num_steps: how many steps; default ``total_steps + 1`` (the whole schedule,
                final value included).

        Example:
            >>> Schedule(peak_lr=0.1, total_steps=4).curve().round(6).tolist()
            [0.1, 0.085355, 0.05, 0.014645, 0.0]
        """
        from ._xp import numpy_namespace

        n = self.total_steps + 1 if num_steps is None else num_steps
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
            raise ValueError(f"num_steps must be an int >= 0; received num_steps={num_steps!r}")
        return numpy_namespace().evaluate_range(
            int(n), self._formula, total_steps=self.total_steps, past_end=self.after == "raise"
        )

    def replace(self, **changes: Any) -> Schedule:
        """A copy with some parameters changed, validated like a new schedule."""
        unknown = sorted(set(changes) - set(self._names()) - {"steps_per_epoch"})
        if unknown:
            raise TypeError(f"replace() got unknown parameters {unknown}; valid: {self._names()}")
        return Schedule(**{**self._args(), **changes})

    def with_peak(self, peak_lr: float) -> Schedule:
        """The same shape scaled so that its peak is ``peak_lr``.

        ``warmup_start_lr`` and ``final_lr`` scale by the same factor, so ratios are kept (this
        is how one schedule serves param groups with different learning rates).

        >>> Schedule(peak_lr=0.1, total_steps=100, final_lr=0.01).with_peak(3e-4).final_lr
        3e-05
        """
        peak = _lr(peak_lr, "peak_lr")
        if self.peak_lr == 0.0:
            raise ValueError("with_peak() cannot rescale a schedule whose peak_lr is 0")
        return self.replace(
            peak_lr=peak,
            warmup_start_lr=self.warmup_start_lr / self.peak_lr * peak,
            final_lr=min(self.final_lr / self.peak_lr * peak, peak),
        )

    def params(self, **lrs: Any) -> _math.Params:
        """The formula parameters with some learning rates overridden by arrays.

        For adapters whose learning rates are traced (e.g. ``jax.vmap`` over peak learning
        rates): the steps and the policy stay this schedule's, validated; only
        ``peak_lr``, ``warmup_start_lr`` and ``final_lr`` may be overridden, and are not
        validated (they may be traced).
        """
        allowed = {"peak_lr", "warmup_start_lr", "final_lr"}
        if not set(lrs) <= allowed:
            raise TypeError(
                f"params() overrides only {sorted(allowed)}; received {sorted(set(lrs) - allowed)}"
            )
        return _math.Params(**{**self._args(), **lrs})

    # -- serialisation -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The constructor arguments (durations resolved to steps) and ``version``.

        >>> Schedule(peak_lr=0.1, total_steps=1000, warmup_steps="5%").to_dict()
        {'version': 1, 'peak_lr': 0.1, 'total_steps': 1000, 'warmup_steps': 50, \
'warmup_start_lr': 0.0, 'final_lr': 0.0, 'after': 'hold'}
        """
        return {"version": SCHEMA_VERSION, **self._args()}

    @classmethod
    def from_dict(cls, config: Mapping[str, Any]) -> Schedule:
        """Rebuild a schedule from :meth:`to_dict`'s output (or a hand-written config).

        The ``version`` key is required and must be :data:`SCHEMA_VERSION`; unknown keys are
        an error (a misspelt key would otherwise be silently ignored). ``steps_per_epoch`` is
        accepted for durations written in epochs.
        """
        if not isinstance(config, Mapping):
            raise TypeError(f"config must be a mapping (a dict); received {type(config).__name__}")
        if "version" not in config:
            raise ValueError(
                f"config must have a 'version' key (this warmcos reads version "
                f"{SCHEMA_VERSION}); received keys {sorted(config)}"
            )
        version = config["version"]
        if isinstance(version, bool) or version != SCHEMA_VERSION:
            raise ValueError(
                f"config version must be {SCHEMA_VERSION}; received version={version!r}"
            )
        valid = {*cls._names(), "steps_per_epoch"}
        unknown = sorted(set(config) - valid - {"version"})
        if unknown:
            raise ValueError(
                f"config has unknown keys {unknown}; valid keys: {sorted(valid | {'version'})}"
            )
        missing = sorted({"peak_lr", "total_steps"} - set(config))
        if missing:
            raise ValueError(f"config is missing required keys {missing}")
        return cls(**{k: v for k, v in config.items() if k != "version"})

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (floats keep every digit)."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> Schedule:
        """Rebuild a schedule from :meth:`to_json`'s output."""
        try:
            config = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"schedule JSON is not valid JSON: {error}") from None
        return cls.from_dict(config)

    # -- helpers ---------------------------------------------------------------------------

    def _formula(self, xp: Namespace, s: Any, bounds: Bounds | None) -> Any:
        return _math.evaluate(xp, s, bounds, self)

    @classmethod
    def _names(cls) -> list[str]:
        return [f.name for f in FIELDS]

    def _args(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._names()}


def load(path: str | Path) -> Schedule:
    """Read a schedule from a ``.json``, ``.toml`` or ``.yaml``/``.yml`` file.

    The file holds the :meth:`Schedule.to_dict` mapping (``version`` included). YAML needs the
    ``yaml`` extra (PyYAML); it is read with the safe loader. TOML uses :mod:`tomllib`.

    Raises:
        ValueError: the file cannot be read or parsed, has an unknown suffix, or holds an
            invalid schedule.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in {".json", ".toml", ".yaml", ".yml"}:
        raise ValueError(
            f"schedule file must end in .json, .toml, .yaml or .yml; received path={str(p)!r}"
        )
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot read schedule file {str(p)!r}: {error.strerror}") from None
    try:
        if suffix == ".json":
            config = json.loads(text)
        elif suffix == ".toml":
            config = _toml().loads(text)
        else:
            config = _yaml().safe_load(text)
    except ValueError as error:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        raise ValueError(f"cannot parse schedule file {str(p)!r}: {error}") from None
    except Exception as error:  # PyYAML's YAMLError has no common stdlib base
        if type(error).__module__.startswith("yaml"):
            raise ValueError(f"cannot parse schedule file {str(p)!r}: {error}") from None
        raise
    return Schedule.from_dict(config)


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ValueError(
                "reading TOML on Python 3.10 needs tomli: pip install 'warmcos[yaml]'"
            ) from None
    return tomllib


def _yaml() -> Any:
    try:
        import yaml
    except ModuleNotFoundError:
        raise ValueError("reading YAML needs PyYAML: pip install 'warmcos[yaml]'") from None
    return yaml
