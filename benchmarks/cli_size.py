"""`warmcos` at any size: wall time, CPU time and peak memory of real processes.

Target (issue 11): any ``warmcos plot`` under 1 s and 200 MB, whatever ``total_steps`` is,
up to the largest (2**63 - 1). Each command runs as its own process (``python -m warmcos
...``, as a user runs it), ``--repeats`` times, interleaved with the others; the table shows
medians of the wall time and of the CPU time (user + system), and the largest peak resident
memory. The verdict reads the CPU time: on a shared machine the wall time also counts the
waits for a CPU (it is the CPU time where the process has one to itself). Per-process figures
come from ``os.wait4`` (the ``getrusage(RUSAGE_CHILDREN)`` figures of one child). A child's
peak memory counts the parent it was forked from, so this script imports nothing heavy (no
NumPy: its header lines come from a child too).

Run: ``.venv/bin/python benchmarks/cli_size.py [--repeats N]`` (needs the ``plot`` extra).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (100_000, 10**8, 2**53, 2**63 - 1)  # 2**63 - 1: the largest total_steps
TARGET_S, TARGET_MB = 1.0, 200.0


def commands(total: int, out: Path) -> dict[str, list[str]]:
    """Name -> argv (after ``warmcos``) for one ``total_steps``."""
    t = ["--total-steps", str(total)]
    return {
        "plot (terminal)": ["plot", *t, "--no-file", "--width", "100", "--height", "30"],
        "plot (terminal + PNG)": ["plot", *t, "-o", str(out / "p.png")],
        "plot (SVG)": ["plot", *t, "--no-terminal", "-o", str(out / "p.svg")],
        "plot --zoom warmup (PDF)": [
            "plot",
            *t,
            "--zoom",
            "warmup",
            "--no-terminal",
            "-o",
            str(out / "p.pdf"),
        ],
        "plot --csv, <= 1M rows": [
            "plot",
            *t,
            "--csv",
            "--every",
            str(max(1, total // 10**6)),
            "-o",
            str(out / "r.csv"),
        ],
        "compare (2 schedules)": [
            "compare",
            f"total_steps={total}",
            "--final-lr 0.01",
            "--no-terminal",
        ],
        "describe": ["describe", *t],
    }


def measure(argv: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of one ``python -m warmcos ARGV``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "warmcos", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"warmcos {' '.join(argv)} failed: {err.strip()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(_header(f"medians of {args.repeats} runs per command, interleaved"), end="")
    print(f"{'command':<26} {'total_steps':>25} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}  target")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for total in SIZES:
            cmds = commands(total, out)
            runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in cmds}
            for _ in range(args.repeats):
                for name, argv in cmds.items():
                    runs[name].append(measure(argv))
            for name, results in runs.items():
                wall = statistics.median(r[0] for r in results)
                cpu = statistics.median(r[1] for r in results)
                rss = max(r[2] for r in results)
                verdict = ""
                if name.startswith("plot") and "rows" not in name:
                    verdict = "met" if cpu < TARGET_S and rss < TARGET_MB else "MISSED"
                print(f"{name:<26} {total:>25,} {wall:>7.2f} {cpu:>6.2f} {rss:>8.1f}  {verdict}")


def _header(detail: str) -> str:
    """The versions and machine lines of ``_common``, printed by a child process."""
    code = (
        "import _common, matplotlib, plotext\n"
        "print(_common.versions_line(f'matplotlib {matplotlib.__version__}', "
        "f'plotext {plotext.__version__}'))\n"
        f"print(_common.machine_line({detail!r}))"
    )
    here = Path(__file__).resolve().parent
    return subprocess.run(
        [sys.executable, "-c", code], cwd=here, capture_output=True, text=True, check=True
    ).stdout


if __name__ == "__main__":
    main()
