"""WarmcosLR with a Composition: the lr at every update is the composition's value there."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from composition_cases import CASES, IDS, ONE_CYCLE, assert_close, steps_of
from warmcos import Composition, Schedule, Segment
from warmcos._load import from_dict
from warmcos.torch import WarmcosLR


def sgd(n_groups: int, lr: float = 1.0) -> torch.optim.SGD:
    groups = [{"params": [torch.nn.Parameter(torch.ones(1))], "lr": lr} for _ in range(n_groups)]
    return torch.optim.SGD(groups)


def run(scheduler: WarmcosLR, n: int) -> np.ndarray:
    """Each group's lr at the next n updates, one row per update (stepping between them)."""
    rows = []
    for k in range(n):
        if k:
            scheduler.optimizer.step()
            scheduler.step()
        rows.append([g["lr"] for g in scheduler.optimizer.param_groups])
    return np.array(rows)


@pytest.mark.parametrize(("name", "c", "same_bits"), CASES, ids=IDS)
def test_every_update_uses_the_composition_s_value(name, c, same_bits):
    n = steps_of(c)
    lrs = run(WarmcosLR(sgd(1), c), n)[:, 0]
    steps = np.arange(n)
    assert lrs.tolist() == c(steps).tolist()  # the NumPy paths: the same bits, every shape
    python = np.array([c(int(s)) for s in steps])
    assert all(isinstance(v, float) for v in lrs.tolist())
    if same_bits:
        assert lrs.tolist() == python.tolist()
    else:
        assert_close(lrs, python, 4)


def test_a_list_of_compositions_and_templates_one_per_group():
    a, b, _ = (c for _, c, _ in CASES)
    t = Schedule(peak_lr=0.5, total_steps=300, warmup_steps=30)
    scheduler = WarmcosLR(sgd(3), [a, b.to_dict(), t])
    lrs = run(scheduler, a.total_steps + 1)
    steps = np.arange(a.total_steps + 1)
    for k, s in enumerate((a, b, t)):
        assert lrs[:, k].tolist() == s(steps).tolist()
    assert scheduler.group_schedules == (a, b, t)


@pytest.mark.parametrize(("name", "c", "same_bits"), CASES, ids=IDS)
def test_state_dict_round_trips_through_the_one_dispatcher(name, c, same_bits):
    first = WarmcosLR(sgd(2), [c, c])
    run(first, 138)
    state = first.state_dict()
    assert [from_dict(d) for d in state["group_schedules"]] == [c, c]
    assert from_dict(state["schedule"][0]) == c
    torch.save(state, buf := __import__("io").BytesIO())
    buf.seek(0)
    loaded = torch.load(buf, weights_only=True)
    second = WarmcosLR(sgd(2), [c, c])
    second.load_state_dict(loaded)
    assert second.last_epoch == 137
    n = steps_of(c) - 137
    assert (
        run(second, n).tolist()
        == run(first, n).tolist()
        == [[v, v] for v in c(np.arange(137, 137 + n)).tolist()]
    )


def test_resume_check_and_checkpoint_policies_with_a_composition():
    c = Composition.piecewise([5], [0.1, 0.01])
    other = c.clocked(every=2)
    state = WarmcosLR(sgd(1), c).state_dict()
    with pytest.raises(ValueError, match=r"every: checkpoint 1, new 2"):
        WarmcosLR(sgd(1), other).load_state_dict(state)
    with pytest.raises(ValueError, match=r"kind: checkpoint 'Composition', new 'Schedule'"):
        WarmcosLR(sgd(1, 0.1), Schedule(0.1, 10)).load_state_dict(state)
    resumed = WarmcosLR(sgd(1), other)
    resumed.load_state_dict(state, resume="checkpoint")
    assert resumed.group_schedules == (c,)
    with pytest.raises(ValueError, match=r"replan\(\).*composition"):
        WarmcosLR(sgd(1), other).load_state_dict(state, resume="replan")


def test_after_raise_stops_at_the_end():
    scheduler = WarmcosLR(sgd(1), ONE_CYCLE)
    run(scheduler, ONE_CYCLE.total_steps + 1)
    assert scheduler.optimizer.param_groups[0]["lr"] == ONE_CYCLE(ONE_CYCLE.total_steps)
    with pytest.raises(ValueError, match=r"after='raise'"):
        scheduler.step()


def test_peak_optimizer_is_refused_and_the_group_lr_does_not_matter():
    c = Composition([Segment(10, 0.3, 0.0)])
    with pytest.raises(ValueError, match=r"Composition has no peak_lr.*peak='optimizer'"):
        WarmcosLR(sgd(1), c, peak="optimizer")
    for peak in (None, "schedule"):
        scheduler = WarmcosLR(sgd(2, lr=7.0), c, peak=peak)
        assert [g["lr"] for g in scheduler.optimizer.param_groups] == [0.3, 0.3]


def test_a_tensor_lr_is_filled_in_place():
    c = Composition.piecewise([3], [0.1, 0.01])
    lr = torch.tensor(0.1, dtype=torch.float64)
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=lr)
    scheduler = WarmcosLR(optimizer, c)
    run(scheduler, 5)
    assert optimizer.param_groups[0]["lr"] is lr
    assert lr.item() == c(4)
