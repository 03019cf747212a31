"""report.py: the configuration as the Assumptions page's tables (every field, derived quantities, the
paper's printed values against the defaults)."""

import dataclasses

import numpy as np
import pytest

from multirat import report
from multirat.config import DQNConfig, NetworkConfig, TrainingConfig

ALL = (NetworkConfig, DQNConfig, TrainingConfig)


def test_defaults_match_every_printed_paper_value():
    table = report.compare_with_paper()
    assert len(table) >= 30
    assert table.match.all(), table[~table.match]


def test_compare_with_paper_detects_a_mismatch(tmp_path):
    bad = tmp_path / "params.csv"
    bad.write_text("source,printed_parameter,printed_value,config,field,value\n"
                   "Table 1,Maximum power,31 dBm,NetworkConfig,p_max_dbm,31\n")
    assert not report.compare_with_paper(bad).match.any()
    bad.write_text("source,printed_parameter,printed_value,config,field,value\n"
                   "Table 1,Maximum power,30 dBm,NetworkConfig,p_max_watts,30\n")
    with pytest.raises(ValueError, match="no field 'p_max_watts'"):
        report.compare_with_paper(bad)


def test_compare_with_paper_is_exact_to_1e_12(tmp_path):
    """A near miss (1e-9 relative) and a tuple of another length are mismatches; equal values match."""
    path = tmp_path / "params.csv"
    header = "source,printed_parameter,printed_value,config,field,value\n"
    rows = {
        "30.00000003": False,                                  # p_max_dbm, 1e-9 relative off
        "30.0": True,
    }
    for value, match in rows.items():
        path.write_text(header + f"Table 1,Maximum power,30 dBm,NetworkConfig,p_max_dbm,{value}\n")
        assert report.compare_with_paper(path).match.item() is match, value
    path.write_text(header + 'Sec. VI-B,hidden,"64, 128",DQNConfig,hidden_sizes,"(64,)"\n'
                    + 'Sec. VI-B,hidden,"64, 128",DQNConfig,hidden_sizes,"(64, 128, 48)"\n'
                    + "Sec. VI-B,activation,tanh,DQNConfig,activation,'relu'\n"
                    + "Table 2,Z,2000,TrainingConfig,episodes,2000\n")
    table = report.compare_with_paper(path)
    assert list(table.match) == [False, False, False, True]
    assert list(table.field) == ["DQNConfig.hidden_sizes", "DQNConfig.hidden_sizes", "DQNConfig.activation",
                                 "TrainingConfig.episodes"]
    path.write_text(header + "Table 1,x,1,Config,p_max_dbm,30\n")
    with pytest.raises(ValueError, match="unknown config 'Config'"):
        report.compare_with_paper(path)


# (config class, field, invalid value, text the message must contain besides the field name)


def test_parameter_table_covers_every_field():
    table = report.parameter_table()
    expected = sum(len(dataclasses.fields(cls)) for cls in ALL)
    assert len(table) == expected
    assert set(table.origin) == {"paper", "assumption"}
    assumed = table[table.origin == "assumption"]
    assert assumed.source.str.startswith("assumption:").all()
    assert {"n_rrbs", "noise_figure_db", "doppler_hz", "d_free", "aclr_db", "acs_db", "rrb_placement",
            "slots_per_episode", "shadowing_std_db", "aci_source"} <= set(assumed.parameter)
    with pytest.raises(TypeError):
        report.parameter_table(object())


def test_parameter_table_text_has_no_sphinx_markup():
    # the Assumptions page shows these cells as plain text: a :mod:`...` role would appear raw
    table = report.parameter_table()
    for col in ("description", "source", "allowed"):
        raw = table[table[col].str.contains(r":[a-z]+:`", regex=True)]
        assert raw.empty, f"{col} of {list(raw.parameter)} holds a Sphinx role"


def test_derived_table():
    table = report.derived_table()
    assert "actions per agent" in set(table.quantity)
    assert table.loc[table.quantity == "actions per agent", "value"].item() == "48"


def test_derived_table_values():
    table = report.derived_table().set_index("quantity")
    assert table.loc["noise power per RRB", "value"] == "-112.45"
    assert table.loc["noise power per RRB", "unit"] == "dBm"
    assert table.loc["carrier bandwidth", "value"] == "18"
    assert table.loc["carrier bandwidth", "unit"] == "MHz"
    assert table.loc["actions per agent", "value"] == "48"
    assert table.loc["peak rate per link", "value"] == "5"
    assert table.loc["peak rate per link", "unit"] == "kbit/frame"
    assert table.loc["state features per agent", "value"] == "6"
    assert table.loc["ACIR, adjacent RRB r+-1", "value"] == "32.73"
    assert table.loc["ACIR, adjacent RRB r+-2", "value"] == "41.99"
    assert len(table) == 7


def test_parameter_table_values_are_formatted_from_the_given_config():
    cfg = NetworkConfig(n_devices=7, code_rates=(0.5, 0.75, 5 / 6))
    table = report.parameter_table(cfg).set_index("parameter")
    assert table.loc["n_devices", "value"] == "7"
    assert table.loc["code_rates", "value"] == "(0.5, 0.75, 0.833333)"
    assert table.loc["fc_hz", "value"] == "6.5e+09"
    assert table.loc["h_ap_m", "allowed"].startswith("(1, 150] -- the breakpoint of Eq. (9) needs h - 1 m > 0")
    assert table.loc["modulation_orders", "allowed"] == "non-empty tuple, each integer in [2, 4096], strictly increasing"
    assert table.loc["power_grid", "allowed"] == "one of 'eq25', 'linear', 'db'"
    assert table.loc["doppler_hz", "origin"] == "assumption" and table.loc["phi", "origin"] == "paper"
    assert set(table.group) == {"NetworkConfig"}


def test_html_table_scrolls_instead_of_clipping_and_lets_mathjax_in():
    import pandas as pd

    from multirat.report import html_table

    html = html_table(pd.DataFrame({"$\\rho$": [0.5], "wide": ["x" * 300]}), float_format="{:.2f}".format).data
    assert html.startswith('<div class="table-scroll" style="overflow-x: auto; max-width: 100%">')
    assert html.endswith("</table></div>")
    assert 'class="dataframe mathjax_process"' in html and "0.50" in html
    assert '<tr style="text-align: left;">' in html                   # headers aligned as the cells are


def test_facts_text_reads_as_plain_lines():
    facts = {"beats (Z_m)": {"paper": [10, 30], "regime": []}, "IQM": {"paper": 81.91522569175795},
             "wins": {("paper", 10): 4}, "pair": (1, 0), "CI": {"paper": (-0.81, np.float64(4.2849))},
             "count": np.int64(3), "flag": True, "regime": {"mismatch": "phi = 4", "phi": 4.0}}
    assert report.facts_text(facts).split("\n") == [
        "beats (Z_m): paper: 10, 30; regime: none", "IQM: paper: 81.92", "wins: paper, 10: 4", "pair: (1, 0)",
        "CI: paper: (-0.81, 4.285)", "count: 3", "flag: True", "regime: mismatch: phi = 4; phi: 4"]
    long = report.facts_text({"k": list(range(40))}, width=30).split("\n")
    assert len(long) > 1 and all(len(line) <= 30 for line in long) and long[1].startswith("    ")
    with pytest.raises(TypeError, match="facts must be a mapping"):
        report.facts_text([("k", 1)])
