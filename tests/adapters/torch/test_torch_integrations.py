"""WarmcosLR unchanged inside transformers.Trainer and a Lightning Trainer: small real runs."""

from __future__ import annotations

import pytest
import torch

from warmcos import Schedule
from warmcos.torch import WarmcosLR

SCHEDULE = Schedule(peak_lr=0.05, total_steps=10, warmup_steps=3, warmup_start_lr=0.005)
STEPS = 12  # two past the end: the lr holds at final_lr


class TinyRegressor(torch.nn.Module):
    """A transformers-compatible model: keyword inputs, a dict with the loss."""

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(4, 1)

    def forward(self, x, labels=None):
        out = self.linear(x)
        loss = None if labels is None else torch.nn.functional.mse_loss(out, labels)
        return {"loss": loss, "logits": out}


def rows(n=64):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 4, generator=g)
    return [{"x": x[i], "labels": x[i, :1].sin()} for i in range(n)]


def record_lrs(opt):
    """The lr each optimizer update uses, from a pre-hook on the optimizer's own step."""
    used = []
    opt.register_step_pre_hook(lambda o, args, kwargs: used.append(o.param_groups[0]["lr"]))
    return used


# -- transformers.Trainer ------------------------------------------------------------------


def hf_trainer(tmp_path, **args):
    transformers = pytest.importorskip("transformers")
    torch.manual_seed(0)
    model = TinyRegressor()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    scheduler = WarmcosLR(opt, SCHEDULE)
    arguments = transformers.TrainingArguments(
        output_dir=str(tmp_path),
        max_steps=STEPS,
        per_device_train_batch_size=4,
        report_to="none",
        use_cpu=True,
        disable_tqdm=True,
        logging_steps=1,
        dataloader_num_workers=0,
        **args,
    )
    trainer = transformers.Trainer(
        model=model, args=arguments, train_dataset=rows(), optimizers=(opt, scheduler)
    )
    return trainer, opt, scheduler


@pytest.mark.slow
def test_transformers_trainer_steps_it_once_per_update(tmp_path):
    trainer, opt, scheduler = hf_trainer(tmp_path, save_strategy="no")
    used = record_lrs(opt)
    trainer.train()
    assert used == [SCHEDULE(k) for k in range(STEPS)]
    assert scheduler.last_epoch == STEPS
    logged = [e["learning_rate"] for e in trainer.state.log_history if "learning_rate" in e]
    assert logged == [SCHEDULE(k) for k in range(STEPS)]  # the Trainer logs each update's lr


@pytest.mark.slow
def test_transformers_trainer_resumes_the_schedule_from_its_checkpoint(tmp_path):
    first, _, _ = hf_trainer(tmp_path, save_strategy="steps", save_steps=5)
    first.train()
    checkpoint = tmp_path / "checkpoint-5"
    assert (checkpoint / "scheduler.pt").exists()
    saved = torch.load(checkpoint / "scheduler.pt", weights_only=True)
    assert saved["step"] == 5
    assert saved["schedule"] == SCHEDULE.to_dict()
    resumed, opt, scheduler = hf_trainer(tmp_path, save_strategy="no")
    used = record_lrs(opt)
    resumed.train(resume_from_checkpoint=str(checkpoint))
    assert used == [SCHEDULE(k) for k in range(5, STEPS)]
    assert scheduler.last_epoch == STEPS


# -- Lightning -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:The '.*dataloader' does not have many workers")
# Lightning 2.6.6 on torch 2.13 checks a pytree spec the deprecated way:
@pytest.mark.filterwarnings("ignore:`isinstance.treespec, LeafSpec.` is deprecated:FutureWarning")
def test_lightning_step_interval_scheduler(tmp_path):
    pl = pytest.importorskip("pytorch_lightning")

    class Module(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = TinyRegressor()

        def training_step(self, batch, batch_idx):
            return self.net(**batch)["loss"]

        def configure_optimizers(self):
            opt = torch.optim.SGD(self.parameters(), lr=0.05)
            self.recorded = record_lrs(opt)
            self.scheduler = WarmcosLR(opt, SCHEDULE)
            return {
                "optimizer": opt,
                "lr_scheduler": {"scheduler": self.scheduler, "interval": "step"},
            }

    torch.manual_seed(0)
    module = Module()
    loader = torch.utils.data.DataLoader(rows(), batch_size=4)
    trainer = pl.Trainer(
        max_steps=STEPS,
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=str(tmp_path),
    )
    trainer.fit(module, loader)
    assert module.recorded == [SCHEDULE(k) for k in range(STEPS)]
    assert module.scheduler.last_epoch == STEPS
