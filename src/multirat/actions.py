"""Actions of the Markov game (Sec. V-A-1, Eqs. 23, 25, Table 3): the power grid, the action table and
action-index decoding. :mod:`multirat.env` re-exports every public name here.

Action index (Eq. 23 mapped to one integer): ``a = i_p * |M||C| + i_mcs`` with the power index ``i_p``
(Eq. 25 grid, ascending) and the MCS index ``i_mcs = i_m * |C| + i_c`` of :func:`multirat.link.mcs_table`
(modulation-major).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from multirat import link, units
from multirat.config import NetworkConfig

__all__ = ["power_levels_w", "action_table", "decode_actions"]


def power_levels_w(config: NetworkConfig) -> np.ndarray:
    r"""The transmit power levels :math:`\mathcal P` (W), ascending, ``[|P|]``.

    ``power_grid="eq25"`` is Eq. (25) as printed,
    :math:`\{P_{min}, \frac{P_{max}}{|\mathcal P|-1}, \frac{2P_{max}}{|\mathcal P|-1}, \dots, P_{max}\}`;
    ``"linear"`` spaces |P| levels evenly in W from P_min to P_max and ``"db"`` evenly in dBm.
    ``TypeError`` unless ``config`` is a :class:`NetworkConfig`.
    """
    n = _config(config).n_power_levels
    p_min, p_max = float(units.dbm_to_watt(config.p_min_dbm)), float(units.dbm_to_watt(config.p_max_dbm))
    if config.power_grid == "eq25":
        return np.concatenate([[p_min], np.arange(1, n) * p_max / (n - 1)])
    if config.power_grid == "linear":
        return np.linspace(p_min, p_max, n)
    return units.dbm_to_watt(np.linspace(config.p_min_dbm, config.p_max_dbm, n))


def action_table(config: NetworkConfig):
    """Every action index with its power, modulation and code rate (one row each, ``|A_n|`` rows).

    ``TypeError`` unless ``config`` is a :class:`NetworkConfig`.
    """
    import pandas as pd

    _config(config)
    mcs = link.mcs_table(config)
    levels = power_levels_w(config)
    rows = []
    for i_p, p in enumerate(levels):
        for rec in mcs.to_dict("records"):
            rows.append({"action": i_p * len(mcs) + rec["index"], "power_index": i_p,
                         "power_dbm": float(units.watt_to_dbm(p)), "power_w": p, "mcs_index": rec["index"],
                         "modulation_order": rec["modulation_order"], "code_rate": rec["code_rate"],
                         "d_free": rec["d_free"]})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class _ActionArrays:
    """Per-action lookup arrays ``[|A_n|]`` built once per config."""

    power_w: np.ndarray
    modulation_order: np.ndarray
    code_rate: np.ndarray
    d_free: np.ndarray
    power_index: np.ndarray
    modulation_index: np.ndarray
    code_index: np.ndarray

    @classmethod
    def build(cls, config: NetworkConfig) -> "_ActionArrays":
        table = action_table(config)
        n_c = len(config.code_rates)
        mcs = table.mcs_index.to_numpy()
        return cls(power_w=table.power_w.to_numpy(), modulation_order=table.modulation_order.to_numpy(),
                   code_rate=table.code_rate.to_numpy(), d_free=table.d_free.to_numpy(),
                   power_index=table.power_index.to_numpy(), modulation_index=mcs // n_c,
                   code_index=mcs % n_c)


def decode_actions(actions, config: NetworkConfig) -> dict:
    """Power (W), modulation order, code rate, d_free and the three indices of action indices.

    ``actions`` integer indices in ``[0, |A_n|)`` (any shape); ``TypeError`` for non-integer types or a
    ``config`` that is not a :class:`NetworkConfig`, ``ValueError`` for indices out of range.
    """
    arrays = _ActionArrays.build(_config(config))
    a = _check_actions(actions, config.n_actions, np.shape(actions))
    return {f.name: getattr(arrays, f.name)[a] for f in dataclasses.fields(arrays)}


def _config(config) -> NetworkConfig:
    if not isinstance(config, NetworkConfig):
        raise TypeError(f"config must be a NetworkConfig; got {type(config).__name__}")
    return config


def _check_actions(actions, n_actions: int, shape: tuple) -> np.ndarray:
    a = np.asarray(actions) if not isinstance(actions, (str, bytes)) and actions is not None else None
    if a is None or a.dtype.kind not in "iuf":
        raise TypeError(f"actions must be integer indices; got {type(actions).__name__}"
                        + ("" if a is None else f" of dtype {a.dtype}"))
    if a.shape != tuple(shape):
        raise ValueError(f"actions must have shape {tuple(shape)}; got {a.shape}")
    if a.dtype.kind == "f" and not (np.all(np.isfinite(a)) and np.all(a == np.round(a))):
        bad = a[~(np.isfinite(a) & (a == np.round(a)))]
        raise ValueError(f"actions must be integer indices; got {bad.flat[0]!r} (dtype {a.dtype})")
    if a.size and (a.min() < 0 or a.max() >= n_actions):          # range first: a huge float would not cast
        raise ValueError(f"actions must be in [0, {n_actions}); got range [{a.min()}, {a.max()}]")
    return a.astype(np.int64)
