"""A small deterministic training run for the resume tests, run as a separate process.

Modes:

* ``full``: train ``--steps`` updates, write the lrs used and the final weights;
* ``crash``: train, checkpoint model/optimizer/scheduler after ``--save-at`` updates, print
  ``SAVED``, then keep training slowly until the parent kills the process (``SIGKILL``);
* ``resume``: a new process loads that checkpoint into freshly built runs (``--runs``: each
  with its name, resume policy and schedule length) and trains each to ``--steps``.

Outputs go to ``--dir``: ``<name>.lrs.json`` (the lr of each update, as ``repr`` strings so
the comparison is bit for bit) and ``<name>.weights.pt``; a run's name is its mode, except
for resumed runs, which are named in ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import torch

from warmcos import Schedule
from warmcos.torch import WarmcosLR


def build(total: int, policy: str):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.01)
    schedule = Schedule(
        peak_lr=1e-2, total_steps=total, warmup_steps=10, warmup_start_lr=1e-4, final_lr=1e-4
    )
    return model, opt, WarmcosLR(opt, schedule, resume=policy)


def train_step(model, opt, scheduler, step: int) -> str:
    g = torch.Generator().manual_seed(1000 + step)  # the data of update `step`, in any process
    x = torch.randn(16, 4, generator=g)
    y = x.sum(dim=1, keepdim=True).sin()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    lr = repr(opt.param_groups[0]["lr"])
    opt.step()
    opt.zero_grad()
    scheduler.step()
    return lr


def save(out: Path, mode: str, lrs: list[str], model) -> None:
    (out / f"{mode}.lrs.json").write_text(json.dumps(lrs))
    torch.save(model.state_dict(), out / f"{mode}.weights.pt")


def resume(out: Path, name: str, policy: str, total: int, steps: int) -> str:
    """Load the checkpoint into a freshly built run and train it to ``steps``; '' or the error."""
    model, opt, scheduler = build(total, policy)
    state = torch.load(out / "ckpt.pt", weights_only=True)
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["optimizer"])  # the optimizer first, then the scheduler
    try:
        scheduler.load_state_dict(state["scheduler"])
    except ValueError as error:
        return f"ValueError: {error}"
    lrs = [train_step(model, opt, scheduler, step) for step in range(state["step"], steps)]
    save(out, name, lrs, model)
    return ""


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["full", "crash", "resume"])
    p.add_argument("--dir", type=Path, required=True)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--save-at", type=int, default=23)
    p.add_argument(
        "--runs",
        default="resume:check:60",
        help="resume: comma-separated NAME:POLICY:TOTAL_STEPS, each loaded afresh",
    )
    a = p.parse_args()
    torch.set_num_threads(1)
    if a.mode == "resume":  # prints one JSON line: each run's error text ('' if none)
        runs = [r.split(":") for r in a.runs.split(",")]
        errors = {n: resume(a.dir, n, pol, int(t), a.steps) for n, pol, t in runs}
        print(json.dumps(errors))
        return 0
    model, opt, scheduler = build(a.steps, "check")
    lrs = []
    for step in range(a.steps):
        lrs.append(train_step(model, opt, scheduler, step))
        if a.mode == "crash" and step + 1 == a.save_at:
            state = {
                "model": model.state_dict(),
                "optimizer": opt.state_dict(),
                "scheduler": scheduler.state_dict(),
                "step": step + 1,
            }
            torch.save(state, a.dir / "ckpt.tmp")
            os.replace(a.dir / "ckpt.tmp", a.dir / "ckpt.pt")
            save(a.dir, a.mode, lrs, model)
            print("SAVED", flush=True)
        if a.mode == "crash" and step + 1 >= a.save_at:
            time.sleep(0.2)  # still training when the kill comes
    if a.mode == "crash":
        print("FINISHED without being killed", flush=True)
        return 4
    save(a.dir, a.mode, lrs, model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
