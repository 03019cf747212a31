"""Algorithm 2 (multirat.training): scenarios, batched == independent runs, truncation, resume, test drops."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch

from multirat import training
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig
from multirat.env import NetworkEnv
from multirat.training import RunSpec, Trainer, episode_seed, is_physical_episode

NET = NetworkConfig(slots_per_episode=5)
TRAIN = TrainingConfig(episodes=6, z_k=2, eval_drops=2)
DQN = DQNConfig(target_update_steps=3)


def _run(seed, **changes):
    net = dataclasses.replace(NET, **{k: v for k, v in changes.items() if k in ("phi", "sigma_rt")})
    tr = dataclasses.replace(TRAIN, **{k: v for k, v in changes.items() if k in ("scenario", "z_k")})
    dqn = dataclasses.replace(DQN, **{k: v for k, v in changes.items() if k in ("discount", "learning_rate")})
    return RunSpec(seed=seed, network=net, training=tr, dqn=dqn)


def _weights(trainer, r):
    return [p[r].detach().clone() for p in trainer.online.parameters()]


def test_scenarios_choose_the_physical_episodes_of_alg2_line_18():
    tr = TrainingConfig(episodes=10, z_k=3)
    assert [i for i in range(1, 11) if is_physical_episode(i, tr)] == [3, 6, 9]
    assert all(is_physical_episode(i, dataclasses.replace(tr, scenario="physical_only")) for i in range(1, 11))
    assert not any(is_physical_episode(i, dataclasses.replace(tr, scenario="dt_only")) for i in range(1, 11))
    assert is_physical_episode(3, dataclasses.replace(tr, z_k=1))


def test_a_run_in_a_batch_is_the_same_run_alone():
    runs = [_run(11, discount=0.8), _run(12, phi=0.9, scenario="physical_only"), _run(13, scenario="dt_only",
                                                                                      learning_rate=1e-3)]
    batch = Trainer(runs, eval_every=3)
    res_b = batch.train(progress=False)
    for r, run in enumerate(runs):
        alone = Trainer([run], eval_every=3)
        res_a = alone.train(progress=False)
        for wa, wb in zip(_weights(alone, 0), _weights(batch, r)):
            torch.testing.assert_close(wa, wb, rtol=1e-5, atol=1e-6)
        ca = res_a.curves.drop(columns="run").reset_index(drop=True)
        cb = res_b.curves[res_b.curves.run == r].drop(columns="run").reset_index(drop=True)
        np.testing.assert_allclose(ca.to_numpy(float), cb.to_numpy(float), rtol=1e-5, atol=1e-6)
        ea = res_a.evaluations.drop(columns="run").reset_index(drop=True)
        eb = res_b.evaluations[res_b.evaluations.run == r].drop(columns="run").reset_index(drop=True)
        np.testing.assert_allclose(ea.to_numpy(float), eb.to_numpy(float), rtol=1e-5)
    # the runs did differ from one another (the comparison above is not vacuous)
    assert not torch.equal(_weights(batch, 0)[0], _weights(batch, 1)[0])
    cur = res_b.curves
    assert cur[cur.run == 1].physical.all() and not cur[cur.run == 2].physical.any()
    assert cur[cur.run == 0].physical.tolist() == [False, True] * 3
    assert len(res_b.evaluations) == 3 * 3                         # before training, after episodes 3 and 6


def test_schedules_and_counters_are_recorded_per_episode():
    trainer = Trainer([_run(1)], eval_every=None)
    res = trainer.train(progress=False)
    cur = res.curves
    t = np.arange(6)
    np.testing.assert_allclose(cur.epsilon, np.maximum(DQN.epsilon_min, 0.7 * (1 - DQN.epsilon_decay) ** t))
    np.testing.assert_allclose(cur.learning_rate, 5e-3 * (1 - DQN.lr_decay) ** t)
    n_links = cur.replay_size.diff().fillna(cur.replay_size).to_numpy()
    assert np.all(n_links > 0) and np.all(n_links <= NET.n_devices * NET.slots_per_episode)
    # one gradient step per TS once the memory holds a mini-batch
    assert cur.grad_steps.iloc[-1] == 6 * 5 - int(np.argmax(np.cumsum(np.repeat(n_links / 5, 5)) >= 64))
    assert len(res.evaluations) == 1 and res.evaluations.episode.iloc[0] == 6   # only the final policy


def test_target_network_is_copied_every_t_step_gradient_steps():
    trainer = Trainer([_run(2)], eval_every=None)
    copies = []
    for _ in range(3):
        trainer.run_episode()
        same = all(torch.equal(a, b) for a, b in zip(trainer.online.parameters(), trainer.target.parameters()))
        copies.append((int(trainer.grad_steps[0]), same))
    # after an episode of 5 TS the last copy happened at the last multiple of T_step = 3
    for steps, same in copies:
        assert same == (steps % 3 == 0)


def test_the_last_experience_of_an_episode_bootstraps_from_the_next_state():
    trainer = Trainer([_run(3)], eval_every=None)
    trainer.run_episode()
    final = trainer.episode_envs[0][1].observe()[0]                          # [N, 6] the state after the time limit
    mem = trainer.replay
    last = mem.next_obs[0, (mem.position[0] - 1) % mem.capacity]   # s' of the last experience stored
    assert np.abs(last).sum() > 0                                  # a real state, not a zeroed terminal one
    assert np.any(np.all(final == last, axis=1))                   # ... the post-episode state of its link
    with torch.no_grad():
        q_next = trainer.target(torch.from_numpy(last[None, None]))
    y = training.td_targets(torch.zeros(1, 1), q_next, torch.tensor([0.9]))
    assert float(y) == pytest.approx(0.9 * float(q_next.max())) and float(y) != 0.0    # truncation: bootstrap


def test_resume_after_a_kill_between_checkpoints_is_bit_identical(tmp_path, monkeypatch):
    runs = [_run(21), _run(22, scenario="physical_only")]
    ref = Trainer(runs, eval_every=2, checkpoint=tmp_path / "ref.pt", checkpoint_every=2)
    ref_res = ref.train(progress=False)

    calls = {"n": 0}
    real_step = Trainer._gradient_step

    def dying_step(self, *args, **kwargs):                         # called once per TS (1 update per TS)
        calls["n"] += 1
        if calls["n"] == 5 * 4 + 3:                                # mid-episode 5, after the checkpoint at 4
            raise KeyboardInterrupt("killed")
        return real_step(self, *args, **kwargs)

    monkeypatch.setattr(Trainer, "_gradient_step", dying_step)
    ck = tmp_path / "run.pt"
    with pytest.raises(KeyboardInterrupt):
        Trainer(runs, eval_every=2, checkpoint=ck, checkpoint_every=2).train(progress=False)
    assert calls["n"] == 5 * 4 + 3
    monkeypatch.setattr(Trainer, "_gradient_step", real_step)
    assert torch.load(ck, weights_only=False)["episode"] == 4
    resumed = Trainer(runs, eval_every=2, checkpoint=ck, checkpoint_every=2)
    res = resumed.train(progress=False)
    for a, b in zip(ref.online.parameters(), resumed.online.parameters()):
        assert torch.equal(a, b)
    for a, b in zip(ref.target.parameters(), resumed.target.parameters()):
        assert torch.equal(a, b)
    assert res.curves.equals(ref_res.curves) and res.evaluations.equals(ref_res.evaluations)
    # a finished run resumes to the same result without training again
    again = Trainer(runs, eval_every=2, checkpoint=ck, checkpoint_every=2).train(progress=False)
    assert again.evaluations.equals(ref_res.evaluations)
    with pytest.raises(ValueError, match="other runs"):
        Trainer([_run(99)], checkpoint=ck).train(progress=False)


def test_held_out_test_drops_are_never_training_drops():
    env = NetworkEnv(NET, n_envs=50)
    env.reset(seed=training.TEST_DROPS_SEED)
    test_xy = env.state.device_xy.reshape(50, -1)
    train_env = NetworkEnv(NET, n_envs=1)
    for seed in range(5):
        for episode in range(1, 41):
            train_env.reset(seed=np.random.default_rng(episode_seed(seed, episode)))
            xy = train_env.state.device_xy.reshape(1, -1)
            assert not np.any(np.all(np.isclose(test_xy, xy), axis=1))
    assert episode_seed(0, 1).spawn_key != np.random.SeedSequence(training.TEST_DROPS_SEED).spawn_key


def test_an_inconsistent_batch_is_refused_with_the_field_named():
    with pytest.raises(ValueError, match="n_devices"):
        Trainer([_run(1), RunSpec(seed=2, network=dataclasses.replace(NET, n_devices=10), training=TRAIN)])
    with pytest.raises(ValueError, match="replay_size=100 differs from runs\\[0\\]'s 5000"):
        Trainer([_run(1), RunSpec(seed=2, network=NET, training=TRAIN, dqn=DQNConfig(replay_size=100))])
    with pytest.raises(ValueError, match="episodes"):
        Trainer([_run(1), RunSpec(seed=2, network=NET, training=dataclasses.replace(TRAIN, episodes=4), dqn=DQN)])
    with pytest.raises(ValueError, match="seed"):
        RunSpec(seed=-1)
    with pytest.raises(TypeError, match="network"):
        RunSpec(seed=1, network=TRAIN)
    with pytest.raises(ValueError, match="at least one"):
        Trainer([])
    with pytest.raises(TypeError, match=r"runs\[0\] must be a RunSpec"):
        Trainer([0])
    with pytest.raises(ValueError, match="eval_drops=0"):
        Trainer([_run(1)], eval_drops=0)
    with pytest.raises(TypeError, match="eval_every=2.7"):
        Trainer([_run(1)], eval_every=2.7)
    with pytest.raises(ValueError, match="checkpoint_every=0"):
        Trainer([_run(1)], checkpoint_every=0)


def test_a_checkpoint_of_other_code_other_runs_or_another_format_is_refused(tmp_path, monkeypatch):
    runs = [_run(31)]
    ck = tmp_path / "ck.pt"
    first = Trainer(runs, checkpoint=ck, checkpoint_every=2).train(progress=False)
    state = torch.load(ck, weights_only=False)
    assert state["code"] == training.code_fingerprint() and state["runs"] == [dataclasses.asdict(runs[0])]
    # the same code and runs: resumed, not retrained
    assert Trainer(runs, checkpoint=ck).train(progress=False).curves.equals(first.curves)
    # other training code: refused with the file, both fingerprints and the way out
    monkeypatch.setattr(training, "code_fingerprint", lambda: "0" * 64)
    with pytest.raises(ValueError, match=r"ck\.pt.*other training code.*fingerprint.*resume=False"):
        Trainer(runs, checkpoint=ck).train(progress=False)
    monkeypatch.undo()
    # other runs: the first difference is named
    with pytest.raises(ValueError, match=r"other runs \(run 0: .*discount"):
        Trainer([_run(31, discount=0.5)], checkpoint=ck).train(progress=False)
    with pytest.raises(ValueError, match="other runs \\(1 runs, these are 2"):
        Trainer([_run(31), _run(32)], checkpoint=ck).train(progress=False)
    # an old format, a foreign file
    torch.save(dict(state, format=1), tmp_path / "old.pt")
    with pytest.raises(ValueError, match="format 1; this code reads format 2"):
        Trainer(runs, checkpoint=tmp_path / "old.pt").train(progress=False)
    (tmp_path / "junk.pt").write_text("junk")
    with pytest.raises(ValueError, match=r"junk\.pt is not a readable training checkpoint"):
        Trainer(runs, checkpoint=tmp_path / "junk.pt").train(progress=False)


def test_resume_false_starts_afresh_and_trains_again(tmp_path, monkeypatch):
    runs = [_run(33)]
    ck = tmp_path / "ck.pt"
    ref = Trainer(runs, checkpoint=ck).train(progress=False)
    episodes = []
    real = Trainer.run_episode

    def counting(self):
        episodes.append(self.episode + 1)
        return real(self)

    monkeypatch.setattr(Trainer, "run_episode", counting)
    Trainer(runs, checkpoint=ck).train(progress=False)                          # resume: nothing left to train
    assert episodes == []
    with pytest.warns(training.CheckpointWarning, match=r"ck\.pt \(at episode 6 of 6\) discarded, training afresh"):
        again = Trainer(runs, checkpoint=ck).train(progress=False, resume=False)   # afresh: every episode again
    assert episodes == list(range(1, TRAIN.episodes + 1))
    assert again.curves.equals(ref.curves)                                      # ... to the same result
    # even a stale checkpoint does not stop a fresh start
    torch.save({"format": 1}, ck)
    with pytest.warns(training.CheckpointWarning, match="discarded"):
        Trainer(runs, checkpoint=ck).train(progress=False, resume=False)
    assert torch.load(ck, weights_only=False)["format"] == training.CHECKPOINT_FORMAT
    # resume=None: resumed when it can be (silently, nothing trained) ...
    episodes.clear()
    Trainer(runs, checkpoint=ck).train(progress=False, resume=None)
    assert episodes == []
    # ... else discarded with the reason, and trained afresh; resume=True refuses it
    with pytest.raises(training.CheckpointError, match="discount"):
        Trainer([_run(33, discount=0.5)], checkpoint=ck).train(progress=False, resume=True)
    with pytest.warns(training.CheckpointWarning, match="cannot be resumed: .*discount"):
        Trainer([_run(33, discount=0.5)], checkpoint=ck).train(progress=False, resume=None)
    assert episodes == list(range(1, TRAIN.episodes + 1))
    with pytest.raises(TypeError, match="resume"):
        Trainer(runs).train(progress=False, resume="no")


def test_a_checkpoint_of_another_evaluation_protocol_is_refused(tmp_path):
    ck = tmp_path / "ck.pt"
    Trainer([_run(34)], eval_every=2, checkpoint=ck, checkpoint_every=2).train(progress=False)
    with pytest.raises(training.CheckpointError, match=r"evaluation protocol \(eval_every: 2 -> 3\)"):
        Trainer([_run(34)], eval_every=3, checkpoint=ck).train(progress=False)
    with pytest.raises(training.CheckpointError, match=r"eval_drops: 2 -> 5"):
        Trainer([_run(34)], eval_every=2, eval_drops=5, checkpoint=ck).train(progress=False)
    assert issubclass(training.CheckpointError, ValueError)


def test_the_code_fingerprint_covers_every_module_a_training_run_imports(tmp_path):
    """Train in a fresh interpreter and list the multirat modules it loaded: each one that can change the
    numbers must be in the fingerprint (results and paths only write files)."""
    import json
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from multirat.config import NetworkConfig, TrainingConfig\n"
        "from multirat.training import RunSpec, Trainer\n"
        "Trainer([RunSpec(seed=1, network=NetworkConfig(slots_per_episode=2), training=TrainingConfig(episodes=2, "
        f"z_k=1, eval_drops=2))], eval_every=1, checkpoint={str(tmp_path / 'c.pt')!r}).train(progress=False)\n"
        "print(json.dumps(sorted(m.__file__ for n, m in sys.modules.items() if n.startswith('multirat') "
        "and getattr(m, '__file__', None))))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = {Path(f).resolve() for f in json.loads(out.stdout.strip().splitlines()[-1])}
    covered = {p.resolve() for p in training.training_sources()}
    writers = {Path(training.__file__).with_name(n).resolve() for n in ("results.py", "paths.py")}
    assert loaded - covered - writers == set()
    assert Path(training.__file__).resolve() in covered and len(loaded & covered) >= 10


def test_eval_every_none_and_absent_agree_and_a_value_evaluates_on_schedule():
    assert Trainer([_run(1)]).eval_every is None and Trainer([_run(1)], eval_every=None).eval_every is None
    res = Trainer([_run(1)], eval_every=4).train(progress=False)
    assert res.evaluations.episode.tolist() == [0, 4, 6]                        # before, every 4, and the final


def test_a_runs_policy_knows_its_network():
    trainer = Trainer([_run(1), _run(2, phi=0.9)])
    assert trainer.policy(1).network_config() == trainer.runs[1].network and trainer.policy(1).name == "DQN run 1"
    assert trainer.policy(0).dqn_config() == DQN and trainer.policy(0).metadata["seed"] == 1


def test_the_code_fingerprint_holds_the_training_modules_and_nothing_else(tmp_path):
    package = Path(training.__file__).resolve().parent
    rels = {p.relative_to(package).as_posix() for p in training.training_sources()}
    assert not {r for r in rels if r.split("/")[0] in training.NOT_TRAINING}
    assert {"training.py", "env.py", "agents/dqn.py", "agents/replay.py", "config.py", "evaluation.py"} <= rels
    every = {p.relative_to(package).as_posix() for p in package.rglob("*.py") if "__pycache__" not in p.parts}
    excluded = every - rels
    assert excluded and all(r.split("/")[0] in training.NOT_TRAINING for r in excluded)
    assert any(r.startswith("plotting/") for r in excluded) and any(r.startswith("experiments/") for r in excluded)


def test_only_runs_whose_memory_holds_a_mini_batch_step():
    """Unequal memories (set by hand; within a Trainer every run fills at the same rate): the run below D_b
    keeps its weights, its step count and its generator, the other one steps."""
    trainer = Trainer([_run(41), _run(42)])
    obs = np.random.default_rng(0).random((64, 6)).astype(np.float32)
    trainer.replay.add(0, obs, np.arange(64) % 48, 1.0, obs, False)          # run 0: exactly one mini-batch
    trainer.replay.add(1, obs[:10], np.arange(10), 1.0, obs[:10], False)    # run 1: below D_b = 64, not empty
    before = [p[1].detach().clone() for p in trainer.online.parameters()]
    state = trainer.rngs[1].bit_generator.state
    losses = trainer._gradient_step()
    assert trainer.grad_steps.tolist() == [1, 0] and np.isfinite(losses[0]) and np.isnan(losses[1])
    assert all(torch.equal(p[1], b) for p, b in zip(trainer.online.parameters(), before))
    assert trainer.rngs[1].bit_generator.state == state


def test_other_cpu_kernels_are_announced(monkeypatch):
    import warnings

    import multirat
    from multirat import reproducibility

    assert torch.backends.cpu.get_cpu_capability().lower() == multirat.TORCH_CPU_CAPABILITY   # imported first
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reproducibility.check_kernels()                                          # the pinned kernels: silent
    monkeypatch.setenv("MKL_CBWR", "AUTO")
    with pytest.warns(training.KernelWarning, match="MKL_CBWR='AUTO'.*ATEN_CPU_CAPABILITY=avx2"):
        reproducibility.check_kernels()
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: "AVX512")
    monkeypatch.setenv("MKL_CBWR", multirat.MKL_CBWR)
    with pytest.warns(training.KernelWarning, match="AVX512"):
        Trainer([_run(1)])
