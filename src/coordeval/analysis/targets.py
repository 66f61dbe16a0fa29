"""Plan-target attainment (规划目标达成度): progress of each plan indicator towards its target.

A plan table lists, per indicator, a base-year value and a target for a target year (a level to
reach, an average annual growth rate, or a target that is not a number such as
"国家及省下达目标"). :func:`target_attainment` compares the latest observed values with the
targets and classifies every indicator as 已达成 (met), 进度正常 (on track), 滞后 (behind) or
不可评估 (not assessable, with the reason). No row is ever dropped.

:func:`read_targets` reads the layout of coordeval's plan tables (e.g.
``data/qianzhong_plan_2022_2025.csv``) through :func:`coordeval.io.targets.read_targets_table`.
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from coordeval.errors import InputError, Problem
from coordeval.io.targets import (
    NUMERIC_COLUMNS,
    TARGET_COLUMNS,
    TARGET_TYPES,
    read_targets_table,
    table_problems,
    text_column,
)

__all__ = [
    "STATUS_EN",
    "STATUS_ZH",
    "TARGET_COLUMNS",
    "TARGET_TYPES",
    "read_targets",
    "target_attainment",
]

#: Columns :func:`target_attainment` needs (``direction`` is optional).
REQUIRED_COLUMNS: tuple[str, ...] = (
    "indicator",
    "name_zh",
    "unit",
    "base_year",
    "base_value",
    "target_year",
    "target_value",
    "target_type",
    "target_qualifier",
)

STATUS_ZH: dict[str, str] = {
    "met": "已达成",
    "on_track": "进度正常",
    "behind": "滞后",
    "too_early": "基期当年，进度未评",
    "not_assessable": "不可评估",
}
STATUS_EN: dict[str, str] = {
    "met": "met",
    "on_track": "on track",
    "behind": "behind",
    "too_early": "no time elapsed",
    "not_assessable": "not assessable",
}

_UP_QUALIFIERS = frozenset({"greater_than", "at_least", "not_less_than", "greater_equal"})
_DOWN_QUALIFIERS = frozenset({"less_than", "at_most", "not_more_than", "less_equal"})
_STRICT_QUALIFIERS = frozenset({"greater_than", "less_than"})
_ASSIGNED_QUALIFIERS = frozenset({"per_national_and_provincial_assignment"})


#: (code, reason_zh, reason_en) for every outcome the attainment rules can produce.
_REASONS: dict[str, tuple[str, str]] = {
    "assigned": (
        "目标为国家及省下达目标，非数值",
        "target assigned by national and provincial plans",
    ),
    "not_numeric": ("目标非数值", "the target is not a number"),
    "no_target": ("未设定目标", "no target set"),
    "target_missing": ("目标值缺失", "target value missing"),
    "no_value": ("基期值缺失且无实际值", "no base value and no observed value"),
    "no_base": ("基期值缺失，无法计算进度", "base value missing; progress cannot be computed"),
    "growth_levels": (
        "目标为年均增速，需提供基期与当期水平值",
        "average-annual-growth target: base-year and current levels are needed",
    ),
    "growth_nonpositive": ("水平值须为正数", "levels must be positive to compute growth"),
    "met": ("实际值已达到目标", "the observed value reaches the target"),
    "met_growth": ("水平值已达到目标增速所要求的目标年水平", "level implied by the target reached"),
    "maintain": ("目标为保持不变，当前值偏离目标", "target is to maintain the value; it has moved"),
    "crossed": ("实际值已越过目标允许的界限", "the observed value is beyond the target's bound"),
    "deadline": ("目标年已到，尚未达到目标", "target year reached without meeting the target"),
    "no_time": (
        "实际值年份即基期年，尚无时间进度，进度不作评价",
        "the observed year is the base year: no time has elapsed, so progress is not assessed",
    ),
    "on_track": ("完成进度不低于时间进度", "progress at or above the elapsed share of time"),
    "behind": ("完成进度低于时间进度", "progress below the elapsed share of time"),
    "growth_on_track": ("实际年均增速不低于目标增速", "realised average growth at or above target"),
    "growth_behind": ("实际年均增速低于目标增速", "realised average growth below target"),
}


def read_targets(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a plan-target table in coordeval's layout.

    Parameters
    ----------
    path : str or path-like
        CSV file (UTF-8 with or without a byte-order mark, GBK/GB18030, UTF-16) or the first
        sheet of a workbook, with the columns of :data:`TARGET_COLUMNS` (extra columns are
        kept), read through the guarded reader of every user file
        (:func:`coordeval.io.targets.read_targets_table`).

    Returns
    -------
    pandas.DataFrame
        One row per indicator. ``base_year``/``target_year`` as nullable integers,
        ``base_value``/``target_value`` as floats (NaN where the printed value is not a number,
        e.g. ``—`` or ``国家及省 下达目标``; the printed text stays in ``base_raw``/
        ``target_raw``), every other column as strings.

    Raises
    ------
    InputError
        An unreadable file, missing columns, duplicated indicator ids, numbers that cannot be
        parsed (with their cell), unknown ``target_type`` values.

    Notes
    -----
    The layout is the one of ``data/qianzhong_plan_2022_2025.csv`` (贵州省发展和改革委员会,
    《黔中城市群高质量发展规划》, 2023, 专栏1).

    References
    ----------
    贵州省发展和改革委员会 (2023). 黔中城市群高质量发展规划, 专栏1 黔中城市群高质量发展主要指标.
    """
    return read_targets_table(path)


def _actual_frame(
    actual: pd.Series | pd.DataFrame | None, ids: pd.Index, as_of: int | None
) -> pd.DataFrame:
    """Latest observations aligned to ``ids``: columns value, year, base_level (NaN if absent)."""
    empty = pd.DataFrame(
        {"value": np.nan, "year": np.nan, "base_level": np.nan}, index=ids, dtype=np.float64
    )
    if actual is None:
        return empty
    if isinstance(actual, pd.Series):
        if as_of is None:
            raise InputError(
                [
                    Problem(
                        "actual values given as a Series need as_of (the year they refer to)",
                        code="actual_series_needs_as_of",
                    )
                ]
            )
        frame = pd.DataFrame({"value": actual})
    elif isinstance(actual, pd.DataFrame):
        frame = actual.set_index("indicator") if "indicator" in actual.columns else actual
        if "value" not in frame.columns:
            raise InputError(
                [
                    Problem(
                        "actual values need a 'value' column",
                        column="value",
                        code="actual_no_value",
                    )
                ]
            )
        if "year" not in frame.columns and as_of is None:
            raise InputError(
                [Problem("actual values need a 'year' column or as_of", code="actual_no_year")]
            )
    else:
        raise InputError(
            [Problem("actual must be a pandas Series or DataFrame", code="actual_type")]
        )
    frame = frame.copy()
    frame.index = frame.index.astype("string")
    problems = [
        Problem(
            "actual value for an indicator that is not in the target table",
            value=str(i),
            code="actual_unknown_indicator",
        )
        for i in frame.index[~frame.index.isin(ids)]
    ]
    problems += [
        Problem("indicator has more than one actual value", value=str(i), code="actual_twice")
        for i in sorted(set(frame.index[frame.index.duplicated()]))
    ]
    if problems:
        raise InputError(problems, summary="actual values do not match the target table")
    out = empty.copy()
    for col in ("value", "year", "base_level"):
        if col in frame.columns:
            out[col] = pd.to_numeric(frame[col], errors="raise").reindex(ids).astype(np.float64)
    if "year" not in frame.columns:
        out["year"] = np.where(out["value"].notna(), float(as_of), np.nan)
    return out


def target_attainment(
    table: pd.DataFrame,
    actual: pd.Series | pd.DataFrame | None = None,
    as_of: int | None = None,
) -> pd.DataFrame:
    """Assess every plan indicator against its target.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per indicator with columns ``indicator, name_zh, unit, base_year, base_value,
        target_year, target_value, target_type, target_qualifier`` (see :func:`read_targets`)
        and optionally ``direction`` (``"+"``/``"-"``, empty when unknown). ``target_type`` is
        one of :data:`TARGET_TYPES`; ``target_qualifier`` uses the seed vocabulary (``exact``,
        ``approx``, ``greater_than``, ``less_than``, ``per_national_and_provincial_assignment``,
        …).
    actual : pandas.DataFrame or pandas.Series, optional
        Latest observed value per indicator. A DataFrame indexed by indicator id (or with an
        ``indicator`` column) with columns ``value`` and ``year``, and, for
        ``avg_annual_growth`` targets, ``base_level`` (the level in the base year; ``value`` is
        then the current level). A Series of values needs ``as_of`` as their year. Indicators
        without an observation are assessed at their base value in the base year.
    as_of : int, optional
        Assessment year used for the elapsed share of time. Default: the year of each row's
        observation (the base year when there is none).

    Returns
    -------
    pandas.DataFrame
        One row per indicator of ``table``, in its order, with the identifying columns of the
        table (``category_zh``, ``seq``, ``name_en`` when present) and ``direction``,
        ``direction_basis``, ``actual_year``, ``actual_value``, ``actual_source``
        (``"observed"``/``"base"``), ``as_of``, ``elapsed_share``, ``progress``,
        ``required_growth``, ``realised_growth``, ``required_level``, ``status``
        (code), ``status_zh``, ``status_en``, ``reason``, ``reason_en``.

    Raises
    ------
    InputError
        Missing columns, duplicated or unknown indicators, unknown target types or directions, a
        direction that contradicts the qualifier, target years not after base years, or
        observation/assessment years before the base year.

    Notes
    -----
    Direction: the ``direction`` column when given; else ``+`` for ``greater_than`` and ``-``
    for ``less_than`` qualifiers; else the sign of target − base; a target equal to its base
    is a target to maintain.

    ``level`` targets, actual value a, base b, target t:

    * met (已达成) when a reaches t in the target's direction (``a > t`` for ``greater_than``,
      ``a ≥ t`` otherwise; mirrored for ``-``; ``a = t`` for a target to maintain). A target
      that the base already meets (e.g. base 99, target ">95") is met.
    * otherwise progress :math:`p = (a - b)/(t - b)` and elapsed share
      :math:`e = (\\text{as\\_of} - \\text{base\\_year})/(\\text{target\\_year} -
      \\text{base\\_year})`; on track (进度正常) when :math:`p \\ge e` before the target
      year (:math:`e < 1`), else behind (滞后).
      When t lies on the wrong side of b for the direction (a bound that allows deterioration)
      and a is beyond it, or a target to maintain has moved, the row is behind and p is NaN.
    * with no base value, an unmet target is not assessable (不可评估).

    ``avg_annual_growth`` targets (target_value = g in percent): the level path required is
    :math:`b\\,(1+g)^{(y - y_0)}`. The realised average annual growth
    :math:`\\hat g = (a/b)^{1/(y - y_0)} - 1` is compared with g when both the base level b
    (``actual["base_level"]``) and the current level a are given; met when a reaches the level
    the target implies for the target year, on track when :math:`\\hat g \\ge g` before the
    target year, else behind.
    Without both levels the row is not assessable (a plan table's base column for such rows is
    usually itself a growth rate).

    ``not_numeric`` and ``none`` targets are not assessable; the reason says why, e.g.
    "目标为国家及省下达目标，非数值". progress, growth and elapsed share are NaN exactly where
    the reason columns explain why they cannot be computed.

    References
    ----------
    贵州省发展和改革委员会 (2023). 黔中城市群高质量发展规划, 专栏1 (base 2022, targets 2025).
    """
    if not isinstance(table, pd.DataFrame):
        raise InputError(
            [Problem("the target table must be a pandas DataFrame", code="target_table_type")]
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(
            [
                Problem(
                    f"required column {c!r} is missing from the target table",
                    code="target_table_column_missing",
                    params={"column": c},
                )
                for c in missing
            ]
        )
    t = table.reset_index(drop=True)
    ids = pd.Index(text_column(t["indicator"]), name="indicator")
    ttype = text_column(t["target_type"])
    qual = text_column(t["target_qualifier"])
    check = pd.DataFrame({"indicator": ids, "target_type": ttype})
    problems = table_problems(check)
    num = {
        c: pd.to_numeric(t[c], errors="coerce").astype(np.float64).to_numpy()
        for c in NUMERIC_COLUMNS
    }
    b, tv = num["base_value"], num["target_value"]
    y0, y1 = num["base_year"], num["target_year"]

    given = text_column(t["direction"]) if "direction" in t.columns else pd.Series([""] * len(t))
    given = given.replace({"+1": "+", "1": "+", "-1": "-"})
    for bad in sorted(set(given[~given.isin(["+", "-", ""])])):
        problems.append(
            Problem("direction must be '+', '-' or empty", value=bad, code="target_direction")
        )
    q_up = qual.isin(_UP_QUALIFIERS).to_numpy()
    q_down = qual.isin(_DOWN_QUALIFIERS).to_numpy()
    g_sign = np.select([given == "+", given == "-"], [1.0, -1.0], 0.0)
    conflict = ((g_sign < 0) & q_up) | ((g_sign > 0) & q_down)
    for i in np.flatnonzero(conflict):
        problems.append(
            Problem(
                "direction contradicts the target qualifier",
                value=str(ids[i]),
                code="target_direction_conflict",
            )
        )
    assessable_type = ttype.isin(["level", "avg_annual_growth"]).to_numpy()
    for col, years in (("base_year", y0), ("target_year", y1)):
        for i in np.flatnonzero(np.isfinite(years) & (years != np.round(years))):
            problems.append(
                Problem(
                    "year must be a whole number",
                    column=col,
                    value=str(ids[i]),
                    code="target_year_not_whole",
                )
            )
    bad_years = assessable_type & ~(y1 > y0)
    for i in np.flatnonzero(bad_years):
        problems.append(
            Problem(
                "base and target years are required, the target year after the base year",
                value=str(ids[i]),
                code="target_years_order",
            )
        )
    if problems:
        raise InputError(problems, summary="invalid target table")

    act = _actual_frame(actual, ids, as_of)
    observed = act["value"].notna().to_numpy()
    a_year = np.where(observed, act["year"].to_numpy(), y0)
    a_val = np.where(observed, act["value"].to_numpy(), b)
    base_level = act["base_level"].to_numpy()
    at = np.where(np.isnan(a_year), np.nan, a_year) if as_of is None else np.full(len(t), as_of)
    at = at.astype(np.float64)
    early = (observed & (a_year < y0)) | (assessable_type & (at < y0))
    late = observed & (a_year > at)
    if early.any() or late.any():
        raise InputError(
            [
                Problem(
                    "observation or assessment year before the base year",
                    value=str(ids[i]),
                    code="target_observed_early",
                )
                for i in np.flatnonzero(early)
            ]
            + [
                Problem(
                    "observation year after as_of", value=str(ids[i]), code="target_observed_late"
                )
                for i in np.flatnonzero(late)
            ],
            summary="inconsistent years",
        )

    diff_sign = np.sign(np.nan_to_num(tv - b, nan=0.0))
    sign = np.select([g_sign != 0, q_up, q_down], [g_sign, 1.0, -1.0], diff_sign)
    basis = np.select(
        [g_sign != 0, q_up | q_down, np.isfinite(tv - b) & (diff_sign != 0), np.isfinite(tv - b)],
        ["given", "qualifier", "target vs base", "maintain"],
        "unknown",
    )
    is_growth = (ttype == "avg_annual_growth").to_numpy()
    sign = np.where(is_growth & (g_sign == 0) & ~q_down, 1.0, sign)
    basis = np.where(is_growth & (g_sign == 0) & ~(q_up | q_down), "growth target", basis)
    strict = qual.isin(_STRICT_QUALIFIERS).to_numpy()
    elapsed = (at - y0) / (y1 - y0)

    with np.errstate(invalid="ignore", divide="ignore"):
        gap = a_val - tv
        reached = np.where(
            sign > 0,
            np.where(strict, gap > 0, gap >= 0),
            np.where(sign < 0, np.where(strict, gap < 0, gap <= 0), np.isclose(a_val, tv)),
        ) & np.isfinite(gap)
        progress_level = (a_val - b) / (tv - b) + 0.0

        g = tv / 100.0
        span = a_year - y0
        growth_ok = observed & np.isfinite(base_level) & np.isfinite(a_val) & (span > 0)
        positive = (base_level > 0) & (a_val > 0)
        realised = np.where(
            growth_ok & positive, (a_val / base_level) ** (1.0 / span) - 1.0, np.nan
        )
        req_level = base_level * (1.0 + g) ** span
        final_level = base_level * (1.0 + g) ** (y1 - y0)
        g_gap = realised - g
        g_reached = np.where(sign > 0, a_val >= final_level, a_val <= final_level)
        g_ahead = np.where(sign > 0, g_gap >= 0, g_gap <= 0) & np.isfinite(g_gap)
        if strict.any():
            g_reached = np.where(
                strict, np.where(sign > 0, a_val > final_level, a_val < final_level), g_reached
            )
        progress_growth = (a_val - base_level) / (final_level - base_level)

    level = (ttype == "level").to_numpy()
    assigned = qual.isin(_ASSIGNED_QUALIFIERS).to_numpy()
    if "target_raw" in t.columns:
        assigned = assigned | text_column(t["target_raw"]).str.contains("下达").to_numpy()
    wrong_side = (diff_sign != 0) & (diff_sign != sign)
    maintain = sign == 0

    conditions = [
        (ttype == "not_numeric").to_numpy() & assigned,
        (ttype == "not_numeric").to_numpy(),
        (ttype == "none").to_numpy(),
        np.isnan(tv),
        level & reached,
        level & np.isnan(a_val),
        level & np.isnan(b),
        level & maintain,
        level & wrong_side,
        level & (elapsed <= 0),
        level & (elapsed >= 1),
        level & (progress_level >= elapsed),
        level,
        is_growth & np.isfinite(a_val) & np.isfinite(base_level) & (a_year - y0 <= 0),
        is_growth & ~growth_ok,
        is_growth & ~positive,
        is_growth & g_reached,
        is_growth & (elapsed >= 1),
        is_growth & g_ahead,
    ]
    codes = [
        "assigned",
        "not_numeric",
        "no_target",
        "target_missing",
        "met",
        "no_value",
        "no_base",
        "maintain",
        "crossed",
        "no_time",
        "deadline",
        "on_track",
        "behind",
        "no_time",
        "growth_levels",
        "growth_nonpositive",
        "met_growth",
        "deadline",
        "growth_on_track",
    ]
    reason_code = np.select(conditions, codes, "growth_behind")
    status = pd.Series(reason_code).map(
        {
            "assigned": "not_assessable",
            "not_numeric": "not_assessable",
            "no_target": "not_assessable",
            "target_missing": "not_assessable",
            "no_value": "not_assessable",
            "no_base": "not_assessable",
            "growth_levels": "not_assessable",
            "growth_nonpositive": "not_assessable",
            "met": "met",
            "met_growth": "met",
            "maintain": "behind",
            "crossed": "behind",
            "no_time": "too_early",
            "deadline": "behind",
            "on_track": "on_track",
            "behind": "behind",
            "growth_on_track": "on_track",
            "growth_behind": "behind",
        }
    )
    growth_eval = is_growth & growth_ok & positive
    level_eval = level & ~np.isnan(tv) & ~np.isnan(b) & ~np.isnan(a_val)
    progress = np.where(level_eval & ~maintain & ~wrong_side, progress_level, np.nan)
    progress = np.where(growth_eval & (g != 0), progress_growth, progress)
    keep_elapsed = level_eval | growth_eval

    front = [c for c in ("category_zh", "seq", "indicator", "name_zh", "name_en") if c in t]
    out = t[front].copy()
    out["indicator"] = ids.to_numpy()
    rest = {
        "unit": text_column(t["unit"]).to_numpy(),
        "target_type": ttype.to_numpy(),
        "base_year": pd.array(y0, dtype="Float64").astype("Int64"),
        "base_value": b,
        "target_year": pd.array(y1, dtype="Float64").astype("Int64"),
        "target_value": tv,
        "target_qualifier": qual.to_numpy(),
        "direction": np.select([sign > 0, sign < 0], ["+", "-"], "="),
        "direction_basis": basis,
        "actual_year": pd.array(a_year, dtype="Float64").astype("Int64"),
        "actual_value": np.where(is_growth & ~observed, np.nan, a_val),
        "actual_source": np.where(observed, "observed", "base"),
        "as_of": pd.array(at, dtype="Float64").astype("Int64"),
        "elapsed_share": np.where(keep_elapsed, elapsed, np.nan),
        "progress": progress,
        "required_growth": np.where(is_growth, g, np.nan),
        "realised_growth": np.where(growth_eval, realised, np.nan),
        "required_level": np.where(growth_eval, req_level, np.nan),
        "status": status.to_numpy(),
        "status_zh": status.map(STATUS_ZH).to_numpy(),
        "status_en": status.map(STATUS_EN).to_numpy(),
        "reason": [_REASONS[c][0] for c in reason_code],
        "reason_en": [_REASONS[c][1] for c in reason_code],
    }
    for col, values in rest.items():
        out[col] = values
    text_cols = ["status", "status_zh", "status_en", "reason", "reason_en", "direction"]
    text_cols += ["direction_basis", "actual_source", "unit", "target_type", "target_qualifier"]
    out[text_cols] = out[text_cols].astype("string")
    return out
