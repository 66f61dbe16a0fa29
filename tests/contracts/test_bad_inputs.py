"""Messy and hostile inputs: every bad file gets a clear answer and nothing is lost.

The corpus lives in ``tests/data/bad`` (``make_corpus.py`` there regenerates it; its README
lists every file). Each unreadable file is run through ``coordeval assess`` as a user would:
exit code 1, a message naming the file, sheet, cell and value as written, no traceback, the
input's bytes unchanged and no report or model written. Files that can be read (other
encodings, a second sheet, a two-row header, ``.xls``, years written ``2019年``) must read
exactly like ``reference.csv``.
"""

from __future__ import annotations

import hashlib
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coordeval.cli import app
from coordeval.errors import ConfigError, DataWarning, InputError, MethodWarning
from coordeval.io.read import read_data, read_panel
from coordeval.model import CoordinationModel, load_model
from coordeval.system import load_system

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
SYSTEM_FILE = BAD / "system.toml"
SYSTEM = load_system(SYSTEM_FILE)
runner = CliRunner()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reference() -> pd.DataFrame:
    return read_panel(BAD / "reference.csv", SYSTEM)


def invoke(*args: str) -> tuple[int, str, BaseException | None]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.output, res.exception


FAILING = [
    pytest.param(
        "non_number.xlsx",
        [],
        [
            "non_number.xlsx 数据!C3 [地区生产总值(亿元)]: value 'abc': gdp (地区生产总值): "
            "not a number",
            "non_number.xlsx 数据!E5 [建成区绿化覆盖率(%)]: value '12.3.4'",
        ],
        id="non-number",
    ),
    pytest.param(
        "duplicate_city_year.xlsx",
        [],
        [
            "duplicate_city_year.xlsx 数据!A11: value '甲, 2019': duplicate city-year "
            "(甲, 2019) in A2 and A11"
        ],
        id="duplicate-city-year",
    ),
    pytest.param(
        "missing_indicator.xlsx",
        [],
        [
            "missing_indicator.xlsx sheet 数据: no column for 1 indicator(s)",
            "pm25 (PM2.5年均浓度)",
            "(header row: A1:E1)",
        ],
        id="missing-indicator",
    ),
    pytest.param(
        "unknown_indicator.xlsx",
        [],
        [
            "unknown_indicator.xlsx 数据!C1 [地区生产总额(亿元)]: column is not an indicator",
            "(did you mean gdp 地区生产总值?)",
            "no column for 1 indicator(s) of the system 'bad-input corpus': gdp (地区生产总值); "
            "headers not recognised: C1 '地区生产总额(亿元)'",
        ],
        id="unknown-indicator",
    ),
    pytest.param("empty.xlsx", [], ["empty.xlsx: the file is empty (0 bytes)"], id="empty-xlsx"),
    pytest.param("empty.csv", [], ["empty.csv: the file is empty (0 bytes)"], id="empty-csv"),
    pytest.param(
        "blank_sheet.xlsx",
        [],
        ["blank_sheet.xlsx: no sheet has a header row", "sheets in the workbook: 数据"],
        id="blank-sheet",
    ),
    pytest.param(
        "header_only.xlsx",
        [],
        ["header_only.xlsx 数据!A1: no data rows below the header"],
        id="header-only-xlsx",
    ),
    pytest.param(
        "header_only.csv",
        [],
        ["header_only.csv line 1, column 1: no data rows below the header"],
        id="header-only-csv",
    ),
    pytest.param(
        "merged_value_header.xlsx",
        [],
        [
            "merged_value_header.xlsx 数据!D2: value '90': column has values under the header "
            "C1:D1 ('地区生产总值(亿元)'), which is merged across several columns"
        ],
        id="header-merged-over-values",
    ),
    pytest.param(
        "no_data_sheet.xlsx",
        [],
        ["no_data_sheet.xlsx: no sheet has a header row", "sheets in the workbook: 封面, 指标"],
        id="no-data-sheet",
    ),
    pytest.param(
        "truncated.xlsx",
        [],
        ["truncated.xlsx: the workbook is incomplete", "interrupted download"],
        id="truncated-xlsx",
    ),
    pytest.param(
        "not_a_workbook.xlsx",
        [],
        ["not_a_workbook.xlsx: cannot be read as an Excel workbook: the file holds plain text"],
        id="text-named-xlsx",
    ),
    pytest.param(
        "encrypted.xlsx",
        [],
        ["encrypted.xlsx: the workbook is password-protected"],
        id="password-protected",
    ),
    pytest.param(
        "nonfinite.csv",
        [],
        [
            "nonfinite.csv line 2, column 3 [地区生产总值(亿元)]: value 'inf': gdp (地区生产总值): "
            "not a finite number",
            "nonfinite.csv line 4, column 6 [PM2.5年均浓度(微克/立方米)]: value '1e400'",
            "nonfinite.csv line 6, column 4 [城镇登记失业率(%)]: value '-Infinity'",
        ],
        id="inf-and-overflow",
    ),
    pytest.param(
        "negative.xlsx",
        ["--weighting", "cv"],
        [
            "negative.xlsx 数据!C4 [地区生产总值(亿元)]: value '-5': gdp (地区生产总值) is "
            "negative (-5.0) in 丙 2019; --weighting cv needs non-negative values"
        ],
        id="negative-with-cv",
    ),
    pytest.param(
        "constant_subsystem.xlsx",
        [],
        [
            "constant_subsystem.xlsx 数据!E2:E10 [建成区绿化覆盖率(%)]: value '40': green "
            "(建成区绿化覆盖率) is 40 in every city-year",
            "constant_subsystem.xlsx 数据!F2:F10",
            "no indicator of subsystem 'ecology' (生态环境) varies",
        ],
        id="constant-subsystem",
    ),
    pytest.param(
        "single_row.xlsx",
        [],
        ["single_row.xlsx 数据!C2: fitting needs at least two city-years"],
        id="single-city-single-year",
    ),
    pytest.param(
        "all_missing_indicator.xlsx",
        [],
        [
            "all_missing_indicator.xlsx 数据!F2:F10 [PM2.5年均浓度(微克/立方米)]: value '—': "
            "pm25 (PM2.5年均浓度) has no value in any of the 9 city-years"
        ],
        id="indicator-missing-everywhere",
    ),
    pytest.param(
        "formula_no_cache.xlsx",
        [],
        [
            "formula_no_cache.xlsx 数据!C3 [地区生产总值(亿元)]: value '=C2*2.5': gdp "
            "(地区生产总值): formula without a cached value: open and save the file in Excel",
            "formula_no_cache.xlsx 数据!F10 [PM2.5年均浓度(微克/立方米)]: value '=AVERAGE(F2:F9)'",
        ],
        id="formula-without-cached-value",
    ),
    pytest.param(
        "comma_unquoted.csv",
        [],
        [
            "comma_unquoted.csv line 5, column 7: value '33': the row has 7 fields but the header "
            "has 6: an unquoted thousands separator or decimal comma"
        ],
        id="unquoted-comma-shifts-a-row",
    ),
    pytest.param(
        "comma_ambiguous.csv",
        [],
        [
            "comma_ambiguous.csv line 3, column 3 [地区生产总值(亿元)]: value '0,25': the "
            "column has both decimal commas and thousands separators"
        ],
        id="decimal-comma-next-to-thousands",
    ),
    pytest.param(
        "error_key.xlsx",
        [],
        [
            "error_key.xlsx 数据!A3 [城市]: value '#N/A': where a city name is expected: an error "
            "value of a formula"
        ],
        id="error-value-as-city",
    ),
    pytest.param(
        "uncached_key.xlsx",
        [],
        [
            "uncached_key.xlsx 数据!A4 [城市]: value '=A2': where a city name is expected: formula "
            "without a cached value"
        ],
        id="uncached-formula-as-city",
    ),
    pytest.param(
        "big5.csv", [], ["big5.csv: the text looks like Big5 (Traditional Chinese)"], id="big5"
    ),
    pytest.param(
        "shift_jis.csv",
        [],
        ["shift_jis.csv: the text looks like Shift-JIS (Japanese)"],
        id="shift-jis",
    ),
    pytest.param(
        "euc_kr.csv", [], ["euc_kr.csv: the text looks like EUC-KR (Korean)"], id="euc-kr"
    ),
    pytest.param(
        "control_char.csv",
        [],
        [
            "control_char.csv line 2, column 1 [城市]: value '甲<U+0007>': the city name holds a "
            "control character"
        ],
        id="control-character-in-a-city",
    ),
    pytest.param(
        "extreme_values.csv",
        [],
        [
            "extreme_values.csv [gdp]: values from -1.7e+308 (at 甲 2019) to 1.7e+308 (at 乙 2019)",
            "span a range double precision cannot divide by",
        ],
        id="range-beyond-double",
    ),
    pytest.param(
        "far_cell.ods",
        [],
        ["far_cell.ods sheet content.xml: the sheet's cells span A1:WQK1000011"],
        id="ods-far-cell",
    ),
]

#: Files read like the reference, with a warning saying what was done.
READ_WITH_A_WARNING = [
    ("decimal_comma.csv", "the column writes decimals with a comma (3,1 is not a thousands"),
    ("percent_format.xlsx", "2 cell(s) are formatted as percentages (stored 0.031, shown 3.1%)"),
    ("total_row.csv", "line 11, column 1 [城市]: value '合计': a total or subtotal row"),
    ("hidden_sheet.xlsx", "sheet(s) '旧数据' ('旧数据' hidden) also hold a table"),
]


@pytest.mark.parametrize(("name", "warning"), READ_WITH_A_WARNING)
def test_files_read_as_typed_equal_the_reference_with_a_warning(name, warning):
    src = BAD / name
    before = sha(src)
    with pytest.warns(DataWarning, match="read_data"):
        pd.testing.assert_frame_equal(read_panel(src, SYSTEM), reference())
    code, output, _ = invoke("validate", str(src), "-s", str(SYSTEM_FILE))
    assert code == 0, output
    assert warning in " ".join(output.split())
    assert sha(src) == before


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("system_nonfinite.toml", ["subsystems[economy].indicators[gdp].bounds: bounds [-inf, "
                                   "inf] must be finite numbers",
                                   "subsystems[ecology].indicators[green].weight: Input should "
                                   "be a finite number"]),
        ("system_reserved.toml", ["subsystems[composite].id: id 'composite' is reserved"]),
        ("system_sheet_bad.xlsx", ["system_sheet_bad.xlsx!指标体系!J2 (weight): 'heavy' is not a "
                                   "number",
                                   "system_sheet_bad.xlsx!指标体系!L3 (hi): blank although lo is "
                                   "given"]),
    ],
)  # fmt: skip
def test_bad_systems_exit_1_naming_every_field(system, expected):
    code, output, exc = invoke("validate", str(BAD / "reference.csv"), "-s", str(BAD / system))
    assert code == 1, output
    assert isinstance(exc, SystemExit) and "Traceback" not in output
    text = " ".join(output.split())
    for fragment in expected:
        assert " ".join(fragment.split()) in text


@pytest.mark.parametrize(("name", "args", "expected"), FAILING)
def test_bad_file_exit_1_located_no_output(tmp_path, name, args, expected):
    src = BAD / name
    before = sha(src)
    out = tmp_path / "out"
    code, output, exc = invoke(
        "assess", str(src), "-s", str(SYSTEM_FILE), "-o", str(out / "r.xlsx"),
        "--model-out", str(out / "m.json"), *args,
    )  # fmt: skip
    assert code == 1, output
    assert isinstance(exc, SystemExit), exc  # a handled user error, not a crash
    assert "Traceback" not in output
    for fragment in expected:
        assert fragment in output
    assert sha(src) == before
    assert not out.exists()


def test_password_protected_is_not_called_corrupt():
    code, output, _ = invoke("validate", str(BAD / "encrypted.xlsx"), "-s", str(SYSTEM_FILE))
    assert code == 1
    assert "password-protected" in output
    assert "damaged" not in output and "corrupt" not in output and "zip" not in output


def test_every_corpus_file_is_covered():
    """Each data file in the corpus is exercised by a test here (or in test_security)."""
    covered = {p.values[0] for p in FAILING} | set(READABLE) | {
        n for n, _ in READ_WITH_A_WARNING} | {"system_sheet_bad.xlsx"} | {
        "reference.csv", "extra_column.xlsx", "two_data_sheets.xlsx", "constant_indicator.xlsx",
        "single_city.xlsx", "single_year.xlsx", "billion_laughs.xlsx", "external_entity.xlsx",
    }  # fmt: skip
    suffixes = (".xlsx", ".xls", ".csv", ".ods")
    data_files = {p.name for p in BAD.iterdir() if p.suffix in suffixes}
    assert data_files == covered


READABLE = [
    "gbk.csv",
    "utf8_bom.csv",
    "utf16.csv",
    "old.xls",
    "second_sheet.xlsx",
    "merged_header.xlsx",
    "years_nian.xlsx",
]


@pytest.mark.parametrize("name", READABLE)
def test_readable_variants_equal_the_reference(name):
    src = BAD / name
    before = sha(src)
    panel = read_panel(src, SYSTEM)
    pd.testing.assert_frame_equal(panel, reference())
    code, output, _ = invoke("validate", str(src), "-s", str(SYSTEM_FILE))
    assert code == 0, output
    assert "ok: 9 city-years (3 cities, 3 years), 4 indicators" in output
    assert sha(src) == before


def test_encodings_are_recorded():
    assert read_data(BAD / "gbk.csv", SYSTEM).encoding == "gb18030"
    assert read_data(BAD / "utf8_bom.csv", SYSTEM).encoding == "utf-8-sig"
    assert read_data(BAD / "utf16.csv", SYSTEM).encoding == "utf-16"


def test_merged_two_row_header_and_footnotes_are_reported_as_notes():
    data = read_data(BAD / "merged_header.xlsx", SYSTEM)
    notes = [str(p) for p in data.problems]
    assert data.errors == []
    assert any("the header spans rows 2–3" in n for n in notes)
    assert any("数据!A14: value '注：2021年为快报数。': footnote row" in n for n in notes)
    assert any("merged cells A4:A6" in n for n in notes)
    assert {c for c in data.cells["cell"] if c.startswith("C")} >= {"C4", "C12"}
    assert data.units == {
        "gdp": "亿元",
        "unemployment": "%",
        "green": "%",
        "pm25": "微克/立方米",
    }


def test_second_sheet_is_found_and_named():
    data = read_data(BAD / "second_sheet.xlsx", SYSTEM)
    assert data.sheet == "数据"
    assert data.errors == []


def test_two_data_sheets_read_the_first_and_name_the_other():
    src = BAD / "two_data_sheets.xlsx"
    with pytest.warns(DataWarning, match="'2021' also hold a table"):
        panel = read_panel(src, SYSTEM)
    pd.testing.assert_frame_equal(panel, reference().loc[panel.index])
    assert sorted(panel.index.get_level_values("year").unique()) == [2019, 2020]
    pd.testing.assert_frame_equal(
        read_panel(src, SYSTEM, sheet="2021"), reference().xs(2021, level="year", drop_level=False)
    )
    code, output, _ = invoke("validate", str(src), "-s", str(SYSTEM_FILE))
    assert code == 0
    assert "two_data_sheets.xlsx sheet 2019-2020: sheet(s) '2021' also hold a table" in output


def test_missing_sheet_names_the_sheets_that_exist():
    with pytest.raises(InputError, match=r"no sheet '2022'; the workbook has: 2019-2020, 2021"):
        read_data(BAD / "two_data_sheets.xlsx", SYSTEM, sheet="2022")


def test_extra_unknown_column_is_a_warning_not_a_loss():
    """A column the system does not know is named (cell and header) and nothing else changes."""
    src = BAD / "extra_column.xlsx"
    with pytest.warns(DataWarning, match="G1"):
        panel = read_panel(src, SYSTEM)
    pd.testing.assert_frame_equal(panel, reference())
    code, output, _ = invoke("validate", str(src), "-s", str(SYSTEM_FILE))
    assert code == 0
    assert "extra_column.xlsx 数据!G1 [常住人口(万人)]: column is not an indicator" in output


def test_constant_indicator_is_located_and_gets_weight_zero(tmp_path):
    src = BAD / "constant_indicator.xlsx"
    out = tmp_path / "m.json"
    code, output, _ = invoke("fit", str(src), "-s", str(SYSTEM_FILE), "-o", str(out))
    assert code == 0, output
    assert "['green'] do not vary over the fit data: weight 0" in output
    assert load_model(out).weights_["green"] == 0.0
    from coordeval.io.validate import check_fit_data

    [warning] = check_fit_data(read_data(src, SYSTEM))
    assert (warning.severity, warning.sheet, warning.cell, warning.value) == (
        "warning",
        "数据",
        "E2:E10",
        "40",
    )
    assert warning.code == "indicator_constant" and warning.params["value"] == "40"


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        ("single_city.xlsx", {"inequality", "convergence", "synergy"}),
        ("single_year.xlsx", {"convergence", "synergy"}),
    ],
)
def test_single_city_or_year_scores_and_names_the_skipped_analyses(tmp_path, name, skipped):
    """Scores need no more than two city-years; analyses across cities or over time that the
    data cannot support are listed as skipped with the reason, not failed."""
    code, output, _ = invoke(
        "fit", str(BAD / name), "-s", str(SYSTEM_FILE), "-o", str(tmp_path / "m.json")
    )
    assert code == 0, output
    panel = read_panel(BAD / name, SYSTEM)
    model = CoordinationModel(SYSTEM).fit(panel)
    with warnings.catch_warnings():  # e.g. the zero-score coupling warning of a 3-row panel
        warnings.simplefilter("ignore", MethodWarning)
        a = model.assess(panel, robustness_draws=0)
    assert skipped <= set(a.skipped)
    assert "at least two" in a.skipped["convergence"]
    assert np.isfinite(model.transform(panel).to_numpy()).all()


MODEL_CASES = [
    ("model_other_system.json", "no column for 2 indicator(s) of the system 'another"),
    ("model_edited_system.json", "embedded indicator system does not match its recorded hash"),
    ("model_edited_weights.json", "fitted numbers do not match their recorded hash"),
    ("model_edited_bounds.json", "fitted numbers do not match their recorded hash"),
    ("model_truncated.json", "model_truncated.json: not valid JSON"),
    ("model_no_hash.json", "the hash of the fitted numbers (fitted_sha256) is missing"),
    ("model_nan.json", "model_nan.json: NaN is not a JSON number"),
    ("model_deep.json", "model_deep.json: JSON nested 100001 levels deep"),
]


@pytest.mark.parametrize(("name", "expected"), MODEL_CASES)
def test_bad_model_files_exit_1_with_the_reason(tmp_path, name, expected):
    model = BAD / name
    data = BAD / "reference.csv"
    before = (sha(model), sha(data))
    out = tmp_path / "scores"
    code, output, exc = invoke("score", str(data), "--model", str(model), "-o", str(out), "--quiet")
    assert code == 1, output
    assert isinstance(exc, SystemExit)
    assert expected in output
    assert "Traceback" not in output
    assert (sha(model), sha(data)) == before
    assert not (out / "scores.csv").exists()


@pytest.mark.parametrize("name", [m for m, _ in MODEL_CASES[1:]])
def test_bad_model_files_are_config_errors(name):
    with pytest.raises(ConfigError, match=name):
        load_model(BAD / name)


def test_model_from_another_system_refuses_the_data_naming_both_sides():
    model = load_model(BAD / "model_other_system.json")
    with pytest.raises(InputError) as info:
        read_panel(BAD / "reference.csv", model.system_)
    text = str(info.value)
    assert "income (城镇居民人均可支配收入), doctors (每千人执业医师数)" in text
    assert "line 1, column 3 '地区生产总值(亿元)'" in text


def _outcome(path: Path) -> tuple:
    """What coordeval makes of a file: the problems and the panel, or the refusal."""
    try:
        data = read_data(path, SYSTEM)
    except (InputError, ConfigError) as exc:
        return ("refused", str(exc))
    return ("read", [str(p) for p in data.problems], data.panel.fillna(-1e300).to_dict())


def test_corpus_script_regenerates_the_committed_files(tmp_path, monkeypatch):
    """make_corpus.py regenerates files that coordeval reads exactly as the committed ones
    (compared by outcome, not bytes, so a new openpyxl version does not break the test;
    encrypted.xlsx and old.xls need test-only tools and the model files carry a version)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", BAD / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("system.toml", "other_system.toml"):
        shutil.copy(BAD / name, tmp_path / name)
    monkeypatch.setattr(module, "HERE", tmp_path)
    for name, writer in module.CORPUS.items():
        if name in {"encrypted.xlsx", "old.xls"} or name.endswith(".json"):
            continue
        writer(tmp_path / name)
        assert _outcome(tmp_path / name) == _outcome(BAD / name), name
