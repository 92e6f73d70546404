"""Safe reading of schedule files: JSON, TOML and YAML (safe loader, YAML 1.2 numbers).

:func:`read_config` returns a file's raw mapping, checked to be a mapping of bounded size and
depth; :func:`warmcos.load` builds the schedule from it.
"""

from __future__ import annotations

import sys

# Not `typing.TYPE_CHECKING`: `import warmcos` stays free of typing (and of what it imports).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

__all__ = ["MAX_FILE_BYTES", "read_config"]

#: The largest schedule file read (a schedule is a few hundred bytes).
MAX_FILE_BYTES = 1 << 20


def _parse_json(text: str, what: str) -> Any:
    import json

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen[key] = value
        return seen

    try:
        return json.loads(text.removeprefix("\ufeff"), object_pairs_hook=no_duplicates)
    except RecursionError:
        raise ValueError(f"{what}: nested too deeply to be a schedule") from None
    except ValueError as error:  # JSONDecodeError, and duplicate keys
        raise ValueError(f"{what}: {error}") from None


def read_config(path: str | Path) -> dict[str, Any]:
    """The raw mapping of a schedule file (durations unresolved), checked to be a mapping.

    :func:`load` is ``Schedule.from_dict(read_config(path))``; tools that merge their own
    overrides into a file's values (the CLI) read it with this.

    Numbers in YAML are read the way a person wrote them (YAML 1.2's core schema, not the
    YAML 1.1 of PyYAML's loaders): ``010`` is ten, not octal eight; ``1:30`` is text, not 90
    (so the schedule refuses it, naming the parameter); ``+5``, ``0x1f``, ``0o17`` and
    ``3e-4`` are numbers, and so are TOML's and Python's ``0b101`` and ``1_000``.
    """
    from pathlib import Path

    p = Path(path)
    name = str(p)
    suffix = p.suffix.lower()
    if suffix not in {".json", ".toml", ".yaml", ".yml"}:
        raise ValueError(
            f"schedule file must end in .json, .toml, .yaml or .yml; received path={name!r}"
        )
    try:
        if not p.is_file():
            kind = "does not exist" if not p.exists() else "is not a regular file"
            raise ValueError(f"cannot read schedule file {name!r}: it {kind}")
        with p.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ValueError(f"cannot read schedule file {name!r}: {error.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"schedule file {name!r} is larger than {MAX_FILE_BYTES} bytes")
    text = _utf8(data, name)
    if not text.strip():
        raise ValueError(
            f"schedule file {name!r} is empty; it must hold a mapping of parameters "
            "(peak_lr, total_steps, ..., version)"
        )
    what = f"cannot parse schedule file {name!r}"
    if suffix == ".json":
        config = _parse_json(text, what)
    elif suffix == ".toml":
        try:
            config = _toml().loads(text)
        except ValueError as error:  # TOMLDecodeError is a ValueError (duplicates included)
            raise ValueError(f"{what}: {error}") from None
        except RecursionError:  # tomllib recurses once per nested array or table
            raise ValueError(f"{what}: nested too deeply to be a schedule") from None
    else:
        config = _read_yaml(text, name)
    if _too_deep(config, _MAX_NESTING):  # where the parser's recursion did not stop it
        raise ValueError(f"{what}: nested too deeply to be a schedule")
    if not isinstance(config, dict):
        held = _kind_of(config, yaml=suffix in {".yaml", ".yml"})
        raise ValueError(
            f"schedule file {name!r} must hold a mapping of parameters; received {held}"
        )
    return config


#: The deepest nesting a schedule file may have (a schedule is 3 levels deep: edits).
_MAX_NESTING = 32


def _too_deep(value: Any, limit: int) -> bool:
    """Whether lists and mappings nest more than ``limit`` levels deep (no recursion).

    The parsers stop a deep file with a ``RecursionError`` only while the interpreter's
    recursion limit is low; a program that raised it (some frameworks do) parses 5,000
    levels, so the depth is checked here as well, the same for every format.
    """
    level: list[Any] = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            if isinstance(item, (dict, list))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return True


def _utf8(data: bytes, name: str) -> str:
    """``data`` as UTF-8 text, without a leading byte-order mark (Windows editors write one)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(
            f"schedule file {name!r} is UTF-16 text (it starts with a UTF-16 byte-order "
            "mark); save it as UTF-8"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"schedule file {name!r} is not UTF-8 text (byte {error.start})") from None


def _kind_of(value: Any, *, yaml: bool) -> str:
    """What a file's top level holds instead of a mapping: its type and (briefly) its value."""
    if value is None:
        return "nothing (only comments, or null)" if yaml else "null"
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return f"{type(value).__name__} {shown}"


def _read_yaml(text: str, name: str) -> Any:
    yaml = _yaml()
    loader = _yaml_loader(yaml)
    try:
        return yaml.load(text, Loader=loader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        first = " ".join(str(error).split())
        raise ValueError(f"cannot parse schedule file {name!r}: {first}") from None
    except RecursionError:
        raise ValueError(
            f"cannot parse schedule file {name!r}: nested too deeply to be a schedule"
        ) from None


#: YAML 1.2's core schema numbers, with TOML's and Python's spellings too (``0b101``, and ``_``
#: between digits): never YAML 1.1's octal ``010`` or base-60 ``1:30``.
_DIGITS = r"[0-9](?:_?[0-9])*"  # ASCII digits (``\d`` is any script's), "_" between two
_YAML_INT = (
    rf"[-+]?(?:{_DIGITS}|0x[0-9a-fA-F](?:_?[0-9a-fA-F])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*)"
)
_YAML_FLOAT = (
    rf"[-+]?(?:(?:{_DIGITS})?\.{_DIGITS}|{_DIGITS}\.?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
#: The most entries merge keys (``<<``) may copy: far more than a schedule has, and a bound on
#: the work of a file whose merges copy mappings into mappings many times over.
_MAX_MERGED = 1 << 16


def _yaml_loader(yaml: Any) -> Any:
    """PyYAML's SafeLoader with the numbers of YAML 1.2, merge keys, and duplicate keys refused."""
    import re

    int_tag, float_tag = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"

    class Loader(yaml.SafeLoader):  # type: ignore[misc]
        merged = 0  # entries copied by merge keys so far, in this document

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in {int_tag, float_tag}]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    # ints first: the float pattern matches "10" too
    Loader.add_implicit_resolver(int_tag, re.compile(rf"^(?:{_YAML_INT})$"), list("-+0123456789"))
    Loader.add_implicit_resolver(
        float_tag, re.compile(rf"^(?:{_YAML_FLOAT})$"), list("-+0123456789.")
    )

    def integer(loader: Any, node: Any) -> int:
        text = loader.construct_scalar(node)
        digits = text.lstrip("+-")
        try:  # base 0 reads the prefixes; base 10 reads "010" as ten (base 0 refuses it)
            if not text.isascii():
                raise ValueError(text)
            return int(text, 0 if digits[1:2].isalpha() else 10)
        except ValueError:  # "!!int x", or more digits than Python converts
            shown = text if len(text) <= 40 else text[:39] + "…"
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {shown!r} as an integer", node.start_mark
            ) from None

    def mapping(loader: Any, node: Any) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        own: set[Any] = set()
        merges = [v for k, v in node.value if k.tag == "tag:yaml.org,2002:merge"]
        if len(merges) > 1:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key '<<' (one merge key per mapping)", node.start_mark
            )
        for merged in merged_mappings(loader, merges[0]) if merges else ():
            out.update(merged)
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = loader.construct_object(key_node, deep=True)
            if key in own:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            own.add(key)
            out[key] = loader.construct_object(value_node, deep=True)
        return out

    def merged_mappings(loader: Any, node: Any) -> list[dict[Any, Any]]:
        """The mappings a merge key names, the first taking precedence (so applied last)."""
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if not all(isinstance(n, yaml.MappingNode) for n in nodes) or not nodes:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a merge key (<<) needs a mapping or a list of mappings",
                node.start_mark,
            )
        unique = list({id(n): n for n in nodes}.values())  # the same mapping twice: once
        out = [loader.construct_object(n, deep=True) for n in reversed(unique)]
        loader.merged += sum(map(len, out))
        if loader.merged > _MAX_MERGED:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"merge keys (<<) copy more than {_MAX_MERGED} entries; a schedule has a few",
                node.start_mark,
            )
        return out

    Loader.add_constructor(int_tag, integer)
    Loader.add_constructor("tag:yaml.org,2002:map", mapping)
    return Loader


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ValueError(
                "reading TOML on Python 3.10 needs tomli: pip install 'warmcos[yaml]'"
            ) from None
    return tomllib


def _yaml() -> Any:
    try:
        import yaml
    except ModuleNotFoundError:
        raise ValueError("reading YAML needs PyYAML: pip install 'warmcos[yaml]'") from None
    return yaml
