"""Distribution dynamics: traditional and spatial Markov chains of a panel variable.

Labelled wrappers around :mod:`coordeval.kernels.markov`. Classes are quantile classes
(pooled over all years — "fixed" — or per year), user cut-offs, or given class codes such
as the coordination grades. A class never observed as an origin is reported with status
``"no observations"`` and empty probabilities, never zeros; quantile ties that merge classes
are a stated fallback (``MarkovResult.notes``).

References
----------
Quah, D. (1993). Empirical cross-section dynamics in economic growth. European Economic
Review 37, 426–434. Rey, S. J. (2001). Geographical Analysis 33(3), 195–214. Bickenbach &
Bode (2003). International Regional Science Review 26(3), 363–392. Checked against giddy
(``Markov``, ``Spatial_Markov``, ``ergodic.mfpt``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from coordeval.analysis._problems import coded
from coordeval.analysis.spatial import SpatialWeights
from coordeval.errors import ConfigError, InputError
from coordeval.kernels import markov as K

__all__ = ["MarkovResult", "markov_chain", "spatial_markov"]

NO_OBS = "no observations"


@dataclass
class MarkovResult:
    """Tables of a (spatial) Markov chain analysis.

    Attributes
    ----------
    classes : DataFrame
        Class label, lower and upper bound (or the given code) and observations.
    counts : DataFrame
        Transition counts (rows: origin class; with ``regime`` for spatial chains).
    probabilities : DataFrame
        Row probabilities, ``n`` (transitions from the row class) and ``status``
        (``"ok"`` or ``"no observations"``; the probabilities of such rows are empty).
    steady_state : DataFrame
        Stationary distribution (empty with a note when the chain is not ergodic).
    first_passage : DataFrame
        Mean first passage times in periods (diagonal: mean recurrence times).
    moves : DataFrame
        Shares of upward, staying and downward transitions.
    homogeneity : DataFrame
        Spatial chains: LR and Q tests with degrees of freedom and p-values.
    lag_classes : DataFrame
        Spatial chains: the neighbour (lag) classes and their upper bounds.
    notes : list of (str, str)
        Fallbacks and conventions in words, each as (中文, English).
    """

    classes: pd.DataFrame
    counts: pd.DataFrame
    probabilities: pd.DataFrame
    steady_state: pd.DataFrame
    first_passage: pd.DataFrame
    moves: pd.DataFrame
    homogeneity: pd.DataFrame = field(default_factory=pd.DataFrame)
    lag_classes: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[tuple[str, str]] = field(default_factory=list)


def _panel(x: pd.Series) -> pd.DataFrame:
    if not isinstance(x, pd.Series) or list(x.index.names[:2]) != ["city", "year"]:
        raise InputError([coded("markov_not_panel")])
    wide = x.astype(np.float64).unstack("year").sort_index(axis=1)
    if wide.shape[1] < 2:
        raise InputError([coded("markov_too_few_years")])
    return wide


def _classes(
    wide: pd.DataFrame,
    classes: Literal["quantile", "given"] | Sequence[float],
    k: int,
    pooled: bool,
    labels: Sequence[str] | None,
    notes: list[tuple[str, str]],
) -> tuple[np.ndarray, list[str], pd.DataFrame]:
    V = wide.to_numpy()
    ok = ~np.isnan(V)
    if isinstance(classes, str) and classes == "given":
        codes = np.sort(np.unique(V[ok]))
        if labels is None:
            labels = [f"{c:g}" for c in codes]
            lookup = codes
        else:
            lookup = np.arange(1, len(labels) + 1, dtype=np.float64)
            outside = np.setdiff1d(codes, lookup)
            if outside.size:
                raise InputError(
                    [coded("class_code_outside", {"code": c, "n": len(labels)}) for c in outside]
                )
        C = np.searchsorted(lookup, np.where(ok, V, lookup[0]))
        table = pd.DataFrame({"class": list(labels), "code": lookup})
    elif isinstance(classes, str) and classes == "quantile":
        if k < 2:
            raise ConfigError(f"need at least 2 classes, got {k}")
        if pooled:
            cut = K.quantile_cutoffs(V[ok], k)
            uniq = np.unique(cut)
            if uniq.size < k:
                notes.append(
                    (
                        f"数值并列使分位数类合并：实际 {uniq.size} 类，而非 {k} 类",
                        f"tied values merge quantile classes: {uniq.size} classes instead of {k}",
                    )
                )
            cut = uniq
            C = K.classify(np.where(ok, V, 0.0), cut)
            lower = np.concatenate([[-np.inf], cut[:-1]])
            labels = labels or [f"Q{i + 1}" for i in range(cut.size)]
            table = pd.DataFrame({"class": list(labels)[: cut.size], "lower": lower, "upper": cut})
        else:
            # per-year quantiles: ranks within each year
            ranks = wide.rank(axis=0, method="first", pct=True).to_numpy()
            C = np.clip(np.ceil(np.where(ok, ranks, 0.0) * k).astype(np.int64) - 1, 0, k - 1)
            labels = labels or [f"Q{i + 1}" for i in range(k)]
            table = pd.DataFrame(
                {"class": list(labels), "lower": np.arange(k) / k, "upper": np.arange(1, k + 1) / k}
            )
            notes.append(
                (
                    "分类为各年的分位数（界限为城市所占比例）",
                    "classes are quantiles of each year (bounds are shares of cities)",
                )
            )
    else:
        cut = np.asarray(list(classes), dtype=np.float64)
        if cut.size < 1 or np.any(np.diff(cut) <= 0):
            raise ConfigError("cut-offs must be increasing numbers")
        cut = np.append(cut, np.inf)
        C = K.classify(np.where(ok, V, 0.0), cut)
        labels = labels or [f"C{i + 1}" for i in range(cut.size)]
        lower = np.concatenate([[-np.inf], cut[:-1]])
        table = pd.DataFrame({"class": list(labels), "lower": lower, "upper": cut})
    k_eff = len(table)
    table["observations"] = np.bincount(C[ok], minlength=k_eff)[:k_eff]
    return np.asarray(C, dtype=np.int64), list(table["class"]), table


def _prob_table(F: np.ndarray, labels: list[str], regime: list[str] | None = None) -> pd.DataFrame:
    P = K.probabilities(F)
    n = F.sum(axis=-1)
    k = len(labels)
    if regime is None:
        t = pd.DataFrame(P, index=pd.Index(labels, name="from"), columns=labels)
        t.insert(0, "n", n.astype(np.int64))
        t.insert(1, "status", np.where(n > 0, "ok", NO_OBS))
        return t
    idx = pd.MultiIndex.from_product([regime, labels], names=["neighbours", "from"])
    t = pd.DataFrame(P.reshape(-1, k), index=idx, columns=labels)
    t.insert(0, "n", n.reshape(-1).astype(np.int64))
    t.insert(1, "status", np.where(n.reshape(-1) > 0, "ok", NO_OBS))
    return t


def _ergodic_tables(
    P: np.ndarray, labels: list[str], notes: list[tuple[str, str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not K.is_ergodic(P):
        notes.append(
            (
                "未给出稳态分布与平均首达时间：有的类无观测或不能由其他类到达（链不遍历）",
                "steady state and first passage times are not reported: some class has no "
                "observations or cannot be reached from every other class (chain not ergodic)",
            )
        )
        return pd.DataFrame(), pd.DataFrame()
    pi = K.steady_state(P)
    M = K.mean_first_passage(P)
    ss = pd.DataFrame({"class": labels, "steady_state": pi})
    fp = pd.DataFrame(M, index=pd.Index(labels, name="from"), columns=labels)
    return ss, fp


def markov_chain(
    x: pd.Series,
    *,
    classes: Literal["quantile", "given"] | Sequence[float] = "quantile",
    k: int = 4,
    pooled: bool = True,
    labels: Sequence[str] | None = None,
) -> MarkovResult:
    """Traditional (Quah) Markov chain of a panel variable.

    Parameters
    ----------
    x : Series
        Indexed by (``city``, ``year``); transitions between consecutive years present in
        the data (a city missing in a year breaks its chain there).
    classes : "quantile", "given" or sequence of float
        ``"quantile"``: k quantile classes (``pooled``: one set of cut-offs over all
        city-years, as giddy's ``fixed=True``; otherwise per year); ``"given"``: ``x`` holds
        class codes (e.g. coordination grades 1..10 with ``labels`` naming them); a sequence:
        user cut-offs (upper bounds of the lower classes).
    k : int
        Number of quantile classes.
    labels : sequence of str, optional
        Class names.

    Returns
    -------
    MarkovResult
    """
    notes: list[tuple[str, str]] = []
    wide = _panel(x)
    C, labs, table = _classes(wide, classes, k, pooled, labels, notes)
    valid = wide.notna().to_numpy()
    F = K.transition_counts(C, len(labs), valid=valid)
    P = K.probabilities(F)
    ss, fp = _ergodic_tables(P, labs, notes)
    counts = pd.DataFrame(F.astype(np.int64), index=pd.Index(labs, name="from"), columns=labs)
    moves = pd.DataFrame([K.move_shares(F)])
    return MarkovResult(table, counts, _prob_table(F, labs), ss, fp, moves, notes=notes)


def spatial_markov(
    x: pd.Series,
    W: SpatialWeights,
    *,
    classes: Literal["quantile", "given"] | Sequence[float] = "quantile",
    k: int = 4,
    lag_k: int | None = None,
    labels: Sequence[str] | None = None,
) -> MarkovResult:
    """Spatial Markov chain: transition probabilities conditioned on the neighbours' class.

    The spatial lag ``W·x`` of each year (W row-standardised over the cities present) is
    classed into ``lag_k`` (default ``k``) pooled quantile classes, as giddy's
    ``Spatial_Markov(fixed=True)``; the regime of a transition is the lag class of its
    origin year. Homogeneity of the regime matrices is tested by LR and Q (Bickenbach &
    Bode 2003) with their degrees of freedom.

    Returns
    -------
    MarkovResult
        ``counts``/``probabilities`` indexed by (neighbours, from); ``homogeneity`` filled;
        ``steady_state`` per regime where ergodic.
    """
    notes: list[tuple[str, str]] = []
    wide = _panel(x).reindex(W.W.index)
    missing = [c for c in x.index.get_level_values("city").unique() if c not in W.W.index]
    if missing:
        raise InputError(
            [coded("city_without_spatial_weights", {"city": str(c)}, value=str(c)) for c in missing]
        )
    wide = wide.dropna(how="all")
    C, labs, table = _classes(wide, classes, k, True, labels, notes)
    V = wide.to_numpy()
    ok = ~np.isnan(V)
    A = W.raw.loc[wide.index, wide.index].to_numpy()
    Vz = np.where(ok, V, 0.0)
    sums = A @ ok.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        lag = (A @ Vz) / sums
    lag_ok = ok & np.isfinite(lag)
    lk = lag_k or k
    cut = np.unique(K.quantile_cutoffs(lag[lag_ok], lk))
    if cut.size < lk:
        notes.append(
            (
                f"空间滞后并列使类合并：邻居类 {cut.size} 个，而非 {lk} 个",
                f"tied spatial lags merge classes: {cut.size} neighbour classes instead of {lk}",
            )
        )
    R = K.classify(np.where(lag_ok, lag, 0.0), cut)
    regimes = [
        f"neighbours {c}" for c in (labels or [f"Q{i + 1}" for i in range(cut.size)])[: cut.size]
    ]
    F = K.transition_counts(C, len(labs), regime=R, valid=lag_ok, r=cut.size)
    F_all = K.transition_counts(C, len(labs), valid=lag_ok)
    hom = K.homogeneity(F)
    homog = pd.DataFrame(
        {
            "test": ["likelihood ratio", "Q"],
            "statistic": [hom["LR"], hom["Q"]],
            "dof": [int(hom["dof"]), int(hom["dof"])],
            "p": [hom["LR_p"], hom["Q_p"]],
        }
    )
    counts = pd.DataFrame(
        F.reshape(-1, len(labs)).astype(np.int64),
        index=pd.MultiIndex.from_product([regimes, labs], names=["neighbours", "from"]),
        columns=labs,
    )
    ss_parts = []
    for r, name in enumerate(regimes):
        ss, _ = _ergodic_tables(K.probabilities(F[r]), labs, [])
        if not ss.empty:
            ss_parts.append(ss.assign(neighbours=name))
    steady = pd.concat(ss_parts, ignore_index=True) if ss_parts else pd.DataFrame()
    if len(ss_parts) < len(regimes):
        notes.append(
            (
                f"{len(regimes) - len(ss_parts)}/{len(regimes)} 个邻居类的条件链不遍历，"
                "未给出其稳态分布",
                f"{len(regimes) - len(ss_parts)} of {len(regimes)} neighbour-class chains are not "
                "ergodic; their steady states are not reported",
            )
        )
    return MarkovResult(
        classes=table,
        counts=counts,
        probabilities=_prob_table(F, labs, regimes),
        steady_state=steady,
        first_passage=pd.DataFrame(),
        moves=pd.DataFrame([K.move_shares(F_all)]),
        homogeneity=homog,
        lag_classes=pd.DataFrame(
            {
                "neighbours": regimes,
                "lower": np.concatenate([[-np.inf], cut[:-1]]),
                "upper": cut,
                "observations": np.bincount(R[lag_ok], minlength=cut.size)[: cut.size],
            }
        ),
        notes=notes,
    )
