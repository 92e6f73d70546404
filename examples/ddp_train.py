"""PyTorch DDP (gloo, CPU): warmup + cosine, gradient accumulation, a killed run resumed.

    torchrun --nproc-per-node 2 examples/ddp_train.py [--smoke] [--accumulate 2]
    torchrun --nproc-per-node 2 examples/ddp_train.py --checkpoint ckpt.pt --crash-at 300
    torchrun --nproc-per-node 2 examples/ddp_train.py --checkpoint ckpt.pt   # resumes at 300

Every rank builds the same model, optimizer and WarmcosLR; DDP averages the gradients, so
every rank applies the same updates and computes the same lr. One update is ``--accumulate``
micro-batches per rank (``no_sync()`` for all but the last), and ``scheduler.step()`` runs
once per update, after ``optimizer.step()``, never per micro-batch: with 2 ranks and 2
micro-batches of 12 images, an update sees 48 images and an epoch is 30 updates.

With ``--checkpoint``, rank 0 saves model, optimizer and scheduler every ``--save-every``
updates (atomically), and a run started with an existing checkpoint continues from it:
the data order is a function of the update count (``DistributedSampler.set_epoch`` and the
micro-batches already done in the epoch), so the resumed run ends with the same weights, bit
for bit, as an uninterrupted one. ``--crash-at N`` SIGKILLs rank 0 right after the checkpoint
at update ``N`` (torchrun then stops the other ranks), like a lost node. Each rank writes its
own log (``ddp_train.<tag>.rank<R>.json``); rank 0 also the final weights. A full run reaches
a test accuracy >= 0.95.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

import _common
from warmcos import Schedule
from warmcos.torch import WarmcosLR


def main() -> int:
    p = _common.parser(__doc__)
    p.add_argument("--accumulate", type=int, default=2, help="micro-batches per update")
    p.add_argument("--checkpoint", help="checkpoint file: saved to, and resumed from if present")
    p.add_argument("--save-every", type=int, default=50, help="updates between checkpoints")
    p.add_argument(
        "--crash-at", type=int, help="SIGKILL rank 0 after the checkpoint at this update"
    )
    p.add_argument("--tag", default="run", help="names the logs: ddp_train.<tag>.rank<R>.json")
    args = p.parse_args()
    torch.set_num_threads(1)
    dist.init_process_group("gloo")  # rank and world size from torchrun's environment
    rank, world = dist.get_rank(), dist.get_world_size()

    x_train, y_train, x_test, y_test = _common.torch_digits()
    dataset = torch.utils.data.TensorDataset(x_train, y_train)
    sampler = torch.utils.data.DistributedSampler(dataset, shuffle=True, seed=0, drop_last=True)
    micro = _common.BATCH // (world * args.accumulate)  # images per micro-batch per rank
    loader = torch.utils.data.DataLoader(dataset, batch_size=micro, sampler=sampler, drop_last=True)
    updates_per_epoch = len(loader) // args.accumulate

    torch.manual_seed(0)  # the same initial weights on every rank
    model = DistributedDataParallel(_common.torch_mlp())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-4)
    schedule = Schedule(
        peak_lr=1e-2,
        total_steps=f"{_common.epochs(args)}ep",
        steps_per_epoch=updates_per_epoch,  # updates, not micro-batches
        warmup_steps="10%",
        warmup_start_lr=1e-4,
        final_lr=1e-4,
    )
    scheduler = WarmcosLR(optimizer, schedule)
    step = 0
    if args.checkpoint and os.path.exists(args.checkpoint):
        state = torch.load(args.checkpoint, weights_only=True)
        model.module.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])  # the optimizer first, then the scheduler
        scheduler.load_state_dict(state["scheduler"])
        step = state["step"]
    log = _common.RunLog("ddp_train", schedule, args)

    while step < schedule.total_steps:
        epoch, done = divmod(step, updates_per_epoch)
        sampler.set_epoch(epoch)
        batches = iter(loader)
        for _ in range(done * args.accumulate):  # the micro-batches a checkpoint already used
            next(batches)
        for _ in range(done, updates_per_epoch):
            losses = []
            for m in range(args.accumulate):
                x, y = next(batches)
                last = m == args.accumulate - 1
                with contextlib.nullcontext() if last else model.no_sync():
                    loss = torch.nn.functional.cross_entropy(model(x), y) / args.accumulate
                    loss.backward()  # all-reduces the gradients on the last micro-batch only
                losses.append(loss.item())
            log.record(step, optimizer.param_groups[0]["lr"], sum(losses))
            optimizer.step()  # this update uses schedule(step), on every rank
            optimizer.zero_grad()
            scheduler.step()  # once per update, not per micro-batch
            step += 1
            if args.checkpoint and (step % args.save_every == 0 or step == args.crash_at):
                save(args.checkpoint, model, optimizer, scheduler, step=step, rank=rank)
                if step == args.crash_at and rank == 0:
                    print(f"rank 0: checkpoint at update {step}; SIGKILL", flush=True)
                    os.kill(os.getpid(), signal.SIGKILL)

    log.extra |= {"rank": rank, "world_size": world, "accumulate": args.accumulate}
    if rank == 0:
        args.out.mkdir(parents=True, exist_ok=True)
        torch.save(model.module.state_dict(), args.out / f"ddp_train.{args.tag}.weights.pt")
    accuracy = _common.torch_accuracy(model.module, x_test, y_test)
    status = log.finish(accuracy, suffix=f".{args.tag}.rank{rank}", plot=rank == 0)
    dist.destroy_process_group()
    return status


def save(path: str, model, optimizer, scheduler, *, step: int, rank: int) -> None:
    """Rank 0 writes the checkpoint atomically; every rank waits until it is complete."""
    if rank == 0:
        state = {
            "model": model.module.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "step": step,
        }
        torch.save(state, f"{path}.tmp")
        os.replace(f"{path}.tmp", path)
    dist.barrier()


if __name__ == "__main__":
    sys.exit(main())
