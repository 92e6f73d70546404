"""The TF-TPU reference function, verbatim, runnable on TensorFlow (one copy for the repository).

``cosine_learning_rate_with_linear_warmup`` is in no installable package: it lives in
tensorflow/tpu, models/official/detection/modeling/learning_rates.py, at commit
4807426bfc941721a6aefa216a1d533e9d05d2c9 (the same function is in tensorflow/models,
official/legacy/detection/modeling/learning_rates.py). It is kept below as text and executed
with the module's own imports (``tensorflow.compat.v1 as tf``, ``numpy as np``), so that not a
character of it changes, formatter included.

Used by tests/conformance/test_keras_anchors.py (the anchor, run for real) and by
tests/data/make_seed_golden.py (which wrote tests/data/seed_tf_float32.csv with it).
Importing this module imports TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

__all__ = ["TPU_REFERENCE_SOURCE", "tpu_reference"]

# Copyright 2018 The TensorFlow Authors. All Rights Reserved. Licensed under the Apache
# License, Version 2.0: http://www.apache.org/licenses/LICENSE-2.0
TPU_REFERENCE_SOURCE = '''
def cosine_learning_rate_with_linear_warmup(global_step,
                                            init_learning_rate,
                                            warmup_learning_rate,
                                            warmup_steps,
                                            total_steps):
  """Creates the cosine learning rate tensor with linear warmup."""
  global_step = tf.cast(global_step, dtype=tf.float32)
  linear_warmup = (warmup_learning_rate + global_step / warmup_steps *
                   (init_learning_rate - warmup_learning_rate))
  cosine_learning_rate = (
      init_learning_rate * (tf.cos(
          np.pi * (global_step - warmup_steps) / (total_steps - warmup_steps))
                            + 1.0) / 2.0)
  learning_rate = tf.where(global_step < warmup_steps,
                           linear_warmup, cosine_learning_rate)
  return learning_rate
'''
_namespace: dict[str, Any] = {"tf": tf.compat.v1, "np": np}
exec(TPU_REFERENCE_SOURCE, _namespace)  # a constant: the anchor's own source
tpu_reference: Callable[..., tf.Tensor] = _namespace["cosine_learning_rate_with_linear_warmup"]
