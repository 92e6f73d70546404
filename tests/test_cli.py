"""The `warmcos` command as a user runs it: real processes, real files, bad arguments."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from warmcos import Schedule
from warmcos.cli import main


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warmcos", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_default_plot_draws_in_the_terminal_and_writes_warmcos_png(tmp_path: Path) -> None:
    out = run("plot", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert (
        "warmcos: 0 -> 0.1 at step 1,000, cosine -> 0 at step 100,000 (after: hold)" in out.stdout
    )
    assert "⠉" in out.stdout or "⠒" in out.stdout  # braille dots of the curve
    png = (tmp_path / "warmcos.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000
    assert [p.name for p in tmp_path.iterdir()] == ["warmcos.png"]  # no temporary left behind


def test_svg_output_and_every_schedule_option(tmp_path: Path) -> None:
    assert (
        main(
            [
                "plot",
                "--peak-lr",
                "0.5",
                "--total-steps",
                "2000",
                "--warmup-steps",
                "5%",
                "--warmup-start-lr",
                "0.05",
                "--final-lr",
                "0.01",
                "--after",
                "wrap",
                "--until",
                "3000",
                "-o",
                str(tmp_path / "s.svg"),
                "--width",
                "60",
                "--height",
                "15",
            ]
        )
        == 0
    )
    assert (tmp_path / "s.svg").read_text().lstrip().startswith("<?xml")


def test_csv_rows_equal_the_schedule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert (
        main(
            [
                "plot",
                "--csv",
                "--total-steps",
                "10",
                "--warmup-steps",
                "4",
                "--warmup-start-lr",
                "0.1",
                "--peak-lr",
                "1",
                "--until",
                "12",
            ]
        )
        == 0
    )
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["step", "lr"]
    sch = Schedule(peak_lr=1.0, total_steps=10, warmup_steps=4, warmup_start_lr=0.1)
    assert [(int(s), float(v)) for s, v in rows[1:]] == [(s, sch(s)) for s in range(13)]
    assert not (tmp_path / "warmcos.png").exists()  # --csv writes no image unless -o is given


def test_config_file_and_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "s.toml"
    cfg.write_text("version = 1\npeak_lr = 2.0\ntotal_steps = 8\nwarmup_steps = 2\n")
    assert main(["plot", "--config", str(cfg), "--final-lr", "0.5", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[3] == ["2", "2.0"]
    assert rows[-1] == ["8", "0.5"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plot", "--peak-lr", "abc"], "argument --peak-lr: invalid float value: 'abc'"),
        (["plot", "--bogus"], "unrecognized arguments: --bogus"),
        (["nope"], "argument COMMAND: invalid choice: 'nope'"),
        (["plot", "--after", "clamp"], "argument --after: invalid choice: 'clamp'"),
        (["plot", "--warmup-steps", "5 %"], "received warmup_steps='5 %'"),
        (["plot", "--warmup-steps", "2ep"], "which needs steps_per_epoch"),
        (["plot", "--warmup-steps", "100000"], "warmup_steps must be < total_steps"),
        (["plot", "--peak-lr", "-1"], "peak_lr must be >= 0; received peak_lr=-1.0"),
        (["plot", "--final-lr", "nan"], "final_lr must be finite"),
        (
            ["plot", "-o", "out.jpg"],
            "--output must end in .png or .svg; received --output='out.jpg'",
        ),
        (["plot", "-o", "missing/out.png"], "--output directory does not exist: 'missing'"),
        (["plot", "--no-file", "-o", "x.png"], "--no-file and --output contradict each other"),
        (["plot", "--until", "-1"], "--until must be >= 0"),
        (["plot", "--after", "raise", "--until", "100001"], "after='raise' forbids"),
        (["plot", "--config", "missing.json"], "cannot read schedule file 'missing.json'"),
        (["plot", "--width", "3"], "--width must be >= 10"),
    ],
)
def test_bad_arguments_one_line_exit_2_no_file(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = run(*args, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1, out.stderr  # one line, no traceback, no usage block
    assert out.stderr.startswith("warmcos: error: ")
    assert message in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_directory(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    out = run("plot", "-o", str(ro / "x.png"), cwd=tmp_path)
    assert out.returncode == 2
    assert "not writable" in out.stderr


def test_output_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "d.png").mkdir()
    out = run("plot", "-o", "d.png", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip() == "warmcos: error: --output is a directory: 'd.png'"


def test_missing_plot_extra_is_one_helpful_line(tmp_path: Path) -> None:
    # A real process in which importing matplotlib or plotext fails, as without the extra.
    code = (
        "import sys, builtins\n"
        "real = builtins.__import__\n"
        "def imp(n, *a, **k):\n"
        "    if n.split('.')[0] in ('matplotlib', 'plotext'): raise ModuleNotFoundError(n)\n"
        "    return real(n, *a, **k)\n"
        "builtins.__import__ = imp\n"
        "from warmcos.cli import main; sys.exit(main(['plot']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert out.returncode == 2
    assert out.stderr == (
        "warmcos: error: warmcos plot needs plotext, part of the 'plot' extra: "
        "pip install 'warmcos[plot]'\n"
    )
    assert not (tmp_path / "warmcos.png").exists()


def test_help_and_version(tmp_path: Path) -> None:
    out = run("--version", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.startswith("warmcos 0.")
    assert run(cwd=tmp_path).stdout.startswith("usage: warmcos")
    assert "--warmup-start-lr" in run("plot", "--help", cwd=tmp_path).stdout


def test_csv_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    p = subprocess.run(
        f"{sys.executable} -m warmcos plot --csv | head -n 2",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert p.stdout == "step,lr\n0,0.0\n"
    assert p.stderr == ""
