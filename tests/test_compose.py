"""Compositions (issue 17): exact against an mpmath reference and against the real libraries."""

from __future__ import annotations

import json
import math
import pickle
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exact import PRECISION, _toward
from warmcos import Composition, Schedule, Segment

EPS64 = 2.0**-52
EPS32 = 2.0**-23


# -- the reference --------------------------------------------------------------------------


def _segment_value(seg: Segment, done: Fraction, length: Fraction) -> mpmath.mpf:
    """Segment ``seg`` after ``done`` of its ``length`` (time units), at 256 bits."""
    a, b = mpmath.mpf(seg.start), mpmath.mpf(seg.end)
    done = min(max(done, Fraction(0)), length)
    if seg.shape in ("inverse_sqrt", "inverse_time"):
        tau = Fraction(seg.timescale)
        q = mpmath.mpf(1) / 2 if seg.shape == "inverse_sqrt" else 1
        ratio = mpmath.mpf(tau.numerator * done.denominator) / (
            tau.numerator * done.denominator + done.numerator * tau.denominator
        )
        return b + (a - b) * ratio**q
    den = math.lcm(done.denominator, length.denominator)
    return _toward(a, b, int(done * den), int(length * den), shape=seg.shape, power=seg.power)


def _part(c: Composition, step: int) -> mpmath.mpf:
    value = mpmath.mpf(1)
    if c.segments:
        k = c.every
        tau = (k * (step // k) + Fraction(c.offset)) * Fraction(c.scale)
        segments = c.segments * c.repeat
        begin = Fraction(0)
        for i, seg in enumerate(segments):
            length = Fraction(seg.length)
            if tau < begin + length or i == len(segments) - 1:
                value = _segment_value(seg, tau - begin, length)
                break
            begin += length
    for factor in c.factors:
        value *= _part(factor, step)
    if c.floor is not None:
        value = max(value, mpmath.mpf(c.floor))
    return value


def exact_value(c: Composition, step: int) -> mpmath.mpf:
    """The composition's value at ``step`` (``after`` = hold or raise) from its definition."""
    with mpmath.workprec(PRECISION):
        return _part(c, min(step, c.total_steps))


def worst_ulps(c: Composition, steps: np.ndarray, values: np.ndarray, eps: float) -> float:
    worst = 0.0
    for s, v in zip(steps.tolist(), np.asarray(values, dtype=np.float64).tolist(), strict=True):
        e = exact_value(c, s)
        if e == 0:
            assert v == 0, f"step {s}: exact 0, got {v!r}"
            continue
        rounded = mpmath.mpf(float(np.float32(float(e)) if eps == EPS32 else float(e)))
        # an ulp: eps of the value, or the spacing of the subnormals below the normal range
        ulp = max(eps * abs(e), 2.0**-149 if eps == EPS32 else 2.0**-1074)
        worst = max(worst, float(abs(mpmath.mpf(v) - rounded) / ulp))
    return worst


# -- the cases ------------------------------------------------------------------------------


def one_cycle(total: int, pct: float, *, three: bool = False, shape: str = "cosine") -> Composition:
    """torch ``OneCycleLR``: real-valued boundaries ``pct * total - 1`` (its ``_schedule_phases``)."""
    peak, initial = 0.1, 0.1 / 25
    low = initial / 1e4
    up = Fraction(repr(float(pct * total))) - 1
    if three:
        down = Fraction(repr(float(2 * pct * total))) - 2
        parts = [(up, initial, peak), (down - up, peak, initial), (total - 1 - down, initial, low)]
    else:
        parts = [(up, initial, peak), (total - 1 - up, peak, low)]
    return Composition([Segment(str(n), a, b, shape) for n, a, b in parts], after="raise")


def envelope(total: int, warmup: int, cooldown: int, timescale: int) -> Composition:
    """big_vision's rsqrt with a linear warmup, times a linear cooldown (the ViT recipe)."""
    rsqrt = Composition(
        [
            Segment(warmup, 0.0, 1e-3),
            Segment(total - warmup, 1e-3, 0.0, "inverse_sqrt", timescale=timescale),
        ]
    )
    cool = Composition([Segment(total - cooldown, 1.0), Segment(cooldown, 1.0, 0.0)])
    return rsqrt * cool


CASES = {
    "multistep": Composition.piecewise([300, 800], [0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1]),
    "onecycle": one_cycle(1000, 0.3),
    "onecycle-real-boundary": one_cycle(999, 0.25),
    "onecycle-three-phase": one_cycle(999, 0.25, three=True),
    "staircase": Composition([Segment(1000, 0.1, 0.1 * 0.5**10, "exponential")], every=100),
    "envelope": envelope(2000, 100, 400, 100),
    "clamp": Composition([Segment(1000, 1.0, 0.0, "cosine", power=2.0)]).clamp(0.05),
    "samples-clock": Composition(
        [Segment(183_105, 0.0, 1.0), Segment(1_536_000, 1.0, 0.01, "cosine")], scale=1536
    ),
    "delayed-per-epoch": Composition(
        [Segment(500, 0.0, 2.0, "polynomial", power=3.0), Segment(500, 2.0, 0.5, "1-sqrt")],
        every=7,
        offset=-50,
    ),
    # long: steps far beyond 2**24 (float32's integers), a boundary between two steps
    "onecycle-long": one_cycle(10**8 + 1, 0.3, three=True),
    "envelope-long": envelope(3 * 10**9, 10**7, 6 * 10**8, 10**6),
    "cyclic-triangle": Composition(
        [Segment(40, 0.001, 0.006), Segment(40, 0.006, 0.001)], repeat=5
    ),
}


def check_steps(c: Composition) -> np.ndarray:
    """Every step up to twice the end, for the short cases; dense samples for the long ones."""
    end = 2 * c.total_steps if c.after != "raise" else c.total_steps
    if end <= 5000:
        return np.arange(end + 1)
    rng = np.random.default_rng(3)
    joins = [p.begin for p in c.describe()] + [c.total_steps]
    near = [j + d for j in joins for d in (-2, -1, 0, 1, 2)]
    steps = np.concatenate([rng.integers(0, end + 1, 1500), near, np.arange(200)])
    return np.unique(steps[(steps >= 0) & (steps <= end)])


@pytest.mark.parametrize("name", CASES)
def test_float64_within_4_ulp_at_every_step(name: str) -> None:
    c = CASES[name]
    steps = check_steps(c)
    assert worst_ulps(c, steps, c(steps), EPS64) <= 4.0
    # the Python int path gives the same bits as the array path
    assert [c(int(s)) for s in steps[:: max(1, len(steps) // 300)]] == c(
        steps[:: max(1, len(steps) // 300)]
    ).tolist()


@pytest.mark.parametrize("name", CASES)
def test_float32_within_8_ulp(name: str) -> None:
    torch = pytest.importorskip("torch")
    c = CASES[name]
    steps = check_steps(c)[::3]
    got = c(torch.from_numpy(steps))
    assert got.dtype == torch.float32
    assert worst_ulps(c, steps, got.numpy(), EPS32) <= 8.0


@pytest.mark.parametrize("name", CASES)
def test_every_boundary_value_is_exact(name: str) -> None:
    # at each step where a segment begins exactly, the table gives its start value, bitwise
    c = CASES[name]
    table = Composition(c.segments, repeat=c.repeat, every=c.every, offset=c.offset,
                        scale=c.scale)  # fmt: skip
    boundary = Fraction(0)
    hits = 0
    for seg in c.segments * c.repeat:
        step = boundary / Fraction(c.scale) - Fraction(c.offset)
        if step.denominator == 1 and step >= 0 and step % c.every == 0:
            assert table(int(step)) == seg.start
            assert c(int(step)) == float(exact_value(c, int(step)))
            hits += 1
        boundary += Fraction(seg.length)
    if c.segments[-1].timescale is None:  # an open shape has no end value
        assert table(table.total_steps) == c.segments[-1].end
    assert c(c.total_steps) == float(exact_value(c, c.total_steps))
    assert hits or name.startswith("onecycle") or name == "delayed-per-epoch"


def test_values_at_boundaries_are_the_written_values() -> None:
    c = one_cycle(1000, 0.3)
    assert (c(0), c(299), c(999)) == (0.1 / 25, 0.1, 0.1 / 25 / 1e4)
    m = CASES["multistep"]
    assert (m(0), m(299), m(300), m(799), m(800), m(2**63 - 1)) == (
        0.1,
        0.1,
        0.1 * 0.1,
        0.1 * 0.1,
        0.1 * 0.1 * 0.1,
        0.1 * 0.1 * 0.1,
    )


@pytest.mark.parametrize("name", CASES)
def test_monotone_within_each_phase(name: str) -> None:
    c = CASES[name]
    if c.factors or c.every > 1:
        c = Composition(c.segments, repeat=c.repeat)  # the table alone
    for p in c.describe():
        # every step of a short phase; 20,000 sorted steps of a long one (and its ends)
        steps = np.unique(np.linspace(p.begin, max(p.end - 1, p.begin), 20_000).astype(np.int64))
        diffs = np.diff(c(steps))
        assert (diffs >= 0).all() or (diffs <= 0).all(), p


@pytest.mark.parametrize("name", ["multistep", "staircase", "envelope", "clamp", "samples-clock"])
def test_exact_at_2_63_minus_1(name: str) -> None:
    c = CASES[name]
    big = 2**63 - 1
    final = c(c.total_steps)
    assert c(big) == final
    assert c(np.array([big, 0], dtype=np.int64))[0] == final
    assert c(2**70) == final  # a Python int beyond int64, folded exactly


# -- against the real libraries ---------------------------------------------------------------


def _torch_lrs(make, steps: int) -> list[float]:
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = make(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


def test_torch_multistep_lr_at_every_step_to_twice_the_end() -> None:
    torch = pytest.importorskip("torch")
    c = CASES["multistep"]
    ref = _torch_lrs(
        lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[300, 800], gamma=0.1),
        2 * c.total_steps + 1,
    )
    np.testing.assert_allclose(c.curve(len(ref)), ref, rtol=4 * EPS64, atol=0)


@pytest.mark.parametrize(
    ("total", "pct", "three", "strategy"),
    [(1000, 0.3, False, "cos"), (999, 0.25, False, "cos"), (999, 0.25, True, "cos"),
     (1000, 0.3, False, "linear"), (777, 0.37, True, "linear")],
)  # fmt: skip
def test_torch_one_cycle_lr_at_every_step(
    total: int, pct: float, three: bool, strategy: str
) -> None:
    torch = pytest.importorskip("torch")
    c = one_cycle(total, pct, three=three, shape="cosine" if strategy == "cos" else "linear")
    ref = _torch_lrs(
        lambda o: torch.optim.lr_scheduler.OneCycleLR(
            o, max_lr=0.1, total_steps=total, pct_start=pct, anneal_strategy=strategy,
            three_phase=three, cycle_momentum=False,
        ),
        total,
    )  # fmt: skip
    got = c.curve(total)
    # torch computes the boundaries and the progress in floats: a few ulps of the peak apart
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)
    assert got[0] == 0.1 / 25  # torch's own formula misses it by an ulp at step 0


def test_torch_step_lr_is_a_per_epoch_exponential() -> None:
    torch = pytest.importorskip("torch")
    c = CASES["staircase"]
    ref = _torch_lrs(
        lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=100, gamma=0.5),
        c.total_steps + 1,
    )
    np.testing.assert_allclose(c.curve(), ref, rtol=4 * EPS64, atol=0)


def test_optax_staircase_exponential_decay_to_twice_the_end() -> None:
    pytest.importorskip("optax")
    import jax
    import optax

    c = CASES["staircase"]
    steps = np.arange(2 * c.total_steps + 1)
    with jax.enable_x64(True):
        fn = optax.exponential_decay(
            0.1, transition_steps=100, decay_rate=0.5, staircase=True, end_value=0.1 * 0.5**10
        )
        ref = np.asarray(jax.vmap(fn)(jax.numpy.asarray(steps)))
    np.testing.assert_allclose(c(steps), ref, rtol=4 * EPS64, atol=0)


def test_optax_piecewise_constant_schedule() -> None:
    pytest.importorskip("optax")
    import jax
    import optax

    c = CASES["multistep"]
    steps = np.arange(2 * c.total_steps + 1)
    with jax.enable_x64(True):
        fn = optax.piecewise_constant_schedule(0.1, {300: 0.1, 800: 0.1})
        ref = np.asarray(jax.vmap(fn)(jax.numpy.asarray(steps)))
    np.testing.assert_allclose(c(steps), ref, rtol=4 * EPS64, atol=0)


def test_envelope_is_big_vision_rsqrt_times_linear_cooldown() -> None:
    c = CASES["envelope"]
    s = np.arange(2 * c.total_steps + 1, dtype=np.float64)
    t = np.minimum(s, c.total_steps)
    warm = np.minimum(1.0, t / 100)
    rsqrt = np.where(t < 100, warm, 1.0 / np.sqrt(1.0 + (np.maximum(t, 100) - 100) / 100))
    cool = np.minimum(1.0, (c.total_steps - t) / 400)
    np.testing.assert_allclose(c(s.astype(np.int64)), 1e-3 * rsqrt * cool, rtol=1e-14, atol=0)


def test_clamp_is_max_floor_of_the_same_curve() -> None:
    base = Schedule(1.0, 1000, power=2.0)
    np.testing.assert_array_equal(CASES["clamp"].curve(), np.maximum(0.05, base.curve()))


# -- every array kind -------------------------------------------------------------------------


def test_numpy_and_python_agree_and_types() -> None:
    c = CASES["envelope"]
    assert isinstance(c(5), float)
    assert c(np.int64(5)) == c(5)
    assert c([0, 5, 4000]).tolist() == [c(0), c(5), c(4000)]


def test_jax_traces_once() -> None:
    jax = pytest.importorskip("jax")
    c = CASES["onecycle-real-boundary"]
    traces = []

    def fn(s):
        traces.append(1)
        return c(s)

    jitted = jax.jit(fn)
    steps = np.arange(0, 999, 37)
    for s in steps:
        jitted(jax.numpy.asarray(s))
    assert len(traces) == 1
    got = np.asarray(jax.vmap(jitted)(jax.numpy.asarray(steps)))
    np.testing.assert_allclose(got, c(steps), rtol=8 * EPS32)


def test_tensorflow() -> None:
    tf = pytest.importorskip("tensorflow")
    c = CASES["staircase"]
    steps = np.arange(0, 2000, 13)
    got = c(tf.constant(steps)).numpy()
    np.testing.assert_allclose(got, c(steps), rtol=8 * EPS32)


def test_traced_raise_is_nan_past_the_end() -> None:
    jax = pytest.importorskip("jax")
    c = CASES["onecycle"]
    got = jax.jit(c)(jax.numpy.asarray([0, 999, 1000]))
    assert np.isnan(np.asarray(got)[2])
    assert not np.isnan(np.asarray(got)[:2]).any()
    with pytest.raises(ValueError, match=r"after='raise'|total_steps"):
        c(1000)


def test_wrap_folds_back_over_the_last_segment() -> None:
    c = Composition([Segment(10, 0.0, 1.0), Segment(90, 1.0, 0.0, "cosine")], after="wrap")
    assert c(100) == 0.0
    assert c(190) == 1.0
    assert c(150) == c(50)
    assert c(2**80 + 10) == c(c._fold(2**80 + 10))


# -- describe and serialisation ---------------------------------------------------------------


def test_describe_prints_the_phase_table() -> None:
    rows = CASES["onecycle-three-phase"].describe()
    assert [(p.kind, p.cycle, p.shape, p.begin, p.end) for p in rows] == [
        ("phase", 0, "cosine", 0, 249),  # the boundaries 248.75 and 497.5, between steps
        ("phase", 1, "cosine", 249, 498),
        ("phase", 2, "cosine", 498, 998),
    ]
    env = CASES["envelope"].describe()
    assert [p.kind for p in env] == ["phase", "phase", "factor 1", "factor 1"]


@pytest.mark.parametrize("name", CASES)
def test_dict_json_and_pickle_round_trip(name: str) -> None:
    c = CASES[name]
    d = c.to_dict()
    assert json.loads(json.dumps(d)) == d
    again = Composition.from_dict(json.loads(c.to_json()))
    assert again == c
    assert hash(again) == hash(c)
    assert pickle.loads(pickle.dumps(c)) == c
    n = min(c.total_steps + 1, 10_000)
    np.testing.assert_array_equal(again.curve(n), c.curve(n))
    assert repr(c).startswith("Composition(segments=")


def test_version_2_template_files_still_load() -> None:
    from warmcos import Schedule

    s = Schedule(0.1, 100, warmup_steps=5)
    assert Schedule.from_dict(s.to_dict()) == s
    with pytest.raises(ValueError, match="unknown keys"):
        Composition.from_dict(s.to_dict())


def test_a_float_boundary_is_the_decimal_it_prints_as() -> None:
    c = Composition([Segment(704.6, 0.0, 1.0), Segment(1, 1.0)])
    assert c.segments[0].length == "3523/5"
    assert c(705) == 1.0
    assert c(704) < 1.0


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: Composition([Segment(10, 1.0), Segment(0, 1.0)]), ValueError,
         r"segment 1: length must be > 0; received length=0"),
        (lambda: Composition([Segment(-3, 1.0)]), ValueError, r"segment 0: length .*=-3"),
        (lambda: Composition([Segment(10, math.nan)]), ValueError, r"segment 0: start .*nan"),
        (lambda: Composition([Segment(10, 1.0, math.inf)]), ValueError, r"segment 0: end .*inf"),
        (lambda: Composition([Segment(10, 1.0), Segment(5, -0.5)]), ValueError,
         r"segment 1: start .*-0.5"),
        (lambda: Composition([Segment(10, 1.0, 0.0, "nope")]), ValueError,
         r"segment 0: shape must be one of .*'nope'"),
        (lambda: Composition([Segment(10, 1.0)], every=0), ValueError, r"every=0"),
        (lambda: Composition([Segment(10, 1.0)], scale=0), ValueError, r"scale=0"),
        (lambda: Composition([Segment(10, 1.0)], after="loop"), ValueError, r"after='loop'"),
        (lambda: Composition([Segment(10, 1.0, 0.0, "exponential")]), ValueError,
         r"segment 0: an 'exponential' segment needs start and end > 0"),
        (lambda: Composition([Segment(10, 1.0, 0.0, "linear", power=2.0)]), ValueError,
         r"segment 0: power feeds"),
        (lambda: Composition([Segment(10, 1.0, 0.0, "inverse_sqrt")]), ValueError,
         r"segment 0: .*needs a timescale"),
        (lambda: Composition([Segment(10, 1.0, 0.5, "constant")]), ValueError,
         r"segment 0: a 'constant' segment"),
        (lambda: Composition([Segment("1/3", 1.0, 0.0, "log")]), ValueError,
         r"segment 0: shape='log' counts whole steps"),
        (lambda: Composition([Segment(10, 1.0)], factors=[Composition([Segment(5, 1.0)],
         after="raise")]), ValueError, r"factors\[0\] .*after='raise'"),
        (lambda: Composition([Segment(10, 1.0)], factors=[1.0]), TypeError,
         r"factors\[0\] must be a Composition"),
        (lambda: Composition([Segment(10, 1.0)]) * Composition([Segment(5, 1.0)], after="wrap"),
         ValueError, r"after='hold'"),
        (lambda: Composition([Segment(10, 1.0)], repeat=100_001), ValueError, r"at most 100000"),
        (lambda: Composition([Segment(10, True)]), TypeError, r"segment 0: start"),
        (lambda: Composition([Segment([1], 1.0)]), TypeError, r"segment 0: length"),
        (lambda: Composition([{"length": 1, "start": 1.0, "ned": 2.0}]), ValueError,
         r"segment 0 has unknown keys \['ned'\].*'end'"),
        (lambda: Composition([Segment(10, 1.0)], floor=-1.0), ValueError, r"floor .*-1.0"),
        (lambda: Composition([Segment(10, 1.0)], offset=20), ValueError, r"at least one step"),
        (lambda: Composition([Segment(2**62, 1.0), Segment("1/7", 1.0)]), ValueError,
         r"64-bit"),
        (lambda: Composition.piecewise([30, 30], [1.0, 0.5, 0.1]), ValueError,
         r"boundaries\[1\]=30 is not above boundaries\[0\]=30"),
        (lambda: Composition.piecewise([30, 20], [1.0, 0.5, 0.1]), ValueError,
         r"boundaries\[1\]=20"),
        (lambda: Composition.piecewise([30], [1.0]), ValueError, r"one value more"),
    ],
)  # fmt: skip
def test_bad_input_names_the_phase_and_the_value(make, error, match) -> None:
    with pytest.raises(error, match=match):
        make()


def test_nesting_beyond_a_sane_depth() -> None:
    c = Composition([Segment(10, 1.0)]).clamp(0.5)
    for _ in range(15):
        c = (c * Composition([Segment(3, 1.0)])).clamp(0.1)
    assert c(3) == 1.0
    with pytest.raises(ValueError, match="nest deeper than 16"):
        (c * Composition([Segment(3, 1.0)])).clamp(0.1)


# -- properties ---------------------------------------------------------------------------------

values = st.floats(min_value=0.0, max_value=10.0, allow_nan=False)
lengths = st.one_of(
    st.integers(min_value=1, max_value=300),
    st.fractions(min_value=Fraction(1, 10), max_value=300, max_denominator=16),
)


@st.composite
def compositions(draw: st.DrawFn) -> Composition:
    n = draw(st.integers(min_value=1, max_value=5))
    segments = []
    for _ in range(n):
        shape = draw(st.sampled_from(["linear", "cosine", "polynomial", "1-sqrt", "constant"]))
        start = draw(values)
        end = start if shape == "constant" else draw(values)
        power = draw(st.sampled_from([1.0, 2.0, 0.5])) if shape in ("cosine", "polynomial") else 1.0
        segments.append(Segment(draw(lengths), start, end, shape, power))
    return Composition(
        segments,
        every=draw(st.integers(min_value=1, max_value=5)),
        offset=draw(st.integers(min_value=-20, max_value=0)),
        scale=draw(st.sampled_from([1, 2, "1/3", "3/2"])),
    )


@given(compositions())
def test_any_composition_is_within_4_ulp_and_exact_at_the_end(c: Composition) -> None:
    steps = np.arange(min(2 * c.total_steps, 3000) + 1)
    assert worst_ulps(c, steps, c(steps), EPS64) <= 4.0
    assert c(c.total_steps) == float(exact_value(c, c.total_steps))
    assert c(2**63 - 1) == c(c.total_steps)


@given(compositions())
def test_round_trip_any_composition(c: Composition) -> None:
    assert Composition.from_dict(json.loads(c.to_json())) == c


def test_a_composition_and_a_schedule_share_one_protocol() -> None:
    from warmcos.types import ScheduleLike

    def whole(s: ScheduleLike) -> list[float]:
        return s.curve(s.total_steps + 1).tolist()

    template = Schedule(1.0, 100, warmup_steps=10, final_lr=0.1)
    same = Composition([Segment(10, 0.0, 1.0), Segment(90, 1.0, 0.1, "cosine")])
    assert whole(same) == whole(template)  # one evaluator: the same bits
    assert isinstance(same, ScheduleLike)


@pytest.mark.parametrize("suffix", [".json", ".toml", ".yaml"])
def test_config_files_round_trip(tmp_path, suffix: str) -> None:
    if suffix == ".yaml":
        pytest.importorskip("yaml")
    c = (CASES["onecycle-real-boundary"].clocked(every=3) * CASES["clamp"]).clamp(1e-6)
    text = {".json": c.to_json, ".toml": c.to_toml, ".yaml": c.to_yaml}[suffix]()
    path = tmp_path / f"c{suffix}"
    path.write_text(text)
    assert Composition.load(path) == c
