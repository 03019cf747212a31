"""Input checks shared by the public functions: one error naming the argument, its value and what is allowed.

Every public function of the package validates its arguments once, at entry, with these helpers
(the hot inner loops then run on checked arrays). The contract:

* a value of the wrong *type* -- a string, ``None``, a boolean or a complex number where a real
  number is expected, a list holding strings -- raises ``TypeError`` naming the argument;
* a number outside its documented range, NaN, or an infinity where none is allowed raises
  ``ValueError`` of the form ``"<name>=<value> is out of range: allowed <range> <unit>"`` (the
  phrasing of :class:`multirat.config.NetworkConfig`'s field checks), with the first offending
  element and its index when the argument is an array.

Intervals are written ``[lo, hi]`` (closed), ``(lo, hi)`` (open) or mixed, ``inf`` for no bound.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "bool_array",
    "broadcast",
    "choice",
    "complex_array",
    "counts",
    "exact_counts",
    "flag",
    "generator",
    "int_array",
    "integer",
    "interval",
    "nonnegative",
    "positive",
    "positive_int",
    "probability",
    "real",
    "scalar",
    "seed",
    "shape",
    "shown",
]


def interval(lo=None, hi=None, lo_open: bool = False, hi_open: bool = False, *, integer: bool = False,
             posinf: bool = False) -> str:
    """The allowed range as text: ``[0, inf)``, ``(0, 1]``, ``integer in [1, 64]``, ``[0, 100] or inf``."""
    def txt(v):
        return f"{int(v)}" if integer and abs(v) < 1e15 else f"{v:g}"

    lo_txt = "-inf" if lo is None else txt(lo)
    hi_txt = "inf" if hi is None else txt(hi)
    left = "(" if (lo_open or lo is None) else "["
    right = ")" if (hi_open or hi is None) else "]"
    text = f"{'integer in ' if integer else ''}{left}{lo_txt}, {hi_txt}{right}"
    return text + (" or inf" if posinf and hi is not None else "")


def shown(x, limit: int = 80) -> str:
    """``repr`` of a value for an error message, shortened to about ``limit`` characters."""
    if isinstance(x, np.ndarray):
        text = f"array(shape={x.shape})" if x.size > 8 else repr(x.tolist())
    elif isinstance(x, np.generic):
        text = repr(x.item())
    elif isinstance(x, int) and not isinstance(x, bool) and x.bit_length() > 3 * limit:
        text = f"<int of about {x.bit_length() * math.log10(2):.0f} digits>"   # too long to show (or to convert)
    else:
        text = repr(x)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_error(name: str, x, expected: str) -> TypeError:
    return TypeError(f"{name} must be {expected}; got {type(x).__name__} {shown(x)}")


def _as_array(x, name: str, complex_ok: bool) -> np.ndarray:
    """``x`` as a float (or complex) array; ``TypeError`` for anything that is not real numbers."""
    expected = "a number or an array of numbers" if complex_ok else "a real number or an array of real numbers"
    if x is None or isinstance(x, (str, bytes, bool, np.bool_)):
        raise _type_error(name, x, expected)
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError):               # ragged nested lists
        raise ValueError(f"{name}={shown(x)} is invalid: not a rectangular array of numbers") from None
    kind = arr.dtype.kind
    if kind == "O":
        items = arr.ravel().tolist()
        ok = (numbers.Number if complex_ok else numbers.Real)
        if not all(isinstance(v, ok) and not isinstance(v, (bool, np.bool_)) for v in items):
            raise _type_error(name, x, expected)
        kind = "c" if any(isinstance(v, numbers.Complex) and not isinstance(v, numbers.Real) for v in items) else "f"
        arr = arr.astype(complex if kind == "c" else float)
    if kind in "iuf":
        return arr.astype(float, copy=False)
    if kind == "c" and complex_ok:
        return arr.astype(complex, copy=False)
    raise _type_error(name, x, expected)


def _bad(arr: np.ndarray, bad: np.ndarray, x) -> tuple[str, str]:
    """The value as shown in a message and, for an array, which elements are bad (the first one)."""
    if arr.ndim == 0:
        return shown(x), ""
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    where = idx[0] if len(idx) == 1 else idx
    return shown(x, 60), f"; {int(bad.sum())} of {arr.size} values, e.g. {arr[idx].item()!r} at index {where}"


def real(x, name: str, *, lo=None, hi=None, lo_open: bool = False, hi_open: bool = False, finite: bool = True,
         posinf: bool = False, integer: bool = False, unit: str = "", why: str = "") -> np.ndarray:
    """``x`` (scalar or array) as a float array, checked against a range.

    NaN is never allowed; infinities only with ``finite=False`` (both, subject to the range) or
    ``posinf=True`` (``+inf`` beyond the finite range, e.g. an ideal, infinitely attenuating filter).
    ``integer=True`` also requires integral values. Raises ``TypeError`` (not real numbers) or
    ``ValueError`` naming ``name``, the value and the allowed range ``unit``; ``why`` is appended.
    """
    arr = _as_array(x, name, complex_ok=False)
    allowed = interval(lo, hi, lo_open, hi_open, integer=integer, posinf=posinf)
    tail = (f" {unit}" if unit else "") + (f" ({why})" if why else "")

    def fail(bad, what):
        value, detail = _bad(arr, bad, x)
        return ValueError(f"{name}={value} {what}: allowed {allowed}{tail}{detail}")

    nan = np.isnan(arr)
    if nan.any():
        raise fail(nan, "is not a number (NaN)")
    pinf = arr == np.inf
    inf = (np.isinf(arr) & ~pinf) if posinf else np.isinf(arr)
    if finite and inf.any():
        raise fail(inf, "is not finite")
    ok = np.ones(arr.shape, dtype=bool)
    if lo is not None:
        ok &= (arr > lo) if lo_open else (arr >= lo)
    if hi is not None:
        ok &= ((arr < hi) if hi_open else (arr <= hi)) | (pinf if posinf else False)
    if not ok.all():
        raise fail(~ok, "is out of range")
    if integer:
        frac = np.isfinite(arr) & (arr != np.round(arr))
        if frac.any():
            raise fail(frac, "is not an integer")
    return arr


def complex_array(x, name: str) -> np.ndarray:
    """``x`` as a complex array of finite numbers (real input accepted); ``TypeError`` for non-numbers."""
    arr = _as_array(x, name, complex_ok=True)
    bad = ~np.isfinite(arr)
    if bad.any():
        value, detail = _bad(arr, bad, x)
        raise ValueError(f"{name}={value} is not finite: allowed finite complex numbers{detail}")
    return arr.astype(complex, copy=False)


def scalar(x, name: str):
    """``x`` unchanged if it is a scalar (0-d); ``ValueError`` naming ``name`` and the shape otherwise
    (``TypeError`` first if it is not numbers at all)."""
    if np.ndim(x) != 0:
        _as_array(x, name, complex_ok=True)
        raise ValueError(f"{name} must be a scalar; got shape {np.shape(x)}")
    return x


def bool_array(x, name: str) -> np.ndarray:
    """``x`` as a boolean array; ``TypeError`` unless it holds booleans (``True``/``False``)."""
    arr = None if x is None or isinstance(x, (str, bytes)) else np.asarray(x)
    if arr is None or arr.dtype.kind != "b":
        raise _type_error(name, x, "a boolean or an array of booleans")
    return arr


def shape(value, name: str = "shape") -> tuple:
    """An array shape: a non-negative integer or a tuple of them, as a tuple."""
    items = (value,) if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) else value
    if not isinstance(items, (tuple, list)):
        raise _type_error(name, value, "a non-negative integer or a tuple of them")
    return tuple(integer(v, f"{name}[{i}]", lo=0) for i, v in enumerate(items))


def broadcast(names, *arrays) -> tuple:
    """The broadcast shape of ``arrays``; ``ValueError`` naming every argument's shape if they do not broadcast."""
    try:
        return np.broadcast_shapes(*(np.shape(a) for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{n}{np.shape(a)}" for n, a in zip(names, arrays))
        raise ValueError(f"shapes do not broadcast: {shapes}") from None


def nonnegative(x, name: str, *, finite: bool = False, unit: str = "") -> np.ndarray:
    """``x`` as a float array, every entry in ``[0, inf)`` (``+inf`` allowed unless ``finite=True``)."""
    return real(x, name, lo=0.0, finite=finite, posinf=not finite, unit=unit)


def positive(x, name: str, *, finite: bool = False, unit: str = "") -> np.ndarray:
    """``x`` as a float array, every entry in ``(0, inf)`` (``+inf`` allowed unless ``finite=True``)."""
    return real(x, name, lo=0.0, lo_open=True, finite=finite, posinf=not finite, unit=unit)


def probability(x, name: str) -> np.ndarray:
    """``x`` as a float array of probabilities in ``[0, 1]``."""
    return real(x, name, lo=0.0, hi=1.0)


def integer(value, name: str, *, lo=None, hi=None) -> int:
    """A scalar integer as a Python ``int`` (integral floats such as ``4.0`` accepted).

    ``TypeError`` for booleans, strings, ``None``, complex numbers and other non-numbers;
    ``ValueError`` for NaN, infinities, fractions and values outside ``[lo, hi]``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or np.ndim(value) != 0:
        raise _type_error(name, value, "an integer")
    allowed = interval(lo, hi, integer=True)
    if isinstance(value, (float, np.floating)) and not (math.isfinite(value) and float(value).is_integer()):
        raise ValueError(f"{name}={shown(value)} is not an integer: allowed {allowed}")
    out = int(value)
    if (lo is not None and out < lo) or (hi is not None and out > hi):
        raise ValueError(f"{name}={shown(value)} is out of range: allowed {allowed}")
    return out


def positive_int(value, name: str) -> int:
    """``value`` as a Python int >= 1 (see :func:`integer`)."""
    return integer(value, name, lo=1)


def int_array(x, name: str, *, lo=None, hi=None) -> np.ndarray:
    """``x`` as an int64 array of integers in ``[lo, hi]`` (integral floats accepted, booleans not).

    Without limits, ``[lo, hi]`` is the int64 range (``-2**63``, ``2**63 - 1``).
    """
    arr = np.asarray(x) if not isinstance(x, (str, bytes)) and x is not None else None
    if arr is None or arr.dtype.kind == "b":
        raise _type_error(name, x, "an integer or an array of integers")
    lo = -(2**63) if lo is None else lo
    hi = 2**63 - 1024 if hi is None else hi                     # the largest float below 2**63
    if arr.dtype.kind in "iu":
        out = arr.astype(np.int64)
        allowed = interval(lo, hi, integer=True)
        bad = np.zeros(out.shape, dtype=bool)
        if lo is not None:
            bad |= out < lo
        if hi is not None:
            bad |= out > hi
        if bad.any():
            value, detail = _bad(out, bad, x)
            raise ValueError(f"{name}={value} is out of range: allowed {allowed}{detail}")
        return out
    values = real(x, name, lo=lo, hi=hi, integer=True)
    return values.astype(np.int64)


def choice(value, name: str, choices) -> object:
    """``value`` if it is one of ``choices``; ``TypeError`` for a value of another type, else ``ValueError``."""
    if all(isinstance(c, str) for c in choices) and not isinstance(value, str):
        raise _type_error(name, value, "one of " + ", ".join(map(repr, choices)))
    try:
        known = value in choices
    except (TypeError, ValueError):
        known = False
    if not known:
        raise ValueError(f"{name}={shown(value)} is unknown: allowed one of {', '.join(map(repr, choices))}")
    return value


def flag(value, name: str) -> bool:
    """``value`` as a bool; ``TypeError`` unless it is ``True``/``False`` (or a numpy bool)."""
    if not isinstance(value, (bool, np.bool_)):
        raise _type_error(name, value, "True or False")
    return bool(value)


def generator(rng, name: str = "rng") -> np.random.Generator:
    """``rng`` if it is a ``numpy.random.Generator``; ``TypeError`` otherwise."""
    if not isinstance(rng, np.random.Generator):
        raise _type_error(name, rng, "a numpy.random.Generator (np.random.default_rng(seed))")
    return rng


def seed(value, name: str = "seed"):
    """A seed for ``np.random.default_rng``: ``None`` or an integer in ``[0, 2**128)``.

    ``TypeError`` for other types (strings, booleans, complex numbers), ``ValueError`` for negative
    values, fractions, NaN and infinities (an integral float such as ``5.0`` is accepted).
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise _type_error(name, value, "None or a non-negative integer")
    if isinstance(value, (float, np.floating)):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"{name}={shown(value)} is not an integer: allowed None or integer in [0, 2**128)")
        value = int(value)
    if not 0 <= int(value) < 2**128:
        raise ValueError(f"{name}={shown(value)} is out of range: allowed integer in [0, 2**128)")
    return int(value)


_INT64_MAX = 2**63 - 1


def counts(x, name: str) -> np.ndarray:
    """``x`` as an array of positive integer counts in [1, 2**63), held as Python ints (object dtype).

    For counts that are multiplied together (:mod:`multirat.overhead`): Python ints cannot
    overflow, so :func:`exact_counts` can refuse a result beyond int64 instead of returning a
    wrapped-around (negative) number. ``TypeError`` naming ``name`` for booleans, strings and other
    non-numbers; ``ValueError`` for NaN, infinities, fractions and counts outside [1, 2**63).
    """
    arr = np.asarray(x) if not isinstance(x, (str, bytes)) and x is not None else None
    if arr is not None and arr.dtype.kind == "O" and all(
            isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in arr.ravel().tolist()):
        big = [v for v in arr.ravel().tolist() if not 1 <= v <= _INT64_MAX]          # Python ints beyond int64
        if big:
            raise ValueError(f"{name}={shown(x)} is out of range: allowed integer in [1, 2**63) (a positive integer "
                             f"count); got {shown(big[0])}")
        arr = arr.astype(np.int64)
    if arr is None or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a positive integer count; got {type(x).__name__} {shown(x)}"
                        + ("" if arr is None or arr.dtype.kind != "b" else " (a boolean)"))
    if arr.dtype.kind == "f" and (not np.all(np.isfinite(arr)) or np.any(arr != np.floor(arr))
                                  or np.any(np.abs(arr) >= 2.0**63)):
        raise ValueError(f"{name}={shown(x)} is not a positive integer count: allowed integer in [1, 2**63)")
    if arr.dtype.kind == "u" and np.any(arr > _INT64_MAX):
        raise ValueError(f"{name}={shown(x)} is out of range: allowed integer in [1, 2**63) (a positive integer count)")
    out = arr.astype(np.int64)
    if np.any(out < 1):
        raise ValueError(f"{name}={shown(x)} is out of range: allowed integer in [1, inf) (a positive integer count); "
                         f"got min {out.min()!r}")
    return out.astype(object)                                   # exact Python-int arithmetic from here on


def exact_counts(x, **args):
    """A result computed from :func:`counts`: int64 if it holds integers, float64 otherwise; a numpy
    scalar for 0-d results, the array otherwise.

    ``ValueError`` naming the arguments ``args`` (name=value) when an integer exceeds int64
    (2**63 - 1): numpy's int64 arithmetic would silently wrap around to a wrong, possibly negative count.
    """
    arr = x if isinstance(x, np.ndarray) else np.asarray(x, dtype=object)   # a Python int may exceed int64
    if arr.dtype == object:
        values = arr.ravel().tolist()
        if all(isinstance(v, numbers.Integral) for v in values):
            if values and max(values) > _INT64_MAX:
                given = ", ".join(f"{k}={shown(np.asarray(v) if np.ndim(v) else v)}" for k, v in args.items())
                raise ValueError(f"the count {float(max(values)):.4g} exceeds the int64 range (2**63 - 1 = 9.2e18) "
                                 f"for {given}: allowed arguments whose counts fit in int64")
            arr = arr.astype(np.int64)
        else:
            arr = arr.astype(float)
    return arr[()]
