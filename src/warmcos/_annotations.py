"""A stand-in for :mod:`warmcos.types` in annotations, so that ``import warmcos`` stays cheap.

The modules that ``import warmcos`` loads must not import :mod:`typing` (issue 8: it and what
it imports cost more than the rest of warmcos), yet their annotations name ``Literal`` types
and ``Any``. They write them as ``_t.WarmupShape``, ``_t.Any``, with::

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from . import types as _t  # what type checkers read
    else:
        from . import _annotations as _t  # this module: warmcos.types on first use

Annotations are strings (``from __future__ import annotations``), so nothing is looked up
until a tool evaluates them (``typing.get_type_hints``, jsonargparse, pydantic): then the
attribute access lands here and imports :mod:`warmcos.types`.
"""

from __future__ import annotations


def __getattr__(name: str) -> object:
    from . import types

    return getattr(types, name)
