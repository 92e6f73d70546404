"""Packaging hygiene: zero required dependencies, lazy frameworks, the public API."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the yaml extra brings tomli
    import tomli as tomllib

import warmcos
from conftest import ROOT

HEAVY = ("numpy", "torch", "tensorflow", "jax", "matplotlib", "keras", "plotext", "optax")


def test_import_warmcos_imports_no_framework() -> None:
    code = (
        "import sys, warmcos\n"
        "s = warmcos.Schedule(peak_lr=0.1, total_steps=100, warmup_steps=10)\n"
        "s(5); s.to_json(); warmcos.cosine_learning_rate_with_linear_warmup(3, 0.1, 0.0, 1, 10)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_and_a_first_schedule_stay_cheap() -> None:
    # issue 8: `import warmcos` within 25 ms of a bare interpreter (benchmarks/import_cost.py);
    # what kept it slow were these standard modules, now imported only where they are needed.
    heavy = ["typing", "fractions", "decimal", "json", "pathlib", "dataclasses", "re", "inspect"]
    code = (
        "import sys, warmcos\n"
        "s = warmcos.Schedule(0.1, 1000, warmup_steps='5%', stable_steps=100)\n"
        "s(3); s(500); warmcos.cosine_learning_rate_with_linear_warmup(5, 1.0, 0.0, 10, 20)\n"
        f"print([m for m in {heavy!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # '5%' needs fractions (an exact percentage) and re (the duration's syntax): only those.
    assert out.stdout.strip() == "['fractions', 'decimal', 're']"
    plain = code.replace("warmup_steps='5%'", "warmup_steps=50")
    out = subprocess.run([sys.executable, "-c", plain], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_all_is_sorted_and_complete() -> None:
    assert list(warmcos.__all__) == sorted(warmcos.__all__)
    for name in warmcos.__all__:
        assert hasattr(warmcos, name)
    # Everything public that is not a submodule (importing warmcos.torch adds "torch").
    public = {
        n
        for n, v in vars(warmcos).items()
        if not n.startswith("_") and not isinstance(v, ModuleType)
    } - {"annotations"}
    assert public <= set(warmcos.__all__)


def test_no_required_dependencies_and_typed() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == []
    assert (ROOT / "src" / "warmcos" / "py.typed").exists()
    assert project["scripts"]["warmcos"] == "warmcos.cli:main"


def test_version_is_the_packaged_one() -> None:
    from importlib.metadata import version

    assert version("warmcos") == warmcos.__version__
