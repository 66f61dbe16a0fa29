"""Indicator systems: TOML and Excel-sheet loading, validation messages by id path, hashing."""

from __future__ import annotations

from pathlib import Path

import pytest

from coordeval.errors import ConfigError
from coordeval.report.template import write_template
from coordeval.system import builtin_systems, load_system, system_from_dict

SMALL = """
name = "small"
[method]
preset = "panel"
[[subsystems]]
id = "ecology"
name_zh = "生态环境"
name_en = "Ecology"
[[subsystems.indicators]]
id = "pm25"
name_zh = "PM2.5年均浓度"
name_en = "PM2.5"
unit = "μg/m³"
direction = "-"
aliases = ["PM2.5"]
[[subsystems.indicators]]
id = "green"
name_zh = "建成区绿化覆盖率"
name_en = "Green coverage"
unit = "%"
direction = "+"
bounds = [0, 100]
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "s.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_load_toml(tmp_path: Path) -> None:
    s = load_system(write(tmp_path, SMALL))
    assert s.indicator_ids == ["pm25", "green"]
    assert s.directions == {"pm25": "-", "green": "+"}
    assert s.membership == {"pm25": "ecology", "green": "ecology"}
    assert s.indicator("green").bounds == (0.0, 100.0)
    assert len(s.sha256) == 64


def test_errors_name_the_path_by_ids(tmp_path: Path) -> None:
    bad = SMALL.replace('direction = "-"', 'direction = "down"').replace(
        "bounds = [0, 100]", "bounds = [100, 0]"
    )
    with pytest.raises(ConfigError) as info:
        load_system(write(tmp_path, bad))
    msg = str(info.value)
    assert "subsystems[ecology].indicators[pm25].direction" in msg
    assert "subsystems[ecology].indicators[green].bounds" in msg
    assert "too_short" not in msg and "at least 1 item" not in msg


def test_unknown_field_and_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"indicators\[green\]\.colour"):
        load_system(write(tmp_path, SMALL + 'colour = "red"\n'))
    dup = SMALL.replace('id = "green"', 'id = "pm25"')
    with pytest.raises(ConfigError, match="used in 'ecology' and 'ecology'"):
        load_system(write(tmp_path, dup))


def test_bad_id_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="lower_snake"):
        load_system(write(tmp_path, SMALL.replace('id = "green"', 'id = "Green Cover"')))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_system(write(tmp_path, "name = \n"))


def test_missing_file_lists_builtins() -> None:
    with pytest.raises(ConfigError, match="synergy7"):
        load_system("no_such_system")


def test_builtin_synergy7_is_installed() -> None:
    assert "synergy7" in builtin_systems()
    s = load_system("synergy7")
    assert s.subsystem_ids == [
        "industry",
        "services",
        "ecology",
        "innovation",
        "governance",
        "markets",
        "infrastructure",
    ]


def test_direction_synonyms() -> None:
    data = {
        "name": "x",
        "subsystems": [
            {
                "id": "a",
                "name_zh": "甲",
                "name_en": "A",
                "indicators": [
                    {"id": "i1", "name_zh": "一", "name_en": "one", "direction": 1},
                    {"id": "i2", "name_zh": "二", "name_en": "two", "direction": "负向"},
                ],
            }
        ],
    }
    assert system_from_dict(data).directions == {"i1": "+", "i2": "-"}


def test_excel_sheet_round_trip(tmp_path: Path) -> None:
    """The template's 指标体系 sheet loads back as the same system (ids, units, bounds)."""
    s = load_system(write(tmp_path, SMALL))
    book = write_template(s, tmp_path / "t.xlsx")
    back = load_system(book)
    assert back.indicator_ids == s.indicator_ids
    assert back.indicator("green").bounds == (0.0, 100.0)
    assert back.indicator("pm25").aliases == ("PM2.5",)
    assert back.subsystems[0].indicators == s.subsystems[0].indicators
