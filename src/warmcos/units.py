"""Durations: integer steps, fractions of training, and epochs, resolved to integer steps.

The one clock of warmcos is the number of *applied optimizer updates*. Every duration is
resolved to an integer number of such steps before any math runs:

=================  ==========================================================================
``1000``           an integer: a number of steps (NumPy integers too; ``bool`` is rejected)
``"1000"``         the same, as a string (handy for command lines and config files)
``"5%"``           a percentage of ``total_steps``, rounded **up** to a whole step
``0.05``           a float in ``[0, 1)``: a fraction of ``total_steps``, rounded up
``1e5``            a whole float ``>= 1``: a number of steps (TOML and YAML write ``1e5``)
``"2ep"``          epochs, with ``steps_per_epoch``; a fractional result is rounded up
=================  ==========================================================================

Rounding up means a non-zero fraction never silently becomes zero steps. Arithmetic on
fractions is exact (``"7%"`` of 100 is 7, not 8 by a float error).

>>> from warmcos.units import resolve_steps
>>> resolve_steps("5%", "warmup_steps", total_steps=100_000)
5000
>>> resolve_steps(0.0125, "warmup_steps", total_steps=1000)
13
>>> resolve_steps("2ep", "warmup_steps", steps_per_epoch=391)
782
"""

from __future__ import annotations

import math

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from fractions import Fraction
    from typing import Any

__all__ = ["Duration", "resolve_steps", "steps"]

#: A duration: steps as an int, or a string / fraction resolved by :func:`resolve_steps`.
Duration = int | float | str

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_PATTERNS: dict[str, Any] = {}


def _match(kind: str, text: str) -> Any:
    """``re.fullmatch`` of one of the duration patterns (``re`` is imported when first needed)."""
    if not _PATTERNS:
        import re

        _PATTERNS.update(
            percent=re.compile(rf"({_NUMBER})%"),
            epochs=re.compile(rf"({_NUMBER})ep"),
            steps=re.compile(r"\d+"),
        )
    return _PATTERNS[kind].fullmatch(text)


def resolve_steps(
    value: object,
    name: str,
    *,
    total_steps: int | None = None,
    steps_per_epoch: int | None = None,
) -> int:
    """Resolve a duration to a non-negative integer number of steps.

    Args:
        value: the duration (see the module docstring for the accepted forms).
        name: the parameter's name, used in error messages.
        total_steps: what a fraction or percentage is a fraction of (``None``: not allowed).
        steps_per_epoch: what an epoch is worth (``None``: epochs are not allowed).

    Returns:
        The number of steps, an ``int >= 0``.

    Raises:
        TypeError: ``value`` is not an int, a float or a string (``bool`` included).
        ValueError: the value is negative, not finite, not a whole number of steps where one is
            required, or a string in none of the accepted forms.
    """
    import numbers

    if isinstance(value, bool) or not isinstance(value, (numbers.Real, str)):
        raise TypeError(
            f"{name} must be an int number of steps, a fraction in [0, 1), or a string like "
            f"'1000', '5%' or '2ep'; received {name}={value!r} of type {type(value).__name__}"
        )
    if isinstance(value, numbers.Integral):
        steps = int(value)
        if steps < 0:
            raise ValueError(f"{name} must be >= 0; received {name}={steps}")
        return steps
    if isinstance(value, numbers.Real):
        x = float(value)
        if x >= 1.0 and x.is_integer():  # 1e5 in a TOML or YAML file: a whole number of steps
            return int(x)
        from fractions import Fraction

        if not (0.0 <= x < 1.0):
            fraction = " or a float in [0, 1) read as a fraction of total_steps"
            raise ValueError(
                f"{name} must be a whole number of steps"
                f"{fraction if total_steps is not None else ''}; received {name}={value!r}"
            )
        return _fraction_of_total(Fraction(repr(x)), value, name, total_steps)
    text = value.strip()
    if _match("steps", text):
        return int(text)
    from fractions import Fraction

    if match := _match("percent", text):
        return _fraction_of_total(Fraction(match.group(1)) / 100, value, name, total_steps)
    if match := _match("epochs", text):
        if steps_per_epoch is None:
            raise ValueError(
                f"{name} is given in epochs ({value!r}), which needs steps_per_epoch; "
                f"pass steps_per_epoch=<optimizer updates per epoch>"
            )
        return math.ceil(Fraction(match.group(1)) * steps_per_epoch)
    raise ValueError(
        f"{name} must be an int number of steps or a string like '1000', '5%', '0.5%' or '2ep' "
        f"(no spaces, no other units); received {name}={value!r}"
    )


def _fraction_of_total(
    fraction: Fraction, value: object, name: str, total_steps: int | None
) -> int:
    if total_steps is None:
        raise ValueError(
            f"{name} cannot be a fraction of training ({value!r}): it is what fractions are "
            f"taken of; give a number of steps or epochs"
        )
    return math.ceil(fraction * total_steps)


def steps(
    epochs: float,
    *,
    dataset_size: int | None = None,
    batch_size: int | None = None,
    steps_per_epoch: int | None = None,
    grad_accum: int = 1,
    world_size: int = 1,
    drop_last: bool = False,
) -> int:
    """The number of optimizer updates in ``epochs`` of training: the one clock of warmcos.

    Give either ``steps_per_epoch`` (batches per epoch *on each process*, e.g.
    ``len(dataloader)``) or ``dataset_size`` and ``batch_size`` (the batch of *one process*).
    With ``world_size`` data-parallel processes each sees ``ceil(dataset_size / world_size)``
    samples an epoch (``DistributedSampler`` pads the last share); its loader makes
    ``floor`` (``drop_last=True``) or ``ceil`` (``drop_last=False``: the last, smaller batch
    counts) of that over ``batch_size`` batches. Each optimizer update takes ``grad_accum``
    of them; an epoch's last, incomplete accumulation window still makes an update (as the
    transformers ``Trainer`` and Lightning do). A fractional number of epochs is rounded up
    to whole updates.

    Schedulers advanced once per optimizer update (``WarmcosLR.step()`` after
    ``optimizer.step()``; optax counts updates; Keras counts ``iterations``) then use
    these steps directly: ``Schedule(peak_lr, total_steps=steps(...))``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, or both or neither of ``steps_per_epoch``
            and ``dataset_size``/``batch_size`` are given.

    Example:
        >>> from warmcos import steps
        >>> steps(3, dataset_size=50_000, batch_size=128)  # 391 batches an epoch
        1173
        >>> steps(3, dataset_size=50_000, batch_size=128, drop_last=True)
        1170
        >>> steps(3, dataset_size=50_000, batch_size=64, grad_accum=2, world_size=4)
        294
        >>> steps(0.5, steps_per_epoch=391, grad_accum=4)
        49
    """
    import numbers
    from fractions import Fraction

    def count(value: object, name: str, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(
                f"{name} must be an int >= {minimum}; received {name}={value!r} of type "
                f"{type(value).__name__}"
            )
        if value < minimum:
            raise ValueError(f"{name} must be an int >= {minimum}; received {name}={value!r}")
        return int(value)

    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Real):
        raise TypeError(f"epochs must be a real number; received epochs={epochs!r}")
    if not (math.isfinite(epochs) and epochs > 0):
        raise ValueError(f"epochs must be finite and > 0; received epochs={epochs!r}")
    if not isinstance(drop_last, bool):
        raise TypeError(f"drop_last must be a bool; received drop_last={drop_last!r}")
    accum = count(grad_accum, "grad_accum", 1)
    world = count(world_size, "world_size", 1)
    if steps_per_epoch is not None:
        if dataset_size is not None or batch_size is not None:
            raise ValueError(
                "give steps_per_epoch (batches per epoch on each process) or dataset_size and "
                f"batch_size, not both; received steps_per_epoch={steps_per_epoch!r}, "
                f"dataset_size={dataset_size!r}, batch_size={batch_size!r}"
            )
        batches = count(steps_per_epoch, "steps_per_epoch", 1)
    else:
        if dataset_size is None or batch_size is None:
            raise ValueError(
                "steps() needs steps_per_epoch, or both dataset_size and batch_size; received "
                f"dataset_size={dataset_size!r}, batch_size={batch_size!r}"
            )
        n = count(dataset_size, "dataset_size", 1)
        b = count(batch_size, "batch_size", 1)
        share = -(-n // world)
        batches = share // b if drop_last else -(-share // b)
        if batches == 0:
            raise ValueError(
                f"with drop_last=True, batch_size={b} is larger than each process's share of "
                f"the data ({share} samples): an epoch has no batch"
            )
    updates = -(-batches // accum)
    fraction = Fraction(repr(float(epochs))) if not isinstance(epochs, int) else Fraction(epochs)
    return math.ceil(fraction * updates)
