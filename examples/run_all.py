"""Run every example (what ``make examples`` does), report each one, draw the combined figure.

    python examples/run_all.py [--smoke] [--out build/examples] [--jobs 2] [--figure PATH]

Each run is a separate process, as a user would start it: ``python examples/<name>.py``, or
``torchrun --nproc-per-node 2`` for the DDP and accelerate ones. The DDP run is done three
times: uninterrupted; killed (SIGKILL) right after its checkpoint half way; and resumed from
that checkpoint in new processes, which must end with the same weights, bit for bit. The
accelerate example runs with each of its setups; ``default`` must fail (see its docstring).

Writes ``<out>/summary.json`` (each run's command, exit status, seconds and output tail) and
prints one line per run; with ``--figure``, draws the loss and lr of the examples' main runs
into one PNG. Exits with status 1 if any run did not end as expected.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import _common

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TORCHRUN = [str(BIN / "torchrun"), "--nproc-per-node", "2"]
PYTHON = [sys.executable]
#: The log of each example's main run, drawn in the combined figure.
FIGURE_LOGS = {
    "torch_train": "torch_train.json",
    "keras_train": "keras_train.json",
    "jax_train (2 devices)": "jax_train.2dev.json",
    "hf_trainer": "hf_trainer.json",
    "lightning_train": "lightning_train.json",
    "ddp_train (rank 0)": "ddp_train.full.rank0.json",
    "accelerate_train (rank 0)": "accelerate_train.skip_aware.rank0.json",
}


def runs(out: Path, smoke: bool) -> list[tuple[str, list[str], bool]]:
    """``(name, command, must_succeed)`` of every run.

    ``ddp_crash`` and ``ddp_resume`` run in this order, one after the other; every other run
    is independent of the others.
    """
    epochs = _common.SMOKE_EPOCHS if smoke else _common.FULL_EPOCHS
    half = epochs * _common.STEPS_PER_EPOCH // 2
    ckpt = str(out / "ddp_train.ckpt.pt")
    ddp = [*TORCHRUN, str(HERE / "ddp_train.py")]
    acc = [*TORCHRUN, str(HERE / "accelerate_train.py")]
    return [
        ("torch_train", [*PYTHON, str(HERE / "torch_train.py")], True),
        ("dino_train", [*PYTHON, str(HERE / "dino_train.py")], True),
        ("keras_train", [*PYTHON, str(HERE / "keras_train.py")], True),
        ("jax_train", [*PYTHON, str(HERE / "jax_train.py"), "--devices", "2"], True),
        ("hf_trainer", [*PYTHON, str(HERE / "hf_trainer.py")], True),
        ("lightning_train", [*PYTHON, str(HERE / "lightning_train.py")], True),
        ("ddp_train", [*ddp, "--tag", "full"], True),
        (
            "ddp_crash",
            [*ddp, "--tag", "resumed", "--checkpoint", ckpt, "--crash-at", str(half)],
            False,
        ),
        ("ddp_resume", [*ddp, "--tag", "resumed", "--checkpoint", ckpt], True),
        ("accelerate_train", [*acc, "--setup", "skip_aware"], True),
        ("accelerate_manual", [*acc, "--setup", "manual"], True),
        ("accelerate_default", [*acc, "--setup", "default"], False),
    ]


def execute(name: str, command: list[str], must_succeed: bool) -> dict:
    started, cpu = time.perf_counter(), _children_cpu()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    expected = (done.returncode == 0) == must_succeed
    summary = [line for line in done.stdout.splitlines() if "updates, test accuracy" in line]
    print(
        f"{name:<20} {seconds:6.1f} s ({cpu:5.1f} s CPU)  exit {done.returncode:>3}"
        f"{'' if expected else '  UNEXPECTED'}  {'; '.join(summary) or '-'}",
        flush=True,
    )
    return {
        "command": command,
        "returncode": done.returncode,
        "expected": expected,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),  # of all the run's processes (of all runs, with --jobs > 1)
        "stdout": done.stdout[-4000:],
        "stderr": done.stderr[-8000:],
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="pass --smoke to every example")
    p.add_argument("--out", type=Path, default=_common.DEFAULT_OUT)
    p.add_argument("--jobs", type=int, default=1, help="runs at a time (timings need 1)")
    p.add_argument("--no-plot", action="store_true", help="no per-example PNGs")
    p.add_argument("--figure", type=Path, help="draw the combined figure into this PNG")
    p.add_argument("--skip", action="append", default=[], help="leave this run out (repeatable)")
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ddp_train.ckpt.pt").unlink(missing_ok=True)  # the resume starts from the crash
    extra = ["--out", str(args.out)] + ["--smoke"] * args.smoke + ["--no-plot"] * args.no_plot
    planned = [
        (n, [*cmd, *extra], ok) for n, cmd, ok in runs(args.out, args.smoke) if n not in args.skip
    ]
    # The crash and its resume are one task (in this order); every other run is its own.
    chain = [run for run in planned if run[0] in {"ddp_crash", "ddp_resume"}]
    tasks = [[run] for run in planned if run not in chain] + [chain] * bool(chain)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        done = pool.map(lambda task: {n: execute(n, c, ok) for n, c, ok in task}, tasks)
        results = {name: result for task in done for name, result in task.items()}
    results = {name: results[name] for name, _, _ in planned}
    (args.out / "summary.json").write_text(json.dumps(results, indent=1))
    if args.figure:
        records = []
        for label, file in FIGURE_LOGS.items():
            record = json.loads((args.out / file).read_text())
            records.append({**record, "example": label})
        _common.draw(records, args.figure, title="warmcos examples: loss and lr of every update")
    return 0 if all(r["expected"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
