"""CSV files: byte decoding, encoding detection and the CSV cell grid."""

from __future__ import annotations

import codecs
import csv
import io
import itertools

import numpy as np
import pandas as pd

from coordeval.errors import (
    InputError,
    Problem,
)
from coordeval.io._grid import _flat, _frame, _Grid, _grid
from coordeval.io._limits import ENV_MAX_CELLS, ENV_MAX_ROWS, ReadLimits

__all__ = []


def _decode(data: bytes, file: str) -> tuple[str, str]:
    """Decode CSV bytes: BOM first, then strict UTF-8, then GB18030 (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            other = _other_encoding(data, text) if encoding == "gb18030" else None
            if other is not None:
                problem = Problem(
                    f"the text looks like {other}, not UTF-8 or GBK/GB18030: read as GBK it "
                    "gives garbled names; save the CSV as UTF-8",
                    file=file,
                    code="text_other_encoding",
                    params={"encoding": other, "encoding_zh": _ENCODING_ZH.get(other, other)},
                )
                raise InputError([problem], f"{file}: text encoding {other}")
            return text, encoding
    other = _other_encoding(data, "")
    problem = Problem(
        f"cannot decode the text{f' (it looks like {other})' if other else ''}: save the CSV "
        "as UTF-8 (or GBK / UTF-16 with BOM)",
        file=file,
        code="text_undecodable_like" if other else "text_undecodable",
        params={"encoding": other, "encoding_zh": _ENCODING_ZH.get(other, other)} if other else {},
    )
    raise InputError([problem], f"{file}: unknown text encoding")


#: Share of non-ASCII characters outside GB2312 above which a GB18030 reading is garbled.
_OUTSIDE_GB2312 = 0.3


#: The encodings named in messages, in Chinese.
_ENCODING_ZH = {
    "Big5 (Traditional Chinese)": "Big5（繁体中文）",
    "Shift-JIS (Japanese)": "Shift-JIS（日文）",
    "EUC-KR (Korean)": "EUC-KR（韩文）",
    "an encoding other than UTF-8, UTF-16 and GB18030": "UTF-8、UTF-16、GB18030 以外的编码",
}

_OTHER_ENCODINGS = (
    ("big5", "Big5 (Traditional Chinese)"),
    ("shift_jis", "Shift-JIS (Japanese)"),
    ("euc_kr", "EUC-KR (Korean)"),
)


def _other_encoding(data: bytes, gb_text: str) -> str | None:
    """The likely encoding of bytes that are not GBK text, or ``None`` when GBK is plausible.

    Big5, Shift-JIS and EUC-KR bytes mostly decode as GB18030 too, but into characters a
    Chinese table does not use: kana (Big5 lead bytes A4/A5 are GB2312's kana rows),
    private-use characters, and a large share of characters outside GB2312. When ``gb_text``
    shows that (or is empty: GB18030 failed), the encodings that decode the bytes strictly
    are scored by the share of ideographs, kana and hangul they give (kana name Japanese).
    """
    if gb_text:
        cp = np.frombuffer(gb_text.encode("utf-32-le"), dtype="<u4")
        cp = cp[cp > 0x7F]
        if not cp.size:
            return None
        uniq, counts = np.unique(cp, return_counts=True)
        kana = (uniq >= 0x3040) & (uniq <= 0x30FF)
        private = (uniq >= 0xE000) & (uniq <= 0xF8FF)
        outside = np.array([not _in_gb2312(chr(int(u))) for u in uniq])
        share = counts[outside].sum() / counts.sum()
        if share < _OUTSIDE_GB2312 and not kana.any() and not private.any():
            return None
    best, score = None, 0.0
    for encoding, name in _OTHER_ENCODINGS:
        try:
            cp = np.frombuffer(data.decode(encoding).encode("utf-32-le"), dtype="<u4")
        except UnicodeDecodeError:
            continue
        cp = cp[cp > 0x7F]
        ideograph = (cp >= 0x4E00) & (cp <= 0x9FFF)
        kana = (cp >= 0x3040) & (cp <= 0x30FF)
        hangul = (cp >= 0xAC00) & (cp <= 0xD7A3)
        fit = float((ideograph | kana | hangul).mean()) if cp.size else 0.0
        if encoding == "shift_jis" and kana.any():
            fit += 0.5  # kana occur only in Japanese
        if fit > score:
            best, score = name, fit
    if best is not None:
        return best
    return "an encoding other than UTF-8, UTF-16 and GB18030" if gb_text else None


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _csv_grid(
    text: str,
    file: str,
    encoding: str,
    delimiter: str,
    limits: ReadLimits,
    utf8: bytes | None = None,
) -> _Grid:
    """The cells of CSV ``text`` split at ``delimiter``; ``utf8`` is the text's UTF-8 bytes
    when the caller has them (the file's own bytes), so that they are not encoded again."""
    n_lines = text.count("\n") + 1
    if text.count(delimiter) + n_lines > limits.max_cells:
        raise _csv_too_large(
            file,
            f"more than {limits.max_cells:,} cells",
            ENV_MAX_CELLS,
            "csv_over_cells",
            {"limit": limits.max_cells},
        )
    raw = _unquoted_grid(text, delimiter, utf8)
    raw_is_text = raw is not None
    comma_free = raw is not None and delimiter == ","
    if raw is None:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        try:
            rows = list(itertools.islice(reader, limits.max_rows + 1))
        except csv.Error as exc:
            problem = Problem(
                f"not a readable CSV file ({exc})",
                file=file,
                code="csv_unreadable",
                params={"detail": str(exc)},
            )
            raise InputError([problem], f"{file}: not a CSV file") from None
        n_rows, width = len(rows), max(map(len, rows), default=0)
    else:
        n_rows, width = raw.shape
    if n_rows > limits.max_rows:
        raise _csv_too_large(
            file,
            f"more than {limits.max_rows:,} rows",
            ENV_MAX_ROWS,
            "csv_over_rows",
            {"limit": limits.max_rows},
        )
    if n_rows * width > limits.max_cells:
        raise _csv_too_large(
            file,
            f"{n_rows:,} rows × {width:,} columns, more than {limits.max_cells:,} cells",
            ENV_MAX_CELLS,
            "csv_over_cells_shape",
            {"rows": n_rows, "cols": width, "limit": limits.max_cells},
        )
    if raw is None:
        raw = _frame(rows, "")
    breaks = text.count("\n") - text.endswith("\n")
    if breaks == n_rows - 1:  # no cell holds a line break: one line per record
        lines = np.arange(1, n_rows + 1, dtype=np.int64)
    else:
        newlines = _flat(raw, lambda cells: cells.astype("string").str.count("\n"))
        extent = 1 + newlines.to_numpy(dtype=np.int64).sum(axis=1)
        lines = np.concatenate([[1], 1 + np.cumsum(extent)[:-1]]) if len(extent) else extent
    if raw_is_text:  # Arrow text columns: kept as they are, no Python object per cell
        return _Grid(raw, file, None, lines=lines, encoding=encoding, comma_free=comma_free)
    return _grid(raw, file, None, lines=lines, encoding=encoding, comma_free=comma_free)


def _unquoted_grid(text: str, delimiter: str, utf8: bytes | None = None) -> pd.DataFrame | None:
    """The cells of a CSV text without any quote character, split by Arrow's C++ reader into
    Arrow text columns (no Python object per cell).

    Without quotes a CSV is plain splitting at delimiters and line ends, so the result is the
    :mod:`csv` module's; texts with quotes, rows of unequal length and blank lines (which Arrow
    would refuse or read differently) return ``None`` and go through :mod:`csv`.
    """
    if '"' in text or "\x00" in text or not text:
        return None
    import pyarrow as pa
    import pyarrow.csv as pacsv

    n = text[: text.find("\n") if "\n" in text else len(text)].count(delimiter) + 1
    names = [f"c{k}" for k in range(n)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(text.encode("utf-8") if utf8 is None else utf8),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    columns = {k: pd.Series(pd.arrays.ArrowExtensionArray(table.column(k))) for k in range(n)}
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows), copy=False)


def _csv_too_large(file: str, what: str, env: str, code: str, params: dict[str, int]) -> InputError:
    message = f"the file has {what}, over the reader's limit ({env} raises it)"
    problem = Problem(message, file=file, code=code, params={**params, "env": env})
    return InputError([problem], f"{file}: too large")
