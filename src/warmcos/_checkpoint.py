"""The checkpoints of :class:`warmcos.torch.WarmcosLR`: its ``state_dict`` and resume policies.

Plain Python values only (``torch.load(weights_only=True)`` reads them), and no torch here:
a state holds the step and the schedule spec; resuming applies a policy (docs/pytorch.md) to
a saved spec that differs from the scheduler's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._load import from_dict
from ._value import ScheduleValue
from .compose import Composition
from .schedule import Schedule

#: A template or a composition: what a param group follows.
Value = Schedule | Composition
#: One schedule (scaled per group when ``relative``), or one per group.
Spec = Value | tuple[Value, ...]
#: What a scheduler follows: ``(relative, spec, group_schedules)``.
Followed = tuple[bool, Spec, tuple[Value, ...]]

#: The ``format`` key written by :meth:`WarmcosLR.state_dict`, and its version.
FORMAT = "warmcos.torch.WarmcosLR"
VERSION = 1
KEYS = frozenset({"format", "version", "step", "relative", "schedule", "group_schedules"})


def state(step: int, relative: bool, spec: Spec, groups: tuple[Value, ...]) -> dict[str, Any]:
    """The state of a scheduler at ``step`` (see :meth:`WarmcosLR.state_dict`)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "step": step,
        "relative": relative,
        "schedule": (
            spec.to_dict() if isinstance(spec, ScheduleValue) else [s.to_dict() for s in spec]
        ),
        "group_schedules": [s.to_dict() for s in groups],
    }


def resume(state: object, policy: str, current: Followed) -> tuple[int, Followed]:
    """The saved step and what to follow from it, under ``policy``; nothing is changed.

    Raises:
        ValueError: see :meth:`WarmcosLR.load_state_dict`; and a step past the end of a
            schedule with ``after="raise"`` (the core's error).
    """
    step, saved_spec, relative, saved = read(state)
    resumed = current
    _, _, groups = current
    if policy != "new":
        if len(saved) != len(groups):
            raise ValueError(
                f"the checkpoint's WarmcosLR has {len(saved)} param groups, this one "
                f"{len(groups)}; resume={policy!r} needs the same groups"
            )
        if policy == "check":
            diffs = differences(saved, groups)
            if diffs:
                raise ValueError(
                    "the schedule differs from the checkpoint's (resume='check'):\n  "
                    + "\n  ".join(diffs)
                    + "\nPass resume='new' to keep the new schedule from the saved step, "
                    "resume='checkpoint' to continue the saved one, or resume='replan' to "
                    "continue the saved one re-planned to the new total_steps."
                )
        elif policy == "replan":
            ends = {s.total_steps for s in saved}
            if step > min(ends):
                raise ValueError(
                    "resume='replan' continues the saved schedule from the saved step, which "
                    f"must be <= its total_steps={min(ends)}; received step={step}"
                )
            totals = [s.total_steps for s in groups]
            replanned = [s.replan(step, t) for s, t in zip(saved, totals, strict=True)]
            spec: Spec = (
                saved_spec.replan(step, totals[0])
                if isinstance(saved_spec, ScheduleValue)
                else tuple(replanned)
            )
            resumed = (relative, spec, tuple(replanned))
        else:
            resumed = (relative, saved_spec, saved)
    for s in dict.fromkeys(resumed[2]):
        if s.after == "raise":
            s(step)  # past its end: the core's ValueError, before anything changes
    return step, resumed


def read(
    state: object,
) -> tuple[int, Spec, bool, tuple[Value, ...]]:
    """Validate a :meth:`WarmcosLR.state_dict` and rebuild its schedules.

    Each mapping is read by :func:`warmcos._load.from_dict`: a template's or a composition's.
    """
    if not isinstance(state, Mapping) or state.get("format") != FORMAT:
        kind = sorted(state, key=str) if isinstance(state, Mapping) else type(state).__name__
        raise ValueError(
            "state_dict is not a WarmcosLR state (its 'format' must be "
            f"{FORMAT!r}); received {kind}"
        )
    if state.get("version") != VERSION:
        raise ValueError(
            f"WarmcosLR state version must be {VERSION}; received version={state.get('version')!r}"
        )
    if set(state) != KEYS:
        raise ValueError(
            f"WarmcosLR state must have the keys {sorted(KEYS)}; received {sorted(state, key=str)}"
        )
    step = state["step"]
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise ValueError(f"WarmcosLR state step must be an int >= 0; received step={step!r}")
    relative = state["relative"]
    if not isinstance(relative, bool):
        raise ValueError(f"WarmcosLR state relative must be a bool; received relative={relative!r}")
    raw, listed = state["schedule"], state["group_schedules"]
    for name, value in (("schedule", raw), ("group_schedules", listed)):
        configs = [value] if name == "schedule" and isinstance(value, Mapping) else value
        if not isinstance(configs, (list, tuple)) or not all(
            isinstance(c, Mapping) for c in configs
        ):
            what = (
                "a Schedule.to_dict() mapping or a list of them"
                if name == "schedule"
                else ("a list of Schedule.to_dict() mappings")
            )
            raise ValueError(f"WarmcosLR state {name} must be {what}; received {name}={value!r}")
    spec: Spec = from_dict(raw) if isinstance(raw, Mapping) else tuple(map(from_dict, raw))
    groups = tuple(from_dict(d) for d in listed)
    return step, spec, relative, groups


def differences(saved: Sequence[Value], new: Sequence[Value]) -> list[str]:
    """One line per field that differs, naming the param groups where it does.

    A template and a composition differ in their kind (one line), not field by field.
    """
    found: dict[tuple[str, object, object], list[int]] = {}
    for g, (old, cur) in enumerate(zip(saved, new, strict=True)):
        if type(old) is not type(cur):
            found.setdefault(("kind", type(old).__name__, type(cur).__name__), []).append(g)
            continue
        for key, (was, now) in old.diff(cur).items():  # type: ignore[arg-type]
            found.setdefault((key, was, now), []).append(g)
    return [
        f"{key}: checkpoint {old!r}, new {cur!r} (param group{'s' if len(gs) > 1 else ''} "
        f"{', '.join(map(str, gs))})"
        for (key, old, cur), gs in found.items()
    ]
