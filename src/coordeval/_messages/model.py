"""Problem codes of fitting, scoring, coupling and batch scoring (``coordeval.model``,
``coordeval.conventions``, ``coordeval.batch``, ``coordeval.workflow``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "out_of_range": (
        "{city} {year}：取值 {value:g} {side_zh}拟合范围 [{lo:g}, {hi:g}]"
        "（超出范围处理：{policy}）",
        "{city} {year}: value {value:g} is {side} the fitted range [{lo:g}, {hi:g}] "
        "(out_of_range={policy!r})",
    ),
    "zero_subsystem_score": (
        "{n_zero} / {n_rows} 行有子系统得分恰为 0（该子系统各指标均为最低），{model} 模型的乘积使"
        "这些行 C = 0、D = 0；城市较少时，可设定固定界值或改用 fan2024 模型",
        "{n_zero} of {n_rows} rows have a subsystem score of exactly 0 (lowest on every "
        "indicator of that subsystem), so the product in the {model} model makes C = 0 and "
        "D = 0 there; with few cities, fixed goalposts (bounds) or model='fan2024' keep such "
        "rows apart",
    ),
    "classic_coupling_crowded": (
        "经典耦合模型、{n_sub} 个子系统：{share:.0%} 的行耦合度 C > 0.9，C 几乎无区分度；"
        "可考虑 wang2021 模型（王淑佳等 2021）",
        "classic coupling with {n_sub} subsystems: C > 0.9 in {share:.0%} of rows, so C hardly "
        "discriminates; consider model='wang2021' (Wang Shujia et al. 2021)",
    ),
    # fitting and scoring (coordeval.model)
    "indicator_missing": (
        "缺少指标列：{indicator}（{name_zh}）",
        "indicator column missing: {indicator} ({name_zh})",
    ),
    "indicator_not_numeric": ("指标列不是数值", "column is not numeric"),
    "panel_empty": ("面板没有数据行", "the panel has no rows"),
    "value_not_finite": (
        "{row} 处有缺失值或非有限值；请选择缺失值处理方式（missing='drop' 或 "
        "missing='interpolate'）或补齐该值",
        "missing or non-finite value at {row}; choose a missing-value policy "
        "(missing='drop' or missing='interpolate') or fill it",
    ),
    "duplicate_key": (
        "（城市, 年份）{key} 出现不止一次",
        "(city, year) {key} appears more than once",
    ),
    "range_unscalable": (
        "取值从 {lo!r}（{lo_at}）到 {hi!r}（{hi_at}），其极差超出双精度可除的范围；"
        "请换用其他数量级的单位",
        "values from {lo!r} (at {lo_at}) to {hi!r} (at {hi_at}) span a range double "
        "precision cannot divide by; rescale the indicator (a unit of another magnitude)",
    ),
    "score_overflow": (
        "{row} 的得分溢出：其取值远超拟合范围（out_of_range='extend'）；"
        "请检查该值或改用 out_of_range='clip'",
        "the scores of {row} overflow: its values lie too far beyond the fitted bounds "
        "(out_of_range='extend'); check the value or use out_of_range='clip'",
    ),
    "constant_indicator": (
        "指标 {names} 在拟合数据中没有变化：权重为 0",
        "indicator(s) {names} do not vary over the fit data: weight 0",
    ),
    "goalposts_entropy": (
        "取值{side_zh}固定界值 [{lo:g}, {hi:g}]，使 z′ + 平移量为负，熵无定义；"
        "请在指标体系中放宽界值",
        "values {side} the fixed goalposts [{lo:g}, {hi:g}] make z′ + shift negative, where "
        "the entropy is undefined; widen the bounds in the indicator system",
    ),
    "nothing_varies": ("拟合数据中没有任何指标有变化", "no indicator varies over the fit data"),
    "too_few_rows": (
        "{method} 方法拟合至少需要两个城市-年份（现有 {n} 个{plural:.0}）",
        "the {method} method needs at least two city-years to fit (got {n} sample{plural})",
    ),
    "cv_negative": (
        "存在负值：变异系数法需要比率尺度数据（≥ 0）",
        "negative values: the coefficient-of-variation method needs ratio-scale data (≥ 0)",
    ),
    "weights_undefined": ("权重无法计算：{reason}", "{reason}"),
    "critic_subsystem": (
        "子系统 {sub!r}（{name_zh}）：{reason}",
        "subsystem {sub!r} ({name_zh}): {reason}",
    ),
    "subsystem_not_varying": (
        "子系统 {sub!r}（{name_zh}）的指标在拟合数据中均无变化，无法计算其得分",
        "no indicator of subsystem {sub!r} ({name_zh}) varies over the fit data, so its score "
        "is undefined",
    ),
    "value_outside_refused": (
        "{row} 处的取值超出拟合范围 [{lo:g}, {hi:g}]（out_of_range='error'）",
        "value outside the fitted range [{lo:g}, {hi:g}] at {row} (out_of_range='error')",
    ),
    "outside_fitted_range": (
        "{n} 个取值超出拟合范围；超出范围处理：{policy!r}（见 flag_out_of_range）",
        "{n} value(s) lie outside the fitted range; out_of_range={policy!r} "
        "(see flag_out_of_range)",
    ),
    "outside_count_refused": (
        "{n} 个取值超出拟合范围（out_of_range='error'）",
        "{n} value(s) outside the fitted range (out_of_range='error')",
    ),
    # the coupling step (coordeval.model)
    "intervalize_constant": (
        "该列为常数，无法区间化到 [0.01, 0.99]；请对这些数据使用 intervalize=False（或 "
        "grades='ten'）",
        "column is constant, so it cannot be rescaled to [0.01, 0.99]; use intervalize=False "
        "(or grades='ten') for this data",
    ),
    "coupling_too_few": (
        "耦合协调度至少需要 2 列，现有 {n} 列",
        "coupling coordination needs at least 2 columns, got {n}",
    ),
    "scores_empty": (
        "耦合协调度的输入表没有数据行",
        "coupling coordination got a table with no rows",
    ),
    "score_not_numeric": ("得分列不是数值", "column is not numeric"),
    "score_missing": (
        "第 {rows} 行有 {n} 个缺失值或无穷值；耦合协调度需要每个取值",
        "{n} missing or infinite value(s) in rows {rows}; coupling coordination needs every value",
    ),
}
