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
fractions is exact (``"7%"`` of 100 is 7, not 8 by a float error). A float fraction means the
decimal it was written as: the shortest decimal that reads back as the same value *in its own
precision* (``0.05`` is ``5/100``, not the binary double nearest to it, so ``0.05`` of 1000
is 50; a NumPy ``float32(0.05)`` is ``5/100`` too, not the ``0.0500000007...`` a float64
widening of it holds). A :class:`fractions.Fraction` is taken exactly.

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

__all__ = ["MAX_STEPS", "Duration", "resolve_steps", "steps"]

#: The largest number of steps: steps are 64-bit integers in NumPy and every framework.
MAX_STEPS = 2**63 - 1

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
    minimum: int = 0,
) -> int:
    """Resolve a duration to an integer number of steps ``>= minimum``.

    Args:
        value: the duration (see the module docstring for the accepted forms).
        name: the parameter's name, used in error messages.
        total_steps: what a fraction or percentage is a fraction of (``None``: not allowed).
        steps_per_epoch: what an epoch is worth (``None``: epochs are not allowed).
        minimum: the fewest steps the parameter may have (``total_steps``: 1).

    Returns:
        The number of steps, an ``int >= minimum``.

    Raises:
        TypeError: ``value`` is not an int, a float or a string (``bool`` included).
        ValueError: the value is below ``minimum``, not finite, not a whole number of steps
            where one is required, or a string in none of the accepted forms.
    """
    steps = _resolve(value, name, total_steps, steps_per_epoch)
    if steps < minimum:
        raise ValueError(f"{name} must be >= {minimum}; received {name}={value!r}")
    return steps


def _resolve(value: object, name: str, total_steps: int | None, steps_per_epoch: int | None) -> int:
    """:func:`resolve_steps` before its ``minimum`` check."""
    import numbers

    if isinstance(value, bool) or not isinstance(value, (numbers.Real, str)):
        raise TypeError(
            f"{name} must be an int number of steps, a fraction in [0, 1), or a string like "
            f"'1000', '5%' or '2ep'; received {name}={value!r} of type {type(value).__name__}"
        )
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        try:
            x = float(value)
        except OverflowError:  # a Fraction beyond float range: not a whole number either
            x = math.nan
        if x.is_integer() and not 0.0 <= x < 1.0:  # 1e5 in a TOML or YAML file: whole steps
            return int(x)
        part = written(value)
        if part is not None and 0 <= part < 1:
            return _fraction_of_total(part, value, name, total_steps)
        fraction = " or a float in [0, 1) read as a fraction of total_steps"
        raise ValueError(
            f"{name} must be a whole number of steps"
            f"{fraction if total_steps is not None else ''}; received {name}={value!r}"
        )
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


def written(value: object) -> Fraction | None:
    """The exact number a real ``value`` was written as; ``None`` if it is not finite.

    A float is the shortest decimal that reads back as the same value in the float's own
    precision (what ``repr`` shows, and what a person typed): ``0.05`` is ``1/20``, and so is
    NumPy's ``float32(0.05)``, whose float64 widening is ``0.0500000007...``. A
    :class:`~fractions.Fraction` (any rational) is itself.

    >>> import numpy as np
    >>> written(0.05), written(np.float32(0.05)), written(2), written(float("nan"))
    (Fraction(1, 20), Fraction(1, 20), Fraction(2, 1), None)
    """
    import numbers
    from fractions import Fraction

    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if type(value).__module__ == "numpy":  # NumPy's str is the shortest in its own precision
        text = str(value)
    else:
        try:
            text = repr(float(value))  # type: ignore[arg-type]
        except (OverflowError, TypeError, ValueError):
            return None
    try:
        return Fraction(text)
    except ValueError:  # nan, inf
        return None


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
    to whole updates (a float is the decimal it was written as, like a fraction of training in
    :func:`resolve_steps`: ``0.1`` epochs of 10 updates is 1 update, in float32 too).

    Schedulers advanced once per optimizer update (``WarmcosLR.step()`` after
    ``optimizer.step()``; optax counts updates; Keras counts ``iterations``) then use
    these steps directly: ``Schedule(peak_lr, total_steps=steps(...))``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, both or neither of ``steps_per_epoch``
            and ``dataset_size``/``batch_size`` are given, or the count is ``2**63`` or more
            (beyond the 64-bit steps of every framework).

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
    fraction = written(epochs)
    if fraction is None or fraction <= 0:
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
    total = math.ceil(fraction * updates)
    if total > MAX_STEPS:
        raise ValueError(
            f"steps() must count < 2**63 updates (steps are 64-bit integers in NumPy and every "
            f"framework): epochs={epochs!r} of {updates} updates each is {total}"
        )
    return total
