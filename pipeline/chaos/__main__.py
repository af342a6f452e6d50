"""``python -m pipeline.chaos``: see :mod:`pipeline.chaos`."""

import sys

from pipeline.chaos import main

sys.exit(main())
