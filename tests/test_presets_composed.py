"""The composition presets' own rules: join_schedules' pieces, optax's dict keys, staircases.

Their values are proven against the libraries in ``conformance/test_presets.py``; here, what
they refuse and why, and the conventions that read best as single examples.
"""

from __future__ import annotations

import pytest

from warmcos import Composition, Schedule, Segment, presets


def test_optax_boundaries_are_the_first_step_of_the_new_value() -> None:
    s = presets.optax_piecewise_constant(1.0, {10: 0.1, 20: 0.1})
    assert [s(9), s(10), s(19), s(20)] == [1.0, 0.1, 0.1, pytest.approx(0.01)]
    # a JSON object's keys are text: the CLI's --boundaries-and-scales '{"10": 0.1}'
    assert presets.optax_piecewise_constant(1.0, {"10": 0.1, "20": 0.1}) == s


def test_keras_boundaries_switch_one_step_after() -> None:
    s = presets.keras_piecewise_constant_decay([10, 20], [1.0, 0.5, 0.1])
    assert [s(10), s(11), s(20), s(21)] == [1.0, 0.5, 0.5, 0.1]


def test_a_staircase_off_its_period_is_written_out_and_ends_on_a_stair() -> None:
    s = presets.optax_exponential_decay(1.0, 4, 0.5, transition_begin=3, staircase=True, horizon=10)
    assert [s(s_) for s_ in (0, 6, 7, 10, 11, 12)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    assert s.total_steps == 11  # the first stair at or after the horizon


def test_an_optax_ceiling_ends_a_rise_where_it_is_reached() -> None:
    s = presets.optax_exponential_decay(0.1, 1, 2.0, end_value=1.0, horizon=20)
    assert s(3) == pytest.approx(0.8)
    assert s(4) == s(20) == 1.0  # 0.1 * 2**4 = 1.6, clipped


def test_join_counts_each_piece_from_its_boundary() -> None:
    warmup = presets.optax_linear(0.0, 1.0, 10)
    decay = presets.optax_cosine_decay(1.0, 90)
    s = presets.optax_join_schedules([warmup, decay], [10])
    assert isinstance(s, Composition)
    assert [s(0), s(5), s(10), s(100)] == [0.0, 0.5, 1.0, 0.0]
    assert s(55) == pytest.approx(decay(45))


@pytest.mark.parametrize(
    ("schedules", "boundaries", "message"),
    [
        ([presets.optax_cosine_decay(1.0, 20), presets.optax_constant(0.1)], [10], "cut part-way"),
        (
            [Composition([Segment(10, 1.0, 0.0)], every=2), presets.optax_constant(0.1)],
            [10],
            r"schedules\[0\]: .*every=2",
        ),
        (
            [Composition([Segment(10, 1.0, 0.0)], after="wrap"), presets.optax_constant(0.1)],
            [10],
            "holds up to the next boundary",
        ),
        ([presets.optax_constant(0.1)] * 3, [5, 3], "must not decrease"),
        ([presets.optax_constant(0.1)] * 2, [5, 6], "one step fewer"),
        (
            [Schedule(peak_lr=1.0, total_steps=10, cycles=2), presets.optax_constant(0.1)],
            [10],
            "one cycle",
        ),
    ],
)
def test_join_refuses_what_its_segments_cannot_say(
    schedules: list[object], boundaries: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        presets.optax_join_schedules(schedules, boundaries)


def test_join_takes_warmcos_schedules_only() -> None:
    with pytest.raises(TypeError, match=r"schedules\[1\] must be a warmcos Composition"):
        presets.optax_join_schedules([presets.optax_constant(0.1), lambda c: 0.1], [3])


def test_keras_staircase_presets_take_only_the_staircase() -> None:
    kwargs = {"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.5}
    with pytest.raises(ValueError, match="keras_exponential_decay, a Schedule"):
        presets.keras_exponential_decay_staircase(**kwargs, staircase=False, horizon=20)
    with pytest.raises(ValueError, match="keras_exponential_decay_staircase, a Composition"):
        presets.keras_exponential_decay(**kwargs, staircase=True, horizon=20)


def test_an_end_value_next_to_init_value_is_reached_at_once() -> None:
    # end_value / init_value = 1 + 1e-7: optax reaches it in 1.4e-7 of a period
    s = presets.optax_exponential_decay(1.0, 1, 2.0, end_value=1.0000001, horizon=10)
    assert [s(0), s(1), s(10)] == [1.0, 1.0000001, 1.0000001]
