"""Write this folder's version-1 fixtures with warmcos 0.1.0 (see README.md): run, don't import.

Usage, with warmcos 0.1.0's ``src/`` first on ``PYTHONPATH``:
``python tests/data/v1/make_fixtures.py tests/data/v1``.
"""

from __future__ import annotations

import json
import os
import sys


def main(out: str) -> None:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras
    import numpy as np
    import torch

    import warmcos
    from warmcos import Schedule
    from warmcos.keras import WarmcosSchedule
    from warmcos.torch import WarmcosLR

    if warmcos.__version__ != "0.1.0":
        raise SystemExit(f"needs warmcos 0.1.0 on the path; found {warmcos.__version__}")
    s = Schedule(
        peak_lr=3e-4, total_steps=1000, warmup_steps=50, warmup_start_lr=3e-5, final_lr=3e-6
    )
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    sch = WarmcosLR(opt, s)
    for _ in range(123):
        opt.step()
        sch.step()
    torch.save(sch.state_dict(), f"{out}/warmcos-0.1.0-WarmcosLR.pt")
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=WarmcosSchedule(s)), loss="mse")
    m.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, epochs=1, verbose=0)
    m.save(f"{out}/warmcos-0.1.0-model.keras")
    with open(f"{out}/warmcos-0.1.0-schedule.json", "w", encoding="utf-8") as f:
        json.dump(s.to_dict(), f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1])
