"""All method text of a report: every formula and convention a run used, with sources (the
methods sheet), and the words of the notes the analyses record as facts
(:func:`render_note`, :func:`method_note_rows`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
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


Text = tuple[str, str]

COUPLING_TEXT: dict[str, Text] = {
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
ZERO_TEXT: tuple[Text, Text] = (
    (
        "某子系统得分为 0（该市在该子系统各指标上均为最低）时乘积为 0，C = 0、D = 0（不作平移，"
        "不返回 NaN），其行数在数据问题表中提示。",
        " A subsystem score of 0 (lowest on every indicator of the subsystem) makes the product "
        "and so C and D zero (no shift is added, never NaN); the number of such rows is given "
        "under data issues.",
    ),
    ("全部得分为 0 时 C = T = D = 0。", " All-zero scores give C = T = D = 0."),
)

#: Notes whose words take no parameters.
FIXED: dict[str, Text] = {
    "relative_development": (
        "相对发展度：两个子系统 E = U2/U1（<0.8 U2 滞后，0.8–1.2 同步，>1.2 U1 滞后）；"
        "三个及以上 E_i = U_i/mean(U)，E_i < 0.8 为滞后子系统，类型按最小 E 命名。",
        "Relative development: two subsystems E = U2/U1 (<0.8 U2 lags, 0.8–1.2 synchronous, "
        ">1.2 U1 lags); three or more E_i = U_i/mean(U), lagging when E_i < 0.8, type named "
        "after the lowest E (coordeval's generalisation).",
    ),
    "synergy": (
        "四类协同关系（刘波、邓玲 2021 框架；度量方法为 coordeval 的操作化）：城内同质 = 子系统内"
        "指标的修正耦合度；城内异质 = 子系统间耦合协调度 D；城际同质 = 1 − Gini 与 σ 收敛；"
        "城际异质 = 空间滞后溢出系数矩阵（城市固定效应）。",
        "The four synergy relations (framework of Liu Bo and Deng Ling 2021; the measures are "
        "coordeval's): within-city homogeneous = wang2021 coupling of a subsystem's "
        "indicators; within-city heterogeneous = D across subsystems; cross-city homogeneous "
        "= 1 − Gini and σ convergence; cross-city heterogeneous = spillover matrix of "
        "spatially lagged scores with city fixed effects.",
    ),
    "geodetector": (
        "地理探测器（王劲峰等 2010；GD/gdverse 约定）：q = 1 − ΣN_hσ_h²/(Nσ²)（总体方差，剔除只有一个"
        "观测的层），p 值来自非中心 F 分布；连续因子按等间距、分位数、自然断点（Fisher–Jenks）、"
        "标准差、几何间隔 × 3–8 类离散化，取 q 最大者（Song et al. 2020）；交互、风险（Welch t 检验）"
        "与生态（F 检验）探测。全部城市-年份合并计算。",
        "GeoDetector (Wang et al. 2010; GD/gdverse conventions): q = 1 − ΣN_hσ_h²/(Nσ²) "
        "(population variances, single-observation strata removed), p from the non-central "
        "F; continuous factors discretised by equal, quantile, natural (Fisher–Jenks), sd "
        "and geometric intervals × 3–8 classes, the largest q kept (Song et al. 2020); "
        "interaction, risk (Welch t) and ecological (F) detectors; all city-years pooled.",
    ),
    "forecast": (
        "预测：GM(1,1)（级比检验不通过时平移，后验差比 C 与小误差概率 P 定级：好 C≤0.35 且 P≥0.95，"
        "合格 ≤0.5/≥0.8，勉强 ≤0.65/≥0.7），序列至少 4 年；全域平均序列不少于 10 年时另给 ARIMA(1,1,0) 含漂移与"
        "Holt 线性趋势指数平滑（statsmodels）。灰色关联：全域平均 D 与各子系统平均得分的年度序列"
        "（均值化），分辨系数 ρ = 0.5。",
        "Forecasts: GM(1,1) (shifted when the level-ratio test fails; graded by the "
        "posterior-error ratio C and small-error probability P: good C≤0.35 & P≥0.95, "
        "qualified ≤0.5/≥0.8, barely ≤0.65/≥0.7), at least 4 years; for the cluster mean with "
        "10 or more years also ARIMA(1,1,0) with drift and Holt's linear trend (statsmodels). "
        "Grey relational grades of the yearly cluster-mean subsystem scores to the mean D "
        "(mean-scaled, ρ = 0.5).",
    ),
}


def _scores_clipped(p: Mapping[str, Any]) -> Text:
    n_rows = p["n_rows"]
    return (
        "冻结尺度的规则：子系统得分 U 可因数值超出拟合范围而超出 [0, 1]（out_of_range = extend）；"
        "计算 C、T、D 时 U 截断到 [0, 1]，耦合协调表的“截断”列逐行列出被截断的子系统，得分本身"
        f"不变。本次 {n_rows} 个城市-年份被截断。",
        "Frozen-scale rule: a subsystem score U may leave [0, 1] when values lie beyond "
        "the fitted range (out_of_range = extend); C, T and D use U clipped to [0, 1], "
        "the coupling table's 'clipped' column names the clipped subsystems row by row, "
        f"and the scores themselves are kept. Clipped here: {n_rows} city-year(s).",
    )


def _coupling(p: Mapping[str, Any]) -> Text:
    zh, en = COUPLING_TEXT[p["model"]]
    zero_zh, zero_en = ZERO_TEXT[p["model"] == "fan2024"]
    fixed = p["system_weights"]
    return (
        zh
        + "T = Σα_i U_i（"
        + ("指标体系给定权重" if fixed else "等权 α_i = 1/n")
        + "），D = √(C·T)。"
        + zero_zh,
        en
        + " T = Σ α_i U_i ("
        + ("system weights" if fixed else "equal α_i = 1/n")
        + "), D = √(C·T)."
        + zero_en,
    )


def _grades(p: Mapping[str, Any]) -> Text:
    if p["scheme"] == "spssau":
        return (
            "协调等级（SPSSAU）：U 先区间化到 [0.01, 0.99]，等级 = floor(10·D) + 1，区间 [a, b)。",
            "Grades (SPSSAU parity): U rescaled to [0.01, 0.99] first, grade = "
            "floor(10·D) + 1 on [a, b).",
        )
    return (
        "协调等级：十级，区间 (a, b]（田深圳等 2021，地理学报 76(4):781，表1）。",
        "Grades: ten levels on (a, b] (Tian Shenzhen et al. 2021, Acta Geographica Sinica "
        "76(4):781, Table 1).",
    )


def _obstacle_zeros(p: Mapping[str, Any]) -> Text:
    n = p["n_cells"]
    return (
        f"障碍度为 0 的 {n} 个单元格：该市该指标处于拟合范围上界（z′ = 1，偏离度为 0）。"
        "极差标准化下总有一个城市位于上界、一个位于下界，城市少时尤其明显；0 表示“在拟合数据"
        "中最好”，不表示该指标没有短板。",
        f"{n} obstacle share(s) of exactly 0: the city is at the top of the fitted "
        "range for that indicator (z′ = 1, deviation 0). Min-max normalisation always "
        "puts one city at the top and one at the floor, most visibly with few cities; "
        "0 means 'best in the fit data', not 'no shortfall'.",
    )


def _obstacles(p: Mapping[str, Any]) -> Text:
    scaled = p["scaled"]
    return (
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


def theil_names(alpha: float) -> Text:
    """Chinese and English name of the GE(α) member reported as Theil."""
    if alpha == 1.0:
        return "Theil 指数（T）", "Theil index (T)"
    if alpha == 0.0:
        return "Theil L 指数（平均对数偏差）", "Theil L (mean log deviation)"
    return f"广义熵指数 GE({alpha:g})", f"generalised entropy GE({alpha:g})"


def _inequality(p: Mapping[str, Any]) -> Text:
    weighted, corrected = p["weighted"], p["corrected"]
    theil_zh, theil_en = theil_names(p["theil_alpha"])
    return (
        ("区域差异（按人口加权）：" if weighted else "区域差异：")
        + "Gini 系数；给定分组时 Dagum (1997) 基尼系数分解 G = G_w + G_nb + G_t；"
        + theil_zh
        + "及组内/组间分解。"
        + ("另列小样本修正 Gini n/(n−1)·G。" if corrected else ""),
        ("Inequality (population-weighted): " if weighted else "Inequality: ")
        + "Gini; with groups, Dagum (1997, Empirical Economics 22) decomposition "
        "G = G_w + G_nb + G_t; "
        + theil_en
        + " with within/between split."
        + (" Also n/(n − 1)·G (bias-corrected)." if corrected else ""),
    )


def _convergence(p: Mapping[str, Any]) -> Text:
    log, bw = p["log"], p["bandwidth"]
    return (
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


def _intra_floor_zeros(p: Mapping[str, Any]) -> Text:
    n = p["n_cells"]
    return (
        f"城内同质关系中 {n} 个恰为 0 的单元格：该市该子系统有指标处于标准化下限（z′ = 0），"
        "修正耦合度的乘积因而为 0（表中“下限0”列标出）；这是尺度造成的结果，不是协同水平。",
        f"{n} cell(s) of the within-city homogeneous relation are exactly 0 because an "
        "indicator of the subsystem sits at the normalisation floor (z′ = 0), which zeroes "
        "the product of the wang2021 coupling (column floor_zero): an artefact of the "
        "scale, not a level of synergy.",
    )


def _robustness(p: Mapping[str, Any]) -> Text:
    conc, n_draws, seed = p["concentration"], p["n_draws"], p["seed"]
    return (
        f"权重稳健性：以拟合权重为中心的 Dirichlet 扰动（集中度 {conc:g}，"
        f"{n_draws} 次，种子 {seed}），加权和综合得分的排名范围与保持率、与基准排名的 "
        "Spearman 相关。",
        f"Weight robustness: Dirichlet draws centred on the fitted weights (concentration "
        f"{conc:g}, {n_draws} draws, seed {seed}); weighted-sum "
        "composite rank range, share of draws keeping the base rank, Spearman correlation "
        "with the base ranking.",
    )


def _factors(p: Mapping[str, Any]) -> Text:
    names, n, r2, llf = ", ".join(p["factors"]), p["n"], p["r2"], p["llf"]
    fe_zh = "城市固定效应、按城市聚类稳健标准误" if p["panel"] else "无固定效应、普通标准误"
    fe_en = "city fixed effects, SE clustered by city" if p["panel"] else "no fixed effects, OLS SE"
    return (
        f"影响因素：D 对 {names} 的 OLS 回归（{fe_zh}，n = {n}，"
        f"R² = {r2:.3f}）；混合双限 Tobit（左 0、右 1 截断，无固定效应，极大似然标准误，"
        f"对数似然 {llf:.3f}），以 statsmodels GenericLikelihoodModel 估计。",
        f"Influencing factors: OLS of D on {names} ({fe_en}, n = {n}, "
        f"R² = {r2:.3f}); pooled two-limit Tobit censored at 0 and 1 (no fixed effects, "
        f"ML standard errors, log-likelihood {llf:.3f}) on statsmodels "
        "GenericLikelihoodModel.",
    )


def _spatial_autocorrelation(p: Mapping[str, Any]) -> Text:
    from coordeval.analysis.spatial import P_VALUE_CONVENTION

    method, perms, seed = p["method"], p["permutations"], p["seed"]
    rs = p["row_standardized"]
    return (
        f"空间权重：{method}{'，行标准化' if rs else ''}。全局 Moran's I = "
        "(n/S0)·zᵀWz/zᵀz，E[I] = −1/(n−1)，正态与随机化方差（Cliff & Ord 1981）；Geary's C；"
        f"局部 Moran（Anselin 1995），条件随机置换 {perms} 次（种子 {seed}），类型按名称"
        "（HH 高-高、LL 低-低、LH 低-高、HL 高-低）；Getis-Ord Gi*（含自身，二值权重自权重 1）。"
        "p 值约定：p_norm 双侧正态；p_sim 为 esda 的单侧折叠伪 p 值 (min(#≥, B−#≥)+1)/(B+1)。",
        f"Spatial weights: {method}{', row-standardised' if rs else ''}. "
        "Global Moran's I = (n/S0)·zᵀWz/zᵀz, E[I] = −1/(n−1), variances under normality and "
        "randomisation (Cliff & Ord 1981); Geary's C; local Moran (Anselin 1995) with "
        f"{perms} conditional permutations (seed {seed}), cluster types by name "
        "(HH, LL, LH, HL); Getis-Ord Gi* (self included; self weight 1 for binary weights). "
        f"{P_VALUE_CONVENTION}.",
    )


def _markov(p: Mapping[str, Any]) -> Text:
    if p["how"] == "grades":
        how = "协调等级"
    elif p["how"] == "cutoffs":
        how = "用户给定界限（" + ", ".join(f"{c:g}" for c in p["cutoffs"]) + "）"
    else:
        how = f"{p['k']} 个分位数类（" + ("全部年份合并" if p["pooled"] else "逐年") + "）"
    return (
        f"马尔可夫链：D 按{how}分类，相邻年份转移计数 F 与概率 P = F/行和；无观测的类标为"
        "“no observations”（不以 0 代替）；稳态分布与平均首达时间（Kemeny & Snell）仅对遍历链给出；"
        "空间马尔可夫链以邻居空间滞后的分位数类为条件（Rey 2001），同质性 LR 与 Q 检验"
        "（Bickenbach & Bode 2003）。",
        f"Markov chains of D ({p['classes']} classes), transition counts F and P = F/row "
        "sums between consecutive years; classes without observations are marked, never "
        "zeros; steady state and mean first passage times (Kemeny & Snell) for ergodic "
        "chains only; spatial Markov conditioned on the quantile class of the neighbours' "
        "lag (Rey 2001), homogeneity LR and Q tests (Bickenbach & Bode 2003).",
    )


def _centre_of_gravity(p: Mapping[str, Any]) -> Text:
    c = p["correction"]
    return (
        "重心：以 D 加权的经纬度平均；移动距离为大圆距离（km），方位角自正北顺时针；标准差椭圆在"
        f"以重心为原点的等距投影（km）中计算，轴长约定 {c}（crimestat: √2·√(n/(n−2))；"
        "arcgis: √2；yuill: 1）。",
        "Centre of gravity: D-weighted mean of lon/lat; shift as great-circle km, azimuth "
        "clockwise from north; standard deviational ellipse in a local equirectangular "
        f"projection (km), axis convention {c} (crimestat √2·√(n/(n−2)), "
        "arcgis √2, yuill 1).",
    )


def _size_structure(p: Mapping[str, Any]) -> Text:
    ind = p["indicator"]
    return (
        f"规模结构（指标 {ind}）：首位度 S2 = P1/P2，S4 = P1/(P2+P3+P4)，"
        "S11 = 2P1/(P2+…+P11)；位序-规模 ln P_r = ln P_1 − q ln r（OLS）；HHI = Σ份额²；修正引力模型 "
        "R_ij = √(P_i G_i)·√(P_j G_j)/d_ij²，高于平均联系强度者为网络连边。",
        f"Size structure (indicator {ind}): primacy S2, S4, S11; rank-size "
        "ln P_r = ln P_1 − q ln r (OLS); HHI of shares; modified gravity R_ij = "
        "√(P_i G_i)·√(P_j G_j)/d_ij², links above the mean strength form the network.",
    )


#: Note key → its words from the note's parameters.
RENDERERS: dict[str, Callable[[Mapping[str, Any]], Text]] = {
    "scores_clipped": _scores_clipped,
    "coupling": _coupling,
    "grades": _grades,
    "obstacle_zeros": _obstacle_zeros,
    "obstacles": _obstacles,
    "inequality": _inequality,
    "convergence": _convergence,
    "intra_floor_zeros": _intra_floor_zeros,
    "robustness": _robustness,
    "factors": _factors,
    "spatial_autocorrelation": _spatial_autocorrelation,
    "markov": _markov,
    "centre_of_gravity": _centre_of_gravity,
    "size_structure": _size_structure,
}


def render_note(key: str, params: Mapping[str, Any]) -> Text:
    """The (中文, English) method text of the note ``key`` with its ``params``.

    Raises
    ------
    KeyError
        When ``key`` is not a known note.
    """
    if key in FIXED:
        return FIXED[key]
    return RENDERERS[key](params)


def method_note_rows(
    notes: Iterable[tuple[str, str, Mapping[str, Any]]],
) -> list[tuple[str, str, str]]:
    """Methods-sheet rows ``(topic, 中文, English)`` of an assessment's notes."""
    return [(topic, *render_note(key, params)) for topic, key, params in notes]
