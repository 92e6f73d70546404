"""Compositions as first-class schedules (issue 17 item 2): files, queries and the CLI.

One dispatcher reads every file and mapping (a ``segments`` key is a composition);
``first_step_below`` and ``area`` agree with the composition's own values; the CLI plots,
compares and describes a composition file. Files are written under ``tmp_path`` only.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import warmcos
from warmcos import Composition, Schedule, Segment
from warmcos._load import from_dict
from warmcos.cli import main

ONE_CYCLE = Composition(
    [Segment("995/4", 0.004, 0.1, "cosine"), Segment("3001/4", 0.1, 4e-7, "cosine")]
)
MULTISTEP = Composition([Segment(5, 0.0, 0.1)]) * Composition.piecewise([30, 80], [1, 0.1, 0.01])
STAIRCASE = Composition([Segment(100, 1.0, 0.01, "exponential")], every=25)
VIT = Composition(
    [Segment(100, 0.0, 1e-3), Segment(900, 1e-3, 0.0, "inverse_sqrt", timescale=100)]
) * Composition([Segment(800, 1.0), Segment(200, 1.0, 0.0)])
CASES = [ONE_CYCLE, MULTISTEP, STAIRCASE, VIT, Composition.piecewise([3], [1.0, 0.5]).clamp(0.7)]


# -- files: one dispatcher -------------------------------------------------------------------


@pytest.mark.parametrize("c", CASES)
@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
def test_warmcos_load_reads_a_composition_in_every_format(
    tmp_path: Path, c: Composition, fmt: str
) -> None:
    text = {"json": c.to_json, "toml": c.to_toml, "yaml": c.to_yaml}[fmt]()
    path = tmp_path / f"c.{fmt}"
    path.write_text(text)
    assert warmcos.load(path) == c
    assert Composition.load(path) == c


def test_template_files_still_load_through_the_same_entry(tmp_path: Path) -> None:
    s = Schedule(0.1, 100, warmup_steps=5, decay_shape="linear")
    (tmp_path / "s.json").write_text(s.to_json())
    assert warmcos.load(tmp_path / "s.json") == s
    assert type(from_dict(s.to_dict())) is Schedule
    assert type(from_dict(ONE_CYCLE.to_dict())) is Composition


def test_the_dispatcher_keeps_each_kind_s_errors() -> None:
    with pytest.raises(ValueError, match="segment 0: length must be > 0"):
        from_dict({"segments": [{"length": 0, "start": 1.0}]})
    with pytest.raises(ValueError, match="total_steps"):
        from_dict({"version": 2, "peak_lr": 0.1})


# -- queries ---------------------------------------------------------------------------------


def _scan(c: Composition, lr: float, start: int) -> int | None:
    return next((s for s in range(start, c.total_steps + 1) if c(s) <= lr), None)


@pytest.mark.parametrize("c", [ONE_CYCLE, MULTISTEP, STAIRCASE])
@given(lr=st.floats(0, 0.2), start=st.integers(0, 120))
@settings(max_examples=60, deadline=None)
def test_first_step_below_agrees_with_a_scan(c: Composition, lr: float, start: int) -> None:
    assert c.first_step_below(lr, start) == _scan(c, lr, start)


@st.composite
def compositions(draw: st.DrawFn) -> Composition:
    """Random segments (monotone shapes, jumps allowed) under a random clock."""
    n = draw(st.integers(1, 4))
    rate = st.floats(0, 1, allow_subnormal=False)
    segments = [
        Segment(
            draw(st.sampled_from([1, 3, 7, "5/2", "13/3", 20])),
            draw(rate),
            draw(rate),
            draw(st.sampled_from(["linear", "cosine", "1-sqrt"])),
        )
        for _ in range(n)
    ]
    return Composition(
        segments,
        every=draw(st.integers(1, 4)),
        offset=draw(st.sampled_from([0, -2, "-3/2"])),
        floor=draw(st.sampled_from([None, 0.3])),
    )


@given(c=compositions(), lr=st.floats(0, 1), start=st.integers(0, 90))
@settings(max_examples=150, deadline=None)
def test_first_step_below_and_area_on_random_compositions(
    c: Composition, lr: float, start: int
) -> None:
    assert c.first_step_below(lr, start) == _scan(c, lr, start)
    assert c.area(start, start + 40) == math.fsum(c(s) for s in range(start, start + 40))


def test_first_step_below_over_a_product_and_a_clamp() -> None:
    assert VIT.first_step_below(5e-4, start=100) == _scan(VIT, 5e-4, 100)
    floored = Composition([Segment(100, 1.0, 0.0, "cosine")]).clamp(0.25)
    assert floored.first_step_below(0.25) == _scan(floored, 0.25, 0)
    assert floored.first_step_below(0.2) is None


def test_a_product_that_rises_and_falls_in_one_span_is_refused() -> None:
    rising = Composition([Segment(100, 0.0, 1.0)])
    falling = Composition([Segment(100, 1.0, 0.0)])
    with pytest.raises(ValueError, match="between steps 0 and 99 one factor"):
        (rising * falling).first_step_below(0.1)
    with pytest.raises(ValueError, match="not monotone"):
        (rising * falling).area()


@pytest.mark.parametrize("c", CASES)
@given(start=st.integers(0, 1100), n=st.integers(0, 300))
@settings(max_examples=40, deadline=None)
def test_area_is_the_exact_sum_of_the_values(c: Composition, start: int, n: int) -> None:
    assert c.area(start, start + n) == math.fsum(c(s) for s in range(start, start + n))


def test_area_default_range_and_a_long_held_end() -> None:
    assert MULTISTEP.area() == math.fsum(MULTISTEP(s) for s in range(MULTISTEP.total_steps))
    n = 10**15
    want = math.fsum(MULTISTEP(s) for s in range(MULTISTEP.total_steps + 1))
    assert MULTISTEP.area(0, n) == pytest.approx(want + 0.001 * (n - 82), rel=1e-15)
    wrap = Composition([Segment(10, 1.0, 0.0)], after="wrap")
    assert wrap.area(0, 35) == math.fsum(wrap(s) for s in range(35))


def test_area_and_first_step_below_check_their_arguments() -> None:
    raising = Composition([Segment(10, 1.0, 0.0)], after="raise")
    with pytest.raises(ValueError, match="because after='raise'"):
        raising.area(0, 20)
    with pytest.raises(ValueError, match="area\\(\\) needs start <= stop"):
        ONE_CYCLE.area(5, 2)
    with pytest.raises(ValueError, match="area\\(\\) start must be an int >= 0"):
        ONE_CYCLE.area(-1)
    with pytest.raises(ValueError, match="lr must be >= 0"):
        ONE_CYCLE.first_step_below(-1.0)
    with pytest.raises(ValueError, match="start must be an int >= 0"):
        ONE_CYCLE.first_step_below(0.1, start=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="changing steps"):
        Composition([Segment(10**9, 1.0, 0.0)]).area()


def test_replan_and_cooldown_say_why_they_are_refused() -> None:
    with pytest.raises(ValueError, match="no one decay to stretch"):
        ONE_CYCLE.replan(10, 2000)
    with pytest.raises(ValueError, match="write the cooldown as its last segment"):
        ONE_CYCLE.cooldown(10, 100)


# -- the CLI ---------------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "oc.toml").write_text(ONE_CYCLE.to_toml())
    (tmp_path / "vit.yaml").write_text(VIT.to_yaml())
    (tmp_path / "ms.json").write_text(MULTISTEP.to_json())
    return tmp_path


def test_describe_prints_the_phase_table(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    out = _cli(capsys, "describe", "--config", "oc.toml", "--width", "100")
    assert "cosine  0 .. 249" in out
    assert "249 .. 999" in out
    assert "after step 999: holds 4e-07" in out
    table = json.loads(_cli(capsys, "describe", "--config", "vit.yaml", "--json"))
    assert [tuple(p.values()) for p in table] == [tuple(p) for p in VIT.describe()]


def test_plot_rows_are_the_composition_s_values(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    out = _cli(capsys, "plot", "--config", "ms.json", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(r["step"]) for r in rows] == list(range(MULTISTEP.total_steps + 1))
    assert [float(r["lr"]) for r in rows] == MULTISTEP.curve().tolist()
    _cli(capsys, "plot", "--config", "vit.yaml", "--no-file")


def test_compare_takes_composition_files_and_templates(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    out = _cli(
        capsys, "compare", "--no-terminal", "total_steps=999,peak_lr=0.1", "oc.toml", "ms.json"
    )
    assert "oc.toml" in out
    assert "ms.json" in out
    _cli(capsys, "compare", "oc.toml", "vit.yaml", "-o", "both.png", "--no-terminal")
    assert (files / "both.png").stat().st_size > 0


def test_the_docs_composition_files_load_and_are_drawn() -> None:
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "docs" / "compositions").glob("*.toml"))
    assert len(files) == 4
    makefile = (root / "Makefile").read_text()
    for path in files:
        assert isinstance(warmcos.load(path), Composition)
        assert path.name in makefile  # make docs-images draws every one


@given(a=compositions(), b=compositions(), lr=st.floats(0, 1), start=st.integers(0, 90))
@settings(max_examples=150, deadline=None)
def test_a_product_answers_exactly_or_says_it_cannot(
    a: Composition, b: Composition, lr: float, start: int
) -> None:
    c = a * b
    try:
        step = c.first_step_below(lr, start)
    except ValueError as error:
        message = str(error)
    else:
        assert step == _scan(c, lr, start)
        assert c.area(start, start + 40) == math.fsum(c(s) for s in range(start, start + 40))
        return
    assert "not monotone" in message
