"""The shared figure helpers of multirat.plotting and the input checks of multirat.plotting._checks."""

import matplotlib
import numpy as np
import pytest

from multirat.plotting import (
    COLUMN_WIDTH_IN,
    axes_legend,
    figure,
    key_line,
    legend_below,
)
from multirat.plotting._checks import interval, matrix, vector

pytestmark = pytest.mark.usefixtures("book_style")


# ---- style and figure ----------------------------------------------------------------------------

def test_use_style_keeps_a_column_wide_figure_column_wide_when_saved():
    assert matplotlib.rcParams["savefig.pad_inches"] == 0
    assert matplotlib.rcParams["figure.constrained_layout.use"]


def test_figure_is_column_wide_by_default():
    fig, axes = figure(1, 2, height_in=3.0)
    assert fig.get_size_inches() == pytest.approx((COLUMN_WIDTH_IN, 3.0))
    assert len(axes) == 2


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"width_in": COLUMN_WIDTH_IN + 0.01}, "width_in"),
    ({"width_in": 0.0}, "width_in"),
    ({"height_in": 0.0}, "height_in"),
    ({"height_in": 12.5}, "height_in"),
])
def test_figure_refuses_a_size_outside_the_column(kwargs, name):
    with pytest.raises(ValueError, match=name):
        figure(**kwargs)


# ---- legends -------------------------------------------------------------------------------------

def test_legend_below_collects_unique_labels_from_all_axes():
    fig, (a, b) = figure(1, 2)
    a.plot([0, 1], label="twin")
    a.plot([1, 0], label="_hidden")
    b.plot([0, 2], label="twin")                      # same label in the other panel: one entry
    b.plot([2, 0], label="physical")
    leg = legend_below(fig)
    assert [t.get_text() for t in leg.get_texts()] == ["twin", "physical"]
    assert leg._ncols == 2
    assert a.get_legend() is None and b.get_legend() is None


def test_legend_below_takes_given_handles_and_columns():
    fig, _ = figure()
    handles = [key_line(color="k"), key_line(color="r", ls="--")]
    leg = legend_below(fig, handles, ["a", "b"], ncol=1)
    assert [t.get_text() for t in leg.get_texts()] == ["a", "b"] and leg._ncols == 1


@pytest.mark.parametrize("side", ["right", "below"])
def test_axes_legend_sits_outside_the_axes(side):
    fig, ax = figure()
    ax.plot([0, 1], label="curve")
    leg = axes_legend(ax, side=side)
    assert ax.get_legend() is leg and [t.get_text() for t in leg.get_texts()] == ["curve"]
    fig.canvas.draw()
    box, frame = leg.get_window_extent(), ax.get_window_extent()
    if side == "right":
        assert box.x0 >= frame.x1
    else:
        assert box.y1 <= frame.y0


def test_axes_legend_refuses_an_unknown_side():
    _, ax = figure()
    with pytest.raises(ValueError, match="side"):
        axes_legend(ax, side="left")


def test_key_line_draws_nothing_and_carries_its_style():
    line = key_line(color="k", ls="--", label="bound")
    assert len(line.get_xdata()) == 0 and line.get_linestyle() == "--" and line.get_label() == "bound"


# ---- input checks --------------------------------------------------------------------------------

def test_vector_returns_a_float_array():
    v = vector([1, 2, 3], "x")
    assert v.dtype == float and v.shape == (3,)
    assert vector([1.0, 2.0], "x", dtype=int).dtype.kind == "i"


@pytest.mark.parametrize("bad", [np.zeros((2, 2)), [], 3.0])
def test_vector_refuses_a_non_vector_naming_the_argument(bad):
    with pytest.raises(ValueError, match=r"psd_ar must be a non-empty 1-D array"):
        vector(bad, "psd_ar")


def test_vector_refuses_a_shape_other_than_its_x_axis():
    x = vector(np.arange(4.0), "freq_hz")
    assert vector(np.ones(4), "psd_ar", like=x, like_name="freq_hz").shape == (4,)
    with pytest.raises(ValueError, match=r"psd_ar has shape \(3,\) but freq_hz has shape \(4,\)"):
        vector(np.ones(3), "psd_ar", like=x, like_name="freq_hz")
    with pytest.raises(ValueError, match=r"psd_ar has shape \(4, 1\) but freq_hz"):
        vector(np.ones((4, 1)), "psd_ar", like=x, like_name="freq_hz")


def test_vector_with_a_length():
    assert vector([], "serving_ap", like=0, like_name="one per device").shape == (0,)
    with pytest.raises(ValueError, match=r"serving_ap has shape \(2,\); expected \(3,\): one per device"):
        vector([0, 1], "serving_ap", like=3, like_name="one per device", dtype=int)


def test_matrix_checks_fixed_dimensions_and_names_the_argument():
    assert matrix(np.ones((5, 2)), "ap_xy", (None, 2)).shape == (5, 2)
    assert matrix(np.ones((5, 2)), "per", (5, 2)).dtype == float
    with pytest.raises(ValueError, match=r"ap_xy must have shape \[\?, 2\]; got \(5, 3\)"):
        matrix(np.ones((5, 3)), "ap_xy", (None, 2))
    with pytest.raises(ValueError, match=r"per must have shape \[5, 2\] \(\[len\(sinr_db\), len\(mcs\)\]\); got \(5,\)"):
        matrix(np.ones(5), "per", (5, 2), meaning="[len(sinr_db), len(mcs)]")


def test_interval_names_the_argument():
    assert interval((1, 2), "xlim_db") == (1.0, 2.0)
    with pytest.raises(ValueError, match="xlim_db must be \\(low, high\\) with low < high"):
        interval((2, 2), "xlim_db")
    with pytest.raises(ValueError, match="drop_range_m must be two numbers"):
        interval((1, 2, 3), "drop_range_m")
