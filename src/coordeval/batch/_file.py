"""Scoring one input of a batch: finding the inputs, reading, validating and scoring a file.

:func:`expand_inputs` turns files, folders and glob patterns into a list of data files;
:func:`score_file` reads and validates one file against the model's indicator system,
scores it in one pass (:meth:`~coordeval.model.CoordinationModel.score_panel`) and computes
the coupling coordination of its subsystem scores with the model's one coupling step (no
side effects).
"""

from __future__ import annotations

import dataclasses
import glob
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from coordeval._coded import coded
from coordeval.errors import CoordevalError, InputError, Problem
from coordeval.io import CSV_SUFFIXES, EXCEL_SUFFIXES, PanelData
from coordeval.io.scores import COUPLING_COLUMNS, TEXT_COLUMNS
from coordeval.io.scores import scores_columns as _columns_of
from coordeval.io.validated import read_validated
from coordeval.model import CoordinationModel, model_sha256

DATA_SUFFIXES = (*EXCEL_SUFFIXES, *CSV_SUFFIXES)
_GLOB_CHARS = frozenset("*?[")
#: How the missing-value policy words a filled cell (these are listed for the user).
_FILLED = "filled by linear interpolation"


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


def scores_columns(model: CoordinationModel) -> list[str]:
    """The columns of ``scores.csv`` for ``model``, in order."""
    return _columns_of(model.system_.subsystem_ids)


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
        code = "input_is_folder"
    elif path.is_dir():
        code = "input_folder_empty"
    elif _is_glob(text):
        code = "input_no_match"
    else:
        code = "input_not_found"
    problem = coded(code, path=text)
    return _failed(path, problem.message, [problem])


def _as_warnings(caught: Iterable[warnings.WarningMessage], file: str) -> list[Problem]:
    return [
        coded(
            "caught_warning",
            file=file,
            severity="warning",
            category=w.category.__name__,
            text=str(w.message),
        )
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
    located = [
        dataclasses.replace(
            p,
            code="batch_out_of_range",
            params={
                "city": city,
                "year": int(year),
                "indicator": str(r.indicator),
                "value": float(r.value),
                "side": str(r.side),
                "lo": float(r.lo),
                "hi": float(r.hi),
                "policy": policy,
            },
        )
        for p, city, year, r in zip(
            data.problems_at(where, severity=severity),
            keys["city"],
            keys["year"],
            flags.itertuples(index=False),
            strict=True,
        )
    ]
    return keys, located


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
    return coded(
        "out_of_range_summary",
        file=name,
        severity="warning",
        n=len(flags),
        policy=policy,
        parts="; ".join(parts),
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
    conv = model.conventions_
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            v = read_validated(path, system, missing, cities=cities, context=context)
        found = [p for p in v.problems if p.severity == "warning"]
        found += [p for p in v.problems if p.severity == "info" and _FILLED in p.message]
        found += _as_warnings(caught, name)
        try:
            scoring = model.score_panel(v.panel)
        except InputError as exc:
            if not any(p.code == "value_outside_refused" for p in exc.problems):
                raise
            flags = model.flag_out_of_range(v.panel)
            _, located = _flag_problems(v.data, flags, conv.out_of_range, "error")
            raise InputError(
                located,
                f"{name}: {len(located)} value(s) outside the fitted range "
                "(the model's out_of_range='error')",
            ) from None
        flags = scoring.out_of_range
        keys = pd.DataFrame(columns=["city", "year"])
        if len(flags):
            keys, located = _flag_problems(v.data, flags, conv.out_of_range, "warning")
            found += (
                located
                if verbose
                else [_out_of_range_summary(flags, keys, name, conv.out_of_range)]
            )
        scores = scoring.scores
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cc = model.coupling_coordination(scores)
        clipped = cc["clipped"].ne("")
        if clipped.any():
            found.append(
                coded("scores_clipped", file=name, severity="warning", n=int(clipped.sum()))
            )
        floor = cc["floor_zero"].to_numpy(dtype=bool)
        if floor.any():
            found.append(
                coded(
                    "floor_zero_rows",
                    file=name,
                    severity="warning",
                    n=int(floor.sum()),
                    model=conv.coupling,
                )
            )
        found += _as_warnings(caught, name)
    except CoordevalError as exc:
        problems = (
            exc.problems
            if isinstance(exc, InputError)
            else [coded("config_error", file=name, text=str(exc))]
        )
        return _failed(path, _reason(exc), problems)

    cities = v.panel.index.get_level_values("city").unique()
    if model.cities_:
        new = cities[~cities.isin(model.cities_)]
        if len(new):
            shown = ", ".join(map(str, new[:10])) + (" …" if len(new) > 10 else "")
            found.append(
                coded("cities_not_fitted", file=name, severity="warning", n=len(new), shown=shown)
            )
    table = pd.concat([scores, cc[list(COUPLING_COLUMNS)]], axis=1)
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
    table = table.astype({c: "str" for c in TEXT_COLUMNS})
    return FileResult(
        file=path,
        status="ok",
        scores=table[scores_columns(model)],
        warnings=found,
        problems=list(v.problems),
        out_of_range=flags,
        panel=v.panel,
    )
