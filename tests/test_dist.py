"""What gets published is what is tested: the built wheel and sdist, tried as a new user would.

Once per session the working tree is built with ``python -m build`` (as ``make dist`` does, but
``--no-isolation``: the dev environment already holds the backend, so no download), the wheel
is installed into a fresh venv with no extras and no dependencies, and the ``warmcos`` it
installed is run there. The sdist is unpacked and its core tests (not the adapters) run from
it with this interpreter.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from warmcos import Schedule

pytestmark = pytest.mark.slow

#: No PYTHONPATH, PYTHONHOME, ... from the caller: the fresh venv sees only what it installed.
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
ENV["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"


def _proc(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], check=False, cwd=cwd, env=env or ENV, capture_output=True, text=True
    )


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Stdout of a command that must succeed."""
    out = _proc(*args, cwd=cwd, env=env)
    assert out.returncode == 0, f"{args}: exit {out.returncode}\n{out.stdout}\n{out.stderr}"
    return out.stdout


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel of the working tree, built once."""
    outdir = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", outdir, ROOT)
    (sdist,) = outdir.glob("warmcos-*.tar.gz")
    (wheel,) = outdir.glob("warmcos-*-py3-none-any.whl")
    return {"sdist": sdist, "wheel": wheel}


@pytest.fixture(scope="session")
def venv(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel alone (no extras, no dependencies): its bin folder."""
    root = tmp_path_factory.mktemp("venv") / "user"
    _run(sys.executable, "-m", "venv", root)
    bin_dir = root / ("Scripts" if os.name == "nt" else "bin")
    _run(bin_dir / "python", "-m", "pip", "install", "--no-index", "--no-deps", dist["wheel"])
    return bin_dir


def test_import_warmcos_imports_only_the_standard_library(venv: Path) -> None:
    code = (
        "import sys\n"
        "start = set(sys.modules)\n"
        "import warmcos, importlib.util\n"
        "s = warmcos.Schedule(peak_lr=0.1, total_steps=100, warmup_steps=10)\n"
        "s(5), s.to_json()\n"
        "tops = {m.split('.')[0] for m in set(sys.modules) - start}\n"
        "print(sorted(tops - set(sys.stdlib_module_names) - {'warmcos'}))\n"
        "print(importlib.util.find_spec('numpy') is None, warmcos.__file__)\n"
    )
    third_party, no_numpy = _run(venv / "python", "-c", code).splitlines()
    assert third_party == "[]"
    assert no_numpy.startswith("True ")  # NumPy is not even installed there
    assert str(venv.parent) in no_numpy  # and the warmcos imported is the wheel's


def test_csv_needs_no_dependency(venv: Path, tmp_path: Path) -> None:
    out = _run(
        venv / "warmcos", "plot", "--csv", "--total-steps", "100", "--warmup-steps", "10",
        cwd=tmp_path,
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["step", "lr"]
    schedule = Schedule(peak_lr=0.1, total_steps=100, warmup_steps=10)
    assert [(int(s), float(v)) for s, v in rows[1:]] == [(s, schedule(s)) for s in range(101)]
    assert list(tmp_path.iterdir()) == []  # --csv writes no image


def test_plot_without_the_plot_extra_names_it_in_one_line(venv: Path, tmp_path: Path) -> None:
    out = _proc(venv / "warmcos", "plot", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1, out.stderr
    assert "pip install 'warmcos[plot]'" in out.stderr
    assert list(tmp_path.iterdir()) == []  # no half-written image


def test_the_wheel_is_typed_and_its_metadata_checks(dist: dict[str, Path]) -> None:
    names = zipfile.ZipFile(dist["wheel"]).namelist()
    assert "warmcos/py.typed" in names
    assert not [n for n in names if not n.startswith(("warmcos/", "warmcos-"))]
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [
        line
        for line in zipfile.ZipFile(dist["wheel"]).read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    assert requires
    assert all("extra ==" in line for line in requires), requires  # no required dependency
    out = _run(sys.executable, "-m", "twine", "check", "--strict", dist["sdist"], dist["wheel"])
    assert out.count("PASSED") == 2, out


def test_the_core_tests_pass_from_the_unpacked_sdist(dist: dict[str, Path], tmp_path: Path) -> None:
    with tarfile.open(dist["sdist"]) as tar:
        # The "data" filter (no links out, no absolute paths) where this Python has it.
        tar.extractall(tmp_path, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (root,) = tmp_path.iterdir()
    env = {**ENV, "PYTHONPATH": str(root / "src")}  # the sdist's warmcos, not this checkout's
    where = _run(sys.executable, "-c", "import warmcos; print(warmcos.__file__)", env=env)
    assert Path(where.strip()).is_relative_to(root)
    # The core's tests: everything but the framework suites, modules and pages (given as
    # paths, since pytest's --ignore does not apply to testpaths that name files).
    pages = sorted((root / "docs").glob("*.md"))
    paths = ["tests", "src", "README.md"] + [
        f"docs/{page.name}" for page in pages if page.stem not in ("pytorch", "keras", "jax")
    ]
    ignore = ["tests/adapters", "tests/conformance", "tests/examples", "tests/test_dist.py"] + [
        f"src/warmcos/{name}.py" for name in ("torch", "keras", "jax")
    ]
    out = _run(
        sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
        *paths, *(f"--ignore={path}" for path in ignore),
        cwd=root, env=env,
    )  # fmt: skip
    assert "docs/index.md" in paths
    assert " passed" in out
    assert " error" not in out
