"""The methods sheet: every formula and convention a run actually used, with sources."""

from __future__ import annotations

from typing import Any

WEIGHTING_TEXT = {
    "entropy": (
        "熵值法：p_ij = y_ij/Σy，e_j = −k Σ p_ij ln p_ij（0·ln0 = 0），k = 1/ln(n)，n 为拟合期全部"
        "城市-年份观测数（面板熵值法）；d_j = 1 − e_j，子系统内权重 w_j|r = d_j/Σ_{j∈r} d_j；子系统"
        "权重 W_r = Σ_{j∈r} d_j/Σ d_j（指标体系给定时用给定值）。",
        "Entropy method: p_ij = y_ij/Σy, e_j = −k Σ p ln p (0·ln 0 = 0), k = 1/ln(n) with n the "
        "number of fit city-years (pooled panel entropy); d = 1 − e; within-subsystem weights "
        "d_j/Σ_r d; subsystem weights Σ_r d/Σ d unless fixed in the system. Sources: SPSSAU "
        "help 'Entropy method'; Yang Li and Sun Zhichun (2015), Economic Problems.",
    ),
    "critic": (
        "CRITIC 法：C_j = σ_j Σ_k (1 − r_jk)，σ 为样本标准差，"
        "r 为 Pearson 相关系数；子系统内单独计算。",
        "CRITIC: C_j = σ_j Σ_k (1 − r_jk) (sample SD, Pearson r), computed within each "
        "subsystem; subsystem weights from the CRITIC weights over all indicators. Source: "
        "Diakoulaki et al. (1995), Computers & Operations Research 22(7).",
    ),
    "cv": (
        "变异系数法：v_j = σ_j/|μ_j|（原始数据，样本标准差），w = v/Σv。",
        "Coefficient of variation: v_j = σ_j/|μ_j| on raw data (sample SD), w = v/Σv.",
    ),
    "sd": (
        "标准离差法：w_j = σ_j/Σσ，σ 为极差标准化值 z′ 的标准差；子系统内单独计算"
        "（同 pymcdm standard_deviation_weights、scikit-criteria StdWeighter）。",
        "Standard-deviation weights: w_j = σ_j/Σσ of the min-max values z′, within each "
        "subsystem (as pymcdm standard_deviation_weights, scikit-criteria StdWeighter).",
    ),
    "equal": ("等权：子系统内等权，子系统等权。", "Equal weights within and across subsystems."),
    "fixed": ("指标体系给定的固定权重。", "Fixed weights given in the indicator system."),
}


#: Source of every named convention a user can choose (module docstrings give the formulas).
CONVENTION_SOURCES: dict[str, tuple[str, str]] = {
    "ahp.saaty1980": ("AHP 随机一致性指标 RI：Saaty (1980)", "AHP random index: Saaty (1980)"),
    "ahp.saaty2005": (
        "AHP RI：Saaty (2005) Theory and Applications of the ANP, p.31（AHPy 'saaty'）",
        "AHP RI: Saaty (2005), Theory and Applications of the ANP, p. 31 (AHPy 'saaty')",
    ),
    "ahp.donegan_dodd": (
        "AHP RI：Donegan & Dodd (1991) Math. Comput. Modelling 15(10)（AHPy 默认 'dd'）",
        "AHP RI: Donegan & Dodd (1991), Math. Comput. Modelling 15(10) (AHPy's default 'dd')",
    ),
    "ahp.tummala_ling": (
        "AHP RI：Tummala & Ling (1998) Theory and Decision 44(3)（pymcdm）",
        "AHP RI: Tummala & Ling (1998), Theory and Decision 44(3) (pymcdm)",
    ),
    "vector.hwang_yoon": (
        "向量归一化 x/‖x‖，成本型指标以列最小值为理想点（Hwang & Yoon 1981；0.1.0 之后的默认）",
        "Vector normalisation x/‖x‖, cost columns' ideal = column minimum (Hwang & Yoon 1981; "
        "the default after 0.1.0)",
    ),
    "vector.one_minus": (
        "成本型 1 − x/‖x‖（pymcdm、pyrepo-mcda）",
        "Cost columns 1 − x/‖x‖ (pymcdm, pyrepo-mcda)",
    ),
    "vector.reverse": (
        "成本型 (max − x)/‖max − x‖（coordeval ≤ 0.1.0 的默认）",
        "Cost columns (max − x)/‖max − x‖ (coordeval ≤ 0.1.0's default)",
    ),
    "zscore.ddof1": ("Z 分数：样本标准差（SPSS、R scale）", "z-score: sample SD (SPSS, R scale)"),
    "zscore.ddof0": (
        "Z 分数：总体标准差（scikit-learn、scikit-criteria）",
        "z-score: population SD (scikit-learn, scikit-criteria)",
    ),
    "critic.pearson": ("CRITIC：Pearson 相关（原文）", "CRITIC: Pearson correlation (the paper)"),
    "critic.spearman": (
        "CRITIC：Spearman 秩相关（scikit-criteria）",
        "CRITIC: Spearman rank correlation (scikit-criteria)",
    ),
    "critic.kendall": (
        "CRITIC：Kendall τ-b（scikit-criteria）",
        "CRITIC: Kendall's τ-b (scikit-criteria)",
    ),
    "obstacle.scaled": ("障碍度按行归一化为 %（论文通行）", "Obstacle degree in % per row"),
    "obstacle.unscaled": (
        "障碍度不归一化 w·(1 − z′)（R mathmodels 默认）",
        "Obstacle degree unscaled w·(1 − z′) (R mathmodels' default)",
    ),
    "gini.corrected": (
        "小样本修正基尼系数 n/(n−1)·G（R ineq::Gini(corr = TRUE)）",
        "Bias-corrected Gini n/(n − 1)·G (R ineq::Gini(corr = TRUE))",
    ),
    "inequality.weights": (
        "人口（或其他）加权的 Gini、Theil 与 Dagum 分解（R mathmodels gini/theil_g）",
        "Population-weighted Gini, Theil and Dagum decomposition (R mathmodels gini/theil_g)",
    ),
    "sigma.log": (
        "σ 收敛按 ln U 的标准差（Barro & Sala-i-Martin 1992）",
        "σ convergence on the SD of ln U (Barro & Sala-i-Martin 1992)",
    ),
    "kde.silverman": (
        "核密度带宽 0.9·min(s, IQR/1.349)·n^(−1/5)（statsmodels）",
        "KDE bandwidth 0.9·min(s, IQR/1.349)·n^(−1/5) (statsmodels)",
    ),
    "kde.nrd0": (
        "核密度带宽 0.9·min(s, IQR/1.34)·n^(−1/5)（R density 默认 bw.nrd0）",
        "KDE bandwidth 0.9·min(s, IQR/1.34)·n^(−1/5) (R density's default bw.nrd0)",
    ),
    "tobit.censor": (
        "Tobit：超出上下限的值按截取处理（R AER::tobit、censReg）",
        "Tobit: values beyond the limits treated as censored (R AER::tobit, censReg)",
    ),
}


def ahp_row(result: Any) -> tuple[str, str, str]:
    """Methods-sheet row for an :class:`~coordeval.AHPResult`: CR with the random-index table
    it used and that table's source (append it to ``Assessment.notes``)."""
    name = result.ri_table
    zh, en = CONVENTION_SOURCES.get(f"ahp.{name}", ("用户给定 RI", "user-given RI"))
    return (
        "AHP",
        f"层次分析法：CR = CI/RI = {result.cr:.4f}，RI = {result.ri:g}（{zh}）；CR ≤ 0.1 为一致。",
        f"AHP: CR = CI/RI = {result.cr:.4f}, RI = {result.ri:g} ({en}); consistent when CR ≤ 0.1.",
    )


def convention_rows(conv: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Rows for the peer-tool conventions in ``conv`` (keys of
    :data:`coordeval.conventions.ANALYSIS_DEFAULTS`), each with its source."""
    rows = []
    if conv.get("weighting") == "critic":
        zh, en = CONVENTION_SOURCES[f"critic.{conv.get('critic_correlation', 'pearson')}"]
        rows.append(("CRITIC correlation", zh, en))
    scaled = conv.get("obstacle_scaled", True)
    rows.append(("obstacle scale", *CONVENTION_SOURCES[f"obstacle.{'un' * (not scaled)}scaled"]))
    alpha = float(conv.get("theil_alpha", 1.0))
    rows.append(
        (
            "Theil / GE",
            f"泰尔指数族 GE(α)，α = {alpha:g}（1 为 Theil T，0 为 Theil L 平均对数偏差；Shorrocks 1980）",
            f"Generalised entropy GE(α), α = {alpha:g} (1 Theil T, 0 Theil L mean log deviation; "
            "Shorrocks 1980)",
        )
    )
    if conv.get("gini_correction"):
        rows.append(("Gini correction", *CONVENTION_SOURCES["gini.corrected"]))
    if conv.get("sigma_log"):
        rows.append(("σ on logs", *CONVENTION_SOURCES["sigma.log"]))
    bw = conv.get("kde_bw", "silverman")
    zh, en = CONVENTION_SOURCES.get(
        f"kde.{bw}", (f"核密度带宽规则 {bw}", f"KDE bandwidth rule {bw}")
    )
    rows.append(("KDE bandwidth", zh, en))
    return rows


def methods_rows(
    conv: dict[str, Any], extra: list[tuple[str, str, str]] | None = None
) -> list[tuple[str, str, str]]:
    """Rows ``(topic, 中文说明, English)`` describing the conventions in ``conv``."""
    shift = conv["shift"]
    rows = [
        ("preset", f"预设：{conv['preset']}", f"Preset: {conv['preset']}"),
        (
            "normalisation",
            "极差标准化：正向 z′ = (x − lo)/(hi − lo)，负向 z′ = (hi − x)/(hi − lo)；"
            "lo、hi 为拟合期全部城市-年份的最小、最大值"
            "（指标体系给定固定界值时用界值），故各年份可比。常数指标 z′ = 0。",
            "Min-max: benefit z′ = (x − lo)/(hi − lo), cost z′ = (hi − x)/(hi − lo); lo and hi "
            "are the extremes over all fit city-years (or the system's fixed goalposts), so years "
            "are comparable. A constant indicator gets z′ = 0.",
        ),
        (
            "shift",
            f"非负平移：熵值计算中 z′ + {shift:g}（避免 ln 0）；得分使用未平移的 z′。",
            f"Shift: z′ + {shift:g} in the entropy step only (avoids ln 0); scores use the "
            "unshifted z′.",
        ),
        ("weighting", *WEIGHTING_TEXT[conv["weighting"]]),
        (
            "subsystem score",
            "子系统得分：U_r = Σ_{j∈r} w_j|r · z′_j ∈ [0, 1]（加权求和）。"
            if conv["scoring"] == "weighted_sum"
            else "子系统得分：子系统内 TOPSIS 相对接近度。",
            "Subsystem score: U_r = Σ_{j∈r} w_j|r · z′_j in [0, 1] (weighted sum)."
            if conv["scoring"] == "weighted_sum"
            else "Subsystem score: TOPSIS closeness on the subsystem's indicators.",
        ),
        (
            "composite",
            "综合评价（TOPSIS）：全局权重 w_j = W_r · w_j|r；"
            + (
                "加权矩阵 v = w·z′（权重在矩阵中），"
                if conv["topsis_weights_in"] == "matrix"
                else "权重在距离中 D = √Σ w (z′ − z*)²，"
            )
            + "正理想解 z′ = 1、负理想解 z′ = 0（拟合界值），C = D−/(D+ + D−)，排序按年份；"
            "超出拟合界值的值越过理想点（或负理想点）的部分不计距离（D+ 取 max(1 − z′, 0)，"
            "D− 取 max(z′, 0)），故指标改善不会降低综合得分。",
            "Composite (TOPSIS, Hwang & Yoon 1981): global weights w_j = W_r·w_j|r; "
            + (
                "weights multiplied into the matrix, "
                if conv["topsis_weights_in"] == "matrix"
                else "weights inside the distance, "
            )
            + "ideal z′ = 1 and anti-ideal z′ = 0 (fitted bounds), C = D−/(D+ + D−); ranks "
            "within each year (1 = best). A value beyond the fitted bounds adds no distance "
            "past the point it has passed (D+ uses max(1 − z′, 0), D− uses max(z′, 0)), so an "
            "improving indicator never lowers the composite.",
        ),
        (
            "out of range",
            f"超出拟合范围的值：{conv['out_of_range']}"
            "（extend 线性外推，clip 截断到 [0,1]，error 报错），均在数据问题表中列出。",
            f"Values outside the fitted bounds: {conv['out_of_range']} (extend keeps the linear "
            "scale, clip clips to [0, 1], error refuses); every one is listed under data issues.",
        ),
    ]
    rows.extend(convention_rows(conv))
    rows.extend(extra or [])
    return rows


def caveat_rows(a: Any) -> list[tuple[str, str, str]]:
    """Rows ``(topic, 中文, English)`` of the plain-language caveats that apply to ``a``
    (factor regressions, spillover coefficients); the same texts stand under the tables."""
    rows = []
    if "factors_ols" in a.tables:
        rows.append(("caveat: factors", *factors_caveat()))
    if "synergy_inter_heterogeneity" in a.tables:
        rows.append(("caveat: spillover", *spillover_caveat(a)))
    return rows


#: Topic words of the methods sheet (keys of methods_rows, analysis notes, skipped analyses).
TOPICS: dict[str, tuple[str, str]] = {
    "preset": ("预设", "Preset"),
    "normalisation": ("标准化", "Normalisation"),
    "shift": ("平移", "Shift"),
    "weighting": ("赋权", "Weighting"),
    "subsystem score": ("子系统得分", "Subsystem score"),
    "composite": ("综合评价", "Composite"),
    "out of range": ("超出拟合范围", "Out of range"),
    "coupling": ("耦合协调", "Coupling coordination"),
    "grades": ("协调等级", "Grades"),
    "relative development": ("相对发展度", "Relative development"),
    "obstacles": ("障碍度", "Obstacle degree"),
    "inequality": ("区域差异", "Inequality"),
    "convergence": ("收敛", "Convergence"),
    "synergy": ("协同关系", "Synergy relations"),
    "synergy relations": ("协同关系", "Synergy relations"),
    "robustness": ("稳健性", "Robustness"),
    "targets": ("目标达成", "Targets"),
    "factors": ("影响因素", "Influencing factors"),
    "influencing factors": ("影响因素", "Influencing factors"),
    "caveat: factors": ("注意：影响因素", "Caveat: factors"),
    "beta_convergence": ("β 收敛", "β convergence"),
    "dagum": ("Dagum 分解", "Dagum decomposition"),
    "caveat: spillover": ("注意：空间溢出", "Caveat: spillover"),
    "scores outside [0, 1]": ("超出 [0, 1] 的子系统得分", "Scores outside [0, 1]"),
    "obstacle shares of 0": ("障碍度为 0 的单元格", "Obstacle shares of 0"),
    "within-city homogeneous zeros": ("城内同质关系中的 0", "Within-city homogeneous zeros"),
    "spatial autocorrelation": ("空间自相关", "Spatial autocorrelation"),
    "Markov chains": ("马尔可夫链", "Markov chains"),
    "GeoDetector": ("地理探测器", "GeoDetector"),
    "centre of gravity": ("重心与标准差椭圆", "Centre of gravity"),
    "forecast": ("预测", "Forecast"),
    "size structure": ("规模结构", "Size structure"),
    "CRITIC correlation": ("CRITIC 相关系数", "CRITIC correlation"),
    "obstacle scale": ("障碍度尺度", "Obstacle scale"),
    "Gini correction": ("基尼系数修正", "Gini correction"),
    "σ on logs": ("对数 σ 收敛", "σ on logs"),
    "KDE bandwidth": ("核密度带宽", "Kernel density bandwidth"),
}


SYNERGY_TITLES: dict[str, tuple[str, str]] = {
    "synergy_intra_homogeneity": (
        "① 城内同质：子系统内各指标的耦合度",
        "① Within a city, within a subsystem: coupling of its indicators",
    ),
    "synergy_intra_heterogeneity": (
        "② 城内异质：子系统之间的耦合协调",
        "② Within a city, across subsystems: coupling coordination",
    ),
    "synergy_inter_homogeneity": (
        "③ 城际同质：同一子系统在城市之间的差异",
        "③ Across cities, same subsystem: differences between cities",
    ),
    "synergy_inter_heterogeneity": (
        "④ 城际异质：邻近城市之间的空间溢出系数",
        "④ Across cities, across subsystems: spillover coefficients",
    ),
}


def spillover_caveat(a: Any) -> tuple[str, str]:
    """Plain-language caveat of the spillover block (中文, English)."""
    uniform = a.meta.get("spatial_weights") in (None, "", "uniform")
    zh = (
        "注意：溢出系数衡量一个城市的子系统得分与其他城市得分的同步程度。未给出空间权重时"
        "（或各城市权重相同时），“其他城市”就是全部城市的平均水平，它与共同的时间趋势几乎相同，"
        "因此几乎每个系数都会“显著”——这反映的是所有城市一起变化，而不是城市之间真的相互带动。"
        "要判断相邻城市之间的溢出，请用 --spatial 给出邻接或距离表。"
    )
    en = (
        "Caveat: a spillover coefficient measures how closely a city's subsystem score moves "
        "with the scores of the other cities. Without spatial weights (or with equal weights) "
        "'the other cities' are simply the average of all cities, which is almost the common "
        "time trend, so nearly every coefficient comes out 'significant': all cities move "
        "together, which is not evidence that neighbours pull each other along. Give an "
        "adjacency or distance table with --spatial to measure spillovers between neighbours."
    )
    if not uniform:
        zh = zh.replace("未给出空间权重时（或各城市权重相同时）", "若各城市权重相同")
        en = en.replace("Without spatial weights (or with equal weights)", "With equal weights")
    return zh, en


def factors_caveat() -> tuple[str, str]:
    """Plain-language caveat of the factor regressions (中文, English)."""
    return (
        "注意：两种回归回答的问题不同。第一种含城市固定效应，只比较同一城市在不同年份的变化"
        "（“某城市的因素上升时，它的 D 是否随之上升”）；Tobit 回归把所有城市-年份混在一起，"
        "比较的是城市之间的差异（“因素高的城市 D 是否更高”）。两者的系数符号和显著性因此可能"
        "不同，并不矛盾。表中的拟合优度是含城市虚拟变量的最小二乘拟合优度，主要由城市之间的"
        "固有差异贡献，不代表所列因素的解释力。回归只说明相关，不说明因果。",
        "Caveat: the two regressions answer different questions. The first includes city fixed "
        "effects and compares each city with itself over the years ('when a factor rises in a "
        "city, does its D rise?'); the Tobit regression pools all city-years and compares "
        "cities with each other ('do cities with more of the factor have a higher D?'). Their "
        "signs and significance can therefore differ without contradiction. The R² shown is "
        "that of the least-squares fit with city dummies, so most of it comes from the fixed "
        "differences between cities, not from the factors listed. A regression shows "
        "association, not cause.",
    )
