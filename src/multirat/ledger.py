"""The reproduction ledger (the book's last chapter): the rule that gives each of the paper's claims a status.

* :func:`claim_status` -- ``reproduced``, ``same direction``, ``not reproduced`` or ``not reproducible`` for
  one claim, from the paper's value, ours and our 95 % interval, by the kind of quantity it is
  (:data:`KINDS`).

The rule is the issue's: a claim is reproduced when the paper's value lies inside our 95 % interval (within a
stated tolerance for counts and times, which carry no interval); an effect (a gain, a difference, a fraction
relative to a benchmark) with the paper's sign but not its size is ``same direction``; a claim whose
conditions the paper never states, or that no scheme can reach, is ``not reproducible`` (the caller says
why).
"""

from __future__ import annotations

import math

__all__ = ["KINDS", "STATUSES", "TIME_FACTOR", "claim_status"]

#: The statuses, from the best to the worst agreement.
STATUSES = ("reproduced", "same direction", "not reproduced", "not reproducible")

#: What a claim is, which decides how it is compared:
#:
#: * ``level``: a throughput or another absolute quantity; reproduced inside our interval, else not;
#: * ``effect``: a gain, a difference or a relative change, whose sign is part of the claim; outside our interval
#:   it is ``same direction`` when ours has the paper's (non-zero) sign;
#: * ``count``: an exact number (actions, combinations); reproduced only when equal (within ``tolerance``);
#: * ``time``: a measured duration, reproduced within a factor :data:`TIME_FACTOR` (another machine and
#:   implementation make a closer match meaningless);
#: * ``selection``: a choice among candidates (e.g. the best discount factor); reproduced only when equal.
KINDS = ("level", "effect", "count", "time", "selection")

#: A time is reproduced within this factor either way.
TIME_FACTOR = 2.0


def claim_status(paper: float, ours: float, ci95: float = math.nan, kind: str = "level", *,
                 tolerance: float = 0.0, reproducible: bool = True) -> str:
    """The status of one claim (one of :data:`STATUSES`).

    Args:
        paper: the paper's value.
        ours: our value, in the paper's unit (NaN only with ``reproducible=False``).
        ci95: half-width of our 95 % interval (NaN: none, e.g. one deterministic value or a count).
        kind: one of :data:`KINDS`.
        tolerance: for ``count`` and ``selection``, the largest allowed |ours - paper| (0: exact); for
            ``level`` and ``effect`` without an interval, the largest allowed relative difference
            |ours / paper - 1| (0: exact); ignored for ``time`` (:data:`TIME_FACTOR`).
        reproducible: ``False`` when the paper never states a condition the claim needs, or no scheme can
            reach its value: the status is then ``not reproducible`` whatever the numbers.

    The boundaries belong to ``reproduced``: the paper's value exactly at the edge of our interval, a count
    within ``tolerance``, a time exactly a factor :data:`TIME_FACTOR` away.

    Raises ``ValueError`` for an unknown ``kind``, a NaN ``ours`` or ``paper`` of a reproducible claim, a
    negative ``tolerance`` or ``ci95``, and a non-positive time.
    """
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is unknown: allowed one of {KINDS}")
    if not reproducible:
        return "not reproducible"
    paper, ours, ci95, tolerance = float(paper), float(ours), float(ci95), float(tolerance)
    if not (math.isfinite(paper) and math.isfinite(ours)):
        raise ValueError(f"paper={paper!r} and ours={ours!r} must be finite for a reproducible claim; mark a claim "
                         "without our value reproducible=False, with its reason")
    if tolerance < 0 or (math.isfinite(ci95) and ci95 < 0):
        raise ValueError(f"tolerance={tolerance!r} and ci95={ci95!r} must be >= 0")
    if kind in ("count", "selection"):
        return "reproduced" if abs(ours - paper) <= tolerance else "not reproduced"
    if kind == "time":
        if paper <= 0 or ours <= 0:
            raise ValueError(f"a time must be positive: paper={paper!r}, ours={ours!r}")
        return "reproduced" if max(ours / paper, paper / ours) <= TIME_FACTOR else "not reproduced"
    if math.isfinite(ci95):
        inside = abs(ours - paper) <= ci95
    else:
        inside = abs(ours - paper) <= tolerance * abs(paper)
    if inside:
        return "reproduced"
    if kind == "effect" and ours != 0 and paper != 0 and math.copysign(1, ours) == math.copysign(1, paper):
        return "same direction"
    return "not reproduced"
