"""plotting/sensitivity.py: chapter 14's figures from small hand-built tables."""

import numpy as np
import pandas as pd
import pytest

from multirat.plotting import COLUMN_WIDTH_IN
from multirat.plotting.sensitivity import distance_figure, tornado_figure

pytestmark = pytest.mark.usefixtures("book_style")      # tests/conftest.py: Agg, the book's style, closed after


def _table():
    rows = [("default", 10.0, np.nan), ("a", 12.0, 1.0), ("b", 4.0, np.nan), ("c", 10.5, 0.5), ("d", np.nan, np.nan)]
    return pd.DataFrame([{"quantity": "q", "reading": r, "value": v, "ci95": c} for r, v, c in rows])


def test_tornado_bars_start_at_the_default_and_the_largest_move_is_on_top():
    fig = tornado_figure(_table(), ["q"], {"q": 11.0}, ncols=1)
    ax = fig.axes[0]
    bars = ax.patches
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c", "a", "b"]       # |move| 0.5, 2, 6: "b" on top
    np.testing.assert_allclose([b.get_x() for b in bars], [10.0, 10.0, 10.0])     # every bar starts at the default
    np.testing.assert_allclose([b.get_width() for b in bars], [0.5, 2.0, -6.0])
    assert len(ax.collections) == 1 and len(ax.collections[0].get_segments()) == 2     # CIs where finite only
    vlines = [line for line in ax.get_lines() if len(set(line.get_xdata())) == 1]     # axvline: one x
    assert sorted(line.get_xdata()[0] for line in vlines) == [10.0, 11.0]            # the default and the paper
    assert fig.get_size_inches()[0] <= COLUMN_WIDTH_IN + 1e-9
    from matplotlib.colors import to_rgba

    from multirat.plotting import PALETTE

    assert [b.get_facecolor() for b in bars] == [to_rgba(PALETTE[0])] * 2 + [to_rgba(PALETTE[1])]
    ends = sorted(tuple(s[:, 0]) for s in ax.collections[0].get_segments())
    np.testing.assert_allclose(ends, [(10.0, 11.0), (11.0, 13.0)])             # CIs centred on the readings


def test_tornado_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="lacks the columns"):
        tornado_figure(_table().drop(columns="ci95"), ["q"])
    with pytest.raises(ValueError, match=r"no rows of the quantities \['x'\]"):
        tornado_figure(_table(), ["x"])
    with pytest.raises(ValueError, match="no value for the 'default' reading"):
        tornado_figure(_table()[lambda t: t.reading != "default"], ["q"])


def test_distance_figure_ranks_the_closest_on_top_by_the_first_stand_in():
    table = pd.DataFrame({"reading": ["r1", "r2", "r3", "r1", "r2", "r3"], "stand_in": ["g"] * 3 + ["e"] * 3,
                          "distance": [0.5, 0.2, 0.9, 0.1, 0.8, 0.3]})
    fig = distance_figure(table, top=2)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["r1", "r2"]          # r2 (0.2) on top, then r1
    widths = sorted(round(b.get_width(), 3) for b in ax.patches)
    assert widths == [0.1, 0.2, 0.5, 0.8]
    with pytest.raises(ValueError, match="lacks the columns"):
        distance_figure(table.drop(columns="stand_in"))
