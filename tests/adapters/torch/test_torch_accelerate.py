"""accelerate's AcceleratedScheduler steps a scheduler num_processes times per update.

warmcos refuses that (ValueError at the first update) unless ``skip_aware=True``, which makes
WarmcosLR advance once per applied update however often it is called. These tests drive the
real ``AcceleratedScheduler`` in one process, with the process count it reads
(``AcceleratorState().num_processes``) replaced; a real 2-process run is in
``tests/examples/test_examples.py``.
"""

from __future__ import annotations

import pytest
import torch

from warmcos import Schedule
from warmcos.torch import WarmcosLR

accelerate_scheduler = pytest.importorskip("accelerate.scheduler")
accelerate_state = pytest.importorskip("accelerate.state")

SCHEDULE = Schedule(peak_lr=0.1, total_steps=20, warmup_steps=4, warmup_start_lr=0.01)


class FakeState:
    """What AcceleratedScheduler and warmcos read from AcceleratorState: the process count."""

    def __init__(self, processes):
        self.num_processes = processes


@pytest.fixture
def processes(monkeypatch):
    def set_count(n):
        state = lambda: FakeState(n)  # noqa: E731
        monkeypatch.setattr(accelerate_scheduler, "AcceleratorState", state)
        monkeypatch.setattr(accelerate_state, "AcceleratorState", state)

    return set_count


def prepared(skip_aware=False, **options):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1)
    opt.step_was_skipped = False  # what AcceleratedOptimizer reports; read by the wrapper
    scheduler = WarmcosLR(opt, SCHEDULE, skip_aware=skip_aware)
    return opt, scheduler, accelerate_scheduler.AcceleratedScheduler(scheduler, opt, **options)


def run(opt, wrapper, updates):
    used = []
    for _ in range(updates):
        used.append(opt.param_groups[0]["lr"])
        opt.step()
        wrapper.step()
    return used


def test_two_processes_and_default_settings_fail_loudly_at_the_first_update(processes):
    processes(2)
    opt, scheduler, wrapper = prepared()
    opt.step()
    with pytest.raises(ValueError, match=r"num_processes=2 times per optimizer update") as info:
        wrapper.step()
    assert "skip_aware=True" in str(info.value)
    assert "step_scheduler_with_optimizer=False" in str(info.value)
    assert scheduler.last_epoch == 0  # nothing advanced


def test_without_warmcos_the_wrapper_really_steps_twice_per_update(processes):
    # The behaviour refused above: a torch scheduler runs through its steps twice as fast.
    processes(2)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1)
    opt.step_was_skipped = False
    lam = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: 1.0 / (k + 1))
    wrapper = accelerate_scheduler.AcceleratedScheduler(lam, opt)
    run(opt, wrapper, 3)
    assert lam.last_epoch == 6


def test_skip_aware_advances_once_per_update_on_two_processes(processes):
    processes(2)
    opt, scheduler, wrapper = prepared(skip_aware=True)
    assert run(opt, wrapper, 12) == [SCHEDULE(k) for k in range(12)]
    assert scheduler.last_epoch == 12


@pytest.mark.parametrize(
    ("count", "options"),
    [(1, {}), (2, {"split_batches": True}), (2, {"step_with_optimizer": False})],
    ids=["one process", "split_batches", "not stepped with the optimizer"],
)
def test_settings_that_step_once_per_update_are_accepted(processes, count, options):
    processes(count)
    opt, scheduler, wrapper = prepared(**options)
    assert run(opt, wrapper, 12) == [SCHEDULE(k) for k in range(12)]
    assert scheduler.last_epoch == 12


def test_a_scheduler_stepped_by_hand_is_not_affected(processes):
    processes(2)  # accelerate is imported and configured, but does not step this scheduler
    opt, scheduler, _ = prepared()
    assert run(opt, scheduler, 5) == [SCHEDULE(k) for k in range(5)]
