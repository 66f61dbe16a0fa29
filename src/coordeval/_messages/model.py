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
    "method_too_few_rows": (
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
    "caught_warning": ("警告 {category}：{text}", "{category}: {text}"),
    "config_error": ("设置错误：{text}", "{text}"),
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
    # conventions (coordeval.conventions)
    "grade_cuts_not_numbers": (
        "等级分界点必须是数值，实为 {cuts}",
        "grade cuts must be numbers, got {cuts}",
    ),
    "grade_cuts_order": (
        "等级分界点必须有限且严格递增，实为 {cuts}",
        "grade cuts must be finite and strictly increasing, got {cuts}",
    ),
    "grade_names_count": (
        "{n_cuts} 个内部分界点需要 {n_levels} 个等级名称，实为 {n_names} 个（只给内部分界点，"
        "例如 10 个等级给 [0.1, …, 0.9]）",
        "{n_cuts} interior cut points need {n_levels} level names, got {n_names} (give only the "
        "interior cuts, e.g. [0.1, …, 0.9] for 10 levels)",
    ),
    "grade_names_en": (
        "{n_levels} 个等级只有 {n_en} 个英文名称",
        "{n_en} English names for {n_levels} levels",
    ),
    "grade_closed": (
        "closed 必须是 'right' 或 'left'，实为 {closed}",
        "closed must be 'right' or 'left', got {closed}",
    ),
    "unknown_convention": (
        "未知的 {name} {value}：可选 {allowed}",
        "unknown {name} {value}: one of {allowed}",
    ),
    "switch_not_bool": (
        "{name} 必须是 True 或 False，实为 {value}",
        "{name} must be True or False, got {value}",
    ),
    "theil_alpha_invalid": (
        "theil_alpha 必须是有限数值，实为 {value}",
        "theil_alpha must be a finite number, got {value}",
    ),
    "kde_bw_invalid": (
        "kde_bw 必须是正数或 {rules} 之一，实为 {value}",
        "kde_bw must be a positive number or one of {rules}, got {value}",
    ),
    "shift_invalid": (
        "shift 必须是非负数，实为 {value}",
        "shift must be a non-negative number, got {value}",
    ),
    # model files, fitting options (coordeval.model)
    "system_required": (
        "CoordinationModel 需要指标体系（文件、名称或对象）",
        "CoordinationModel needs an indicator system (a file, name or object)",
    ),
    "chunks_one_shot": (
        "fit_chunks 要读两遍数据：请传入每次返回新可迭代对象的函数（或列表），而不是一次性迭代器",
        "fit_chunks reads the data twice: pass a function returning a fresh iterable of chunks "
        "(or a list), not a one-shot iterator",
    ),
    "chunks_changed": (
        "两遍读取之间数据块发生了变化（先 {n_first} 行，后 {n_second} 行）",
        "the chunks changed between the passes ({n_first} rows, then {n_second})",
    ),
    "coupling_needs_frame": (
        "耦合计算需要每个子系统得分一列的 DataFrame",
        "coupling needs a DataFrame with one column per subsystem score",
    ),
    "coupling_columns_missing": (
        "耦合计算：得分缺少子系统列 {missing}",
        "coupling: the scores lack the subsystem column(s) {missing}",
    ),
    "subsystem_weights_partial": (
        "请为每个子系统都给出权重，或都不给",
        "give a weight for every subsystem or for none",
    ),
    "critic_needs_memory": (
        "critic_correlation={correlation} 需要数据在内存中（fit）；分块和 Dask 拟合合并的"
        "是协方差（Pearson）",
        "critic_correlation={correlation} needs the data in memory (fit); chunked and Dask "
        "fits merge covariances (Pearson)",
    ),
    "fixed_weights_missing": (
        "weighting='fixed' 需要指标 {missing} 的权重",
        "weighting='fixed' needs a weight for indicator(s) {missing}",
    ),
    "indicator_weights_partial": (
        "subsystems[{sub}]：请为每个指标都给出权重，或都不给",
        "subsystems[{sub}]: give a weight for every indicator or for none",
    ),
    "model_json_constant": (
        "{name}：{token} 不是 JSON 数值；模型只含有限数值",
        "{name}: {token} is not a JSON number; a model holds finite numbers",
    ),
    "model_json_duplicate_key": (
        "{name}：键 {keys} 在同一 JSON 对象中出现两次",
        "{name}: the key(s) {keys} appear twice in one JSON object",
    ),
    "model_too_big": (
        "{name}：{size} 字节超过模型文件的上限（{mb} MB）",
        "{name}: {size} bytes is more than a model file can be ({mb} MB)",
    ),
    "model_json_depth": (
        "{name}：JSON 嵌套 {depth} 层（模型最多 {limit} 层）",
        "{name}: JSON nested {depth} levels deep (a model has at most {limit})",
    ),
    "model_not_utf8": (
        "{name}：不是 coordeval 模型文件（不是 UTF-8 JSON）",
        "{name}: not a coordeval model file (not UTF-8 JSON)",
    ),
    "model_json_invalid": (
        "{name}：不是有效的 JSON（第 {line} 行：{why}）",
        "{name}: not valid JSON ({why} at line {line})",
    ),
    "model_json_too_deep": (
        "{name}：JSON 嵌套过深",
        "{name}: JSON nested too deeply",
    ),
    "model_format": (
        '{origin}：不是 coordeval 模型文件（没有 "format": "{format}"）',
        '{origin}: not a coordeval model file (no "format": "{format}")',
    ),
    "model_schema_version": (
        "{origin}：coordeval {coordeval} 不支持模型格式版本 {version}（支持版本 "
        "{supported}）；请重新拟合",
        "{origin}: model schema version {version} is not supported by coordeval {coordeval} "
        "(it reads version {supported}); refit the model",
    ),
    "model_fields_missing": (
        "{origin}：缺少字段 {missing}",
        "{origin}: missing field(s) {missing}",
    ),
    "model_fields_not_objects": (
        "{origin}：字段 system、params 和 fitted 必须是 JSON 对象",
        "{origin}: the fields system, params and fitted must be JSON objects",
    ),
    "model_system_edited": (
        "{origin}：内嵌指标体系与记录的哈希不符（记录 {recorded}…，内容 {content}…）"
        "{changed}：文件已被修改；请重新拟合，不要手工编辑模型",
        "{origin}: the embedded indicator system does not match its recorded hash (recorded "
        "{recorded}…, content {content}…){changed}: the file was edited; refit instead of "
        "editing a model",
    ),
    "model_fitted_missing": (
        "{origin}：缺少拟合字段 {missing}",
        "{origin}: missing fitted field(s) {missing}",
    ),
    "model_hash_missing": (
        "{origin}：缺少拟合数值的哈希（fitted_sha256），无法发现修改；请重新拟合，不要手工编辑模型",
        "{origin}: the hash of the fitted numbers (fitted_sha256) is missing, so edits cannot "
        "be detected; refit instead of editing a model",
    ),
    "model_fitted_edited": (
        "{origin}：拟合数值与记录的哈希不符{changed}：文件已被修改；请重新拟合，不要手工编辑模型",
        "{origin}: the fitted numbers do not match their recorded hash{changed}: the file was "
        "edited; refit instead of editing a model",
    ),
    "model_checksums": (
        "{origin}：模型文件与记录的校验和不符{changed}：文件已被修改；请重新拟合，不要手工编辑模型",
        "{origin}: the model file does not match its recorded checksums{changed}: the file was "
        "edited; refit instead of editing a model",
    ),
    "model_params_unknown": (
        "{origin}：params 中有未知参数 {unknown}",
        "{origin}: unknown parameter(s) {unknown} in params",
    ),
    "model_params_damaged": (
        "{origin}：params 已损坏（{why}）",
        "{origin}: params are damaged ({why})",
    ),
    "model_fitted_lacks": (
        "{origin}：fitted.{key} 缺少 {absent}",
        "{origin}: fitted.{key} lacks {absent}",
    ),
    "model_fitted_damaged": (
        "{origin}：拟合数值已损坏（{why}）",
        "{origin}: fitted numbers are damaged ({why})",
    ),
    "model_fitted_invalid": (
        "{origin}：拟合数值不是有限值，或权重之和不为 1",
        "{origin}: fitted numbers are not finite or weights do not sum to 1",
    ),
    "model_unreadable": (
        "{path}：无法读取模型文件（{why}）",
        "{path}: cannot read the model file ({why})",
    ),
    # batch, scores history, large panels, CLI options, coupling options
    "scores_folder_locked": (
        "{outdir}：另一个 coordeval 进程正在写这个评分文件夹（锁 {lock}）；已等待 "
        "{wait:g} 秒——请在其完成后重试",
        "{outdir}: another coordeval run is writing this scores folder (lock {lock}); waited "
        "{wait:g} s — try again when it has finished",
    ),
    "scores_folder_unlockable": (
        "{outdir}：无法锁定评分文件夹（{why}）",
        "{outdir}: cannot lock the scores folder ({why})",
    ),
    "jobs_invalid": (
        "jobs 必须是正整数，实为 {jobs}",
        "jobs must be a positive whole number, got {jobs}",
    ),
    "subsystem_id_clash": (
        "子系统编号 {clash} 与 {file} 的列名冲突",
        "subsystem id(s) {clash} clash with columns of {file}",
    ),
    "scores_unreadable": (
        "{path}：无法读取评分历史（{why}）",
        "{path}: cannot read the scores history ({why})",
    ),
    "scores_columns_differ": (
        "{path}：其列 {columns} 不是本模型写出的列 {expected}；它由另一模型写出或被修改过"
        "。请评分到另一文件夹，或移走该文件",
        "{path}: its columns {columns} are not the ones this model writes {expected}; it was "
        "written by another model or edited. Score into another folder, or move the file away",
    ),
    "scores_text_in_numbers": (
        "{path}：列 {columns} 在应为数值处含文本",
        "{path}: column(s) {columns} hold text where numbers belong",
    ),
    "scores_not_history": (
        "{path}：不是 coordeval 评分历史（没有列 {missing}）",
        "{path}: not a coordeval scores history (no column {missing})",
    ),
    "scores_other_model": (
        "{path}：含另一模型的得分（model_sha256 {other}…；本模型为 {this}…）。不同拟合的"
        "得分不可比：请评分到另一文件夹，或移走该文件",
        "{path}: holds scores of another model (model_sha256 {other}…; this model is {this}…). "
        "Scores of different fits are not comparable: score into another folder, or move the "
        "file away",
    ),
    "scores_duplicate_key": (
        "{path}：某个（城市, 年份）出现不止一次；文件被修改过",
        "{path}: lists a (city, year) more than once; it was edited",
    ),
    "scores_unwritable": (
        "{target}：无法写出评分历史（{why}）；原文件（如有）和原报告均未改变",
        "{target}: cannot write the scores history ({why}); the previous file, if any, and the "
        "previous reports are unchanged",
    ),
    "dask_missing": (
        "Dask 引擎需要 Dask：pip install 'coordeval[dask]'",
        "the Dask engine needs Dask: pip install 'coordeval[dask]'",
    ),
    "distributed_missing": (
        "连接 Dask 调度器需要 distributed：pip install 'dask[distributed]'",
        "connecting to a Dask scheduler needs distributed: pip install 'dask[distributed]'",
    ),
    "scheduler_unreachable": (
        "无法连接 {scheduler} 的 Dask 调度器（{why}）",
        "cannot reach the Dask scheduler at {scheduler} ({why})",
    ),
    "interpolate_needs_pandas": (
        "--missing interpolate 需要 --engine pandas（整个城市在内存中）",
        "--missing interpolate needs --engine pandas (whole cities in memory)",
    ),
    "scheduler_needs_dask": (
        "--scheduler 需要 --engine dask",
        "--scheduler needs --engine dask",
    ),
    "engine_needs_parquet": (
        "{name}：大面板的 {engine} 引擎读取 Parquet 文件",
        "{name}: the {engine} engine for large panels reads Parquet files",
    ),
    "model_options_clash": (
        "--model 按已保存模型的约定出报告；不能同时给出 {options}（如需新约定，请用 "
        "coordeval fit 拟合新模型）",
        "--model reports on the saved model's conventions; {options} cannot be given with it "
        "(fit a new model with coordeval fit instead)",
    ),
    "assess_needs_system": (
        "assess 需要 --system（或 --model，已保存的模型）",
        "assess needs --system (or --model, a saved model)",
    ),
    "model_needs_table_data": (
        "--model 适用于 .xlsx 和 .csv 数据",
        "--model applies to .xlsx and .csv data",
    ),
    "side_tables_need_table_data": (
        "--groups、--spatial 和 --factors 适用于 .xlsx 和 .csv 数据",
        "--groups, --spatial and --factors apply to .xlsx and .csv data",
    ),
    "intervalize_bounds": (
        "intervalize 需要 low < high，实为 {low}, {high}",
        "intervalize needs low < high, got {low}, {high}",
    ),
    "unknown_grade_scheme": (
        "未知的等级方案 {value}；可选 {allowed} 或一个 GradeScheme",
        "unknown grade scheme {value}; expected one of {allowed} or a GradeScheme",
    ),
    "relative_thresholds": (
        "阈值须满足 0 < low <= high，实为 {low}, {high}",
        "thresholds must satisfy 0 < low <= high, got {low}, {high}",
    ),
    # file workflows (coordeval.workflow)
    "spatial_kind_invalid": (
        "--spatial-kind 必须是 weights 或 distance，实为 {value}",
        "--spatial-kind must be weights or distance, got {value}",
    ),
    "spatial_kind_needs_spatial": (
        "--spatial-kind 需要 --spatial",
        "--spatial-kind needs --spatial",
    ),
    "ellipse_correction_invalid": (
        "--ellipse-correction 必须是 crimestat、arcgis 或 yuill",
        "--ellipse-correction must be crimestat, arcgis or yuill",
    ),
    "weights_kind_invalid": (
        "--weights 必须是 {allowed} 之一，实为 {value}",
        "--weights must be one of {allowed}, got {value}",
    ),
    "weights_need_geometry": (
        "--weights {kind} 需要 --geometry（边界文件）",
        "--weights {kind} needs --geometry (a boundary file)",
    ),
    "weights_need_indicator": (
        "--weights {kind} 需要 --weights-indicator",
        "--weights {kind} needs --weights-indicator",
    ),
    "markov_cutoffs_invalid": (
        "--markov-cutoffs 必须是逗号分隔的数值，实为 {value}",
        "--markov-cutoffs must be numbers separated by commas, got {value}",
    ),
    "markov_classes_invalid": (
        "--markov-classes 必须是 quantile 或 grades",
        "--markov-classes must be quantile or grades",
    ),
    "plan_years_invalid": (
        "--plan-years 必须是逗号分隔的年份，实为 {value}",
        "--plan-years must be years separated by commas, got {value}",
    ),
    "map_options_need_figures": (
        "{options} 需要图表文件夹（--figures DIR）",
        "{options} need a figures folder (--figures DIR)",
    ),
    "no_scores_history": (
        "{path}：没有评分历史（请先运行 coordeval score）",
        "{path}: no scores history (run coordeval score first)",
    ),
    "scores_history_empty": (
        "{path}：评分历史没有数据行",
        "{path}: the scores history has no rows",
    ),
    "demo_scoring_failed": (
        "监测演示无法为 {path} 评分：{failed}",
        "the monitoring demo could not score {path}: {failed}",
    ),
    # obstacle degrees (coordeval.analysis.obstacle)
    "membership_not_mapping": (
        "membership 必须是“指标 → 子系统”的映射（或 Series）",
        "membership must be a mapping indicator → subsystem (or a Series)",
    ),
    "membership_twice": (
        "指标 {indicator} 同时列在 {first} 和 {second} 之下",
        "indicator {indicator} is listed under both {first} and {second}",
    ),
    "membership_missing": (
        "指标 {missing} 没有给出所属子系统",
        "no subsystem given for indicator(s) {missing}",
    ),
    "obstacle_needs_weights": (
        "障碍度需要指标权重",
        "obstacle degree needs indicator weights",
    ),
    "top_k_invalid": (
        "k 必须是正整数，实为 {k}",
        "k must be a positive integer, got {k}",
    ),
}
