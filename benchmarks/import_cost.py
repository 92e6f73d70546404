"""Import cost: ``python -c "import warmcos"`` against ``python -c pass``, in fresh processes.

Each repeat starts every candidate once, in turn (so noise spreads over all of them), and the
table shows the median wall time of a whole process start, its ratio to the bare interpreter
and the difference. Candidates: the bare interpreter; ``import warmcos``; ``import warmcos``
plus the first call of a ``Schedule`` (what a training script pays before its first step);
``python -m warmcos --version`` (the CLI's start). The processes get this interpreter and an
environment without ``PYTHON*`` variables. Target (issue #8): ``import warmcos`` at most 25 ms
over the bare interpreter.

Then ``python -X importtime -c "import warmcos"``, run ``--importtime-runs`` times: the
modules with the largest median cumulative import time, each with the warmcos module that
imported it first (the one that pays for it: a module imported twice costs only the first
time). No timing thresholds: this prints, it does not judge.

Run: ``.venv/bin/python benchmarks/import_cost.py`` (``--repeats N``, ``--importtime-runs N``,
``--top N``).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from typing import NamedTuple

import _common

ENV = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
CANDIDATES = {
    "python -c pass (bare interpreter)": ["-c", "pass"],
    'python -c "import warmcos"': ["-c", "import warmcos"],
    "import warmcos + first Schedule call": [
        "-c",
        "import warmcos; warmcos.Schedule(peak_lr=0.1, total_steps=100, warmup_steps=10)(5)",
    ],
    "python -m warmcos --version (CLI start)": ["-m", "warmcos", "--version"],
}
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


class Node(NamedTuple):
    name: str
    self_us: int
    cumulative_us: int
    children: list[Node]


def _start(args: list[str]) -> None:
    subprocess.run([sys.executable, *args], env=ENV, check=True, capture_output=True)


def importtime_tree(code: str) -> list[Node]:
    """The import tree of one ``python -X importtime -c code``: its roots, in import order."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    # A module's line comes after its children's, indented one level (two spaces) less.
    pending: dict[int, list[Node]] = defaultdict(list)
    for m in _LINE.finditer(err):
        depth = len(m[3]) // 2
        node = Node(m[4], int(m[1]), int(m[2]), pending.pop(depth + 1, []))
        pending[depth].append(node)
    return pending[0]


def first_importers(roots: list[Node]) -> dict[str, tuple[str, int, int]]:
    """Module -> (the warmcos module that imported it, self µs, cumulative µs)."""
    found: dict[str, tuple[str, int, int]] = {}

    def walk(node: Node, importer: str) -> None:
        found[node.name] = (importer, node.self_us, node.cumulative_us)
        for child in node.children:
            walk(child, node.name if node.name.startswith("warmcos") else importer)

    for root in roots:
        if root.name == "warmcos":
            walk(root, "(import warmcos)")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--importtime-runs", type=int, default=11)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()

    timings = _common.interleaved_medians(
        {name: (lambda a=a: _start(a)) for name, a in CANDIDATES.items()}, args.repeats
    )
    bare = timings["python -c pass (bare interpreter)"]
    print(_common.versions_line())
    print(f"{_common.machine_line()}; medians of {args.repeats} interleaved process starts")
    print(f"{'process':44} {'median ms':>10} {'/ bare':>8} {'- bare ms':>10}")
    for name, seconds in timings.items():
        print(
            f"{name:44} {seconds * 1e3:10.1f} {seconds / bare:7.2f}x {(seconds - bare) * 1e3:10.1f}"
        )
    over = (timings['python -c "import warmcos"'] - bare) * 1e3
    print(f"import warmcos - bare = {over:.1f} ms (target <= 25 ms)")

    runs = [first_importers(importtime_tree("import warmcos")) for _ in range(args.importtime_runs)]
    names = set.intersection(*(set(run) for run in runs))
    rows = []
    for name in names:
        importer = statistics.mode(run[name][0] for run in runs)
        self_ms = statistics.median(run[name][1] for run in runs) / 1e3
        cumulative_ms = statistics.median(run[name][2] for run in runs) / 1e3
        rows.append((cumulative_ms, self_ms, name, importer))
    rows.sort(reverse=True)
    print()
    print(
        f'python -X importtime -c "import warmcos": the top {args.top} of {len(rows)} modules '
        f"by cumulative time, medians of {args.importtime_runs} runs"
    )
    print(f"{'module':28} {'first imported by':22} {'cumulative ms':>14} {'self ms':>8}")
    for cumulative_ms, self_ms, name, importer in rows[: args.top]:
        print(f"{name:28} {importer:22} {cumulative_ms:14.2f} {self_ms:8.2f}")


if __name__ == "__main__":
    main()
