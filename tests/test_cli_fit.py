"""``warmcos fit``: a CSV log fitted, written as a config, explained by its plan."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import warmcos
from warmcos import Schedule
from warmcos.cli import main

PLAN = Schedule(0.1, 1000, warmup_steps=100)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)


def write_log(name: str, rows: list[tuple[int, float]], header: str | None = "step,lr") -> str:
    lines = ([header] if header else []) + [f"{s},{v!r}" for s, v in rows]
    Path(name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return name


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_a_log_is_fitted_and_written_as_a_config(capsys: pytest.CaptureFixture[str]) -> None:
    log = write_log("lr.csv", [(s, PLAN(s)) for s in range(1100)])
    status, out, _ = cli(capsys, "fit", log, "--no-terminal", "-o", "found.toml")
    assert status == 0
    assert "warmup     linear        0 .. 100" in out
    assert "largest difference: 0" in out
    assert warmcos.load("found.toml") == PLAN


def test_the_chart_draws_the_fit_and_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    Path("plan.toml").write_text(PLAN.to_toml(), encoding="utf-8")
    log = write_log("lr.csv", [(s, PLAN(s // 20)) for s in range(1100)])
    status, out, _ = cli(
        capsys, "fit", log, "--plan", "plan.toml", "--width", "60", "--height", "12"
    )
    assert status == 0
    assert "log (as fitted)" in out
    assert "plan" in out
    assert "once per epoch of 20 updates" in out


def test_the_fit_and_the_plan_are_drawn_into_an_image(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    Path("plan.toml").write_text(PLAN.to_toml(), encoding="utf-8")
    log = write_log("lr.csv", [(s, PLAN(3 * s)) for s in range(400)])
    status, out, _ = cli(
        capsys, "fit", log, "--plan", "plan.toml", "--no-terminal", "--image", "fit.svg"
    )
    assert status == 0
    assert "wrote fit.svg" in out
    assert "stepped 3 times per update" in out
    assert Path("fit.svg").read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        ("Wall time,Step,Value", [f"1.0,{s},{PLAN(s)!r}" for s in range(0, 1100, 10)]),
        (None, [f"{s},{PLAN(s)!r}" for s in range(0, 1100, 10)]),
        (None, [repr(PLAN(s)) for s in range(1100)]),
    ],
    ids=["tensorboard-export", "no-header", "one-column"],
)
def test_the_csv_forms_read(
    capsys: pytest.CaptureFixture[str], header: str | None, rows: list[str]
) -> None:
    Path("lr.csv").write_text("\n".join(([header] if header else []) + rows), encoding="utf-8")
    status, out, _ = cli(capsys, "fit", "lr.csv", "--no-terminal", "-o", "found.json")
    assert status == 0, out
    assert warmcos.load("found.json") == PLAN


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("step,lr\n0,0.1\n1,nan\n", "values[1] must be finite and >= 0; received nan"),
        ("step,lr\n0,0.1\n1,-0.1\n", "values[1] must be finite and >= 0"),
        ("step,lr\n0,0.1\n0,0.2\n", "steps must be integers >= 0, increasing"),
        ("step,lr\n0,0.1\n", "at least two values"),
        ("step,lr\n", "a header and no rows"),
        ("", "no rows"),
        ("step,lr\n0,0.1\n1,x\n", "line 3: expected a step and an lr number; received '1,x'"),
        ("step,loss\n0,0.1\n", "no lr column"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], content: str, words: str
) -> None:
    Path("lr.csv").write_text(content, encoding="utf-8")
    status, _, err = cli(capsys, "fit", "lr.csv", "--no-terminal")
    assert status == 2
    assert err.count("\n") == 1
    assert words in err


def test_a_bad_plan_and_a_missing_file_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    log = write_log("lr.csv", [(s, PLAN(s)) for s in range(20)])
    Path("plan.toml").write_text("peak_lr = -1\n", encoding="utf-8")
    status, _, err = cli(capsys, "fit", log, "--plan", "plan.toml", "--no-terminal")
    assert (status, err.count("\n")) == (2, 1)
    assert "--plan plan.toml" in err
    status, _, err = cli(capsys, "fit", "nope.csv")
    assert (status, err.count("\n")) == (2, 1)
    status, _, err = cli(capsys, "fit", log, "--epoch-length", "5", "--no-terminal")
    assert (status, err.count("\n")) == (2, 1)
    assert "--plan" in err


def test_as_a_process_no_traceback(tmp_path: Path) -> None:
    Path("lr.csv").write_text("step,lr\n0,inf\n1,0.1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "warmcos", "fit", "lr.csv"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("warmcos: error: values[0] must be finite")
    assert "Traceback" not in done.stderr


def write_events(directory: Path, scalars: dict[str, list[float]]) -> str:
    """A TensorBoard event file of these scalars (steps 0, 1, ...), by torch's SummaryWriter."""
    tensorboard = pytest.importorskip("torch.utils.tensorboard")
    writer = tensorboard.SummaryWriter(log_dir=str(directory))
    for tag, values in scalars.items():
        for step, value in enumerate(values):
            writer.add_scalar(tag, value, step)
    writer.close()
    (found,) = directory.glob("events.out.tfevents.*")
    return str(found)


def test_a_tensorboard_event_file_is_fitted_from_its_lr_tag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lr = [PLAN(s) for s in range(1100)]
    events = write_events(tmp_path / "run", {"train/lr": lr, "train/loss": [1.0] * 50})
    status, out, _ = cli(capsys, "fit", events, "--no-terminal", "-o", "found.toml")
    assert status == 0
    assert "fitted 1,100 values: Schedule" in out
    assert "unexplained" not in out
    found = warmcos.load("found.toml")
    assert isinstance(found, Schedule)
    assert (found.warmup_steps, found.total_steps, found.decay_shape) == (100, 1000, "cosine")
    assert found.peak_lr == pytest.approx(0.1, rel=1e-7)  # logged as float32


def test_the_tag_is_asked_for_when_none_or_several_name_the_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = write_events(tmp_path / "run", {"lr/a": [1.0, 0.5, 0.25], "lr/b": [2.0, 1.0]})
    status, _, err = cli(capsys, "fit", events, "--no-terminal")
    assert (status, err.count("\n")) == (2, 1)
    assert "several scalar tags name the learning rate" in err
    assert "lr/a, lr/b" in err
    status, out, _ = cli(capsys, "fit", events, "--no-terminal", "--tag", "lr/b")
    assert status == 0
    assert "fitted 2 values" in out
    status, _, err = cli(capsys, "fit", events, "--no-terminal", "--tag", "loss")
    assert status == 2
    assert "no scalar tag 'loss'; its scalar tags: lr/a, lr/b" in err


def test_an_event_file_is_read_without_tensorflow(tmp_path: Path) -> None:
    events = write_events(tmp_path / "run", {"learning_rate": [0.1, 0.05, 0.025, 0.0125]})
    script = (
        "import sys\n"
        "from warmcos._cli.fit import read_events\n"
        f"rows = read_events({events!r})\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow imported'\n"
        "print(rows)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "[(0, 0.10000000149011612), (1, 0.05000000074505806), "
        "(2, 0.02500000037252903), (3, 0.012500000186264515)]"
    )
