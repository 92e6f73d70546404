"""One rank of a 2-process DDP run (gloo, CPU) driven by WarmcosLR, for test_torch_ddp.py.

``python ddp_worker.py MODE RANK WORLD INIT_FILE OUT_DIR``, MODE one of:

* ``full``: train ``STEPS`` updates without interruption; after ``SAVE_AT`` of them rank 0
  also saves model/optimizer/scheduler (a checkpoint this run does not use);
* ``resume``: new processes; every rank loads that checkpoint and trains to ``STEPS``.

At every step each rank all-gathers the lr it is about to use and records the gathered values
(so the parent can check every rank saw the same lr); it writes ``<mode>.rank<R>.json`` (the
gathered lrs per step, as ``repr`` strings) and ``<mode>.rank<R>.pt`` (its final weights).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from warmcos import Schedule
from warmcos.torch import WarmcosLR

STEPS, SAVE_AT = 30, 12
SCHEDULE = Schedule(peak_lr=0.05, total_steps=STEPS, warmup_steps=5, warmup_start_lr=0.005)


def main(mode: str, rank: int, world: int, init_file: str, out: Path) -> None:
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    torch.manual_seed(0)  # the same initial weights on every rank
    model = DistributedDataParallel(torch.nn.Linear(4, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = WarmcosLR(opt, SCHEDULE)
    start = 0
    if mode == "resume":
        state = torch.load(out / "ddp.ckpt.pt", weights_only=True)
        model.module.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start = state["step"]
    seen = []
    for step in range(start, STEPS):
        lr = torch.tensor([opt.param_groups[0]["lr"]], dtype=torch.float64)
        gathered = [torch.zeros(1, dtype=torch.float64) for _ in range(world)]
        dist.all_gather(gathered, lr)
        seen.append([repr(t.item()) for t in gathered])
        g = torch.Generator().manual_seed(100 * step + rank)  # each rank its own batch
        x = torch.randn(8, 4, generator=g)
        loss = (model(x) - x[:, :2].cos()).pow(2).mean()
        loss.backward()  # DDP averages the gradients across ranks
        opt.step()
        opt.zero_grad()
        scheduler.step()
        if mode == "full" and rank == 0 and step + 1 == SAVE_AT:
            state = {
                "model": model.module.state_dict(),
                "optimizer": opt.state_dict(),
                "scheduler": scheduler.state_dict(),
                "step": step + 1,
            }
            torch.save(state, out / "ddp.ckpt.pt")
    dist.barrier()
    (out / f"{mode}.rank{rank}.json").write_text(json.dumps(seen))
    torch.save(model.module.state_dict(), out / f"{mode}.rank{rank}.pt")
    # Both ranks tear gloo down together: a rank that destroyed its group while the other was
    # still writing its files once aborted at exit ("terminate called without an active
    # exception", SIGABRT) in a CI run.
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], Path(sys.argv[5]))
