"""A griffe extension for the API reference: the docstrings' few reST habits, read as Markdown.

The docstrings are Google style with some reST inside (they are also read by ``help()`` and
doctest). Before mkdocstrings renders them, this rewrites, in every docstring:

* ``Example:`` as ``Examples:``, the section griffe renders doctests in as code;
* ``:class:`~warmcos.Schedule``` (any role, a name starting ``warmcos.``) as a link to that
  object, so a name that no longer exists fails ``mkdocs build --strict``; other roles
  (``:meth:`step```) as code;
* a ``.. math::`` block as a fenced block of its LaTeX (the site loads no math renderer).

Loaded by mkdocs.yml (``extensions: [docs/griffe_rest.py]``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)
_ROLE = re.compile(r":(?:class|meth|func|attr|mod|data|obj|exc):`(~?)([\w.]+)`")
_MATH = re.compile(
    r"^(?P<indent>[ ]*)\.\. math::\n\n(?P<body>(?:(?P=indent)[ ]+.*\n|\n)+)", re.MULTILINE
)


def _role(match: re.Match[str]) -> str:
    short, target = match[1] == "~", match[2]
    shown = target.rsplit(".", 1)[-1] if short else target
    if target.startswith("warmcos."):
        return f"[`{shown}`][{target}]"
    return f"`{shown}`"


def _math(match: re.Match[str]) -> str:
    indent = match["indent"]
    lines = match["body"].rstrip("\n").splitlines()
    depth = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    body = "\n".join(indent + line[depth:] if line.strip() else "" for line in lines)
    return f"{indent}```text\n{body}\n{indent}```\n\n"


def to_markdown(text: str) -> str:
    """The docstring ``text`` with its reST habits rewritten as Markdown."""
    text = _MATH.sub(_math, text + "\n").rstrip("\n")
    text = _ROLE.sub(_role, text)
    return _EXAMPLE.sub(r"\1Examples:", text)


class RestHabits(griffe.Extension):
    """Rewrite every docstring of the package once, when the whole package has been loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _rewrite(pkg)


def _rewrite(obj: griffe.Object) -> None:
    if obj.docstring is not None:
        obj.docstring.value = to_markdown(obj.docstring.value)
    for member in obj.members.values():
        if not member.is_alias and member.parent is obj:
            _rewrite(member)
