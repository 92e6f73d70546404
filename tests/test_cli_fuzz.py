"""Every refused command line is one line on stderr and exit status 2: examples, then a fuzz.

The fuzz runs ``warmcos.cli.main`` in-process over command lines with one bad part (a junk,
huge, negative, fractional, NaN or infinite value for an option, a bad SPEC word, a bad
config file, a bad ``-o``) and asserts the clean refusal: one line naming what was wrong, no
traceback, nothing written. It runs in a temporary directory of its own.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warmcos.cli import main

STEPS_OPTIONS = ("--start", "--until")  # plot and compare
ROW_OPTIONS = ("--stop", "--every", "--max-rows")  # plot --csv
SIZES = {"--width": (16, 1000), "--height": (8, 500)}
#: The type names argparse may show ("invalid float value", "invalid choice"): anything else
#: is a function's name leaking out (``invalid parse_steps value``).
ARGPARSE_WORDS = {"float", "choice"}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run ``warmcos argv``; assert a clean refusal and return its one line."""
    before = sorted(os.listdir())
    try:
        status = main(argv)
    except SystemExit as exit_:  # argparse's own exits would be a failure too
        status = exit_.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    assert status == 2, (argv, out[-500:], err)
    assert err.startswith("warmcos: error: "), (argv, err)
    assert err.count("\n") == 1, (argv, err)
    assert err.endswith("\n")
    assert "Traceback" not in err
    assert "ufunc" not in err
    for leaked in re.findall(r"invalid (\S+) value", err):
        assert leaked in ARGPARSE_WORDS, (argv, err)
    assert len(err) < 1000, err  # a long value is shown by its start and size
    assert sorted(os.listdir()) == before, argv  # nothing written
    return err


# -- examples --------------------------------------------------------------------------------


HUGE = ["1e30", str(10**30), str(2**63), "1e999999999", "9" * 5000]
NOT_WHOLE = ["2.5", "1e-3", "nan", "inf", "-inf", "NaN", "x", "", "1,000", "²", "0x10"]


@pytest.mark.parametrize("value", HUGE + NOT_WHOLE)
@pytest.mark.parametrize("option", STEPS_OPTIONS)
def test_a_step_option_names_the_rule_and_the_value(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    err = refused(capsys, ["plot", "--no-file", f"{option}={value}"])
    assert f"{option} must be >= 0 and < 2**63 (a whole number of steps" in err
    shown = value if len(value) < 60 else value[:60] + "…(5,000 characters)"
    assert f"received {option} {shown}" in err or f"received {option} {value!r}" in err


@pytest.mark.parametrize(
    ("option", "value"),
    [(o, v) for o in ROW_OPTIONS for v in ["1e30", str(2**63), "2.5", "x"]]
    + [("--every", "0"), ("--max-rows", "0"), ("--stop", "-1")],
)
def test_a_row_option_names_the_rule_and_the_value(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    err = refused(capsys, ["plot", "--csv", f"{option}={value}"])
    assert f"{option} must be >= " in err
    assert f"received {option} " in err


@pytest.mark.parametrize("value", ["²", "1e30", "1,x", "-1", "1.5", "nan", "1," + "9" * 5000])
def test_steps_lists_name_the_bad_item(capsys: pytest.CaptureFixture[str], value: str) -> None:
    err = refused(capsys, ["plot", "--csv", f"--steps={value}"])
    assert "--steps must be a comma-separated list of steps >= 0 and < 2**63" in err


@pytest.mark.parametrize(("option", "value"), [("--width", "5000"), ("--height", "1e9")])
def test_the_chart_size_is_bounded(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    low, high = SIZES[option]
    err = refused(capsys, ["plot", "--no-file", option, value])
    assert f"{option} must be >= {low} and <= {high}" in err


@pytest.mark.parametrize("value", ["nan", "-1", "x"])
def test_tol_must_be_a_number_at_least_zero(capsys: pytest.CaptureFixture[str], value: str) -> None:
    err = refused(capsys, ["compare", "final_lr=0", "final_lr=0.01", f"--tol={value}"])
    assert "--tol must be a number >= 0" in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--total-steps", "1e30", "received --total-steps 1e30"),  # not 1000000000000000019...
        ("--warmup-steps", "9" * 5000, "received --warmup-steps 999999"),
        ("--cycles", "2.5", "--cycles must be a whole number"),
        ("--steps-per-epoch", "x", "--steps-per-epoch must be a whole number"),
    ],
)
def test_schedule_counts_show_the_value_typed(
    capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    assert message in refused(capsys, ["plot", "--no-file", option, value])


def test_whole_numbers_are_read_as_people_write_them(capsys: pytest.CaptureFixture[str]) -> None:
    def rows(*args: str) -> str:
        assert main(["plot", "--csv", "--total-steps", "2000", *args]) == 0
        return capsys.readouterr().out

    assert rows("--steps", "0,1e3,1_500") == rows("--steps", "0,1000,1500")
    assert rows("--until", "1e3", "--every", "2.5e2") == rows("--until", "1000", "--every", "250")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("--final-lr 0 junk", "inline SPEC '--final-lr 0 junk': 'junk' is neither an option"),
        ("--finel-lr 0", "'--finel-lr' is not a schedule option"),
        ("--finel-lr 0", "did you mean --final-lr?"),
        ("--tol 3", "'--tol' is not a schedule option"),
        ("--final-lr 0 --config s.toml", "'--config' is not a schedule option"),
        ("--final-lr '0", "No closing quotation"),
        ("--final-lr x", "inline SPEC '--final-lr x': argument --final-lr: invalid float value"),
        ("--warmup-steps 5% 10", "'10' is neither an option nor its value"),
        ("final_lr=0,warmupsteps=5", "did you mean 'warmup_steps'?"),
    ],
)
def test_every_word_of_an_inline_spec_is_understood(
    capsys: pytest.CaptureFixture[str], spec: str, message: str
) -> None:
    err = refused(capsys, ["compare", "--no-terminal", "--final-lr 0.01", spec])
    assert message in err


def test_an_inline_spec_still_changes_the_first(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["compare", "--no-terminal", "--final-lr 0.01", "--final-lr=0 --peak-lr 0.2"])
    assert status == 0
    assert "--final-lr=0 --peak-lr 0.2" in capsys.readouterr().out


# -- the fuzz ----------------------------------------------------------------------------------

junk = st.text(max_size=12).map(lambda s: s + "?")  # never a number, a choice or a name
huge = st.integers(2**63, 10**40).map(str) | st.sampled_from(HUGE)
non_finite = st.sampled_from(["nan", "inf", "-inf", "NaN", "Infinity", "1e400", "-1e400"])
fraction = st.floats(0.01, 1e6).filter(lambda x: not x.is_integer()).map(repr)
negative = st.integers(-(10**30), -1).map(str)


def _bad_option() -> st.SearchStrategy[list[str]]:
    """One option with a value it must refuse, as ``--opt=value`` or ``--opt value``."""
    return _options()


def _with_command() -> st.SearchStrategy[tuple[list[str], str]]:
    """A command with one bad option; what the error must name (the option)."""
    extra = {"plot": ["--no-file"], "compare": ["final_lr=0", "final_lr=0.01"], "describe": []}

    def build(command: str, bad: list[str]) -> tuple[list[str], str]:
        option = bad[0].split("=")[0]
        if command == "describe" and option in {"--start", "--until", "--zoom"}:
            command = "plot"  # describe has no view options
        return [command, *bad, *extra[command]], option

    return st.builds(build, st.sampled_from(sorted(extra)), _bad_option())


def _options() -> st.SearchStrategy[list[str]]:
    """One option with a value it must refuse, as ``--opt=value`` or ``--opt value``."""

    def pair(option: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
        return st.tuples(values, st.booleans()).map(
            lambda vb: [f"{option}={vb[0]}"] if vb[1] or vb[0].startswith("-") else [option, vb[0]]
        )

    steps = st.one_of(junk, huge, non_finite, fraction, negative)
    options = [pair(o, steps) for o in STEPS_OPTIONS]
    options += [pair(o, st.one_of(junk, huge, non_finite, fraction)) for o in SIZES]
    options += [
        pair(o, st.one_of(junk, st.integers(-(10**30), low - 1).map(str), huge))
        for o, (low, _) in SIZES.items()
    ]
    reals = st.one_of(junk, st.sampled_from(["nan", "inf", "-inf", "1e400", "-1e400", "-1"]))
    for option in ("--peak-lr", "--final-lr", "--warmup-start-lr"):
        options.append(pair(option, reals))
    for option in ("--power", "--warmup-power", "--cycle-mul", "--cycle-decay"):
        options.append(pair(option, st.one_of(junk, st.sampled_from(["nan", "inf", "-1"]))))
    durations = st.one_of(junk, huge, non_finite, negative, st.sampled_from(["5 %", "2epochs"]))
    for option in ("--total-steps", "--warmup-steps", "--stable-steps"):
        options.append(pair(option, durations))
    options.append(pair("--cycles", st.one_of(junk, huge, fraction, non_finite)))
    for option in ("--after", "--decay-shape", "--warmup-shape", "--zoom"):
        options.append(pair(option, junk))
    return st.one_of(options)


def _bad_rows() -> st.SearchStrategy[tuple[list[str], str]]:
    values = st.one_of(junk, huge, non_finite, fraction, negative)
    options = [
        st.tuples(st.sampled_from(ROW_OPTIONS), values).map(lambda p: [f"{p[0]}={p[1]}"]),
        st.lists(st.one_of(junk, huge, negative), min_size=1, max_size=3).map(
            lambda items: ["--steps=" + ",".join(["0", *items])]
        ),
    ]
    return st.one_of(options).map(lambda bad: (["plot", "--csv", *bad], bad[0].split("=")[0]))


BAD_FILES = {
    "empty.yaml": "",
    "comments.yaml": "# nothing\n",
    "list.json": "[1, 2]",
    "deep.toml": "a = " + "[" * 3000 + "]" * 3000,
    "dup.yaml": "version: 2\npeak_lr: 0.1\npeak_lr: 0.2\ntotal_steps: 10\n",
    "octal.yaml": "version: 2\npeak_lr: 0.1\ntotal_steps: 1:30\n",
    "bad.toml": "version = \n",
    "nonsense.json": '{"version": 2, "peak_lr": "fast", "total_steps": 10}',
}


def _bad_config() -> st.SearchStrategy[tuple[list[str], str]]:
    files = st.sampled_from(sorted(BAD_FILES)) | junk.map(lambda s: s + ".yaml")
    return st.tuples(st.sampled_from(["plot", "describe"]), files).map(
        lambda p: ([p[0], "--config", p[1], *(["--no-file"] if p[0] == "plot" else [])], p[1])
    )


def _bad_spec() -> st.SearchStrategy[tuple[list[str], str]]:
    good = st.sampled_from(
        ["--final-lr 0", "--warmup-steps 10 --decay-shape linear", "--peak-lr=1"]
    )
    inline_junk = st.tuples(good, junk.filter(lambda s: not s.startswith("-"))).map(
        lambda p: f"{p[0]} {p[1]!r}"  # quoted: one word, whatever it holds
    )
    typo = st.sampled_from(["--finel-lr 0", "--warmup 5 --x", "--tol 1", "--config a.toml"])
    pairs = junk.map(lambda s: f"final_lr=0,{s}=1")
    preset = junk.map(lambda s: s.replace(":", "").replace("=", "") + "nope")
    spec = st.one_of(inline_junk, typo, pairs, preset)
    return spec.map(lambda s: (["compare", "--no-terminal", "--final-lr 0.01", s], s.split()[0]))


def _bad_output() -> st.SearchStrategy[tuple[list[str], str]]:
    names = st.sampled_from(["adir", "adir.png", ".png", "missing/x.png", "x.jpg", ""])
    return names.map(lambda name: (["plot", "--no-terminal", "-o", name], "--output"))


@pytest.fixture
def bad_files(tmp_path: Path) -> None:
    for name, text in BAD_FILES.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "adir").mkdir()
    (tmp_path / "adir.png").mkdir()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=st.one_of(_with_command(), _bad_rows(), _bad_config(), _bad_spec(), _bad_output()))
def test_every_refused_command_line_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], bad_files: None, case: tuple[list[str], str]
) -> None:
    argv, named = case
    err = refused(capsys, argv)
    # the option, file, SPEC word or --output at fault (shown as repr() shows it, if quoted)
    assert named in err or repr(named)[1:-1] in err, (argv, err)


# -- composition files -----------------------------------------------------------------------

GOOD_SEGMENTS = [
    {"length": 10, "start": 0.0, "end": 0.1},
    {"length": "45/2", "start": 0.1, "end": 0.001, "shape": "cosine"},
]

#: One bad part of a composition's mapping: (where it goes, the value).
BAD_PARTS = st.one_of(
    st.tuples(
        st.sampled_from(["length", "start", "end", "shape", "power", "timescale", "nope"]),
        st.one_of(
            junk,
            st.sampled_from([0, -1, "1/0", "0/5", -0.5, 1e400, -1e400, [1], {}, True, None]),
        ),
    ).map(lambda kv: ("segment", kv)),
    st.tuples(
        st.sampled_from(["every", "offset", "scale", "repeat", "floor", "after", "factors", "x"]),
        st.one_of(junk, st.sampled_from([0, -1, "1/0", 1e400, -1e400, [1], [[]], {}, True])),
    ).map(lambda kv: ("top", kv)),
    st.sampled_from(
        [
            ("top", ("segments", [])),
            ("top", ("segments", "abc")),
            ("top", ("segments", [[1, 2]])),
            ("top", ("version", 1)),
            ("top", ("offset", -1000)),  # ends before step 1
            ("top", ("segments", [{"length": "1/9223372036854775807", "start": 1.0}] * 2)),
            ("nest", 20),
        ]
    ),
)


def _composition(part: tuple[str, Any]) -> dict[str, Any]:
    where, change = part
    data: dict[str, Any] = {"version": 2, "segments": [dict(s) for s in GOOD_SEGMENTS]}
    if where == "segment":
        key, value = change
        data["segments"][1][key] = value
    elif where == "top":
        key, value = change
        data[key] = value
    else:  # products nested past the limit
        for _ in range(change):
            data = {"segments": [{"length": 5, "start": 1.0}], "factors": [data]}
    return data


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    part=BAD_PARTS,
    command=st.sampled_from(
        [
            ["plot", "--no-file"],
            ["describe"],
            ["describe", "--json"],
            ["plot", "--csv"],
            ["compare", "--no-terminal", "final_lr=0"],
        ]
    ),
)
def test_every_bad_composition_file_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], part: tuple[str, Any], command: list[str]
) -> None:
    import json

    from warmcos import Composition

    data = _composition(part)
    try:
        Composition.from_dict(data)
    except (ValueError, TypeError):
        pass
    else:  # the part was harmless (an offset inside the run, a floor of 0...)
        return
    path = Path("bad-composition.json")
    path.write_text(json.dumps(data))
    where = ["--config", path.name] if command[0] != "compare" else [path.name]
    err = refused(capsys, [*command, *where])
    assert path.name in err, err


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("c.toml", "segments = [{ length = 0, start = 0.1 }]\n"),
        ("c.yaml", "segments:\n  - {length: 10, start: 0.1, shape: cosin}\n"),
        ("c.yml", "segments:\n  - {length: 10, start: -1}\nevery: 0\n"),
        ("c.json", '{"segments": [{"length": 10, "start": 0.1}], "floor": "low"}'),
    ],
)
def test_a_bad_composition_file_in_every_format_names_the_segment(
    capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    Path(name).write_text(text)
    err = refused(capsys, ["describe", "--config", name])
    assert err.startswith(f"warmcos: error: {name}: "), err


def test_schedule_options_do_not_apply_to_a_composition(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("c.json").write_text('{"segments": [{"length": 10, "start": 0.1}]}')
    err = refused(capsys, ["describe", "--config", "c.json", "--peak-lr", "1"])
    assert "--peak-lr: schedule options do not apply to a composition (c.json)" in err
    err = refused(capsys, ["compare", "--no-terminal", "c.json", "final_lr=0"])
    assert "--final-lr" in err
