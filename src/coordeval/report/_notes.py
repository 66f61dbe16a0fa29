"""The words of the analyses' method notes: a note key and its parameters, as the analyses
recorded them (:class:`coordeval.assessment.Note`), rendered in Chinese and English for the
methods sheet. The rest of the method text is in :mod:`coordeval.report.methods`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["method_note_rows", "render_note"]

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
