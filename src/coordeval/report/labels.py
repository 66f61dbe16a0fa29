"""Column and sheet labels of the report, in Chinese and English (one place for every label).

Every statistic is named in words in the report language; a symbol is kept only after its name
where the literature uses it (耦合度 C, 协调指数 T, 耦合协调度 D). The TOPSIS closeness is
相对贴近度 (never "C", which is the coupling degree). Chinese columns hold Chinese names.
"""

from __future__ import annotations

from collections.abc import Mapping

from coordeval.errors import ConfigError

COLUMNS: dict[str, tuple[str, str]] = {
    "city": ("城市", "City"),
    "year": ("年份", "Year"),
    "indicator": ("指标", "Indicator"),
    "subsystem": ("子系统", "Subsystem"),
    "name_zh": ("指标名称", "Name (zh)"),
    "name_en": ("英文名称", "Name (en)"),
    "unit": ("单位", "Unit"),
    "direction": ("方向", "Direction"),
    "e": ("信息熵值", "Entropy"),
    "d": ("信息效用值", "Divergence"),
    "within_weight": ("子系统内权重", "Weight within subsystem"),
    "subsystem_weight": ("子系统权重", "Subsystem weight"),
    "weight": ("综合权重", "Overall weight"),
    "lo": ("下界", "Lower bound"),
    "hi": ("上界", "Upper bound"),
    "bounds_source": ("界值来源", "Bounds from"),
    "d_plus": ("与正理想解的距离", "Distance to the ideal"),
    "d_minus": ("与负理想解的距离", "Distance to the anti-ideal"),
    "closeness": ("相对贴近度", "Relative closeness"),
    "rank": ("排名", "Rank"),
    "composite": ("综合得分", "Composite"),
    "C": ("耦合度 C", "Coupling degree C"),
    "T": ("协调指数 T", "Coordination index T"),
    "D": ("耦合协调度 D", "Coupling coordination degree D"),
    "grade": ("协调等级", "Grade"),
    "level_zh": ("协调类型", "Level (Chinese)"),
    "level_en": ("协调类型（英文）", "Level"),
    "stage": ("耦合阶段", "Coupling stage"),
    "severity": ("级别", "Severity"),
    "file": ("文件", "File"),
    "sheet": ("工作表", "Sheet"),
    "cell": ("单元格", "Cell"),
    "column": ("列", "Column"),
    "value": ("值", "Value"),
    "message": ("说明", "Message"),
    "key": ("项目", "Item"),
    "item": ("项目", "Item"),
    "side": ("方向", "Side"),
    "row": ("城市-年份", "City-year"),
    "id": ("指标代码", "Indicator code"),
    "aliases": ("别名", "Aliases"),
    "source": ("来源", "Source"),
    "note": ("备注", "Note"),
    "goalposts": ("固定界值", "Goalposts"),
    "stage_en": ("耦合阶段（英文）", "Coupling stage"),
    "lagging": ("滞后子系统", "Lagging subsystems"),
    "clipped": ("截断到[0,1]的子系统", "Scores clipped to [0, 1]"),
    "floor_zero": ("下限0（C=D=0 为尺度所致）", "Floor zero (C = D = 0 from the scale)"),
    "leading": ("超前子系统", "Leading subsystems"),
    "lag_type_zh": ("发展类型", "Type (Chinese)"),
    "lag_type_en": ("发展类型（英文）", "Type"),
    "obstacle_pct": ("障碍度(%)", "Obstacle (%)"),
    "score": ("得分项", "Score"),
    "n": ("样本数", "Observations"),
    "n_units": ("单元数", "Units"),
    "n_cities": ("城市数", "Cities"),
    "mean": ("均值", "Mean"),
    "sd": ("标准差", "Standard deviation"),
    "cv": ("变异系数", "Coefficient of variation"),
    "cv_slope": ("变异系数趋势斜率", "Trend slope of the coefficient of variation"),
    "cv_slope_p": ("斜率显著性 p 值", "Significance of the slope (p)"),
    "sd_log": ("对数标准差", "Standard deviation of ln U"),
    "sd_log_slope": ("对数标准差趋势斜率", "Trend slope of the standard deviation of ln U"),
    "sd_log_slope_p": ("斜率显著性 p 值", "Significance of the slope (p)"),
    "gini_corrected": ("修正基尼系数 n/(n−1)", "Gini corrected by n/(n − 1)"),
    "verdict": ("判断", "Verdict"),
    "gini": ("基尼系数", "Gini"),
    "theil": ("泰尔指数", "Theil"),
    "homogeneity": ("同质性（1 − 基尼系数）", "Homogeneity (1 − Gini)"),
    "rho": ("溢出系数", "Spillover coefficient"),
    "term": ("变量", "Term"),
    "coef": ("系数", "Coefficient"),
    "se": ("标准误", "Standard error"),
    "t": ("t 统计量", "t statistic"),
    "z": ("z 统计量", "z statistic"),
    "ci_low": ("95%置信下限", "95% CI low"),
    "ci_high": ("95%置信上限", "95% CI high"),
    "p": ("显著性 p 值", "Significance (p)"),
    "p_value": ("显著性 p 值", "Significance (p)"),
    "r2_within": ("组内拟合优度", "Within-city R²"),
    "n_clusters": ("聚类数", "Clusters"),
    "lagged_subsystem": ("空间滞后子系统", "Spatially lagged subsystem"),
    "base_rank": ("基准排名", "Base rank"),
    "mean_rank": ("平均排名", "Mean rank"),
    "min_rank": ("最好排名", "Best rank"),
    "max_rank": ("最差排名", "Worst rank"),
    "rank_stability": ("排名保持率", "Rank stability"),
    "score_sd": ("得分标准差", "Standard deviation of the score"),
    "spearman_mean": ("排名相关系数均值", "Mean rank correlation"),
    "spearman_p05": ("排名相关系数 5% 分位", "Rank correlation, 5th percentile"),
    "spearman_min": ("排名相关系数最小值", "Lowest rank correlation"),
    "rank_stability_mean": ("平均排名保持率", "Mean rank stability"),
    "finding_zh": ("主要发现", "Finding (Chinese)"),
    "finding_en": ("主要发现(英)", "Finding"),
    "table": ("表", "Table"),
    "rows": ("行数", "Rows"),
    "r2": ("拟合优度 R²", "R²"),
    "value_label": ("数值", "Value"),
    "level": ("协调类型", "Level"),
    "count": ("城市-年份数", "City-years"),
    "share": ("占比", "Share"),
    "finding": ("主要发现", "Finding"),
    "topic": ("内容", "Topic"),
    "text": ("说明", "Description"),
    "x": ("取值", "Value"),
    "density": ("核密度", "Kernel density"),
    "bandwidth": ("带宽", "Bandwidth"),
    "indicator_name": ("指标", "Indicator"),
    # spatial, dynamics, centrography and forecast tables
    "variable": ("变量", "Variable"),
    "I": ("Moran's I", "Moran's I"),
    "EI": ("期望值 E[I]", "Expected I"),
    "z_norm": ("z 值（正态）", "z (normality)"),
    "p_norm": ("p 值（正态）", "p (normality)"),
    "z_rand": ("z 值（随机化）", "z (randomisation)"),
    "p_rand": ("p 值（随机化）", "p (randomisation)"),
    "z_sim": ("z 值（置换）", "z (permutation)"),
    "p_sim": ("伪 p 值（置换）", "Pseudo p (permutation)"),
    "geary_C": ("Geary's C", "Geary's C"),
    "geary_z": ("Geary z 值", "Geary z"),
    "geary_p_norm": ("Geary p 值（正态）", "Geary p (normality)"),
    "geary_p_sim": ("Geary 伪 p 值（置换）", "Geary pseudo p (permutation)"),
    "Ii": ("局部 Moran's Ii", "Local Moran's Ii"),
    "lag": ("空间滞后", "Spatial lag"),
    "quadrant": ("象限", "Quadrant"),
    "cluster": ("集聚类型", "Cluster type"),
    "band": ("冷热点等级", "Hot/cold spot band"),
    "cities": ("城市数", "Cities"),
    "links": ("连接数", "Links"),
    "islands": ("孤岛", "Islands"),
    "neighbours_min": ("最少邻居数", "Fewest neighbours"),
    "neighbours_mean": ("平均邻居数", "Mean neighbours"),
    "neighbours_max": ("最多邻居数", "Most neighbours"),
    "row_standardized": ("行标准化", "Row-standardised"),
    "symmetric": ("对称", "Symmetric"),
    "method": ("方法", "Method"),
    "class": ("类别", "Class"),
    "lower": ("下限", "Lower bound"),
    "upper": ("上限", "Upper bound"),
    "observations": ("观测数", "Observations"),
    "from": ("期初类别", "From class"),
    "status": ("状态", "Status"),
    "steady_state": ("稳态概率", "Steady-state probability"),
    "neighbours": ("邻域类别", "Neighbours' class"),
    "up": ("上移", "Up"),
    "stay": ("不变", "Stay"),
    "down": ("下移", "Down"),
    "test": ("检验", "Test"),
    "statistic": ("统计量", "Statistic"),
    "dof": ("自由度", "Degrees of freedom"),
    "lon": ("经度", "Longitude"),
    "lat": ("纬度", "Latitude"),
    "shift_km": ("移动距离（km）", "Shift (km)"),
    "azimuth_deg": ("方位角（°）", "Azimuth (°)"),
    "major_km": ("长半轴（km）", "Major semi-axis (km)"),
    "minor_km": ("短半轴（km）", "Minor semi-axis (km)"),
    "rotation_deg": ("旋转角（°）", "Rotation (°)"),
    "area_km2": ("面积（km²）", "Area (km²)"),
    "flattening": ("扁率", "Flattening"),
    "correction": ("轴长约定", "Axis convention"),
    "a": ("发展系数 a", "Development coefficient a"),
    "b": ("灰色作用量 b", "Grey input b"),
    "shift": ("平移量", "Shift"),
    "level_ratio_passed": ("级比检验通过", "Level-ratio test passed"),
    "posterior_error_ratio": ("后验差比 C", "Posterior-error ratio C"),
    "small_error_probability": ("小误差概率 P", "Small-error probability P"),
    "accuracy": ("精度等级", "Accuracy grade"),
    "mape_pct": ("平均相对误差（%）", "Mean relative error (%)"),
    "years": ("年数", "Years"),
    "factor": ("因子", "Factor"),
    "relational_grade": ("灰色关联度", "Grey relational grade"),
}

#: Sheet names (Chinese → English); ``lang="both"`` keeps the Chinese name.
SHEETS: dict[str, str] = {
    "摘要": "Summary",
    "运行信息": "Run information",
    "方法": "Methods",
    "指标体系": "Indicator system",
    "原始数据": "Data",
    "数据问题": "Data issues",
    "权重": "Weights",
    "子系统得分": "Subsystem scores",
    "综合评价": "Composite",
    "耦合协调": "Coupling coordination",
    "障碍度": "Obstacles",
    "区域差异": "Inequality",
    "目标达成": "Targets",
    "协同关系": "Synergy",
    "影响因素": "Factors",
    "趋势": "Trends",
    "图表": "Figures",
    "空间自相关": "Spatial autocorrelation",
    "动态演进": "Distribution dynamics",
    "地理探测器": "GeoDetector",
    "重心与椭圆": "Centre of gravity",
    "预测": "Forecast",
    "规模结构": "Size structure",
    "逐年变化": "Year-on-year change",
    "等级转移": "Grade transitions",
    "城市进退": "Improvers and decliners",
    "新增滞后": "Newly lagging",
}

#: Words for values that appear in item, term, score and verdict columns.
VALUES: dict[str, tuple[str, str]] = {
    "composite": ("综合评价（相对贴近度）", "Composite (relative closeness)"),
    "D": ("耦合协调度 D", "Coupling coordination degree D"),
    "beta": ("收敛系数 β", "Convergence coefficient β"),
    "se": ("标准误", "Standard error"),
    "t": ("t 统计量", "t statistic"),
    "p_value": ("显著性 p 值", "Significance (p)"),
    "ci_low": ("95% 置信区间下限", "95% confidence interval, lower"),
    "ci_high": ("95% 置信区间上限", "95% confidence interval, upper"),
    "n": ("样本数", "Observations"),
    "n_cities": ("城市数", "Cities"),
    "r2": ("拟合优度 R²", "R²"),
    "tau": ("时间跨度（年）", "Time span (years)"),
    "speed": ("收敛速度", "Speed of convergence"),
    "half_life": ("半衰期（年）", "Half-life (years)"),
    "kind": ("收敛类型", "Kind"),
    "period": ("时期", "Period"),
    "fixed_effects": ("固定效应", "Fixed effects"),
    "cov_type": ("标准误类型", "Standard errors"),
    "verdict": ("判断", "Verdict"),
    "absolute": ("绝对收敛", "absolute"),
    "conditional": ("条件收敛", "conditional"),
    "annual": ("逐年", "annual"),
    "none": ("无", "none"),
    "cluster": ("按城市聚类稳健", "clustered by city"),
    "nonrobust": ("普通", "ordinary"),
    "city": ("城市", "city"),
    "σ-convergence": ("σ 收敛（差距缩小）", "σ-convergence (gap narrowing)"),
    "σ-divergence": ("σ 发散（差距扩大）", "σ-divergence (gap widening)"),
    "no significant trend": ("无显著趋势", "no significant trend"),
    "β-convergence": ("β 收敛（落后城市增长更快）", "β-convergence (laggards grow faster)"),
    "β-divergence": ("β 发散（领先城市增长更快）", "β-divergence (leaders grow faster)"),
    "no significant β-convergence": ("无显著 β 收敛", "no significant β-convergence"),
    "Intercept": ("常数项", "Intercept"),
    "const": ("常数项", "Intercept"),
    "log_sigma": ("误差标准差的对数", "Log of the error standard deviation"),
    "G_w": ("组内差异贡献", "Within-group contribution"),
    "G_nb": ("组间净差异贡献", "Net between-group contribution"),
    "G_t": ("超变密度贡献", "Transvariation contribution"),
    "T_b": ("泰尔指数组间部分", "Theil, between groups"),
    "T_w": ("泰尔指数组内部分", "Theil, within groups"),
    "gini": ("基尼系数", "Gini coefficient"),
    "theil": ("泰尔指数", "Theil index"),
    "above": ("高于", "above"),
    "below": ("低于", "below"),
    "fitted": ("拟合数据", "fitted"),
    "fixed": ("指标体系给定", "fixed"),
    "+": ("正向", "benefit (+)"),
    "-": ("负向", "cost (−)"),
    "fit": ("拟合数据", "fit data"),
    "long": ("长表（城市、年份、指标、数值）", "long"),
    "wide": ("宽表（每个指标一列）", "wide"),
    "matrix": ("权重乘入矩阵", "matrix"),
    "distance": ("权重在距离中", "distance"),
    "1/ln(n), n = number of fit city-years (pooled panel entropy)": (
        "1/ln(n)，n 为拟合期城市-年份数（面板熵值法）",
        "1/ln(n), n = number of fit city-years (pooled panel entropy)",
    ),
    "system": ("指标体系给定", "system"),
}

#: Reasons an analysis was not run (English text as recorded → 中文).
SKIPPED_ZH: dict[str, str] = {
    "coupling needs at least two subsystems": "耦合协调至少需要两个子系统",
    "inequality needs at least two cities": "区域差异至少需要两个城市",
    "convergence needs at least two cities and two years": "收敛分析至少需要两个城市、两个年份",
    "β convergence needs at least three years": "β 收敛至少需要三个年份",
    "the synergy relations need at least two cities": "协同关系至少需要两个城市",
    "spillover regressions need at least two years": "空间溢出回归至少需要两个年份",
    "robustness draws set to 0": "稳健性抽样次数设为 0",
    "rank robustness needs at least two cities": "排名稳健性至少需要两个城市",
    "no plan targets given": "未提供规划目标",
    "no influencing factors given": "未提供影响因素",
    "the factor regressions explain D, which was not computed": "影响因素回归解释 D，而 D 未计算",
}

#: Units written in English in indicator systems, in Chinese.
UNITS_ZH: dict[str, str] = {"not stated": "未注明", "index": "指数", "persons": "人"}

#: Columns whose text values are words to translate (see :data:`VALUES`).
VALUE_COLUMNS = {
    "item",
    "term",
    "score",
    "verdict",
    "kind",
    "side",
    "direction",
    "bounds_source",
    "subsystem",
    "lagged_subsystem",
}

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


#: Report languages.
LANGS = ("zh", "en", "both")


def check_lang_value(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else a :class:`~coordeval.errors.ConfigError`
    (a ``ValueError``) naming the choices."""
    if lang not in LANGS:
        choices = ", ".join(LANGS)
        raise ConfigError(
            f"lang must be one of {choices}; got {lang!r}",
            "report_lang",
            {"choices": choices, "value": repr(lang)},
        )
    return lang


#: English words for the parts of Chinese units (longest first when replacing).
UNITS_EN: dict[str, str] = {
    "平方公里": "km²",
    "亿美元": "100 million USD",
    "万美元": "10,000 USD",
    "亿元": "100 million yuan",
    "万元": "10,000 yuan",
    "万人": "10,000 persons",
    "万吨": "10,000 t",
    "万件": "10,000 items",
    "公里": "km",
    "千米": "km",
    "美元": "USD",
    "个": "units",
    "元": "yuan",
    "人": "persons",
    "件": "items",
    "项": "items",
    "条": "routes",
    "所": "institutions",
    "家": "firms",
    "吨": "t",
    "次": "times",
    "张": "beds",
    "辆": "vehicles",
    "户": "households",
    "座": "facilities",
    "年": "years",
    "岁": "years",
}


def unit_label(unit: str, lang: str) -> str:
    """A unit in ``lang``: Chinese units worded in English for ``"en"`` (``亿元`` → ``100
    million yuan``, ``元/人`` → ``yuan/persons``); unchanged otherwise."""
    if lang != "en" or not unit:
        return UNITS_ZH.get(unit.strip(), unit) if lang == "zh" else unit
    out = unit
    for zh in sorted(UNITS_EN, key=len, reverse=True):
        out = out.replace(zh, f" {UNITS_EN[zh]} ")
    return " ".join(out.split()).replace(" /", "/").replace("/ ", "/")


def sheet_name(zh: str, lang: str) -> str:
    """The sheet tab name in ``lang`` (Chinese for ``"zh"`` and ``"both"``)."""
    return SHEETS.get(zh, zh) if lang == "en" else zh


def pick(zh: str, en: str, lang: str, sep: str = " / ") -> str:
    """``zh`` or ``en`` for ``lang``; both joined by ``sep`` for ``"both"``."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return zh if zh == en else f"{zh}{sep}{en}"


def value_label(
    value: object, lang: str, names: Mapping[str, tuple[str, str]] | None = None
) -> object:
    """The words for a value of an item/term/score column (subsystem ids by their names);
    any other value unchanged."""
    if not isinstance(value, str):
        return value
    pair = (names or {}).get(value) or VALUES.get(value)
    if pair is None:
        return value
    return pick(pair[0], pair[1], lang)


def column_label(
    key: str, lang: str, subsystem_names: dict[str, tuple[str, str]] | None = None
) -> str:
    """Header text of a column in ``lang`` (``"zh"``, ``"en"`` or ``"both"``)."""
    zh, en = (
        COLUMNS.get(key, (None, None))
        if key not in (subsystem_names or {})
        else (
            subsystem_names[key]  # type: ignore[index]
        )
    )
    if zh is None:
        return key
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return zh if zh == en else f"{zh}\n{en}"
