"""DDP, gloo backend, 2 processes on CPU: every rank uses the same lr, and a resume continues it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from warmcos import Schedule

WORKER = Path(__file__).with_name("ddp_worker.py")
WORLD = 2
SCHEDULE = Schedule(peak_lr=0.05, total_steps=30, warmup_steps=5, warmup_start_lr=0.005)
STEPS, SAVE_AT = 30, 12  # as in ddp_worker.py

pytestmark = pytest.mark.skipif(
    not torch.distributed.is_available() or not torch.distributed.is_gloo_available(),
    reason="needs torch.distributed with the gloo backend",
)


def launch(mode, out):
    """Start the WORLD ranks of one run (each its own process); return them."""
    init = out / f"{mode}.init"
    return [
        subprocess.Popen(
            [sys.executable, str(WORKER), mode, str(rank), str(WORLD), str(init), str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rank in range(WORLD)
    ]


def finish(procs):
    for rank, proc in enumerate(procs):
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, f"rank {rank}:\n{err}"


@pytest.fixture(scope="module")
def ddp_runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp")
    finish(launch("full", out))  # uninterrupted; saves a checkpoint at SAVE_AT on the way
    finish(launch("resume", out))  # new processes, from that checkpoint
    return out


def gathered(out, mode, rank):
    return json.loads((out / f"{mode}.rank{rank}.json").read_text())


def weights(out, mode, rank):
    return torch.load(out / f"{mode}.rank{rank}.pt", weights_only=True)


@pytest.mark.slow
def test_every_rank_sees_the_same_lr_at_every_step(ddp_runs):
    for mode, steps in (("full", STEPS), ("resume", STEPS - SAVE_AT)):
        for rank in range(WORLD):
            seen = gathered(ddp_runs, mode, rank)
            assert len(seen) == steps
            assert all(len(set(step)) == 1 for step in seen), (mode, rank)  # ranks agree
    lrs = [step[0] for step in gathered(ddp_runs, "full", 0)]
    assert lrs == [repr(SCHEDULE(k)) for k in range(STEPS)]


@pytest.mark.slow
def test_a_resumed_ddp_run_continues_identically(ddp_runs):
    for rank in range(WORLD):
        full = gathered(ddp_runs, "full", rank)
        assert gathered(ddp_runs, "resume", rank) == full[SAVE_AT:]
        resumed, uninterrupted = weights(ddp_runs, "resume", rank), weights(ddp_runs, "full", rank)
        assert all(torch.equal(resumed[k], uninterrupted[k]) for k in uninterrupted), rank
