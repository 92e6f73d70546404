"""PyTorch ``scheduler.step()`` overhead: WarmcosLR against torch, transformers and the floor.

For 1 and 10 param groups, times ``scheduler.step()`` side by side in one run, for:

* the floor: a function assigning precomputed floats to each ``param_group["lr"]``;
* ``SequentialLR([LinearLR, CosineAnnealingLR])``, torch's own warmup + cosine;
* transformers' ``get_cosine_schedule_with_warmup`` (a ``LambdaLR``);
* a plain ``LambdaLR`` with the same closed form written with ``math.cos``;
* ``WarmcosLR``, with float lrs and with tensor lrs (and the floor and ``SequentialLR`` with
  tensor lrs beside it);
* ``WarmcosLR`` following a :class:`~warmcos.Composition` equal to the template (issue 17: no
  slower than the template followed with ``peak="schedule"``), and a MultiStep composition
  beside torch's ``MultiStepLR``.

Each repeat times ``--steps`` consecutive ``step()`` calls of every candidate in turn (so
noise spreads over all of them) and divides by the count: an amortised per-step cost, which
includes WarmcosLR's evaluation of each chunk of steps. The table shows the median over the
repeats and the ratios. Target (issue #3): WarmcosLR <= 0.5x SequentialLR and transformers'
LambdaLR, with 1 and with 10 groups.

Run: ``.venv/bin/python benchmarks/torch_step.py`` (``--repeats``, ``--steps``).
"""

from __future__ import annotations

import argparse
import math
import warnings
from typing import TYPE_CHECKING

import torch
import transformers
from torch.optim.lr_scheduler import (
    CosineAnnealingLR,
    LambdaLR,
    LinearLR,
    MultiStepLR,
    SequentialLR,
)

import _common
import warmcos
from warmcos.torch import WarmcosLR

if TYPE_CHECKING:
    from collections.abc import Callable

PEAK, START, WARMUP, TOTAL = 3e-4, 3e-6, 10_000, 10_000_000  # never reaches the end
SHAPE = warmcos.Schedule(
    peak_lr=PEAK, total_steps=TOTAL, warmup_steps=WARMUP, warmup_start_lr=START
)
#: The same curve written as a composition: two segments.
COMPOSED = warmcos.Composition(
    [
        warmcos.Segment(WARMUP, START, PEAK),
        warmcos.Segment(TOTAL - WARMUP, PEAK, 0.0, "cosine"),
    ]
)
#: torch's MultiStepLR(milestones, gamma=0.1) from PEAK, as a composition.
MILESTONES = [1_000, 3_000, 6_000, 9_000]
MULTISTEP = warmcos.Composition.piecewise(
    MILESTONES, [PEAK * 0.1**i for i in range(len(MILESTONES) + 1)]
)


def optimizer(groups: int, tensor: bool) -> torch.optim.Optimizer:
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(groups)]
    lrs = [PEAK * (i + 1) for i in range(groups)]
    opt = torch.optim.SGD(
        [
            {"params": [p], "lr": torch.tensor(lr) if tensor else lr}
            for p, lr in zip(params, lrs, strict=True)
        ]
    )
    opt.step()  # torch's schedulers warn if they step before the optimizer ever did
    return opt


def closed_form(step: int) -> float:
    """The warmup + cosine multiplier written by hand, for the plain LambdaLR."""
    if step < WARMUP:
        return START / PEAK + (1 - START / PEAK) * step / WARMUP
    return 0.5 * (1 + math.cos(math.pi * (step - WARMUP) / (TOTAL - WARMUP)))


def sequential(opt: torch.optim.Optimizer) -> SequentialLR:
    """torch's own warmup + cosine: ``LinearLR`` then ``CosineAnnealingLR``."""
    return SequentialLR(
        opt,
        [
            LinearLR(opt, start_factor=START / PEAK, total_iters=WARMUP),
            CosineAnnealingLR(opt, T_max=TOTAL - WARMUP),
        ],
        milestones=[WARMUP],
    )


def floor(groups: int, tensor: bool) -> Callable[[], None]:
    opt = optimizer(groups, tensor)
    values = SHAPE.curve(2_000_000)
    precomputed = values.tolist()
    state = {"step": 0}

    def step() -> None:
        state["step"] += 1
        lr = precomputed[state["step"]]
        for group in opt.param_groups:
            if tensor:
                group["lr"].fill_(lr)
            else:
                group["lr"] = lr

    return step


def candidates(groups: int) -> dict[str, Callable[[], None]]:
    out: dict[str, Callable[[], None]] = {"floor (assign floats)": floor(groups, False)}
    opt = optimizer(groups, False)
    out["torch SequentialLR"] = sequential(opt).step
    opt = optimizer(groups, False)
    out["transformers LambdaLR"] = transformers.get_cosine_schedule_with_warmup(
        opt, WARMUP, TOTAL
    ).step
    opt = optimizer(groups, False)
    out["plain LambdaLR (math.cos)"] = LambdaLR(opt, closed_form).step
    opt = optimizer(groups, False)
    out["warmcos WarmcosLR"] = WarmcosLR(opt, SHAPE, peak="optimizer").step
    out["floor, tensor lr (fill_)"] = floor(groups, True)
    opt = optimizer(groups, True)
    out["torch SequentialLR, tensor lr"] = sequential(opt).step
    opt = optimizer(groups, True)
    out["warmcos WarmcosLR, tensor lr"] = WarmcosLR(opt, SHAPE, peak="optimizer").step
    opt = optimizer(groups, False)
    out["WarmcosLR template, exact rates"] = WarmcosLR(opt, SHAPE, peak="schedule").step
    opt = optimizer(groups, False)
    out["WarmcosLR composition"] = WarmcosLR(opt, COMPOSED).step
    opt = optimizer(groups, False)
    out["torch MultiStepLR"] = MultiStepLR(opt, MILESTONES, gamma=0.1).step
    opt = optimizer(groups, False)
    out["WarmcosLR MultiStep composition"] = WarmcosLR(opt, MULTISTEP).step
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--steps", type=int, default=5000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")  # transformers' import-time notices are not results

    print(
        _common.versions_line(
            f"torch {torch.__version__}", f"transformers {transformers.__version__}"
        )
    )
    print(_common.machine_line())
    print(
        f"scheduler.step(), amortised over {args.steps} consecutive steps, "
        f"median of {args.repeats} repeats"
    )
    verdicts = []
    for groups in (1, 10):
        seconds = _common.interleaved_medians(candidates(groups), args.repeats, calls=args.steps)
        us = {name: s * 1e6 for name, s in seconds.items()}
        ours, ours_t = us["warmcos WarmcosLR"], us["warmcos WarmcosLR, tensor lr"]
        composed = us["WarmcosLR composition"] / us["WarmcosLR template, exact rates"]
        multistep = us["WarmcosLR MultiStep composition"] / us["torch MultiStepLR"]
        print(f"\n{groups} param group{'s' if groups > 1 else ''}")
        print(f"{'scheduler':32} {'us/step':>8} {'warmcos /':>10}")
        for name, t in us.items():
            mine = ours_t if "tensor" in name else ours
            print(f"{name:32} {t:8.3f} {mine / t:9.3f}x")
        for anchor in ("torch SequentialLR", "transformers LambdaLR"):
            ratio = ours / us[anchor]
            verdicts.append(
                f"{groups:2} groups: WarmcosLR / {anchor} = {ratio:.3f} "
                f"({'meets' if ratio <= 0.5 else 'MISSES'} the <= 0.5 target)"
            )
        verdicts.append(
            f"{groups:2} groups: WarmcosLR composition / template = {composed:.3f} "
            f"({'meets' if composed <= 1.05 else 'MISSES'} 'no slower', 5% noise allowed); "
            f"MultiStep composition / torch MultiStepLR = {multistep:.3f}"
        )
    print()
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
