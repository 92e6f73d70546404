"""The presets' parameters, in one place: a default case and a Hypothesis strategy per preset.

Both give the keyword arguments of ``warmcos.presets.<name>`` (the library's own names, plus
``lr``/``horizon``/``cycles``); the conformance test passes the same dict to the preset and to
the real library. The strategies stay inside what the library accepts and warmcos can express
(whole-step cycles, a warmup shorter than the run), and small enough (at most a few hundred
steps before the end) to drive every library step by step.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from warmcos import presets
from warmcos.presets import PRESETS

Kwargs = dict[str, Any]

#: Each preset on the library's defaults: only the required arguments are given.
DEFAULT_CASES: dict[str, list[Kwargs]] = {
    "tpu_reference": [
        {
            "init_learning_rate": 1.0,
            "warmup_learning_rate": 0.1,
            "warmup_steps": 4,
            "total_steps": 10,
        },
        {
            "init_learning_rate": 0.1,
            "warmup_learning_rate": 0.0,
            "warmup_steps": 0,
            "total_steps": 97,
        },
    ],
    "transformers_cosine_with_warmup": [
        {"lr": 1.0, "num_warmup_steps": 4, "num_training_steps": 10},
        {"lr": 3e-4, "num_warmup_steps": 10, "num_training_steps": 130, "num_cycles": 1.5},
    ],
    "transformers_cosine_with_min_lr": [
        {"lr": 1.0, "num_warmup_steps": 4, "num_training_steps": 10, "min_lr_rate": 0.1},
        {"lr": 3e-4, "num_warmup_steps": 0, "num_training_steps": 200, "min_lr": 1e-5},
    ],
    "transformers_cosine_with_hard_restarts": [
        {"lr": 1.0, "num_warmup_steps": 4, "num_training_steps": 10},
        {"lr": 0.1, "num_warmup_steps": 5, "num_training_steps": 95, "num_cycles": 3},
    ],
    "transformers_linear_with_warmup": [
        {"lr": 1.0, "num_warmup_steps": 4, "num_training_steps": 10},
    ],
    "transformers_polynomial_decay_with_warmup": [
        {"lr": 1.0, "num_warmup_steps": 4, "num_training_steps": 10},
        {"lr": 0.01, "num_warmup_steps": 3, "num_training_steps": 50, "lr_end": 1e-4, "power": 2.0},
    ],
    "transformers_constant_with_warmup": [{"lr": 1.0, "num_warmup_steps": 4}],
    "transformers_inverse_sqrt": [
        {"lr": 1.0, "num_warmup_steps": 4, "horizon": 100},
        {"lr": 0.1, "num_warmup_steps": 0, "horizon": 300},
    ],
    "transformers_wsd": [
        {"lr": 1.0, "num_warmup_steps": 4, "num_decay_steps": 3, "num_training_steps": 10},
        {
            "lr": 0.1,
            "num_warmup_steps": 10,
            "num_decay_steps": 20,
            "num_stable_steps": 30,
            "warmup_type": "1-sqrt",
            "decay_type": "1-sqrt",
            "min_lr_ratio": 0.1,
        },
    ],
    "optax_warmup_cosine_decay": [
        {"init_value": 0.1, "peak_value": 1.0, "warmup_steps": 4, "decay_steps": 10},
    ],
    "optax_cosine_decay": [{"init_value": 1.0, "decay_steps": 10}],
    "optax_linear": [
        {"init_value": 1.0, "end_value": 0.1, "transition_steps": 10},
        {"init_value": 0.0, "end_value": 1.0, "transition_steps": 10},
    ],
    "optax_polynomial": [
        {
            "init_value": 1.0,
            "end_value": 0.01,
            "power": 2,
            "transition_steps": 100,
            "transition_begin": 5,
        },
    ],
    "optax_warmup_exponential_decay": [
        {
            "init_value": 0.0,
            "peak_value": 1.0,
            "warmup_steps": 4,
            "transition_steps": 10,
            "decay_rate": 0.5,
            "horizon": 100,
        },
    ],
    "optax_sgdr": [
        {
            "cosine_kwargs": [
                {"init_value": 0.1, "peak_value": 1.0, "warmup_steps": 4, "decay_steps": 10}
            ]
            * 3
        },
    ],
    "optax_exponential_decay": [
        {"init_value": 1.0, "transition_steps": 10, "decay_rate": 0.5, "horizon": 100},
        {  # staircase boundaries on a clock (transition_begin a multiple of the period)
            "init_value": 1.0,
            "transition_steps": 4,
            "decay_rate": 0.5,
            "transition_begin": 8,
            "staircase": True,
            "end_value": 0.05,
            "horizon": 50,
        },
        {  # stairs written out (transition_begin not a multiple), a rise to a ceiling
            "init_value": 0.1,
            "transition_steps": 3,
            "decay_rate": 1.5,
            "transition_begin": 5,
            "staircase": True,
            "end_value": 0.5,
            "horizon": 40,
        },
        {
            "init_value": 0.1,
            "transition_steps": 7,
            "decay_rate": 2.0,
            "end_value": 1.0,
            "horizon": 60,
        },
    ],
    "optax_constant": [{"value": 0.1}],
    "optax_piecewise_constant": [
        {"init_value": 1.0, "boundaries_and_scales": {10: 0.1, 20: 0.1}},
        {"init_value": 0.5},
        {"init_value": 1.0, "boundaries_and_scales": {0: 0.5, 7: 4.0, 30: 0.0}},
    ],
    "optax_piecewise_interpolate": [
        {"interpolate_type": "linear", "init_value": 1.0, "boundaries_and_scales": {10: 0.1}},
        {"interpolate_type": "cosine", "init_value": 0.5},
        {  # a boundary at 0 (a jump there), a rise, a fall to 0
            "interpolate_type": "cosine",
            "init_value": 1.0,
            "boundaries_and_scales": {0: 0.1, 12: 8.0, 40: 0.0},
        },
        {  # a boundary below 0: the first interval starts before step 0
            "interpolate_type": "linear",
            "init_value": 1.0,
            "boundaries_and_scales": {-6: 2.0, 9: 0.5},
        },
    ],
    "optax_linear_onecycle": [
        {"transition_steps": 100, "peak_value": 1.0},
        {"transition_steps": 3, "peak_value": 0.1, "pct_start": 0.5},  # boundaries merge
    ],
    "optax_cosine_onecycle": [
        {"transition_steps": 100, "peak_value": 1.0},
        {"transition_steps": 7, "peak_value": 0.1, "pct_start": 0.0, "div_factor": 4.0},
    ],
    "optax_join_schedules": [
        {  # a warmup, then a cosine counting from the boundary
            "schedules": [
                presets.optax_linear(0.0, 1.0, 10),
                presets.optax_cosine_decay(1.0, 90, alpha=0.1),
            ],
            "boundaries": [10],
        },
        {  # a boundary at 0: the first schedule holds no step
            "schedules": [
                presets.optax_constant(0.5),
                presets.optax_piecewise_constant(1.0, {5: 0.1}),
            ],
            "boundaries": [0],
        },
        {  # a linear decay cut part-way; two boundaries at one step; a schedule ending early
            "schedules": [
                presets.optax_linear(1.0, 0.0, 100),
                presets.optax_constant(0.3),
                presets.optax_exponential_decay(0.5, 4, 0.5, 2, horizon=12),
                presets.optax_linear_onecycle(40, 1.0),
            ],
            "boundaries": [30, 30, 50],
        },
    ],
    "keras_cosine_decay": [
        {"initial_learning_rate": 1.0, "decay_steps": 10},
        {"initial_learning_rate": 0.1, "decay_steps": 6, "warmup_target": 1.0, "warmup_steps": 4},
    ],
    "keras_cosine_decay_restarts": [
        {"initial_learning_rate": 1.0, "first_decay_steps": 10, "cycles": 3},
    ],
    "keras_polynomial_decay": [{"initial_learning_rate": 1.0, "decay_steps": 10}],
    "keras_exponential_decay": [
        {"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.9, "horizon": 100},
    ],
    "keras_inverse_time_decay": [
        {"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.5, "horizon": 100},
    ],
    "keras_piecewise_constant_decay": [
        {"boundaries": [10, 20], "values": [1.0, 0.5, 0.1]},
        {"boundaries": [0, 30], "values": [1.0, 0.5, 0.1]},  # values[0] at step 0 only
        {"boundaries": [-3, 5], "values": [1.0, 0.5, 0.1]},  # values[0] at no step
    ],
    "keras_exponential_decay_staircase": [
        {"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.5, "horizon": 95},
        {"initial_learning_rate": 1.0, "decay_steps": 2.5, "decay_rate": 0.9, "horizon": 30},
    ],
    "keras_inverse_time_decay_staircase": [
        {"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.5, "horizon": 95},
        {"initial_learning_rate": 0.1, "decay_steps": 0.5, "decay_rate": 2.0, "horizon": 20},
    ],
    "keras_cosine_decay_restarts_composed": [
        {
            "initial_learning_rate": 1.0,
            "first_decay_steps": 10,
            "m_mul": 0.5,
            "alpha": 0.1,
            "cycles": 3,
        },
        {"initial_learning_rate": 0.1, "first_decay_steps": 8, "t_mul": 1.0, "cycles": 2},
    ],
    "keras_polynomial_decay_cycle": [
        {"initial_learning_rate": 1.0, "decay_steps": 10, "cycles": 3},
        {
            "initial_learning_rate": 1.0,
            "decay_steps": 7,
            "end_learning_rate": 0.1,
            "power": 2.0,
            "cycles": 4,
        },
        {"initial_learning_rate": 1.0, "decay_steps": 1, "cycles": 3},
    ],
    "torch_linear_then_cosine": [
        {"lr": 1.0, "T_max": 6, "start_factor": 0.1, "total_iters": 4},
        {"lr": 1.0, "T_max": 10},
        {"lr": 0.1, "T_max": 50, "milestones": [8], "total_iters": 5, "eta_min": 1e-3},
    ],
    "torch_cosine_annealing": [{"lr": 1.0, "T_max": 10}],
    "torch_cosine_warm_restarts": [{"lr": 1.0, "T_0": 10, "cycles": 3}],
    "torch_polynomial": [{"lr": 1.0}],
    "torch_step": [
        {"lr": 1.0, "step_size": 30, "horizon": 100},
        {"lr": 0.1, "step_size": 1, "gamma": 0.9, "horizon": 50},
        {"lr": 0.1, "step_size": 7, "gamma": 1.0, "horizon": 21},
        {"lr": 0.3, "step_size": 40, "gamma": 0.5, "horizon": 3},
    ],
    "torch_multistep": [
        {"lr": 1.0, "milestones": [30, 80]},
        {"lr": 0.1, "milestones": [0, 1, 5, 5, 9], "gamma": 0.5},
        {"lr": 0.1, "milestones": [], "gamma": 0.5},
        {"lr": 0.1, "milestones": [20, 3, 1], "gamma": 1.0},
    ],
    "torch_exponential": [
        {"lr": 1.0, "gamma": 0.9, "horizon": 100},
        {"lr": 0.1, "gamma": 1.0, "horizon": 10},
        {"lr": 0.1, "gamma": 0.05, "horizon": 1},
    ],
    "torch_constant": [
        {"lr": 0.1},
        {"lr": 0.1, "factor": 0.1, "total_iters": 1},
        {"lr": 0.3, "factor": 0.5, "total_iters": 0},
        {"lr": 0.3, "factor": 1.0, "total_iters": 7},
    ],
    "torch_linear": [
        {"lr": 0.1},
        {"lr": 0.1, "start_factor": 1.0, "end_factor": 0.0, "total_iters": 30},
        {"lr": 0.1, "start_factor": 0.5, "end_factor": 0.25, "total_iters": 1},
        {"lr": 0.1, "start_factor": 0.01, "total_iters": 1},
        {"lr": 0.1, "start_factor": 0.5, "total_iters": 0},
        {"lr": 0.1, "start_factor": 0.5, "end_factor": 0.5, "total_iters": 9},
    ],
    "torch_one_cycle": [
        {"max_lr": 0.1, "total_steps": 100},
        {"max_lr": 0.1, "epochs": 7, "steps_per_epoch": 13, "anneal_strategy": "linear"},
        {"max_lr": 1.0, "total_steps": 100, "three_phase": True, "pct_start": 0.25},
        {"max_lr": 1.0, "total_steps": 50, "three_phase": True, "pct_start": 0.5},
        {"max_lr": 1.0, "total_steps": 10, "pct_start": 0.0},
        {"max_lr": 1.0, "total_steps": 10, "pct_start": 1.0},
        {"max_lr": 1.0, "total_steps": 10, "pct_start": 0.05, "three_phase": True},
        {"max_lr": 1.0, "total_steps": 1, "pct_start": 0.5},
        {"max_lr": 1.0, "total_steps": 2, "pct_start": 1.0, "anneal_strategy": "linear"},
        {"max_lr": 0.3, "total_steps": 97, "pct_start": 0.123, "div_factor": 10.0},
    ],
    "torch_one_cycle_momentum": [
        {"max_lr": 0.1, "total_steps": 100},
        {"max_lr": 0.1, "epochs": 7, "steps_per_epoch": 13, "anneal_strategy": "linear"},
        {"max_lr": 1.0, "total_steps": 100, "three_phase": True, "pct_start": 0.25},
        {"max_lr": 1.0, "total_steps": 10, "pct_start": 0.0, "base_momentum": 0.5},
        {"max_lr": 1.0, "total_steps": 10, "pct_start": 1.0, "max_momentum": 0.99},
    ],
    "torch_cyclic": [
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 20, "horizon": 100},
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 1, "step_size_down": 7, "horizon": 3},
        {"base_lr": 0.1, "max_lr": 0.01, "step_size_up": 5, "horizon": 31},
        {"base_lr": 0.01, "max_lr": 1.0, "step_size_up": 4, "mode": "triangular2", "horizon": 50},
        {
            "base_lr": 0.0,
            "max_lr": 1.0,
            "step_size_up": 6,
            "step_size_down": 3,
            "mode": "exp_range",
            "gamma": 0.98,
            "horizon": 60,
        },
        {"base_lr": 0.2, "max_lr": 1.0, "step_size_up": 3, "mode": "exp_range", "horizon": 20},
    ],
    "torch_sequential": [
        {
            "lr": 1.0,
            "schedulers": [
                ("LinearLR", {"start_factor": 0.1, "total_iters": 4}),
                ("CosineAnnealingLR", {"T_max": 6}),
            ],
            "milestones": [4],
            "horizon": 10,
        },
        {
            "lr": 1.0,
            "schedulers": [
                ("LinearLR", {"start_factor": 0.1, "total_iters": 4}),
                ("CosineAnnealingLR", {"T_max": 40, "eta_min": 0.01}),
            ],
            "milestones": [4],
            "horizon": 40,
        },
        {
            "lr": 0.1,
            "schedulers": [
                ("ConstantLR", {"factor": 0.5, "total_iters": 3}),
                ("StepLR", {"step_size": 4, "gamma": 0.5}),
                ("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 30}),
                ("MultiStepLR", {"milestones": [0, 2, 5]}),
                ("ExponentialLR", {"gamma": 0.9}),
                ("PolynomialLR", {"total_iters": 4, "power": 2.0}),
            ],
            "milestones": [5, 20, 30, 30, 40],
            "horizon": 60,
        },
        {
            "lr": 0.1,
            "schedulers": [("StepLR", {"step_size": 1}), ("MultiStepLR", {"milestones": [1]})],
            "milestones": [0],
            "horizon": 3,
        },
    ],
    "torch_chained": [
        {
            "lr": 1.0,
            "schedulers": [
                ("ConstantLR", {"factor": 0.1, "total_iters": 2}),
                ("ExponentialLR", {"gamma": 0.9}),
            ],
            "horizon": 10,
        },
        {
            "lr": 0.1,
            "schedulers": [
                ("LinearLR", {"start_factor": 0.25, "total_iters": 10}),
                ("CosineAnnealingLR", {"T_max": 50}),
                ("MultiStepLR", {"milestones": [20, 40], "gamma": 0.5}),
                ("StepLR", {"step_size": 7, "gamma": 0.9}),
                ("PolynomialLR", {"total_iters": 30, "power": 0.5}),
            ],
            "horizon": 50,
        },
    ],
    "timm_cosine": [
        {"lr": 1.0, "t_initial": 10},
        {"lr": 1.0, "t_initial": 10, "warmup_t": 4, "warmup_lr_init": 0.1},
        {"lr": 1.0, "t_initial": 6, "warmup_t": 4, "warmup_lr_init": 0.1, "warmup_prefix": True},
        {"lr": 0.1, "t_initial": 8, "cycle_mul": 2.0, "cycle_decay": 0.5, "cycle_limit": 3},
    ],
    "timm_step": [
        {"lr": 1.0, "decay_t": 3, "horizon": 20},
        {"lr": 0.1, "decay_t": 2.5, "decay_rate": 0.5, "warmup_t": 3, "horizon": 30},
        {
            "lr": 0.1,
            "decay_t": 3,
            "decay_rate": 0.1,
            "warmup_t": 2,
            "warmup_lr_init": 0.01,
            "warmup_prefix": False,
            "updates_per_epoch": 4,
            "horizon": 50,
        },
    ],
    "timm_multistep": [
        {"lr": 1.0, "decay_t": [3, 7], "horizon": 20},
        {"lr": 0.1, "decay_t": [1, 4, 4, 9], "decay_rate": 0.5, "horizon": 20},
        {
            "lr": 0.1,
            "decay_t": [2, 5],
            "decay_rate": 0.1,
            "warmup_t": 3,
            "warmup_lr_init": 0.01,
            "updates_per_epoch": 3,
            "horizon": 40,
        },
        {"lr": 0.1, "decay_t": [2, 5], "warmup_t": 3, "warmup_prefix": False, "horizon": 12},
    ],
    "timm_tanh": [
        {"lr": 1.0, "t_initial": 10},
        {"lr": 1.0, "t_initial": 6, "warmup_t": 4, "warmup_lr_init": 0.1, "warmup_prefix": True},
        {"lr": 0.1, "t_initial": 8, "cycle_mul": 2.0, "cycle_decay": 0.5, "cycle_limit": 3},
        {"lr": 0.1, "t_initial": 7, "lr_min": 0.01, "cycle_limit": 2, "t_in_epochs": False},
    ],
    "timm_poly": [
        {"lr": 1.0, "t_initial": 10},
        {"lr": 1.0, "t_initial": 10, "power": 2.0, "warmup_t": 4, "warmup_lr_init": 0.1},
        {"lr": 0.1, "t_initial": 8, "cycle_mul": 2.0, "cycle_decay": 0.5, "cycle_limit": 3},
    ],
    "deepspeed_warmup_cosine": [
        {"lr": 1.0, "total_num_steps": 10, "warmup_num_steps": 4},
        {"lr": 0.3, "total_num_steps": 1000, "warmup_num_steps": 1, "cos_min_ratio": 0.1},
    ],
    "deepspeed_warmup_decay": [
        {"total_num_steps": 10, "warmup_num_steps": 4},
        {"total_num_steps": 10, "warmup_num_steps": 4, "warmup_type": "linear"},
    ],
    "torchtune_cosine_with_warmup": [
        {"lr": 1.0, "num_warmup_steps": 4, "num_training_steps": 10},
    ],
    "espnet_warmup_lr": [
        {"lr": 1.0, "warmup_steps": 4, "horizon": 100},
        {"lr": 1e-3, "warmup_steps": 1, "horizon": 50},
        {"lr": 2e-3, "warmup_steps": 25, "horizon": 25},
    ],
    "espnet_noam_lr": [
        {"lr": 1.0, "model_size": 256, "warmup_steps": 40, "horizon": 400},
        {"lr": 5.0, "model_size": 320.5, "warmup_steps": 2, "horizon": 30},
    ],
    "pytorch_warmup_linear": [
        {"lr": 1.0, "warmup_period": 4},
        {"lr": 3e-4, "warmup_period": 1, "horizon": 20},
        {"lr": 3e-4, "warmup_period": 50, "horizon": 120},
    ],
    "pytorch_warmup_untuned_linear": [
        {"lr": 1e-3, "betas": (0.9, 0.9), "horizon": 40},
        {"lr": 1e-3},
    ],
    "bolts_linear_warmup_cosine_annealing": [
        {"lr": 1.0, "warmup_epochs": 4, "max_epochs": 10},
        {"lr": 0.02, "warmup_epochs": 1, "max_epochs": 40, "warmup_start_lr": 0.01},
        {
            "lr": 0.1,
            "warmup_epochs": 10,
            "max_epochs": 100,
            "warmup_start_lr": 1e-3,
            "eta_min": 1e-4,
        },
    ],
    "ignite_cosine_annealing": [
        {
            "param_name": "lr",
            "start_value": 1.0,
            "end_value": 0.1,
            "cycle_size": 10,
            "cycles": 3,
        },
        {
            "param_name": "lr",
            "start_value": 0.1,
            "end_value": 0.0,
            "cycle_size": 8,
            "cycle_mult": 2.0,
            "start_value_mult": 0.5,
            "cycles": 3,
        },
        {
            "param_name": "lr",
            "start_value": 0.1,
            "end_value": 0.01,
            "cycle_size": 4,
            "cycle_mult": 1.5,
            "start_value_mult": 0.8,
            "end_value_mult": 0.8,
            "cycles": 3,
        },
    ],
    "ignite_piecewise_linear": [
        {"param_name": "lr", "milestones_values": [(10, 0.5), (20, 0.45), (21, 0.3), (30, 0.1)]},
        # from event 0, rising, a jump at an equal milestone, and a last jump
        {
            "param_name": "lr",
            "milestones_values": [(0, 0.0), (7, 1.0), (7, 0.5), (9, 0.2), (9, 0.1)],
        },
        {"param_name": "momentum", "milestones_values": [(3, 0.9)]},
    ],
    "ignite_linear_cyclical": [
        {"param_name": "lr", "start_value": 0.0, "end_value": 1.0, "cycle_size": 4, "cycles": 3},
        {
            "param_name": "lr",
            "start_value": 1.0,
            "end_value": 0.1,
            "cycle_size": 7,
            "cycle_mult": 1.5,
            "start_value_mult": 0.5,
            "end_value_mult": 0.9,
            "cycles": 4,
        },
        {
            "param_name": "lr",
            "start_value": 0.5,
            "end_value": 0.01,
            "cycle_size": 10,
            "warmup_duration": 3,
            "cycle_mult": 2.0,
            "start_value_mult": 0.8,
            "monotonic": True,
            "cycles": 3,
        },
    ],
    # fvcore
    "fvcore_constant": [{"value": 0.1, "total_steps": 10}],
    "fvcore_cosine": [
        {"start_value": 0.1, "end_value": 1e-4, "total_steps": 100},
        {"start_value": 0.0, "end_value": 1.0, "total_steps": 7},
    ],
    "fvcore_linear": [
        {"start_value": 1e-4, "end_value": 0.01, "total_steps": 50},
        {"start_value": 1.0, "end_value": 0.0, "total_steps": 9},
    ],
    "fvcore_exponential": [
        {"start_value": 2.0, "decay": 0.02, "total_steps": 100},
        {"start_value": 0.1, "decay": 3.0, "total_steps": 30},
    ],
    "fvcore_polynomial": [{"base_value": 0.1, "power": 0.9, "total_steps": 120}],
    "fvcore_step": [
        {"num_updates": 120, "values": [0.1, 0.01, 0.001, 0.0001], "total_steps": 120},
        {"num_updates": 7, "values": [1.0, 0.5, 0.25], "total_steps": 20},
    ],
    "fvcore_multistep": [
        {"values": [0.1, 0.01, 0.001, 0.0001], "milestones": [30, 60, 80, 120], "total_steps": 120},
        {"values": [1.0, 0.1, 0.01], "num_updates": 90, "total_steps": 45},
        {"values": [1.0, 0.1, 0.01], "num_updates": 90, "milestones": [30, 60], "total_steps": 90},
    ],
    "fvcore_step_with_fixed_gamma": [
        {"base_value": 0.1, "num_decays": 3, "gamma": 0.1, "num_updates": 120, "total_steps": 120}
    ],
    "fvcore_composite": [
        {
            "schedulers": [
                {"type": "ConstantParamScheduler", "value": 0.42},
                {"type": "CosineParamScheduler", "start_value": 0.42, "end_value": 1e-4},
            ],
            "lengths": [0.3, 0.7],
            "interval_scaling": ["rescaled", "rescaled"],
            "total_steps": 100,
        },
        {  # detectron2's WarmupParamScheduler over a MultiStep (rescale_interval=False)
            "schedulers": [
                {"type": "LinearParamScheduler", "start_value": 0.001, "end_value": 1.0},
                {
                    "type": "MultiStepParamScheduler",
                    "values": [1.0, 0.1, 0.01],
                    "milestones": [60, 80],
                    "num_updates": 100,
                },
            ],
            "lengths": [0.1, 0.9],
            "interval_scaling": ["rescaled", "fixed"],
            "total_steps": 200,
        },
        {  # a fixed polynomial to the end is the same curve from where it is cut
            "schedulers": [
                {"type": "LinearParamScheduler", "start_value": 0.0, "end_value": 0.5},
                {"type": "PolynomialDecayParamScheduler", "base_value": 0.6, "power": 0.9},
            ],
            "lengths": [0.25, 0.75],
            "interval_scaling": ["rescaled", "fixed"],
            "total_steps": 97,
        },
    ],
    # MMEngine
    "mmengine_param_scheduler": [
        {  # mmdet's RTMDet: an iteration warmup, then a cosine on the second half, per iteration
            "lr": 0.004,
            "param_scheduler": [
                {
                    "type": "LinearLR",
                    "start_factor": 1e-5,
                    "by_epoch": False,
                    "begin": 0,
                    "end": 30,
                },
                {
                    "type": "CosineAnnealingLR",
                    "eta_min": 0.0002,
                    "begin": 6,
                    "end": 12,
                    "T_max": 6,
                    "by_epoch": True,
                    "convert_to_iter_based": True,
                },
            ],
            "epoch_length": 10,
        },
        {  # mmpretrain: an epoch warmup converted to iterations, a per-epoch cosine to a ratio
            "lr": 0.1,
            "param_scheduler": [
                {
                    "type": "LinearLR",
                    "start_factor": 0.25,
                    "by_epoch": True,
                    "end": 2,
                    "convert_to_iter_based": True,
                },
                {"type": "CosineAnnealingLR", "eta_min_ratio": 0.01, "begin": 2, "end": 9},
            ],
            "epoch_length": 7,
        },
        {  # mmseg: PolyLR per iteration, with eta_min and power 0.9
            "lr": 0.01,
            "param_scheduler": [
                {
                    "type": "PolyLR",
                    "eta_min": 1e-4,
                    "power": 0.9,
                    "begin": 0,
                    "end": 80,
                    "by_epoch": False,
                },
            ],
        },
        {  # a cosine whose T_max outlasts its window: held at the value of end - 1
            "lr": 1.0,
            "param_scheduler": [
                {
                    "type": "CosineAnnealingLR",
                    "T_max": 50,
                    "begin": 3,
                    "end": 31,
                    "by_epoch": False,
                },
            ],
        },
    ],
}


def built(kwargs: Kwargs) -> Kwargs:
    """A golden case's kwargs, each ``{"preset": name, "kwargs": ...}`` value that preset's value.

    (Paddle's ``LinearWarmup`` wraps a scheduler: its golden case names the wrapped one.)
    """
    return {
        key: getattr(presets, value["preset"])(**built(value["kwargs"]))
        if isinstance(value, dict) and "preset" in value
        else value
        for key, value in kwargs.items()
    }


def _golden_cases() -> dict[str, list[Kwargs]]:
    """The codebase presets' cases: the parameter sets of their golden data, in order."""
    cases: dict[str, list[Kwargs]] = {}
    for path in sorted((Path(__file__).parent.parent / "data" / "codebases").glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            cases.setdefault(case["preset"], []).append(built(case["kwargs"]))
    return {name: cases[name] for name in PRESETS if name in cases}


#: The codebases' cases come from their golden data (tests/data/codebases/).
DEFAULT_CASES |= _golden_cases()

LRS = st.floats(min_value=1e-4, max_value=2.0)
FRACTIONS = st.floats(min_value=0.0, max_value=1.0)
POWERS = st.one_of(st.sampled_from([0.5, 1.0, 2.0, 3.0]), st.floats(min_value=0.1, max_value=4.0))
# float32 libraries (optax, Keras) raise a fraction they computed in float32 to this power;
# below 1 that multiplies their rounding near the end (where 1 + cos cancels, where Keras'
# 1 - s / T is 6e-8, not 0, at s = T) without bound.
FLOAT32_EXPONENTS = st.floats(min_value=1.0, max_value=2.0)
# a rising polynomial is a warmup; of those only power 1 (linear) and 0.5 (1-sqrt) exist
RISE_POWERS = st.just(1.0)
WARMUPS = st.integers(min_value=0, max_value=60)
LENGTHS = st.integers(min_value=1, max_value=200)
# torch's multiplicative factors per decay (StepLR, MultiStepLR, ExponentialLR): 1 holds
GAMMAS = st.one_of(st.sampled_from([0.1, 0.5, 1.0]), st.floats(min_value=0.05, max_value=1.0))
# torch's factors of lr (ConstantLR, LinearLR): in (0, 1]
TORCH_FACTORS = st.one_of(
    st.sampled_from([1.0, 0.5, 1 / 3]), st.floats(min_value=0.01, max_value=1.0)
)


@st.composite
def _hf_cosine(draw: st.DrawFn, min_lr: bool = False) -> Kwargs:
    # a half period of whole steps: num_cycles * 2 * half is a whole number of steps
    cycles = draw(st.sampled_from([0.5, 0.5, 1.0, 1.5, 2.0, 0.25]))
    half = draw(LENGTHS.map(lambda n: 2 * n if cycles == 0.25 else n))
    w = draw(WARMUPS)
    kw: Kwargs = {
        "lr": draw(LRS),
        "num_warmup_steps": w,
        "num_training_steps": w + int(2 * cycles * half),
        "num_cycles": cycles,
    }
    if min_lr:
        if draw(st.booleans()):
            kw["min_lr_rate"] = draw(FRACTIONS)
        else:
            kw["min_lr"] = draw(FRACTIONS) * kw["lr"]
    return kw


@st.composite
def _hf_hard_restarts(draw: st.DrawFn) -> Kwargs:
    w, cycles, length = draw(WARMUPS), draw(st.integers(1, 5)), draw(st.integers(1, 60))
    return {
        "lr": draw(LRS),
        "num_warmup_steps": w,
        "num_training_steps": w + cycles * length,
        "num_cycles": cycles,
    }


@st.composite
def _warmup_total(draw: st.DrawFn, **extra: st.SearchStrategy[Any]) -> Kwargs:
    w = draw(WARMUPS)
    kw = {"lr": draw(LRS), "num_warmup_steps": w, "num_training_steps": w + draw(LENGTHS)}
    return kw | {k: draw(v) for k, v in extra.items()}


@st.composite
def _hf_polynomial(draw: st.DrawFn) -> Kwargs:
    kw = draw(_warmup_total(power=POWERS))
    return kw | {"lr_end": draw(FRACTIONS) * kw["lr"] * 0.99}


@st.composite
def _hf_inverse_sqrt(draw: st.DrawFn) -> Kwargs:
    w = draw(WARMUPS)
    return {
        "lr": draw(LRS),
        "num_warmup_steps": w,
        "timescale": draw(st.one_of(st.none(), st.integers(1, 1000))),
        "horizon": w + draw(LENGTHS),
    }


@st.composite
def _hf_wsd(draw: st.DrawFn) -> Kwargs:
    w, stable, decay = draw(WARMUPS), draw(st.integers(0, 100)), draw(LENGTHS)
    kw: Kwargs = {
        "lr": draw(LRS),
        "num_warmup_steps": w,
        "num_decay_steps": decay,
        "warmup_type": draw(st.sampled_from(["linear", "cosine", "1-sqrt"])),
        "decay_type": draw(st.sampled_from(["linear", "cosine", "1-sqrt"])),
        "min_lr_ratio": draw(st.one_of(st.just(0.0), FRACTIONS.map(lambda x: 0.99 * x))),
    }
    if draw(st.booleans()):
        return kw | {"num_training_steps": w + stable + decay}
    return kw | {"num_stable_steps": stable}


@st.composite
def _optax_warmup_cosine(draw: st.DrawFn) -> Kwargs:
    w, peak = draw(WARMUPS), draw(LRS)
    return {
        "init_value": draw(st.one_of(st.just(0.0), LRS)),
        "peak_value": peak,
        "warmup_steps": w,
        "decay_steps": w + draw(LENGTHS),
        "end_value": draw(FRACTIONS) * peak,
        "exponent": draw(FLOAT32_EXPONENTS),
    }


@st.composite
def _optax_polynomial(draw: st.DrawFn, linear: bool = False) -> Kwargs:
    init, end = draw(st.one_of(st.just(0.0), LRS)), draw(st.one_of(st.just(0.0), LRS))
    kw: Kwargs = {
        "init_value": init,
        "end_value": end,
        "transition_steps": draw(st.integers(0, 200)),
        "transition_begin": draw(st.integers(0, 50)) if init >= end else 0,
    }
    # a rise is a warmup: only 1 - (1 - u)**p with p = 1 or 1/2 is a warmcos warmup shape
    # integer powers: under jax.jit optax returns NaN at the end for the others (a test of
    # its own compares fractional powers with optax called eagerly)
    powers = st.sampled_from([1, 2, 3]) if init >= end else RISE_POWERS
    return kw if linear else kw | {"power": draw(powers)}


@st.composite
def _optax_warmup_exponential(draw: st.DrawFn) -> Kwargs:
    w, begin = draw(WARMUPS), draw(st.integers(0, 50))
    return {
        "init_value": draw(st.one_of(st.just(0.0), LRS)),
        "peak_value": draw(LRS),
        "warmup_steps": w,
        "transition_steps": draw(st.integers(1, 100)),
        "decay_rate": draw(st.floats(min_value=0.05, max_value=1.0)),
        "transition_begin": begin,
        "horizon": w + begin + draw(LENGTHS),
    }


@st.composite
def _optax_sgdr(draw: st.DrawFn) -> Kwargs:
    cycles, mul = draw(st.integers(1, 4)), draw(st.sampled_from([1, 1, 2]))
    first_decay = draw(st.integers(1, 40))
    w0, w1 = draw(st.integers(0, 20)), draw(st.integers(0, 20))
    peak, decay = draw(LRS), draw(st.sampled_from([1.0, 0.5, 0.25]))
    init, end = draw(st.one_of(st.just(0.0), LRS)), draw(FRACTIONS) * peak * decay**3
    return {
        "cosine_kwargs": [
            {
                "init_value": init,
                "peak_value": peak * decay**k,
                "warmup_steps": w0 if k == 0 else w1,
                "decay_steps": (w0 if k == 0 else w1) + first_decay * mul**k,
                "end_value": end,
            }
            for k in range(cycles)
        ]
    }


@st.composite
def _optax_exponential_decay(draw: st.DrawFn) -> Kwargs:
    init, begin = draw(LRS), draw(st.sampled_from([0, 0, 4, draw(st.integers(0, 50))]))
    # optax computes decay_rate ** p in float32, its rounding of decay_rate times p: a rise
    # has float32-exact rates and a ceiling at most 4 init_value (then p * log(rate) <= 1.4)
    rising = draw(st.booleans())
    rate = draw(st.sampled_from([1.25, 1.5, 2.0, 3.0]) if rising else st.floats(0.05, 1.0))
    kw: Kwargs = {
        "init_value": init,
        # periods >= 1: at most 250 periods to the horizon, 300 decades at the lowest rate
        "transition_steps": draw(st.one_of(st.integers(1, 30), st.just(2.5))),
        "decay_rate": rate,
        "transition_begin": begin,
        "staircase": draw(st.booleans()),
        "horizon": begin + draw(LENGTHS),
    }
    if rising or draw(st.booleans()):  # a ceiling above init_value, or a floor below it
        kw["end_value"] = init * draw(st.floats(1.0, 4.0) if rising else st.floats(0.01, 1.0))
    return kw


@st.composite
def _optax_piecewise_constant(draw: st.DrawFn) -> Kwargs:
    steps = draw(st.lists(st.integers(-5, 200), max_size=5, unique=True))
    scales = st.one_of(st.floats(0.0, 2.0), st.sampled_from([0.1, 0.5, 0.0, 10.0]))
    return {
        "init_value": draw(LRS),
        "boundaries_and_scales": {step: draw(scales) for step in steps},
    }


@st.composite
def _optax_onecycle(draw: st.DrawFn, linear: bool) -> Kwargs:
    kw: Kwargs = {
        "transition_steps": draw(st.integers(1, 300)),
        "peak_value": draw(LRS),
        "pct_start": draw(FRACTIONS),
        "div_factor": draw(st.sampled_from([25.0, 10.0, 1.5])),
        "final_div_factor": draw(st.sampled_from([1e4, 100.0, 3.0])),
    }
    return kw | {"pct_final": draw(FRACTIONS)} if linear else kw


@st.composite
def _optax_join(draw: st.DrawFn) -> Kwargs:
    # pieces whose segments may be cut part-way (linear, constant), and a cosine that is not:
    # it gets a window at least as long as itself
    cuttable = [
        lambda: presets.optax_linear(draw(LRS), draw(LRS), draw(st.integers(1, 60))),
        lambda: presets.optax_constant(draw(LRS)),
        lambda: presets.optax_piecewise_constant(**draw(_optax_piecewise_constant())),
        lambda: presets.optax_linear_onecycle(**draw(_optax_onecycle(linear=True))),
    ]
    whole = [lambda: presets.optax_cosine_decay(draw(LRS), draw(st.integers(1, 60)))]
    schedules, boundaries, at = [], [], 0
    for k in range(draw(st.integers(1, 4))):
        cut = draw(st.booleans())
        piece = draw(st.sampled_from(cuttable if cut else whole))()
        if k:
            boundaries.append(at)
        schedules.append(piece)
        low = 0 if cut else piece.total_steps
        at += draw(st.integers(low, piece.total_steps + 30))
    return {"schedules": schedules, "boundaries": boundaries}


@st.composite
def _keras_cosine(draw: st.DrawFn) -> Kwargs:
    kw: Kwargs = {
        "initial_learning_rate": draw(LRS),
        "decay_steps": draw(LENGTHS),
        "alpha": draw(FRACTIONS),
    }
    if draw(st.booleans()):
        kw |= {"warmup_target": draw(LRS), "warmup_steps": draw(WARMUPS)}
    return kw


@st.composite
def _keras_piecewise(draw: st.DrawFn) -> Kwargs:
    boundaries = sorted(draw(st.lists(st.integers(-5, 150), min_size=1, max_size=5, unique=True)))
    values = draw(st.lists(LRS, min_size=len(boundaries) + 1, max_size=len(boundaries) + 1))
    return {"boundaries": boundaries, "values": values}


@st.composite
def _keras_polynomial_cycle(draw: st.DrawFn) -> Kwargs:
    init, end = draw(LRS), draw(st.one_of(st.just(0.0), LRS))
    return {
        "initial_learning_rate": init,
        "decay_steps": draw(st.integers(1, 60)),
        "end_learning_rate": end,
        "power": draw(FLOAT32_EXPONENTS) if init >= end else 1.0,
        "cycles": draw(st.integers(1, 4)),
    }


@st.composite
def _keras_restarts(draw: st.DrawFn, any_alpha: bool = False) -> Kwargs:
    t_mul = draw(st.sampled_from([1.0, 2.0, 3.0, 1.5]))
    first = draw(st.integers(1, 30)) * (4 if t_mul == 1.5 else 1)
    m_mul = draw(st.sampled_from([1.0, 0.5, 0.9]))
    return {
        "initial_learning_rate": draw(LRS),
        "first_decay_steps": first,
        "t_mul": t_mul,
        "m_mul": m_mul,
        "alpha": draw(FRACTIONS) if m_mul == 1 or any_alpha else 0.0,
        "cycles": draw(st.integers(1, 3)),
    }


def _keras_decay(
    rate: st.SearchStrategy[float], periods: bool = False
) -> st.SearchStrategy[Kwargs]:
    # a staircase's periods: whole (a clock), or 2.5 and 0.5 steps (stairs written out)
    whole = st.integers(1, 100)
    steps = st.one_of(whole, st.sampled_from([2.5, 0.5])) if periods else whole
    return st.fixed_dictionaries(
        {
            "initial_learning_rate": LRS,
            "decay_steps": steps,
            "decay_rate": rate,
            "horizon": LENGTHS,
        }
    )


@st.composite
def _torch_linear_then_cosine(draw: st.DrawFn) -> Kwargs:
    lr, iters = draw(LRS), draw(st.integers(1, 60))
    return {
        "lr": lr,
        "T_max": draw(LENGTHS),
        "milestones": [iters + draw(st.integers(0, 20))],
        "start_factor": draw(st.floats(min_value=0.01, max_value=1.0)),
        "total_iters": iters,
        "eta_min": draw(FRACTIONS) * lr,
    }


@st.composite
def _torch_warm_restarts(draw: st.DrawFn) -> Kwargs:
    lr = draw(LRS)
    return {
        "lr": lr,
        "T_0": draw(st.integers(1, 40)),
        "T_mult": draw(st.sampled_from([1, 2, 3])),
        "eta_min": draw(FRACTIONS) * lr,
        "cycles": draw(st.integers(1, 3)),
    }


@st.composite
def _torch_one_cycle(draw: st.DrawFn, momentum: bool = False) -> Kwargs:
    three = draw(st.booleans())
    kw: Kwargs = {
        "max_lr": draw(LRS),
        "pct_start": draw(st.one_of(st.sampled_from([0.0, 0.3, 0.5]), st.floats(0.0, 0.5))),
        "anneal_strategy": draw(st.sampled_from(["cos", "linear"])),
        "div_factor": draw(st.floats(1.0, 100.0)),
        "final_div_factor": draw(st.floats(1.0, 1e5)),
        "three_phase": three,
    }
    if momentum:
        kw["base_momentum"], kw["max_momentum"] = sorted(draw(st.tuples(FRACTIONS, FRACTIONS)))
    if not three and draw(st.booleans()):
        kw["pct_start"] = draw(st.floats(0.0, 1.0))
    # at least 2 steps: torch's linear end, (min - max) * 1 + max, is min to an ulp of max_lr,
    # and with a single step that ulp is not among the rates the tolerance scales with
    if draw(st.booleans()):
        kw["total_steps"] = total = draw(st.integers(2, 300))
    else:
        kw["epochs"], kw["steps_per_epoch"] = draw(st.integers(1, 20)), draw(st.integers(2, 15))
        total = kw["epochs"] * kw["steps_per_epoch"]
    assume(float(kw["pct_start"] * total) != 1)  # torch divides 0 by 0 at step 0 (refused)
    return kw


@st.composite
def _torch_cyclic(draw: st.DrawFn) -> Kwargs:
    mode = draw(st.sampled_from(["triangular", "triangular2", "exp_range"]))
    gamma = draw(st.floats(0.9, 1.0)) if mode == "exp_range" else 1.0
    kw: Kwargs = {
        "base_lr": 0.0 if gamma != 1 or draw(st.booleans()) else draw(LRS),
        "max_lr": draw(LRS),
        "step_size_up": draw(st.integers(1, 40)),
        "mode": mode,
        "gamma": gamma,
        "horizon": draw(st.integers(1, 200)),
    }
    if draw(st.booleans()):
        kw["step_size_down"] = draw(st.integers(1, 40))
    return kw


@st.composite
def _torch_scheduler(draw: st.DrawFn, span: int, lr: float, chained: bool) -> Any:
    # one scheduler that may run ``span`` steps: a cosine exactly T_max, a polynomial past
    # total_iters (see torch_sequential); its cosine's eta_min is 0 in a chain; in a sequence
    # LinearLR and PolynomialLR have total_iters >= 1 (torch divides by 0 switching to them)
    least = 0 if chained else 1
    cls = draw(st.sampled_from(["StepLR", "MultiStepLR", "ExponentialLR", "ConstantLR",
                                "LinearLR", "CosineAnnealingLR", "PolynomialLR"]))  # fmt: skip
    kwargs: Kwargs = {
        "StepLR": {"step_size": draw(st.integers(1, 20)), "gamma": draw(GAMMAS)},
        "MultiStepLR": {
            "milestones": draw(st.lists(st.integers(0, span + 5), max_size=4)),
            "gamma": draw(GAMMAS),
        },
        "ExponentialLR": {"gamma": draw(GAMMAS.map(lambda g: max(g, 0.5)))},
        "ConstantLR": {"factor": draw(TORCH_FACTORS), "total_iters": draw(st.integers(0, 30))},
        "LinearLR": {
            "start_factor": draw(TORCH_FACTORS),
            "end_factor": draw(st.one_of(st.just(1.0), st.just(0.0), TORCH_FACTORS)),
            "total_iters": draw(st.integers(least, 30)),
        },
        "CosineAnnealingLR": {
            "T_max": span,
            "eta_min": 0.0 if chained else draw(FRACTIONS) * lr,
        },
        "PolynomialLR": {
            "total_iters": draw(st.integers(min(least, span), span)),
            "power": draw(st.sampled_from([0.5, 1.0, 2.0])),
        },
    }[cls]
    return (cls, kwargs)


@st.composite
def _torch_sequence(draw: st.DrawFn, chained: bool) -> Kwargs:
    lr = draw(LRS)
    if chained:
        horizon = draw(st.integers(1, 120))
        schedulers = draw(st.lists(_torch_scheduler(horizon, lr, True), min_size=1, max_size=4))
        return {"lr": lr, "schedulers": schedulers, "horizon": horizon}
    spans = draw(st.lists(st.integers(0, 50), min_size=1, max_size=4))
    assume(sum(spans) >= 1)
    edges = [sum(spans[: i + 1]) for i in range(len(spans))]
    schedulers = [draw(_torch_scheduler(max(span, 1), lr, False)) for span in spans]
    cls, last = schedulers[-1]
    if cls in {"CosineAnnealingLR", "PolynomialLR"} and draw(st.booleans()):
        # the last one may end after the horizon (T_max = the whole run, a common choice)
        key = "T_max" if cls == "CosineAnnealingLR" else "total_iters"
        schedulers[-1] = (cls, {**last, key: last[key] + draw(st.integers(0, 40))})
    return {"lr": lr, "schedulers": schedulers, "milestones": edges[:-1], "horizon": edges[-1]}


@st.composite
def _timm(draw: st.DrawFn, poly: bool = False, tanh: bool = False) -> Kwargs:
    lr, mul = draw(LRS), draw(st.sampled_from([1.0, 1.0, 2.0, 3.0, 1.5]))
    t_initial = draw(st.integers(1, 60)) * (4 if mul == 1.5 else 1)
    prefix, limit = draw(st.booleans()), draw(st.integers(1, 3))
    # timm_tanh: a warmup with warmup_prefix=False is not expressible yet (the preset raises)
    overlaid = st.just(0) if tanh else st.integers(0, t_initial - 1)
    decay = draw(st.sampled_from([1.0, 0.5, 0.8]))
    return {
        "lr": lr,
        "t_initial": t_initial,
        "lr_min": draw(FRACTIONS) * lr * decay ** (limit - 1),  # below every cycle's peak
        "cycle_mul": mul,
        "cycle_decay": decay,
        "cycle_limit": limit,
        "warmup_t": draw(WARMUPS if prefix else overlaid),
        "warmup_lr_init": draw(st.one_of(st.just(0.0), LRS)),
        "warmup_prefix": prefix,
        "t_in_epochs": draw(st.booleans()),
    } | ({"power": draw(POWERS)} if poly else {})


@st.composite
def _timm_steps(draw: st.DrawFn, multi: bool) -> Kwargs:
    lr, per = draw(LRS), draw(st.sampled_from([1, 1, 2, 3, 5]))
    if multi:
        decay_t: Any = sorted(draw(st.lists(st.integers(0, 40), min_size=1, max_size=5)))
    else:
        decay_t = draw(st.one_of(st.integers(1, 20), st.integers(1, 80).map(lambda k: k / 4)))
    warmup, epochs = draw(st.integers(0, 10)), draw(st.integers(1, 60))
    return {
        "lr": lr,
        "decay_t": decay_t,
        "decay_rate": draw(st.sampled_from([1.0, 0.1, 0.5, 0.9, 2.0])),
        "warmup_t": warmup,
        "warmup_lr_init": draw(st.one_of(st.just(0.0), LRS)),
        "warmup_prefix": draw(st.booleans()),
        "t_in_epochs": draw(st.booleans()),
        "updates_per_epoch": per,
        "horizon": (warmup + epochs) * per + draw(st.integers(0, per - 1)),
    }


def _fvcore_two(start: str, end: str) -> st.SearchStrategy[Kwargs]:
    return st.fixed_dictionaries({start: LRS | st.just(0.0), end: LRS, "total_steps": LENGTHS})


@st.composite
def _fvcore_multistep(draw: st.DrawFn) -> Kwargs:
    values = draw(st.lists(LRS, min_size=1, max_size=6))
    n = len(values)
    num_updates = draw(st.integers(max(n, 2), 200))
    kw: Kwargs = {"values": values, "total_steps": draw(LENGTHS)}
    form = draw(st.sampled_from(["even", "both", "milestones"]))
    if form == "even":
        return kw | {"num_updates": num_updates}
    inner = sorted(draw(st.sets(st.integers(1, num_updates - 1), min_size=n - 1, max_size=n - 1)))
    if form == "both":
        return kw | {"num_updates": num_updates, "milestones": inner}
    return kw | {"milestones": [*inner, num_updates]}


#: fvcore schedulers a composite may hold, each with the scalings its preset takes.
_FVCORE_SUBS = [
    ("ConstantParamScheduler", ("rescaled", "fixed"), {"value": LRS}),
    ("CosineParamScheduler", ("rescaled",), {"start_value": LRS, "end_value": LRS}),
    ("PolynomialDecayParamScheduler", ("rescaled",), {"base_value": LRS, "power": POWERS}),
    ("LinearParamScheduler", ("rescaled", "fixed"), {"start_value": LRS, "end_value": LRS}),
    (
        "ExponentialParamScheduler",
        ("rescaled", "fixed"),
        {"start_value": LRS, "decay": st.floats(min_value=1e-2, max_value=10.0)},
    ),
    (
        "StepParamScheduler",
        ("rescaled", "fixed"),
        {"num_updates": LENGTHS, "values": st.lists(LRS, min_size=1, max_size=5)},
    ),
    (
        "StepWithFixedGammaParamScheduler",
        ("rescaled", "fixed"),
        {
            "base_value": LRS,
            "num_decays": st.integers(1, 4),
            "gamma": st.floats(min_value=0.05, max_value=1.0),
            "num_updates": LENGTHS,
        },
    ),
]


@st.composite
def _fvcore_composite(draw: st.DrawFn) -> Kwargs:
    count = draw(st.integers(1, 4))
    tenths = sorted(draw(st.sets(st.integers(1, 9), min_size=count - 1, max_size=count - 1)))
    cuts = [0, *tenths, 10]
    schedulers, scalings = [], []
    for _ in range(count):
        kind, allowed, fields = draw(st.sampled_from(_FVCORE_SUBS))
        schedulers.append({"type": kind} | draw(st.fixed_dictionaries(fields)))
        scalings.append(draw(st.sampled_from(allowed)))
    return {
        "schedulers": schedulers,
        "lengths": [(b - a) / 10 for a, b in itertools.pairwise(cuts)],
        "interval_scaling": scalings,
        "total_steps": draw(LENGTHS),
    }


@st.composite
def _deepspeed(draw: st.DrawFn, cosine: bool) -> Kwargs:
    w = draw(st.integers(1, 60))
    kw: Kwargs = {
        "total_num_steps": max(2, w) + draw(LENGTHS),
        "warmup_num_steps": w,
        # the cosine's linear warmup and a non-zero warmup_min_ratio are not expressible
        "warmup_type": "log" if cosine else draw(st.sampled_from(["log", "linear"])),
    }
    if cosine:
        return kw | {
            "lr": draw(LRS),
            "cos_min_ratio": draw(st.one_of(st.just(1e-4), FRACTIONS)),
        }
    peak = draw(LRS)
    return kw | {"warmup_max_lr": peak, "warmup_min_lr": draw(FRACTIONS) * peak}


@st.composite
def _espnet(draw: st.DrawFn, noam: bool = False) -> Kwargs:
    w = draw(st.integers(1, 100))
    kw: Kwargs = {"lr": draw(LRS), "warmup_steps": w, "horizon": w + draw(st.integers(0, 200))}
    return kw | ({"model_size": draw(st.floats(1.0, 2048.0))} if noam else {})


@st.composite
def _bolts(draw: st.DrawFn) -> Kwargs:
    w, lr = draw(st.integers(1, 60)), draw(LRS)
    return {
        "lr": lr,
        "warmup_epochs": w,
        "max_epochs": w + draw(LENGTHS),
        "warmup_start_lr": draw(st.one_of(st.just(0.0), LRS)),
        "eta_min": draw(FRACTIONS) * lr,
    }


@st.composite
def _ignite_piecewise(draw: st.DrawFn) -> Kwargs:
    steps = sorted(draw(st.lists(st.integers(0, 60), min_size=1, max_size=6)))
    return {
        "param_name": "lr",
        "milestones_values": [(m, draw(st.floats(0.0, 2.0))) for m in steps],
    }


@st.composite
def _ignite_cyclical(draw: st.DrawFn) -> Kwargs:
    monotonic, mult = draw(st.booleans()), draw(st.sampled_from([1.0, 1.0, 2.0, 1.5, 0.75]))
    return {
        "param_name": "lr",
        "start_value": draw(LRS),
        "end_value": draw(LRS),
        # shrinking cycles stay at least one event long for three cycles
        "cycle_size": draw(st.integers(8 if mult < 1 else 2, 40)),
        "cycle_mult": mult,
        "start_value_mult": draw(st.sampled_from([1.0, 0.5, 0.8])),
        "end_value_mult": draw(st.sampled_from([1.0, 0.9])),
        "warmup_duration": draw(st.integers(0, 10)) if monotonic else 0,
        "monotonic": monotonic,
        "cycles": draw(st.integers(1, 3)),
    }


@st.composite
def _ignite(draw: st.DrawFn) -> Kwargs:
    mul, start = draw(st.sampled_from([1.0, 1.0, 2.0, 1.5])), draw(LRS)
    decay, cycles = draw(st.sampled_from([1.0, 0.5, 0.8])), draw(st.integers(1, 3))
    return {
        "param_name": "lr",
        "start_value": start,
        "end_value": draw(FRACTIONS) * start * decay ** (cycles - 1),  # below every peak
        "cycle_size": draw(st.integers(2, 40)) * (4 if mul == 1.5 else 1),
        "cycle_mult": mul,
        "start_value_mult": decay,
        "end_value_mult": draw(st.sampled_from([1.0, decay])),
        "cycles": cycles,
    }


# -- the codebases (no library to run: the fuzz and the bad-input tests draw from these) ----


@st.composite
def _nanogpt(draw: st.DrawFn) -> Kwargs:
    w, lr = draw(WARMUPS), draw(LRS)
    return {
        "learning_rate": lr,
        "warmup_iters": w,
        "lr_decay_iters": w + draw(LENGTHS),
        "min_lr": draw(FRACTIONS) * lr,
        "decay_lr": draw(st.booleans()),
    }


@st.composite
def _llmc_python(draw: st.DrawFn) -> Kwargs:
    w = draw(WARMUPS)
    return {
        "learning_rate": draw(LRS),
        "warmup_iters": w,
        "num_iterations": w + draw(LENGTHS),
        "learning_rate_decay_frac": draw(FRACTIONS),
    }


@st.composite
def _llmc_c(draw: st.DrawFn) -> Kwargs:
    kind = draw(st.sampled_from(["cosine", "linear", "constant", "wsd"]))
    n = draw(st.integers(5, 300))
    return {
        "scheduler_type": kind,
        "learning_rate": draw(LRS),
        "warmup_iterations": draw(st.integers(0, (4 * n) // 5 if kind == "wsd" else n - 1)),
        "train_num_batches": n,
        "final_learning_rate_frac": draw(FRACTIONS),
    }


@st.composite
def _torchtitan(draw: st.DrawFn) -> Kwargs:
    steps = draw(LENGTHS)
    return {
        "lr": draw(LRS),
        "training_steps": steps,
        "warmup_steps": draw(st.integers(0, steps + 10)),  # torchtitan clamps it to the total
        "total_steps": draw(st.none() | st.integers(steps, steps + 50)),
        "decay_ratio": draw(st.none() | FRACTIONS),
        "decay_type": draw(st.sampled_from(["linear", "sqrt", "cosine"])),
        "min_lr_factor": draw(FRACTIONS),
    }


@st.composite
def _dino(draw: st.DrawFn) -> Kwargs:
    epochs, base = draw(st.integers(1, 20)), draw(LRS)
    return {
        "base_value": base,
        "final_value": draw(FRACTIONS) * base,
        "epochs": epochs,
        "niter_per_ep": draw(st.integers(1, 20)),
        "warmup_epochs": draw(st.integers(0, epochs - 1)),
        "start_warmup_value": draw(st.one_of(st.just(0.0), LRS)),
    }


@st.composite
def _dinov2(draw: st.DrawFn) -> Kwargs:
    total, base = draw(st.integers(1, 300)), draw(LRS)
    warmup = draw(st.integers(0, total - 1))
    freeze = draw(st.integers(0, total - warmup - 1)) if warmup else 0
    return {
        "base_value": base,
        "final_value": draw(FRACTIONS) * base,
        "total_iters": total,
        "warmup_iters": warmup,
        "start_warmup_value": 0.0 if freeze else draw(st.one_of(st.just(0.0), LRS)),
        "freeze_iters": freeze,
    }


@st.composite
def _mae(draw: st.DrawFn) -> Kwargs:
    epochs, lr, accum = draw(st.integers(1, 20)), draw(LRS), draw(st.integers(1, 4))
    return {
        "lr": lr,
        "len_data_loader": accum * draw(st.integers(1, 10)),
        "min_lr": draw(FRACTIONS) * lr,
        "warmup_epochs": draw(st.integers(0, epochs - 1)),
        "epochs": epochs,
        "accum_iter": accum,
    }


@st.composite
def _nanochat_lr(draw: st.DrawFn) -> Kwargs:
    n, ratio = draw(LENGTHS), draw(FRACTIONS)
    return {
        "lr": draw(LRS),
        "num_iterations": n,
        "warmup_steps": draw(st.integers(0, n - round(ratio * n) + 1)),
        "warmdown_ratio": ratio,
        "final_lr_frac": draw(FRACTIONS),
    }


@st.composite
def _litgpt(draw: st.DrawFn) -> Kwargs:
    n, lr = draw(LENGTHS), draw(LRS)
    return {
        "learning_rate": lr,
        "warmup_iters": draw(st.integers(0, n)),
        "max_iters": n,
        "min_lr": draw(FRACTIONS) * lr,
        "gradient_accumulation_iters": draw(st.integers(1, min(8, n))),
    }


@st.composite
def _open_clip_cooldown(draw: st.DrawFn) -> Kwargs:
    n, lr = draw(LENGTHS), draw(LRS)
    cooldown = draw(st.integers(0, n))
    return {
        "base_lr": lr,
        "warmup_length": draw(st.integers(0, n - cooldown + 1)),
        "steps": n,
        "cooldown_steps": cooldown,
        "cooldown_power": draw(POWERS),
        "cooldown_end_lr": draw(FRACTIONS) * lr,
    }


@st.composite
def _gpt_neox(draw: st.DrawFn) -> Kwargs:
    n, lr = draw(LENGTHS), draw(LRS)
    style = draw(st.sampled_from(["linear", "cosine", "exponential", "constant"]))
    warmup = draw(st.just(0.0) | st.floats(1.0, n - 0.5 if n > 1 else 1.0)) if n > 1 else 0.0
    return {
        "start_lr": lr,
        "warmup_iter": warmup,
        "total_iters": n,
        "decay_style": style,
        "min_lr": draw(FRACTIONS) * lr,
    }


@st.composite
def _big_vision(draw: st.DrawFn) -> Kwargs:
    n, base = draw(st.integers(2, 300)), draw(LRS)
    kind = draw(st.sampled_from(["linear", "polynomial", "cosine", "rsqrt", "stair"]))
    kw: Kwargs = {
        "total_steps": n,
        "base": base,
        "decay_type": kind,
        "warmup_steps": draw(st.integers(0, n - 1)),
        "cooldown_steps": draw(st.integers(0, n + 10)),
        "linear_end": draw(FRACTIONS) * base,
        "power": draw(POWERS),
        "timescale": draw(st.integers(1, 1000)),
        "shift": draw(st.integers(0, 100)),
    }
    if kind == "stair":
        steps = sorted(draw(st.sets(st.integers(1, n), max_size=4)))
        kw |= {"steps": steps, "mults": [draw(FRACTIONS) for _ in steps]}
    return kw


@st.composite
def _olmo(draw: st.DrawFn) -> Kwargs:
    n, lr = draw(LENGTHS), draw(LRS)
    name = draw(
        st.sampled_from(
            [
                "cosine_with_warmup",
                "linear_with_warmup",
                "inverse_sqrt_with_warmup",
                "constant",
                "constant_with_warmup",
            ]
        )
    )
    low = 1 if name == "inverse_sqrt_with_warmup" else 0
    return {
        "learning_rate": lr,
        "max_duration": n,
        "name": name,
        "t_warmup": draw(st.integers(low, n + 5)),
        "t_max": draw(st.none() | st.integers(1, 2 * n)),
        "alpha_f": draw(FRACTIONS),
        "warmup_min_lr": draw(st.none() | st.floats(0.0, 0.99).map(lambda f: f * lr)),
    }


@st.composite
def _latent_diffusion_cosine(draw: st.DrawFn) -> Kwargs:
    d = draw(st.integers(1, 200))
    return {
        "lr": draw(LRS),
        "warm_up_steps": draw(st.integers(0, d - 1)),
        "lr_min": draw(FRACTIONS),
        "lr_max": draw(FRACTIONS),
        "lr_start": draw(FRACTIONS),
        "max_decay_steps": d,
    }


def _latent_diffusion_cycles(shape: str) -> st.SearchStrategy[Kwargs]:
    @st.composite
    def cycles(draw: st.DrawFn) -> Kwargs:
        n = draw(st.integers(1, 4))
        lengths = [draw(st.integers(2, 60)) for _ in range(n)]
        low = [0 if i == 0 or shape == "linear" else 1 for i in range(n)]
        return {
            "lr": draw(LRS),
            "warm_up_steps": [draw(st.integers(low[i], c - 1)) for i, c in enumerate(lengths)],
            "f_min": [draw(FRACTIONS) for _ in lengths],
            "f_max": [draw(FRACTIONS) for _ in lengths],
            "f_start": [draw(FRACTIONS) for _ in lengths],
            "cycle_lengths": lengths,
        }

    return cycles()


@st.composite
def _guided_diffusion(draw: st.DrawFn) -> Kwargs:
    n = draw(st.just(0) | LENGTHS)
    return {
        "lr": draw(LRS),
        "lr_anneal_steps": n,
        "resume_step": draw(st.integers(0, n - 1)) if n else 0,
    }


@st.composite
def _paddle_piecewise(draw: st.DrawFn) -> Kwargs:
    boundaries = sorted(draw(st.sets(st.integers(1, 300), min_size=1, max_size=5)))
    extra = draw(st.integers(1, 3))
    return {"boundaries": boundaries, "values": [draw(LRS) for _ in range(len(boundaries) + extra)]}


@st.composite
def _paddle_linear_warmup(draw: st.DrawFn) -> Kwargs:
    start, end = sorted(draw(st.lists(LRS, min_size=2, max_size=2, unique=True)))
    return {
        "learning_rate": draw(LRS),
        "warmup_steps": draw(LENGTHS),
        "start_lr": start,
        "end_lr": end,
    }


@st.composite
def _paddle_linear_warmup_scheduler(draw: st.DrawFn) -> Kwargs:
    kw = draw(_paddle_linear_warmup())
    inner = draw(
        st.sampled_from(
            [
                lambda: presets.paddle_cosine_annealing_decay(draw(LRS), draw(LENGTHS)),
                lambda: presets.paddle_polynomial_decay(draw(LRS), draw(LENGTHS), 0.0),
                lambda: presets.paddle_multi_step_decay(draw(LRS), [draw(LENGTHS)]),
                lambda: presets.paddle_noam_decay(draw(LENGTHS), draw(LENGTHS), horizon=200),
            ]
        )
    )()
    return {**kw, "learning_rate": inner}


@st.composite
def _paddle_one_cycle(draw: st.DrawFn) -> Kwargs:
    three = draw(st.booleans())
    return {
        "max_learning_rate": draw(LRS),
        "total_steps": draw(st.integers(4, 300)),
        "divide_factor": draw(st.floats(1.0, 100.0)),
        "end_learning_rate": draw(st.just(0.0) | st.floats(0, 1e-4)),
        "phase_pct": draw(st.floats(0.25, 0.45 if three else 0.9)),
        "anneal_strategy": draw(st.sampled_from(["cos", "linear"])),
        "three_phase": three,
    }


@st.composite
def _megatron_lr(draw: st.DrawFn) -> Kwargs:
    n, top = draw(st.integers(2, 300)), draw(LRS)
    style = draw(st.sampled_from(["constant", "linear", "cosine", "inverse-square-root", "WSD"]))
    warmup = draw(st.integers(0, n - 1) | st.floats(0.0, n - 1.0))
    anneal = draw(st.integers(0, n - math.ceil(warmup)))
    return {
        "init_lr": draw(FRACTIONS) * top,
        "max_lr": top,
        "min_lr": draw(FRACTIONS) * top,
        "lr_warmup_steps": warmup,
        "lr_decay_steps": n,
        "lr_decay_style": style,
        "wsd_decay_steps": anneal if style == "WSD" else None,
        "lr_wsd_decay_style": draw(st.sampled_from(["linear", "cosine", "minus_sqrt"]))
        if style == "WSD"
        else None,
        "increment": draw(st.integers(1, 8)),
    }


@st.composite
def _megatron_wd(draw: st.DrawFn) -> Kwargs:
    start, style = draw(FRACTIONS), draw(st.sampled_from(["constant", "linear", "cosine"]))
    return {
        "start_wd": start,
        "end_wd": start if style == "constant" else start + draw(FRACTIONS),
        "wd_incr_steps": draw(LENGTHS),
        "wd_incr_style": style,
        "increment": draw(st.integers(1, 8)),
    }


@st.composite
def _mmengine(draw: st.DrawFn) -> Kwargs:
    """1 to 3 MMEngine schedulers one after the other (per iteration, per epoch, or per epoch
    converted to iterations), each cosine's or polynomial's floor below where it starts."""
    per, lr = draw(st.integers(1, 12)), draw(LRS)
    at, value, configs = 0, 1.0, []  # the next free iteration, the factor reached so far
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["LinearLR", "CosineAnnealingLR", "PolyLR"]))
        mode = draw(st.sampled_from(["iter", "epoch", "convert"]))
        unit = 1 if mode == "iter" else per
        begin = -(-at // unit) + draw(st.integers(0, 3))
        end = begin + draw(st.integers(1, 40 if mode == "iter" else 5))
        config: Kwargs = {"type": kind, "begin": begin, "end": end, "by_epoch": mode != "iter"}
        config |= {"convert_to_iter_based": True} if mode == "convert" else {}
        steps = (end - begin) * (per if mode == "convert" else 1)  # its own steps in its window
        if kind == "LinearLR":
            start, stop = draw(st.floats(0.01, 1.0)), draw(st.floats(0.01, 1.0))
            config |= {"start_factor": start, "end_factor": stop}
            value *= stop if steps > 1 else start
        elif kind == "PolyLR":
            floor = draw(FRACTIONS)
            config |= {"eta_min": lr * value * floor, "power": draw(POWERS)}
            value *= floor if steps > 1 else 1.0
        else:
            config |= draw(st.sampled_from([{}, {"T_max": end - begin + draw(st.integers(0, 20))}]))
            floor = draw(FRACTIONS) * min(value, 1.0)
            config |= draw(st.sampled_from([{"eta_min": lr * floor}, {"eta_min_ratio": floor}]))
            value *= floor  # it holds above its floor: a later floor below this is below it
        configs.append(config)
        at = end * unit
    return {"lr": lr, "param_scheduler": configs, "epoch_length": per}


@st.composite
def _composer(draw: st.DrawFn, extra: dict[str, st.SearchStrategy[Any]]) -> Kwargs:
    """A Composer warmup scheduler under its trainer: times in batches, epochs or durations."""
    length = draw(st.integers(1, 20))
    unit = draw(st.sampled_from(["ba", "ep"]))
    duration = draw(st.integers(1, 100 if unit == "ba" else 5))
    warmup = draw(
        st.sampled_from([f"{draw(st.integers(0, 30))}ba", f"{draw(st.integers(0, 2))}ep"])
        | st.sampled_from(["0.05dur", "0.1dur", "0.5dur"])
    )
    kw: Kwargs = {"t_warmup": warmup, "lr": draw(LRS), "max_duration": f"{duration}{unit}"}
    kw |= {"t_max": draw(st.sampled_from(["1dur", "1.5dur"]))}
    return kw | {"dataloader_len": length} | draw(st.fixed_dictionaries(extra))


@st.composite
def _detectron2(draw: st.DrawFn) -> Kwargs:
    """detectron2's SOLVER keys: one of its three schedules behind a warmup."""
    total = draw(st.integers(2, 300))
    name = draw(
        st.sampled_from(["WarmupMultiStepLR", "WarmupCosineLR", "WarmupStepWithFixedGammaLR"])
    )
    rescale = draw(st.booleans())
    warmup = draw(st.integers(0, total - 1 if rescale else total + 5))
    if name == "WarmupCosineLR" and not rescale:
        warmup = 0
    steps = sorted(draw(st.sets(st.integers(1, total - 1), max_size=4)))
    lr = draw(LRS)
    return {
        "BASE_LR": lr,
        "MAX_ITER": total,
        "STEPS": steps,
        "GAMMA": draw(GAMMAS),
        "WARMUP_FACTOR": draw(FRACTIONS),
        "WARMUP_ITERS": warmup,
        "WARMUP_METHOD": draw(st.sampled_from(["linear", "constant"])),
        "LR_SCHEDULER_NAME": name,
        "BASE_LR_END": lr * draw(FRACTIONS),
        "NUM_DECAYS": draw(st.integers(1, 5)),
        "RESCALE_INTERVAL": rescale,
    }


# fairseq
@st.composite
def _fairseq_cosine(draw: st.DrawFn) -> Kwargs:
    n, lr = draw(st.integers(2, 300)), draw(LRS)
    return {
        "lr": lr,
        "warmup_updates": draw(st.integers(0, n - 1)),
        "warmup_init_lr": draw(st.just(-1.0) | FRACTIONS.map(lambda f: f * lr)),
        "min_lr": draw(FRACTIONS) * lr * 0.5,
        "t_mult": draw(st.sampled_from([1.0, 2.0])),
        "lr_period_updates": draw(st.just(-1.0) | st.integers(1, 100).map(float)),
        "lr_shrink": draw(st.floats(0.01, 1.0)),
        "max_update": n,
    }


@st.composite
def _fairseq_tri_stage(draw: st.DrawFn) -> Kwargs:
    kw: Kwargs = {
        "lr": draw(LRS),
        "init_lr_scale": draw(FRACTIONS),
        "final_lr_scale": draw(st.floats(0.001, 1.0)),
    }
    if draw(st.booleans()):
        return kw | {
            "warmup_steps": draw(st.integers(0, 100)),
            "hold_steps": draw(st.integers(0, 100)),
            "decay_steps": draw(LENGTHS),
        }
    return kw | {"phase_ratio": [0.25, 0.25, 0.5], "max_update": draw(st.integers(2, 300))}


#: One strategy per preset, drawing its keyword arguments.
STRATEGIES: dict[str, st.SearchStrategy[Kwargs]] = {
    "tpu_reference": st.integers(1, 200).flatmap(
        lambda t: st.fixed_dictionaries(
            {
                "init_learning_rate": LRS,
                "warmup_learning_rate": st.one_of(st.just(0.0), LRS),
                "warmup_steps": st.integers(0, t - 1),
                "total_steps": st.just(t),
            }
        )
    ),
    "transformers_cosine_with_warmup": _hf_cosine(),
    "transformers_cosine_with_min_lr": _hf_cosine(min_lr=True),
    "transformers_cosine_with_hard_restarts": _hf_hard_restarts(),
    "transformers_linear_with_warmup": _warmup_total(),
    "transformers_polynomial_decay_with_warmup": _hf_polynomial(),
    "transformers_constant_with_warmup": st.fixed_dictionaries(
        {"lr": LRS, "num_warmup_steps": WARMUPS}
    ),
    "transformers_inverse_sqrt": _hf_inverse_sqrt(),
    "transformers_wsd": _hf_wsd(),
    "optax_warmup_cosine_decay": _optax_warmup_cosine(),
    "optax_cosine_decay": st.fixed_dictionaries(
        {
            "init_value": LRS,
            "decay_steps": LENGTHS,
            "alpha": FRACTIONS,
            "exponent": FLOAT32_EXPONENTS,
        }
    ),
    "optax_linear": _optax_polynomial(linear=True),
    "optax_polynomial": _optax_polynomial(),
    "optax_warmup_exponential_decay": _optax_warmup_exponential(),
    "optax_sgdr": _optax_sgdr(),
    "optax_exponential_decay": _optax_exponential_decay(),
    "optax_constant": st.fixed_dictionaries({"value": LRS}),
    "optax_piecewise_constant": _optax_piecewise_constant(),
    "optax_piecewise_interpolate": st.tuples(
        st.sampled_from(["linear", "cosine"]), _optax_piecewise_constant()
    ).map(lambda t: {"interpolate_type": t[0], **t[1]}),
    "optax_linear_onecycle": _optax_onecycle(linear=True),
    "optax_cosine_onecycle": _optax_onecycle(linear=False),
    "optax_join_schedules": _optax_join(),
    "keras_cosine_decay": _keras_cosine(),
    "keras_cosine_decay_restarts": _keras_restarts(),
    "keras_polynomial_decay": st.fixed_dictionaries(
        {
            "initial_learning_rate": LRS,
            "decay_steps": LENGTHS,
            "end_learning_rate": st.just(0.0),
            "power": FLOAT32_EXPONENTS,
        }
    )
    | st.fixed_dictionaries(
        {
            "initial_learning_rate": st.just(0.0),
            "decay_steps": LENGTHS,
            "end_learning_rate": LRS,
            "power": RISE_POWERS,
        }
    ),
    "keras_exponential_decay": _keras_decay(st.floats(min_value=0.05, max_value=1.0)),
    "keras_inverse_time_decay": _keras_decay(st.floats(min_value=0.01, max_value=5.0)),
    "keras_piecewise_constant_decay": _keras_piecewise(),
    # float32 rates: Keras rounds decay_rate to float32, and decay_rate ** k multiplies that
    # rounding by k (for a rate near 1 it stays near 1, k float32 ulps off)
    "keras_exponential_decay_staircase": _keras_decay(
        st.floats(min_value=0.0625, max_value=1.0, width=32), periods=True
    ),
    "keras_inverse_time_decay_staircase": _keras_decay(
        st.floats(min_value=0.015625, max_value=5.0, width=32), periods=True
    ),
    "keras_cosine_decay_restarts_composed": _keras_restarts(any_alpha=True),
    "keras_polynomial_decay_cycle": _keras_polynomial_cycle(),
    "torch_linear_then_cosine": _torch_linear_then_cosine(),
    "torch_cosine_annealing": LRS.flatmap(
        lambda lr: st.fixed_dictionaries(
            {"lr": st.just(lr), "T_max": LENGTHS, "eta_min": FRACTIONS.map(lambda f: f * lr)}
        )
    ),
    "torch_cosine_warm_restarts": _torch_warm_restarts(),
    "torch_polynomial": st.fixed_dictionaries({"lr": LRS, "total_iters": LENGTHS, "power": POWERS}),
    "torch_step": st.fixed_dictionaries(
        {"lr": LRS, "step_size": st.integers(1, 60), "gamma": GAMMAS, "horizon": LENGTHS}
    ),
    "torch_multistep": st.fixed_dictionaries(
        {"lr": LRS, "milestones": st.lists(st.integers(0, 150), max_size=6), "gamma": GAMMAS}
    ),
    "torch_one_cycle": _torch_one_cycle(),
    "torch_one_cycle_momentum": _torch_one_cycle(momentum=True),
    "torch_cyclic": _torch_cyclic(),
    "torch_sequential": _torch_sequence(chained=False),
    "torch_chained": _torch_sequence(chained=True),
    "torch_exponential": st.fixed_dictionaries(
        {"lr": LRS, "gamma": GAMMAS.map(lambda g: max(g, 0.1)), "horizon": LENGTHS}
    ),
    "torch_constant": st.fixed_dictionaries(
        {"lr": LRS, "factor": TORCH_FACTORS, "total_iters": st.integers(0, 100)}
    ),
    "torch_linear": st.fixed_dictionaries(
        {
            "lr": LRS,
            "start_factor": TORCH_FACTORS,
            "end_factor": st.one_of(st.just(0.0), st.just(1.0), TORCH_FACTORS),
            "total_iters": st.integers(0, 100),
        }
    ),
    "timm_cosine": _timm(),
    "timm_step": _timm_steps(multi=False),
    "timm_multistep": _timm_steps(multi=True),
    "timm_poly": _timm(poly=True),
    "timm_tanh": _timm(tanh=True),
    "deepspeed_warmup_cosine": _deepspeed(cosine=True),
    "deepspeed_warmup_decay": _deepspeed(cosine=False),
    "torchtune_cosine_with_warmup": _hf_cosine(),
    "espnet_warmup_lr": _espnet(),
    "espnet_noam_lr": _espnet(noam=True),
    "pytorch_warmup_linear": st.integers(1, 100).flatmap(
        lambda w: st.fixed_dictionaries(
            {"lr": LRS, "warmup_period": st.just(w), "horizon": st.integers(w, w + 100)}
        )
    ),
    "pytorch_warmup_untuned_linear": st.fixed_dictionaries(
        {"lr": LRS, "betas": st.tuples(st.just(0.9), st.sampled_from([0.5, 0.9, 0.95, 0.98]))}
    ),
    "bolts_linear_warmup_cosine_annealing": _bolts(),
    "ignite_cosine_annealing": _ignite(),
    "ignite_piecewise_linear": _ignite_piecewise(),
    "ignite_linear_cyclical": _ignite_cyclical(),
    "nanogpt_get_lr": _nanogpt(),
    "nanogpt_get_lr_2023": _nanogpt(),
    "llmc_get_lr": _llmc_python(),
    "llmc_get_learning_rate": _llmc_c(),
    "torchtitan_lr_scheduler": _torchtitan(),
    "annotated_transformer_rate": st.integers(1, 100).flatmap(
        lambda w: st.fixed_dictionaries(
            {
                "lr": LRS,
                "model_size": st.sampled_from([64, 512, 1024]),
                "factor": LRS,
                "warmup": st.just(w),
                "horizon": st.integers(w + 1, w + 200),
            }
        )
    ),
    "dino_cosine_scheduler": _dino(),
    "dinov2_cosine_scheduler": _dinov2(),
    "mae_adjust_learning_rate": _mae(),
    # fvcore
    "fvcore_constant": st.fixed_dictionaries({"value": LRS, "total_steps": LENGTHS}),
    "fvcore_cosine": _fvcore_two("start_value", "end_value"),
    "fvcore_linear": _fvcore_two("start_value", "end_value"),
    "fvcore_exponential": st.fixed_dictionaries(
        {
            "start_value": LRS,
            "decay": st.floats(min_value=1e-3, max_value=10.0),
            "total_steps": LENGTHS,
        }
    ),
    "fvcore_polynomial": st.fixed_dictionaries(
        {"base_value": LRS, "power": POWERS, "total_steps": LENGTHS}
    ),
    "fvcore_step": st.fixed_dictionaries(
        {
            "num_updates": st.one_of(LENGTHS, st.floats(min_value=0.5, max_value=100.0)),
            "values": st.lists(LRS, min_size=1, max_size=8),
            "total_steps": LENGTHS,
        }
    ),
    "fvcore_multistep": _fvcore_multistep(),
    "fvcore_step_with_fixed_gamma": st.fixed_dictionaries(
        {
            "base_value": LRS,
            "num_decays": st.integers(1, 6),
            "gamma": st.floats(min_value=0.01, max_value=1.0),
            "num_updates": LENGTHS,
            "total_steps": LENGTHS,
        }
    ),
    "fvcore_composite": _fvcore_composite(),
    # the language-model codebases
    "nanochat_lr_multiplier": _nanochat_lr(),
    "nanochat_muon_momentum": st.fixed_dictionaries(
        {"num_iterations": st.integers(1, 1000), "warmdown_ratio": FRACTIONS}
    ),
    "nanochat_weight_decay": st.fixed_dictionaries(
        {"weight_decay": LRS, "num_iterations": LENGTHS}
    ),
    "modded_nanogpt_get_lr": st.fixed_dictionaries(
        {"lr": LRS, "num_iterations": LENGTHS, "cooldown_frac": FRACTIONS}
    ),
    "litgpt_get_lr": _litgpt(),
    "gpt_neox_annealing_lr": _gpt_neox(),
    "megatron_lr": _megatron_lr(),
    "megatron_weight_decay": _megatron_wd(),
    # the vision codebases
    "open_clip_cosine_lr": st.integers(1, 300).flatmap(
        lambda n: st.fixed_dictionaries(
            {"base_lr": LRS, "warmup_length": st.integers(0, n - 1), "steps": st.just(n)}
        )
    ),
    "open_clip_const_lr": st.fixed_dictionaries(
        {"base_lr": LRS, "warmup_length": WARMUPS, "steps": LENGTHS}
    ),
    "open_clip_const_lr_cooldown": _open_clip_cooldown(),
    "yolov5_lr": st.fixed_dictionaries(
        {
            "nb": st.integers(1, 200),
            "epochs": st.integers(1, 30),
            "lr0": LRS,
            "lrf": FRACTIONS,
            "warmup_epochs": st.floats(0.0, 5.0),
            "cos_lr": st.booleans(),
        }
    ),
    "yolov5_momentum": st.fixed_dictionaries(
        {
            "nb": st.integers(1, 200),
            "momentum": FRACTIONS,
            "warmup_momentum": FRACTIONS,
            "warmup_epochs": st.floats(0.0, 5.0),
        }
    ),
    "big_vision_lr_schedule": _big_vision(),
    # MMEngine
    "mmengine_param_scheduler": _mmengine(),
    # Composer
    **{
        f"composer_{name}_with_warmup": _composer(extra)
        for name, extra in (
            ("linear", {"alpha_i": FRACTIONS, "alpha_f": FRACTIONS}),
            ("cosine", {"alpha_f": FRACTIONS}),
            ("constant", {"alpha": FRACTIONS}),
            ("polynomial", {"power": POWERS, "alpha_f": FRACTIONS}),
        )
    },
    # detectron2
    "detectron2_lr_scheduler": _detectron2(),
    # more codebases (OLMo, ...)
    "olmo_scheduler": _olmo(),
    "latent_diffusion_lambda_warm_up_cosine_scheduler": _latent_diffusion_cosine(),
    "latent_diffusion_lambda_warm_up_cosine_scheduler2": _latent_diffusion_cycles("cosine"),
    "latent_diffusion_lambda_linear_scheduler": _latent_diffusion_cycles("linear"),
    "guided_diffusion_anneal_lr": _guided_diffusion(),
    # PaddlePaddle
    "paddle_cosine_annealing_decay": st.fixed_dictionaries(
        {"learning_rate": LRS, "T_max": LENGTHS, "eta_min": st.just(0.0) | st.floats(0, 1e-4)}
    ),
    "paddle_step_decay": st.fixed_dictionaries(
        {"learning_rate": LRS, "step_size": LENGTHS, "gamma": GAMMAS, "horizon": LENGTHS}
    ),
    "paddle_multi_step_decay": st.fixed_dictionaries(
        {
            "learning_rate": LRS,
            "milestones": st.sets(st.integers(0, 300), min_size=1, max_size=5).map(sorted),
            "gamma": GAMMAS,
        }
    ),
    "paddle_exponential_decay": st.fixed_dictionaries(
        {"learning_rate": LRS, "gamma": GAMMAS, "horizon": LENGTHS}
    ),
    "paddle_polynomial_decay": st.fixed_dictionaries(
        {
            "learning_rate": LRS,
            "decay_steps": LENGTHS,
            "end_lr": st.just(0.0) | st.floats(0, 1e-4),
            "power": POWERS,
        }
    ),
    "paddle_polynomial_decay_cycle": st.fixed_dictionaries(
        {
            "learning_rate": LRS,
            "decay_steps": LENGTHS,
            "end_lr": st.just(0.0) | st.floats(0, 1e-4),
            "power": POWERS,
            "cycles": st.integers(1, 6),
        }
    ),
    "paddle_noam_decay": st.fixed_dictionaries(
        {
            "d_model": st.integers(1, 2048),
            "warmup_steps": LENGTHS,
            "learning_rate": LRS,
            "horizon": LENGTHS,
        }
    ),
    "paddle_piecewise_decay": _paddle_piecewise(),
    "paddle_linear_warmup": _paddle_linear_warmup(),
    "paddle_linear_warmup_scheduler": _paddle_linear_warmup_scheduler(),
    "paddle_one_cycle_lr": _paddle_one_cycle(),
    # fairseq
    "fairseq_cosine": _fairseq_cosine(),
    "fairseq_inverse_sqrt": st.integers(1, 100).flatmap(
        lambda w: st.fixed_dictionaries(
            {
                "lr": LRS,
                "warmup_updates": st.just(w),
                "warmup_init_lr": st.just(-1.0) | st.floats(0.0, 1e-4),
                "horizon": st.integers(w + 1, 400),
            }
        )
    ),
    "fairseq_polynomial_decay": st.fixed_dictionaries(
        {
            "lr": LRS,
            "warmup_updates": st.integers(0, 100),
            "end_learning_rate": FRACTIONS.map(lambda f: f * 1e-4),
            "power": POWERS,
            "total_num_update": st.integers(1, 300),
        }
    ),
    "fairseq_tri_stage": _fairseq_tri_stage(),
    "fairseq_step": st.fixed_dictionaries(
        {
            "lr": LRS,
            "warmup_updates": st.integers(0, 50),
            "warmup_init_lr": st.just(-1.0) | st.floats(0.0, 1e-4),
            "min_lr": st.floats(1e-9, 1e-5),
            "lr_deacy_period": LENGTHS,
            "lr_decay": st.floats(0.0, 0.99) | st.just(1.0),
        }
    ),
    # T5X
    "t5x_learning_rate_scheduler": st.fixed_dictionaries(
        {
            "factors": st.lists(
                st.sampled_from(
                    [
                        "constant",
                        "linear_warmup",
                        "linear_decay",
                        "rsqrt_decay",
                        "rsqrt_normalized_decay",
                        "decay_every",
                        "cosine_decay",
                    ]
                ),
                min_size=1,
                max_size=3,
                unique=True,
            ).map(" * ".join),
            "base_learning_rate": LRS,
            "warmup_steps": st.integers(1, 100),
            "decay_factor": FRACTIONS,
            "steps_per_decay": LENGTHS,
            "steps_per_cycle": LENGTHS,
            "step_offset": st.integers(0, 20),
            "min_learning_rate": st.floats(0.0, 1e-4),
            "horizon": st.integers(1, 400),
        }
    ),
    # MaxText
    "maxtext_learning_rate_schedule": st.fixed_dictionaries(
        {
            "steps": st.integers(1, 400),
            "learning_rate": LRS,
            "cosine_learning_rate_final_fraction": FRACTIONS,
            "warmup_steps_fraction": FRACTIONS,
            "learning_rate_schedule_steps": st.just(-1) | st.integers(0, 400),
        }
    ),
    # Levanter
    "levanter_lr_scheduler": st.fixed_dictionaries(
        {
            "num_train_steps": st.integers(1, 400),
            "learning_rate": LRS,
            "min_lr_ratio": FRACTIONS,
            "warmup": st.sampled_from([0.0, 0.01, 0.1]),
            "decay": st.none() | st.sampled_from([0.5, 0.9]),
            "rewarmup": st.sampled_from([0.0, 0.1]),
            "cycles": st.none() | st.integers(1, 4),
            "lr_schedule": st.sampled_from(["linear", "constant"]),
        }
    ),
}
