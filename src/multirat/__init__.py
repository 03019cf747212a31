"""multirat: a tested library behind the reproduction book of Belhadj Mohamed, Kaddoum & Hassan,
"Digital Twin-Driven Continual Deep Reinforcement Learning for Coexistence of Multiple Radio Access
Technology IoT Links With Nonlinear Receivers", IEEE TMLCN vol. 4, 2026.

Modules, one topic each (see the book's chapters): ``config`` (Tables 1-2 and every assumption),
``units`` (dB conversions, Q-function), ``book`` (papermill execution of the chapters).
"""

__version__ = "0.1.0"
