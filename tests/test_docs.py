"""The documentation's own machinery: README links, and the docstring rewrite of the API pages.

The site itself is built by ``make docs`` (``mkdocs build --strict``, part of ``make test``).
"""

from __future__ import annotations

import importlib.util
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


def test_math_blocks_become_fenced_latex() -> None:
    text = "Lead.\n\n    .. math::\n\n        a = b \\\\\n          c\n\n    Then."
    assert (
        to_markdown(text) == "Lead.\n\n    ```text\n    a = b \\\\\n      c\n    ```\n\n    Then."
    )
