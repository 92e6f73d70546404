"""Checkpoints: state_dict contents, the resume policies, and a SIGKILLed run resumed bit for bit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from warmcos import Schedule
from warmcos.torch import WarmcosLR

WORKER = Path(__file__).with_name("resume_worker.py")
SPEC = Schedule(
    peak_lr=1.0, total_steps=8000, warmup_steps=700, warmup_start_lr=0.05, final_lr=0.01
)


def make(schedule=SPEC, lrs=(1.0,), **kwargs):
    groups = [{"params": [torch.nn.Parameter(torch.ones(1))], "lr": lr} for lr in lrs]
    opt = torch.optim.SGD(groups)
    if isinstance(schedule, Schedule):  # one shape, scaled to each group's lr
        kwargs.setdefault("peak", "optimizer")
    return opt, WarmcosLR(opt, schedule, **kwargs)


def advance(opt, scheduler, n):
    for _ in range(n):
        opt.step()
        scheduler.step()


# -- state_dict --------------------------------------------------------------------------------


def test_state_dict_holds_the_step_and_the_spec_as_plain_values(tmp_path):
    opt, scheduler = make(lrs=(1.0, 0.5))
    advance(opt, scheduler, 1234)
    state = scheduler.state_dict()
    assert state == {
        "format": "warmcos.torch.WarmcosLR",
        "version": 1,
        "step": 1234,
        "relative": True,
        "schedule": SPEC.to_dict(),
        "group_schedules": [SPEC.to_dict(), SPEC.with_peak(0.5).to_dict()],
    }
    torch.save(state, tmp_path / "s.pt")
    assert torch.load(tmp_path / "s.pt", weights_only=True) == state  # no pickled objects
    json.dumps(state)  # and nothing JSON cannot hold


def test_absolute_spec_is_saved_as_a_list():
    schedules = [SPEC, SPEC.replace(final_lr=0.0)]
    _, scheduler = make(schedules, lrs=(0.1, 0.1))
    state = scheduler.state_dict()
    assert state["relative"] is False
    assert state["schedule"] == [s.to_dict() for s in schedules] == state["group_schedules"]


def test_load_restores_the_step_and_sets_its_lr_whatever_the_load_order():
    opt, scheduler = make(lrs=(1.0, 0.5))
    advance(opt, scheduler, 2500)
    saved_opt, saved = opt.state_dict(), scheduler.state_dict()
    opt2, scheduler2 = make(lrs=(1.0, 0.5))
    scheduler2.load_state_dict(saved)  # before the optimizer's state: still right afterwards
    opt2.load_state_dict(saved_opt)
    assert scheduler2.last_epoch == 2500
    assert [g["lr"] for g in opt2.param_groups] == [s(2500) for s in scheduler.group_schedules]
    advance(opt, scheduler, 1)
    advance(opt2, scheduler2, 1)
    assert [g["lr"] for g in opt2.param_groups] == [g["lr"] for g in opt.param_groups]


# -- resume policies ---------------------------------------------------------------------------


def test_check_passes_silently_for_the_same_spec():
    opt, scheduler = make()
    advance(opt, scheduler, 10)
    _, fresh = make()
    fresh.load_state_dict(scheduler.state_dict())
    assert fresh.last_epoch == 10


def test_check_error_lists_every_differing_field():
    opt, scheduler = make()
    advance(opt, scheduler, 10)
    _, fresh = make(SPEC.replace(total_steps=9000, final_lr=0.0))
    with pytest.raises(ValueError) as info:
        fresh.load_state_dict(scheduler.state_dict())
    assert str(info.value) == (
        "the schedule differs from the checkpoint's (resume='check'):\n"
        "  total_steps: checkpoint 8000, new 9000 (param group 0)\n"
        "  final_lr: checkpoint 0.01, new 0.0 (param group 0)\n"
        "Pass resume='new' to keep the new schedule from the saved step, "
        "resume='checkpoint' to continue the saved one, or resume='replan' to continue the "
        "saved one re-planned to the new total_steps."
    )
    assert fresh.last_epoch == 0  # nothing loaded


def test_check_sees_a_changed_group_lr_in_a_scaled_spec():
    opt, scheduler = make(lrs=(1.0, 0.5, 0.5))
    advance(opt, scheduler, 3)
    _, fresh = make(lrs=(1.0, 0.25, 0.25))
    with pytest.raises(
        ValueError, match=r"peak_lr: checkpoint 0\.5, new 0\.25 \(param groups 1, 2\)"
    ):
        fresh.load_state_dict(scheduler.state_dict())


def test_check_counts_param_groups():
    _, scheduler = make(lrs=(1.0, 0.5))
    _, fresh = make(lrs=(1.0,))
    with pytest.raises(ValueError, match=r"has 2 param groups, this one 1; resume='check'"):
        fresh.load_state_dict(scheduler.state_dict())
    fresh.load_state_dict(scheduler.state_dict(), resume="new")  # "new" keeps its own groups
    assert fresh.last_epoch == 0


def test_new_keeps_the_new_spec_from_the_saved_step():
    opt, scheduler = make()
    advance(opt, scheduler, 5000)
    longer = SPEC.replace(total_steps=16000)
    opt2, fresh = make(longer, resume="new")
    fresh.load_state_dict(scheduler.state_dict())
    assert fresh.last_epoch == 5000
    assert fresh.schedule == longer
    assert opt2.param_groups[0]["lr"] == longer(5000) != SPEC(5000)
    advance(opt2, fresh, 1)
    assert opt2.param_groups[0]["lr"] == longer(5001)


def test_checkpoint_adopts_the_saved_spec():
    opt, scheduler = make(lrs=(1.0, 0.5))
    advance(opt, scheduler, 5000)
    saved = scheduler.state_dict()
    opt2, fresh = make(SPEC.replace(total_steps=16000), lrs=(2.0, 2.0))
    fresh.load_state_dict(saved, resume="checkpoint")  # a per-call override of "check"
    assert fresh.schedule == SPEC
    assert fresh.group_schedules == scheduler.group_schedules
    assert fresh.state_dict() == saved
    assert [g["lr"] for g in opt2.param_groups] == [g["lr"] for g in opt.param_groups]
    advance(opt, scheduler, 1700)
    advance(opt2, fresh, 1700)
    assert [g["lr"] for g in opt2.param_groups] == [g["lr"] for g in opt.param_groups]


def test_checkpoint_needs_the_same_param_groups():
    _, scheduler = make(lrs=(1.0, 0.5))
    _, fresh = make(resume="checkpoint")
    with pytest.raises(ValueError, match=r"has 2 param groups, this one 1; resume='checkpoint'"):
        fresh.load_state_dict(scheduler.state_dict())


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        (lambda s: s.update(format="torch.LambdaLR"), r"not a WarmcosLR state"),
        (lambda s: s.update(version=2), r"version must be 1; received version=2"),
        (lambda s: s.pop("group_schedules"), r"must have the keys .*received \['format'"),
        (lambda s: s.update(extra=1), r"must have the keys .*'extra'"),
        (lambda s: s.update(step=-1), r"step must be an int >= 0; received step=-1"),
        (lambda s: s["schedule"].update(total_steps=0), r"total_steps must be >= 1"),
    ],
)
def test_rejects_a_state_that_is_not_a_warmcos_state(change, pattern):
    _, scheduler = make()
    state = scheduler.state_dict()
    change(state)
    with pytest.raises(ValueError, match=pattern):
        scheduler.load_state_dict(state)


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        (lambda s: s.update(group_schedules=5), r"group_schedules must be a list of .*=5"),
        (lambda s: s.update(schedule=[1]), r"schedule must be a Schedule.to_dict\(\) mapping"),
        (lambda s: s.update(relative="yes"), r"relative must be a bool; received relative='yes'"),
        (lambda s: s.update({1: 2}), r"must have the keys .*received \[1, "),  # not '<' on keys
    ],
)
def test_a_malformed_state_is_a_value_error_naming_the_key(change, pattern):
    _, scheduler = make()
    state = scheduler.state_dict()
    change(state)
    with pytest.raises(ValueError, match=pattern):
        scheduler.load_state_dict(state)
    mixed = {1: 2, "a": 3}  # keys that sort() cannot order
    with pytest.raises(ValueError, match=r"not a WarmcosLR state .*received \[1, 'a'\]"):
        scheduler.load_state_dict(mixed)


def test_a_checkpoint_step_beyond_int64():
    huge = 2**70
    opt, scheduler = make()
    state = scheduler.state_dict() | {"step": huge}
    scheduler.load_state_dict(state)  # past the end of a "hold" schedule: its final rate
    assert scheduler.last_epoch == huge
    assert opt.param_groups[0]["lr"] == SPEC.final_lr
    opt.step()
    scheduler.step()
    assert opt.param_groups[0]["lr"] == SPEC.final_lr
    opt, strict = make(SPEC.replace(after="raise"))
    advance(opt, strict, 3)
    with pytest.raises(
        ValueError, match=r"total_steps=8000 because after='raise'; received step=1180"
    ):
        strict.load_state_dict(strict.state_dict() | {"step": huge})
    assert strict.last_epoch == 3  # nothing changed
    assert opt.param_groups[0]["lr"] == SPEC(3)
    longer = make(SPEC.replace(total_steps=9000), resume="replan")[1]
    with pytest.raises(
        ValueError, match=r"resume='replan' .* <= its total_steps=8000; received step=1180"
    ):
        longer.load_state_dict(state)
    assert longer.last_epoch == 0


def test_rejects_a_torch_scheduler_state():
    opt, _ = make()
    other = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0)
    _, scheduler = make()
    with pytest.raises(ValueError, match=r"not a WarmcosLR state .*'base_lrs'"):
        scheduler.load_state_dict(other.state_dict())


# -- a real crash: SIGKILL, then a new process -----------------------------------------------


def start(*args):
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# Each resume: (name, policy, total_steps of the new process's schedule).
RESUMES = [("same", "check", 60), ("check", "check", 120), ("checkpoint", "checkpoint", 120)]
RESUMES += [("new", "new", 120), ("replan", "replan", 120)]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """An uninterrupted run; a run SIGKILLed after its checkpoint at step 23; its resumptions.

    The uninterrupted and the killed run go side by side; then one new process resumes the
    checkpoint once per policy. Returns the output folder and each resume's error text.
    """
    out = tmp_path_factory.mktemp("resume")
    full = start("full", "--dir", out)
    crash = start("crash", "--dir", out)
    line = crash.stdout.readline()  # blocks until the checkpoint is written (or the run ends)
    assert line == "SAVED\n", (line, crash.stderr.read())
    os.kill(crash.pid, signal.SIGKILL)
    assert crash.wait(timeout=60) == -signal.SIGKILL
    crash.stdout.close()
    crash.stderr.close()
    spec = ",".join(f"{name}:{policy}:{total}" for name, policy, total in RESUMES)
    resumed = start("resume", "--dir", out, "--runs", spec)
    _, err = full.communicate(timeout=120)
    assert full.returncode == 0, err
    printed, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    return out, json.loads(printed)


def lrs(out, name):
    return json.loads((out / f"{name}.lrs.json").read_text())


def weights(out, name):
    return torch.load(out / f"{name}.weights.pt", weights_only=True)


def same_weights(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.slow
def test_resume_after_sigkill_equals_an_uninterrupted_run_bit_for_bit(runs):
    out, results = runs
    assert results["same"] == ""
    assert len(lrs(out, "crash")) == 23
    assert lrs(out, "crash") + lrs(out, "same") == lrs(out, "full")
    assert len(set(lrs(out, "full"))) > 40  # the lr really changes along the run
    assert same_weights(weights(out, "same"), weights(out, "full"))
    assert not same_weights(weights(out, "crash"), weights(out, "full"))


@pytest.mark.slow
def test_resume_check_refuses_a_changed_spec_in_the_new_process(runs):
    _, results = runs
    assert results["check"] == (
        "ValueError: the schedule differs from the checkpoint's (resume='check'):\n"
        "  total_steps: checkpoint 60, new 120 (param group 0)\n"
        "Pass resume='new' to keep the new schedule from the saved step, "
        "resume='checkpoint' to continue the saved one, or resume='replan' to continue the "
        "saved one re-planned to the new total_steps."
    )


@pytest.mark.slow
def test_resume_checkpoint_continues_the_saved_spec_bit_for_bit(runs):
    out, results = runs
    assert results["checkpoint"] == ""
    assert lrs(out, "crash") + lrs(out, "checkpoint") == lrs(out, "full")
    assert same_weights(weights(out, "checkpoint"), weights(out, "full"))


@pytest.mark.slow
def test_resume_new_continues_the_new_spec_at_the_saved_step(runs):
    out, results = runs
    assert results["new"] == ""
    new = Schedule(
        peak_lr=1e-2, total_steps=120, warmup_steps=10, warmup_start_lr=1e-4, final_lr=1e-4
    )
    assert lrs(out, "new") == [repr(new(k)) for k in range(23, 60)]
    assert lrs(out, "new")[0] != lrs(out, "full")[23]


@pytest.mark.slow
def test_resume_replan_extends_the_saved_run_without_a_jump(runs):
    # The killed 60-step run, resumed in a new process as a 120-step run: the same lr at the
    # resumed step as the uninterrupted run had there, then a longer decay to the same floor.
    out, results = runs
    assert results["replan"] == ""
    saved = Schedule(
        peak_lr=1e-2, total_steps=60, warmup_steps=10, warmup_start_lr=1e-4, final_lr=1e-4
    )
    replanned = saved.replan(23, total_steps=120)
    got = lrs(out, "replan")
    assert got == [repr(replanned(k)) for k in range(23, 60)]
    assert got[0] == lrs(out, "full")[23]  # continuous at the resume
    assert got[10] > lrs(out, "full")[33]  # and then a slower decay
    assert replanned(120) == saved.final_lr


def test_a_state_saved_by_warmcos_0_1_resumes_at_its_step():
    # tests/data/v1: WarmcosLR.state_dict() of warmcos 0.1.0 (schedules as version-1 dicts).
    from pathlib import Path

    path = Path(__file__).parents[2] / "data" / "v1" / "warmcos-0.1.0-WarmcosLR.pt"
    state = torch.load(path, weights_only=True)
    schedule = Schedule(
        peak_lr=3e-4, total_steps=1000, warmup_steps=50, warmup_start_lr=3e-5, final_lr=3e-6
    )
    opt = torch.optim.AdamW(torch.nn.Linear(2, 1).parameters(), lr=3e-4)
    scheduler = WarmcosLR(opt, schedule)
    scheduler.load_state_dict(state)  # resume="check": the same schedule, no difference
    assert scheduler.last_epoch == 123
    assert opt.param_groups[0]["lr"] == schedule(123)
    opt.step()
    scheduler.step()
    assert opt.param_groups[0]["lr"] == schedule(124)
    assert scheduler.state_dict()["schedule"]["version"] == 2
