"""``python -m multirat``: see :mod:`multirat.cli`."""

import sys

from multirat.cli import main

if __name__ == "__main__":
    sys.exit(main())
