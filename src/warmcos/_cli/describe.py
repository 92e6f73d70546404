"""``warmcos describe``: print a schedule's phase table (text that fits, or JSON)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from . import flags
from .options import no_extra
from .sample import format_lr, phases
from .table import fit, wrap

if TYPE_CHECKING:
    import argparse

    from .options import Commands

__all__ = ["add_parser", "run"]


def add_parser(commands: Commands) -> None:
    """``describe``'s parser: the shared flags and ``--json``."""
    describe = flags.command(
        commands,
        "describe",
        "print a schedule's phase table",
        "Print the phases of a schedule: kind, cycle, shape, steps, learning rates, and whether "
        "each starts where the previous one ended; the table fits the terminal's width (or "
        "--width).",
        """
        warmcos describe --total-steps 90ep --steps-per-epoch 391 --warmup-steps 5%
        warmcos describe --config mine.toml --json
        warmcos describe --preset NAME:num_warmup_steps=500,num_training_steps=10000
        """,
    )
    flags.add_flags(describe, "describe")
    describe.add_argument("--json", action="store_true", help="print the table as JSON")


def run(args: argparse.Namespace, extra: list[str]) -> int:
    """Print the phase table, then what the schedule does after its last step."""
    no_extra(extra)
    schedule = flags.source_of(args).build()
    table = phases(schedule)
    if args.json:
        print(json.dumps([p._asdict() for p in table], indent=2))
        return 0
    head = ("phase", "cycle", "shape", "steps", "lr", "joins")
    body = [
        (
            p.kind,
            str(p.cycle),
            p.shape,
            f"{p.begin:,} .. {p.end:,}",
            f"{format_lr(p.lr_begin)} -> {format_lr(p.lr_end)}",
            "yes" if p.continuous else "jumps",
        )
        for p in table
    ]
    width = flags.table_width(args)
    for line in fit(head, body, width, flexible=3):  # the steps wrap first
        print(line)
    t = schedule.total_steps
    after = {
        "hold": f"holds {format_lr(schedule(t))}",
        "wrap": "wraps (folds back over the last phase, periodically)",
        "raise": "raises",
    }
    print("\n".join(wrap(f"after step {t:,}: {after.get(schedule.after, schedule.after)}", width)))
    return 0
