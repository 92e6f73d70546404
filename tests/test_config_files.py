"""Config files people write by hand: no version needed, "did you mean", TOML/YAML writers,
the JSON Schema (shipped, and checked against every fixture), and typed parameters that
run-time introspection (typing.get_type_hints, jsonargparse, pydantic) can read.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import tomllib
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import warmcos
from conftest import DATA, ROOT
from strategies import FAMILY_CASES, family, schedules
from warmcos import Schedule, _math
from warmcos import types as wtypes
from warmcos.schedule import CYCLE_FLOORS, EDIT_SHAPES, FIELDS, read_config

jsonschema = pytest.importorskip("jsonschema")

TOY = {"peak_lr": 0.1, "total_steps": 100, "warmup_steps": "5%"}


# -- version ---------------------------------------------------------------------------------


def test_a_config_without_version_is_the_current_version(tmp_path: Path) -> None:
    assert Schedule.from_dict(TOY) == Schedule.from_dict({"version": 2, **TOY})
    assert Schedule.from_dict({**TOY, "decay_shape": "linear"}).decay_shape == "linear"
    (tmp_path / "a.toml").write_text('peak_lr = 0.1\ntotal_steps = 100\nwarmup_steps = "5%"\n')
    (tmp_path / "a.yaml").write_text("peak_lr: 0.1\ntotal_steps: 100\nwarmup_steps: 5%\n")
    (tmp_path / "a.json").write_text(json.dumps(TOY))
    for name in ("a.toml", "a.yaml", "a.json"):
        assert warmcos.load(tmp_path / name) == Schedule(0.1, 100, warmup_steps=5)


def test_a_version_1_file_with_a_version_2_key_says_so() -> None:
    with pytest.raises(
        ValueError,
        match=r"config \(version 1\) has keys of version 2: \['decay_shape'\]; write version = 2 "
        r"\(or leave version out\); received version=1",
    ):
        Schedule.from_dict({"version": 1, **TOY, "decay_shape": "linear"})


def test_a_wrong_version_still_fails() -> None:
    with pytest.raises(ValueError, match=r"version must be 1 or 2; received version=3 \(leave"):
        Schedule.from_dict({"version": 3, **TOY})


# -- did you mean ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("peak_lrr", "peak_lr"),
        ("total_step", "total_steps"),
        ("warmup", "warmup_steps"),
        ("decayshape", "decay_shape"),
        ("final_LR", "final_lr"),
        ("cycle_decays", "cycle_decay"),
        ("steps_per_epochs", "steps_per_epoch"),
    ],
)
def test_an_unknown_key_names_the_closest_valid_one(key: str, meant: str) -> None:
    with pytest.raises(ValueError, match=rf"unknown keys \['{key}'\].*did you mean '{meant}'\?$"):
        Schedule.from_dict({**TOY, key: 1})
    with pytest.raises(TypeError, match=rf"unknown parameters \['{key}'\].*'{meant}'\?$"):
        Schedule(0.1, 100).replace(**{key: 1})


def test_several_unknown_keys_each_get_a_suggestion_and_nonsense_gets_none() -> None:
    with pytest.raises(
        ValueError, match=r"did you mean 'final_lr' for 'finall_lr', 'peak_lr' for 'peak_lrr'\?$"
    ):
        Schedule.from_dict({**TOY, "peak_lrr": 1, "finall_lr": 0})
    with pytest.raises(ValueError, match=r"unknown keys \['zzzz'\]; valid keys: \[[^]]*\]$"):
        Schedule.from_dict({**TOY, "zzzz": 1})


def test_the_cli_shows_the_suggestion_for_a_file(tmp_path: Path) -> None:
    config = tmp_path / "mine.toml"
    config.write_text("peak_lr = 0.1\ntotal_steps = 100\nwarmup_step = 5\n")
    out = subprocess.run(
        [sys.executable, "-m", "warmcos", "describe", "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 2
    assert "did you mean 'warmup_steps'?" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


# -- writers ---------------------------------------------------------------------------------


def read_text(text: str, fmt: str) -> dict[str, typing.Any]:
    if fmt == "toml":
        return tomllib.loads(text)
    if fmt == "yaml":
        return yaml.safe_load(text)  # plain PyYAML (YAML 1.1), not warmcos's loader
    return json.loads(text)


WRITERS = {"toml": Schedule.to_toml, "yaml": Schedule.to_yaml, "json": Schedule.to_json}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize("name", sorted(FAMILY_CASES))
def test_every_family_member_round_trips_through_each_writer(
    name: str, fmt: str, tmp_path: Path
) -> None:
    s = FAMILY_CASES[name]
    text = WRITERS[fmt](s)
    assert Schedule.from_dict(read_text(text, fmt)) == s
    path = tmp_path / f"s.{fmt}"
    path.write_text(text)
    assert warmcos.load(path) == s


@settings(max_examples=50, deadline=None)
@given(st.one_of(schedules(), family()))
def test_any_schedule_round_trips_through_toml_and_yaml(s: Schedule) -> None:
    for fmt in ("toml", "yaml"):
        assert Schedule.from_dict(read_text(WRITERS[fmt](s), fmt)) == s


def test_floats_that_yaml_1_1_would_read_as_strings_are_written_as_floats() -> None:
    s = Schedule(peak_lr=1e-5, total_steps=10, final_lr=5e-324, warmup_start_lr=1e300)
    text = s.to_yaml()
    assert "peak_lr: 1.0e-05\n" in text
    assert yaml.safe_load(text)["final_lr"] == 5e-324
    assert s.to_json(indent=2).startswith('{\n  "version": 2,')


# -- the JSON Schema -------------------------------------------------------------------------

SCHEMA = warmcos.json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=None)


def test_the_schema_is_a_valid_draft_2020_12_schema_of_every_field() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    props = SCHEMA["properties"]
    assert list(props) == ["version", *(f.name for f in FIELDS), "steps_per_epoch"]
    assert SCHEMA["required"] == ["peak_lr", "total_steps"]
    for f in FIELDS:
        if f.choices is not None:
            assert props[f.name]["enum"] == list(f.choices)
        assert props[f.name]["description"] == f.help


def test_the_shipped_schema_file_is_the_generators_output() -> None:
    from warmcos import _schema

    shipped = ROOT / "src" / "warmcos" / _schema.SCHEMA_FILE
    assert shipped.read_text(encoding="utf-8") == _schema.text(), (
        'rewrite it: python -c "from warmcos._schema import write; write()"'
    )
    from importlib.resources import files

    assert json.loads(files("warmcos").joinpath(_schema.SCHEMA_FILE).read_text()) == SCHEMA


def fixtures(tmp_path: Path) -> list[tuple[str, dict[str, typing.Any]]]:
    """Every schedule config kept as a file: tests/data/**, and docs' config blocks.

    Not tests/data/codebases/: the values codebases produced, golden data, not configs.
    """
    import torch

    configs = [
        p for p in sorted(DATA.glob("**/*.json")) if p.relative_to(DATA).parts[0] != "codebases"
    ]
    out = [(str(p), json.loads(p.read_text())) for p in configs]
    state = torch.load(DATA / "v1" / "warmcos-0.1.0-WarmcosLR.pt", weights_only=True)
    out += [("WarmcosLR.pt schedule", state["schedule"])]
    out += [(f"WarmcosLR.pt group {i}", d) for i, d in enumerate(state["group_schedules"])]
    block = re.compile(r'```(?:toml|yaml|json) title="([^"]+)"\n(.*?)```', flags=re.S)
    for page in sorted((ROOT / "docs").glob("*.md")):
        for name, text in block.findall(page.read_text()):
            path = tmp_path / f"{page.stem}-{name}"
            path.write_text(text)
            config = read_config(path)  # warmcos's own reader: YAML 1.2 floats (3e-4)
            if "peak_lr" in config and "total_steps" in config:  # a schedule, not a trainer
                out.append((f"{page.name}:{name}", config))
    return out


def test_every_fixture_is_valid_under_the_schema_and_loads(tmp_path: Path) -> None:
    found = fixtures(tmp_path)
    names = [name for name, _ in found]
    assert any(n.endswith("warmcos-0.1.0-schedule.json") for n in names)
    assert "configs.md:schedule.toml" in names
    assert "configs.md:schedule.yaml" in names
    for name, config in found:
        assert list(VALIDATOR.iter_errors(config)) == [], name
        Schedule.from_dict(config)


def test_docs_config_blocks_load_from_files(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "configs.md").read_text()
    for name, body in re.findall(r'```(?:toml|yaml) title="(schedule\.\w+)"\n(.*?)```', text, re.S):
        path = tmp_path / name
        path.write_text(body)
        assert list(VALIDATOR.iter_errors(read_config(path))) == []
        assert warmcos.load(path).peak_lr == 3e-4


@pytest.mark.parametrize("name", sorted(FAMILY_CASES))
def test_every_family_member_and_its_written_forms_are_valid(name: str) -> None:
    s = FAMILY_CASES[name]
    for fmt, write in WRITERS.items():
        assert list(VALIDATOR.iter_errors(read_text(write(s), fmt))) == [], fmt


@settings(max_examples=100, deadline=None)
@given(st.one_of(schedules(), family()))
def test_every_schedule_is_valid_under_the_schema(s: Schedule) -> None:
    assert list(VALIDATOR.iter_errors(s.to_dict())) == []


@pytest.mark.parametrize(
    ("config", "path"),
    [
        ({**TOY, "warmup": 5}, []),
        ({**TOY, "decay_shape": "cosin"}, ["decay_shape"]),
        ({**TOY, "after": "stay"}, ["after"]),
        ({"peak_lr": 0.1}, []),
        ({**TOY, "version": 3}, ["version"]),
        ({**TOY, "version": 1, "stable_steps": 5}, []),
        ({**TOY, "peak_lr": -1}, ["peak_lr"]),
        ({**TOY, "peak_lr": "0.1"}, ["peak_lr"]),
        ({**TOY, "warmup_steps": "5 %"}, ["warmup_steps"]),
        ({**TOY, "total_steps": "5%"}, ["total_steps"]),
        ({**TOY, "warmup_steps": 1.5}, ["warmup_steps"]),
        ({**TOY, "cycles": 0}, ["cycles"]),
        ({**TOY, "power": 0}, ["power"]),
        ({**TOY, "decay_from_zero": 1}, ["decay_from_zero"]),
        ({**TOY, "edits": [[10, "inverse_sqrt", 20]]}, ["edits", 0]),
        ({**TOY, "edits": [{"at_step": 10, "shape": "linear"}]}, ["edits", 0]),
    ],
)
def test_the_schema_refuses_what_from_dict_refuses(
    config: dict[str, typing.Any], path: list[object]
) -> None:
    errors = list(VALIDATOR.iter_errors(config))
    assert errors
    assert next(list(e.absolute_path) for e in errors) == path
    with pytest.raises((ValueError, TypeError)):
        Schedule.from_dict(config)


# -- typing ----------------------------------------------------------------------------------


def public_classes() -> list[type]:
    import importlib

    found: list[type] = []
    for name in ("warmcos", "warmcos.schedule", "warmcos.units", "warmcos.presets"):
        module = importlib.import_module(name)
        found += [v for k in module.__all__ if inspect.isclass(v := getattr(module, k))]
    for name in ("warmcos.torch", "warmcos.keras", "warmcos.jax"):
        module = pytest.importorskip(name)
        found += [v for k in module.__all__ if inspect.isclass(v := getattr(module, k))]
    return list(dict.fromkeys(found))


def test_get_type_hints_works_on_every_public_class_and_method() -> None:
    classes = public_classes()
    assert Schedule in classes
    assert {c.__name__ for c in classes} >= {"WarmcosLR", "WarmcosSchedule", "OptaxSchedule"}
    for cls in classes:
        typing.get_type_hints(cls)
        own = cls.__dict__
        for name, member in own.items():
            function = (
                member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
            )
            if inspect.isfunction(function) and (name == "__init__" or not name.startswith("_")):
                typing.get_type_hints(function)  # NameError before: Duration, Any, ...
    typing.get_type_hints(warmcos.cosine_learning_rate_with_linear_warmup)
    typing.get_type_hints(Schedule.__call__)


def test_choices_are_literals_of_the_same_names_as_the_registries() -> None:
    registries = {
        wtypes.AfterPolicy: _math.AFTER_POLICIES,
        wtypes.WarmupShape: _math.WARMUP_SHAPES,
        wtypes.DecayShape: _math.DECAY_SHAPES,
        wtypes.EditShape: EDIT_SHAPES,
        wtypes.CycleFloor: CYCLE_FLOORS,
    }
    for literal, names in registries.items():
        assert typing.get_origin(literal) is typing.Literal
        assert typing.get_args(literal) == names
    hints = typing.get_type_hints(Schedule.__init__)
    for f in FIELDS:
        if f.choices is not None:
            assert typing.get_args(hints[f.name]) == f.choices, f.name
            assert typing.get_type_hints(Schedule)[f.name] == hints[f.name]


def test_torch_literals_match_its_registries() -> None:
    wt = pytest.importorskip("warmcos.torch")
    assert typing.get_args(wtypes.ResumePolicy) == wt.RESUME_POLICIES
    assert typing.get_args(wtypes.PeakSource) == wt.PEAK_SOURCES
    hints = typing.get_type_hints(wt.WarmcosLR.__init__)
    assert hints["resume"] == wtypes.ResumePolicy


def test_import_warmcos_still_does_not_import_typing() -> None:
    code = "import sys, warmcos; warmcos.Schedule(0.1, 10)(3); print('typing' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_jsonargparse_builds_a_schedule_from_its_signature() -> None:
    jsonargparse = pytest.importorskip("jsonargparse")
    parser = jsonargparse.ArgumentParser(exit_on_error=False)
    parser.add_class_arguments(Schedule, "schedule")
    args = ["--schedule.peak_lr=0.1", "--schedule.total_steps=100", "--schedule.warmup_steps=5%"]
    config = parser.parse_args([*args, "--schedule.decay_shape=linear"])
    built = parser.instantiate(config).schedule
    assert built == Schedule(0.1, 100, warmup_steps=5, decay_shape="linear")
    with pytest.raises(jsonargparse.ArgumentError, match=r"Literal\['linear', 'cosine'"):
        parser.parse_args([*args, "--schedule.decay_shape=cosin"])


def test_pydantic_validates_schedule_arguments_from_its_hints() -> None:
    pydantic = pytest.importorskip("pydantic")
    hints = typing.get_type_hints(Schedule.__init__)
    signature = inspect.signature(Schedule.__init__)
    fields: dict[str, typing.Any] = {
        name: (hint, ... if signature.parameters[name].default is inspect._empty else None)
        for name, hint in hints.items()
        if name != "return"
    }
    for name, p in signature.parameters.items():
        if name in fields and p.default is not inspect._empty:
            fields[name] = (hints[name], p.default)
    model = pydantic.create_model("ScheduleArgs", **fields)
    args = model(peak_lr=0.1, total_steps=100, warmup_steps="5%", after="wrap")
    assert Schedule(**args.model_dump()) == Schedule(0.1, 100, warmup_steps=5, after="wrap")
    with pytest.raises(pydantic.ValidationError, match=r"after\n.*'hold', 'wrap' or 'raise'"):
        model(peak_lr=0.1, total_steps=100, after="stay")


MYPY_PROGRAM = """
import numpy as np
from typing import Any
from typing_extensions import assert_type
import numpy.typing as npt
from warmcos import Schedule

s = Schedule(peak_lr=0.1, total_steps=100, decay_shape="linear")
assert_type(s(3), float)
assert_type(s(3.5), float)
assert_type(s(np.arange(4)), npt.NDArray[np.floating[Any]])
assert_type(s([1, 2]), npt.NDArray[np.floating[Any]])
assert_type(s.curve(), npt.NDArray[np.float64])
Schedule(peak_lr=0.1, total_steps=100, decay_shape="cosin")  # the error below
"""


@pytest.mark.slow
def test_mypy_reads_the_overloads_and_the_literals(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    program = tmp_path / "prog.py"
    program.write_text(MYPY_PROGRAM)
    out, err, status = api.run(
        [str(program), "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache")]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 1, out + err
    assert (
        'Argument "decay_shape" to "Schedule" has incompatible type "Literal[\'cosin\']"'
        in (errors[0])
    )
    assert status == 1
