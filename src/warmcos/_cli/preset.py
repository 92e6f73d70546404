"""``warmcos preset``: list the presets, or write one as a warmcos config file."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .. import _config
from . import flags
from .files import check_output, open_output, wrote
from .options import UsageError, no_extra
from .specs import literal, preset
from .table import fit

if TYPE_CHECKING:
    import argparse

    from .options import Commands

__all__ = ["add_parser", "listing", "run"]


def add_parser(commands: Commands) -> None:
    """``preset``'s parser: ``NAME``, ``-o FILE`` and the shared flags.

    The preset's own ``--param value`` pairs are the words argparse leaves over (:func:`run`).
    """
    parser = flags.command(
        commands,
        "preset",
        "write another library's schedule as a warmcos config file",
        "Build a preset from its library's own parameters (--param value; names with dashes "
        "or underscores) and print its warmcos config, or write it with -o (TOML, JSON or "
        "YAML by the suffix). Without NAME: list the presets (a table that fits the terminal's "
        "width, or --width).",
        """
        warmcos preset
        warmcos preset transformers_cosine_with_min_lr --num-warmup-steps 500 \\
          --num-training-steps 10000 --min-lr 1e-5 -o mine.toml
        """,
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="the preset (omit: list them)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write FILE (.toml, .json, .yaml)")
    flags.add_flags(parser, "preset")


def listing(width: int) -> list[str]:
    """``name  source`` lines for ``warmcos preset``, none longer than ``width``.

    The source is the library's ``module.function``, or the codebase's repository, file,
    definition and commit.
    """
    from ..presets import PRESETS

    rows = [(name, PRESETS[name].source) for name in sorted(PRESETS)]
    return fit(None, rows, width, flexible=1)


def run(args: argparse.Namespace, extra: list[str]) -> int:
    """List the presets, or build ``NAME`` from ``extra`` and print or write its config."""
    if args.name is None:
        no_extra(extra)
        print("\n".join(listing(flags.table_width(args))))
        return 0
    params = _params(extra)
    path = None
    if args.output is not None:
        path = check_output(args.output, tuple(_config.FORMATS), "a config file")
    schedule = preset(args.name, params)
    fmt = _config.FORMATS[path.suffix] if path is not None else "toml"
    text = _config.dumps(schedule.to_dict(), fmt)
    if path is None:
        sys.stdout.write(text)
        return 0
    with open_output(path) as f:
        f.write(text)
    wrote(path, f" ({path.suffix[1:]})")
    return 0


def _params(extra: list[str]) -> dict[str, Any]:
    """``--num-warmup-steps 500 --min-lr=1e-5`` -> ``{"num_warmup_steps": 500, "min_lr": 1e-5}``."""
    params: dict[str, Any] = {}
    items = iter(extra)
    for item in items:
        if not item.startswith("--") or item == "--":
            raise UsageError(f"preset parameters are --name value pairs; received {item!r}")
        key, sep, value = item[2:].partition("=")
        if not sep:
            following = next(items, None)
            if following is None:
                raise UsageError(f"--{key} needs a value")
            value = following
        params[key.replace("-", "_")] = literal(value)
    return params
