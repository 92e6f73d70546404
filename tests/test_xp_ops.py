"""The array shim's op table: every op is bound in every namespace and agrees with Python's.

The ops and their operands come from :data:`warmcos._xp.OPS` itself, so a new row is tested in
every namespace whose framework is installed without touching this file (a new operand name
needs its sample values in ``SAMPLES``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest

from warmcos._xp import _PYTHON, OPS, Namespace, _bind, namespace_of

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

#: Sample values of each operand name of ``OPS``, one per case: an op's operands are zipped,
#: so each case is valid for every op (``x > 0`` for ``log``, ``lo <= hi`` for ``clip``).
SAMPLES: dict[str, tuple[Any, ...]] = {
    "x": (0.25, 1.0, 3.5),
    "p": (0.5, 2.0, 1.7),
    "cond": (True, False, True),
    "a": (0.5, 1.5, -2.0),
    "b": (3.0, -1.0, 0.125),
    "bound": (1.0, 0.5, 4.0),
    "lo": (0.5, 1.5, 0.0),
    "hi": (1.0, 2.0, 3.0),
}


def _numpy() -> Callable[[Any], Any]:
    np = pytest.importorskip("numpy")
    return lambda v: np.asarray(v, dtype=np.bool_ if isinstance(v, bool) else np.float64)


def _torch() -> Callable[[Any], Any]:
    torch = pytest.importorskip("torch")
    return lambda v: torch.tensor(v, dtype=torch.bool if isinstance(v, bool) else torch.float64)


def _tensorflow() -> Callable[[Any], Any]:
    tf = pytest.importorskip("tensorflow")
    return lambda v: tf.constant(v, dtype=tf.bool if isinstance(v, bool) else tf.float64)


def _jax() -> Callable[[Any], Any]:
    jnp = pytest.importorskip("jax.numpy")
    return jnp.asarray  # float32 without jax_enable_x64


#: How to make an array of each framework from a Python number (skipped where not installed).
FRAMEWORKS = {
    "numpy": _numpy,
    "torch": _torch,
    "tensorflow": pytest.param(_tensorflow, marks=pytest.mark.slow),
    "jax": _jax,
}


def _cases(op: str) -> list[tuple[Any, ...]]:
    """The sample arguments of ``op``, from its operand names in ``OPS``."""
    operands = OPS[op][0].split()
    missing = [name for name in operands if name not in SAMPLES]
    assert not missing, f"add sample values for the operands {missing} of {op!r} to SAMPLES"
    return list(zip(*(SAMPLES[name] for name in operands), strict=True))


def test_every_op_is_bound_in_the_python_namespace() -> None:
    assert set(OPS) <= set(vars(Namespace))
    for op in OPS:
        for args in _cases(op):
            assert isinstance(getattr(_PYTHON, op)(*args), (int, float))


@pytest.mark.parametrize("array", FRAMEWORKS.values(), ids=FRAMEWORKS.keys())
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("python_operands", [False, True], ids=["arrays", "python_operands"])
def test_every_op_is_bound_in_every_framework_and_agrees_with_python(
    array: Callable[[], Callable[[Any], Any]], op: str, python_operands: bool
) -> None:
    # python_operands: as the formulas call most ops, an array first and Python numbers after.
    to_array = array()
    xp = namespace_of(to_array(0.0))
    assert type(xp) is not Namespace
    assert op in vars(type(xp)), f"{op!r} is not bound in {type(xp).__name__}"
    for args in _cases(op):
        expected = getattr(_PYTHON, op)(*args)
        arrays = [to_array(a) if i == 0 or not python_operands else a for i, a in enumerate(args)]
        result = getattr(xp, op)(*arrays)
        single = "32" in str(result.dtype)  # JAX without x64
        assert math.isclose(float(result), expected, rel_tol=1e-6 if single else 1e-15), (
            op,
            args,
            result,
        )


def test_an_op_no_module_has_fails_when_its_namespace_class_is_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(OPS, "no_such_op", ("x", {}))

    class Fresh(Namespace):
        """A new namespace class over Python numbers."""

    with pytest.raises(AttributeError, match="no 'no_such_op'"):
        _bind(Fresh, math)
