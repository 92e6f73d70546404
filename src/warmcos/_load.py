"""One entry for every schedule file and mapping: a template or a composition, by content.

:func:`from_dict` reads a mapping as what it holds: one with a ``segments`` key is a
:class:`~warmcos.Composition` (its :meth:`~warmcos.Composition.to_dict`), any other a
:class:`~warmcos.Schedule` (version-2 files included). :func:`warmcos.load` and the CLI read
every file through it, so no caller branches on the kind itself.

>>> from warmcos import Composition, Schedule
>>> c = Composition.piecewise([3], [1.0, 0.5])
>>> from_dict(c.to_dict()) == c, from_dict(Schedule(0.1, 10).to_dict()) == Schedule(0.1, 10)
(True, True)
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

    from .compose import Composition
    from .schedule import Schedule

__all__ = ["from_dict", "is_composition", "load"]

#: The key only a composition's mapping has.
_MARK = "segments"


def is_composition(config: object) -> bool:
    """Whether ``config`` is a composition's mapping (it has a ``segments`` key)."""
    return hasattr(config, "keys") and _MARK in config  # type: ignore[operator]


def from_dict(config: Mapping[str, Any]) -> Schedule | Composition:
    """A :class:`~warmcos.Schedule` or a :class:`~warmcos.Composition`, by the mapping's keys.

    Raises:
        TypeError, ValueError: as the chosen class's ``from_dict`` raises them.
    """
    if is_composition(config):
        from .compose import Composition

        return Composition.from_dict(config)
    from .schedule import Schedule

    return Schedule.from_dict(config)


def load(path: str | Path) -> Schedule | Composition:
    """Read a schedule or a composition from a ``.json``, ``.toml`` or ``.yaml``/``.yml`` file.

    The file holds :meth:`Schedule.to_dict <warmcos.Schedule.to_dict>`'s mapping or
    :meth:`Composition.to_dict <warmcos.Composition.to_dict>`'s (a ``segments`` key), read
    with the same safe reader (``warmcos.schedule.read_config``: UTF-8 text, a leading
    byte-order mark allowed, YAML with the safe loader and YAML 1.2 numbers, TOML with
    :mod:`tomllib`, duplicate keys refused in every format).

    Raises:
        ValueError: the file cannot be read or parsed, is not UTF-8 text, is too large or
            empty, holds no mapping, has an unknown suffix, or holds an invalid schedule.
        TypeError: a value of the wrong kind in a composition.
    """
    from ._files import read_config

    return from_dict(read_config(path))
