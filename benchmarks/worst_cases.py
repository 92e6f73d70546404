"""The worst cases of issue 15 ("unbounded work from one option"): wall time and peak memory.

Each case runs as its own process (``python -m warmcos ...`` or ``python -c ...``), as a user
runs it, ``--repeats`` times, interleaved with the others; the table shows the median wall
time, the largest peak resident memory (``ru_maxrss`` of that child, from ``os.wait4``: the
per-child form of ``getrusage(RUSAGE_CHILDREN)``), both as ratios to the baseline row
(``warmcos plot --no-file``, the default schedule), and how the process ended: ``ok``,
``refused: <message>`` (exit status 2 or a ``ValueError``: a refusal, which must come before
the work; the message says whether it is one), ``TIMEOUT`` or ``FAILED``. A child's peak
memory counts the parent it was forked from, so this script imports nothing heavy.

Run: ``.venv/bin/python benchmarks/worst_cases.py [--repeats N] [--timeout S] [--max-mb M]
[--only TEXT]`` (needs the ``plot`` extra). ``--max-mb`` caps each child's address space, so
that a case which grows without bound (the code before issue 15) fails instead of taking
the machine's memory; ``PYTHONPATH=<other>/src`` measures another checkout.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIG = 2**63 - 1  # the largest total_steps


def _specs(n: int, *extra: str) -> list[str]:
    """``n`` inline compare SPECs (each a different warmup)."""
    return [f"--warmup-steps {i}{' ' + ' '.join(extra) if extra else ''}" for i in range(1, n + 1)]


def _py(code: str) -> list[str]:
    return ["-c", "from warmcos import Schedule\n" + code]


def cases(out: Path) -> dict[str, list[str]]:
    """Name -> the arguments of ``python`` (``-m warmcos ...`` or ``-c CODE``)."""
    plot = ["-m", "warmcos", "plot", "--no-file", "--width", "100", "--height", "30"]
    cycles = ["--cycles", "10000"]
    return {
        "baseline: warmcos plot --no-file": plot,
        "plot --peak-lr 1e-320": [*plot, "--peak-lr", "1e-320"],
        "plot --peak-lr 1e-320 --height 10": [*plot[:-2], "--height", "10", "--peak-lr", "1e-320"],
        "plot --peak-lr 5e-324": [*plot, "--peak-lr", "5e-324"],
        "plot --peak-lr 1.7976931348623157e308": [*plot, "--peak-lr", "1.7976931348623157e308"],
        "Schedule(1, 1e12, cycles=5000, cycle_mul=1.0001)": _py(
            "Schedule(1.0, 10**12, cycles=5000, cycle_mul=1.0001)"
        ),
        "Schedule(1, 2**63-1, cycles=10000, cycle_mul=1+2**-52)": _py(
            f"Schedule(1.0, {BIG}, cycles=10000, cycle_mul=1.0000000000000002)"
        ),
        "Schedule(1, 2**63-1, cycles=10000, cycle_mul=1e300)": _py(
            f"Schedule(1.0, {BIG}, cycles=10000, cycle_mul=1e300)"
        ),
        "Schedule(1, 1e12, cycles=10**30)": _py("Schedule(1.0, 10**12, cycles=10**30)"),
        "Schedule(1e308, 100, cycles=2, cycle_decay=2)": _py(
            "s = Schedule(1e308, 100, cycles=2, cycle_decay=2.0)\n"
            "assert s(50) < float('inf'), 'inf'"
        ),
        "Schedule(1, 1e6, cycles=2000, cycle_decay=2)": _py(
            "Schedule(1.0, 10**6, cycles=2000, cycle_decay=2.0)"
        ),
        "Schedule(1, 1e6, edits=10000 re-plans)": _py(
            "Schedule(1.0, 10**6, edits=[(i, 'linear', 10**6) for i in range(1, 10001)])"
        ),
        "plot 1e9 steps, 10,000 cycles": [*plot, "--total-steps", "1000000000", *cycles],
        "plot 2**63-1 steps, 10,000 cycles": [*plot, "--total-steps", str(BIG), *cycles],
        "plot 2**63-1 steps, 10,000 cycles x1.001, PNG": [
            "-m",
            "warmcos",
            "plot",
            "--no-terminal",
            "-o",
            str(out / "c.png"),
            "--total-steps",
            str(BIG),
            *cycles,
            "--cycle-mul",
            "1.001",
        ],
        "plot --after wrap --until 2**63-1": [*plot, "--after", "wrap", "--until", str(BIG)],
        "compare 50 schedules (100k steps)": ["-m", "warmcos", "compare", *_specs(50)],
        "compare 50 schedules, 1,999,999 steps": [
            "-m",
            "warmcos",
            "compare",
            *_specs(50),
            "--total-steps",
            "1999999",
            "--no-terminal",
        ],
        "compare 50 schedules, 1,000 cycles, 1e9": [
            "-m",
            "warmcos",
            "compare",
            *_specs(50),
            "--cycles",
            "1000",
            "--total-steps",
            "1000000000",
        ],
        "area(0, 1e12)": _py("Schedule(1.0, 10**12).area(0, 10**12)"),
        "area(0, 1e12), 10,000 cycles": _py("Schedule(1.0, 10**12, cycles=10000).area(0, 10**12)"),
        "area(0, 1e30), after='wrap'": _py("Schedule(1.0, 10**12, after='wrap').area(0, 10**30)"),
        "curve() of 1e6 steps, 10,000 cycles": _py("Schedule(1.0, 10**6, cycles=10000).curve()"),
        "s(shuffled 1e6 steps), 10,000 cycles": _py(
            "import numpy as np\n"
            "s = Schedule(1.0, 10**6, cycles=10000)\n"
            "s(np.random.default_rng(0).permutation(10**6))"
        ),
    }


def measure(args: list[str], timeout: float, max_mb: float | None) -> tuple[float, float, str]:
    """(wall s, peak RSS MB, outcome) of one ``python ARGS``."""

    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    if max_mb is not None:  # Linux: set on the running child, long before it grows
        size = int(max_mb * 2**20)
        resource.prlimit(proc.pid, resource.RLIMIT_AS, (size, size))
    deadline = start + timeout
    status, usage = 0, None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            return wall, usage.ru_maxrss / 1024, "TIMEOUT"
        time.sleep(0.01)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    last = (err.strip().splitlines() or [""])[-1]
    if code == 0:
        outcome = "ok"
    elif code == 2 or last.startswith("ValueError"):  # the CLI's one line, or the library's
        message = last.removeprefix("warmcos: error: ").removeprefix("ValueError: ")
        outcome = f"refused: {message[:36]}"
    elif "MemoryError" in err:
        outcome = "FAILED (memory)"
    else:
        outcome = f"FAILED ({last[:40]})"
    return wall, usage.ru_maxrss / 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    parser.add_argument("--max-mb", type=float, default=None, help="address space per run")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    print(_header(args.repeats), end="")
    with tempfile.TemporaryDirectory() as tmp:
        table = cases(Path(tmp))
        names = [n for n in table if args.only in n or n.startswith("baseline")]
        runs: dict[str, list[tuple[float, float, str]]] = {n: [] for n in names}
        for _ in range(args.repeats):
            for name in names:
                runs[name].append(measure(table[name], args.timeout, args.max_mb))
    base_s = statistics.median(r[0] for r in runs[names[0]])
    base_mb = max(r[1] for r in runs[names[0]])
    print(f"{'case':<52} {'wall s':>8} {'x base':>7} {'peak MB':>8} {'x base':>7}  outcome")
    for name, results in runs.items():
        wall = statistics.median(r[0] for r in results)
        rss = max(r[1] for r in results)
        outcomes = sorted({r[2] for r in results})
        print(
            f"{name:<52} {wall:>8.2f} {wall / base_s:>6.1f}x {rss:>8.1f} {rss / base_mb:>6.1f}x"
            f"  {', '.join(outcomes)}"
        )


def _header(repeats: int) -> str:
    code = (
        "import platform, os, warmcos\n"
        "print(f'warmcos {warmcos.__version__} from {os.path.dirname(warmcos.__file__)}, "
        "Python {platform.python_version()}')\n"
        f"print(f'{{platform.machine()}} {{platform.system()}}, {{os.cpu_count()}} CPUs; "
        f"medians of {repeats} runs per case, interleaved')"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


if __name__ == "__main__":
    main()
