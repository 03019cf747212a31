"""The shared deep Q-network of the paper (Sec. V-B, Eqs. 34-37, Sec. VI-B), for R runs at once.

One DQN is shared by every IoT link (CTDE): it maps a link's local state of Eq. (21) (6 numbers) to
one Q-value per action of Table 3 (48 = 4 powers x 4 modulations x 3 code rates). The paper's
network is 6 -> 64 -> 128 -> 48 with tanh hidden layers, trained with RMSprop on the TD loss of
Eq. (37) against a target network copied every T_step gradient steps.

To make independent runs (seeds, gamma, phi, ...) cheap, :class:`StackedQNetwork` holds R such
networks as stacked weights ``[R, in, out]`` and evaluates them with one batched matmul
(:func:`torch.baddbmm`). Nothing is shared between runs: run r's loss depends only on run r's
weights, the losses are summed, so run r's gradient is its own; :class:`StackedRMSprop` is
elementwise with a per-run learning rate and a per-run "active" mask. R stacked runs are therefore
R independent runs, up to floating-point rounding (tested against one run trained alone).

Where the paper is silent (``DQNConfig`` documents each choice, the Assumptions page lists them):

* initial weights: PyTorch's ``nn.Linear`` default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn from
  the run's own seed;
* RMSprop smoothing 0.99 and eps 1e-8 (PyTorch defaults), no momentum;
* TD loss 1/2 (y - q)^2 averaged over the mini-batch (Eq. 37); the reward is not rescaled;
* gradient steps begin once the replay memory holds one mini-batch (D_b experiences);
* the episode ends on a time limit, so the TD target always bootstraps from s' (never a terminal).
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
import torch

from multirat.config import STATE_DIM, DQNConfig

__all__ = [
    "StackedAdam",
    "StackedQNetwork",
    "StackedRMSprop",
    "epsilon_greedy",
    "epsilon_greedy_runs",
    "epsilon_schedule",
    "layer_sizes",
    "learning_rate_schedule",
    "single_thread",
    "double_td_targets",
    "td_loss",
    "td_targets",
]

_ACTIVATIONS = {"tanh": torch.tanh, "relu": torch.relu}


@contextlib.contextmanager
def single_thread():
    """Run torch on one thread inside the block (restored after).

    The paper's network is tiny (15 k weights, mini-batches of 64): thread start-up costs more than the
    arithmetic, and on a busy 2-core machine two threads made each matmul ~100x slower (measured with
    ``python -m multirat.bench``). One thread is also one summation order, so results repeat exactly.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def layer_sizes(dqn: DQNConfig, n_actions: int) -> tuple[int, ...]:
    """``(6, *hidden_sizes, n_actions)``: the paper's ``(6, 64, 128, 48)`` at the defaults."""
    return (STATE_DIM, *dqn.hidden_sizes, int(n_actions))


class StackedQNetwork(torch.nn.Module):
    """R independent MLPs with the same layer sizes, weights ``[R, in, out]``, biases ``[R, 1, out]``.

    Args:
        seeds: one integer seed per run ``[R]``; run r's initial weights come from ``torch.Generator``
            seeded with ``seeds[r]`` only, so a run starts the same alone or in any batch.
        sizes: layer widths, e.g. ``(6, 64, 128, 48)``.
        activation: ``"tanh"`` (the paper) or ``"relu"``, between hidden layers; the output is linear.

    Raises ``ValueError`` for an empty ``seeds``, fewer than two sizes or an unknown activation.
    """

    def __init__(self, seeds, sizes=(STATE_DIM, 64, 128, 48), activation: str = "tanh"):
        super().__init__()
        seeds = [int(s) for s in seeds]
        if not seeds:
            raise ValueError("seeds must hold one seed per run; got none")
        if len(sizes) < 2 or any(int(n) < 1 for n in sizes):
            raise ValueError(f"sizes must be >= 2 positive widths; got {sizes!r}")
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation={activation!r} is unknown: allowed {sorted(_ACTIVATIONS)}")
        self.sizes, self.activation = tuple(int(n) for n in sizes), activation
        weights, biases = [], []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            w = torch.empty(len(seeds), fan_in, fan_out)
            b = torch.empty(len(seeds), 1, fan_out)
            weights.append(torch.nn.Parameter(w))
            biases.append(torch.nn.Parameter(b))
        self.weights, self.biases = torch.nn.ParameterList(weights), torch.nn.ParameterList(biases)
        with torch.no_grad():
            for r, seed in enumerate(seeds):
                gen = torch.Generator().manual_seed(seed)
                for w, b in zip(self.weights, self.biases):
                    bound = 1.0 / math.sqrt(w.shape[1])      # nn.Linear's default initialisation
                    w[r].uniform_(-bound, bound, generator=gen)
                    b[r].uniform_(-bound, bound, generator=gen)

    @property
    def n_runs(self) -> int:
        return self.weights[0].shape[0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Q-values ``[R, B, n_actions]`` of states ``x`` ``[R, B, 6]`` (run r's states through run r's net)."""
        act = _ACTIVATIONS[self.activation]
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            x = torch.baddbmm(b, x, w)                       # [R, B, out] = b + x @ w, per run
            if i < last:
                x = act(x)
        return x

    def run_state(self, r: int) -> dict:
        """Run r's weights as a plain dict of tensors (what :func:`multirat.agents.save_policy` stores)."""
        return {"sizes": self.sizes, "activation": self.activation,
                "weights": [w[r].detach().clone() for w in self.weights],
                "biases": [b[r].detach().clone() for b in self.biases]}

    def load_run_state(self, r: int, state: dict) -> None:
        """Overwrite run r's weights with ``state`` from :meth:`run_state` (sizes must match)."""
        if tuple(state["sizes"]) != self.sizes or state["activation"] != self.activation:
            raise ValueError(f"state has sizes {tuple(state['sizes'])} / {state['activation']}; this network "
                             f"{self.sizes} / {self.activation}")
        with torch.no_grad():
            for w, b, ws, bs in zip(self.weights, self.biases, state["weights"], state["biases"]):
                w[r].copy_(ws)
                b[r].copy_(bs)


class StackedRMSprop:
    """RMSprop (no momentum, as PyTorch's) with one learning rate per run and a per-run active mask.

    For every parameter p and its gradient g: ``v <- a v + (1 - a) g^2``, ``p <- p - lr_r g / (sqrt(v) + eps)``,
    only for the runs with ``active[r]``: an inactive run (e.g. its replay memory holds fewer than D_b
    experiences yet) keeps its weights *and* its running average, exactly as if it had not stepped.
    Equals ``torch.optim.RMSprop(alpha=a, eps=eps)`` for a single active run (tested).
    """

    def __init__(self, params, smoothing: float = 0.99, eps: float = 1e-8):
        self.params = list(params)
        self.smoothing, self.eps = float(smoothing), float(eps)
        self.square_avg = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self, lr: torch.Tensor, active: torch.Tensor) -> None:
        """One update with learning rates ``lr`` ``[R]`` for the runs where ``active`` ``[R]`` (bool) is True."""
        a = self.smoothing
        every = bool(active.all())        # the usual case: no masking, the same formula in place
        for p, v in zip(self.params, self.square_avg):
            if p.grad is None:
                continue
            shape = (-1,) + (1,) * (p.ndim - 1)
            m, lr_r = active.view(shape), lr.view(shape).to(p.dtype)
            g = p.grad
            # the same operations with and without a mask, so an active run's numbers never depend on the others
            v_new = (v.mul_(a) if every else v.mul(a)).addcmul_(g, g, value=1 - a)      # a v + (1 - a) g^2
            if not every:
                v.copy_(torch.where(m, v_new, v))
            update = torch.mul(lr_r, g).div_(v.sqrt().add_(self.eps))                   # lr g / (sqrt(v) + eps)
            p.sub_(update if every else torch.where(m, update, torch.zeros_like(p)))

    @torch.no_grad()
    def reset_run(self, r: int) -> None:
        """Run r's optimizer state as before its first step (its running averages zero); the others untouched."""
        for v in self.square_avg:
            v[r].zero_()

    def state_dict(self) -> dict:
        return {"square_avg": [v.clone() for v in self.square_avg], "smoothing": self.smoothing, "eps": self.eps}

    def load_state_dict(self, state: dict) -> None:
        for v, s in zip(self.square_avg, state["square_avg"]):
            v.copy_(s)


class StackedAdam:
    """Adam (as ``torch.optim.Adam``, no weight decay, no AMSGrad) with one learning rate per run and a
    per-run active mask: an alternative to the paper's RMSprop (``DQNConfig(optimizer="adam")``).

    For every parameter p, gradient g and run r that is active: ``k_r <- k_r + 1``,
    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g^2``,
    ``p <- p - lr_r / (1 - b1^k_r) * m / (sqrt(v) / sqrt(1 - b2^k_r) + eps)`` (PyTorch's formula). An
    inactive run keeps its weights, moments and step count ``k_r``. Equals ``torch.optim.Adam(betas=(b1, b2),
    eps=eps)`` for a single active run (tested). Source: Kingma and Ba, ICLR 2015, Algorithm 1.
    """

    def __init__(self, params, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        self.params = list(params)
        self.betas, self.eps = (float(betas[0]), float(betas[1])), float(eps)
        self.exp_avg = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]
        self.steps = torch.zeros(self.params[0].shape[0], dtype=torch.float64) if self.params else torch.zeros(0)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self, lr: torch.Tensor, active: torch.Tensor) -> None:
        """One update with learning rates ``lr`` ``[R]`` for the runs where ``active`` ``[R]`` (bool) is True."""
        b1, b2 = self.betas
        self.steps += active.to(self.steps.dtype)
        k = torch.clamp(self.steps, min=1.0)
        correction1, correction2 = 1.0 - b1 ** k, 1.0 - b2 ** k                        # [R], float64
        every = bool(active.all())        # the usual case: no masking, the same formula in place
        for p, m, v in zip(self.params, self.exp_avg, self.exp_avg_sq):
            if p.grad is None:
                continue
            shape = (-1,) + (1,) * (p.ndim - 1)
            mask = active.view(shape)
            g = p.grad
            # the same operations with and without a mask, so an active run's numbers never depend on the others
            m_new = (m.mul_(b1) if every else m.mul(b1)).add_(g, alpha=1 - b1)           # b1 m + (1 - b1) g
            v_new = (v.mul_(b2) if every else v.mul(b2)).addcmul_(g, g, value=1 - b2)    # b2 v + (1 - b2) g^2
            if not every:
                m.copy_(torch.where(mask, m_new, m))
                v.copy_(torch.where(mask, v_new, v))
            step_size = (lr.to(torch.float64) / correction1).to(p.dtype).view(shape)
            denom = v.sqrt().div_(correction2.sqrt().to(p.dtype).view(shape)).add_(self.eps)
            update = torch.mul(step_size, m).div_(denom)
            p.sub_(update if every else torch.where(mask, update, torch.zeros_like(p)))

    @torch.no_grad()
    def reset_run(self, r: int) -> None:
        """Run r's optimizer state as before its first step (moments and step count zero); the others untouched."""
        for m, v in zip(self.exp_avg, self.exp_avg_sq):
            m[r].zero_()
            v[r].zero_()
        self.steps[r] = 0.0

    def state_dict(self) -> dict:
        return {"exp_avg": [m.clone() for m in self.exp_avg], "exp_avg_sq": [v.clone() for v in self.exp_avg_sq],
                "steps": self.steps.clone(), "betas": self.betas, "eps": self.eps}

    def load_state_dict(self, state: dict) -> None:
        for m, s in zip(self.exp_avg, state["exp_avg"]):
            m.copy_(s)
        for v, s in zip(self.exp_avg_sq, state["exp_avg_sq"]):
            v.copy_(s)
        self.steps.copy_(state["steps"])


def td_targets(reward: torch.Tensor, next_q_target: torch.Tensor, discount: torch.Tensor) -> torch.Tensor:
    """TD target of Eq. (37): ``y = r + gamma max_a' q(s', a'; theta')``.

    Args:
        reward: ``[R, B]`` common reward r_{t+1} (kbit/frame).
        next_q_target: ``[R, B, |A|]`` target-network Q-values of s'.
        discount: ``[R]`` gamma of each run.

    The episodes end on a time limit (truncation, not termination), so every target bootstraps.
    """
    return reward + discount[:, None] * next_q_target.max(dim=-1).values


def double_td_targets(reward: torch.Tensor, next_q_online: torch.Tensor, next_q_target: torch.Tensor,
                      discount: torch.Tensor) -> torch.Tensor:
    """Double-DQN TD target (van Hasselt, Guez and Silver, AAAI 2016; beyond the paper, chapter 14):
    ``y = r + gamma q(s', argmax_a' q(s', a'; theta); theta')``.

    Args:
        reward: ``[R, B]`` common reward (kbit/frame, times ``reward_scale``).
        next_q_online: ``[R, B, |A|]`` online-network Q-values of s' (they pick a'; ties: the first action).
        next_q_target: ``[R, B, |A|]`` target-network Q-values of s' (they value a').
        discount: ``[R]`` gamma of each run.
    """
    best = next_q_online.argmax(dim=-1, keepdim=True)
    return reward + discount[:, None] * next_q_target.gather(-1, best).squeeze(-1)


def td_loss(q_taken: torch.Tensor, target: torch.Tensor, kind: str = "mse") -> torch.Tensor:
    """Per-run TD loss ``[R]`` over the mini-batch (Eq. 37): mean of 1/2 (y - q)^2, or Huber ('huber')."""
    err = target - q_taken
    if kind == "mse":
        return 0.5 * (err * err).mean(dim=-1)
    if kind == "huber":
        return torch.nn.functional.huber_loss(q_taken, target, reduction="none").mean(dim=-1)
    raise ValueError(f"kind={kind!r} is unknown: allowed 'mse', 'huber'")


def epsilon_schedule(t, dqn: DQNConfig) -> np.ndarray:
    """epsilon(t) = max(eps_min, eps(0) (1 - lambda_eps)^t) (Sec. VI-B), t in decay steps (``decay_unit``)."""
    t = np.asarray(t, dtype=float)
    return np.maximum(dqn.epsilon_min, dqn.epsilon_start * (1.0 - dqn.epsilon_decay) ** t)


def learning_rate_schedule(t, dqn: DQNConfig) -> np.ndarray:
    """alpha(t) = (1 - lambda) alpha(t - 1) = alpha(0) (1 - lambda)^t (Sec. VI-B), t in decay steps."""
    t = np.asarray(t, dtype=float)
    return dqn.learning_rate * (1.0 - dqn.lr_decay) ** t


def epsilon_greedy_runs(q_values: np.ndarray, epsilon: np.ndarray, rngs) -> np.ndarray:
    """:func:`epsilon_greedy` for R runs at once: ``q_values`` ``[R, N, |A|]``, ``epsilon`` ``[R]``, one generator
    per run; returns ``[R, N]`` int64, row r equal to ``epsilon_greedy(q_values[r], epsilon[r], rngs[r])`` (the
    same draws from run r's generator; only the argmax is taken for all runs at once)."""
    r, n, n_actions = q_values.shape
    greedy = np.argmax(q_values, axis=-1)
    out = np.empty((r, n), dtype=np.int64)
    for i, rng in enumerate(rngs):
        eta = rng.random(n)
        random_actions = rng.integers(0, n_actions, n)
        out[i] = np.where(eta > epsilon[i], greedy[i], random_actions)
    return out


def epsilon_greedy(q_values: np.ndarray, epsilon: float, rng: np.random.Generator) -> np.ndarray:
    """Alg. 2, lines 12-17 for one run: per link, the greedy action with probability 1 - epsilon, else uniform.

    Args:
        q_values: ``[N, |A|]`` Q-values of the links' states.
        epsilon: exploration probability in [0, 1].
        rng: the run's generator (two draws per link: eta ~ U[0, 1) and a random action).

    Returns ``[N]`` int64 actions. Ties in the argmax go to the lowest index (``np.argmax``).
    """
    n, n_actions = q_values.shape
    eta = rng.random(n)
    random_actions = rng.integers(0, n_actions, n)
    return np.where(eta > epsilon, np.argmax(q_values, axis=-1), random_actions).astype(np.int64)
