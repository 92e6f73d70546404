"""Run with warmcos 0.1.0 first on the path: writes the version-1 fixtures of this folder (README.md)."""

# ruff: noqa
import json, sys, os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
out = sys.argv[1]
import torch, warmcos
from warmcos import Schedule
from warmcos.torch import WarmcosLR

assert warmcos.__version__ == "0.1.0"
s = Schedule(peak_lr=3e-4, total_steps=1000, warmup_steps=50, warmup_start_lr=3e-5, final_lr=3e-6)
model = torch.nn.Linear(2, 1)
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
sch = WarmcosLR(opt, s)
for _ in range(123):
    opt.step()
    sch.step()
torch.save(sch.state_dict(), f"{out}/warmcos-0.1.0-WarmcosLR.pt")
import keras
from warmcos.keras import WarmcosSchedule

m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
m.compile(optimizer=keras.optimizers.SGD(learning_rate=WarmcosSchedule(s)), loss="mse")
import numpy as np

m.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, epochs=1, verbose=0)
m.save(f"{out}/warmcos-0.1.0-model.keras")
json.dump(s.to_dict(), open(f"{out}/warmcos-0.1.0-schedule.json", "w"), indent=2)
print("ok", int(m.optimizer.iterations))
