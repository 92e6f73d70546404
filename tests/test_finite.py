"""Every rate a schedule implies is finite, or the schedule is refused when it is built (issue 15).

A restart's peak is ``peak_lr * cycle_decay**k`` and a scaled floor ``final_lr *
cycle_decay**(k - cycles + 1)``: both can leave float64 (``inf``, then ``NaN`` where a decay
subtracts two of them) although every parameter is finite. Such a spec is a ``ValueError``
naming the parameters and their values, never an ``OverflowError`` traceback, never a
schedule that returns ``inf``.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warmcos import Schedule
from warmcos.cli import main

MAX = 1.7976931348623157e308


@pytest.mark.parametrize(
    ("kwargs", "pattern", "just_inside"),
    [
        (  # the example: s(50) was inf and s(100) NaN
            {"peak_lr": 1e308, "total_steps": 100, "cycles": 2, "cycle_decay": 2.0},
            (
                r"every restart's peak must be a finite rate: cycle 1's is peak_lr \* "
                r"cycle_decay\*\*1, which is beyond float64; .*received peak_lr=1e\+308, "
                r"cycle_decay=2\.0, cycles=2"
            ),
            {"cycle_decay": 1.79},
        ),
        (  # an OverflowError traceback from 2.0**1999
            {"peak_lr": 1.0, "total_steps": 10**6, "cycles": 2000, "cycle_decay": 2.0},
            r"cycle 1999's is peak_lr \* cycle_decay\*\*1999, cycle_decay\*\*1999 is beyond",
            {"cycles": 1024},  # 2.0**1023: the largest power of two
        ),
        (  # a tiny peak: the product is finite, the coefficient the table keeps is not
            {"peak_lr": 1e-300, "total_steps": 10**6, "cycles": 40, "cycle_decay": 1e10},
            r"cycle 39's is peak_lr \* cycle_decay\*\*39, cycle_decay\*\*39 is beyond float64",
            {"cycles": 31},
        ),
        (  # scaled floors grow backwards from the last cycle
            {
                "peak_lr": 1.0,
                "total_steps": 10**6,
                "final_lr": 1e-300,
                "cycles": 2000,
                "cycle_decay": 0.5,
                "cycle_floor": "scaled",
            },
            (
                r"every restart's scaled floor must be a finite rate: cycle 0's is final_lr \* "
                r"cycle_decay\*\*-1999, cycle_decay\*\*-1999 is beyond float64"
            ),
            {"peak_lr": 1e10, "cycles": 1024},  # 2.0**1023 times 1e-300 is below 1e10
        ),
    ],
)
def test_a_restart_rate_beyond_float64_is_refused_by_name(
    kwargs: dict[str, object], pattern: str, just_inside: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match=pattern):
        Schedule(**kwargs)  # type: ignore[arg-type]
    # the refusal is where float64 ends, not a margin before it
    s = Schedule(**{**kwargs, **just_inside})  # type: ignore[arg-type]
    assert all(math.isfinite(p.lr_begin) and math.isfinite(p.lr_end) for p in s.describe())


def test_the_cli_refuses_it_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["plot", "--no-file", "--peak-lr", "1e308", "--cycles", "2", "--cycle-decay", "2"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "restart's peak must be a finite rate" in err


rates = st.sampled_from([0.0, 5e-324, 1e-300, 1e-3, 1.0, 1e300, MAX])
decays = st.sampled_from([1e-300, 1e-10, 0.5, 0.999, 1.0, 1.001, 2.0, 1e10, 1e300])


@settings(max_examples=300, deadline=None)
@given(
    peak=rates,
    final=rates,
    cycles=st.sampled_from([1, 2, 3, 40, 1100, 2000]),
    decay=decays,
    floor=st.sampled_from(["fixed", "scaled"]),
    start=rates,
    data=st.data(),
)
def test_every_accepted_schedule_has_finite_rates_everywhere(
    *,
    peak: float,
    final: float,
    cycles: int,
    decay: float,
    floor: str,
    start: float,
    data: st.DataObject,
) -> None:
    kw: dict[str, object] = {"final_lr": final, "warmup_start_lr": start, "warmup_steps": 7}
    if cycles > 1:
        kw.update(cycles=cycles, cycle_decay=decay, cycle_floor=floor, cycle_warmup_steps=2)
    try:
        s = Schedule(peak, 10**7, **kw)  # type: ignore[arg-type]
    except ValueError:
        return  # refused with a message (an OverflowError would fail the test)
    table = s.describe()
    assert all(math.isfinite(p.lr_begin) and math.isfinite(p.lr_end) for p in table)
    steps = {0, s.total_steps, *(p.begin for p in table), *(p.end - 1 for p in table)}
    steps.update(data.draw(st.lists(st.integers(0, s.total_steps), max_size=20)))
    assert all(math.isfinite(s(k)) for k in steps)
    for row in s.params().rows:  # the linear forms traced rates are resolved with
        assert all(math.isfinite(c) for c in (*row.low, *row.high)), row
    at = data.draw(st.integers(1, s.total_steps - 1))
    if s(at) >= s.final_lr:  # an edit's target: from the rate at `at` down to final_lr
        assert all(math.isfinite(p.lr_begin) for p in s.cooldown(at, 1000).describe())
