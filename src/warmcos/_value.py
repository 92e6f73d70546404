"""What every schedule value shares: a curve, files, pictures, equality and immutability.

:class:`~warmcos.Schedule` (the template) and :class:`~warmcos.Composition` are immutable
values lowered to one phase table. What follows from that alone is written once, here: the
whole curve as a NumPy array, the text forms of :meth:`to_dict` (JSON, TOML, YAML) and their
readers, equality and hashing by value, and the pictures. Each class supplies its parameters
(``to_dict``/``from_dict``, ``_key``) and its evaluation (``_formula``, ``_fold``).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any, TypeVar

    from . import types as _t
    from ._xp import Bounds, Namespace

    _V = TypeVar("_V", bound="ScheduleValue")


class ScheduleValue:
    """The base of :class:`~warmcos.Schedule` and :class:`~warmcos.Composition`."""

    __slots__ = ()

    if TYPE_CHECKING:
        total_steps: int
        after: str

        def _formula(self, xp: Namespace, s: Any, bounds: Bounds | None) -> Any: ...
        def _fold(self, step: int) -> int: ...
        def _key(self) -> object: ...
        def _fields(self) -> dict[str, Any]: ...
        def to_dict(self) -> dict[str, Any]: ...
        @classmethod
        def from_dict(cls: type[_V], config: Mapping[str, Any]) -> _V: ...

    # -- the whole curve -------------------------------------------------------------------

    def curve(self, start: int | None = None, stop: int | None = None) -> _t.FloatArray:
        """The rate at steps ``start .. stop - 1`` as a NumPy float64 array.

        Like ``range``: ``curve()`` is the whole schedule, steps ``0 .. total_steps``
        (the final value included); ``curve(n)`` is steps ``0 .. n - 1``; ``curve(a, b)`` is
        steps ``a .. b - 1``. Evaluated blockwise, without materialising the steps.

        Example:
            >>> from warmcos import Schedule
            >>> Schedule(peak_lr=0.1, total_steps=4).curve().round(6).tolist()
            [0.1, 0.085355, 0.05, 0.014645, 0.0]
            >>> Schedule(peak_lr=0.1, total_steps=4).curve(2, 4).round(6).tolist()
            [0.05, 0.014645]
        """
        from ._spec import _is_int
        from ._xp import numpy_namespace

        if stop is None:
            first, last = 0, (self.total_steps + 1 if start is None else start)
            names = ("stop", "stop")
        else:
            first, last = (0 if start is None else start), stop
            names = ("start", "stop")
        for name, value in zip(names, (first, last), strict=True):
            if not _is_int(value) or value < 0:
                raise ValueError(f"curve() {name} must be an int >= 0; received {name}={value!r}")
        first, last = int(first), int(last)
        if last < first:
            raise ValueError(f"curve() needs start <= stop; received start={first}, stop={last}")
        values: _t.FloatArray = numpy_namespace().evaluate_range(
            first,
            last,
            self._formula,
            total_steps=self.total_steps,
            past_end=self.after == "raise",
            fold=self._fold,
        )
        return values

    def _values(self, start: int, stop: int) -> list[float]:
        """``curve(start, stop)`` as Python floats, cut after ``total_steps`` for "raise".

        For adapters that evaluate steps ahead, in chunks (``warmcos.torch``): with
        ``after="raise"`` the steps past the end have no value, so the list is shorter (empty
        past the end).
        """
        if self.after == "raise":
            stop = max(start, min(stop, self.total_steps + 1))
        values: list[float] = self.curve(start, stop).tolist()
        return values

    def diff(self: _V, other: _V) -> dict[str, tuple[Any, Any]]:
        """The parameters that differ from ``other``'s, as ``{name: (mine, other's)}``.

        A template's are its constructor arguments, a composition's the keys of its
        :meth:`to_dict` (a checkpoint's resume check lists them).

        >>> from warmcos import Composition, Schedule, Segment
        >>> Schedule(0.1, 100).diff(Schedule(0.1, 200))
        {'total_steps': (100, 200)}
        >>> Composition([Segment(10, 1.0)]).diff(Composition([Segment(10, 1.0)], every=2))
        {'every': (1, 2)}
        """
        if type(other) is not type(self):
            raise TypeError(
                f"diff() compares with a {type(self).__name__}; received {other!r} of type "
                f"{type(other).__name__}"
            )
        mine, theirs = self._fields(), other._fields()
        return {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs[k]}

    # -- text forms of to_dict -----------------------------------------------------------------

    def to_json(self, *, indent: int | None = None) -> str:
        """:meth:`to_dict` as JSON text (floats keep every digit); ``indent`` as in ``json``."""
        import json

        return json.dumps(self.to_dict(), indent=indent)

    def to_toml(self) -> str:
        """:meth:`to_dict` as a TOML document, one key a line, that ``load`` reads back.

        Floats keep every digit; ``None`` is left out, since TOML has no null; lists of
        mappings (edits, segments, factors) are inline tables.

        >>> from warmcos import Schedule
        >>> print(Schedule(peak_lr=3e-4, total_steps=1000, warmup_steps=50).to_toml())
        version = 2
        peak_lr = 0.0003
        total_steps = 1000
        warmup_steps = 50
        ...
        edits = []
        <BLANKLINE>
        """
        from ._config import dumps

        return dumps(self.to_dict(), "toml")

    def to_yaml(self) -> str:
        """:meth:`to_dict` as a YAML document, one key a line, that ``load`` reads back.

        Written without PyYAML; floats are spelt so that YAML 1.1 readers (PyYAML) and YAML
        1.2 readers read the same number (``1.0e-05``, not ``1e-05``, which YAML 1.1 reads as
        a string); ``None`` is left out.

        >>> from warmcos import Schedule
        >>> print(Schedule(peak_lr=1e-5, total_steps=1000).to_yaml())
        version: 2
        peak_lr: 1.0e-05
        total_steps: 1000
        ...
        """
        from ._config import dumps

        return dumps(self.to_dict(), "yaml")

    @classmethod
    def from_json(cls: type[_V], text: str) -> _V:
        """Rebuild a value from :meth:`to_json`'s output (with :meth:`from_dict`)."""
        from ._files import _parse_json

        what = cls.__name__.lower()
        return cls.from_dict(_parse_json(text, f"{what} JSON is not valid JSON"))

    @classmethod
    def load(cls: type[_V], path: str | Path) -> _V:
        """Read a value from a ``.json``, ``.toml`` or ``.yaml``/``.yml`` file.

        Read as :func:`warmcos.load` reads one: the same safe reader
        (``warmcos.schedule.read_config``), then :meth:`from_dict`.
        """
        from ._files import read_config

        return cls.from_dict(read_config(path))

    # -- the value object ----------------------------------------------------------------------

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._key() == other._key())

    def __hash__(self) -> int:
        return hash(self._key())

    # -- pictures (the code is in warmcos.plotting) --------------------------------------------

    def plot(self, ax: Any = None, **options: Any) -> Any:
        """Draw it on a matplotlib ``Axes``: :func:`warmcos.plot` for this schedule.

        ``options``: ``start``, ``stop``, ``log``, ``title``, ``samples``. Returns the Axes.
        """
        from .plotting import plot

        return plot(self, ax, **options)  # type: ignore[arg-type]

    def _repr_png_(self) -> bytes | None:
        """Jupyter's picture; ``None`` (text) where matplotlib is missing."""
        from .plotting import repr_png

        return repr_png(self)  # type: ignore[arg-type]
