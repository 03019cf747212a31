"""Run profiles (``smoke``, ``quick``, ``paper``): the compute budget of an experiment, never a model
parameter (re-exported by :mod:`multirat.config`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

# NetworkConfig and TrainingConfig (multirat.config, which imports this module) appear in annotations only,
# which are never evaluated (``from __future__ import annotations``): no import, no cycle

__all__ = ["PROFILES", "SEEDS_ENV", "Profile", "get_profile", "seeds_override"]


@dataclass(frozen=True)
class Profile:
    """Compute budget of an experiment run; the model parameters stay those of the configs.

    ``episodes`` overrides :attr:`TrainingConfig.episodes` (``None`` keeps Table 2's value);
    ``slots_per_episode`` likewise overrides :attr:`NetworkConfig.slots_per_episode`. A budget
    shorter than the training config's ``z_k`` (e.g. ``smoke``'s 4 episodes against Z_k = 100)
    also shortens ``z_k`` to ``episodes``, so that a 'proposed' run still meets the physical
    network once, in its last episode (``TrainingConfig`` requires Z_k <= Z).
    """

    name: str
    description: str
    n_seeds: int
    eval_drops: int
    episodes: int | None = None
    slots_per_episode: int | None = None
    mc_samples: int = 1_000_000

    def apply(self, network: NetworkConfig, training: TrainingConfig) -> tuple[NetworkConfig, TrainingConfig]:
        """Return copies of the configs with this profile's budget."""
        if self.slots_per_episode is not None:
            network = dataclasses.replace(network, slots_per_episode=self.slots_per_episode)
        budget = {} if self.episodes is None else {"episodes": self.episodes, "z_k": min(training.z_k, self.episodes)}
        training = dataclasses.replace(training, eval_drops=self.eval_drops, **budget)
        return network, training


PROFILES: dict[str, Profile] = {
    "smoke": Profile("smoke", "seconds: every code path once, tiny budgets (CI)", n_seeds=1, eval_drops=2,
                     episodes=4, slots_per_episode=5, mc_samples=20_000),
    "quick": Profile("quick", "minutes: reduced budgets, for development", n_seeds=2, eval_drops=10,
                     episodes=200, mc_samples=200_000),
    "paper": Profile("paper", "the paper's budgets (Table 2) with 5 seeds", n_seeds=5, eval_drops=50,
                     episodes=None, mc_samples=1_000_000),
}


#: Environment variable that overrides every profile's seed count (``python -m multirat run --seeds N``): seeds
#: 0..N-1. It is an environment variable so that the processes an experiment starts (its workers, a notebook's
#: kernel) see the same count.
SEEDS_ENV = "MULTIRAT_N_SEEDS"


def seeds_override() -> int | None:
    """The seed count of ``$MULTIRAT_N_SEEDS`` (``None`` when unset or empty); ``ValueError`` naming the variable
    for anything but an integer >= 1."""
    import os

    value = os.environ.get(SEEDS_ENV, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{SEEDS_ENV}={value!r} must be an integer >= 1 (the number of seeds)")
    return int(value)


def get_profile(name: str) -> Profile:
    """The :class:`Profile` called ``name``, with ``n_seeds`` from ``$MULTIRAT_N_SEEDS`` when it is set
    (:func:`seeds_override`); ``ValueError`` listing the known profiles otherwise."""
    try:
        profile = PROFILES[name]
    except (KeyError, TypeError):
        raise ValueError(f"profile={name!r} is unknown: allowed one of {', '.join(map(repr, PROFILES))}") from None
    seeds = seeds_override()
    return profile if seeds is None else dataclasses.replace(profile, n_seeds=seeds)
