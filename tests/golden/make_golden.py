"""Write the golden outputs the restructure is compared against (``python
tests/golden/make_golden.py``; ``tests/test_golden.py`` rebuilds them and compares).

What is kept, per output:

- every shipped demo workbook (``coordeval demo`` without figures) in Chinese and, for
  Munnell, in English: the value of every non-empty cell of every sheet, and every CSV
  sidecar's text;
- the yearly monitoring demo: the model file (less ``created``), the ``scores.csv``
  history and the monitoring workbook's cells.

Volatile values (the run's date and time, the package version, paths of the run's temporary
folder) are replaced by placeholders; numbers are kept at full precision and compared with a
relative tolerance of 1e-9.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden.json.gz"
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?([+-]\d{2}:?\d{2}|Z)?")


def _clean(value: Any, tmp: str) -> Any:
    from coordeval import __version__

    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return "<time>"
    if isinstance(value, str):
        value = value.replace(tmp, "<tmp>").replace(__version__, "<version>")
        return _STAMP.sub("<time>", value)
    return value


def workbook_cells(path: Path, tmp: str) -> dict[str, dict[str, Any]]:
    """Every non-empty cell of every sheet: ``{sheet: {"A1": value}}``."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    out: dict[str, dict[str, Any]] = {}
    for ws in wb.worksheets:
        cells: dict[str, Any] = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and hasattr(c, "coordinate"):
                    cells[c.coordinate] = _clean(c.value, tmp)
        out[ws.title] = cells
    wb.close()
    return out


def build() -> dict[str, Any]:
    """Run the demos in a temporary folder and collect what they wrote."""
    from coordeval.workflow import demo_datasets, run_demo_dataset, run_demo_monitoring

    golden: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for d in demo_datasets():
            langs = ("zh", "en") if d.name == "munnell" else ("zh",)
            for lang in langs:
                out = root / lang
                out.mkdir(exist_ok=True)
                path = run_demo_dataset(d, out, figures=False, lang=lang)
                golden[f"{d.name}.{lang}.xlsx"] = workbook_cells(path, tmp)
        for csv in sorted(root.rglob("*.csv")):
            golden[str(csv.relative_to(root))] = _clean(csv.read_text(encoding="utf-8-sig"), tmp)
        mon = root / "monitor"
        path = run_demo_monitoring(mon)
        golden["munnell_monitoring.xlsx"] = workbook_cells(path, tmp)
        base = mon / "munnell_monitoring"
        model = json.loads((base / "model.json").read_text(encoding="utf-8"))
        model.pop("created", None)
        golden["model.json"] = json.loads(
            json.dumps(model), object_hook=lambda o: {k: _clean(v, tmp) for k, v in o.items()}
        )
        golden["scores.csv"] = _clean((base / "scores" / "scores.csv").read_text("utf-8"), tmp)
    return golden


def main() -> int:
    golden = build()
    raw = json.dumps(golden, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
    GOLDEN.write_bytes(gzip.compress(raw, mtime=0))
    print(f"{GOLDEN}: {len(golden)} outputs, {len(raw):,} bytes of JSON")
    return 0


if __name__ == "__main__":
    sys.exit(main())
