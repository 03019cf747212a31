"""nbval re-executes the committed chapters (paper profile) as `make book` does: cached experiment
tables are loaded, never recomputed (a missing or stale result fails the notebook with the command
that recomputes it). Set MULTIRAT_RESULTS yourself to override."""

import os

from multirat.results import MODE_ENV

os.environ.setdefault(MODE_ENV, "cache_only")
