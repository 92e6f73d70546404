"""Output files: images (matplotlib; PNG, SVG, PDF) and text, written without harming the target.

What ``-o FILE`` names decides how it is written (:func:`check_output`, before any work):

* a regular file, or a name that does not exist yet: written to a temporary name beside it and
  renamed into place once complete, so an error (or Ctrl-C) never leaves half a file; an
  existing file keeps its permission bits (and, where allowed, its owner);
* a symbolic link: its target is written (replaced as above when it is a regular file, created
  when the link dangles, written through otherwise, or when the link names no file, like
  ``/proc/self/fd/N`` of a deleted one); the link itself stays a link;
* a character device (``/dev/null``, a terminal) or a FIFO: written through, opened like a
  shell's ``>`` would open it, never replaced;
* the file standard output already writes to (``-o /dev/stdout``): written into standard output;
* a directory, a block device (a disk), a socket: refused, in one line.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..plotting import draw_view, figure
from .options import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import IO

    from .view import View

__all__ = [
    "IMAGE_COLUMNS",
    "IMAGE_SUFFIXES",
    "Destination",
    "check_output",
    "image",
    "open_output",
    "wrote",
]

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
IMAGE_COLUMNS = 2400  # samples per image: more than its pixel columns at 300 dpi
#: Every suffix an output is known by: a name that is one of them alone (".png") is a mistake.
_SUFFIXES = (*IMAGE_SUFFIXES, ".csv", ".json", ".jsonl", ".toml", ".yaml", ".yml")


class Destination(NamedTuple):
    """Where an output goes, and how (see the module docstring).

    ``how`` is ``"replace"`` (``path`` is the regular file to replace or create: the name
    given, or the target of the symbolic link given), ``"stream"`` (``path`` is opened and
    written through) or ``"stdout"`` (written into ``sys.stdout``).
    """

    name: str
    path: Path
    how: str

    @property
    def suffix(self) -> str:
        """The lower-case suffix of the name given (``"lr.PNG"`` -> ``".png"``)."""
        return Path(self.name).suffix.lower()

    def __str__(self) -> str:
        return self.name


def _listed(suffixes: tuple[str, ...]) -> str:
    return ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]


def check_output(path: str, suffixes: tuple[str, ...], what: str) -> Destination:
    """``path`` as a writable destination with one of ``suffixes``, checked before any work."""
    p = Path(path)
    if p.name.lower() in _SUFFIXES:  # ".png" is a hidden file with no suffix: a slip
        raise UsageError(
            f"--output needs a file name before its suffix, like 'lr{p.name}'; received "
            f"--output {path!r}, a suffix alone"
        )
    if suffixes and p.suffix.lower() not in suffixes:
        raise UsageError(
            f"--output must end in {_listed(suffixes)} for {what}; received --output {path!r}"
        )
    if not path:
        raise UsageError("--output must name a file; received --output ''")
    return _destination(path)


def _mode(path: str | Path, *, follow: bool) -> int | None:
    """``st_mode`` of ``path`` (following symbolic links or not), None if nothing is there."""
    try:
        return (os.stat if follow else os.lstat)(path).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise UsageError(
            f"--output is inside something that is not a directory: {str(path)!r}"
        ) from None
    except OSError as error:  # a loop of symbolic links, a name too long, no permission
        raise UsageError(f"--output {str(path)!r}: {error.strerror or error}") from None


def _destination(path: str) -> Destination:
    own = _mode(path, follow=False)
    if own is not None and stat.S_ISLNK(own):
        real = Path(os.path.realpath(path))
        target = _mode(path, follow=True)
        if target is None:  # a dangling link: create its target
            return _regular(path, real, None)
        if stat.S_ISREG(target) and _same_file(path, real):
            return _regular(path, real, target)
        # a FIFO, a device, or a link that resolves to no name (/proc/self/fd/N of a deleted
        # file): written through the name given
        return _stream(path, target)
    if own is None or stat.S_ISREG(own):
        return _regular(path, Path(path), own)
    return _stream(path, own)


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samestat(os.stat(a), os.stat(b))
    except OSError:
        return False


def _regular(name: str, path: Path, mode: int | None) -> Destination:
    if mode is not None and _is_stdout(path):
        return Destination(name, path, "stdout")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"--output directory does not exist: {str(parent)!r}")
    if mode is not None and not os.access(path, os.W_OK):
        raise UsageError(f"--output is not writable: {name!r}")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"--output directory is not writable: {str(parent)!r}")
    return Destination(name, path, "replace")


def _stream(name: str, mode: int) -> Destination:
    if stat.S_ISDIR(mode):
        raise UsageError(f"--output is a directory: {name!r}")
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISREG(mode)):
        kind = "a block device (a disk)" if stat.S_ISBLK(mode) else "a socket or special file"
        raise UsageError(
            f"--output must be a regular file, a character device or a FIFO; {name!r} is {kind}"
        )
    if _is_stdout(name):
        return Destination(name, Path(name), "stdout")
    if not os.access(name, os.W_OK):
        raise UsageError(f"--output is not writable: {name!r}")
    return Destination(name, Path(name), "stream")


def _is_stdout(path: str | Path) -> bool:
    """Whether ``path`` is the file that standard output writes to (``/dev/stdout``)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):  # no fileno (captured), closed, gone
        return False


@contextlib.contextmanager
def open_output(dest: Destination, mode: str = "w") -> Iterator[IO[Any]]:
    """A file object writing to ``dest`` (``mode`` "w" for text, "wb" for bytes).

    Replaced files are written to a temporary beside them and renamed into place on success;
    streams are written through; standard output is written into and left open.
    """
    encoding = None if "b" in mode else "utf-8"
    if dest.how == "stdout":
        sys.stdout.flush()
        yield sys.stdout.buffer if "b" in mode else sys.stdout
        (sys.stdout.buffer if "b" in mode else sys.stdout).flush()
        return
    if dest.how == "stream":
        with open(dest.path, mode, encoding=encoding) as f:
            yield f
        return
    path = dest.path
    try:
        old: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):  # it changed since check_output
        raise UsageError(f"--output {dest.name!r} is no longer a regular file; nothing written")
    fd, tmp = tempfile.mkstemp(prefix=".warmcos-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding) as f:
            _permissions(tmp, old)
            yield f
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _permissions(tmp: str, old: os.stat_result | None) -> None:
    """A new file's mode from the umask (mkstemp's is private); a replaced file's own mode."""
    if old is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        return
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(tmp, old.st_uid, old.st_gid)


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


def image(v: View, dest: Destination, *, heading: str, log: bool = False) -> None:
    """Draw ``v`` into ``dest`` (PNG, SVG or PDF by its suffix).

    The picture is drawn into memory first, so a stream (a FIFO) is opened only once there is
    something to write, and its reader receives the whole file in one piece.
    """
    fig = _figure()
    draw_view(fig.subplots(), v, heading=heading, log=log)
    fmt = dest.suffix[1:]
    data = io.BytesIO()
    fig.savefig(data, format=fmt, metadata=_metadata(fmt))
    with open_output(dest, "wb") as f:
        f.write(data.getbuffer())


def wrote(dest: Destination, what: str = "") -> None:
    """Say what was written, unless it was written to standard output (it would join it)."""
    if dest.how != "stdout":
        print(f"wrote {dest}{what}")


def _metadata(fmt: str) -> dict[str, Any]:
    """No dates in the files, so regenerated pictures only change when the drawing does."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}
