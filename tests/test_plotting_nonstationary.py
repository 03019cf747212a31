"""Chapter 13's figures (multirat.plotting.nonstationary) on small synthetic tables."""

from __future__ import annotations

import pandas as pd
import pytest

from multirat.plotting import COLUMN_WIDTH_IN
from multirat.plotting import nonstationary as pn

pytestmark = pytest.mark.usefixtures("book_style")


def _curves():
    rows = []
    for setting in ("paper", "regime"):
        for z_m in (10, 50):
            for learning, base in (("continual", 60.0), ("from_scratch", 40.0), ("frozen", 55.0)):
                for episode in (0, 50, 100):
                    rows.append({"setting": setting, "z_m": z_m, "learning": learning, "episode": episode,
                                 "mean_kbits": base + episode / 10, "ci95_kbits": 1.0, "n_seeds": 5})
    return pd.DataFrame(rows)


def test_fig8_figure_has_a_panel_per_setting_and_z_m_and_a_line_per_way():
    titles = pn.setting_titles({"paper": {"block_phi": (0.0, 0.4)}, "regime": {"block_phi": (0.0, 4.0)}})
    fig = pn.fig8_figure(_curves(), titles=titles)
    assert fig.get_figwidth() <= COLUMN_WIDTH_IN and len(fig.axes) == 4
    ax = fig.axes[0]
    assert ax.get_title() == r"$\phi_n \in \{0, 0.4\}$, $Z_m$ = 10"
    assert fig.axes[3].get_title() == r"$\phi_n \in \{0, 4\}$, $Z_m$ = 50"
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(lines) == {style[0] for style in pn.LEARNING_STYLE.values()}
    assert list(lines["retrained from scratch every block"].get_ydata()) == [40.0, 45.0, 50.0]
    assert len(ax.collections) == 3                                        # one CI band per way
    with pytest.raises(ValueError, match=r"curves lacks the columns \['ci95_kbits'\]"):
        pn.fig8_figure(_curves().drop(columns="ci95_kbits"))


def test_forgetting_figure_draws_a_bar_per_way_and_z_m():
    f = pd.DataFrame([{"setting": s, "z_m": z, "learning": w, "mean_kbits": v, "ci95_kbits": 0.5}
                      for s in ("paper", "regime") for z in (10, 30, 50)
                      for w, v in (("continual", 1.0), ("from_scratch", 8.0))])
    fig = pn.forgetting_figure(f)
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == "paper"
    bars = fig.axes[0].patches
    assert len(bars) == 6 and sorted(b.get_height() for b in bars) == [1.0] * 3 + [8.0] * 3
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["$Z_m$ = 10", "$Z_m$ = 30", "$Z_m$ = 50"]
    with pytest.raises(ValueError, match="forget lacks the columns"):
        pn.forgetting_figure(f.drop(columns="learning"))


def test_forgetting_bars_are_centred_on_their_tick():
    f = pd.DataFrame([{"setting": "paper", "z_m": z, "learning": w, "mean_kbits": 1.0, "ci95_kbits": 0.5}
                      for z in (10, 30) for w in ("continual", "from_scratch")])
    ax = pn.forgetting_figure(f).axes[0]
    centres = sorted(b.get_x() + b.get_width() / 2 for b in ax.patches)
    assert centres == pytest.approx([-0.2, 0.2, 0.8, 1.2])
