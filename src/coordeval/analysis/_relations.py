"""Three of the four synergy relations: within-city homogeneous (coupling of a subsystem's
indicators), within-city heterogeneous (D across subsystems) and cross-city homogeneous
(1 − Gini and σ), with the panel checks they share."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval.analysis._problems import coded
from coordeval.analysis.inequality import gini
from coordeval.errors import InputError, MethodWarning
from coordeval.kernels.coupling import MODELS, coupling_arrays

#: Key → (Chinese name, English description) of the four synergy relations.
RELATIONS: dict[str, tuple[str, str]] = {
    "intra_homogeneity": ("城内同质", "within a city, within one subsystem"),
    "intra_heterogeneity": ("城内异质", "within a city, across subsystems"),
    "inter_homogeneity": ("城际同质", "across cities, the same subsystem"),
    "inter_heterogeneity": ("城际异质", "across cities, across subsystems"),
}


def _panel_index(frame: pd.DataFrame, what: str) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """City codes, city labels and year codes of a ``(city, year)`` panel."""
    idx = frame.index
    names = list(idx.names) if isinstance(idx, pd.MultiIndex) else []
    if "city" not in names or "year" not in names:
        raise InputError([coded("not_panel_index", {"what": what, "got": str(names or idx)})])
    if idx.duplicated().any():
        dups = idx[idx.duplicated()].unique()[:5]
        raise InputError(
            [coded("duplicated_panel_rows", {"what": what, "examples": str(list(dups))})]
        )
    city_codes, cities = pd.factorize(idx.get_level_values("city"), sort=True)
    year_codes, _ = pd.factorize(idx.get_level_values("year"), sort=True)
    return city_codes, pd.Index(cities, name="city"), year_codes


def _values(frame: pd.DataFrame, what: str, *, unit_interval: bool) -> np.ndarray:
    """Finite float values; non-negative, and within [0, 1] when ``unit_interval``."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError([coded("not_a_dataframe", {"what": what})])
    non_numeric = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        raise InputError(
            [coded("non_numeric_column", {"what": what}, column=str(c)) for c in non_numeric]
        )
    arr = frame.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(arr)
    bad |= arr < 0
    if unit_interval:
        bad |= arr > 1
    if bad.any():
        rows, cols = np.nonzero(bad)
        code = "value_outside_unit_interval" if unit_interval else "value_negative_or_not_finite"
        raise InputError(
            [
                coded(
                    code,
                    {"what": what},
                    cell=str(frame.index[r]),
                    column=str(frame.columns[c]),
                    value=repr(float(arr[r, c])),
                )
                for r, c in zip(rows[:50], cols[:50], strict=True)
            ],
            summary=f"{what}: {int(bad.sum())} invalid value(s)",
        )
    return arr


def _check_model(model: str) -> None:
    V.choice(model, MODELS, "coupling model")


def intra_homogeneity(
    Z: pd.DataFrame,
    membership: Mapping[str, str] | pd.Series,
    model: str = "wang2021",
) -> pd.DataFrame:
    """Relation 1, 城内同质: coupling degree of each subsystem's indicators in every city-year.

    Parameters
    ----------
    Z : pandas.DataFrame
        Normalised indicator values in [0, 1], one column per indicator id; rows are cities or
        city-years.
    membership : mapping or pandas.Series
        Indicator id → subsystem id, covering every column of ``Z``.
    model : {"wang2021", "classic", "fan2024"}, default "wang2021"
        Coupling-degree formula of :func:`coordeval.kernels.coupling.coupling_arrays`.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``Z``, one column per subsystem (in order of first appearance in
        ``membership``) holding the coupling degree C of its indicators. Subsystems with a
        single indicator are left out with a :class:`~coordeval.errors.MethodWarning`.

    Raises
    ------
    InputError
        Indicators without a subsystem, membership entries that are not columns of ``Z``,
        missing or out-of-range values.
    ConfigError
        Unknown ``model``.

    Notes
    -----
    coordeval's operationalisation (the seed framework gives none): the subsystem's normalised
    indicators :math:`z_{1}, …, z_{m}` of one city-year are treated as m "systems" and their
    coupling degree is computed, by default with the corrected model of 王淑佳 et al. (2021)

    .. math:: C = \\sqrt{\\Big[1 - \\frac{\\sum_{i>j}|z_i - z_j|}{\\sum_{s=1}^{m-1} s}\\Big]
              \\Big(\\prod_i \\frac{z_i}{\\max_j z_j}\\Big)^{1/(m-1)}}

    C = 1 when every indicator of the subsystem is at the same normalised level; it falls as
    the indicators diverge. A zero indicator value gives C = 0 (use shifted normalisation).

    References
    ----------
    刘波, 邓玲 (2021). 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究.
    王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 (2021). 国内耦合协调度模型的误区及修正. 自然资源学报,
    36(3), 793-810. doi:10.31497/zrzyxb.20210319.
    """
    _check_model(model)
    arr = _values(Z, "Z", unit_interval=True)
    member = pd.Series(membership, dtype=object) if isinstance(membership, Mapping) else membership
    if not isinstance(member, pd.Series):
        raise InputError([coded("synergy_membership_not_mapping")])
    problems = [
        coded("indicator_without_subsystem", column=str(c))
        for c in Z.columns
        if c not in member.index
    ]
    problems += [
        coded("membership_unknown_indicator", column=str(i))
        for i in member.index
        if i not in Z.columns
    ]
    if problems:
        raise InputError(problems, summary="membership does not match the columns of Z")
    subsystems = list(dict.fromkeys(member.to_numpy().tolist()))
    col_sub = member.reindex(Z.columns).to_numpy()
    out: dict[Any, np.ndarray] = {}
    single = []
    for sub in subsystems:
        cols = np.flatnonzero(col_sub == sub)
        if cols.size < 2:
            single.append(str(sub))
            continue
        C, _, _ = coupling_arrays(arr[:, cols], model=model)
        out[sub] = C
    if single:
        warnings.warn(
            MethodWarning(
                f"subsystem(s) {', '.join(single)} have a single indicator; their "
                "within-subsystem coupling is undefined and left out",
                "single_indicator_subsystem",
                {"subsystems": ", ".join(single), "subsystem_ids": list(single)},
            ),
            stacklevel=2,
        )
    frame = pd.DataFrame(out, index=Z.index)
    frame.columns.name = "subsystem"
    return frame


def intra_heterogeneity(
    U: pd.DataFrame,
    model: str = "classic",
    weights: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Relation 2, 城内异质: coupling coordination of the subsystem scores of every city-year.

    Parameters
    ----------
    U : pandas.DataFrame
        Subsystem scores in [0, 1], one column per subsystem.
    model : {"classic", "wang2021", "fan2024"}, default "classic"
        Coupling-degree formula (the default matches coordeval's coupling table).
    weights : mapping or pandas.Series, optional
        Subsystem contribution coefficients for T (renormalised); equal by default.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``U`` with columns ``C, T, D``.

    Raises
    ------
    InputError
        Missing or out-of-range scores, fewer than two subsystems, weights not matching.
    ConfigError
        Unknown ``model``.

    Notes
    -----
    coordeval's operationalisation: the coupling coordination degree over the n subsystems,
    :math:`D = \\sqrt{C\\,T}`, :math:`T = \\sum_r a_r U_r`, with C from the chosen model
    (classic :math:`C = n (\\prod U_r)^{1/n} / \\sum U_r`). Grades and lagging subsystems are in
    :func:`coordeval.analysis.coupling.coupling_coordination`.

    References
    ----------
    刘波, 邓玲 (2021). 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究.
    廖重斌 (1999). 环境与经济协调发展的定量评判及其分类体系. 热带地理, 19(2), 171-177.
    """
    _check_model(model)
    arr = _values(U, "U", unit_interval=True)
    if arr.shape[1] < 2:
        raise InputError([coded("too_few_subsystems")])
    w = None
    if weights is not None:
        ws = pd.Series(weights, dtype=np.float64)
        lacking = [c for c in U.columns if c not in ws.index]
        if lacking:
            raise InputError([coded("subsystem_without_weight", column=str(c)) for c in lacking])
        w = ws.reindex(U.columns).to_numpy()
        if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise InputError([coded("bad_subsystem_weights")])
    C, T, D = coupling_arrays(arr, model=model, weights=w)
    return pd.DataFrame({"C": C, "T": T, "D": D}, index=U.index)


def inter_homogeneity(U: pd.DataFrame) -> pd.DataFrame:
    """Relation 3, 城际同质: equality of the cities in every subsystem, year by year.

    Parameters
    ----------
    U : pandas.DataFrame
        Subsystem scores (non-negative), one column per subsystem, indexed by
        ``(city, year)``. Unbalanced panels are fine: each year uses the cities present.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(subsystem, year)`` with columns ``n_cities``, ``mean``, ``sd``
        (population), ``cv`` (sd/mean), ``gini`` and ``homogeneity`` (1 − Gini).

    Raises
    ------
    InputError
        Missing or negative scores, a missing ``(city, year)`` index, or a subsystem whose
        scores are all 0 in a year (Gini and CV undefined).

    Notes
    -----
    coordeval's operationalisation: per subsystem r and year t over the N_t cities,
    :math:`H_{rt} = 1 - G_{rt}` with the Gini coefficient
    :math:`G = \\sum_i\\sum_j |U_i - U_j| / (2N^2\\mu)`, plus σ-convergence statistics
    :math:`\\sigma_t = \\sqrt{\\frac1N\\sum_i (U_{it} - \\bar U_t)^2}` and
    :math:`CV_t = \\sigma_t/\\bar U_t`. A falling σ or CV over the years is σ-convergence of
    the subsystem. The Gini coefficient is :func:`coordeval.analysis.inequality.gini`
    (sorted-rank formula).

    References
    ----------
    刘波, 邓玲 (2021). 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究.
    Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio.
    Empirical Economics, 22(4), 515-531.
    """
    arr = _values(U, "U", unit_interval=False)
    _, _, year_codes = _panel_index(U, "U")
    years = np.sort(U.index.get_level_values("year").unique())
    rows = []
    problems = []
    for t, year in enumerate(years):
        block = arr[year_codes == t]
        mean = block.mean(axis=0)
        sd = block.std(axis=0)
        for r, sub in enumerate(U.columns):
            if mean[r] <= 0:
                problems.append(coded("year_all_zero_gini", {"year": year}, column=str(sub)))
                continue
            g = gini(block[:, r])
            rows.append((sub, year, block.shape[0], mean[r], sd[r], sd[r] / mean[r], g, 1.0 - g))
    if problems:
        raise InputError(problems, summary="inter-city homogeneity is undefined")
    out = pd.DataFrame(
        rows,
        columns=["subsystem", "year", "n_cities", "mean", "sd", "cv", "gini", "homogeneity"],
    )
    return out.sort_values(["subsystem", "year"], key=_column_order(U.columns)).set_index(
        ["subsystem", "year"]
    )


def _column_order(columns: pd.Index) -> Any:
    order = {c: i for i, c in enumerate(columns)}

    def key(s: pd.Series) -> pd.Series:
        return s.map(order) if s.name == "subsystem" else s

    return key
