"""``python -m warmcos``: the same as the ``warmcos`` command."""

import sys

from .cli import main

sys.exit(main())
