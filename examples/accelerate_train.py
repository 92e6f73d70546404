"""accelerate on 2 processes: a prepared WarmcosLR (exponential decay) that counts updates.

    torchrun --nproc-per-node 2 examples/accelerate_train.py [--smoke] [--setup skip_aware]

(``accelerate launch --cpu --num_processes 2`` starts a single process in accelerate 1.15;
torchrun starts two, and ``Accelerator()`` picks them up: ``MULTI_CPU`` with gloo.)

``accelerator.prepare(..., scheduler)`` wraps the scheduler in an ``AcceleratedScheduler``
whose ``step()``, after an optimizer update, calls the scheduler's ``step()``
``num_processes`` times, unless ``split_batches=True`` or
``step_scheduler_with_optimizer=False``: accelerate sizes schedules in *per-process batches*.
WarmcosLR counts optimizer *updates*, so on 2 processes that would run the schedule twice
as fast; it refuses instead, with a ValueError at the first update that names the fixes.
The setups (``--setup``):

* ``skip_aware`` (recommended): ``WarmcosLR(optimizer, schedule, skip_aware=True)`` advances
  once per applied optimizer update, however often it is called, so the prepared scheduler
  steps once per update (and not on accumulation micro-batches or skipped AMP steps);
* ``manual``: ``Accelerator(step_scheduler_with_optimizer=False)`` and
  ``scheduler.step()`` called by the loop once per update (when ``sync_gradients``);
* ``default``: plain ``WarmcosLR`` and accelerate's defaults: fails loudly on 2 processes.

Gradients are accumulated over 2 micro-batches (``Accelerator(gradient_accumulation_steps=2)``
and ``accelerator.accumulate(model)``). Each rank writes ``accelerate_train.<setup>.rank<R>.json``.
A full run reaches a test accuracy >= 0.95.
"""

from __future__ import annotations

import sys

import torch
from accelerate import Accelerator

import _common
from warmcos import Schedule
from warmcos.torch import WarmcosLR

ACCUMULATE = 2


def main() -> int:
    p = _common.parser(__doc__)
    p.add_argument("--setup", choices=["skip_aware", "manual", "default"], default="skip_aware")
    args = p.parse_args()
    torch.set_num_threads(1)
    accelerator = Accelerator(
        cpu=True,
        gradient_accumulation_steps=ACCUMULATE,
        step_scheduler_with_optimizer=args.setup != "manual",
    )
    world = accelerator.num_processes
    x_train, y_train, x_test, y_test = _common.torch_digits()
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_train, y_train),
        batch_size=_common.BATCH // (world * ACCUMULATE),  # per process and micro-batch
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    torch.manual_seed(0)
    model = _common.torch_mlp()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-4)
    updates_per_epoch = len(loader) // (world * ACCUMULATE)
    schedule = Schedule(
        peak_lr=1e-2,
        total_steps=f"{_common.epochs(args)}ep",
        steps_per_epoch=updates_per_epoch,  # optimizer updates, on any number of processes
        warmup_steps="10%",
        warmup_start_lr=1e-4,
        final_lr=1e-4,
        decay_shape="exponential",  # geometric decay from the peak to final_lr
    )
    scheduler = WarmcosLR(optimizer, schedule, skip_aware=args.setup == "skip_aware")
    model, optimizer, loader, scheduler = accelerator.prepare(model, optimizer, loader, scheduler)
    log = _common.RunLog("accelerate_train", schedule, args)

    step, losses = 0, []
    for _ in range(_common.epochs(args)):
        for x, y in loader:
            with accelerator.accumulate(model):
                loss = torch.nn.functional.cross_entropy(model(x), y)
                accelerator.backward(loss)
                losses.append(loss.item())
                if accelerator.sync_gradients:  # this micro-batch completes an update
                    log.record(step, optimizer.param_groups[0]["lr"], sum(losses) / len(losses))
                    losses.clear()
                optimizer.step()  # a no-op on the other micro-batches
                if args.setup != "manual" or accelerator.sync_gradients:
                    scheduler.step()  # prepared: steps WarmcosLR only after an update
                optimizer.zero_grad()
                step += accelerator.sync_gradients
    log.extra |= {"rank": accelerator.process_index, "world_size": world, "setup": args.setup}
    model = accelerator.unwrap_model(model)
    accuracy = _common.torch_accuracy(model, x_test, y_test)
    status = log.finish(
        accuracy,
        suffix=f".{args.setup}.rank{accelerator.process_index}",
        plot=accelerator.is_main_process,
    )
    accelerator.end_training()
    return status


if __name__ == "__main__":
    sys.exit(main())
