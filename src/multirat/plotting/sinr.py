"""Figures of chapter 4 (adjacent-channel interference, hardware impairments and SINR).

Each function takes the arrays a chapter computed with :mod:`multirat.interference` and the
validation reference (:mod:`multirat.reference.signal`) and returns the
:class:`matplotlib.figure.Figure`; none of them evaluates the model. Every figure is at most
:data:`~multirat.plotting.COLUMN_WIDTH_IN` wide; legends sit below the axes
(:func:`~multirat.plotting.legend_below`) or to the right of them, never over data.

Curves are passed as mappings from a label (or a parameter value such as :math:`\\sigma_{rt}` or
:math:`\\phi`) to a ``[X]`` array; colours follow the mapping's order through
:data:`~multirat.plotting.PALETTE`. A function raises ``ValueError`` naming the argument when an
array is not 1-D, is empty, or does not have the length of its x-axis.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from multirat.plotting import PALETTE, axes_legend, figure, key_line, legend_below
from multirat.plotting._checks import interval, vector

__all__ = ["aci_line_figure", "hwi_ceiling_figure", "phi_loss_figure", "sinr_check_figure"]

#: Line styles of the HWI bases in :func:`hwi_ceiling_figure` (the first is the paper's).
_BASIS_STYLES = ("--", ":", "-.")

#: Dark grey of the noise and SNR curves.
_NOISE_COLOUR = PALETTE[6]


def _curves(mapping, name: str, like: np.ndarray, like_name: str, *, max_curves: int = len(PALETTE)) -> dict:
    """A label -> ``[X]`` mapping checked against the x-axis ``like``."""
    if not isinstance(mapping, Mapping) or not 0 < len(mapping) <= max_curves:
        raise ValueError(f"{name} must be a mapping of 1 to {max_curves} curves; got {mapping!r:.60}")
    return {k: vector(v, f"{name}[{k!r}]", like=like, like_name=like_name) for k, v in mapping.items()}


# ------------------------------------------------------------------------------------------------
# The HWI ceiling
# ------------------------------------------------------------------------------------------------

def hwi_ceiling_figure(snr_db, sinr_db: Mapping[float, np.ndarray], ceiling_db: Mapping[float, float], n_links,
                       ceiling_vs_load_db: Mapping[str, Mapping[float, np.ndarray]], *, n_k: int,
                       snr_range_db=None):
    """Figure 4.1: SINR against SNR for several HWI levels (left) and the HWI ceiling against the load (right).

    Colour: :math:`\\sigma_{rt}` (the keys of ``sinr_db``, in order). Left: the SINR of Eq. (14) (solid)
    and the paper's ceiling at ``n_k`` links (dashed). Right: the ceiling against the number of
    equally loaded links for each basis of the distortion power (line style, the first basis dashed
    like the left panel's ceiling).

    Args:
        snr_db: ``[G]`` the link's SNR :math:`P g/\\sigma^2` (dB), the left x-axis.
        sinr_db: :math:`\\sigma_{rt}` -> ``[G]`` SINR of Eq. (14) (dB).
        ceiling_db: :math:`\\sigma_{rt}` -> the paper's HWI ceiling (dB) at ``n_k`` links; the keys are
            a subset of ``sinr_db``'s (:math:`\\sigma_{rt} = 0` has no ceiling).
        n_links: ``[L]`` numbers of links per AP, the right x-axis.
        ceiling_vs_load_db: basis label -> (:math:`\\sigma_{rt}` -> ``[L]`` ceiling in dB); at most three
            bases, the first the paper's.
        n_k: the number of links of the left panel's AP (> 0), for its title.
        snr_range_db: ``(low, high)`` range (dB) of both axes of the left panel; default: that of
            ``snr_db``.

    Raises:
        ValueError: wrong shapes, a :math:`\\sigma_{rt}` that ``sinr_db`` does not have, more than
            three bases, ``n_k`` < 1, or an empty ``snr_range_db``.
    """
    snr = vector(snr_db, "snr_db")
    sinr = _curves(sinr_db, "sinr_db", snr, "snr_db")
    colour = dict(zip(sinr, PALETTE))
    for s in ceiling_db:
        if s not in colour:
            raise ValueError(f"ceiling_db has sigma_rt = {s!r}, which sinr_db does not have")
    load = vector(n_links, "n_links")
    if not isinstance(ceiling_vs_load_db, Mapping) or not 0 < len(ceiling_vs_load_db) <= len(_BASIS_STYLES):
        raise ValueError(f"ceiling_vs_load_db must map 1 to {len(_BASIS_STYLES)} bases to curves")
    bases = {}
    for b, per_sigma in ceiling_vs_load_db.items():
        bases[b] = _curves(per_sigma, f"ceiling_vs_load_db[{b!r}]", load, "n_links")
        for s in bases[b]:
            if s not in colour:
                raise ValueError(f"ceiling_vs_load_db[{b!r}] has sigma_rt = {s!r}, which sinr_db does not have")
    if not int(n_k) >= 1:
        raise ValueError(f"n_k must be >= 1; got {n_k!r}")
    lo, hi = interval((float(snr.min()), float(snr.max())) if snr_range_db is None else snr_range_db, "snr_range_db")

    fig, (ax_s, ax_c) = figure(1, 2, height_in=3.9)
    for s, curve in sinr.items():
        ax_s.plot(snr, curve, color=colour[s])
    for s, c_db in ceiling_db.items():
        ax_s.axhline(c_db, color=colour[s], ls=_BASIS_STYLES[0], lw=1)
    ax_s.set(xlabel="SNR $P g/\\sigma^2$ [dB]", ylabel="SINR, Eq. (14) [dB]", xlim=(lo, hi), ylim=(lo, hi),
             title=f"one of {int(n_k)} equal links of an AP, no ACI")
    for (b, per_sigma), ls in zip(bases.items(), _BASIS_STYLES):
        for s, curve in per_sigma.items():
            ax_c.plot(load, curve, color=colour[s], ls=ls)
    ax_c.set(xlabel="links per AP $n_k$ (equal split)", ylabel="HWI ceiling [dB]",
             title="ceiling against the load", xlim=(load.min(), load.max()))

    handles = [key_line(color=colour[s], lw=3) for s in sinr]
    labels = [f"$\\sigma_{{rt}}$ = {s:g}" for s in sinr]
    handles.append(key_line(color="0.3"))
    labels.append("SINR (left)")
    for b, ls in zip(bases, _BASIS_STYLES):
        handles.append(key_line(color="0.3", ls=ls))
        labels.append(f"ceiling, {b}")
    legend_below(fig, handles, labels, ncol=len(sinr))
    return fig


# ------------------------------------------------------------------------------------------------
# ACI along the line between two APs
# ------------------------------------------------------------------------------------------------

def aci_line_figure(distance_m, signal_dbm, hwi_dbm, aci_dbm, aci_by_offset_dbm: Mapping[str, np.ndarray],
                    noise_dbm: float, snr_db, sinr_db: Mapping[str, np.ndarray], sinr_alt_db=None,
                    sinr_alt_label: str = ""):
    """Figure 4.2: powers at a victim (top) and its SNR and SINR (bottom) along the line between two APs.

    Args:
        distance_m: ``[X]`` the victim's distance to its serving AP (m), the shared x-axis.
        signal_dbm: ``[X]`` desired received power :math:`P g_{n,k}` (dBm).
        hwi_dbm: ``[X]`` received HWI distortion power (dBm).
        aci_dbm: ``[X]`` total ACI, Eq. (10) (dBm).
        aci_by_offset_dbm: label (e.g. ``"$r+1$"``) -> ``[X]`` ACI from one adjacent RRB (dBm);
            at most two, drawn dotted and dashed in the ACI colour.
        noise_dbm: noise power :math:`\\sigma^2` (dBm), a horizontal line.
        snr_db: ``[X]`` the victim's SNR (dB).
        sinr_db: label -> ``[X]`` SINR (dB), one colour each (e.g. one per :math:`\\phi`).
        sinr_alt_db: optional ``[X]`` SINR of an alternative model (dB), dotted in the first colour.
        sinr_alt_label: its legend label (required with ``sinr_alt_db``).

    Raises:
        ValueError: an array not of the shape of ``distance_m``, more than two ACI offsets, or
            ``sinr_alt_db`` without a label.
    """
    x = vector(distance_m, "distance_m")
    powers = {name: vector(v, name, like=x, like_name="distance_m") for name, v in
              (("signal_dbm", signal_dbm), ("hwi_dbm", hwi_dbm), ("aci_dbm", aci_dbm))}
    offsets = _curves(aci_by_offset_dbm, "aci_by_offset_dbm", x, "distance_m", max_curves=2)
    snr = vector(snr_db, "snr_db", like=x, like_name="distance_m")
    sinr = _curves(sinr_db, "sinr_db", x, "distance_m")
    alt = None if sinr_alt_db is None else vector(sinr_alt_db, "sinr_alt_db", like=x, like_name="distance_m")
    if alt is not None and not sinr_alt_label:
        raise ValueError("sinr_alt_label is required with sinr_alt_db")

    fig, (ax_p, ax_s) = figure(2, 1, height_in=6.4, sharex=True)
    ax_p.plot(x, powers["signal_dbm"], color=PALETTE[0], label="desired signal $P g_{n,k}$")
    ax_p.plot(x, powers["hwi_dbm"], color=PALETTE[3], label="HWI $g\\,\\sigma_{rt}^2 P_{total,k}$")
    ax_p.plot(x, powers["aci_dbm"], color=PALETTE[1], label="ACI, Eq. (10)")
    for (label, curve), ls in zip(offsets.items(), (":", "--")):
        ax_p.plot(x, curve, color=PALETTE[1], ls=ls, lw=1, label=f"ACI from {label}")
    ax_p.axhline(noise_dbm, color=_NOISE_COLOUR, ls="-.", label="noise $\\sigma^2$")
    ax_p.set(ylabel="power at the victim [dBm]", title="received powers")
    axes_legend(ax_p, side="right")
    ax_s.plot(x, snr, color=_NOISE_COLOUR, ls="-.", label="SNR")
    for (label, curve), col in zip(sinr.items(), PALETTE):
        ax_s.plot(x, curve, color=col, label=label)
    if alt is not None:
        ax_s.plot(x, alt, color=PALETTE[0], ls=":", label=sinr_alt_label)
    ax_s.axhline(0, color="k", lw=0.5)
    ax_s.set(xlabel="victim's distance to AP 1 [m]", ylabel="SNR, SINR [dB]", title="SNR and SINR of the victim")
    axes_legend(ax_s, side="right")
    return fig


# ------------------------------------------------------------------------------------------------
# The effect of phi
# ------------------------------------------------------------------------------------------------

def phi_loss_figure(distance_m, loss_db: Mapping[float, np.ndarray], bound_db: Mapping[float, float], noise_share,
                    *, colour_offset: int = 1):
    """Figure 4.3: physical-minus-twin SINR against position, its bound, and the noise share (right axis).

    Args:
        distance_m: ``[X]`` the victim's distance to its serving AP (m).
        loss_db: :math:`\\phi` -> ``[X]`` :math:`\\mathrm{SINR}^{PHY} - \\mathrm{SINR}^{DT}` (dB, <= 0).
        bound_db: :math:`\\phi` -> the bound :math:`-10\\log_{10}(1+\\phi)` (dB), dashed; the same keys.
        noise_share: ``[X]`` the noise's share of the twin's SINR denominator, in [0, 1] (right axis).
        colour_offset: palette index of the first :math:`\\phi` (1 keeps the colours of
            :func:`aci_line_figure`, where the twin :math:`\\phi = 0` is colour 0).

    Raises:
        ValueError: wrong shapes, keys that differ between ``loss_db`` and ``bound_db``, or a noise
            share outside [0, 1].
    """
    x = vector(distance_m, "distance_m")
    losses = _curves(loss_db, "loss_db", x, "distance_m", max_curves=len(PALETTE) - colour_offset)
    if set(bound_db) != set(losses):
        raise ValueError(f"bound_db must have the keys of loss_db {sorted(losses)}; got {sorted(bound_db)}")
    share = vector(noise_share, "noise_share", like=x, like_name="distance_m")
    if np.any((share < 0) | (share > 1)):
        raise ValueError("noise_share must lie in [0, 1]")

    fig, ax = figure(height_in=3.9)
    for (phi, curve), col in zip(losses.items(), PALETTE[colour_offset:]):
        ax.plot(x, curve, color=col, label=f"$\\phi$ = {phi:g}")
        ax.axhline(bound_db[phi], color=col, ls="--", lw=1)
    ax.set(xlabel="victim's distance to AP 1 [m]", ylabel="SINR$^{PHY}$ - SINR$^{DT}$ [dB]")
    ax_share = ax.twinx()
    ax_share.plot(x, share, color=_NOISE_COLOUR, ls="-.", lw=1)
    ax_share.set_ylabel("noise share of the twin's denominator", color=_NOISE_COLOUR)
    ax_share.set_ylim(0, 1.05)
    ax_share.grid(False)
    handles, labels = ax.get_legend_handles_labels()
    handles += [key_line(color="0.3", ls="--", lw=1), key_line(color=_NOISE_COLOUR, ls="-.", lw=1)]
    labels += ["bound $-10\\log_{10}(1+\\phi)$", "noise share (right axis)"]
    legend_below(fig, handles, labels)
    return fig


# ------------------------------------------------------------------------------------------------
# Validation: Eq. (14) against the received signal of Eq. (13)
# ------------------------------------------------------------------------------------------------

def sinr_check_figure(predicted_db, measured_db, rel_error, rel_std, tolerance: float, *, n_std_errors: float = 5.0):
    """Figure 4.4: measured against predicted SINR (left) and the relative error per scenario (right).

    Args:
        predicted_db: ``[S]`` SINR of Eq. (14) per scenario (dB).
        measured_db: ``[S]`` SINR measured from the samples of Eq. (13) (dB).
        rel_error: ``[S]`` measured / predicted - 1 (a fraction; shown in %).
        rel_std: ``[S]`` relative standard error of the measurement (a fraction, >= 0).
        tolerance: the accepted relative error (fraction, > 0), shaded.
        n_std_errors: half-width of the error bars in standard errors (> 0).

    Raises:
        ValueError: arrays of different shapes, a negative ``rel_std``, or a non-positive
            ``tolerance`` or ``n_std_errors``.
    """
    pred = vector(predicted_db, "predicted_db")
    meas = vector(measured_db, "measured_db", like=pred, like_name="predicted_db")
    err = vector(rel_error, "rel_error", like=pred, like_name="predicted_db")
    std = vector(rel_std, "rel_std", like=pred, like_name="predicted_db")
    if np.any(std < 0):
        raise ValueError("rel_std must be >= 0")
    if not tolerance > 0:
        raise ValueError(f"tolerance must be > 0; got {tolerance!r}")
    if not n_std_errors > 0:
        raise ValueError(f"n_std_errors must be > 0; got {n_std_errors!r}")

    fig, (ax_m, ax_e) = figure(1, 2, height_in=3.5)
    lim = np.array([pred.min(), pred.max()])
    ax_m.plot(lim, lim, color="k", lw=0.8, label="measured = Eq. (14)")
    ax_m.scatter(pred, meas, s=16, color=PALETTE[0], label="scenario")
    ax_m.set(xlabel="SINR, Eq. (14) [dB]", ylabel="SINR measured from Eq. (13) [dB]")
    ax_e.axhspan(-100 * tolerance, 100 * tolerance, color=PALETTE[2], alpha=0.15,
                 label=f"tolerance ±{100 * tolerance:g} %")
    ax_e.errorbar(pred, 100 * err, yerr=100 * n_std_errors * std, fmt="o", ms=4, color=PALETTE[0],
                  label=f"error ± {n_std_errors:g} standard errors")
    ax_e.set(xlabel="SINR, Eq. (14) [dB]", ylabel="measured / predicted - 1 [%]")
    legend_below(fig)
    return fig
