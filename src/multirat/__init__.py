"""multirat: a tested library behind the reproduction book of Belhadj Mohamed, Kaddoum & Hassan,
"Digital Twin-Driven Continual Deep Reinforcement Learning for Coexistence of Multiple Radio Access
Technology IoT Links With Nonlinear Receivers", IEEE TMLCN vol. 4, 2026.

Modules, one topic each (see the book's chapters):

* ``config`` -- Tables 1-2 and every assumption, validated; run profiles
* ``units`` -- dB/dBm/W conversions, the Q-function
* ``channel`` -- TR 38.901 UMi path loss, shadowing, Jakes/Gauss-Markov fading (Eqs. 1-9, 3)
* ``link`` -- SER, PER, throughput and the MCS set (Eqs. 15-17, Table 3)
* ``interference`` -- ACI, HWI distortion, SINR and the physical deviation phi (Eqs. 10-14)
* ``topology`` -- AP grid, device drop, nearest-AP clustering (Sec. III-A)
* ``scheduling`` -- proportional-fair RRB scheduling (Eqs. 18-19, Alg. 1)
* ``env`` -- the network as a Markov game, vectorized over links and networks (Secs. IV, V-A)
* ``marl`` -- PettingZoo ``ParallelEnv`` wrapper of one network (agents = links)
* ``rollout`` -- drive the environment with a fixed policy and record what happened
* ``baselines`` -- RA, MaxP-3GPP-MCS, exhaustive search (ESA) and policy evaluation (Sec. VI-A)
* ``fractional`` -- ESA-FP: continuous power by Shen & Yu's fractional programming
* ``overhead`` -- signaling overhead of training (Eq. 38) and execution (Alg. 3)
* ``claims`` -- the paper's reported numbers; ``book``, ``report``, ``plotting``, ``paths``, ``bench`` -- tooling
"""

__version__ = "0.1.0"
