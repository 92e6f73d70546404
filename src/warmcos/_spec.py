"""The parameters of a :class:`~warmcos.Schedule` and every rule a valid one obeys.

:data:`FIELDS` describes each parameter once (the constructor, ``to_dict``/``from_dict``,
``replace`` and the command line read it); :func:`_validate` checks a spec's values, resolves
its durations and returns what a :class:`~warmcos.Schedule` stores. The value checks
(:func:`_real`, :func:`_lr`, :func:`_positive`, :func:`_choice`) are shared with the adapters.
"""

from __future__ import annotations

import math
from collections import namedtuple

from . import _math, units
from ._lower import _cycle_coefficient
from .units import resolve_steps

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, NamedTuple

    from .schedule import Schedule  # for type checkers only

__all__ = [
    "CYCLE_FLOORS",
    "EDIT_SHAPES",
    "FIELDS",
    "MAX_CYCLES",
    "MAX_EDITS",
    "MAX_STEPS",
    "SCHEMA_VERSION",
    "Field",
    "positive_rates",
]

#: The ``version`` written by :meth:`Schedule.to_dict`; :meth:`Schedule.from_dict` also reads 1.
SCHEMA_VERSION = 2

#: The largest ``total_steps``: steps are 64-bit integers in NumPy and every framework (one
#: limit with :func:`warmcos.units.steps`).
MAX_STEPS = units.MAX_STEPS

#: The most restart cycles (each is one or two rows of the phase table).
MAX_CYCLES = 10_000

#: The most re-planned decays in ``edits`` (each is one row of the phase table).
MAX_EDITS = 10_000

#: The ``cycle_floor`` choices: each restart's floor is ``final_lr``, or scaled with its peak.
CYCLE_FLOORS = ("fixed", "scaled")

if TYPE_CHECKING:

    class Field(NamedTuple):
        """One parameter of :class:`~warmcos.Schedule`."""

        name: str
        kind: str
        default: Any
        choices: tuple[str, ...] | None
        help: str
        required: bool = False
        version: int = 1

else:
    # collections.namedtuple, not typing.NamedTuple: `import warmcos` stays cheap.
    Field = namedtuple(
        "Field", "name kind default choices help required version", defaults=(False, 1)
    )
    Field.__doc__ = """One parameter of :class:`~warmcos.Schedule`, described for tools (the CLI
    builds its options here). ``kind`` says how to read a value from text: ``"lr"`` (a real
    number >= 0), ``"duration"`` (an int, ``"5%"``, ``0.05`` or ``"2ep"``; see
    :mod:`warmcos.units`), ``"choice"`` (one of ``choices``), ``"real"``, ``"optional_real"`` (a
    real number or ``None``), ``"int"`` or ``"bool"``. ``version``: the config schema that
    introduced it."""

#: Every parameter of :class:`~warmcos.Schedule`, in constructor (and ``to_dict``) order.
FIELDS: tuple[Field, ...] = (
    Field("peak_lr", "lr", None, None, "the learning rate at the end of the warmup", True),
    Field("total_steps", "duration", None, None, "the step at which final_lr is reached", True),
    Field("warmup_steps", "duration", 0, None, "steps of warmup (an int, '5%', 0.05, '2ep')"),
    Field("warmup_start_lr", "lr", 0.0, None, "the learning rate at step 0"),
    Field("final_lr", "lr", 0.0, None, "the learning rate at total_steps (the floor)"),
    Field("after", "choice", "hold", _math.AFTER_POLICIES, "the policy after total_steps"),
    Field("warmup_shape", "choice", "linear", _math.WARMUP_SHAPES, "the warmup's shape", version=2),
    Field("warmup_power", "real", 1.0, None, "exponent of a polynomial warmup", version=2),
    Field("stable_steps", "duration", 0, None, "steps held at peak_lr after warmup", version=2),
    Field("decay_shape", "choice", "cosine", _math.DECAY_SHAPES, "the decay's shape", version=2),
    Field("power", "real", 1.0, None, "exponent of a polynomial decay or cosine factor", version=2),
    Field(
        "timescale",
        "optional_real",
        None,
        None,
        "steps scale of an inverse_sqrt / inverse_time decay",
        version=2,
    ),
    Field("cycles", "int", 1, None, "number of decay cycles (restarts + 1)", version=2),
    Field("cycle_mul", "real", 1.0, None, "each cycle's length over the previous", version=2),
    Field("cycle_decay", "real", 1.0, None, "each cycle's peak over the previous", version=2),
    Field(
        "cycle_floor",
        "choice",
        "fixed",
        CYCLE_FLOORS,
        "each cycle's floor: final_lr, or scaled with cycle_decay",
        version=2,
    ),
    Field("cycle_warmup_steps", "duration", 0, None, "warmup steps at each restart", version=2),
    Field(
        "decay_from_zero",
        "bool",
        False,
        None,
        "the first decay's clock starts at step 0 (timm warmup_prefix=False)",
        version=2,
    ),
    Field(
        "delay_steps",
        "duration",
        0,
        None,
        "steps held at the first rate before the schedule starts (DeepSpeed's first updates)",
        version=2,
    ),
    Field(
        "edits",
        "edits",
        (),
        None,
        "re-planned decays (at_step, shape, planned_total): written by replan() and cooldown()",
        version=2,
    ),
)

_NAMES = tuple(f.name for f in FIELDS)
_DEFAULTS = {f.name: f.default for f in FIELDS if not f.required}
_V1_NAMES = frozenset(f.name for f in FIELDS if f.version == 1)
_SHAPE_POWER = {"warmup_shape": "warmup_power", "decay_shape": "power"}


def _names(wanted: str, **field: object) -> str:
    """The ``wanted`` shapes whose registry fields have the given values, for messages.

    ``"'a' or 'b'"`` (``wanted="repr"``) or ``"b or a"`` (``wanted="words"``: the order the
    messages have always used, the registry's reversed).
    """
    names = [
        n for n, s in _math.SHAPES.items() if all(getattr(s, f) == v for f, v in field.items())
    ]
    return " or ".join(map(repr, names)) if wanted == "repr" else " or ".join(reversed(names))


def _real(value: object, name: str) -> float:
    """``value`` as a finite Python float (``-0.0`` as ``0.0``)."""
    if isinstance(value, bool) or not _is_real(value):
        raise TypeError(
            f"{name} must be a real number; received {name}={value!r} "
            f"of type {type(value).__name__}"
        )
    try:
        x = float(value)  # type: ignore[arg-type]
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite; received {name}={value!r}")
    return x + 0.0  # -0.0 -> 0.0, so equal schedules print and serialise alike


def _lr(value: object, name: str) -> float:
    x = _real(value, name)
    if x < 0:
        raise ValueError(f"{name} must be >= 0; received {name}={value!r}")
    return x


def _positive(value: object, name: str, why: str) -> float:
    x = _real(value, name)
    if x <= 0:  # negative or zero: the one rule, stated whole
        raise ValueError(f"{name} must be > 0 ({why}); received {name}={value!r}")
    return x


def _is_real(value: object) -> bool:
    import numbers

    return isinstance(value, numbers.Real)


def _choice(value: object, name: str, valid: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in valid:
        names = ", ".join(repr(v) for v in valid)
        raise ValueError(f"{name} must be one of {names}; received {name}={value!r}")
    return value


def _is_int(value: object) -> bool:
    import numbers

    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _config_args(config: Mapping[str, Any]) -> dict[str, Any]:
    """The constructor arguments of a config (``Schedule.from_dict``): its keys checked.

    ``version`` says which keys the config may use; unknown keys are an error naming the
    closest valid key, and the two required keys must be there.
    """
    from collections.abc import Mapping as MappingABC

    if not isinstance(config, MappingABC):
        raise TypeError(f"config must be a mapping (a dict); received {type(config).__name__}")
    version = config.get("version", SCHEMA_VERSION)
    if isinstance(version, bool) or version not in (1, SCHEMA_VERSION):
        raise ValueError(
            f"config version must be 1 or {SCHEMA_VERSION}; received version={version!r} "
            f"(leave it out for {SCHEMA_VERSION})"
        )
    keys = set(map(str, config)) - {"version"}
    newer = sorted(keys & (frozenset(_NAMES) - _V1_NAMES)) if version == 1 else []
    if newer:
        raise ValueError(
            f"config (version 1) has keys of version {SCHEMA_VERSION}: {newer}; write "
            f"version = {SCHEMA_VERSION} (or leave version out); received version=1"
        )
    names = _V1_NAMES if version == 1 else frozenset(_NAMES)
    valid = {*names, "steps_per_epoch"}
    unknown = sorted(keys - valid)
    if unknown:
        raise ValueError(
            f"config (version {version}) has unknown keys {unknown}; valid keys: "
            f"{sorted(valid | {'version'})}{_did_you_mean(unknown, valid)}"
        )
    missing = sorted({"peak_lr", "total_steps"} - set(config))
    if missing:
        raise ValueError(f"config is missing required keys {missing}")
    return {k: v for k, v in config.items() if k != "version"}


def _at_step(value: object, s: Schedule, minimum: int = 1) -> int:
    """``value`` as a step of ``s`` (an edit's ``at_step``), in ``[minimum, total_steps]``."""
    if not _is_int(value) or not minimum <= value <= s.total_steps:  # type: ignore[operator]
        raise ValueError(
            f"at_step must be an int in [{minimum}, total_steps={s.total_steps}]; received "
            f"at_step={value!r}"
        )
    step: int = int(value)  # type: ignore[call-overload]
    return step


def _did_you_mean(unknown: Sequence[str], valid: set[str]) -> str:
    """``"; did you mean 'x'?"``: the closest valid name to each unknown one (``""``: none)."""
    import difflib

    close = {k: difflib.get_close_matches(k, sorted(valid), n=1) for k in unknown}
    found = [(k, m[0]) for k, m in close.items() if m]
    if not found:
        return ""
    if len(unknown) == 1:
        return f"; did you mean {found[0][1]!r}?"
    return "; did you mean " + ", ".join(f"{m!r} for {k!r}" for k, m in found) + "?"


# -- validation: every rule in one place -------------------------------------------------------


def _validate(given: dict[str, Any], steps_per_epoch: object) -> dict[str, Any]:
    """Check every parameter, resolve durations, and return the stored values."""
    per_epoch = _steps_per_epoch(steps_per_epoch)
    v: dict[str, Any] = {name: _lr(given[name], name) for name in _RATES}
    for name, valid in _CHOICES.items():
        v[name] = _choice(given[name], name, valid)
    for name in ("warmup_power", "power", "cycle_mul", "cycle_decay"):
        v[name] = _positive(given[name], name, "a multiplier or exponent")
    v["timescale"] = _timescale(given["timescale"], v["decay_shape"])
    if not isinstance(given["decay_from_zero"], bool):
        raise TypeError(
            f"decay_from_zero must be a bool; received decay_from_zero={given['decay_from_zero']!r}"
        )
    v["decay_from_zero"] = given["decay_from_zero"]
    v["cycles"] = _cycles(given["cycles"])
    v["edits"] = _edits(given["edits"])
    total = resolve_steps(given["total_steps"], "total_steps", steps_per_epoch=per_epoch, minimum=1)
    if total > MAX_STEPS:
        raise ValueError(
            "total_steps must be < 2**63 (steps are 64-bit integers in NumPy and every "
            f"framework); received total_steps={given['total_steps']!r}"
        )
    v["total_steps"] = total
    for name in ("warmup_steps", "stable_steps", "cycle_warmup_steps", "delay_steps"):
        v[name] = resolve_steps(given[name], name, total_steps=total, steps_per_epoch=per_epoch)
    _check_unused(v, given)
    _check_phases(v, given)
    _check_cycle_rates(v, given)
    return v


_RATES = ("peak_lr", "warmup_start_lr", "final_lr")
_CHOICES = {
    "after": _math.AFTER_POLICIES,
    "warmup_shape": _math.WARMUP_SHAPES,
    "decay_shape": _math.DECAY_SHAPES,
    "cycle_floor": CYCLE_FLOORS,
}


def _steps_per_epoch(value: object) -> int | None:
    if value is None:
        return None
    if not _is_int(value):
        raise TypeError(
            f"steps_per_epoch must be an int >= 1; received steps_per_epoch={value!r} of type "
            f"{type(value).__name__}"
        )
    count: int = int(value)  # type: ignore[call-overload]
    if count < 1:
        raise ValueError(f"steps_per_epoch must be an int >= 1; received steps_per_epoch={value!r}")
    return count


def _timescale(value: object, decay_shape: str) -> float | None:
    needs = _math.SHAPES[decay_shape].param == "timescale"
    if value is None:
        if needs:
            raise ValueError(
                f"decay_shape={decay_shape!r} needs a timescale (tau, in steps, in "
                "final + (peak - final) * (tau / (tau + d))**q); received timescale=None"
            )
        return None
    if not needs:
        raise ValueError(
            f"timescale is only used by decay_shape={_names('repr', param='timescale')}; "
            f"received timescale={value!r} with decay_shape={decay_shape!r}"
        )
    return _positive(value, "timescale", "a number of steps")


def _cycles(value: object) -> int:
    if not _is_int(value):
        raise TypeError(
            f"cycles must be an int >= 1; received cycles={value!r} of type {type(value).__name__}"
        )
    count: int = int(value)  # type: ignore[call-overload]
    if not 1 <= count <= MAX_CYCLES:
        raise ValueError(f"cycles must be between 1 and {MAX_CYCLES}; received cycles={value!r}")
    return count


def _check_cycle_rates(v: dict[str, Any], given: dict[str, Any]) -> None:
    """Every restart's peak and (scaled) floor is a finite rate; checked before any work.

    Cycle ``k`` peaks at ``peak_lr * cycle_decay**k``, and a scaled floor is ``final_lr *
    cycle_decay**(k - cycles + 1)``: both are monotone in ``k``, so the largest of each is at
    one end, and is computed (with its coefficient) exactly as the lowering computes it.
    """
    cycles, d = v["cycles"], v["cycle_decay"]
    if cycles == 1 or d == 1.0:
        return
    k = cycles - 1 if d > 1.0 else 0
    checks = [("peak", "peak_lr", k, k)]
    if v["cycle_floor"] == "scaled":
        k = 0 if d < 1.0 else cycles - 2
        checks.append(("scaled floor", "final_lr", k, k - cycles + 1))
    for what, rate, k, exponent in checks:
        coefficient = _cycle_coefficient(d, exponent)
        value = v[rate] * coefficient if coefficient != 1.0 else v[rate]
        if not math.isfinite(value) or not math.isfinite(coefficient):
            beyond = "which" if math.isfinite(coefficient) else f"cycle_decay**{exponent}"
            raise ValueError(
                f"every restart's {what} must be a finite rate: cycle {k}'s is {rate} * "
                f"cycle_decay**{exponent}, {beyond} is beyond float64; bring cycle_decay "
                f"closer to 1 or use fewer cycles; received {rate}={given[rate]!r}, "
                f"cycle_decay={given['cycle_decay']!r}, cycles={given['cycles']!r}"
            )


_EDIT_KEYS = ("at_step", "shape", "planned_total")
#: The shapes a re-planned decay may take: the decay shapes that reach final_lr.
EDIT_SHAPES = tuple(n for n in _math.DECAY_SHAPES if _math.SHAPES[n].ends)


def _edits(value: object) -> tuple[tuple[int, str, int], ...]:
    """``edits`` as ``(at_step, shape, planned_total)`` triples, each checked in itself."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(
            "edits must be a sequence of (at_step, shape, planned_total) triples; received "
            f"edits={value!r}"
        )
    out: list[tuple[int, str, int]] = []
    for i, item in enumerate(value):
        if len(out) == MAX_EDITS:
            raise ValueError(
                f"edits must hold at most {MAX_EDITS} re-planned decays; received more"
            )
        where = f"edits[{i}]={item!r}"
        triple = item
        if isinstance(item, dict) and set(item) == set(_EDIT_KEYS):
            triple = tuple(item[k] for k in _EDIT_KEYS)
        if (
            not isinstance(triple, (list, tuple))
            or len(triple) != 3
            or not _is_int(triple[0])
            or not isinstance(triple[1], str)
            or not _is_int(triple[2])
        ):
            raise TypeError(
                "each edit must be (at_step, shape, planned_total): an int, a decay shape "
                f"name and an int (or a mapping of those keys); received {where}"
            )
        at, planned = int(triple[0]), int(triple[2])
        if triple[1] not in EDIT_SHAPES:
            names = ", ".join(repr(v) for v in EDIT_SHAPES)
            raise ValueError(
                f"an edit's shape must be one of {names}; received shape={triple[1]!r} in {where}"
            )
        shape: str = triple[1]
        if planned > MAX_STEPS:
            raise ValueError(
                "each edit's planned_total must be < 2**63, like total_steps (steps are 64-bit "
                f"integers in NumPy and every framework); received {where}"
            )
        if not 1 <= at <= planned or (out and at <= out[-1][0]):
            raise ValueError(
                "each edit's at_step must be in [1, planned_total], after the previous edit's; "
                f"received {where}"
            )
        out.append((at, shape, planned))
    return tuple(out)


def _check_unused(v: dict[str, Any], given: dict[str, Any]) -> None:
    """A parameter that the rest of the spec ignores is an error, not silently dropped."""
    for shape_name, power_name in _SHAPE_POWER.items():
        if v[power_name] != 1.0 and _math.SHAPES[v[shape_name]].param != "power":
            raise ValueError(
                f"{power_name} is the exponent of a {_names('words', param='power')} "
                f"{shape_name.split('_')[0]} and has no effect on {shape_name}="
                f"{v[shape_name]!r}; received {power_name}={given[power_name]!r}"
            )
    if v["cycles"] == 1:
        for name in ("cycle_mul", "cycle_decay", "cycle_warmup_steps", "cycle_floor"):
            if v[name] != _DEFAULTS[name]:
                raise ValueError(
                    f"{name} has no effect with cycles=1 (no restarts); received "
                    f"{name}={given[name]!r}"
                )


def _check_edit_ends(v: dict[str, Any], given: dict[str, Any]) -> None:
    """Each re-planned decay ends (at the next edit's planned total, or at the end) after it."""
    edits = v["edits"]
    ends = [e[2] for e in edits[1:]] + [v["total_steps"]]
    for (at, _, _), end in zip(edits, ends[: len(edits)], strict=True):
        if end <= at:
            raise ValueError(
                f"a re-planned decay from step {at} must end after it; received "
                f"edits={given['edits']!r}, total_steps={given['total_steps']!r}"
            )


def _planned_length(v: dict[str, Any], given: dict[str, Any]) -> tuple[int, str, str]:
    """The steps the phases were planned for: to the first edit's plan, after the delay.

    Also that bound in words (``"total_steps - delay_steps"``) and the values it was made of,
    as received, for the messages of the rules it bounds.
    """
    if v["edits"]:
        end: int = v["edits"][0][2]
        words = "the planned_total of the first edit (the total planned before re-planning)"
        shown = f"edits[0] planned_total={end!r}"
    else:
        end, words, shown = v["total_steps"], "total_steps", f"total_steps={given['total_steps']!r}"
    delay = v["delay_steps"]
    if end - delay < 1:
        raise ValueError(
            f"delay_steps must be < {words}; received delay_steps={given['delay_steps']!r}, {shown}"
        )
    if delay:
        words, shown = f"{words} - delay_steps", f"{shown}, delay_steps={given['delay_steps']!r}"
    return end - delay, words, shown


def positive_rates(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The rates that a geometric phase of ``spec`` (its parameters) needs ``> 0``, and why.

    In the order they are checked; adapters whose rates may be arrays check them with it too.
    """
    out: list[tuple[str, str]] = []
    warmups = spec["warmup_steps"] > 0 or (spec["cycles"] > 1 and spec["cycle_warmup_steps"] > 0)
    warmup, decay = spec["warmup_shape"], spec["decay_shape"]
    if _math.SHAPES[warmup].positive and warmups:
        why = f"for warmup_shape={warmup!r} (a geometric ramp between two positive values)"
        out += [("warmup_start_lr", why), ("peak_lr", why)]
    if _math.SHAPES[decay].positive:
        why = f"for decay_shape={decay!r} (a geometric decay between two positive values)"
        out += [("final_lr", why), ("peak_lr", why)]
    edits = [shape for _, shape, _ in spec["edits"] if _math.SHAPES[shape].positive]
    if edits:
        why = (
            f"for an {edits[0]} cooldown or re-planned decay (edits: a geometric decay down to "
            "final_lr)"
        )
        out += [("final_lr", why)]
    return out


def _check_phases(v: dict[str, Any], given: dict[str, Any]) -> None:
    """The rules that relate several parameters (lengths, values, the after policy)."""
    w, stable = v["warmup_steps"], v["stable_steps"]
    base, bound, shown = _planned_length(v, given)
    shape = v["decay_shape"]
    flat = _math.SHAPES[shape].flat
    head = w + stable
    if flat:
        if head > base:
            raise ValueError(
                f"warmup_steps + stable_steps must be <= {bound}; received "
                f"warmup_steps={given['warmup_steps']!r}, stable_steps="
                f"{given['stable_steps']!r}, {shown}"
            )
        if v["final_lr"] not in (0.0, v["peak_lr"]):
            raise ValueError(
                f"final_lr has no effect with decay_shape={shape!r} (the rate stays at "
                f"peak_lr); leave it 0; received final_lr={given['final_lr']!r}"
            )
    elif head >= base:
        what = "warmup_steps" if not stable else "warmup_steps + stable_steps"
        raise ValueError(
            f"{what} must be < {bound}: the {shape} decay needs at least one step; "
            f"received warmup_steps={given['warmup_steps']!r}"
            + (f", stable_steps={given['stable_steps']!r}" if stable else "")
            + f", {shown}"
        )
    if v["final_lr"] > v["peak_lr"] and not flat:
        raise ValueError(
            f"final_lr must be <= peak_lr (the {shape} decay goes down from the peak to "
            f"final_lr); received final_lr={given['final_lr']!r}, peak_lr={given['peak_lr']!r}"
        )
    for name, why in positive_rates(v):
        if v[name] <= 0:
            raise ValueError(f"{name} must be > 0 {why}; received {name}={given[name]!r}")
    _check_edit_ends(v, given)
    if v["after"] == "wrap" and (
        not _math.SHAPES[shape].wraps
        or v["power"] != 1.0
        or v["cycles"] != 1
        or v["decay_from_zero"]
        or v["edits"]
    ):
        # "a cosine decay": the TF-TPU reference's, which the policy is named after
        raise ValueError(
            "after='wrap' continues a cosine decay periodically, like the TF-TPU reference; "
            f"it needs decay_shape={_names('repr', wraps=True)}, power=1, cycles=1, "
            "decay_from_zero=False and no edits; "
            f"received decay_shape={shape!r}, power={v['power']!r}, cycles={v['cycles']!r}, "
            f"decay_from_zero={v['decay_from_zero']!r}, edits={given['edits']!r}"
        )
