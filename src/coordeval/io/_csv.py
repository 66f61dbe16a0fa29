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
            return "EUC-KR (Korean)" if _looks_korean(data, uniq, counts) else None
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


#: Frequent Hangul syllables of Korean text (particles, endings, common words of tables).
_COMMON_HANGUL = frozenset(
    "이다의는에을를하고가지기서로한어도자리사대정수인시게있나아보제일해국경부전적원상성주동장들"
    "화구문라연요여그과거만내방위교생학개비소식신마으우유공세오관분것치결중발미간회업행계역면실"
    "무산통물조진선금후등년월특별광군총및또않없되될된할함합니까죠네데부터까지보다처럼와과랑든도"
    "민률율액량비용품질환복지건설교통안전토지농림어촌에너지산업고용임금소득인구가구"
)
#: Frequent Chinese characters (general text and statistical tables).
_COMMON_HANZI = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之"
    "年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样"
    "理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将"
    "两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信"
    "表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔"
    "更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统"
    "区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品"
    "住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根"
    "干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎存未远台单影具罗字爱击流备兵"
    "连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容"
    "照须九增研写称企八功包片史委乎查轻易早曾除农找装广显阿李标谈吃图念六引历首医局突专费号尽"
    "另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划致陈律足态护七兴派孩"
    "验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江"
    "织害斗双境客纪采举苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐限船职速刻乐否率人均值总额"
    "亿万元吨公里平方米比重指数增长率生产总值财政收入支出常住户籍城镇乡村居民消费投资固定资产"
    "进出口贸易社会零售工业农业服务业第一二三产业科技教育卫生医疗养老就业失业绿化覆盖面积排放"
)


def _looks_korean(data: bytes, gb_chars: np.ndarray, gb_counts: np.ndarray) -> bool:
    """Bytes that are EUC-KR Korean text although they decode as (common) GB2312 characters.

    EUC-KR's Hangul syllables occupy B0A1–C8FE, which GB2312 assigns to its most common
    characters, so a GB18030 reading of Korean bytes looks plausible character by character.
    It is told apart by which reading gives frequent characters: Korean text read as EUC-KR is
    mostly Hangul, many of them frequent syllables, while read as GB2312 its characters are
    a random draw from the common block; Chinese text rarely decodes as EUC-KR at all (lead
    byte C9, as in 上, is undefined there) and otherwise gives random syllables.
    """
    try:
        korean = data.decode("euc_kr")
    except UnicodeDecodeError:
        return False
    letters = [ch for ch in korean if ord(ch) > 0x7F]
    hangul = [ch for ch in letters if 0xAC00 <= ord(ch) <= 0xD7A3]
    if not letters or len(hangul) < 0.5 * len(letters):
        return False
    korean_common = sum(ch in _COMMON_HANGUL for ch in hangul) / len(letters)
    common = np.array([chr(int(u)) in _COMMON_HANZI for u in gb_chars], dtype=bool)
    chinese_common = float(gb_counts[common].sum() / gb_counts.sum())
    return korean_common > max(chinese_common + 0.15, 0.35)


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
