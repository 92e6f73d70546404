"""Output files: images (matplotlib; PNG, SVG, PDF) and text, written whole or not at all.

Every file goes to a temporary name beside its destination and is renamed into place once
complete, so an error (or Ctrl-C) never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..plotting import draw_view, figure
from .options import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import IO

    from .view import View

__all__ = ["IMAGE_SUFFIXES", "atomic", "check_output", "image"]

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")


def check_output(path: str, suffixes: tuple[str, ...], what: str) -> Path:
    """``path`` as a writable destination with one of ``suffixes``, checked before any work."""
    p = Path(path)
    if suffixes and p.suffix.lower() not in suffixes:
        listed = (
            ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]
        )
        raise UsageError(f"--output must end in {listed} for {what}; received --output {path!r}")
    parent = p.parent if str(p.parent) else Path()
    if not parent.is_dir():
        raise UsageError(f"--output directory does not exist: {str(parent)!r}")
    if p.is_dir():
        raise UsageError(f"--output is a directory: {path!r}")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"--output directory is not writable: {str(parent)!r}")
    return p


@contextlib.contextmanager
def atomic(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A file object for a temporary beside ``path``; renamed onto ``path`` on success."""
    fd, tmp = tempfile.mkstemp(prefix=".warmcos-", suffix=path.suffix, dir=path.parent or ".")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; an output file is not
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as f:
            yield f
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _figure() -> Any:
    """A matplotlib Figure (:func:`warmcos.plotting.figure`), or how to install matplotlib."""
    try:
        import matplotlib as mpl  # noqa: F401
    except ModuleNotFoundError:
        raise UsageError(
            "writing images needs matplotlib, part of the 'plot' extra: "
            "pip install 'warmcos[plot]' (or pass --no-file)"
        ) from None
    return figure()


def image(v: View, path: Path, *, heading: str, log: bool = False) -> None:
    """Draw ``v`` into ``path`` (PNG, SVG or PDF by its suffix)."""
    fig = _figure()
    draw_view(fig.subplots(), v, heading=heading, log=log)
    fmt = path.suffix[1:].lower()
    with atomic(path, "wb") as f:
        fig.savefig(f, format=fmt, metadata=_metadata(fmt))


def _metadata(fmt: str) -> dict[str, Any]:
    """No dates in the files, so regenerated pictures only change when the drawing does."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}
