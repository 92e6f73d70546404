"""The array namespace of torch tensors, and the custom operator it uses under ``torch.compile``.

Imported by :func:`warmcos._xp.namespace_of` only for a value whose type comes from torch, so
torch is already imported. Its elementwise ops come from :data:`warmcos._xp.OPS`; what is
written here is what only torch needs: its casts, its integer clamps, and ``warmcos::isolated``
(:meth:`_Torch.isolated`), the one operator a double-word path becomes under ``torch.compile``.
"""

from __future__ import annotations

from ._xp import Namespace, _bind, _number

# Not `typing.TYPE_CHECKING`, as in `_xp`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._xp import Bounds

__all__: list[str] = []


class _Torch(Namespace):
    """torch tensors: int64 steps; the input's float dtype, else torch's default float dtype."""

    framework = "torch"
    lifts = True

    def __init__(self, like: Any) -> None:
        import torch

        self.torch = torch
        _bind(_Torch, torch)
        self.device = like.device
        if like.dtype.is_floating_point:
            self.out_dtype = like.dtype
        else:
            self.out_dtype = torch.get_default_dtype()
        # Half-precision inputs are computed in float32 and cast back at the end.
        self.dtype = self.out_dtype if self.out_dtype.itemsize >= 4 else torch.float32
        # Under torch.compile values are symbolic: no bounds, no data-dependent branches.
        self.concrete = not torch.compiler.is_compiling()

    def steps(self, step: Any) -> Any:
        torch = self.torch
        if step.dtype == torch.bool or step.dtype.is_complex:
            raise TypeError(
                f"step must be a tensor of integers or floats; received dtype {step.dtype}"
            )
        if step.dtype.is_floating_point:
            return step.to(self.dtype)
        s = step.to(torch.int64)
        if step.dtype == getattr(torch, "uint64", None) and self.concrete and s.numel():
            wrapped = int(s.min())  # a uint64 step from 2**63 wraps to a negative int64
            if wrapped < 0:
                raise ValueError(
                    f"step must be < 2**63 (torch steps are int64); received step={wrapped + 2**64}"
                )
        return s

    def bounds(self, s: Any) -> Bounds | None:
        if s.numel() == 0:
            return None
        lo, hi = self.torch.aminmax(s)
        return (_number(lo), _number(hi))

    def _t(self, x: Any) -> Any:
        if isinstance(x, self.torch.Tensor):
            return x
        return self.torch.as_tensor(x, dtype=self.dtype, device=self.device)

    def to_float(self, x: Any) -> Any:
        return self._t(x).to(self.dtype)

    def const(self, x: Any) -> Any:
        return self._t(x)

    def power(self, x: Any, p: Any) -> Any:
        # The exponent as given: a Python number takes torch's scalar kernel, in x's dtype.
        return self.torch.pow(self._t(x), p)

    def minimum(self, x: Any, bound: Any) -> Any:
        if isinstance(x, self.torch.Tensor) and not isinstance(bound, self.torch.Tensor):
            return self.torch.clamp(x, max=bound)  # an int bound keeps int steps exact
        return self.torch.minimum(self._t(x), self._t(bound))

    def clip(self, x: Any, lo: Any, hi: Any) -> Any:
        return self.torch.clamp(self._t(x), min=lo, max=hi)  # int bounds keep int steps

    def finish(self, x: Any) -> Any:
        return self._t(x).to(self.out_dtype)

    def isolated(self, phi: Any, n: Any, length: int, consts: tuple[float, ...]) -> Any:
        if self.concrete:
            _torch_isolated()  # made now, outside any trace, for later compiled calls
            return phi(self, n, length, consts)
        args = (n, phi.__name__, length, [float(c) for c in consts], self.dtype.itemsize == 8)
        if _TORCH_OPS:
            return _TORCH_OPS["isolated"](*args)
        # First seen inside a trace, where no operator can be made: run it eagerly (a graph
        # break, as ``WarmcosLR.step`` under ``torch.compile`` has).
        return self.torch.compiler.disable(_isolated_eagerly)(*args)  # type: ignore[no-untyped-call]


def _isolated_eagerly(n: Any, phi: str, length: int, consts: list[float], double: bool) -> Any:
    """What ``warmcos::isolated`` computes: ``_math.<phi>`` in an eager torch namespace."""
    import torch

    from . import _math

    xp = _Torch(torch.empty((), dtype=torch.float64 if double else torch.float32, device=n.device))
    return getattr(_math, phi)(xp, n, length, tuple(consts)).clone()


#: The custom operator ``warmcos::isolated``, once made.
_TORCH_OPS: dict[str, Any] = {}


def _torch_isolated() -> Any:
    """The custom operator ``warmcos::isolated`` (:meth:`Namespace.isolated`), made once."""
    if not _TORCH_OPS:
        import torch

        schema = "(Tensor n, str phi, int length, float[] consts, bool double) -> Tensor"
        op = torch.library.custom_op("warmcos::isolated", mutates_args=(), schema=schema)(
            _isolated_eagerly
        )

        def fake(n: Any, phi: str, length: int, consts: list[float], double: bool) -> Any:
            return torch.empty_like(n, dtype=torch.float64 if double else torch.float32)

        op.register_fake(fake)
        _TORCH_OPS["isolated"] = op
    return _TORCH_OPS["isolated"]
