"""Problem codes of the analyses and the assessment (``coordeval.analysis``,
``coordeval.assessment``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "single_indicator_subsystem": (
        "子系统 {subsystems} 只有一个指标，无法计算其内部耦合度，已略去",
        "subsystem(s) {subsystems} have a single indicator; their within-subsystem coupling "
        "is undefined and left out",
    ),
    # the assessment (coordeval.assessment)
    "cities_not_in_fit": (
        "{n} 个城市不在拟合数据中，按冻结尺度评价（若应在其中，请检查拼写）：{cities}",
        "{n} city(ies) not in the fit data, assessed on the frozen scale "
        "(check the spelling if they should be): {cities}",
    ),
    "city_without_coordinates": (
        "数据中的该城市在坐标表中没有对应行",
        "this city of the data has no row in the coordinates table",
    ),
    "unknown_option_indicator": (
        "{what_zh} {indicator!r} 不是数据中的指标",
        "the {what} {indicator!r} is not an indicator of the data",
    ),
    "extended_weights_need_indicator": (
        "{weights} 权重需要指定权重指标",
        "{weights} weights need a weights indicator",
    ),
    "weights_need_coordinates": (
        "地理-经济嵌套权重需要城市坐标",
        "geo-economic weights need city coordinates",
    ),
    "weights_need_polygons": (
        "{weights} 权重需要城市边界多边形（边界文件）",
        "{weights} weights need city polygons (a boundary file)",
    ),
    # shared checks of the analyses' inputs (coordeval.analysis._inputs, _problems)
    "more_problems": ("……另有 {n} 处", "... and {n} more"),
    "no_values": ("{what}：没有数值", "{what}: no values"),
    "position_not_finite": (
        "第 {position} 个值 {value!r} 缺失或为无穷",
        "position {position}: value {value!r} is missing or infinite",
    ),
    "position_negative": (
        "第 {position} 个值为负数 {value!r}",
        "position {position}: negative value {value!r}",
    ),
    "position_zero_log": (
        "第 {position} 个值为 0（ln 0 无定义）",
        "position {position}: value 0 (ln 0 is undefined)",
    ),
    "all_values_zero": (
        "全部取值为 0（均值为 0）时 {what} 无定义",
        "{what} is undefined when every value is 0 (mean 0)",
    ),
    "values_overflow": (
        "{what}：数值过大，无法以 float64 求平均",
        "{what}: the values are too large to average in float64",
    ),
    "city_without_group": ("城市 {city!r} 不在分组中", "city {city!r} is not in groups"),
    "position_without_group": (
        "第 {position} 个值缺少分组标签",
        "position {position}: group label is missing",
    ),
    "weight_label_repeated": (
        "{label!r} 在权重中出现多次",
        "{label!r} appears more than once in weights",
    ),
    "weight_missing": ("{label!r}：没有权重", "{label!r}: no weight"),
    "weight_not_positive": (
        "{label!r}：权重 {weight!r} 必须为正数",
        "{label!r}: weight {weight!r} must be a positive number",
    ),
    "not_city_year_index": (
        "索引层为 {levels}；应恰为 'city' 与 'year'",
        "index levels are {levels}; expected exactly 'city' and 'year'",
    ),
    "no_scores": ("{rows} 行、{columns} 个得分列", "{rows} rows, {columns} score columns"),
    "score_not_numeric": ("不是数值", "not numeric"),
    "score_infinite": (
        "城市 {city!r}、年份 {year!r}：无穷值",
        "city {city!r}, year {year!r}: infinite value",
    ),
    "score_missing": (
        "城市 {city!r}、年份 {year!r}：缺失值",
        "city {city!r}, year {year!r}: missing value",
    ),
    "score_negative": (
        "城市 {city!r}、年份 {year!r}：负值 {value!r}",
        "city {city!r}, year {year!r}: negative value {value!r}",
    ),
    "missing_scores_left_out": (
        "{what}：{column!r} 中 {n} 个缺失值已略去",
        "{what}: {n} missing value(s) in {column!r} left out",
    ),
    "year_all_zero": ("年份 {year!r}：所有城市得分均为 0", "year {year!r}: every city scores 0"),
    # convergence (coordeval.analysis._sigma, _beta) and inequality by year (_by_year)
    "beta_below_minus_one": (
        "β = {beta:.4g} ≤ −1（每步）：收敛速度 −ln(1+β)/τ 无定义（速度与半衰期记为 NaN）",
        "β = {beta:.4g} ≤ −1 per step: the convergence speed −ln(1+β)/τ is undefined "
        "(speed and half-life reported as NaN)",
    ),
    "score_not_positive": (
        "城市 {city!r}、年份 {year!r}：取值 {value!r}",
        "city {city!r}, year {year!r}: value {value!r}",
    ),
    "too_few_years": ("只有 {n} 年", "only {n} year(s)"),
    "long_difference_cities_left_out": (
        "{what}：{n} 个城市缺少首年或末年，未进入长差分回归：{cities}",
        "{what}: {n} city(ies) lack the first or last year and are left out of the "
        "long-difference regression: {cities}",
    ),
    "years_not_evenly_spaced": ("年份 {years} 间隔不等", "years {years} are not evenly spaced"),
    "control_missing": (
        "城市 {city!r}、年份 {year!r}：控制变量缺失",
        "city {city!r}, year {year!r}: control value missing",
    ),
    "too_few_observations": ("{n} 个观测、{k} 个系数", "{n} observations for {k} coefficients"),
    "years_not_numbers": (
        "年份值（如 {year!r}）不是数字",
        "year values such as {year!r} are not numbers",
    ),
    "mean_not_positive": (
        "年份 {year!r}：平均得分为 {mean!r}",
        "year {year!r}: mean score is {mean!r}",
    ),
    "unbalanced_sigma": (
        "{what}：{column!r} 为非平衡面板：{years} 年的城市少于 {n_cities} 个，"
        "σ 比较的是不同的城市集合",
        "{what}: unbalanced panel for {column!r}: years {years} have fewer than {n_cities} "
        "cities, so σ compares different sets of cities",
    ),
    "log_score_not_positive": (
        "城市 {city!r}、年份 {year!r}：得分 {value!r}",
        "city {city!r}, year {year!r}: score {value!r}",
    ),
    "too_few_years_of_data": ("只有 {n} 年数据", "only {n} year(s) of data"),
    "zero_scores_in_year": (
        "{score!r}，年份 {year!r}：{n} 个得分为 0",
        "{score!r}, year {year!r}: {n} score(s) are 0",
    ),
    # the synergy relations (coordeval.analysis._relations, _spillover, synergy)
    "not_panel_index": (
        "{what} 须以 (city, year) 多级索引，实为 {got}",
        "{what} must be indexed by a (city, year) MultiIndex, got {got}",
    ),
    "duplicated_panel_rows": (
        "{what} 有重复的 (city, year) 行，如 {examples}",
        "{what} has duplicated (city, year) rows, e.g. {examples}",
    ),
    "not_a_dataframe": ("{what} 必须是 pandas DataFrame", "{what} must be a pandas DataFrame"),
    "non_numeric_column": ("{what}：非数值列", "{what}: non-numeric column"),
    "value_outside_unit_interval": (
        "{what}：取值必须有限且在 [0, 1] 内",
        "{what}: value must be finite and in [0, 1]",
    ),
    "value_negative_or_not_finite": (
        "{what}：取值必须有限且非负",
        "{what}: value must be finite and non-negative",
    ),
    "synergy_membership_not_mapping": (
        "membership 必须是指标 id → 子系统 id 的映射",
        "membership must map indicator id → subsystem id",
    ),
    "indicator_without_subsystem": (
        "该指标在 membership 中没有子系统",
        "indicator has no subsystem in membership",
    ),
    "membership_unknown_indicator": (
        "membership 列出的指标不是 Z 的列",
        "membership names an indicator that is not a column of Z",
    ),
    "too_few_subsystems": (
        "子系统间耦合至少需要两个子系统",
        "coupling across subsystems needs at least two subsystems",
    ),
    "subsystem_without_weight": ("该子系统没有权重", "no weight for subsystem"),
    "bad_subsystem_weights": (
        "子系统权重必须非负且不全为 0",
        "subsystem weights must be non-negative, not all zero",
    ),
    "year_all_zero_gini": (
        "年份 {year}：所有城市得分均为 0，Gini 与变异系数无定义",
        "year {year}: every city scores 0; Gini and CV are undefined",
    ),
    "no_weights_or_cities": (
        "请给出权重/距离表或城市列表",
        "give a weight/distance table or the list of cities",
    ),
    "too_few_cities": ("至少需要两个不同的城市", "need at least two distinct cities"),
    "spatial_table_not_square": (
        "空间表必须是方形 DataFrame",
        "the spatial table must be a square DataFrame",
    ),
    "spatial_table_labels": (
        "空间表的行与列须为相同且唯一的城市标签",
        "the spatial table needs the same, unique city labels as rows and columns",
    ),
    "city_not_in_spatial_table": ("空间表中缺少该城市", "city missing from the spatial table"),
    "spatial_table_entries": (
        "空间表的元素必须有限且非负",
        "spatial table entries must be finite and non-negative",
    ),
    "zero_distance": ("两个不同城市间的距离为 0", "zero distance between two different cities"),
    "city_without_neighbour": ("该城市在 W 中没有邻居", "city has no neighbour in W"),
    "w_not_square": (
        "W 必须是方形 DataFrame（城市 × 城市）",
        "W must be a square DataFrame (cities × cities)",
    ),
    "city_not_in_w": ("W 中缺少该城市", "city missing from W"),
    "no_neighbour_in_year": (
        "年份 {year}：该城市的邻居均不在数据中",
        "year {year}: no neighbour of this city is in the data",
    ),
    "spillover_too_few_years": (
        "溢出回归至少需要两年",
        "spillover regressions need at least two years",
    ),
    "few_clusters": (
        "只有 {n} 个城市：聚类数少于 {min_clusters} 时，溢出系数的聚类稳健标准误不可靠",
        "only {n} cities: cluster-robust standard errors of the spillover coefficients are "
        "unreliable with fewer than {min_clusters} clusters",
    ),
    "spillover_not_estimable": ("无法估计溢出效应：{reason}", "{reason}"),
    "z_u_not_frames": ("Z 与 U 必须是 pandas DataFrame", "Z and U must be pandas DataFrames"),
    "z_u_rows_differ": (
        "Z 与 U 必须覆盖相同的 (city, year) 行",
        "Z and U must cover the same (city, year) rows",
    ),
    # centrography, dynamics, forecast, GeoDetector, size structure
    "negative_gravity_weights": (
        "重心的权重不能为负",
        "centre-of-gravity weights must not be negative",
    ),
    "too_few_weighted_cities": (
        "年份 {year}：至少需要 3 个权重为正的城市",
        "year {year}: need at least 3 cities with positive weight",
    ),
    "markov_not_panel": (
        "马尔可夫链需要以 (city, year) 索引的 Series",
        "the Markov chain needs a Series indexed by (city, year)",
    ),
    "markov_too_few_years": ("马尔可夫链至少需要两年", "a Markov chain needs at least two years"),
    "class_code_outside": (
        "类别代码 {code:g} 不在 1..{n} 之中",
        "class code {code:g} is not one of 1..{n}",
    ),
    "city_without_spatial_weights": ("该城市没有空间权重", "city has no spatial weights"),
    "gm11_too_few_years": (
        "GM(1,1) 至少需要 {min_years} 年，实为 {n} 年",
        "GM(1,1) needs at least {min_years} years, got {n}",
    ),
    "level_ratio_failed": ("序列未通过级比检验", "the series fails the level-ratio test"),
    "level_ratio_no_shift": (
        "任何平移都不能使序列通过级比检验",
        "no shift makes the series pass the level-ratio test",
    ),
    "d_not_panel": ("D 必须以 (city, year) 索引", "D must be indexed by (city, year)"),
    "grey_too_few_rows": (
        "灰色关联分析至少需要 2 行对齐的数据",
        "grey relational analysis needs at least 2 aligned rows",
    ),
    "geodetector_too_few_rows": (
        "地理探测器至少需要 5 行完整数据，实为 {n} 行",
        "GeoDetector needs at least 5 complete rows, got {n}",
    ),
    "no_factor": ("未给出因子", "no factor given"),
    "explained_constant": ("被解释变量为常数", "the explained variable is constant"),
    "sizes_not_positive": (
        "位序-规模拟合要求规模为正",
        "sizes must be positive for the rank-size fit",
    ),
    "city_without_gravity_inputs": (
        "该城市没有坐标或经济规模",
        "no coordinates or economic size for this city",
    ),
    "gravity_too_few_cities": (
        "引力网络至少需要 3 个城市",
        "the gravity network needs at least 3 cities",
    ),
    "no_coordinates_for_city": ("该城市没有坐标", "no coordinates for this city"),
    # regression, robustness and spatial statistics
    "regression_value_missing": (
        "回归变量中有缺失值 (NaN)",
        "missing value (NaN) in a regression variable",
    ),
    "y_not_series": ("得分 y 必须是 pandas Series", "the score y must be a pandas Series"),
    "factors_not_frame": (
        "factors 必须是至少有一列的 DataFrame",
        "factors must be a DataFrame with at least one column",
    ),
    "factor_names_clash": (
        "因子名称必须唯一且不同于得分的名称",
        "factor names must be unique and differ from the score's name",
    ),
    "regression_not_numeric": (
        "回归变量不是数值；请把类别编码为虚拟变量列",
        "non-numeric regression variable; encode categories as dummy columns",
    ),
    "index_level_missing": (
        "索引没有 {level!r} 层；请以 (city, year) 索引数据",
        "the index has no level {level!r}; index the data by (city, year)",
    ),
    "regression_rows_dropped": (
        "回归中删去 {n} 行含缺失值的数据",
        "dropped {n} row(s) with missing values from the regression",
    ),
    "factor_collinear": (
        "该因子与截距、固定效应或前面的因子共线（如城市固定效应下在每个城市内不变）",
        "factor is collinear with the intercept, the fixed effects or earlier factors "
        "(e.g. constant within every city under city fixed effects)",
    ),
    "too_few_clusters": (
        "按 {cluster!r} 聚类至少需要两个聚类",
        "clustering by {cluster!r} needs at least two clusters",
    ),
    "few_regression_clusters": (
        "只有 {n} 个聚类（{cluster}）；聚类数少于 {min_clusters} 时聚类稳健标准误不可靠",
        "only {n} clusters ({cluster}); cluster-robust standard errors are unreliable "
        "with fewer than {min_clusters} clusters",
    ),
    "y_x_rows_differ": ("y 有 {n_y} 行，X 有 {n_x} 行", "y has {n_y} rows but X has {n_x}"),
    "score_not_finite": ("得分含缺失值或无穷值", "the score contains missing or infinite values"),
    "factors_not_finite": (
        "因子含缺失值或无穷值",
        "the factors contain missing or infinite values",
    ),
    "outside_tobit_limits": (
        "{n} 个得分超出界限 [{lo}, {hi}]（传入 beyond='censor' 按截取处理）",
        "{n} score value(s) outside the limits [{lo}, {hi}] (pass beyond='censor' to "
        "treat them as censored)",
    ),
    "treated_as_censored": (
        "{n} 个得分超出 [{lo}, {hi}]，按截取处理",
        "{n} score value(s) outside [{lo}, {hi}] treated as censored",
    ),
    "tobit_not_estimable": ("无法拟合 Tobit 模型：{reason}", "{reason}"),
    "tobit_not_converged": ("Tobit 优化未收敛", "the Tobit optimiser did not converge"),
    "z_not_frame": (
        "Z 必须是 pandas DataFrame（行为城市或城市-年份）",
        "Z must be a pandas DataFrame (rows = cities or city-years)",
    ),
    "weights_not_series": (
        "权重必须是以指标 id 为键的 pandas Series",
        "weights must be a pandas Series keyed by indicator id",
    ),
    "level_needs_groups": (
        "level={level!r} 需要分组（指标 → 子系统）",
        "level={level!r} needs groups (indicator → subsystem)",
    ),
    "indicator_without_group": (
        "该指标在 groups 中没有子系统",
        "indicator has no subsystem in groups",
    ),
    "too_few_units_to_rank": (
        "年份 {year}：排名至少需要两个单元",
        "year {year}: at least two units are needed to rank",
    ),
    "equal_base_scores": (
        "年份 {year}：所有单元的基准得分相同",
        "year {year}: every unit has the same base score",
    ),
    "bad_lon_lat": ("经纬度缺失或超出范围", "longitude/latitude missing or out of range"),
    "spatial_too_few_cities": (
        "空间统计至少需要 3 个城市，实为 {n} 个",
        "spatial statistics need at least 3 cities, got {n}",
    ),
    "same_coordinates": (
        "{city_1} 与 {city_2} 坐标相同",
        "{city_1} and {city_2} have the same coordinates",
    ),
    "no_economic_value": ("没有经济距离的取值", "no value for the economic distance"),
    "same_economic_value": (
        "{city_1} 与 {city_2} 取值相同：权重为 1/0",
        "{city_1} and {city_2} have the same value: 1/0 weight",
    ),
    "values_not_panel": ("取值必须以 (city, year) 索引", "values must be indexed by (city, year)"),
    "city_without_weights_row": (
        "该城市没有空间权重（无坐标）",
        "city has no spatial weights (no coordinates)",
    ),
    "no_year_with_three_cities": (
        "没有任何年份有至少 3 个同时具备取值与权重的城市",
        "no year has at least 3 cities with values and weights",
    ),
    # kernel density (coordeval.analysis._kde)
    "kde_one_city": ("年份 {year!r}：{n} 个城市", "year {year!r}: {n} city"),
    "kde_equal_scores": (
        "年份 {year!r}：所有城市得分均为 {value!r}",
        "year {year!r}: every city scores {value!r}",
    ),
}
