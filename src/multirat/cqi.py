r"""3GPP CQI reporting for the MaxP-3GPP-MCS benchmark (paper Sec. VI-A, its ref. [51]).

The paper's MaxP-3GPP-MCS scheme picks each link's MCS "from the 3GPP CQI table". We read this as
3GPP TS 36.213 Table 7.2.3-1 (4-bit CQI: modulation, code rate x 1024, efficiency) with the 10 %
BLER SINR thresholds commonly used with it (``data/cqi/ts36213_table_7_2_3_1.csv``, two threshold
sets, :data:`THRESHOLD_SETS`):

* :func:`load_cqi_table` -- the table, validated (CQI 0..15, strictly increasing thresholds);
* :func:`sinr_to_cqi` -- the highest CQI whose threshold the SINR reaches;
* :func:`cqi_to_mcs` -- the paper's own MCS pair (Table 3, Sec. VI-B) for a CQI, by one of
  :data:`CQI_RULES` (the paper does not say how an LTE pair becomes one of its pairs);
* :func:`cqi_mcs_map` -- the whole mapping as a table (chapter 6).

The thresholds belong to LTE turbo codes, not to the paper's Eq. (17); chapter 6 shows the mismatch.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from multirat import link, units
from multirat._checks import choice, int_array, real
from multirat.config import NetworkConfig

__all__ = ["THRESHOLD_SETS", "CQI_RULES", "load_cqi_table", "threshold_column", "sinr_to_cqi", "cqi_to_mcs", "cqi_mcs_map"]

#: SINR threshold sets of the CQI table (column of ``data/cqi/ts36213_table_7_2_3_1.csv``).
THRESHOLD_SETS = {"common": "sinr_db", "vienna_awgn": "sinr_db_vienna_awgn"}
#: Rules that map a CQI's (modulation, code rate) onto the configuration's MCS pairs.
CQI_RULES = ("modulation_first", "efficiency")


@functools.lru_cache(maxsize=4)
def _cqi_table_cached(path: str):
    import pandas as pd

    table = pd.read_csv(path)
    expected = ["cqi", "modulation", "modulation_order", "code_rate_x1024", "efficiency", *THRESHOLD_SETS.values(),
                "source"]
    if list(table.columns) != expected:
        raise ValueError(f"{path}: columns {list(table.columns)} != expected {expected}")
    if list(table.cqi) != list(range(16)):
        raise ValueError(f"{path}: must hold CQI 0..15 in order")
    for col in THRESHOLD_SETS.values():
        thr = table[col].to_numpy()[1:]
        if np.any(~np.isfinite(thr)) or np.any(np.diff(thr) <= 0):
            raise ValueError(f"{path}: {col} must be finite and strictly increasing over CQI 1..15")
    return table


def load_cqi_table(path=None):
    """3GPP TS 36.213 Table 7.2.3-1 with two sets of 10 % BLER SINR thresholds, as a DataFrame.

    Columns: ``cqi`` (0..15; 0 = out of range), ``modulation``, ``modulation_order`` (M),
    ``code_rate_x1024``, ``efficiency`` (bits/symbol), ``sinr_db`` (the LTE CQI-SINR table at 10 %
    BLER in common use, ``thresholds="common"``), ``sinr_db_vienna_awgn`` (10 % BLER SNRs of the
    Vienna LTE link-level simulator's AWGN curves, ``thresholds="vienna_awgn"``) and ``source``.
    Default path: ``data/cqi/ts36213_table_7_2_3_1.csv``. The thresholds belong to LTE turbo codes,
    not to the paper's Eq. (17) (chapter 6 shows the mismatch). Raises ``FileNotFoundError`` for a
    missing file and ``ValueError`` for a table with other columns, CQIs or non-increasing thresholds.
    """
    from multirat.paths import data_dir

    path = data_dir() / "cqi" / "ts36213_table_7_2_3_1.csv" if path is None else Path(path)
    if not Path(path).is_file():
        raise FileNotFoundError(f"missing CQI table {path}")
    return _cqi_table_cached(str(path)).copy()


def threshold_column(thresholds: str) -> str:
    """The CSV column of a threshold set (:data:`THRESHOLD_SETS`); ``ValueError`` for an unknown name,
    ``TypeError`` for a non-string."""
    return THRESHOLD_SETS[choice(thresholds, "thresholds", tuple(THRESHOLD_SETS))]


def sinr_to_cqi(sinr, thresholds: str = "common", table=None) -> np.ndarray:
    r"""CQI (0..15) of a linear SINR: the highest CQI whose 10 % BLER threshold is :math:`\le` the SINR.

    .. math:: \mathrm{CQI}(\gamma) = \max\{q \in 1..15 : \gamma_{dB} \ge \theta_q\},\quad 0 \text{ below } \theta_1

    ``sinr`` linear (>= 0), any shape; ``thresholds`` one of :data:`THRESHOLD_SETS`. A SINR of
    exactly :math:`\theta_q` gives CQI :math:`q`. Raises ``ValueError`` (NaN or a negative SINR,
    an unknown ``thresholds``) or ``TypeError`` (non-numbers), naming the argument and its value.
    """
    s = real(sinr, "sinr", lo=0.0, posinf=True, why="a linear power ratio, not dB")
    column = threshold_column(thresholds)
    table = load_cqi_table() if table is None else table
    thr = units.db_to_linear(table[column].to_numpy()[1:])                         # [15] linear, increasing
    return np.searchsorted(thr, s, side="right").astype(np.int64)                   # compared in linear units


@functools.lru_cache(maxsize=32)
def _cqi_map_cached(key: tuple, rule: str, table_path: str | None) -> np.ndarray:
    mod, rates, effs = (np.asarray(x, dtype=float) for x in key)
    table = load_cqi_table(table_path)
    out = np.zeros(16, dtype=np.int64)
    lowest = int(np.argmin(effs))                                                   # first of the least efficient
    for q in range(1, 16):
        m_q = float(table.modulation_order[q])
        r_q = float(table.code_rate_x1024[q]) / 1024.0
        e_q = float(table.efficiency[q])
        chosen = None
        if rule == "modulation_first":
            same = np.flatnonzero((mod == m_q) & (rates <= r_q + 1e-12))
            if same.size:
                chosen = int(same[np.argmax(rates[same])])
        if chosen is None:
            below = np.flatnonzero(effs <= e_q + 1e-12)
            chosen = int(below[np.argmax(effs[below])]) if below.size else lowest
        out[q] = chosen
    out[0] = lowest
    return out


def _mcs_key(config: NetworkConfig) -> tuple:
    """(M, c, c log2 M) of every MCS pair in :func:`multirat.link.mcs_table`'s order, cached per
    configuration's sets (building the table for every decision cost 4 ms per call)."""
    return _mcs_key_cached(tuple(config.modulation_orders), tuple(config.code_rates))


@functools.lru_cache(maxsize=64)
def _mcs_key_cached(modulation_orders: tuple, code_rates: tuple) -> tuple:
    m = np.repeat(np.asarray(modulation_orders, dtype=float), len(code_rates))   # modulation-major, as mcs_table
    c = np.tile(np.asarray(code_rates, dtype=float), len(modulation_orders))
    return tuple(m), tuple(c), tuple(np.asarray(link.spectral_efficiency(m, c), dtype=float))


def cqi_to_mcs(cqi, config: NetworkConfig, rule: str = "modulation_first", table_path=None) -> np.ndarray:
    r"""Index of the configuration's MCS pair (:func:`multirat.link.mcs_table`) for each CQI (0..15).

    The paper names the CQI table but not how its LTE (modulation, code rate) becomes one of its own
    pairs of Table 3 and Sec. VI-B. Our rules (CQI :math:`q` with modulation :math:`M_q`, code rate
    :math:`r_q` = code rate x 1024 / 1024 and efficiency :math:`e_q`):

    * ``"modulation_first"`` (default): the pair with the same modulation order and the largest code
      rate :math:`c \le r_q`; if there is none (the CQI's rate is below every rate of
      :math:`\mathcal C`, e.g. QPSK at 78/1024), the pair with the largest spectral efficiency
      :math:`c\log_2 M \le e_q`; if there is none either, the least efficient pair. This keeps the
      modulation the UE reported as decodable and rounds its code rate *down*, as an eNodeB
      picks an MCS whose effective code rate does not exceed the reported one (TS 36.213 Sec. 7.2.3).
    * ``"efficiency"``: the pair with the largest spectral efficiency :math:`\le e_q` (ties to the
      lower modulation), else the least efficient pair.

    Both never exceed the CQI's efficiency when a pair at or below it exists. CQI 0 ("out of
    range") gives the least efficient pair (BPSK 1/2 in the paper's set). Any shape. Raises
    ``ValueError`` (a CQI outside 0..15 or not an integer, an unknown ``rule``) or ``TypeError``
    (non-numbers, a ``config`` without the MCS fields), naming the argument.
    """
    choice(rule, "rule", CQI_RULES)
    q = int_array(cqi, "cqi", lo=0, hi=15)
    link._config(config)
    mapping = _cqi_map_cached(_mcs_key(config), rule, None if table_path is None else str(table_path))
    return mapping[q]


def cqi_mcs_map(config: NetworkConfig, rule: str = "modulation_first"):
    """The CQI table joined with the MCS pair each CQI maps to (:func:`cqi_to_mcs`), one row per CQI.
    Raises ``ValueError`` / ``TypeError`` as :func:`cqi_to_mcs`."""
    choice(rule, "rule", CQI_RULES)
    link._config(config)
    table = load_cqi_table()
    mcs = link.mcs_table(config)
    idx = cqi_to_mcs(table.cqi.to_numpy(), config, rule)
    return table.drop(columns="source").assign(
        mcs_index=idx, mcs=mcs.mcs.to_numpy()[idx],
        mcs_efficiency=mcs.spectral_efficiency.to_numpy()[idx])
