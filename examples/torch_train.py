"""PyTorch: a digits classifier, AdamW and a warmup-stable-decay (WSD) WarmcosLR.

    python examples/torch_train.py [--smoke] [--out build/examples]

The loop is the one of the README: ``optimizer.step()`` then ``scheduler.step()``, so update
``k`` (from 0) uses ``schedule(k)``. The lr logged for each update is read from the optimizer
just before its step. A full run (20 epochs, 600 updates) reaches a test accuracy >= 0.95.
"""

from __future__ import annotations

import sys

import torch

import _common
from warmcos import Schedule
from warmcos.torch import WarmcosLR


def main() -> int:
    args = _common.parser(__doc__).parse_args()
    loader, x_test, y_test = _common.torch_loader()
    model = _common.torch_mlp()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-4)
    schedule = Schedule(
        peak_lr=1e-2,
        total_steps=f"{_common.epochs(args)}ep",
        steps_per_epoch=len(loader),
        warmup_steps="10%",
        warmup_start_lr=1e-4,
        stable_steps="40%",  # warmup, stable, decay (WSD): hold the peak for 40% of the run,
        decay_shape="1-sqrt",  # then decay as 1 - sqrt(progress), to 0 at the last step
    )
    scheduler = WarmcosLR(optimizer, schedule)
    log = _common.RunLog("torch_train", schedule, args)

    step = 0
    for _ in range(_common.epochs(args)):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            log.record(step, optimizer.param_groups[0]["lr"], loss.item())
            optimizer.step()  # this update uses schedule(step)
            optimizer.zero_grad()
            scheduler.step()  # the optimizer now holds schedule(step + 1)
            step += 1
    return log.finish(_common.torch_accuracy(model, x_test, y_test))


if __name__ == "__main__":
    sys.exit(main())
