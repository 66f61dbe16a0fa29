"""Problem codes of the boundary validator (``coordeval._validation``) and the error contract:
tables, finiteness, signs, weights, directions, choices and the panel index."""

#: Chinese names of the analyses a validator message names (``what`` → ``what_zh``).
WHAT_ZH: dict[str, str] = {
    "X": "X",
    "Z": "Z",
    "normalize": "标准化",
    "topsis": "TOPSIS",
    "the entropy method": "熵值法",
    "entropy weights": "熵权法",
    "CRITIC": "CRITIC 法",
    "standard-deviation weights": "标准离差法",
    "the CV method": "变异系数法",
    "AHP": "层次分析法",
    "coupling coordination": "耦合协调度",
    "relative development": "相对发展度",
    "pairwise coupling": "两两耦合",
    "obstacle degree": "障碍度",
    "intervalize": "区间化",
    "columns": "列",
    "subsystems": "子系统",
    "indicators": "指标",
}

MESSAGES: dict[str, tuple[str, str]] = {
    "not_a_table": (
        "输入应为表格（行 × 列），实际为 {ndim} 维",
        "expected a table (rows × columns), got {ndim} dimensions",
    ),
    "column_not_numeric": ("该列不是数值", "column is not numeric"),
    "duplicate_column": ("列名重复", "duplicate column"),
    "too_few_columns": (
        "{what_zh}至少需要 {minimum} 列，实际为 {n_columns} 列",
        "{what} needs at least {minimum} columns, got {n_columns}",
    ),
    "no_rows": ("{what_zh}的输入表没有数据行", "{what} got a table with no rows"),
    "too_few_rows": (
        "{what_zh}至少需要 {minimum} 行，实际为 {n_rows} 行",
        "{what} needs at least {minimum} rows, got {n_rows}",
    ),
    "missing_values": (
        "{n} 个缺失值或无穷值（行 {rows}）；{what_zh}需要全部取值",
        "{n} missing or infinite value(s) in rows {rows}; {what} needs every value",
    ),
    "negative_values": (
        "{n} 个负值（行 {rows}）；{what_zh}需要非负值（可先标准化，如极差标准化加平移）",
        "{n} negative value(s) in rows {rows}; {what} needs non-negative values (normalise "
        "first, e.g. min-max with a shift)",
    ),
    "outside_unit_interval": (
        "{n} 个取值超出 [0, 1]（行 {rows}）；{what_zh}需要标准化后的得分（传入 on_invalid='clip'"
        " 可截断；已拟合模型的得分请用 model.coupling(scores)，它逐行截断并标记）",
        "{n} value(s) outside [0, 1] in rows {rows}; {what} expects normalised scores (pass "
        "on_invalid='clip' to clip them; for the scores of a fitted model use "
        "model.coupling(scores), which clips and flags them per row)",
    ),
    "values_clipped": (
        "{what_zh}：已将 {n} 个超出 [0, 1] 的单元格截断到该区间",
        "{what}: clipped {n} cell(s) outside [0, 1] to the interval",
    ),
    "distances_overflow": (
        "这些原始值的距离 D+、D- 超出双精度范围（约 1.8e308）；请先标准化矩阵"
        "（normalize='vector' 或 'minmax'）",
        "the distances D+ and D- of these raw values exceed the double range (about 1.8e308); "
        "normalise the matrix (normalize='vector' or 'minmax')",
    ),
    "duplicate_panel_key": (
        "（城市, 年份）重复：{city} {year} 出现 {count} 次",
        "duplicate (city, year): {city} {year} appears {count} times",
    ),
    "panel_index": (
        "面板应以（城市, 年份）为行索引，实际索引层为 {levels}",
        "a panel needs the row index (city, year), got index level(s) {levels}",
    ),
    "unknown_choice": (
        "未知的 {name} 取值 {value}；可选：{allowed}",
        "unknown {name} {value}; expected one of {allowed}",
    ),
    "weights_missing": ("缺少 {missing} 的权重", "no weight for {missing}"),
    "weights_unknown": ("权重含未知的{what_zh} {extra}", "weights for unknown {what} {extra}"),
    "weights_misaligned": (
        "缺少 {missing} 的权重；权重含未知的{what_zh} {extra}",
        "no weight for {missing}; weights for unknown {what} {extra}",
    ),
    "weights_count": (
        "给出 {n_weights} 个权重，但有 {n_columns} 个{what_zh}",
        "{n_weights} weights given for {n_columns} {what}",
    ),
    "weights_not_numbers": (
        "权重应为数值，实际为 {weights}",
        "weights must be numbers, got {weights}",
    ),
    "weights_invalid": (
        "权重应为有限的非负数，实际为 {weights}",
        "weights must be finite and non-negative, got {weights}",
    ),
    "weights_all_zero": ("权重不能全为 0", "weights must not all be zero"),
    "directions_missing": ("缺少列 {missing} 的方向", "no direction given for column(s) {missing}"),
    "directions_count": (
        "给出 {n_directions} 个方向，但有 {n_columns} 列",
        "{n_directions} directions for {n_columns} columns",
    ),
    "directions_invalid": (
        "方向应为 '+'/'-' 或 +1/-1，实际为 {bad}",
        "directions must be '+'/'-' or +1/-1, got {bad}",
    ),
    "constant_indicator_weight": (
        "指标 {names} 没有变化：不含信息，权重为 0",
        "indicator(s) {names} do not vary: they carry no information and get weight 0",
    ),
    "ahp_inconsistent": (
        "AHP 一致性比率 CR = {cr:.3f} > 0.1（随机一致性指标 {ri_table}）：请修改两两比较判断",
        "AHP consistency ratio CR = {cr:.3f} > 0.1 (random index {ri_table}): revise the "
        "pairwise judgements",
    ),
    "random_index_invalid": (
        "random_index 的数值应为有限的非负数",
        "random_index numbers must be finite and non-negative",
    ),
    "random_index_too_short": (
        "AHP 随机一致性指标 {name!r} 仅适用于 n ≤ {known}，实际 n = {n}",
        "AHP random index {name!r} is known for n ≤ {known}, got {n}",
    ),
    "random_index_not_positive": (
        "随机一致性指标 {name!r} 在 n = {n} 时应为正数，实际为 {ri}",
        "random index {name!r} for n = {n} must be positive, got {ri}",
    ),
    "pairwise_not_square": (
        "两两比较矩阵应为方阵，实际形状为 {shape}",
        "pairwise matrix must be square, got shape {shape}",
    ),
    "pairwise_positive": ("两两比较值应为正数", "pairwise comparisons must be positive numbers"),
    "pairwise_reciprocal": (
        "两两比较矩阵应互为倒数（a_ji = 1/a_ij，a_ii = 1）",
        "pairwise matrix must be reciprocal (a_ji = 1/a_ij, a_ii = 1)",
    ),
    "combine_too_few": (
        "combine_weights 至少需要两个权重向量",
        "combine_weights needs at least two weight vectors",
    ),
    "combine_misaligned": ("各权重向量的指标不一致", "weight vectors cover different indicators"),
    "combined_weights_zero": (
        "组合权重全为 0：没有指标在每个向量中都有正权重（乘法合成需要共同的支撑）",
        "the combined weights are all zero: no indicator has a positive weight in every vector "
        "(multiplicative synthesis needs a common support)",
    ),
}
