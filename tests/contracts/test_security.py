"""Hostile inputs and safe outputs: nothing runs that shouldn't.

* XML entity bombs and external entities in a workbook are refused before any parser expands
  them (coordeval parses the prolog of every XML part with defusedxml); python-calamine does
  not expand DTD entities either, and openpyxl (the fallback reader) uses defusedxml.
* Zip bombs (declared or lying member sizes), workbooks whose cells span an absurd rectangle,
  and oversized CSV files are refused with a clear message, within configurable limits.
* No pickle, eval or exec in ``src/``.
* Text starting with ``=``, ``+``, ``-`` or ``@`` (a city named ``=HYPERLINK(...)``) is
  written as text in the report workbook and in every CSV output.
* Outputs are written atomically; inputs are opened read-only and never changed.

Reads of hostile files that could take the process down if a guard failed run in a child
process with a generous timeout, so a regression fails a test instead of hanging or killing
the test run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import tokenize
import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from coordeval.cli import app
from coordeval.errors import ConfigError, InputError, MethodWarning
from coordeval.io import _xlsx_guard as guard_module
from coordeval.io.read import ReadLimits, read_data, read_panel
from coordeval.model import CoordinationModel
from coordeval.system import load_system

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
SYSTEM_FILE = BAD / "system.toml"
SYSTEM = load_system(SYSTEM_FILE)
runner = CliRunner()
GENEROUS = 120  # seconds; a bound on runaway work, not a performance assertion


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter (PYTHONPATH=src); it prints one JSON object."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    res = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=GENEROUS,
        env=env,
        check=False,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


READ_IN_CHILD = """
import json, resource, sys
from coordeval.errors import CoordevalError
from coordeval.io.read import read_data
results = {}
for path in sys.argv[2:]:
    out = results[path] = {}
    try:
        data = read_data(path, sys.argv[1])
        out["result"] = "read"
        out["errors"] = [str(p) for p in data.errors]
    except CoordevalError as exc:
        out["result"] = type(exc).__name__
        out["message"] = str(exc)
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(results, ensure_ascii=False))
"""


def read_in_child(*paths: Path) -> dict[str, dict]:
    """Read each file with coordeval in one child process; results by file name."""
    results = child(READ_IN_CHILD, str(SYSTEM_FILE), *map(str, paths))
    return {Path(k).name: v for k, v in results.items()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, dict]:
    """coordeval's answer to every file that could hurt a reader, read in one child."""
    folder = tmp_path_factory.mktemp("hostile")
    return read_in_child(
        BAD / "billion_laughs.xlsx",
        BAD / "external_entity.xlsx",
        _far_workbook(folder / "far.xlsx"),
        _zip_bomb(folder / "bomb.xlsx"),
    )


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD_ROWS = [
    ["城市", "年份", "地区生产总值", "城镇登记失业率", "建成区绿化覆盖率", "PM2.5年均浓度"],
    ["甲", 2019, 100, 3.1, 40, 35],
    ["乙", 2019, 250, 2.5, 42, 30],
]


def with_member(data: bytes, name: str, body: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        if name not in src.namelist():
            dst.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("name", ["billion_laughs.xlsx", "external_entity.xlsx"])
def test_xml_with_a_dtd_is_refused_quickly_and_without_expansion(hostile, name):
    src = BAD / name
    before = sha(src)
    result = hostile[name]
    assert result["result"] == "InputError"
    assert "declares a document type (DTD)" in result["message"]
    assert "XML bomb" in result["message"]
    assert result["maxrss_mb"] < 1000
    assert sha(src) == before


def test_xml_bomb_through_the_cli_has_no_traceback(tmp_path):
    out = tmp_path / "r.xlsx"
    res = subprocess.run(
        [sys.executable, "-m", "coordeval", "assess", str(BAD / "billion_laughs.xlsx"), "-s",
         str(SYSTEM_FILE), "-o", str(out)],
        capture_output=True, text=True, timeout=GENEROUS, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "billion_laughs.xlsx: refused" in res.stderr
    assert not out.exists()


CALAMINE_ALONE = """
import json, resource, sys
import python_calamine
results = {}
for path in sys.argv[1:]:
    out = results[path] = {}
    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
        rows = book.get_sheet_by_index(0).to_python()
        out["result"] = "read"
        out["longest"] = max(len(str(v)) for row in rows for v in row)
    except Exception as exc:
        out["result"] = type(exc).__name__
        out["message"] = str(exc)
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(results))
"""


def test_calamine_itself_does_not_expand_dtd_entities():
    """Defence in depth: without coordeval's check python-calamine refuses the undefined
    entity instead of expanding it (10^9 "lol"s would need gigabytes, and an external entity
    would read a local file), and finishes well within the generous timeout."""
    names = ["billion_laughs.xlsx", "external_entity.xlsx"]
    results = child(CALAMINE_ALONE, *(str(BAD / n) for n in names))
    for name in names:
        result = results[str(BAD / name)]
        assert result["result"] == "XmlError", result
        assert "unrecognized entity" in result["message"]
        assert result["maxrss_mb"] < 1000


def test_openpyxl_fallback_uses_defusedxml():
    import defusedxml
    from openpyxl import DEFUSEDXML

    assert DEFUSEDXML is True
    with (BAD / "billion_laughs.xlsx").open("rb") as fh, pytest.raises(ValueError) as info:
        openpyxl.load_workbook(fh, read_only=True)
    chain = [info.value.__cause__, info.value.__context__]
    assert any(isinstance(e, defusedxml.DefusedXmlException) for e in chain)


def test_bomb_refused_even_with_the_prolog_check_and_calamine_bypassed(monkeypatch):
    """With coordeval's DTD check switched off and calamine made to fail, the openpyxl
    fallback (defusedxml) still refuses the bomb, as a user error."""
    import python_calamine

    monkeypatch.setattr(guard_module._PrologCheck, "feed", lambda self, chunk: None)

    def broken(*args, **kwargs):
        raise python_calamine.CalamineError("simulated failure")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", broken)
    with pytest.raises(InputError, match="cannot be read as an Excel workbook"):
        read_data(BAD / "billion_laughs.xlsx", SYSTEM)


def test_xxe_content_never_reaches_the_output(hostile):
    secret = Path("/etc/hostname")
    result = hostile["external_entity.xlsx"]
    if secret.exists() and secret.read_text().strip():
        assert secret.read_text().strip() not in json.dumps(result, ensure_ascii=False)


def test_declared_uncompressed_size_over_the_limit(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(with_member(xlsx_bytes(GOOD_ROWS), "xl/media/pad.bin", b"\0" * (3 << 20)))
    with pytest.raises(InputError) as err:
        read_data(path, SYSTEM, limits=ReadLimits(max_bytes=1 << 20))
    (problem,) = err.value.problems
    assert problem.code == "workbook_inflates"
    assert problem.params["size_mib"] == pytest.approx(3.0, abs=0.05)
    assert problem.params["limit_mib"] == 1.0 and "inflates to 3.0 MiB" in problem.render("en")
    assert read_data(path, SYSTEM).errors == []


def _zip_bomb(path: Path) -> Path:
    """A workbook with a member of 201 MiB of zeros (about 200 kB compressed)."""
    base = xlsx_bytes(GOOD_ROWS)
    src = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        block = b"\0" * (1 << 20)
        with dst.open("xl/media/image1.bin", "w") as fh:
            for _ in range(201):
                fh.write(block)
    return path


def test_zip_bomb_at_the_default_limit_is_refused(hostile, tmp_path):
    """201 MiB of zeros compress to about 200 kB; the default limit (200 MiB) refuses it
    from the declared sizes, before anything is inflated."""
    assert _zip_bomb(tmp_path / "bomb.xlsx").stat().st_size < 2 << 20
    result = hostile["bomb.xlsx"]
    assert result["result"] == "InputError"
    assert "more than the limit of 200 MiB" in result["message"]
    assert result["maxrss_mb"] < 1000


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size of member ``name`` in its local header and the central
    directory (APPNOTE.TXT §4.3.7 and §4.3.12: offsets 22 and 24)."""
    buf = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    buf[info.header_offset + 22 : info.header_offset + 26] = size.to_bytes(4, "little")
    at = buf.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(buf[at + 28 : at + 30], "little")
        if bytes(buf[at + 46 : at + 46 + length]) == name.encode():
            buf[at + 24 : at + 28] = size.to_bytes(4, "little")
        at = buf.find(b"PK\x01\x02", at + 4)
    return bytes(buf)


def test_lying_member_size_is_caught_while_inflating(tmp_path):
    data = with_member(xlsx_bytes(GOOD_ROWS), "xl/media/pad.bin", b"\0" * (3 << 20))
    path = tmp_path / "liar.xlsx"
    path.write_bytes(_lie_about_size(data, "xl/media/pad.bin", 100))
    assert sum(i.file_size for i in zipfile.ZipFile(path).infolist()) < 1 << 20
    with pytest.raises(InputError) as err:
        read_data(path, SYSTEM, limits=ReadLimits(max_bytes=1 << 20))
    (problem,) = err.value.problems
    assert problem.code == "workbook_part_damaged" and problem.params["part"] == "xl/media/pad.bin"


def test_too_many_parts(tmp_path):
    data = xlsx_bytes(GOOD_ROWS)
    for k in range(5):
        data = with_member(data, f"custom/{k}.xml", b"<x/>")
    path = tmp_path / "parts.xlsx"
    path.write_bytes(data)
    n = len(zipfile.ZipFile(path).namelist())
    with pytest.raises(InputError) as err:
        read_data(path, SYSTEM, limits=ReadLimits(max_parts=n - 1))
    (problem,) = err.value.problems
    assert problem.code == "workbook_too_many_parts" and problem.params == {"n": n, "limit": n - 1}


def _far_workbook(path: Path) -> Path:
    """The good rows plus one value in XFD1048576 (a 5 kB file)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    for row in GOOD_ROWS:
        ws.append(row)
    ws["XFD1048576"] = 1
    wb.save(path)
    return path


def test_sheet_spanning_an_absurd_rectangle_is_refused_before_loading(hostile):
    """A 5 kB workbook with cells in A1 and XFD1048576 would make the reader allocate
    1.7 × 10^10 cells (python-calamine aborts the process); it is refused from the XML."""
    result = hostile["far.xlsx"]
    assert result["result"] == "InputError"
    assert "span A1:XFD1048576 (1,048,576 rows × 16,384 columns" in result["message"]


def test_sheet_extent_bounds_rows_and_columns():
    extent = guard_module._sheet_extent
    assert extent(b'<sheetData><row r="3"><c r="B3"/><c r="AA12"/></row></sheetData>') == (12, 27)
    assert extent(b'<row r="7"><c t="n" r="C1000"/><c r="XFD9"/></row>') == (1000, 16384)
    # cells and rows without a reference advance by one each
    assert extent(b'<row r="3"><c r="B3"/><c/><c/></row><row><c/></row>') == (4, 5)
    # white space around "=" and single quotes are read too
    assert extent(b"<row r = '3'><c r = 'ZZ30'/></row>") == (30, 702)
    # prefixed elements are counted (an upper bound: the closing </x:row> counts as a row)
    assert extent(b'<x:row r="2"><x:c r="D2"/></x:row>') == (3, 4)
    assert extent(b"") == (0, 0)
    # lenient parsers accept attributes without a space and lower-case references
    assert extent(b'<row r="3"><c t="n"r="XFD9"/><c r="xfd10"/></row>') == (10, 16384)
    # a reference hidden behind a character reference cannot be bounded: refused
    with pytest.raises(ValueError, match="character reference"):
        extent(b'<row r="3"><c r="&#88;FD1048576"/></row>')
    with pytest.raises(InputError) as err:
        guard_module._check_extent(b'<c r="X&#70;D9"/>', "f.xlsx", "数据", ReadLimits())
    assert err.value.problems[0].code == "sheet_refs_malformed"


def test_row_limit_for_a_sheet(tmp_path):
    path = tmp_path / "rows.xlsx"
    path.write_bytes(xlsx_bytes(GOOD_ROWS + [["丙", 2019 + k, 1, 2, 3, 4] for k in range(20)]))
    with pytest.raises(InputError) as err:
        read_data(path, SYSTEM, limits=ReadLimits(max_rows=10))
    (problem,) = err.value.problems
    assert problem.code == "sheet_too_many_rows"
    assert (problem.params["rows"], problem.params["limit"]) == (23, 10)


def test_csv_limits(tmp_path):
    lines = [",".join(map(str, r)) for r in GOOD_ROWS]
    path = tmp_path / "rows.csv"
    path.write_text("\n".join(lines + [f"丙,{2020 + k},1,2,3,4" for k in range(20)]) + "\n")
    cases = [
        (path, ReadLimits(max_rows=10), "csv_over_rows", {"limit": 10}),
        (path, ReadLimits(max_cells=50), "csv_over_cells", {"limit": 50}),
        (path, ReadLimits(max_bytes=100), "file_too_large", {}),
    ]
    wide = tmp_path / "wide.csv"
    wide.write_text("\n".join(lines) + "\n" + "," * 100 + "\n")
    cases.append(
        (wide, ReadLimits(max_cells=300), "csv_over_cells_shape", {"rows": 4, "cols": 101})
    )
    for file, limits, code, params in cases:
        with pytest.raises(InputError) as err:
            read_data(file, SYSTEM, limits=limits)
        (problem,) = err.value.problems
        assert problem.code == code
        assert {k: problem.params[k] for k in params} == params
    assert read_data(path, SYSTEM).errors == []


def test_limits_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "rows.csv"
    path.write_text("\n".join(",".join(map(str, r)) for r in GOOD_ROWS) + "\n")
    monkeypatch.setenv("COORDEVAL_MAX_ROWS", "2")
    with pytest.raises(InputError, match="COORDEVAL_MAX_ROWS raises it"):
        read_data(path, SYSTEM)
    monkeypatch.setenv("COORDEVAL_MAX_ROWS", "many")
    with pytest.raises(ConfigError, match="COORDEVAL_MAX_ROWS='many' must be a positive"):
        read_data(path, SYSTEM)
    monkeypatch.delenv("COORDEVAL_MAX_ROWS")
    monkeypatch.setenv("COORDEVAL_MAX_INPUT_MB", "0.5")
    assert ReadLimits.from_env() == ReadLimits(max_bytes=2**19)
    defaults = ReadLimits()
    assert (defaults.max_bytes, defaults.max_rows) == (200 * 2**20, 1_048_576)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_devices_and_folders_are_not_read(tmp_path):
    with pytest.raises(InputError) as err:
        read_data("/dev/zero", SYSTEM)
    assert err.value.problems[0].code == "path_not_regular"
    folder = tmp_path / "data.csv"
    folder.mkdir()
    with pytest.raises(InputError) as err:
        read_data(folder, SYSTEM)
    assert err.value.problems[0].code == "path_is_folder"


def test_workbook_named_csv_is_recognised(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(xlsx_bytes(GOOD_ROWS))
    with pytest.raises(InputError) as err:
        read_data(path, SYSTEM)
    assert err.value.problems[0].code == "csv_is_workbook"


FORBIDDEN_NAMES = {
    "eval", "exec", "__import__", "pickle", "cPickle", "dill", "cloudpickle",
    "marshal", "shelve", "read_pickle", "to_pickle", "allow_pickle", "joblib",
}  # fmt: skip


def test_no_pickle_or_eval_in_src():
    """Code tokens of every module under src/ (comments and strings excluded): no pickle,
    marshal, shelve, eval (also pandas' ``.eval``), exec or dynamic import."""
    found = []
    for path in sorted((ROOT / "src").rglob("*.py")):
        with path.open("rb") as fh:
            for tok in tokenize.tokenize(fh.readline):
                if tok.type == tokenize.NAME and tok.string in FORBIDDEN_NAMES:
                    found.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string}")
    assert found == []


def test_the_token_scan_would_catch_a_use(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("import pickle\nx = eval('1')  # eval\ns = 'pickle'\n")
    with sample.open("rb") as fh:
        names = [t.string for t in tokenize.tokenize(fh.readline) if t.type == tokenize.NAME]
    assert {"pickle", "eval"} <= set(names) and names.count("pickle") == 1


HOSTILE_CITIES = ['=HYPERLINK("http://example.com","x")', "@SUM(A1)", "+1+2", "-甲"]
TRIGGERS = ("=", "+", "-", "@")


def hostile_assessment(panel: pd.DataFrame):
    """The assessment of ``panel``; method remarks about random data are not the point here."""
    model = CoordinationModel(SYSTEM).fit(panel)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MethodWarning)
        return model.assess(panel, robustness_draws=0)


def hostile_panel() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    cities = [*HOSTILE_CITIES, "乙"]
    index = pd.MultiIndex.from_product([cities, [2019, 2020, 2021]], names=["city", "year"])
    values = rng.uniform(1, 100, size=(len(index), 4))
    return pd.DataFrame(values, index=index, columns=SYSTEM.indicator_ids)


def test_formula_like_city_names_are_text_in_the_report_and_csv(tmp_path):
    a = hostile_assessment(hostile_panel())
    path = a.to_excel(tmp_path / "report.xlsx", max_rows=4)
    with zipfile.ZipFile(path) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    wb = openpyxl.load_workbook(path)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    seen.add(cell.value)
    assert set(HOSTILE_CITIES) <= seen
    sidecars = sorted(tmp_path.glob("report_*.csv"))
    assert sidecars, "max_rows=4 sends the long tables to CSV files"
    cities_in_csv = set()
    for csv_path in sidecars:
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for field in row:
                    assert not field.startswith(("=", "@", "+")), (csv_path.name, field)
                    if field.startswith("-"):
                        float(field)  # only numbers may start with a minus sign
                    if field.startswith("'"):
                        cities_in_csv.add(field[1:])
    assert set(HOSTILE_CITIES) <= cities_in_csv


def test_formula_like_city_names_are_text_in_batch_scores(tmp_path):
    panel = hostile_panel()
    data = tmp_path / "data.csv"
    frame = panel.reset_index()
    frame.columns = ["城市", "年份", *[SYSTEM.indicator(i).name_zh for i in SYSTEM.indicator_ids]]
    frame.to_csv(data, index=False, encoding="utf-8")
    pd.testing.assert_frame_equal(read_panel(data, SYSTEM), panel.sort_index(), rtol=1e-12)
    model_path = CoordinationModel(SYSTEM).fit(panel).save(tmp_path / "m.json")
    res = runner.invoke(
        app,
        ["score", str(data), "--model", str(model_path), "-o", str(tmp_path / "out"), "--quiet"],
    )
    assert res.exit_code == 0, res.output
    with (tmp_path / "out" / "scores.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    cities = {row[0] for row in rows[1:]}
    assert cities == {"'" + c for c in HOSTILE_CITIES} | {"乙"}
    assert not any(f.startswith(("=", "@", "+")) for row in rows for f in row)


def test_report_write_is_atomic(tmp_path, monkeypatch):
    a = hostile_assessment(hostile_panel())
    target = tmp_path / "report.xlsx"
    a.to_excel(target)
    before = sha(target)

    def fail(self, filename):
        Path(filename).write_bytes(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", fail)
    with pytest.raises(OSError, match="disk full"):
        a.to_excel(target, max_rows=4)
    assert sha(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_model_write_is_atomic(tmp_path, monkeypatch):
    model = CoordinationModel(SYSTEM).fit(hostile_panel())
    target = model.save(tmp_path / "m.json")
    before = sha(target)

    def fail(src, dst):
        raise OSError("rename refused")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ConfigError, match=r"cannot write .*m.json: rename refused"):
        model.save(target)
    assert sha(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]


@pytest.mark.parametrize("name", ["non_number.xlsx", "gbk.csv", "old.xls", "encrypted.xlsx"])
def test_inputs_are_opened_read_only(monkeypatch, name):
    """Every open of the input is a read ("rb"); a read-only file reads the same."""
    src = BAD / name
    modes = []
    real_open = Path.open

    def spy(self, mode="r", *args, **kwargs):
        if Path(self).resolve() == src.resolve():
            modes.append(mode)
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    before = (sha(src), src.stat().st_mtime_ns)
    try:
        read_data(src, SYSTEM)
    except InputError:
        pass
    assert modes and set(modes) == {"rb"}
    assert (sha(src), src.stat().st_mtime_ns) == before


def test_read_only_input_file_reads(tmp_path):
    copy = tmp_path / "in.xlsx"
    copy.write_bytes((BAD / "second_sheet.xlsx").read_bytes())
    copy.chmod(0o444)
    try:
        assert read_data(copy, SYSTEM).errors == []
    finally:
        copy.chmod(0o644)
