"""Run every analysis that applies to an assessment and store its tables on it.

Each analysis is a public function usable on plain DataFrames; this module only decides which
apply to the data at hand, calls them, and records on the Assessment the tables, the method
text for the report, and the reason for every analysis that was not run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from coordeval.errors import CoordevalError, InputError

if TYPE_CHECKING:
    from coordeval.assessment import Assessment
    from coordeval.model import CoordinationModel

#: Draws × city-years of the weight-robustness analysis at most (200 draws at the least).
ROBUSTNESS_WORK = 20_000_000

COUPLING_TEXT = {
    "classic": (
        "经典耦合度：C = n·(ΠU_i)^(1/n)/ΣU_i（廖重斌 1999）。",
        "Classic coupling degree C = n·(ΠU)^(1/n)/ΣU (Liao Chongbin 1999, Tropical Geography 19(2)).",
    ),
    "wang2021": (
        "修正耦合度（王淑佳等 2021，自然资源学报 36(3):793-810）：C = √{[1 − Σ_{i>j}|U_i − U_j|/"
        "Σ_{m=1}^{n−1} m]·(ΠU_i/max U)^(1/(n−1))}。",
        "Corrected coupling degree (Wang Shujia et al. 2021, Journal of Natural Resources 36(3):793-810): "
        "C = √{[1 − Σ_{i>j}|Ui−Uj| / Σ_{m=1}^{n−1} m]·(ΠUi/max U)^(1/(n−1))}.",
    ),
    "fan2024": (
        "耦合度（Fan et al. 2024，统计与决策）：C = 1 − 2·SD(U)（总体标准差）。",
        "Coupling degree (Fan et al. 2024, Statistics and Decision): C = 1 − 2·SD(U) (population SD).",
    ),
}

#: The zero-score rule of the coupling models (index: is the model fan2024).
ZERO_TEXT = (
    (
        "某子系统得分为 0（该市在该子系统各指标上均为最低）时乘积为 0，C = 0、D = 0（不作平移，"
        "不返回 NaN），其行数在数据问题表中提示。",
        " A subsystem score of 0 (lowest on every indicator of the subsystem) makes the product "
        "and so C and D zero (no shift is added, never NaN); the number of such rows is given "
        "under data issues.",
    ),
    ("全部得分为 0 时 C = T = D = 0。", " All-zero scores give C = T = D = 0."),
)


def _subsystem_names(a: Assessment) -> tuple[dict[str, str], dict[str, str]]:
    return (
        {s.id: s.name_zh for s in a.system.subsystems},
        {s.id: s.name_en for s in a.system.subsystems},
    )


def _attempt(a: Assessment, name: str, fn: Callable[[], None]) -> None:
    """Run ``fn``; a data condition that rules the analysis out is recorded, not raised."""
    try:
        fn()
    except InputError as exc:
        a.skipped[name] = "; ".join(p.message for p in exc.problems[:3]) or exc.summary
    except CoordevalError as exc:
        a.skipped[name] = str(exc).splitlines()[0]


def run_analyses(
    a: Assessment,
    model: CoordinationModel,
    *,
    groups: Any = None,
    targets: pd.DataFrame | None = None,
    spatial_weights: pd.DataFrame | None = None,
    spatial_kind: str | None = None,
    factors: pd.DataFrame | None = None,
    robustness_draws: int = 1000,
    seed: int = 0,
    population: Any = None,
) -> None:
    """Fill ``a.tables`` (and ``a.skipped`` with reasons) from the scores on ``a``.

    Tables: ``coupling`` (C, T, D, grade, level, stage, relative development and lagging
    subsystems), ``pairwise_coupling``, ``obstacles``, ``subsystem_obstacles``,
    ``top_obstacles``, ``inequality``, ``sigma_convergence``, ``beta_convergence``,
    ``kernel_density``, ``synergy_*`` (the four relations), ``robustness`` and
    ``robustness_summary``, ``targets``, ``factors_ols`` and ``factors_tobit`` (influencing
    factors of D, when ``factors`` are given). ``population`` (weights by city, or by city and
    year) weights the inequality measures.
    """
    from coordeval.analysis import convergence, coupling, inequality, robustness, synergy

    conv = a.conventions
    U = a.scores
    names_zh, names_en = _subsystem_names(a)
    n_cities = U.index.get_level_values("city").nunique()
    n_years = U.index.get_level_values("year").nunique()
    fixed = [s.weight for s in a.system.subsystems]
    t_weights = pd.Series(fixed, index=U.columns) if all(w is not None for w in fixed) else None

    # scores beyond [0, 1] on a frozen scale enter C, T, D and the relations clipped
    U_in = U.clip(0.0, 1.0)

    def do_coupling() -> None:
        if U.shape[1] < 2:
            raise _NotApplicable("coupling needs at least two subsystems")
        cc = model.coupling_coordination(U)
        rd = coupling.relative_development(U_in, names_zh=names_zh, names_en=names_en)
        a.tables["coupling"] = cc.join(rd)
        a.tables["pairwise_coupling"] = coupling.pairwise_coupling(U_in, model=conv["coupling"])
        n_rows = int(cc["clipped"].ne("").sum())
        a.notes.append(
            (
                "scores outside [0, 1]",
                "冻结尺度的规则：子系统得分 U 可因数值超出拟合范围而超出 [0, 1]（out_of_range = extend）；"
                "计算 C、T、D 时 U 截断到 [0, 1]，耦合协调表的“截断”列逐行列出被截断的子系统，得分本身"
                f"不变。本次 {n_rows} 个城市-年份被截断。",
                "Frozen-scale rule: a subsystem score U may leave [0, 1] when values lie beyond "
                "the fitted range (out_of_range = extend); C, T and D use U clipped to [0, 1], "
                "the coupling table's 'clipped' column names the clipped subsystems row by row, "
                f"and the scores themselves are kept. Clipped here: {n_rows} city-year(s).",
            )
        )
        zh, en = COUPLING_TEXT[conv["coupling"]]
        a.notes.append(
            (
                "coupling",
                zh
                + "T = Σα_i U_i（"
                + ("指标体系给定权重" if t_weights is not None else "等权 α_i = 1/n")
                + "），D = √(C·T)。"
                + ZERO_TEXT[conv["coupling"] == "fan2024"][0],
                en
                + " T = Σ α_i U_i ("
                + ("system weights" if t_weights is not None else "equal α_i = 1/n")
                + "), D = √(C·T)."
                + ZERO_TEXT[conv["coupling"] == "fan2024"][1],
            )
        )
        a.notes.append(("grades", _grades_zh(conv["grades"]), _grades_en(conv["grades"])))
        a.notes.append(
            (
                "relative development",
                "相对发展度：两个子系统 E = U2/U1（<0.8 U2 滞后，0.8–1.2 同步，>1.2 U1 滞后）；"
                "三个及以上 E_i = U_i/mean(U)，E_i < 0.8 为滞后子系统，类型按最小 E 命名。",
                "Relative development: two subsystems E = U2/U1 (<0.8 U2 lags, 0.8–1.2 synchronous, "
                ">1.2 U1 lags); three or more E_i = U_i/mean(U), lagging when E_i < 0.8, type named "
                "after the lowest E (coordeval's generalisation).",
            )
        )

    def do_obstacles() -> None:
        scaled = conv.get("obstacle_scaled", True)
        Z, members = a.normalized.clip(0.0, 1.0), a.system.membership
        pct = coupling.obstacle_degree(Z, model.weights_, members)
        O = pct if scaled else coupling.obstacle_degree(Z, model.weights_, members, scaled=False)
        a.tables["obstacles"] = O
        # the rankings are the same either way; the summary tables always show percentages
        a.tables["subsystem_obstacles"] = coupling.subsystem_obstacle(pct, members)
        a.tables["top_obstacles"] = coupling.top_obstacles(pct, k=5, membership=members)
        at_top = int((a.normalized.to_numpy() >= 1.0).sum())
        if at_top:
            a.notes.append(
                (
                    "obstacle shares of 0",
                    f"障碍度为 0 的 {at_top} 个单元格：该市该指标处于拟合范围上界（z′ = 1，偏离度为 0）。"
                    "极差标准化下总有一个城市位于上界、一个位于下界，城市少时尤其明显；0 表示“在拟合数据"
                    "中最好”，不表示该指标没有短板。",
                    f"{at_top} obstacle share(s) of exactly 0: the city is at the top of the fitted "
                    "range for that indicator (z′ = 1, deviation 0). Min-max normalisation always "
                    "puts one city at the top and one at the floor, most visibly with few cities; "
                    "0 means 'best in the fit data', not 'no shortfall'.",
                )
            )
        a.notes.append(
            (
                "obstacles",
                "障碍度：因子贡献度 F_j = 全局权重 w_j，偏离度 I_ij = 1 − z′_ij（z′ 截断到 [0,1]），"
                + (
                    "O_ij = F_j I_ij/Σ_j F_j I_ij × 100%；"
                    if scaled
                    else "O_ij = F_j I_ij（未按行归一化，R mathmodels 默认；前五位与子系统障碍度表仍为 %）；"
                )
                + "子系统障碍度为所属指标之和。",
                "Obstacle degree: factor contribution F_j = global weight, deviation I = 1 − z′ (z′ "
                "clipped to [0, 1]), "
                + (
                    "O = 100·F·I/Σ F·I"
                    if scaled
                    else "O = F·I unscaled (R mathmodels' default; the top-5 and subsystem tables stay in %)"
                )
                + "; subsystem obstacle = sum over its indicators.",
            )
        )

    def do_inequality() -> None:
        if n_cities < 2:
            raise _NotApplicable("inequality needs at least two cities")
        cols = U_in.join(a.composite["closeness"].rename("composite"))
        if "coupling" in a.tables:
            cols = cols.join(a.tables["coupling"]["D"])
        alpha = conv.get("theil_alpha", 1.0)
        corrected = conv.get("gini_correction", False) and population is None  # unweighted only
        a.tables["inequality"] = inequality.inequality_by_year(
            cols,
            groups=groups,
            theil_alpha=alpha,
            gini_correction=corrected,
            weights=population,
        )
        if groups is not None:
            a.tables["dagum_pairs"] = inequality.dagum_by_year(cols, groups, weights=population)
            a.tables["group_means"] = _group_means(cols, groups)
        a.notes.append(
            (
                "inequality",
                ("区域差异（按人口加权）：" if population is not None else "区域差异：")
                + "Gini 系数；给定分组时 Dagum (1997) 基尼系数分解 G = G_w + G_nb + G_t；"
                + _theil_names(alpha)[0]
                + "及组内/组间分解。"
                + ("另列小样本修正 Gini n/(n−1)·G。" if corrected else ""),
                ("Inequality (population-weighted): " if population is not None else "Inequality: ")
                + "Gini; with groups, Dagum (1997, Empirical Economics 22) decomposition "
                "G = G_w + G_nb + G_t; "
                + _theil_names(alpha)[1]
                + " with within/between split."
                + (" Also n/(n − 1)·G (bias-corrected)." if corrected else ""),
            )
        )

    def do_convergence() -> None:
        if n_years < 2 or n_cities < 2:
            raise _NotApplicable("convergence needs at least two cities and two years")
        comp = a.composite["closeness"].rename("composite")
        log = conv.get("sigma_log", False)
        bw = conv.get("kde_bw", "silverman")
        a.tables["sigma_convergence"] = convergence.sigma_convergence(
            U.join(comp), trend=n_years >= 3, log=log
        )
        a.tables["kernel_density"] = convergence.kernel_density(comp, bw=bw)
        if n_years >= 3:
            beta = convergence.beta_convergence(comp, fixed_effects=None, cluster="city")
            a.tables["beta_convergence"] = beta.summary()
        else:
            a.skipped["beta_convergence"] = "β convergence needs at least three years"
        a.notes.append(
            (
                "convergence",
                "σ 收敛：各年标准差（总体）与变异系数"
                + ("，及 ln U 的标准差（趋势按其拟合）" if log else "")
                + "；β 收敛：ln(U_t+1/U_t) 对 ln U_t 回归（OLS，"
                "按城市聚类稳健标准误），收敛速度 s = −ln(1+β)/τ，半衰期 ln2/s；核密度：高斯核，"
                f"带宽规则 {bw}。",
                "σ convergence: yearly population SD and CV"
                + (", and the SD of ln U (the trend fitted on it)" if log else "")
                + "; β convergence: ln(U_t+1/U_t) on "
                "ln U_t (OLS, SE clustered by city), speed s = −ln(1+β)/τ, half-life ln 2/s; kernel "
                f"density: Gaussian kernel, bandwidth rule {bw}.",
            )
        )

    def do_synergy() -> None:
        if n_cities < 2:
            raise _NotApplicable("the synergy relations need at least two cities")
        rel = synergy.synergy_relations(
            a.normalized.clip(0.0, 1.0),
            U_in,
            a.system.membership,
            W=spatial_weights,
            w_kind=spatial_kind,
        )
        for key, table in rel.items():
            a.tables[f"synergy_{key}"] = table
        intra = a.tables.get("synergy_intra_homogeneity")
        if intra is not None and len(intra):
            _mark_floor(a, intra)
        a.notes.append(
            (
                "synergy relations",
                "四类协同关系（刘波、邓玲 2021 框架；度量方法为 coordeval 的操作化）：城内同质 = 子系统内"
                "指标的修正耦合度；城内异质 = 子系统间耦合协调度 D；城际同质 = 1 − Gini 与 σ 收敛；"
                "城际异质 = 空间滞后溢出系数矩阵（城市固定效应）。",
                "The four synergy relations (framework of Liu Bo and Deng Ling 2021; the measures are "
                "coordeval's): within-city homogeneous = wang2021 coupling of a subsystem's "
                "indicators; within-city heterogeneous = D across subsystems; cross-city homogeneous "
                "= 1 − Gini and σ convergence; cross-city heterogeneous = spillover matrix of "
                "spatially lagged scores with city fixed effects.",
            )
        )

    def do_robustness() -> None:
        if robustness_draws <= 0:
            raise _NotApplicable("robustness draws set to 0")
        if n_cities < 2:
            raise _NotApplicable("rank robustness needs at least two cities")
        # bound the ranking work (draws × city-years) for national county panels
        draws = min(robustness_draws, max(200, ROBUSTNESS_WORK // len(a.normalized)))
        res = robustness.weight_robustness(
            a.normalized.clip(0.0, 1.0), model.weights_, n_draws=draws, seed=seed
        )
        a.tables["robustness"] = res.ranks
        a.tables["robustness_summary"] = res.summary
        a.notes.append(
            (
                "robustness",
                f"权重稳健性：以拟合权重为中心的 Dirichlet 扰动（集中度 {res.concentration:g}，"
                f"{res.n_draws} 次，种子 {res.seed}），加权和综合得分的排名范围与保持率、与基准排名的 "
                "Spearman 相关。",
                f"Weight robustness: Dirichlet draws centred on the fitted weights (concentration "
                f"{res.concentration:g}, {res.n_draws} draws, seed {res.seed}); weighted-sum "
                "composite rank range, share of draws keeping the base rank, Spearman correlation "
                "with the base ranking.",
            )
        )

    def do_targets() -> None:
        from coordeval.analysis.targets import target_attainment

        if targets is None:
            raise _NotApplicable("no plan targets given")
        a.tables["targets"] = target_attainment(targets)

    def do_factors() -> None:
        from coordeval.analysis.regression import factor_regression, tobit

        if factors is None:
            raise _NotApplicable("no influencing factors given")
        if "coupling" not in a.tables:
            raise _NotApplicable("the factor regressions explain D, which was not computed")
        D = a.tables["coupling"]["D"]
        panel = n_years >= 2 and n_cities >= 2
        ols = factor_regression(
            D,
            factors,
            fixed_effects="city" if panel else None,
            cluster="city" if panel else None,
            missing="drop",
        )
        a.tables["factors_ols"] = ols.table
        rows = ols.fit.model.data.row_labels
        X = factors.loc[rows, list(ols.table["term"].iloc[1:])]
        res = tobit(D.loc[rows], X, left=0.0, right=1.0, disp=0)
        a.tables["factors_tobit"] = pd.DataFrame(
            {
                "term": [str(t) for t in res.params.index],
                "coef": res.params.to_numpy(),
                "se": res.bse.to_numpy(),
                "z": res.tvalues.to_numpy(),
                "p": res.pvalues.to_numpy(),
            }
        )
        fe_zh = "城市固定效应、按城市聚类稳健标准误" if panel else "无固定效应、普通标准误"
        fe_en = "city fixed effects, SE clustered by city" if panel else "no fixed effects, OLS SE"
        a.notes.append(
            (
                "influencing factors",
                f"影响因素：D 对 {', '.join(X.columns)} 的 OLS 回归（{fe_zh}，n = {ols.n}，"
                f"R² = {ols.r2:.3f}）；混合双限 Tobit（左 0、右 1 截断，无固定效应，极大似然标准误，"
                f"对数似然 {res.llf:.3f}），以 statsmodels GenericLikelihoodModel 估计。",
                f"Influencing factors: OLS of D on {', '.join(X.columns)} ({fe_en}, n = {ols.n}, "
                f"R² = {ols.r2:.3f}); pooled two-limit Tobit censored at 0 and 1 (no fixed effects, "
                f"ML standard errors, log-likelihood {res.llf:.3f}) on statsmodels "
                "GenericLikelihoodModel.",
            )
        )

    for name, fn in (
        ("coupling", do_coupling),
        ("obstacles", do_obstacles),
        ("inequality", do_inequality),
        ("convergence", do_convergence),
        ("synergy", do_synergy),
        ("robustness", do_robustness),
        ("targets", do_targets),
        ("factors", do_factors),
    ):
        _attempt(a, name, fn)


def _theil_names(alpha: float) -> tuple[str, str]:
    """Chinese and English name of the GE(α) member reported as Theil."""
    if alpha == 1.0:
        return "Theil 指数（T）", "Theil index (T)"
    if alpha == 0.0:
        return "Theil L 指数（平均对数偏差）", "Theil L (mean log deviation)"
    return f"广义熵指数 GE({alpha:g})", f"generalised entropy GE({alpha:g})"


class _NotApplicable(CoordevalError):
    """The data rule an analysis out (e.g. one year only for convergence)."""


def _grades_zh(scheme: str) -> str:
    if scheme == "spssau":
        return (
            "协调等级（SPSSAU）：U 先区间化到 [0.01, 0.99]，等级 = floor(10·D) + 1，区间 [a, b)。"
        )
    return "协调等级：十级，区间 (a, b]（田深圳等 2021，地理学报 76(4):781，表1）。"


def _grades_en(scheme: str) -> str:
    if scheme == "spssau":
        return (
            "Grades (SPSSAU parity): U rescaled to [0.01, 0.99] first, grade = "
            "floor(10·D) + 1 on [a, b)."
        )
    return "Grades: ten levels on (a, b] (Tian Shenzhen et al. 2021, Acta Geographica Sinica 76(4):781, Table 1)."


def _group_means(cols: pd.DataFrame, groups: Any) -> pd.DataFrame:
    """Mean of every score per named group and year, with the number of cities."""
    mapping = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups))
    city = cols.index.get_level_values("city")
    label = pd.Index(mapping.reindex(city).astype("str").to_numpy(), name="group")
    keys = [label, cols.index.get_level_values("year")]
    means = cols.groupby(keys).mean()
    means.insert(0, "n", cols.groupby(keys).size())
    return means


def _mark_floor(a: Assessment, intra: pd.DataFrame) -> None:
    """Mark exact zeros of the within-city homogeneous relation that come from an indicator at
    the normalisation floor (z′ = 0 makes the product in the wang2021 coupling zero): column
    ``floor_zero`` names the subsystems, and a methods note explains it (zh/en)."""
    Z = a.normalized.reindex(intra.index)
    at_floor = (
        (Z.clip(0.0, 1.0) == 0.0).T.groupby([a.system.membership[i] for i in Z.columns]).any().T
    )
    subs = [c for c in intra.columns if c in at_floor.columns]
    if not subs:
        return
    mask = (intra[subs].to_numpy() == 0.0) & at_floor[subs].to_numpy()
    text = pd.Series("", index=intra.index, dtype="str")
    for j, sub in enumerate(subs):  # a few subsystems; every row at once
        hit = pd.Series(mask[:, j], index=intra.index)
        text = text.mask(hit & text.ne(""), text + "; " + sub).mask(hit & text.eq(""), sub)
    a.tables["synergy_intra_homogeneity"] = intra.assign(floor_zero=text)
    n = int(mask.sum())
    if n:
        a.notes.append(
            (
                "within-city homogeneous zeros",
                f"城内同质关系中 {n} 个恰为 0 的单元格：该市该子系统有指标处于标准化下限（z′ = 0），"
                "修正耦合度的乘积因而为 0（表中“下限0”列标出）；这是尺度造成的结果，不是协同水平。",
                f"{n} cell(s) of the within-city homogeneous relation are exactly 0 because an "
                "indicator of the subsystem sits at the normalisation floor (z′ = 0), which zeroes "
                "the product of the wang2021 coupling (column floor_zero): an artefact of the "
                "scale, not a level of synergy.",
            )
        )
