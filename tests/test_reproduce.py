"""``make reproduce`` (``python -m multirat reproduce``): the plan (dependency order, what is current is skipped,
a dependent of a recomputed experiment is recomputed), and the smoke profile end to end, twice."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from multirat import reproduce, results
from multirat.experiments import DEPENDS, EXPERIMENTS, get_experiment
from multirat.experiments import __main__ as experiments_cli

ROOT = Path(__file__).resolve().parents[1]


def test_every_experiment_comes_after_what_it_depends_on():
    order = list(EXPERIMENTS)
    for name, deps in DEPENDS.items():
        assert name in EXPERIMENTS and all(order.index(d) < order.index(name) for d in deps), name
    for name in EXPERIMENTS:                       # a table stored by another experiment depends on it
        stored_by = getattr(get_experiment(name), "STORED_BY", None)
        assert stored_by is None or stored_by in DEPENDS.get(name, ()), name


def test_depends_names_every_experiment_whose_results_a_module_reads():
    # independent of DEPENDS: scan each experiment module for calls that read another experiment's stored
    # table or models (run, curves, final_models, final_values, or load_policy of its models folder)
    module_of = {mod.rsplit(".", 1)[1]: name for name, mod in EXPERIMENTS.items()}
    module_of["tm"] = "twin_mismatch"                                       # fig6c's alias
    reads = re.compile(r"\b(\w+)\.(?:run|curves|final_models|final_values)\(|load_policy\((\w+)\.models_dir")
    for name, mod in EXPERIMENTS.items():
        source = (ROOT / "src" / Path(*mod.split("."))).with_suffix(".py").read_text()
        found = {module_of[m] for pair in reads.findall(source) for m in pair if m in module_of}
        found.discard(name)
        assert found <= set(DEPENDS.get(name, ())), (name, found)


def _plan(monkeypatch, current, **kwargs):
    monkeypatch.setattr(experiments_cli, "status",
                        lambda name, profile: "ok (created x, commit y)" if name in current else "missing")
    return {s.name: s.action for s in reproduce.plan("smoke", **kwargs)}


def test_the_plan_skips_what_is_current_and_recomputes_what_depends_on_a_recomputed_result(monkeypatch):
    assert set(_plan(monkeypatch, set()).values()) == {"compute", "load"}
    steps = _plan(monkeypatch, set())
    assert steps["fig5_curves"] == "load" and steps["fig6ab_curves"] == "load"      # stored by their parents
    everything = set(EXPERIMENTS)
    assert set(_plan(monkeypatch, everything).values()) == {"skip"}
    assert set(_plan(monkeypatch, everything, force=True).values()) == {"compute", "load"}
    steps = _plan(monkeypatch, everything - {"fig7"})
    assert {n for n, a in steps.items() if a != "skip"} == {"fig7", "fig7_benchmarks", "table5", "table4",
                                                           "sensitivity_training"}
    steps = _plan(monkeypatch, everything - {"fig5_curves"})     # its parent is current: it is computed alone
    assert {n for n, a in steps.items() if a != "skip"} == {"fig5_curves"} and steps["fig5_curves"] == "compute"


def test_only_plans_the_named_experiments_and_what_they_depend_on(monkeypatch):
    steps = _plan(monkeypatch, set(), only=["table4"])
    assert list(steps) == ["fig7", "table4"]
    wanted = {"table4", "esa_cost", "fig6ab_curves", "fig5_curves", "fig7", "fig6ab", "fig5_evaluations"}
    steps = _plan(monkeypatch, set(), only=["table4", "esa_cost", "fig6ab_curves", "fig5_curves"])
    assert list(steps) == [n for n in EXPERIMENTS if n in wanted]           # the registry's order, always
    with pytest.raises(ValueError, match="experiment='fig9' is unknown"):
        reproduce.plan("smoke", only=["fig9"])
    with pytest.raises(ValueError, match="profile='huge' is unknown"):
        reproduce.plan("huge")


def test_the_book_of_another_profile_is_never_built_over_the_committed_notebooks(tmp_path):
    with pytest.raises(ValueError, match="outside book/"):
        reproduce.build_book("smoke", out=ROOT / "book" / "x")
    with pytest.raises(ValueError, match="not above the repository"):
        reproduce.build_book("smoke", out=ROOT.parent)
    assert reproduce.book_dir("paper") == ROOT and reproduce.book_dir("smoke") == ROOT / "_build" / "reproduce" / "smoke"


def test_experiments_bound_through_fig6c_depend_on_what_fig6c_reads():
    # twin_mismatch_zk(_replay) are fig6c.bound_functions: the source scan cannot see their reads
    for name, mod in EXPERIMENTS.items():
        source = (ROOT / "src" / Path(*mod.split("."))).with_suffix(".py").read_text()
        if "fig6c.bound_functions" in source:
            assert set(DEPENDS.get(name, ())) >= set(DEPENDS["fig6c"]), name


class _Fake:
    def __init__(self, trains=True):
        self.calls = []
        if not trains:
            self.run = self._run_no_resume

    def run(self, profile, mode=None, n_workers=None, resume=None):
        self.calls.append({"mode": mode, "n_workers": n_workers, "resume": resume})
        return pd.DataFrame({"x": [1]})

    def _run_no_resume(self, profile, mode=None):
        self.calls.append({"mode": mode})
        return pd.DataFrame({"x": [1]})


@pytest.mark.parametrize("fresh", [False, True])
def test_a_step_recomputes_resuming_unless_fresh_with_the_workers_and_a_load_step_only_loads(monkeypatch, fresh):
    import multirat.experiments as experiments

    fake = _Fake()
    monkeypatch.setattr(experiments, "get_experiment", lambda name: fake)
    reproduce._run_step(reproduce.Step("x", "missing", "compute"), "smoke", 3, fresh)
    reproduce._run_step(reproduce.Step("x", "missing", "load"), "smoke", 3, fresh)
    assert fake.calls == [{"mode": "recompute", "n_workers": 3, "resume": not fresh},
                          {"mode": "cache_only", "n_workers": None, "resume": None}]
    plain = _Fake(trains=False)
    monkeypatch.setattr(experiments, "get_experiment", lambda name: plain)
    reproduce._run_step(reproduce.Step("x", "missing", "compute"), "smoke", 3, fresh)
    assert plain.calls == [{"mode": "recompute"}]                   # no resume or n_workers it does not take


def test_a_partial_reproduction_writes_no_ledger(monkeypatch):
    from multirat import ledger

    written = []
    monkeypatch.setattr(reproduce, "plan", lambda *a, **k: [reproduce.Step("esa_cost", "missing", "compute")])
    monkeypatch.setattr(reproduce, "_run_step", lambda *a: pd.DataFrame({"x": [1]}))
    monkeypatch.setattr(ledger, "write_ledger", lambda profile: written.append(profile) or (None, "p"))
    reproduce.reproduce("smoke", only=["esa_cost"], book=False, progress=False, echo=lambda *a: None)
    assert written == []
    reproduce.reproduce("smoke", book=False, progress=False, echo=lambda *a: None)
    assert written == ["smoke"]


def _reproduce(store, *args):
    env = {**os.environ, results.ROOT_ENV: str(store), "MULTIRAT_RESULTS": "auto"}
    env.pop("MULTIRAT_N_SEEDS", None)
    return subprocess.run([sys.executable, "-m", "multirat", "reproduce", "--profile", "smoke", *args],
                          capture_output=True, text=True, check=False, env=env, cwd=ROOT, timeout=1800)


def test_make_reproduce_smoke_end_to_end_then_everything_is_current(tmp_path):
    store, book = tmp_path / "results", tmp_path / "book"
    # an interrupted reproduction: only two experiments (and what they need) got stored
    first = _reproduce(store, "--only", "table4", "esa_cost", "--no-book")
    assert first.returncode == 0, first.stderr[-3000:]
    assert {p.name for p in store.iterdir()} >= {"fig7", "table4", "esa_cost"}
    whole = _reproduce(store, "--book-dir", str(book))
    assert whole.returncode == 0, whole.stdout[-3000:] + whole.stderr[-3000:]
    out = whole.stdout
    for name in ("fig7", "table4", "esa_cost"):                     # kept from the interrupted run
        assert f"{name}: current, skipped" in out
    for name in set(EXPERIMENTS) - {"fig7", "table4", "esa_cost"}:
        assert re.search(rf"^{name}: \d+ rows (computed|loaded)", out, flags=re.M), name
    assert re.search(r"^experiments \[smoke\]: [\d.]+ s in all$", out, flags=re.M)
    assert re.search(r"^reproduce \[smoke\]: [\d.]+ s in all; the book is in ", out, flags=re.M)
    # every stored table is current, the ledger written, the book built from the smoke notebooks
    for name in EXPERIMENTS:
        if not getattr(get_experiment(name), "STORED_BY", None):
            assert results.result_paths(name, "smoke", root=store)[0].is_file(), name
    ledger = pd.read_csv(store / "ledger" / "smoke.csv")
    assert len(ledger) == 42 and "not measured" in set(ledger.status)
    assert (book / "_build" / "html" / "book" / "15_ledger.html").is_file()
    assert "'smoke'" in (book / "book" / "15_ledger.ipynb").read_text() or '"smoke"' in (
        book / "book" / "15_ledger.ipynb").read_text()
    # a second reproduction finds everything current and computes nothing
    again = _reproduce(store, "--no-book")
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout.count("current, skipped") == len(EXPERIMENTS)
