"""PyTorch Lightning: WarmcosLR with ``interval: "step"``, exponential warmup, quadratic decay.

    python examples/lightning_train.py [--smoke] [--out build/examples]

``configure_optimizers`` returns the scheduler with ``"interval": "step"``: Lightning steps it
after every optimizer step, and with ``accumulate_grad_batches=2`` that is once per 2
micro-batches, so the schedule counts updates (30 an epoch here, of 60 micro-batches). The
lr of each update is read from the optimizer inside ``training_step`` of the micro-batch that
completes it. A full run reaches a test accuracy >= 0.95.
"""

from __future__ import annotations

import sys
import warnings

import pytorch_lightning as pl
import torch

import _common
from warmcos import Schedule
from warmcos.torch import WarmcosLR

ACCUMULATE = 2


class DigitsModule(pl.LightningModule):
    def __init__(self, schedule: Schedule, log: _common.RunLog) -> None:
        super().__init__()
        self.net = _common.torch_mlp()
        self.schedule = schedule
        self.run_log = log
        self.micro_losses: list[float] = []

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self.net(x), y)
        self.micro_losses.append(loss.item())
        if len(self.micro_losses) == ACCUMULATE:  # this micro-batch completes an update
            lr = self.optimizers().param_groups[0]["lr"]
            step = self.lr_schedulers().last_epoch  # the updates applied so far
            self.run_log.record(step, lr, sum(self.micro_losses) / ACCUMULATE)
            self.micro_losses.clear()
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=1e-2, weight_decay=1e-4)
        scheduler = WarmcosLR(optimizer, self.schedule)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": "step"},
        }


def main() -> int:
    args = _common.parser(__doc__).parse_args()
    # The data is 1440 tensors in memory: loading workers would only add processes.
    warnings.filterwarnings("ignore", ".*does not have many workers", UserWarning)
    pl.seed_everything(0, verbose=False)
    torch.set_num_threads(1)  # a 64-128-10 MLP: more threads only wait for each other
    x_train, y_train, x_test, y_test = _common.torch_digits()
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_train, y_train),
        batch_size=_common.BATCH // ACCUMULATE,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    schedule = Schedule(
        peak_lr=1e-2,
        total_steps=f"{_common.epochs(args)}ep",
        steps_per_epoch=len(loader) // ACCUMULATE,  # optimizer steps per epoch
        warmup_steps="10%",
        warmup_shape="exponential",  # geometric warmup from 1e-4 (needs a start > 0),
        warmup_start_lr=1e-4,
        decay_shape="polynomial",  # then a quadratic decay to 0
        power=2.0,
    )
    log = _common.RunLog("lightning_train", schedule, args)
    module = DigitsModule(schedule, log)
    trainer = pl.Trainer(
        max_epochs=_common.epochs(args),
        accumulate_grad_batches=ACCUMULATE,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=str(args.out / "lightning"),
    )
    trainer.fit(module, loader)
    return log.finish(_common.torch_accuracy(module.net, x_test, y_test))


if __name__ == "__main__":
    sys.exit(main())
