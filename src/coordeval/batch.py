"""Score many yearbook files against a saved model and keep a history of scores.

A planning office fits a :class:`~coordeval.model.CoordinationModel` once, saves it as JSON and
scores every new year's file against it, so that all years are on the same scale. This module
does the scoring in bulk:

* :func:`expand_inputs` turns files, folders and glob patterns into a list of data files;
* :func:`score_file` reads and validates one file against the model's indicator system,
  scores it with the frozen model and computes the coupling coordination of its subsystem
  scores (no side effects);
* :func:`score_files` scores many files (in parallel processes when there are several) and
  merges the rows into ``OUTDIR/scores.csv``, the scores history: one row per (city, year),
  re-scored city-years replace their old rows, everything else is kept, and the file is
  rewritten atomically (temporary file, then rename), so an interrupted run leaves the
  previous history intact.

``scores.csv`` (UTF-8 with BOM, so Excel detects the encoding) has the columns ``city, year``,
one column per subsystem score U, ``composite`` (TOPSIS closeness), ``C, T, D, grade,
level_zh, level_en`` (coupling coordination with the model's conventions), ``out_of_range``
(e.g. ``"gsp>hi; unemp<lo"``: the indicators outside the fitted bounds, empty when none),
``source_file`` (the input's file name) and ``model_sha256`` (:func:`model_sha256`). Floats
are written with the shortest representation that reads back to the same double, so the
history is lossless. Text cells that start with ``= + - @``, a tab or a carriage return
would be taken for a formula by Excel; they are written with a leading single quote ``'``
(and so is text that already starts with ``'``, so that :func:`read_scores` can remove
exactly one quote and give back the original text).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError, CoordevalError, DataWarning, InputError, Problem
from coordeval.io._sources import CSV_SUFFIXES, EXCEL_SUFFIXES
from coordeval.io.atomic import FORMULA_TRIGGERS, atomic_path
from coordeval.io.outputs import TEMP_PREFIX, Output, guarded, report_outputs
from coordeval.io.panel import PanelData
from coordeval.model import CoordinationModel, load_model, model_from_dict
from coordeval.workflow import read_validated

__all__ = [
    "DATA_SUFFIXES",
    "FORMULA_TRIGGERS",
    "REPORTS_DIR",
    "REPORT_PREFIX",
    "SCORES_FILE",
    "BatchResult",
    "FileResult",
    "expand_inputs",
    "model_sha256",
    "read_scores",
    "score_file",
    "score_files",
    "scores_columns",
]

SCORES_FILE = "scores.csv"
#: The lock file that lets one ``score`` run at a time write a scores folder.
LOCK_FILE = ".scores.csv.lock"
#: Seconds a run waits for another run writing the same folder before it gives up.
LOCK_WAIT = 300.0
DATA_SUFFIXES = (*EXCEL_SUFFIXES, *CSV_SUFFIXES)
#: Leading characters that make Excel, LibreOffice and Google Sheets read a cell as a formula.
#: Progress bars are shown (on a terminal, when not quiet) from this many files on.
PROGRESS_MIN_FILES = 5
_GLOB_CHARS = frozenset("*?[")
_TEXT_COLUMNS = (
    "city",
    "level_zh",
    "level_en",
    "clipped",
    "out_of_range",
    "source_file",
    "model_sha256",
)
_COUPLING_COLUMNS = ("C", "T", "D", "grade", "level_zh", "level_en", "clipped")
#: Folder (under the output folder) of the report workbooks of ``score --reports``.
REPORTS_DIR = "reports"
#: Prefix of those workbooks' names, so that they are never taken for data files.
REPORT_PREFIX = "coordeval_report_"
_VOLATILE_MODEL_KEYS = ("created", "coordeval_version")
#: How the missing-value policy words a filled cell (these are listed for the user).
_FILLED = "filled by linear interpolation"
# pandas before 3.1 parses floats with a fast parser that can be off by one ulp unless asked
# for round-trip parsing (measured with pandas 3.0.0 and 3.0.6); pandas 3.1 parses exactly by
# default and deprecates the argument
_ROUND_TRIP: dict[str, str] = (
    {"float_precision": "round_trip"}
    if tuple(int(x) for x in pd.__version__.split(".")[:2]) < (3, 1)
    else {}
)


@dataclass
class FileResult:
    """The outcome of scoring one input.

    Attributes
    ----------
    file : Path
        The input as given (after :func:`expand_inputs`).
    status : {"ok", "failed"}
    reason : str
        Why the file failed (one line naming the first error); empty when it is ok.
    scores : DataFrame or None
        The rows for ``scores.csv`` (columns :func:`scores_columns`), ``None`` when failed.
    warnings : list of Problem
        Everything the user should look at in a scored file: reader warnings (unknown
        columns, qualified values such as ``>95``), one entry per city-year-indicator outside
        the fitted bounds, subsystem scores clipped for the coupling model, cities that were
        not in the fit data.
    problems : list of Problem
        For a scored file, every problem the reader and validator found (all severities,
        kept in reports); for a failed file, the problems that made it fail (with the
        warnings found on the way).
    out_of_range : DataFrame
        :meth:`CoordinationModel.flag_out_of_range` of the file's panel (empty when failed
        before scoring).
    panel : DataFrame or None
        The validated (city, year) panel that was scored.
    report : Path or None
        The report workbook written for this input (``reports=True``).
    """

    file: Path
    status: Literal["ok", "failed"]
    reason: str = ""
    scores: pd.DataFrame | None = None
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    out_of_range: pd.DataFrame = field(default_factory=pd.DataFrame)
    panel: pd.DataFrame | None = None
    report: Path | None = None

    @property
    def ok(self) -> bool:
        """Whether the file was scored."""
        return self.status == "ok"

    @property
    def rows(self) -> int:
        """Number of city-years scored from this file."""
        return 0 if self.scores is None else len(self.scores)


@dataclass
class BatchResult:
    """The outcome of :func:`score_files`.

    Attributes
    ----------
    results : list of FileResult
        One per input, in input order.
    scores_path : Path
        ``OUTDIR/scores.csv``.
    written : bool
        Whether ``scores.csv`` was (re)written in this run; it is not when every input failed.
    scores : DataFrame
        The whole history as written (empty when nothing was written).
    model_sha256 : str
        :func:`model_sha256` of the model used.
    notes : list of str
        Remarks on the run as a whole (city-years given by several inputs, conventions that
        batch scoring cannot apply).
    """

    results: list[FileResult]
    scores_path: Path
    written: bool = False
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    model_sha256: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        """The inputs that failed."""
        return [r for r in self.results if not r.ok]

    @property
    def totals(self) -> dict[str, int]:
        """Counts: ``files``, ``ok``, ``failed``, ``rows`` (city-years scored in this run,
        after removing duplicates between inputs) and ``warnings``."""
        return {
            "files": len(self.results),
            "ok": sum(r.ok for r in self.results),
            "failed": sum(not r.ok for r in self.results),
            "rows": sum(r.rows for r in self.results),
            "warnings": sum(len(r.warnings) for r in self.results),
        }

    @property
    def exit_code(self) -> int:
        """0 when every input was scored, 3 when some failed (the others are written), 1 when
        all failed or there was nothing to score."""
        t = self.totals
        if t["ok"] == 0:
            return 1
        return 3 if t["failed"] else 0

    def summary(self) -> pd.DataFrame:
        """One-row table of the totals: files, ok, failed, rows, warnings."""
        return pd.DataFrame([self.totals])

    def files_table(self) -> pd.DataFrame:
        """One row per input: file, status, rows, warnings, reason."""
        return pd.DataFrame(
            {
                "file": [str(r.file) for r in self.results],
                "status": [r.status for r in self.results],
                "rows": [r.rows for r in self.results],
                "warnings": [len(r.warnings) for r in self.results],
                "reason": [r.reason for r in self.results],
            }
        )


def _is_glob(text: str) -> bool:
    return any(ch in _GLOB_CHARS for ch in text)


def _is_data_file(path: Path) -> bool:
    """A data file a folder or glob contributes: known suffix, not hidden, not a lock file."""
    name = path.name
    return (
        path.is_file() and path.suffix.lower() in DATA_SUFFIXES and not name.startswith((".", "~$"))
    )


def expand_inputs(patterns: Iterable[str | Path]) -> list[Path]:
    """Expand files, folders and glob patterns into a list of data files.

    Parameters
    ----------
    patterns : iterable of str or Path
        Each one a file (kept whatever its suffix), a folder (its ``.xlsx``/``.xlsm``/
        ``.xls``/``.csv`` files, sorted by name, not recursive) or a glob pattern such as
        ``"data/20*.xlsx"`` or ``"data/**/*.csv"`` (matching data files, sorted).

    Returns
    -------
    list of Path
        In the order given, each file once (the first occurrence is kept). A name that does
        not exist, a pattern that matches nothing and a folder without data files are kept
        as they are, so that :func:`score_file` reports them as failed inputs instead of
        the batch stopping.

    Notes
    -----
    Hidden files (``.name``, such as the temporary files of an atomic write) and Excel lock
    files (``~$name.xlsx``) are skipped in folders and glob matches.
    """
    out: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve() if path.exists() else path
        if key not in seen:
            seen.add(key)
            out.append(path)

    for item in patterns:
        text = str(item)
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if _is_data_file(p))
        elif path.exists() or not _is_glob(text):
            found = [path]
        else:
            found = sorted(
                Path(p) for p in glob.glob(text, recursive=True) if _is_data_file(Path(p))
            )
        for p in found or [path]:
            add(p)
    return out


def model_sha256(model: CoordinationModel) -> str:
    """SHA-256 of the model's fitted content, the same for every copy of one fit.

    Parameters
    ----------
    model : CoordinationModel
        A fitted (or loaded) model.

    Returns
    -------
    str
        64 hex digits.

    Notes
    -----
    The hash is taken over :meth:`CoordinationModel.to_dict` without its creation time and
    coordeval version (``created``, ``coordeval_version``), serialised as canonical JSON
    (sorted keys, no whitespace, UTF-8, floats in shortest round-trip form). It covers the
    parameters, conventions, embedded indicator system and every fitted number, so saving the
    same fit twice, or loading it again, gives the same hash, while any refit or change of
    convention gives another. It is not the hash of the JSON file's bytes, which change with
    the creation time.
    """
    content = {k: v for k, v in model.to_dict().items() if k not in _VOLATILE_MODEL_KEYS}
    text = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scores_columns(model: CoordinationModel) -> list[str]:
    """The columns of ``scores.csv`` for ``model``, in order."""
    return [
        "city",
        "year",
        *model.system_.subsystem_ids,
        "composite",
        *_COUPLING_COLUMNS,
        "out_of_range",
        "source_file",
        "model_sha256",
    ]


def _failed(path: Path, reason: str, problems: Sequence[Problem] = ()) -> FileResult:
    return FileResult(file=path, status="failed", reason=reason, problems=list(problems))


def _reason(exc: CoordevalError) -> str:
    """One line: the error's summary and its first error problem."""
    if not isinstance(exc, InputError):
        return str(exc)
    errors = [p for p in exc.problems if p.severity == "error"]
    if not errors:
        return exc.summary
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{exc.summary}: {str(errors[0]).removeprefix('error: ')}{more}"


def _missing_input(path: Path) -> FileResult:
    text = str(path)
    if path.is_dir() and any(_is_data_file(p) for p in path.iterdir()):
        why = f"{text}: a folder, not a data file (score_files expands folders)"
    elif path.is_dir():
        why = f"{text}: the folder has no .xlsx, .xlsm, .xls or .csv files"
    elif _is_glob(text):
        why = f"{text}: no data file matches the pattern"
    else:
        why = f"{text}: no such file or folder"
    return _failed(path, why, [Problem(why)])


def _as_warnings(caught: Iterable[warnings.WarningMessage], file: str) -> list[Problem]:
    return [
        Problem(f"{w.category.__name__}: {w.message}", file=file, severity="warning")
        for w in caught
    ]


def _flag_problems(
    data: PanelData, flags: pd.DataFrame, policy: str, severity: Literal["error", "warning"]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Located problems for out-of-range cells, and their (city, year) keys."""
    keys = pd.DataFrame(flags["row"].tolist(), columns=["city", "year"], index=flags.index)
    keys = keys.astype({"city": "str", "year": "int64"})
    text = (
        keys["city"]
        + " "
        + keys["year"].astype("str")
        + ": "
        + flags["indicator"].astype("str")
        + " = "
        + flags["value"].map("{:g}".format)
        + " is "
        + flags["side"].astype("str")
        + " the fitted range ["
        + flags["lo"].map("{:g}".format)
        + ", "
        + flags["hi"].map("{:g}".format)
        + f"] (out_of_range={policy!r})"
    )
    where = keys.assign(indicator=flags["indicator"].astype("str"), message=text)
    return keys, data.problems_at(where, severity=severity)


def _flag_text(keys: pd.DataFrame, flags: pd.DataFrame) -> pd.Series:
    """``"gsp>hi; unemp<lo"`` per (city, year) with a flag, indicators in system order."""
    tag = flags["indicator"].astype("str") + np.where(flags["side"].eq("above"), ">hi", "<lo")
    return tag.groupby([keys["city"], keys["year"]], sort=False).agg("; ".join)


def _out_of_range_summary(
    flags: pd.DataFrame, keys: pd.DataFrame, name: str, policy: str
) -> Problem:
    """One warning for a file's values outside the fitted range: count and cities per
    indicator (the cells themselves are in the report and, per row, in ``scores.csv``)."""
    table = pd.DataFrame(
        {"indicator": flags["indicator"].astype("str").to_numpy(), "city": keys["city"].to_numpy()}
    )
    per = table.groupby("indicator", sort=False)["city"].agg(
        n="size", cities=lambda c: ", ".join(dict.fromkeys(c))
    )
    parts = (per.index + ": " + per["n"].astype("str") + " (" + per["cities"] + ")").tolist()
    return Problem(
        f"{len(flags)} value(s) outside the fitted range (out_of_range={policy}), scored on the "
        f"frozen scale and listed per row in scores.csv (column out_of_range): "
        + "; ".join(parts)
        + " — pass --verbose for one line per value",
        file=name,
        severity="warning",
    )


def score_file(
    path: str | Path,
    model: CoordinationModel,
    *,
    model_hash: str | None = None,
    missing: str = "error",
    verbose: bool = False,
    cities: pd.DataFrame | None = None,
    context: pd.DataFrame | None = None,
) -> FileResult:
    """Read, validate and score one data file with a fitted model; no side effects.

    Parameters
    ----------
    path : str or Path
        ``.xlsx``/``.csv`` data file (wide or long layout, see
        :func:`coordeval.io.read.read_data`), read against the model's indicator system.
    model : CoordinationModel
        A fitted or loaded model.
    model_hash : str, optional
        :func:`model_sha256` of ``model`` (computed when not given).
    missing : {"error", "drop", "interpolate"}
        Missing-value policy, as for fitting (:func:`coordeval.io.validate.apply_missing`):
        ``interpolate`` fills interior gaps of a city linearly in the year within the file
        and lists every filled cell.
    verbose : bool
        One warning per value outside the fitted range instead of one summary for the file.
    cities : DataFrame, optional
        A cities table (:func:`coordeval.io.side.read_cities`) resolving name variants.
    context : DataFrame, optional
        Validated city-years of other inputs (index city, year); with
        ``missing="interpolate"`` a gap may be bridged with their years.

    Returns
    -------
    FileResult
        ``status="ok"`` with the rows for ``scores.csv``, or ``status="failed"`` with the
        reason: the file cannot be read, indicators of the system are missing (named, with
        the file's unknown columns listed as warnings), values cannot be read or are missing,
        or values lie outside the fitted bounds under ``out_of_range="error"`` (every cell
        listed).

    Notes
    -----
    With the fitted bounds :math:`[lo_j, hi_j]`, within-subsystem weights :math:`w_{j|r}` and
    global weights :math:`w_j` of the model, each city-year gets

    .. math::

        z'_j = \\frac{x_j - lo_j}{hi_j - lo_j}\\ (+),\\quad
        z'_j = \\frac{hi_j - x_j}{hi_j - lo_j}\\ (-),\\qquad
        U_r = \\sum_{j \\in r} w_{j|r} z'_j,

    the TOPSIS composite :math:`d^- / (d^+ + d^-)` with :math:`d^\\pm` the weighted distances
    to :math:`z' = 1` and :math:`z' = 0`, and the coupling coordination of its :math:`n`
    subsystem scores with the model's coupling model and grade scheme, e.g. for the classic
    model :math:`C = n (\\prod U_r)^{1/n} / \\sum U_r`, :math:`T = \\sum \\alpha_r U_r`,
    :math:`D = \\sqrt{C T}` (:math:`\\alpha_r` equal, or the system's fixed subsystem weights,
    as in :meth:`CoordinationModel.assess`). Values outside the fitted bounds follow the
    model's ``out_of_range`` policy and are listed one by one. Under ``extend`` a subsystem
    score may leave [0, 1]; the scores are kept as they are and C, T, D use them clipped to
    [0, 1] (a warning per clipped score). Every row is scored on its own, so the result does
    not depend on which other city-years are in the file. For the same reason SPSSAU's
    rescaling of U to [0.01, 0.99] over the scored rows is not applied (the ``spssau`` grade
    scheme, ``floor(10·D) + 1``, is).

    References
    ----------
    Hwang, C.-L. & Yoon, K. (1981) Multiple Attribute Decision Making, Springer (TOPSIS).
    廖重斌 (1999) 环境与经济协调发展的定量评判及其分类体系, 热带地理 19(2):171-177.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        return _missing_input(path)
    digest = model_sha256(model) if model_hash is None else model_hash
    system = model.system_
    conv = model.params_
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            v = read_validated(path, system, missing, cities=cities, context=context)
        found = [p for p in v.problems if p.severity == "warning"]
        found += [p for p in v.problems if p.severity == "info" and _FILLED in p.message]
        found += _as_warnings(caught, name)
        flags = model.flag_out_of_range(v.panel)
        keys = pd.DataFrame(columns=["city", "year"])
        if len(flags):
            severity = "error" if conv["out_of_range"] == "error" else "warning"
            keys, located = _flag_problems(v.data, flags, conv["out_of_range"], severity)
            if severity == "error":
                raise InputError(
                    located,
                    f"{name}: {len(located)} value(s) outside the fitted range "
                    "(the model's out_of_range='error')",
                )
            found += (
                located
                if verbose
                else [_out_of_range_summary(flags, keys, name, conv["out_of_range"])]
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if len(flags):
                # the one DataWarning transform gives sums up the cells listed above
                warnings.simplefilter("ignore", DataWarning)
            scores = model.transform(v.panel)
        found += _as_warnings(caught, name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cc = model.coupling_coordination(scores)
        clipped = cc["clipped"].ne("")
        if clipped.any():
            found.append(
                Problem(
                    f"{int(clipped.sum())} city-year(s) have subsystem scores outside [0, 1] "
                    "(values beyond the fitted range); C, T and D use them clipped to [0, 1] "
                    "(column clipped of scores.csv)",
                    file=name,
                    severity="warning",
                )
            )
        floor = cc["floor_zero"].to_numpy(dtype=bool)
        if floor.any():
            found.append(
                Problem(
                    f"{int(floor.sum())} city-year(s) have a subsystem score of exactly 0 (at "
                    f"the normalisation floor), so the {conv['coupling']} model gives C = D = 0 "
                    "there: an artefact of the scale, not a coordination level (column "
                    "floor_zero of the report's coupling table)",
                    file=name,
                    severity="warning",
                )
            )
        found += _as_warnings(caught, name)
    except CoordevalError as exc:
        problems = exc.problems if isinstance(exc, InputError) else [Problem(str(exc), file=name)]
        return _failed(path, _reason(exc), problems)

    cities = v.panel.index.get_level_values("city").unique()
    if model.cities_:
        new = cities[~cities.isin(model.cities_)]
        if len(new):
            shown = ", ".join(map(str, new[:10])) + (" …" if len(new) > 10 else "")
            found.append(
                Problem(
                    f"{len(new)} city(ies) not in the fit data, scored on the fitted scale "
                    f"(check the spelling if they should be): {shown}",
                    file=name,
                    severity="warning",
                )
            )
    table = pd.concat([scores, cc[list(_COUPLING_COLUMNS)]], axis=1)
    flag_text = (
        _flag_text(keys, flags).reindex(table.index, fill_value="")
        if len(flags)
        else pd.Series("", index=table.index)
    )
    table = table.assign(
        out_of_range=flag_text.astype("str").to_numpy(),
        source_file=name,
        model_sha256=digest,
    )
    table = table.reset_index()
    table = table.astype({"city": "str", "year": "int64", "grade": "int64"})
    table = table.astype({c: "str" for c in _TEXT_COLUMNS})
    return FileResult(
        file=path,
        status="ok",
        scores=table[scores_columns(model)],
        warnings=found,
        problems=list(v.problems),
        out_of_range=flags,
        panel=v.panel,
    )


def _escape_text(s: pd.Series) -> pd.Series:
    s = s.astype("str")
    risky = s.str.startswith((*FORMULA_TRIGGERS, "'"))
    return s.mask(risky, "'" + s)


def _unescape_text(s: pd.Series) -> pd.Series:
    s = s.astype("str")
    return s.mask(s.str.startswith("'"), s.str.slice(1))


def read_scores(path: str | Path, model: CoordinationModel | None = None) -> pd.DataFrame:
    """Read a ``scores.csv`` written by :func:`score_files`, undoing the formula escaping.

    Parameters
    ----------
    path : str or Path
        The history file.
    model : CoordinationModel, optional
        When given, the file must have exactly the columns this model writes and must hold
        scores of this model only (its :func:`model_sha256`).

    Returns
    -------
    DataFrame
        Columns as in the file; floats exactly as written, text as it was before escaping.

    Raises
    ------
    ConfigError
        If the file cannot be read, is not a scores history, or (with ``model``) was
        written by another model: scores of different fits are not comparable, so they are
        never mixed in one history.
    """
    path = Path(path)
    text_cols = dict.fromkeys(_TEXT_COLUMNS, "str")
    try:
        frame = pd.read_csv(
            path,
            encoding="utf-8-sig",
            dtype=text_cols,
            keep_default_na=False,
            na_values=[],
            **_ROUND_TRIP,
        )
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the scores history ({exc})") from None
    where = f"{path}: "
    if model is not None:
        expected = scores_columns(model)
        if list(frame.columns) != expected:
            raise ConfigError(
                f"{where}its columns {list(frame.columns)} are not the ones this model writes "
                f"{expected}; it was written by another model or edited. Score into another "
                "folder, or move the file away"
            )
        numeric = [c for c in expected if c not in _TEXT_COLUMNS]
        bad = [c for c in numeric if not pd.api.types.is_numeric_dtype(frame[c])]
        if bad:
            raise ConfigError(f"{where}column(s) {bad} hold text where numbers belong")
    missing = [c for c in ("city", "year", "model_sha256") if c not in frame.columns]
    if missing:
        raise ConfigError(f"{where}not a coordeval scores history (no column {missing})")
    for col in _TEXT_COLUMNS:
        if col in frame.columns:
            frame[col] = _unescape_text(frame[col])
    if model is not None and len(frame):
        digest = model_sha256(model)
        others = sorted(set(frame["model_sha256"]) - {digest})
        if others:
            raise ConfigError(
                f"{where}holds scores of another model (model_sha256 {others[0][:12]}…; this "
                f"model is {digest[:12]}…). Scores of different fits are not comparable: "
                "score into another folder, or move the file away"
            )
    if frame.duplicated(["city", "year"]).any():
        raise ConfigError(f"{where}lists a (city, year) more than once; it was edited")
    return frame


def _write_scores(target: Path, frame: pd.DataFrame, staging: Path | None = None) -> None:
    """Write the history atomically; the reports staged in ``staging`` are moved beside it
    just before the history is renamed, so a failure publishes neither."""
    out = frame.assign(**{c: _escape_text(frame[c]) for c in _TEXT_COLUMNS})
    try:
        with atomic_path(target) as tmp:
            out.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
            if staging is not None:
                _publish(staging, target.parent / REPORTS_DIR)
    except (OSError, ConfigError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ConfigError(
            f"{target}: cannot write the scores history ({why}); the previous file, if any, "
            "and the previous reports are unchanged"
        ) from None


def _publish(staging: Path, outdir: Path) -> None:
    """Move every file of the staging folder into ``outdir`` (same file system: renames)."""
    outdir.mkdir(exist_ok=True)
    for f in sorted(staging.iterdir()):
        os.replace(f, outdir / f.name)


@contextlib.contextmanager
def _folder_lock(outdir: Path, wait: float) -> Iterator[None]:
    """Hold the lock of a scores folder (``filelock``), waiting at most ``wait`` seconds."""
    from filelock import FileLock, Timeout

    outdir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(outdir / LOCK_FILE, timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise ConfigError(
            f"{outdir}: another coordeval run is writing this scores folder (lock "
            f"{outdir / LOCK_FILE}); waited {wait:g} s — try again when it has finished"
        ) from None
    except OSError as exc:
        why = exc.strerror or exc
        raise ConfigError(f"{outdir}: cannot lock the scores folder ({why})") from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def _staging(outdir: Path, reports: bool) -> Iterator[Path | None]:
    """A recognisable temporary folder for this run's reports (removed afterwards)."""
    if not reports:
        yield None
        return
    staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=outdir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _is_report(path: Path) -> bool:
    """Whether ``path`` is a workbook coordeval wrote (its document creator)."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml")[:4096]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return b">coordeval<" in core


def _report_paths(inputs: Sequence[Path], outdir: Path) -> list[Path]:
    """``OUTDIR/reports/coordeval_report_<stem>.xlsx`` per input; never twice, never an input's
    own path, never a workbook coordeval did not write (such as one a CSV input was exported from).

    The folder and the prefix keep reports apart from data files: :func:`score_files` never
    reads a file in that folder, and the name says what the file is.
    """
    folder = outdir / REPORTS_DIR
    taken = {p.resolve() for p in inputs}
    stems = Counter(p.stem for p in inputs)
    used: set[Path] = set()
    out = []

    def foreign(cand: Path) -> bool:
        return cand.resolve() in taken or (cand.exists() and not _is_report(cand))

    for k, p in enumerate(inputs):
        cand = folder / f"{REPORT_PREFIX}{p.stem}.xlsx"
        if stems[p.stem] > 1 or foreign(cand):
            cand = folder / f"{REPORT_PREFIX}{p.stem}_{p.suffix.lstrip('.') or 'data'}.xlsx"
        if foreign(cand) or cand in used:
            cand = folder / f"{REPORT_PREFIX}{p.stem}_{k + 1}.xlsx"
        if foreign(cand):
            cand = folder / f"{REPORT_PREFIX}{p.stem}_{k + 1}_report.xlsx"
        used.add(cand)
        out.append(cand)
    return out


def _write_report(
    result: FileResult, model: CoordinationModel, digest: str, target: Path
) -> FileResult:
    """``model.assess(panel, problems=…)`` then ``.to_excel(target)``; a failure fails the file."""
    name = result.file.name
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            a = model.assess(
                result.panel,
                problems=list(result.problems),
                meta={"data_file": name, "model_sha256": digest},
            )
        a.problems.extend(_as_warnings(caught, name))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            a.to_excel(target)
        result.warnings.extend(_as_warnings(caught, name))
    except (CoordevalError, OSError) as exc:
        why = f"{name}: scored, but the report {target.name} could not be written ({exc})"
        return _failed(result.file, why, [Problem(why, file=name)])
    result.report = target
    return result


def _process(
    path: Path,
    model: CoordinationModel,
    digest: str,
    report: Path | None,
    options: dict[str, Any] | None = None,
) -> FileResult:
    result = score_file(path, model, model_hash=digest, **(options or {}))
    if result.ok and report is not None:
        result = _write_report(result, model, digest, report)
    return result


_WORKER: dict[str, Any] = {}


def _init_worker(model_data: dict[str, Any], digest: str, options: dict[str, Any]) -> None:
    _WORKER["model"] = model_from_dict(model_data, "<batch worker>")
    _WORKER["digest"] = digest
    _WORKER["options"] = options


def _worker(path: str, report: str | None) -> FileResult:
    return _process(
        Path(path),
        _WORKER["model"],
        _WORKER["digest"],
        None if report is None else Path(report),
        _WORKER["options"],
    )


def _mp_context() -> Any:
    """The start method for worker processes.

    ``fork`` on Linux when this process runs a single thread (instant start, nothing to
    import again; with one thread forking is safe), else ``forkserver`` (a clean,
    single-threaded server that imports coordeval once), else ``spawn``.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["coordeval.batch"])
        return ctx
    return multiprocessing.get_context("spawn")


def _n_workers(jobs: int | None, n_files: int) -> int:
    if jobs is None:
        return max(1, min(os.cpu_count() or 1, n_files))
    if isinstance(jobs, bool) or not isinstance(jobs, int | np.integer) or jobs < 1:
        raise ConfigError(f"jobs must be a positive whole number, got {jobs!r}")
    return max(1, min(int(jobs), n_files))


@contextlib.contextmanager
def _progress(n: int, quiet: bool) -> Iterator[Callable[[], None]]:
    """A transient rich progress bar on stderr; silent when quiet, few files or no terminal."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    show = not quiet and n >= PROGRESS_MIN_FILES and console.is_terminal
    with Progress(console=console, transient=True, disable=not show) as bar:
        task = bar.add_task("scoring", total=n)
        yield lambda: bar.advance(task)


def _run(
    inputs: Sequence[Path],
    model: CoordinationModel,
    digest: str,
    reports: Sequence[Path | None],
    workers: int,
    quiet: bool,
    options: dict[str, Any],
) -> list[FileResult]:
    if workers == 1:
        results = []
        with _progress(len(inputs), quiet) as advance:
            for p, r in zip(inputs, reports, strict=True):
                results.append(_process(p, model, digest, r, options))
                advance()
        return results
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_mp_context(),
        initializer=_init_worker,
        initargs=(model.to_dict(), digest, options),
    ) as pool:
        # all workers start on the first submit, before the progress bar starts its thread
        futures = [
            pool.submit(_worker, str(p), None if r is None else str(r))
            for p, r in zip(inputs, reports, strict=True)
        ]
        with _progress(len(inputs), quiet) as advance:
            for _ in as_completed(futures):
                advance()
        return [f.result() for f in futures]


def _bridge_gaps(
    results: list[FileResult],
    model: CoordinationModel,
    digest: str,
    reports: Sequence[Path | None],
    options: dict[str, Any],
) -> None:
    """Score again the inputs whose gaps could not be interpolated within the file, with the
    other scored inputs' years as neighbours (``missing="interpolate"`` across files)."""
    marker = "cannot be interpolated"
    retry = [
        k
        for k, r in enumerate(results)
        if not r.ok and any(marker in p.message for p in r.problems)
    ]
    panels = [r.panel for r in results if r.ok and r.panel is not None]
    if not retry or not panels:
        return
    context = pd.concat(panels)
    context = context[~context.index.duplicated(keep="last")]
    for k in retry:
        results[k] = _process(
            results[k].file, model, digest, reports[k], options | {"context": context}
        )


def _merge_new(results: list[FileResult]) -> tuple[pd.DataFrame, list[str]]:
    """Rows of all scored inputs; a city-year given by several inputs keeps the last one."""
    ok = [(k, r) for k, r in enumerate(results) if r.ok]
    new = pd.concat([r.scores.assign(_input=k) for k, r in ok], ignore_index=True)
    dup = new.duplicated(["city", "year"], keep="last").to_numpy()
    notes = []
    if dup.any():
        gone = new[dup]
        winner = new.drop_duplicates(["city", "year"], keep="last").set_index(["city", "year"])
        for k, part in gone.groupby("_input", sort=True):
            kept_from = winner.loc[
                pd.MultiIndex.from_frame(part[["city", "year"]]), "_input"
            ].to_numpy()
            keys = (part["city"] + " " + part["year"].astype("str")).tolist()
            shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
            later = sorted({str(results[int(j)].file) for j in kept_from})
            text = (
                f"{len(keys)} city-year(s) of {results[int(k)].file} are also in the later "
                f"input(s) {', '.join(later)}, whose rows are kept: {shown}"
            )
            notes.append(text)
            results[int(k)].warnings.append(
                Problem(text, file=results[int(k)].file.name, severity="warning")
            )
            own = results[int(k)].scores
            lost = pd.MultiIndex.from_frame(own[["city", "year"]]).isin(
                pd.MultiIndex.from_frame(part[["city", "year"]])
            )
            results[int(k)].scores = own[~lost].reset_index(drop=True)
    return new[~dup].drop(columns="_input").reset_index(drop=True), notes


def score_files(
    paths: str | Path | Iterable[str | Path],
    model: CoordinationModel | str | Path,
    outdir: str | Path,
    *,
    reports: bool = False,
    jobs: int | None = None,
    quiet: bool = True,
    lock_wait: float | None = None,
    missing: str = "error",
    verbose: bool = False,
    cities: pd.DataFrame | None = None,
) -> BatchResult:
    """Score every input with a saved model and update the history ``OUTDIR/scores.csv``.

    Parameters
    ----------
    paths : str, Path or iterable of them
        Files, folders and glob patterns (see :func:`expand_inputs`).
    model : CoordinationModel, str or Path
        A fitted model, or the path of a model saved with :meth:`CoordinationModel.save`.
    outdir : str or Path
        Output folder (created when missing). ``scores.csv`` there is read, updated and
        rewritten atomically; with ``reports=True`` one workbook
        ``reports/coordeval_report_<input stem>.xlsx`` per scored input is written there too
        (files in ``OUTDIR/reports`` are never read as inputs).
    reports : bool
        Also write a full assessment report per input
        (``model.assess(panel, problems=…).to_excel(…)``); a report that cannot be written
        fails its input.
    jobs : int, optional
        Worker processes. Default: one per CPU (at most one per file); ``1`` scores in this
        process. Parallel and sequential runs give identical output.
    quiet : bool
        No progress bar. Without ``quiet`` a transient bar is shown on stderr when it is a
        terminal and there are at least :data:`PROGRESS_MIN_FILES` files.
    lock_wait : float, optional
        Seconds to wait for another run that holds the folder's lock (``OUTDIR/.scores.csv.lock``,
        ``filelock``); default :data:`LOCK_WAIT`.
    missing : {"error", "drop", "interpolate"}
        Missing-value policy of every input (see :func:`score_file`). With
        ``"interpolate"``, a gap that cannot be bridged within its file (a one-year file) is
        interpolated between the neighbouring years of the other inputs of the run, and the
        filled cells are listed.
    verbose : bool
        One warning per value outside the fitted range instead of one summary per file.
    cities : DataFrame, optional
        A cities table (:func:`coordeval.io.side.read_cities`) applied to every input.

    Returns
    -------
    BatchResult
        Per-file results in input order, totals and the exit code (0 all scored, 3 some
        failed but the others are written, 1 all failed or nothing to score).

    Raises
    ------
    ConfigError
        A model file that cannot be loaded (edited, damaged, another schema version), a
        ``scores.csv`` that was written by another model or cannot be read, an invalid
        ``jobs``, or a ``scores.csv`` that cannot be written (the previous one is then left
        unchanged).

    Notes
    -----
    The history has one row per (city, year). Rows of city-years scored in this run replace
    the rows already in ``scores.csv``; all other rows are kept; the result is sorted by
    city, then year, and written to a temporary file in ``outdir`` that is then renamed over
    ``scores.csv`` (:func:`coordeval.io.atomic.write_atomic`), so a run that fails or is
    interrupted leaves the previous history byte-identical and no temporary file behind.
    Running the same inputs again rewrites the same bytes. When several inputs of one run
    hold the same city-year, the input given last wins (a note and a warning say so). Inputs
    fail on their own — an unreadable file never stops the others. Workers receive the
    model as its JSON dict and rebuild it with :func:`coordeval.model.model_from_dict`. They
    are forked on Linux when the calling process has a single thread, and otherwise started
    with ``forkserver`` (or ``spawn``), so a script that calls this with ``jobs != 1`` needs
    the usual ``if __name__ == "__main__":`` guard.

    References
    ----------
    OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection (leading
    ``= + - @``, tab and carriage return; escaping with a single quote).
    """
    model_path = None
    if not isinstance(model, CoordinationModel):
        model_path = Path(model)
        model = load_model(model)
    outdir = Path(outdir)
    target = outdir / SCORES_FILE
    columns = scores_columns(model)
    fixed_columns = set(columns) - set(model.system_.subsystem_ids)
    clash = sorted(set(model.system_.subsystem_ids) & fixed_columns)
    if clash:
        raise ConfigError(f"subsystem id(s) {clash} clash with columns of {SCORES_FILE}")
    digest = model_sha256(model)
    if isinstance(paths, str | Path):
        paths = [paths]
    from coordeval.io.validate import MISSING_POLICIES

    if missing not in MISSING_POLICIES:
        raise ConfigError(
            f"missing={missing!r} is not a missing-value policy; use one of "
            f"{', '.join(MISSING_POLICIES)}"
        )
    own = target.resolve()
    written_here = (outdir / REPORTS_DIR).resolve()
    expanded = expand_inputs(paths)
    ours = [p for p in expanded if p.exists() and p.resolve().parent == written_here]
    inputs = [p for p in expanded if p not in ours and not (p.exists() and p.resolve() == own)]
    result = BatchResult(results=[], scores_path=target, model_sha256=digest)
    if ours:
        result.notes.append(
            f"{len(ours)} file(s) in {outdir / REPORTS_DIR} (reports written by coordeval score) "
            "were not read as inputs"
        )
    if not inputs:
        result.notes.append("nothing to score: no input given")
        return result
    workers = _n_workers(jobs, len(inputs))
    report_paths: list[Path | None] = (
        list(_report_paths(inputs, outdir)) if reports else [None] * len(inputs)
    )
    sources = [("input", p) for p in inputs] + [("model file", model_path)]
    outputs = [Output("scores history", target), Output("lock", outdir / LOCK_FILE)]
    outputs += [report_outputs(r) for r in report_paths if r is not None]
    options = {"missing": missing, "verbose": verbose, "cities": cities}
    with (
        guarded(sources, outputs, [("scores folder", outdir)]),
        _folder_lock(outdir, LOCK_WAIT if lock_wait is None else lock_wait),
        _staging(outdir, reports) as staging,
    ):
        history = read_scores(target, model) if target.exists() else None
        staged = [None if r is None or staging is None else staging / r.name for r in report_paths]
        result.results = _run(inputs, model, digest, staged, workers, quiet, options)
        if missing == "interpolate":
            _bridge_gaps(result.results, model, digest, staged, options)
        for r, final in zip(result.results, report_paths, strict=True):
            if r.report is not None and final is not None:
                r.report = final
        _commit(result, model, history, target, staging)
    return result


def _commit(
    result: BatchResult,
    model: CoordinationModel,
    history: pd.DataFrame | None,
    target: Path,
    staging: Path | None,
) -> None:
    """Merge the new rows into the history; write it together with the staged reports."""
    if model.params_["grades"] == "spssau":
        result.notes.append(
            "grades 'spssau': grade = floor(10·D) + 1; SPSSAU's rescaling of U to "
            "[0.01, 0.99] over the scored rows is applied only to a file holding exactly the "
            "fit data; new years are not rescaled, so that every city-year is scored on its own"
        )
    if not any(r.ok for r in result.results):
        return
    new, notes = _merge_new(result.results)
    result.notes += notes
    if history is not None and len(history):
        old_keys = pd.MultiIndex.from_frame(history[["city", "year"]])
        new_keys = pd.MultiIndex.from_frame(new[["city", "year"]])
        history = history[~old_keys.isin(new_keys)].astype(new.dtypes.to_dict())
        merged = pd.concat([history, new], ignore_index=True)
    else:
        merged = new
    merged = merged.sort_values(["city", "year"], kind="stable").reset_index(drop=True)
    _write_scores(target, merged, staging)
    result.written = True
    result.scores = merged
