"""Regenerate the README's figures: ``docs/warmcos.png``, ``docs/conventions.png`` and
``docs/notebook.png`` (what Jupyter shows for a schedule).

Run: ``.venv/bin/python docs/make_figures.py`` (needs the ``plot`` extra).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from warmcos import Schedule
from warmcos.cli import main

HERE = Path(__file__).resolve().parent


def conventions(path: Path) -> None:
    """The toy case of the conventions page: w=4, T=10, peak 1.0, warmup from 0.1."""
    w, t = 4, 10
    steps = np.arange(0, 17)
    dense = np.linspace(0, 16, 641)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), sharey=True, layout="constrained")
    for ax, after in zip(axes, ("hold", "wrap", "raise"), strict=True):
        s = Schedule(peak_lr=1.0, total_steps=t, warmup_steps=w, warmup_start_lr=0.1, after=after)
        shown = steps if after != "raise" else steps[steps <= t]
        x = dense if after != "raise" else dense[dense <= t]
        ax.plot(x, s(x), color="#9ecae1", linewidth=1, zorder=1)
        ax.scatter(shown, s(shown), color="#1f77b4", s=18, zorder=2)
        ax.axvspan(-0.5, w - 0.5, color="#ff7f0e", alpha=0.10)
        ax.axvspan(t + 0.5, 16.5, color="#7f7f7f", alpha=0.10)
        ax.annotate(
            "step 0:\nwarmup_start_lr",
            (0, 0.1),
            (0.3, 0.42),
            fontsize=8,
            arrowprops={"arrowstyle": "->", "color": "0.4"},
        )
        ax.annotate(
            f"step w-1 = {w - 1}:\none increment short",
            (w - 1, s(w - 1)),
            (0.4, 0.92),
            fontsize=8,
            arrowprops={"arrowstyle": "->", "color": "0.4"},
        )
        ax.annotate(
            f"step w = {w}: peak_lr",
            (w, 1.0),
            (w + 1.2, 1.07),
            fontsize=8,
            arrowprops={"arrowstyle": "->", "color": "0.4"},
        )
        ax.annotate(
            f"step T = {t}:\nfinal_lr",
            (t, 0.0),
            (t - 4.6, 0.16),
            fontsize=8,
            arrowprops={"arrowstyle": "->", "color": "0.4"},
        )
        if after == "raise":
            ax.text(13.5, 0.5, "ValueError\nfor step > T", ha="center", fontsize=9, color="#d62728")
        ax.set_title(f'after="{after}"', fontsize=10)
        ax.set_xlabel("step = optimizer updates already applied")
        ax.set_xticks(range(0, 17, 2))
        ax.set_xlim(-0.5, 16.5)
        ax.set_ylim(-0.05, 1.18)
        ax.grid(alpha=0.25)
    axes[0].set_ylabel("learning rate")
    fig.suptitle(
        "Schedule(peak_lr=1.0, total_steps=10, warmup_steps=4, warmup_start_lr=0.1, after=...)",
        fontsize=10,
    )
    fig.savefig(path, dpi=110)
    plt.close(fig)


def notebook(path: Path) -> None:
    """What a notebook cell showing a schedule displays: ``Schedule._repr_png_``."""
    schedule = Schedule(
        peak_lr=3e-4, total_steps=100_000, warmup_steps="2%", stable_steps="78%",
        decay_shape="1-sqrt", final_lr=3e-5,
    )  # fmt: skip
    data = schedule._repr_png_()
    assert data is not None
    path.write_bytes(data)


if __name__ == "__main__":
    conventions(HERE / "conventions.png")
    notebook(HERE / "notebook.png")
    main(["plot", "-o", str(HERE / "warmcos.png"), "--until", "110000"])
