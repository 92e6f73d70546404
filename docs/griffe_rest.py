"""A griffe extension for the API reference: the docstrings' few reST habits, read as Markdown.

The docstrings are Google style with some reST inside (they are also read by ``help()`` and
doctest). Before mkdocstrings renders them, this rewrites, in every docstring:

* ``Example:`` as ``Examples:``, the section griffe renders doctests in as code;
* ``:class:`~warmcos.Schedule``` (any role, a name starting ``warmcos.``) as a link to that
  object, so a name that no longer exists fails ``mkdocs build --strict``; other roles
  (``:meth:`step```) as code;
* a ``#:`` comment right above an attribute (Sphinx's habit) as its docstring;
* a doctest outside an ``Examples:`` section (a paragraph of ``>>>`` lines, which Markdown
  would read as a nested quote, its lines run together) as a fenced ``pycon`` code block;
* a ``.. math::`` block as a ``$$`` block and a ``:math:`...``` role as ``$...$``, which
  ``pymdownx.arithmatex`` hands to KaTeX (bundled with the site by ``make docs``).

Loaded by mkdocs.yml (``extensions: [docs/griffe_rest.py]``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)
_EXAMPLES_TITLE = re.compile(r"^\s*Examples?:\s*$")
_SECTION_TITLE = re.compile(r"^\s*[A-Z][A-Za-z ]*:\s*$")  # a Google section: "Returns:"
_ROLE = re.compile(r":(?:class|meth|func|attr|mod|data|obj|exc):`(~?)([\w.]+)`")
_MATH = re.compile(
    r"^(?P<indent>[ ]*)\.\. math::\n\n(?P<body>(?:(?P=indent)[ ]+.*\n|\n)+)", re.MULTILINE
)
_MATH_ROLE = re.compile(r":math:`([^`]+)`")


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
    return f"{indent}$$\n{body}\n{indent}$$\n\n"


def _math_role(match: re.Match[str]) -> str:
    # A role may wrap onto the next line of the docstring: one line of LaTeX, no edge spaces
    # (arithmatex takes `$ x$` for a dollar sign, not math).
    return "$" + " ".join(match[1].split()) + "$"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _below(line: str, indent: int) -> bool:
    """``line`` is text that a block indented by ``indent`` spaces is nested under."""
    return bool(line.strip()) and _indent(line) < indent


def _fence_doctests(text: str) -> str:
    """Fence every doctest block (``>>>`` to the next blank line) not in an Examples section.

    Griffe renders the doctests of an ``Examples:`` section as code; anywhere else Markdown
    reads ``>>>`` as three nested quotes and joins the lines into one paragraph.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.lstrip().startswith(">>>"):
            out.append(line)
            i += 1
            continue
        end = i
        while end < len(lines) and lines[end].strip():
            end += 1
        indent = _indent(line)
        at = next((k for k in range(len(out) - 1, -1, -1) if _below(out[k], indent)), None)
        parent = "" if at is None else out[at]
        block = lines[i:end]
        if _EXAMPLES_TITLE.match(parent):
            out.extend(block)
        else:
            if at is not None and not _SECTION_TITLE.match(parent):
                # reST's literal block (`text::` then an indented block): in Markdown, that
                # indent would make the fence itself a code block. Align it with the text.
                depth = _indent(parent)
                block = [b[indent - depth :] for b in block]
                indent = depth
                if parent.endswith("::"):
                    out[at] = parent[:-1]
            pad = " " * indent
            if out and out[-1].strip():
                out.append("")
            out += [f"{pad}```pycon", *block, f"{pad}```"]
        i = end
    return "\n".join(out)


def to_markdown(text: str) -> str:
    """The docstring ``text`` with its reST habits rewritten as Markdown."""
    text = _MATH.sub(_math, text + "\n").rstrip("\n")
    text = _MATH_ROLE.sub(_math_role, text)
    text = _ROLE.sub(_role, text)
    text = _EXAMPLE.sub(r"\1Examples:", text)
    return _fence_doctests(text)


class RestHabits(griffe.Extension):
    """Rewrite every docstring of the package once, when the whole package has been loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _generated_functions(pkg)
        _rewrite(pkg)


def _generated_functions(module: griffe.Module) -> None:
    """Document the functions a module builds when it is imported, as the functions they are.

    ``tpu_reference = _public("tpu_reference")`` (warmcos.presets) is, to static analysis, an
    attribute with no docstring, which the reference would leave out. Where a module exports
    such a name, it is imported (only that module; the presets import no framework) and the
    function griffe finds there, with its signature and docstring, replaces the attribute.
    """
    exports = {str(name) for name in module.exports or ()}
    generated = [
        name
        for name, member in module.members.items()
        if name in exports
        and not member.is_alias
        and member.is_attribute
        and member.docstring is None
        and isinstance(member.value, griffe.ExprCall)
    ]
    if generated:
        parser = module.docstring.parser if module.docstring else None
        # Import the module from where it was read (src/), not whatever is installed.
        root = Path(module.filepath).parents[module.path.count(".")]  # type: ignore[arg-type]
        inspected = griffe.inspect(module.path, import_paths=[root], docstring_parser=parser)
        for name in generated:
            function = inspected.members.get(name)
            if function is not None and not function.is_alias and function.is_function:
                module.set_member(name, function)
    for member in module.members.values():
        if not member.is_alias and member.is_module:
            _generated_functions(member)


def _comment_docstring(obj: griffe.Object) -> None:
    """The ``#:`` comment lines right above an attribute (Sphinx's habit) as its docstring."""
    if not obj.is_attribute or obj.docstring is not None or not obj.lineno:
        return
    lines = obj.module.lines  # the source file's lines
    comment: list[str] = []
    for line in reversed(lines[: obj.lineno - 1]):
        if not line.lstrip().startswith("#:"):
            break
        comment.insert(0, line.lstrip()[2:].strip())
    if comment:
        parser = obj.module.docstring.parser if obj.module.docstring else None
        obj.docstring = griffe.Docstring("\n".join(comment), parent=obj, parser=parser)


def _rewrite(obj: griffe.Object) -> None:
    _comment_docstring(obj)
    if obj.docstring is not None:
        obj.docstring.value = to_markdown(obj.docstring.value)
    for member in obj.members.values():
        if not member.is_alias and member.parent is obj:
            _rewrite(member)
