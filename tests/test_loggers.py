"""Logging (issue 19): flat scalar hparams, and the planned curve in a real TensorBoard run."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import warmcos
from strategies import family
from warmcos import Schedule
from warmcos.schedule import FIELDS

SCALARS = (str, int, float, bool)


def _flat_keys(schedule: Schedule, prefix: str) -> list[str]:
    """The keys FIELDS promises: one per non-None field, edits one per entry and item."""
    keys = []
    for f in FIELDS:
        value = getattr(schedule, f.name)
        if f.name == "edits":
            keys += [
                f"{prefix}edits.{i}.{k}"
                for i in range(len(value))
                for k in ("at_step", "shape", "planned_total")
            ]
        elif value is not None:
            keys.append(prefix + f.name)
    return keys


@given(family(max_total=50_000))
def test_hparams_are_flat_scalars_derived_from_fields(s: Schedule) -> None:
    with contextlib.suppress(ValueError):  # some schedules have nothing to cool down from
        s = s.cooldown(s.total_steps // 2, max(1, s.total_steps // 4))
    flat = s.to_hparams("lr_schedule/")
    assert list(flat) == _flat_keys(s, "lr_schedule/")
    assert all(type(v) in SCALARS for v in flat.values())
    for f in FIELDS:
        if f.name != "edits" and getattr(s, f.name) is not None:
            assert flat["lr_schedule/" + f.name] == getattr(s, f.name)
    assert flat == warmcos.loggers.hparams(s, "lr_schedule/")


def test_hparams_of_a_replanned_schedule_flatten_its_edits() -> None:
    s = Schedule(1.0, 1000, warmup_steps=100).replan(600, 2000).cooldown(1500, 100)
    edits = {k: v for k, v in s.to_hparams().items() if k.startswith("edits")}
    assert edits == {
        "edits.0.at_step": 600,
        "edits.0.shape": "cosine",
        "edits.0.planned_total": 1000,
        "edits.1.at_step": 1500,
        "edits.1.shape": "1-sqrt",
        "edits.1.planned_total": 2000,
    }
    assert "timescale" not in s.to_hparams()  # None: left out
    assert Schedule(1.0, 10, decay_shape="inverse_sqrt", timescale=4.0).to_hparams()[
        "timescale"
    ] == (4.0)


def test_hparams_refuse_what_is_not_a_prefix() -> None:
    with pytest.raises(TypeError, match="prefix must be a str; received prefix=3"):
        Schedule(1.0, 10).to_hparams(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="schedule must be a Schedule; received dict"):
        warmcos.loggers.hparams({"peak_lr": 1.0})  # type: ignore[arg-type]


def test_hparams_fit_mlflow_and_wandb() -> None:
    # Neither is installed here (both are heavy); their documented rules: MLflow param keys of
    # alphanumerics, '_', '-', '.', ' ', '/' up to 250 characters, values logged as str up to
    # 6000 characters; a W&B config is JSON.
    s = Schedule(3e-4, 10_000, warmup_steps="5%").cooldown(5000, 1000)
    flat = s.to_hparams("lr_schedule/")
    for key, value in flat.items():
        assert re.fullmatch(r"[\w\-. /]{1,250}", key), key
        assert len(str(value)) <= 6000
    assert json.loads(json.dumps(flat)) == flat


def test_tensorboard_add_hparams_takes_them(tmp_path: Path) -> None:
    tb = pytest.importorskip("torch.utils.tensorboard")  # needs torch and tensorboard
    from tensorboard.plugins.hparams import plugin_data_pb2

    s = Schedule(3e-4, 10_000, warmup_steps="5%", decay_from_zero=True).cooldown(5000, 1000)
    flat = s.to_hparams("lr/")
    with tb.SummaryWriter(str(tmp_path)) as writer:
        writer.add_hparams(flat, {"loss": 0.5}, run_name="run")
    acc = _events(tmp_path / "run")
    content = acc.SummaryMetadata("_hparams_/session_start_info").plugin_data.content
    data = plugin_data_pb2.HParamsPluginData.FromString(content)
    logged = {}
    for key, value in data.session_start_info.hparams.items():
        kind = value.WhichOneof("kind")
        logged[key] = getattr(value, kind)
    assert set(logged) == set(flat)
    for key, value in flat.items():
        expected = float(value) if type(value) is int else value
        assert logged[key] == expected, key


def _events(path: Path) -> Any:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(str(path), size_guidance={"tensors": 0, "images": 0, "scalars": 0})
    acc.Reload()
    return acc


def _logged(acc: Any, tag: str) -> dict[int, float]:
    from tensorboard.util import tensor_util

    return {e.step: float(tensor_util.make_ndarray(e.tensor_proto)) for e in acc.Tensors(tag)}


def test_log_to_tensorboard_writes_the_plan_exactly(tmp_path: Path) -> None:
    tb = pytest.importorskip("torch.utils.tensorboard")  # needs torch and tensorboard

    s = Schedule(3e-4, 100_000, warmup_steps=1000, stable_steps=60_000, decay_shape="1-sqrt")
    with tb.SummaryWriter(str(tmp_path)) as writer:
        written = warmcos.log_to_tensorboard(writer, s, tag="plan/lr")
    acc = _events(tmp_path)
    values = _logged(acc, "plan/lr")
    assert written == len(values) <= 1000
    assert all(values[step] == s(step) for step in values)  # float64, bit for bit
    assert {0, 999, 1000, 60_999, 61_000, 100_000} <= set(values)  # ends and both sides of joins
    assert acc.Images("plan/lr/plan")[0].encoded_image_string.startswith(b"\x89PNG")
    from tensorboard.util import tensor_util

    (text,) = acc.Tensors("plan/lr/config/text_summary")
    config = tensor_util.make_ndarray(text.tensor_proto).item().decode()
    assert Schedule.from_json(config.removeprefix("```json\n").removesuffix("\n```")) == s


def test_log_to_tensorboard_every_and_past_the_end(tmp_path: Path) -> None:
    tb = pytest.importorskip("torch.utils.tensorboard")  # needs torch and tensorboard

    s = Schedule(1.0, 100, warmup_steps=10, after="wrap")
    with tb.SummaryWriter(str(tmp_path)) as writer:
        n = warmcos.log_to_tensorboard(writer, s, every=7, stop=250, figure=False, config=False)
    acc = _events(tmp_path)
    values = _logged(acc, "lr_schedule")
    assert sorted(values) == [*range(0, 251, 7), 250]
    assert n == len(values)
    assert values == {step: s(step) for step in values}
    assert acc.Tags()["images"] == []


def test_log_to_tensorboard_is_bounded_however_long_the_schedule() -> None:
    class Writer:
        def __init__(self) -> None:
            self.steps: list[int] = []

        def add_scalar(self, tag: str, value: float, global_step: int) -> None:
            self.steps.append(global_step)

    writer = Writer()  # a writer without double_precision (tensorboardX's) works too
    s = Schedule(1.0, 2**62, warmup_steps="1%", cycles=3)
    n = warmcos.log_to_tensorboard(writer, s, points=50, figure=False, config=False)
    assert n == len(writer.steps) <= 50
    assert writer.steps[0] == 0
    assert writer.steps[-1] == 2**62
    many = Schedule(1.0, 10**6, cycles=1000)  # more phase boundaries than points
    assert warmcos.log_to_tensorboard(Writer(), many, points=100, figure=False, config=False) == 100


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"points": 10, "every": 5}, ValueError, "points and every both choose the steps"),
        ({"every": 1}, ValueError, "every=1 over steps 0..1000000 is 1,000,001 scalars"),
        ({"every": 0}, ValueError, "every must be >= 1; received every=0"),
        ({"points": 1}, ValueError, "points must be >= 2; received points=1"),
        ({"points": 2.5}, TypeError, "points must be an int; received points=2.5"),
        ({"stop": 10**6 + 1}, ValueError, r"stop must be <= total_steps \(1000000\)"),
        ({"tag": ""}, TypeError, "tag must be a non-empty str; received tag=''"),
        ({"figure": "yes"}, TypeError, "figure must be True, False or None"),
    ],
)
def test_log_to_tensorboard_refuses_before_writing(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    class Writer:
        def add_scalar(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("nothing may be written")

    s = Schedule(1.0, 10**6, after="raise")
    with pytest.raises(error, match=message):
        warmcos.log_to_tensorboard(Writer(), s, **kwargs)


def test_hparams_import_nothing_heavy() -> None:
    code = (
        "import sys, warmcos\n"
        "warmcos.Schedule(0.1, 100).to_hparams('lr/')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('numpy', 'matplotlib', 'torch', 'tensorboard')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
