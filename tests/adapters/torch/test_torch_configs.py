"""Config-driven WarmcosLR: a dict spec, and the rule for which peak wins."""

from __future__ import annotations

import importlib.util
import re

import pytest
import torch
from torch.optim.optimizer import register_optimizer_step_pre_hook

from conftest import ROOT
from warmcos import Schedule
from warmcos.torch import PEAK_SOURCES, WarmcosLR

SPEC = {"peak_lr": 0.1, "total_steps": 10, "warmup_steps": "20%", "final_lr": 0.01}


def doc_files() -> dict[str, str]:
    """The code blocks of docs/configs.md that have a file name (```lang title="name")."""
    text = (ROOT / "docs" / "configs.md").read_text()
    return dict(re.findall(r'```\w+ title="([^"]+)"\n(.*?)```', text, flags=re.S))


def write_doc_file(tmp_path, name):
    path = tmp_path / name
    path.write_text(doc_files()[name])
    return path


def import_doc_file(tmp_path, name):
    path = write_doc_file(tmp_path, name)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sgd(*lrs):
    groups = [{"params": [torch.nn.Parameter(torch.ones(1))], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups)


def run(optimizer, scheduler, n):
    """The lr of each group at each of ``n`` updates."""
    seen = []
    for _ in range(n):
        seen.append([g["lr"] for g in optimizer.param_groups])
        optimizer.step()
        scheduler.step()
    return seen


def record_every_update():
    """Every optimizer's lr at each update (group 0), from a global optimizer pre-hook."""
    used: list[float] = []
    handle = register_optimizer_step_pre_hook(
        lambda opt, args, kwargs: used.append(float(opt.param_groups[0]["lr"]))
    )
    return used, handle


# -- a dict spec -----------------------------------------------------------------------------


def test_a_dict_is_a_schedule_config():
    want = Schedule.from_dict(SPEC)
    assert want.warmup_steps == 2
    for spec in (SPEC, {"version": 2, **SPEC}):
        opt = sgd(0.1)
        scheduler = WarmcosLR(opt, spec)
        assert scheduler.schedule == want
        assert scheduler.group_schedules == (want,)
        assert run(opt, scheduler, 12) == [[want(k)] for k in range(12)]


def test_a_list_of_dicts_and_schedules_is_one_per_group():
    other = Schedule(peak_lr=0.5, total_steps=20)
    opt = sgd(0.1, 0.5)
    scheduler = WarmcosLR(opt, [SPEC, other])
    assert scheduler.group_schedules == (Schedule.from_dict(SPEC), other)


def test_a_bad_dict_is_from_dicts_error_and_nothing_is_half_built():
    opt = sgd(0.1)
    with pytest.raises(ValueError, match=r"unknown keys \['warmup'\].*did you mean 'warmup_steps'"):
        WarmcosLR(opt, {**SPEC, "warmup": 3})
    with pytest.raises(ValueError, match=r"decay_shape must be one of .*received decay_shape="):
        WarmcosLR(opt, {**SPEC, "decay_shape": "cosin"})
    with pytest.raises(TypeError, match=r"schedule\[1\] must be a warmcos\.Schedule or a dict"):
        WarmcosLR(sgd(0.1, 0.1), [SPEC, "cosine"])
    assert "initial_lr" not in opt.param_groups[0]


# -- which peak wins -------------------------------------------------------------------------


def test_a_peak_that_differs_from_the_optimizer_lr_is_an_error_not_a_replacement():
    opt = sgd(0.1, 0.3)
    with pytest.raises(
        ValueError,
        match=r"schedule\.peak_lr=0\.1 differs from param group 1's lr=0\.3: say which one is "
        r"the peak: peak='optimizer' .* peak='schedule' .*received peak=None",
    ):
        WarmcosLR(opt, SPEC)
    assert all("initial_lr" not in g for g in opt.param_groups)  # nothing half-built
    with pytest.raises(ValueError, match=r"group 0's lr=0\.2 \(and 1 more group\(s\)\)"):
        WarmcosLR(sgd(0.2, 0.3), SPEC)


def test_equal_peaks_need_no_choice_and_a_float32_lr_counts_as_equal():
    schedule = Schedule.from_dict(SPEC)
    for lr in (0.1, torch.tensor(0.1), torch.tensor(0.1, dtype=torch.float64)):
        scheduler = WarmcosLR(sgd(lr), schedule)
        assert scheduler.group_schedules[0] is schedule


def test_peak_optimizer_scales_the_shape_to_each_group():
    schedule = Schedule.from_dict(SPEC)
    opt = sgd(0.1, 0.3)
    scheduler = WarmcosLR(opt, schedule, peak="optimizer")
    assert scheduler.group_schedules == (schedule, schedule.with_peak(0.3))
    seen = run(opt, scheduler, 12)
    assert seen == [[schedule(k), schedule.with_peak(0.3)(k)] for k in range(12)]
    assert seen[2] == [0.1, 0.3]  # each group's peak is its own lr


def test_peak_schedule_follows_the_schedules_rates_in_every_group():
    schedule = Schedule.from_dict(SPEC)
    opt = sgd(0.5, 0.3)
    scheduler = WarmcosLR(opt, SPEC, peak="schedule")
    assert scheduler.group_schedules == (schedule, schedule)
    assert run(opt, scheduler, 12) == [[schedule(k)] * 2 for k in range(12)]
    assert repr(scheduler).endswith("the same rates in every group, step=12)")
    # a checkpoint holds it, and a scheduler built the same way resumes it under "check"
    state = scheduler.state_dict()
    assert state["relative"] is False
    again = WarmcosLR(sgd(0.5, 0.3), SPEC, peak="schedule")
    again.load_state_dict(state)
    assert again.last_epoch == 12
    assert again.get_last_lr() == [schedule(12)] * 2


def test_peak_is_checked():
    with pytest.raises(ValueError, match=r"peak must be None, 'optimizer', 'schedule'.*'group'"):
        WarmcosLR(sgd(0.1), SPEC, peak="group")
    with pytest.raises(ValueError, match=r"a list of schedules is followed exactly"):
        WarmcosLR(sgd(0.1), [SPEC], peak="optimizer")
    assert WarmcosLR(sgd(0.7), [SPEC], peak="schedule").group_schedules[0].peak_lr == 0.1
    assert PEAK_SOURCES == ("optimizer", "schedule")
