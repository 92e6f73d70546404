"""Terminal habits: colour (``--color``, ``NO_COLOR``, ``TERM=dumb``), a chart that reads on
dark and light terminals, tables that fit the width, the same flags on every command where
they mean the same thing, and no file unless asked.

The last tests read a real screen: ``warmcos`` runs in a tmux pane of 80x24 with
``TERM=xterm-256color`` and the pane is captured (``capture-pane -p``, ``-e`` for the
colours); they are skipped, saying why, where tmux is not installed (``make test`` installs
it where it can, as it does Chromium).
"""

from __future__ import annotations

import io
import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import warmcos
from warmcos.cli import main

SRC = Path(warmcos.__file__).resolve().parents[1]  # the source under test, for subprocesses
FRAME = set("┌┐└┘│┤├┬┴┼─")  # plotext's axes and ticks


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def sgr_cells(text: str) -> list[tuple[str, int | None, int | None]]:
    """Every character with the foreground and background colours it is drawn in.

    The colours are read from the SGR escape sequences as a terminal reads them; None is the
    terminal's own.
    """
    cells: list[tuple[str, int | None, int | None]] = []
    fg: int | None = None
    bg: int | None = None
    for escape, char in re.findall(r"(\x1b\[[0-9;]*m)|(.)", text, flags=re.DOTALL):
        if char:
            cells.append((char, fg, bg))
            continue
        params = [int(p) if p else 0 for p in escape[2:-1].split(";")]
        while params:
            p = params.pop(0)
            if p == 0:
                fg = bg = None
            elif p in {38, 48}:  # 5;N (256 colours) or 2;R;G;B (as 256 + the 24-bit value)
                kind = params.pop(0)
                value = (
                    params.pop(0) if kind == 5 else 256 + int.from_bytes(bytes(params[:3]), "big")
                )
                del params[: 3 if kind == 2 else 0]
                fg, bg = (value, bg) if p == 38 else (fg, value)
            elif p == 39:
                fg = None
            elif p == 49:
                bg = None
            elif 30 <= p <= 37 or 90 <= p <= 97:
                fg = p - 30 if p < 90 else p - 82
            elif 40 <= p <= 47 or 100 <= p <= 107:
                bg = p - 40 if p < 100 else p - 92
    return cells


def check_dark_and_light(text: str) -> None:
    """Colour on the curves and marks only: no background anywhere, the frame uncoloured."""
    cells = sgr_cells(text)
    assert {bg for _, _, bg in cells} == {None}, "a background colour is painted"
    assert {fg for c, fg, _ in cells if c in FRAME} == {None}, "the frame is coloured"
    assert {fg for c, fg, _ in cells if c.strip() and c not in FRAME} - {None}, "no colour at all"


# -- colour ----------------------------------------------------------------------------------


class Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "tty", "env", "expected"),
    [
        ("auto", True, {"TERM": "xterm-256color"}, True),
        ("auto", False, {"TERM": "xterm-256color"}, False),  # a pipe, a file
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": "0"}, False),  # any value but empty
        ("auto", True, {"NO_COLOR": ""}, True),  # set but empty: ignored (no-color.org)
        ("auto", True, {"TERM": "dumb"}, False),
        ("never", True, {}, False),
        ("always", False, {"NO_COLOR": "1", "TERM": "dumb"}, True),  # the flag wins
    ],
)
def test_when_there_is_colour(choice: str, tty: bool, env: dict[str, str], expected: bool) -> None:
    from warmcos._cli.terminal import use_color

    stream = Tty() if tty else io.StringIO()
    assert use_color(choice, stream, env) is expected


def test_color_always_paints_only_curves_and_marks(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["plot", "--stable-steps", "30%"], ["compare", "--final-lr 0.01", "--power 2"]):
        status, out, err = cli(
            capsys, *args, "--width", "80", "--height", "24", "--color", "always"
        )
        assert (status, err) == (0, "")
        check_dark_and_light(out)
        plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert max(len(line) for line in plain.splitlines()) <= 80
    status, out, _ = cli(capsys, "plot", "--width", "80", "--height", "24", "--color", "never")
    assert "\x1b" not in out


def test_the_legend_symbols_have_the_colours_of_the_marks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["--width", "80", "--height", "24", "--color", "always"]
    status, out, _ = cli(capsys, "plot", "--stable-steps", "30%", *args)
    assert status == 0
    lines = out.rstrip("\n").split("\n")
    chart, legend = "\n".join(lines[:-4]), lines[-4:]  # two phase ends, the peak, the end
    drawn = {(c, fg) for c, fg, _ in sgr_cells(chart) if c in "●■┊"}
    keys = {sgr_cells(line)[0][:2] for line in legend}
    assert {c for c, _ in keys} == {"●", "■", "┊"}
    assert None not in {fg for _, fg in keys}
    assert keys <= drawn


def _on_a_pty(args: list[str], env: dict[str, str]) -> bytes:
    """``warmcos args`` with its standard output on a pseudo-terminal: what it wrote."""
    leader, follower = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "COLUMNS", "LINES"}}
    environ.update(PYTHONPATH=str(SRC), **env)
    with subprocess.Popen(
        [sys.executable, "-m", "warmcos", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=environ,
    ) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    os.close(leader)
    return b"".join(chunks)


@pytest.mark.parametrize(
    ("env", "colour"),
    [
        ({"TERM": "xterm-256color"}, True),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False),
        ({"TERM": "dumb"}, False),
    ],
)
def test_no_color_and_term_dumb_on_a_real_terminal(env: dict[str, str], colour: bool) -> None:
    out = _on_a_pty(["plot", "--width", "60", "--height", "16"], env).decode()
    assert ("\x1b[" in out) is colour
    assert "step" in out


# -- tables that fit the width ---------------------------------------------------------------

FAMILY = [
    "total_steps=10000,peak_lr=1e-3,warmup_steps=5%",
    "--decay-shape linear",
    "--decay-shape 1-sqrt --stable-steps 70%",
    "--decay-shape polynomial --power 2",
    "--decay-shape inverse_sqrt --timescale 500",
    "--cycles 3 --cycle-decay 0.6 --warmup-steps 0",
]
WIDTHS = [16, 23, 40, 60, 80, 100, 200]


def _words(text: str) -> Counter[str]:
    return Counter("".join(text.split()))


@pytest.mark.parametrize("width", WIDTHS)
def test_tables_fit_the_width(capsys: pytest.CaptureFixture[str], width: int) -> None:
    commands = [  # and the first header, which a stacked table does without
        (["compare", *FAMILY, "--no-terminal"], "schedule"),
        (["compare", f"total_steps={2**53}", "--cycles 4", "--no-terminal"], "schedule"),
        (
            ["describe", "--total-steps", str(2**53), "--cycles", "3", "--stable-steps", "10%"],
            "phase",
        ),
        (["preset"], ""),
    ]
    for args, first in commands:
        status, out, err = cli(capsys, *args, "--width", str(width))
        assert (status, err) == (0, "")
        too_long = [line for line in out.splitlines() if len(line) > width]
        assert not too_long, (args, too_long)
        status, wide, _ = cli(capsys, *args, "--width", "1000")
        # nothing is lost: the narrow table holds every character of the wide one's cells
        assert not _words(wide) - _words(out) - _words(first), args


def test_tables_fit_the_terminal_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "50")  # what shutil.get_terminal_size reads first
    for args in (["compare", *FAMILY[:3], "--no-terminal"], ["preset"], ["describe"]):
        _, out, _ = cli(capsys, *args)
        assert max(map(len, out.splitlines())) <= 50, args


def test_a_table_too_wide_wraps_its_headers_and_labels(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, "compare", *FAMILY, "--no-terminal", "--width", "80")
    lines = out.splitlines()
    assert lines[0].split() == ["peak", "at", "at"]  # long headers on two lines
    assert lines[1].split() == [
        "schedule",
        "step",
        "peak",
        "final",
        "area",
        "max",
        "|diff|",
        "step",
    ]
    # a label wraps in its column, its next lines indented; the numbers stay on its first line
    assert lines[2].split() == ["total_steps=10000,", "500", "0.001", "0", "5", "(reference)"]
    assert lines[3] == "  peak_lr=1e-3,warmup_s…"
    assert lines[4].split()[:3] == ["--decay-shape", "linear", "500"]
    # with the room, the table as it always was: one line per schedule
    _, out, _ = cli(capsys, "compare", *FAMILY, "--no-terminal", "--width", "120")
    assert out.splitlines()[0].split()[:4] == ["schedule", "peak", "at", "step"]
    assert len(out.splitlines()) == 1 + len(FAMILY)


@given(
    rows=st.lists(
        st.lists(st.text(alphabet="ab.c -_,:1", max_size=30), min_size=3, max_size=3),
        min_size=1,
        max_size=5,
    ),
    head=st.none() | st.just(["a column", "b", "the c column"]),
    width=st.integers(1, 120),
    flexible=st.integers(0, 2),
)
def test_fit_never_exceeds_the_width_and_loses_nothing(
    rows: list[list[str]], head: list[str] | None, width: int, flexible: int
) -> None:
    from warmcos._cli.table import fit

    lines = fit(head, rows, width, right=(False, True), flexible=flexible)
    assert all(len(line) <= width for line in lines)
    cells = _words(" ".join(c for r in rows for c in r))
    assert not cells - _words(" ".join(lines))


# -- the same flags on every command where they mean the same thing -----------------------------


def test_shared_flags_are_accepted_wherever_they_mean_the_same(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from warmcos._cli.flags import GROUPS
    from warmcos._cli.options import OPTION

    shared = {
        "schedule": ["--config", "--preset", *OPTION.values()],
        "window": ["--start", "--until", "--zoom", "--log"],
        "chart": ["--height", "--no-terminal"],
        "terminal": ["--width", "--color"],
        "image": ["--no-file"],
    }
    for command, groups in GROUPS.items():
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        for group, names in shared.items():
            for name in names:
                assert (re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None) == (
                    group in groups
                ), (command, name)


PRESET = "transformers_cosine_with_min_lr:lr=1e-3,num_warmup_steps=500,num_training_steps=10000,min_lr=1e-5"
PRESET_OPTIONS = [
    "--lr",
    "1e-3",
    "--num-warmup-steps",
    "500",
    "--num-training-steps",
    "10000",
    "--min-lr",
    "1e-5",
]


def test_preset_config_and_options_combine_alike_in_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("warmcos.presets")
    # describe --preset and plot --preset: the preset's schedule, options on top
    status, out, err = cli(capsys, "describe", "--preset", PRESET, "--after", "hold")
    assert (status, err) == (0, "")
    assert out.splitlines()[1].split()[:4] == ["warmup", "0", "linear", "0"]
    assert out.splitlines()[-1] == "after step 10,000: holds 1e-05"
    status, out, err = cli(capsys, "plot", "--preset", PRESET, "--width", "60", "--height", "14")
    assert (status, err) == (0, "")
    assert "peak 0.001 at step 500" in out
    # the same as the config file the preset command writes
    assert main(["preset", PRESET.partition(":")[0], *PRESET_OPTIONS, "-o", "p.toml"]) == 0
    capsys.readouterr()
    described = [cli(capsys, "describe", flag, value)[1] for flag, value in
                 (("--preset", PRESET), ("--config", "p.toml"))]  # fmt: skip
    assert described[0] == described[1]
    # one schedule for plot and describe: two starting points are refused, in one line
    for command in ("plot", "describe"):
        status, _, err = cli(capsys, command, "--preset", PRESET, "--config", "p.toml")
        assert status == 2
        assert err.startswith(f"warmcos: error: {command} takes one schedule: one --config or")
        assert "warmcos compare overlays several" in err


def test_compare_accepts_no_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli(capsys, "compare", "--final-lr 0", "--final-lr 0.01", "--no-file",
                           "--no-terminal")  # fmt: skip
    assert (status, err) == (0, "")
    assert "(reference)" in out
    assert list(Path().iterdir()) == []
    status, _, err = cli(capsys, "compare", "--final-lr 0", "--final-lr 0.01", "--no-file",
                         "-o", "x.png")  # fmt: skip
    assert (status, err) == (2, "warmcos: error: --no-file and --output contradict each other\n")


def test_no_command_writes_a_file_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["plot"],
        ["plot", "--log", "--zoom", "warmup"],
        ["compare", "--final-lr 0", "--final-lr 0.01"],
        ["describe"],
        ["preset"],
    ):
        assert cli(capsys, *args)[0] == 0
        assert list(Path().iterdir()) == [], args


# -- a real screen: tmux, 80x24 ----------------------------------------------------------------

needs_tmux = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (apt-get install tmux; `make test` installs it as root)",
)


def _screen(tmp_path: Path, args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """Run ``warmcos args`` in a tmux pane of 80x24; the screen as text, and with escapes."""
    sock = str(tmp_path / "tmux.sock")
    if len(sock) > 100:  # a Unix socket's path is at most 108 bytes
        pytest.skip(f"the temporary directory's path is too long for a tmux socket: {sock}")
    conf = tmp_path / "tmux.conf"
    conf.write_text("set -g status off\n")  # all 24 rows for the pane
    variables = {"TERM": "xterm-256color", "PYTHONPATH": str(SRC), **env}
    command = shlex.join(
        ["env", "-u", "NO_COLOR", "-u", "COLUMNS", "-u", "LINES"]
        + [f"{k}={v}" for k, v in variables.items()]
        + [sys.executable, "-m", "warmcos", *args]
    )
    done = shlex.join(["tmux", "-S", sock, "wait-for", "-S", "done"])
    tmux = ["tmux", "-S", sock, "-f", str(conf)]
    environ = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TERM": "xterm"}
    try:
        subprocess.run(
            [*tmux, "new-session", "-d", "-x", "80", "-y", "24", f"{command}; {done}; sleep 120"],
            check=True,
            env=environ,
            timeout=60,
        )
        subprocess.run([*tmux, "wait-for", "done"], check=True, env=environ, timeout=120)
        text, escaped = (
            subprocess.run(
                [*tmux, "capture-pane", "-p", "-J", *flag],
                check=True,
                env=environ,
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout
            for flag in ([], ["-e"])
        )
    finally:
        subprocess.run(
            [*tmux, "kill-server"], check=False, env=environ, capture_output=True, timeout=60
        )
    return text, escaped


def _fits_80x24(screen: str) -> list[str]:
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) <= 24
    too_long = [line for line in lines if len(line.rstrip()) > 80]  # -J joins wrapped lines
    assert not too_long
    return [line.rstrip() for line in lines]


@needs_tmux
@pytest.mark.parametrize("no_color", [False, True])
def test_plot_on_an_80x24_screen(tmp_path: Path, no_color: bool) -> None:
    env = {"NO_COLOR": "1"} if no_color else {}
    text, escaped = _screen(tmp_path, ["plot"], env)
    lines = _fits_80x24(text)
    # the whole chart is on the screen: its title first, its last label last
    assert lines[0].strip() == "linear warmup 0→0.1 to 1k, cosine decay 0.1→0 to 100k, after: hold"
    assert lines[-1] == "■ final 0 at step 100,000"
    assert any(line.split() == ["0", "20k", "40k", "60k", "80k", "100k"] for line in lines)
    assert any(line.strip() == "step" for line in lines)
    ticks = [line.split("┤")[0].strip() for line in lines if "┤" in line]
    assert ticks[0] == "0.1"
    assert ticks[-1] == "0"
    assert len(lines) == 20  # the terminal's 24 rows, less room for the prompt
    if no_color:
        assert "\x1b[" not in escaped
    else:
        check_dark_and_light(escaped)


@needs_tmux
def test_compare_on_an_80x24_screen(tmp_path: Path) -> None:
    text, escaped = _screen(tmp_path, ["compare", *FAMILY], {})
    lines = _fits_80x24(text)
    assert lines[0].startswith("     ┌")  # the chart's top: nothing scrolled off
    assert lines[-2].startswith("--cycles 3 --cycle-decay")  # and the table's last row, whole
    assert lines[-1] == "  0.6 --warmup-s…"
    assert any(line.strip() == "step" for line in lines)
    check_dark_and_light(escaped)
