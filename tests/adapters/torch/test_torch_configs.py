"""Config-driven WarmcosLR: dict specs, the peak rule, and docs/configs.md's recipes run for real.

The recipes (a LightningCLI subclass, Hydra ``instantiate``, a ``transformers.Trainer`` that
builds WarmcosLR in ``create_scheduler``) are the files named ``title="..."`` in
docs/configs.md, written into ``tmp_path`` and run on tiny models: the lr of every optimizer
update must be ``schedule(step)``.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
import torch
from torch.optim.optimizer import register_optimizer_step_pre_hook

from conftest import ROOT
from warmcos import Schedule
from warmcos.torch import PEAK_SOURCES, WarmcosLR

SPEC = {"peak_lr": 0.1, "total_steps": 10, "warmup_steps": "20%", "final_lr": 0.01}


def doc_files() -> dict[str, str]:
    """The code blocks of docs/configs.md that have a file name (```lang title="name")."""
    text = (ROOT / "docs" / "configs.md").read_text()
    return dict(re.findall(r'```\w+ title="([^"]+)"\n(.*?)```', text, flags=re.S))


def write_doc_file(tmp_path, name):
    path = tmp_path / name
    path.write_text(doc_files()[name])
    return path


def import_doc_file(tmp_path, name):
    path = write_doc_file(tmp_path, name)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sgd(*lrs):
    groups = [{"params": [torch.nn.Parameter(torch.ones(1))], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups)


def run(optimizer, scheduler, n):
    """The lr of each group at each of ``n`` updates."""
    seen = []
    for _ in range(n):
        seen.append([g["lr"] for g in optimizer.param_groups])
        optimizer.step()
        scheduler.step()
    return seen


def record_every_update():
    """Every optimizer's lr at each update (group 0), from a global optimizer pre-hook."""
    used: list[float] = []
    handle = register_optimizer_step_pre_hook(
        lambda opt, args, kwargs: used.append(float(opt.param_groups[0]["lr"]))
    )
    return used, handle


# -- a dict spec -----------------------------------------------------------------------------


def test_a_dict_is_a_schedule_config():
    want = Schedule.from_dict(SPEC)
    assert want.warmup_steps == 2
    for spec in (SPEC, {"version": 2, **SPEC}):
        opt = sgd(0.1)
        scheduler = WarmcosLR(opt, spec)
        assert scheduler.schedule == want
        assert scheduler.group_schedules == (want,)
        assert run(opt, scheduler, 12) == [[want(k)] for k in range(12)]


def test_a_list_of_dicts_and_schedules_is_one_per_group():
    other = Schedule(peak_lr=0.5, total_steps=20)
    opt = sgd(0.1, 0.5)
    scheduler = WarmcosLR(opt, [SPEC, other])
    assert scheduler.group_schedules == (Schedule.from_dict(SPEC), other)


def test_a_bad_dict_is_from_dicts_error_and_nothing_is_half_built():
    opt = sgd(0.1)
    with pytest.raises(ValueError, match=r"unknown keys \['warmup'\].*did you mean 'warmup_steps'"):
        WarmcosLR(opt, {**SPEC, "warmup": 3})
    with pytest.raises(ValueError, match=r"decay_shape must be one of .*received decay_shape="):
        WarmcosLR(opt, {**SPEC, "decay_shape": "cosin"})
    with pytest.raises(TypeError, match=r"schedule\[1\] must be a warmcos\.Schedule or a dict"):
        WarmcosLR(sgd(0.1, 0.1), [SPEC, "cosine"])
    assert "initial_lr" not in opt.param_groups[0]


# -- which peak wins -------------------------------------------------------------------------


def test_a_peak_that_differs_from_the_optimizer_lr_is_an_error_not_a_replacement():
    opt = sgd(0.1, 0.3)
    with pytest.raises(
        ValueError,
        match=r"schedule\.peak_lr=0\.1 differs from param group 1's lr=0\.3: say which one is "
        r"the peak: peak='optimizer' .* peak='schedule' .*received peak=None",
    ):
        WarmcosLR(opt, SPEC)
    assert all("initial_lr" not in g for g in opt.param_groups)  # nothing half-built
    with pytest.raises(ValueError, match=r"group 0's lr=0\.2 \(and 1 more group\(s\)\)"):
        WarmcosLR(sgd(0.2, 0.3), SPEC)


def test_equal_peaks_need_no_choice_and_a_float32_lr_counts_as_equal():
    schedule = Schedule.from_dict(SPEC)
    for lr in (0.1, torch.tensor(0.1), torch.tensor(0.1, dtype=torch.float64)):
        scheduler = WarmcosLR(sgd(lr), schedule)
        assert scheduler.group_schedules[0] is schedule


def test_peak_optimizer_scales_the_shape_to_each_group():
    schedule = Schedule.from_dict(SPEC)
    opt = sgd(0.1, 0.3)
    scheduler = WarmcosLR(opt, schedule, peak="optimizer")
    assert scheduler.group_schedules == (schedule, schedule.with_peak(0.3))
    seen = run(opt, scheduler, 12)
    assert seen == [[schedule(k), schedule.with_peak(0.3)(k)] for k in range(12)]
    assert seen[2] == [0.1, 0.3]  # each group's peak is its own lr


def test_peak_schedule_follows_the_schedules_rates_in_every_group():
    schedule = Schedule.from_dict(SPEC)
    opt = sgd(0.5, 0.3)
    scheduler = WarmcosLR(opt, SPEC, peak="schedule")
    assert scheduler.group_schedules == (schedule, schedule)
    assert run(opt, scheduler, 12) == [[schedule(k)] * 2 for k in range(12)]
    assert repr(scheduler).endswith("the same rates in every group, step=12)")
    # a checkpoint holds it, and a scheduler built the same way resumes it under "check"
    state = scheduler.state_dict()
    assert state["relative"] is False
    again = WarmcosLR(sgd(0.5, 0.3), SPEC, peak="schedule")
    again.load_state_dict(state)
    assert again.last_epoch == 12
    assert again.get_last_lr() == [schedule(12)] * 2


def test_peak_is_checked():
    with pytest.raises(ValueError, match=r"peak must be None, 'optimizer', 'schedule'.*'group'"):
        WarmcosLR(sgd(0.1), SPEC, peak="group")
    with pytest.raises(ValueError, match=r"a list of schedules is followed exactly"):
        WarmcosLR(sgd(0.1), [SPEC], peak="optimizer")
    assert WarmcosLR(sgd(0.7), [SPEC], peak="schedule").group_schedules[0].peak_lr == 0.1
    assert PEAK_SOURCES == ("optimizer", "schedule")


# -- LightningCLI ----------------------------------------------------------------------------

LIGHTNING_WARNINGS = [
    pytest.mark.filterwarnings("ignore:The '.*dataloader' does not have many workers"),
    # Lightning 2.6.6 on torch 2.13 checks a pytree spec the deprecated way:
    pytest.mark.filterwarnings("ignore:`isinstance.treespec, LeafSpec.` is deprecated"),
    # Lightning 2.6.6 calls an API that jsonargparse 4.53 deprecates:
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pytorch_lightning.cli"),
]


def lightning_run(tmp_path, monkeypatch, cli_class):
    """Fit a tiny model with ``cli_class`` and docs/configs.md's lightning.yaml."""
    monkeypatch.setattr(sys, "argv", ["train.py"])  # as if run as `train.py fit --config ...`
    pl = pytest.importorskip("pytorch_lightning")
    pytest.importorskip("jsonargparse")
    import yaml

    class Tiny(pl.LightningModule):
        def __init__(self, width: int = 4) -> None:
            super().__init__()
            self.net = torch.nn.Linear(width, 1)

        def training_step(self, batch, batch_idx):
            x, y = batch
            return torch.nn.functional.mse_loss(self.net(x), y)

        def train_dataloader(self):
            x = torch.randn(32, 4, generator=torch.Generator().manual_seed(0))
            dataset = torch.utils.data.TensorDataset(x, x.sum(1, keepdim=True))
            return torch.utils.data.DataLoader(dataset, batch_size=4)  # 8 updates an epoch

    config = write_doc_file(tmp_path, "lightning.yaml")
    used, handle = record_every_update()
    try:
        cli = cli_class(
            Tiny,
            args=["fit", "--config", str(config)],
            save_config_callback=None,
            seed_everything_default=0,
            trainer_defaults={
                "accelerator": "cpu",
                "devices": 1,
                "logger": False,
                "enable_checkpointing": False,
                "enable_progress_bar": False,
                "enable_model_summary": False,
                "default_root_dir": str(tmp_path),
            },
        )
    finally:
        handle.remove()
    spec = yaml.safe_load(config.read_text())["lr_scheduler"]["init_args"]["schedule"]
    return cli, used, Schedule.from_dict(spec)


def _with_lightning_filters(test):
    for mark in LIGHTNING_WARNINGS:
        test = mark(test)
    return test


@pytest.mark.slow
@_with_lightning_filters
def test_lightning_cli_recipe_steps_the_yaml_schedule_once_per_update(tmp_path, monkeypatch):
    cli_module = import_doc_file(tmp_path, "warmcos_cli.py")
    cli, used, schedule = lightning_run(tmp_path, monkeypatch, cli_module.WarmcosCLI)
    scheduler = cli.trainer.lr_scheduler_configs[0].scheduler
    assert isinstance(scheduler, WarmcosLR)
    assert scheduler.schedule == schedule  # built from the YAML by jsonargparse
    assert cli.trainer.lr_scheduler_configs[0].interval == "step"
    assert used == [schedule(k) for k in range(16)]  # every update: warmup, decay, final
    assert scheduler.last_epoch == 16


@pytest.mark.slow
@_with_lightning_filters
def test_plain_lightning_cli_steps_it_once_per_epoch_which_is_why_the_recipe_exists(
    tmp_path, monkeypatch
):
    from pytorch_lightning.cli import LightningCLI

    _, used, schedule = lightning_run(tmp_path, monkeypatch, LightningCLI)
    assert used == [schedule(0)] * 8 + [schedule(1)] * 8  # 16 updates, 2 schedule steps


@pytest.mark.slow
@_with_lightning_filters
def test_lightning_module_recipe_takes_total_steps_from_the_trainer(tmp_path):
    pl = pytest.importorskip("pytorch_lightning")
    recipe = import_doc_file(tmp_path, "lightning_module.py")

    class Tiny(recipe.WarmcosModule):
        def __init__(self):
            super().__init__()
            self.net = torch.nn.Linear(4, 1)

        def training_step(self, batch, batch_idx):
            x, y = batch
            return torch.nn.functional.mse_loss(self.net(x), y)

    x = torch.randn(32, 4, generator=torch.Generator().manual_seed(0))
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x, x.sum(1, keepdim=True)), batch_size=4
    )
    trainer = pl.Trainer(
        max_epochs=2,  # 8 batches an epoch, 2 per update: 8 updates in all
        accumulate_grad_batches=2,
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=str(tmp_path),
    )
    module = Tiny()
    used, handle = record_every_update()
    try:
        trainer.fit(module, loader)
    finally:
        handle.remove()
    schedule = Schedule(peak_lr=1e-2, total_steps=8, warmup_steps=2, final_lr=1e-3)
    assert trainer.lr_scheduler_configs[0].scheduler.schedule == schedule
    assert used == [schedule(k) for k in range(8)]


# -- Hydra -----------------------------------------------------------------------------------


def test_hydra_instantiate_recipe(tmp_path):
    pytest.importorskip("hydra")
    from hydra import compose, initialize_config_dir

    write_doc_file(tmp_path, "hydra.yaml")
    recipe = import_doc_file(tmp_path, "hydra_train.py")
    with initialize_config_dir(config_dir=str(tmp_path), version_base=None):
        cfg = compose(config_name="hydra")
    model = torch.nn.Linear(4, 1)
    optimizer, scheduler = recipe.build(cfg, model)
    schedule = Schedule(peak_lr=0.01, total_steps=12, warmup_steps=3, decay_shape="linear")
    assert isinstance(optimizer, torch.optim.AdamW)
    assert scheduler.group_schedules == (schedule,)  # ${optimizer.lr} is the peak
    used = []
    for _ in range(14):
        used.append(optimizer.param_groups[0]["lr"])
        model(torch.randn(2, 4)).sum().backward()
        optimizer.step()
        optimizer.zero_grad()
        scheduler.step()
    assert used == [schedule(k) for k in range(14)]


@pytest.mark.slow
def test_hydra_main_recipe_runs(tmp_path):
    pytest.importorskip("hydra")
    write_doc_file(tmp_path, "hydra.yaml")
    script = write_doc_file(tmp_path, "hydra_train.py")
    out = subprocess.run(
        [sys.executable, str(script), f"hydra.run.dir={tmp_path / 'run'}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr


# -- transformers.Trainer --------------------------------------------------------------------


@pytest.mark.slow
def test_hf_trainer_recipe_takes_total_steps_from_the_trainer(tmp_path):
    transformers = pytest.importorskip("transformers")
    recipe = import_doc_file(tmp_path, "hf_trainer.py")

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(4, 1)

        def forward(self, x, labels=None):
            out = self.linear(x)
            return {"loss": torch.nn.functional.mse_loss(out, labels), "logits": out}

    x = torch.randn(40, 4, generator=torch.Generator().manual_seed(0))
    rows = [{"x": x[i], "labels": x[i, :1]} for i in range(40)]
    torch.manual_seed(0)
    trainer = recipe.WarmcosTrainer(
        model=Tiny(),
        args=transformers.TrainingArguments(
            output_dir=str(tmp_path),
            num_train_epochs=2,  # 10 batches of 4 an epoch, 2 per update: 10 updates in all
            per_device_train_batch_size=4,
            gradient_accumulation_steps=2,
            learning_rate=0.05,
            report_to="none",
            use_cpu=True,
            disable_tqdm=True,
            save_strategy="no",
            dataloader_num_workers=0,
        ),
        train_dataset=rows,
        schedule={"warmup_steps": "20%", "final_lr": 0.005},
    )
    used, handle = record_every_update()
    try:
        trainer.train()
    finally:
        handle.remove()
    schedule = Schedule(peak_lr=0.05, total_steps=10, warmup_steps=2, final_lr=0.005)
    assert trainer.state.max_steps == 10
    assert trainer.lr_scheduler.group_schedules[0] == schedule  # the Trainer's own count
    assert used == [schedule(k) for k in range(10)]
