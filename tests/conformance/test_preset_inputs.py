"""What the presets accept: what their library takes, with its meaning, or a clear refusal.

Each parameter of each preset declares its kind once (its annotation: ``Steps``, ``Rate``,
...), and one validator checks every argument against it before the preset does any work.
These tests read the declarations from the registry, so a preset added later is covered:

* the refusals: fractional step counts (``0.05`` is a twentieth of a step to the library, not
  a fraction of training), NaN and infinities, strings, ``None``, bools and negatives are
  each a ``ValueError``/``TypeError`` naming the library's parameter, the rule and the value;
* a Hypothesis fuzz over every preset with extreme values in several parameters at once;
* the examples of issue 15, one by one;
* and, where the library accepts a value the preset now takes (a whole float count, a
  fractional ``decay_steps`` that the library uses as a real number, optax's documented
  ``transition_steps <= 0``), conformance with the real library at every step.
"""

from __future__ import annotations

import inspect
import math
import types
import typing
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.preset_strategies import DEFAULT_CASES, STRATEGIES
from conformance.test_presets import NOT_EXPRESSIBLE, check
from warmcos import Schedule, presets
from warmcos.presets import PRESETS, Count, Flag, Real

NAMES = list(PRESETS)


def kinds(name: str) -> dict[str, tuple[Any, bool]]:
    """Each checked parameter of preset ``name``: its kind object and whether None is allowed."""
    preset = PRESETS[name]
    hints = typing.get_type_hints(preset.spec, include_extras=True)
    out = {}
    for parameter in inspect.signature(preset.spec).parameters:
        if parameter in preset.unsupported:
            continue
        hint, optional = hints[parameter], False
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            (hint,) = (a for a in typing.get_args(hint) if a is not type(None))
            optional = True
        kind = typing.get_args(hint)[1] if typing.get_origin(hint) is typing.Annotated else hint
        out[parameter] = (kind, optional)
    return out


def base(name: str) -> dict[str, Any]:
    return dict(DEFAULT_CASES[name][0])


def value_of(name: str, parameter: str) -> Any:
    """The parameter's value in the default case, or its default."""
    default = inspect.signature(PRESETS[name].spec).parameters[parameter].default
    return base(name).get(parameter, default)


def params(*types_: type) -> list[Any]:
    return [
        pytest.param(name, p, kind, id=f"{name}-{p}")
        for name in NAMES
        for p, (kind, _) in kinds(name).items()
        if isinstance(kind, types_)
    ]


COUNTS, REALS, NUMBERS = params(Count), params(Real), params(Count, Real)


def call(name: str, **changes: Any) -> Schedule:
    schedule: Schedule = getattr(presets, name)(**{**base(name), **changes})
    return schedule


def refused(name: str, parameter: str, value: Any, error: type[Exception], rule: str) -> str:
    """The message of ``error`` for ``parameter=value``: the preset, the parameter, the rule."""
    with pytest.raises(error) as info:
        call(name, **{parameter: value})
    message = str(info.value)
    assert message.startswith(f"{name}: {parameter}"), message
    assert rule in message, message
    assert "Schedule arguments" not in message  # refused by the preset, in the library's terms
    return message


# -- each kind of bad input, for every parameter that can receive it --------------------------


@pytest.mark.parametrize(("name", "parameter", "kind"), COUNTS)
@pytest.mark.parametrize("fraction", [0.05, 2.5, np.float32(0.05)])
def test_a_fractional_step_count_is_refused_not_read_as_a_fraction_of_training(
    name: str, parameter: str, kind: Count, fraction: float
) -> None:
    if kind.floats:
        message = refused(name, parameter, fraction, ValueError, "must be a whole number")
        if kind.what == "steps":
            assert "not of training" in message
    else:
        refused(name, parameter, fraction, TypeError, "the library refuses floats")


@pytest.mark.parametrize(("name", "parameter", "kind"), COUNTS)
def test_a_whole_float_count_is_that_int_where_the_library_takes_floats(
    name: str, parameter: str, kind: Count
) -> None:
    whole = value_of(name, parameter)
    if name in NOT_EXPRESSIBLE:
        pytest.skip(f"{name} raises whatever its arguments (not expressible yet)")
    if not isinstance(whole, int):
        pytest.skip(f"{parameter} has no int value in the default case")
    if kind.floats:
        assert call(name, **{parameter: float(whole)}) == call(name, **{parameter: whole})
        assert call(name, **{parameter: np.int64(whole)}) == call(name, **{parameter: whole})
    else:  # torch's T_0 and T_mult, DeepSpeed's warmup_num_steps: the library raises
        refused(name, parameter, float(whole), TypeError, "the library refuses floats")


@pytest.mark.parametrize(("name", "parameter", "kind"), NUMBERS)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400])
def test_nan_and_infinities_are_refused_naming_the_parameter(
    name: str, parameter: str, kind: Any, value: Any
) -> None:
    if value == 10**400 and isinstance(kind, Count):  # a finite int, beyond 64-bit steps
        refused(name, parameter, value, ValueError, f"{parameter} must be <=")
    elif isinstance(kind, Count) and not kind.floats:
        refused(name, parameter, value, TypeError, "the library refuses floats")
    else:
        refused(name, parameter, value, ValueError, f"{parameter} must be finite; received")


@pytest.mark.parametrize(("name", "parameter", "kind"), NUMBERS)
@pytest.mark.parametrize("value", ["10", True, False, None, [1], 1j])
def test_strings_bools_and_none_are_type_errors_naming_the_parameter(
    name: str, parameter: str, kind: Any, value: Any
) -> None:
    if value is None and kinds(name)[parameter][1]:
        pytest.skip(f"{parameter}=None is the library's 'not given'")
    rule = "must be an int" if isinstance(kind, Count) else "must be a real number"
    message = refused(name, parameter, value, TypeError, rule)
    assert f"of type {type(value).__name__}" in message


@pytest.mark.parametrize(("name", "parameter"), [p.values[:2] for p in params(Flag)])
@pytest.mark.parametrize("value", [1, 0, "True", None])
def test_a_switch_takes_only_true_or_false(name: str, parameter: str, value: Any) -> None:
    refused(name, parameter, value, TypeError, "must be True or False")


@pytest.mark.parametrize(("name", "parameter", "kind"), NUMBERS)
def test_a_negative_value_is_refused_naming_the_rule(name: str, parameter: str, kind: Any) -> None:
    low = kind.minimum if isinstance(kind, Count) else kind.low
    if low < -1:
        pytest.skip(f"{parameter} takes negative values (the library's documented meaning)")
    refused(name, parameter, -1, ValueError, f"{parameter} must be ")


def test_every_parameter_declares_its_kind() -> None:
    for name in NAMES:
        checked = set(kinds(name)) | set(PRESETS[name].unsupported)
        assert checked == set(inspect.signature(PRESETS[name].spec).parameters)
        for parameter, (kind, _) in kinds(name).items():
            assert kind is not Any, (name, parameter)


# -- the restart presets check their cycles before any work ------------------------------------

RESTARTS = [
    ("keras_cosine_decay_restarts", "cycles"),
    ("torch_cosine_warm_restarts", "cycles"),
    ("timm_cosine", "cycle_limit"),
    ("transformers_cosine_with_hard_restarts", "num_cycles"),
]


@pytest.fixture
def spec_calls() -> Iterator[list[str]]:
    """Replace every preset's spec function by a spy that records the presets it ran for."""
    calls: list[str] = []
    originals = {name: preset.spec for name, preset in PRESETS.items()}

    def spy(name: str) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return originals[name](*args, **kwargs)

        return run

    for name, preset in PRESETS.items():
        object.__setattr__(preset, "spec", spy(name))  # Preset is frozen; restored below
    yield calls
    for name, spec in originals.items():
        object.__setattr__(PRESETS[name], "spec", spec)


@pytest.mark.parametrize(("name", "parameter"), RESTARTS)
@pytest.mark.parametrize("cycles", [10**30, 10**6, 10_001, 0, 2.5])
def test_the_restart_presets_refuse_absurd_cycles_before_building_anything(
    name: str, parameter: str, cycles: Any, spec_calls: list[str]
) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: {parameter} must be"):
        call(name, **{parameter: cycles})
    assert spec_calls == []  # refused by the declaration, before the preset's body ran


@pytest.mark.parametrize(
    ("name", "changes", "message"),
    [
        # lengths that double reach 2**63 within 64 cycles: refused there, not after 10,000
        (
            "keras_cosine_decay_restarts",
            {"t_mul": 2.0, "cycles": 10_000},
            "must add up to at most 2\\*\\*63 - 1 steps",
        ),
        ("torch_cosine_warm_restarts", {"T_mult": 3, "cycles": 10_000}, "64-bit integers"),
        # a multiplier with a denominator needs it to divide first_decay_steps each cycle
        ("keras_cosine_decay_restarts", {"t_mul": 1.0001, "cycles": 10_000}, "cycle 1's length"),
        ("timm_cosine", {"cycle_mul": 1.5, "cycle_limit": 10_000}, "cycle 2's length"),
        ("timm_cosine", {"cycle_decay": 1e300, "cycle_limit": 3}, "must be finite"),
        ("keras_cosine_decay_restarts", {"m_mul": 1e300, "cycles": 3}, "must be finite"),
    ],
)
def test_restart_lengths_and_peaks_out_of_range_are_refused_naming_them(
    name: str, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message) as info:
        call(name, **changes)
    assert str(info.value).startswith(f"{name}: ")
    assert all(p in str(info.value) for p in changes)


def test_optax_sgdr_refuses_too_many_cycles_before_reading_them(spec_calls: list[str]) -> None:
    cycle = DEFAULT_CASES["optax_sgdr"][0]["cosine_kwargs"][0]
    with pytest.raises(ValueError, match=r"cosine_kwargs must hold 1 to 10000 cycles"):
        presets.optax_sgdr([cycle] * 10_001)
    assert spec_calls == []
    with pytest.raises(ValueError, match=r"cosine_kwargs\[1\]\['warmup_steps'\] must be finite"):
        presets.optax_sgdr([cycle, {**cycle, "warmup_steps": math.nan}])
    with pytest.raises(TypeError, match=r"cosine_kwargs\[0\] has unknown keys 'alpha'"):
        presets.optax_sgdr([{**cycle, "alpha": 0.1}])
    with pytest.raises(TypeError, match=r"cosine_kwargs\[0\] is missing 'decay_steps'"):
        presets.optax_sgdr([{k: v for k, v in cycle.items() if k != "decay_steps"}])
    with pytest.raises(TypeError, match=r"cosine_kwargs must be a list of cycles"):
        presets.optax_sgdr(cycle)


# -- the examples of issue 15 -----------------------------------------------------------------


def test_a_fractional_warmup_is_not_a_fraction_of_training() -> None:
    # transformers compares steps with 0.05: its warmup ends after a twentieth of a step
    with pytest.raises(ValueError, match=r"num_warmup_steps must be a whole number of steps"):
        presets.transformers_cosine_with_warmup(
            lr=1.0, num_warmup_steps=0.05, num_training_steps=1000
        )
    with pytest.raises(ValueError, match=r"warmup_steps must be a whole number of steps"):
        presets.optax_warmup_cosine_decay(0.0, 1.0, warmup_steps=0.05, decay_steps=1000)


@pytest.mark.parametrize("name", ["deepspeed_warmup_cosine", "deepspeed_warmup_decay"])
@pytest.mark.parametrize("value", [math.nan, math.inf, 2.0, 0, True])
def test_deepspeed_warmup_num_steps_is_an_int_as_deepspeed_requires(name: str, value: Any) -> None:
    error = ValueError if value == 0 else TypeError
    with pytest.raises(error, match=rf"^{name}: warmup_num_steps must be"):
        call(name, warmup_num_steps=value)


def test_float_counts_are_taken_where_the_library_takes_them() -> None:
    assert presets.timm_cosine(lr=1.0, t_initial=1e3) == presets.timm_cosine(lr=1.0, t_initial=1000)
    with pytest.raises(ValueError, match=r"^timm_cosine: t_initial must be finite"):
        presets.timm_cosine(lr=1.0, t_initial=math.inf)
    with pytest.raises(ValueError, match=r"t_initial must be a whole number of steps"):
        presets.timm_cosine(lr=1.0, t_initial=10.5)


@pytest.mark.parametrize(
    ("name", "changes", "pattern"),
    [
        # zero where the library divides (a ZeroDivisionError there, or before here)
        ("torch_cosine_annealing", {"T_max": 0}, r"T_max must be >= 1"),
        ("torch_linear_then_cosine", {"T_max": 0}, r"T_max must be >= 1"),
        ("keras_cosine_decay", {"decay_steps": 0}, r"decay_steps must be >= 1"),
        ("keras_exponential_decay", {"decay_steps": 0}, r"decay_steps must be > 0"),
        (
            "keras_inverse_time_decay",
            {"decay_steps": 1e300, "decay_rate": 1e-300},
            r"decay_steps / decay_rate",
        ),
        ("transformers_inverse_sqrt", {"timescale": 0}, r"timescale must be > 0"),
        ("optax_cosine_decay", {"decay_steps": 0}, r"decay_steps must be >= 1"),
        ("timm_cosine", {"t_initial": 0}, r"t_initial must be >= 1"),
        (
            "transformers_polynomial_decay_with_warmup",
            {"num_warmup_steps": 10},
            r"num_warmup_steps must be < num_training_steps",
        ),
        # a horizon inside the warmup
        (
            "optax_warmup_exponential_decay",
            {"horizon": 3},
            r"warmup_steps must be < horizon .*received warmup_steps=4, horizon=3",
        ),
        (
            "transformers_inverse_sqrt",
            {"horizon": 4},
            r"num_warmup_steps must be < horizon .*num_warmup_steps=4, horizon=4",
        ),
        ("transformers_constant_with_warmup", {"horizon": 2}, r"num_warmup_steps must be <"),
        (
            "transformers_wsd",
            {"num_training_steps": 5},
            r"num_warmup_steps \+ num_decay_steps must be <= num_training_steps",
        ),
        ("deepspeed_warmup_cosine", {"total_num_steps": 4}, r"total_num_steps must be > max"),
        ("timm_cosine", {"warmup_t": 10}, r"warmup_t must be < the schedule's length"),
        # a floor above the peak, in the library's terms
        ("torch_cosine_annealing", {"eta_min": 2.0}, r"eta_min must be <= lr"),
        (
            "transformers_cosine_with_min_lr",
            {"min_lr_rate": 2.0},
            r"min_lr_rate must be in \[0, 1\]",
        ),
        ("keras_cosine_decay", {"alpha": 1.5}, r"alpha must be in \[0, 1\]"),
        ("optax_warmup_cosine_decay", {"end_value": 2.0}, r"end_value must be <= peak_value"),
        ("transformers_polynomial_decay_with_warmup", {"lr_end": 1.0}, r"lr_end must be < lr"),
        # string arguments: named, not "unsupported operand type(s)"
        ("transformers_cosine_with_warmup", {"num_cycles": "10"}, r"num_cycles must be a real"),
        ("transformers_wsd", {"num_decay_steps": "10"}, r"num_decay_steps must be an int"),
        ("deepspeed_warmup_cosine", {"cos_min_ratio": "0.1"}, r"cos_min_ratio must be a real"),
        ("torch_linear_then_cosine", {"milestones": 8}, r"milestones must be a list of step"),
        ("torch_linear_then_cosine", {"milestones": [8, 9]}, r"milestones must hold 1 step"),
        ("transformers_wsd", {"warmup_type": 1}, r"warmup_type must be one of 'linear'"),
        # exponential decays that underflow, and the values optax documents
        (
            "keras_exponential_decay",
            {"decay_rate": 1e-300},
            r"initial_learning_rate \* decay_rate \*\* \(horizon / decay_steps\)",
        ),
        ("optax_warmup_exponential_decay", {"decay_rate": 1.5}, r"decay_rate must be in \[0, 1\]"),
        ("keras_exponential_decay", {"decay_rate": 0}, r"decay_rate must be in \(0, 1\]"),
    ],
)
def test_each_example_is_a_clear_error_in_the_library_s_terms(
    name: str, changes: dict[str, Any], pattern: str
) -> None:
    with pytest.raises((ValueError, TypeError), match=pattern) as info:
        call(name, **changes)
    message = str(info.value)
    assert message.startswith(f"{name}: ")
    assert "Schedule arguments" not in message
    assert any(p in message for p in changes)


def test_an_unsupported_argument_is_compared_without_coercion() -> None:
    # a bool is not the default 1.0, an array is not compared element by element
    for value in (True, np.array([1.0, 1.0]), "1.0", math.nan):
        with pytest.raises(ValueError, match=r"^timm_cosine: k_decay=.* is not supported"):
            presets.timm_cosine(lr=1.0, t_initial=10, k_decay=value)
    assert presets.timm_cosine(lr=1.0, t_initial=10, k_decay=1) == presets.timm_cosine(
        lr=1.0, t_initial=10
    )


def test_a_missing_or_unknown_argument_names_the_preset() -> None:
    with pytest.raises(TypeError, match=r"^timm_cosine: missing a required argument: 't_initial'"):
        presets.timm_cosine(lr=1.0)
    with pytest.raises(TypeError, match=r"^timm_cosine: got an unexpected keyword argument"):
        presets.timm_cosine(lr=1.0, t_initial=10, warmup_steps=3)


# -- the fuzz -------------------------------------------------------------------------------------

EXTREMES = [
    math.inf, -math.inf, math.nan, 0, -1, 1e-320, 10**30, 0.05, 1e3, "10", None, True,
    -0.0, 2.5, 1e30, 10**400, np.float32(0.05), np.int64(7),
]  # fmt: skip


def finite(schedule: Schedule) -> bool:
    t = schedule.total_steps
    rates = [v for p in schedule.describe() for v in (p.lr_begin, p.lr_end)]
    last = t if schedule.after == "raise" else min(2 * t, 2**63 - 1)  # DINO, llm.c: no tail
    rates += [schedule(0), schedule(t // 2), schedule(t), schedule(last)]
    return all(math.isfinite(r) and r >= 0 for r in rates)


@settings(max_examples=1000, deadline=None)
@given(data=st.data(), name=st.sampled_from(NAMES))
def test_fuzz_every_preset_gives_a_finite_schedule_or_names_what_it_refuses(
    data: st.DataObject, name: str
) -> None:
    cases = st.sampled_from(DEFAULT_CASES[name]) | STRATEGIES[name]
    kwargs = dict(data.draw(cases, label="case"))
    parameters = list(inspect.signature(PRESETS[name].spec).parameters)
    changed = data.draw(
        st.lists(st.sampled_from(parameters), min_size=1, max_size=3, unique=True),
        label="changed",
    )
    for parameter in changed:
        kwargs[parameter] = data.draw(st.sampled_from(EXTREMES), label=parameter)
    try:
        schedule = getattr(presets, name)(**kwargs)
    except (ValueError, TypeError) as error:
        message = str(error)
        assert message.startswith(f"{name}: "), message
        assert "Schedule arguments" not in message, message  # the preset's own refusal
        named = [p for p in parameters if p in message]
        assert named, message
    else:
        assert finite(schedule), schedule


# -- where the library takes the value: the preset equals it ------------------------------------


def whole_floats(name: str) -> dict[str, Any]:
    """The default case with every count the library takes as a float given as a float."""
    kwargs = base(name)
    for parameter, (kind, _) in kinds(name).items():
        if isinstance(kind, Count) and kind.floats and isinstance(kwargs.get(parameter), int):
            kwargs[parameter] = float(kwargs[parameter])
    return kwargs


#: The library presets (run here; a codebase preset's whole floats are its ints, tested above).
FLOAT_CASES = [
    pytest.param(name, id=name)
    for name in NAMES
    if PRESETS[name].origin == "library"
    and name not in NOT_EXPRESSIBLE
    and any(type(v) is not type(base(name)[k]) for k, v in whole_floats(name).items())
]


@pytest.mark.parametrize("name", FLOAT_CASES)
def test_whole_float_counts_equal_the_library_given_the_same_floats(name: str) -> None:
    check(name, whole_floats(name))


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        # optax documents transition_steps <= 0 (a constant) and a negative transition_begin (0)
        ("optax_linear", {"init_value": 1.0, "end_value": 0.1, "transition_steps": -3}),
        (
            "optax_polynomial",
            {
                "init_value": 1.0,
                "end_value": 0.1,
                "power": 2,
                "transition_steps": 20,
                "transition_begin": -5,
            },
        ),
        (
            "optax_warmup_exponential_decay",
            {
                "init_value": 0.0,
                "peak_value": 1.0,
                "warmup_steps": 4,
                "transition_steps": 0,
                "decay_rate": 0.5,
                "horizon": 30,
            },
        ),
        (
            "optax_warmup_exponential_decay",
            {
                "init_value": 0.1,
                "peak_value": 1.0,
                "warmup_steps": 4,
                "transition_steps": 10,
                "decay_rate": 0.0,
                "transition_begin": -2,
                "horizon": 30,
            },
        ),
        # real-valued periods the libraries use as real numbers
        (
            "optax_warmup_exponential_decay",
            {
                "init_value": 0.0,
                "peak_value": 1.0,
                "warmup_steps": 3,
                "transition_steps": 2.5,
                "decay_rate": 0.8,
                "horizon": 40,
            },
        ),
        (
            "keras_exponential_decay",
            {"initial_learning_rate": 1.0, "decay_steps": 2.5, "decay_rate": 0.8, "horizon": 40},
        ),
        (
            "keras_inverse_time_decay",
            {"initial_learning_rate": 1.0, "decay_steps": 7.5, "decay_rate": 0.5, "horizon": 40},
        ),
        (
            "transformers_inverse_sqrt",
            {"lr": 1.0, "num_warmup_steps": 3, "timescale": 7.5, "horizon": 40},
        ),
        # torch's PolynomialLR with total_iters=0 keeps lr
        ("torch_polynomial", {"lr": 0.5, "total_iters": 0, "power": 2.0}),
        # timm's cycle_limit, transformers' num_cycles: whole floats
        ("timm_cosine", {"lr": 1.0, "t_initial": 8.0, "cycle_limit": 3.0, "cycle_mul": 2.0}),
        (
            "transformers_cosine_with_hard_restarts",
            {"lr": 1.0, "num_warmup_steps": 2.0, "num_training_steps": 14.0, "num_cycles": 3.0},
        ),
    ],
)
def test_values_the_library_documents_mean_what_they_mean_there(
    name: str, kwargs: dict[str, Any]
) -> None:
    check(name, kwargs)


def test_the_command_line_names_the_preset_once(capsys: pytest.CaptureFixture[str]) -> None:
    from warmcos.cli import main

    name = "transformers_cosine_with_warmup"
    args = ["preset", name, "--lr", "1", "--num-training-steps", "100"]
    assert main([*args, "--num-warmup-steps", "0.05"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"warmcos: error: preset {name}: num_warmup_steps must be a whole")
    assert err.count(name) == 1
    assert err.count("\n") == 1
    assert main([*args, "--num-warmup-steps", "1e1"]) == 0  # 1e1: 10 steps, as transformers
    assert "warmup_steps = 10" in capsys.readouterr().out
