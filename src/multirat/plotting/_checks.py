"""Input checks shared by the chapters' figure modules.

A figure function checks its arrays at entry with :func:`vector` and :func:`matrix`, so that a
wrong shape raises a ``ValueError`` naming the argument (as the caller wrote it, e.g.
``"chosen_bits['a']"``) instead of a matplotlib error deep inside the drawing. Both return the
array, converted, ready to plot. This module imports nothing from :mod:`multirat.plotting`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["interval", "matrix", "vector"]


def vector(x, name: str, *, like: np.ndarray | int | None = None, like_name: str = "", dtype=float) -> np.ndarray:
    """``x`` as a 1-D array ``[N]`` of ``dtype``.

    Args:
        x: the values (array-like).
        name: the argument's name, used in the error message.
        like: without it, ``x`` must be 1-D and non-empty. With an array (the x-axis ``x`` is
            plotted against, itself checked), ``x`` must have its shape; with an integer ``N``,
            ``x`` must have shape ``(N,)`` (``N`` may be 0).
        like_name: what ``like`` is, for the error message: the other argument's name (array
            ``like``) or where ``N`` comes from, e.g. ``"one per device of average_rate"``.
        dtype: the returned array's dtype (``int`` truncates floats, as :func:`numpy.asarray` does).

    Returns:
        ``np.asarray(x, dtype=dtype)``.

    Raises:
        ValueError: ``x`` not 1-D or empty (without ``like``), or not of the shape ``like`` asks for;
            the message names ``name`` (and ``like_name``) and shows the shapes.
    """
    arr = np.asarray(x, dtype=dtype)
    if like is None:
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array [N]; got shape {arr.shape}")
    elif isinstance(like, (int, np.integer)):
        if arr.shape != (int(like),):
            raise ValueError(f"{name} has shape {arr.shape}; expected ({int(like)},): {like_name}")
    elif arr.shape != np.shape(like):
        raise ValueError(f"{name} has shape {arr.shape} but {like_name} has shape {np.shape(like)}; they must match")
    return arr


def matrix(x, name: str, shape: tuple[int | None, ...], *, meaning: str = "", dtype=float) -> np.ndarray:
    """``x`` as an array of ``dtype`` with the given ``shape``.

    Args:
        x: the values (array-like).
        name: the argument's name, used in the error message.
        shape: the expected shape, one entry per dimension; ``None`` accepts any length there
            (``(None, 2)``: any number of rows of two).
        meaning: what the dimensions are, for the error message, e.g. ``"[len(sinr_db), len(mcs)]"``.
        dtype: the returned array's dtype.

    Returns:
        ``np.asarray(x, dtype=dtype)``.

    Raises:
        ValueError: a different number of dimensions or a fixed length that differs; the message
            names ``name`` and shows the expected (``?`` for ``None``) and the actual shape.
    """
    arr = np.asarray(x, dtype=dtype)
    if arr.ndim != len(shape) or any(want is not None and got != want for got, want in zip(arr.shape, shape)):
        want = "[" + ", ".join("?" if s is None else str(s) for s in shape) + "]"
        raise ValueError(f"{name} must have shape {want}" + (f" ({meaning})" if meaning else "")
                         + f"; got {arr.shape}")
    return arr


def interval(pair, name: str) -> tuple[float, float]:
    """``pair`` as ``(low, high)`` floats with ``low < high`` (an axis range or an annulus).

    Raises:
        ValueError: not two values, or ``low >= high`` (NaN included); the message names ``name``.
    """
    try:
        lo, hi = (float(v) for v in pair)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be two numbers (low, high); got {pair!r}") from None
    if not lo < hi:
        raise ValueError(f"{name} must be (low, high) with low < high; got {pair!r}")
    return lo, hi
