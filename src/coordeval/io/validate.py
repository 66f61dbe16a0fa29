"""Validate a panel read from a yearbook file: missing values and negative values.

Every problem is located through :attr:`coordeval.io.read.PanelData.cells`, so messages name
the sheet, cell, column header and value as written.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError, Problem
from coordeval.io.panel import PanelData

__all__ = [
    "MISSING_POLICIES",
    "apply_missing",
    "check_fit_data",
    "check_missing_policy",
    "check_nonnegative",
    "interpolate_years",
]

MISSING_POLICIES = ("error", "drop", "interpolate")
_KEYS = ["city", "year", "indicator"]
_ELLIPSES = ["…", "……", "...", "⋯", "⋯⋯"]
_ELLIPSIS_ZH = "（年鉴中的“…”表示数值小于表中最小单位：如属此情况请填 0）"


def _labels(data: PanelData, ids: pd.Series) -> pd.Series:
    """``"gdp (地区生产总值)"`` for each indicator id."""
    if data.system is None:
        return ids.astype("string")
    names = {ind.id: f"{ind.id} ({ind.name_zh})" for ind in data.system.indicators}
    return ids.map(names).fillna(ids).astype("string")


def _missing_cells(data: PanelData, panel: pd.DataFrame) -> pd.DataFrame:
    """One row per NaN of ``panel``: city, year, indicator and where it is in the file."""
    stacked = panel.isna().rename_axis(columns="indicator").stack()
    where = stacked[stacked.to_numpy(dtype=bool)].index.to_frame(index=False)
    where = where.astype({"city": "str", "year": "int64", "indicator": "str"})
    cells = data.cells[[*_KEYS, "cell", "column", "raw", "status"]]
    return where.merge(cells, on=_KEYS, how="left", validate="1:1")


def interpolate_years(panel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill gaps linearly in the year within each city (interior gaps only).

    Parameters
    ----------
    panel : pandas.DataFrame
        Index ``(city, year)``; numeric columns.

    Returns
    -------
    filled : pandas.DataFrame
        ``panel`` sorted by (city, year) with interior NaNs filled.
    source : pandas.DataFrame
        One row per filled value: ``city, year, indicator, value, year0, value0, year1,
        value1`` (the neighbouring years used).

    Notes
    -----
    For a missing value of a city in year :math:`t` with the nearest observed years
    :math:`t_0 < t < t_1` of the same city and indicator,

    .. math:: x_t = x_{t_0} + (x_{t_1} - x_{t_0}) \\frac{t - t_0}{t_1 - t_0},

    i.e. linear in the calendar year, so a gap of two years is bridged proportionally. Values
    before the first or after the last observed year are not extrapolated. This equals
    pandas ``interpolate(method="index", limit_area="inside")`` applied to each city with the
    year as index; here the previous and next observed rows are found for all cities at once
    with grouped forward/backward fills of row positions.

    References
    ----------
    pandas documentation, ``DataFrame.interpolate`` (methods ``"index"``/``"values"``).
    """
    panel = panel.sort_index()
    values = panel.to_numpy(dtype=np.float64)
    n = values.shape[0]
    years = panel.index.get_level_values("year").to_numpy(dtype=np.float64)
    missing = np.isnan(values)
    positions = np.where(missing, np.nan, np.arange(n, dtype=np.float64)[:, None])
    frame = pd.DataFrame(positions, index=panel.index)
    grouped = frame.groupby(level="city", sort=False)
    before = grouped.ffill().to_numpy()
    after = grouped.bfill().to_numpy()
    inside = missing & ~np.isnan(before) & ~np.isnan(after)
    rows, cols = np.nonzero(inside)
    p = before[rows, cols].astype(np.int64)
    q = after[rows, cols].astype(np.int64)
    t, t0, t1 = years[rows], years[p], years[q]
    x0, x1 = values[p, cols], values[q, cols]
    fill = x0 + (x1 - x0) * (t - t0) / (t1 - t0)
    out = values.copy()
    out[rows, cols] = fill
    filled = pd.DataFrame(out, index=panel.index, columns=panel.columns)
    source = pd.DataFrame(
        {
            "city": panel.index.get_level_values("city")[rows].astype("str"),
            "year": years[rows].astype(np.int64),
            "indicator": np.asarray(panel.columns, dtype=object)[cols],
            "value": fill,
            "year0": t0.astype(np.int64),
            "value0": x0,
            "year1": t1.astype(np.int64),
            "value1": x1,
        }
    )
    return filled, source.astype({"indicator": "str"})


def check_missing_policy(missing: str) -> None:
    """Refuse a missing-value policy that is not one of :data:`MISSING_POLICIES`.

    Raises
    ------
    ConfigError
        Coded ``missing_policy_unknown``.
    """
    if missing not in MISSING_POLICIES:
        allowed = ", ".join(MISSING_POLICIES)
        raise ConfigError(
            f"missing={missing!r} is not a missing-value policy; use one of {allowed}",
            "missing_policy_unknown",
            {"missing": repr(missing), "allowed": allowed},
        )


def apply_missing(
    data: PanelData,
    missing: Literal["error", "drop", "interpolate"] = "error",
    context: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Apply a missing-value policy to the panel of a :class:`PanelData`.

    Parameters
    ----------
    data : PanelData
        As returned by :func:`coordeval.io.read.read_data`.
    missing : {"error", "drop", "interpolate"}
        ``"error"``: every missing value is an error (located). ``"drop"``: city-years with
        any missing value are dropped, with a warning per dropped row. ``"interpolate"``:
        interior gaps are filled linearly in the year within each city (see
        :func:`interpolate_years`), each fill reported as info with the value used; gaps at
        the start or end of a city's years, or in a city with one year, are errors. Under
        every policy an indicator with no value in any row is one error naming its cells.

    context : pandas.DataFrame, optional
        Other city-years of the same indicators (e.g. the earlier files of a batch) that
        ``"interpolate"`` may use as the neighbouring years; they are not returned.

    Returns
    -------
    panel : pandas.DataFrame
        The panel after the policy.
    problems : list of Problem
        The problems the policy found. Cells that could not be read (status ``"invalid"``)
        are already errors in ``data.problems``; they are neither reported again nor filled.

    Raises
    ------
    ConfigError
        For an unknown policy.
    """
    check_missing_policy(missing)
    panel = data.panel.sort_index()
    if not panel.isna().to_numpy().any():
        return panel, []
    where = _missing_cells(data, panel)
    where, empty = _empty_columns(data, panel, where)
    if where.empty:
        return panel, empty
    panel, problems = _policy(data, panel, where, missing, context)
    return panel, empty + problems


def _empty_columns(
    data: PanelData, panel: pd.DataFrame, where: pd.DataFrame
) -> tuple[pd.DataFrame, list[Problem]]:
    """One error per indicator with no value in any row; its cells leave ``where``.

    A column that is blank (or ``—``) for every city-year cannot be filled or dropped
    around: it is reported once, with the range of its cells, instead of once per cell.
    Columns holding unreadable cells are left to the per-cell errors.
    """
    all_nan = panel.isna().all(axis=0)
    invalid = where.loc[where["status"].eq("invalid").fillna(False), "indicator"].unique()
    empty = [str(c) for c in panel.columns[all_nan.to_numpy(dtype=bool)] if c not in invalid]
    if not empty or len(panel) < 2:
        return where, []
    problems = []
    labels = _labels(data, pd.Series(empty, dtype="string"))
    for ind, label in zip(empty, labels, strict=True):
        cells = data.cells.loc[data.cells["indicator"].eq(ind)]
        refs = cells["cell"].dropna().astype(str)
        joiner = ":" if data.sheet is not None else " to "
        span = f"{refs.iloc[0]}{joiner}{refs.iloc[-1]}" if len(refs) else None
        column = str(cells["column"].iloc[0]) if len(cells) else None
        written = sorted(set(cells["raw"].dropna().astype(str)) - {""})
        problems.append(
            Problem(
                f"{label} has no value in any of the {len(panel)} city-years: the column is "
                "empty or holds only placeholders such as '—'; fill it in, or remove the "
                "indicator from the system",
                file=data.file,
                sheet=data.sheet,
                cell=span,
                column=column,
                value=" ".join(written) if written else "",
                code="indicator_empty",
                params={"label": label, "n": len(panel)},
            )
        )
    return where[~where["indicator"].isin(empty)].reset_index(drop=True), problems


def _policy(
    data: PanelData,
    panel: pd.DataFrame,
    where: pd.DataFrame,
    missing: Literal["error", "drop", "interpolate"],
    context: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Apply the policy to the missing cells ``where`` (see :func:`apply_missing`)."""
    invalid = where["status"].eq("invalid").fillna(False).to_numpy(dtype=bool)
    label = _labels(data, where["indicator"])
    place = where["city"].astype("string") + " " + where["year"].astype("string")
    if missing == "error":
        absent = where["cell"].isna().to_numpy(dtype=bool)
        message = np.where(
            absent,
            "no value for " + label + " in " + place + ": the file has no row for it",
            label + " is missing for " + place,
        )
        ellipsis = where["raw"].isin(_ELLIPSES).to_numpy(dtype=bool)
        hint = np.where(
            ellipsis,
            " ('…' in a yearbook means less than the table's smallest unit: enter 0 if so)",
            "",
        )
        where = where.assign(
            message=message
            + "; fill it in, or read with missing='drop' or missing='interpolate'"
            + hint,
            code=np.where(absent, "value_absent", "value_missing"),
            params=[
                {
                    "label": lab,
                    "place": pl,
                    "ellipsis_en": h,
                    "ellipsis_zh": _ELLIPSIS_ZH if h else "",
                }
                for lab, pl, h in zip(label, place, hint, strict=True)
            ],
        )
        return panel, data.problems_at(where[~invalid])
    if missing == "drop":
        return _drop(data, panel, where.assign(label=label))
    if context is not None and len(context):
        extra = context.reindex(columns=panel.columns)
        extra = extra[~extra.index.isin(panel.index)]
        both, source = interpolate_years(pd.concat([panel, extra]))
        filled = both.loc[both.index.isin(panel.index)].reindex(panel.index)
        own = pd.MultiIndex.from_frame(source[["city", "year"]]).isin(panel.index)
        source = source[own].reset_index(drop=True)
    else:
        filled, source = interpolate_years(panel)
    source = source.merge(where[[*_KEYS, "status"]], on=_KEYS, how="left")
    keep = ~source["status"].eq("invalid").fillna(False).to_numpy(dtype=bool)
    filled_keys = pd.MultiIndex.from_frame(source.loc[keep, _KEYS])
    reset = source.loc[~keep]
    if len(reset):
        values = filled.to_numpy(copy=True)
        r = filled.index.get_indexer(pd.MultiIndex.from_frame(reset[["city", "year"]]))
        c = filled.columns.get_indexer(reset["indicator"])
        values[r, c] = np.nan
        filled = pd.DataFrame(values, index=filled.index, columns=filled.columns)
    source = source[keep]
    info = source.assign(
        message=(
            _labels(data, source["indicator"])
            + " filled by linear interpolation: "
            + source["value"].astype("string")
            + " (between "
            + source["year0"].astype("string")
            + ": "
            + source["value0"].astype("string")
            + " and "
            + source["year1"].astype("string")
            + ": "
            + source["value1"].astype("string")
            + ")"
        ),
        code="value_interpolated",
    )
    info = info.assign(
        params=[
            {"label": lab, "value": v, "year0": y0, "value0": v0, "year1": y1, "value1": v1}
            for lab, v, y0, v0, y1, v1 in zip(
                _labels(data, source["indicator"]),
                source["value"].astype("string"),
                source["year0"].astype("string"),
                source["value0"].astype("string"),
                source["year1"].astype("string"),
                source["value1"].astype("string"),
                strict=True,
            )
        ]
    )
    problems = data.problems_at(info[[*_KEYS, "message", "code", "params"]], severity="info")
    is_filled = pd.MultiIndex.from_frame(where[_KEYS]).isin(filled_keys)
    left = where[~is_filled & ~invalid]
    left_label = _labels(data, left["indicator"])
    problems += data.problems_at(
        left.assign(
            message=(
                left_label
                + " is missing for "
                + left["city"].astype("string")
                + " "
                + left["year"].astype("string")
                + " and cannot be interpolated: the city has no earlier and later year "
                "with a value; fill it in or read with missing='drop'"
            ),
            code="value_not_interpolable",
            params=[
                {"label": lab, "city": c, "year": y}
                for lab, c, y in zip(left_label, left["city"], left["year"], strict=True)
            ],
        )
    )
    return filled, problems


def _drop(
    data: PanelData, panel: pd.DataFrame, where: pd.DataFrame
) -> tuple[pd.DataFrame, list[Problem]]:
    """Drop city-years with a missing value; one warning per dropped row."""
    by_row = where.groupby(["city", "year"], sort=True).agg(
        indicator=("indicator", "first"),
        labels=("label", ", ".join),
        n=("label", "size"),
        ids=("indicator", list),
    )
    rows = by_row.reset_index()
    rows = rows.assign(
        message="city-year "
        + rows["city"].astype("string")
        + " "
        + rows["year"].astype("string")
        + " dropped: no usable value for "
        + rows["labels"]
        + " ("
        + rows["n"].astype("string")
        + " value(s))"
    )
    problems = [
        replace(
            p,
            code="row_dropped",
            params={"city": c, "year": y, "labels": lab, "n": int(n), "indicators": list(ids)},
        )
        for p, c, y, lab, n, ids in zip(
            data.problems_at(rows[[*_KEYS, "message"]], severity="warning"),
            rows["city"],
            rows["year"],
            rows["labels"],
            rows["n"],
            rows["ids"],
            strict=True,
        )
    ]
    dropped = panel.index.isin(by_row.index)
    kept = panel[~dropped]
    if kept.empty:
        problems.append(
            Problem(
                "no city-year without missing values remains after missing='drop'",
                file=data.file,
                sheet=data.sheet,
                code="drop_left_nothing",
            )
        )
    return kept, problems


def check_nonnegative(data: PanelData) -> list[Problem]:
    """Locate negative values, for methods that require non-negative data.

    Parameters
    ----------
    data : PanelData

    Returns
    -------
    list of Problem
        One error per negative value (zero is allowed), with the cell it came from.

    Notes
    -----
    The entropy method takes :math:`\\ln p_{ij}` of shares :math:`p_{ij} = x_{ij} / \\sum_i
    x_{ij}` of raw values when no normalisation precedes it, which needs :math:`x_{ij} \\ge 0`.
    """
    panel = data.panel
    negative = (panel < 0).rename_axis(columns="indicator").stack()
    if not negative.to_numpy(dtype=bool).any():
        return []
    where = negative[negative.to_numpy(dtype=bool)].index.to_frame(index=False)
    where = where.astype({"city": "str", "year": "int64", "indicator": "str"})
    values = panel.stack().rename_axis(_KEYS).rename("x").reset_index()
    values = values.astype({"city": "str", "indicator": "str"})
    where = where.merge(values, on=_KEYS, how="left")
    where = where.assign(
        message=_labels(data, where["indicator"])
        + " is negative ("
        + where["x"].astype("string")
        + ") in "
        + where["city"].astype("string")
        + " "
        + where["year"].astype("string")
        + "; the chosen method needs non-negative values",
        code="value_negative",
    )
    where = where.assign(
        params=[
            {
                "label": lab,
                "x": x,
                "city": c,
                "year": y,
                "method": "the chosen method",
                "method_zh": "所选方法",
            }
            for lab, x, c, y in zip(
                _labels(data, where["indicator"]),
                where["x"].astype("string"),
                where["city"],
                where["year"],
                strict=True,
            )
        ]
    )
    return data.problems_at(where[[*_KEYS, "message", "code", "params"]])


def check_fit_data(
    data: PanelData, panel: pd.DataFrame | None = None, weighting: str = "entropy"
) -> list[Problem]:
    """Located problems that stop or weaken fitting a model on a panel read from a file.

    Parameters
    ----------
    data : PanelData
        As returned by :func:`coordeval.io.read.read_data` (with its ``system``).
    panel : pandas.DataFrame, optional
        The panel after the missing-value policy; default ``data.panel``.
    weighting : str
        The weighting method the model will use.

    Returns
    -------
    list of Problem
        Errors: fewer than two city-years; a subsystem none of whose indicators varies (its
        score is undefined); negative values when ``weighting="cv"``. Warnings: each
        indicator that does not vary (it gets weight 0), with the range of its cells and
        its value.

    Notes
    -----
    The model finds the same conditions from the numbers alone; checking them on the
    :class:`PanelData` names the file, sheet, cells and values in the messages. An indicator
    is constant when :math:`\\max_i x_{ij} = \\min_i x_{ij}` over the fit rows; min-max
    normalisation then divides by zero and the entropy of the column is maximal (1), so its
    weight is 0 under every method.
    """
    panel = data.panel if panel is None else panel

    def where(**fields: Any) -> Problem:  # a problem located in this file and sheet
        return Problem(file=data.file, sheet=data.sheet, **fields)

    if len(panel) < 2:
        place = data.cells["cell"].iloc[0] if len(data.cells) else None
        return [
            where(
                message=f"fitting needs at least two city-years to learn bounds and weights; "
                f"the file has {len(panel)}",
                cell=None if place is None or pd.isna(place) else str(place),
                code="fit_too_few_rows",
                params={"n": len(panel)},
            )
        ]
    problems: list[Problem] = []
    if weighting == "cv":
        problems += [
            replace(
                p,
                message=p.message.replace("the chosen method", "weighting='cv'"),
                params={**p.params, "method": "weighting='cv'", "method_zh": "weighting='cv'"},
            )
            for p in check_nonnegative(data)
        ]
    spread = (panel.max(axis=0) - panel.min(axis=0)).to_numpy(dtype=np.float64)
    constant = spread <= 0  # NaN (a column without values) is not constant
    if not constant.any():
        return problems
    ids = [str(c) for c in panel.columns[constant]]
    labels = _labels(data, pd.Series(ids, dtype="string"))
    for ind, label in zip(ids, labels, strict=True):
        cells = data.cells.loc[data.cells["indicator"].eq(ind)]
        refs = cells["cell"].dropna().astype(str)
        joiner = ":" if data.sheet is not None else " to "
        value = float(panel[ind].iloc[0])
        problems.append(
            where(
                message=f"{label} is {value:g} in every city-year: it cannot tell the cities "
                "apart and gets weight 0",
                cell=f"{refs.iloc[0]}{joiner}{refs.iloc[-1]}" if len(refs) else None,
                column=str(cells["column"].iloc[0]) if len(cells) else None,
                value=str(cells["raw"].iloc[0]) if len(cells) else f"{value:g}",
                severity="warning",
                code="indicator_constant",
                params={"label": label, "value": f"{value:g}"},
            )
        )
    if data.system is not None:
        dead = set(ids)
        for sub in data.system.subsystems:
            members = [ind.id for ind in sub.indicators]
            if all(m in dead for m in members if m in panel.columns):
                problems.append(
                    where(
                        message=f"no indicator of subsystem {sub.id!r} ({sub.name_zh}) varies: "
                        f"{', '.join(members)} are constant, so its score is undefined",
                        code="subsystem_constant",
                        params={
                            "subsystem": sub.id,
                            "name": sub.name_zh,
                            "members": ", ".join(members),
                        },
                    )
                )
    return problems
