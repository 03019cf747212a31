"""The field metadata of :mod:`multirat.config`: :class:`Spec`, :func:`param` and the validating mixin.

A :class:`Spec` states a field's unit, source, description, allowed range and *why* the range is
what it is; the book's Assumptions page shows :meth:`Spec.allowed` (range, cross-field rule and
reason) for every field, and the same text is what an invalid value's error message quotes.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

from multirat._checks import interval

__all__ = ["Spec", "Validated", "param"]


@dataclass(frozen=True)
class Spec:
    """Metadata of one configuration field.

    ``lo``/``hi`` bound a scalar (or, with ``each=True``, every element of a tuple);
    ``lo_open``/``hi_open`` make a bound strict. ``posinf`` also accepts ``+inf`` (an ideal limit,
    e.g. an infinitely attenuating filter). ``choices`` restricts to a finite set. ``allow_empty``
    accepts an empty tuple (with ``each=True``). ``relation`` states a rule tying the field to
    others (checked by the config class) and ``why`` the reason for the bounds; both are shown
    with the range on the Assumptions page. ``broadcast`` (with ``each=True``) names an integer
    field of the same record: a single number is then also accepted, meaning "this value for every
    entry", and stored as a tuple of that many equal entries (as a float), so that the stored value,
    equality and the configuration hash are those of the tuple. ``added`` marks a field added after
    results were stored whose default reproduces the behaviour without it (e.g. ``phi_spread = 0`` draws
    nothing): at its default it is left out of a result's configuration key (:mod:`multirat.results`), so
    the stored results stay current; any other value enters the key.
    """

    unit: str
    source: str
    doc: str
    symbol: str = ""
    assumption: bool = False
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False
    choices: tuple | None = None
    each: bool = False
    increasing: bool = False
    allow_empty: bool = False
    posinf: bool = False
    broadcast: str = ""
    relation: str = ""
    why: str = ""
    added: bool = False

    def range_text(self) -> str:
        """The allowed range alone, e.g. ``(0, 1]``, ``integer in [1, 64]``, ``one of 'a', 'b'``."""
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        text = interval(self.lo, self.hi, self.lo_open, self.hi_open, integer=self.integer, posinf=self.posinf)
        if self.each:
            text = ("number or " if self.broadcast else "") + ("tuple" if self.allow_empty else "non-empty tuple") + (
                ", each " + text + (", strictly increasing" if self.increasing else ""))
        return text

    def is_broadcast_scalar(self, value: Any) -> bool:
        """Whether ``value`` is a single number standing for every entry of a ``broadcast`` field."""
        return bool(self.broadcast) and isinstance(value, numbers.Real) and not isinstance(value, bool)

    def allowed(self) -> str:
        """Range, cross-field rule and reason: the 'allowed' column of the Assumptions page."""
        return (self.range_text() + (f"; {self.relation}" if self.relation else "")
                + (f" -- {self.why}" if self.why else ""))

    def _fail(self, name: str, value: Any, what: str, error=ValueError):
        reason = f" ({self.why})" if self.why else ""
        return error(f"{name}={value!r} {what}: allowed {self.range_text()} {self.unit}".rstrip() + reason)

    def check(self, name: str, value: Any) -> None:
        """Raise ``TypeError`` (wrong type) or ``ValueError`` (bad value) naming ``name``, ``value`` and the range."""
        if self.choices is not None:
            if all(isinstance(c, str) for c in self.choices) and not isinstance(value, str):
                raise self._fail(name, value, f"is invalid: {type(value).__name__} is not a choice", TypeError)
            if value not in self.choices:
                raise self._fail(name, value, "is invalid")
            return
        scalar = self.is_broadcast_scalar(value)
        if self.each and not scalar and not isinstance(value, tuple):
            raise self._fail(name, value, f"is invalid: {type(value).__name__} is not a "
                                          f"{'number or a ' if self.broadcast else ''}tuple", TypeError)
        if self.each and not scalar and len(value) == 0 and not self.allow_empty:
            raise self._fail(name, value, "is invalid: empty")
        for item in value if self.each and not scalar else (value,):
            if isinstance(item, bool) or not isinstance(item, numbers.Real):
                raise self._fail(name, value, f"is invalid: {item!r} is not a number", TypeError)
            if math.isnan(item) or (math.isinf(item) and not (self.posinf and item > 0)):
                raise self._fail(name, value, f"is invalid: {item!r} is not finite")
            if self.integer and int(item) != item:
                raise self._fail(name, value, f"is invalid: {item!r} is not an integer")
            too_low = self.lo is not None and (item < self.lo or (self.lo_open and item == self.lo))
            too_high = self.hi is not None and (item > self.hi or (self.hi_open and item == self.hi)) and not (
                self.posinf and item == math.inf)
            if too_low or too_high:
                raise self._fail(name, value, "is out of range")
        if self.increasing and not scalar and any(b <= a for a, b in itertools.pairwise(value)):
            raise ValueError(f"{name}={value!r} is invalid: values must be strictly increasing")


def param(default: Any, **spec: Any) -> Any:
    """A dataclass field with a :class:`Spec` attached (immutable default)."""
    return field(default=default, metadata={"spec": Spec(**spec)})


class Validated:
    """Mixin: validate every field against its :class:`Spec`, then the cross-field rules.

    A single number given for a ``broadcast`` field becomes a tuple of equal entries once every
    field is checked (its length field is then valid), before the cross-field rules run.
    """

    def __post_init__(self) -> None:
        fields = dataclasses.fields(self)
        for f in fields:
            value = getattr(self, f.name)
            spec: Spec = f.metadata["spec"]
            if isinstance(value, list):  # accept lists for tuple fields, store tuples (hashable, frozen)
                value = tuple(value)
                object.__setattr__(self, f.name, value)
            spec.check(f.name, value)
            if spec.integer and not spec.is_broadcast_scalar(value):  # store integral values as int (4.0 -> 4)
                value = tuple(int(v) for v in value) if spec.each else int(value)
                object.__setattr__(self, f.name, value)
        for f in fields:
            spec = f.metadata["spec"]
            value = getattr(self, f.name)
            if spec.is_broadcast_scalar(value):  # one number for every entry: the tuple it stands for
                item = int(value) if spec.integer else float(value)
                object.__setattr__(self, f.name, (item,) * int(getattr(self, spec.broadcast)))
        self._check_relations()

    def _check_relations(self) -> None:  # pragma: no cover - overridden where needed
        pass
