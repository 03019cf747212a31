"""The non-stationary network of Sec. VI-I (the paper's Fig. 8, chapter 13): piecewise-stationary blocks.

The paper keeps "key parameters, including shadowing (sigma_s) and the non-linearity uncertainty parameter
phi, constant for a block of Z_m consecutive episodes", then re-samples them "for each IoT link at the
beginning of the next block": sigma_s "from a normal distribution with zero mean and standard deviation of
4, 6, or 8 dB", phi "from the set {0, 0.4, 0.6, 0.9}". We read it literally (chapter 13 says so):

* at the start of block b every link n draws a standard deviation s_n uniformly from
  ``NetworkConfig.block_shadowing_std_db`` and a deviation phi_n uniformly from ``NetworkConfig.block_phi``;
* its shadowing towards every AP, sigma_s[k, n] ~ N(0, s_n^2) dB, is drawn once and **held** for the
  block's Z_m episodes (every drop of the block keeps it, while the devices' positions, the fading and the
  schedule are drawn per episode as in the stationary network);
* phi_n replaces the network's single phi in Eqs. (11)-(12) for the whole block (physical mode only: the
  twin has no deviation, by definition of phi), and the twin knows the block's shadowing, not phi_n.

A block's draws come from their own stream, keyed by the run's seed and the block index
(:func:`block_regime`), so every scheme trained or evaluated with the same seed meets the same blocks, and
a block's regime never depends on how many random numbers the episodes before it consumed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from multirat._checks import integer

__all__ = ["BLOCK_STREAM", "LinkRegime", "block_index", "block_regime", "block_start"]

#: spawn-key stream of the block draws (the trainer's episode and agent streams use others)
BLOCK_STREAM = 3


@dataclass(frozen=True)
class LinkRegime:
    """One block's per-link parameters of one network.

    ``shadowing_db`` ``[K, N]`` dB (held for the block), ``shadowing_std_db`` ``[N]`` dB (the s_n it was
    drawn with), ``phi`` ``[N]`` (each link's physical deviation, Eqs. 11-12), ``block`` (its index).
    """

    shadowing_db: np.ndarray
    shadowing_std_db: np.ndarray
    phi: np.ndarray
    block: int


def block_index(episode: int, block_episodes: int) -> int:
    """The block (0-based) of episode ``episode`` (1-based, Alg. 2 line 6) with blocks of ``block_episodes``
    episodes: episodes 1..Z_m are block 0. Episode 0 (before training, the first evaluation) is block 0.
    ``ValueError`` naming the argument for a negative episode or a block length < 1."""
    episode = integer(episode, "episode", lo=0)
    block_episodes = integer(block_episodes, "block_episodes", lo=1)
    return max(episode - 1, 0) // block_episodes


def block_start(episode: int, block_episodes: int) -> bool:
    """Does episode ``episode`` (1-based) open a new block after the first (2 Z_m + 1, ...; never episode 1)?"""
    episode = integer(episode, "episode", lo=1)
    block_episodes = integer(block_episodes, "block_episodes", lo=1)
    return episode > 1 and (episode - 1) % block_episodes == 0


def block_regime(config, run_seed: int, block: int) -> LinkRegime:
    """The per-link regime of block ``block`` of run seed ``run_seed`` (see the module docstring).

    ``config``: a :class:`multirat.config.NetworkConfig` (K, N, ``block_shadowing_std_db``, ``block_phi``).
    Draw order from ``np.random.default_rng(SeedSequence(run_seed, spawn_key=(BLOCK_STREAM, block)))``: s_n
    ``[N]``, phi_n ``[N]`` (both uniform choices), then the standard normals ``[K, N]`` scaled by s_n.
    ``ValueError`` naming the argument for a negative seed or block.
    """
    run_seed = integer(run_seed, "run_seed", lo=0)
    block = integer(block, "block", lo=0)
    rng = np.random.default_rng(np.random.SeedSequence(run_seed, spawn_key=(BLOCK_STREAM, block)))
    n, k = config.n_devices, config.n_aps
    std = rng.choice(np.asarray(config.block_shadowing_std_db, float), size=n)
    phi = rng.choice(np.asarray(config.block_phi, float), size=n)
    shadowing = rng.standard_normal((k, n)) * std[None, :]
    return LinkRegime(shadowing_db=shadowing, shadowing_std_db=std, phi=phi, block=block)
