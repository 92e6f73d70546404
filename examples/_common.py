"""What every example in this folder shares: the data, the sizes, the per-update log, the plot.

The examples run as ``python examples/<name>.py`` (or under ``torchrun``); Python then puts this
folder first on ``sys.path``, so they import this module as ``import _common``. It imports only
the standard library and NumPy at module level: each example imports its own framework.

* :func:`digits`: scikit-learn's 8x8 digits (shipped with scikit-learn, no download), split
  at random into 1440 training and 357 test images, pixels scaled to [0, 1];
* :data:`BATCH`, :func:`epochs`: the sizes. One optimizer update sees :data:`BATCH` images,
  however a framework splits them (devices, ranks, micro-batches), so every example makes
  :data:`STEPS_PER_EPOCH` updates per epoch and its schedule counts updates;
* :func:`parser`: the command line every example takes (``--smoke``, ``--out``, ``--no-plot``);
* :class:`RunLog`: the learning rate and loss of every update, written as JSON (the tests read
  it and compare each lr with ``schedule(step)``) and drawn as a PNG.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from warmcos import Schedule

#: Images per optimizer update, in every example (split over ranks, devices, micro-batches).
BATCH = 48
TRAIN_SIZE = 1440  # of the 1797 digits; the other 357 are the test set
STEPS_PER_EPOCH = TRAIN_SIZE // BATCH
#: Epochs of a full run and of a ``--smoke`` run.
FULL_EPOCHS, SMOKE_EPOCHS = 20, 5
#: The test accuracy a full run must reach (the example exits with status 1 below it); a
#: ``--smoke`` run of 5 epochs reaches about 0.95 (the tests ask for 0.9).
TARGET_ACCURACY = 0.95
SMOKE_TARGET_ACCURACY = 0.9
DEFAULT_OUT = Path("build/examples")


def digits(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(x_train, y_train, x_test, y_test)``: float32 images of 64 pixels, int64 labels.

    The 1797 images of ``sklearn.datasets.load_digits``, read from the file scikit-learn
    ships, which is what ``load_digits`` reads (``tests/examples`` checks they are equal),
    without importing scikit-learn: that costs 1.5 s per process, more than training.
    A random split (``seed``) puts :data:`TRAIN_SIZE` images in the training set.
    """
    spec = importlib.util.find_spec("sklearn")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise SystemExit("the examples train on scikit-learn's digits: pip install scikit-learn")
    table = np.loadtxt(Path(spec.origin).parent / "datasets/data/digits.csv.gz", delimiter=",")
    x, y = (table[:, :-1] / 16.0).astype(np.float32), table[:, -1].astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    train, test = order[:TRAIN_SIZE], order[TRAIN_SIZE:]
    return x[train], y[train], x[test], y[test]


def epochs(args: argparse.Namespace) -> int:
    """The number of epochs of this run: :data:`SMOKE_EPOCHS` with ``--smoke``."""
    return SMOKE_EPOCHS if args.smoke else FULL_EPOCHS


def parser(doc: str | None) -> argparse.ArgumentParser:
    """The arguments every example takes; an example adds its own to the returned parser."""
    p = argparse.ArgumentParser(
        description=(doc or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--smoke",
        action="store_true",
        help=f"a short run: {SMOKE_EPOCHS} epochs instead of {FULL_EPOCHS}",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"folder for the JSON log and the PNG (default: {DEFAULT_OUT})",
    )
    p.add_argument("--no-plot", action="store_true", help="write the JSON log only")
    return p


class RunLog:
    """The lr and loss of each optimizer update of one run, saved as JSON and drawn as a PNG.

    ``record(step, lr, loss)`` once per update, with ``step`` the number of updates applied
    before it (the schedule's step) and ``lr`` the rate that update used, read from the
    framework (the optimizer, its state, its logs), never recomputed from the schedule.
    """

    def __init__(self, name: str, schedule: Schedule, args: argparse.Namespace) -> None:
        self.name = name
        self.schedule = schedule
        self.args = args
        self.steps: list[int] = []
        self.lrs: list[float] = []
        self.losses: list[float] = []
        self.extra: dict[str, Any] = {}
        self.started = time.perf_counter()

    def record(self, step: int, lr: float, loss: float) -> None:
        """Log the update that follows ``step`` updates: the lr it used and its loss."""
        self.steps.append(int(step))
        self.lrs.append(float(lr))
        self.losses.append(float(loss))

    def finish(self, accuracy: float, *, suffix: str = "", plot: bool = True) -> int:
        """Write ``<out>/<name><suffix>.json`` (and the PNG); the exit status of the example.

        Prints one summary line. Returns 1 when ``accuracy`` is below the target of this run
        (:data:`TARGET_ACCURACY`, or :data:`SMOKE_TARGET_ACCURACY` with ``--smoke``), else 0.
        """
        seconds = time.perf_counter() - self.started
        target = SMOKE_TARGET_ACCURACY if self.args.smoke else TARGET_ACCURACY
        out: Path = self.args.out
        out.mkdir(parents=True, exist_ok=True)
        stem = f"{self.name}{suffix}"
        record = {
            "example": self.name,
            "schedule": self.schedule.to_dict(),
            "smoke": bool(self.args.smoke),
            "updates": len(self.steps),
            "steps": self.steps,
            "lr": self.lrs,
            "loss": self.losses,
            "test_accuracy": float(accuracy),
            "target_accuracy": target,
            "train_seconds": round(seconds, 3),
            **self.extra,
        }
        (out / f"{stem}.json").write_text(json.dumps(record))
        if plot and not self.args.no_plot:
            draw([record], out / f"{stem}.png", title=f"{stem}: {describe(self.schedule)}")
        ok = accuracy >= target
        print(
            f"{stem}: {len(self.steps)} updates, test accuracy {accuracy:.4f} "
            f"({'>=' if ok else 'BELOW'} {target}), {seconds:.1f} s training; "
            f"log: {out / stem}.json"
        )
        return 0 if ok else 1


def describe(schedule: Schedule) -> str:
    """A short label: the schedule's fields that are required or differ from their defaults."""
    from warmcos.schedule import FIELDS

    config = schedule.to_dict()
    shown = [f for f in FIELDS if f.required or config[f.name] != f.default]
    return ", ".join(f"{f.name}={config[f.name]}" for f in shown)


def draw(records: Sequence[dict[str, Any]], path: Path, *, title: str) -> bool:
    """Draw the loss and the lr of each record against the update step, into ``path``.

    Returns False (and says so) when matplotlib is not installed: the plot is optional.
    """
    try:
        import matplotlib as mpl

        mpl.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        print(f"matplotlib is not installed: no {path} (pip install 'warmcos[plot]' to draw it)")
        return False
    fig, (loss_ax, lr_ax) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    window = max(1, max(len(r["loss"]) for r in records) // 40)  # 15 updates of 600
    for record in records:
        label = record["example"]
        smooth = np.convolve(record["loss"], np.ones(window) / window, mode="valid")
        loss_ax.plot(record["steps"][window - 1 :], smooth, linewidth=1.0, label=label)
        lr_ax.plot(record["steps"], record["lr"], linewidth=1.2, label=label)
    loss_ax.set(
        xlabel="optimizer update (schedule step)",
        ylabel=f"training loss (mean of the last {window} updates)",
        yscale="log",
    )
    lr_ax.set(xlabel="optimizer update (schedule step)", ylabel="learning rate (as used)")
    for ax in (loss_ax, lr_ax):
        ax.grid(alpha=0.3)
        if len(records) > 1:
            ax.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def accuracy(predicted: Any, labels: Any) -> float:
    """The fraction of ``predicted`` class indices equal to ``labels`` (NumPy-convertible)."""
    return float(np.mean(np.asarray(predicted) == np.asarray(labels)))


def torch_mlp() -> Any:
    """The model of the PyTorch examples: 64 pixels, 128 ReLU units, 10 logits."""
    import torch

    return torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))


def torch_digits() -> tuple[Any, Any, Any, Any]:
    """:func:`digits` as torch tensors."""
    import torch

    return tuple(torch.from_numpy(a) for a in digits())  # type: ignore[return-value]


def torch_loader(seed: int = 0) -> tuple[Any, Any, Any]:
    """``(loader, x_test, y_test)``, the start of a single-process PyTorch example.

    Seeds torch with ``seed``, uses one thread, and shuffles :data:`BATCH`-image batches of
    the training set with a generator of its own (the same batches in every run).
    """
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    x_train, y_train, x_test, y_test = torch_digits()
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_train, y_train),
        batch_size=BATCH,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    return loader, x_test, y_test


def torch_accuracy(model: Any, x_test: Any, y_test: Any) -> float:
    """The test accuracy of a torch classifier (evaluated without gradients)."""
    import torch

    with torch.no_grad():
        return accuracy(model(x_test).argmax(dim=1), y_test)
