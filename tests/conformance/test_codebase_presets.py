"""Every codebase preset equals the values its codebase's own code produced, at every step.

The codebases (nanoGPT, llm.c, torchtitan, the Annotated Transformer, DINO, DINOv2, MAE,
nanochat, modded-nanogpt, litgpt, GPT-NeoX, Megatron-LM, open_clip, YOLOv5, big_vision) are not
packages, or their schedule cannot be imported alone (torchtitan's needs its config system,
Megatron-LM's megatron.core, YOLOv5's its whole train.py): their schedule was run
once, from the pinned commit, by ``tests/data/codebases/make_golden.py`` (as each training loop
calls it: update ``k`` gets the value the loop sets before update ``k``), and the values are
committed in ``tests/data/codebases/*.json`` (see the README there). Each case is compared at
every recorded step, from 0 to twice the end where the code has values there.

Tolerance: the codebases compute in their own order (``lr * (it + 1) / (W + 1)``,
``min + 0.5 * (1 + cos) * (lr - min)``, ``np.linspace``), so their values are not warmcos'
bits; and their ``1 + cos`` cancels near the end of the cosine, an absolute error of an ulp
of the peak. The bound is docs/accuracy.md's: 4 ulps of the value plus 4 ulps of the largest
value (absolute), in float64 for the Python codebases and in float32 for llm.c's C
schedulers and big_vision (which compute in float32).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conformance.preset_strategies import built
from warmcos import presets
from warmcos.presets import PRESETS

DATA = Path(__file__).parent.parent / "data" / "codebases"
FILES = sorted(DATA.glob("*.json"))


def cases() -> list[Any]:
    out = []
    for path in FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            case_id = f"{case['preset']}-{i}"
            out.append(pytest.param(data["repository"], case, id=case_id))
    return out


CASES = cases()
CODEBASE_NAMES = [name for name, p in PRESETS.items() if p.codebase is not None]


def bound(theirs: np.ndarray) -> np.ndarray:
    """4 ulps of each value plus 4 ulps of the largest, in the codebase's precision."""
    scale = theirs.dtype.type(np.max(np.abs(theirs), initial=0.0))
    return (4 * np.spacing(np.abs(theirs)) + 4 * np.spacing(scale)).astype(np.float64)


@pytest.mark.parametrize(("repository", "case"), CASES)
def test_the_preset_equals_the_codebase_at_every_recorded_step(
    repository: str, case: dict[str, Any]
) -> None:
    name, kwargs = case["preset"], case["kwargs"]
    codebase = PRESETS[name].codebase
    assert codebase is not None
    assert (codebase.repository, codebase.commit) == (repository, case["commit"])
    assert codebase.path == case["path"]
    assert PRESETS[name].anchor == f"{case['path']}:{case['function']}"
    schedule = getattr(presets, name)(**built(kwargs))
    theirs = np.array(case["values"], dtype=case["dtype"])
    ours = schedule.curve(theirs.size)
    bad = np.flatnonzero(~(np.abs(ours - theirs.astype(np.float64)) <= bound(theirs)))
    rows = "\n".join(f"  step {s}: warmcos {ours[s]!r}, codebase {theirs[s]!r}" for s in bad[:8])
    assert bad.size == 0, f"{name}({kwargs}) differs at {bad.size} steps:\n{rows}"
    stops = case["stops_at"]
    if stops is not None:  # the codebase has no value from there (IndexError, a failed assert)
        assert schedule.after == "raise"
        assert schedule.total_steps in (stops - 1, stops)
        with pytest.raises(ValueError, match="after='raise'"):
            schedule(schedule.total_steps + 1)


def test_every_codebase_preset_has_golden_data_with_several_parameter_sets() -> None:
    counts: dict[str, int] = {}
    for param in CASES:
        name = param.values[1]["preset"]
        counts[name] = counts.get(name, 0) + 1
    assert set(counts) == set(CODEBASE_NAMES)
    assert all(n >= 4 for n in counts.values()), counts


def test_the_golden_files_say_where_they_come_from() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in CODEBASE_NAMES:
        codebase = PRESETS[name].codebase
        assert codebase is not None
        assert codebase.commit in readme, name
        assert codebase.path in readme, name


@pytest.mark.parametrize("name", CODEBASE_NAMES)
def test_each_codebase_preset_says_its_convention_and_its_end(name: str) -> None:
    # which value update k uses, and what the codebase does after its end
    doc = PRESETS[name].doc
    assert "update" in doc, name
    assert any(word in doc for word in ("after", "past", "Past", "holds", "ends")), name
    assert PRESETS[name].codebase is not None
    assert PRESETS[name].codebase.url in (getattr(presets, name).__doc__ or "").replace("\n", "")
