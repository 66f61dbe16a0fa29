"""What every sheet writer of the report needs: the :class:`Context` (language, names, row
order, sidecar files), the rule for long tables (:func:`fit_table`: the workbook keeps a
summary, the full table goes to a CSV file) and the writing of those CSV files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coordeval.report.labels import check_lang_value, column_label, pick

if TYPE_CHECKING:
    from coordeval.assessment import Assessment

#: Tables longer than this go to CSV; the sheet keeps a summary (a 500-row table already
#: prints on about 17 pages).
MAX_SHEET_ROWS = 500
#: Units of the latest year shown in full when a long table goes to CSV (else best and worst 10).
MAX_SUMMARY_UNITS = 60
#: Cities drawn in one chart at most (best and worst of the latest year).
MAX_CHART_SERIES = 10


def write_csv_bom(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as CSV in UTF-8 with BOM (so Excel shows Chinese), floats at full
    precision; pyarrow's writer is an order of magnitude faster than pandas' for big tables."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf")
        pacsv.write_csv(pa.Table.from_pandas(df, preserve_index=False), fh)


@dataclass
class Context:
    """What every sheet writer needs: language, display names, the row order and the
    sidecar files.

    Attributes
    ----------
    lang : {"zh", "en", "both"}
    names : dict
        Subsystem id → (中文, English) name.
    stem : str
        File name stem of the report (sidecars are ``<stem>_<table>.csv``).
    max_rows : int
        Tables longer than this go to CSV.
    sidecars : dict
        Tables written to CSV, by name.
    order : list, optional
        City order of every table (input order, or the user's); cities not in it follow in
        their own order.
    names_en : dict, optional
        English city names used when ``lang="en"`` (a city without one keeps its name).
    title : str
        Title of page 1 (default: the system's name and the years).
    """

    lang: str
    names: dict[str, tuple[str, str]]
    stem: str
    max_rows: int
    sidecars: dict[str, pd.DataFrame] = field(default_factory=dict)
    order: list[Any] = field(default_factory=list)
    names_en: dict[str, str] = field(default_factory=dict)
    title: str = ""

    def label(self, key: str) -> str:
        return column_label(key, self.lang, self.names)

    def text(self, zh: str, en: str) -> str:
        """``zh`` or ``en`` in the report language (both on one line for ``"both"``)."""
        return pick(zh, en, self.lang)

    def city_order(self, cities: list[Any]) -> list[Any]:
        """``cities`` in the report's row order."""
        rank = {c: i for i, c in enumerate(self.order)}
        return sorted(cities, key=lambda c: rank.get(c, len(rank)))

    def city_label(self, city: Any) -> Any:
        """The city's name as printed in the report language."""
        if self.lang == "en":
            return self.names_en.get(str(city), city)
        return city

    def ordered(self, df: pd.DataFrame) -> pd.DataFrame:
        """Rows of ``df`` with a ``city`` index level in the report's city order (stable, so
        years stay in order within a city)."""
        if not self.order or "city" not in (df.index.names or []):
            return df
        rank = {c: i for i, c in enumerate(self.order)}
        pos = df.index.get_level_values("city").map(lambda c: rank.get(c, len(rank)))
        return df.iloc[np.argsort(np.asarray(pos, dtype=np.int64), kind="stable")]


def fit_table(ctx: Context, name: str, df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The table to show in the workbook and a note; long tables go to a CSV sidecar.

    A (city, year) table longer than ``ctx.max_rows`` keeps the latest year (every unit up
    to :data:`MAX_SUMMARY_UNITS`, else the first and last ten by its first numeric column);
    the full table is written to ``<report>_<name>.csv``. The note is in the report language.
    """
    if len(df) <= ctx.max_rows:
        return df, ""
    ctx.sidecars[name] = df
    file = f"{ctx.stem}_{name}.csv"
    if isinstance(df.index, pd.MultiIndex) and "year" in df.index.names:
        year = df.index.get_level_values("year").max()
        latest = df[df.index.get_level_values("year") == year]
        if len(latest) <= MAX_SUMMARY_UNITS:
            return latest, ctx.text(
                f"完整表 {len(df)} 行见 {file}；此处为 {year} 年",
                f"full table ({len(df)} rows) in {file}; shown: {year}",
            )
        num = [c for c in latest.columns if pd.api.types.is_numeric_dtype(latest[c])]
        if num:
            latest = latest.sort_values(num[0], ascending=False)
        shown = pd.concat([latest.head(10), latest.tail(10)])
        return shown, ctx.text(
            f"完整表 {len(df)} 行见 {file}；此处为 {year} 年最高与最低各 10 个单元",
            f"full table ({len(df)} rows) in {file}; shown: {year}, top and bottom 10 units",
        )
    return df.head(ctx.max_rows), ctx.text(
        f"完整表 {len(df)} 行见 {file}；此处为前 {ctx.max_rows} 行",
        f"full table ({len(df)} rows) in {file}; first {ctx.max_rows} rows shown",
    )


def chart_cities(a: Assessment, year: int, ctx: Context | None = None) -> list[Any]:
    """Cities drawn in line charts: all, or the best and worst of ``year`` by the composite
    (in the report's city order)."""
    comp = a.composite.xs(year, level="year")["closeness"].sort_values(ascending=False)
    if len(comp) <= MAX_CHART_SERIES:
        chosen = list(comp.index)
    else:
        half = MAX_CHART_SERIES // 2
        chosen = [*comp.index[:half], *comp.index[-half:]]
    return ctx.city_order(chosen) if ctx is not None else chosen


def make_context(
    a: Assessment,
    lang: str = "zh",
    stem: str = "report",
    max_rows: int = MAX_SHEET_ROWS,
    *,
    title: str | None = None,
    city_order: list[Any] | None = None,
    names_en: Mapping[str, str] | None = None,
) -> Context:
    """The :class:`Context` of a report on ``a`` (also for sheets other modules write).

    Parameters
    ----------
    a : Assessment
    lang : {"zh", "en", "both"}
    stem, max_rows
        As :func:`build_workbook`.
    title : str, optional
        Title of page 1 (default ``a.meta["title"]``, else the system's name and years).
    city_order : list, optional
        Row order of the cities (default ``a.meta["city_order"]``, the input order).
    names_en : mapping, optional
        English city names, over ``a.meta["city_names_en"]`` (e.g. from a cities table).

    Raises
    ------
    ValueError
        ``lang`` is not one of zh, en, both.
    """
    check_lang_value(lang)
    names = {s.id: (s.name_zh, s.name_en or s.name_zh) for s in a.system.subsystems}
    order = list(city_order or a.meta.get("city_order") or [])
    en = dict(a.meta.get("city_names_en") or {}) | dict(names_en or {})
    return Context(
        lang=lang,
        names=names,
        stem=stem,
        max_rows=max_rows,
        order=order,
        names_en={str(k): str(v) for k, v in en.items()},
        title=title or str(a.meta.get("title") or ""),
    )
