"""results.py: the result store (atomic writes, provenance sidecar, hash check, cache modes)."""

import dataclasses
import hashlib
import json
import os
import platform
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from multirat import results, store_location
from multirat.config import NetworkConfig


def table(value=1.0):
    return pd.DataFrame({"K": [1, 2], "policy": ["RA", "ESA"], "mean_kbits": [value, value / 3]})


KEY = {"network": NetworkConfig(), "seed": 3, "cases": [[1, 2]]}


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(results.MODE_ENV, raising=False)
    monkeypatch.delenv(results.ROOT_ENV, raising=False)


class Counter:
    def __init__(self, value=1.0):
        self.calls, self.value = 0, value

    def __call__(self):
        self.calls += 1
        return table(self.value)


# ------------------------------------------------------------------------------------------------
# Defaults and layout
# ------------------------------------------------------------------------------------------------

def test_defaults_and_layout(tmp_path, monkeypatch):
    from multirat.paths import data_dir

    assert results.RESULT_MODES == ("auto", "cache_only", "recompute", "off")
    assert (results.MODE_ENV, results.ROOT_ENV) == ("MULTIRAT_RESULTS", "MULTIRAT_RESULTS_DIR")
    assert results.results_root() == data_dir() / "results"
    csv, meta = results.result_paths("fig5b", "paper", tmp_path)
    assert (csv, meta) == (tmp_path / "fig5b" / "paper.csv", tmp_path / "fig5b" / "paper.json")
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path / "elsewhere"))
    assert results.results_root() == tmp_path / "elsewhere"


def test_save_writes_csv_and_complete_sidecar(tmp_path):
    csv = results.save_result(table(), "exp", "smoke", KEY, seeds=[3, 4], wall_time_s=1.23456, root=tmp_path)
    meta = json.loads((tmp_path / "exp" / "smoke.json").read_text())
    assert meta["experiment"] == "exp" and meta["profile"] == "smoke" and meta["seeds"] == [3, 4]
    assert meta["config_hash"] == results.config_hash(KEY) and meta["config"]["network"]["__type__"] == "NetworkConfig"
    assert meta["csv_sha256"] == hashlib.sha256(csv.read_bytes()).hexdigest()
    assert meta["csv_rows"] == 2 and meta["columns"] == ["K", "policy", "mean_kbits"]
    assert set(meta["versions"]) == {"multirat", "numpy", "scipy", "pandas", "torch"}
    assert meta["versions"]["numpy"] == np.__version__ and meta["versions"]["pandas"] == pd.__version__
    assert set(meta["git"]) == {"commit", "dirty"} and meta["wall_time_s"] == 1.235
    assert meta["platform"]["python"] == platform.python_version() and meta["platform"]["cpus"] == os.cpu_count()
    assert set(meta["platform"]) == {"python", "system", "machine", "cpus", "cpu", "cpu_flags"}
    assert isinstance(meta["command"], str) and isinstance(meta["platform"]["cpu"], str)
    assert set(meta["platform"]["cpu_flags"]) <= set(store_location.CPU_FLAGS)
    assert meta["created"].endswith("Z") and meta["format_version"] == results.FORMAT_VERSION == 2
    assert sorted(p.name for p in (tmp_path / "exp").iterdir()) == ["smoke.csv", "smoke.json"]   # no temporaries
    pd.testing.assert_frame_equal(results.load_result("exp", "smoke", KEY, tmp_path), table())


# ------------------------------------------------------------------------------------------------
# The store's location (MULTIRAT_RESULTS_DIR), models and checkpoints
# ------------------------------------------------------------------------------------------------

def test_models_and_checkpoints_are_in_data_or_inside_the_chosen_store(tmp_path, monkeypatch):
    from multirat.paths import data_dir

    assert results.models_root() == data_dir() / "models"                 # unset: the repository's data/
    assert results.checkpoints_root() == data_dir() / "checkpoints"
    assert (data_dir() / "models" / "fig5" / "paper").is_dir()            # where the committed models are
    store = tmp_path / "results"
    monkeypatch.setenv(results.ROOT_ENV, str(store))
    assert results.models_root() == store / "models"                      # set: inside the store, never beside it
    assert results.checkpoints_root() == store / "checkpoints"
    monkeypatch.setenv(results.ROOT_ENV, "/tmp")                          # not /models and /checkpoints
    assert (results.models_root(), results.checkpoints_root()) == (Path("/tmp/models"), Path("/tmp/checkpoints"))
    assert not store.exists()                                             # naming a folder creates nothing
    for same in (data_dir() / "results", data_dir() / "results" / ".." / "results"):   # its own default
        monkeypatch.setenv(results.ROOT_ENV, str(same))
        assert (results.models_root(), results.checkpoints_root()) == (data_dir() / "models",
                                                                      data_dir() / "checkpoints")


def test_models_and_checkpoints_are_never_experiments(tmp_path):
    for name in ("models", "checkpoints"):
        with pytest.raises(ValueError, match=f"experiment='{name}' is reserved.*allowed any other name"):
            results.result_paths(name, "paper", tmp_path)
        with pytest.raises(ValueError, match=f"experiment='{name}' is reserved"):
            results.save_result(table(), name, "paper", KEY, root=tmp_path)
    assert results.result_paths("models_v2", "models", tmp_path)[0] == tmp_path / "models_v2" / "models.csv"
    assert not any(tmp_path.iterdir())


def test_a_file_as_the_store_is_refused_before_anything_is_computed(tmp_path, monkeypatch):
    store = tmp_path / "results.csv"
    store.write_text("not a folder\n")
    monkeypatch.setenv(results.ROOT_ENV, str(store))
    name = re.escape(str(store))
    for writing in (True, False):
        with pytest.raises(ValueError, match=rf"MULTIRAT_RESULTS_DIR='{name}' exists but is not a folder: "
                                             "allowed an existing folder"):
            results.check_store(writing=writing)
    compute = Counter()
    for mode in results.RESULT_MODES:
        with pytest.raises(ValueError, match="MULTIRAT_RESULTS_DIR=.* is not a folder"):
            results.cached_result("exp", "smoke", KEY, compute, mode=mode)
    with pytest.raises(ValueError, match=rf"root='{name}' exists but is not a folder"):      # the argument is named
        results.check_store(writing=True, root=store)
    assert compute.calls == 0 and store.read_text() == "not a folder\n" and sorted(tmp_path.iterdir()) == [store]


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_store_value_is_refused(value, monkeypatch):
    monkeypatch.setenv(results.ROOT_ENV, value)
    message = rf"MULTIRAT_RESULTS_DIR='{value}' is empty: allowed the path of a folder.*or leave it unset"
    for call in (results.results_root, results.models_root, results.checkpoints_root,
                 lambda: results.check_store(writing=True), lambda: results.check_store(writing=False)):
        with pytest.raises(ValueError, match=message):                    # never data/results by default
            call()
    compute = Counter()
    with pytest.raises(ValueError, match=message):
        results.cached_result("exp", "smoke", KEY, compute, mode="off")
    monkeypatch.delenv(results.ROOT_ENV)
    with pytest.raises(ValueError, match=rf"root='{value}' is empty"):
        results.check_store(writing=True, root=value)
    assert compute.calls == 0


def test_a_missing_store_is_an_error_when_reading(tmp_path, monkeypatch):
    store = tmp_path / "nosuch"
    monkeypatch.setenv(results.ROOT_ENV, str(store))
    name = re.escape(str(store))
    with pytest.raises(ValueError, match=rf"MULTIRAT_RESULTS_DIR='{name}' does not exist: .*mode 'cache_only'"):
        results.check_store(writing=False)
    compute = Counter()
    with pytest.raises(ValueError, match=rf"MULTIRAT_RESULTS_DIR='{name}' does not exist"):
        results.cached_result("exp", "smoke", KEY, compute, mode="cache_only")
    assert compute.calls == 0 and not store.exists()


def test_a_missing_store_is_created_when_writing_if_its_parent_exists(tmp_path, monkeypatch):
    store = tmp_path / "new"
    monkeypatch.setenv(results.ROOT_ENV, str(store))
    assert results.check_store(writing=True) == store and not store.exists()   # checked, created only on storing
    results.cached_result("exp", "smoke", KEY, Counter(), mode="off")         # off: nothing stored, nothing created
    assert not store.exists()
    out = results.cached_result("exp", "smoke", KEY, Counter(3.0), mode="auto")
    assert sorted(p.relative_to(store).as_posix() for p in store.rglob("*")) == ["exp", "exp/smoke.csv",
                                                                                  "exp/smoke.json"]
    pd.testing.assert_frame_equal(out, table(3.0))
    deep = tmp_path / "typo" / "results"                                       # the parent is missing too
    monkeypatch.setenv(results.ROOT_ENV, str(deep))
    compute = Counter()
    with pytest.raises(ValueError, match=rf"'{re.escape(str(deep))}' does not exist and neither does its parent "
                                         rf"folder '{re.escape(str(deep.parent))}': allowed an existing folder, "
                                         "or a new folder"):
        results.cached_result("exp", "smoke", KEY, compute, mode="recompute")
    assert compute.calls == 0 and not deep.parent.exists()
    (tmp_path / "notes.txt").write_text("a file")                              # the parent is a file
    monkeypatch.setenv(results.ROOT_ENV, str(tmp_path / "notes.txt" / "results"))
    with pytest.raises(ValueError, match=r"does not exist and its parent '.*notes\.txt' is a file, not a folder"):
        results.check_store(writing=True)


def test_the_default_store_is_checked_too(tmp_path, monkeypatch):
    from multirat.paths import data_dir

    assert results.check_store(writing=False) == data_dir() / "results"       # the committed store: fine
    monkeypatch.setattr("multirat.paths.data_dir", lambda: tmp_path / "data")  # a clone without data/results
    with pytest.raises(ValueError, match=r"the result store '.*data/results' \(data/results: MULTIRAT_RESULTS_DIR "
                                         r"is unset\) does not exist"):
        results.check_store(writing=False)


# ------------------------------------------------------------------------------------------------
# The hash
# ------------------------------------------------------------------------------------------------

def test_config_hash_is_stable_and_sensitive():
    # a typed reference value: any change of the canonical rendering changes every stored key
    assert results.config_hash({"a": 1, "b": [1.5, "x"]}) == hashlib.sha256(b'{"a":1,"b":[1.5,"x"]}').hexdigest()[:16]
    assert results.config_hash({"b": [1.5, "x"], "a": 1}) == results.config_hash({"a": 1, "b": (1.5, "x")})
    assert results.config_hash({"x": np.float64(0.5), "y": np.arange(2)}) == results.config_hash({"x": 0.5, "y": [0, 1]})
    base = results.config_hash(KEY)
    assert results.config_hash({**KEY, "network": dataclasses.replace(NetworkConfig(), phi=0.9)}) != base
    assert results.config_hash({**KEY, "seed": 4}) != base
    assert results.config_hash({"x": float("inf")}) != results.config_hash({"x": float("nan")})
    for bad in (lambda: 1, object(), {1: "int key"}):
        with pytest.raises(TypeError, match="config|cannot hash"):
            results.config_hash({"f": bad})


# ------------------------------------------------------------------------------------------------
# Modes
# ------------------------------------------------------------------------------------------------

def test_auto_computes_once_then_loads(tmp_path):
    compute = Counter(2.0)
    first = results.cached_result("exp", "quick", KEY, compute, root=tmp_path)
    second = results.cached_result("exp", "quick", KEY, compute, root=tmp_path)
    assert compute.calls == 1
    pd.testing.assert_frame_equal(first, second)          # fresh and cached tables are the same
    pd.testing.assert_frame_equal(first, table(2.0))


def test_a_stale_hash_recomputes_in_auto_mode_and_keeps_the_stored_result(tmp_path):
    results.cached_result("exp", "quick", KEY, Counter(1.0), root=tmp_path)
    before = {p.name: p.read_bytes() for p in (tmp_path / "exp").iterdir()}
    compute = Counter(5.0)
    new_key = {**KEY, "seed": 4}
    with pytest.warns(results.StaleResultWarning, match=r"another configuration \(seed: 3 -> 4\).*kept.*recompute"):
        out = results.cached_result("exp", "quick", new_key, compute, root=tmp_path)
    assert compute.calls == 1 and out.mean_kbits[0] == 5.0                           # recomputed ...
    assert {p.name: p.read_bytes() for p in (tmp_path / "exp").iterdir()} == before  # ... never stored over it
    results.cached_result("exp", "quick", new_key, compute, mode="recompute", root=tmp_path)   # only this replaces
    pd.testing.assert_frame_equal(results.load_result("exp", "quick", new_key, tmp_path), table(5.0))


def test_a_csv_without_its_sidecar_is_never_trusted(tmp_path):
    results.save_result(table(), "exp", "paper", KEY, root=tmp_path)
    (tmp_path / "exp" / "paper.json").unlink()
    compute = Counter()
    for mode in ("auto", "cache_only"):
        with pytest.raises(results.CorruptResultError, match="paper.csv has no sidecar.*restore it from git"):
            results.cached_result("exp", "paper", KEY, compute, mode=mode, root=tmp_path)
    assert compute.calls == 0


def test_config_differences_names_each_changed_field():
    stored = {"network": NetworkConfig(), "seed": 3, "cases": [[1, 2]]}
    requested = {"network": dataclasses.replace(NetworkConfig(), phi=0.5, n_aps=6), "seed": 3, "extra": 1}
    assert results.config_differences(stored, requested) == [
        "cases: [[1, 2]] -> '(absent)'", "extra: '(absent)' -> 1", "network.n_aps: 4 -> 6", "network.phi: 0.4 -> 0.5"]
    many = results.config_differences({f"k{i}": i for i in range(9)}, {f"k{i}": -i for i in range(9)}, limit=3)
    assert many == ["k1: 1 -> -1", "k2: 2 -> -2", "k3: 3 -> -3", "... and 5 more"]
    assert results.config_differences(KEY, KEY) == []


def test_cache_only_raises_with_the_recompute_command(tmp_path):
    cmd = "python -m multirat.experiments exp --profile paper --mode recompute"
    compute = Counter()
    with pytest.raises(results.MissingResultError, match=r"'exp'.*'paper'.*" + cmd.replace(" ", r"\s")):
        results.cached_result("exp", "paper", KEY, compute, mode="cache_only", root=tmp_path, recompute_command=cmd)
    results.cached_result("exp", "paper", KEY, compute, root=tmp_path)
    with pytest.raises(results.StaleResultError, match=r"experiment 'exp', profile 'paper'.*multirat\.experiments exp"):
        results.cached_result("exp", "paper", {**KEY, "seed": 9}, compute, mode="cache_only", root=tmp_path,
                              recompute_command=cmd)
    assert compute.calls == 1
    out = results.cached_result("exp", "paper", KEY, compute, mode="cache_only", root=tmp_path)
    assert compute.calls == 1 and out.mean_kbits[0] == 1.0


def test_mode_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(results.MODE_ENV, "cache_only")
    with pytest.raises(results.MissingResultError):
        results.cached_result("exp", "smoke", KEY, Counter(), root=tmp_path)
    assert results.resolve_mode() == "cache_only" and results.resolve_mode("off") == "off"
    monkeypatch.setenv(results.MODE_ENV, "fast")
    with pytest.raises(ValueError, match="MULTIRAT_RESULTS='fast'.*auto"):
        results.cached_result("exp", "smoke", KEY, Counter(), root=tmp_path)
    with pytest.raises(ValueError, match="mode='fast'"):
        results.cached_result("exp", "smoke", KEY, Counter(), mode="fast", root=tmp_path)


def test_recompute_and_off(tmp_path):
    results.cached_result("exp", "smoke", KEY, Counter(1.0), root=tmp_path)
    compute = Counter(7.0)
    assert results.cached_result("exp", "smoke", KEY, compute, mode="recompute", root=tmp_path).mean_kbits[0] == 7.0
    assert results.load_result("exp", "smoke", KEY, tmp_path).mean_kbits[0] == 7.0
    off = Counter(9.0)
    assert results.cached_result("exp", "smoke", KEY, off, mode="off", root=tmp_path).mean_kbits[0] == 9.0
    assert results.load_result("exp", "smoke", KEY, tmp_path).mean_kbits[0] == 7.0        # off stores nothing
    results.cached_result("exp", "other", KEY, Counter(), mode="off", root=tmp_path)
    assert not (tmp_path / "exp" / "other.csv").exists()


def test_compute_must_return_a_dataframe(tmp_path):
    with pytest.raises(TypeError, match="DataFrame"):
        results.cached_result("exp", "smoke", KEY, lambda: [1, 2], root=tmp_path)


# ------------------------------------------------------------------------------------------------
# Crashes and corruption
# ------------------------------------------------------------------------------------------------

def test_a_crash_before_the_replace_leaves_the_old_result(tmp_path, monkeypatch):
    results.save_result(table(1.0), "exp", "paper", KEY, root=tmp_path)
    before = {p.name: p.read_bytes() for p in (tmp_path / "exp").iterdir()}

    def killed(src, dst):
        raise KeyboardInterrupt("killed between the temporary write and the replace")

    monkeypatch.setattr(results.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        results.cached_result("exp", "paper", KEY, Counter(8.0), mode="recompute", root=tmp_path)
    monkeypatch.undo()
    after = {p.name: p.read_bytes() for p in (tmp_path / "exp").iterdir()}
    assert after == before                                                           # old files intact, no temporaries
    pd.testing.assert_frame_equal(results.load_result("exp", "paper", KEY, tmp_path), table(1.0))


def test_a_crash_between_csv_and_sidecar_is_never_trusted(tmp_path, monkeypatch):
    results.save_result(table(1.0), "exp", "paper", KEY, root=tmp_path)
    real_replace = os.replace

    def replace_csv_only(src, dst):
        if str(dst).endswith(".json"):
            raise KeyboardInterrupt("killed before the sidecar")
        real_replace(src, dst)

    monkeypatch.setattr(results.os, "replace", replace_csv_only)
    with pytest.raises(KeyboardInterrupt):
        results.save_result(table(8.0), "exp", "paper", KEY, root=tmp_path)
    monkeypatch.undo()
    assert sorted(p.name for p in (tmp_path / "exp").iterdir()) == ["paper.csv", "paper.json"]
    for mode in ("auto", "cache_only"):
        with pytest.raises(results.CorruptResultError, match="does not match its sidecar"):
            results.cached_result("exp", "paper", KEY, Counter(), mode=mode, root=tmp_path)
    fixed = results.cached_result("exp", "paper", KEY, Counter(3.0), mode="recompute", root=tmp_path)
    assert fixed.mean_kbits[0] == 3.0 and results.load_result("exp", "paper", KEY, tmp_path).mean_kbits[0] == 3.0


@pytest.mark.parametrize("damage, message", [
    (lambda text: text[: len(text) // 2], "corrupt or truncated"),                           # truncated
    (lambda text: "", "corrupt or truncated"),                                              # empty
    (lambda text: json.dumps({k: v for k, v in json.loads(text).items() if k != "csv_sha256"}), "lacks"),
    (lambda text: "[1, 2]", "expected a JSON object"),
    (lambda text: text.replace('"format_version": 2', '"format_version": 99'), "format_version 99"),
])
def test_a_damaged_sidecar_is_a_clear_error_in_every_loading_mode(tmp_path, damage, message):
    results.save_result(table(), "exp", "paper", KEY, root=tmp_path)
    meta = tmp_path / "exp" / "paper.json"
    meta.write_text(damage(meta.read_text()))
    compute = Counter()
    for mode in ("auto", "cache_only"):
        with pytest.raises(results.CorruptResultError, match=message) as err:
            results.cached_result("exp", "paper", KEY, compute, mode=mode, root=tmp_path)
        assert str(meta) in str(err.value)
    assert compute.calls == 0                                                        # never a silent recompute


def test_a_damaged_or_missing_csv_is_a_clear_error(tmp_path):
    results.save_result(table(), "exp", "paper", KEY, root=tmp_path)
    csv = tmp_path / "exp" / "paper.csv"
    csv.write_text(csv.read_text().replace("ESA", "ESB"))                            # a hand edit
    with pytest.raises(results.CorruptResultError, match="does not match its sidecar"):
        results.load_result("exp", "paper", KEY, tmp_path)
    csv.unlink()
    with pytest.raises(results.CorruptResultError, match="missing but its sidecar exists"):
        results.cached_result("exp", "paper", KEY, Counter(), root=tmp_path)


def test_row_count_mismatch_is_detected(tmp_path):
    # a sidecar whose hash matches but whose row count was edited
    results.save_result(table(), "exp", "paper", KEY, root=tmp_path)
    meta = tmp_path / "exp" / "paper.json"
    data = json.loads(meta.read_text())
    data["csv_rows"] = 3
    meta.write_text(json.dumps(data))
    with pytest.raises(results.CorruptResultError, match="2 rows"):
        results.load_result("exp", "paper", KEY, tmp_path)


def test_invalid_names(tmp_path):
    for bad in ("../x", "a/b", "", ".hidden", 3):
        with pytest.raises(ValueError, match="experiment="):
            results.result_paths(bad, "paper", tmp_path)
        with pytest.raises(ValueError, match="profile="):
            results.result_paths("exp", bad, tmp_path)
    with pytest.raises(TypeError, match="DataFrame"):
        results.save_result([1], "exp", "paper", KEY, root=tmp_path)


# ------------------------------------------------------------------------------------------------
# The write protocol and the sidecar's fields, probed one by one
# ------------------------------------------------------------------------------------------------

def test_temporaries_live_next_to_their_target_and_are_fsynced_first(tmp_path, monkeypatch):
    # os.replace is atomic only within one file system: the temporary must sit in the target's folder
    log, real_replace, real_fsync = [], os.replace, os.fsync

    def replace(src, dst):
        log.append(("replace", Path(src), Path(dst)))
        real_replace(src, dst)

    def fsync(fd):
        log.append(("fsync",))
        real_fsync(fd)

    monkeypatch.setattr(results.os, "replace", replace)
    monkeypatch.setattr(results.os, "fsync", fsync)
    results.save_result(table(), "exp", "p", KEY, root=tmp_path)
    assert [e[0] for e in log] == ["fsync", "replace", "fsync", "replace"]
    moves = [e[1:] for e in log if e[0] == "replace"]
    assert [dst.name for _, dst in moves] == ["p.csv", "p.json"]                     # the CSV first, the sidecar last
    assert all(src.parent == dst.parent and src.name.startswith(f".{dst.stem}.") and src.name.endswith(f".tmp{dst.suffix}")
               for src, dst in moves)


SIDECAR_FIELDS = ["format_version", "experiment", "profile", "config_hash", "config", "seeds", "csv_sha256",
                  "csv_rows", "columns", "versions", "platform", "git", "command", "wall_time_s", "created"]


@pytest.mark.parametrize("field", SIDECAR_FIELDS)
def test_every_sidecar_field_is_required(tmp_path, field):
    results.save_result(table(), "exp", "p", KEY, root=tmp_path)
    meta = tmp_path / "exp" / "p.json"
    data = json.loads(meta.read_text())
    del data[field]
    meta.write_text(json.dumps(data))
    with pytest.raises(results.CorruptResultError, match=rf"lacks \['{field}'\]"):
        results.read_sidecar("exp", "p", tmp_path)


@pytest.mark.parametrize("version", [1, 3, "2"])
def test_any_other_format_version_is_corrupt(tmp_path, version):
    results.save_result(table(), "exp", "p", KEY, root=tmp_path)
    meta = tmp_path / "exp" / "p.json"
    data = json.loads(meta.read_text())
    data["format_version"] = version
    meta.write_text(json.dumps(data))
    with pytest.raises(results.CorruptResultError, match=f"format_version {version!r}"):
        results.load_result("exp", "p", KEY, tmp_path)


def test_column_mismatch_is_corrupt(tmp_path):
    # the CSV's SHA-256 still matches: only the column check can object
    results.save_result(table(), "exp", "p", KEY, root=tmp_path)
    meta = tmp_path / "exp" / "p.json"
    data = json.loads(meta.read_text())
    data["columns"] = ["K", "policy", "y"]
    meta.write_text(json.dumps(data))
    with pytest.raises(results.CorruptResultError, match="columns"):
        results.load_result("exp", "p", KEY, tmp_path)


def test_a_non_utf8_sidecar_is_corrupt_and_never_recomputed(tmp_path):
    results.save_result(table(), "exp", "p", KEY, root=tmp_path)
    (tmp_path / "exp" / "p.json").write_bytes(b'\xff\xfe{"a": 1}')
    compute = Counter()
    for mode in ("auto", "cache_only"):
        with pytest.raises(results.CorruptResultError, match="p.json"):
            results.cached_result("exp", "p", KEY, compute, mode=mode, root=tmp_path)
    assert compute.calls == 0


def test_a_fresh_result_is_exactly_what_a_later_load_returns(tmp_path):
    # strings that look like numbers and missing values change in a CSV round trip: the fresh table
    # must show the round-tripped values, so that a cached and a fresh run of a chapter are identical
    fresh = results.cached_result("exp", "p", KEY, lambda: pd.DataFrame({"code": ["007", "010"], "flag": [None, "a"]}),
                                  root=tmp_path)
    pd.testing.assert_frame_equal(fresh, pd.DataFrame({"code": [7, 10], "flag": [np.nan, "a"]}))
    pd.testing.assert_frame_equal(fresh, results.load_result("exp", "p", KEY, tmp_path))


def test_save_defaults_record_no_seeds_and_no_wall_time(tmp_path):
    results.save_result(table(), "exp", "p", KEY, root=tmp_path)
    meta = results.read_sidecar("exp", "p", tmp_path)
    assert meta["seeds"] == [] and meta["wall_time_s"] is None


def test_provenance_when_git_or_a_package_is_missing(monkeypatch):
    import importlib.metadata as md
    import subprocess

    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    real_run = subprocess.run
    calls = []

    def spy(args, **kwargs):
        calls.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    results.git_state()
    # untracked files and the stored results themselves do not make the code "dirty"
    assert ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)data/results"] in calls
    monkeypatch.setattr(subprocess, "run", no_git)
    assert results.git_state() == {"commit": None, "dirty": None}
    real_version = md.version

    def version(name):
        if name == "torch":
            raise md.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(md, "version", version)
    versions = results.package_versions()
    assert versions["torch"] is None and versions["numpy"] == np.__version__


def test_config_hash_of_paths():
    assert results.config_hash({"p": Path("a/b")}) == results.config_hash({"p": "a/b"})


def test_written_files_get_normal_permissions(tmp_path):
    # mkstemp creates 0o600 files: a new result gets 0o666 less the umask, a replaced one keeps its mode
    umask = os.umask(0o022)
    try:
        csv = results.save_result(table(), "exp", "p", KEY, root=tmp_path)
        assert csv.stat().st_mode & 0o777 == 0o644 and csv.with_suffix(".json").stat().st_mode & 0o777 == 0o644
        csv.chmod(0o664)
        results.save_result(table(2.0), "exp", "p", KEY, root=tmp_path)
        assert csv.stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(umask)


def test_corrupt_errors_carry_the_recompute_command(tmp_path):
    results.save_result(table(), "exp", "p", KEY, root=tmp_path)
    (tmp_path / "exp" / "p.json").write_text("{")
    with pytest.raises(results.CorruptResultError, match="truncated.*recompute it with `make reproduce`"):
        results.load_result("exp", "p", KEY, tmp_path, recompute_command="make reproduce")
    results.save_result(table(), "exp", "p", KEY, root=tmp_path)
    (tmp_path / "exp" / "p.csv").write_text("K\n1\n")
    with pytest.raises(results.CorruptResultError, match="does not match.*recompute it with mode='recompute' here"):
        results.load_result("exp", "p", KEY, tmp_path, recompute_command="mode='recompute' here")


def test_the_sidecar_names_the_cpu():
    info = store_location.platform_description()
    assert info["cpus"] == os.cpu_count() and info["python"] == platform.python_version()
    cpuinfo = "/proc/cpuinfo"
    if os.path.exists(cpuinfo):                                  # Linux: read independently of the code under test
        with open(cpuinfo) as f:
            text = f.read()
        model = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        flags = set(re.search(r"^flags\s*:\s*(.+)$", text, re.M).group(1).split())
        assert info["cpu"] == (model.group(1).strip() if model else platform.processor() or platform.machine())
        assert info["cpu_flags"] == [f for f in ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile")
                                     if f in flags]
