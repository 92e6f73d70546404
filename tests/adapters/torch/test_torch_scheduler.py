"""WarmcosLR: equal to the core Schedule at every step, per-group values, the usual loop, errors."""

from __future__ import annotations

import math
import re

import pytest
import torch

import warmcos.torch as wt
from strategies import FAMILY_CASES
from warmcos import Schedule
from warmcos.torch import WarmcosLR

SHAPE = Schedule(
    peak_lr=1.0, total_steps=8000, warmup_steps=700, warmup_start_lr=0.05, final_lr=0.01
)
# Absolute per-group schedules with different lengths, floors and after-end policies.
ABSOLUTE = [
    Schedule(peak_lr=3e-4, total_steps=8000, warmup_steps=700, warmup_start_lr=1e-6, final_lr=3e-5),
    Schedule(peak_lr=1e-3, total_steps=6000, warmup_steps=0, final_lr=1e-5, after="wrap"),
    Schedule(peak_lr=2e-2, total_steps=9999, warmup_steps=3000, warmup_start_lr=5e-2),
]
GROUP_LRS = [3e-4, 1e-3 / 3, 0.7]


def make_optimizer(lrs, kind="float"):
    """SGD with one one-element parameter per group; lrs as floats or tensors."""

    def lr_value(x):
        if kind == "float":
            return x
        return torch.tensor(x, dtype=torch.float32 if kind == "tensor32" else torch.float64)

    groups = [{"params": [torch.nn.Parameter(torch.ones(1))], "lr": lr_value(x)} for x in lrs]
    return torch.optim.SGD(groups)


def as_stored(value, like):
    """What a float ``value`` becomes once written into an lr like ``like``."""
    if isinstance(like, torch.Tensor):
        return torch.tensor(value, dtype=like.dtype).item()
    return value


def lr_of(group):
    lr = group["lr"]
    return lr.item() if isinstance(lr, torch.Tensor) else lr


# -- equal to the core at every step ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["float", "tensor32", "tensor64"])
@pytest.mark.parametrize("groups", ["one", "scaled", "absolute"])
def test_lr_equals_core_schedule_at_every_step_of_10k(groups, kind):
    if groups == "one":
        opt, spec, expected = make_optimizer([1.0], kind), SHAPE, [SHAPE]
    elif groups == "scaled":
        opt, spec = make_optimizer(GROUP_LRS, kind), SHAPE
        expected = [SHAPE.with_peak(lr_of({"lr": g["lr"]})) for g in opt.param_groups]
    else:
        opt, spec, expected = make_optimizer([0.1] * 3, kind), ABSOLUTE, ABSOLUTE
    tensors = [g["lr"] for g in opt.param_groups]
    scheduler = WarmcosLR(opt, spec, peak="optimizer" if groups == "scaled" else None)
    assert scheduler.group_schedules == tuple(expected)
    opt.step()
    for step in range(10_000):
        assert scheduler.last_epoch == step
        for group, schedule, tensor in zip(opt.param_groups, expected, tensors, strict=True):
            assert lr_of(group) == as_stored(schedule(step), group["lr"]), (step, schedule)
            if kind != "float":
                assert group["lr"] is tensor  # updated in place, never replaced
        scheduler.step()


@pytest.mark.parametrize("name", sorted(FAMILY_CASES))
def test_every_member_of_the_family_at_every_step(name):
    schedule = FAMILY_CASES[name]
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(model.parameters(), lr=schedule.peak_lr)
    opt2 = torch.optim.SGD(model.parameters(), lr=torch.tensor(schedule.peak_lr * 3))
    scaled, tensor = WarmcosLR(opt, schedule), WarmcosLR(opt2, schedule, peak="optimizer")
    seen, seen_t = [], []
    for _ in range(schedule.total_steps + 20):
        seen.append(opt.param_groups[0]["lr"])
        seen_t.append(opt2.param_groups[0]["lr"].item())
        opt.step()
        opt2.step()
        scaled.step()
        tensor.step()
    assert seen == schedule.curve(schedule.total_steps + 20).tolist()
    want = schedule.with_peak(float(torch.tensor(schedule.peak_lr * 3))).curve(len(seen_t))
    assert seen_t == torch.tensor(want, dtype=torch.float32).tolist()


def test_values_come_from_the_core_schedule_itself():
    # A group whose lr is the shape's peak follows that very Schedule object's values.
    opt = make_optimizer([SHAPE.peak_lr])
    scheduler = WarmcosLR(opt, SHAPE)
    assert scheduler.group_schedules[0] is SHAPE
    seen = []
    opt.step()
    for _ in range(SHAPE.total_steps + 3):
        seen.append(opt.param_groups[0]["lr"])
        scheduler.step()
    assert seen == SHAPE.curve(SHAPE.total_steps + 3).tolist()


def test_without_numpy_each_step_is_evaluated_alone(monkeypatch):
    monkeypatch.setattr(wt, "_numpy", lambda: None)
    opt = make_optimizer(GROUP_LRS)
    scheduler = WarmcosLR(opt, SHAPE, peak="optimizer")
    opt.step()
    for step in range(2100):
        want = [s(step) for s in scheduler.group_schedules]
        assert [g["lr"] for g in opt.param_groups] == want
        assert scheduler._chunk_len == 1
        scheduler.step()


# -- the usual loop, as torch users expect ---------------------------------------------------


def test_usual_training_loop_uses_the_lr_of_each_update():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    schedule = Schedule(peak_lr=0.5, total_steps=10, warmup_steps=4, warmup_start_lr=0.05)
    scheduler = WarmcosLR(opt, schedule)
    used = []
    for _ in range(13):
        loss = model(torch.randn(4, 3)).pow(2).mean()
        loss.backward()
        used.append(opt.param_groups[0]["lr"])
        opt.step()
        opt.zero_grad()
        scheduler.step()
        assert scheduler.get_last_lr() == [opt.param_groups[0]["lr"]]
    assert used == [schedule(k) for k in range(13)]
    assert (used[0], used[4], used[10], used[12]) == (0.05, 0.5, 0.0, 0.0)
    assert scheduler.last_epoch == 13


def test_get_last_lr_types_follow_the_group_lrs_and_never_alias():
    opt = make_optimizer([0.5, 0.25], "tensor32")
    opt.param_groups[1]["lr"] = 0.25  # a float group beside a tensor group
    opt.param_groups[1]["initial_lr"] = 0.25
    scheduler = WarmcosLR(opt, [SHAPE.with_peak(0.5), SHAPE.with_peak(0.25)])
    opt.step()
    scheduler.step()
    last = scheduler.get_last_lr()
    assert isinstance(last[0], torch.Tensor)
    assert last[0].dtype == torch.float32
    assert last[0] is not opt.param_groups[0]["lr"]
    assert last[0].item() == opt.param_groups[0]["lr"].item()
    assert isinstance(last[1], float)
    assert last[1] == SHAPE.with_peak(0.25)(1)
    last[0].fill_(123.0)  # the caller's copy: the optimizer's lr is untouched
    assert opt.param_groups[0]["lr"].item() != 123.0


def test_an_lr_changed_by_hand_is_overwritten_at_the_next_step():
    opt = make_optimizer([1.0])
    scheduler = WarmcosLR(opt, SHAPE)
    opt.step()
    for _ in range(5):
        scheduler.step()
    opt.param_groups[0]["lr"] = 123.0
    scheduler.step()
    assert opt.param_groups[0]["lr"] == SHAPE(6)  # closed form: no memory of the edit


def test_scaled_groups_hit_their_own_peak_and_keep_ratios_exactly():
    lrs = [3e-4, 1e-3 / 3, 0.7, 0.0]
    opt = make_optimizer(lrs)
    shape = Schedule(
        peak_lr=2.0, total_steps=50, warmup_steps=10, warmup_start_lr=0.2, final_lr=0.1
    )
    scheduler = WarmcosLR(opt, shape, peak="optimizer")
    opt.step()
    for _ in range(10):
        scheduler.step()
    assert [g["lr"] for g in opt.param_groups] == lrs  # the peak is each group's lr, exactly
    for _ in range(40):
        scheduler.step()
    assert [g["lr"] for g in opt.param_groups] == [min(0.05 * x, x) for x in lrs]
    assert [g["initial_lr"] for g in opt.param_groups] == lrs


def test_absolute_floors_per_group():
    schedules = [
        Schedule(peak_lr=1e-3, total_steps=20, warmup_steps=5, final_lr=1e-4),
        Schedule(peak_lr=1e-5, total_steps=20, warmup_steps=5, final_lr=1e-6),
    ]
    opt = make_optimizer([0.1, 0.1])  # ignored: absolute schedules set the values
    scheduler = WarmcosLR(opt, schedules)
    assert opt.param_groups[0]["lr"] == 0.0
    opt.step()
    for _ in range(5):
        scheduler.step()
    assert [g["lr"] for g in opt.param_groups] == [1e-3, 1e-5]
    for _ in range(30):
        scheduler.step()
    assert [g["lr"] for g in opt.param_groups] == [1e-4, 1e-6]  # absolute floors, held


def test_after_policies_past_the_end():
    wrap = SHAPE.replace(total_steps=20, warmup_steps=4, after="wrap")
    opt = make_optimizer([1.0])
    scheduler = WarmcosLR(opt, wrap)
    opt.step()
    for _ in range(36):
        scheduler.step()
    assert opt.param_groups[0]["lr"] == wrap(36) == wrap.peak_lr  # back at the peak at 2T - w
    strict = SHAPE.replace(total_steps=20, warmup_steps=4, after="raise")
    opt = make_optimizer([1.0])
    scheduler = WarmcosLR(opt, strict)
    opt.step()
    for _ in range(20):
        scheduler.step()
    assert opt.param_groups[0]["lr"] == strict.final_lr
    with pytest.raises(ValueError, match=r"step must be <= total_steps=20 .*received step=21"):
        scheduler.step()


def test_step_before_optimizer_step_warns_like_torch():
    opt = make_optimizer([1.0])
    scheduler = WarmcosLR(opt, SHAPE)
    with pytest.warns(UserWarning, match=r"called before optimizer\.step\(\)"):
        scheduler.step()


def test_get_lr_and_closed_form_are_the_current_values():
    opt = make_optimizer(GROUP_LRS)
    scheduler = WarmcosLR(opt, SHAPE, peak="optimizer")
    opt.step()
    for _ in range(1500):
        scheduler.step()
    want = [s(1500) for s in scheduler.group_schedules]
    assert scheduler.get_lr() == want == [g["lr"] for g in opt.param_groups]
    assert repr(scheduler).startswith("WarmcosLR(Schedule(peak_lr=1.0, total_steps=8000")
    assert repr(scheduler).endswith(", scaled per group, step=1500)")


def test_a_chunk_boundary_is_invisible():
    # Values are evaluated a chunk at a time; a step on either side of a boundary is exact.
    opt = make_optimizer([1.0])
    long = SHAPE.replace(total_steps=10**9, warmup_steps=10**6)
    scheduler = WarmcosLR(opt, long)
    state = scheduler.state_dict()
    state["step"] = 3 * wt._CHUNK - 2
    scheduler.load_state_dict(state)
    for k in range(3 * wt._CHUNK - 2, 3 * wt._CHUNK + 2):
        assert opt.param_groups[0]["lr"] == long(k)
        opt.step()
        scheduler.step()


# -- skip-aware stepping -------------------------------------------------------------------


def amp_run(skip_aware):
    """Train with a real GradScaler; make the gradients of updates 2 and 3 infinite."""
    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    schedule = Schedule(peak_lr=1.0, total_steps=10, warmup_steps=4, warmup_start_lr=0.1)
    scheduler = WarmcosLR(opt, schedule, skip_aware=skip_aware)
    scaler = torch.amp.GradScaler("cpu", init_scale=4.0)
    used, applied = [], []
    for k in range(8):
        loss = model(torch.ones(3, 2)).sum()
        scaler.scale(loss).backward()
        if k in (2, 3):
            model.weight.grad.fill_(math.inf)
        before = model.weight.detach().clone()
        used.append(opt.param_groups[0]["lr"])
        scaler.step(opt)
        scaler.update()
        opt.zero_grad()
        applied.append(not torch.equal(before, model.weight))
        scheduler.step()
    return schedule, scheduler, used, applied


def test_skip_aware_does_not_advance_on_a_skipped_amp_step():
    schedule, scheduler, used, applied = amp_run(skip_aware=True)
    assert applied == [True, True, False, False, True, True, True, True]
    # the skipped updates do not consume steps: the applied ones get steps 0, 1, 2, 3, ...
    assert used == [schedule(k) for k in (0, 1, 2, 2, 2, 3, 4, 5)]
    assert scheduler.last_epoch == 6


def test_without_skip_aware_a_skipped_amp_step_still_advances():
    schedule, scheduler, used, applied = amp_run(skip_aware=False)
    assert applied == [True, True, False, False, True, True, True, True]
    assert used == [schedule(k) for k in range(8)]
    assert scheduler.last_epoch == 8


def test_skip_aware_advances_at_most_one_step_per_call_and_never_warns():
    opt = make_optimizer([1.0])
    scheduler = WarmcosLR(opt, SHAPE, skip_aware=True)
    scheduler.step()  # no optimizer step yet: a skipped update, not a misordered loop
    assert scheduler.last_epoch == 0
    opt.step()
    opt.step()
    scheduler.step()
    scheduler.step()
    assert scheduler.last_epoch == 1
    assert opt.param_groups[0]["lr"] == SHAPE(1)


def test_skip_aware_hook_goes_with_the_scheduler():
    import gc

    opt = make_optimizer([1.0])
    scheduler = WarmcosLR(opt, SHAPE, skip_aware=True)
    assert len(opt._optimizer_step_post_hooks) == 1
    del scheduler
    gc.collect()
    assert len(opt._optimizer_step_post_hooks) == 0
    opt.step()  # nothing left that refers to the dead scheduler


def skip_aware_pair():
    opt = make_optimizer([1.0])
    scheduler = WarmcosLR(opt, SHAPE, skip_aware=True)
    for _ in range(3):
        opt.step()
        scheduler.step()
    return opt, scheduler


def pickled(pair):
    import pickle

    return pickle.loads(pickle.dumps(pair))


def deep_copied(pair):
    import copy

    return copy.deepcopy(pair)


@pytest.mark.parametrize("duplicate", [deep_copied, pickled])
def test_a_copied_skip_aware_scheduler_follows_its_own_optimizer(duplicate):
    opt, scheduler = skip_aware_pair()
    opt2, scheduler2 = duplicate((opt, scheduler))
    assert scheduler2.last_epoch == 3
    for k in range(4, 8):  # the copy advances with its optimizer's applied steps
        opt2.step()
        scheduler2.step()
        assert scheduler2.last_epoch == k
        assert opt2.param_groups[0]["lr"] == SHAPE(k)
    scheduler2.step()  # no optimizer step since: a skipped update, as before the copy
    assert scheduler2.last_epoch == 7
    assert scheduler.last_epoch == 3  # the original saw none of the copy's steps
    opt.step()
    scheduler.step()
    assert (scheduler.last_epoch, scheduler2.last_epoch) == (4, 7)


def test_a_shallow_copy_of_a_skip_aware_scheduler_is_told_of_the_shared_optimizer():
    import copy

    opt, scheduler = skip_aware_pair()
    twin = copy.copy(scheduler)
    opt.step()
    twin.step()
    scheduler.step()
    assert twin.last_epoch == scheduler.last_epoch == 4


# -- bad input: each a clear error, nothing half-built --------------------------------------


def test_rejects_a_non_optimizer():
    model = torch.nn.Linear(2, 1)
    with pytest.raises(TypeError, match=r"optimizer must be a torch\.optim\.Optimizer.*Linear"):
        WarmcosLR(model, SHAPE)


@pytest.mark.parametrize(
    ("schedule", "error", "pattern"),
    [
        # a dict is a config: read by Schedule.from_dict, so its errors are from_dict's
        ({"peak_lr": 1.0}, ValueError, r"config is missing required keys \['total_steps'\]"),
        ("cosine", TypeError, r"schedule must be a warmcos\.Schedule.*type str"),
        (lambda s: 1.0, TypeError, r"schedule must be a warmcos\.Schedule.*function"),
        ([SHAPE, 0.1], TypeError, r"schedule\[1\] must be a warmcos\.Schedule.*type float"),
        ([SHAPE], ValueError, r"one Schedule per param group.*2 param groups.*received 1"),
        ([SHAPE] * 3, ValueError, r"one Schedule per param group.*2 param groups.*received 3"),
        (
            Schedule(peak_lr=0.0, total_steps=10),
            ValueError,
            r"schedule\.peak_lr must be > 0.*peak_lr=0\.0",
        ),
    ],
)
def test_rejects_bad_schedules(schedule, error, pattern):
    opt = make_optimizer([0.1, 0.2])
    with pytest.raises(error, match=pattern):
        WarmcosLR(opt, schedule)
    assert all("initial_lr" not in g for g in opt.param_groups)  # nothing half-built
    assert not hasattr(opt.step, "_wrapped_by_lr_sched")


@pytest.mark.parametrize(
    ("lr", "error", "pattern"),
    [
        (-0.1, ValueError, r"param group 1's lr must be finite and >= 0; received lr=-0\.1"),
        (math.nan, ValueError, r"param group 1's lr must be finite.*lr=nan"),
        (torch.tensor([0.1, 0.2]), TypeError, r"param group 1's lr .*shape \(2,\)"),
        ("0.1", TypeError, r"param group 1's lr must be a real number.*type str"),
    ],
)
def test_rejects_bad_group_lrs(lr, error, pattern):
    opt = make_optimizer([0.1, 0.2])
    opt.param_groups[1]["lr"] = lr
    with pytest.raises(error, match=pattern):
        WarmcosLR(opt, SHAPE)


def test_rejects_unknown_resume_policy_and_bad_options():
    opt = make_optimizer([1.0])
    with pytest.raises(
        ValueError,
        match=r"resume must be one of 'check', 'new', 'checkpoint', 'replan'; received .*'old'",
    ):
        WarmcosLR(opt, SHAPE, resume="old")
    with pytest.raises(TypeError, match=r"skip_aware must be a bool; received skip_aware=1"):
        WarmcosLR(opt, SHAPE, skip_aware=1)
    scheduler = WarmcosLR(opt, SHAPE)
    with pytest.raises(ValueError, match=r"resume must be one of .*received resume='latest'"):
        scheduler.load_state_dict(scheduler.state_dict(), resume="latest")


def test_step_with_an_epoch_is_refused():
    opt = make_optimizer([1.0])
    scheduler = WarmcosLR(opt, SHAPE)
    opt.step()
    with pytest.raises(TypeError, match=r"takes no epoch.*received epoch=5"):
        scheduler.step(5)
    assert scheduler.last_epoch == 0


def test_a_param_group_added_later_is_a_clear_error():
    opt = make_optimizer([1.0])
    scheduler = WarmcosLR(opt, SHAPE)
    opt.step()
    opt.add_param_group({"params": [torch.nn.Parameter(torch.ones(1))], "lr": 0.1})
    with pytest.raises(ValueError, match=re.escape("has 2 param groups but WarmcosLR was built")):
        scheduler.step()
