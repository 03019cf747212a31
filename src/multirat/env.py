"""The network as a Markov game (paper Secs. III-A, III-C, IV, V-A; Algorithms 1-3).

One environment step is one time slot (TS) of every link of ``n_envs`` independent networks at
once. The core, :class:`NetworkEnv`, is vectorized over networks and links (arrays ``[B, N]``,
``[B, K, N]``); :mod:`multirat.marl` wraps one network as a PettingZoo ``ParallelEnv``.

Episode (Alg. 2, lines 6-9; Alg. 3, lines 3-7)
    ``reset`` drops N devices uniformly in the coverage annuli of the K APs, clusters each to its
    nearest AP, draws the large-scale gain of **every** AP-device pair (path loss of
    ``config.path_loss_model`` plus independent log-normal shadowing; the ACI term needs the gain
    from an interferer's AP to the victim) and the Jakes fading of every pair, and schedules the
    first TS at random (Alg. 1, line 2). ``slots_per_episode`` steps follow.

Time slot t (``step(actions)``)
    1. Each link's action index selects its power, modulation and code rate (:func:`action_table`).
       Links without an RRB this TS (only when N > R) transmit nothing: their action is ignored (and not
       recorded in the next state),
       their SINR and throughput are 0, and they cause no ACI and no HWI.
    2. SINR of Eq. (14) with the ACI of Eq. (10) and the HWI of the serving AP's total power; in
       ``mode="physical"`` the ACI and HWI are multiplied by the factors of the deviation model
       (default :class:`LinearDeviation`, Eqs. 11-12: ``1 + phi``; with ``config.phi_spread > 0``,
       ``1 + phi_n`` with every link's phi_n drawn at the drop, unknown to the twin; in a non-stationary
       network, ``config.block_episodes > 0``, ``1 + phi_n`` of the block's regime, given to ``reset``).
    3. Throughput of Eq. (15) (``config.ser_model``); the common reward is the sum throughput
       (Sec. V-A-1), returned in **kbit/frame**.
    4. PF average rates (Eq. 19), fading update (Eq. 3), PF schedule of TS t+1 (Eq. 18, Alg. 1),
       and the next local states (Eq. 21).

Local state of link n (Eq. 21), ``obs[b, n, :]``, scaled to about unit range (our choice; the
paper gives no scaling): ``[(g_dB - GAIN_OFFSET_DB)/GAIN_SCALE_DB, sinr_dB(t-1)/SINR_SCALE_DB,
R(t-1)/peak rate, p(t-1)/(|P|-1), m(t-1)/(|M|-1), c(t-1)/(|C|-1)]`` with ``g`` the serving gain of
this TS, SINR floored at ``SINR_FLOOR_DB`` before scaling and the previous action's indices. At the
first TS of an episode the history entries are 0, and so they are for a link that had no RRB in the
previous TS (only when N > R): it played no action, so its state records none (our choice; the paper's
Eq. (21) presumes every link transmitted in TS t-1). Its SINR and rate of t-1 are 0 anyway.

Action index (Eq. 23 mapped to one integer, Sec. V-A-1): ``a = i_p * |M||C| + i_mcs`` with the power
index ``i_p`` (Eq. 25 grid, ascending) and the MCS index ``i_mcs = i_m * |C| + i_c`` of
:func:`multirat.link.mcs_table` (modulation-major). Power-major order makes "same power, other MCS"
contiguous, which the exhaustive-search benchmark exploits.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from multirat import channel, interference, link, scheduling, topology, units
from multirat._checks import choice, flag, integer, real
from multirat._checks import seed as _seed
from multirat.actions import _ActionArrays, _check_actions, _config, action_table, decode_actions, power_levels_w
from multirat.config import STATE_DIM, NetworkConfig

__all__ = [
    "MODES", "GAIN_OFFSET_DB", "GAIN_SCALE_DB", "SINR_SCALE_DB", "SINR_FLOOR_DB", "PF_INITIAL_RATE_BITS",
    "PF_RATE_FLOOR_BITS",
    "power_levels_w", "action_table", "decode_actions", "DeviationModel", "LinearDeviation",
    "EpisodeState", "NetworkEnv", "require_state",
]

MODES = ("twin", "physical")
#: Observation scaling (assumption): serving gain in dB is shifted by +110 dB and divided by 20 dB,
#: which maps the gains of the paper's cells (about -140 to -80 dB) to about [-1.5, 1.5].
GAIN_OFFSET_DB = -110.0
GAIN_SCALE_DB = 20.0
#: Previous SINR in dB divided by 20 dB, after flooring at -30 dB (a scheduled link's SINR ~0 -> -1.5; a link
#: unscheduled in the previous TS has no history: 0, as at the first TS).
SINR_SCALE_DB = 20.0
SINR_FLOOR_DB = -30.0
#: Initial PF average rate (bits/frame) of every device: positive so that w = 1/R is finite (Eq. 18).
PF_INITIAL_RATE_BITS = 1.0
#: Floor of the PF average rate (bits/frame) after each EMA update (Eq. 19): a starving device's metric
#: log2(1 + P_c g / sigma^2) / R stays finite (log2(1 + x) <= 1024 for any float x), so starving devices
#: are still ranked by their channel, also with pf_alpha = 1.
PF_RATE_FLOOR_BITS = 1e-300


# ------------------------------------------------------------------------------------------------
# Physical-network deviation (Sec. III-B-3)
# ------------------------------------------------------------------------------------------------

class DeviationModel(Protocol):
    """How the physical network's ACI and HWI differ from the twin's: multiplicative factors.

    ``draws`` says whether :meth:`factors` draws from its generator. A model that draws is called once per
    network with that network's generator and ``shape = (1, N)`` when the environment has per-network
    generators (:meth:`NetworkEnv.reset` with a list of them), so a network's numbers do not depend on
    the others; a model that does not draw is called once for all networks.
    """

    draws: bool

    def factors(self, rng: np.random.Generator, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
        """``(aci_factor, hwi_factor)``, each broadcastable to ``shape`` = ``[B, N]``."""
        ...


@dataclass(frozen=True)
class LinearDeviation:
    """Eqs. (11)-(12): ACI and HWI distortion of the physical network are ``1 + phi`` times the twin's.

    ``phi`` is a scalar or an array broadcastable to ``[B, N]`` (per-link deviations, as in the
    non-stationary experiment of Sec. VI-I). ``phi`` finite and ``>= -1`` (``-1`` removes the physical
    ACI and HWI: a mathematical limit; :class:`~multirat.config.NetworkConfig` requires ``phi > -1``).
    ``TypeError`` for non-numbers, ``ValueError`` otherwise, naming ``phi``.
    """

    phi: float | np.ndarray = 0.4
    draws = False                        #: the factors are deterministic: the generator is not used

    def __post_init__(self):
        real(self.phi, "phi", lo=-1.0, why="Eqs. 11-12 multiply a power by 1 + phi")

    def factors(self, rng, shape):
        f = np.broadcast_to(1.0 + np.asarray(self.phi, dtype=float), shape)
        return f, f


# ------------------------------------------------------------------------------------------------
# The environment
# ------------------------------------------------------------------------------------------------

@dataclass
class EpisodeState:
    """Everything that evolves in an episode; arrays over ``B`` networks (all float64 / int64)."""

    device_xy: np.ndarray        #: [B, N, 2] m
    serving_ap: np.ndarray       #: [B, N] nearest AP
    large_scale: np.ndarray      #: [B, K, N] beta, linear (path loss and shadowing)
    fading: np.ndarray           #: [B, K, N] complex h(t), Eq. 3
    rrb: np.ndarray              #: [B, N] RRB of this TS, -1 = not scheduled
    average_rate: np.ndarray     #: [B, N] PF EMA rate, bits/frame (Eq. 19)
    prev_sinr: np.ndarray        #: [B, N] linear, 0 at t = 0
    prev_rate: np.ndarray        #: [B, N] bits/frame
    prev_action: np.ndarray      #: [B, N] action index played in the previous TS; -1 at t = 0 and for a link
                                 #: that had no RRB in the previous TS (it played no action)
    t: int = 0                   #: TS index within the episode
    gain: np.ndarray = None      #: [B, K, N] channel gain g = |h|^2 beta of this TS (kept in step with fading)
    phi_links: np.ndarray | None = None   #: [B, N] per-link deviation (``phi_spread > 0`` or a block's), else None

    def __post_init__(self):
        self.update_gain()

    def update_gain(self) -> None:
        """Recompute :attr:`gain` after the fading changed."""
        self.gain = channel._gain_core(self.fading, self.large_scale)

    def serving_gain(self) -> np.ndarray:
        """g^t of every link's own channel, [B, N]."""
        b, n = self.serving_ap.shape
        return self.gain[np.arange(b)[:, None], self.serving_ap, np.arange(n)[None, :]]

    def copy(self) -> "EpisodeState":
        return dataclasses.replace(self, **{f.name: np.copy(getattr(self, f.name))
                                            for f in dataclasses.fields(self)
                                            if f.name not in ("t", "gain") and getattr(self, f.name) is not None})


@dataclass
class StepInfo:
    """What happened in one TS, arrays ``[B, N]`` unless noted."""

    sinr: np.ndarray
    rate_bits: np.ndarray
    power_w: np.ndarray
    rrb: np.ndarray
    scheduled: np.ndarray
    aci_w: np.ndarray            #: the ACI the links saw (physical factor included in physical mode)
    serving_gain: np.ndarray
    sum_rate_kbits: np.ndarray = field(default=None)   #: [B]


class NetworkEnv:
    """Vectorized multi-RAT network (twin or physical) over ``n_envs`` independent networks.

    Raises ``TypeError`` (``config`` not a :class:`NetworkConfig`, ``n_envs`` not an integer, a
    ``deviation`` without ``factors``) or ``ValueError`` (unknown ``mode``, ``n_envs < 1``).

    >>> env = NetworkEnv(NetworkConfig(), mode="twin", n_envs=2)
    >>> obs, info = env.reset(seed=1)          # obs [2, N, 6]
    >>> obs, reward, done, info = env.step(np.zeros((2, env.n_agents), dtype=int))   # reward [2] kbit/frame
    """

    def __init__(self, config: NetworkConfig | None = None, *, mode: str = "twin", n_envs: int = 1,
                 deviation: DeviationModel | None = None):
        config = NetworkConfig() if config is None else _config(config)
        choice(mode, "mode", MODES)
        if deviation is not None and not callable(getattr(deviation, "factors", None)):
            raise TypeError(f"deviation must have factors(rng, shape) (a DeviationModel); got {type(deviation).__name__}")
        self.config = config
        self.mode = mode
        self.n_envs = integer(n_envs, "n_envs", lo=1)
        self.deviation = deviation if deviation is not None else LinearDeviation(config.phi)
        #: the drop's per-link phi_n (config.phi_spread > 0, or the block's in a non-stationary network,
        #: config.block_episodes > 0) applies unless a deviation model was given
        self.drop_deviation = deviation is None and (config.phi_spread > 0 or config.block_episodes > 0)
        self._actions = _ActionArrays.build(config)
        # [|A|, 3]: scaled indices of power, modulation and code rate, the last three features of Eq. 21
        self._action_features = np.stack([
            self._actions.power_index / max(config.n_power_levels - 1, 1),
            self._actions.modulation_index / max(len(config.modulation_orders) - 1, 1),
            self._actions.code_index / max(len(config.code_rates) - 1, 1)], axis=-1)
        self.ap_xy = topology.ap_positions(config.n_aps, config.ap_spacing_m)          # [K, 2]
        self.noise_w = float(units.dbm_to_watt(config.noise_power_dbm))
        self.acir = units.db_to_linear(np.asarray(config.acir_db))                     # [L/2]
        self.rho = float(channel.jakes_correlation(config.doppler_hz, config.slot_s))
        self.p_c_w = float(units.dbm_to_watt(config.p_min_dbm))                        # PF: P_c = P_min
        self.peak_rate_bits = config.peak_rate_bits
        self.rng = np.random.default_rng()
        self.rngs: list[np.random.Generator] | None = None      #: per-network generators (reset with a list)
        self.state: EpisodeState | None = None

    # --- sizes -----------------------------------------------------------------------------
    @property
    def n_agents(self) -> int:
        return self.config.n_devices

    @property
    def n_actions(self) -> int:
        return self.config.n_actions

    @property
    def obs_dim(self) -> int:
        return STATE_DIM

    @property
    def batch(self) -> tuple:
        return (self.n_envs,)

    # --- episode ---------------------------------------------------------------------------
    def reset(self, seed: int | np.random.Generator | list | tuple | None = None, regime=None):
        """New drop, clustering, large-scale gains, fading h(0), random first schedule.

        ``seed`` (an integer >= 0 or a Generator) reseeds the environment's one generator, from which all
        networks draw in turn; ``None`` continues the generator(s) in use. A list (or tuple) of ``n_envs``
        Generators gives every network its own stream (:attr:`rngs`): network b then draws only from
        generator b, in the same order and shapes as an environment with ``n_envs=1`` reset with that
        generator, so each network's episode is draw for draw the one it would have alone (the trainer
        steps its runs' networks this way). Returns ``(obs [B, N, 6], info)``. ``TypeError`` for another
        type of seed, ``ValueError`` for a negative one or a list of the wrong length, naming ``seed``.

        ``regime``: in a non-stationary network (``config.block_episodes > 0``, and only there), one
        :class:`multirat.nonstationary.LinkRegime` per network (a list of ``n_envs``), required: the drop
        keeps the regime's shadowing ``[K, N]`` instead of its own and the physical network its ``phi``
        ``[N]`` (Eqs. 11-12). The drop's own shadowing is still drawn (and dropped), so every other random
        number of the episode is the one it is without the regime. ``ValueError`` naming ``regime`` for a
        missing, superfluous or ill-shaped one.
        """
        regimes = self._check_regime(regime)
        if isinstance(seed, (list, tuple)):
            for i, g in enumerate(seed):
                if not isinstance(g, np.random.Generator):
                    raise TypeError(f"seed[{i}] must be a numpy Generator; got {type(g).__name__}")
            if len(seed) != self.n_envs:
                raise ValueError(f"seed: a list of one Generator per network must hold n_envs={self.n_envs}; "
                                 f"got {len(seed)}")
            self.rngs = list(seed)
        elif isinstance(seed, np.random.Generator):
            self.rng, self.rngs = seed, None
        elif seed is not None:
            self.rng, self.rngs = np.random.default_rng(_seed(seed)), None
        cfg, (b, n, k) = self.config, (self.n_envs, self.config.n_devices, self.config.n_aps)
        # one drop per network, from the network's generator (or the shared one, network after network)
        gens = self.rngs if self.rngs is not None else [self.rng] * b
        xy = np.stack([topology.drop_devices(g, self.ap_xy, n, cfg.coverage_radius_m, cfg.exclusion_radius_m)
                       for g in gens])                                                  # [B, N, 2]
        serving = np.stack([topology.cluster_nearest(xy[i], self.ap_xy) for i in range(b)])   # [B, N]
        d2d = np.stack([topology.distances_2d(xy[i], self.ap_xy) for i in range(b)])  # [B, K, N]
        pl_db = self._path_loss_db(d2d)                                                 # [B, K, N]
        shadow = self._draw(lambda g, nb: channel.shadowing_db(g, (nb, k, n), cfg.shadowing_std_db))
        if regimes is not None:              # the block's held shadowing replaces the drop's (drawn above)
            shadow = np.stack([np.asarray(r.shadowing_db, float) for r in regimes])
        self.state = EpisodeState(
            device_xy=xy, serving_ap=serving,
            large_scale=channel.large_scale_gain(pl_db, shadow),
            fading=self._draw(lambda g, nb: channel.gauss_markov_init(g, (nb, k, n))),
            rrb=self._draw(lambda g, nb: scheduling.random_schedule(g, n, cfg.n_rrbs, cfg.rrb_placement,
                                                                    batch=(nb,))),
            average_rate=np.full((b, n), PF_INITIAL_RATE_BITS),
            prev_sinr=np.zeros((b, n)), prev_rate=np.zeros((b, n)),
            prev_action=np.full((b, n), -1, dtype=np.int64), t=0)
        if cfg.phi_spread > 0:                 # the drop's per-link deviation, drawn last (also in twin mode)
            lo, hi = cfg.phi - cfg.phi_spread, cfg.phi + cfg.phi_spread
            self.state.phi_links = self._draw(lambda g, nb: g.uniform(lo, hi, (nb, n)))
        if regimes is not None:
            self.state.phi_links = np.stack([np.asarray(r.phi, float) for r in regimes])
        return self.observe(), {"serving_ap": serving.copy(), "rrb": self.state.rrb.copy()}

    def _check_regime(self, regime):
        """``regime`` as a list of n_envs LinkRegime-like records, or None; see :meth:`reset`."""
        cfg = self.config
        if cfg.block_episodes == 0:
            if regime is not None:
                raise ValueError("regime is only for a non-stationary network (config.block_episodes > 0); "
                                 "this one is stationary: pass regime=None")
            return None
        if regime is None:
            raise ValueError(f"regime is required: config.block_episodes={cfg.block_episodes} makes the network "
                             "non-stationary; pass one multirat.nonstationary.block_regime(...) per network")
        regimes = list(regime) if isinstance(regime, (list, tuple)) else None
        if regimes is None or len(regimes) != self.n_envs:
            raise ValueError(f"regime must be a list of n_envs={self.n_envs} LinkRegime (one per network); "
                             f"got {type(regime).__name__}" + (f" of {len(regimes)}" if regimes is not None else ""))
        k, n = cfg.n_aps, cfg.n_devices
        for i, r in enumerate(regimes):
            shapes = (np.shape(getattr(r, "shadowing_db", None)), np.shape(getattr(r, "phi", None)))
            if shapes != ((k, n), (n,)):
                raise ValueError(f"regime[{i}] must have shadowing_db [K, N] = {(k, n)} and phi [N] = {(n,)}; "
                                 f"got {shapes}")
            if not np.all(np.asarray(r.phi, float) > -1.0):
                raise ValueError(f"regime[{i}].phi must be > -1 for every link (1 + phi_n > 0)")
        return regimes

    def _draw(self, draw) -> np.ndarray:
        """A random array with a leading network axis: ``draw(generator, n_networks)`` once from the shared
        generator for all ``B`` networks, or once per network from its own generator (:attr:`rngs`)."""
        if self.rngs is None:
            return draw(self.rng, self.n_envs)
        return np.concatenate([draw(g, 1) for g in self.rngs])

    def _path_loss_db(self, d2d):
        cfg = self.config
        args = (d2d, cfg.fc_hz, cfg.h_ap_m, cfg.h_ut_m)
        kw = {"c_m_s": cfg.speed_of_light_m_s}
        if cfg.path_loss_model == "eq4":
            return channel.umi_path_loss_db(*args, **kw)
        if cfg.path_loss_model == "linear_average":
            return channel.umi_path_loss_linear_average_db(*args, **kw)
        if self.rngs is None:
            los = channel.draw_los_state(self.rng, d2d)
        else:
            los = np.concatenate([channel.draw_los_state(g, d2d[i:i + 1]) for i, g in enumerate(self.rngs)])
        return channel.umi_path_loss_given_state_db(los, *args, **kw)

    def _require_state(self) -> EpisodeState:
        if self.state is None:
            raise RuntimeError("call reset() before step()/observe()")
        return self.state

    def serving_gain(self) -> np.ndarray:
        """g^t of every link's own channel (serving AP to device), [B, N]."""
        return self._require_state().serving_gain()

    def observe(self) -> np.ndarray:
        """Local states of Eq. (21), scaled, ``[B, N, 6]`` float32."""
        s = self._require_state()
        with np.errstate(divide="ignore"):                         # gains and SINRs are >= 0 by construction
            g_db = 10.0 * np.log10(s.serving_gain())
            sinr_db = np.maximum(10.0 * np.log10(s.prev_sinr), SINR_FLOOR_DB)
        out = np.zeros(s.prev_sinr.shape + (STATE_DIM,), dtype=np.float32)
        out[..., 0] = (g_db - GAIN_OFFSET_DB) / GAIN_SCALE_DB
        out[..., 2] = s.prev_rate / self.peak_rate_bits
        had = s.prev_action >= 0                                   # False before the first TS and for idle links
        if had.any():
            out[..., 1] = sinr_db / SINR_SCALE_DB
            out[..., 3:] = self._action_features[np.maximum(s.prev_action, 0)]
            if not had.all():
                out[~had, 1] = 0.0
                out[~had, 3:] = 0.0
        return out

    # --- one time slot ------------------------------------------------------------------------
    def evaluate(self, actions, physical: bool | None = None, power_w=None) -> StepInfo:
        """SINR and throughput of ``actions`` [B, N] in the current TS, without advancing time.

        ``physical`` overrides the environment's mode (``None``: use it). ``power_w`` [B, N] (W)
        replaces the actions' discrete power levels by continuous powers in [P_min, P_max] (the
        ESA-FP benchmark); the modulation and code rate still come from ``actions``. Used by
        :meth:`step` and by the benchmark schemes that search over actions for the same TS.

        Raises ``TypeError`` (``actions`` not integer indices, ``physical`` not a bool or None,
        ``power_w`` not numbers), ``ValueError`` (wrong shape, an index out of range, a power
        outside C1 or NaN; the message shows the value) and ``RuntimeError`` before :meth:`reset`.
        """
        s, cfg = self._require_state(), self.config
        a = _check_actions(actions, self.n_actions, (self.n_envs, self.n_agents))
        physical = (self.mode == "physical") if physical is None else flag(physical, "physical")
        scheduled = s.rrb >= 0
        if power_w is None:
            power = np.where(scheduled, self._actions.power_w[a], 0.0)                  # [B, N]
        else:
            power = np.where(scheduled, self._check_power(power_w), 0.0)
        gain = s.gain                                                                   # [B, K, N]
        g_serv = s.serving_gain()                                                       # [B, N]
        # the library's checked-input cores (the public functions validate, then call these)
        aci = interference._aci_core(s.rrb, s.serving_ap, power, scheduled, gain, self.acir,
                                     cfg.aci_source, cfg.n_rrbs)[0]                      # Eq. 10, [B, N]
        hwi_ref = interference._hwi_reference_core(s.serving_ap, power, scheduled, cfg.n_aps, cfg.hwi_basis)
        if physical and self.drop_deviation:                       # Eqs. 11-12 with this drop's phi_n
            aci, hwi_ref = aci * (1.0 + s.phi_links), hwi_ref * (1.0 + s.phi_links)
        elif physical:                                                                  # Eqs. 11-12
            aci_factor, hwi_factor = self._deviation_factors(scheduled.shape)
            aci, hwi_ref = aci * aci_factor, hwi_ref * hwi_factor
        sinr = np.where(scheduled, interference._sinr_core(power, g_serv, hwi_ref, aci, self.noise_w,
                                                           cfg.sigma_rt, 1.0), 0.0)      # Eq. 14
        m, c = self._actions.modulation_order[a], self._actions.code_rate[a]
        rate = np.where(scheduled, link._throughput_core(sinr, m, c, c * self._actions.d_free[a],
                                                         float(cfg.n_symbols), cfg.ser_model), 0.0)   # Eq. 15
        return StepInfo(sinr=sinr, rate_bits=rate, power_w=power, rrb=s.rrb.copy(), scheduled=scheduled,
                        aci_w=aci, serving_gain=g_serv, sum_rate_kbits=rate.sum(axis=-1) / 1e3)

    def physical_factors(self) -> tuple[np.ndarray, np.ndarray]:
        """``(aci_factor, hwi_factor)`` ``[B, N]`` the physical network applies in the current drop: ``1 + phi_n``
        of the drop (``config.phi_spread > 0``) or the deviation model's factors. A model that draws gives
        another draw of the same law than :meth:`step` applies (its generator is a fresh one, seed 0), so
        that benchmark schemes never consume the environment's random numbers. ``RuntimeError`` before
        :meth:`reset`."""
        s = self._require_state()
        shape = (self.n_envs, self.n_agents)
        if self.drop_deviation:
            f = 1.0 + s.phi_links
            return f.copy(), f.copy()
        aci_f, hwi_f = self.deviation.factors(np.random.default_rng(0), shape)
        return np.broadcast_to(aci_f, shape).astype(float), np.broadcast_to(hwi_f, shape).astype(float)

    def _deviation_factors(self, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
        """``(aci_factor, hwi_factor)`` ``[B, N]`` of the deviation model; a model that draws gets each
        network's own generator when there are per-network generators (see :class:`DeviationModel`)."""
        if self.rngs is None or not getattr(self.deviation, "draws", True):
            return self.deviation.factors(self.rng, shape)
        per = [self.deviation.factors(g, (1,) + tuple(shape[1:])) for g in self.rngs]
        return tuple(np.concatenate([np.broadcast_to(f[j], (1,) + tuple(shape[1:])) for f in per])
                     for j in range(2))

    def _check_power(self, power_w) -> np.ndarray:
        lo, hi = (float(units.dbm_to_watt(x)) for x in (self.config.p_min_dbm, self.config.p_max_dbm))
        p = real(power_w, "power_w", lo=lo * (1 - 1e-12), hi=hi * (1 + 1e-12), unit="W",
                 why=f"constraint C1: [P_min, P_max] = [{lo:.4g}, {hi:.4g}] W")
        if p.shape != (self.n_envs, self.n_agents):
            raise ValueError(f"power_w must have shape {(self.n_envs, self.n_agents)}; got {p.shape}")
        return p

    def step(self, actions, power_w=None):
        """Play one TS: returns ``(obs [B, N, 6], reward [B] kbit/frame, done, info StepInfo)``.

        ``power_w`` optionally replaces the discrete power levels (see :meth:`evaluate`); the
        observation then still records the action's power index.

        ``done`` is True after ``slots_per_episode`` steps (a time limit, not a terminal state: the
        returned ``obs`` is the valid state of the next TS, for bootstrapping). Stepping again
        after ``done`` raises ``RuntimeError`` until :meth:`reset`; invalid ``actions`` / ``power_w``
        raise as in :meth:`evaluate`.
        """
        s, cfg = self._require_state(), self.config
        if s.t >= cfg.slots_per_episode:
            raise RuntimeError("episode is over (slots_per_episode reached): call reset()")
        info = self.evaluate(actions, power_w=power_w)
        a = _check_actions(actions, self.n_actions, (self.n_envs, self.n_agents))
        # an unscheduled link played no action: its next state holds no history (prev_action -1, as at t = 0)
        s.prev_sinr, s.prev_rate = info.sinr.copy(), info.rate_bits.copy()
        s.prev_action = np.where(info.scheduled, a, -1)
        s.average_rate = np.maximum(   # Eq. 19; floored so that w = 1/R stays finite in very long episodes
            scheduling._average_rate_core(s.average_rate, info.rate_bits, cfg.pf_alpha), PF_RATE_FLOOR_BITS)
        if self.rngs is None:
            s.fading = channel._gauss_markov_step_core(self.rng, s.fading, self.rho)                   # Eq. 3
        else:                                            # the same draws, network by network
            shape = (1,) + s.fading.shape[1:]
            noise = np.concatenate([g.standard_normal(shape) + 1j * g.standard_normal(shape) for g in self.rngs])
            s.fading = channel._gauss_markov_update_core(s.fading, self.rho, noise)
        s.update_gain()
        metric = scheduling._pf_metric_core(s.average_rate, self.serving_gain(), self.p_c_w, self.noise_w)  # Eq. 18
        s.rrb = scheduling._select_core(metric, cfg.n_rrbs, cfg.rrb_placement)                             # Alg. 1
        s.t += 1
        return self.observe(), info.sum_rate_kbits, s.t >= cfg.slots_per_episode, info


def require_state(env: NetworkEnv) -> EpisodeState:
    """The current :class:`EpisodeState` of ``env``, for code that acts on a TS (benchmarks, agents).

    Raises ``TypeError`` if ``env`` is not a :class:`NetworkEnv` and ``RuntimeError`` before the first
    :meth:`NetworkEnv.reset`.
    """
    if not isinstance(env, NetworkEnv):
        raise TypeError(f"env must be a multirat.env.NetworkEnv; got {type(env).__name__}")
    return env._require_state()
