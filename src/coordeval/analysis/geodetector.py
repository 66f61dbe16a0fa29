"""GeoDetector (地理探测器): factor, interaction, risk and ecological detectors.

Labelled wrapper around :mod:`coordeval.kernels.geodetector`. Continuous factors are
discretised by every method × class count asked for (optimal-parameter search, Song et al.
2020) and the combination with the largest q is used by the detectors; categorical factors
(text, or at most 8 distinct whole numbers) are used as strata directly.

Conventions (as the R packages ``GD``/``gdverse``): population variances; strata with a
single observation are removed before q; p of q from the non-central F distribution. One of
the two PyPI packages named ``geodetector`` computes λ with sample variances and so reports
other p-values.

References
----------
Wang et al. (2010), IJGIS 24(1), 107–127; Wang, Zhang & Fu (2016), Ecological Indicators 67,
250–256; Song et al. (2020), GIScience & Remote Sensing 57(5), 593–610. Reproduces the
published ``gdverse::geodetector`` example (q 0.8928571, p 0.03167582; q 0.7714286,
p 0.07936477; interaction "weaken, nonlinear").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

import numpy as np
import pandas as pd

from coordeval.analysis._problems import coded
from coordeval.errors import ConfigError, InputError
from coordeval.kernels import geodetector as K

__all__ = ["DISCRETIZATIONS", "GeoDetectorResult", "geodetector"]

DISCRETIZATIONS = ("equal", "quantile", "natural", "sd", "geometric")


@dataclass
class GeoDetectorResult:
    """Tables of one GeoDetector run.

    Attributes
    ----------
    discretization : DataFrame
        q and p for every factor × method × class count tried.
    factor : DataFrame
        Per factor: the strata used (method, classes), q, p, rank by q.
    interaction : DataFrame
        Per pair: q1, q2, q(X1 ∩ X2) and the interaction type by name.
    risk : DataFrame
        Per factor and pair of strata: means, t, df, p, significant (Welch t-test).
    risk_means : DataFrame
        Per factor and stratum: n and the mean of y.
    ecological : DataFrame
        Per pair: F, p and whether the two factors differ significantly.
    """

    discretization: pd.DataFrame
    factor: pd.DataFrame
    interaction: pd.DataFrame
    risk: pd.DataFrame
    risk_means: pd.DataFrame
    ecological: pd.DataFrame


def _is_categorical(col: pd.Series) -> bool:
    if not pd.api.types.is_numeric_dtype(col):
        return True
    v = col.to_numpy(dtype=np.float64)
    return bool(np.all(v == np.round(v)) and np.unique(v).size <= 8)


def _interval_labels(b: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Stratum names such as ``"S1 (≤ 12.5)"``, ``"S2 (12.5, 20]"`` from the upper bounds."""
    upper = [f"S{i + 2} ({lo:.4g}, {hi:.4g}]" for i, (lo, hi) in enumerate(pairwise(b))]
    names = [f"S1 (≤ {b[0]:.4g})", *upper]
    return np.asarray(names, dtype=object)[codes]


def geodetector(
    y: pd.Series,
    factors: pd.DataFrame,
    *,
    methods: Sequence[str] = DISCRETIZATIONS,
    classes: Sequence[int] = range(3, 9),
    alpha: float = 0.05,
) -> GeoDetectorResult:
    """Run the four detectors of ``y`` on ``factors``.

    Parameters
    ----------
    y : Series
        The explained variable (e.g. D), any index shared with ``factors``.
    factors : DataFrame
        One column per factor, aligned on ``y``'s index (rows missing in either are
        dropped).
    methods : sequence of str
        Discretisations tried for continuous factors: ``equal``, ``quantile``, ``natural``
        (Fisher–Jenks), ``sd``, ``geometric``.
    classes : sequence of int
        Class counts tried (3–8 by default).
    alpha : float
        Significance level of the risk and ecological detectors.

    Returns
    -------
    GeoDetectorResult

    Raises
    ------
    InputError
        Fewer than 5 complete rows, a constant y, or no factor.
    ConfigError
        An unknown method or a class count below 2.
    """
    unknown = [m for m in methods if m not in DISCRETIZATIONS]
    if unknown:
        raise ConfigError(f"unknown discretisation {unknown}; use {', '.join(DISCRETIZATIONS)}")
    if any(int(k) < 2 for k in classes):
        raise ConfigError("class counts must be at least 2")
    data = pd.concat([y.rename("__y__"), factors], axis=1, join="inner").dropna()
    problems = []
    if len(data) < 5:
        problems.append(coded("geodetector_too_few_rows", {"n": len(data)}))
    if factors.shape[1] == 0:
        problems.append(coded("no_factor"))
    if problems:
        raise InputError(problems, "GeoDetector cannot run")
    yv = data["__y__"].to_numpy(dtype=np.float64)
    if np.ptp(yv) == 0:
        raise InputError([coded("explained_constant")])
    grid_rows = []
    strata: dict[str, np.ndarray] = {}
    chosen = []
    for name in factors.columns:
        col = data[name]
        if _is_categorical(col):
            s = col.astype("string").to_numpy(dtype=object)
            r = K.factor_q(yv, s)
            grid_rows.append({"factor": name, "method": "categorical", "classes": r["strata"], **r})
            strata[name] = s
            chosen.append(
                {
                    "factor": name,
                    "method": "categorical",
                    "classes": int(r["strata"]),
                    "q": r["q"],
                    "p": r["p"],
                }
            )
            continue
        x = col.to_numpy(dtype=np.float64)
        natural = K.fisher_jenks_all(x, max(classes)) if "natural" in methods else None
        best = None
        for m in methods:
            for k in classes:
                codes = K.discretize(x, K.breaks(x, m, int(k), natural))
                r = K.factor_q(yv, codes)
                grid_rows.append({"factor": name, "method": m, "classes": int(k), **r})
                if np.isfinite(r["q"]) and (best is None or r["q"] > best[0]):
                    best = (r["q"], m, int(k), codes, r["p"])
        if best is not None:
            labels = _interval_labels(K.breaks(x, best[1], best[2], natural), best[3])
            best = (*best[:3], labels, best[4])
        if best is None:
            chosen.append(
                {"factor": name, "method": "none", "classes": 0, "q": np.nan, "p": np.nan}
            )
            continue
        strata[name] = best[3]
        chosen.append(
            {"factor": name, "method": best[1], "classes": best[2], "q": best[0], "p": best[4]}
        )
    grid = pd.DataFrame(grid_rows).rename(columns={"strata": "strata_used"})
    factor = pd.DataFrame(chosen)
    factor["significant"] = factor["p"] < alpha
    factor["rank"] = factor["q"].rank(ascending=False, method="min").astype("Int64")
    qmap = dict(zip(factor["factor"], factor["q"], strict=True))
    inter, eco = [], []
    for a, b in combinations(strata, 2):
        q12 = K.factor_q(yv, K.combine(strata[a], strata[b]))["q"]
        inter.append(
            {
                "factor_1": a,
                "factor_2": b,
                "q_1": qmap[a],
                "q_2": qmap[b],
                "q_interaction": q12,
                "type": K.interaction_type(qmap[a], qmap[b], q12),
            }
        )
        e = K.ecological_f(yv, strata[a], strata[b])
        eco.append({"factor_1": a, "factor_2": b, **e, "significant": e["p"] < alpha})
    risk_rows, mean_rows = [], []
    for name, s in strata.items():
        r = K.risk_means(yv, s, alpha)
        labels = [str(v) for v in r["labels"]]
        for i, lab in enumerate(labels):
            mean_rows.append(
                {"factor": name, "stratum": lab, "n": int(r["n"][i]), "mean": r["mean"][i]}
            )
        iu, ju = np.triu_indices(len(labels), 1)
        for i, j in zip(iu, ju, strict=True):
            risk_rows.append(
                {
                    "factor": name,
                    "stratum_1": labels[i],
                    "stratum_2": labels[j],
                    "mean_1": r["mean"][i],
                    "mean_2": r["mean"][j],
                    "t": r["t"][i, j],
                    "df": r["df"][i, j],
                    "p": r["p"][i, j],
                    "significant": bool(r["significant"][i, j]),
                }
            )
    return GeoDetectorResult(
        discretization=grid,
        factor=factor,
        interaction=pd.DataFrame(inter),
        risk=pd.DataFrame(risk_rows),
        risk_means=pd.DataFrame(mean_rows),
        ecological=pd.DataFrame(eco),
    )
