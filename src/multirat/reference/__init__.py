"""Independent oracles used only to validate the models (not part of the paper's model).

Each module re-derives, by a different route, something a model module computes in closed form,
so that the book and the tests can check the model against it:

* :mod:`multirat.reference.constellation` -- the Gray-mapped constellations of scikit-commpy and a
  Monte Carlo of their symbol error rate over AWGN (checks :mod:`multirat.link`'s Eq. 17 and the
  exact SER, chapter 3 (b)).
* :mod:`multirat.reference.convolutional` -- the K = 7 (133, 171) convolutional code of IEEE 802.11a,
  its 802.11a/n puncturing, a batched Viterbi decoder, the distance spectrum and union bound computed
  from the trellis, a coded-BER Monte Carlo, and :func:`~multirat.reference.convolutional.snr_at_error_rate`
  (where a measured or bounded error-rate curve crosses a target). They check the coding-gain
  abstraction :math:`G = c\\,d_{free,H}` of Eq. (17) and the config's ``d_free`` (chapter 3 (c)).
* :mod:`multirat.reference.fading` -- Zheng & Xiao's sum-of-sinusoids Clarke/Jakes simulator (checks
  the Gauss-Markov fading of Eq. 3 in :mod:`multirat.channel`, chapter 2).
* :mod:`multirat.reference.signal` -- Eq. (13) drawn sample by sample and the SINR measured from the
  samples (checks Eq. 14 of :mod:`multirat.interference`, chapter 4).

Dependency rule: ``reference`` may import the model modules (``link``, ``channel``,
``interference``, ``units``); the model modules never import ``reference``, so the simulation
environment does not depend on the oracles that validate it. Import the submodules explicitly,
e.g. ``from multirat.reference import convolutional``.
"""
