"""The checkpoints of :class:`warmcos.torch.WarmcosLR`: its ``state_dict`` and resume policies.

Plain Python values only (``torch.load(weights_only=True)`` reads them), and no torch here:
a state holds the step and the schedule spec (and, for the other param-group keys it drives,
each key's); resuming applies a policy (docs/pytorch.md) to a saved spec that differs from the
scheduler's.
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
#: A param group's schedule for one key, or ``None`` where the key is not driven in it.
Slot = Value | None
#: What a scheduler follows for one key: ``(relative, spec, group_schedules)``; the lr's
#: ``spec`` and ``group_schedules`` never hold ``None``.
Followed = tuple[bool, Value | tuple[Slot, ...], tuple[Slot, ...]]
#: The other param-group keys a scheduler drives, each with what it follows.
Hyper = dict[str, Followed]

#: The ``format`` key written by :meth:`WarmcosLR.state_dict`, and its version. A state has
#: the keys :data:`KEYS`, and ``"hyper"`` (the other keys' schedules) only when other keys are
#: driven: an lr-only state is what every release wrote, and a release before ``hyper`` refuses
#: a state with it by its keys.
FORMAT = "warmcos.torch.WarmcosLR"
VERSION = 1
KEYS = frozenset({"format", "version", "step", "relative", "schedule", "group_schedules"})
TRACK_KEYS = ("relative", "schedule", "group_schedules")


def state(step: int, current: Followed, hyper: Hyper) -> dict[str, Any]:
    """The state of a scheduler at ``step`` (see :meth:`WarmcosLR.state_dict`)."""
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    out |= {"step": step, **_track(current)}
    if hyper:
        out["hyper"] = {key: _track(followed) for key, followed in hyper.items()}
    return out


def _track(followed: Followed) -> dict[str, Any]:
    relative, spec, groups = followed
    return {
        "relative": relative,
        "schedule": spec.to_dict() if isinstance(spec, ScheduleValue) else _dicts(spec),
        "group_schedules": _dicts(groups),
    }


def _dicts(schedules: Sequence[Slot]) -> list[dict[str, Any] | None]:
    return [None if s is None else s.to_dict() for s in schedules]


def resume(
    state: object, policy: str, current: Followed, hyper: Hyper
) -> tuple[int, Followed, Hyper]:
    """The saved step and what to follow from it, for the lr and each key, under ``policy``.

    Nothing is changed.

    Raises:
        ValueError: see :meth:`WarmcosLR.load_state_dict`; and a step past the end of a
            schedule with ``after="raise"`` (the core's error).
    """
    step, saved, saved_hyper = read(state)
    if policy == "new":
        resumed, resumed_hyper = current, hyper
    else:
        if saved_hyper.keys() != hyper.keys():
            raise ValueError(
                f"the checkpoint's WarmcosLR drives the keys {_keys(saved_hyper)} besides the "
                f"lr, this one {_keys(hyper)}; resume={policy!r} needs the same keys (pass "
                "resume='new' to drive the new ones from the saved step)"
            )
        tracks = {"lr": (saved, current), **{k: (saved_hyper[k], hyper[k]) for k in hyper}}
        if policy == "check":
            diffs = [
                line
                for key, (old, new) in tracks.items()
                for line in _differences(key, old, new, policy, bool(hyper))
            ]
            if diffs:
                raise ValueError(
                    "the schedule differs from the checkpoint's (resume='check'):\n  "
                    + "\n  ".join(diffs)
                    + "\nPass resume='new' to keep the new schedule from the saved step, "
                    "resume='checkpoint' to continue the saved one, or resume='replan' to "
                    "continue the saved one re-planned to the new total_steps."
                )
        out = {
            key: _adopt(key, step, old, new, policy=policy, named=bool(hyper))
            for key, (old, new) in tracks.items()
        }
        resumed = out.pop("lr")
        resumed_hyper = out
    for followed in (resumed, *resumed_hyper.values()):
        for s in dict.fromkeys(followed[2]):
            if s is not None and s.after == "raise":
                s(step)  # past its end: the core's ValueError, before anything changes
    return step, resumed, resumed_hyper


def _keys(hyper: Hyper) -> str:
    return repr(sorted(hyper)) if hyper else "none"


def _differences(key: str, saved: Followed, new: Followed, policy: str, named: bool) -> list[str]:
    """The check's lines for one key (prefixed with the key when several are driven)."""
    _groups_match(key, saved[2], new[2], policy, named)
    prefix = f"{key}: " if named else ""
    return [prefix + line for line in differences(saved[2], new[2])]


def _groups_match(
    key: str, saved: Sequence[Slot], new: Sequence[Slot], policy: str, named: bool
) -> None:
    if len(saved) != len(new):
        what = f" for {key!r}" if named else ""
        raise ValueError(
            f"the checkpoint's WarmcosLR has {len(saved)} param groups{what}, this one "
            f"{len(new)}; resume={policy!r} needs the same groups"
        )


def _adopt(
    key: str, step: int, saved: Followed, current: Followed, *, policy: str, named: bool
) -> Followed:
    """What one key follows after a ``"check"``, ``"checkpoint"`` or ``"replan"`` resume."""
    _groups_match(key, saved[2], current[2], policy, named)
    if policy == "check":
        return current
    relative, saved_spec, old = saved
    if policy == "checkpoint":
        return saved
    what = f" of {key!r}" if named else ""
    if [s is None for s in old] != [s is None for s in current[2]]:
        raise ValueError(
            f"resume='replan' needs the checkpoint to drive {key!r} in the same param groups "
            "as this scheduler (pass resume='checkpoint' or resume='new')"
        )
    ends = [s.total_steps for s in old if s is not None]
    if ends and step > min(ends):
        raise ValueError(
            f"resume='replan' continues the saved schedule{what} from the saved step, which "
            f"must be <= its total_steps={min(ends)}; received step={step}"
        )
    totals = [None if s is None else s.total_steps for s in current[2]]
    replanned = tuple(
        None if s is None or t is None else s.replan(step, t)
        for s, t in zip(old, totals, strict=True)
    )
    first = next(t for t in totals if t is not None)
    spec = saved_spec.replan(step, first) if isinstance(saved_spec, ScheduleValue) else replanned
    return relative, spec, replanned


def read(state: object) -> tuple[int, Followed, Hyper]:
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
    if set(state) - {"hyper"} != KEYS:
        raise ValueError(
            f"WarmcosLR state must have the keys {sorted(KEYS)} (and 'hyper' when other keys "
            f"are driven); received {sorted(state, key=str)}"
        )
    step = state["step"]
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise ValueError(f"WarmcosLR state step must be an int >= 0; received step={step!r}")
    tracks: Hyper = {}
    if "hyper" in state:
        hyper = state["hyper"]
        if not (isinstance(hyper, Mapping) and hyper and all(isinstance(k, str) for k in hyper)):
            raise ValueError(
                "WarmcosLR state hyper must be a non-empty mapping from param-group keys to "
                f"their schedules; received hyper={hyper!r}"
            )
        tracks = {key: _read_track(key, value) for key, value in hyper.items()}
    return step, _read_track(None, state), tracks


def _read_track(key: str | None, track: object) -> Followed:
    """One key's ``relative``, ``schedule`` and ``group_schedules``; ``None`` entries for a key."""
    where = "WarmcosLR state" if key is None else f"WarmcosLR state hyper[{key!r}]"
    if key is not None and (not isinstance(track, Mapping) or set(track) != set(TRACK_KEYS)):
        raise ValueError(f"{where} must have the keys {sorted(TRACK_KEYS)}; received {track!r}")
    assert isinstance(track, Mapping)  # the state itself, or checked above
    relative = track["relative"]
    if not isinstance(relative, bool):
        raise ValueError(f"{where} relative must be a bool; received relative={relative!r}")
    raw, listed = track["schedule"], track["group_schedules"]
    for name, value in (("schedule", raw), ("group_schedules", listed)):
        configs = [value] if name == "schedule" and isinstance(value, Mapping) else value
        if not isinstance(configs, (list, tuple)) or not all(
            isinstance(c, Mapping) or (key is not None and c is None) for c in configs
        ):
            what = (
                "a Schedule.to_dict() mapping or a list of them"
                if name == "schedule"
                else ("a list of Schedule.to_dict() mappings")
            )
            raise ValueError(f"{where} {name} must be {what}; received {name}={value!r}")
    spec = from_dict(raw) if isinstance(raw, Mapping) else tuple(map(_slot, raw))
    return relative, spec, tuple(map(_slot, listed))


def _slot(config: Mapping[str, Any] | None) -> Slot:
    return None if config is None else from_dict(config)


def differences(saved: Sequence[Slot], new: Sequence[Slot]) -> list[str]:
    """One line per field that differs, naming the param groups where it does.

    A template and a composition differ in their kind (one line), not field by field; so do
    a schedule and ``None`` (a key not driven in that group).
    """
    found: dict[tuple[str, object, object], list[int]] = {}
    for g, (old, cur) in enumerate(zip(saved, new, strict=True)):
        if old is None and cur is None:
            continue
        if old is None or cur is None or type(old) is not type(cur):
            found.setdefault(("kind", _kind(old), _kind(cur)), []).append(g)
            continue
        for key, (was, now) in old.diff(cur).items():  # type: ignore[arg-type]
            found.setdefault((key, was, now), []).append(g)
    return [
        f"{key}: checkpoint {old!r}, new {cur!r} (param group{'s' if len(gs) > 1 else ''} "
        f"{', '.join(map(str, gs))})"
        for (key, old, cur), gs in found.items()
    ]


def _kind(schedule: Slot) -> str:
    return "not driven" if schedule is None else type(schedule).__name__
