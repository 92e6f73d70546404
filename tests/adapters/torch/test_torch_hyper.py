"""WarmcosLR's ``hyper``: any param-group key (weight decay, momentum, betas, a custom key).

Every driven key of every group equals its schedule at every update, one ``state_dict``
holds them all, each resume policy treats them as it treats the lr, and bad input names the
key.
"""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

from warmcos import Composition, Schedule, Segment
from warmcos.torch import WarmcosLR

LR = Schedule(peak_lr=1e-2, total_steps=300, warmup_steps=30, warmup_start_lr=1e-4)
#: DINO's weight decay: a cosine that rises from 0.04 to 0.4.
WD = Composition([Segment(300, 0.04, 0.4, "cosine")])
#: A beta1 that falls, then rises again (OneCycle's cycled momentum).
B1 = Composition([Segment(100, 0.95, 0.85, "cosine"), Segment(200, 0.85, 0.95, "cosine")])
#: A template whose warmup rises: an ordinary schedule for a non-lr key.
EMA = Schedule(peak_lr=0.999, total_steps=300, warmup_steps=50, warmup_start_lr=0.9)
STEPS = 320  # past the end: every schedule holds


def params(n):
    return [torch.nn.Parameter(torch.ones(2)) for _ in range(n)]


def adamw(**kwargs):
    """Two groups: the second at half the lr, no weight decay, and a custom key ``ema``."""
    groups = [
        {"params": params(1), "lr": 1e-2, "weight_decay": 0.04, "ema": 0.999},
        {"params": params(1), "lr": 5e-3, "weight_decay": 0.0, "ema": 0.4995},
    ]
    return torch.optim.AdamW(groups, betas=(0.95, 0.999), **kwargs)


def trio(opt, **kwargs):
    return WarmcosLR(
        opt,
        LR,
        peak={"lr": "optimizer", "ema": "optimizer"},
        hyper={"weight_decay": [WD, None], "betas": B1, "ema": EMA},
        **kwargs,
    )


def run(opt, scheduler, n, keys=("lr", "weight_decay", "betas", "ema")):
    """The values each update used, per key and group: ``betas`` is its first entry."""
    used = {key: [[] for _ in opt.param_groups] for key in keys}
    for _ in range(n):
        for key in keys:
            for g, group in enumerate(opt.param_groups):
                value = group[key][0] if key == "betas" else group[key]
                used[key][g].append(float(value))
        opt.step()
        scheduler.step()
    return used


def curve(schedule, start, n):
    """The values WarmcosLR writes: the core's NumPy path (tests/examples says why)."""
    return schedule(np.arange(start, start + n)).tolist()


def test_every_key_of_every_group_is_its_schedule_at_every_update():
    opt = adamw()
    scheduler = trio(opt)
    used = run(opt, scheduler, STEPS)
    assert used["lr"] == [curve(LR, 0, STEPS), curve(LR.with_peak(5e-3), 0, STEPS)]
    assert used["weight_decay"] == [curve(WD, 0, STEPS), [0.0] * STEPS]  # None: left alone
    assert used["betas"] == [curve(B1, 0, STEPS)] * 2
    assert used["ema"] == [curve(EMA, 0, STEPS), curve(EMA.with_peak(0.4995), 0, STEPS)]
    assert all(g["betas"][1] == 0.999 and type(g["betas"]) is tuple for g in opt.param_groups)
    # rising, falling then rising, and a template's rising warmup: ordinary schedules
    wd, b1 = used["weight_decay"][0], used["betas"][0]
    assert (wd[0], wd[-1]) == (0.04, 0.4)
    assert wd[299] < 0.4
    assert wd == sorted(wd)
    assert min(b1) == b1[100] == pytest.approx(0.85)
    assert b1[-1] == pytest.approx(0.95)
    assert scheduler.hyper == {
        "weight_decay": (WD, None),
        "betas": (B1, B1),
        "ema": (EMA, EMA.with_peak(0.4995)),
    }
    assert "hyper=['betas', 'ema', 'weight_decay']" in repr(scheduler)


def test_sgd_momentum_and_the_lr_alone_are_unchanged_by_hyper():
    momentum = Composition([Segment(40, 0.85, 0.95, "linear")])
    opt = torch.optim.SGD(params(2), lr=1e-2, momentum=0.9)
    scheduler = WarmcosLR(opt, LR, hyper={"momentum": momentum})
    used = run(opt, scheduler, 60, keys=("lr", "momentum"))
    assert used == {"lr": [curve(LR, 0, 60)], "momentum": [curve(momentum, 0, 60)]}
    plain_opt = torch.optim.SGD(params(2), lr=1e-2, momentum=0.9)
    assert run(plain_opt, WarmcosLR(plain_opt, LR), 60, keys=("lr",))["lr"] == used["lr"]


def test_tensor_values_are_filled_in_place():
    beta1, wd = torch.tensor(0.95), torch.tensor(0.04)
    opt = torch.optim.Adam(params(1), lr=torch.tensor(1e-2), betas=(beta1, torch.tensor(0.999)))
    opt.param_groups[0]["weight_decay"] = wd
    scheduler = WarmcosLR(opt, LR, hyper={"betas": B1, "weight_decay": WD})
    used = run(opt, scheduler, 150, keys=("betas", "weight_decay"))
    group = opt.param_groups[0]
    assert group["betas"][0] is beta1
    assert group["weight_decay"] is wd
    f32 = [torch.tensor(v, dtype=torch.float32).item() for v in curve(B1, 0, 150)]
    assert used["betas"][0] == f32
    assert torch.equal(group["initial_weight_decay"], torch.tensor(0.04))  # a copy, not wd


def test_a_single_template_follows_the_peak_rule_per_key():
    wd = Schedule(peak_lr=0.1, total_steps=100, warmup_steps=10)
    opt = adamw()
    with pytest.raises(ValueError, match=r"hyper\['weight_decay'\]\.peak_lr=0\.1 differs from "
                       r"param group 0's weight_decay=0\.04 \(and 1 more group"):  # fmt: skip
        WarmcosLR(opt, LR, peak={"lr": "optimizer"}, hyper={"weight_decay": wd})
    scheduler = WarmcosLR(opt, LR, peak="schedule", hyper={"weight_decay": wd})
    assert scheduler.hyper["weight_decay"] == (wd, wd)
    assert [g["lr"] for g in opt.param_groups] == [LR(0)] * 2  # "schedule" for the lr too
    with pytest.raises(ValueError, match=r"hyper\['weight_decay'\]\.peak_lr must be > 0"):
        WarmcosLR(adamw(), LR, peak="optimizer", hyper={"weight_decay": wd.replace(peak_lr=0)})
    with pytest.raises(ValueError, match=r"Composition has no peak_lr.*for hyper\['betas'\]"):
        WarmcosLR(adamw(), LR, peak="optimizer", hyper={"betas": B1})


def test_optimizer_peaks_are_read_from_initial_values_once_driven():
    opt = adamw()
    scheduler = trio(opt)
    run(opt, scheduler, 120)
    saved_opt, saved = opt.state_dict(), scheduler.state_dict()
    opt2 = adamw()
    opt2.load_state_dict(saved_opt)  # now holds update 120's values (and the initial ones)
    fresh = trio(opt2)  # peaks from initial_ema, not from the value of update 120
    assert fresh.hyper == scheduler.hyper
    fresh.load_state_dict(saved)
    assert run(opt2, fresh, 50) == run(opt, scheduler, 50)


def test_without_numpy_and_with_dicts_every_key_is_evaluated_alone(monkeypatch):
    import warmcos.torch as wt

    monkeypatch.setattr(wt, "_numpy", lambda: None)
    opt = adamw()
    scheduler = WarmcosLR(
        opt, LR, peak={"lr": "optimizer"}, hyper={"weight_decay": [WD.to_dict(), None], "betas": B1}
    )
    used = run(opt, scheduler, 40, keys=("weight_decay", "betas"))
    assert scheduler._chunk_len == 1
    assert used["weight_decay"][0] == [WD(k) for k in range(40)]
    assert used["betas"][1] == [B1(k) for k in range(40)]


def test_a_raise_schedule_for_a_key_raises_past_its_end():
    wd = Schedule(peak_lr=0.04, total_steps=5, after="raise")
    opt = torch.optim.AdamW(params(1), lr=1e-2, weight_decay=0.04)
    scheduler = WarmcosLR(opt, LR, hyper={"weight_decay": wd})
    run(opt, scheduler, 5, keys=("weight_decay",))
    with pytest.raises(ValueError, match="after='raise'"):
        scheduler.step()


# -- state_dict and resume ---------------------------------------------------------------------


def test_state_dict_round_trips_every_key(tmp_path):
    opt = adamw()
    scheduler = trio(opt)
    run(opt, scheduler, 140)
    state = scheduler.state_dict()
    assert state["version"] == 1
    assert state["hyper"] == {
        "weight_decay": {
            "relative": False,
            "schedule": [WD.to_dict(), None],
            "group_schedules": [WD.to_dict(), None],
        },
        "betas": {
            "relative": False,
            "schedule": B1.to_dict(),
            "group_schedules": [B1.to_dict()] * 2,
        },
        "ema": {
            "relative": True,
            "schedule": EMA.to_dict(),
            "group_schedules": [EMA.to_dict(), EMA.with_peak(0.4995).to_dict()],
        },
    }
    torch.save(state, tmp_path / "s.pt")
    loaded = torch.load(tmp_path / "s.pt", weights_only=True)
    assert loaded == state == json.loads(json.dumps(state))
    opt2 = adamw()
    fresh = trio(opt2)
    fresh.load_state_dict(loaded)
    assert fresh.state_dict() == state
    assert run(opt2, fresh, 100) == run(opt, scheduler, 100)


def test_an_lr_only_state_is_unchanged_and_the_v1_fixture_loads():
    opt = torch.optim.SGD(params(1), lr=1e-2)
    assert "hyper" not in WarmcosLR(opt, LR).state_dict()
    path = Path(__file__).parents[2] / "data" / "v1" / "warmcos-0.1.0-WarmcosLR.pt"
    state = torch.load(path, weights_only=True)
    schedule = Schedule.from_dict(state["schedule"])
    opt = torch.optim.SGD(params(1), lr=schedule.peak_lr, momentum=0.9)
    scheduler = WarmcosLR(opt, schedule, hyper={"momentum": B1})
    with pytest.raises(ValueError, match=r"drives the keys none besides the lr, this one "
                       r"\['momentum'\]; resume='check' needs the same keys"):  # fmt: skip
        scheduler.load_state_dict(state)
    scheduler.load_state_dict(state, resume="new")  # the new key, from the saved step
    assert scheduler.last_epoch == 123
    assert opt.param_groups[0]["momentum"] == B1(123)
    assert opt.param_groups[0]["lr"] == schedule(123)


def test_check_lists_every_differing_field_by_key():
    opt = adamw()
    scheduler = trio(opt)
    run(opt, scheduler, 10)
    longer = WD.clocked(scale=2)
    fresh = WarmcosLR(
        adamw(),
        LR,
        peak={"lr": "optimizer", "ema": "optimizer"},
        hyper={"weight_decay": [longer, WD], "betas": B1, "ema": EMA.replace(total_steps=400)},
    )
    with pytest.raises(ValueError) as info:
        fresh.load_state_dict(scheduler.state_dict())
    lines = str(info.value).splitlines()
    assert lines[0] == "the schedule differs from the checkpoint's (resume='check'):"
    assert lines[1].startswith("  weight_decay: scale: checkpoint 1, new 2 (param group 0)")
    assert (
        lines[2]
        == "  weight_decay: kind: checkpoint 'not driven', new 'Composition' (param group 1)"
    )
    assert lines[3] == "  ema: total_steps: checkpoint 300, new 400 (param groups 0, 1)"
    assert fresh.last_epoch == 0  # nothing loaded


def test_checkpoint_adopts_and_new_keeps_each_keys_schedules():
    opt = adamw()
    scheduler = trio(opt)
    run(opt, scheduler, 150)
    saved = scheduler.state_dict()
    other = Composition([Segment(300, 0.1, 0.2, "linear")])

    def build():
        opt = adamw()
        hyper = {"weight_decay": other, "betas": B1, "ema": EMA}
        return opt, WarmcosLR(opt, LR, peak={"lr": "optimizer", "ema": "optimizer"}, hyper=hyper)

    opt2, fresh = build()
    fresh.load_state_dict(saved, resume="new")
    assert fresh.hyper["weight_decay"] == (other, other)
    assert [g["weight_decay"] for g in opt2.param_groups] == [other(150)] * 2
    opt2, fresh = build()
    opt2.load_state_dict(opt.state_dict())  # group 1's weight decay: 0 (not driven there)
    fresh.load_state_dict(saved, resume="checkpoint")
    assert fresh.hyper == scheduler.hyper
    assert fresh.state_dict() == saved
    assert run(opt2, fresh, 60) == run(opt, scheduler, 60)
    lr_only = WarmcosLR(adamw(), LR, peak="optimizer")
    with pytest.raises(ValueError, match=r"drives the keys \['betas', 'ema', 'weight_decay'\] "
                       r"besides the lr, this one none; resume='checkpoint'"):  # fmt: skip
        lr_only.load_state_dict(saved, resume="checkpoint")


def test_replan_stretches_each_templates_schedule():
    wd = Schedule(peak_lr=0.04, total_steps=300, warmup_steps=100, warmup_start_lr=0.004)
    opt = torch.optim.AdamW(params(1), lr=1e-2, weight_decay=0.04)
    scheduler = WarmcosLR(opt, LR, hyper={"weight_decay": wd})
    run(opt, scheduler, 200, keys=("weight_decay",))
    opt2 = torch.optim.AdamW(params(1), lr=1e-2, weight_decay=0.04)
    longer = LR.replace(total_steps=600)
    fresh = WarmcosLR(
        opt2, longer, hyper={"weight_decay": wd.replace(total_steps=600)}, resume="replan"
    )
    fresh.load_state_dict(scheduler.state_dict())
    assert fresh.hyper["weight_decay"] == (wd.replan(200, 600),)
    assert opt2.param_groups[0]["weight_decay"] == wd(200)  # no jump
    assert fresh.hyper["weight_decay"][0](600) == 0.0
    opt3 = adamw()
    composed = trio(opt3)
    with pytest.raises(ValueError, match="composition has no one decay to stretch"):
        composed.load_state_dict(composed.state_dict(), resume="replan")


def test_a_malformed_hyper_state_names_the_key():
    opt = adamw()
    state = trio(opt).state_dict()
    state["hyper"]["betas"]["relative"] = "no"
    with pytest.raises(ValueError, match=r"hyper\['betas'\] relative must be a bool"):
        trio(adamw()).load_state_dict(state)
    state["hyper"] = {}
    with pytest.raises(ValueError, match=r"hyper must be a non-empty mapping"):
        trio(adamw()).load_state_dict(state)


def test_copies_drive_their_own_optimizer():
    opt = adamw()
    scheduler = trio(opt, skip_aware=True)
    run(opt, scheduler, 10)
    for clone in (copy.deepcopy(scheduler), pickle.loads(pickle.dumps(scheduler))):
        assert clone.hyper == scheduler.hyper
        assert run(clone.optimizer, clone, 5) == run(*copy.deepcopy((opt, scheduler)), 5)


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hyper", "error", "pattern"),
    [
        ({"eps2": WD}, ValueError, r"param group 0 has no 'eps2' to drive \(its keys: "),
        ({"lr": WD}, ValueError, r"other than the lr \(the lr is driven by schedule.*'lr'"),
        ({"params": WD}, ValueError, r"received the key 'params'"),
        ({"weight_decay": 0.1}, TypeError, r"hyper\['weight_decay'\] must be a warmcos.Schedule"),
        ({"weight_decay": [WD, 3]}, TypeError, r"hyper\['weight_decay'\]\[1\] must be .* or None"),
        ({"weight_decay": [WD]}, ValueError, r"hyper\['weight_decay'\] must have one Schedule per"),
        ({"weight_decay": [None, None]}, ValueError, r"hyper\['weight_decay'\] drives no param"),
        ({"weight_decay": {"peak_lr": 1}}, ValueError, r"hyper\['weight_decay'\]: .*total_steps"),
        ([("weight_decay", WD)], TypeError, r"hyper must be a mapping .*received hyper=\["),
    ],
)
def test_bad_input_names_the_key(hyper, error, pattern):
    opt = adamw()
    before = [dict(g) for g in opt.param_groups]
    with pytest.raises(error, match=pattern):
        WarmcosLR(opt, LR, peak="optimizer", hyper=hyper)
    assert [dict(g) for g in opt.param_groups] == before  # nothing half-built


def test_bad_group_values_name_the_key():
    opt = adamw()
    opt.param_groups[1]["betas"] = [0.9, 0.999]
    with pytest.raises(
        TypeError, match=r"param group 1's betas must be a tuple .*\[0\.9, 0\.999\]"
    ):
        WarmcosLR(opt, LR, peak="optimizer", hyper={"betas": B1})
    opt.param_groups[1]["ema"] = "high"
    with pytest.raises(TypeError, match=r"param group 1's ema must be a real number; .*'high'"):
        WarmcosLR(opt, LR, peak="optimizer", hyper={"ema": [EMA, EMA]})
    opt.param_groups[1]["ema"] = torch.ones(2)
    with pytest.raises(TypeError, match=r"param group 1's ema must be a real number or a one-"):
        WarmcosLR(opt, LR, peak="optimizer", hyper={"ema": [EMA, EMA]})
    opt.param_groups[1]["ema"] = float("nan")
    with pytest.raises(ValueError, match=r"param group 1's ema must be finite and >= 0"):
        WarmcosLR(opt, LR, peak="optimizer", hyper={"ema": [EMA, EMA]})


def test_a_peak_mapping_names_its_key():
    with pytest.raises(ValueError, match=r"peak's keys must be 'lr' or keys of hyper .*'wd'"):
        WarmcosLR(adamw(), LR, peak={"lr": "optimizer", "wd": None}, hyper={"betas": B1})
    with pytest.raises(ValueError, match=r"peak\['betas'\] must be None, 'optimizer', "):
        WarmcosLR(adamw(), LR, peak={"lr": "optimizer", "betas": "max"}, hyper={"betas": B1})


# -- torch.compile -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated:DeprecationWarning")
@pytest.mark.parametrize("tensor", [True, False], ids=["tensor_wd", "float_wd"])
def test_a_compiled_step_with_a_scheduled_weight_decay_stops_compiling(tensor):
    import torch._dynamo
    from torch._dynamo.testing import CompileCounterWithBackend

    def train(compiled):
        torch.manual_seed(0)
        model = torch.nn.Linear(8, 8)
        wd0 = torch.tensor(0.04) if tensor else 0.04
        opt = torch.optim.AdamW(model.parameters(), lr=torch.tensor(1e-2), weight_decay=wd0)
        scheduler = WarmcosLR(opt, LR, hyper={"weight_decay": WD})
        step = torch.compile(opt.step, backend=backend) if compiled else opt.step
        frames, used = [], []
        g = torch.Generator().manual_seed(1)
        for _ in range(60):
            model(torch.randn(4, 8, generator=g)).pow(2).sum().backward()
            used.append(float(opt.param_groups[0]["weight_decay"]))
            step()
            opt.zero_grad()
            scheduler.step()
            frames.append(backend.frame_count)
        return model, frames, used

    torch._dynamo.reset()
    backend = CompileCounterWithBackend("aot_eager")
    model, frames, used = train(compiled=True)
    torch._dynamo.reset()
    eager, _, _ = train(compiled=False)
    # the compiled step used each new weight decay: the weights of an eager run
    torch.testing.assert_close(model.weight, eager.weight, rtol=1e-4, atol=1e-5)
    # A tensor weight decay: compiled at the first update (two frames: a graph break in
    # Adam's _get_value), never again; a float one: once more at the second update, where
    # dynamo makes the float dynamic, never again.
    assert frames[2:] == [frames[2]] * 58
    assert frames[0] == (2 if tensor else 1)
    want = curve(WD, 0, 60)
    if tensor:
        want = [torch.tensor(v, dtype=torch.float32).item() for v in want]
    assert used == want
