"""Column and sheet labels of the report, in Chinese and English (one place for every label).

Chinese labels follow the tables reviewers in this field expect (SPSSAU/SPSSPRO wording:
信息熵值e / 信息效用值d / 权重系数w; 正理想解距离D+ / 负理想解距离D- / 相对接近度C / 排序结果;
耦合度C值 / 协调指数T值 / 耦合协调度D值 / 协调等级 / 耦合协调程度).
"""

from __future__ import annotations

COLUMNS: dict[str, tuple[str, str]] = {
    "city": ("城市", "City"),
    "year": ("年份", "Year"),
    "indicator": ("指标", "Indicator"),
    "subsystem": ("子系统", "Subsystem"),
    "name_zh": ("指标名称", "Name (zh)"),
    "name_en": ("英文名称", "Name (en)"),
    "unit": ("单位", "Unit"),
    "direction": ("方向", "Direction"),
    "e": ("信息熵值e", "Entropy e"),
    "d": ("信息效用值d", "Divergence d"),
    "within_weight": ("子系统内权重", "Weight within subsystem"),
    "subsystem_weight": ("子系统权重", "Subsystem weight"),
    "weight": ("权重系数w", "Global weight w"),
    "lo": ("下界", "Lower bound"),
    "hi": ("上界", "Upper bound"),
    "bounds_source": ("界值来源", "Bounds from"),
    "d_plus": ("正理想解距离D+", "Distance to ideal D+"),
    "d_minus": ("负理想解距离D-", "Distance to anti-ideal D-"),
    "closeness": ("相对接近度C", "Closeness C"),
    "rank": ("排序结果", "Rank"),
    "composite": ("综合得分", "Composite"),
    "C": ("耦合度C值", "Coupling C"),
    "T": ("协调指数T值", "Coordination index T"),
    "D": ("耦合协调度D值", "Coupling coordination D"),
    "grade": ("协调等级", "Grade"),
    "level_zh": ("耦合协调程度", "Level (zh)"),
    "level_en": ("耦合协调程度(英)", "Level"),
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
    "id": ("编号", "Id"),
    "aliases": ("别名", "Aliases"),
    "source": ("来源", "Source"),
    "note": ("备注", "Note"),
    "goalposts": ("固定界值", "Goalposts"),
    "stage_en": ("耦合阶段(英)", "Coupling stage"),
    "lagging": ("滞后子系统", "Lagging subsystems"),
    "clipped": ("截断到[0,1]的子系统", "Scores clipped to [0, 1]"),
    "floor_zero": ("下限0（C=D=0 为尺度所致）", "Floor zero (C = D = 0 from the scale)"),
    "leading": ("超前子系统", "Leading subsystems"),
    "lag_type_zh": ("发展类型", "Type (zh)"),
    "lag_type_en": ("发展类型(英)", "Type"),
    "obstacle_pct": ("障碍度(%)", "Obstacle (%)"),
    "score": ("得分项", "Score"),
    "n": ("样本数", "N"),
    "n_units": ("单元数", "Units"),
    "n_cities": ("城市数", "Cities"),
    "mean": ("均值", "Mean"),
    "sd": ("标准差", "SD"),
    "cv": ("变异系数", "CV"),
    "cv_slope": ("CV 趋势斜率", "CV trend slope"),
    "cv_slope_p": ("斜率 p 值", "Slope p-value"),
    "sd_log": ("对数标准差", "SD of ln U"),
    "sd_log_slope": ("对数标准差趋势斜率", "SD(ln U) trend slope"),
    "sd_log_slope_p": ("斜率 p 值", "Slope p-value"),
    "gini_corrected": ("修正基尼系数 n/(n−1)", "Gini × n/(n − 1)"),
    "verdict": ("判断", "Verdict"),
    "gini": ("基尼系数", "Gini"),
    "theil": ("泰尔指数", "Theil"),
    "homogeneity": ("同质性(1−Gini)", "Homogeneity (1 − Gini)"),
    "rho": ("溢出系数ρ", "Spillover ρ"),
    "term": ("变量", "Term"),
    "coef": ("系数", "Coefficient"),
    "se": ("标准误", "SE"),
    "t": ("t 值", "t"),
    "z": ("z 值", "z"),
    "ci_low": ("95%置信下限", "95% CI low"),
    "ci_high": ("95%置信上限", "95% CI high"),
    "p": ("p 值", "p-value"),
    "p_value": ("p 值", "p-value"),
    "r2_within": ("组内R²", "Within R²"),
    "n_clusters": ("聚类数", "Clusters"),
    "lagged_subsystem": ("空间滞后子系统", "Spatially lagged subsystem"),
    "base_rank": ("基准排名", "Base rank"),
    "mean_rank": ("平均排名", "Mean rank"),
    "min_rank": ("最好排名", "Best rank"),
    "max_rank": ("最差排名", "Worst rank"),
    "rank_stability": ("排名保持率", "Rank stability"),
    "score_sd": ("得分标准差", "Score SD"),
    "spearman_mean": ("Spearman 均值", "Spearman mean"),
    "spearman_p05": ("Spearman 5%分位", "Spearman 5th pct."),
    "spearman_min": ("Spearman 最小值", "Spearman min"),
    "rank_stability_mean": ("平均排名保持率", "Mean rank stability"),
    "finding_zh": ("主要发现", "Finding (zh)"),
    "finding_en": ("主要发现(英)", "Finding"),
    "table": ("表", "Table"),
    "rows": ("行数", "Rows"),
}

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


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
