"""The shared helpers of conftest.py do what the tests rely on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import build_system, sha256, sheet_values, synthetic_panel, write_encoded


def test_build_system_fills_names_and_keeps_given_fields():
    system = build_system(
        {"eco": {"gdp": "+", "jobless": "-"}, "env": {"pm25": {"direction": "-", "unit": "μg"}}},
        name="small",
        method={"weighting": "critic"},
    )
    assert system.name == "small" and system.subsystem_ids == ["eco", "env"]
    assert system.indicator_ids == ["gdp", "jobless", "pm25"]
    assert [system.indicator(i).direction for i in system.indicator_ids] == ["+", "-", "-"]
    assert system.indicator("pm25").unit == "μg" and system.indicator("gdp").name_zh == "gdp"


def test_synthetic_panel_is_indexed_by_city_and_year_and_reproducible():
    a = synthetic_panel(["x", "y"], cities=3, years=(2020, 2021), seed=4, low=2.0, high=3.0)
    assert a.index.names == ["city", "year"] and a.shape == (6, 2)
    assert ((a >= 2.0) & (a < 3.0)).all().all()
    assert a.equals(synthetic_panel(["x", "y"], cities=3, years=(2020, 2021), seed=4, low=2.0,
                                    high=3.0))  # fmt: skip
    assert not np.allclose(a, synthetic_panel(["x", "y"], 3, (2020, 2021), seed=5, low=2, high=3))
    named = synthetic_panel(["x"], cities=["甲", "乙"])
    assert list(named.index.get_level_values("city").unique()) == ["甲", "乙"]


def test_files_hashes_and_encodings(tmp_path: Path):
    p = write_encoded(tmp_path / "a.csv", "城市\n甲\n")
    assert p.read_bytes().startswith(b"\xef\xbb\xbf")
    before = sha256(p)
    write_encoded(p, "城市\n乙\n", "gbk")
    assert p.read_bytes() == "城市\n乙\n".encode("gbk") and sha256(p) != before


def test_sheet_values_reads_a_path_or_a_workbook(tmp_path: Path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    ws.append(["标题", None])
    ws.append([1, "a"])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    assert sheet_values(path, "表") == ["标题", 1, "a"]
    assert sheet_values(wb, "表", min_row=2) == [1, "a"]


def test_invoke_runs_the_command_in_process(invoke):
    res = invoke("--help")
    assert res.exit_code == 0 and "assess" in res.output
    assert invoke("validate", "no-such-file.csv", "--system", "munnell").exit_code != 0


def test_munnell_panel_is_twelve_states_by_six_years(munnell_panel, data_dir):
    system, panel = munnell_panel
    assert panel.shape == (72, len(system.indicator_ids))
    assert sorted(panel.index.get_level_values("year").unique()) == list(range(1970, 1976))
    assert (data_dir / "munnell_states_1970_1986.csv").is_file()


def test_run_cli_is_a_real_subprocess(run_cli):
    res = run_cli("--help")
    assert res.returncode == 0 and "Usage" in res.stdout
    with pytest.raises(TypeError):
        run_cli(1)  # arguments are text, as on a command line
