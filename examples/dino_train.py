"""PyTorch, DINO-style: the lr, the weight decay and a teacher's EMA momentum, all scheduled.

    python examples/dino_train.py [--smoke] [--out build/examples]

DINO (facebookresearch/dino, ``main_dino.py``) schedules three values per update ``it``:
the lr (a linear warmup, then a cosine: ``utils.cosine_scheduler``, here
``presets.dino_cosine_scheduler`` with DINO's own arguments), the weight decay of the
regularised param group (a cosine that *rises* from 0.04 to 0.4), and the momentum of the
teacher, an exponential moving average of the student (a cosine from 0.996 up to 1). One
``WarmcosLR`` drives the lr of both groups and the weight decay of the first
(``hyper=``: one ``state_dict``); the teacher's momentum is not an optimizer field, so the
loop calls its schedule with the update's step. The values logged for each update are read
from the optimizer before its step (and the momentum as the EMA uses it). A full run (20
epochs, 600 updates) reaches a test accuracy >= 0.95 (the student: 0.992; its teacher: 0.983).
"""

from __future__ import annotations

import copy
import sys

import torch

import _common
from warmcos import Composition, Segment, presets
from warmcos.torch import WarmcosLR


def main() -> int:
    args = _common.parser(__doc__).parse_args()
    loader, x_test, y_test = _common.torch_loader()
    epochs, niter_per_ep = _common.epochs(args), len(loader)
    total = epochs * niter_per_ep
    student = _common.torch_mlp()
    teacher = copy.deepcopy(student).requires_grad_(False)
    # DINO's groups: weights are regularised, biases are not (utils.get_params_groups)
    weights = [p for n, p in student.named_parameters() if not n.endswith(".bias")]
    biases = [p for n, p in student.named_parameters() if n.endswith(".bias")]
    optimizer = torch.optim.AdamW(
        [{"params": weights, "weight_decay": 0.04}, {"params": biases, "weight_decay": 0.0}],
        lr=1e-2,
    )
    # utils.cosine_scheduler(lr, min_lr, epochs, niter_per_ep, warmup_epochs): update `it`
    # uses schedule[it]; the same arguments here.
    lr = presets.dino_cosine_scheduler(1e-2, 1e-4, epochs, niter_per_ep, warmup_epochs=1)
    # cosine_scheduler(0.04, 0.4, ...) and cosine_scheduler(0.996, 1, ...) rise, which the
    # preset refuses (a warmcos decay goes down): one cosine segment each over the run,
    # final + (base - final) * (1 + cos(pi * it / total)) / 2, DINO's formula for them.
    weight_decay = Composition([Segment(total, 0.04, 0.4, "cosine")])
    momentum = Composition([Segment(total, 0.996, 1.0, "cosine")])
    # the lr in both groups; the weight decay in the first only (None: left at 0)
    scheduler = WarmcosLR(optimizer, lr, hyper={"weight_decay": [weight_decay, None]})
    log = _common.RunLog("dino_train", lr, args)
    used: dict[str, list[float]] = {"weight_decay": [], "weight_decay_bias": [], "momentum": []}

    step = 0
    for _ in range(epochs):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(student(x), y)
            loss.backward()
            log.record(step, optimizer.param_groups[0]["lr"], loss.item())
            used["weight_decay"].append(optimizer.param_groups[0]["weight_decay"])
            used["weight_decay_bias"].append(optimizer.param_groups[1]["weight_decay"])
            optimizer.step()  # this update uses lr(step) and weight_decay(step)
            optimizer.zero_grad()
            scheduler.step()  # the optimizer now holds the values of step + 1
            m = momentum(step)  # the teacher's EMA momentum of this update
            used["momentum"].append(m)
            with torch.no_grad():
                for p_student, p_teacher in zip(
                    student.parameters(), teacher.parameters(), strict=True
                ):
                    p_teacher.mul_(m).add_(p_student.detach(), alpha=1 - m)
            step += 1
    log.extra = {
        **used,
        "schedules": {"weight_decay": weight_decay.to_dict(), "momentum": momentum.to_dict()},
        "teacher_test_accuracy": _common.torch_accuracy(teacher, x_test, y_test),
        "scheduler_state_keys": sorted(scheduler.state_dict()["hyper"]),
    }
    return log.finish(_common.torch_accuracy(student, x_test, y_test))


if __name__ == "__main__":
    sys.exit(main())
