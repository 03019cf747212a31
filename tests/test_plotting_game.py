"""Chapter 5's figures (multirat.plotting.game) from small synthetic inputs: size, content, input checks."""

import numpy as np
import pytest

from multirat.plotting import COLUMN_WIDTH_IN, game

pytestmark = pytest.mark.usefixtures("book_style")


def _fits(fig):
    assert fig.get_figwidth() <= COLUMN_WIDTH_IN + 1e-9


def _legend_labels(fig):
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def _drop(rng, k, n):
    ap_xy = np.column_stack([600.0 * np.arange(k), np.zeros(k)])
    serving = rng.integers(0, k, n)
    device_xy = ap_xy[serving] + rng.uniform(-200, 200, (n, 2))
    return ap_xy, device_xy, serving


# ---- drop_figure --------------------------------------------------------------------------------

def test_drop_figure_draws_every_ap_and_device():
    rng = np.random.default_rng(0)
    drops = {"four": _drop(rng, 4, 10), "six": _drop(rng, 6, 30)}
    fig = game.drop_figure(drops, 300.0, 30.0)
    _fits(fig)
    assert len(fig.axes) == 2
    for ax, (ap_xy, device_xy, _) in zip(fig.axes, drops.values()):
        assert len(ax.patches) == 2 * len(ap_xy)                      # coverage + exclusion disk per AP
        assert sum(len(c.get_offsets()) for c in ax.collections) == len(device_xy)
        assert sum(t.get_text().startswith("AP ") for t in ax.texts) == len(ap_xy)
    # wider drop, wider panel (equal aspect)
    assert fig.axes[1].get_position().width > fig.axes[0].get_position().width


def test_drop_figure_rejects_bad_input():
    rng = np.random.default_rng(1)
    ap_xy, device_xy, serving = _drop(rng, 4, 10)
    with pytest.raises(ValueError, match="serving_ap"):
        game.drop_figure({"a": (ap_xy, device_xy, serving[:-1])}, 300.0, 30.0)
    with pytest.raises(ValueError, match="serving_ap"):
        game.drop_figure({"a": (ap_xy, device_xy, serving + 4)}, 300.0, 30.0)
    with pytest.raises(ValueError, match="device_xy"):
        game.drop_figure({"a": (ap_xy, device_xy[:, :1], serving)}, 300.0, 30.0)
    with pytest.raises(ValueError, match="exclusion_radius_m"):
        game.drop_figure({"a": (ap_xy, device_xy, serving)}, 30.0, 300.0)
    with pytest.raises(ValueError, match="drops"):
        game.drop_figure({k: (ap_xy, device_xy, serving) for k in "abc"}, 300.0, 30.0)


# ---- scheduling_figure ----------------------------------------------------------------------------

def _schedule_inputs(rng, t=30, n=12, k=3):
    scheduled = {"PF": rng.random((t, n)) < 0.4, "max gain": rng.random((t, n)) < 0.4}
    average_rate = rng.uniform(1.0, 1000.0, (t, n))
    serving_ap = np.arange(n) % k
    distance_m = rng.uniform(30, 300, n)
    jain = {"PF": rng.uniform(0.6, 0.8, 5), "max gain": rng.uniform(0.4, 0.6, 5), "round robin": np.ones(5)}
    return scheduled, average_rate, serving_ap, distance_m, jain


def test_scheduling_figure_panels_lines_and_ap_legend():
    rng = np.random.default_rng(2)
    scheduled, average_rate, serving_ap, distance_m, jain = _schedule_inputs(rng)
    fig = game.scheduling_figure(scheduled, average_rate, serving_ap, distance_m, jain, n_slots_shown=20)
    _fits(fig)
    assert len(fig.axes) == 4
    top_left, _, rates, box = fig.axes
    assert top_left.images[0].get_array().shape == (12, 20)            # devices x shown TS
    assert len(rates.lines) == 12
    assert rates.lines[0].get_xdata().size == 20
    assert _legend_labels(fig) == ["AP 0", "AP 1", "AP 2"]             # one entry per AP, below the axes
    assert [t.get_text() for t in box.get_xticklabels()] == list(jain)
    assert [t.get_text() for t in top_left.get_yticklabels()] == ["AP 0", "AP 1", "AP 2"]
    # rows sorted by AP, then distance: the first row is the nearest device of AP 0
    first = np.flatnonzero(serving_ap == 0)[np.argmin(distance_m[serving_ap == 0])]
    np.testing.assert_array_equal(top_left.images[0].get_array()[0], scheduled["PF"][:20, first])


def test_scheduling_figure_rejects_bad_input():
    rng = np.random.default_rng(3)
    scheduled, average_rate, serving_ap, distance_m, jain = _schedule_inputs(rng)
    with pytest.raises(ValueError, match=r"scheduled\['PF'\]"):
        game.scheduling_figure({"PF": scheduled["PF"][:, :-1], "max gain": scheduled["max gain"]},
                               average_rate, serving_ap, distance_m, jain)
    with pytest.raises(ValueError, match="distance_m"):
        game.scheduling_figure(scheduled, average_rate, serving_ap, distance_m[:-1], jain)
    with pytest.raises(ValueError, match="average_rate"):
        game.scheduling_figure(scheduled, np.zeros_like(average_rate), serving_ap, distance_m, jain)
    with pytest.raises(ValueError, match="scheduled"):
        game.scheduling_figure({"PF": scheduled["PF"]}, average_rate, serving_ap, distance_m, jain)
    with pytest.raises(ValueError, match=r"jain\['PF'\]"):
        game.scheduling_figure(scheduled, average_rate, serving_ap, distance_m, {"PF": np.ones((2, 2))})


# ---- rrb_order_figure -----------------------------------------------------------------------------

def _order_inputs(rng, t=15, n=8):
    rrb = {"fixed": np.array([rng.permutation(n) for _ in range(t)]),
           "random": np.array([rng.permutation(n) for _ in range(t)])}
    serving_ap = np.arange(n) % 2
    distance_m = rng.uniform(30, 300, n)
    share = rng.random((n, n))
    return rrb, serving_ap, distance_m, (share + share.T) / 2


def test_rrb_order_figure_maps_and_matrix():
    rng = np.random.default_rng(4)
    rrb, serving_ap, distance_m, share = _order_inputs(rng)
    fig = game.rrb_order_figure(rrb, serving_ap, distance_m, share)
    _fits(fig)
    images = [ax.images[0] for ax in fig.get_axes() if ax.images]
    assert len(images) == 3                                            # two RRB maps, one adjacency matrix
    assert images[0].get_array().shape == (8, 15)
    nearest = np.argmin(distance_m)
    np.testing.assert_array_equal(images[0].get_array()[0], rrb["fixed"][:, nearest])
    assert images[2].get_array().shape == (8, 8)
    assert images[1].colorbar is not None and images[2].colorbar is not None   # RRB index, share of TS
    assert images[2].colorbar.vmin == 0 and images[2].colorbar.vmax == 1


def test_rrb_order_figure_rejects_bad_input():
    rng = np.random.default_rng(5)
    rrb, serving_ap, distance_m, share = _order_inputs(rng)
    with pytest.raises(ValueError, match="adjacent_share"):
        game.rrb_order_figure(rrb, serving_ap, distance_m, share[:-1])
    with pytest.raises(ValueError, match="adjacent_share"):
        game.rrb_order_figure(rrb, serving_ap, distance_m, 2 * share + 1)
    with pytest.raises(ValueError, match=r"rrb\['random'\]"):
        game.rrb_order_figure({"fixed": rrb["fixed"], "random": rrb["random"][:, :-1]}, serving_ap, distance_m,
                              share)
    with pytest.raises(ValueError, match=r"rrb\['fixed'\]"):
        game.rrb_order_figure({"fixed": rrb["fixed"] - 1, "random": rrb["random"]}, serving_ap, distance_m, share)
    with pytest.raises(ValueError, match="serving_ap"):
        game.rrb_order_figure(rrb, serving_ap[:-1], distance_m, share)


# ---- impairment_cdf_figure, aci_cdf_figure ----------------------------------------------------------

def _runs(rng, keys, size=200):
    return {key: rng.lognormal(0.0, 2.0, size) for key in keys}


KEYS = [(s, p, m) for s in ("small", "large") for p in ("fixed", "random") for m in ("twin", "phys 0.4", "phys 0.9")]


def test_impairment_cdf_figure_grid_curves_and_legend():
    rng = np.random.default_rng(6)
    sinr, aci, hwi = _runs(rng, KEYS), _runs(rng, KEYS), _runs(rng, KEYS)
    aci[KEYS[0]][:50] = 0.0                                            # links without ACI: drawn at the floor
    fig = game.impairment_cdf_figure(sinr, aci, hwi)
    _fits(fig)
    assert len(fig.axes) == 6                                          # 3 quantities x 2 scenarios
    for ax in fig.axes:
        curves = [ln for ln in ax.lines if np.size(ln.get_xdata()) > 2]
        assert len(curves) == 6                                        # 2 policies x 3 networks
        assert all(np.all(np.diff(ln.get_ydata()) >= 0) for ln in curves)
    assert fig.axes[2].lines[0].get_xdata()[0] == game.RATIO_FLOOR_DB
    assert sorted(_legend_labels(fig)) == sorted(["twin", "phys 0.4", "phys 0.9", "fixed", "random"])
    assert [ax.get_title() for ax in fig.axes[:2]] == ["small", "large"]


def test_impairment_cdf_figure_rejects_bad_input():
    rng = np.random.default_rng(7)
    sinr, aci, hwi = _runs(rng, KEYS), _runs(rng, KEYS), _runs(rng, KEYS)
    with pytest.raises(ValueError, match="hwi_over_noise"):
        game.impairment_cdf_figure(sinr, aci, {**hwi, KEYS[0]: hwi[KEYS[0]][:-1]})
    with pytest.raises(ValueError, match="aci_over_noise"):
        game.impairment_cdf_figure(sinr, {k: v for k, v in aci.items() if k != KEYS[1]}, hwi)
    with pytest.raises(ValueError, match="sinr"):
        game.impairment_cdf_figure({**sinr, KEYS[0]: -sinr[KEYS[0]]}, aci, hwi)      # dB passed as linear
    with pytest.raises(ValueError, match="sinr"):
        game.impairment_cdf_figure({("a", "b"): sinr[KEYS[0]]}, aci, hwi)
    three = {(s, p, m): v for (_, p, m), v in sinr.items() for s in ("x", "y", "z")}
    with pytest.raises(ValueError, match="two scenarios"):
        game.impairment_cdf_figure(three, three, three)


def test_aci_cdf_figure_curves_and_legend():
    rng = np.random.default_rng(8)
    keys = [(s, p, src) for s in ("small", "large") for p in ("contiguous", "spread") for src in ("other_ap", "any")]
    aci = _runs(rng, keys)
    aci[keys[2]][:] = 0.0                                              # spread: no ACI at all
    fig = game.aci_cdf_figure(aci)
    _fits(fig)
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert len([ln for ln in ax.lines if np.size(ln.get_xdata()) > 2]) == 4
    assert np.all(fig.axes[0].lines[2].get_xdata() == game.RATIO_FLOOR_DB)
    assert _legend_labels(fig) == ["contiguous RRBs, ACI from other APs", "contiguous RRBs, ACI from any adjacent link",
                                   "spread RRBs, ACI from other APs", "spread RRBs, ACI from any adjacent link"]
    with pytest.raises(ValueError, match=r"aci_over_noise\["):
        game.aci_cdf_figure({keys[0]: np.ones((3, 2))})
