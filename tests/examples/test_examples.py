"""The examples, run for real at smoke size (5 epochs, 150 updates) by examples/run_all.py.

One fixture runs every example once, each in its own processes as a user would (``torchrun
--nproc-per-node 2`` for DDP and accelerate, 2 host devices for JAX), and the tests read the
logs the examples write: the lr of every update, its loss, the test accuracy. Two runs at a
time; about 90 s of CPU in all, most of it starting Python with torch, TensorFlow, JAX,
transformers or Lightning in 17 processes.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from contract import same_bits_everywhere
from warmcos import Composition, Schedule

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
_spec = importlib.util.spec_from_file_location("examples_common", EXAMPLES / "_common.py")
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)

UPDATES = common.SMOKE_EPOCHS * common.STEPS_PER_EPOCH  # 150
HALF = UPDATES // 2  # where run_all kills the DDP run
#: What a smoke run must reach (a full run: 0.95, checked by each example's exit status).
SMOKE_ACCURACY = 0.9
SINGLE = [
    "torch_train",
    "keras_train",
    "jax_train.2dev",
    "hf_trainer",
    "lightning_train",
    "dino_train",
]
RANKED = ["ddp_train.full", "ddp_train.resumed", "accelerate_train.skip_aware"]
FLOAT32 = {"keras_train", "jax_train.2dev"}  # frameworks that hold the lr in float32

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("examples")
    command = [sys.executable, str(EXAMPLES / "run_all.py"), "--smoke", "--no-plot", "--jobs", "2"]
    # accelerate's "manual" setup (step_scheduler_with_optimizer=False) costs 11 s of CPU for
    # what tests/adapters/torch/test_torch_accelerate.py checks in-process; `make examples`
    # runs it.
    done = subprocess.run(
        [*command, "--skip", "accelerate_manual", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert (out / "summary.json").exists(), done.stderr[-3000:]
    return out


def log(out, name):
    return json.loads((out / f"{name}.json").read_text())


def runs(out):
    return json.loads((out / "summary.json").read_text())


def test_every_run_ends_as_expected(out):
    for name, run in runs(out).items():
        assert run["expected"], f"{name}: exit {run['returncode']}\n{run['stderr'][-3000:]}"


def test_the_data_is_sklearns_load_digits():
    load_digits = pytest.importorskip("sklearn.datasets").load_digits
    x, y = load_digits(return_X_y=True)
    x_train, y_train, x_test, y_test = common.digits()
    assert len(x_train) == common.TRAIN_SIZE
    assert len(x_test) == len(x) - common.TRAIN_SIZE
    ours = np.concatenate([x_train, x_test]) * 16, np.concatenate([y_train, y_test])

    def rows(xs, ys):
        return sorted(zip(map(tuple, np.rint(xs).astype(int)), ys.tolist(), strict=True))

    assert rows(*ours) == rows(x, y)


def exact(record):
    schedule = Schedule.from_dict(record["schedule"])
    return np.array([schedule(k) for k in record["steps"]])  # Python ints: the scalar path


def check_lrs_follow_the_schedule(record, name):
    expected, lrs = exact(record), np.array(record["lr"])
    if name in FLOAT32:  # float32 rates: within 8 float32 ulps (the adapters' promise)
        spacing = np.spacing(expected.astype(np.float32)).astype(np.float64)
        assert (np.abs(lrs - expected.astype(np.float32)) <= 8 * spacing).all(), name
    else:  # float64: within 4 ulps here; bit for bit in test_torch_lrs_are_the_schedule_exactly
        assert (np.abs(lrs - expected) <= 4 * np.spacing(expected)).all(), name
    assert len(set(record["lr"])) > 50, name  # the rate really moves along the run


# WarmcosLR reads the core's NumPy path, 1024 steps at a time: the same bits as
# schedule(steps) for a NumPy array, on every machine and for every shape; and the same bits
# as schedule(step) for a Python int where docs/accuracy.md ("One value on every path")
# promises it (tests/contract.py reads that table). Elsewhere (lightning: an exponential
# warmup and a power-2 decay; accelerate: an exponential decay) the two may differ in the last
# bits on some machines, within the accuracy bound checked above.
TORCH_LOGS = [n for n in [*SINGLE, *(f"{r}.rank0" for r in RANKED)] if n not in FLOAT32]


@pytest.mark.parametrize("name", TORCH_LOGS)
def test_torch_lrs_are_the_schedule_exactly(out, name):
    record = log(out, name)
    schedule = Schedule.from_dict(record["schedule"])
    assert record["lr"] == schedule(np.array(record["steps"])).tolist()
    if same_bits_everywhere(schedule):
        assert record["lr"] == exact(record).tolist()


@pytest.mark.parametrize("name", SINGLE)
def test_one_lr_per_update_equal_to_the_schedule_at_its_step(out, name):
    record = log(out, name)
    assert record["steps"] == list(range(UPDATES)), name  # updates, not micro-batches
    assert Schedule.from_dict(record["schedule"]).total_steps == UPDATES
    check_lrs_follow_the_schedule(record, name)


@pytest.mark.parametrize("name", SINGLE + [f"{r}.rank0" for r in RANKED if "resumed" not in r])
def test_accuracy(out, name):
    record = log(out, name)
    assert record["test_accuracy"] >= SMOKE_ACCURACY, (name, record["test_accuracy"])
    assert record["loss"][-1] < 0.25 * record["loss"][0], name


@pytest.mark.parametrize("name", RANKED)
def test_every_rank_uses_the_same_lr_the_schedule_gives(out, name):
    rank0, rank1 = log(out, f"{name}.rank0"), log(out, f"{name}.rank1")
    assert rank0["world_size"] == 2
    assert rank1["rank"] == 1
    assert rank0["lr"] == rank1["lr"]
    assert rank0["steps"] == rank1["steps"]
    first = HALF if "resumed" in name else 0
    assert rank0["steps"] == list(range(first, UPDATES))
    check_lrs_follow_the_schedule(rank0, f"{name}.rank0")


def test_dino_trio_every_scheduled_key_is_its_schedule_at_every_update(out):
    # The lr: test_torch_lrs_are_the_schedule_exactly. The weight decay, written by the same
    # WarmcosLR (hyper=), is its schedule's NumPy path (the lr's); the momentum, called by the
    # loop as momentum(step), its Python-int path. Both rise, as DINO's do.
    record = log(out, "dino_train")
    steps = np.array(record["steps"])
    assert record["steps"] == list(range(UPDATES))
    weight_decay = Composition.from_dict(record["schedules"]["weight_decay"])
    momentum = Composition.from_dict(record["schedules"]["momentum"])
    assert record["weight_decay"] == weight_decay(steps).tolist()
    assert record["weight_decay_bias"] == [0.0] * UPDATES  # not driven in the bias group
    assert record["momentum"] == [momentum(k) for k in record["steps"]]
    assert record["weight_decay"][0] == 0.04 < record["weight_decay"][-1] < 0.4
    assert record["momentum"][0] == 0.996 < record["momentum"][-1] < 1.0
    assert record["scheduler_state_keys"] == ["weight_decay"]  # one state_dict for all
    assert record["teacher_test_accuracy"] > 0.5  # the EMA teacher learned (it lags)


def test_the_hf_trainer_logs_the_lr_the_optimizer_used(out):
    record = log(out, "hf_trainer")
    assert record["lr"] == record["lr_from_optimizer_hook"]


def test_jax_shards_the_batch_and_every_device_computes_the_same_lr(out):
    record = log(out, "jax_train.2dev")
    assert record["devices"] == 2
    assert record["batch_shards"] == 2
    per_device = np.array(record["lr_per_device"])
    assert per_device.shape == (UPDATES, 2)
    assert (per_device[:, 0] == per_device[:, 1]).all()


def test_ddp_killed_half_way_and_resumed_ends_with_the_same_weights(out):
    torch = pytest.importorskip("torch")
    crash = runs(out)["ddp_crash"]
    assert crash["returncode"] != 0
    assert f"rank 0: checkpoint at update {HALF}; SIGKILL" in crash["stdout"]
    assert "Signal 9 (SIGKILL)" in crash["stderr"]
    full = torch.load(out / "ddp_train.full.weights.pt", weights_only=True)
    resumed = torch.load(out / "ddp_train.resumed.weights.pt", weights_only=True)
    assert full.keys() == resumed.keys()
    assert all(torch.equal(full[k], resumed[k]) for k in full)
    uninterrupted, continued = log(out, "ddp_train.full.rank0"), log(out, "ddp_train.resumed.rank0")
    assert continued["lr"] == uninterrupted["lr"][HALF:]
    assert continued["loss"] == uninterrupted["loss"][HALF:]  # the same batches, in order


def test_accelerate_default_setup_fails_loudly_on_two_processes(out):
    run = runs(out)["accelerate_default"]
    assert run["returncode"] != 0
    assert (
        "ValueError: accelerate's prepared scheduler steps WarmcosLR num_processes=2"
        in run["stderr"]
    )
    assert not (out / "accelerate_train.default.rank0.json").exists()
