"""The learned link adaptation: the shared DQN (:mod:`.dqn`), its replay memory (:mod:`.replay`), the
centralized agent it is compared with (:mod:`.sadrl`) and the trained policy of Algorithm 3 (:mod:`.policy`).
Training (Algorithm 2) is :mod:`multirat.training`."""

from multirat.agents.policy import CentralizedPolicy, DQNPolicy, load_policy, run_metadata, save_policy

__all__ = ["CentralizedPolicy", "DQNPolicy", "load_policy", "run_metadata", "save_policy"]
