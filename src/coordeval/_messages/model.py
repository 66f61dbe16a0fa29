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
    "fit_too_few_rows": (
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
    # batch scoring (coordeval.batch)
    "input_is_folder": (
        "{path}：这是文件夹而不是数据文件（score_files 会展开文件夹）",
        "{path}: a folder, not a data file (score_files expands folders)",
    ),
    "input_folder_empty": (
        "{path}：该文件夹中没有 .xlsx、.xlsm、.xls 或 .csv 文件",
        "{path}: the folder has no .xlsx, .xlsm, .xls or .csv files",
    ),
    "input_no_match": (
        "{path}：没有数据文件与该模式匹配",
        "{path}: no data file matches the pattern",
    ),
    "input_not_found": ("{path}：文件或文件夹不存在", "{path}: no such file or folder"),
    "caught_warning": ("{category}：{text}", "{category}: {text}"),
    "config_error": ("{text}", "{text}"),
    "batch_out_of_range": (
        "{city} {year}：{indicator} = {value:g} {side_zh}拟合范围 [{lo:g}, {hi:g}]"
        "（超出范围处理：{policy}）",
        "{city} {year}: {indicator} = {value:g} is {side} the fitted range [{lo:g}, {hi:g}] "
        "(out_of_range={policy!r})",
    ),
    "out_of_range_summary": (
        "{n} 个取值超出拟合范围（超出范围处理：{policy}），已按冻结尺度评分，并在 scores.csv 的 "
        "out_of_range 列逐行列出：{parts} —— 加 --verbose 可逐值列出",
        "{n} value(s) outside the fitted range (out_of_range={policy}), scored on the frozen "
        "scale and listed per row in scores.csv (column out_of_range): {parts} — pass "
        "--verbose for one line per value",
    ),
    "scores_clipped": (
        "{n} 个城市-年份的子系统得分超出 [0, 1]（取值超出拟合范围）；计算 C、T、D 时截断到 "
        "[0, 1]（见 scores.csv 的 clipped 列）",
        "{n} city-year(s) have subsystem scores outside [0, 1] (values beyond the fitted "
        "range); C, T and D use them clipped to [0, 1] (column clipped of scores.csv)",
    ),
    "floor_zero_rows": (
        "{n} 个城市-年份有子系统得分恰为 0（处于标准化下限），{model} 模型因此给出 C = D = 0："
        "这是尺度造成的，不代表协调水平（见报告耦合表的 floor_zero 列）",
        "{n} city-year(s) have a subsystem score of exactly 0 (at the normalisation floor), so "
        "the {model} model gives C = D = 0 there: an artefact of the scale, not a coordination "
        "level (column floor_zero of the report's coupling table)",
    ),
    "cities_not_fitted": (
        "{n} 个城市不在拟合数据中，已按拟合尺度评分（如应在其中，请检查名称拼写）：{shown}",
        "{n} city(ies) not in the fit data, scored on the fitted scale (check the spelling if "
        "they should be): {shown}",
    ),
    "rows_kept_from_later": (
        "{input} 的 {n} 个城市-年份也出现在后面的输入 {later} 中，保留后者的行：{shown}",
        "{n} city-year(s) of {input} are also in the later input(s) {later}, whose rows are "
        "kept: {shown}",
    ),
    "report_failed": (
        "{name}：已评分，但报告 {report} 无法写出（{why}）",
        "{name}: scored, but the report {report} could not be written ({why})",
    ),
    # file workflows and obstacle degrees (coordeval.workflow, coordeval.analysis.obstacle)
    "coords_disagree": (
        "--coords 将 {city} 定位在 ({lon:g}, {lat:g})，--cities 则为 "
        "({lon_cities:g}, {lat_cities:g})",
        "--coords places {city} at ({lon:g}, {lat:g}), --cities at ({lon_cities:g}, "
        "{lat_cities:g})",
    ),
    "obstacle_not_a_frame": (
        "O 必须是 obstacle_degree 返回的 DataFrame",
        "O must be a DataFrame from obstacle_degree",
    ),
}
