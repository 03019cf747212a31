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
* ``policy`` -- the ``Policy`` protocol and ``Decision`` every scheme (benchmark or agent) speaks
* ``cqi`` -- the 3GPP CQI table, SINR -> CQI -> MCS (MaxP-3GPP-MCS, ref. [51])
* ``coupling`` -- ACI and HWI of one TS as linear operators of the powers (Eqs. 10, 14)
* ``baselines`` -- RA, MaxP-3GPP-MCS, exhaustive search (ESA) and the ESA-FP adapter (Sec. VI-A)
* ``fractional`` -- ESA-FP: continuous power by Shen & Yu's fractional programming
* ``evaluation`` -- any policy on held-out drops: mean sum throughput and 95 % t-intervals (Sec. VI)
* ``hardness`` -- Sec. VI-G search-space counts and the NP-hardness reduction (Lemma 1, chapter 6)
* ``overhead`` -- signaling overhead of training (Eq. 38) and execution (Alg. 3)
* ``results`` -- the result store: cached experiment tables with provenance (``data/results/``)
* ``experiments`` -- one module per figure or table, cached through ``results``
* ``reference`` -- independent oracles that validate the models (never imported by them)
* ``claims`` -- the paper's reported numbers; ``book``, ``report``, ``plotting``, ``paths``, ``bench`` -- tooling
"""

import os

#: How PyTorch computes on the CPU for this package: its AVX2 kernels (``ATEN_CPU_CAPABILITY``, also on CPUs
#: with AVX-512) and Intel MKL's AVX2 branch of conditional numerical reproducibility (``MKL_CBWR``), so that a
#: run's float32 arithmetic is the same on every x86-64 CPU with AVX2 (about every x86 server and desktop made
#: since 2015), whatever wider SIMD units it has. Reinforcement learning amplifies the last bits: one Fig. 5 run
#: reached 84.3 kbit/frame after 50 episodes with the portable kernels and 58.2 with this machine's AVX-512
#: ones (chapter 8). The fully portable choice (``default`` / ``COMPATIBLE``) trains about 1.6x slower
#: (``python -m multirat.bench --only dqn``). Both must be set before torch is first imported; a value already
#: in the environment wins, and :class:`multirat.training.Trainer` warns (``KernelWarning``) when other kernels
#: are in use (also on a CPU without AVX2, where torch falls back to its portable kernels).
TORCH_CPU_CAPABILITY = "avx2"
MKL_CBWR = "AVX2"
os.environ.setdefault("ATEN_CPU_CAPABILITY", TORCH_CPU_CAPABILITY)
os.environ.setdefault("MKL_CBWR", MKL_CBWR)

__version__ = "0.1.0"
