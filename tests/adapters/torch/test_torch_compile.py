"""torch.compile: a compiled optimizer driven by WarmcosLR compiles once and never again."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch._dynamo
from torch._dynamo.testing import CompileCounterWithBackend
from torch._dynamo.utils import counters

from exact import exact_family_lr
from warmcos import Schedule, _xp_torch
from warmcos.torch import WarmcosLR

# torch 2.13's dynamo touches torch.jit.script_method while it compiles, which warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:`torch.jit.script_method` is deprecated:DeprecationWarning"
)

SCHEDULE = Schedule(peak_lr=1e-2, total_steps=150, warmup_steps=20, warmup_start_lr=1e-4)
STEPS = 200  # through the warmup, the decay, and 50 steps held at the end


@pytest.fixture(autouse=True)
def fresh_dynamo():
    torch._dynamo.reset()
    counters.clear()
    yield
    torch._dynamo.reset()


#: WSD and SGDR members of the family, 200 steps long like SCHEDULE's run.
FAMILY = {
    "wsd": Schedule(1e-2, 150, warmup_steps=20, warmup_start_lr=1e-4, stable_steps=80,
                    decay_shape="1-sqrt"),
    "sgdr": Schedule(1e-2, 150, warmup_steps=10, warmup_start_lr=1e-4, cycles=3, cycle_mul=2.0,
                     cycle_decay=0.5, cycle_warmup_steps=5, final_lr=1e-5),
}  # fmt: skip


def setup(lr, schedule=SCHEDULE, **kwargs):
    torch.manual_seed(0)
    model = torch.nn.Linear(8, 8)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    return model, opt, WarmcosLR(opt, schedule, **kwargs)


def train(model, opt, scheduler, step_fn, after_first=None):
    """Run STEPS updates; return the lrs used (as floats)."""
    used = []
    g = torch.Generator().manual_seed(1)
    for k in range(STEPS):
        model(torch.randn(4, 8, generator=g)).pow(2).sum().backward()
        used.append(float(opt.param_groups[0]["lr"]))
        step_fn()
        opt.zero_grad()
        scheduler.step()
        if k == 0 and after_first is not None:
            after_first()
    return used


def compile_count():
    """Frames compiled and graphs made so far, from torch._dynamo's counters."""
    return dict(counters["stats"])


@pytest.mark.slow
def test_compiled_optimizer_step_with_tensor_lr_compiles_once():
    model, opt, scheduler = setup(torch.tensor(1e-2))
    lr_tensor = opt.param_groups[0]["lr"]
    backend = CompileCounterWithBackend("aot_eager")
    first = {}
    used = train(
        model,
        opt,
        scheduler,
        torch.compile(opt.step, backend=backend),
        after_first=lambda: first.update(compile_count(), frames=backend.frame_count),
    )
    assert first["frames"] == 1
    assert first["unique_graphs"] >= 1
    # zero recompilations over the remaining 199 steps
    assert backend.frame_count == 1
    assert compile_count() == {k: v for k, v in first.items() if k != "frames"}
    assert opt.param_groups[0]["lr"] is lr_tensor
    want = [torch.tensor(SCHEDULE(k), dtype=torch.float32).item() for k in range(STEPS)]
    assert used == want
    # The compiled step really used each new lr: the weights of an eager run (up to the
    # compiled Adam's float32 rounding), far from those of a run frozen at the first lr.
    eager_model, eager_opt, eager_sched = setup(torch.tensor(1e-2))
    train(eager_model, eager_opt, eager_sched, eager_opt.step)
    torch.testing.assert_close(model.weight, eager_model.weight, rtol=1e-4, atol=1e-5)
    frozen_model, frozen_opt, _ = setup(torch.tensor(1e-2))
    frozen_opt.param_groups[0]["lr"].fill_(SCHEDULE(0))
    train(
        frozen_model,
        frozen_opt,
        WarmcosLR(frozen_opt, [SCHEDULE.replace(peak_lr=1e-4)]),
        frozen_opt.step,
    )
    assert (frozen_model.weight - model.weight).abs().max() > 0.1


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FAMILY))
def test_wsd_and_sgdr_drive_a_compiled_optimizer_without_recompiling(name):
    schedule = FAMILY[name]
    model, opt, scheduler = setup(torch.tensor(1e-2), schedule)
    backend = CompileCounterWithBackend("aot_eager")
    used = train(model, opt, scheduler, torch.compile(opt.step, backend=backend))
    assert backend.frame_count == 1  # compiled once, through restarts and the cooldown
    want = [torch.tensor(schedule(k), dtype=torch.float32).item() for k in range(STEPS)]
    assert used == want
    assert len(set(used)) > 50  # the lr really moved: warmup, restarts, decays


@pytest.mark.slow
def test_the_counter_does_see_recompilations_of_a_float_lr():
    # The control: a float lr changed every step makes dynamo recompile.
    model, opt, scheduler = setup(1e-2)
    backend = CompileCounterWithBackend("aot_eager")
    train(model, opt, scheduler, torch.compile(opt.step, backend=backend))
    assert backend.frame_count > 1


@pytest.mark.slow
def test_a_compiled_train_step_calling_the_scheduler_compiles_once():
    # The tutorial's recipe: optimizer.step() and scheduler.step() in one compiled function.
    # WarmcosLR.step() runs eagerly behind a graph break instead of being specialised on the
    # step number (which would recompile at every step).
    model, opt, scheduler = setup(torch.tensor(1e-2))
    backend = CompileCounterWithBackend("aot_eager")

    @torch.compile(backend=backend)
    def step_both():
        opt.step()
        scheduler.step()

    g = torch.Generator().manual_seed(1)
    for k in range(STEPS):
        model(torch.randn(4, 8, generator=g)).pow(2).sum().backward()
        assert float(opt.param_groups[0]["lr"]) == torch.tensor(SCHEDULE(k)).item()
        step_both()
        opt.zero_grad()
        if k == 0:
            frames = backend.frame_count
    assert backend.frame_count == frames
    assert scheduler.last_epoch == STEPS


@pytest.mark.slow
def test_skip_aware_counts_compiled_optimizer_steps_without_recompiling():
    model, opt, scheduler = setup(torch.tensor(1e-2), skip_aware=True)
    backend = CompileCounterWithBackend("aot_eager")
    used = train(model, opt, scheduler, torch.compile(opt.step, backend=backend))
    assert backend.frame_count == 1
    assert scheduler.last_epoch == STEPS  # the post-hook saw every compiled step
    assert used[25] == torch.tensor(SCHEDULE(25)).item()


@pytest.mark.slow
def test_schedule_traces_under_compile_on_tensor_steps():
    compiled = torch.compile(SCHEDULE.__call__, backend="aot_eager", dynamic=True)
    steps = torch.arange(0, 160)
    torch.testing.assert_close(compiled(steps), SCHEDULE(steps), rtol=0, atol=0)
    # traced steps cannot raise: a negative step is NaN, as the core documents
    assert torch.isnan(compiled(torch.tensor([-1, 3]))[0])


#: Powers and a wide ratio: the double-word paths of the core (docs/accuracy.md).
POWERS = {
    "cosine-p50": Schedule(1e-2, 150, warmup_steps=20, power=50.0),
    "polynomial-p7.7-poly-warmup": Schedule(1e-2, 150, warmup_steps=20, decay_shape="polynomial",
                                            power=7.7, warmup_shape="polynomial", warmup_power=2.0),
    "exponential-30-decades": Schedule(1.0, 150, warmup_steps=20, decay_shape="exponential",
                                       final_lr=1e-30),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(POWERS))
def test_powers_compile_with_inductor_into_one_graph_and_stay_exact(name, monkeypatch):
    # The double-word path is one custom operator under torch.compile: its few hundred
    # operations, each result read several times, grew Inductor's inlining exponentially.
    schedule = POWERS[name]
    steps = torch.arange(0, 160)
    eager = schedule(steps)  # (outside a trace: makes the operator)
    backend = CompileCounterWithBackend("inductor")
    compiled = torch.compile(schedule.__call__, backend=backend, fullgraph=True)(steps)
    assert backend.frame_count == 1
    torch.testing.assert_close(compiled, eager, rtol=0, atol=0)
    exact = np.array([float(exact_family_lr(schedule, s)) for s in range(160)], np.float32)
    ulps = np.abs(compiled.numpy().view(np.int32) - exact.view(np.int32))
    assert ulps.max() <= 8, (ulps.max(), int(ulps.argmax()))
    # First met inside a trace (no operator yet): it runs eagerly behind a graph break.
    monkeypatch.setattr(_xp_torch, "_TORCH_OPS", {})
    torch._dynamo.reset()
    graph_break = torch.compile(schedule.__call__, backend="aot_eager")(steps)
    torch.testing.assert_close(graph_break, eager, rtol=0, atol=0)
