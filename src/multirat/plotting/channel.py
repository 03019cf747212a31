"""Figures of chapters 1 (path loss) and 2 (Jakes fading).

Each function takes the arrays a chapter computed with :mod:`multirat.channel` and returns the
:class:`matplotlib.figure.Figure`; none of them evaluates the channel model. Every figure is at most
:data:`~multirat.plotting.COLUMN_WIDTH_IN` wide, and a figure with several curves carries one legend
below its axes (:func:`~multirat.plotting.legend_below`), so no legend covers data.

Input arrays are 1-D; a function raises ``ValueError`` naming the argument when an array is not 1-D,
is empty, or does not have the length of the array it is plotted against.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from multirat.plotting import PALETTE, figure, legend_below
from multirat.plotting._checks import interval, vector

__all__ = [
    "ar_jakes_gap_sweep_figure", "autocorrelation_figure", "doppler_correlation_figure", "doppler_spectrum_figure",
    "gain_snr_histograms_figure", "los_probability_figure", "path_loss_figure", "snr_cdf_figure",
    "stationarity_envelope_figure",
]

#: Light grey of the device-drop annulus in chapter 1's figures.
_DROP_GREY = "0.92"


def _drop_label(drop_range_m: tuple[float, float]) -> str:
    return f"device drop ({drop_range_m[0]:g}-{drop_range_m[1]:g} m)"


# ------------------------------------------------------------------------------------------------
# Chapter 1: path loss
# ------------------------------------------------------------------------------------------------

def path_loss_figure(d2d_m, pl_los_db, pl_nlos_db, pl_eq4_db, pl_linear_average_db, *, breakpoint_m: float,
                     drop_range_m: tuple[float, float], fc_hz: float, h_bs_m: float, h_ut_m: float):
    """Figure 1.1: the UMi path losses against 2-D distance on a log axis.

    Args:
        d2d_m: ``[D]`` 2-D distances (m), > 0 (log axis).
        pl_los_db, pl_nlos_db, pl_eq4_db, pl_linear_average_db: ``[D]`` path losses (dB): LoS
            (Eqs. 5-7), NLoS (Eq. 8), the paper's Eq. (4) and the mean-linear-gain alternative.
        breakpoint_m: the breakpoint distance :math:`d'_{BP}` (m), marked by a dotted line.
        drop_range_m: ``(exclusion, coverage)`` radii (m) of the device annulus, shaded grey.
        fc_hz, h_bs_m, h_ut_m: carrier (Hz) and heights (m), for the title.

    Raises:
        ValueError: an array not 1-D ``[D]`` like ``d2d_m``, a non-positive distance, or an empty
            ``drop_range_m``.
    """
    d = vector(d2d_m, "d2d_m")
    if np.any(d <= 0):
        raise ValueError("d2d_m must be > 0 for the log distance axis")
    curves = {name: vector(v, name, like=d, like_name="d2d_m") for name, v in
              (("pl_los_db", pl_los_db), ("pl_nlos_db", pl_nlos_db), ("pl_eq4_db", pl_eq4_db),
               ("pl_linear_average_db", pl_linear_average_db))}
    drop = interval(drop_range_m, "drop_range_m")
    fig, ax = figure(height_in=3.9)
    ax.axvspan(*drop, color=_DROP_GREY, label=_drop_label(drop))
    ax.plot(d, curves["pl_los_db"], label="LoS, Eqs. (5)-(7)")
    ax.plot(d, curves["pl_nlos_db"], label="NLoS, Eq. (8)")
    ax.plot(d, curves["pl_eq4_db"], color="k", label="Eq. (4): $Pr_{LoS}$-weighted dB")
    ax.plot(d, curves["pl_linear_average_db"], color="k", ls="--", label="mean linear gain (Discussion)")
    ax.axvline(breakpoint_m, color="0.4", ls=":", lw=1)
    # the label right of the line at the bottom of the axes, where no curve runs beyond the breakpoint
    ax.annotate(f"$d'_{{BP}}$ = {breakpoint_m:.0f} m", (breakpoint_m, 0.03), xycoords=("data", "axes fraction"),
                xytext=(4, 0), textcoords="offset points", ha="left", va="bottom")
    ax.set(xscale="log", xlabel="2-D distance $d_{2D}$ [m]", ylabel="path loss [dB]",
           title=f"TR 38.901 UMi-Street Canyon at {fc_hz / 1e9:g} GHz, "
                 f"$h_{{BS}}$ = {h_bs_m:g} m, $h_{{UT}}$ = {h_ut_m:g} m")
    legend_below(fig, ncol=3)
    return fig


def los_probability_figure(d2d_m, pr_los, d2d_printed_m, pr_los_printed, *, drop_range_m: tuple[float, float],
                           full_los_below_m: float = 18.0):
    """Figure 1.2: TR 38.901's LoS probability against the paper's printed branch.

    Args:
        d2d_m: ``[D]`` 2-D distances (m); ``pr_los``: ``[D]`` the implemented :math:`Pr_{LoS}`.
        d2d_printed_m: ``[E]`` distances (m); ``pr_los_printed``: ``[E]`` the printed branch there.
        drop_range_m: ``(exclusion, coverage)`` radii (m) of the device annulus, shaded grey.
        full_los_below_m: distance (m) up to which TR 38.901 sets :math:`Pr_{LoS} = 1` (dotted line).

    Raises:
        ValueError: mismatched ``[D]`` / ``[E]`` pairs or an empty ``drop_range_m``.
    """
    d = vector(d2d_m, "d2d_m")
    p = vector(pr_los, "pr_los", like=d, like_name="d2d_m")
    d_pr = vector(d2d_printed_m, "d2d_printed_m")
    p_pr = vector(pr_los_printed, "pr_los_printed", like=d_pr, like_name="d2d_printed_m")
    drop = interval(drop_range_m, "drop_range_m")
    fig, ax = figure(height_in=3.2)
    ax.axvspan(*drop, color=_DROP_GREY, zorder=0, label=_drop_label(drop))
    ax.plot(d, p, label="TR 38.901 Table 7.4.2-1 (implemented)")
    ax.plot(d_pr, p_pr, ls="--", label="the paper's printed branch, at every distance")
    ax.axvline(full_los_below_m, color="0.5", ls=":", lw=1)
    top = max(1.0, float(np.nanmax(p)), float(np.nanmax(p_pr)))
    ax.set(xlabel="2-D distance $d_{2D}$ [m]", ylabel="$Pr_{LoS}$", ylim=(0, 1.08 * top))
    legend_below(fig, ncol=2)
    return fig


def gain_snr_histograms_figure(beta_db, snr_db, *, shadowing_std_db: float, p_max_dbm: float,
                               noise_power_dbm: float, bins: int = 120):
    """Figure 1.3: histograms of the large-scale gain and of the SNR at full power, side by side.

    Args:
        beta_db: ``[N]`` large-scale gains :math:`10\\log_{10}\\beta` (dB) of the dropped devices.
        snr_db: ``[N]`` their SNR (dB) at ``p_max_dbm`` over one RRB.
        shadowing_std_db, p_max_dbm, noise_power_dbm: spread (dB), power (dBm) and noise (dBm),
            for the panel titles.
        bins: histogram bins per panel.

    Raises:
        ValueError: ``snr_db`` not of the shape ``[N]`` of ``beta_db``.
    """
    beta = vector(beta_db, "beta_db")
    snr = vector(snr_db, "snr_db", like=beta, like_name="beta_db")
    fig, axes = figure(1, 2, height_in=3.0)
    axes[0].hist(beta, bins=bins, density=True, color=PALETTE[0])
    axes[0].set(xlabel=r"large-scale gain $\beta$ [dB]", ylabel="density",
                title=f"{beta.size:,} devices, $\\sigma_{{SF}}$ = {shadowing_std_db:g} dB")
    axes[1].hist(snr, bins=bins, density=True, color=PALETTE[2])
    axes[1].set(xlabel="SNR at $P_{max}$ over one RRB [dB]", ylabel="density",
                title=f"$P_{{max}}$ = {p_max_dbm:g} dBm, $\\sigma^2$ = {noise_power_dbm:.1f} dBm")
    return fig


def snr_cdf_figure(snr_db_by_model: Mapping[str, Sequence[float]], *, dashed: Collection[str] = (),
                   xlim_db: tuple[float, float] = (-20.0, 90.0)):
    """Figure 1.4: empirical CDFs of the SNR over devices, one curve per way of building :math:`\\beta`.

    Args:
        snr_db_by_model: label -> ``[N]`` SNRs (dB); curves in the mapping's order and the palette's colours.
        dashed: labels drawn dashed (the per-link random-state variants).
        xlim_db: SNR axis range (dB).

    Raises:
        ValueError: an empty mapping, an entry not 1-D, or a ``dashed`` label not in the mapping.
    """
    if not snr_db_by_model:
        raise ValueError("snr_db_by_model is empty; give at least one label -> [N] SNRs")
    unknown = set(dashed) - set(snr_db_by_model)
    if unknown:
        raise ValueError(f"dashed names labels not in snr_db_by_model: {sorted(unknown)}")
    levels = np.linspace(0.0, 100.0, 1001)
    fig, ax = figure(height_in=3.6)
    for i, (name, snr) in enumerate(snr_db_by_model.items()):
        x = np.percentile(vector(snr, f"snr_db_by_model[{name!r}]"), levels)
        ax.plot(x, levels / 100, color=PALETTE[i % len(PALETTE)], ls="--" if name in dashed else "-", label=name)
    ax.set(xlabel="SNR at $P_{max}$ over one RRB [dB]", ylabel="CDF over devices", xlim=interval(xlim_db, "xlim_db"))
    legend_below(fig, ncol=2)
    return fig


# ------------------------------------------------------------------------------------------------
# Chapter 2: Jakes fading
# ------------------------------------------------------------------------------------------------

def stationarity_envelope_figure(mean_power, mean_power_se, envelope, envelope_grid, reference_pdf, *,
                                 envelope_slot: int, n_se: float = 5.0,
                                 reference_label: str = "Rayleigh, scale $1/\\sqrt{2}$"):
    """Figure 2.1: mean power per slot in its error band (left), envelope histogram and law (right).

    Args:
        mean_power: ``[T]`` Monte Carlo :math:`E|h(t)|^2` per slot; ``mean_power_se``: ``[T]`` its
            standard error. The band is ``1 +- n_se`` standard errors.
        envelope: ``[L]`` envelopes :math:`|h|` of one slot (number ``envelope_slot``) over links.
        envelope_grid: ``[R]`` envelope values; ``reference_pdf``: ``[R]`` the reference density there.
        reference_label: legend label of the reference density.

    Raises:
        ValueError: mismatched ``[T]`` or ``[R]`` pairs, or an empty ``envelope``.
    """
    p_mean = vector(mean_power, "mean_power")
    p_se = vector(mean_power_se, "mean_power_se", like=p_mean, like_name="mean_power")
    env = vector(envelope, "envelope")
    grid = vector(envelope_grid, "envelope_grid")
    pdf = vector(reference_pdf, "reference_pdf", like=grid, like_name="envelope_grid")
    slots = np.arange(p_mean.size)
    fig, axes = figure(1, 2, height_in=3.2)
    axes[0].fill_between(slots, 1 - n_se * p_se, 1 + n_se * p_se, color="0.85",
                         label=f"1 $\\pm$ {n_se:g} standard errors")
    axes[0].plot(slots, p_mean, "o", ms=3, label="Monte Carlo $E|h(t)|^2$")
    axes[0].set(xlabel="time slot $t$", ylabel="mean power", title="stationarity of Eq. (3)")
    axes[1].hist(env, bins=80, density=True, color=PALETTE[0], alpha=0.6, label=f"$|h|$ in slot {envelope_slot}")
    axes[1].plot(grid, pdf, "k", label=reference_label)
    axes[1].set(xlabel="envelope $|h|$", ylabel="density", title="envelope")
    legend_below(fig)
    return fig


def autocorrelation_figure(lag_fine_s, jakes, sos_mc, sos_se, lag_slot_s, ar_theory, ar_mc, *,
                           doppler_hz: float, slot_s: float, rho: float, max_lag_s: float | None = None,
                           n_se: float = 5.0):
    """Figure 2.2: autocorrelation of Eq. (3) and of the sum-of-sinusoids reference against lag.

    Args:
        lag_fine_s: ``[F]`` lags (s) of the reference's fine grid; ``jakes``: ``[F]`` :math:`J_0(2\\pi f_d\\tau)`;
            ``sos_mc``, ``sos_se``: ``[F]`` its Monte Carlo estimate and standard error (band of
            ``+- n_se`` standard errors).
        lag_slot_s: ``[K]`` lags (s) in whole slots; ``ar_theory``: ``[K]`` :math:`\\rho^k`;
            ``ar_mc``: ``[K]`` the Monte Carlo estimate for Eq. (3).
        doppler_hz, slot_s, rho: :math:`f_d` (Hz), :math:`T_s` (s) and :math:`\\rho`, for the title.
        max_lag_s: right end of the lag axis (s); default 20 slots.

    Raises:
        ValueError: mismatched ``[F]`` or ``[K]`` arrays.
    """
    t = vector(lag_fine_s, "lag_fine_s")
    r_j = vector(jakes, "jakes", like=t, like_name="lag_fine_s")
    r_s = vector(sos_mc, "sos_mc", like=t, like_name="lag_fine_s")
    se_s = vector(sos_se, "sos_se", like=t, like_name="lag_fine_s")
    k_s = vector(lag_slot_s, "lag_slot_s")
    r_th = vector(ar_theory, "ar_theory", like=k_s, like_name="lag_slot_s")
    r_mc = vector(ar_mc, "ar_mc", like=k_s, like_name="lag_slot_s")
    max_ms = 1e3 * (max_lag_s if max_lag_s is not None else 20 * slot_s)
    fig, ax = figure(height_in=3.9)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.plot(t * 1e3, r_j, "k", label="Clarke/Jakes $J_0(2\\pi f_d\\tau)$")
    ax.fill_between(t * 1e3, r_s - n_se * se_s, r_s + n_se * se_s, color=PALETTE[2], alpha=0.3,
                    label=f"sum of sinusoids, MC $\\pm$ {n_se:g} SE")
    ax.plot(k_s * 1e3, r_th, "s", mfc="none", color=PALETTE[1], label="Eq. (3): $\\rho^k$")
    ax.plot(k_s * 1e3, r_mc, ".", color=PALETTE[1], label="Eq. (3): Monte Carlo")
    ax.set(xlabel="lag $\\tau = k T_s$ [ms]", ylabel="autocorrelation $E[h(t+\\tau)h^*(t)]$", xlim=(0, max_ms),
           title=f"$f_d$ = {doppler_hz:g} Hz, $T_s$ = {slot_s * 1e3:g} ms, $\\rho$ = {rho:.3f}")
    legend_below(fig, ncol=2)
    return fig


def doppler_spectrum_figure(freq_hz, psd_ar, freq_jakes_hz, psd_jakes, freq_periodogram_hz, periodogram_ar,
                            periodogram_sos, *, slot_s: float, psd_max: float = 0.25):
    """Figure 2.3: Doppler spectra of Eq. (3) and of Jakes fading at the slot rate, with periodograms.

    Args:
        freq_hz: ``[F]`` frequencies (Hz); ``psd_ar``: ``[F]`` :math:`S_{AR}(f)` (1/Hz).
        freq_jakes_hz: ``[G]`` frequencies inside :math:`|f| < f_d`; ``psd_jakes``: ``[G]`` :math:`S_J(f)`.
        freq_periodogram_hz: ``[P]`` periodogram frequencies (any order; sorted here);
            ``periodogram_ar``, ``periodogram_sos``: ``[P]`` link-averaged periodograms (1/Hz).
        slot_s: sampling interval :math:`T_s` (s), for the title.
        psd_max: top of the density axis (1/Hz); :math:`S_J` diverges at :math:`\\pm f_d`.

    Raises:
        ValueError: mismatched ``[F]``, ``[G]`` or ``[P]`` arrays.
    """
    f = vector(freq_hz, "freq_hz")
    s_ar = vector(psd_ar, "psd_ar", like=f, like_name="freq_hz")
    f_j = vector(freq_jakes_hz, "freq_jakes_hz")
    s_j = vector(psd_jakes, "psd_jakes", like=f_j, like_name="freq_jakes_hz")
    f_p = vector(freq_periodogram_hz, "freq_periodogram_hz")
    p_ar = vector(periodogram_ar, "periodogram_ar", like=f_p, like_name="freq_periodogram_hz")
    p_sos = vector(periodogram_sos, "periodogram_sos", like=f_p, like_name="freq_periodogram_hz")
    order = np.argsort(f_p)
    fig, ax = figure(height_in=3.6)
    ax.plot(f, s_ar, color=PALETTE[1], label="Eq. (3): $S_{AR}(f)$")
    ax.plot(f_p[order], p_ar[order], ".", color=PALETTE[1], ms=4, label="Eq. (3): periodogram")
    ax.plot(f_j, s_j, "k", label="Jakes $S_J(f)$")
    ax.plot(f_p[order], p_sos[order], ".", color=PALETTE[2], ms=4, label="sum of sinusoids: periodogram")
    ax.set(xlabel="Doppler frequency $f$ [Hz]", ylabel="power spectral density [1/Hz]", ylim=(0, psd_max),
           title=f"sampled every $T_s$ = {slot_s * 1e3:g} ms (Nyquist {0.5 / slot_s:g} Hz)")
    legend_below(fig, ncol=2)
    return fig


def ar_jakes_gap_sweep_figure(fd_ts, first_lag_slots, max_gap, *, paper_fd_ts: float, threshold: float = 0.1):
    """Figure 2.4: where AR(1) and Jakes autocorrelations part, against the normalised Doppler :math:`f_d T_s`.

    Args:
        fd_ts: ``[X]`` normalised Doppler values (> 0, log axis).
        first_lag_slots: ``[X]`` first lag (slots) with a gap above ``threshold``; NaN where none.
        max_gap: ``[X]`` largest gap :math:`|\\rho^k - J_0(2\\pi f_d k T_s)|` over the swept lags.
        paper_fd_ts: the book's :math:`f_d T_s`, marked by a dashed line in both panels.
        threshold: the gap threshold, dotted in the right panel.

    Raises:
        ValueError: mismatched ``[X]`` arrays or a non-positive ``fd_ts``.
    """
    x = vector(fd_ts, "fd_ts")
    if np.any(x <= 0):
        raise ValueError("fd_ts must be > 0 for the log axis")
    lag = vector(first_lag_slots, "first_lag_slots", like=x, like_name="fd_ts")
    gap = vector(max_gap, "max_gap", like=x, like_name="fd_ts")
    fig, axes = figure(1, 2, height_in=3.3)
    axes[0].plot(x, lag, label="first lag in slots $k$")
    axes[0].plot(x, lag * x, label="first lag in Doppler periods $k f_d T_s$")
    axes[0].set(xscale="log", yscale="log", xlabel="normalised Doppler $f_d T_s$",
                ylabel=f"first lag with gap > {threshold:g}")
    axes[1].plot(x, gap, color=PALETTE[3], label="largest gap over five Doppler periods")
    axes[1].axhline(threshold, color="0.5", ls=":", label=f"gap threshold {threshold:g}")
    axes[1].set(xscale="log", xlabel="normalised Doppler $f_d T_s$",
                ylabel="max$_k$ |$\\rho^k - J_0(2\\pi f_d k T_s)$|")
    for ax in axes:
        ax.axvline(paper_fd_ts, color="k", ls="--", lw=1, label=f"this book's $f_d T_s$ = {paper_fd_ts:g}")
    legend_below(fig, ncol=2)
    return fig


def doppler_correlation_figure(doppler_hz, rho, case_labels: Sequence[str], case_doppler_hz, case_rho, *,
                               slot_s: float, fc_hz: float, c_m_s: float = 3e8):
    """Figure 2.5: slot-to-slot correlation :math:`\\rho` against the maximum Doppler frequency.

    Args:
        doppler_hz: ``[F]`` Doppler frequencies (Hz, > 0, log axis); ``rho``: ``[F]`` :math:`J_0(2\\pi f_d T_s)`.
        case_labels: ``[C]`` names of the marked cases; ``case_doppler_hz``, ``case_rho``: ``[C]`` their
            :math:`f_d` (Hz) and :math:`\\rho`.
        slot_s: :math:`T_s` (s), for the title; ``fc_hz`` (Hz) and ``c_m_s`` (m/s) convert :math:`f_d`
            to the device speed :math:`v = f_d c / f_c` of the top axis.

    Raises:
        ValueError: mismatched ``[F]`` or ``[C]`` arrays, or a non-positive frequency.
    """
    f = vector(doppler_hz, "doppler_hz")
    if np.any(f <= 0) or fc_hz <= 0:
        raise ValueError("doppler_hz and fc_hz must be > 0")
    r = vector(rho, "rho", like=f, like_name="doppler_hz")
    f_c = vector(case_doppler_hz, "case_doppler_hz")
    r_c = vector(case_rho, "case_rho", like=f_c, like_name="case_doppler_hz")
    if len(case_labels) != f_c.size:
        raise ValueError(f"case_labels has {len(case_labels)} entries but case_doppler_hz has {f_c.size}")
    fig, ax = figure(height_in=4.2)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.plot(f, r, "k")
    for i, (name, fi, ri) in enumerate(zip(case_labels, f_c, r_c)):
        ax.plot(fi, ri, "o", color=PALETTE[i % len(PALETTE)], label=name)
    ax.set(xscale="log", xlabel="maximum Doppler frequency $f_d$ [Hz]", ylabel="$\\rho = J_0(2\\pi f_d T_s)$",
           title=f"$T_s$ = {slot_s * 1e3:g} ms")
    speed = ax.secondary_xaxis("top", functions=(lambda fd: fd * c_m_s / fc_hz, lambda v: v * fc_hz / c_m_s))
    speed.set_xlabel(f"device speed at {fc_hz / 1e9:g} GHz [m/s]")
    legend_below(fig, ncol=2)
    return fig
