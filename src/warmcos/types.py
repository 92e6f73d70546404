"""Type aliases of warmcos's parameters: the names of shapes and policies as ``Literal`` types.

:class:`~warmcos.Schedule`'s signature is written with these, so type checkers reject a
misspelt shape (``decay_shape="cosin"``) and tools that read annotations at run time
(``typing.get_type_hints``, jsonargparse and LightningCLI, pydantic, hydra-zen, cyclopts)
see the valid values. Each ``Literal`` lists the same names, in the same order, as the
registry that the validation reads (``warmcos._math.SHAPES`` and friends); a test checks
that they stay equal.

``import warmcos`` does not import this module (it imports :mod:`typing`): the annotations
of ``warmcos.schedule`` name it through a stand-in that imports it when an annotation is
first evaluated.

>>> import typing
>>> from warmcos.types import DecayShape
>>> typing.get_args(DecayShape)[:3]
('linear', 'cosine', 'polynomial')
"""

from __future__ import annotations

from fractions import Fraction as Fraction  # noqa: PLC0414 - for annotations (compose.py)
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from ._rates import Rated as Rated  # noqa: PLC0414 - for annotations (Schedule.with_rates)
from .units import Duration

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    #: A NumPy float64 array (:meth:`~warmcos.Schedule.curve`); ``Any`` without NumPy.
    FloatArray = NDArray[np.float64]
else:
    try:
        import numpy as np
        from numpy.typing import NDArray
    except ModuleNotFoundError:  # the core needs no NumPy; neither do its annotations
        FloatArray = Any
    else:
        FloatArray = NDArray[np.float64]

__all__ = [
    "AfterPolicy",
    "Any",
    "CycleFloor",
    "DecayShape",
    "Duration",
    "EditShape",
    "FloatArray",
    "PeakSource",
    "ResumePolicy",
    "ScheduleLike",
    "WarmupShape",
]

#: The ``after`` policies (``warmcos._math.AFTER_POLICIES``).
AfterPolicy = Literal["hold", "wrap", "raise"]

#: The ``warmup_shape`` names (``warmcos._math.WARMUP_SHAPES``).
WarmupShape = Literal["linear", "cosine", "polynomial", "exponential", "1-sqrt", "log"]

#: The ``decay_shape`` names (``warmcos._math.DECAY_SHAPES``).
DecayShape = Literal[
    "linear",
    "cosine",
    "polynomial",
    "exponential",
    "1-sqrt",
    "tanh",
    "inverse_sqrt",
    "inverse_time",
    "constant",
]

#: The shapes of a re-planned decay (``warmcos.schedule.EDIT_SHAPES``): the decays that end.
EditShape = Literal["linear", "cosine", "polynomial", "exponential", "1-sqrt", "tanh"]

#: The ``cycle_floor`` choices (``warmcos.schedule.CYCLE_FLOORS``).
CycleFloor = Literal["fixed", "scaled"]

#: Which peak wins in ``warmcos.torch.WarmcosLR(peak=...)`` (``warmcos.torch.PEAK_SOURCES``).
PeakSource = Literal["optimizer", "schedule"]

#: The ``resume`` policies of ``warmcos.torch.WarmcosLR`` (``warmcos.torch.RESUME_POLICIES``).
ResumePolicy = Literal["check", "new", "checkpoint", "replan"]


@runtime_checkable
class ScheduleLike(Protocol):
    """What :class:`~warmcos.Schedule` and :class:`~warmcos.Composition` both are.

    A value object (immutable, equal by value, picklable) with a value at every step: what
    code that takes either a template or a composition may rely on.

    >>> from warmcos import Composition, Schedule, Segment
    >>> isinstance(Schedule(0.1, 100), ScheduleLike)
    True
    >>> isinstance(Composition([Segment(10, 0.1)]), ScheduleLike)
    True
    """

    @property
    def total_steps(self) -> int:
        """The step where the last phase ends (the ``after`` policy decides beyond)."""

    @property
    def after(self) -> str:
        """Past ``total_steps``: ``"hold"``, ``"wrap"`` or ``"raise"``."""

    def __call__(self, step: Any) -> Any:
        """The value at ``step``: a number, or an array of steps of any supported kind."""

    def curve(self, start: int | None = None, stop: int | None = None) -> Any:
        """The values at steps ``start .. stop - 1`` as a NumPy float64 array."""

    def describe(self) -> tuple[Any, ...]:
        """The phase table."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data that ``from_dict`` reads back."""

    def __hash__(self) -> int:
        """Equal by value, so hashable (tools cache per schedule)."""
