"""Input checks shared by the model modules: a clear ``ValueError`` naming the argument."""

from __future__ import annotations

import numpy as np


def nonnegative(x, name: str, *, finite: bool = False) -> np.ndarray:
    """``x`` as a float array; raise if any entry is NaN, negative, or (``finite=True``) infinite."""
    arr = np.asarray(x, dtype=float)
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} contains NaN")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got {x!r}")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0; got min {arr.min()!r}")
    return arr


def positive(x, name: str, *, finite: bool = False) -> np.ndarray:
    """``x`` as a float array; raise unless every entry is > 0 (and finite with ``finite=True``)."""
    arr = np.asarray(x, dtype=float)
    if np.any(~(arr > 0)) or (finite and not np.all(np.isfinite(arr))):
        raise ValueError(f"{name} must be {'finite and ' if finite else ''}> 0; got {x!r}")
    return arr


def positive_int(value, name: str) -> int:
    """``value`` as a Python int; raise unless it is an integer (not a bool) >= 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)
