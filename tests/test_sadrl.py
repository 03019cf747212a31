"""agents/sadrl.py: the centralized agent's joint action and state (Sec. VI-E)."""

import itertools

import numpy as np
import pytest

from multirat.actions import decode_actions
from multirat.agents.dqn import StackedQNetwork
from multirat.agents.sadrl import (MAX_JOINT_ACTIONS, centralized_states, decode_joint_actions,
                                   encode_joint_actions, joint_action_count, sadrl_cost, sadrl_layer_sizes)
from multirat.config import DQNConfig, NetworkConfig

HALF_RATE = NetworkConfig(code_rates=(0.5,), d_free=(10,))        # Sec. VI-E: the code rate fixed at 1/2


def test_the_papers_joint_action_counts():
    assert HALF_RATE.n_actions == 16                                 # |M| x |P| = 4 x 4
    assert joint_action_count(3, HALF_RATE.n_actions) == 4096        # Sec. VI-E-1
    assert joint_action_count(5, HALF_RATE.n_actions) == 1_048_576   # Sec. VI-E-2
    assert joint_action_count(1, 16) == 16


@pytest.mark.parametrize("n_links", [1, 2, 3, 4, 5])
def test_joint_actions_round_trip_against_numpy_ravel(n_links):
    base = 16
    rng = np.random.default_rng(n_links)
    if n_links <= 3:                                                 # every joint action
        actions = np.array(list(itertools.product(range(base), repeat=n_links)), dtype=np.int64)
    else:
        actions = rng.integers(0, base, (5000, n_links))
        actions[0], actions[1] = 0, base - 1                         # the two ends of the range
    joint = encode_joint_actions(actions, base)
    expected = np.ravel_multi_index(tuple(actions.T), (base,) * n_links)      # C order: link 0 most significant
    np.testing.assert_array_equal(joint, expected)
    np.testing.assert_array_equal(decode_joint_actions(joint, n_links, base), actions)
    np.testing.assert_array_equal(decode_joint_actions(expected, n_links, base),
                                  np.stack(np.unravel_index(expected, (base,) * n_links), axis=-1))
    if n_links <= 3:
        np.testing.assert_array_equal(np.sort(joint), np.arange(base**n_links))   # a bijection


def test_a_small_case_by_hand_and_the_links_settings():
    assert encode_joint_actions(np.array([1, 2]), 16) == 18                   # 1 x 16 + 2
    assert encode_joint_actions(np.array([[0, 0, 1], [15, 15, 15]]), 16).tolist() == [1, 4095]
    per_link = decode_joint_actions(np.array(18), 2, 16)
    assert per_link.tolist() == [1, 2]
    settings = decode_actions(per_link, HALF_RATE)                            # what each link plays
    assert np.all(settings["code_rate"] == 0.5)
    every = decode_actions(decode_joint_actions(np.arange(16**2), 2, 16), HALF_RATE)
    pairs = {(m, p) for m, p in zip(every["modulation_order"][:, 1], every["power_index"][:, 1])}
    assert len(pairs) == 16                                                   # link 1 sweeps every (m, p)


def test_bad_joint_actions_raise():
    with pytest.raises(ValueError, match=r"lie in \[0, 16\)"):
        encode_joint_actions(np.array([0, 16]), 16)
    with pytest.raises(ValueError, match="integer"):
        encode_joint_actions(np.array([0.0, 1.0]), 16)
    with pytest.raises(ValueError, match=r"\[0, 256\)"):
        decode_joint_actions(np.array([256]), 2, 16)
    with pytest.raises(ValueError, match=r"\[0, 256\)"):
        decode_joint_actions(np.array([-1]), 2, 16)
    with pytest.raises(ValueError, match="2\\^62"):
        joint_action_count(16, 16)                                            # 2^64
    assert joint_action_count(31, 4) == MAX_JOINT_ACTIONS                     # exactly the limit
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="positive integer"):
            joint_action_count(bad, 16)


def test_the_centralized_state_is_the_links_states_in_order():
    states = np.arange(2 * 3 * 6, dtype=np.float32).reshape(2, 3, 6)
    flat = centralized_states(states)
    assert flat.shape == (2, 1, 18)
    for r in range(2):
        for n in range(3):
            np.testing.assert_array_equal(flat[r, 0, 6 * n:6 * n + 6], states[r, n])
    with pytest.raises(ValueError, match=r"\[R, N, 6\]"):
        centralized_states(states[0])
    with pytest.raises(ValueError, match=r"\[R, N, 6\]"):
        centralized_states(np.zeros((2, 3, 5)))


def test_the_network_and_its_cost():
    dqn = DQNConfig()
    assert sadrl_layer_sizes(dqn, 3, 16) == (18, 64, 128, 4096)
    assert sadrl_layer_sizes(dqn, 1, 48) == (6, 64, 128, 48)                  # N = 1: the MADRL network
    madrl = sadrl_cost((6, 64, 128, 48), 64)
    assert madrl["parameters"] == 384 + 64 + 8192 + 128 + 6144 + 48          # 14 960
    sizes = sadrl_layer_sizes(dqn, 3, 16)
    cost = sadrl_cost(sizes, 64)
    assert cost["parameters"] == sum(p.numel() for p in StackedQNetwork([0], sizes).parameters()) == 537_920
    assert cost["weights_bytes"] == 4 * 537_920
    assert cost["training_bytes"] == 4 * (4 * 537_920 + 3 * 64 * (64 + 128 + 4096))
    with pytest.raises(ValueError, match="input and an output"):
        sadrl_cost((6,), 64)
    with pytest.raises(ValueError, match="batch_size"):
        sadrl_cost((6, 48), 0)


def test_the_benchmark_cases_decide_and_learn():
    from multirat import bench

    cases = bench.sadrl_cases(n_links=(1, 2))
    assert [c["sizes"] for c in cases.values()] == [(6, 64, 128, 16), (12, 64, 128, 256)]
    for n, case in cases.items():
        assert 0 <= case["decide"]() < 16**n
        w = case["step"].__defaults__[0].weights[-1].detach().clone()          # the online network
        case["step"]()
        assert not np.array_equal(w, case["step"].__defaults__[0].weights[-1].detach())
        assert case["cost"] == sadrl_cost(case["sizes"], DQNConfig().batch_size)
