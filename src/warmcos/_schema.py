"""The JSON Schema of a schedule config, generated from ``warmcos.schedule.FIELDS``.

The package ships it as ``warmcos/schedule.schema.json`` (for editors: VS Code's YAML
extension, Taplo for TOML, JetBrains IDEs); ``tests/test_config_files.py`` checks that the
file is exactly what :func:`json_schema` returns. After a change to ``FIELDS``, rewrite it::

    python -c "from warmcos._schema import write; write()"
"""

from __future__ import annotations

from .schedule import EDIT_SHAPES, FIELDS, MAX_CYCLES, SCHEMA_VERSION

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .schedule import Field

__all__ = ["SCHEMA_FILE", "json_schema", "text", "write"]

#: The shipped schema's name, next to this module.
SCHEMA_FILE = "schedule.schema.json"

_NUMBER = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
#: Durations written as text (:mod:`warmcos.units`): steps, a percentage, epochs.
_DURATION_TEXT = rf"^\s*(?:[0-9]+|{_NUMBER}%|{_NUMBER}ep)\s*$"
#: ``total_steps`` as text: steps or epochs (a percentage of itself means nothing).
_TOTAL_TEXT = rf"^\s*(?:[0-9]+|{_NUMBER}ep)\s*$"


def _duration(f: Field) -> dict[str, Any]:
    if f.name == "total_steps":
        return {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": _TOTAL_TEXT},
            ]
        }
    return {
        "anyOf": [
            {"type": "integer", "minimum": 0},
            {"type": "number", "minimum": 0, "exclusiveMaximum": 1},  # a fraction of the total
            {"type": "string", "pattern": _DURATION_TEXT},
        ]
    }


def _edits() -> dict[str, Any]:
    step = {"type": "integer", "minimum": 1}
    shape = {"enum": list(EDIT_SHAPES)}
    return {
        "type": "array",
        "items": {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {"at_step": step, "shape": shape, "planned_total": step},
                    "required": ["at_step", "shape", "planned_total"],
                    "additionalProperties": False,
                },
                {
                    "type": "array",
                    "prefixItems": [step, shape, step],
                    "minItems": 3,
                    "items": False,
                },
            ]
        },
    }


def _property(f: Field) -> dict[str, Any]:
    """The schema of one field: its type and range, its description and its default."""
    kinds: dict[str, Any] = {
        "lr": lambda: {"type": "number", "minimum": 0},
        "duration": lambda: _duration(f),
        "choice": lambda: {"enum": list(f.choices or ())},
        "real": lambda: {"type": "number", "exclusiveMinimum": 0},
        "optional_real": lambda: {"type": ["number", "null"], "exclusiveMinimum": 0},
        "int": lambda: {"type": "integer", "minimum": 1, "maximum": MAX_CYCLES},
        "bool": lambda: {"type": "boolean"},
        "edits": _edits,
    }
    out: dict[str, Any] = {"description": f.help, **kinds[f.kind]()}
    if not f.required:
        out["default"] = list(f.default) if isinstance(f.default, tuple) else f.default
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the config that :meth:`Schedule.from_dict` reads.

    Generated from ``FIELDS`` (``warmcos.schedule``): every key with its type, range,
    choices, default and one-line description; ``peak_lr`` and ``total_steps`` required;
    no other keys; a config of ``version`` 1 limited to that version's keys. Rules that
    relate several keys (``warmup_steps < total_steps``, a floor below the peak) are checked
    by the :class:`~warmcos.Schedule` constructor, not here.

    >>> import warmcos
    >>> schema = warmcos.json_schema()
    >>> schema["required"], schema["properties"]["decay_shape"]["enum"][:3]
    (['peak_lr', 'total_steps'], ['linear', 'cosine', 'polynomial'])
    """
    properties: dict[str, Any] = {
        "version": {
            "description": f"the config schema (1: warmcos 0.1; {SCHEMA_VERSION}, the default: "
            "this release)",
            "enum": [1, SCHEMA_VERSION],
            "default": SCHEMA_VERSION,
        }
    }
    properties.update((f.name, _property(f)) for f in FIELDS)
    properties["steps_per_epoch"] = {
        "description": "optimizer updates per epoch, for durations given in epochs ('2ep')",
        "type": "integer",
        "minimum": 1,
    }
    version_1 = ["version", *(f.name for f in FIELDS if f.version == 1), "steps_per_epoch"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "warmcos schedule",
        "description": "A learning-rate schedule: the arguments of warmcos.Schedule "
        "(warmcos.load reads it from JSON, TOML or YAML).",
        "type": "object",
        "properties": properties,
        "required": [f.name for f in FIELDS if f.required],
        "additionalProperties": False,
        "if": {"properties": {"version": {"const": 1}}, "required": ["version"]},
        "then": {"propertyNames": {"enum": version_1}},
    }


def text() -> str:
    """The schema file's content: :func:`json_schema` as indented JSON, ending in a newline."""
    import json

    return json.dumps(json_schema(), indent=2) + "\n"


def write() -> None:  # pragma: no cover - run by hand after a change to FIELDS
    """Rewrite the shipped ``schedule.schema.json`` next to this module."""
    from pathlib import Path

    Path(__file__).with_name(SCHEMA_FILE).write_text(text(), encoding="utf-8")
