"""``python -m printer test SPEC``: see :mod:`printer.cli`."""

import sys

from printer.cli import main

sys.exit(main())
