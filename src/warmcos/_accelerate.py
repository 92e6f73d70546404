"""The accelerate guard of :class:`warmcos.torch.WarmcosLR`: who steps the scheduler, how often.

``AcceleratedScheduler.step`` (accelerate 1.x) calls the scheduler ``num_processes`` times
after each optimizer update when ``step_with_optimizer`` is set and ``split_batches`` is not:
accelerate counts per-process batches, ``WarmcosLR`` counts updates. The wrapper is
recognised by the module of the frame that calls ``WarmcosLR.step``, and its settings are read
from that frame's ``self``; accelerate is never imported here.
"""

from __future__ import annotations

import sys


def refuse_multistep() -> None:
    """Raise if the caller of the calling ``step()`` is accelerate stepping it N > 1 times.

    Call it from ``WarmcosLR.step`` itself: it reads the frame two levels up (the code that
    called ``step``). Anything else (no accelerate, other settings, one process) passes.

    Raises:
        ValueError: accelerate's prepared scheduler would run the schedule ``num_processes``
            times too fast.
    """
    caller = sys._getframe(2)
    if caller.f_globals.get("__name__") != "accelerate.scheduler":
        return
    wrapper = caller.f_locals.get("self")
    once = getattr(wrapper, "split_batches", True) or not getattr(
        wrapper, "step_with_optimizer", False
    )
    if once:
        return
    state = sys.modules.get("accelerate.state")
    processes = state.AcceleratorState().num_processes if state is not None else 1
    if processes > 1:
        raise ValueError(
            f"accelerate's prepared scheduler steps WarmcosLR num_processes={processes} times "
            "per optimizer update (split_batches=False, step_scheduler_with_optimizer=True), "
            f"which would run the schedule {processes}x too fast: its steps are optimizer "
            "updates. Build it with WarmcosLR(optimizer, schedule, skip_aware=True) to advance "
            "once per applied update, or use Accelerator(step_scheduler_with_optimizer=False) "
            "and call scheduler.step() once per update; received skip_aware=False"
        )
