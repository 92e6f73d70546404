"""warmcos: cosine learning-rate schedules with linear warmup, exact and explicit.

One :class:`Schedule` means the same thing in plain Python, NumPy, PyTorch, Keras/TensorFlow
and JAX/optax. ``import warmcos`` imports none of those frameworks.

>>> import warmcos
>>> schedule = warmcos.Schedule(peak_lr=0.1, total_steps=100_000, warmup_steps=1000)
>>> schedule(0), schedule(500), schedule(1000), schedule(100_000)
(0.0, 0.05, 0.1, 0.0)
"""

from __future__ import annotations

from .schedule import SCHEMA_VERSION, Schedule, load
from .units import steps

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Schedule",
    "__version__",
    "cosine_learning_rate_with_linear_warmup",
    "load",
    "steps",
]


TYPE_CHECKING = False  # not typing's: importing typing costs milliseconds at every start
if TYPE_CHECKING:
    from .reference import cosine_learning_rate_with_linear_warmup
else:  # hidden from type checkers, so that a misspelt name stays an error for them

    def __getattr__(name: str) -> object:
        # The TF-TPU reference function is imported on first use: most programs never call it.
        if name == "cosine_learning_rate_with_linear_warmup":
            from .reference import cosine_learning_rate_with_linear_warmup

            globals()[name] = cosine_learning_rate_with_linear_warmup
            return cosine_learning_rate_with_linear_warmup
        raise AttributeError(f"module 'warmcos' has no attribute {name!r}")


del TYPE_CHECKING


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
