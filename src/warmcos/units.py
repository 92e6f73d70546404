"""Durations: integer steps, fractions of training, and epochs, resolved to integer steps.

The one clock of warmcos is the number of *applied optimizer updates*. Every duration is
resolved to an integer number of such steps before any math runs:

=================  ==========================================================================
``1000``           an integer: a number of steps (NumPy integers too; ``bool`` is rejected)
``"1000"``         the same, as a string (handy for command lines and config files)
``"5%"``           a percentage of ``total_steps``, rounded **up** to a whole step
``0.05``           a float in ``[0, 1)``: a fraction of ``total_steps``, rounded up
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
import numbers
import re
from fractions import Fraction

__all__ = ["Duration", "resolve_steps"]

#: A duration: steps as an int, or a string / fraction resolved by :func:`resolve_steps`.
Duration = int | float | str

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_PERCENT = re.compile(rf"({_NUMBER})%")
_EPOCHS = re.compile(rf"({_NUMBER})ep")
_STEPS = re.compile(r"\d+")


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
        if not (0.0 <= x < 1.0):
            raise ValueError(
                f"{name} must be an int number of steps, or a float in [0, 1) read as a "
                f"fraction of total_steps; received {name}={value!r}"
            )
        return _fraction_of_total(Fraction(repr(x)), value, name, total_steps)
    text = value.strip()
    if _STEPS.fullmatch(text):
        return int(text)
    if match := _PERCENT.fullmatch(text):
        return _fraction_of_total(Fraction(match.group(1)) / 100, value, name, total_steps)
    if match := _EPOCHS.fullmatch(text):
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
