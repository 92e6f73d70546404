"""transformers.Trainer with ``optimizers=(optimizer, WarmcosLR)``: two cosine cycles.

    python examples/hf_trainer.py [--smoke] [--out build/examples]

The Trainer steps the scheduler once per optimizer update (``lr_scheduler.step()`` after
``optimizer.step()``), after all ``gradient_accumulation_steps`` micro-batches, and it does
not hand the scheduler to ``accelerate.prepare`` (so it is not stepped once per process). Here
micro-batches of 24 images are accumulated 2 at a time: the schedule counts the 30 updates
of an epoch, not its 60 micro-batches. The lr and loss of each update come from the Trainer's
own log (``logging_steps=1``). A full run reaches a test accuracy >= 0.95.
"""

from __future__ import annotations

import sys

import torch
import transformers

import _common
from warmcos import Schedule
from warmcos.torch import WarmcosLR

ACCUMULATE = 2


class Classifier(torch.nn.Module):
    """What the Trainer expects of a model: keyword inputs, and the loss in the output."""

    def __init__(self) -> None:
        super().__init__()
        self.net = _common.torch_mlp()

    def forward(self, x, labels=None):
        logits = self.net(x)
        loss = None if labels is None else torch.nn.functional.cross_entropy(logits, labels)
        return {"loss": loss, "logits": logits}


def main() -> int:
    args = _common.parser(__doc__).parse_args()
    transformers.set_seed(0)
    torch.set_num_threads(1)  # a 64-128-10 MLP: more threads only wait for each other
    x_train, y_train, x_test, y_test = _common.torch_digits()
    rows = [{"x": x, "labels": y} for x, y in zip(x_train, y_train, strict=True)]
    model = Classifier()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-4)
    schedule = Schedule(
        peak_lr=1e-2,
        total_steps=f"{_common.epochs(args)}ep",
        steps_per_epoch=_common.STEPS_PER_EPOCH,  # updates per epoch, not micro-batches
        warmup_steps="10%",
        warmup_start_lr=1e-4,
        final_lr=1e-4,
        cycles=2,  # two cosine decays: the second restarts at half the peak,
        cycle_decay=0.5,
        cycle_warmup_steps="2%",  # after its own short warmup
    )
    trainer = transformers.Trainer(
        model=model,
        args=transformers.TrainingArguments(
            output_dir=str(args.out / "hf_trainer"),
            num_train_epochs=_common.epochs(args),
            per_device_train_batch_size=_common.BATCH // ACCUMULATE,
            gradient_accumulation_steps=ACCUMULATE,
            logging_steps=1,
            save_strategy="no",
            report_to="none",
            use_cpu=True,
            disable_tqdm=True,
            dataloader_num_workers=0,
            seed=0,
        ),
        train_dataset=rows,
        optimizers=(optimizer, WarmcosLR(optimizer, schedule)),
    )
    trainer.remove_callback(transformers.PrinterCallback)  # the per-step log goes to the JSON
    log = _common.RunLog("hf_trainer", schedule, args)
    used: list[float] = []  # the lr of each update, read by the optimizer's own pre-step hook
    optimizer.register_step_pre_hook(lambda opt, a, kw: used.append(opt.param_groups[0]["lr"]))
    trainer.train()
    for entry in trainer.state.log_history:
        if "learning_rate" in entry:  # logged after update `step`: the rate that update used
            log.record(entry["step"] - 1, entry["learning_rate"], entry["loss"])
    log.extra["lr_from_optimizer_hook"] = used
    return log.finish(_common.torch_accuracy(model.net, x_test, y_test))


if __name__ == "__main__":
    sys.exit(main())
