"""warmcos.fit: recorded curves read back into schedules equal at every recorded step."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import warmcos
from warmcos import Composition, Schedule, Segment, _fit

#: The shapes fit solves a run for (the registry's names): what the strategies draw.
SOLVED = tuple(_fit.MODELS)
rates = st.floats(min_value=1e-6, max_value=10.0, allow_nan=False, allow_infinity=False)
#: The exponents people write (a polynomial decay's ``power``).
POWERS = st.sampled_from([0.5, 0.9, 1.5, 2.0, 3.0])


def recorded(schedule: Any, extra: int = 10) -> list[float]:
    return [float(v) for v in schedule.curve(schedule.total_steps + extra)]


def assert_reproduces(found: warmcos.Fit, values: list[float], single: bool = False) -> None:
    steps = range(len(values))
    worst = max(abs(float(found.schedule(s)) - v) for s, v in zip(steps, values, strict=True))
    assert worst == found.max_error
    assert worst <= _fit.tolerance(single) * max(values)


@st.composite
def templates(draw: st.DrawFn) -> Schedule:
    """Template schedules of the solved shapes, each phase long enough to say its shape."""
    peak = draw(rates)
    warmup = draw(st.sampled_from([0, 8, 37, 100]))
    stable = draw(st.sampled_from([0, 10, 55]))
    decay = draw(st.integers(min_value=20, max_value=3000))
    shape = draw(st.sampled_from([s for s in SOLVED if s in warmcos.schedule._math.DECAY_SHAPES]))
    kw: dict[str, Any] = {"decay_shape": shape}
    if shape == "exponential":
        kw["final_lr"] = peak * draw(st.floats(min_value=1e-4, max_value=0.9))
    elif warmcos.schedule._math.SHAPES[shape].open:
        kw["timescale"] = draw(st.integers(min_value=5, max_value=500))
    elif shape != "constant":
        kw["final_lr"] = draw(st.sampled_from([0.0, peak / 10]))
    if shape == "polynomial":
        kw["power"] = draw(POWERS)
    if warmup:
        kw["warmup_shape"] = draw(
            st.sampled_from(["linear", "cosine", "exponential", "polynomial", "log", "1-sqrt"])
        )
        if kw["warmup_shape"] == "polynomial":
            kw["warmup_power"] = draw(POWERS)
        kw["warmup_start_lr"] = peak * draw(st.sampled_from([0.01, 0.1]))
        if kw["warmup_shape"] != "exponential":
            kw["warmup_start_lr"] = draw(st.sampled_from([0.0, kw["warmup_start_lr"]]))
    return Schedule(peak, warmup + stable + decay, warmup_steps=warmup, stable_steps=stable, **kw)


@settings(max_examples=60, deadline=None)
@given(templates())
@example(Schedule(1.0, 76, decay_shape="1-sqrt"))  # its extrapolated end rounds below 0
def test_a_recorded_template_is_fitted_back_equal_at_every_step(schedule: Schedule) -> None:
    values = recorded(schedule)
    found = warmcos.fit(values)
    assert_reproduces(found, values)
    assert found.unexplained == ()


@st.composite
def compositions(draw: st.DrawFn) -> Composition:
    """Compositions of the solved closed shapes, with jumps, repeated or not."""
    n = draw(st.integers(min_value=1, max_value=5))
    segments = []
    value = draw(rates)
    for _ in range(n):
        if draw(st.booleans()):
            value = draw(rates)  # a jump
        shape = draw(
            st.sampled_from(["linear", "cosine", "exponential", "constant", "polynomial", "tanh"])
        )
        end = value if shape == "constant" else draw(rates)
        power = draw(POWERS) if shape == "polynomial" else 1.0
        length = draw(st.integers(min_value=1, max_value=400))
        segments.append(Segment(length, value, end, shape, power))
        value = value if shape == "constant" else end
    return Composition(segments, repeat=draw(st.sampled_from([1, 1, 3])))


@settings(max_examples=60, deadline=None)
@given(compositions())
def test_a_recorded_composition_is_fitted_back_equal_at_every_step(c: Composition) -> None:
    values = recorded(c)
    assert_reproduces(warmcos.fit(values), values)


def test_float32_values_are_fitted_within_float32_rounding() -> None:
    schedule = Schedule(0.1, 100_000, warmup_steps=1000)
    values = schedule.curve(100_050).astype(np.float32)
    found = warmcos.fit(values)
    assert found.unexplained == ()
    assert found.max_error <= _fit.tolerance(True) * 0.1
    assert [(p.shape, p.begin, p.end) for p in found.schedule.describe()] == [
        ("linear", 0, 1000),
        ("cosine", 1000, 100_000),
    ]


def test_pairs_fit_the_logged_steps_only() -> None:
    schedule = Schedule(1.0, 1000, warmup_steps=100, decay_shape="linear")
    pairs = [(s, schedule(s)) for s in range(0, 1200, 20)]
    found = warmcos.fit(pairs)
    assert found.schedule == schedule
    assert warmcos.fit([v for _, v in pairs], steps=[s for s, _ in pairs]).schedule == schedule


def test_a_milestone_staircase_is_a_piecewise_composition() -> None:
    multistep = Composition.piecewise([30, 80], [0.1, 0.01, 0.001])
    found = warmcos.fit(recorded(multistep, 20)).schedule
    assert isinstance(found, Composition)
    assert [(x.length, x.start, x.shape) for x in found.segments] == [
        (30, 0.1, "constant"),
        (50, 0.01, "constant"),
        (1, 0.001, "constant"),
    ]


def test_repeated_cycles_are_folded_into_repeat() -> None:
    cycle = Composition([Segment(20, 0.0, 1.0), Segment(30, 1.0, 0.1, "cosine")], repeat=4)
    found = warmcos.fit(recorded(cycle, 0)[:-1])
    assert isinstance(found.schedule, Composition)
    assert found.schedule.repeat == 4


def test_what_no_shape_explains_is_reported_not_guessed() -> None:
    values = [1.0, 2.0, 7.0, 1.0, 0.5, 9.0, 3.0]
    found = warmcos.fit(values)
    assert found.max_error == 0.0  # the partial fit still reproduces every value
    assert found.unexplained == tuple(range(6))  # the last value alone says nothing wrong
    assert "unexplained steps: 0, 1, 2" in found.report()


def test_the_report_is_the_phase_table() -> None:
    found = warmcos.fit(recorded(Schedule(0.1, 100, warmup_steps=10)))
    text = str(found)
    assert "linear" in text
    assert "cosine 10 .. 100" in " ".join(text.split())
    assert "largest difference: 0" in text


@pytest.mark.parametrize(
    ("values", "kwargs", "error", "words"),
    [
        ([0.1], {}, ValueError, "at least two values"),
        ([], {}, ValueError, "at least two values"),
        ([0.1, math.nan], {}, ValueError, "values[1] must be finite and >= 0"),
        ([0.1, math.inf], {}, ValueError, "values[1] must be finite"),
        ([0.1, -1e-3], {}, ValueError, "values[1] must be finite and >= 0 (to within the"),
        ([0.1, "x"], {}, TypeError, "values[1] must be a number"),
        ([(0, 0.1), (0, 0.2)], {}, ValueError, "increasing; received steps[1]=0 after 0"),
        ([0.1, 0.2], {"steps": [3, 2]}, ValueError, "steps[1]=2 after 3"),
        ([0.1, 0.2], {"steps": [0]}, ValueError, "as long as values"),
        ([0.1, 0.2], {"steps": [0, 1.5]}, TypeError, "steps[1] must be an integer"),
        ([(0, 0.1, 3)], {}, TypeError, "each pair must be (step, lr)"),
        ("0.1", {}, TypeError, "values must be a sequence"),
    ],
)
def test_bad_input_is_one_clear_error(
    values: Any, kwargs: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as caught:
        warmcos.fit(values, **kwargs)
    assert words in str(caught.value)


# -- recorded from the real libraries ---------------------------------------------------------

#: Library presets whose curves are runs of the solved shapes: each is recorded from the
#: library itself (tests/conformance/anchors.py) and fitted back with nothing unexplained.
FITTED_PRESETS = [
    "espnet_noam_lr",
    "keras_exponential_decay",
    "optax_sgdr",
    "optax_warmup_cosine_decay",
    "timm_cosine",
    "torch_cosine_annealing",
    "torch_cosine_warm_restarts",
    "torch_linear_then_cosine",
    "transformers_cosine_with_warmup",
    "transformers_inverse_sqrt",
    "transformers_linear_with_warmup",
]


def _library_curve(name: str, kwargs: dict[str, Any]) -> np.ndarray:
    from conformance.anchors import ANCHORS
    from warmcos import presets

    total = getattr(presets, name)(**kwargs).total_steps
    return ANCHORS[name](min(2 * total, 5000), **kwargs)


def _assert_fits_library(values: np.ndarray) -> warmcos.Fit:
    """The fit equals the values within their rounding wherever it says it explains them."""
    found = warmcos.fit(values)
    limit = _fit.tolerance(values.dtype == np.float32) * float(values.max())
    errors = np.abs(found.schedule.curve(len(values)) - values.astype(np.float64))
    assert set(np.flatnonzero(errors > limit).tolist()) <= set(found.unexplained)
    return found


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", FITTED_PRESETS)
def test_a_library_curve_is_fitted_back_exactly(name: str) -> None:
    from conformance.preset_strategies import DEFAULT_CASES

    values = _library_curve(name, DEFAULT_CASES[name][0])
    found = _assert_fits_library(values)
    assert found.unexplained == ()
    assert found.max_error <= _fit.tolerance(values.dtype == np.float32) * float(values.max())


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", FITTED_PRESETS)
def test_library_curves_over_drawn_arguments_are_reproduced(name: str) -> None:
    from conformance.preset_strategies import STRATEGIES

    @settings(max_examples=5, deadline=None)
    @given(STRATEGIES[name])
    def run(kwargs: dict[str, Any]) -> None:
        _assert_fits_library(_library_curve(name, kwargs))

    run()


@pytest.mark.filterwarnings("ignore")
def test_a_torch_scheduler_is_recorded_on_a_copy() -> None:
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.zeros(1)], lr=0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=30, gamma=0.1)
    found = warmcos.fit(scheduler, 200)
    assert opt.param_groups[0]["lr"] == 0.1
    assert scheduler.last_epoch == 0
    assert isinstance(found.schedule, Composition)
    assert found.schedule.every == 30  # a staircase: the per-epoch clock
    assert [x.shape for x in found.schedule.segments] == ["exponential"]


def test_callables_are_recorded_at_every_step() -> None:
    found = warmcos.fit(lambda s: 0.1 if s < 100 else 0.01, 150)
    assert found.schedule(99) == 0.1
    assert found.schedule(100) == 0.01
    planned = Schedule(1e-3, 1000, warmup_steps=100)
    assert warmcos.fit(planned, 1100).schedule == planned  # vectorised: one call


def test_an_optax_schedule_is_recorded_in_float32() -> None:
    optax = pytest.importorskip("optax")
    found = warmcos.fit(optax.warmup_cosine_decay_schedule(0.0, 1e-3, 100, 1000, 1e-5), 1100)
    assert isinstance(found.schedule, Schedule)
    assert found.schedule.warmup_steps == 100
    assert found.schedule.total_steps == 1000


@pytest.mark.parametrize(
    ("source", "steps", "error", "words"),
    [
        (lambda s: 1.0 / (10 - s), 20, ValueError, "the schedule raised at step 10"),
        (lambda s: "x", 20, ValueError, "the schedule raised at step 0"),
        (lambda s: 0.1, 1, TypeError, "an int >= 2; received steps=1"),
        (lambda s: 0.1, None, TypeError, "an int >= 2; received steps=None"),
        ([0.1, 0.2], 2, TypeError, "an int is the number of steps to record"),
    ],
)
def test_a_bad_recording_is_one_clear_error(
    source: Any, steps: Any, error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as caught:
        warmcos.fit(source, steps)
    assert words in str(caught.value)


def test_a_torch_scheduler_that_raises_is_named() -> None:
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.zeros(1)], lr=0.1)
    plateau = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0 / (5 - s))
    with pytest.raises(ValueError, match="the scheduler raised at step 5: ZeroDivisionError"):
        warmcos.fit(plateau, 10)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("transformers_linear_with_warmup", {"num_warmup_steps": 10, "num_training_steps": 90}),
        ("transformers_cosine_with_warmup", {"num_warmup_steps": 10, "num_training_steps": 90}),
        (
            "transformers_cosine_with_min_lr",
            {"num_warmup_steps": 10, "num_training_steps": 90, "min_lr": 1e-5},
        ),
        (
            "transformers_polynomial_decay_with_warmup",
            {"num_warmup_steps": 10, "num_training_steps": 80, "lr_end": 1e-5, "power": 2.0},
        ),
        ("torch_cosine_warm_restarts", {"T_0": 20, "T_mult": 2, "eta_min": 0.0, "cycles": 3}),
    ],
)
def test_a_matching_preset_is_named_with_its_arguments(name: str, kwargs: dict[str, Any]) -> None:
    from conformance.anchors import ANCHORS

    n = 139 if name == "torch_cosine_warm_restarts" else 90  # to the end of the last cycle
    found = warmcos.fit(ANCHORS[name](n, lr=1e-3, **kwargs))
    assert found.preset == (name, {"lr": 1e-3, **kwargs})
    assert f"preset: {name}(lr=0.001" in found.report()


def test_no_preset_is_named_for_a_curve_none_gives() -> None:
    c = Composition([Segment(10, 0.0, 1.0), Segment(20, 1.0, 0.5, "exponential")])
    assert warmcos.fit(recorded(c)).preset is None


@pytest.mark.slow
def test_a_ten_million_step_array_is_fitted_in_bounded_memory() -> None:
    import tracemalloc

    n = 10_000_000
    planned = Schedule(0.1, n, warmup_steps=n // 100)
    values = planned.curve(n)
    tracemalloc.start()
    try:
        found = warmcos.fit(values)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found.schedule == planned
    assert found.unexplained == ()
    assert found.max_error <= _fit.tolerance(False) * 0.1
    assert peak < values.nbytes  # blocks: never a copy of the curve, nor a list of it


def test_an_array_is_read_in_blocks_and_its_staircase_found() -> None:
    every = 7
    planned = Composition([Segment(400, 0.1, 1e-3, "exponential")], every=every)
    values = planned.curve(3 * _fit.BLOCK + 5)  # several blocks, a partial one last
    found = warmcos.fit(values)
    assert found.unexplained == ()
    assert found.schedule.every == every
    assert found.max_error == float(np.abs(found.schedule.curve(values.size) - values).max())
    broken = values.copy()
    broken[70_000] = np.nan
    with pytest.raises(ValueError, match=r"values\[70000\] must be finite and >= 0"):
        warmcos.fit(broken)


def test_a_value_a_library_rounded_below_zero_is_taken_as_its_rounding() -> None:
    # optax's float32 linear_schedule can end on -2.98e-08 of 1.0: a log of it is fitted
    values = np.array([1.0, 0.5, -2.9802322e-08, 0.0, 0.0], dtype=np.float32)
    found = warmcos.fit(values)
    assert found.max_error <= _fit.tolerance(True)
    assert all(s.start >= 0 and (s.end is None or s.end >= 0) for s in found.schedule.segments)
    with pytest.raises(ValueError, match=r"values\[2\] must be finite and >= 0"):
        warmcos.fit([1.0, 0.5, -1e-4])  # beyond any rounding: not a learning rate


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule(0.1, 700, cycles=3, cycle_mul=2.0),
        Schedule(0.1, 300, warmup_steps=20, cycles=4, final_lr=0.001),
        Schedule(2.0, 450, decay_shape="linear", cycles=3, cycle_decay=0.5, final_lr=0.1),
    ],
)
def test_restarts_come_back_as_the_templates_cycles(schedule: Schedule) -> None:
    values = recorded(schedule)
    found = warmcos.fit(values)
    assert isinstance(found.schedule, Schedule)
    assert found.schedule.cycles == schedule.cycles
    assert found.schedule.cycle_mul == schedule.cycle_mul
    assert found.schedule.cycle_decay == pytest.approx(schedule.cycle_decay, rel=1e-12)
    assert found.unexplained == ()
    assert_reproduces(found, values)
