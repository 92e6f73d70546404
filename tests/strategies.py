"""Hypothesis strategies for valid schedules, in one place."""

from __future__ import annotations

from hypothesis import strategies as st

from warmcos import Schedule

AFTER = st.sampled_from(["hold", "wrap", "raise"])

# Learning rates over the range people use, zero included; no subnormals.
lrs = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-8, max_value=10.0, allow_nan=False, allow_infinity=False),
)


@st.composite
def schedules(
    draw: st.DrawFn, max_total: int = 10**7, after: st.SearchStrategy[str] = AFTER
) -> Schedule:
    """Any valid Schedule: warmup may rise or fall, the floor is at most the peak."""
    total = draw(st.integers(min_value=1, max_value=max_total))
    warmup = draw(st.integers(min_value=0, max_value=total - 1))
    peak = draw(lrs)
    final = draw(st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=peak)))
    start = draw(lrs)
    return Schedule(
        peak_lr=peak,
        total_steps=total,
        warmup_steps=warmup,
        warmup_start_lr=start,
        final_lr=final,
        after=draw(after),
    )
