"""Conformance of WarmcosLR with the PyTorch anchors, run for real side by side.

* torch's ``SequentialLR([LinearLR, CosineAnnealingLR], milestones=[w])``, where the semantics
  coincide: a warmup start above 0 (``LinearLR`` cannot start at exactly 0), ``w >= 1``
  (``LinearLR(total_iters=0)`` never leaves its start factor), one absolute floor ``eta_min``
  for every group (warmcos: a list of absolute schedules), and ``after="wrap"`` (the cosine
  rises again past ``T_max``).
* transformers' ``get_cosine_schedule_with_warmup``: a ``LambdaLR`` multiplier on each group's
  lr, warmup from 0, no floor, rising past the end (warmcos: one shape scaled per group,
  ``warmup_start_lr=0``, ``final_lr=0``, ``after="wrap"``).

Tolerances: within ``1e-12`` relative before the end, i.e. wherever the anchor's value is at
least ``1e-4`` of the group's peak. Below that the anchors' own ``1 + cos`` cancels (their
relative error grows to ~3e-12 at ``T - 1``; warmcos' ``sin**2`` form does not cancel), so
there, and for 200 steps past ``T``, the comparison is absolute: ``1e-12`` of the peak.
"""

from __future__ import annotations

import pytest
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR
from transformers import get_cosine_schedule_with_warmup

from warmcos import Schedule
from warmcos.torch import WarmcosLR

GROUP_LRS = [1.0, 3e-4, 0.07]
# (total_steps, warmup_steps, warmup start as a fraction of the peak, eta_min)
CASES = [
    (10, 4, 0.1, 0.0),  # the toy case of the research notes
    (1000, 100, 0.01, 0.0),
    (5000, 250, 0.1, 1e-5),
    (997, 1, 0.5, 0.0),
    (4000, 3999, 0.25, 2e-4),  # one decay step
]
PAST_END = 200


def optimizer(lrs):
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups)


def compare(anchor_opt, anchor, ours_opt, ours, total_steps):
    """Step both side by side to ``total_steps + PAST_END``; assert the tolerances above."""
    checked_relative = 0
    for step in range(total_steps + PAST_END + 1):
        for g, (a_group, o_group) in enumerate(
            zip(anchor_opt.param_groups, ours_opt.param_groups, strict=True)
        ):
            a, o, peak = a_group["lr"], o_group["lr"], o_group["initial_lr"]
            if step < total_steps and a >= 1e-4 * peak:
                assert abs(a - o) <= 1e-12 * abs(a), (step, g, a, o)
                checked_relative += 1
            assert abs(a - o) <= 1e-12 * peak, (step, g, a, o)
        anchor_opt.step()
        anchor.step()
        ours_opt.step()
        ours.step()
    return checked_relative


@pytest.mark.parametrize(("total", "warmup", "start", "eta_min"), CASES)
def test_equals_sequential_linear_then_cosine_annealing(total, warmup, start, eta_min):
    anchor_opt = optimizer(GROUP_LRS)
    anchor = SequentialLR(
        anchor_opt,
        [
            LinearLR(anchor_opt, start_factor=start, end_factor=1.0, total_iters=warmup),
            CosineAnnealingLR(anchor_opt, T_max=total - warmup, eta_min=eta_min),
        ],
        milestones=[warmup],
    )
    ours_opt = optimizer(GROUP_LRS)
    schedules = [
        Schedule(
            peak_lr=lr,
            total_steps=total,
            warmup_steps=warmup,
            warmup_start_lr=start * lr,
            final_lr=eta_min,
            after="wrap",
        )
        for lr in GROUP_LRS
    ]
    ours = WarmcosLR(ours_opt, schedules)
    checked = compare(anchor_opt, anchor, ours_opt, ours, total)
    assert checked >= 0.9 * total * len(GROUP_LRS)


@pytest.mark.parametrize(("total", "warmup"), [(c[0], c[1]) for c in CASES] + [(500, 0)])
def test_equals_transformers_cosine_schedule_with_warmup(total, warmup):
    anchor_opt = optimizer(GROUP_LRS)
    anchor = get_cosine_schedule_with_warmup(anchor_opt, warmup, total)
    ours_opt = optimizer(GROUP_LRS)
    shape = Schedule(peak_lr=1.0, total_steps=total, warmup_steps=warmup, after="wrap")
    ours = WarmcosLR(ours_opt, shape, peak="optimizer")  # scaled to each group's lr, like LambdaLR
    checked = compare(anchor_opt, anchor, ours_opt, ours, total)
    assert checked >= 0.9 * total * len(GROUP_LRS)


def test_where_they_differ_by_design():
    # The defaults hold the final value past the end; the anchors rise again.
    anchor_opt = optimizer([1.0])
    anchor = get_cosine_schedule_with_warmup(anchor_opt, 4, 10)
    ours_opt = optimizer([1.0])
    ours = WarmcosLR(ours_opt, Schedule(peak_lr=1.0, total_steps=10, warmup_steps=4))
    for _ in range(13):
        anchor_opt.step()
        anchor.step()
        ours_opt.step()
        ours.step()
    assert ours_opt.param_groups[0]["lr"] == 0.0
    assert anchor_opt.param_groups[0]["lr"] == pytest.approx(0.5)  # step 13: rising again
