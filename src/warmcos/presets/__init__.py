"""Other libraries' and codebases' schedules, called with their own parameter names.

Coming from transformers, optax, Keras, PyTorch, timm, DeepSpeed, torchtune, ESPnet,
pytorch_warmup, Lightning-Bolts, ignite or MMEngine, or from the schedule of a training script
(nanoGPT, llm.c, torchtitan, the Annotated Transformer, DINO, DINOv2, MAE, nanochat,
modded-nanogpt, litgpt, GPT-NeoX, Megatron-LM, open_clip, YOLOv5, big_vision, OLMo,
latent-diffusion, guided-diffusion, PaddlePaddle, Composer, detectron2, fairseq, T5X,
MaxText, Levanter)? Call the preset named after the function you used, with the arguments you
passed it::

    >>> from warmcos import presets
    >>> s = presets.optax_warmup_cosine_decay(
    ...     init_value=0.0, peak_value=1e-3, warmup_steps=100, decay_steps=1000
    ... )
    >>> s(0), s(100), s(1000)
    (0.0, 0.001, 0.0)

The result is an ordinary :class:`~warmcos.Schedule`, or a :class:`~warmcos.Composition` for the
schedules the template cannot write (steps, cycles, jumps, clocks; the signature says which): it
serialises, re-plans and runs in every adapter. Each preset equals its library at every step
from 0 to twice its end, the library's conventions at step 0, at the warmup boundary and after
the end included (proven against the real library by ``tests/conformance/test_presets.py``).
Where the library has a parameter warmcos cannot honour (timm's noise, a staircase, ...),
passing it raises ``ValueError`` naming it and why.

A preset takes what its library takes, with the library's meaning, or refuses it with the
reason: a ``TypeError`` or ``ValueError`` naming the library's parameter, the rule and the
value, raised before any work. The annotations in the signatures say what each parameter
accepts:

* ``Steps`` (``>= 0``), ``Length`` (``>= 1``): an int number of steps (a NumPy int too, not a
  bool). A whole float (``1e3``) is that int where the library takes floats; a fraction is
  refused: the library counts steps with it, so ``num_warmup_steps=0.05`` is a twentieth of
  a step there, not 5% of training. ``IntLength``, ``IntMultiplier``: the library refuses
  floats (torch's ``T_0``, DeepSpeed's ``warmup_num_steps``), and so does the preset;
* ``Cycles``, ``CycleLimit``: restart cycles, at most warmcos' 10,000;
* ``Rate`` (a learning rate, ``>= 0``), ``Ratio`` (``[0, 1]``), ``Positive`` (``> 0``),
  ``DecayRate`` (``(0, 1]``), ``Finite``: real numbers, never NaN or infinite;
* ``Literal[...]``: one of the strings; ``Switch``: ``True`` or ``False``.

>>> presets.timm_cosine(lr=0.1, t_initial=1e3) == presets.timm_cosine(lr=0.1, t_initial=1000)
True
>>> presets.transformers_linear_with_warmup(lr=0.1, num_warmup_steps=0.05, num_training_steps=100)
Traceback (most recent call last):
    ...
ValueError: transformers_linear_with_warmup: num_warmup_steps must be a whole number of steps: ...

Presets are data: :data:`PRESETS` maps each name to a :class:`Preset` (the library function it
stands for, or the codebase, commit and file its schedule was read from, and a mapping from
that function's keyword arguments to ``Schedule``'s, whose annotations declare the
parameters' kinds). A codebase preset reproduces the value the codebase's own training loop
uses at every update, its step convention included (``(it + 1) / W`` warmups that peak one
update early, ``np.linspace`` grids that use the peak twice), and is proven against values its
own code produced (``tests/data/codebases/``). The public functions below are generated from it.
This module imports no framework.

Library functions that multiply the optimizer's learning rate (``LambdaLR`` and friends:
transformers, torchtune, PyTorch, timm, DeepSpeed ``WarmupCosineLR``) take ``lr`` where they
take the optimizer: the learning rate of the parameter group (``optimizer.defaults["lr"]``
for the transformers functions that read it).
"""

from __future__ import annotations

from collections.abc import Callable

from ..compose import Composition
from ..schedule import Schedule
from . import (
    _codebases,
    _codebases_lm,
    _codebases_misc,
    _codebases_more,
    _codebases_seq,
    _codebases_vision,
    _fvcore,
    _ignite,
    _mmengine,
    _optax,
    _tensorflow,
    _timm,
    _toolkits,
    _torch,
    _torch_chains,
    _transformers,
)
from ._core import Codebase, Preset, _build, _build_composed

# The parameter kinds the signatures' annotations name, importable from here as before.
from ._kinds import (  # noqa: F401
    Count,
    CycleLimit,
    Cycles,
    DecayRate,
    Factor,
    Finite,
    Flag,
    IntLength,
    IntMultiplier,
    IntSteps,
    Items,
    Length,
    Name,
    Positive,
    Proportion,
    Rate,
    Ratio,
    Real,
    Seed,
    Steps,
    Switch,
    Text,
)

__all__ = [
    "PRESETS",
    "Codebase",
    "Preset",
    "annotated_transformer_rate",
    "big_vision_lr_schedule",
    "bolts_linear_warmup_cosine_annealing",
    "composer_constant_with_warmup",
    "composer_cosine_with_warmup",
    "composer_linear_with_warmup",
    "composer_polynomial_with_warmup",
    "deepspeed_warmup_cosine",
    "deepspeed_warmup_decay",
    "detectron2_lr_scheduler",
    "dino_cosine_scheduler",
    "dinov2_cosine_scheduler",
    "espnet_noam_lr",
    "espnet_warmup_lr",
    "fairseq_cosine",
    "fairseq_inverse_sqrt",
    "fairseq_polynomial_decay",
    "fairseq_step",
    "fairseq_tri_stage",
    "fvcore_composite",
    "fvcore_constant",
    "fvcore_cosine",
    "fvcore_exponential",
    "fvcore_linear",
    "fvcore_multistep",
    "fvcore_polynomial",
    "fvcore_step",
    "fvcore_step_with_fixed_gamma",
    "gpt_neox_annealing_lr",
    "guided_diffusion_anneal_lr",
    "ignite_cosine_annealing",
    "ignite_linear_cyclical",
    "ignite_piecewise_linear",
    "keras_cosine_decay",
    "keras_cosine_decay_restarts",
    "keras_cosine_decay_restarts_composed",
    "keras_exponential_decay",
    "keras_exponential_decay_staircase",
    "keras_inverse_time_decay",
    "keras_inverse_time_decay_staircase",
    "keras_piecewise_constant_decay",
    "keras_polynomial_decay",
    "keras_polynomial_decay_cycle",
    "latent_diffusion_lambda_linear_scheduler",
    "latent_diffusion_lambda_warm_up_cosine_scheduler",
    "latent_diffusion_lambda_warm_up_cosine_scheduler2",
    "levanter_lr_scheduler",
    "litgpt_get_lr",
    "llmc_get_learning_rate",
    "llmc_get_lr",
    "mae_adjust_learning_rate",
    "maxtext_learning_rate_schedule",
    "megatron_lr",
    "megatron_weight_decay",
    "mmengine_param_scheduler",
    "modded_nanogpt_get_lr",
    "nanochat_lr_multiplier",
    "nanochat_muon_momentum",
    "nanochat_weight_decay",
    "nanogpt_get_lr",
    "nanogpt_get_lr_2023",
    "olmo_scheduler",
    "open_clip_const_lr",
    "open_clip_const_lr_cooldown",
    "open_clip_cosine_lr",
    "optax_constant",
    "optax_cosine_decay",
    "optax_cosine_onecycle",
    "optax_exponential_decay",
    "optax_join_schedules",
    "optax_linear",
    "optax_linear_onecycle",
    "optax_piecewise_constant",
    "optax_piecewise_interpolate",
    "optax_polynomial",
    "optax_sgdr",
    "optax_warmup_cosine_decay",
    "optax_warmup_exponential_decay",
    "paddle_cosine_annealing_decay",
    "paddle_exponential_decay",
    "paddle_linear_warmup",
    "paddle_linear_warmup_scheduler",
    "paddle_multi_step_decay",
    "paddle_noam_decay",
    "paddle_one_cycle_lr",
    "paddle_piecewise_decay",
    "paddle_polynomial_decay",
    "paddle_polynomial_decay_cycle",
    "paddle_step_decay",
    "pytorch_warmup_linear",
    "pytorch_warmup_untuned_linear",
    "t5x_learning_rate_scheduler",
    "timm_cosine",
    "timm_multistep",
    "timm_poly",
    "timm_step",
    "timm_tanh",
    "torch_chained",
    "torch_constant",
    "torch_cosine_annealing",
    "torch_cosine_warm_restarts",
    "torch_cyclic",
    "torch_exponential",
    "torch_linear",
    "torch_linear_then_cosine",
    "torch_multistep",
    "torch_one_cycle",
    "torch_one_cycle_momentum",
    "torch_polynomial",
    "torch_sequential",
    "torch_step",
    "torchtitan_lr_scheduler",
    "torchtune_cosine_with_warmup",
    "tpu_reference",
    "transformers_constant_with_warmup",
    "transformers_cosine_with_hard_restarts",
    "transformers_cosine_with_min_lr",
    "transformers_cosine_with_warmup",
    "transformers_inverse_sqrt",
    "transformers_linear_with_warmup",
    "transformers_polynomial_decay_with_warmup",
    "transformers_wsd",
    "yolov5_lr",
    "yolov5_momentum",
]

#: Every preset, by name: the library function it stands for and how it maps onto Schedule.
PRESETS: dict[str, Preset] = {
    **_tensorflow.PRESETS,
    **_transformers.PRESETS,
    **_optax.PRESETS,
    **_torch.PRESETS,
    **_torch_chains.PRESETS,
    **_timm.PRESETS,
    **_toolkits.PRESETS,
    **_ignite.PRESETS,
    **_codebases.PRESETS,
    # fvcore
    **_fvcore.PRESETS,
    # the language-model codebases (nanochat, modded-nanogpt, litgpt, GPT-NeoX, Megatron-LM)
    **_codebases_lm.PRESETS,
    # the vision codebases (open_clip, YOLOv5, big_vision, ...)
    **_codebases_vision.PRESETS,
    # MMEngine
    **_mmengine.PRESETS,
    # more codebases (Composer, detectron2)
    **_codebases_more.PRESETS,
    # more codebases (OLMo, ...)
    **_codebases_misc.PRESETS,
    # the sequence-model codebases (fairseq, T5X, ...)
    **_codebases_seq.PRESETS,
}


def _public(name: str) -> Callable[..., Schedule]:
    """The public function of preset ``name``: the library's signature, a Schedule back."""
    return _build(name, PRESETS[name])


def _composed(name: str) -> Callable[..., Composition]:
    """The public function of preset ``name`` whose value is a Composition (steps, cycles...)."""
    return _build_composed(name, PRESETS[name])


tpu_reference = _public("tpu_reference")
transformers_cosine_with_warmup = _public("transformers_cosine_with_warmup")
transformers_cosine_with_min_lr = _public("transformers_cosine_with_min_lr")
transformers_cosine_with_hard_restarts = _public("transformers_cosine_with_hard_restarts")
transformers_linear_with_warmup = _public("transformers_linear_with_warmup")
transformers_polynomial_decay_with_warmup = _public("transformers_polynomial_decay_with_warmup")
transformers_constant_with_warmup = _public("transformers_constant_with_warmup")
transformers_inverse_sqrt = _public("transformers_inverse_sqrt")
transformers_wsd = _public("transformers_wsd")
optax_warmup_cosine_decay = _public("optax_warmup_cosine_decay")
optax_cosine_decay = _public("optax_cosine_decay")
optax_linear = _public("optax_linear")
optax_polynomial = _public("optax_polynomial")
optax_warmup_exponential_decay = _public("optax_warmup_exponential_decay")
optax_sgdr = _public("optax_sgdr")
optax_exponential_decay = _composed("optax_exponential_decay")
optax_constant = _composed("optax_constant")
optax_piecewise_constant = _composed("optax_piecewise_constant")
optax_piecewise_interpolate = _composed("optax_piecewise_interpolate")
optax_linear_onecycle = _composed("optax_linear_onecycle")
optax_cosine_onecycle = _composed("optax_cosine_onecycle")
optax_join_schedules = _composed("optax_join_schedules")
keras_cosine_decay = _public("keras_cosine_decay")
keras_cosine_decay_restarts = _public("keras_cosine_decay_restarts")
keras_polynomial_decay = _public("keras_polynomial_decay")
keras_exponential_decay = _public("keras_exponential_decay")
keras_inverse_time_decay = _public("keras_inverse_time_decay")
keras_piecewise_constant_decay = _composed("keras_piecewise_constant_decay")
keras_exponential_decay_staircase = _composed("keras_exponential_decay_staircase")
keras_inverse_time_decay_staircase = _composed("keras_inverse_time_decay_staircase")
keras_cosine_decay_restarts_composed = _composed("keras_cosine_decay_restarts_composed")
keras_polynomial_decay_cycle = _composed("keras_polynomial_decay_cycle")
torch_linear_then_cosine = _public("torch_linear_then_cosine")
torch_cosine_annealing = _public("torch_cosine_annealing")
torch_cosine_warm_restarts = _public("torch_cosine_warm_restarts")
torch_polynomial = _public("torch_polynomial")
torch_step = _composed("torch_step")
torch_multistep = _composed("torch_multistep")
torch_exponential = _public("torch_exponential")
torch_constant = _composed("torch_constant")
torch_linear = _public("torch_linear")
torch_one_cycle = _composed("torch_one_cycle")
torch_one_cycle_momentum = _composed("torch_one_cycle_momentum")
torch_cyclic = _composed("torch_cyclic")
torch_sequential = _composed("torch_sequential")
torch_chained = _composed("torch_chained")
timm_cosine = _public("timm_cosine")
timm_step = _composed("timm_step")
timm_multistep = _composed("timm_multistep")
timm_poly = _public("timm_poly")
timm_tanh = _composed("timm_tanh")
deepspeed_warmup_cosine = _public("deepspeed_warmup_cosine")
deepspeed_warmup_decay = _public("deepspeed_warmup_decay")
torchtune_cosine_with_warmup = _public("torchtune_cosine_with_warmup")
espnet_warmup_lr = _public("espnet_warmup_lr")
espnet_noam_lr = _public("espnet_noam_lr")
pytorch_warmup_linear = _public("pytorch_warmup_linear")
pytorch_warmup_untuned_linear = _public("pytorch_warmup_untuned_linear")
bolts_linear_warmup_cosine_annealing = _public("bolts_linear_warmup_cosine_annealing")
ignite_cosine_annealing = _public("ignite_cosine_annealing")
ignite_piecewise_linear = _composed("ignite_piecewise_linear")
ignite_linear_cyclical = _composed("ignite_linear_cyclical")
nanogpt_get_lr = _public("nanogpt_get_lr")
nanogpt_get_lr_2023 = _public("nanogpt_get_lr_2023")
llmc_get_lr = _public("llmc_get_lr")
llmc_get_learning_rate = _public("llmc_get_learning_rate")
torchtitan_lr_scheduler = _public("torchtitan_lr_scheduler")
annotated_transformer_rate = _public("annotated_transformer_rate")
dino_cosine_scheduler = _public("dino_cosine_scheduler")
dinov2_cosine_scheduler = _public("dinov2_cosine_scheduler")
mae_adjust_learning_rate = _public("mae_adjust_learning_rate")
# fvcore
fvcore_constant = _composed("fvcore_constant")
fvcore_cosine = _composed("fvcore_cosine")
fvcore_linear = _composed("fvcore_linear")
fvcore_exponential = _composed("fvcore_exponential")
fvcore_polynomial = _composed("fvcore_polynomial")
fvcore_step = _composed("fvcore_step")
fvcore_multistep = _composed("fvcore_multistep")
fvcore_step_with_fixed_gamma = _composed("fvcore_step_with_fixed_gamma")
fvcore_composite = _composed("fvcore_composite")
# the language-model codebases
nanochat_lr_multiplier = _public("nanochat_lr_multiplier")
nanochat_muon_momentum = _composed("nanochat_muon_momentum")
nanochat_weight_decay = _public("nanochat_weight_decay")
modded_nanogpt_get_lr = _composed("modded_nanogpt_get_lr")
litgpt_get_lr = _composed("litgpt_get_lr")
gpt_neox_annealing_lr = _composed("gpt_neox_annealing_lr")
megatron_lr = _composed("megatron_lr")
megatron_weight_decay = _composed("megatron_weight_decay")
# the vision codebases
open_clip_cosine_lr = _public("open_clip_cosine_lr")
open_clip_const_lr = _public("open_clip_const_lr")
open_clip_const_lr_cooldown = _public("open_clip_const_lr_cooldown")
yolov5_lr = _composed("yolov5_lr")
yolov5_momentum = _composed("yolov5_momentum")
big_vision_lr_schedule = _composed("big_vision_lr_schedule")
# MMEngine
mmengine_param_scheduler = _composed("mmengine_param_scheduler")
# more codebases (Composer, detectron2)
composer_linear_with_warmup = _composed("composer_linear_with_warmup")
composer_cosine_with_warmup = _composed("composer_cosine_with_warmup")
composer_constant_with_warmup = _composed("composer_constant_with_warmup")
composer_polynomial_with_warmup = _composed("composer_polynomial_with_warmup")
detectron2_lr_scheduler = _composed("detectron2_lr_scheduler")
olmo_scheduler = _composed("olmo_scheduler")
latent_diffusion_lambda_warm_up_cosine_scheduler = _composed(
    "latent_diffusion_lambda_warm_up_cosine_scheduler"
)
latent_diffusion_lambda_warm_up_cosine_scheduler2 = _composed(
    "latent_diffusion_lambda_warm_up_cosine_scheduler2"
)
latent_diffusion_lambda_linear_scheduler = _composed("latent_diffusion_lambda_linear_scheduler")
guided_diffusion_anneal_lr = _composed("guided_diffusion_anneal_lr")
paddle_cosine_annealing_decay = _public("paddle_cosine_annealing_decay")
paddle_step_decay = _composed("paddle_step_decay")
paddle_multi_step_decay = _composed("paddle_multi_step_decay")
paddle_exponential_decay = _public("paddle_exponential_decay")
paddle_polynomial_decay = _public("paddle_polynomial_decay")
paddle_polynomial_decay_cycle = _composed("paddle_polynomial_decay_cycle")
paddle_noam_decay = _composed("paddle_noam_decay")
paddle_piecewise_decay = _composed("paddle_piecewise_decay")
paddle_linear_warmup = _composed("paddle_linear_warmup")
paddle_one_cycle_lr = _composed("paddle_one_cycle_lr")
paddle_linear_warmup_scheduler = _composed("paddle_linear_warmup_scheduler")
# the sequence-model codebases
fairseq_cosine = _public("fairseq_cosine")
fairseq_inverse_sqrt = _public("fairseq_inverse_sqrt")
fairseq_polynomial_decay = _composed("fairseq_polynomial_decay")
fairseq_tri_stage = _composed("fairseq_tri_stage")
fairseq_step = _composed("fairseq_step")
t5x_learning_rate_scheduler = _composed("t5x_learning_rate_scheduler")
maxtext_learning_rate_schedule = _composed("maxtext_learning_rate_schedule")
levanter_lr_scheduler = _composed("levanter_lr_scheduler")
