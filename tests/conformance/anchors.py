"""Run the real libraries: one function per preset, returning the rate used by each update.

``ANCHORS[name](n, **kwargs)`` builds the library's own scheduler or schedule from the same
keyword arguments the preset takes (the library's names; ``lr`` for the optimizer's learning
rate; warmcos' ``horizon``/``cycles`` are dropped), drives it the way its documentation says,
and returns the learning rate used by optimizer update ``s`` for ``s = 0 .. n`` (``n + 1``
values, counting updates from 0):

* PyTorch-style schedulers (torch, transformers, torchtune, timm, DeepSpeed): build the
  optimizer and the scheduler, then per update read ``param_groups[0]["lr"]``, call
  ``optimizer.step()``, then ``scheduler.step()`` (timm: ``scheduler.step(epoch)`` with the
  next epoch's index, as its training loop does). One parameter group.
* optax: ``schedule(count)`` with the int32 ``count`` the optimizer state holds before the
  update increments it.
* Keras: ``schedule(optimizer.iterations)``, i.e. the schedule called with an int64 step.
* TF-TPU: the reference function (not installable; its source is copied verbatim in
  ``test_keras_anchors.py``) on the int64 global step.

The arrays are float64 for libraries that compute in Python floats and float32 for those that
compute in float32 (optax, Keras, TF-TPU): the dtype tells the test which tolerance applies.

timm, torchtune and DeepSpeed are imported without running their package ``__init__``:
``timm/__init__.py`` imports its models, which need torchvision (whose PyPI build does not load
against the CPU torch), and ``torchtune/__init__.py`` requires torchao; the scheduler modules
themselves need neither. See :func:`import_scheduler_module`.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

WARMCOS_ONLY = ("horizon", "cycles")


def import_scheduler_module(name: str, packages: tuple[str, ...]) -> ModuleType:
    """Import module ``name`` with ``packages`` registered but their ``__init__`` not run.

    ``import_scheduler_module("timm.scheduler.cosine_lr", ("timm",))`` puts an empty module
    for ``timm`` (with the installed package's path, so its submodules are found) in
    ``sys.modules``, then imports the scheduler module normally. Only packages not yet
    imported are registered that way.
    """
    if name in sys.modules:
        return sys.modules[name]
    for package in packages:
        if package not in sys.modules:
            spec = importlib.util.find_spec(package)
            if spec is None:
                raise ModuleNotFoundError(f"No module named {package!r}")
            sys.modules[package] = importlib.util.module_from_spec(spec)
    return importlib.import_module(name)


#: Packages whose ``__init__`` is not run (see :func:`import_scheduler_module`).
WITHOUT_INIT = {
    "timm": ("timm",),
    "torchtune": ("torchtune", "torchtune.training"),
    "pl_bolts": ("pl_bolts", "pl_bolts.utils", "pl_bolts.optimizers"),
    "mmengine": ("mmengine.hooks",),  # its __init__ imports every hook, some need OpenCV
}


def import_anchor(anchor: str) -> Any:
    """The object an anchor ``"module:qualname"`` names, imported as the harness does."""
    module, _, qualname = anchor.partition(":")
    packages = WITHOUT_INIT.get(module.split(".")[0], ())
    with warnings.catch_warnings():  # ignite's package imports users of torch.jit.script
        warnings.simplefilter("ignore", DeprecationWarning)
        return getattr(import_scheduler_module(module, packages), qualname)


def _library_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if k not in WARMCOS_ONLY}


# -- drivers ---------------------------------------------------------------------------------


def drive_torch(
    make: Callable[[Any], Any],
    lr: float,
    n: int,
    step: Callable[[Any, int], None] | None = None,
) -> np.ndarray:
    """Build ``make(optimizer)``; per update read the lr, ``optimizer.step()``, step it."""
    import torch

    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    scheduler = make(optimizer)
    out = np.empty(n + 1)
    for s in range(n + 1):
        out[s] = float(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if step is None:
            scheduler.step()
        else:
            step(scheduler, s + 1)
    return out


def drive_optax(schedule: Callable[[Any], Any], n: int) -> np.ndarray:
    import jax
    from jax import numpy as jnp

    counts = jnp.arange(n + 1, dtype=jnp.int32)
    return np.asarray(jax.jit(jax.vmap(schedule))(counts), dtype=np.float32)


def drive_keras(schedule: Any, n: int) -> np.ndarray:
    import tensorflow as tf

    @tf.function
    def all_steps(steps: Any) -> Any:
        return tf.map_fn(schedule, steps, fn_output_signature=tf.float32)

    return np.asarray(all_steps(tf.range(n + 1, dtype=tf.int64)), dtype=np.float32)


# -- one harness per preset ------------------------------------------------------------------


def _transformers(function: str) -> Callable[..., np.ndarray]:
    def run(n: int, lr: float, **kwargs: Any) -> np.ndarray:
        import transformers

        make = getattr(transformers, function)
        return drive_torch(lambda opt: make(opt, **_library_kwargs(kwargs)), lr, n)

    return run


def tpu_reference(n: int, **kwargs: Any) -> np.ndarray:
    import tensorflow as tf

    from tpu_reference import tpu_reference as reference

    steps = tf.range(n + 1, dtype=tf.int64)
    return np.asarray(reference(steps, **kwargs), dtype=np.float32)


def torchtune_cosine_with_warmup(n: int, lr: float, **kwargs: Any) -> np.ndarray:
    make = import_anchor("torchtune.training.lr_schedulers:get_cosine_schedule_with_warmup")
    return drive_torch(lambda opt: make(opt, **_library_kwargs(kwargs)), lr, n)


def _optax(function: str) -> Callable[..., np.ndarray]:
    def run(n: int, **kwargs: Any) -> np.ndarray:
        import optax

        return drive_optax(getattr(optax, function)(**_library_kwargs(kwargs)), n)

    return run


def optax_join_schedules(n: int, schedules: list[Any], boundaries: list[int]) -> np.ndarray:
    """optax's own join over the pieces, each through warmcos' optax adapter.

    The pieces are warmcos schedules (each proven against its library by its own preset's
    test); what this runs is optax's joining: which piece holds a step, and its count.
    """
    import optax

    from warmcos.jax import optax_schedule

    pieces = [optax_schedule(piece) for piece in schedules]
    return drive_optax(optax.join_schedules(pieces, boundaries), n)


def _keras(cls: str, **fixed: Any) -> Callable[..., np.ndarray]:
    """The Keras class ``cls`` on the kwargs, ``fixed`` first (a preset's only ``staircase``)."""

    def run(n: int, **kwargs: Any) -> np.ndarray:
        import keras

        schedule = getattr(keras.optimizers.schedules, cls)(**fixed, **_library_kwargs(kwargs))
        return drive_keras(schedule, n)

    return run


def torch_linear_then_cosine(
    n: int,
    lr: float,
    *,
    T_max: int,  # noqa: N803
    milestones: list[int] | None = None,
    start_factor: float = 1.0 / 3,
    end_factor: float = 1.0,
    total_iters: int = 5,
    eta_min: float = 0.0,
) -> np.ndarray:
    from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

    def make(opt: Any) -> Any:
        warmup = LinearLR(
            opt, start_factor=start_factor, end_factor=end_factor, total_iters=total_iters
        )
        cosine = CosineAnnealingLR(opt, T_max=T_max, eta_min=eta_min)
        return SequentialLR(opt, [warmup, cosine], milestones=milestones or [total_iters])

    return drive_torch(make, lr, n)


def _torch(cls: str) -> Callable[..., np.ndarray]:
    def run(n: int, lr: float, **kwargs: Any) -> np.ndarray:
        from torch.optim import lr_scheduler

        make = getattr(lr_scheduler, cls)
        return drive_torch(lambda opt: make(opt, **_library_kwargs(kwargs)), lr, n)

    return run


def torch_one_cycle(n: int, **kwargs: Any) -> np.ndarray:
    """OneCycleLR, up to update ``n``: torch raises past its ``total_steps``, and with
    ``pct_start=1.0`` its ``step()`` after the last update divides by zero, so the scheduler
    is not stepped after update ``n`` (the optimizer's lr is unused: it sets ``max_lr``)."""
    from torch.optim.lr_scheduler import OneCycleLR

    return drive_torch(lambda opt: OneCycleLR(opt, **kwargs), 1.0, n, _up_to(n))


def torch_one_cycle_momentum(n: int, **kwargs: Any) -> np.ndarray:
    """OneCycleLR's momentum, read from SGD's ``momentum`` per update (as ``torch_one_cycle``)."""
    import torch
    from torch.optim.lr_scheduler import OneCycleLR

    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0, momentum=0.9)
    scheduler = OneCycleLR(optimizer, **kwargs)
    out = np.empty(n + 1)
    for s in range(n + 1):
        out[s] = float(optimizer.param_groups[0]["momentum"])
        optimizer.step()
        if s < n:
            scheduler.step()
    return out


def _up_to(n: int) -> Callable[[Any, int], None]:
    """``scheduler.step()`` up to update ``n``, not after it (where torch may raise)."""

    def step(scheduler: Any, t: int) -> None:
        if t <= n:
            scheduler.step()

    return step


def _schedulers(opt: Any, pairs: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    from torch.optim import lr_scheduler

    return [getattr(lr_scheduler, cls)(opt, **kwargs) for cls, kwargs in pairs]


def torch_sequential(n: int, lr: float, **kwargs: Any) -> np.ndarray:
    from torch.optim.lr_scheduler import SequentialLR

    def make(opt: Any) -> Any:
        return SequentialLR(opt, _schedulers(opt, kwargs["schedulers"]), kwargs["milestones"])

    # not stepped after update n: a scheduler starting there may divide by zero in torch
    return drive_torch(make, lr, n, _up_to(n))


def torch_chained(n: int, lr: float, **kwargs: Any) -> np.ndarray:
    from torch.optim.lr_scheduler import ChainedScheduler

    return drive_torch(lambda opt: ChainedScheduler(_schedulers(opt, kwargs["schedulers"])), lr, n)


def _timm(anchor: str) -> Callable[..., np.ndarray]:
    def run(n: int, lr: float, updates_per_epoch: int = 1, **kwargs: Any) -> np.ndarray:
        make = import_anchor(anchor)

        def step(scheduler: Any, updates: int) -> None:
            # timm's train loop: step_update(num_updates) after each update, and
            # step(epoch + 1) at each epoch's end (each is a no-op unless t_in_epochs says)
            scheduler.step_update(updates)
            if updates % updates_per_epoch == 0:
                scheduler.step(updates // updates_per_epoch)

        return drive_torch(lambda opt: make(opt, **_library_kwargs(kwargs)), lr, n, step)

    return run


def _deepspeed(cls: str) -> Callable[..., np.ndarray]:
    # WarmupDecayLR sets absolute rates, so the optimizer's lr (1.0) is not used there
    def run(n: int, lr: float = 1.0, **kwargs: Any) -> np.ndarray:
        make = import_anchor(f"deepspeed.runtime.lr_schedules:{cls}")
        return drive_torch(lambda opt: make(opt, **_library_kwargs(kwargs)), lr, n)

    return run


def _espnet(module: str, cls: str) -> Callable[..., np.ndarray]:
    def run(n: int, lr: float, **kwargs: Any) -> np.ndarray:
        make = import_anchor(f"espnet2.schedulers.{module}:{cls}")
        with warnings.catch_warnings():  # "NoamLR is deprecated. Use WarmupLR ..."
            warnings.simplefilter("ignore", UserWarning)
            return drive_torch(lambda opt: make(opt, **_library_kwargs(kwargs)), lr, n)

    return run


def pytorch_warmup_linear(n: int, lr: float, **kwargs: Any) -> np.ndarray:
    make = import_anchor("pytorch_warmup:LinearWarmup")

    def step(warmup: Any, _: int) -> None:
        with warmup.dampening():  # no lr scheduler under it: pytorch_warmup's documented loop
            pass

    return drive_torch(lambda opt: make(opt, **_library_kwargs(kwargs)), lr, n, step)


def pytorch_warmup_untuned_linear(
    n: int, lr: float, betas: tuple[float, float] = (0.9, 0.999), **kwargs: Any
) -> np.ndarray:
    import torch

    make = import_anchor("pytorch_warmup:UntunedLinearWarmup")
    optimizer = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))], lr=lr, betas=betas)
    warmup = make(optimizer, **_library_kwargs(kwargs))
    out = np.empty(n + 1)
    for s in range(n + 1):
        out[s] = float(optimizer.param_groups[0]["lr"])
        optimizer.step()
        with warmup.dampening():
            pass
    return out


def bolts_linear_warmup_cosine_annealing(n: int, lr: float, **kwargs: Any) -> np.ndarray:
    make = import_anchor("pl_bolts.optimizers.lr_scheduler:LinearWarmupCosineAnnealingLR")
    with warnings.catch_warnings():  # Bolts marks the class "under review"
        warnings.simplefilter("ignore")
        return drive_torch(lambda opt: make(opt, **_library_kwargs(kwargs)), lr, n)


def _ignite(name: str) -> Callable[..., np.ndarray]:
    def run(n: int, param_name: str = "lr", **kwargs: Any) -> np.ndarray:
        import torch

        scheduler_class = import_anchor(f"ignite.handlers.param_scheduler:{name}")
        # SGD with momentum, so that "momentum" is a param group key ignite may schedule
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0, momentum=0.5)
        scheduler = scheduler_class(optimizer, param_name, **_library_kwargs(kwargs))
        out = np.empty(n + 1)
        for s in range(n + 1):
            scheduler(None)  # Events.ITERATION_STARTED, before the update
            out[s] = float(optimizer.param_groups[0][param_name])
            optimizer.step()
        return out

    return run


def _fvcore(cls: str) -> Callable[..., np.ndarray]:
    """fvcore's scheduler called with ``where = s / total_steps``, as detectron2's LRMultiplier."""

    def run(n: int, total_steps: int, **kwargs: Any) -> np.ndarray:
        from fvcore.common import param_scheduler

        kwargs = {k: list(v) if isinstance(v, list) else v for k, v in kwargs.items()}
        if "schedulers" in kwargs:  # CompositeParamScheduler: {"type": class name, **kwargs}
            kwargs["schedulers"] = [
                getattr(param_scheduler, sub["type"])(
                    **{k: v for k, v in sub.items() if k != "type"}
                )
                for sub in kwargs["schedulers"]
            ]
        scheduler = getattr(param_scheduler, cls)(**kwargs)
        return np.array([scheduler(s / total_steps) for s in range(n + 1)], dtype=np.float64)

    return run


def mmengine_param_scheduler(
    n: int, lr: float, param_scheduler: list[dict[str, Any]], epoch_length: int | None = None
) -> np.ndarray:
    """MMEngine's schedulers, built from the dicts as its runner builds them.

    Stepped by its own ``ParamSchedulerHook`` as its training loop calls it: after each
    update, and after each epoch's last update (``epoch_length`` updates an epoch).
    """
    import types

    import torch

    with warnings.catch_warnings():  # mmengine.optim imports torch.distributed.optim (jit)
        warnings.simplefilter("ignore", DeprecationWarning)
        from mmengine.registry import PARAM_SCHEDULERS

        hook = import_anchor("mmengine.hooks.param_scheduler_hook:ParamSchedulerHook")()
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    default_args = {"optimizer": optimizer, "epoch_length": epoch_length}
    runner = types.SimpleNamespace(
        param_schedulers=[
            PARAM_SCHEDULERS.build(dict(c), default_args=default_args) for c in param_scheduler
        ]
    )
    out = np.empty(n + 1)
    for s in range(n + 1):
        out[s] = float(optimizer.param_groups[0]["lr"])
        optimizer.step()
        hook.after_train_iter(runner, s % (epoch_length or 1))
        if epoch_length is not None and (s + 1) % epoch_length == 0:
            hook.after_train_epoch(runner)
    return out


def _plain(value: Any) -> bool:
    """Whether ``value`` is data its ``repr`` tells exactly (numbers, strings, containers)."""
    if value is None or type(value) in (bool, int, float, str):
        return True
    if type(value) in (list, tuple):
        return all(_plain(item) for item in value)
    if type(value) is dict:
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def recorded(harness: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """``harness``, each recording kept for the session: the same library on the same case.

    Several tests record the same case up to the same step (``test_presets.py`` and
    ``test_fit_presets.py`` each record every ``DEFAULT_CASES`` entry), and a library run
    (a Keras graph traced, an optax schedule compiled, a torch scheduler stepped in Python)
    costs far more than the values it returns. Keyed on ``n`` and the arguments' ``repr``
    (exact for floats), only where the arguments are plain data (a repr that is the value; a
    warmcos schedule passed to optax's join is recorded anew); each caller gets its own copy,
    so no test can change another's.
    """
    kept: dict[tuple[int, str], np.ndarray] = {}

    @functools.wraps(harness)
    def run(n: int, **kwargs: Any) -> np.ndarray:
        if not _plain(kwargs):
            return harness(n, **kwargs)
        key = (n, repr(kwargs))
        if key not in kept:
            kept[key] = harness(n, **kwargs)
        return kept[key].copy()

    return run


#: preset name -> harness. Kept in the registry's order (the test checks the names match).
ANCHORS: dict[str, Callable[..., np.ndarray]] = {
    "tpu_reference": tpu_reference,
    "transformers_cosine_with_warmup": _transformers("get_cosine_schedule_with_warmup"),
    "transformers_cosine_with_min_lr": _transformers("get_cosine_with_min_lr_schedule_with_warmup"),
    "transformers_cosine_with_hard_restarts": _transformers(
        "get_cosine_with_hard_restarts_schedule_with_warmup"
    ),
    "transformers_linear_with_warmup": _transformers("get_linear_schedule_with_warmup"),
    "transformers_polynomial_decay_with_warmup": _transformers(
        "get_polynomial_decay_schedule_with_warmup"
    ),
    "transformers_constant_with_warmup": _transformers("get_constant_schedule_with_warmup"),
    "transformers_inverse_sqrt": _transformers("get_inverse_sqrt_schedule"),
    "transformers_wsd": _transformers("get_wsd_schedule"),
    "optax_warmup_cosine_decay": _optax("warmup_cosine_decay_schedule"),
    "optax_cosine_decay": _optax("cosine_decay_schedule"),
    "optax_linear": _optax("linear_schedule"),
    "optax_polynomial": _optax("polynomial_schedule"),
    "optax_warmup_exponential_decay": _optax("warmup_exponential_decay_schedule"),
    "optax_sgdr": _optax("sgdr_schedule"),
    "optax_exponential_decay": _optax("exponential_decay"),
    "optax_constant": _optax("constant_schedule"),
    "optax_piecewise_constant": _optax("piecewise_constant_schedule"),
    "optax_piecewise_interpolate": _optax("piecewise_interpolate_schedule"),
    "optax_linear_onecycle": _optax("linear_onecycle_schedule"),
    "optax_cosine_onecycle": _optax("cosine_onecycle_schedule"),
    "optax_join_schedules": optax_join_schedules,
    "keras_cosine_decay": _keras("CosineDecay"),
    "keras_cosine_decay_restarts": _keras("CosineDecayRestarts"),
    "keras_polynomial_decay": _keras("PolynomialDecay"),
    "keras_exponential_decay": _keras("ExponentialDecay"),
    "keras_inverse_time_decay": _keras("InverseTimeDecay"),
    "keras_piecewise_constant_decay": _keras("PiecewiseConstantDecay"),
    "keras_exponential_decay_staircase": _keras("ExponentialDecay", staircase=True),
    "keras_inverse_time_decay_staircase": _keras("InverseTimeDecay", staircase=True),
    "keras_cosine_decay_restarts_composed": _keras("CosineDecayRestarts"),
    "keras_polynomial_decay_cycle": _keras("PolynomialDecay", cycle=True),
    "torch_linear_then_cosine": torch_linear_then_cosine,
    "torch_cosine_annealing": _torch("CosineAnnealingLR"),
    "torch_cosine_warm_restarts": _torch("CosineAnnealingWarmRestarts"),
    "torch_polynomial": _torch("PolynomialLR"),
    "torch_step": _torch("StepLR"),
    "torch_multistep": _torch("MultiStepLR"),
    "torch_exponential": _torch("ExponentialLR"),
    "torch_constant": _torch("ConstantLR"),
    "torch_linear": _torch("LinearLR"),
    "torch_one_cycle": torch_one_cycle,
    "torch_one_cycle_momentum": torch_one_cycle_momentum,
    "torch_cyclic": lambda n, **kwargs: _torch("CyclicLR")(n, 1.0, **kwargs),  # sets base_lr
    "torch_sequential": torch_sequential,
    "torch_chained": torch_chained,
    "timm_cosine": _timm("timm.scheduler.cosine_lr:CosineLRScheduler"),
    "timm_step": _timm("timm.scheduler.step_lr:StepLRScheduler"),
    "timm_multistep": _timm("timm.scheduler.multistep_lr:MultiStepLRScheduler"),
    "timm_poly": _timm("timm.scheduler.poly_lr:PolyLRScheduler"),
    "timm_tanh": _timm("timm.scheduler.tanh_lr:TanhLRScheduler"),
    "deepspeed_warmup_cosine": _deepspeed("WarmupCosineLR"),
    "deepspeed_warmup_decay": _deepspeed("WarmupDecayLR"),
    "torchtune_cosine_with_warmup": torchtune_cosine_with_warmup,
    "espnet_warmup_lr": _espnet("warmup_lr", "WarmupLR"),
    "espnet_noam_lr": _espnet("noam_lr", "NoamLR"),
    "pytorch_warmup_linear": pytorch_warmup_linear,
    "pytorch_warmup_untuned_linear": pytorch_warmup_untuned_linear,
    "bolts_linear_warmup_cosine_annealing": bolts_linear_warmup_cosine_annealing,
    "ignite_cosine_annealing": _ignite("CosineAnnealingScheduler"),
    "ignite_piecewise_linear": _ignite("PiecewiseLinear"),
    "ignite_linear_cyclical": _ignite("LinearCyclicalScheduler"),
    # fvcore
    "fvcore_constant": _fvcore("ConstantParamScheduler"),
    "fvcore_cosine": _fvcore("CosineParamScheduler"),
    "fvcore_linear": _fvcore("LinearParamScheduler"),
    "fvcore_exponential": _fvcore("ExponentialParamScheduler"),
    "fvcore_polynomial": _fvcore("PolynomialDecayParamScheduler"),
    "fvcore_step": _fvcore("StepParamScheduler"),
    "fvcore_multistep": _fvcore("MultiStepParamScheduler"),
    "fvcore_step_with_fixed_gamma": _fvcore("StepWithFixedGammaParamScheduler"),
    "fvcore_composite": _fvcore("CompositeParamScheduler"),
    # MMEngine
    "mmengine_param_scheduler": mmengine_param_scheduler,
}

#: each harness's recordings are kept for the session (see :func:`recorded`)
ANCHORS = {name: recorded(harness) for name, harness in ANCHORS.items()}
