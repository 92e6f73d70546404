"""warmcos: learning-rate schedules (warmup, stable phase, decay, floor, restarts), exact.

One :class:`Schedule` means the same thing in plain Python, NumPy, PyTorch, Keras/TensorFlow
and JAX/optax. ``import warmcos`` imports none of those frameworks.

>>> import warmcos
>>> schedule = warmcos.Schedule(peak_lr=0.1, total_steps=100_000, warmup_steps=1000)
>>> schedule(0), schedule(500), schedule(1000), schedule(100_000)
(0.0, 0.05, 0.1, 0.0)
"""

from __future__ import annotations

from ._load import load
from ._schema import json_schema
from .compose import Composition, Segment
from .loggers import log_to_tensorboard
from .plotting import plot
from .reference import cosine_learning_rate_with_linear_warmup
from .schedule import SCHEMA_VERSION, Schedule
from .units import steps

__version__ = "0.1.0"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._explain import Explanation, explain
    from .fitting import Fit, fit
del TYPE_CHECKING


#: The public names imported when first used, and their modules.
_LAZY = {"Fit": ".fitting", "fit": ".fitting", "Explanation": "._explain", "explain": "._explain"}


def __getattr__(name: str) -> object:
    """``fit``, ``explain`` and their results, imported when first used.

    They import dataclasses and fractions, which ``import warmcos`` does not.
    """
    module = _LAZY.get(name)
    if module is not None:
        from importlib import import_module

        value = getattr(import_module(module, __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'warmcos' has no attribute {name!r}")


__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_package.py pins
    "Composition",
    "Explanation",
    "Fit",
    "SCHEMA_VERSION",
    "Schedule",
    "Segment",
    "__version__",
    "cosine_learning_rate_with_linear_warmup",
    "explain",
    "fit",
    "json_schema",
    "load",
    "log_to_tensorboard",
    "plot",
    "steps",
]
