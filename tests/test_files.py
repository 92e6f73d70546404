"""Files the command writes and reads: ``-o`` never harms what it names; configs read as written.

Every special file here (a character device with ``/dev/null``'s numbers, a FIFO, symbolic
links, a block device node, a socket) is made inside ``tmp_path``: the real ``/dev`` is never
touched. Device nodes need root; those tests skip otherwise.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warmcos import Schedule
from warmcos.cli import main

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = os.name == "posix" and os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="making device nodes needs root")
posix = pytest.mark.skipif(os.name != "posix", reason="FIFOs and device nodes are POSIX")

CSV = ["plot", "--csv", "--total-steps", "10", "--warmup-steps", "2"]
EXPECTED_CSV = "".join(
    ["step,lr\n"]
    + [f"{s},{Schedule(0.1, 10, warmup_steps=2)(s)!r}\n" for s in range(11)]  # 0.1: the default
)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def one_line_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    status, out, err = cli(capsys, *args)
    assert status == 2, (out, err)
    assert err.startswith("warmcos: error: ")
    assert err.count("\n") == 1, err
    return err


# -- -o: what it names stays what it was ------------------------------------------------------


def _null_device(path: Path) -> None:
    """A character device node with /dev/null's numbers (1, 3), inside the test's directory."""
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))


@needs_root
@pytest.mark.parametrize(
    "args",
    [
        [*CSV, "-o", "null"],
        ["plot", "--json", "--total-steps", "10", "-o", "null"],
        ["plot", "--no-terminal", "-o", "null.png"],
        ["plot", "--no-terminal", "-o", "null.svg"],
        ["plot", "--no-terminal", "-o", "null.pdf"],
        ["compare", "--no-terminal", "--final-lr 0", "--final-lr 0.01", "-o", "null.png"],
        [
            "preset",
            "tpu_reference",
            *("--init-learning-rate", "1", "--warmup-learning-rate", "0"),
            *("--warmup-steps", "2", "--total-steps", "9", "-o", "null.toml"),
        ],
    ],
)
def test_a_device_node_is_written_through_never_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    name = args[-1]
    if args[0] == "preset":
        pytest.importorskip("warmcos.presets")
    _null_device(tmp_path / name)
    status, out, err = cli(capsys, *args)
    assert (status, err) == (0, ""), err
    assert out.endswith((f"wrote {name}\n", f"wrote {name} (toml)\n"))
    st = os.lstat(tmp_path / name)
    assert stat.S_ISCHR(st.st_mode)
    assert st.st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary left behind


@contextlib.contextmanager
def fifo_reader(path: Path) -> Iterator[Callable[[], bytes]]:
    """A thread reading everything written to the FIFO ``path``; yields a getter of the bytes."""
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as f:  # blocks until a writer opens it
            got.append(f.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()

    def result() -> bytes:
        thread.join(timeout=60)
        assert not thread.is_alive(), "the FIFO was never written"
        return got[0]

    try:
        yield result
    finally:
        if thread.is_alive():  # nobody opened it for writing: release the reader
            with contextlib.suppress(OSError):
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            thread.join(timeout=60)


@posix
@pytest.mark.parametrize(
    ("args", "magic"),
    [
        ([*CSV, "-o", "pipe"], EXPECTED_CSV.encode()),
        (["plot", "--no-terminal", "-o", "pipe.png"], b"\x89PNG\r\n\x1a\n"),
        (["plot", "--no-terminal", "-o", "pipe.svg"], b"<?xml"),
        (["plot", "--no-terminal", "-o", "pipe.pdf"], b"%PDF-"),
    ],
)
def test_a_fifo_is_written_through(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], magic: bytes
) -> None:
    fifo = tmp_path / args[-1]
    os.mkfifo(fifo)
    with fifo_reader(fifo) as received:
        status, out, err = cli(capsys, *args)
        data = received()
    assert (status, err, out.splitlines()[-1]) == (0, "", f"wrote {args[-1]}")
    assert data.startswith(magic)
    if args[-1] == "pipe":
        assert data == magic  # the whole CSV
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [fifo.name]


@posix
@pytest.mark.parametrize("relative", [True, False])
def test_a_symlink_stays_a_link_and_its_target_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, relative: bool
) -> None:
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "real.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(Path("data/real.csv") if relative else target)
    status, out, err = cli(capsys, *CSV, "-o", "link.csv")
    assert (status, out, err) == (0, "wrote link.csv\n", "")
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("data/real.csv") if relative else target)
    assert target.read_text() == EXPECTED_CSV
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the replaced file keeps its mode
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["real.csv"]


@posix
def test_a_link_to_a_link_writes_the_last_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "real.png").write_bytes(b"old")
    (tmp_path / "middle.png").symlink_to("real.png")
    (tmp_path / "first.png").symlink_to("middle.png")
    status, _, err = cli(capsys, "plot", "--no-terminal", "-o", "first.png")
    assert (status, err) == (0, "")
    assert (tmp_path / "first.png").is_symlink()
    assert (tmp_path / "middle.png").is_symlink()
    assert (tmp_path / "real.png").read_bytes().startswith(b"\x89PNG")


@posix
def test_a_dangling_symlink_creates_its_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    link = tmp_path / "lr.csv"
    link.symlink_to("out/made.csv")
    status, _, err = cli(capsys, *CSV, "-o", "lr.csv")
    assert (status, err) == (0, "")
    assert link.is_symlink()
    assert (tmp_path / "out" / "made.csv").read_text() == EXPECTED_CSV


@posix
def test_a_dangling_symlink_into_a_missing_directory_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "lr.csv").symlink_to("nowhere/made.csv")
    err = one_line_error(capsys, *CSV, "-o", "lr.csv")
    assert "--output directory does not exist" in err
    assert "nowhere" in err
    assert (tmp_path / "lr.csv").is_symlink()


@pytest.mark.parametrize("link", [False, True])
@pytest.mark.parametrize(
    "args",
    [
        [*CSV, "-o", "d.csv"],
        ["plot", "--no-terminal", "-o", "d.png"],
        ["compare", "final_lr=0", "final_lr=0.01", "-o", "d.svg"],
        ["preset", "x", "-o", "d.toml"],
    ],
)
def test_a_directory_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], link: bool
) -> None:
    directory = tmp_path / args[-1]
    directory.mkdir()
    name = directory.name
    if link:
        if os.name != "posix":
            pytest.skip("symbolic links")
        name = "link" + directory.suffix
        (tmp_path / name).symlink_to(directory.name)
    err = one_line_error(capsys, *args[:-1], name)
    assert f"--output is a directory: {name!r}" in err
    assert directory.is_dir()
    assert list(directory.iterdir()) == []


@needs_root
def test_a_block_device_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # numbers from the range reserved for local use: nothing is behind them, and it is never
    # opened anyway
    os.mknod(tmp_path / "disk", stat.S_IFBLK | 0o600, os.makedev(240, 0))
    err = one_line_error(capsys, *CSV, "-o", "disk")
    assert "'disk' is a block device" in err
    assert stat.S_ISBLK(os.lstat(tmp_path / "disk").st_mode)


@posix
def test_a_socket_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as s:
        try:
            s.bind("sock")  # relative: the cwd is tmp_path, and the path stays short
        except OSError:
            pytest.skip("cannot bind a Unix socket here")
        err = one_line_error(capsys, *CSV, "-o", "sock")
    assert "'sock' is a socket" in err
    assert stat.S_ISSOCK(os.lstat(tmp_path / "sock").st_mode)


@posix
def test_a_symlink_loop_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.csv").symlink_to("b.csv")
    (tmp_path / "b.csv").symlink_to("a.csv")
    err = one_line_error(capsys, *CSV, "-o", "a.csv")
    assert "--output 'a.csv'" in err
    assert (tmp_path / "a.csv").is_symlink()


def test_a_regular_file_is_replaced_whole_keeping_its_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "lr.csv"
    out.write_text("old\n")
    out.chmod(0o600)
    status, _, _ = cli(capsys, *CSV, "-o", "lr.csv")
    assert status == 0
    assert out.read_text() == EXPECTED_CSV
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["lr.csv"]


def test_a_file_that_changes_kind_before_it_is_written_is_not_replaced(tmp_path: Path) -> None:
    from warmcos._cli.files import check_output, open_output
    from warmcos._cli.options import UsageError

    dest = check_output("lr.csv", (), "rows")
    assert dest.how == "replace"
    if os.name != "posix":
        pytest.skip("FIFOs")
    os.mkfifo("lr.csv")  # made after the check, before the write
    with pytest.raises(UsageError, match="no longer a regular file"), open_output(dest) as f:
        f.write("x")
    assert stat.S_ISFIFO(os.lstat("lr.csv").st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["lr.csv"]


@pytest.mark.skipif(not Path("/proc/self/fd/1").exists(), reason="needs /proc/self/fd")
@pytest.mark.parametrize("mode", ["w", "a"])
def test_output_naming_standard_output_writes_into_it(tmp_path: Path, mode: str) -> None:
    """``-o /dev/stdout`` (here a link in tmp_path to ``/proc/self/fd/1``) with stdout a file.

    The rows go into standard output at its position (``>>`` appends), the file is not
    replaced under the shell, and no ``wrote`` line is mixed into the data.
    """
    (tmp_path / "stdout.csv").symlink_to("/proc/self/fd/1")
    captured = tmp_path / "captured.txt"
    captured.write_text("first line\n")
    with open(captured, mode) as stdout:
        done = subprocess.run(
            [sys.executable, "-m", "warmcos", *CSV, "-o", "stdout.csv"],
            cwd=tmp_path,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    assert (done.returncode, done.stderr) == (0, "")
    assert captured.read_text() == ("first line\n" if mode == "a" else "") + EXPECTED_CSV


@pytest.mark.parametrize("name", [".png", ".PNG", "out/.svg", ".csv", ".toml"])
def test_a_suffix_alone_is_not_a_file_name(capsys: pytest.CaptureFixture[str], name: str) -> None:
    Path("out").mkdir()
    command = {".csv": [*CSV, "-o"], ".toml": ["preset", "x", "-o"]}.get(name, ["plot", "-o"])
    err = one_line_error(capsys, *command, name)
    assert "--output needs a file name before its suffix" in err
    assert f"received --output {name!r}" in err
    assert sorted(p.name for p in Path().iterdir()) == ["out"]


def test_an_empty_output_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, *CSV, "-o", "")
    assert "--output must name a file" in err


# -- config files: read as written --------------------------------------------------------------

BASE = {"version": 2, "peak_lr": 0.5, "total_steps": 100_000}
BASE_TEXT = {
    ".json": '{"version": 2, "peak_lr": 0.5, "total_steps": 100000}',
    ".toml": "version = 2\npeak_lr = 0.5\ntotal_steps = 100000\n",
    ".yaml": "version: 2\npeak_lr: 0.5\ntotal_steps: 100000\n",
}


def yaml_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "steps"),
    [
        ("010", 10),  # YAML 1.2 (and a person): ten, not YAML 1.1's octal eight
        ("0010", 10),
        ("000", 0),
        ("+5", 5),
        ("1_000", 1000),
        ("0o17", 15),
        ("0x1F", 31),
        ("0b101", 5),
        ("'010'", 10),  # a string: the schedule's own reading of text
    ],
)
def test_yaml_integers_are_read_as_written(tmp_path: Path, written: str, steps: int) -> None:
    import warmcos

    path = yaml_file(tmp_path, BASE_TEXT[".yaml"] + f"warmup_steps: {written}\n")
    assert warmcos.load(path).warmup_steps == steps


@pytest.mark.parametrize("written", ["1:30", "1:30:00", "1__000", "1_", "0b102"])
def test_yaml_1_1_only_numbers_are_text_the_schedule_refuses(tmp_path: Path, written: str) -> None:
    import warmcos

    path = yaml_file(tmp_path, BASE_TEXT[".yaml"] + f"warmup_steps: {written}\n")
    with pytest.raises(ValueError, match=rf"received warmup_steps='{written}'"):
        warmcos.load(path)


@pytest.mark.parametrize(("written", "value"), [("1_000.5", 1000.5), ("3e-4", 3e-4), ("+.5", 0.5)])
def test_yaml_floats_are_read_as_written(tmp_path: Path, written: str, value: float) -> None:
    from warmcos.schedule import read_config

    assert read_config(yaml_file(tmp_path, f"peak_lr: {written}\n")) == {"peak_lr": value}


def test_a_base_60_float_is_text(tmp_path: Path) -> None:
    from warmcos.schedule import read_config

    assert read_config(yaml_file(tmp_path, "peak_lr: 1:30.5\n")) == {"peak_lr": "1:30.5"}


def _spellings() -> st.SearchStrategy[tuple[str, int]]:
    """An integer >= 0 and a way of writing it that YAML 1.2, TOML or Python reads as it."""

    @st.composite
    def spelled(draw: st.DrawFn) -> tuple[str, int]:
        n = draw(st.integers(0, 10**30))
        base = draw(st.sampled_from(["", "0x", "0o", "0b"]))
        digits = {"": str, "0x": "{:x}".format, "0o": "{:o}".format, "0b": "{:b}".format}[base](n)
        if base == "":
            digits = "0" * draw(st.integers(0, 3)) + digits  # leading zeros: still decimal
        cuts = draw(st.sets(st.integers(1, max(1, len(digits) - 1)), max_size=4))
        cuts = {c for c in cuts if c < len(digits)}
        text = "".join(
            ("_" if i in cuts else "") + ch for i, ch in enumerate(digits)
        )  # "_" between two digits only
        sign = draw(st.sampled_from(["", "+"])) if base == "" else ""
        return sign + base + text, n

    return spelled()


@given(_spellings())
def test_every_yaml_integer_reads_as_the_number_written(spelling: tuple[str, int]) -> None:
    import yaml

    from warmcos._files import _yaml_loader

    text, n = spelling
    got = yaml.load(f"a: {text}", Loader=_yaml_loader(yaml))["a"]
    assert (type(got), got) == (int, n), text


@pytest.mark.parametrize("suffix", [".json", ".toml", ".yaml"])
def test_a_utf8_byte_order_mark_is_accepted_in_every_format(tmp_path: Path, suffix: str) -> None:
    import warmcos

    path = tmp_path / ("s" + suffix)
    path.write_bytes(b"\xef\xbb\xbf" + BASE_TEXT[suffix].encode())
    assert warmcos.load(path) == Schedule.from_dict(BASE)


def test_a_utf8_byte_order_mark_is_accepted_by_from_json() -> None:
    assert Schedule.from_json("\ufeff" + BASE_TEXT[".json"]) == Schedule.from_dict(BASE)


@pytest.mark.parametrize("suffix", [".json", ".toml", ".yaml"])
def test_utf16_is_named(tmp_path: Path, suffix: str) -> None:
    import warmcos

    path = tmp_path / ("s" + suffix)
    path.write_text(BASE_TEXT[suffix], encoding="utf-16")
    with pytest.raises(ValueError, match=r"is UTF-16 text .*save it as UTF-8"):
        warmcos.load(path)


def test_yaml_merge_keys_merge_and_explicit_keys_win(tmp_path: Path) -> None:
    import warmcos
    from warmcos.schedule import read_config

    path = yaml_file(tmp_path, "<<: {version: 2, peak_lr: 0.1, total_steps: 10}\npeak_lr: 0.5\n")
    assert warmcos.load(path) == Schedule(0.5, 10)
    path = yaml_file(
        tmp_path,
        "base: &base {a: 1, b: 2}\nmore: &more {b: 3, c: 4}\nrun:\n  <<: [*base, *more]\n  c: 5\n",
    )
    assert read_config(path)["run"] == {"a": 1, "b": 2, "c": 5}  # the first merged wins


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<<: {peak_lr: 0.1}\npeak_lr: 0.2\npeak_lr: 0.3\n", "duplicate key 'peak_lr'"),
        ("<<: {peak_lr: 0.1, peak_lr: 0.2}\n", "duplicate key 'peak_lr'"),
        ("<<: {peak_lr: 0.1}\n<<: {total_steps: 10}\n", "duplicate key '<<'"),
        ("<<: 5\n", r"a merge key \(<<\) needs a mapping or a list of mappings"),
        ("<<: [{a: 1}, 2]\n", r"a merge key \(<<\) needs a mapping or a list of mappings"),
        ("a: &a\n  <<: *a\n", "recursive"),
    ],
)
def test_yaml_merge_key_mistakes_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    from warmcos.schedule import read_config

    with pytest.raises(ValueError, match=message) as info:
        read_config(yaml_file(tmp_path, text))
    assert "\n" not in str(info.value)


def test_merge_keys_that_copy_without_end_are_refused(tmp_path: Path) -> None:
    from warmcos.schedule import read_config

    keys = ", ".join(f"k{i}: {i}" for i in range(1000))
    chain = "".join(f"m{i + 1}: &m{i + 1} {{<<: *m{i}}}\n" for i in range(200))
    with pytest.raises(ValueError, match=r"merge keys \(<<\) copy more than \d+ entries"):
        read_config(yaml_file(tmp_path, f"m0: &m0 {{{keys}}}\n{chain}"))


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".toml", "a = " + "[" * 5000 + "]" * 5000),
        (".toml", "a = " + "{b = " * 5000 + "1" + "}" * 5000),
        (".yaml", "a: " + "[" * 5000 + "]" * 5000),
        (".json", "[" * 5000 + "]" * 5000),
    ],
)
def test_deep_nesting_is_one_clear_error(tmp_path: Path, suffix: str, text: str) -> None:
    import warmcos

    path = tmp_path / ("deep" + suffix)
    path.write_text(text)
    with pytest.raises(ValueError, match=r"deep\.\w+': nested too deeply to be a schedule"):
        warmcos.load(path)


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".toml", "a = " + "[" * 5000 + "]" * 5000),
        (".yaml", "a: " + "[" * 5000 + "]" * 5000),
        (".json", "[" * 5000 + "]" * 5000),
        (".json", '{"peak_lr": 0.1, "edits": ' + "[" * 40 + "]" * 40 + "}"),
    ],
)
def test_deep_nesting_is_refused_under_a_high_recursion_limit(
    tmp_path: Path, suffix: str, text: str
) -> None:
    # Some frameworks raise the recursion limit; the parsers then read 5,000 levels, and the
    # refusal must not depend on which modules the process imported before.
    import sys

    import warmcos

    path = tmp_path / ("deep" + suffix)
    path.write_text(text)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200_000)
    try:
        with pytest.raises(ValueError, match=r"deep\.\w+': nested too deeply to be a schedule"):
            warmcos.load(path)
    finally:
        sys.setrecursionlimit(limit)


@pytest.mark.parametrize("suffix", [".json", ".toml", ".yaml", ".yml"])
@pytest.mark.parametrize("text", ["", "\n  \n", "\ufeff"])
def test_an_empty_file_is_said_to_be_empty(tmp_path: Path, suffix: str, text: str) -> None:
    import warmcos

    path = tmp_path / ("e" + suffix)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"schedule file '.*e\{suffix}' is empty"):
        warmcos.load(path)


@pytest.mark.parametrize(
    ("name", "text", "received"),
    [
        ("c.yaml", "# only a comment\n", "nothing (only comments, or null)"),
        ("n.yaml", "~\n", "nothing (only comments, or null)"),
        ("n.json", "null", "null"),
        ("l.yaml", "- 1\n- 2\n", "list [1, 2]"),
        ("l.json", "[1, 2]", "list [1, 2]"),
        ("s.yaml", "peak_lr=0.1\n", "str 'peak_lr=0.1'"),
        ("n.json", "3", "int 3"),
        ("b.yaml", "true\n", "bool True"),
    ],
)
def test_a_file_without_a_mapping_names_what_it_holds(
    tmp_path: Path, name: str, text: str, received: str
) -> None:
    import warmcos

    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ValueError, match="must hold a mapping of parameters") as info:
        warmcos.load(path)
    assert str(info.value).endswith(f"; received {received}")
    assert "NoneType" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "--config: schedule file 'x.yaml' is empty"),
        ("# nothing\n", "received nothing (only comments, or null)"),
        ("version: 2\npeak_lr: 0.1\ntotal_steps: 1000\nwarmup_steps: 1:30\n", "'1:30'"),
    ],
)
def test_config_mistakes_are_one_line_in_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "x.yaml").write_text(text)
    err = one_line_error(capsys, "describe", "--config", "x.yaml")
    assert message in err
