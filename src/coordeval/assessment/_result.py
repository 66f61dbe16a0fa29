"""The Assessment: the results of one run (tables and metadata), frozen once built."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from coordeval.assessment._tables import ReadOnly, Tables
from coordeval.errors import Problem

if TYPE_CHECKING:
    from coordeval.system import IndicatorSystem

__all__ = ["Assessment", "Note", "problems_frame"]


class Note(NamedTuple):
    """A fact an analysis records for the methods sheet: what ran, with which parameters.

    The words are the report's (:func:`coordeval.report.methods.render_note`).

    Attributes
    ----------
    topic : str
        Row label of the methods sheet (e.g. ``"coupling"``).
    key : str
        Which text describes it.
    params : mapping
        The values the text is made of.
    """

    topic: str
    key: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Assessment:
    """Everything one assessment produced, frozen once :func:`build_assessment` returns.

    Attributes
    ----------
    system : IndicatorSystem
        The indicator system used.
    meta : mapping
        Run metadata (read-only): coordeval version, data file and SHA-256, system name and
        SHA-256, fit period, preset and every convention.
    conventions : mapping
        The model's effective conventions (normalisation, shift, entropy constant, …), read-only.
    data : DataFrame
        The panel as read (index ``city, year``; one column per indicator id).
    problems : tuple of Problem
        Every data problem, warning and parsed qualifier.
    normalized : DataFrame
        z′ per city-year and indicator.
    weights : DataFrame
        Per indicator: subsystem, names, e, d, within-subsystem weight, subsystem weight and
        global weight.
    subsystem_weights : Series
        Weight of each subsystem.
    scores : DataFrame
        Subsystem scores U per city-year.
    composite : DataFrame
        TOPSIS composite: d_plus, d_minus, closeness, rank (within year).
    out_of_range : DataFrame
        Values outside the fitted bounds (empty when none).
    tables : Tables
        Further analysis tables by name (coupling, obstacles, inequality, …), read-only; the
        names are declared in :data:`coordeval.assessment.TABLES` and any other raises
        :class:`KeyError`.
    skipped : mapping of str to str
        Analyses not run, with the reason (read-only).
    notes : tuple of Note
        Method facts ``(topic, key, params)`` of the analyses that ran, worded by the report.
    """

    system: IndicatorSystem
    meta: Mapping[str, Any]
    conventions: Mapping[str, Any]
    data: pd.DataFrame
    problems: tuple[Problem, ...]
    normalized: pd.DataFrame
    weights: pd.DataFrame
    subsystem_weights: pd.Series
    scores: pd.DataFrame
    composite: pd.DataFrame
    out_of_range: pd.DataFrame
    tables: Mapping[str, pd.DataFrame] = field(default_factory=Tables)
    skipped: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()

    def __post_init__(self) -> None:
        freeze = object.__setattr__  # the fields of a frozen dataclass
        if not isinstance(self.tables, Tables):
            freeze(self, "tables", Tables(self.tables))
        freeze(self, "meta", ReadOnly(self.meta))
        freeze(self, "problems", tuple(self.problems))
        freeze(self, "conventions", ReadOnly(self.conventions))
        freeze(self, "skipped", ReadOnly(self.skipped))
        freeze(self, "notes", tuple(Note(*n) for n in self.notes))

    @property
    def is_panel(self) -> bool:
        """True when the data hold more than one year."""
        return self.data.index.get_level_values("year").nunique() > 1

    def amended(
        self, problems: Iterable[Problem] | None = None, meta: Mapping[str, Any] | None = None
    ) -> Assessment:
        """A copy with ``problems`` appended and ``meta`` merged in (this one is unchanged)."""
        return dataclasses.replace(
            self,
            problems=(*self.problems, *(problems or ())),
            meta={**self.meta, **(meta or {})},
        )

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """All tables as tidy DataFrames keyed by name (for use without Excel)."""
        frames = {
            "data": self.data,
            "normalized": self.normalized,
            "weights": self.weights,
            "subsystem_weights": self.subsystem_weights.to_frame(),
            "scores": self.scores,
            "composite": self.composite,
            "out_of_range": self.out_of_range,
            "problems": problems_frame(self.problems),
        }
        frames.update(self.tables)
        return frames

    def to_excel(
        self, path: str | Path, lang: str = "zh", max_rows: int | None = None, **layout: Any
    ) -> Path:
        """Write the assessment report workbook (atomically).

        Parameters
        ----------
        path : str or Path
            The ``.xlsx`` file to write; earlier files are replaced only on success.
        lang : {"zh", "en", "both"}
            Language of every sheet name, title, label, chart, finding and message.
        max_rows : int, optional
            Tables longer than this go to CSV files (UTF-8 with BOM) named
            ``<stem>_<table>.csv`` beside the workbook; default
            :data:`coordeval.report.workbook.MAX_SHEET_ROWS`.
        **layout
            ``title`` (page 1), ``city_order`` (row order), ``names_en`` (English city
            names), ``figures`` (figure name → PNG from :meth:`figures`: the key figures on
            a sheet 图表/Figures): see :func:`coordeval.report.workbook.build_workbook`.

        Returns
        -------
        Path
            The workbook written.
        """
        from coordeval.report.workbook import MAX_SHEET_ROWS, write_report

        return write_report(self, path, lang=lang, max_rows=max_rows or MAX_SHEET_ROWS, **layout)

    def figures(
        self,
        dir: str | Path,
        formats: tuple[str, ...] = ("png", "svg"),
        dpi: int = 300,
        geometry: Any = None,
        coords: Any = None,
        map_credit: str | None = None,
        lang: str = "zh",
    ) -> dict[str, Path]:
        """Draw the figures of the assessment into ``dir`` (optional extra ``figures``).

        One file per figure and format with a stable name, and the table behind each figure
        as CSV; see :func:`coordeval.report.figures.draw_figures` for the parameters.

        Returns
        -------
        dict of str to Path
            Figure name → file in the first of ``formats``.
        """
        from coordeval.report.figures import draw_figures

        return draw_figures(
            self,
            dir,
            formats=formats,
            dpi=dpi,
            geometry=geometry,
            coords=coords,
            map_credit=map_credit,
            lang=lang,
        )


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table with columns severity, file, sheet, cell, column, value, message."""
    cols = ["severity", "file", "sheet", "cell", "column", "value", "message"]
    return pd.DataFrame([[getattr(p, c) for c in cols] for p in problems], columns=cols)
