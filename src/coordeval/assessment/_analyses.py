"""The core analyses of an assessment: one small function each, from the scores on a
:class:`~coordeval.assessment._draft.Draft` to tables and method facts.

Each analysis proper is a public function of :mod:`coordeval.analysis` usable on plain
DataFrames; a function here decides whether it applies to the data at hand, calls it, and
records the tables, the facts the methods sheet words (:class:`~coordeval.assessment.Note`)
and, through :func:`~coordeval.assessment._draft.attempt`, the reason it was not run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from coordeval.assessment._draft import Draft, NotApplicable

__all__ = ["ANALYSES", "ROBUSTNESS_WORK"]

#: Draws × city-years of the weight-robustness analysis at most (200 draws at the least).
ROBUSTNESS_WORK = 20_000_000


def _subsystem_names(d: Draft) -> tuple[dict[str, str], dict[str, str]]:
    return (
        {s.id: s.name_zh for s in d.system.subsystems},
        {s.id: s.name_en for s in d.system.subsystems},
    )


def _clipped_scores(d: Draft) -> pd.DataFrame:
    """Scores beyond [0, 1] on a frozen scale enter C, T, D and the relations clipped."""
    return d.scores.clip(0.0, 1.0)


def coupling(d: Draft) -> None:
    """Coupling coordination, pairwise coupling and relative development."""
    from coordeval.analysis import coupling as cp

    U = d.scores
    if U.shape[1] < 2:
        raise NotApplicable("coupling needs at least two subsystems")
    U_in = _clipped_scores(d)
    names_zh, names_en = _subsystem_names(d)
    cc = d.model.coupling_coordination(U)
    rd = cp.relative_development(U_in, names_zh=names_zh, names_en=names_en)
    d.put("coupling", cc.join(rd))
    d.put("pairwise_coupling", cp.pairwise_coupling(U_in, model=d.conventions["coupling"]))
    d.note("scores outside [0, 1]", "scores_clipped", n_rows=int(cc["clipped"].ne("").sum()))
    fixed = [s.weight for s in d.system.subsystems]
    d.note(
        "coupling",
        "coupling",
        model=d.conventions["coupling"],
        system_weights=all(w is not None for w in fixed),
    )
    d.note("grades", "grades", scheme=d.conventions["grades"])
    d.note("relative development", "relative_development")


def obstacles(d: Draft) -> None:
    """Obstacle degrees per indicator and subsystem, and the five largest."""
    from coordeval.analysis import obstacle as ob

    scaled = d.conventions.get("obstacle_scaled", True)
    Z, members, w = d.normalized.clip(0.0, 1.0), d.system.membership, d.model.weights_
    pct = ob.obstacle_degree(Z, w, members)
    d.put("obstacles", pct if scaled else ob.obstacle_degree(Z, w, members, scaled=False))
    # the rankings are the same either way; the summary tables always show percentages
    d.put("subsystem_obstacles", ob.subsystem_obstacle(pct, members))
    d.put("top_obstacles", ob.top_obstacles(pct, k=5, membership=members))
    at_top = int((d.normalized.to_numpy() >= 1.0).sum())
    if at_top:
        d.note("obstacle shares of 0", "obstacle_zeros", n_cells=at_top)
    d.note("obstacles", "obstacles", scaled=bool(scaled))


def inequality(d: Draft) -> None:
    """Gini, Theil / GE(α), and with groups the Dagum decomposition and group means."""
    from coordeval.analysis import inequality as ineq

    if d.n_cities < 2:
        raise NotApplicable("inequality needs at least two cities")
    groups, population = d.inputs.groups, d.inputs.population
    cols = _clipped_scores(d).join(d.composite["closeness"].rename("composite"))
    if "coupling" in d.tables:
        cols = cols.join(d.tables["coupling"]["D"])
    alpha = d.conventions.get("theil_alpha", 1.0)
    corrected = d.conventions.get("gini_correction", False) and population is None
    d.put(
        "inequality",
        ineq.inequality_by_year(
            cols, groups=groups, theil_alpha=alpha, gini_correction=corrected, weights=population
        ),
    )
    if groups is not None:
        d.put("dagum_pairs", ineq.dagum_by_year(cols, groups, weights=population))
        d.put("group_means", _group_means(cols, groups))
    d.note(
        "inequality",
        "inequality",
        weighted=population is not None,
        theil_alpha=alpha,
        corrected=bool(corrected),
    )


def convergence(d: Draft) -> None:
    """σ convergence, kernel density and (three years or more) β convergence."""
    from coordeval.analysis import convergence as cv

    n_years = d.n_years
    if n_years < 2 or d.n_cities < 2:
        raise NotApplicable("convergence needs at least two cities and two years")
    comp = d.composite["closeness"].rename("composite")
    log = d.conventions.get("sigma_log", False)
    bw = d.conventions.get("kde_bw", "silverman")
    d.put(
        "sigma_convergence", cv.sigma_convergence(d.scores.join(comp), trend=n_years >= 3, log=log)
    )
    d.put("kernel_density", cv.kernel_density(comp, bw=bw))
    if n_years >= 3:
        beta = cv.beta_convergence(comp, fixed_effects=None, cluster="city")
        d.put("beta_convergence", beta.summary())
    else:
        d.skipped["beta_convergence"] = "β convergence needs at least three years"
    d.note("convergence", "convergence", log=bool(log), bandwidth=bw)


def synergy(d: Draft) -> None:
    """The four synergy relations (floor zeros of the within-city relation marked)."""
    from coordeval.analysis import synergy as sy

    if d.n_cities < 2:
        raise NotApplicable("the synergy relations need at least two cities")
    rel = sy.synergy_relations(
        d.normalized.clip(0.0, 1.0),
        _clipped_scores(d),
        d.system.membership,
        W=d.inputs.spatial_weights,
        w_kind=d.inputs.spatial_kind,
    )
    for key, table in rel.items():
        d.put(f"synergy_{key}", table)
    intra = d.tables.get("synergy_intra_homogeneity")
    if intra is not None and len(intra):
        _mark_floor(d, intra)
    d.note("synergy relations", "synergy")


def robustness(d: Draft) -> None:
    """Rank robustness under Dirichlet draws of the weights."""
    from coordeval.analysis.robustness import weight_robustness

    n_draws = d.inputs.robustness_draws
    if n_draws <= 0:
        raise NotApplicable("robustness draws set to 0")
    if d.n_cities < 2:
        raise NotApplicable("rank robustness needs at least two cities")
    # bound the ranking work (draws × city-years) for national county panels
    draws = min(n_draws, max(200, ROBUSTNESS_WORK // len(d.normalized)))
    res = weight_robustness(
        d.normalized.clip(0.0, 1.0), d.model.weights_, n_draws=draws, seed=d.inputs.seed
    )
    d.put("robustness", res.ranks)
    d.put("robustness_summary", res.summary)
    d.note(
        "robustness",
        "robustness",
        concentration=res.concentration,
        n_draws=res.n_draws,
        seed=res.seed,
    )


def targets(d: Draft) -> None:
    """Attainment of the plan targets."""
    from coordeval.analysis.targets import target_attainment

    if d.inputs.targets is None:
        raise NotApplicable("no plan targets given")
    d.put("targets", target_attainment(d.inputs.targets))


def factors(d: Draft) -> None:
    """OLS (city fixed effects on a panel) and a two-limit Tobit of D on the factors."""
    from coordeval.analysis.regression import factor_regression, tobit

    F = d.inputs.factors
    if F is None:
        raise NotApplicable("no influencing factors given")
    if "coupling" not in d.tables:
        raise NotApplicable("the factor regressions explain D, which was not computed")
    D = d.tables["coupling"]["D"]
    panel = d.n_years >= 2 and d.n_cities >= 2
    ols = factor_regression(
        D,
        F,
        fixed_effects="city" if panel else None,
        cluster="city" if panel else None,
        missing="drop",
    )
    d.put("factors_ols", ols.table)
    rows = ols.fit.model.data.row_labels
    X = F.loc[rows, list(ols.table["term"].iloc[1:])]
    res = tobit(D.loc[rows], X, left=0.0, right=1.0, disp=0)
    d.put(
        "factors_tobit",
        pd.DataFrame(
            {
                "term": [str(t) for t in res.params.index],
                "coef": res.params.to_numpy(),
                "se": res.bse.to_numpy(),
                "z": res.tvalues.to_numpy(),
                "p": res.pvalues.to_numpy(),
            }
        ),
    )
    d.note(
        "influencing factors",
        "factors",
        factors=[str(c) for c in X.columns],
        panel=panel,
        n=ols.n,
        r2=ols.r2,
        llf=float(res.llf),
    )


#: The core analyses in the order they run (later ones read earlier tables, e.g. D).
ANALYSES: tuple[tuple[str, Callable[[Draft], None]], ...] = (
    ("coupling", coupling),
    ("obstacles", obstacles),
    ("inequality", inequality),
    ("convergence", convergence),
    ("synergy", synergy),
    ("robustness", robustness),
    ("targets", targets),
    ("factors", factors),
)


def _group_means(cols: pd.DataFrame, groups: Any) -> pd.DataFrame:
    """Mean of every score per named group and year, with the number of cities."""
    mapping = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups))
    city = cols.index.get_level_values("city")
    label = pd.Index(mapping.reindex(city).astype("str").to_numpy(), name="group")
    keys = [label, cols.index.get_level_values("year")]
    means = cols.groupby(keys).mean()
    means.insert(0, "n", cols.groupby(keys).size())
    return means


def _mark_floor(d: Draft, intra: pd.DataFrame) -> None:
    """Mark exact zeros of the within-city homogeneous relation that come from an indicator at
    the normalisation floor (z′ = 0 makes the product in the wang2021 coupling zero): column
    ``floor_zero`` names the subsystems, and a methods note explains it."""
    Z = d.normalized.reindex(intra.index)
    at_floor = (
        (Z.clip(0.0, 1.0) == 0.0).T.groupby([d.system.membership[i] for i in Z.columns]).any().T
    )
    subs = [c for c in intra.columns if c in at_floor.columns]
    if not subs:
        return
    mask = (intra[subs].to_numpy() == 0.0) & at_floor[subs].to_numpy()
    text = pd.Series("", index=intra.index, dtype="str")
    for j, sub in enumerate(subs):  # a few subsystems; every row at once
        hit = pd.Series(mask[:, j], index=intra.index)
        text = text.mask(hit & text.ne(""), text + "; " + sub).mask(hit & text.eq(""), sub)
    d.put("synergy_intra_homogeneity", intra.assign(floor_zero=text))
    n = int(mask.sum())
    if n:
        d.note("within-city homogeneous zeros", "intra_floor_zeros", n_cells=n)
