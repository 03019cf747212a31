"""Roll out a fixed (non-learning) policy in :class:`multirat.env.NetworkEnv` and record every TS.

This module holds no model equation: it drives the environment, optionally replaces its
proportional-fair schedule by a reference scheduler, and stores what each time slot produced
(SINR, ACI, HWI distortion, rates, RRBs, PF average rates) as arrays over drops, slots and links.
Chapter 5 uses it to look at the distributions a policy meets before any learning.

Shapes: ``D`` drops (= ``n_episodes * n_envs``; drop ``d`` is episode ``d // n_envs`` of network
``d % n_envs``), ``T`` = ``config.slots_per_episode`` slots, ``N`` links, ``K`` APs.

Policies are callables ``policy(obs, env) -> actions`` with ``obs`` ``[B, N, 6]`` (Eq. 21, scaled)
and integer ``actions`` ``[B, N]`` (indices of :func:`multirat.env.action_table`);
:func:`constant_policy` and :func:`uniform_random_policy` build the two used in the book.

Schedulers (``scheduler=``):

* ``"pf"`` -- the environment's own schedule (Eq. 18, Alg. 1); nothing is replaced;
* ``"max_gain"`` -- every TS the ``min(N, R)`` devices with the largest serving channel gain of that
  TS (a max-C/I reference, not in the paper), placed by ``config.rrb_placement``;
* ``"round_robin"`` -- a cyclic pointer over the device indices: TS ``t >= 1`` serves devices
  ``(t-1)R, ..., (t-1)R + min(N, R) - 1`` (mod N), placed likewise.

The reference schedulers are applied by overwriting ``env.state.rrb`` after each ``step`` (the
schedule of the next TS); the first TS of every episode keeps the environment's random schedule
(Alg. 1, line 2) for every scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Callable

import numpy as np

from multirat import interference, scheduling
from multirat._checks import choice, flag, generator, integer
from multirat.config import NetworkConfig
from multirat.env import DeviationModel, NetworkEnv, action_table

__all__ = ["SCHEDULERS", "Rollout", "rollout", "constant_policy", "uniform_random_policy", "find_action",
           "adjacent_neighbours", "action_shares"]

SCHEDULERS = ("pf", "max_gain", "round_robin")

Policy = Callable[[np.ndarray, NetworkEnv], np.ndarray]


# ------------------------------------------------------------------------------------------------
# Policies
# ------------------------------------------------------------------------------------------------

def find_action(config: NetworkConfig, power_index: int, modulation_order: int, code_rate: float) -> int:
    """The action index (:func:`multirat.env.action_table`) of a power level and an MCS.

    ``power_index`` indexes :func:`multirat.env.power_levels_w` (ascending; negative values count
    from the top, ``-1`` = :math:`P_{max}`); ``modulation_order`` must be in
    ``config.modulation_orders`` and ``code_rate`` in ``config.code_rates`` (to 1e-9). ``ValueError``
    otherwise, ``TypeError`` for arguments of the wrong type.
    """
    n_p = config.n_power_levels
    power_index = integer(power_index, "power_index", lo=-n_p, hi=n_p - 1)
    table = action_table(config)
    hit = table[(table.power_index == int(power_index) % n_p) & (table.modulation_order == modulation_order)
                & np.isclose(table.code_rate, code_rate, rtol=0, atol=1e-9)]
    if len(hit) != 1:
        raise ValueError(f"no action with modulation_order={modulation_order!r} and code_rate={code_rate!r}: "
                         f"allowed modulation orders {config.modulation_orders}, code rates {config.code_rates}")
    return int(hit.action.iloc[0])


def constant_policy(action: int) -> Policy:
    """Every link plays ``action`` in every TS (e.g. :math:`P_{max}` with QPSK 1/2).

    ``action`` an integer >= 0 (``ValueError`` / ``TypeError`` otherwise; ``ValueError`` when the
    policy is called on an environment with fewer actions)."""
    action = integer(action, "action", lo=0)

    def policy(obs: np.ndarray, env: NetworkEnv) -> np.ndarray:
        if action >= env.n_actions:
            raise ValueError(f"action={action} is out of range for {env.n_actions} actions")
        return np.full(obs.shape[:-1], action, dtype=np.int64)

    return policy


def uniform_random_policy(rng: np.random.Generator) -> Policy:
    """Every link draws its action uniformly from the ``|A_n|`` actions, independently each TS.

    ``TypeError`` unless ``rng`` is a ``numpy.random.Generator``."""
    generator(rng)

    def policy(obs: np.ndarray, env: NetworkEnv) -> np.ndarray:
        return rng.integers(0, env.n_actions, size=obs.shape[:-1])

    return policy


# ------------------------------------------------------------------------------------------------
# The record
# ------------------------------------------------------------------------------------------------

@dataclass
class Rollout:
    """What every TS of every drop produced. Per-link arrays are ``[D, T, N]``.

    Unscheduled links (``rrb == -1``, only when N > R) have power, SINR, rate, ACI and HWI 0.
    ``aci_w`` and ``hwi_w`` are the powers the link saw, including the physical factor in physical
    mode; ``sinr = power_w * serving_gain / (hwi_w + aci_w + noise_w)`` for scheduled links.
    """

    config: NetworkConfig
    mode: str
    scheduler: str
    noise_w: float                #: sigma^2 of one RRB (W)
    obs: np.ndarray               #: [D, T, N, 6] local state (Eq. 21, scaled) the action was chosen on
    action: np.ndarray            #: [D, T, N] action index played
    rrb: np.ndarray               #: [D, T, N] RRB of the TS, -1 = not scheduled
    power_w: np.ndarray           #: [D, T, N] transmit power (W), 0 if not scheduled
    serving_gain: np.ndarray      #: [D, T, N] g of the link's own channel (linear)
    sinr: np.ndarray              #: [D, T, N] linear
    aci_w: np.ndarray             #: [D, T, N] ACI power (W)
    hwi_w: np.ndarray             #: [D, T, N] received HWI distortion power (W)
    rate_bits: np.ndarray         #: [D, T, N] Eq. (15) throughput, bits/frame
    average_rate: np.ndarray      #: [D, T, N] PF average rate after the TS (Eq. 19), bits/frame
    reward_kbits: np.ndarray      #: [D, T] common reward returned by ``step`` (kbit/frame)
    serving_ap: np.ndarray        #: [D, N]
    device_xy: np.ndarray         #: [D, N, 2] m
    gain: np.ndarray | None = None   #: [D, T, K, N] every AP-device gain, if ``record_gain``

    @property
    def scheduled(self) -> np.ndarray:
        """[D, T, N] bool."""
        return self.rrb >= 0

    @property
    def n_drops(self) -> int:
        return self.rrb.shape[0]

    def scheduled_values(self, name: str) -> np.ndarray:
        """The 1-D array of field ``name`` over every scheduled link of every TS and drop."""
        return getattr(self, name)[self.scheduled]


def _merge(parts: list[dict]) -> dict:
    return {k: np.concatenate([p[k] for p in parts], axis=0) for k in parts[0]}


def rollout(config: NetworkConfig, policy: Policy, *, n_episodes: int = 1, n_envs: int = 1, mode: str = "twin",
            deviation: DeviationModel | None = None, seed: int | np.random.Generator | None = None,
            scheduler: str = "pf", record_gain: bool = False) -> Rollout:
    """Play ``n_episodes`` episodes of ``n_envs`` parallel networks with ``policy``; record every TS.

    Parameters
    ----------
    config : the network (``slots_per_episode`` sets T, ``rrb_placement`` the placement).
    policy : ``policy(obs [B, N, 6], env) -> actions [B, N]`` (see :func:`constant_policy`).
    n_episodes, n_envs : drops = ``n_episodes * n_envs``; each episode is a new drop in each network.
    mode, deviation : as :class:`multirat.env.NetworkEnv` (``"twin"`` or ``"physical"``).
    seed : seeds the environment's generator once (drops, shadowing, fading, first schedule); the
        same seed gives the same drops and channels in twin and physical mode (common random
        numbers). The policy's randomness is its own (:func:`uniform_random_policy`).
    scheduler : one of :data:`SCHEDULERS`.
    record_gain : also keep every AP-device gain ``[D, T, K, N]`` (for ACI breakdowns).

    Raises ``ValueError`` (unknown ``scheduler`` or ``mode``, counts that are not integers >= 1, a
    negative ``seed``) or ``TypeError`` (a ``policy`` that is not callable, arguments of the wrong
    type), naming the argument.
    """
    choice(scheduler, "scheduler", SCHEDULERS)
    n_episodes, n_envs = integer(n_episodes, "n_episodes", lo=1), integer(n_envs, "n_envs", lo=1)
    record_gain = flag(record_gain, "record_gain")
    if not callable(policy):
        raise TypeError(f"policy must be callable as policy(obs, env); got {type(policy).__name__}")
    env = NetworkEnv(config, mode=mode, n_envs=int(n_envs), deviation=deviation)
    cfg = env.config
    episodes = []
    for episode in range(int(n_episodes)):
        obs, _ = env.reset(seed=seed if episode == 0 else None)
        # the HWI factor the environment applies in this drop (LinearDeviation, or the drop's 1 + phi_n; a
        # stochastic model would give another draw of the same law)
        hwi_factor = env.physical_factors()[1] if env.mode == "physical" else 1.0
        per_ts = []
        done = False
        while not done:
            s = env.state
            gain = s.gain.copy() if record_gain else None
            obs_t = obs
            actions = policy(obs, env)
            obs, reward, done, info = env.step(actions)
            ref = interference.hwi_reference_power_w(s.serving_ap, info.power_w, cfg.n_aps, info.scheduled,
                                                     basis=cfg.hwi_basis)
            hwi = np.where(info.scheduled, interference.hwi_distortion_power_w(info.serving_gain, ref, cfg.sigma_rt)
                           * hwi_factor, 0.0)
            record = {"obs": obs_t, "action": np.asarray(actions, dtype=np.int64), "rrb": info.rrb, "power_w": info.power_w,
                      "serving_gain": info.serving_gain, "sinr": info.sinr, "aci_w": info.aci_w, "hwi_w": hwi,
                      "rate_bits": info.rate_bits, "average_rate": s.average_rate.copy(),
                      "reward_kbits": np.asarray(reward, dtype=float)}
            if record_gain:
                record["gain"] = gain
            per_ts.append(record)
            if not done and scheduler != "pf":
                if scheduler == "max_gain":
                    metric = s.serving_gain()                                       # [B, N], gain of TS t
                else:                                                               # pointer at (t-1) R mod N
                    position = (np.arange(env.n_agents) - (s.t - 1) * cfg.n_rrbs) % env.n_agents
                    metric = np.broadcast_to(-position.astype(float), (env.n_envs, env.n_agents))
                s.rrb = scheduling.select_and_place(metric, cfg.n_rrbs, cfg.rrb_placement)
        # [T, B, ...] -> [B, T, ...]
        stacked = {k: np.swapaxes(np.stack([r[k] for r in per_ts]), 0, 1) for k in per_ts[0]}
        stacked["serving_ap"] = env.state.serving_ap.copy()
        stacked["device_xy"] = env.state.device_xy.copy()
        episodes.append(stacked)
    data = _merge(episodes)
    known = {f.name for f in fields(Rollout)}
    return Rollout(config=cfg, mode=env.mode, scheduler=scheduler, noise_w=env.noise_w,
                   **{k: v for k, v in data.items() if k in known})


# ------------------------------------------------------------------------------------------------
# Analysis of an RRB allocation
# ------------------------------------------------------------------------------------------------

def adjacent_neighbours(rrb, serving_ap, n_rrbs: int, offset: int = 1, other_ap: bool = True) -> np.ndarray:
    """How many scheduled links sit exactly ``offset`` RRBs away from each scheduled link, ``[..., N]``.

    ``rrb`` ``[..., N]`` (-1 = not scheduled), ``serving_ap`` broadcastable to it. With
    ``other_ap=True`` only links of another AP count (the ACI sources of ``aci_source="other_ap"``).
    0 for unscheduled links. A counting helper: no powers, no gains. ``TypeError`` for an ``rrb``
    that is not an integer array and arguments of the wrong type, ``ValueError`` for values out of range.
    """
    rrb = np.asarray(rrb)
    if rrb.dtype.kind not in "iu":
        raise TypeError(f"rrb must be an integer array; got dtype {rrb.dtype}")
    offset = integer(offset, "offset", lo=1)
    n_rrbs = integer(n_rrbs, "n_rrbs", lo=1)
    other_ap = flag(other_ap, "other_ap")
    if rrb.size and (rrb.min() < -1 or rrb.max() >= n_rrbs):
        raise ValueError(f"rrb must be in [-1, n_rrbs={n_rrbs}); got range [{rrb.min()}, {rrb.max()}]")
    ap = np.broadcast_to(np.asarray(serving_ap), rrb.shape)
    sched = rrb >= 0
    # [..., N, N]: link j is `offset` RRBs from link n (both scheduled)
    near = (np.abs(rrb[..., None, :] - rrb[..., :, None]) == offset) & sched[..., None, :] & sched[..., :, None]
    if other_ap:
        near &= ap[..., None, :] != ap[..., :, None]
    return near.sum(axis=-1)


# ------------------------------------------------------------------------------------------------
# What a policy played
# ------------------------------------------------------------------------------------------------

_ACTION_SHARE_GROUPS = {"power": ["power_index", "power_dbm", "power_w"],
                        "mcs": ["modulation_order", "code_rate"],
                        "modulation": ["modulation_order"],
                        "action": ["action", "power_index", "power_dbm", "power_w", "modulation_order", "code_rate"]}


def action_shares(record: Rollout, by: str = "power"):
    """Share of the scheduled link-slots of ``record`` at each power level, MCS, modulation or action.

    A link-slot is one scheduled link (``rrb >= 0``) in one TS of one drop; unscheduled links played
    nothing and are not counted. ``by`` groups the actions of :func:`multirat.env.action_table`:

    * ``"power"`` -- one row per power level :math:`\\mathcal P` (ascending): ``power_index``,
      ``power_dbm``, ``power_w`` (W);
    * ``"mcs"`` -- one row per modulation order x code rate, in the table's order:
      ``modulation_order`` (M, symbols), ``code_rate`` (c);
    * ``"modulation"`` -- one row per modulation order;
    * ``"action"`` -- one row per action index, with its power and MCS.

    Every level appears, also those never played (``link_slots`` 0). The further columns are
    ``link_slots`` (count) and ``share`` (``link_slots`` / all scheduled link-slots; the shares sum
    to 1). Returns a pandas DataFrame.

    Raises ``TypeError`` unless ``record`` is a :class:`Rollout`, ``ValueError`` for an unknown
    ``by``, a record without any scheduled link-slot, or action indices outside the table.
    """
    if not isinstance(record, Rollout):
        raise TypeError(f"record must be a Rollout; got {type(record).__name__}")
    choice(by, "by", tuple(_ACTION_SHARE_GROUPS))
    played = np.asarray(record.action)[record.scheduled]
    if played.size == 0:
        raise ValueError("record has no scheduled link-slot; there is nothing to count")
    table = action_table(record.config)
    if played.min() < 0 or played.max() >= len(table):
        raise ValueError(f"record plays actions in [{played.min()}, {played.max()}]; the table has "
                         f"{len(table)} actions")
    counts = np.bincount(played, minlength=len(table))
    table = table.assign(link_slots=counts[table.action.to_numpy()])
    keys = _ACTION_SHARE_GROUPS[by]
    out = table.groupby(keys, sort=False, as_index=False).link_slots.sum()
    out["share"] = out.link_slots / played.size
    return out.reset_index(drop=True)
