"""Pictures from Python (issue 19): warmcos.plot on an Axes, Schedule.plot, Jupyter's picture."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

import warmcos
from strategies import family
from warmcos import Schedule

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.image import imread  # noqa: E402

from warmcos import plotting  # noqa: E402

WSD = Schedule(3e-4, 100_000, warmup_steps="5%", stable_steps="60%", decay_shape="1-sqrt")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures() -> object:
    yield
    plt.close("all")


def _labels(ax: object) -> list[str]:
    return ax.get_legend_handles_labels()[1]  # type: ignore[attr-defined]


def test_plot_draws_on_the_given_axes_with_the_cli_marks() -> None:
    _, (loss_ax, lr_ax) = plt.subplots(1, 2)
    assert warmcos.plot(WSD, lr_ax) is lr_ax
    assert not loss_ax.lines  # the other Axes is left alone
    assert _labels(lr_ax) == [
        "peak 0.0003 at step 5,000",
        "final 0 at step 100,000",
        "phase boundaries",
        "warmup: steps 0..4,999",
        "stable: steps 5,000..64,999",
    ]
    assert lr_ax.get_xlim() == (0.0, 100_000.0)
    curve = lr_ax.lines[0]
    xs, ys = curve.get_xdata(), curve.get_ydata()
    assert list(ys) == [WSD(int(x)) for x in xs]  # exact samples of the schedule
    assert {4_999, 5_000, 64_999, 65_000} <= {int(x) for x in xs}  # both sides of each boundary


def test_plot_and_the_cli_image_are_the_same_drawing(tmp_path: Path) -> None:
    # One drawing code path: `warmcos plot -o FILE` and warmcos.plot on a figure of the same
    # size give the same pixels.
    from warmcos._cli.view import title

    args = ["--total-steps", "10000", "--peak-lr", "1e-3", "--warmup-steps", "5%"]
    args += ["--stable-steps", "20%", "--cycles", "3", "--cycle-decay", "0.5"]
    subprocess.run(
        [sys.executable, "-m", "warmcos", "plot", *args, "--no-terminal", "-o", "cli.png"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    s = Schedule(1e-3, 10_000, warmup_steps="5%", stable_steps="20%", cycles=3, cycle_decay=0.5)
    fig = plotting.figure()
    warmcos.plot(s, fig.subplots(), title=title(s))
    fig.savefig(tmp_path / "python.png")
    assert (imread(tmp_path / "cli.png") == imread(tmp_path / "python.png")).all()


def test_schedule_plot_defaults_to_pyplots_current_axes() -> None:
    ax = WSD.plot()
    assert ax is plt.gca()
    assert WSD.plot(ax=ax, start=1000, stop=9000, title="") is ax
    assert ax.get_xlim() == (1000.0, 9000.0)


def test_several_schedules_are_named_in_the_legend() -> None:
    linear = WSD.replace(decay_shape="linear")
    ax = warmcos.plot({"1-sqrt": WSD, "linear": linear})
    assert _labels(ax) == ["1-sqrt", "linear"]
    assert ax.get_title() == "2 schedules"
    _, ax = plt.subplots()
    warmcos.plot([WSD, linear], ax)
    assert [label.split(",")[-2].strip() for label in _labels(ax)] == [
        "1-sqrt decay 0.0003→0 to 100k",
        "linear decay 0.0003→0 to 100k",
    ]


def test_after_the_end_and_log_scale() -> None:
    s = Schedule(1.0, 100, warmup_steps=10, final_lr=1e-3, after="wrap")
    ax = warmcos.plot(s, stop=300, log=True)
    assert ax.get_yscale() == "log"
    assert "after: wrap" in _labels(ax)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"start": -1}, ValueError, "start must be >= 0; received start=-1"),
        ({"stop": 5, "start": 10}, ValueError, "stop must be >= start; received start=10, stop=5"),
        ({"stop": 1.5}, TypeError, "stop must be an int; received stop=1.5"),
        ({"samples": 0}, ValueError, "samples must be >= 1; received samples=0"),
        ({"log": "yes"}, TypeError, "log must be True or False; received log='yes'"),
        ({"title": 3}, TypeError, "title must be a str or None; received int"),
    ],
)
def test_bad_arguments_name_the_parameter(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{message}"):
        warmcos.plot(WSD, **kwargs)  # type: ignore[arg-type]


def test_what_cannot_be_drawn_is_refused_before_any_drawing() -> None:
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"stop must be <= total_steps \(100\).*after='raise'"):
        warmcos.plot(Schedule(1.0, 100, after="raise"), ax, stop=101)
    with pytest.raises(ValueError, match=r"log=True: every rate drawn .* is 0"):
        warmcos.plot(Schedule(0.0, 100), ax, log=True)
    with pytest.raises(TypeError, match="schedules must hold Schedules; received dict for 'a'"):
        warmcos.plot({"a": {"peak_lr": 1.0}}, ax)  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="schedules must be a Schedule, a mapping"):
        warmcos.plot("cosine", ax)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="schedules is empty"):
        warmcos.plot([], ax)
    assert not ax.lines
    assert not ax.patches


def test_repr_png_is_the_picture() -> None:
    data = WSD._repr_png_()
    assert data is not None
    assert data.startswith(PNG)
    pixels = imread(io.BytesIO(data))
    assert pixels.shape[:2] == (360, 640)
    assert pixels.min() < 0.5  # something is drawn


def test_repr_png_samples_a_bounded_number_of_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    # However long the schedule, the picture evaluates about one step per pixel column.
    from warmcos._cli import view

    seen: list[int] = []
    real = view.evaluate

    def counting(schedule: Schedule, steps: list[int]) -> list[float]:
        seen.append(len(steps))
        return real(schedule, steps)

    monkeypatch.setattr(view, "evaluate", counting)
    Schedule(1.0, 2**62, warmup_steps="1%", stable_steps="50%")._repr_png_()
    assert 0 < sum(seen) < 2 * 640 + 50


def test_jupyter_shows_the_picture_and_the_text() -> None:
    # IPython's own display machinery, as a notebook calls it
    pytest.importorskip("IPython")
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(WSD)
    assert data["image/png"].startswith(PNG)
    assert data["text/plain"] == repr(WSD)


def test_without_matplotlib_a_schedule_is_text_and_plot_says_what_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['matplotlib'] = None  # as if it were not installed\n"
        "import warmcos\n"
        "s = warmcos.Schedule(0.1, 100)\n"
        "print(s._repr_png_(), repr(s))\n"
        "try:\n"
        "    s.plot()\n"
        "except ModuleNotFoundError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        (
            "None Schedule(peak_lr=0.1, total_steps=100, warmup_steps=0, warmup_start_lr=0.0, "
            "final_lr=0.0, after='hold')"
        ),
        "warmcos.plot needs matplotlib, part of the 'plot' extra: pip install 'warmcos[plot]'",
    ]


def test_many_restarts_draw_no_line_per_boundary() -> None:
    # Past MAX_DECORATIONS boundaries in view, lines would grey the picture (one artist each).
    s = Schedule(1.0, 100_000, cycles=500, cycle_warmup_steps=10)
    ax = warmcos.plot(s, samples=200)
    assert len(ax.lines) <= 3  # the curve and its two marks
    assert len(ax.patches) <= 2  # the first cycle's warmup, at most: no span per restart


@settings(max_examples=15)
@given(family(max_total=5_000, max_cycles=4))
def test_every_member_of_the_family_draws(s: Schedule) -> None:
    assert (s._repr_png_() or b"").startswith(PNG)
