"""``Composition(after="wrap")`` past the end: the last segment mirrored in exact real time.

The reference is independent of the implementation: the clock's time ``tau(s)`` of a step is
computed in fractions, folded back (mirrored) over the last segment ``[B_w, B_t]`` in
fractions, and the segment is evaluated there through the public API, on a composition
without ``after="wrap"`` (one segment, whose clock offset puts step 1 at the folded time).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from warmcos import Composition, Segment
from warmcos._compose import _mulmod

EPS32 = 2.0**-23
EPS64 = 2.0**-52


def _tau(c: Composition, step: int) -> Fraction:
    k = c.every
    return (k * (step // k) + Fraction(c.offset)) * Fraction(c.scale)


def _last(c: Composition) -> tuple[Segment, Fraction, Fraction]:
    """The last segment (repeats unrolled) and its boundaries in time units."""
    segments = c.segments * c.repeat
    end = sum((Fraction(s.length) for s in segments), Fraction(0))
    return segments[-1], end - Fraction(segments[-1].length), end


def _segment_at(seg: Segment, x: Fraction) -> float:
    """Segment ``seg`` at time ``x`` from its start, ``0 <= x <= length``: no wrap involved."""
    return Composition([seg], offset=x - 1)(1)  # step 1 is at time x


def reference(c: Composition, step: int) -> float:
    """The value past the end: ``tau(step)`` mirrored into the last segment, in fractions."""
    seg, begin, end = _last(c)
    length = end - begin
    past = _tau(c, step) - end
    assert past >= 0
    half_periods = math.floor(past / length)
    into = past - half_periods * length
    x = length - into if half_periods % 2 == 0 else into
    value = _segment_at(seg, x)
    return value if c.floor is None else max(value, c.floor)


def period(c: Composition) -> int:
    """The least whole number of steps, a multiple of ``every``, that is ``2 * length`` in time."""
    _, begin, end = _last(c)
    ratio = Fraction(c.scale) / (2 * (end - begin))  # periods per step
    return math.lcm(c.every, ratio.denominator)


SHAPES = ("linear", "cosine", "polynomial", "1-sqrt", "exponential")
rationals = st.fractions(min_value=Fraction(1, 4), max_value=40, max_denominator=6)


@st.composite
def wrapped(draw: st.DrawFn) -> Composition:
    segments = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        shape = draw(st.sampled_from(SHAPES))
        start = draw(st.floats(min_value=0.01, max_value=2.0))
        end = draw(st.floats(min_value=0.01, max_value=2.0))
        power = 2.0 if shape == "polynomial" else 1.0
        segments.append(Segment(draw(rationals), start, end, shape, power))
    offset = draw(st.fractions(min_value=-6, max_value=6, max_denominator=4))
    scale = draw(st.sampled_from([1, 2, "1/2", "3/2", "5/3"]))
    repeat = draw(st.integers(min_value=1, max_value=2))
    if sum(Fraction(s.length) for s in segments) * repeat <= offset * Fraction(scale):
        reject()  # an offset past every segment: no step at all
    return Composition(
        segments,
        after="wrap",
        every=draw(st.integers(min_value=1, max_value=4)),
        offset=offset,
        scale=scale,
        repeat=repeat,
        floor=draw(st.sampled_from([None, 0.05])),
    )


def _steps_past_the_end(c: Composition) -> list[int]:
    t, p = c.total_steps, period(c)
    near = list(range(t, t + min(3 * p, 120)))
    far = [2**40 + j for j in range(5)] + [2**62 + j for j in range(3)] + [2**63 - 1]
    return near + far


def close(got: float, want: float) -> bool:
    return math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-15)


@given(wrapped())
def test_past_the_end_is_the_last_segment_mirrored_in_exact_time(c: Composition) -> None:
    for s in _steps_past_the_end(c):
        assert close(c(s), reference(c, s)), (s, c(s), reference(c, s))


@given(wrapped())
def test_periodic_with_the_exact_period_at_any_step(c: Composition) -> None:
    p = period(c)
    for s in [*_steps_past_the_end(c)[:30], 2**40, 2**62, 2**80, 2**200 + 3]:
        assert c(s) == c(s + p)
    # the clock still moves the curve only every k steps past the end
    for s in _steps_past_the_end(c)[:30]:
        assert c(s) == c(c.every * (s // c.every))


def agree(got: object, want: list[float]) -> None:
    """NumPy and Python numbers: the same formulas, within 4 ulps (a power or a cosine)."""
    np.testing.assert_allclose(np.asarray(got), want, rtol=4 * EPS64, atol=0)


@given(wrapped())
def test_arrays_curve_and_python_ints_agree(c: Composition) -> None:
    steps = [s for s in _steps_past_the_end(c) if s < 2**63]
    steps = list(range(c.total_steps + 1)) + steps
    want = [c(s) for s in steps]
    array = c(np.array(steps, dtype=np.int64))
    agree(array, want)
    t = c.total_steps
    assert c.curve(0, t + 60).tolist() == c(np.arange(t + 60)).tolist()  # the same bits
    big = [2**63 + j for j in range(3)] + [2**90]
    agree(c.curve(2**63, 2**63 + 3), [c(s) for s in big[:3]])
    agree(c(np.array(big, dtype=object)).astype(float), [c(s) for s in big])
    again = Composition.from_dict(c.to_dict())
    assert again == c
    assert again(np.array(steps, dtype=np.int64)).tolist() == array.tolist()


#: Last segments that start or end between steps: a length of 5/2, a clock with an offset,
#: a scale, every=3 against integer boundaries that are not its multiples.
CASES = {
    "half-steps": Composition(
        [Segment(3, 0.0, 1.0), Segment("5/2", 1.0, 0.1, "cosine")], after="wrap"
    ),
    "offset": Composition([Segment(10, 1.0, 0.0, "cosine")], after="wrap", offset="1/3"),
    "scale": Composition([Segment(7, 1.0, 0.2)], after="wrap", scale="3/2"),
    "every": Composition([Segment(4, 0.5, 1.0), Segment(10, 1.0, 0.0)], after="wrap", every=3),
    "repeated": Composition([Segment("7/3", 1.0, 0.5, "cosine")], after="wrap").repeated(2),
}


@pytest.mark.parametrize("name", CASES)
def test_every_case_against_the_reference(name: str) -> None:
    c = CASES[name]
    for s in _steps_past_the_end(c):
        assert close(c(s), reference(c, s))


def test_the_drift_of_whole_step_folding_is_gone() -> None:
    # the last segment is [3, 5.5] in time; step 6, at time 6, is past it: mirrored to time 5
    # (2 into the segment; it held the end value), step 7 to 4 (whole steps folded over [3, 6]
    # gave time 5), step 8 to 3 (its start), step 9 to 4 again, and every 5 steps (2 * 2.5)
    # the curve repeats exactly
    c = CASES["half-steps"]
    seg = c.segments[1]
    assert c.total_steps == 6
    assert close(c(6), _segment_at(seg, Fraction(2)))
    assert close(c(7), _segment_at(seg, Fraction(1)))
    assert c(8) == 1.0
    assert close(c(9), _segment_at(seg, Fraction(1)))
    assert [c(s) for s in range(7, 12)] == [c(s) for s in range(12, 17)]
    assert c(2**40 + 1) == c(2**40 + 1 - 5 * 2**37)


def test_every_keeps_the_clock_past_the_end() -> None:
    c = CASES["every"]  # boundaries 4 and 14: the clock's steps are 0, 3, ..., 12, 15
    assert c.total_steps == 15
    # step 15 is at time 15, one past the end: it mirrors to 13, 18 to 10, 21 to 7; the
    # curve moves every 3 steps (whole steps folded over [6, 15] moved it at 16 and 17 too)
    assert c(15) == c(16) == c(17)
    assert close(c(15), _segment_at(c.segments[1], Fraction(9)))
    assert close(c(18), _segment_at(c.segments[1], Fraction(6)))
    assert c(18) == c(19) == c(20)


def test_whole_step_wraps_are_unchanged() -> None:
    c = Composition([Segment(10, 0.0, 1.0), Segment(90, 1.0, 0.0, "cosine")], after="wrap")
    assert c(190) == 1.0
    assert c(150) == c(50)
    assert [c(s) for s in range(101, 281)] == [c(s) for s in range(281, 461)]


@pytest.mark.parametrize("name", CASES)
def test_frameworks_agree_with_python_past_the_end(name: str) -> None:
    c = CASES[name]
    steps = list(range(c.total_steps + 40)) + [2**40 + j for j in range(7)]
    want = np.array([c(s) for s in steps])
    torch = pytest.importorskip("torch")
    got = c(torch.tensor(steps, dtype=torch.int64)).numpy()
    np.testing.assert_allclose(got, want, rtol=8 * EPS32, atol=1e-7)
    got64 = c(torch.tensor(steps, dtype=torch.int64)).double().numpy()
    assert got64.shape == want.shape
    tf = pytest.importorskip("tensorflow")
    np.testing.assert_allclose(c(tf.constant(steps, dtype=tf.int64)).numpy(), want, rtol=8 * EPS32)
    jax = pytest.importorskip("jax")
    with jax.enable_x64(True):
        got = np.asarray(jax.jit(c)(jax.numpy.asarray(steps)))
    np.testing.assert_allclose(got, want, rtol=4 * EPS64)
    small = [s for s in steps if s < 2**31]
    got = np.asarray(jax.jit(c)(jax.numpy.asarray(small, dtype=jax.numpy.int32)))
    np.testing.assert_allclose(got, want[: len(small)], rtol=8 * EPS32, atol=1e-7)


def test_a_product_folds_only_where_its_last_segment_is_on_clock_steps() -> None:
    cooldown = Composition([Segment(8, 1.0), Segment(2, 1.0, 0.0)])
    whole = Composition([Segment(2, 0.0, 1.0), Segment(8, 1.0)], after="wrap") * cooldown
    assert whole(12) == whole(8)  # the step mirrored over [2, 10], every part at it
    with pytest.raises(
        ValueError, match=r"after='wrap'.*factors.*received a last segment from time 3 to 11/2"
    ):
        Composition([Segment(3, 0.0, 1.0), Segment("5/2", 1.0)], after="wrap") * cooldown


@pytest.mark.parametrize("name", CASES)
def test_the_adapters_follow_the_fold(name: str) -> None:
    c = CASES[name]
    n = c.total_steps + 40
    want = c(np.arange(n))
    torch = pytest.importorskip("torch")
    from warmcos.torch import WarmcosLR

    param = torch.nn.Parameter(torch.ones(1))
    scheduler = WarmcosLR(torch.optim.SGD([param], lr=1.0), c)
    lrs = []
    for k in range(n):
        if k:
            scheduler.optimizer.step()
            scheduler.step()
        lrs.append(scheduler.optimizer.param_groups[0]["lr"])
    assert lrs == want.tolist()
    jax = pytest.importorskip("jax")
    from warmcos.jax import optax_schedule

    got = jax.jit(optax_schedule(c))(jax.numpy.arange(n, dtype=jax.numpy.int32))
    np.testing.assert_allclose(np.asarray(got), want, rtol=8 * EPS32, atol=1e-7)
    tf = pytest.importorskip("tensorflow")
    from warmcos.keras import WarmcosSchedule

    traced = tf.function(WarmcosSchedule(c), jit_compile=True)(tf.range(n, dtype=tf.int64))
    np.testing.assert_allclose(traced.numpy(), want, rtol=8 * EPS32, atol=1e-7)


@given(
    st.integers(min_value=1, max_value=2**30 - 1).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.integers(min_value=0, max_value=n - 1),
            st.lists(st.integers(min_value=0, max_value=n), min_size=1, max_size=20),
        )
    )
)
def test_the_fold_s_product_modulo_never_leaves_int32(case: tuple[int, int, list[int]]) -> None:
    n, g, ms = case
    got = _mulmod(np.array(ms, dtype=np.int32), g, n, n + 1, 2**31 - 1)
    assert got.dtype == np.int32
    assert got.tolist() == [m * g % n for m in ms]


def test_jax_int32_far_past_the_end_of_a_long_fine_segment() -> None:
    # 1000003/2003: ticks of 1/2003 step, a period of 2000006 steps: the ticks past the end
    # reach 4e9, beyond int32, and are counted modulo the mirror's period without leaving it
    c = Composition([Segment("1000003/2003", 1.0, 0.1, "cosine")], after="wrap")
    jax = pytest.importorskip("jax")
    steps = np.arange(2**31 - 3000, 2**31 - 1)
    got = np.asarray(jax.jit(c)(jax.numpy.asarray(steps, dtype=jax.numpy.int32)))
    np.testing.assert_allclose(got, c(steps), rtol=8 * EPS32)
    for s in (2**31 - 2, 2**31 - 2000):
        assert close(c(s), reference(c, s))


def test_a_product_on_clock_steps_mirrors_the_floored_step_for_every_part() -> None:
    segments = [Segment(2, 0.0, 1.0), Segment(8, 1.0, 0.5)]
    cooldown = Composition([Segment(8, 1.0), Segment(2, 1.0, 0.0)])
    own = Composition(segments, every=2)  # held past its end, the clock's stairs
    c = Composition(segments, every=2, after="wrap") * cooldown
    for s in range(c.total_steps, 60):
        u = 2 * (s // 2)
        k, r = divmod(u - 2, 8)  # mirrored over the clock's steps [2, 10]
        folded = 2 + r if k % 2 == 0 else 10 - r
        assert c(s) == own(folded) * cooldown(folded + s - u), s


@pytest.mark.parametrize(
    "segment",
    [
        Segment("3000000001/3", 1.0, 0.1, "cosine"),  # 3e9 ticks: the fold in floats
        Segment("1500000001/2", 1.0, 0.1),
        Segment(3 * 10**9, 1.0, 0.1, "cosine"),  # ends beyond int32: no step reaches it
    ],
)
def test_jax_int32_with_a_segment_beyond_int32_ticks(segment: Segment) -> None:
    jax = pytest.importorskip("jax")
    c = Composition([segment], after="wrap")
    steps = np.array([0, 5, c.total_steps - 1, c.total_steps, c.total_steps + 12345, 2**31 - 1])
    steps = steps[steps < 2**31]
    got = np.asarray(jax.jit(c)(jax.numpy.asarray(steps, dtype=jax.numpy.int32)))
    np.testing.assert_allclose(got, c(steps), rtol=8 * EPS32)
