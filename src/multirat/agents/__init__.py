"""The learned link adaptation: the shared DQN (:mod:`.dqn`), its replay memory (:mod:`.replay`), the
centralized agents it is compared with (:mod:`.sadrl`: SADRL and our factored agent) and the trained policy of Algorithm 3 (:mod:`.policy`).
Training (Algorithm 2) is :mod:`multirat.training`."""

from multirat.agents.policy import CentralizedPolicy, DQNPolicy, FactoredPolicy, load_policy, run_metadata, save_policy

__all__ = ["CentralizedPolicy", "DQNPolicy", "FactoredPolicy", "load_policy", "run_metadata", "save_policy"]
