"""Regenerate the golden data of the codebase presets by running each codebase's own code.

Usage::

    python tests/data/codebases/make_golden.py CODEBASE REPOSITORY [OUT_DIR]

``CODEBASE`` is one of :data:`CODEBASES` (``nanogpt``, ``llmc``, ``torchtitan``,
``annotated_transformer``, ``dino``, ``dinov2``, ``mae``, ``nanochat``, ``modded_nanogpt``,
``litgpt``, ``gpt_neox``, ``megatron``, ``open_clip``, ``yolov5``, ``big_vision``, ``olmo``,
``latent_diffusion``, ``guided_diffusion``, ``paddle``, ``composer``, ``detectron2``,
``fairseq``, ``t5x``, ``maxtext``, ``levanter``);
``REPOSITORY`` a git repository of it (a clone, or a bare mirror): the script reads the pinned
commit's file with ``git show COMMIT:PATH``, so the checkout's own state does not matter. It
extracts the schedule's function (or class, or for YOLOv5 the loop's own statements) from that
file with :mod:`ast` and runs it as the codebase's training loop does, step by step, for every
parameter set below, then writes ``OUT_DIR/CODEBASE.json`` (default: next to this script). No
code of the codebases is kept in warmcos: only the values it produced. PaddlePaddle is a
package (``paddlepaddle``, too heavy for the test install): ``paddle`` runs the installed one
(its ``paddle.version.commit`` must be the pinned commit; ``REPOSITORY`` is not read, pass
``-``), stepping each scheduler as a training loop does.

The llm.c C schedulers are compiled from ``llmc/schedulers.h`` with ``$CC`` (default ``gcc``),
``-O2 -lm``, into a temporary directory. Needs ``numpy`` (DINO, DINOv2, YOLOv5), ``torch``
(YOLOv5's and latent-diffusion's ``LambdaLR``, Composer, detectron2), ``fvcore``
(detectron2) and ``jax`` (big_vision, T5X, MaxText and Levanter, in its default float32;
MaxText and Levanter with ``optax``).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import json
import math
import os
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

NANOCHAT = "92d63d4e8bb4df75c3b71618f31ddde2378b2bcd"
OPEN_CLIP = "89fb801f1e6087880e951fc8354b8a2077b79c6d"
YOLOV5 = "ffcdd98090f846e70a5930e59976176fe1cbe920"
MEGATRON = "d98e8a64ddf34856e74b24714e3bedb2f5a39553"
MEGATRON_PATH = "megatron/core/optimizer_param_scheduler.py"
COMPOSER = "6405188805a0054b4551ec49e4919c54c971d0e8"
DETECTRON2 = "02b5c4e295e990042a714712c21dc79b731e8833"
OLMO = "59a53e3f68e546330ca5a99ec626e58f9ab96494"
LDM = "a506df5756472e2ebaf9078affdde2c4f1502cd4"
GUIDED = "22e0df8183507e13a7813f8d38d51b072ca1e67c"
PADDLE = "7688495538f4d6c1893f084dd238a402e8f68ab6"  # paddlepaddle 3.3.1
PADDLE_PATH = "python/paddle/optimizer/lr.py"
LDM_CLASSES = (
    ("lambda_warm_up_cosine_scheduler", "LambdaWarmUpCosineScheduler"),
    ("lambda_warm_up_cosine_scheduler2", "LambdaWarmUpCosineScheduler2"),
    ("lambda_linear_scheduler", "LambdaLinearScheduler"),
)


def paddle_warmup(
    warmup_steps: int, start_lr: float, end_lr: float, inner: str, /, *args: Any, **kw: Any
) -> dict[str, Any]:
    """A ``LinearWarmup`` case wrapping ``paddle_<inner>(*args, **kw)`` (its preset's kwargs)."""
    names = {"cosine_annealing_decay": ("learning_rate",), "polynomial_decay": ("learning_rate",)}
    names |= {"multi_step_decay": ("learning_rate",)}
    wrapped = dict(zip(names.get(inner, ()), args, strict=False)) | kw
    return {
        "learning_rate": {"preset": f"paddle_{inner}", "kwargs": wrapped},
        "warmup_steps": warmup_steps,
        "start_lr": start_lr,
        "end_lr": end_lr,
    }


def ldm_cycles(*values: Any) -> dict[str, Any]:
    """A parameter set of latent-diffusion's cycled schedulers, in their order (``lr`` first)."""
    names = ("lr", "warm_up_steps", "f_min", "f_max", "f_start", "cycle_lengths")
    return dict(zip(names, values, strict=True))


FAIRSEQ = "3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99"
FAIRSEQ_PATH = "fairseq/optim/lr_scheduler"
#: fairseq preset -> (module, scheduler class, its config dataclass)
FAIRSEQ_SCHEDULERS = {
    "cosine": ("cosine_lr_scheduler", "CosineLRSchedule", "CosineLRScheduleConfig"),
    "inverse_sqrt": (
        "inverse_square_root_schedule",
        "InverseSquareRootSchedule",
        "InverseSquareRootLRScheduleConfig",
    ),
    "polynomial_decay": (
        "polynomial_decay_schedule",
        "PolynomialDecayLRSchedule",
        "PolynomialDecayLRScheduleConfig",
    ),
    "tri_stage": ("tri_stage_lr_scheduler", "TriStageLRSchedule", "TriStageLRScheduleConfig"),
    "step": ("step_lr_scheduler", "StepLRSchedule", "StepLRScheduleConfig"),
}

#: codebase -> (repository, {preset: (commit, path, function)}) and the parameter sets.
CODEBASES: dict[str, dict[str, Any]] = {
    "nanogpt": {
        "repository": "karpathy/nanoGPT",
        "presets": {
            "nanogpt_get_lr": ("3adf61e154c3fe3fca428ad6bc3818b27a3b8291", "train.py", "get_lr"),
            "nanogpt_get_lr_2023": (
                "9755682b981a45507f6eb9b11eadef8cb83cebd5",
                "train.py",
                "get_lr",
            ),
        },
        "cases": [
            {"learning_rate": 1.0, "warmup_iters": 4, "lr_decay_iters": 10, "min_lr": 0.1},
            {"learning_rate": 6e-4, "warmup_iters": 0, "lr_decay_iters": 50, "min_lr": 6e-5},
            {"learning_rate": 6e-4, "warmup_iters": 1, "lr_decay_iters": 7, "min_lr": 0.0},
            {"learning_rate": 3e-4, "warmup_iters": 20, "lr_decay_iters": 300, "min_lr": 3e-5},
            {"learning_rate": 6e-4, "warmup_iters": 9, "lr_decay_iters": 10, "min_lr": 6e-5},
            {
                "learning_rate": 1e-3,
                "warmup_iters": 5,
                "lr_decay_iters": 20,
                "min_lr": 1e-4,
                "decay_lr": False,
            },
        ],
    },
    "llmc": {
        "repository": "karpathy/llm.c",
        "presets": {
            "llmc_get_lr": ("f1e2ace651495b74ae22d45d1723443fd00ecd3a", "train_gpt2.py", "get_lr"),
            "llmc_get_learning_rate": (
                "f1e2ace651495b74ae22d45d1723443fd00ecd3a",
                "llmc/schedulers.h",
                "get_learning_rate",
            ),
        },
        "cases": {
            "llmc_get_lr": [
                {
                    "learning_rate": 1.0,
                    "warmup_iters": 4,
                    "num_iterations": 10,
                    "learning_rate_decay_frac": 0.1,
                },
                {"learning_rate": 1e-4, "warmup_iters": 0, "num_iterations": 10},
                {
                    "learning_rate": 6e-4,
                    "warmup_iters": 1,
                    "num_iterations": 30,
                    "learning_rate_decay_frac": 0.0,
                },
                {
                    "learning_rate": 6e-4,
                    "warmup_iters": 2,
                    "num_iterations": 30,
                    "learning_rate_decay_frac": 0.1,
                },
                {
                    "learning_rate": 3e-4,
                    "warmup_iters": 50,
                    "num_iterations": 1000,
                    "learning_rate_decay_frac": 0.0,
                },
            ],
            "llmc_get_learning_rate": [
                {
                    "scheduler_type": "cosine",
                    "learning_rate": 1.0,
                    "warmup_iterations": 4,
                    "train_num_batches": 10,
                    "final_learning_rate_frac": 0.1,
                },
                {
                    "scheduler_type": "cosine",
                    "learning_rate": 3e-4,
                    "warmup_iterations": 0,
                    "train_num_batches": 50,
                },
                {
                    "scheduler_type": "linear",
                    "learning_rate": 6e-4,
                    "warmup_iterations": 1,
                    "train_num_batches": 30,
                    "final_learning_rate_frac": 0.0,
                },
                {
                    "scheduler_type": "linear",
                    "learning_rate": 0.5,
                    "warmup_iterations": 7,
                    "train_num_batches": 64,
                    "final_learning_rate_frac": 0.25,
                },
                {
                    "scheduler_type": "wsd",
                    "learning_rate": 3e-4,
                    "warmup_iterations": 10,
                    "train_num_batches": 100,
                    "final_learning_rate_frac": 0.0,
                },
                {
                    "scheduler_type": "wsd",
                    "learning_rate": 1.0,
                    "warmup_iterations": 0,
                    "train_num_batches": 37,
                    "final_learning_rate_frac": 0.1,
                },
                {
                    "scheduler_type": "wsd",
                    "learning_rate": 1.0,
                    "warmup_iterations": 2,
                    "train_num_batches": 1001,
                    "final_learning_rate_frac": 0.0,
                },
                {
                    "scheduler_type": "constant",
                    "learning_rate": 3e-4,
                    "warmup_iterations": 5,
                    "train_num_batches": 20,
                },
            ],
        },
    },
    "torchtitan": {
        "repository": "pytorch/torchtitan",
        "presets": {
            "torchtitan_lr_scheduler": (
                "b5bcd76c66d0acb1a08b176d9639425bc55e0b2a",
                "torchtitan/components/optimizer/lr_scheduler.py",
                "linear_warmup_stable_decay",
            ),
        },
        "cases": [
            {"lr": 1.0, "training_steps": 10, "warmup_steps": 4},
            {
                "lr": 8e-4,
                "training_steps": 100,
                "warmup_steps": 10,
                "decay_ratio": 0.2,
                "decay_type": "sqrt",
                "min_lr_factor": 0.1,
            },
            {
                "lr": 3e-4,
                "training_steps": 60,
                "warmup_steps": 1,
                "decay_ratio": 0.5,
                "decay_type": "cosine",
            },
            {
                "lr": 1.0,
                "training_steps": 30,
                "warmup_steps": 0,
                "decay_type": "cosine",
                "min_lr_factor": 0.25,
            },
            {"lr": 1.0, "training_steps": 20, "warmup_steps": 200},
            {
                "lr": 2e-4,
                "training_steps": 50,
                "total_steps": 80,
                "warmup_steps": 8,
                "decay_ratio": 0.9,
            },
            {"lr": 1.0, "training_steps": 40, "warmup_steps": 5, "decay_ratio": 0.0},
        ],
    },
    "annotated_transformer": {
        "repository": "harvardnlp/annotated-transformer",
        "presets": {
            "annotated_transformer_rate": (
                "debc9fd747bb2123160a98046ad1c2d4da44a567",
                "the_annotated_transformer.py",
                "rate",
            ),
        },
        "cases": [
            {"lr": 1.0, "model_size": 512, "factor": 1.0, "warmup": 400, "horizon": 1200},
            {"lr": 0.5, "model_size": 512, "factor": 1.0, "warmup": 3000, "horizon": 6000},
            {"lr": 1.0, "model_size": 64, "factor": 2.0, "warmup": 1, "horizon": 50},
            {"lr": 1.0, "model_size": 512, "factor": 1.0, "warmup": 2, "horizon": 40},
        ],
    },
    "dino": {
        "repository": "facebookresearch/dino",
        "presets": {
            "dino_cosine_scheduler": (
                "7c446df5b9f45747937fb0d72314eb9f7b66930a",
                "utils.py",
                "cosine_scheduler",
            ),
        },
        "cases": [
            {
                "base_value": 1.0,
                "final_value": 0.1,
                "epochs": 5,
                "niter_per_ep": 2,
                "warmup_epochs": 2,
                "start_warmup_value": 0.2,
            },
            {
                "base_value": 5e-4,
                "final_value": 1e-6,
                "epochs": 10,
                "niter_per_ep": 7,
                "warmup_epochs": 1,
            },
            {
                "base_value": 1.0,
                "final_value": 0.0,
                "epochs": 3,
                "niter_per_ep": 1,
                "warmup_epochs": 1,
            },
            {"base_value": 5e-4, "final_value": 1e-6, "epochs": 20, "niter_per_ep": 13},
            {
                "base_value": 1.0,
                "final_value": 0.2,
                "epochs": 4,
                "niter_per_ep": 3,
                "warmup_epochs": 1,
                "start_warmup_value": 1.5,
            },
            {"base_value": 0.04, "final_value": 0.04, "epochs": 6, "niter_per_ep": 5},
        ],
    },
    "dinov2": {
        "repository": "facebookresearch/dinov2",
        "presets": {
            "dinov2_cosine_scheduler": (
                "b8931f7bf91576930313be2c6d6af376033b35f0",
                "dinov2/utils/utils.py",
                "CosineScheduler",
            ),
        },
        "cases": [
            {
                "base_value": 1.0,
                "final_value": 0.1,
                "total_iters": 12,
                "warmup_iters": 4,
                "freeze_iters": 3,
            },
            {"base_value": 1e-3, "final_value": 1e-6, "total_iters": 100, "warmup_iters": 10},
            {
                "base_value": 0.07,
                "final_value": 0.07,
                "total_iters": 30,
                "warmup_iters": 30,
                "start_warmup_value": 0.04,
            },
            {
                "base_value": 1.0,
                "final_value": 0.5,
                "total_iters": 20,
                "warmup_iters": 1,
                "freeze_iters": 2,
            },
            {"base_value": 1.0, "final_value": 0.0, "total_iters": 9},
            {
                "base_value": 0.5,
                "final_value": 0.1,
                "total_iters": 40,
                "warmup_iters": 2,
                "start_warmup_value": 0.3,
            },
        ],
    },
    "mae": {
        "repository": "facebookresearch/mae",
        "presets": {
            "mae_adjust_learning_rate": (
                "efb2a8062c206524e35e47d04501ed4f544c0ae8",
                "util/lr_sched.py",
                "adjust_learning_rate",
            ),
        },
        "cases": [
            {"lr": 1.0, "len_data_loader": 2, "min_lr": 0.1, "warmup_epochs": 2, "epochs": 5},
            {"lr": 1.5e-4, "len_data_loader": 7, "warmup_epochs": 1, "epochs": 4},
            {
                "lr": 1e-3,
                "len_data_loader": 6,
                "min_lr": 1e-5,
                "warmup_epochs": 0,
                "epochs": 3,
                "accum_iter": 2,
            },
            {"lr": 1e-3, "len_data_loader": 8, "warmup_epochs": 2, "epochs": 6, "accum_iter": 4},
            {"lr": 2.4e-3, "len_data_loader": 31, "min_lr": 1e-6, "warmup_epochs": 5, "epochs": 20},
        ],
    },
    "nanochat": {
        "repository": "karpathy/nanochat",
        "presets": {
            "nanochat_lr_multiplier": (NANOCHAT, "scripts/base_train.py", "get_lr_multiplier"),
            "nanochat_muon_momentum": (NANOCHAT, "scripts/base_train.py", "get_muon_momentum"),
            "nanochat_weight_decay": (NANOCHAT, "scripts/base_train.py", "get_weight_decay"),
        },
        "cases": {
            "nanochat_lr_multiplier": [
                {
                    "lr": 1.0,
                    "num_iterations": 20,
                    "warmup_steps": 4,
                    "warmdown_ratio": 0.5,
                    "final_lr_frac": 0.1,
                },
                {"lr": 0.02, "num_iterations": 1000},
                {
                    "lr": 0.3,
                    "num_iterations": 10,
                    "warmup_steps": 0,
                    "warmdown_ratio": 0.25,
                    "final_lr_frac": 0.0,
                },
                {"lr": 1.0, "num_iterations": 30, "warmup_steps": 5, "warmdown_ratio": 0.0},
                {"lr": 0.008, "num_iterations": 12, "warmup_steps": 5},
                {"lr": 0.5, "num_iterations": 8, "warmup_steps": 1, "warmdown_ratio": 1.0},
                {"lr": 1.0, "num_iterations": 50, "warmup_steps": 2, "warmdown_ratio": 0.2},
            ],
            "nanochat_muon_momentum": [
                {"num_iterations": 600},
                {"num_iterations": 600, "warmdown_ratio": 0.3},
                {"num_iterations": 300},
                {"num_iterations": 500, "warmdown_ratio": 0.0},
                {"num_iterations": 401, "warmdown_ratio": 0.01},
            ],
            "nanochat_weight_decay": [
                {"weight_decay": 0.28, "num_iterations": 100},
                {"weight_decay": 1.0, "num_iterations": 1},
                {"weight_decay": 0.1, "num_iterations": 7},
                {"weight_decay": 0.0, "num_iterations": 10},
            ],
        },
    },
    "modded_nanogpt": {
        "repository": "KellerJordan/modded-nanogpt",
        "presets": {
            "modded_nanogpt_get_lr": (
                "345b2fb90a43b785649b0776230fe638eb3c496b",
                "train_gpt.py",
                "get_lr",
            ),
        },
        "cases": [
            {"lr": 1.0, "num_iterations": 20, "cooldown_frac": 0.45},
            {"lr": 0.008, "num_iterations": 175},
            {"lr": 1.0, "num_iterations": 10, "cooldown_frac": 0.0},
            {"lr": 0.6, "num_iterations": 7, "cooldown_frac": 1.0},
            {"lr": 1.0, "num_iterations": 33, "cooldown_frac": 0.7},
            {"lr": 0.22, "num_iterations": 1000, "cooldown_frac": 0.4},
        ],
    },
    "litgpt": {
        "repository": "Lightning-AI/litgpt",
        "presets": {
            "litgpt_get_lr": (
                "26857050fe3ff627cd714fe92f5838f51a3d5efa",
                "litgpt/pretrain.py",
                "get_lr",
            ),
        },
        "cases": [
            {"learning_rate": 1.0, "warmup_iters": 4, "max_iters": 10, "min_lr": 0.1},
            {"learning_rate": 4e-4, "warmup_iters": 0, "max_iters": 50, "min_lr": 4e-5},
            {
                "learning_rate": 6e-4,
                "warmup_iters": 20,
                "max_iters": 200,
                "min_lr": 6e-5,
                "gradient_accumulation_iters": 4,
            },
            {
                "learning_rate": 1.0,
                "warmup_iters": 9,
                "max_iters": 37,
                "min_lr": 0.0,
                "gradient_accumulation_iters": 3,
            },
            {"learning_rate": 3e-4, "warmup_iters": 1, "max_iters": 2, "min_lr": 3e-5},
            {
                "learning_rate": 1e-3,
                "warmup_iters": 100,
                "max_iters": 1000,
                "min_lr": 1e-4,
                "gradient_accumulation_iters": 2,
            },
        ],
    },
    "open_clip": {
        "repository": "mlfoundations/open_clip",
        "presets": {
            f"open_clip_{function}": (OPEN_CLIP, "src/open_clip_train/scheduler.py", function)
            for function in ("cosine_lr", "const_lr", "const_lr_cooldown")
        },
        "cases": {
            "open_clip_cosine_lr": [
                {"base_lr": 1.0, "warmup_length": 4, "steps": 10},
                {"base_lr": 5e-4, "warmup_length": 0, "steps": 50},
                {"base_lr": 1e-3, "warmup_length": 1, "steps": 20},
                {"base_lr": 5e-4, "warmup_length": 30, "steps": 300},
                {"base_lr": 1.0, "warmup_length": 9, "steps": 10},
            ],
            "open_clip_const_lr": [
                {"base_lr": 1.0, "warmup_length": 4, "steps": 10},
                {"base_lr": 5e-4, "warmup_length": 0, "steps": 20},
                {"base_lr": 1e-3, "warmup_length": 1, "steps": 5},
                {"base_lr": 1.0, "warmup_length": 30, "steps": 10},
            ],
            "open_clip_const_lr_cooldown": [
                {"base_lr": 1.0, "warmup_length": 4, "steps": 20, "cooldown_steps": 8},
                {
                    "base_lr": 5e-4,
                    "warmup_length": 10,
                    "steps": 100,
                    "cooldown_steps": 30,
                    "cooldown_power": 2.0,
                    "cooldown_end_lr": 1e-5,
                },
                {
                    "base_lr": 1.0,
                    "warmup_length": 0,
                    "steps": 12,
                    "cooldown_steps": 12,
                    "cooldown_power": 0.5,
                },
                {"base_lr": 1.0, "warmup_length": 5, "steps": 10, "cooldown_steps": 6},
                {"base_lr": 1.0, "warmup_length": 1, "steps": 10, "cooldown_steps": 0},
                {
                    "base_lr": 0.3,
                    "warmup_length": 1,
                    "steps": 9,
                    "cooldown_steps": 9,
                    "cooldown_end_lr": 0.1,
                },
            ],
        },
    },
    "yolov5": {
        "repository": "ultralytics/yolov5",
        "presets": {
            "yolov5_lr": (YOLOV5, "train.py", "train"),
            "yolov5_momentum": (YOLOV5, "train.py", "train"),
        },
        "also": ["utils/general.py"],  # one_cycle
        "cases": {
            "yolov5_lr": [
                {"nb": 30, "epochs": 10, "cos_lr": True},
                {"nb": 30, "epochs": 10},
                {"nb": 7, "epochs": 20, "warmup_epochs": 1.0, "lrf": 0.1},
                {"nb": 50, "epochs": 6, "warmup_epochs": 2.0, "cos_lr": True},
                {"nb": 10, "epochs": 5, "lr0": 0.02, "lrf": 0.1},
                {"nb": 120, "epochs": 4, "warmup_epochs": 0.5, "lr0": 1e-3, "lrf": 0.2},
            ],
            "yolov5_momentum": [
                {"nb": 30},
                {"nb": 7, "warmup_epochs": 0.0},
                {"nb": 64, "momentum": 0.9},
                {"nb": 40, "momentum": 0.9, "warmup_momentum": 0.95, "warmup_epochs": 2.5},
            ],
        },
    },
    "big_vision": {
        "repository": "google-research/big_vision",
        "presets": {
            "big_vision_lr_schedule": (
                "0127fb6b337ee2a27bf4e54dea79cff176527356",
                "big_vision/utils.py",
                "create_learning_rate_schedule",
            ),
        },
        "cases": [
            {"total_steps": 100, "decay_type": "cosine", "warmup_steps": 10},
            {
                "total_steps": 50,
                "base": 0.5,
                "decay_type": "linear",
                "warmup_steps": 5,
                "linear_end": 0.01,
            },
            {"total_steps": 60, "decay_type": "polynomial", "power": 2.0, "cooldown_steps": 10},
            {
                "total_steps": 200,
                "decay_type": "rsqrt",
                "warmup_steps": 20,
                "timescale": 50,
                "cooldown_steps": 40,
            },
            {"total_steps": 100, "base": 2.0, "decay_type": "rsqrt", "timescale": 30, "shift": 10},
            {
                "total_steps": 90,
                "decay_type": "stair",
                "warmup_steps": 5,
                "steps": [30, 60],
                "mults": [0.1, 0.01],
            },
            {"total_steps": 40, "decay_type": "cosine", "cooldown_steps": 50},
            {"total_steps": 20},
        ],
    },
    "megatron": {
        "repository": "NVIDIA/Megatron-LM",
        "presets": {
            "megatron_lr": (MEGATRON, MEGATRON_PATH, "OptimizerParamScheduler"),
            "megatron_weight_decay": (MEGATRON, MEGATRON_PATH, "OptimizerParamScheduler"),
        },
        "cases": {
            "megatron_lr": [
                {
                    "init_lr": 0.0,
                    "max_lr": 1.0,
                    "min_lr": 0.1,
                    "lr_warmup_steps": 4,
                    "lr_decay_steps": 20,
                    "lr_decay_style": "linear",
                },
                {
                    "init_lr": 1e-5,
                    "max_lr": 3e-4,
                    "min_lr": 3e-5,
                    "lr_warmup_steps": 2560,
                    "lr_decay_steps": 25600,
                    "lr_decay_style": "cosine",
                    "increment": 256,
                },
                {
                    "init_lr": 0.0,
                    "max_lr": 1.0,
                    "min_lr": 0.05,
                    "lr_warmup_steps": 0.1 * 35,  # --lr-warmup-fraction 0.1: 3.5 samples
                    "lr_decay_steps": 35,
                    "lr_decay_style": "cosine",
                },
                {
                    "init_lr": 0.0,
                    "max_lr": 1.0,
                    "min_lr": 0.35,
                    "lr_warmup_steps": 5,
                    "lr_decay_steps": 60,
                    "lr_decay_style": "inverse-square-root",
                },
                {
                    "init_lr": 0.0,
                    "max_lr": 2.0,
                    "min_lr": 0.0,
                    "lr_warmup_steps": 0,
                    "lr_decay_steps": 30,
                    "lr_decay_style": "inverse-square-root",
                    "increment": 3,
                },
                {
                    "init_lr": 0.0,
                    "max_lr": 1.0,
                    "min_lr": 0.5,
                    "lr_warmup_steps": 4,
                    "lr_decay_steps": 30,
                    "lr_decay_style": "inverse-square-root",
                },
                {
                    "init_lr": 0.0,
                    "max_lr": 1.0,
                    "min_lr": 0.01,
                    "lr_warmup_steps": 8,
                    "lr_decay_steps": 64,
                    "lr_decay_style": "WSD",
                    "wsd_decay_steps": 16,
                    "lr_wsd_decay_style": "linear",
                    "increment": 2,
                },
                {
                    "init_lr": 0.0,
                    "max_lr": 1.0,
                    "min_lr": 0.0,
                    "lr_warmup_steps": 2,
                    "lr_decay_steps": 40,
                    "lr_decay_style": "WSD",
                    "wsd_decay_steps": 10,
                    "lr_wsd_decay_style": "minus_sqrt",
                },
                {
                    "init_lr": 0.0,
                    "max_lr": 1.0,
                    "min_lr": 0.1,
                    "lr_warmup_steps": 0,
                    "lr_decay_steps": 30,
                    "lr_decay_style": "WSD",
                    "wsd_decay_steps": 30,
                    "lr_wsd_decay_style": "cosine",
                },
                {
                    "init_lr": 0.5,
                    "max_lr": 1.0,
                    "min_lr": 0.0,
                    "lr_warmup_steps": 3,
                    "lr_decay_steps": 10,
                    "lr_decay_style": "constant",
                },
            ],
            "megatron_weight_decay": [
                {"start_wd": 0.0, "end_wd": 0.1, "wd_incr_steps": 20, "wd_incr_style": "linear"},
                {
                    "start_wd": 0.01,
                    "end_wd": 0.1,
                    "wd_incr_steps": 25600,
                    "wd_incr_style": "cosine",
                    "increment": 256,
                },
                {"start_wd": 0.1, "end_wd": 0.1, "wd_incr_steps": 10, "wd_incr_style": "constant"},
                {
                    "start_wd": 0.0,
                    "end_wd": 0.05,
                    "wd_incr_steps": 7,
                    "wd_incr_style": "cosine",
                    "increment": 2,
                },
            ],
        },
    },
    "fairseq": {
        "repository": "facebookresearch/fairseq",
        "presets": {
            f"fairseq_{name}": (FAIRSEQ, f"{FAIRSEQ_PATH}/{module}.py", scheduler)
            for name, (module, scheduler, _) in FAIRSEQ_SCHEDULERS.items()
        },
        "cases": {
            "fairseq_cosine": [
                {"lr": 1.0, "warmup_updates": 4, "max_update": 20, "min_lr": 0.1},
                {"lr": 5e-4, "max_update": 30},
                {"lr": 1e-3, "warmup_updates": 5, "warmup_init_lr": 1e-7, "max_update": 45},
                {
                    "lr": 1.0,
                    "warmup_updates": 3,
                    "min_lr": 0.05,
                    "lr_period_updates": 10,
                    "t_mult": 2.0,
                    "lr_shrink": 0.5,
                    "max_update": 40,
                },
                {"lr": 0.5, "min_lr": 0.01, "lr_period_updates": 7, "max_update": 30},
                {"lr": 0.1, "min_lr": 0.0, "warmup_updates": 9, "max_update": 10},
            ],
            "fairseq_inverse_sqrt": [
                {"lr": 5e-4, "warmup_updates": 40, "warmup_init_lr": 1e-7, "horizon": 200},
                {"lr": 1.0, "warmup_updates": 4, "horizon": 30},
                {"lr": 1e-3, "warmup_updates": 1, "horizon": 20},
                {"lr": 0.1, "warmup_updates": 7, "warmup_init_lr": 0.1, "horizon": 25},
            ],
            "fairseq_polynomial_decay": [
                {"lr": 1.0, "warmup_updates": 4, "total_num_update": 20},
                {"lr": 6e-4, "total_num_update": 50, "end_learning_rate": 6e-5, "power": 2.0},
                {"lr": 1e-3, "warmup_updates": 10, "total_num_update": 30, "power": 0.5},
                {"lr": 0.1, "warmup_updates": 12, "total_num_update": 12},
                {"lr": 0.1, "warmup_updates": 3, "total_num_update": 10, "end_learning_rate": 0.2},
            ],
            "fairseq_tri_stage": [
                {"lr": 1.0, "warmup_steps": 4, "hold_steps": 6, "decay_steps": 10},
                {"lr": 5e-4, "decay_steps": 20, "final_lr_scale": 0.05},
                {
                    "lr": 3e-4,
                    "phase_ratio": [0.1, 0.4, 0.5],
                    "max_update": 50,
                    "init_lr_scale": 0.0,
                },
                {"lr": 1.0, "warmup_steps": 3, "decay_steps": 1, "final_lr_scale": 0.5},
                {"lr": 2e-3, "warmup_steps": 7, "hold_steps": 2, "decay_steps": 15},
            ],
            "fairseq_step": [
                {"lr": 1.0, "warmup_updates": 4, "lr_deacy_period": 5, "min_lr": 0.1},
                {"lr": 1e-3, "lr_deacy_period": 7},
                {"lr": 0.5, "warmup_updates": 3, "warmup_init_lr": 0.1, "lr_deacy_period": 4},
                {"lr": 1.0, "lr_deacy_period": 3, "lr_decay": 0.0, "min_lr": 0.2},
                {"lr": 1.0, "warmup_updates": 2, "lr_deacy_period": 3, "lr_decay": 1.0},
            ],
        },
    },
    "t5x": {
        "repository": "google-research/t5x",
        "presets": {
            "t5x_learning_rate_scheduler": (
                "cc342d419ec3e3e9c4bf1df33c82330cafdc1e16",
                "t5x/utils.py",
                "create_learning_rate_scheduler",
            ),
        },
        "cases": [
            {"warmup_steps": 10, "horizon": 100},
            {"factors": "constant * rsqrt_normalized_decay", "warmup_steps": 7, "horizon": 60},
            {
                "factors": "constant * linear_warmup * cosine_decay",
                "base_learning_rate": 1e-3,
                "warmup_steps": 5,
                "steps_per_cycle": 20,
                "horizon": 80,
            },
            {
                "factors": "constant * decay_every",
                "base_learning_rate": 0.1,
                "steps_per_decay": 7,
                "decay_factor": 0.5,
                "horizon": 60,
            },
            {
                "factors": "linear_decay",
                "base_learning_rate": 1.0,
                "warmup_steps": 4,
                "decay_factor": 0.125,
                "min_learning_rate": 0.0,
                "horizon": 30,
            },
            {
                "factors": "constant*linear_warmup*rsqrt_decay",
                "base_learning_rate": 1.0,
                "warmup_steps": 8,
                "step_offset": 5,
                "min_learning_rate": 1e-3,
                "horizon": 50,
            },
            {
                "factors": "constant * cosine_decay * decay_every",
                "base_learning_rate": 2.0,
                "warmup_steps": 0,
                "steps_per_cycle": 9,
                "steps_per_decay": 9,
                "decay_factor": 0.8,
                "step_offset": 3,
                "min_learning_rate": 0.05,
                "horizon": 50,
            },
        ],
    },
    "gpt_neox": {
        "repository": "EleutherAI/gpt-neox",
        "presets": {
            "gpt_neox_annealing_lr": (
                "ea7aefd8f8e183256992d9fede4d7c71a46d67a5",
                "megatron/learning_rates.py",
                "AnnealingLR",
            ),
        },
        "cases": [
            {
                "start_lr": 1.0,
                "warmup_iter": 4.0,
                "total_iters": 20,
                "decay_style": "linear",
                "min_lr": 0.1,
            },
            {
                "start_lr": 6e-4,
                "warmup_iter": 0.1 * 30,  # warmup * num_iters: 3.0000000000000004
                "total_iters": 30,
                "decay_style": "cosine",
                "min_lr": 6e-5,
            },
            {"start_lr": 1.0, "warmup_iter": 0.0, "total_iters": 25, "decay_style": "cosine"},
            {
                "start_lr": 1.0,
                "warmup_iter": 0.1 * 35,  # a fractional warmup: 3.5, and the cosine's tail
                "total_iters": 35,
                "decay_style": "cosine",
                "min_lr": 0.1,
            },
            {
                "start_lr": 1.0,
                "warmup_iter": 2.5,
                "total_iters": 40,
                "decay_style": "exponential",
                "min_lr": 0.3,
            },
            {
                "start_lr": 3e-4,
                "warmup_iter": 10.0,
                "total_iters": 100,
                "decay_style": "exponential",
            },
            {"start_lr": 1.0, "warmup_iter": 5.0, "total_iters": 10, "decay_style": "constant"},
            {"start_lr": 1.0, "warmup_iter": 1.0, "total_iters": 16, "decay_style": "linear"},
            {
                "start_lr": 0.1,
                "warmup_iter": 0.0,
                "total_iters": 12,
                "decay_style": "linear",
                "min_lr": 0.2,
            },
        ],
    },
    # Composer
    "composer": {
        "repository": "mosaicml/composer",
        "presets": {
            f"composer_{name}_with_warmup": (COMPOSER, "composer/optim/scheduler.py", cls)
            for name, cls in (
                ("linear", "LinearWithWarmupScheduler"),
                ("cosine", "CosineAnnealingWithWarmupScheduler"),
                ("constant", "ConstantWithWarmupScheduler"),
                ("polynomial", "PolynomialWithWarmupScheduler"),
            )
        },
        "also": ["composer/core/time.py"],  # Time, Timestamp, TimeUnit
        "cases": {
            "composer_linear_with_warmup": [
                {"t_warmup": "10ba", "lr": 0.1, "max_duration": "100ba"},
                {
                    "t_warmup": "0.1dur",
                    "alpha_i": 0.8,
                    "alpha_f": 0.1,
                    "t_max": "1dur",
                    "lr": 1.0,
                    "max_duration": "3ep",
                    "dataloader_len": 17,
                },
                {
                    "t_warmup": "1ep",
                    "alpha_f": 0.5,
                    "t_max": "150ba",
                    "lr": 0.5,
                    "max_duration": "6ep",
                    "dataloader_len": 10,
                    "scale_schedule_ratio": 0.5,
                },
                {
                    "t_warmup": "0ba",
                    "alpha_i": 0.3,
                    "alpha_f": 0.9,
                    "lr": 1.0,
                    "max_duration": "40ba",
                },
            ],
            "composer_cosine_with_warmup": [
                {"t_warmup": "10ba", "lr": 0.1, "max_duration": "100ba"},
                {
                    "t_warmup": "0.05dur",
                    "t_max": "1dur",
                    "alpha_f": 0.1,
                    "lr": 6e-4,
                    "max_duration": "2ep",
                    "dataloader_len": 33,
                },
                {
                    "t_warmup": "7ba",
                    "alpha_f": 0.01,
                    "lr": 1.0,
                    "max_duration": "80ba",
                    "scale_schedule_ratio": 0.75,
                },
                {"t_warmup": "30ba", "lr": 1.0, "max_duration": "30ba"},
            ],
            "composer_constant_with_warmup": [
                {"t_warmup": "10ba", "lr": 0.1, "max_duration": "50ba"},
                {
                    "t_warmup": "2ep",
                    "alpha": 0.5,
                    "lr": 1.0,
                    "max_duration": "5ep",
                    "dataloader_len": 4,
                },
                {"t_warmup": "0ba", "alpha": 0.7, "lr": 1.0, "max_duration": "20ba"},
                {
                    "t_warmup": "0.2dur",
                    "t_max": "2dur",
                    "lr": 0.5,
                    "max_duration": "30ba",
                    "scale_schedule_ratio": 1.5,
                },
            ],
            "composer_polynomial_with_warmup": [
                {"t_warmup": "10ba", "lr": 0.1, "max_duration": "100ba"},
                {
                    "t_warmup": "0.1dur",
                    "power": 0.5,
                    "alpha_f": 0.2,
                    "t_max": "1dur",
                    "lr": 1.0,
                    "max_duration": "4ep",
                    "dataloader_len": 9,
                },
                {
                    "t_warmup": "5ba",
                    "power": 3.0,
                    "t_max": "120ba",
                    "lr": 0.3,
                    "max_duration": "60ba",
                    "scale_schedule_ratio": 2.0,
                },
                {
                    "t_warmup": "1ep",
                    "power": 1.0,
                    "lr": 1.0,
                    "max_duration": "3ep",
                    "dataloader_len": 8,
                },
            ],
        },
    },
    # detectron2
    "detectron2": {
        "repository": "facebookresearch/detectron2",
        "presets": {
            "detectron2_lr_scheduler": (
                DETECTRON2,
                "detectron2/solver/build.py",
                "build_lr_scheduler",
            )
        },
        "also": ["detectron2/solver/lr_scheduler.py"],  # WarmupParamScheduler, LRMultiplier
        "cases": [
            {"MAX_ITER": 400, "STEPS": (300,), "WARMUP_ITERS": 10, "BASE_LR": 0.02},
            {
                "MAX_ITER": 90,
                "STEPS": (60, 80, 200),
                "WARMUP_ITERS": 7,
                "WARMUP_FACTOR": 0.1,
                "WARMUP_METHOD": "constant",
                "GAMMA": 0.5,
                "BASE_LR": 1.0,
            },
            {"MAX_ITER": 120, "STEPS": (5, 100), "WARMUP_ITERS": 10, "BASE_LR": 0.1},
            {
                "MAX_ITER": 100,
                "STEPS": (70,),
                "WARMUP_ITERS": 20,
                "RESCALE_INTERVAL": True,
                "BASE_LR": 0.1,
            },
            {"MAX_ITER": 50, "STEPS": (), "WARMUP_ITERS": 80, "BASE_LR": 0.1},
            {
                "MAX_ITER": 100,
                "LR_SCHEDULER_NAME": "WarmupCosineLR",
                "WARMUP_ITERS": 0,
                "BASE_LR": 0.1,
                "BASE_LR_END": 0.001,
            },
            {
                "MAX_ITER": 100,
                "LR_SCHEDULER_NAME": "WarmupCosineLR",
                "WARMUP_ITERS": 10,
                "RESCALE_INTERVAL": True,
                "BASE_LR": 0.1,
            },
            {
                "MAX_ITER": 99,
                "LR_SCHEDULER_NAME": "WarmupStepWithFixedGammaLR",
                "NUM_DECAYS": 3,
                "GAMMA": 0.2,
                "WARMUP_ITERS": 5,
                "BASE_LR": 0.5,
            },
            {
                "MAX_ITER": 60,
                "LR_SCHEDULER_NAME": "WarmupStepWithFixedGammaLR",
                "NUM_DECAYS": 2,
                "WARMUP_ITERS": 30,
                "RESCALE_INTERVAL": True,
                "BASE_LR": 0.5,
            },
        ],
    },
    # more codebases
    "olmo": {
        "repository": "allenai/OLMo",
        "presets": {"olmo_scheduler": (OLMO, "olmo/optim.py", "build_scheduler")},
        "cases": [
            {"learning_rate": 1.0, "max_duration": 10, "t_warmup": 4},
            {"learning_rate": 4e-4, "max_duration": 50, "t_warmup": 0, "alpha_f": 0.0},
            {"learning_rate": 1.0, "max_duration": 20, "t_warmup": 1, "warmup_min_lr": 0.0},
            {"learning_rate": 1.0, "max_duration": 30, "t_warmup": 5, "t_max": 20},
            {"learning_rate": 1.0, "max_duration": 10, "t_warmup": 12, "alpha_f": 0.5},
            {
                "learning_rate": 6e-4,
                "max_duration": 40,
                "name": "linear_with_warmup",
                "t_warmup": 7,
                "alpha_f": 0.0,
                "warmup_min_lr": 1e-5,
            },
            {
                "learning_rate": 1.0,
                "max_duration": 12,
                "name": "linear_with_warmup",
                "t_warmup": 12,
            },
            {
                "learning_rate": 1.0,
                "max_duration": 40,
                "name": "inverse_sqrt_with_warmup",
                "t_warmup": 6,
            },
            {
                "learning_rate": 3e-4,
                "max_duration": 25,
                "name": "inverse_sqrt_with_warmup",
                "t_warmup": 1,
            },
            {"learning_rate": 2e-4, "max_duration": 10, "name": "constant", "t_warmup": 3},
            {
                "learning_rate": 1.0,
                "max_duration": 15,
                "name": "constant_with_warmup",
                "t_warmup": 5,
            },
        ],
    },
    "latent_diffusion": {
        "repository": "CompVis/latent-diffusion",
        "presets": {
            f"latent_diffusion_{name}": (LDM, "ldm/lr_scheduler.py", cls)
            for name, cls in LDM_CLASSES
        },
        "cases": {
            "latent_diffusion_lambda_warm_up_cosine_scheduler": [
                {
                    "lr": 1.0,
                    "warm_up_steps": 4,
                    "lr_min": 0.1,
                    "lr_max": 1.0,
                    "lr_start": 0.0,
                    "max_decay_steps": 10,
                },
                {
                    "lr": 2e-6,
                    "warm_up_steps": 0,
                    "lr_min": 0.0,
                    "lr_max": 1.0,
                    "lr_start": 0.5,
                    "max_decay_steps": 30,
                },
                {
                    "lr": 1.0,
                    "warm_up_steps": 1,
                    "lr_min": 0.2,
                    "lr_max": 0.8,
                    "lr_start": 0.1,
                    "max_decay_steps": 2,
                },
                {
                    "lr": 1e-4,
                    "warm_up_steps": 20,
                    "lr_min": 0.01,
                    "lr_max": 1.0,
                    "lr_start": 1e-6,
                    "max_decay_steps": 60,
                },
            ],
            "latent_diffusion_lambda_warm_up_cosine_scheduler2": [
                ldm_cycles(1.0, [3, 2], [0.1, 0.2], [1.0, 0.8], [0.0, 0.5], [6, 4]),
                ldm_cycles(1e-4, [0], [0.0], [1.0], [0.0], [25]),
                ldm_cycles(1.0, [5, 1, 3], [0, 0.1, 0.5], [1, 1, 0.5], [0.1, 0, 0], [10, 8, 12]),
                ldm_cycles(2.0, [1, 1], [0.3, 0.3], [0.3, 1.0], [1.0, 1.0], [2, 3]),
            ],
            "latent_diffusion_lambda_linear_scheduler": [
                ldm_cycles(1.0, [3, 2], [0.1, 0.2], [1.0, 0.8], [0.0, 0.5], [6, 4]),
                ldm_cycles(1e-4, [10], [1.0], [1.0], [1e-6], [10000000000000]),
                ldm_cycles(1.0, [0, 0, 4], [0, 0.1, 0.5], [1, 1, 0.5], [0.1, 0, 0], [10, 8, 12]),
                ldm_cycles(2.0, [1, 1], [0.3, 0.0], [0.6, 1.0], [1.0, 1.0], [2, 3]),
            ],
        },
    },
    "guided_diffusion": {
        "repository": "openai/guided-diffusion",
        "presets": {
            "guided_diffusion_anneal_lr": (
                GUIDED,
                "guided_diffusion/train_util.py",
                "TrainLoop._anneal_lr",
            )
        },
        "cases": [
            {"lr": 1.0, "lr_anneal_steps": 10},
            {"lr": 1e-4, "lr_anneal_steps": 0},
            {"lr": 1.0, "lr_anneal_steps": 1},
            {"lr": 3e-4, "lr_anneal_steps": 2},
            {"lr": 1e-4, "lr_anneal_steps": 50, "resume_step": 20},
            {"lr": 1.0, "lr_anneal_steps": 8, "resume_step": 7},
        ],
    },
    "paddle": {
        "repository": "PaddlePaddle/Paddle",
        "package": "paddlepaddle==3.3.1",
        "presets": {
            f"paddle_{name}": (PADDLE, PADDLE_PATH, cls)
            for name, cls in (
                ("cosine_annealing_decay", "CosineAnnealingDecay"),
                ("step_decay", "StepDecay"),
                ("multi_step_decay", "MultiStepDecay"),
                ("exponential_decay", "ExponentialDecay"),
                ("polynomial_decay", "PolynomialDecay"),
                ("polynomial_decay_cycle", "PolynomialDecay"),
                ("noam_decay", "NoamDecay"),
                ("piecewise_decay", "PiecewiseDecay"),
                ("linear_warmup", "LinearWarmup"),
                ("linear_warmup_scheduler", "LinearWarmup"),
                ("one_cycle_lr", "OneCycleLR"),
            )
        },
        "cases": {
            "paddle_cosine_annealing_decay": [
                {"learning_rate": 1.0, "T_max": 10, "eta_min": 0.1},
                {"learning_rate": 0.5, "T_max": 1},
                {"learning_rate": 1e-3, "T_max": 37, "eta_min": 1e-5},
                {"learning_rate": 0.1, "T_max": 4, "eta_min": 0.1},
            ],
            "paddle_step_decay": [
                {"learning_rate": 1.0, "step_size": 3, "horizon": 20},
                {"learning_rate": 0.1, "step_size": 1, "gamma": 0.5, "horizon": 12},
                {"learning_rate": 0.5, "step_size": 7, "gamma": 0.9, "horizon": 30},
                {"learning_rate": 1.0, "step_size": 10, "gamma": 0.1, "horizon": 5},
            ],
            "paddle_multi_step_decay": [
                {"learning_rate": 1.0, "milestones": [3, 7]},
                {"learning_rate": 0.1, "milestones": [0, 1, 2], "gamma": 0.5},
                {"learning_rate": 0.5, "milestones": [10], "gamma": 0.9},
                {"learning_rate": 1.0, "milestones": [1, 20, 21], "gamma": 0.3},
            ],
            "paddle_exponential_decay": [
                {"learning_rate": 1.0, "gamma": 0.9, "horizon": 20},
                {"learning_rate": 0.1, "gamma": 0.5, "horizon": 1},
                {"learning_rate": 3e-4, "gamma": 0.999, "horizon": 50},
                {"learning_rate": 1.0, "gamma": 0.01, "horizon": 8},
            ],
            "paddle_polynomial_decay": [
                {"learning_rate": 1.0, "decay_steps": 10},
                {"learning_rate": 0.1, "decay_steps": 1, "end_lr": 0.0},
                {"learning_rate": 1.0, "decay_steps": 20, "end_lr": 0.1, "power": 2.0},
                {"learning_rate": 0.5, "decay_steps": 9, "end_lr": 0.01, "power": 0.5},
            ],
            "paddle_polynomial_decay_cycle": [
                {"learning_rate": 1.0, "decay_steps": 5, "cycle": True, "cycles": 4},
                {"learning_rate": 0.1, "decay_steps": 1, "cycle": True, "end_lr": 0.0, "cycles": 3},
                {
                    "learning_rate": 1.0,
                    "decay_steps": 6,
                    "cycle": True,
                    "end_lr": 0.1,
                    "power": 2.0,
                    "cycles": 3,
                },
                {
                    "learning_rate": 0.5,
                    "decay_steps": 3,
                    "cycle": True,
                    "end_lr": 0.01,
                    "power": 0.5,
                    "cycles": 5,
                },
            ],
            "paddle_noam_decay": [
                {"d_model": 512, "warmup_steps": 4, "horizon": 20},
                {"d_model": 1, "warmup_steps": 1, "learning_rate": 0.5, "horizon": 10},
                {"d_model": 256, "warmup_steps": 10, "learning_rate": 2.0, "horizon": 60},
                {"d_model": 64, "warmup_steps": 7, "horizon": 7},
            ],
            "paddle_piecewise_decay": [
                {"boundaries": [3, 6], "values": [1.0, 0.5, 0.1]},
                {"boundaries": [1], "values": [0.1, 0.2]},
                {"boundaries": [2, 5, 9], "values": [0.3, 0.2, 0.1, 0.05, 0.01]},
                {"boundaries": [10], "values": [1e-3, 1e-4]},
            ],
            "paddle_linear_warmup": [
                {"learning_rate": 0.5, "warmup_steps": 4, "start_lr": 0.0, "end_lr": 0.5},
                {"learning_rate": 1.0, "warmup_steps": 1, "start_lr": 0.1, "end_lr": 0.2},
                {"learning_rate": 0.1, "warmup_steps": 10, "start_lr": 1e-4, "end_lr": 0.2},
                {"learning_rate": 0.3, "warmup_steps": 3, "start_lr": 0.0, "end_lr": 1.0},
            ],
            "paddle_linear_warmup_scheduler": [
                paddle_warmup(4, 0.0, 1.0, "cosine_annealing_decay", 1.0, T_max=10, eta_min=0.1),
                paddle_warmup(1, 0.01, 0.1, "cosine_annealing_decay", 0.1, T_max=30),
                paddle_warmup(5, 0.0, 0.5, "polynomial_decay", 0.5, decay_steps=10, end_lr=0.0),
                paddle_warmup(3, 1e-4, 0.1, "multi_step_decay", 0.2, milestones=[2, 6]),
                paddle_warmup(6, 0.0, 1.0, "noam_decay", d_model=64, warmup_steps=3, horizon=30),
            ],
            "paddle_one_cycle_lr": [
                {"max_learning_rate": 1.0, "total_steps": 10},
                {"max_learning_rate": 0.1, "total_steps": 100, "anneal_strategy": "linear"},
                {
                    "max_learning_rate": 1.0,
                    "total_steps": 20,
                    "phase_pct": 0.25,
                    "three_phase": True,
                    "end_learning_rate": 0.0,
                },
                {
                    "max_learning_rate": 0.5,
                    "total_steps": 7,
                    "divide_factor": 10.0,
                    "phase_pct": 0.5,
                    "end_learning_rate": 0.01,
                },
                {
                    "max_learning_rate": 1.0,
                    "total_steps": 33,
                    "phase_pct": 0.4,
                    "anneal_strategy": "linear",
                    "three_phase": True,
                },
            ],
        },
    },
    "maxtext": {
        "repository": "google/maxtext",
        "presets": {
            "maxtext_learning_rate_schedule": (
                "e64f6813e0e22b57395f070741d24948029a59ba",
                "MaxText/max_utils.py",
                "create_learning_rate_schedule",
            ),
        },
        "cases": [
            {"steps": 100, "learning_rate": 1e-3},
            {"steps": 120, "learning_rate": 1.0, "learning_rate_schedule_steps": 90},
            {"steps": 60, "learning_rate": 0.5, "learning_rate_schedule_steps": 80},
            {"steps": -1, "learning_rate_schedule_steps": 37, "warmup_steps_fraction": 0.3},
            {
                "steps": 50,
                "learning_rate": 2.0,
                "warmup_steps_fraction": 0.0,
                "cosine_learning_rate_final_fraction": 0.0,
            },
            {
                "steps": 40,
                "learning_rate": 1.0,
                "learning_rate_schedule_steps": 30,
                "warmup_steps_fraction": 1.0,
            },
            {
                "steps": 45,
                "learning_rate": 3e-4,
                "warmup_steps_fraction": 0.01,
                "cosine_learning_rate_final_fraction": 1.0,
            },
        ],
    },
    "levanter": {
        "repository": "stanford-crfm/levanter",
        "presets": {
            "levanter_lr_scheduler": (
                "9263f81e8b453241332c2c0b2d2001bfb2d2241c",
                "src/levanter/optim/config.py",
                "OptimizerConfig.lr_scheduler",
            ),
        },
        "cases": [
            {"num_train_steps": 100},
            {"num_train_steps": 60, "learning_rate": 1.0, "warmup": 10, "decay": 0.5},
            {
                "num_train_steps": 90,
                "learning_rate": 1e-3,
                "warmup": 0.1,
                "cycles": 3,
                "rewarmup": 0.2,
                "min_lr_ratio": 0.0,
            },
            {
                "num_train_steps": 50,
                "learning_rate": 0.5,
                "warmup": 5,
                "decay": 20,
                "lr_schedule": "linear",
            },
            {"num_train_steps": 40, "learning_rate": 2.0, "warmup": 0.0, "lr_schedule": "constant"},
            {
                "num_train_steps": 47,
                "learning_rate": 1.0,
                "warmup": 0.25,
                "cycles": 4,
                "lr_schedule": "linear",
                "min_lr_ratio": 0.2,
            },
            {
                "num_train_steps": 33,
                "learning_rate": 3e-4,
                "warmup": 1.0,
                "lr_schedule": "linear",
                "cycles": 2,
                "rewarmup": 0.5,
            },
        ],
    },
}


def source(repository: Path, commit: str, path: str) -> str:
    """The file ``path`` at ``commit`` of the git repository ``repository``."""
    return subprocess.run(
        ["git", "-C", str(repository), "show", f"{commit}:{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def definition(text: str, name: str, namespace: dict[str, Any]) -> Any:
    """Run the (possibly nested) ``def``/``class`` ``name`` of ``text`` in ``namespace``."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            code = compile(ast.Module(body=[node], type_ignores=[]), name, "exec")
            exec(code, namespace)
            return namespace[name]
    raise LookupError(f"no definition of {name}")


def run_nanogpt(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    config = {"decay_lr": True, **kw}
    namespace: dict[str, Any] = {"math": math, **config}
    get_lr = definition(text, "get_lr", namespace)
    steps = 2 * kw["lr_decay_iters"]
    # train.py: lr = get_lr(iter_num) if decay_lr else learning_rate, before update iter_num
    return [
        get_lr(it) if config["decay_lr"] else config["learning_rate"] for it in range(steps + 1)
    ], None


def run_llmc_python(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    args = types.SimpleNamespace(**{"learning_rate_decay_frac": 1.0, **kw})
    get_lr = definition(text, "get_lr", {"math": math, "args": args})
    # train_gpt2.py: lr = get_lr(step) before update step; get_lr itself holds the floor after
    return [get_lr(step) for step in range(2 * kw["num_iterations"] + 1)], None


HARNESS = r"""
#include <stdio.h>
#include <stdlib.h>
#include "schedulers.h"
int main(int argc, char **argv) {
    LearningRateScheduler s;
    lr_scheduler_init(&s, argv[1], (float)atof(argv[2]), atoi(argv[3]), atoi(argv[4]),
                      (float)atof(argv[5]));
    int last = atoi(argv[6]);
    for (int step = 0; step <= last; step++) printf("%.9g\n", get_learning_rate(&s, step));
    return 0;
}
"""


def run_llmc_c(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    kw = {"final_learning_rate_frac": 1.0, **kw}
    n = kw["train_num_batches"]
    # past train_num_batches the scheduler's assert fails (abort), except for "constant"
    last = 2 * n if kw["scheduler_type"] == "constant" else n
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "schedulers.h").write_text(text)
        Path(tmp, "harness.c").write_text(HARNESS)
        exe = str(Path(tmp, "harness"))
        cc = os.environ.get("CC", "gcc")
        subprocess.run([cc, "-O2", "-o", exe, str(Path(tmp, "harness.c")), "-lm"], check=True)
        args = [
            kw["scheduler_type"],
            repr(kw["learning_rate"]),
            str(kw["warmup_iterations"]),
            str(n),
            repr(kw["final_learning_rate_frac"]),
            str(last),
        ]
        out = subprocess.run([exe, *args], capture_output=True, text=True, check=True).stdout
    values = [float(np.float32(v)) for v in out.split()]
    return values, (None if kw["scheduler_type"] == "constant" else n + 1)


def run_dino(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    cosine_scheduler = definition(text, "cosine_scheduler", {"np": np})
    # main_dino.py: it = len(data_loader) * epoch + it; param_group["lr"] = lr_schedule[it]
    schedule = cosine_scheduler(**kw)
    return [float(v) for v in schedule], len(schedule)


def run_dinov2(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    scheduler = definition(text, "CosineScheduler", {"np": np})(**kw)
    # train.py: lr = lr_schedule[iteration] before update iteration, from 0
    return [float(scheduler[it]) for it in range(2 * kw["total_iters"] + 1)], None


def run_mae(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    adjust = definition(text, "adjust_learning_rate", {"math": math})
    kw = {"min_lr": 0.0, "warmup_epochs": 40, "epochs": 400, "accum_iter": 1, **kw}
    args = types.SimpleNamespace(**kw)
    optimizer = types.SimpleNamespace(param_groups=[{}])
    length, values = kw["len_data_loader"], []
    # engine_pretrain.train_one_epoch, continued to twice the epochs: the lr is set at the
    # first batch of each accumulation, and the update at its last batch uses it
    for epoch in range(2 * kw["epochs"]):
        for data_iter_step in range(length):
            if data_iter_step % kw["accum_iter"] == 0:
                adjust(optimizer, data_iter_step / length + epoch, args)
            if (data_iter_step + 1) % kw["accum_iter"] == 0:
                values.append(optimizer.param_groups[0]["lr"])
    values.append(adjust(optimizer, 2 * kw["epochs"], args))  # the step 2T itself
    return values, None


def run_torchtitan(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    config = {
        "total_steps": None,
        "warmup_steps": 200,
        "decay_ratio": None,
        "decay_type": "linear",
        "min_lr_factor": 0.0,
    }
    config |= {k: v for k, v in kw.items() if k not in ("lr", "training_steps")}
    logger = types.SimpleNamespace(warning=lambda message: None)
    namespace = {
        "functools": functools,
        "math": math,
        "logger": logger,
        "LRSchedulersContainer": lambda optimizers, lr_lambda: lr_lambda,
    }
    build = definition(text, "build", namespace)
    lr_lambda = build(
        types.SimpleNamespace(**config), optimizers=None, training_steps=kw["training_steps"]
    )
    total = config["total_steps"] or kw["training_steps"]
    # trainer.py: optimizers.step(); lr_schedulers.step(): LambdaLR's lr * lr_lambda(k) at
    # update k. Training ends at total_steps (past it the formula leaves the floor).
    return [kw["lr"] * lr_lambda(k) for k in range(total + 1)], None


def run_annotated(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    rate = definition(text, "rate", {})
    args = {k: kw[k] for k in ("model_size", "factor", "warmup")}
    # LambdaLR(lr_lambda=lambda step: rate(step, ...)) stepped after each update: update k uses
    # lr * rate(k). It has no end: recorded up to warmcos' horizon.
    return [kw["lr"] * rate(k, **args) for k in range(kw["horizon"] + 1)], None


def nanochat_args(kw: dict[str, Any]) -> types.SimpleNamespace:
    """``base_train.py``'s argparse defaults, overridden by ``kw``."""
    defaults = {"warmup_steps": 40, "warmdown_ratio": 0.65, "final_lr_frac": 0.05}
    return types.SimpleNamespace(**(defaults | kw))


def run_nanochat_lr(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    n = kw["num_iterations"]
    namespace = {"args": nanochat_args(kw), "num_iterations": n}
    get_lr_multiplier = definition(text, "get_lr_multiplier", namespace)
    # base_train.py: group["lr"] = group["initial_lr"] * get_lr_multiplier(step) before update
    # step; the loop stops at step == num_iterations (past it the formula leaves the floor)
    return [kw["lr"] * get_lr_multiplier(step) for step in range(n + 1)], None


def run_nanochat_momentum(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    n = kw["num_iterations"]
    namespace = {"args": nanochat_args(kw), "num_iterations": n}
    get_muon_momentum = definition(text, "get_muon_momentum", namespace)
    # group["momentum"] = get_muon_momentum(step) before update step, for steps 0 .. n - 1
    # (step n only evaluates; without a warmdown the formula divides by zero there)
    return [get_muon_momentum(step) for step in range(n)], None


def run_nanochat_weight_decay(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    n = kw["num_iterations"]
    namespace = {"math": math, "weight_decay_scaled": kw["weight_decay"], "num_iterations": n}
    get_weight_decay = definition(text, "get_weight_decay", namespace)
    # group["weight_decay"] = get_weight_decay(step) before update step
    return [get_weight_decay(step) for step in range(2 * n + 1)], None


def run_modded_nanogpt(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    args = types.SimpleNamespace(**({"num_iterations": 1750, "cooldown_frac": 0.45} | kw))
    get_lr = definition(text, "get_lr", {"args": args})
    # train_gpt.py: group["lr"] = group["initial_lr"] * get_lr(step) before update step, for
    # step in range(num_iterations); at num_iterations (evaluation only) the assert fails

    def lr(step: int) -> float | None:
        try:
            return kw["lr"] * get_lr(step)
        except AssertionError:
            return None

    values: list[float] = []
    for step in range(2 * args.num_iterations + 1):
        value = lr(step)
        if value is None:
            return values, step
        values.append(value)
    return values, None


def run_litgpt(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    get_lr = definition(text, "get_lr", {"math": math})
    g = kw.get("gradient_accumulation_iters", 1)
    args = [kw[k] for k in ("learning_rate", "warmup_iters", "max_iters", "min_lr")]
    # pretrain.py fit(): lr = get_lr(lr, iter_num, ...) before micro-batch iter_num, and the
    # optimizer steps after every g-th: update k uses it = g * k + g - 1 (up to 2 * max_iters)
    its = range(g - 1, 2 * kw["max_iters"] + 1, g)
    return [get_lr(args[0], it, *args[1:]) for it in its], None


def run_open_clip(function: str) -> Callable[[str, dict[str, Any]], tuple[list[float], None]]:
    """The runner of open_clip's ``function`` (``cosine_lr``, ``const_lr``, ...)."""

    def run(text: str, kw: dict[str, Any]) -> tuple[list[float], None]:
        torch = types.SimpleNamespace(Tensor=type("Tensor", (), {}))  # lr is a float here
        namespace: dict[str, Any] = {"math": math, "torch": torch}
        for helper in ("assign_learning_rate", "_warmup_lr"):
            definition(text, helper, namespace)
        optimizer = types.SimpleNamespace(param_groups=[{"lr": 0.0}])
        scheduler = definition(text, function, namespace)(optimizer, **kw)
        # train.py: scheduler(step) before update step = num_batches_per_epoch * epoch +
        # i_accum, for steps 0 .. steps - 1. Past them const_lr_cooldown's formula leaves the
        # floor (or divides by zero): recorded for the updates; the others up to twice steps.
        stop = kw["steps"] if function == "const_lr_cooldown" else 2 * kw["steps"] + 1
        values = []
        for step in range(stop):
            scheduler(step)
            values.append(optimizer.param_groups[0]["lr"])
        return values, None

    return run


def statement(text: str, prefix: str) -> Any:
    """The first statement of ``text`` whose source starts with ``prefix``, compiled."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.stmt) and ast.unparse(node).startswith(prefix):
            return compile(ast.Module(body=[node], type_ignores=[]), prefix, "exec")
    raise LookupError(f"no statement {prefix}")


def run_yolov5(key: str) -> Callable[[str, dict[str, Any]], tuple[list[float], None]]:
    """The runner of YOLOv5's per-batch ``key`` (``lr`` or ``momentum``) of the weight group."""

    def run(text: str, kw: dict[str, Any]) -> tuple[list[float], None]:
        import torch  # only YOLOv5 needs it (its real LambdaLR)

        defaults = {"epochs": 100, "lr0": 0.01, "lrf": 0.01, "warmup_epochs": 3.0}
        defaults |= {"cos_lr": False, "momentum": 0.937, "warmup_momentum": 0.8}
        kw = defaults | kw
        nb, epochs = kw["nb"], kw["epochs"]
        hyp = {k: kw[k] for k in ("lr0", "lrf", "momentum", "warmup_momentum", "warmup_epochs")}
        hyp["warmup_bias_lr"] = 0.1
        if kw["cos_lr"]:  # lf = one_cycle(1, hyp["lrf"], epochs)
            one_cycle = definition(ALSO["utils/general.py"], "one_cycle", {"math": math})
            lf = one_cycle(1, hyp["lrf"], epochs)
        else:
            lf = definition(text, "lf", {"epochs": epochs, "hyp": hyp})
        # smart_optimizer: the biases (group 0, from warmup_bias_lr), then the weights
        params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(2)]
        optimizer = torch.optim.SGD(params[:1], lr=hyp["lr0"], momentum=hyp["momentum"])
        optimizer.add_param_group({"params": params[1:]})
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lf)
        ns: dict[str, Any] = {"hyp": hyp, "nb": nb, "np": np, "optimizer": optimizer, "lf": lf}
        ns |= {"nbs": 64, "batch_size": 64, "scheduler": scheduler, "start_epoch": 0}
        exec(statement(text, "nw = max("), ns)
        exec(statement(text, "scheduler.last_epoch = "), ns)
        warmup = statement(text, "if ni <= nw:")
        if key == "momentum":  # enough epochs for twice the warmup
            epochs = -(-(2 * ns["nw"] + 1) // nb)
        values = []
        # train(): for each batch ni = i + nb * epoch the warmup block, and
        # scheduler.step() after each epoch; the weight group's value at each batch
        for epoch in range(epochs):
            for i in range(nb):
                ns |= {"ni": i + nb * epoch, "epoch": epoch}
                exec(warmup, ns)
                values.append(float(optimizer.param_groups[1][key]))
            optimizer.step()  # (no gradients: nothing moves) before the scheduler, as torch asks
            scheduler.step()
        return values, None

    return run


def run_gpt_neox(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    namespace = {"math": math, "print_rank_0": lambda *args: None}
    annealing_lr = definition(text, "AnnealingLR", namespace)
    optimizer = types.SimpleNamespace(param_groups=[{}])
    scheduler = annealing_lr(optimizer, last_iter=0, **kw)
    # training.py: AnnealingLR(..., last_iter=0) runs step(0); DeepSpeed's model.step() steps
    # it after each update: update k uses num_iters = k. Up to twice total_iters, but an
    # exponential with min_lr=0 (which never ends) only up to total_iters.
    endless = kw["decay_style"] == "exponential" and not kw.get("min_lr", 0.0)
    last = kw["total_iters"] * (1 if endless else 2)
    values = []
    for _ in range(last + 1):
        values.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
    return values, None


def run_big_vision(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    import jax.numpy as jnp  # only big_vision needs it

    namespace: dict[str, Any] = {"jnp": jnp}
    definition(text, "steps", namespace)  # the {warmup,cooldown}_steps reader
    create = definition(text, "create_learning_rate_schedule", namespace)
    step_fn = create(**kw)
    # optax.scale_by_schedule(step_fn) reads the int32 count before each update: update k
    # uses step_fn(k). Training ends at total_steps; past it the cooldown goes negative and
    # rsqrt goes on down: those are recorded up to total_steps, the others to twice it.
    total = kw["total_steps"]
    ends = kw.get("cooldown_steps") or kw.get("decay_type") == "rsqrt"
    values = step_fn(jnp.arange((1 if ends else 2) * total + 1, dtype=jnp.int32))
    return [float(v) for v in np.asarray(values, dtype=np.float32)], None


def run_megatron(key: str) -> Callable[[str, dict[str, Any]], tuple[list[float], None]]:
    """The runner of Megatron's ``param_group[key]`` (``lr`` or ``weight_decay``)."""

    def run(text: str, kw: dict[str, Any]) -> tuple[list[float], None]:
        import logging  # the module's own imports, but torch and megatron.core's logger
        from typing import Optional, TypedDict

        namespace: dict[str, Any] = {"math": math, "logging": logging, "Any": Any}
        namespace |= {"Optional": Optional, "TypedDict": TypedDict}
        namespace |= {"torch": types.SimpleNamespace(Tensor=type("Tensor", (), {}))}
        quiet = {"logger": logging.getLogger("megatron"), "log_single_rank": lambda *a: None}
        scheduler_class = definition(text, "OptimizerParamScheduler", namespace | quiet)
        kw = dict(kw)
        increment = kw.pop("increment", 1)
        lr = {"init_lr": 0.0, "max_lr": 1.0, "min_lr": 0.0, "lr_warmup_steps": 0}
        lr |= {"lr_decay_steps": 10, "lr_decay_style": "constant"}
        wd = {"start_wd": 0.0, "end_wd": 0.0, "wd_incr_steps": 10, "wd_incr_style": "constant"}
        optimizer = types.SimpleNamespace(param_groups=[{}])
        scheduler = scheduler_class(optimizer, **((wd if key == "lr" else lr) | kw))
        # training.py: built with step(0), then opt_param_scheduler.step(increment=increment)
        # after each successful update: update k uses num_steps = k * increment (samples),
        # recorded while num_steps <= twice the end (lr_decay_steps, wd_incr_steps)
        end = kw["lr_decay_steps"] if key == "lr" else kw["wd_incr_steps"]
        values = []
        for _ in range(2 * end // increment + 1):
            values.append(optimizer.param_groups[0][key])
            scheduler.step(increment=increment)
        return values, None

    return run


def module_without_imports(text: str, namespace: dict[str, Any]) -> dict[str, Any]:
    """Run every top-level statement of ``text`` but its imports of ``composer``."""
    body = [
        node
        for node in ast.parse(text).body
        if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("composer"))
    ]
    exec(compile(ast.Module(body=body, type_ignores=[]), "<composer>", "exec"), namespace)
    return namespace


def run_composer(cls: str) -> Callable[[str, dict[str, Any]], tuple[list[float], None]]:
    """The runner of Composer's ``cls``, compiled and stepped as its trainer does."""

    def run(text: str, kw: dict[str, Any]) -> tuple[list[float], None]:
        import enum
        import warnings

        import torch

        serializable = type("Serializable", (), {})
        time = module_without_imports(
            ALSO["composer/core/time.py"],
            {"__name__": "time_", "Serializable": serializable, "StringEnum": enum.Enum},
        )
        namespace = {"__name__": "scheduler_", "State": object}
        namespace |= {"Time": time["Time"], "TimeUnit": time["TimeUnit"]}
        module = module_without_imports(text, namespace)
        kw = dict(kw)
        lr, max_duration = kw.pop("lr"), time["Time"].from_timestring(kw.pop("max_duration"))
        length, ssr = kw.pop("dataloader_len", None), kw.pop("scale_schedule_ratio", 1.0)
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
        # Trainer.__init__: max_duration * scale_schedule_ratio, then the compiled LambdaLR
        state = types.SimpleNamespace(
            timestamp=time["Timestamp"](),
            max_duration=max_duration * ssr,
            dataloader_len=length,
            optimizers=[optimizer],
        )
        with warnings.catch_warnings():  # "The warmup duration is 0"
            warnings.simplefilter("ignore")
            scheduler = module["compile_composer_scheduler"](module[cls](**kw), state, ssr)
            end = module["_convert_time"](module[cls](**kw).t_max, state, ssr).value
            values = []
            # _train_loop: the batch's update, scheduler.step(), then the next timestamp
            for _ in range(2 * (end + 1) + 1):
                values.append(optimizer.param_groups[0]["lr"])
                optimizer.step()
                scheduler.step()
                state.timestamp = state.timestamp.to_next_batch(samples=1, tokens=0)
        return values, None

    return run


def run_olmo(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    from abc import ABCMeta, abstractmethod  # the module's own imports, but torch and olmo's
    from dataclasses import dataclass, replace
    from typing import Optional

    namespace: dict[str, Any] = {"ABCMeta": ABCMeta, "abstractmethod": abstractmethod}
    namespace |= {"dataclass": dataclass, "replace": replace, "Optional": Optional}
    namespace |= {"cos": math.cos, "pi": math.pi, "sqrt": math.sqrt}
    names = (
        "cosine_with_warmup",
        "linear_with_warmup",
        "inverse_sqrt_with_warmup",
        "max_scheduler",
    )
    names += ("constant", "cosine_linear_envelope", "constant_with_warmup")
    namespace["SchedulerType"] = types.SimpleNamespace(**{n: n for n in names})
    for name in ("Scheduler", "CosWithWarmup", "LinearWithWarmup", "InvSqrtWithWarmup"):
        definition(text, name, namespace)
    for name in ("MaxScheduler", "ConstantScheduler", "CosLinearEnvelope"):
        definition(text, name, namespace)
    definition(text, "ConstantWithWarmupScheduler", namespace)
    build = definition(text, "build_scheduler", namespace)
    config = {"name": "cosine_with_warmup", "t_warmup": 100, "t_max": None, "alpha_f": 0.1}
    config |= {"warmup_min_lr": None, "grad_clip_warmup_steps": None}
    config |= {"grad_clip_warmup_factor": None}
    config |= {k: v for k, v in kw.items() if k not in ("learning_rate", "max_duration")}
    scheduler = build(None, types.SimpleNamespace(**config))
    # train.py: fit adds 1 to global_step before each batch, train_step sets group["lr"] =
    # get_lr(learning_rate, global_step, max_steps) before the update: update k uses k + 1.
    # Up to twice max_duration, but inverse_sqrt (which never ends) only for the updates.
    lr, total = kw["learning_rate"], kw["max_duration"]
    last = total - 1 if config["name"] == "inverse_sqrt_with_warmup" else 2 * total
    return [scheduler.get_lr(lr, k + 1, total) for k in range(last + 1)], None


def run_latent_diffusion(
    cls: str,
) -> Callable[[str, dict[str, Any]], tuple[list[float], int | None]]:
    """The runner of latent-diffusion's ``cls`` (``LambdaLinearScheduler``, ...)."""

    def run(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
        import torch  # the LambdaLR that ddpm.py's configure_optimizers wraps schedule in

        kw = dict(kw)
        lr = kw.pop("lr")
        namespace: dict[str, Any] = {"np": np}
        definition(text, "LambdaWarmUpCosineScheduler2", namespace)  # LambdaLinear's base
        schedule = definition(text, cls, namespace)(**kw).schedule
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=schedule)
        # interval: step: Lightning steps it after each update, update k uses lr *
        # schedule(k). Up to twice the end (max_decay_steps or sum(cycle_lengths)), at most
        # 400, where the code has values (past sum(cycle_lengths) find_in_interval gives
        # None: a TypeError).
        end = kw.get("max_decay_steps") or sum(kw["cycle_lengths"])
        values: list[float] = []
        for k in range(min(2 * end, 400) + 1):
            values.append(float(optimizer.param_groups[0]["lr"]))
            optimizer.step()
            try:
                scheduler.step()
            except TypeError:
                return values, k + 1
        return values, None

    return run


def run_detectron2(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    """``build_lr_scheduler`` from the file, stepped by its ``LRScheduler`` hook."""
    import logging

    import torch
    from fvcore.common import param_scheduler

    namespace: dict[str, Any] = {"math": math, "logging": logging, "torch": torch}
    namespace |= {name: getattr(param_scheduler, name) for name in param_scheduler.__all__}
    namespace |= {"LRScheduler": torch.optim.lr_scheduler.LRScheduler, "List": list}
    namespace |= {"CfgNode": Any}
    scheduler_file = ALSO["detectron2/solver/lr_scheduler.py"]
    for name in ("WarmupParamScheduler", "LRMultiplier"):
        definition(scheduler_file, name, namespace)
    build = definition(text, "build_lr_scheduler", namespace)
    solver = {
        "LR_SCHEDULER_NAME": "WarmupMultiStepLR",
        "MAX_ITER": 40000,
        "BASE_LR": 0.001,
        "BASE_LR_END": 0.0,
        "GAMMA": 0.1,
        "STEPS": (30000,),
        "NUM_DECAYS": 3,
        "WARMUP_FACTOR": 1.0 / 1000,
        "WARMUP_ITERS": 1000,
        "WARMUP_METHOD": "linear",
        "RESCALE_INTERVAL": False,
    }  # detectron2/config/defaults.py
    cfg = types.SimpleNamespace(SOLVER=types.SimpleNamespace(**(solver | kw)))
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=cfg.SOLVER.BASE_LR)
    logging.getLogger().setLevel(logging.ERROR)  # STEPS past MAX_ITER: a warning
    scheduler = build(cfg, optimizer)
    # tools/plain_train_net.py / engine.hooks.LRScheduler: scheduler.step() after each update;
    # recorded up to MAX_ITER, where training ends (fvcore's steps raise past it)
    values: list[float] = []
    for step in range(cfg.SOLVER.MAX_ITER + 1):
        values.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        try:
            scheduler.step()
        except (IndexError, RuntimeError):
            return values, step + 1
    return values, None


def run_guided_diffusion(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
    namespace: dict[str, Any] = {"os": os, "logger": types.SimpleNamespace(dumpkvs=lambda: None)}
    train_loop = definition(text, "TrainLoop", namespace)
    lr, anneal, resume = kw["lr"], kw["lr_anneal_steps"], kw.get("resume_step", 0)
    used: list[float] = []

    def loop(resume_step: int, first_lr: float, batches: int) -> Any:
        """A TrainLoop whose run_loop runs its own run_step and _anneal_lr on no model."""
        self = object.__new__(train_loop)
        self.lr, self.lr_anneal_steps = lr, anneal
        self.step, self.resume_step = 0, resume_step
        self.opt = types.SimpleNamespace(param_groups=[{"lr": first_lr}])  # AdamW(lr=lr)
        self.data = iter([(None, None)] * batches)
        self.log_interval = self.save_interval = 10**9
        self.forward_backward = lambda batch, cond: None
        self.log_step = self.save = self._update_ema = lambda: None
        record = lambda opt: used.append(opt.param_groups[0]["lr"]) or True  # noqa: E731
        self.mp_trainer = types.SimpleNamespace(optimize=record)
        return self

    first = lr
    if resume:  # the checkpoint model{resume:06}.pt: saved after update `resume`, its lr
        previous = loop(0, lr, resume + 1)
        with contextlib.suppress(StopIteration):  # the data ends after update `resume`
            previous.run_loop()
        first = previous.opt.param_groups[0]["lr"]
        used.clear()
    # run_loop: run_step (optimize, then _anneal_lr) while step + resume_step < anneal;
    # with lr_anneal_steps=0 it never ends: 40 updates
    with contextlib.suppress(StopIteration):
        loop(resume, first, anneal or 40).run_loop()
    return used, None


def run_paddle(cls: str) -> Callable[[str, dict[str, Any]], tuple[list[float], int | None]]:
    """The runner of ``paddle.optimizer.lr.<cls>``, from the installed paddlepaddle."""

    def run(text: str, kw: dict[str, Any]) -> tuple[list[float], int | None]:
        import paddle  # only this codebase needs it

        assert paddle.version.commit == PADDLE, paddle.version.commit
        kw = dict(kw)
        horizon, cycles = kw.pop("horizon", None), kw.pop("cycles", None)
        wrapped = kw.get("learning_rate")
        if isinstance(wrapped, dict):  # LinearWarmup around a scheduler: its case, built
            inner = CODEBASES["paddle"]["presets"][wrapped["preset"]][2]
            inner_kw = {k: v for k, v in wrapped["kwargs"].items() if k != "horizon"}
            kw["learning_rate"] = getattr(paddle.optimizer.lr, inner)(**inner_kw)
            # the wrapped one past its end too, or up to its own horizon
            horizon = kw["warmup_steps"] + wrapped["kwargs"].get("horizon", 40)
        scheduler = getattr(paddle.optimizer.lr, cls)(**kw)
        # __init__ steps it to last_epoch = 0, scheduler.step() after each optimizer.step():
        # update k uses the value at last_epoch = k. Up to the horizon or the cycles' end
        # where it never ends, to twice the end elsewhere (OneCycleLR: its updates;
        # CosineAnnealingDecay to T_max: past it its recursion drifts by tens of ulps).
        steps = {
            "CosineAnnealingDecay": lambda: kw["T_max"],
            "MultiStepDecay": lambda: 2 * max(kw["milestones"]) + 2,
            "PolynomialDecay": lambda: (
                cycles * kw["decay_steps"] if cycles else 2 * kw["decay_steps"]
            ),
            "PiecewiseDecay": lambda: 2 * max(kw["boundaries"]) + 2,
            "LinearWarmup": lambda: 2 * kw["warmup_steps"] + 2,
            "OneCycleLR": lambda: kw["total_steps"] - 1,
        }
        last = horizon if horizon is not None else steps[cls]()
        values = []
        for _ in range(last + 1):
            values.append(float(scheduler()))
            scheduler.step()
        return values, None

    return run


def run_fairseq(name: str) -> Callable[[str, dict[str, Any]], tuple[list[float], None]]:
    """The runner of fairseq's ``--lr-scheduler name`` (its scheduler class and config)."""

    def run(text: str, kw: dict[str, Any]) -> tuple[list[float], None]:
        import dataclasses
        import typing
        from collections.abc import Collection

        _, scheduler, config = FAIRSEQ_SCHEDULERS[name]

        class Base:  # FairseqLRScheduler's state (cfg, optimizer); its hooks do nothing
            def __init__(self, cfg: Any, optimizer: Any) -> None:
                self.cfg, self.optimizer = cfg, optimizer

            def step_begin_epoch(self, epoch: int) -> None:
                pass

        class Optimizer:  # FairseqOptimizer's set_lr/get_lr
            lr = math.nan

            def set_lr(self, lr: float) -> None:
                self.lr = lr

            def get_lr(self) -> float:
                return self.lr

        # the module's imports, but fairseq's registry and omegaconf's II (a required key)
        namespace: dict[str, Any] = {"math": math, "Collection": Collection}
        namespace |= {n: getattr(typing, n) for n in ("List", "Optional", "Tuple")}
        namespace |= {"dataclass": dataclasses.dataclass, "field": dataclasses.field}
        namespace |= {"II": lambda key: None, "FairseqDataclass": object}
        namespace |= {"FairseqLRScheduler": Base}
        namespace["register_lr_scheduler"] = lambda *a, **k: lambda cls: cls
        config_class = definition(text, config, namespace)
        scheduler_class = definition(text, scheduler, namespace)
        kw = dict(kw)
        horizon = kw.pop("horizon", None)  # the preset's end of inverse_sqrt (it has none)
        kw["lr"] = [kw["lr"]]  # --lr is a list; these schedulers take its one value
        optimizer = Optimizer()
        lr_scheduler = scheduler_class(config_class(**kw), optimizer)
        # trainer.py: step_update(0) when the optimizer is built, step_begin_epoch(1) then
        # step_update(num_updates) at the first epoch, step_update(num_updates) after each
        # update: update k uses step_update(k). Recorded up to twice the end (cosine:
        # max_update; polynomial_decay: total_num_update; tri_stage: its three stages; step:
        # warmup_updates and 6 periods), inverse_sqrt (no end) up to the preset's horizon.
        lr_scheduler.step_update(0)
        lr_scheduler.step_begin_epoch(1)
        last = {
            "cosine": 2 * kw.get("max_update", 0),
            "inverse_sqrt": horizon or 0,
            "polynomial_decay": 2 * kw.get("total_num_update", 0),
            "tri_stage": 2
            * sum(int(kw.get("max_update", 0) * r) for r in kw.get("phase_ratio") or ())
            or 2 * sum(kw.get(k, 0) for k in ("warmup_steps", "hold_steps", "decay_steps")),
            "step": 2 * (kw.get("warmup_updates", 0) + 6 * kw.get("lr_deacy_period", 25000)),
        }[name]
        values = []
        for k in range(last + 1):
            lr_scheduler.step_update(k)
            values.append(optimizer.get_lr())
        return values, None

    return run


def run_t5x(text: str, kw: dict[str, Any]) -> tuple[list[float], None]:
    import jax.numpy as jnp  # T5X's step_fn is jax (float32)

    namespace: dict[str, Any] = {"jnp": jnp, "LearningRateCallable": Any}
    create = definition(text, "create_learning_rate_scheduler", namespace)
    kw = dict(kw)
    horizon = kw.pop("horizon")  # the preset's end: T5X's schedule has none
    step_fn = create(**kw)
    # trainer.py: apply_gradient(..., learning_rate=self._learning_rate_fn(train_state.step)),
    # the int32 count of updates so far: update k uses step_fn(k); up to the preset's horizon
    steps = jnp.arange(horizon + 1, dtype=jnp.int32)
    values = jnp.broadcast_to(step_fn(steps), steps.shape)  # "constant" alone: one scalar
    return [float(v) for v in np.asarray(values, dtype=np.float32)], None


def run_maxtext(text: str, kw: dict[str, Any]) -> tuple[list[float], None]:
    import jax.numpy as jnp  # MaxText's schedule is optax and jax (float32)
    import optax

    namespace: dict[str, Any] = {"jnp": jnp, "optax": optax}
    create = definition(text, "create_learning_rate_schedule", namespace)
    config = {
        "steps": 150_001,
        "learning_rate": 3e-5,
        "cosine_learning_rate_final_fraction": 0.1,
        "warmup_steps_fraction": 0.1,
        "learning_rate_schedule_steps": -1,
        **kw,
    }  # configs/base.yml's defaults; pyconfig: a -1 takes the other's value
    if config["learning_rate_schedule_steps"] == -1:
        config["learning_rate_schedule_steps"] = config["steps"]
    if config["steps"] == -1:
        config["steps"] = config["learning_rate_schedule_steps"]
    schedule = create(types.SimpleNamespace(**config))
    # optax's scale_by_learning_rate reads the int32 count before each update: update k uses
    # schedule(k). With steps past learning_rate_schedule_steps the constant 0 goes on:
    # recorded up to twice steps; otherwise training ends at steps (past the cosine's end its
    # formula rises again), recorded up to steps.
    steps, end = config["steps"], config["learning_rate_schedule_steps"]
    values = schedule(jnp.arange((2 if steps > end else 1) * steps + 1, dtype=jnp.int32))
    return [float(v) for v in np.asarray(values, dtype=np.float32)], None


#: Levanter's ``OptimizerConfig`` fields the preset takes, with their defaults.
LEVANTER_DEFAULTS: dict[str, Any] = {
    "learning_rate": 6e-4,
    "min_lr_ratio": 0.1,
    "warmup": 0.01,
    "decay": None,
    "rewarmup": 0.0,
    "cooldown": None,
    "cycle_length": None,
    "cycles": None,
    "lr_schedule": "cosine",
    "haps": None,
}


def run_levanter(text: str, kw: dict[str, Any]) -> tuple[list[float], None]:
    import warnings

    import jax.numpy as jnp  # Levanter's schedule is optax and jax (float32)
    import optax

    # the method and its helpers, run on a stand-in for the (draccus) config dataclass; the
    # LrSchedule classes are only reached for a non-string lr_schedule
    namespace: dict[str, Any] = {"optax": optax, "np": np, "jnp": jnp, "warnings": warnings}
    namespace |= {"LrSchedule": type("LrSchedule", (), {}), "LrScheduleContext": None}
    for name in ("_convert_frac_or_steps", "_inv_sqrt_decay_schedule", "_inv_decay_schedule"):
        definition(text, name, namespace)
    lr_scheduler = definition(text, "lr_scheduler", namespace)
    cycle_minima = definition(text, "_get_cycle_minima", namespace)
    kw = dict(kw)
    steps = kw.pop("num_train_steps")
    config = types.SimpleNamespace(**{**LEVANTER_DEFAULTS, **kw})
    config._get_cycle_minima = functools.partial(cycle_minima, config)
    schedule = lr_scheduler(config, steps)
    # AdamConfig.build: optax.inject_hyperparams(...)(learning_rate=schedule) reads the int32
    # count before each update: update k uses schedule(k); recorded up to twice the end
    values = [schedule(jnp.asarray(k, dtype=jnp.int32)) for k in range(2 * steps + 1)]
    return [float(v) for v in np.asarray(values, dtype=np.float32)], None


RUNNERS: dict[str, Callable[[str, dict[str, Any]], tuple[list[float], int | None]]] = {
    "nanogpt_get_lr": run_nanogpt,
    "nanogpt_get_lr_2023": run_nanogpt,
    "llmc_get_lr": run_llmc_python,
    "llmc_get_learning_rate": run_llmc_c,
    "torchtitan_lr_scheduler": run_torchtitan,
    "annotated_transformer_rate": run_annotated,
    "dino_cosine_scheduler": run_dino,
    "dinov2_cosine_scheduler": run_dinov2,
    "mae_adjust_learning_rate": run_mae,
    "nanochat_lr_multiplier": run_nanochat_lr,
    "nanochat_muon_momentum": run_nanochat_momentum,
    "nanochat_weight_decay": run_nanochat_weight_decay,
    "modded_nanogpt_get_lr": run_modded_nanogpt,
    "litgpt_get_lr": run_litgpt,
    **{
        f"open_clip_{function}": run_open_clip(function)
        for function in ("cosine_lr", "const_lr", "const_lr_cooldown")
    },
    "yolov5_lr": run_yolov5("lr"),
    "yolov5_momentum": run_yolov5("momentum"),
    "gpt_neox_annealing_lr": run_gpt_neox,
    "big_vision_lr_schedule": run_big_vision,
    "megatron_lr": run_megatron("lr"),
    "megatron_weight_decay": run_megatron("weight_decay"),
    # Composer
    "composer_linear_with_warmup": run_composer("LinearWithWarmupScheduler"),
    "composer_cosine_with_warmup": run_composer("CosineAnnealingWithWarmupScheduler"),
    "composer_constant_with_warmup": run_composer("ConstantWithWarmupScheduler"),
    "composer_polynomial_with_warmup": run_composer("PolynomialWithWarmupScheduler"),
    # detectron2
    "detectron2_lr_scheduler": run_detectron2,
    "olmo_scheduler": run_olmo,
    "guided_diffusion_anneal_lr": run_guided_diffusion,
    **{
        name: run_paddle(function)
        for name, (_, _, function) in CODEBASES["paddle"]["presets"].items()
    },
    **{f"latent_diffusion_{name}": run_latent_diffusion(cls) for name, cls in LDM_CLASSES},
    **{f"fairseq_{name}": run_fairseq(name) for name in FAIRSEQ_SCHEDULERS},
    "t5x_learning_rate_scheduler": run_t5x,
    "maxtext_learning_rate_schedule": run_maxtext,
    "levanter_lr_scheduler": run_levanter,
}

#: The codebases that compute in float32 besides llm.c's C (jax's default precision).
FLOAT32 = {"big_vision", "t5x", "maxtext", "levanter"}

#: Other files of the codebase a runner reads (``also`` in :data:`CODEBASES`), by path.
ALSO: dict[str, str] = {}


def golden(codebase: str, repository: Path) -> dict[str, Any]:
    entry = CODEBASES[codebase]
    cases = []
    for preset, (commit, path, function) in entry["presets"].items():
        text = "" if "package" in entry else source(repository, commit, path)
        ALSO.update({also: source(repository, commit, also) for also in entry.get("also", ())})
        sets = entry["cases"][preset] if isinstance(entry["cases"], dict) else entry["cases"]
        for kwargs in sets:
            values, stops = RUNNERS[preset](text, kwargs)
            cases.append(
                {
                    "preset": preset,
                    "commit": commit,
                    "path": path,
                    "function": function,
                    "kwargs": kwargs,
                    "dtype": "float32" if path.endswith(".h") or codebase in FLOAT32 else "float64",
                    "stops_at": stops,
                    "values": values,
                }
            )
    package = {"package": entry["package"]} if "package" in entry else {}
    return {"repository": entry["repository"], **package, "cases": cases}


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or argv[0] not in CODEBASES:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[2]) if len(argv) == 3 else Path(__file__).parent
    data = golden(argv[0], Path(argv[1]))
    path = out / f"{argv[0]}.json"
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{path}: {len(data['cases'])} cases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
