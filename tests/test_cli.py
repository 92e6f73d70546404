"""The `warmcos` command as a user runs it: real processes, real files, bad arguments.

Most cases call ``main([...])`` in-process (fast); the user-facing ones (exit codes, one-line
errors, pipes, a missing extra, missing NumPy) run real processes. Terminal charts are
compared with the snapshots in ``tests/snapshots/`` (regenerate them with
``WARMCOS_UPDATE_SNAPSHOTS=1``, then read the diff).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from warmcos import Schedule
from warmcos.cli import main

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("WARMCOS_UPDATE_SNAPSHOTS") == "1"


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warmcos", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        input=stdin,
    )


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == path.read_text(encoding="utf-8"), f"differs from {path}"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("COLUMNS", "LINES"):  # tables and charts fit these: the same everywhere
        monkeypatch.delenv(name, raising=False)


# -- plot: the terminal chart ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("default_80x24.txt", []),
        ("zoom_warmup_80x24.txt", ["--zoom", "warmup"]),
        ("peak_zero_60x14.txt", ["--peak-lr", "0"]),
        ("until_zero_60x14.txt", ["--until", "0"]),
        ("huge_wrap_80x20.txt", ["--total-steps", str(2**53), "--after", "wrap"]),
        ("narrow_20x10.txt", ["--total-steps", "500"]),
        ("log_60x16.txt", ["--log", "--decay-shape", "exponential", "--final-lr", "1e-9"]),
        (
            "restarts_80x24.txt",
            ["--total-steps", "10000", "--cycles", "4", "--cycle-mul", "2", "--cycle-decay", "0.7"],
        ),
    ],
)
def test_terminal_chart_snapshots(
    capsys: pytest.CaptureFixture[str], name: str, args: list[str]
) -> None:
    width, height = name.rsplit("_", 1)[1].removesuffix(".txt").split("x")
    status, out, err = cli(capsys, "plot", "--no-file", "--width", width, "--height", height, *args)
    assert (status, err) == (0, "")
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == int(height)  # labels included: the height asked for, exactly
    assert max(len(line) for line in lines) <= int(width)
    snapshot(name, out.rstrip("\n"))


def test_terminal_chart_reads_well(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, "plot", "--no-file", "--width", "80", "--height", "24")
    ticks = out.splitlines()[-5]  # the x tick labels line
    assert ticks.split() == ["0", "20k", "40k", "60k", "80k", "100k"]
    assert "● peak 0.1 at step 1,000" in out
    assert "■ final 0 at step 100,000" in out
    assert "┊ warmup end at step 1,000" in out
    assert "e+" not in out  # no 1.7e4 ticks


def test_width_and_height_are_not_capped_at_the_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = cli(capsys, "plot", "--no-file", "--width", "300", "--height", "60")
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == 60
    assert max(map(len, lines)) == 300


def test_log_scale_of_only_zeros_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = cli(capsys, "plot", "--no-file", "--log", "--peak-lr", "0")
    assert status == 2
    assert err == "warmcos: error: --log: every rate in view is 0, which a log scale cannot show\n"


def test_zoom_warmup_without_warmup_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = cli(capsys, "plot", "--no-file", "--zoom", "warmup", "--warmup-steps", "0")
    assert status == 2
    assert "--zoom warmup: this schedule has no warmup" in err


# -- plot: exact sampling at any size -------------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        {"peak_lr": 1.0, "total_steps": 997, "warmup_steps": 13, "warmup_start_lr": 0.3},
        {"peak_lr": 1.0, "total_steps": 1500, "warmup_steps": 7, "after": "wrap"},
        {"peak_lr": 0.5, "total_steps": 50, "warmup_steps": 49, "final_lr": 0.1},
        {"peak_lr": 1.0, "total_steps": 1200, "warmup_steps": 30, "decay_from_zero": True},
        {
            "peak_lr": 1.0,
            "total_steps": 1800,
            "warmup_steps": 10,
            "stable_steps": 300,
            "cycles": 4,
            "cycle_mul": 1.5,
            "cycle_decay": 0.6,
            "cycle_warmup_steps": 20,
            "decay_shape": "1-sqrt",
        },
        {"peak_lr": 1.0, "total_steps": 1000, "warmup_steps": 100, "replan": (400, 1700)},
        {"peak_lr": 1.0, "total_steps": 1000, "stable_steps": 600, "cooldown": (500, 300)},
    ],
)
@pytest.mark.parametrize("columns", [3, 17, 64])
def test_plot_samples_keep_every_columns_min_and_max(kw: dict[str, object], columns: int) -> None:
    from warmcos._cli.sample import evaluate, plot_steps

    kw = dict(kw)  # the parameter dict is shared between the columns cases
    edit = {k: kw.pop(k) for k in ("replan", "cooldown") if k in kw}
    s = Schedule(**kw)  # type: ignore[arg-type]
    for method, (at, n) in edit.items():  # type: ignore[misc]
        s = getattr(s, method)(at, n)
    stop = 2000 if s.after == "wrap" else s.total_steps
    steps = plot_steps(s, 0, stop, columns)
    values = dict(zip(steps, evaluate(s, steps), strict=True))
    every = evaluate(s, list(range(stop + 1)))
    edges = [stop * i // columns for i in range(columns + 1)]
    for a, b in itertools.pairwise(edges):
        sampled = [v for step, v in values.items() if a <= step <= b]
        assert min(sampled) == min(every[a : b + 1])
        assert max(sampled) == max(every[a : b + 1])


def test_phase_boundaries_peak_and_end_are_samples() -> None:
    from warmcos._cli.sample import plot_steps

    s = Schedule(peak_lr=1.0, total_steps=10**15 + 7, warmup_steps=12_345)
    steps = plot_steps(s, 0, s.total_steps, 100)
    assert {0, 12_344, 12_345, s.total_steps} <= set(steps)
    assert len(steps) < 110


# -- plot: image files ----------------------------------------------------------------------


def test_plot_writes_no_file_unless_asked(tmp_path: Path) -> None:
    out = run("plot", "--width", "80", "--height", "24", cwd=tmp_path)
    assert (out.returncode, out.stderr) == (0, "")
    assert "linear warmup 0→0.1 to 1k, cosine decay 0.1→0 to 100k, after: hold" in out.stdout
    assert "wrote" not in out.stdout
    assert list(tmp_path.iterdir()) == []
    out = run("plot", "--no-terminal", cwd=tmp_path)  # nothing to draw, nothing written
    assert out.returncode == 2
    assert "leave nothing to draw: drop --no-terminal or add -o FILE" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_plot_o_writes_warmcos_png_with_a_drawn_plot(tmp_path: Path) -> None:
    out = run("plot", "--width", "80", "--height", "24", "-o", "warmcos.png", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert "linear warmup 0→0.1 to 1k, cosine decay 0.1→0 to 100k, after: hold" in out.stdout
    assert out.stdout.endswith("wrote warmcos.png\n")
    assert [p.name for p in tmp_path.iterdir()] == ["warmcos.png"]  # no temporary left behind
    from matplotlib.image import imread

    pixels = imread(tmp_path / "warmcos.png")
    assert pixels.shape[:2] == (540, 960)
    plot_area = pixels[100:480, 150:900, :3]
    drawn = (plot_area.min(axis=2) < 0.6).mean()  # dark or saturated pixels: curve, marks
    assert 0.002 < drawn < 0.2


@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".pdf", b"%PDF-")])
def test_svg_and_pdf(capsys: pytest.CaptureFixture[str], suffix: str, magic: bytes) -> None:
    status, out, _ = cli(capsys, "plot", "--no-terminal", "--log", "-o", "lr" + suffix)
    assert status == 0
    assert out == f"wrote lr{suffix}\n"
    assert Path("lr" + suffix).read_bytes().startswith(magic)


@pytest.mark.parametrize(
    "args",
    [
        ["--peak-lr", "0"],
        ["--until", "0"],
        ["--total-steps", str(2**63 - 1), "--zoom", "warmup"],
        ["--decay-shape", "exponential", "--final-lr", "1e-12", "--log"],
        ["--total-steps", "3", "--warmup-steps", "0", "--after", "wrap", "--until", "40"],
    ],
)
def test_degenerate_images_draw_without_a_warning(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    # pytest turns every warning into an error here (filterwarnings = error): none may escape
    status, out, err = cli(capsys, "plot", "--width", "40", "--height", "12", "-o", "d.png", *args)
    assert (status, err) == (0, "")
    assert out.endswith("wrote d.png\n")


def test_image_legend_lists_only_what_is_in_view(capsys: pytest.CaptureFixture[str]) -> None:
    from warmcos._cli.view import view, window

    s = Schedule(peak_lr=1.0, total_steps=1000, warmup_steps=100)
    marks = [m.kind for m in view([("s", s)], *window(s, 500, 800, None), 10).curves[0].marks]
    assert marks == []  # the warmup end, the peak and the final value are all out of view
    assert [m.kind for m in view([("s", s)], 0, 1000, 10).curves[0].marks] == [
        "warmup end",
        "peak",
        "final",
    ]


# -- rows -----------------------------------------------------------------------------------


def test_csv_rows_equal_the_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--total-steps", "10", "--warmup-steps", "4", "--warmup-start-lr", "0.1"]
    status, out, _ = cli(capsys, "plot", "--csv", "--peak-lr", "1", "--until", "12", *args)
    assert status == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["step", "lr"]
    sch = Schedule(peak_lr=1.0, total_steps=10, warmup_steps=4, warmup_start_lr=0.1)
    assert [(int(s), float(v)) for s, v in rows[1:]] == [(s, sch(s)) for s in range(13)]
    assert not Path("warmcos.png").exists()  # rows write no image


@pytest.mark.parametrize(
    ("args", "steps"),
    [
        (["--every", "250"], [0, 250, 500, 750, 1000]),
        (["--steps", "0,100,1000"], [0, 100, 1000]),
        (["--start", "998"], [998, 999, 1000]),
        (["--start", "10", "--stop", "13"], [10, 11, 12]),
        (["--until", "2", "--every", "2"], [0, 2]),
    ],
)
def test_json_rows_select_steps(
    capsys: pytest.CaptureFixture[str], args: list[str], steps: list[int]
) -> None:
    status, out, _ = cli(capsys, "plot", "--json", "--total-steps", "1000", *args)
    assert status == 0
    rows = [json.loads(line) for line in out.splitlines()]
    sch = Schedule(peak_lr=0.1, total_steps=1000, warmup_steps=10)
    assert rows == [{"step": s, "lr": sch(s)} for s in steps]


def test_rows_to_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "plot", "--total-steps", "10", "-o", "lr.csv")
    assert (status, out) == (0, "wrote lr.csv\n")
    assert Path("lr.csv").read_text().splitlines()[:2] == ["step,lr", "0,0.0"]
    assert sorted(p.name for p in Path().iterdir()) == ["lr.csv"]


def without(modules: tuple[str, ...], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``warmcos ARGS`` in a process where importing ``modules`` fails, as if absent."""
    code = (
        "import sys, builtins\n"
        "real = builtins.__import__\n"
        "def imp(n, *a, **k):\n"
        f"    if n.split('.')[0] in {modules!r}: raise ModuleNotFoundError(n)\n"
        "    return real(n, *a, **k)\n"
        "builtins.__import__ = imp\n"
        f"from warmcos.cli import main; sys.exit(main({list(args)!r}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_rows_stream_without_numpy(tmp_path: Path) -> None:
    scalar = without(
        ("numpy",), "plot", "--csv", "--total-steps", "20000", "--every", "7", cwd=tmp_path
    )
    assert scalar.returncode == 0, scalar.stderr
    blocks = run("plot", "--csv", "--total-steps", "20000", "--every", "7", cwd=tmp_path)
    assert scalar.stdout == blocks.stdout  # the scalar path and NumPy blocks agree, bit for bit
    assert len(scalar.stdout.splitlines()) == 1 + 20000 // 7 + 1


def test_csv_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    p = subprocess.run(
        f"{sys.executable} -m warmcos plot --csv --total-steps 9000000 | head -n 2",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert p.stdout == "step,lr\n0,0.0\n"
    assert p.stderr == ""


# -- config files and options ---------------------------------------------------------------


def test_a_configs_fraction_follows_an_overriding_total(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("s.toml").write_text(
        'version = 1\npeak_lr = 2.0\ntotal_steps = 100\nwarmup_steps = "5%"\n'
        "steps_per_epoch = 10\nfinal_lr = 0.5\n"
    )
    status, out, _ = cli(capsys, "describe", "--config", "s.toml", "--total-steps", "30ep")
    assert status == 0
    assert "0 .. 15 " in out  # 5% of 300 steps (30 epochs of the file's 10 steps)
    assert "15 .. 300" in out
    status, out, _ = cli(capsys, "plot", "--config", "s.toml", "--csv", "--steps", "5,100")
    assert out.splitlines()[1:] == ["5,2.0", "100,0.5"]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_config_formats(capsys: pytest.CaptureFixture[str], suffix: str) -> None:
    config = {"version": 1, "peak_lr": 1.0, "total_steps": 8, "warmup_steps": 0.25}
    text = (
        json.dumps(config)
        if suffix == ".json"
        else "\n".join(f"{k}: {v}" for k, v in config.items())
    )
    Path("s" + suffix).write_text(text)
    status, out, _ = cli(capsys, "plot", "--config", "s" + suffix, "--json", "--steps", "2")
    assert (status, out) == (0, '{"step": 2, "lr": 1.0}\n')


def test_default_warmup_follows_the_users_total(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, "describe", "--total-steps", "500")
    assert "0 .. 5 " in out  # 1% of 500
    _, out, _ = cli(capsys, "describe", "--warmup-steps", "0.05")
    assert "0 .. 5,000 " in out  # 0.05 of the default 100,000, as the README says


def test_every_field_has_an_option() -> None:
    from warmcos.schedule import FIELDS

    out = subprocess.run(
        [sys.executable, "-m", "warmcos", "plot", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settable = {"lr", "duration", "choice", "real", "optional_real", "int", "bool"}
    for f in FIELDS:
        assert ("--" + f.name.replace("_", "-") in out) == (f.kind in settable), f.name
    assert "examples:" in out


@pytest.mark.parametrize("command", ["plot", "compare", "describe", "preset"])
def test_every_command_has_help_with_examples(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: warmcos {command}")
    assert f"examples:\n  warmcos {command}" in out


# -- errors: one line, exit 2, no file ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plot", "--peak-lr", "abc"], "argument --peak-lr: invalid float value: 'abc'"),
        (["plot", "--bogus"], "unrecognized arguments: --bogus"),
        (["nope"], "argument COMMAND: invalid choice: 'nope'"),
        (["plot", "--after", "clamp"], "argument --after: invalid choice: 'clamp'"),
        (["plot", "--warmup-steps", "5 %"], "received --warmup-steps '5 %'"),
        (["plot", "--warmup-steps", "2ep"], "needs --steps-per-epoch; pass --steps-per-epoch N"),
        (
            ["plot", "--total-steps", "500", "--warmup-steps", "600"],
            "--warmup-steps must be < --total-steps",
        ),
        (
            ["plot", "--total-steps", "1"],
            "received --warmup-steps '1%' (the default), --total-steps 1",
        ),
        (["plot", "--final-lr", "0.5"], "received --final-lr 0.5, --peak-lr 0.1 (the default)"),
        (
            ["plot", "--decay-shape", "exponential"],
            (
                "--final-lr must be > 0 for --decay-shape 'exponential' (a geometric decay "
                "between two positive values); received --final-lr 0.0 (the default)"
            ),
        ),
        (["plot", "--peak-lr", "-1"], "--peak-lr must be >= 0; received --peak-lr -1.0"),
        (["plot", "--final-lr", "nan"], "--final-lr must be finite"),
        (["plot", "-o", "out.jpg"], "--output must end in .png, .svg or .pdf for an image"),
        (["plot", "-o", "missing/out.png"], "--output directory does not exist: 'missing'"),
        (["plot", "--no-file", "-o", "x.png"], "--no-file and --output contradict each other"),
        (["plot", "--no-file", "--no-terminal"], "leave nothing to draw"),
        (["plot", "--csv", "-o", "x.png"], "is an image name; rows go to a .csv"),
        (["plot", "--until", "-1"], "--start and --until must be >= 0"),
        (["plot", "--after", "raise", "--until", "100001"], "which --after raise forbids"),
        (["plot", "--csv", "--after", "raise", "--steps", "100001"], "--after raise forbids"),
        (
            ["plot", "--config", "missing.json"],
            "--config: cannot read schedule file 'missing.json': it does not exist",
        ),
        (["plot", "--config", "bad.yaml"], "--config: cannot parse schedule file 'bad.yaml': "),
        (["plot", "--width", "3"], "--width must be >= 16"),
        (["plot", "--every", "2"], "--every selects rows: add --csv or --json"),
        (["plot", "--csv", "--total-steps", "1e10"], "ask for fewer with --every N"),
        (["plot", "--csv", "--steps", "1,x"], "--steps must be a comma-separated list"),
        (["compare", "a.toml"], "compare needs at least two schedules"),
        (["compare", "x=1", "y=2"], "unknown schedule parameters ['x']"),
        (
            ["describe", "--config", "s.txt"],
            "--config: schedule file must end in .json, .toml, .yaml or .yml",
        ),
    ],
)
def test_bad_arguments_one_line_exit_2_no_file(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "bad.yaml").write_text("peak_lr: [\n")
    out = run(*args, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1, out.stderr  # one line, no traceback, no usage block
    assert out.stderr.startswith("warmcos: error: ")
    assert message in out.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["bad.yaml"]


def test_a_total_alone_never_quotes_the_default_warmup(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli(capsys, "plot", "--no-file", "--total-steps", "500")
    assert (status, err) == (0, "")
    assert "warmup end at step 5" in out  # 1% of 500, not the recipe's 1,000


def test_unwritable_output_directory(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    out = run("plot", "-o", str(ro / "x.png"), cwd=tmp_path)
    assert out.returncode == 2
    assert "not writable" in out.stderr


def test_missing_plot_extra_is_one_helpful_line(tmp_path: Path) -> None:
    out = without(("matplotlib", "plotext"), "plot", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr == (
        "warmcos: error: drawing in the terminal needs plotext, part of the 'plot' extra: "
        "pip install 'warmcos[plot]' (or pass --no-terminal)\n"
    )
    assert not (tmp_path / "warmcos.png").exists()


def test_describe_and_compare_as_processes(tmp_path: Path) -> None:
    out = run("describe", "--total-steps", "90ep", "--steps-per-epoch", "10", cwd=tmp_path)
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout.splitlines()[-1] == "after step 900: holds 0"
    out = run(
        "compare", "total_steps=900", "--final-lr 0.01", "--no-terminal", "--tol", "0", cwd=tmp_path
    )
    assert (out.returncode, out.stderr) == (1, "")  # they differ: exit 1, a table, no error
    assert out.stdout.splitlines()[0].split()[:4] == ["schedule", "peak", "at", "step"]


def test_version_and_bare_command(tmp_path: Path) -> None:
    out = run("--version", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.startswith("warmcos 0.")
    assert run(cwd=tmp_path).stdout.startswith("usage: warmcos")


def test_error_translation_is_one_mapping_from_fields() -> None:
    from warmcos._cli.options import translate

    assert translate("steps_per_epoch must be an int; received steps_per_epoch=0") == (
        "--steps-per-epoch must be an int; received --steps-per-epoch 0"
    )
    # one-word names are only rewritten as the subject or in name=value, not in prose
    assert translate("after must be one of 'hold'; received after='x' after all") == (
        "--after must be one of 'hold'; received --after 'x' after all"
    )
    assert translate("config has unknown keys ['warmup_step']") == (
        "config has unknown keys ['warmup_step']"
    )


# -- compare --------------------------------------------------------------------------------


def _stacked(text: str) -> list[tuple[str, dict[str, str]]]:
    """A stacked table's blocks: each row's first cell, and its ``header: value`` pairs."""
    rows: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.startswith(" "):
            rows.append((line, {}))
            continue
        for item in filter(None, line.strip().split(", ")):
            key, _, value = item.rstrip(",").partition(": ")
            rows[-1][1][key] = value
    return rows


def test_compare_overlays_and_tabulates(capsys: pytest.CaptureFixture[str]) -> None:
    Path("a.toml").write_text(
        'version = 1\npeak_lr = 1.0\ntotal_steps = 100\nwarmup_steps = "10%"\n'
    )
    status, out, err = cli(
        capsys,
        "compare",
        "a.toml",
        "--final-lr 0.25",
        "--config",
        "a.toml",
        "--width",
        "60",
        "--height",
        "16",
        "-o",
        "cmp.png",
    )
    assert (status, err) == (0, "")
    snapshot("compare_60x16.txt", out.rstrip("\n"))
    assert max(len(line) for line in out.splitlines()) <= 60
    # 60 columns are too few for the table's columns: one block per schedule
    rows = _stacked(out.split("x 3: a.toml\n")[1].removesuffix("wrote cmp.png\n"))
    assert rows[0] == (
        "1: a.toml",
        {
            "peak at step": "10",
            "peak": "1",
            "final": "0",
            "area": "50",
            "max |diff|": "(reference)",
        },
    )
    assert rows[1][0] == "2: --final-lr 0.25"
    assert rows[1][1]["final"] == "0.25"
    assert (rows[1][1]["max |diff|"], rows[1][1]["at step"]) == ("0.25", "100")  # at the end
    assert (rows[2][1]["max |diff|"], rows[2][1]["at step"]) == ("0", "0")  # the same file twice
    assert Path("cmp.png").read_bytes().startswith(b"\x89PNG")
    # with room for them, one line per schedule
    status, out, _ = cli(
        capsys,
        "compare",
        "a.toml",
        "--final-lr 0.25",
        "--config",
        "a.toml",
        "--width",
        "80",
        "--no-terminal",
    )
    table = [line.split() for line in out.splitlines() if line[:2] in {"1:", "2:", "3:"}]
    assert table[0] == ["1:", "a.toml", "10", "1", "0", "50", "(reference)"]
    assert table[1][:6] == ["2:", "--final-lr", "0.25", "10", "1", "0.25"]
    assert table[1][-2:] == ["0.25", "100"]  # the largest difference, at the end
    assert table[2][-2:] == ["0", "0"]  # the same file twice: no difference


def test_compare_tol_fails_a_migration_that_differs(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", "--no-terminal", "total_steps=1000", "--warmup-steps 11", "--tol", "1e-3"]
    assert cli(capsys, *args)[0] == 1
    assert cli(capsys, *args[:-1], "0.1")[0] == 0


def test_compare_at_a_huge_size_is_sampled(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(
        capsys, "compare", "--no-terminal", f"total_steps={10**12}", "--final-lr 0.01"
    )
    assert status == 0
    assert "~area" in out
    assert "~ sampled at every phase boundary" in out


MIN_LR = "transformers_cosine_with_min_lr"
MIN_LR_PARAMS = {
    "lr": "3e-4",
    "num_warmup_steps": "500",
    "num_training_steps": "10000",
    "min_lr": "1e-5",
}


def _min_lr_preset() -> None:
    presets = pytest.importorskip("warmcos.presets", reason="warmcos.presets not merged yet")
    if MIN_LR not in presets.PRESETS:
        pytest.skip(f"no {MIN_LR} preset")


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
def test_preset_writes_a_config_and_compare_proves_the_migration(
    capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    _min_lr_preset()
    import warmcos
    from warmcos import presets
    from warmcos._cli.compare import literal

    options = [x for k, v in MIN_LR_PARAMS.items() for x in (f"--{k.replace('_', '-')}", v)]
    status, out, _ = cli(capsys, "preset", MIN_LR, *options, "-o", "mine" + suffix)
    assert (status, out) == (0, f"wrote mine{suffix} ({suffix[1:]})\n")
    want = presets.transformers_cosine_with_min_lr(
        **{k: literal(v) for k, v in MIN_LR_PARAMS.items()}
    )
    assert warmcos.load("mine" + suffix) == want
    spec = MIN_LR + ":" + ",".join(f"{k}={v}" for k, v in MIN_LR_PARAMS.items())
    assert (
        cli(
            capsys,
            "compare",
            "--preset",
            spec,
            "--config",
            "mine" + suffix,
            "--tol",
            "0",
            "--no-terminal",
        )[0]
        == 0
    )
    status, out, _ = cli(
        capsys, "compare", spec, "--warmup-steps 400", "--tol", "0", "--no-terminal"
    )
    assert status == 1  # the first SPEC changed by an option: a different schedule
    assert out.splitlines()[1].startswith(MIN_LR)  # the preset is the reference, listed first


def test_preset_listing_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    _min_lr_preset()
    status, out, _ = cli(capsys, "preset")
    assert status == 0
    assert any(line.split()[0] == MIN_LR for line in out.splitlines())
    status, _, err = cli(capsys, "preset", MIN_LR)
    assert status == 2
    assert "its parameters: " in err
    assert "--num-warmup-steps" in err
    status, _, err = cli(capsys, "preset", "nope")
    assert (status, err) == (
        2,
        "warmcos: error: unknown preset 'nope' (warmcos preset lists them)\n",
    )


def test_preset_takes_json_lists_and_writes_a_composition(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import warmcos
    from warmcos import presets

    pairs = "[[10, 0.5], [20, 0.45], [20, 0.3], [30, 0.1]]"
    status, out, _ = cli(
        capsys, "preset", "ignite_piecewise_linear", "--param-name", "lr",
        "--milestones-values", pairs, "-o", "pl.toml",
    )  # fmt: skip
    assert (status, out) == (0, "wrote pl.toml (toml)\n")
    want = presets.ignite_piecewise_linear("lr", json.loads(pairs))
    assert isinstance(want, warmcos.Composition)
    assert warmcos.load("pl.toml") == want
    status, _, err = cli(
        capsys, "preset", "ignite_piecewise_linear", "--param-name", "lr",
        "--milestones-values", "[[10, 0.5],",
    )  # fmt: skip
    assert status == 2
    assert err.startswith("warmcos: error: preset ignite_piecewise_linear: milestones_values ")
    assert len(err.splitlines()) == 1


# -- describe and preset --------------------------------------------------------------------


def test_describe_prints_the_phase_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "describe", "--total-steps", "1000", "--warmup-steps", "100")
    assert status == 0
    assert out.splitlines() == [
        "phase   cycle  shape   steps         lr        joins",
        "warmup  0      linear  0 .. 100      0 -> 0.1  yes",
        "decay   0      cosine  100 .. 1,000  0.1 -> 0  yes",
        "after step 1,000: holds 0",
    ]
    status, out, _ = cli(capsys, "describe", "--total-steps", "1000", "--json")
    assert json.loads(out)[1]["kind"] == "decay"


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_config_text_reads_back_as_the_same_schedule(fmt: str) -> None:
    import tomllib
    import yaml

    s = Schedule(peak_lr=3e-4, total_steps=20_000, warmup_steps=500, warmup_start_lr=1e-05)
    s = s.replan(5000, total_steps=30_000)  # edits: an array of arrays in the config
    text = {"toml": s.to_toml, "json": s.to_json, "yaml": s.to_yaml}[fmt]()  # the public writers
    read = {"toml": tomllib.loads, "json": json.loads, "yaml": yaml.safe_load}[fmt]
    assert Schedule.from_dict(read(text)) == s
