"""Schedule and the reference function on torch tensors of steps, through the core's shim."""

from __future__ import annotations

import pytest
import torch

from warmcos import Schedule, cosine_learning_rate_with_linear_warmup

SCHEDULE = Schedule(
    peak_lr=0.5, total_steps=1000, warmup_steps=100, warmup_start_lr=0.05, final_lr=1e-3
)
INTS = [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]
FLOATS = [torch.float16, torch.bfloat16, torch.float32, torch.float64]


def exact(schedule, steps):
    """The Python-float values of the schedule at each step, as a float64 tensor."""
    return torch.tensor([schedule(int(s)) for s in steps.flatten().tolist()], dtype=torch.float64)


@pytest.mark.parametrize("dtype", INTS)
def test_integer_steps_of_any_width_give_default_float_tensors(dtype):
    top = 127 if dtype == torch.int8 else 255 if dtype == torch.uint8 else 1100
    steps = torch.arange(0, top, dtype=dtype).reshape(-1, 1)
    out = SCHEDULE(steps)
    assert isinstance(out, torch.Tensor)
    assert out.dtype == torch.get_default_dtype() == torch.float32
    assert out.shape == steps.shape
    torch.testing.assert_close(out.flatten().double(), exact(SCHEDULE, steps), rtol=1e-6, atol=0)


@pytest.mark.parametrize("dtype", FLOATS)
def test_float_steps_keep_their_dtype(dtype):
    steps = torch.tensor([0.0, 50.0, 100.0, 512.0, 999.0, 1000.0, 2000.0], dtype=dtype)
    out = SCHEDULE(steps)
    assert out.dtype == dtype
    want = exact(SCHEDULE, steps.double()).to(dtype)
    if dtype == torch.float64:
        torch.testing.assert_close(out, want, rtol=4e-16, atol=0)
    else:
        torch.testing.assert_close(out, want)  # within the dtype's own tolerance
    assert out[2].item() == torch.tensor(0.5, dtype=dtype).item()  # the peak, exactly


def test_float64_steps_match_python_numbers_to_a_few_ulp():
    steps = torch.arange(0, 1001, dtype=torch.float64)
    torch.testing.assert_close(SCHEDULE(steps), exact(SCHEDULE, steps), rtol=1e-15, atol=0)


def test_integer_steps_follow_torch_default_dtype():
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        out = SCHEDULE(torch.arange(0, 1001))
    finally:
        torch.set_default_dtype(previous)
    assert out.dtype == torch.float64
    torch.testing.assert_close(out, exact(SCHEDULE, torch.arange(0, 1001)), rtol=1e-15, atol=0)


def test_scalar_tensor_in_scalar_tensor_out():
    out = SCHEDULE(torch.tensor(100))
    assert isinstance(out, torch.Tensor)
    assert out.shape == ()
    assert out.item() == torch.tensor(0.5).item()


def test_reference_function_takes_and_returns_tensors():
    steps = torch.arange(0, 17)
    out = cosine_learning_rate_with_linear_warmup(steps, 1.0, 0.1, 4, 10)
    assert isinstance(out, torch.Tensor)
    assert out.dtype == torch.float32
    want = [0.1, 0.325, 0.55, 0.775, 1.0, 0.933, 0.75, 0.5, 0.25, 0.067, 0.0]
    want += [0.067, 0.25, 0.5, 0.75, 0.933, 1.0]  # the reference rises again past T
    assert [round(v, 3) for v in out.tolist()] == want


def test_bad_tensor_steps_are_clear_errors():
    with pytest.raises(TypeError, match=r"step must be a tensor of integers or floats.*bool"):
        SCHEDULE(torch.tensor([True, False]))
    with pytest.raises(TypeError, match=r"complex"):
        SCHEDULE(torch.tensor([1j]))
    with pytest.raises(ValueError, match=r"step must be >= 0; received step=-3"):
        SCHEDULE(torch.tensor([0, -3, 5]))
    with pytest.raises(ValueError, match=r"finite.*nan"):
        SCHEDULE(torch.tensor([1.0, float("nan")]))
    strict = SCHEDULE.replace(after="raise")
    with pytest.raises(ValueError, match=r"step must be <= total_steps=1000 .*received step=1001"):
        strict(torch.arange(0, 1002))
