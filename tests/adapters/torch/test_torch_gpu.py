"""CUDA: graph-captured optimizer steps see each new lr; inductor compiles once; CUDA step tensors.

Skipped where there is no CUDA device (CI). Run on a GPU machine with
``python -m pytest tests/adapters/torch/test_torch_gpu.py -m gpu``.
"""

from __future__ import annotations

import pytest
import torch

from warmcos import Schedule
from warmcos.torch import WarmcosLR

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
    pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated:DeprecationWarning"),
]

SCHEDULE = Schedule(peak_lr=1e-2, total_steps=150, warmup_steps=20, warmup_start_lr=1e-4)
REPLAYS = 60


def adam_on_cuda(seed=0):
    """A model, a capturable Adam whose lr is a CUDA tensor, and fixed gradients."""
    torch.manual_seed(seed)
    model = torch.nn.Linear(64, 64, device="cuda")
    lr = torch.tensor(0.0, device="cuda")
    opt = torch.optim.Adam(model.parameters(), lr=lr, capturable=True)
    g = torch.Generator(device="cuda").manual_seed(1)
    for p in model.parameters():
        p.grad = torch.randn(p.shape, device="cuda", generator=g)
    return model, opt


def warm_up(opt):
    """Adam's lazy state, made on a side stream before capture (as torch's docs ask)."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            opt.step()
    torch.cuda.current_stream().wait_stream(side)


def test_cuda_graph_replays_use_the_lr_written_in_place_between_them():
    # Graph-captured: the captured step reads the lr tensor's memory at every replay.
    model, opt = adam_on_cuda()
    scheduler = WarmcosLR(opt, [SCHEDULE])  # absolute: the lr tensor's start value is unused
    lr_tensor = opt.param_groups[0]["lr"]
    address = lr_tensor.data_ptr()
    warm_up(opt)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        opt.step()
    seen = []
    for _ in range(REPLAYS):
        scheduler.step()
        seen.append(lr_tensor.item())
        graph.replay()
    torch.cuda.synchronize()
    assert opt.param_groups[0]["lr"] is lr_tensor
    assert lr_tensor.data_ptr() == address  # same memory: what the graph reads
    assert seen == [torch.tensor(SCHEDULE(k)).item() for k in range(1, REPLAYS + 1)]

    # The same steps run eagerly: the replays gave the same weights...
    eager_model, eager_opt = adam_on_cuda()
    eager_scheduler = WarmcosLR(eager_opt, [SCHEDULE])
    warm_up(eager_opt)
    for _ in range(REPLAYS):
        eager_scheduler.step()
        eager_opt.step()
    torch.testing.assert_close(model.weight, eager_model.weight, rtol=1e-5, atol=1e-6)
    # ...and far from replays whose lr was never updated (a baked-in lr would give those).
    frozen_model, frozen_opt = adam_on_cuda()
    WarmcosLR(frozen_opt, [SCHEDULE])
    warm_up(frozen_opt)
    frozen = torch.cuda.CUDAGraph()
    with torch.cuda.graph(frozen):
        frozen_opt.step()
    for _ in range(REPLAYS):
        frozen.replay()
    torch.cuda.synchronize()
    assert (frozen_model.weight - model.weight).abs().max().item() > 1e-2


def test_inductor_compiled_optimizer_step_compiles_once_on_cuda():
    from torch._dynamo.testing import CompileCounterWithBackend

    torch._dynamo.reset()
    torch.manual_seed(0)
    model = torch.nn.Linear(64, 64, device="cuda")
    opt = torch.optim.Adam(model.parameters(), lr=torch.tensor(1e-2, device="cuda"))
    scheduler = WarmcosLR(opt, SCHEDULE)
    backend = CompileCounterWithBackend("inductor")
    step = torch.compile(opt.step, backend=backend)
    x = torch.randn(32, 64, device="cuda")
    for k in range(200):
        model(x).pow(2).mean().backward()
        step()
        opt.zero_grad()
        scheduler.step()
        if k == 0:
            frames = backend.frame_count
    assert frames == 1
    assert backend.frame_count == 1  # zero recompilations over 200 steps
    assert opt.param_groups[0]["lr"].item() == torch.tensor(SCHEDULE(200)).item()
    torch._dynamo.reset()


@pytest.mark.parametrize("dtype", [torch.int32, torch.int64, torch.float32, torch.float64])
def test_schedule_on_cuda_step_tensors(dtype):
    steps = torch.arange(0, 200, device="cuda").to(dtype)
    out = SCHEDULE(steps)
    assert out.device == steps.device
    want = SCHEDULE(steps.cpu())
    torch.testing.assert_close(
        out.cpu(), want, rtol=1e-6 if want.dtype == torch.float32 else 1e-15, atol=0
    )
