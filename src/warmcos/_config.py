"""A schedule's config (:meth:`Schedule.to_dict`) as JSON, TOML or YAML text.

The config is one table of numbers, strings, booleans, and (for ``edits``) arrays of small
tables, so TOML and YAML are written here, with no writer dependency; ``None`` values are
left out (they are the defaults), and every float is written so that TOML, JSON and PyYAML
(YAML 1.1, which reads ``1e-05`` as a string) read back the same float.
:meth:`Schedule.to_toml`, :meth:`Schedule.to_yaml` and the ``warmcos`` command write with it.
"""

from __future__ import annotations

import json
import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = ["FORMATS", "dumps"]

#: The config formats by file suffix (what :func:`warmcos.load` reads).
FORMATS = {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}


def _scalar(value: Any, sep: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a config cannot hold the non-finite value {value!r}")
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        if e and "." not in mantissa:  # YAML 1.1 reads 1e-05 as a string, 1.0e-05 as a float
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, str):
        return json.dumps(value)  # a basic string in TOML, a double-quoted scalar in YAML
    if isinstance(value, (list, tuple)):  # an array in TOML, a flow sequence in YAML
        return "[" + ", ".join(_scalar(v, sep) for v in value) + "]"
    if isinstance(value, dict):  # an inline table in TOML, a flow mapping in YAML
        return "{" + ", ".join(f"{k}{sep}{_scalar(v, sep)}" for k, v in value.items()) + "}"
    raise TypeError(f"a config cannot hold {value!r} of type {type(value).__name__}")


def dumps(config: Mapping[str, Any], fmt: str) -> str:
    """``config`` as ``fmt`` (``"json"``, ``"toml"`` or ``"yaml"``) text, one key a line."""
    if fmt == "json":
        return json.dumps(config, indent=2) + "\n"
    if fmt not in ("toml", "yaml"):
        raise ValueError(f"format must be one of 'json', 'toml', 'yaml'; received format={fmt!r}")
    sep = " = " if fmt == "toml" else ": "
    return "".join(f"{key}{sep}{_scalar(v, sep)}\n" for key, v in config.items() if v is not None)
