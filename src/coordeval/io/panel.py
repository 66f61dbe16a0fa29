"""PanelData: everything read from one data file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import pandas as pd

from coordeval.errors import (
    Problem,
)
from coordeval.system import IndicatorSystem

__all__ = ["PanelData"]


class PanelData:
    """Everything read from one data file.

    Attributes
    ----------
    panel : pandas.DataFrame
        Index ``(city, year)`` (str, int), sorted; one float64 column per indicator of the
        system found in the file, in system order. ``NaN`` where a value is missing or could
        not be read.
    problems : list of Problem
        Every problem found, all severities, each located.
    qualifiers : pandas.DataFrame
        Columns ``city, year, indicator, raw, qualifier, cell``: one row per value read with a
        qualifier other than ``"exact"`` (``>95``, ``约5.5``); missing values are not listed
        here (see :func:`coordeval.io.validate.apply_missing`).
    cells : pandas.DataFrame
        Columns ``city, year, indicator, cell, column, raw, status``: where every value of
        ``panel`` came from. ``status`` is the qualifier, ``"missing"``, or ``"invalid"`` for
        cells that could not be read. A long file without a row for a (city, year, indicator)
        has no entry.
    units : dict
        Indicator id → unit written in the file (header ``GDP（亿元）``, units row, or the
        ``unit`` column of a long file).
    file : str
        File name.
    sheet : str or None
        Worksheet read (Excel only).
    layout : {"wide", "long"}
    sha256 : str
        SHA-256 of the file's bytes, as read.
    system : IndicatorSystem or None
        The indicator system the headers were matched against.
    encoding : str or None
        Text encoding of a CSV file.
    """

    def __init__(
        self,
        panel: pd.DataFrame,
        problems: list[Problem],
        qualifiers: pd.DataFrame,
        cells: pd.DataFrame | Callable[[], pd.DataFrame],
        units: dict[str, str],
        file: str,
        sheet: str | None,
        layout: Literal["wide", "long"],
        sha256: str,
        system: IndicatorSystem | None = None,
        encoding: str | None = None,
    ) -> None:
        self.panel = panel
        self.problems = problems
        self.qualifiers = qualifiers
        self._cells = cells
        self.units = units
        self.file = file
        self.sheet = sheet
        self.layout = layout
        self.sha256 = sha256
        self.system = system
        self.encoding = encoding

    def __repr__(self) -> str:
        return (
            f"PanelData(file={self.file!r}, sheet={self.sheet!r}, layout={self.layout!r}, "
            f"panel={self.panel.shape[0]}×{self.panel.shape[1]}, problems={len(self.problems)})"
        )

    @property
    def cells(self) -> pd.DataFrame:
        """Where every value of :attr:`panel` came from (see the class docstring).

        ``cells`` may be given as a function that makes the frame: it is called on first
        access, since the text of every number and every cell reference of a large sheet
        are needed only when something looks them up.
        """
        if callable(self._cells):
            self._cells = self._cells()
        return self._cells

    @cells.setter
    def cells(self, value: pd.DataFrame) -> None:
        self._cells = value

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``"error"``."""
        return [p for p in self.problems if p.severity == "error"]

    def indicator_label(self, indicator_id: str) -> str:
        """``"gdp (地区生产总值)"`` when the system knows the id, else the id."""
        if self.system is not None and indicator_id in self.system.indicator_ids:
            return f"{indicator_id} ({self.system.indicator(indicator_id).name_zh})"
        return indicator_id

    def problems_at(
        self, where: pd.DataFrame, severity: Literal["error", "warning", "info"] = "error"
    ) -> list[Problem]:
        """Located problems for values of the panel.

        Parameters
        ----------
        where : pandas.DataFrame
            Columns ``city, year, indicator, message`` (one row per problem); an optional
            ``value`` column overrides the value as written in the file; optional ``code`` and
            ``params`` columns (a mapping per row) give each problem its code and parameters.
        severity : {"error", "warning", "info"}

        Returns
        -------
        list of Problem
            One per row of ``where``, with the file, sheet, cell, column header and value as
            written taken from :attr:`cells`.
        """
        keys = ["city", "year", "indicator"]
        extra = [c for c in ("value", "code", "params") if c in where.columns]
        located = where[[*keys, "message", *extra]].merge(
            self.cells[[*keys, "cell", "column", "raw"]], on=keys, how="left", validate="m:1"
        )
        n = len(located)
        value = located["value"] if "value" in located.columns else located["raw"]
        codes = located["code"] if "code" in located.columns else [""] * n
        params = located["params"] if "params" in located.columns else [{}] * n
        return [
            Problem(
                str(msg),
                file=self.file,
                sheet=self.sheet,
                cell=None if pd.isna(cell) else str(cell),
                column=None if pd.isna(col) else str(col),
                value=None if pd.isna(val) else str(val),
                severity=severity,
                code=str(code),
                params=dict(par),
            )
            for msg, cell, col, val, code, par in zip(
                located["message"],
                located["cell"],
                located["column"],
                value,
                codes,
                params,
                strict=True,
            )
        ]
