"""A schedule in experiment trackers: its parameters as flat scalars, its plan in a run.

* :func:`hparams` (also :meth:`Schedule.to_hparams <warmcos.Schedule.to_hparams>`): the
  parameters as a flat dict of ``str``/``int``/``float``/``bool`` values, no ``None`` and no
  lists, which every hyperparameter logger takes as it is: TensorBoard's
  ``SummaryWriter.add_hparams``, ``wandb.init(config=...)`` / ``wandb.config.update``,
  ``mlflow.log_params``.
* :func:`log_to_tensorboard`: the planned curve written into a TensorBoard run, as scalars
  (exact float64 values, a bounded number of points), a picture, and the config as text.

This module imports nothing outside the standard library until it is called; TensorBoard is
reached only through the writer it is given.
"""

from __future__ import annotations

# Not `typing.TYPE_CHECKING`: `import warmcos` (which imports this module) stays free of typing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .schedule import Schedule

__all__ = ["hparams", "log_to_tensorboard"]

#: Scalars :func:`log_to_tensorboard` writes by default (TensorBoard's own display keeps
#: 1,000 points of a scalar series; it samples any more at random when it loads the run).
POINTS = 1000
#: The most scalars it writes with ``every=``.
MAX_POINTS = 100_000


def hparams(schedule: Schedule, prefix: str = "") -> dict[str, str | int | float | bool]:
    """``schedule``'s parameters as a flat dict of scalars, keys prefixed by ``prefix``.

    One key per parameter of ``warmcos.schedule.FIELDS``, in that order, with the value
    :meth:`~warmcos.Schedule.to_dict` holds (durations as steps). A parameter that is ``None``
    (``timescale`` when it is unused) is left out; the re-planned decays in ``edits`` are
    flattened, one key per entry: ``edits.0.at_step``, ``edits.0.shape``,
    ``edits.0.planned_total``, ``edits.1.at_step``...

    Args:
        schedule: the :class:`~warmcos.Schedule` to describe.
        prefix: put before every key, e.g. ``"lr_schedule/"`` (TensorBoard groups by ``/``).

    Returns:
        ``{key: value}`` with ``str``, ``int``, ``float`` or ``bool`` values only.

    Raises:
        TypeError: ``schedule`` is not a ``Schedule`` or ``prefix`` not a ``str``.

    Examples:
        >>> from warmcos import Schedule
        >>> s = Schedule(3e-4, 10_000, warmup_steps="5%", final_lr=3e-5)
        >>> flat = s.to_hparams("lr/")
        >>> {k: flat[k] for k in ("lr/peak_lr", "lr/warmup_steps", "lr/decay_shape")}
        {'lr/peak_lr': 0.0003, 'lr/warmup_steps': 500, 'lr/decay_shape': 'cosine'}
        >>> "lr/timescale" in flat  # None: not set, left out
        False
        >>> {k: v for k, v in s.cooldown(8_000, 1_000).to_hparams().items() if "edits" in k}
        {'edits.0.at_step': 8000, 'edits.0.shape': '1-sqrt', 'edits.0.planned_total': 10000}

        TensorBoard, Weights & Biases, MLflow:

        ```python
        writer.add_hparams(schedule.to_hparams("lr/"), {"loss": final_loss})
        wandb.init(config=schedule.to_hparams("lr/"))
        mlflow.log_params(schedule.to_hparams("lr/"))
        ```
    """
    from .schedule import FIELDS, Schedule

    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a Schedule; received {type(schedule).__name__}")
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str; received prefix={prefix!r}")
    config = schedule.to_dict()
    flat: dict[str, str | int | float | bool] = {}
    for field in FIELDS:
        _flatten(prefix + field.name, config[field.name], flat)
    return flat


def _flatten(key: str, value: object, into: dict[str, str | int | float | bool]) -> None:
    from collections.abc import Mapping

    if value is None:
        return
    if isinstance(value, bool):  # before int: a bool is an int
        into[key] = bool(value)
    elif isinstance(value, int):
        into[key] = int(value)
    elif isinstance(value, float):
        into[key] = float(value)
    elif isinstance(value, str):
        into[key] = str(value)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(f"{key}.{k}", v, into)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _flatten(f"{key}.{i}", v, into)
    else:  # pragma: no cover - to_dict holds nothing else
        raise TypeError(f"{key}: cannot log a {type(value).__name__}")


def log_to_tensorboard(
    writer: Any,
    schedule: Schedule,
    *,
    tag: str = "lr_schedule",
    points: int | None = None,
    every: int | None = None,
    stop: int | None = None,
    figure: bool | None = None,
    config: bool = True,
) -> int:
    """Write ``schedule``'s planned curve into a TensorBoard run, next to what the run logs.

    Scalars: ``tag`` at each step ``s`` holds ``schedule(s)``, exact (float64; a writer
    without ``double_precision``, such as tensorboardX's, stores float32). By default about
    ``points`` steps spread over ``0 .. stop``, both sides of every phase boundary included,
    so jumps and the peak are where they are; ``every=k``: steps ``0, k, 2k, ...`` and
    ``stop``. Picture: ``tag + "/plan"``, drawn by :func:`warmcos.plot`. Config: the
    schedule's JSON as text, ``tag + "/config"``.

    Args:
        writer: a ``torch.utils.tensorboard.SummaryWriter`` (``pip install tensorboard``),
            or anything with its ``add_scalar`` / ``add_figure`` / ``add_text`` methods.
        schedule: the :class:`~warmcos.Schedule` to log.
        tag: the scalar series' name; the picture and the config go under it.
        points: about how many scalars to write (at most this many); default 1000. An int
            ``>= 2``.
        every: write every ``every``-th step instead (at most 100,000 scalars).
        stop: the last step written (default ``total_steps``); past it the ``after`` policy.
        figure: write the picture: ``True``, ``False``, or ``None`` (default) to write it
            where matplotlib is installed.
        config: write the schedule's JSON (:meth:`~warmcos.Schedule.to_json`) as text.

    Returns:
        The number of scalars written.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``points`` and ``every`` both given, a count out of range, too many
            points, or ``stop`` past the end with ``after="raise"``.
        ModuleNotFoundError: ``figure=True`` without matplotlib.

    Examples:
        ```python
        from torch.utils.tensorboard import SummaryWriter
        import warmcos

        writer = SummaryWriter("runs/exp1")
        warmcos.log_to_tensorboard(writer, schedule)  # the plan, before training
        for step in range(schedule.total_steps):
            ...
            writer.add_scalar("lr", scheduler.get_last_lr()[0], step)  # what was used
        writer.add_hparams(schedule.to_hparams("lr/"), {"final_loss": loss})
        ```
    """
    from .plotting import _window
    from .schedule import Schedule

    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a Schedule; received {type(schedule).__name__}")
    if not isinstance(tag, str) or not tag:
        raise TypeError(f"tag must be a non-empty str; received tag={tag!r}")
    if figure is not None and not isinstance(figure, bool):
        raise TypeError(f"figure must be True, False or None; received figure={figure!r}")
    if not isinstance(config, bool):
        raise TypeError(f"config must be True or False; received config={config!r}")
    _, last = _window([("schedule", schedule)], 0, stop)
    steps = _steps(schedule, last, points, every)
    exact = _accepts(writer.add_scalar, "double_precision")
    options = {"new_style": True, "double_precision": True} if exact else {}
    for step in steps:
        writer.add_scalar(tag, float(schedule(step)), global_step=step, **options)
    if figure is None:
        figure = _has_matplotlib()
    if figure:
        writer.add_figure(f"{tag}/plan", _figure(schedule, last), global_step=0)
    if config:
        writer.add_text(f"{tag}/config", f"```json\n{schedule.to_json()}\n```", global_step=0)
    return len(steps)


def _steps(schedule: Schedule, stop: int, points: object, every: object) -> list[int]:
    """The steps to log: bounded by ``points`` (or ``every``), phase boundaries first."""
    from ._cli.sample import boundaries, linspace_steps
    from .plotting import _count

    if every is not None:
        if points is not None:
            raise ValueError(
                f"points and every both choose the steps: pass one; received points={points!r}"
                f", every={every!r}"
            )
        k = _count(every, "every")
        if stop // k + 2 > MAX_POINTS:
            raise ValueError(
                f"every={k} over steps 0..{stop} is {stop // k + 1:,} scalars, more than "
                f"{MAX_POINTS:,}: use a larger every, or points"
            )
        return sorted({*range(0, stop + 1, k), stop})
    n = POINTS if points is None else _count(points, "points", 2)
    edges = sorted({s for b in boundaries(schedule, stop) for s in (b - 1, b) if 0 <= s <= stop})
    if len(edges) + 2 > n:  # too many phases to show each: evenly spread steps only
        edges = []
    # len(edges) + (n - 1 - len(edges)) + 1 == n steps at most
    return sorted({*edges, *linspace_steps(0, stop, max(1, min(n - 1 - len(edges), stop)))})


def _figure(schedule: Schedule, stop: int) -> Any:
    from .plotting import _pyplot, figure, plot

    _pyplot()  # matplotlib, or how to install it
    fig = figure(dpi=100)
    plot(schedule, fig.subplots(), stop=stop)
    return fig


def _has_matplotlib() -> bool:
    try:
        import matplotlib as mpl  # noqa: F401
    except ImportError:
        return False
    return True


def _accepts(method: Any, name: str) -> bool:
    import inspect

    try:
        return name in inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
