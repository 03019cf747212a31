"""Single-agent DRL (SADRL, Sec. VI-E): one centralized agent that sees every link's local state and picks
the joint action of all N links.

The paper compares its shared multi-agent DQN (MADRL, :mod:`multirat.agents.dqn`) with "a centralized
agent [that] observes the global state of the environment and performs joint action selection for all
devices", with the code rate fixed at 1/2 so that a link's action is a (modulation, power) pair:
``(|M| x |P|)^N`` joint actions, 4096 for N = 3 and 1,048,576 for N = 5 (Sec. VI-E-1, -2). This module
holds what the centralized agent adds to the shared DQN's machinery:

* :func:`encode_joint_actions` / :func:`decode_joint_actions` -- the joint action index and the per-link
  action indices (the environment's, :mod:`multirat.actions`) it stands for, link 0 most significant;
* :func:`centralized_states` -- the N local states of Eq. (21) concatenated in link order, the input of
  the centralized Q-network;
* :func:`sadrl_layer_sizes` and :func:`sadrl_cost` -- its network (the paper gives no architecture for it:
  we assume the MADRL hidden layers) and what one gradient step of it holds in memory;
* :func:`centralized_execution_exchanges_per_slot` -- the signaling it needs at execution, in the exchanges
  of chapter 7 (:mod:`multirat.overhead`; the paper gives no count for SADRL: ours).

Everything else (Q-network, TD target, RMSprop, replay memory) is the MADRL code, unchanged.

Beyond the paper (ours, chapter 9): a **factored** centralized agent, the action-branching idea of
Tavakoli, Pardo and Kormushev, "Action Branching Architectures for Deep Reinforcement Learning", AAAI 2018.
It sees the same concatenated state as SADRL but has one head of ``|A_n|`` Q-values per link instead of one
output per joint action (``N |A_n|`` outputs: 48 rather than 4096 for N = 3), so it separates what a link
sees (everything, as SADRL) from the size of the action space (per link, as MADRL):

* :func:`factored_layer_sizes` -- ``(6N, *hidden_sizes, N |A_n|)``, head n being outputs
  ``[n |A_n|, (n + 1) |A_n|)``; :func:`branch_q_values` splits them ``[..., N, |A_n|]``;
* :func:`branch_td_targets` -- each head's own TD target ``y_n = r + gamma max_a' Q_n(s', a'; theta')``
  (the "independent" targets of Tavakoli et al., Sec. 3.1; their default averages the heads' maxima), so
  that head n learns exactly what MADRL's shared network learns for link n, but from the global state;
  the loss is Eq. (37) averaged over the mini-batch and the heads; epsilon-greedy acts per link.
"""

from __future__ import annotations

import numpy as np

from multirat.config import STATE_DIM, DQNConfig

__all__ = ["MAX_JOINT_ACTIONS", "branch_q_values", "branch_td_targets", "centralized_execution_exchanges_per_slot",
           "centralized_states", "decode_joint_actions", "encode_joint_actions", "factored_layer_sizes",
           "joint_action_count", "sadrl_cost", "sadrl_layer_sizes", "step_flops", "ASSUMED_GPU_FLOPS"]

#: Largest joint action space this module indexes (int64 indices): 2^62.
MAX_JOINT_ACTIONS = 2**62


def joint_action_count(n_links: int, per_link_actions: int) -> int:
    """``per_link_actions ** n_links``: the centralized agent's action space (Sec. VI-E; 4096 for N = 3 and
    16 actions per link). ``ValueError`` for counts below 1 or a space larger than :data:`MAX_JOINT_ACTIONS`."""
    n, a = _positive(n_links, "n_links"), _positive(per_link_actions, "per_link_actions")
    count = a**n
    if count > MAX_JOINT_ACTIONS:
        raise ValueError(f"per_link_actions ** n_links = {a}^{n} exceeds {MAX_JOINT_ACTIONS} (2^62), the largest "
                         "joint action space indexed with int64")
    return count


def encode_joint_actions(actions, per_link_actions: int) -> np.ndarray:
    """Joint action index of per-link actions.

    Args:
        actions: ``[..., N]`` integer per-link action indices in ``[0, per_link_actions)`` (the environment's
            action index of each link, :func:`multirat.actions.decode_actions`).
        per_link_actions: actions per link, ``|M| x |P|`` with the code rate fixed (16 in Sec. VI-E).

    Returns ``[...]`` int64 ``sum_n a_n A^(N-1-n)`` (link 0 most significant; ``numpy.ravel_multi_index``'s
    C order). ``ValueError`` for a non-integer or out-of-range action, or too many links.
    """
    a = np.asarray(actions)
    if a.ndim < 1 or not np.issubdtype(a.dtype, np.integer):
        raise ValueError(f"actions must be an integer array [..., N]; got dtype {a.dtype}, shape {a.shape}")
    base = _positive(per_link_actions, "per_link_actions")
    joint_action_count(a.shape[-1], base)
    if a.size and (a.min() < 0 or a.max() >= base):
        raise ValueError(f"actions must lie in [0, {base}); got values in [{a.min()}, {a.max()}]")
    out = np.zeros(a.shape[:-1], dtype=np.int64)
    for n in range(a.shape[-1]):
        out = out * base + a[..., n].astype(np.int64)
    return out


def decode_joint_actions(joint, n_links: int, per_link_actions: int) -> np.ndarray:
    """Per-link actions ``[..., N]`` int64 of joint action indices ``joint`` ``[...]`` (the inverse of
    :func:`encode_joint_actions`). ``ValueError`` for a non-integer index or one outside
    ``[0, per_link_actions ** n_links)``."""
    j = np.asarray(joint)
    if not np.issubdtype(j.dtype, np.integer):
        raise ValueError(f"joint must be integer indices; got dtype {j.dtype}")
    count = joint_action_count(n_links, per_link_actions)
    if j.size and (j.min() < 0 or j.max() >= count):
        raise ValueError(f"joint must lie in [0, {count}) = [0, {per_link_actions}^{n_links}); "
                         f"got values in [{j.min()}, {j.max()}]")
    rest = j.astype(np.int64)
    out = np.empty(j.shape + (int(n_links),), dtype=np.int64)
    for n in range(int(n_links) - 1, -1, -1):
        rest, out[..., n] = np.divmod(rest, per_link_actions)
    return out


def centralized_states(states) -> np.ndarray:
    """The centralized agent's observation: ``states`` ``[R, N, 6]`` (each link's local state, Eq. 21) as
    ``[R, 1, 6N]``, link 0's six features first (one agent per network, so the Q-network's batch axis
    holds one row). ``ValueError`` unless ``states`` is 3-D with the state width of Eq. (21)."""
    s = np.asarray(states)
    if s.ndim != 3 or s.shape[-1] != STATE_DIM:
        raise ValueError(f"states must have shape [R, N, {STATE_DIM}]; got {s.shape}")
    return np.ascontiguousarray(s.reshape(s.shape[0], 1, s.shape[1] * s.shape[2]))


def sadrl_layer_sizes(dqn: DQNConfig, n_links: int, per_link_actions: int) -> tuple[int, ...]:
    """``(6N, *hidden_sizes, A^N)``: the centralized Q-network. The paper gives no architecture for SADRL;
    we assume the MADRL network's hidden layers (Sec. VI-B), so that the two differ only in what they see
    and choose. ``ValueError`` as :func:`joint_action_count`."""
    count = joint_action_count(n_links, per_link_actions)
    return (STATE_DIM * int(n_links), *dqn.hidden_sizes, count)


def factored_layer_sizes(dqn: DQNConfig, n_links: int, per_link_actions: int) -> tuple[int, ...]:
    """``(6N, *hidden_sizes, N |A_n|)``: the factored centralized Q-network (ours; the MADRL hidden layers, as
    :func:`sadrl_layer_sizes`), one head of ``per_link_actions`` outputs per link, link 0's first.
    ``ValueError`` for counts below 1."""
    n, a = _positive(n_links, "n_links"), _positive(per_link_actions, "per_link_actions")
    return (STATE_DIM * n, *dqn.hidden_sizes, n * a)


def branch_q_values(q, n_links: int):
    """The factored network's outputs ``q`` ``[..., N |A_n|]`` as per-link heads ``[..., N, |A_n|]`` (head n:
    outputs ``n |A_n|`` to ``(n + 1) |A_n| - 1``); a view for torch tensors, numpy arrays alike.
    ``ValueError`` when the last axis is not a multiple of ``n_links``."""
    n = _positive(n_links, "n_links")
    width = q.shape[-1]
    if width % n:
        raise ValueError(f"q's last axis ({width}) must hold n_links = {n} heads of equal width")
    return q.reshape(*q.shape[:-1], n, width // n)


def branch_td_targets(reward, next_q_target, discount):
    """Each head's TD target (Eq. 37 per link head, the independent targets of action branching):
    ``y[r, b, n] = reward[r, b] + discount[r] max_a' next_q_target[r, b, n, a']``.

    Args:
        reward: ``[R, B]`` common reward (kbit/frame), torch tensor.
        next_q_target: ``[R, B, N, |A_n|]`` target-network head Q-values of s'.
        discount: ``[R]`` gamma of each run.

    Returns ``[R, B, N]``. Every target bootstraps (episodes end on a time limit), as
    :func:`multirat.agents.dqn.td_targets`, which this equals for N = 1.
    """
    return reward[..., None] + discount[:, None, None] * next_q_target.max(dim=-1).values


def sadrl_cost(sizes, batch_size: int) -> dict:
    """What training the Q-network ``sizes`` (``(in, hidden..., out)``) holds, in float32.

    Returns ``{"parameters", "weights_bytes", "training_bytes"}``: the parameter count; the bytes of one
    network's weights (what a saved model takes); and the bytes a gradient step keeps alive: online and
    target weights, the gradient and RMSprop's running average (4 copies of the weights) plus the
    activations of online and target forward passes on a mini-batch of ``batch_size`` (backward reuses
    their size once more). ``ValueError`` for fewer than two layer sizes or a non-positive size.
    """
    sizes = tuple(_positive(s, "sizes") for s in sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must hold at least an input and an output width; got {sizes}")
    batch = _positive(batch_size, "batch_size")
    params = sum(i * o + o for i, o in zip(sizes[:-1], sizes[1:]))
    activations = 3 * batch * sum(sizes[1:])
    return {"parameters": params, "weights_bytes": 4 * params, "training_bytes": 4 * (4 * params + activations)}


#: Sustained float32 FLOP/s assumed for a GPU in chapter 9's estimate of SADRL's cost there (an assumption, not a
#: measurement: below the float32 peak of current data-centre GPUs).
ASSUMED_GPU_FLOPS = 10e12


def step_flops(sizes, batch_size: int) -> int:
    """Floating-point operations of one gradient step of the Q-network ``sizes`` on a mini-batch of
    ``batch_size``, counting only the matrix products (2 per multiply-add): the online network's forward pass,
    the target network's (the TD target) and the backward pass, which costs two forward passes (the
    gradients of the activations and of the weights), so 4 forward passes of ``2 B sum(in * out)``. Activations,
    the loss and RMSprop are linear in the parameters and left out. What a step must compute on any hardware:
    divided by a device's sustained FLOP/s it bounds the step time from below. ``ValueError`` as
    :func:`sadrl_cost`."""
    sizes = tuple(_positive(s, "sizes") for s in sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must hold at least an input and an output width; got {sizes}")
    batch = _positive(batch_size, "batch_size")
    return 4 * 2 * batch * sum(i * o for i, o in zip(sizes[:-1], sizes[1:]))


def centralized_execution_exchanges_per_slot(n_devices):
    r"""Exchanges per TS a centralized agent (SADRL, or the factored agent) needs to act: :math:`4N` (int64).

    The paper counts MADRL's execution (Sec. V-D-3, :func:`multirat.overhead.execution_feedback_per_slot`):
    :math:`N` CSI reports to the central PF scheduler and :math:`N` local CSI and SINR reports, one per link,
    that each link's own decision needs, :math:`2N`. It gives no count for SADRL; our reading: the same
    :math:`2N`, plus every link's state of Eq. (21) forwarded from its AP to the central agent (:math:`N`,
    one item each, as Eq. 38 counts a state) and every link's decision sent back to its AP (:math:`N`).
    Broadcasts over arrays; errors as :func:`multirat.overhead.execution_feedback_per_slot`.
    """
    from multirat.overhead import execution_feedback_per_slot

    local = execution_feedback_per_slot(n_devices)
    return local + local                      # 2N local + N states to the centre + N decisions back


def _positive(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)
