"""Regenerate seed_tf_float32.csv, bit for bit, with TensorFlow and the verbatim TF-TPU function.

Usage (from the repository root, in the dev environment)::

    python tests/data/make_seed_golden.py           # rewrite tests/data/seed_tf_float32.csv
    python tests/data/make_seed_golden.py --check   # exit 1 if the file differs from a rerun

The function is tests/tpu_reference.py's verbatim copy, evaluated on CPU in float32 on an int64
step vector, one call per case. Each value is the float32 result printed as a Python float
(``repr``); the CSV uses the csv module's default dialect (``\\r\\n`` line ends). The file was
written with TensorFlow 2.21 (see README.md beside this script).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "seed_tf_float32.csv"
HEADER = (
    "case",
    "init_learning_rate",
    "warmup_learning_rate",
    "warmup_steps",
    "total_steps",
    "global_step",
    "learning_rate_float32",
)
#: name: (init_learning_rate, warmup_learning_rate, warmup_steps, total_steps), in file order.
CASES: dict[str, tuple[float, float, int, int]] = {
    "imagenet_like": (0.1, 0.0, 1000, 100_000),
    "bert_like": (1e-4, 0.0, 10_000, 1_000_000),
    "warmup_from_nonzero": (3e-4, 3e-5, 500, 20_000),
    "warmup_decreasing": (0.05, 0.2, 200, 5000),
    "no_warmup": (0.4, 0.0, 0, 10_000),
    "tiny": (1.0, 0.5, 3, 10),
    "one_step_decay": (0.2, 0.0, 9, 10),
}


def steps_of(warmup_steps: int, total_steps: int) -> list[int]:
    """Step 0, the warmup boundary, the end, and T/20 apart through the rise up to 2T."""
    w, t = warmup_steps, total_steps
    chosen = {0, 1, 2, w // 2, w - 1, w, w + 1, t // 7, t // 3, t - 2, t - 1, t, t + 1}
    chosen |= {k * t // 20 for k in range(1, 41)}
    return sorted(s for s in chosen if 0 <= s <= 2 * t)


def render() -> str:
    """The whole CSV file, as TensorFlow computes it here (on its CPU device)."""
    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))  # tests/, for tpu_reference
    import tensorflow as tf

    from tpu_reference import tpu_reference

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    with tf.device("/CPU:0"):
        for case, (init_lr, warmup_lr, w, t) in CASES.items():
            steps = steps_of(w, t)
            values = tpu_reference(tf.constant(steps, tf.int64), init_lr, warmup_lr, w, t)
            for step, value in zip(steps, values.numpy().tolist(), strict=True):
                writer.writerow((case, repr(init_lr), repr(warmup_lr), w, t, step, repr(value)))
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")  # the file is the CPU result
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    text = render()
    if args.check:
        same = GOLDEN.read_bytes() == text.encode()
        print(f"{GOLDEN.name}: {'identical' if same else 'DIFFERS'}")
        return 0 if same else 1
    GOLDEN.write_bytes(text.encode())
    print(f"wrote {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
