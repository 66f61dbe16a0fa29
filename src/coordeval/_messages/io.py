"""Problem codes of reading and validating user files (``coordeval.io``, the system sheet).

The codes of opening and decoding files are in :mod:`coordeval._messages._io_files`; this
module holds the codes of the tables read (header, rows, values, units, missing values, side
tables, plan targets) and merges both."""

from __future__ import annotations

from coordeval._messages import _io_files

_TABLES: dict[str, tuple[str, str]] = {
    "row_dropped": (
        "{city} {year} 已剔除：{labels} 无可用数值（{n} 个）",
        "city-year {city} {year} dropped: no usable value for {labels} ({n} value(s))",
    ),
    "footnote_row": (
        "脚注行：表格到此行之上为止",
        "footnote row: the table ends above it",
    ),
    "unknown_column": (
        "列“{column}”不是指标体系中的指标，未读取{hint_zh}",
        "column {column!r} is not an indicator of the system; it is not read{hint_en}",
    ),
    "qualifier": (
        "{label}：读作 {value}；年鉴标注为{qualifier_zh}",
        "{label}: read as {value}; the yearbook marks it as {qualifier_en}",
    ),
    "unknown_indicator": (
        "指标“{indicator}”不在指标体系中，其 {n} 行未读取{hint_zh}",
        "indicator {indicator!r} is not in the system; its {n} row(s) are not read{hint_en}",
    ),
    "merged_keys": (
        "合并单元格 {span}：其值按所跨的每一行读取",
        "merged cells {span}: the value is read in each of their rows",
    ),
    "rows_below_footnote": (
        "{at} 处脚注下方还有 {n} 行非空内容，未读取",
        "{n} non-empty row(s) below the footnote at {at} are not read",
    ),
    "city_error_value": (
        "应填城市名称处为公式错误值（如 #N/A、#DIV/0!）：请在 Excel 中修正公式，或直接录入",
        (
            "where a city name is expected: an error value of a formula (such as #N/A or "
            "#DIV/0!): correct the formula in Excel or type the number"
        ),
    ),
    "city_formula_no_value": (
        (
            "应填城市名称处为没有已缓存计算结果的公式：请在 Excel "
            "中打开并保存该文件（使公式重新计算），或直接录入"
        ),
        (
            "where a city name is expected: formula without a cached value: open and save the "
            "file in Excel (which calculates it), or type the number"
        ),
    ),
    "city_control_character": (
        "城市名称中含有控制字符（如 U+0007 等不可见字符），请重新录入名称",
        (
            "the city name holds a control character (an invisible character such as U+0007); "
            "retype the name"
        ),
    ),
    "total_row": (
        "合计或小计行，不是城市：已剔除",
        "a total or subtotal row, not a city: left out",
    ),
    "city_blank": (
        "城市名称为空，但该行有数据",
        "city is blank but the row has values",
    ),
    "year_unreadable": (
        "年份列：{error_zh}",
        "{error}",
    ),
    "duplicate_city_year": (
        "城市-年份（{label}）重复，分别位于 {first} 和 {second}；仅读取第一处",
        "duplicate city-year ({label}) in {first} and {second}; only the first is read",
    ),
    "duplicate_city_year_indicator": (
        "城市-年份-指标（{label}）重复，分别位于 {first} 和 {second}；仅读取第一处",
        ("duplicate city-year-indicator ({label}) in {first} and {second}; only the first is read"),
    ),
    "csv_row_too_long": (
        (
            "该行有 {n} 个字段，而表头只有 {width} 个：未加引号的千位分隔符或小数逗号（如 1,234 "
            "或 0,25）会把一个数拆成两个，使其后各值错位；请给此类数值加引号，或去掉其中的逗号"
        ),
        (
            "the row has {n} fields but the header has {width}: an unquoted thousands separator "
            "or decimal comma (such as 1,234 or 0,25) splits a number in two and shifts the "
            "values after it; quote such numbers or write them without the comma"
        ),
    ),
    "column_unheaded": (
        "该列有数据但没有表头，未读取",
        "column has values but no header; it is not read",
    ),
    "column_under_merged_header": (
        (
            "该列数据位于跨多列合并的表头 {header} 之下，无法确定哪一列是指标。请取消表头单元格合"
            "并，并为每一列单独填写表头"
        ),
        (
            "column has values under the header {header}, which is merged across several "
            "columns: which column is the indicator? Unmerge the header cells and give each "
            "column its own header"
        ),
    ),
    "decimal_comma_column": (
        "该列以逗号作小数点（{first} 不是千位分隔符）：列中 {n} 个含逗号的数按小数点读取",
        (
            "the column writes decimals with a comma ({first} is not a thousands separator): its "
            "{n} comma number(s) are read with a decimal point"
        ),
    ),
    "decimal_comma_ambiguous": (
        "该列既有小数逗号又有千位分隔符，此数含义不明；请用小数点表示小数，且不用千位分隔符",
        (
            "the column has both decimal commas and thousands separators, so this number is "
            "ambiguous; write decimals with a point and no thousands separators"
        ),
    ),
    "header_ambiguous": (
        "表头可对应多个指标：{ids}",
        "header matches several indicators: {ids}",
    ),
    "indicator_column_twice": (
        "指标 {indicator} 出现第二列（第一列在 {first}）；请只保留一列",
        "a second column for indicator {indicator} (the first is {first}); keep one",
    ),
    "units_row_differs": (
        ("表头给出 {indicator} 的单位为 {header_unit!r}，单位行给出 {row_unit!r}；以表头单位为准"),
        (
            "the header gives unit {header_unit!r} for {indicator} but the units row gives "
            "{row_unit!r}; the header's unit is kept"
        ),
    ),
    "long_extra_column": (
        "该列不属于长表格式（城市、年份、指标、数值、单位），未读取",
        (
            "column is not part of the long layout (city, year, indicator, value, unit); it is "
            "not read"
        ),
    ),
    "indicator_blank": (
        "指标名称为空",
        "indicator is blank",
    ),
    "indicator_name_ambiguous": (
        "指标名称可对应多个指标：{ids}",
        "indicator name matches several indicators: {ids}",
    ),
    "long_unit_differs": (
        "单位 {unit!r} 与上文为 {indicator} 给出的 {kept!r} 不一致；以 {kept!r} 为准",
        "unit {unit!r} differs from {kept!r} given for {indicator} above; {kept!r} is kept",
    ),
    "value_unreadable": (
        "指标 {label}：{error_zh}",
        "{label}: {error}",
    ),
    "percent_sign_unit": (
        "{label}：数值带 %，但指标体系中的单位为 '{unit}'；按原样读取数值",
        (
            "{label}: written with % but the system's unit is '{unit}'; the number is kept as "
            "printed"
        ),
    ),
    "magnitude_in_unit": (
        "{label}：读作 {value}，但单位 '{unit}' 已含数量级（万、亿等）；请按该单位填写数值",
        (
            "{label}: read as {value} but the unit '{unit}' already has a magnitude word; write "
            "the number in that unit"
        ),
    ),
    "unit_differs": (
        (
            "{indicator}（{name}）：文件中的单位为 {given!r}，而指标体系要求 "
            "{expected!r}；请核对数值是否以 {expected!r} 计"
        ),
        (
            "{indicator} ({name}): the file gives unit {given!r} but the system expects "
            "{expected!r}; check that the values are in {expected!r}"
        ),
    ),
    "indicators_absent_wide": (
        (
            "指标体系 {system!r} 中有 {n} 个指标在文件中没有对应列：{listed}{unknown_zh}；请以指"
            "标代码、中文名或英文名作为列标题，或在指标体系中将该表头添加为别名（表头行：{where_z"
            "h}）"
        ),
        (
            "no column for {n} indicator(s) of the system {system!r}: {listed}{unknown_en}; "
            "write each indicator's id, Chinese or English name as its header, or add the header "
            "as an alias in the system (header row: {where})"
        ),
    ),
    "indicators_absent_long": (
        (
            "指标体系 {system!r} 中有 {n} 个指标在文件中没有对应行：{listed}{unknown_zh}；请在指"
            "标列填写指标代码、中文名或英文名，或在指标体系中将该名称添加为别名（表头行：{where_z"
            "h}）"
        ),
        (
            "no row for {n} indicator(s) of the system {system!r}: {listed}{unknown_en}; write "
            "each indicator's id, Chinese or English name in the indicator column, or add the "
            "header as an alias in the system (header row: {where})"
        ),
    ),
    "key_column_twice": (
        "有 {n} 列都可作为{key_zh}列（{refs}）；请只保留一列",
        "{n} columns could be the {key} column ({refs}); keep one",
    ),
    "header_rows": (
        (
            "表头占第 {top}–{bottom} 行：各列以最下方的非空单元格为表头（指标名称上方的分组标题不"
            "读取）"
        ),
        (
            "the header spans rows {top}–{bottom}: each column's header is its lowest filled "
            "cell (group headings above the indicator names are not read)"
        ),
    ),
    "no_data_rows": (
        "表头下方没有数据行",
        "no data rows below the header",
    ),
    "indicator_empty": (
        (
            "{label} 在全部 {n} 个城市-年份中均无数值：该列为空或仅有“—”等占位符；请补录数据，或"
            "从指标体系中删除该指标"
        ),
        (
            "{label} has no value in any of the {n} city-years: the column is empty or holds "
            "only placeholders such as '—'; fill it in, or remove the indicator from the system"
        ),
    ),
    "value_absent": (
        (
            "{place} 缺少 {label} 的数值：文件中没有对应的行；请补录，或以 "
            "missing='drop'（剔除）或 missing='interpolate'（插值）读取{ellipsis_zh}"
        ),
        (
            "no value for {label} in {place}: the file has no row for it; fill it in, or read "
            "with missing='drop' or missing='interpolate'{ellipsis_en}"
        ),
    ),
    "value_missing": (
        (
            "{place} 的 {label} 缺失；请补录，或以 missing='drop'（剔除）或 "
            "missing='interpolate'（插值）读取{ellipsis_zh}"
        ),
        (
            "{label} is missing for {place}; fill it in, or read with missing='drop' or "
            "missing='interpolate'{ellipsis_en}"
        ),
    ),
    "value_interpolated": (
        (
            "{label} 按线性插值补为 {value}（介于 {year0} 年的 {value0} 与 {year1} 年的 {value1} "
            "之间）"
        ),
        (
            "{label} filled by linear interpolation: {value} (between {year0}: {value0} and "
            "{year1}: {value1})"
        ),
    ),
    "value_not_interpolable": (
        (
            "{city} {year} 的 {label} 缺失且无法插值：该城市前后均无有数值的年份；请补录，或以 "
            "missing='drop' 读取"
        ),
        (
            "{label} is missing for {city} {year} and cannot be interpolated: the city has no "
            "earlier and later year with a value; fill it in or read with missing='drop'"
        ),
    ),
    "drop_left_nothing": (
        "按 missing='drop' 剔除后，没有剩下无缺失值的城市-年份",
        "no city-year without missing values remains after missing='drop'",
    ),
    "value_negative": (
        "{city} {year} 的 {label} 为负值（{x}）；{method_zh}要求数值非负",
        "{label} is negative ({x}) in {city} {year}; {method} needs non-negative values",
    ),
    "fit_too_few_rows": (
        "拟合至少需要两个城市-年份才能确定标准化界限和权重；该文件只有 {n} 个",
        "fitting needs at least two city-years to learn bounds and weights; the file has {n}",
    ),
    "indicator_constant": (
        "{label} 在所有城市-年份均为 {value}：无法区分各城市，权重为 0",
        (
            "{label} is {value} in every city-year: it cannot tell the cities apart and gets "
            "weight 0"
        ),
    ),
    "subsystem_constant": (
        (
            "子系统 {subsystem!r}（{name}）中没有任何指标有变化：{members} "
            "均为常数，因此该子系统得分无法确定"
        ),
        (
            "no indicator of subsystem {subsystem!r} ({name}) varies: {members} are constant, so "
            "its score is undefined"
        ),
    ),
    "percent_out_of_range": (
        "{indicator} 为百分比指标，但读数为 {value}（超出 0–100）：请核对单位或小数点是否错位",
        (
            "{indicator} is a percentage but reads {value} (outside 0–100): check the unit or a "
            "slipped decimal point"
        ),
    ),
    "count_negative": (
        "{indicator} 以 {unit} 计数，但读数为负数 {value}",
        "{indicator} counts {unit} but reads a negative number {value}",
    ),
    "year_jump": (
        "{indicator} = {value}，是上一年 {prev} 的 {ratio} 倍：请核对单位（万/元、亿/万）",
        (
            "{indicator} = {value} is {ratio} times the previous year's {prev}: check the unit "
            "(万/元, 亿/万)"
        ),
    ),
    "magnitude_converted": (
        "{indicator}：“{raw}”读作 {value}（已换算数量级）",
        "{indicator}: '{raw}' read as {value} (magnitude word converted)",
    ),
    "value_with_header_unit": (
        "数值后带有单位“{unit}”，与表头单位相同：请只填写数字",
        ("the value carries its unit '{unit}', which is the header's unit: write the number alone"),
    ),
    "value_with_other_unit": (
        "数值后带有单位“{unit}”，与表头单位“{header}”不同：请换算，或按表头单位只填写数字",
        (
            "the value carries the unit '{unit}', which differs from the header's unit "
            "'{header}': convert it, or write the number alone in the header's unit"
        ),
    ),
    "side_no_table": (
        "该表需要一行表头，且表头下方至少有一行数据",
        "the table needs a header row and at least one row below it",
    ),
    "side_column_missing": (
        "缺少{what_zh}列：请在第一行使用以下列名之一：{keys}",
        "no {what} column: name one of {keys} in the first row",
    ),
    "side_city_blank": (
        "城市名称为空",
        "city name is blank",
    ),
    "side_listed_twice": (
        "{key} 重复列出",
        "{key} is listed twice",
    ),
    "side_value_missing": (
        "数值缺失",
        "value is missing",
    ),
    "side_value_unreadable": (
        "该单元格：{error_zh}",
        "{error}",
    ),
    "group_blank": (
        "分组为空",
        "group is blank",
    ),
    "weights_cities_differ": (
        "行与列的城市必须一致；仅出现在列中：{cols}；仅出现在行中：{rows}",
        (
            "the row and column cities must be the same; only in the columns: {cols}; only in "
            "the rows: {rows}"
        ),
    ),
    "weight_negative": (
        "不得为负数",
        "must not be negative",
    ),
    "factors_none": (
        "除城市和年份外没有影响因素列",
        "no factor column besides city and year",
    ),
    "side_city_unknown": (
        (
            "{option}：{what_zh}表中的城市 {city!r} "
            "不在数据中；请核对名称写法（数据中的城市：{cities}）"
        ),
        (
            "{option}: city {city!r} of the {what} table is not in the data; check its spelling "
            "(the data's cities: {cities})"
        ),
    ),
    "side_cities_absent": (
        "{option}：{what_zh}表中缺少数据中 {n} 个城市的行：{cities}",
        "{option}: the {what} table has no row for {n} city(ies) of the data: {cities}",
    ),
    "alias_is_city": (
        "{city} 的别名 {alias!r} 本身是表中的另一个城市",
        "alias {alias!r} of {city} is itself a city of the table",
    ),
    "alias_twice": (
        "别名 {alias!r} 同时给了 {first} 和 {city}",
        "alias {alias!r} is given to {first} and to {city}",
    ),
    "value_outside": (
        "取值须在 [{lo}, {hi}] 之间",
        "must lie in [{lo}, {hi}]",
    ),
    "adcode_invalid": (
        "须为六位行政区划代码",
        "must be a six-digit administrative division code",
    ),
    "degrees_outside": (
        "须在 [-{bound}, {bound}] 度之间",
        "must be within [-{bound}, {bound}] degrees",
    ),
    "names_one_city": (
        (
            "有 {n} 个名称疑似同一城市（{key}）：{parts}；目前按不同城市处理。请统一名称写法，或"
            "提供城市表（--cities）将其他写法列为别名"
        ),
        (
            "{n} names look like one city ({key}): {parts}; they are treated as different "
            "cities. Write one name throughout, or give a cities table (--cities) that lists the "
            "others as aliases"
        ),
    ),
    "unbalanced_panel": (
        (
            "面板不平衡：{total} 个城市中有 {n} 个缺少 {first}–{last} 年间的部分年份 — "
            "{parts}（各年的分析使用当年有数据的城市；同一城市名称有两种写法时也会出现此情况）"
        ),
        (
            "unbalanced panel: {n} of {total} cities lack years of {first}–{last} — {parts} "
            "(each year's analyses use the cities present in it; a name written two ways also "
            "looks like this)"
        ),
    ),
    "city_renamed": (
        "城市 {written!r} 按城市表读作 {city!r}",
        "city {written!r} read as {city!r} (cities table)",
    ),
    "alias_same_year": (
        "同一城市的两个名称给出了相同年份：{keys}；每个城市每年只保留一行",
        "two names of one city give the same year(s): {keys}; keep one row per city and year",
    ),
    "cities_unlisted": (
        "城市表未列出数据中的 {n} 个城市：{cities}",
        "the cities table does not list {n} city(ies) of the data: {cities}",
    ),
    "target_id_twice": (
        "指标代码重复出现",
        "indicator id appears more than once",
    ),
    "target_id_empty": (
        "指标代码为空",
        "empty indicator id",
    ),
    "target_type_unknown": (
        "未知的 target_type；应为以下之一：{expected}",
        "unknown target_type; expected one of {expected}",
    ),
    "target_column_missing": (
        "缺少必需的列 {column!r}",
        "required column {column!r} is missing",
    ),
    "target_column_unheaded": (
        "该列有数据但没有表头，未读取",
        "column has values but no header; it is not read",
    ),
    "target_not_whole": (
        "不是整数",
        "not a whole number",
    ),
    "target_not_number": (
        "不是数值",
        "not a number",
    ),
    "actual_series_needs_as_of": (
        "以 Series 给出的实际值需要指定 as_of（实际值所属年份）",
        "actual values given as a Series need as_of (the year they refer to)",
    ),
    "actual_no_value": (
        "实际值需要 'value' 列",
        "actual values need a 'value' column",
    ),
    "actual_no_year": (
        "实际值需要 'year' 列或指定 as_of",
        "actual values need a 'year' column or as_of",
    ),
    "actual_type": (
        "actual 须为 pandas Series 或 DataFrame",
        "actual must be a pandas Series or DataFrame",
    ),
    "actual_unknown_indicator": (
        "该实际值对应的指标不在目标表中",
        "actual value for an indicator that is not in the target table",
    ),
    "actual_twice": (
        "该指标有多个实际值",
        "indicator has more than one actual value",
    ),
    "target_table_type": (
        "目标表须为 pandas DataFrame",
        "the target table must be a pandas DataFrame",
    ),
    "target_table_column_missing": (
        "目标表缺少必需的列 {column!r}",
        "required column {column!r} is missing from the target table",
    ),
    "target_direction": (
        "方向须为 '+'、'-' 或留空",
        "direction must be '+', '-' or empty",
    ),
    "target_direction_conflict": (
        "方向与目标限定词相矛盾",
        "direction contradicts the target qualifier",
    ),
    "target_year_not_whole": (
        "年份须为整数",
        "year must be a whole number",
    ),
    "target_years_order": (
        "须填写基期年和目标年，且目标年晚于基期年",
        "base and target years are required, the target year after the base year",
    ),
    "target_observed_early": (
        "观测年或评估年早于基期年",
        "observation or assessment year before the base year",
    ),
    "target_observed_late": (
        "观测年晚于 as_of",
        "observation year after as_of",
    ),
    "read_summary": (
        (
            "{file}：读取时有 {n_warn} 条警告、{n_info} 条提示；read_data() "
            "可列出全部：\n{head}{more}"
        ),
        (
            "{file}: {n_warn} warning(s), {n_info} note(s) while reading; read_data() lists them "
            "all:\n{head}{more}"
        ),
    ),
    "missing_policy_unknown": (
        "missing={missing} 不是缺失值处理方式；请使用 {allowed} 之一",
        "missing={missing} is not a missing-value policy; use one of {allowed}",
    ),
}

twice = sorted(_TABLES.keys() & _io_files.MESSAGES.keys())
if twice:
    raise RuntimeError(f"problem code(s) defined twice: {', '.join(twice)}")

#: Message templates of the io room by problem code: (中文, English).
MESSAGES: dict[str, tuple[str, str]] = {**_io_files.MESSAGES, **_TABLES}
