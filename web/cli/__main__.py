"""`python -m web.cli` runs the `hazardtrack` command line."""

import sys

from web.cli import main

sys.exit(main())
