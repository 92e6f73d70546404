"""The documentation's own machinery: README links, and the docstring rewrite of the API pages.

The site itself is built by ``make docs`` (``mkdocs build --strict``, part of ``make test``).
"""

from __future__ import annotations

import importlib.util
import inspect
import re
from types import ModuleType

import pytest

from conftest import ROOT

pytest.importorskip("griffe")  # the docs extra


def _load_griffe_rest() -> ModuleType:
    spec = importlib.util.spec_from_file_location("griffe_rest", ROOT / "docs" / "griffe_rest.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


to_markdown = _load_griffe_rest().to_markdown


def test_every_relative_link_of_the_readme_exists() -> None:
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", (ROOT / "README.md").read_text())
    relative = [link for link in links if "://" not in link]
    assert "docs/pytorch.md" in relative
    assert [link for link in relative if not (ROOT / link).exists()] == []


def test_example_sections_become_examples() -> None:
    assert to_markdown("Text.\n\nExample:\n    >>> 1\n    1") == (
        "Text.\n\nExamples:\n    >>> 1\n    1"
    )
    assert to_markdown("An Example: not a title") == "An Example: not a title"


def test_roles_become_links_into_warmcos_and_code_elsewhere() -> None:
    assert to_markdown("a :class:`~warmcos.Schedule` b") == "a [`Schedule`][warmcos.Schedule] b"
    assert to_markdown(":func:`warmcos.load`") == "[`warmcos.load`][warmcos.load]"
    assert to_markdown("after :meth:`step` calls") == "after `step` calls"


def test_math_blocks_become_display_math() -> None:
    # issue 19: the site renders math (arithmatex + KaTeX), so the LaTeX is no longer shown
    # as a code block of source.
    text = "Lead.\n\n    .. math::\n\n        a = b \\\\\n          c\n\n    Then."
    assert to_markdown(text) == "Lead.\n\n    $$\n    a = b \\\\\n      c\n    $$\n\n    Then."


def test_math_roles_become_inline_math_on_one_line() -> None:
    assert to_markdown(r"Each :math:`\phi` goes") == r"Each $\phi$ goes"
    assert to_markdown(":math:`v_\\mathrm{low} (v /\n      w)^{n/L}` (both)") == (
        "$v_\\mathrm{low} (v / w)^{n/L}$ (both)"
    )


def test_bare_doctests_become_code_blocks() -> None:
    # issue 19: a doctest outside an Examples section rendered as a quote, its lines joined.
    assert to_markdown("Lead.\n\n>>> 1 + 1\n2\n\nMore.") == (
        "Lead.\n\n```pycon\n>>> 1 + 1\n2\n```\n\nMore."
    )
    # right after a line of text; and reST's literal block (`::`, indented)
    assert to_markdown("Lead:\n>>> x") == "Lead:\n\n```pycon\n>>> x\n```"
    assert to_markdown("Call it::\n\n    >>> f(\n    ... )\n    1\n\nEnd.") == (
        "Call it:\n\n```pycon\n>>> f(\n... )\n1\n```\n\nEnd."
    )
    # inside a Google section other than Examples: fenced where it is
    assert to_markdown("Returns:\n    a value.\n\n    >>> f()\n    1") == (
        "Returns:\n    a value.\n\n    ```pycon\n    >>> f()\n    1\n    ```"
    )


def test_examples_sections_keep_their_doctests() -> None:
    text = "Lead.\n\nExamples:\n    Some text.\n\n    >>> 1\n    1\n\n    >>> 2\n    2"
    assert to_markdown(text) == text


def _markdown_extensions() -> list[object]:
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    return config["markdown_extensions"]


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "docs").glob("*.md")))
def test_every_docs_page_nests_its_lists(page: str) -> None:
    # issue 19: Python-Markdown nests a block in a list item only when it is indented by 4
    # spaces, and ends a loose item only at a blank line: docs/pytorch.md's feature list ran
    # into one paragraph after its first code block. Rendered here with the site's extensions.
    markdown = pytest.importorskip("markdown")
    extensions = _markdown_extensions()
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions]
    configs = {k: v for e in extensions if isinstance(e, dict) for k, v in e.items() if v}
    html = markdown.markdown(
        (ROOT / "docs" / page).read_text(), extensions=names, extension_configs=configs
    )
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.DOTALL)
    broken = [p[:80] for p in paragraphs if re.search(r"\n\s*(- |\* |\d+\. |```)", p)]
    assert broken == []


def test_the_reference_documents_generated_functions_and_commented_constants() -> None:
    # issue 19: the 28 presets are built at import time (`name = _public("name")`), which
    # static analysis saw as undocumented attributes; PRESETS is documented by a `#:` comment.
    griffe = pytest.importorskip("griffe")
    extensions = griffe.load_extensions(str(ROOT / "docs" / "griffe_rest.py"))
    package = griffe.load(
        "warmcos", search_paths=[ROOT / "src"], extensions=extensions, docstring_parser="google"
    )
    presets = package["presets"]
    import warmcos.presets

    functions = [n for n in warmcos.presets.__all__ if n[0].islower()]
    assert len(functions) >= 28
    for name in functions:
        member = presets[name]
        assert member.is_function, name
        assert member.docstring is not None
        value = member.docstring.value
        assert (
            "[`Schedule`][warmcos.Schedule]" in value
            or "[`Composition`][warmcos.Composition]" in value
        )
        expected = inspect.signature(getattr(warmcos.presets, name)).parameters
        assert [p.name for p in member.parameters] == list(expected)
    assert presets["PRESETS"].docstring.value.startswith("Every preset, by name")
    assert package["SCHEMA_VERSION"].docstring is not None
