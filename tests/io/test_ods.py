"""OpenDocument spreadsheets (.ods) read with the same limits as .xlsx (coordeval.io.read).

The packages are written by hand here (mimetype, manifest, content.xml as in ODF 1.2, OASIS
OpenDocument v1.2 Part 1 §9.1 tables), so the test needs no ODF writer.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from coordeval.errors import InputError
from coordeval.io._limits import ENV_MAX_ROWS
from coordeval.io.read import read_data
from coordeval.system import system_from_dict

SYSTEM = system_from_dict(
    {
        "name": "ods",
        "subsystems": [
            {
                "id": "economy",
                "name_zh": "经济",
                "name_en": "Economy",
                "indicators": [
                    {"id": "gdp", "name_zh": "地区生产总值", "name_en": "GDP", "direction": "+"}
                ],
            }
        ],
    }
)
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type='
    '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
    '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def cell(v) -> str:
    if isinstance(v, str):
        kind = 'office:value-type="string"'
    else:
        kind = f'office:value-type="float" office:value="{v}"'
    return f"<table:table-cell {kind}><text:p>{v}</text:p></table:table-cell>"


def ods(path: Path, rows: list[list], tail: str = "") -> Path:
    body = "".join("<table:table-row>" + "".join(map(cell, r)) + "</table:table-row>" for r in rows)
    # LibreOffice ends every sheet with a huge run of empty repeated rows
    empty = (
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="数据">{body}{tail}{empty}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", MANIFEST)
        z.writestr("content.xml", content)
    return path


ROWS = [["城市", "年份", "地区生产总值"], ["甲", 2020, 1.5], ["乙", 2020, 2.5], ["丙", 2021, 3.0]]


def test_an_ods_file_is_read(tmp_path):
    data = read_data(ods(tmp_path / "d.ods", ROWS), SYSTEM)
    assert not [p for p in data.problems if p.severity == "error"]
    assert data.panel.loc[("甲", 2020), "gdp"] == 1.5
    assert data.panel.loc[("丙", 2021), "gdp"] == 3.0


def test_the_row_limit_applies_to_ods(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_MAX_ROWS, "3")
    with pytest.raises(InputError) as err:
        read_data(ods(tmp_path / "d.ods", ROWS), SYSTEM)
    (problem,) = err.value.problems
    assert problem.code == "sheet_too_many_rows" and problem.params["limit"] == 3


def test_a_far_away_repeated_cell_is_refused_before_parsing(tmp_path):
    far = (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/>'
        "</table:table-row>"
        '<table:table-row><table:table-cell table:number-columns-repeated="16000"/>'
        + cell("x")
        + "</table:table-row>"
    )
    t0 = time.perf_counter()
    with pytest.raises(InputError) as err:
        read_data(ods(tmp_path / "far.ods", ROWS, far), SYSTEM)
    assert err.value.problems[0].code == "sheet_too_many_cells"
    assert time.perf_counter() - t0 < 5
