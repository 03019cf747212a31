"""Figures of chapter 3 (symbol error, packet error and throughput).

Each function takes the arrays a chapter computed with :mod:`multirat.link` and the validation
references (:mod:`multirat.reference`) and returns the :class:`matplotlib.figure.Figure`; none of
them evaluates the link model. Every figure is at most :data:`~multirat.plotting.COLUMN_WIDTH_IN`
wide and carries one legend below its axes (:func:`~multirat.plotting.legend_below`), so no legend
covers data.

Colours follow one rule per figure: by modulation order (QPSK, 16QAM, ... in the order given) or by
code rate; line styles carry the second variable (code rate, or which model a curve is).
A function raises ``ValueError`` naming the argument when an array has the wrong shape or a table
lacks a column it plots.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import numpy as np

from multirat.plotting import PALETTE, figure, key_line, legend_below
from multirat.plotting._checks import matrix, vector

__all__ = ["coded_ber_figure", "envelope_figure", "per_throughput_figure", "ser_figure"]

#: Line styles of the code rates in :func:`per_throughput_figure` (first, second, third rate).
_RATE_STYLES = ("-", "--", ":")


def _columns(df, name: str, required: tuple[str, ...]):
    missing = [c for c in required if c not in getattr(df, "columns", ())]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it needs {list(required)}")
    if len(df) == 0:
        raise ValueError(f"{name} is empty")
    return df


def _modulation_label(m: int) -> str:
    return {2: "BPSK", 4: "QPSK"}.get(int(m), f"{int(m)}QAM")


def _rate_label(c: float) -> str:
    frac = Fraction(float(c)).limit_denominator(16)
    return f"{frac.numerator}/{frac.denominator}"


# ------------------------------------------------------------------------------------------------
# Packet error rate and throughput of every MCS pair
# ------------------------------------------------------------------------------------------------

def per_throughput_figure(sinr_db, per, throughput_bits, envelope_bits, mcs, *, xlim_db=(-6.0, 16.0),
                          per_floor: float = 1e-6):
    """Figure 3.1: PER (Eq. 16, top) and throughput (Eq. 15, bottom) of every MCS pair against SINR.

    Colour: modulation order; line style: code rate; black: the best-MCS envelope.

    Args:
        sinr_db: ``[S]`` SINR per symbol (dB), the x-axis.
        per: ``[S, P]`` packet error rate of each of the ``P`` pairs, in ``[0, 1]``.
        throughput_bits: ``[S, P]`` throughput of each pair (bits/frame); shown in kbit/frame.
        envelope_bits: ``[S]`` best-MCS throughput (bits/frame).
        mcs: the ``P`` pairs, a DataFrame with columns ``mcs`` (label), ``modulation_order`` and
            ``code_rate`` in the column order of ``per`` (e.g. :func:`multirat.link.mcs_table`).
        xlim_db: shown SINR range (dB).
        per_floor: lower end of the PER axis (log scale; smaller values leave the axes downward).

    Raises:
        ValueError: wrong shapes, missing columns of ``mcs``, more than three code rates, or a
            non-positive ``per_floor``.
    """
    s_db = vector(sinr_db, "sinr_db")
    _columns(mcs, "mcs", ("mcs", "modulation_order", "code_rate"))
    shape = (len(s_db), len(mcs))
    per = matrix(per, "per", shape, meaning="[len(sinr_db), len(mcs)]")
    tput = matrix(throughput_bits, "throughput_bits", shape, meaning="[len(sinr_db), len(mcs)]")
    env = vector(envelope_bits, "envelope_bits", like=s_db, like_name="sinr_db")
    if not per_floor > 0:
        raise ValueError(f"per_floor must be > 0 (log axis); got {per_floor!r}")
    orders = list(dict.fromkeys(int(m) for m in mcs.modulation_order))
    rates = list(dict.fromkeys(float(c) for c in mcs.code_rate))
    if len(rates) > len(_RATE_STYLES):
        raise ValueError(f"mcs has {len(rates)} code rates; this figure has line styles for {len(_RATE_STYLES)}")
    colour = dict(zip(orders, PALETTE))
    style = dict(zip(rates, _RATE_STYLES))

    fig, (ax_per, ax_tput) = figure(2, 1, height_in=6.6, sharex=True)
    for j, row in enumerate(mcs.itertuples(index=False)):
        kw = {"color": colour[int(row.modulation_order)], "ls": style[float(row.code_rate)], "lw": 1.3,
              "label": row.mcs}
        ax_per.semilogy(s_db, np.maximum(per[:, j], per_floor / 100), **kw)      # below the axis, not at 0
        ax_tput.plot(s_db, tput[:, j] / 1e3, **kw)
    ax_tput.plot(s_db, env / 1e3, color="black", lw=2.2, alpha=0.6, label="best MCS (envelope)")
    ax_per.set(ylabel="packet error rate, Eq. (16)", ylim=(per_floor, 1.5))
    ax_tput.set(xlabel="SINR per symbol [dB]", ylabel="throughput, Eq. (15)\n[kbit/frame]", xlim=xlim_db)
    # one column per modulation: the legend reads as the grid colour x line style
    handles, labels = [], []
    for m in orders:
        for c in rates:
            handles.append(key_line(color=colour[m], ls=style[c], lw=1.3))
            labels.append(f"{_modulation_label(m)} {_rate_label(c)}")
    # the envelope in a column of its own, padded with invisible entries (the legend fills by column)
    handles += [key_line(color="black", lw=2.2, alpha=0.6)] + [key_line(alpha=0)] * (len(rates) - 1)
    labels += ["best MCS (envelope)"] + [""] * (len(rates) - 1)
    legend_below(fig, handles, labels, ncol=len(orders) + 1)
    return fig


# ------------------------------------------------------------------------------------------------
# Validation (a)-(b): SER of the constellations
# ------------------------------------------------------------------------------------------------

def ser_figure(sinr_db, ser_exact, ser_eq17, modulation_orders, monte_carlo, *, n_std_errors: float = 5.0,
               ylim=(1e-5, 1.0)):
    """Figure 3.2: SER against per-symbol SINR, exact (17') solid, Eq. (17) with G = 1 dashed, Monte Carlo dots.

    Args:
        sinr_db: ``[X]`` SINR per symbol (dB).
        ser_exact: ``[M, X]`` exact SER of each of the ``M`` modulations (Eq. 17').
        ser_eq17: ``[M, X]`` Eq. (17) as printed with ``G = 1``.
        modulation_orders: ``[M]`` modulation orders (2, 4, 16, ...), one colour each.
        monte_carlo: DataFrame of measured points with columns ``modulation_order``, ``snr_db``,
            ``ser`` and ``std_error`` (standard error of ``ser``); error bars are
            ``n_std_errors`` standard errors.
        n_std_errors: half-width of the error bars in standard errors (> 0).
        ylim: SER axis range (log scale).

    Raises:
        ValueError: wrong shapes, missing columns, a Monte Carlo order not in ``modulation_orders``
            or a non-positive ``n_std_errors``.
    """
    x = vector(sinr_db, "sinr_db")
    orders = [int(m) for m in np.atleast_1d(modulation_orders)]
    shape = (len(orders), len(x))
    exact = matrix(ser_exact, "ser_exact", shape, meaning="[len(modulation_orders), len(sinr_db)]")
    eq17 = matrix(ser_eq17, "ser_eq17", shape, meaning="[len(modulation_orders), len(sinr_db)]")
    _columns(monte_carlo, "monte_carlo", ("modulation_order", "snr_db", "ser", "std_error"))
    unknown = sorted({int(m) for m in monte_carlo.modulation_order} - set(orders))
    if unknown:
        raise ValueError(f"monte_carlo has modulation orders {unknown} that are not in modulation_orders")
    if not n_std_errors > 0:
        raise ValueError(f"n_std_errors must be > 0; got {n_std_errors!r}")
    colour = dict(zip(orders, PALETTE))

    fig, ax = figure(height_in=4.4)
    for i, m in enumerate(orders):
        ax.semilogy(x, exact[i], color=colour[m], lw=1.6)
        ax.semilogy(x, eq17[i], color=colour[m], lw=1.4, ls="--")
        pts = monte_carlo[monte_carlo.modulation_order == m]
        ax.errorbar(pts.snr_db, pts.ser, yerr=n_std_errors * pts.std_error, fmt="o", color=colour[m], ms=5)
    ax.set(xlabel="SINR per symbol [dB]", ylabel="symbol error rate", ylim=ylim, xlim=(x[0], x[-1]))
    handles = [key_line(color=colour[m], lw=1.6) for m in orders]
    labels = [_modulation_label(m) for m in orders]
    handles += [key_line(color="0.3", lw=1.6), key_line(color="0.3", lw=1.4, ls="--"),
                key_line(color="0.3", marker="o", ls="none", ms=5)]
    labels += ["exact SER (17')", "Eq. (17) as printed, G = 1",
               f"Monte Carlo (bars: {n_std_errors:g} std. errors)"]
    legend_below(fig, handles, labels, ncol=4)
    return fig


# ------------------------------------------------------------------------------------------------
# Validation (c): the convolutional codes
# ------------------------------------------------------------------------------------------------

def coded_ber_figure(coded, x_db, uncoded_ber, union_bound_ber: Mapping[float, np.ndarray],
                     eq17_ser: Mapping[float, np.ndarray], target_ber: float, *, ylim=(1e-6, 0.5)):
    """Figure 3.3: decoded BER of the convolutional codes against Eb/N0 (left) and Es/N0 (right).

    Left: Monte Carlo (filled circles: soft decisions, open squares: hard decisions, bars: one
    standard error, clipped to the positive axis), the union bounds (dotted) and uncoded BPSK (black)
    against the SNR per information bit. Right: the same measurements against the SNR per channel
    symbol, with Eq. (17)'s BPSK row at each code's G (dashed). Colour: code rate. Grey line: the
    target BER.

    Args:
        coded: DataFrame of Monte Carlo points with columns ``decision`` ('soft'/'hard'),
            ``code_rate``, ``ebn0_db``, ``esn0_db``, ``ber`` and ``ber_se`` (as
            :func:`multirat.reference.convolutional.simulate_coded_ber` returns); points with
            ``ber == 0`` are not drawn (log axis).
        x_db: ``[X]`` SNR grid (dB) of the curves, used on both axes.
        uncoded_ber: ``[X]`` BER of uncoded BPSK at ``Eb/N0 = Es/N0 = x_db``.
        union_bound_ber: code rate -> ``[X]`` union bound on the BER at ``Eb/N0 = x_db`` (left).
        eq17_ser: code rate -> ``[X]`` Eq. (17)'s BPSK row with the code's G at ``sinr = x_db`` (right).
        target_ber: the BER at which the chapter reads the coding gains (0 < target < 1).
        ylim: BER axis range (log scale).

    Raises:
        ValueError: wrong shapes or missing columns, a curve for a code rate the Monte Carlo does not
            have, or ``target_ber`` outside (0, 1).
    """
    x = vector(x_db, "x_db")
    uncoded = vector(uncoded_ber, "uncoded_ber", like=x, like_name="x_db")
    _columns(coded, "coded", ("decision", "code_rate", "ebn0_db", "esn0_db", "ber", "ber_se"))
    rates = list(dict.fromkeys(float(c) for c in coded.code_rate))
    curves = {}
    for name, mapping in (("union_bound_ber", union_bound_ber), ("eq17_ser", eq17_ser)):
        extra = sorted({float(c) for c in mapping} - set(rates))
        if extra:
            raise ValueError(f"{name} has code rates {extra} that are not in coded.code_rate {rates}")
        curves[name] = {float(c): vector(v, f"{name}[{c:g}]", like=x, like_name="x_db") for c, v in mapping.items()}
    if not 0 < target_ber < 1:
        raise ValueError(f"target_ber must be in (0, 1); got {target_ber!r}")
    colour = dict(zip(rates, PALETTE))

    fig, (ax_b, ax_s) = figure(1, 2, height_in=4.6, sharey=True)
    for ax in (ax_b, ax_s):
        ax.semilogy(x, uncoded, color="black", lw=1.4)
        ax.axhline(target_ber, color="grey", lw=0.8)
    for (dec, c), grp in coded.groupby(["decision", "code_rate"], sort=False):
        col = colour[float(c)]
        ok = grp[grp.ber > 0]
        kw = {"fmt": ("o" if dec == "soft" else "s") + "-", "color": col, "mfc": col if dec == "soft" else "white",
              "ms": 4.5, "lw": 1}
        bars = np.minimum(ok.ber_se, 0.9 * ok.ber)
        ax_b.errorbar(ok.ebn0_db, ok.ber, yerr=bars, **kw)
        ax_s.errorbar(ok.esn0_db, ok.ber, yerr=bars, **kw)
    for c, v in curves["union_bound_ber"].items():
        ax_b.semilogy(x, v, ls=":", color=colour[c], lw=1.3)
    for c, v in curves["eq17_ser"].items():
        ax_s.semilogy(x, v, ls="--", color=colour[c], lw=1.3)
    ax_b.set(xlabel="$E_b/N_0$ per information bit [dB]", ylabel="bit error rate after decoding", ylim=ylim,
             xlim=(x[0], x[-1]))
    ax_s.set(xlabel="$E_s/N_0$ = sinr per channel symbol [dB]",
             xlim=(min(x[0], float(coded.esn0_db.min()) - 0.5), x[-1]))

    handles = [key_line(color=colour[c], lw=3) for c in rates]
    labels = [f"rate {_rate_label(c)}" for c in rates]
    handles += [key_line(color="0.3", marker="o", ms=4.5, lw=1),
                key_line(color="0.3", marker="s", mfc="white", ms=4.5, lw=1),
                key_line(color="0.3", ls=":", lw=1.3), key_line(color="0.3", ls="--", lw=1.3),
                key_line(color="black", lw=1.4), key_line(color="grey", lw=0.8)]
    labels += ["Monte Carlo, soft decisions", "Monte Carlo, hard decisions", "union bound (left)",
               "Eq. (17) BPSK row, $G = c\\,d_{free}$ (right)", "uncoded BPSK", f"target BER {target_ber:g}"]
    legend_below(fig, handles, labels, ncol=3)
    return fig


# ------------------------------------------------------------------------------------------------
# Link adaptation: the best-MCS envelopes of two SER models
# ------------------------------------------------------------------------------------------------

def envelope_figure(sinr_db, envelope_bits: Mapping[str, np.ndarray], sinr_at_fraction_db: Mapping[str, float],
                    peak_bits: float, fraction: float = 0.9, *, xlim_db=(-6.0, 26.0)):
    """Figure 3.4: best-MCS throughput against SINR for several SER models, and where each reaches
    ``fraction`` of the peak rate.

    Args:
        sinr_db: ``[S]`` SINR per symbol (dB).
        envelope_bits: model label -> ``[S]`` best-MCS throughput (bits/frame); one colour each.
        sinr_at_fraction_db: model label -> SINR (dB) at which that envelope first reaches
            ``fraction * peak_bits`` (dotted vertical line); the same labels as ``envelope_bits``.
        peak_bits: the peak rate ``max r N_p`` (bits/frame), > 0.
        fraction: the marked share of the peak rate, in (0, 1].
        xlim_db: shown SINR range (dB).

    Raises:
        ValueError: wrong shapes, labels that differ between the two mappings, more models than
            colours, or ``peak_bits``/``fraction`` out of range.
    """
    s_db = vector(sinr_db, "sinr_db")
    if set(envelope_bits) != set(sinr_at_fraction_db):
        raise ValueError(f"envelope_bits and sinr_at_fraction_db must have the same labels; got "
                         f"{sorted(envelope_bits)} and {sorted(sinr_at_fraction_db)}")
    if not 0 < len(envelope_bits) <= len(PALETTE):
        raise ValueError(f"envelope_bits must hold 1 to {len(PALETTE)} models; got {len(envelope_bits)}")
    envs = {k: vector(v, f"envelope_bits[{k!r}]", like=s_db, like_name="sinr_db") for k, v in envelope_bits.items()}
    if not peak_bits > 0:
        raise ValueError(f"peak_bits must be > 0; got {peak_bits!r}")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1]; got {fraction!r}")

    fig, ax = figure(height_in=3.9)
    for (label, env), col in zip(envs.items(), PALETTE):
        ax.plot(s_db, env / 1e3, color=col, lw=1.8, label=label)
        ax.axvline(sinr_at_fraction_db[label], color=col, lw=0.9, ls=":")
    ax.axhline(fraction * peak_bits / 1e3, color="grey", lw=0.8, ls="--",
               label=f"{100 * fraction:g} % of the peak rate (dotted: where each reaches it)")
    ax.set(xlabel="SINR per symbol [dB]", ylabel="best-MCS throughput [kbit/frame]", xlim=xlim_db)
    legend_below(fig, ncol=2)
    return fig
