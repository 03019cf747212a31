"""Chapter 9's training curves of the Fig. 6a-b runs (``fig6ab_curves``): a registry entry for the table that
:func:`multirat.experiments.fig6ab.run` stores beside ``fig6ab`` (block means of the training reward, loss,
epsilon, ... per run; the reward in the twin is the paper's Fig. 6a).

Computing it trains every Fig. 6a-b run, which stores both tables; ``STORED_BY`` names that experiment.
"""

from __future__ import annotations

from multirat.experiments import fig6ab

__all__ = ["NAME", "STORED_BY", "experiment_config", "run"]

NAME = fig6ab.CURVES
#: The experiment whose computation stores this table.
STORED_BY = fig6ab.NAME


def experiment_config(profile: str = "paper") -> dict:
    """The configuration of ``fig6ab`` with ``experiment`` set to ``"fig6ab_curves"`` (as
    :func:`fig6ab.curves` stores it); ``ValueError`` for an unknown profile."""
    return dict(fig6ab.experiment_config(profile), experiment=NAME)


def run(profile: str = "paper", mode: str | None = None, resume: bool | None = None, **kwargs):
    """:func:`multirat.experiments.fig6ab.curves` with ``profile``, ``mode``, ``resume`` and ``kwargs``."""
    return fig6ab.curves(profile, mode=mode, resume=resume, **kwargs)
