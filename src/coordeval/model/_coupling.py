"""The one coupling step: C, T, D, grades and stages of subsystem scores.

:func:`coupling_table` is the computation on checked scores (used by
:func:`coordeval.analysis.coupling.coupling_coordination` after its input checks);
:func:`coupling_step` is the frozen-scale rule of a fitted model (scores clipped to [0, 1]
and flagged per row) behind the assessment, ``coordeval score`` and the monitoring report.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval._coded import coded
from coordeval.conventions import COUPLING_STAGES, GRADE_SCHEMES, GradeScheme
from coordeval.errors import InputError, MethodWarning
from coordeval.kernels.coupling import coupling_arrays

#: Scores beyond [0, 1] by at most this much are rounding, not values beyond the fitted range.
CLIP_TOLERANCE = 1e-12


def intervalize_values(
    values: np.ndarray, columns: pd.Index, low: float, high: float
) -> np.ndarray:
    """``low + (high − low)·(X − min)/(max − min)`` per column; constant columns refused."""
    lo = values.min(axis=0)
    span = values.max(axis=0) - lo
    const = span <= 0
    if const.any():
        raise InputError(
            [coded("intervalize_constant", column=str(c)) for c in columns[const]],
            "constant columns cannot be intervalised",
        )
    return low + (high - low) * (values - lo) / span


def coupling_table(
    values: np.ndarray,
    index: pd.Index,
    model: str,
    alpha: np.ndarray | None,
    scheme: GradeScheme,
    rescale: bool,
    *,
    columns: pd.Index,
    warn_zero: bool = True,
    stacklevel: int = 3,
) -> pd.DataFrame:
    """C, T, D, grade, level and stage of checked scores ``values`` (rows × subsystems).

    With ``rescale``, every column is first mapped onto [0.01, 0.99] (SPSSAU). Warns
    (:class:`~coordeval.errors.MethodWarning`) when the classic C crowds near 1 and, with
    ``warn_zero``, when a zero score forces C = 0.
    """
    if rescale:
        values = intervalize_values(values, columns, 0.01, 0.99)
    C, T, D = coupling_arrays(values, model, alpha)
    n_sub = values.shape[1]
    if model == "classic" and n_sub >= 4 and np.mean(C > 0.9) > 0.5:
        warnings.warn(
            MethodWarning(
                f"classic coupling with {n_sub} subsystems: C > 0.9 in "
                f"{np.mean(C > 0.9):.0%} of rows, so C hardly discriminates; consider "
                "model='wang2021' (Wang Shujia et al. 2021)",
                "classic_coupling_crowded",
                {"n_sub": n_sub, "share": float(np.mean(C > 0.9))},
            ),
            stacklevel=stacklevel,
        )
    if warn_zero and model != "fan2024":
        zero = (values == 0.0).any(axis=1) & (values > 0.0).any(axis=1)
        if zero.any():
            warnings.warn(
                MethodWarning(
                    f"{int(zero.sum())} of {len(zero)} rows have a subsystem score of exactly 0 "
                    "(lowest on every indicator of that subsystem), so the product in the "
                    f"{model} model makes C = 0 and D = 0 there; with few cities, fixed "
                    "goalposts (bounds) or model='fan2024' keep such rows apart",
                    "zero_subsystem_score",
                    {"n_zero": int(zero.sum()), "n_rows": len(zero), "model": model},
                ),
                stacklevel=stacklevel,
            )
    grade = scheme.grade(D)
    level_zh, level_en = scheme.labels(grade)
    stage_zh, stage_en = COUPLING_STAGES.labels(COUPLING_STAGES.grade(C))
    return pd.DataFrame(
        {
            "C": C,
            "T": T,
            "D": D,
            "grade": grade,
            "level_zh": level_zh,
            "level_en": level_en,
            "stage": stage_zh,
            "stage_en": stage_en,
        },
        index=index,
    )


def _score_values(U: pd.DataFrame) -> np.ndarray:
    """The scores as floats: numeric columns, at least two, at least one row, every value
    finite (the boundary validator's checks, each problem located)."""
    what = "coupling coordination"
    frame = V.table(U)
    V.require_shape(frame, what, 2)
    return V.finite_values(frame, what)


def coupling_step(
    U: pd.DataFrame,
    *,
    model: str = "classic",
    weights: pd.Series | None = None,
    grades: str | GradeScheme = "ten",
    intervalize: bool = False,
) -> pd.DataFrame:
    """The one coupling step of every path (assessment, batch scoring, monitoring, library).

    Subsystem scores on a frozen scale may leave [0, 1] (``out_of_range="extend"``: a city
    beyond the fitted maximum next year). They are clipped to [0, 1] for C, T and D, and every
    row says which scores were clipped; the scores themselves are not changed.

    Parameters
    ----------
    U : DataFrame
        Subsystem scores, one column per subsystem (at least 2), any row index.
    model : {"classic", "wang2021", "fan2024"}
        Coupling model.
    weights : Series, optional
        Contribution coefficients α for T keyed by the columns of ``U`` (default equal).
    grades : {"ten", "spssau"} or GradeScheme
        Grade scheme of D.
    intervalize : bool
        SPSSAU's column rescaling to [0.01, 0.99] over the given rows (after clipping).

    Returns
    -------
    DataFrame
        Indexed like ``U``: the columns of
        :func:`coordeval.analysis.coupling.coupling_coordination`, then ``clipped`` (text such
        as ``"industry>1; market<0"``, empty when no score was clipped) and ``floor_zero``
        (True where a subsystem score at the normalisation floor, exactly 0 after clipping,
        forces C = D = 0 in the classic and wang2021 models: an artefact of the scale, not a
        coordination level).

    Notes
    -----
    Clipping rule: ``U' = min(max(U, 0), 1)``; a score is reported as clipped when it lies
    outside [0, 1] by more than :data:`CLIP_TOLERANCE`. Without intervalisation each row is
    computed on its own, so a city-year's C, T, D do not depend on the other rows.
    """
    values = _score_values(U)
    above = values > 1.0 + CLIP_TOLERANCE
    below = values < -CLIP_TOLERANCE
    names = np.asarray([str(c) for c in U.columns], dtype=object)
    text = np.full(len(U), "", dtype=object)
    for j, name in enumerate(names):  # a few subsystems; every row at once
        tag = np.where(above[:, j], name + ">1", np.where(below[:, j], name + "<0", ""))
        has = tag != ""
        text = np.where(has & (text != ""), text + "; " + tag, np.where(has, tag, text))
    clipped = np.clip(values, 0.0, 1.0)
    alpha = None if weights is None else weights.reindex(U.columns).to_numpy(dtype=np.float64)
    scheme = grades if isinstance(grades, GradeScheme) else GRADE_SCHEMES[grades]
    # the zero-score rows are flagged per row (floor_zero), not warned about
    cc = coupling_table(
        clipped, U.index, model, alpha, scheme, intervalize, columns=U.columns, warn_zero=False
    )
    floor = (clipped == 0.0).any(axis=1) & (clipped > 0.0).any(axis=1)
    if model == "fan2024" or intervalize:
        floor = np.zeros(len(clipped), dtype=bool)
    return cc.assign(clipped=pd.Series(text, index=U.index, dtype="str"), floor_zero=floor)
