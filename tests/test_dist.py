"""What gets published is what is tested: the built wheel and sdist, tried as a new user would.

Once per session the working tree is built with ``python -m build`` (as ``make dist`` does, but
``--no-isolation``: the dev environment already holds the backend, so no download), the wheel
is installed into a fresh venv with no extras and no dependencies, and the ``warmcos`` it
installed is run there. The sdist is unpacked: its files must be the checkout's tracked files,
byte for byte (so the core tests this run passes from the checkout are the sdist's own), and
its core tests (not the adapters) are collected from it with this interpreter, the same tests
as from the checkout. ``WARMCOS_SDIST_TESTS=run`` runs them there too (as long again as the
core suite, which the default run has just run on the same files).
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


#: Tracked files the sdist leaves out on purpose (pyproject's sdist ``include``): CI's entry
#: script and git's own file. No core test reads them (checked below).
NOT_SHIPPED = (".ci/", ".gitignore")


def _unpack(sdist: Path, into: Path) -> Path:
    with tarfile.open(sdist) as tar:
        # The "data" filter (no links out, no absolute paths) where this Python has it.
        tar.extractall(into, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (root,) = into.iterdir()
    return root


def _core_pytest(root: Path, *options: str, env: dict[str, str] | None = None) -> str:
    """Pytest on the core's tests under ``root``: everything but the framework suites, modules
    and pages (given as paths, since pytest's --ignore does not apply to testpaths that name
    files)."""
    pages = sorted((root / "docs").glob("*.md"))
    paths = ["tests", "src", "README.md"] + [
        f"docs/{page.name}" for page in pages if page.stem not in ("pytorch", "keras", "jax")
    ]
    assert "docs/index.md" in paths
    ignore = ["tests/adapters", "tests/conformance", "tests/examples", "tests/test_dist.py"] + [
        f"src/warmcos/{name}.py" for name in ("torch", "keras", "jax")
    ]
    return _run(
        sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
        *options, *paths, *(f"--ignore={path}" for path in ignore),
        cwd=root, env=env,
    )  # fmt: skip


def test_the_sdist_is_the_checkout_byte_for_byte(dist: dict[str, Path], tmp_path: Path) -> None:
    # Every tracked file but NOT_SHIPPED is in the sdist, and every file of the sdist is the
    # working tree's own: so the core tests this run passes from the checkout are the sdist's,
    # on the same code and the same data (the core tests below are collected from it too).
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no tracked files to compare the sdist with")
    root = _unpack(dist["sdist"], tmp_path)
    tracked = _run("git", "-C", ROOT, "ls-files", "-z").split("\0")
    shipped = {
        path
        for path in tracked
        if path and not path.startswith(NOT_SHIPPED) and (ROOT / path).is_file()
    }
    unpacked = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert shipped - unpacked == set()
    for path in sorted(unpacked - {"PKG-INFO"}):
        assert (root / path).read_bytes() == (ROOT / path).read_bytes(), path
    # nothing the tests read is left out
    for test in sorted((ROOT / "tests").rglob("*.py")):
        if test.name == "test_dist.py":
            continue
        text = test.read_text(encoding="utf-8")
        assert not any(f'"{name}' in text or f"'{name}" in text for name in NOT_SHIPPED), test


def test_the_core_tests_pass_from_the_unpacked_sdist(dist: dict[str, Path], tmp_path: Path) -> None:
    root = _unpack(dist["sdist"], tmp_path)
    env = {**ENV, "PYTHONPATH": str(root / "src")}  # the sdist's warmcos, not this checkout's
    where = _run(sys.executable, "-c", "import warmcos; print(warmcos.__file__)", env=env)
    assert Path(where.strip()).is_relative_to(root)
    if os.environ.get("WARMCOS_SDIST_TESTS") == "run":
        # Run them all there (as long as the core suite: the default run has just run them
        # from the checkout, whose files the sdist's are, byte for byte: see above).
        out = _core_pytest(root, env=env)
        assert " passed" in out
    else:
        # Every core test module imports from the sdist and collects the same tests (the
        # parametrizations read the sdist's data files) as from the checkout.
        out = _core_pytest(root, "--collect-only", env=env)
        here = _core_pytest(ROOT, "--collect-only", env={**ENV, "PYTHONPATH": str(ROOT / "src")})
        tests, summary = out.strip().rpartition("\n\n")[::2]
        assert tests == here.strip().rpartition("\n\n")[0]
        assert " tests collected" in summary, out[-2000:]
    assert " error" not in out
