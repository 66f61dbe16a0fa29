"""Problem codes of reading and validating user files (``coordeval.io``, the system sheet)."""

MESSAGES: dict[str, tuple[str, str]] = {
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
    "file_not_found": (
        "找不到文件",
        "file not found",
    ),
    "file_unreadable": (
        "无法读取：{reason}",
        "cannot be read: {reason}",
    ),
    "path_is_folder": (
        "无法读取：这是一个文件夹；请指定 .xlsx 或 .csv 文件",
        "cannot be read: a folder; give a .xlsx or .csv file",
    ),
    "path_not_regular": (
        "无法读取：不是普通文件；请指定 .xlsx 或 .csv 文件",
        "cannot be read: not a regular file; give a .xlsx or .csv file",
    ),
    "file_too_large": (
        (
            "文件大小为 {size_mib:,.1f} MiB，超过上限 {limit_mib:,.0f} MiB（可通过环境变量 "
            "{env} 调高）"
        ),
        (
            "the file is {size_mib:,.1f} MiB, more than the limit of {limit_mib:,.0f} MiB "
            "({env} raises it)"
        ),
    ),
    "workbook_inflates": (
        (
            "工作簿解压后的内容为 {size_mib:,.1f} MiB，超过上限 {limit_mib:,.0f} "
            "MiB（可通过环境变量 {env} 调高）"
        ),
        (
            "the workbook's content inflates to {size_mib:,.1f} MiB, more than the limit of "
            "{limit_mib:,.0f} MiB ({env} raises it)"
        ),
    ),
    "workbook_inflates_more": (
        (
            "工作簿解压后的内容超过 {size_mib:,.1f} MiB，超过上限 {limit_mib:,.0f} "
            "MiB（可通过环境变量 {env} 调高）"
        ),
        (
            "the workbook's content inflates to more than {size_mib:,.1f} MiB, more than the "
            "limit of {limit_mib:,.0f} MiB ({env} raises it)"
        ),
    ),
    "file_empty": (
        "文件为空（0 字节）",
        "the file is empty (0 bytes)",
    ),
    "xml_dtd": (
        (
            "拒绝读取：工作簿部件 {part} 声明了带实体的文档类型（DTD），可膨胀至数 GB "
            "或读取其他文件（“XML 炸弹”），Excel 从不写入此类内容。请重新获取该文件，或在 "
            "Excel 中打开后另存为新的 .xlsx 文件"
        ),
        (
            "refused: the workbook part {part} declares a document type (DTD) with entities, "
            "which can expand to gigabytes or read other files (an 'XML bomb'); Excel never "
            "writes them. Get the file again, or open it in Excel and save it as a new .xlsx"
        ),
    ),
    "workbook_truncated": (
        (
            "工作簿不完整：文件末尾（zip 目录）缺失，常见于下载或复制中断；请重新获取该文件，或"
            "在 Excel 中打开后另存为新的 .xlsx 文件"
        ),
        (
            "the workbook is incomplete: the end of the file (the zip directory) is missing, "
            "as after an interrupted download or copy; get the file again, or open it in Excel "
            "and save it as a new .xlsx"
        ),
    ),
    "workbook_not_zip": (
        (
            "工作簿已损坏（不是有效的 zip 压缩包）；请重新获取该文件，或在 Excel "
            "中打开后另存为新的 .xlsx 文件"
        ),
        (
            "the workbook is damaged (not a valid zip archive); get the file again, or open it "
            "in Excel and save it as a new .xlsx"
        ),
    ),
    "workbook_too_many_parts": (
        "工作簿含 {n:,} 个部件，超过上限 {limit:,}，不是正常的 Excel 文件",
        (
            "the workbook has {n:,} parts, more than the limit of {limit:,}; it is not a "
            "normal Excel file"
        ),
    ),
    "workbook_password": (
        (
            "工作簿设有打开密码（已加密）：请在 Excel "
            "中输入密码打开，再另存一份不加密的副本（文件 → 信息 → 保护工作簿 → "
            "用密码进行加密：清空密码）"
        ),
        (
            "the workbook is password-protected (encrypted); open it in Excel with the "
            "password, then save a copy without one (File → Info → Protect Workbook → Encrypt "
            "with Password: clear it)"
        ),
    ),
    "workbook_structure_damaged": (
        (
            "工作簿结构已损坏（{detail}）；请重新获取该文件，或在 Excel 中打开后另存为新的 "
            ".xlsx 文件"
        ),
        (
            "the workbook's structure is damaged ({detail}); get the file again, or open it in "
            "Excel and save it as a new .xlsx"
        ),
    ),
    "workbook_part_damaged": (
        (
            "工作簿已损坏：部件 {part} 无法解压（{detail}）；请重新获取该文件，或在 Excel "
            "中打开后另存为新的 .xlsx 文件"
        ),
        (
            "the workbook is damaged: part {part} cannot be unpacked ({detail}); get the file "
            "again, or open it in Excel and save it as a new .xlsx"
        ),
    ),
    "sheet_refs_malformed": (
        (
            "工作表的单元格引用格式错误（{detail}），Excel "
            "不会这样写入。请重新获取该文件，或在 Excel 中打开后另存为新的 .xlsx 文件"
        ),
        (
            "the sheet's cell references are malformed ({detail}); Excel never writes them so. "
            "Get the file again, or open it in Excel and save it as a new .xlsx"
        ),
    ),
    "sheet_too_many_rows": (
        "工作表延伸到第 {rows:,} 行，超过 {limit:,} 行的上限（可通过环境变量 {env} 调高）",
        ("the sheet reaches row {rows:,}, more than the limit of {limit:,} rows ({env} raises it)"),
    ),
    "sheet_too_many_cells": (
        (
            "工作表的单元格范围为 A1:{last}（{rows:,} 行 × {cols:,} 列 = {cells:,} "
            "个单元格），超过 {limit:,} 个单元格的上限（可通过环境变量 {env} "
            "调高）；请删除远离表格的零散单元格"
        ),
        (
            "the sheet's cells span A1:{last} ({rows:,} rows × {cols:,} columns = {cells:,} "
            "cells), more than the limit of {limit:,} cells ({env} raises it); delete the "
            "stray cells far from the table"
        ),
    ),
    "excel_is_html": (
        (
            "无法作为 Excel 工作簿读取：该文件是以 Excel 文件名保存的网页（HTML）；请在 Excel "
            "中打开并另存为 .xlsx"
        ),
        (
            "cannot be read as an Excel workbook: the file is a web page (HTML) saved with an "
            "Excel name; open it in Excel and save it as .xlsx"
        ),
    ),
    "excel_is_xml2003": (
        (
            "无法作为 Excel 工作簿读取：该文件是 XML 电子表格（Excel 2003 XML）；请在 Excel "
            "中打开并另存为 .xlsx"
        ),
        (
            "cannot be read as an Excel workbook: the file is an XML spreadsheet (Excel 2003 "
            "XML); open it in Excel and save it as .xlsx"
        ),
    ),
    "excel_is_text": (
        (
            "无法作为 Excel 工作簿读取：该文件是纯文本（是否为改了扩展名的 CSV "
            "文件？）；请改名为 .csv，或在 Excel 中另存为 .xlsx"
        ),
        (
            "cannot be read as an Excel workbook: the file holds plain text (a CSV file given "
            "an Excel name?); rename it to .csv or save it from Excel as .xlsx"
        ),
    ),
    "excel_unknown": (
        "无法作为 Excel 工作簿读取：内容既不是 .xlsx 文件包，也不是 .xls 文件",
        (
            "cannot be read as an Excel workbook: the content is neither an .xlsx package nor "
            "an .xls file"
        ),
    ),
    "xls_unreadable": (
        (
            "无法作为 Excel 97–2003（.xls）工作簿读取（{detail}）；请重新获取该文件，或在 "
            "Excel 中打开后另存为新的 .xlsx 文件"
        ),
        (
            "cannot be read as an Excel 97–2003 (.xls) workbook ({detail}); get the file "
            "again, or open it in Excel and save it as a new .xlsx"
        ),
    ),
    "workbook_unreadable": (
        (
            "无法作为 Excel 工作簿读取（{detail}）；请重新获取该文件，或在 Excel "
            "中打开后另存为新的 .xlsx 文件"
        ),
        (
            "cannot be read as an Excel workbook ({detail}); get the file again, or open it in "
            "Excel and save it as a new .xlsx"
        ),
    ),
    "percent_cells": (
        (
            "有 {n} 个单元格设置为百分比格式（存储值 {stored:g}，显示为 "
            "{shown}），按显示值读取，单位以所在列表头为准"
        ),
        (
            "{n} cell(s) are formatted as percentages (stored {stored:g}, shown {shown}); they "
            "are read as shown, in the unit of their column's header"
        ),
    ),
    "sheet_damaged": (
        (
            "工作表无法读取，其 XML 已损坏（{detail}）；请重新获取该文件，或在 Excel "
            "中打开后另存为新的 .xlsx 文件"
        ),
        (
            "the sheet cannot be read, its XML is damaged ({detail}); get the file again, or "
            "open it in Excel and save it as a new .xlsx"
        ),
    ),
    "sheet_over_limits": (
        (
            "工作表有 {rows:,} 行 × {cols:,} 列，超出读取上限（{max_rows:,} 行、{max_cells:,} "
            "个单元格；可通过环境变量 {env_rows} 和 {env_cells} 调高）"
        ),
        (
            "the sheet has {rows:,} rows × {cols:,} columns, over the reader's limits "
            "({max_rows:,} rows, {max_cells:,} cells; {env_rows} and {env_cells} raise them)"
        ),
    ),
    "text_other_encoding": (
        (
            "文本疑似 {encoding_zh} 编码，而非 UTF-8 或 GBK/GB18030：按 GBK "
            "读取会得到乱码名称；请将 CSV 另存为 UTF-8 编码"
        ),
        (
            "the text looks like {encoding}, not UTF-8 or GBK/GB18030: read as GBK it gives "
            "garbled names; save the CSV as UTF-8"
        ),
    ),
    "text_undecodable_like": (
        (
            "无法解码文本（疑似 {encoding_zh} 编码）：请将 CSV 另存为 UTF-8 编码（或带 BOM 的 "
            "GBK / UTF-16）"
        ),
        (
            "cannot decode the text (it looks like {encoding}): save the CSV as UTF-8 (or GBK "
            "/ UTF-16 with BOM)"
        ),
    ),
    "text_undecodable": (
        "无法解码文本：请将 CSV 另存为 UTF-8 编码（或带 BOM 的 GBK / UTF-16）",
        "cannot decode the text: save the CSV as UTF-8 (or GBK / UTF-16 with BOM)",
    ),
    "csv_unreadable": (
        "不是可读取的 CSV 文件（{detail}）",
        "not a readable CSV file ({detail})",
    ),
    "csv_over_cells": (
        "文件超过 {limit:,} 个单元格，超出读取上限（可通过环境变量 {env} 调高）",
        "the file has more than {limit:,} cells, over the reader's limit ({env} raises it)",
    ),
    "csv_over_rows": (
        "文件超过 {limit:,} 行，超出读取上限（可通过环境变量 {env} 调高）",
        "the file has more than {limit:,} rows, over the reader's limit ({env} raises it)",
    ),
    "csv_over_cells_shape": (
        (
            "文件有 {rows:,} 行 × {cols:,} 列，超过 {limit:,} "
            "个单元格，超出读取上限（可通过环境变量 {env} 调高）"
        ),
        (
            "the file has {rows:,} rows × {cols:,} columns, more than {limit:,} cells, over "
            "the reader's limit ({env} raises it)"
        ),
    ),
    "csv_is_workbook": (
        "不是 CSV 文件：该文件是以 .csv 命名的 Excel 工作簿；请改名为 .xlsx（或 .xls）",
        (
            "not a CSV file: the file is an Excel workbook with a .csv name; rename it to "
            ".xlsx (or .xls)"
        ),
    ),
    "file_type_unsupported": (
        "不支持的文件类型 {suffix!r}：请使用 {formats}",
        "unsupported file type {suffix!r}: use {formats}",
    ),
    "sheet_missing": (
        "找不到工作表 {sheet!r}；工作簿中的工作表有：{sheets}",
        "no sheet {sheet!r}; the workbook has: {sheets}",
    ),
    "workbook_no_sheet": (
        "工作簿中没有工作表",
        "the workbook has no sheet",
    ),
    "sheet_hidden_asked": (
        "工作表 {sheet!r} 在 Excel 中为隐藏状态；因已指定该表，仍予读取",
        "sheet {sheet!r} is hidden in Excel; it is read because it was asked for",
    ),
    "sheet_hidden_read": (
        "工作表 {sheet!r} 在 Excel 中为隐藏状态；因没有可见工作表包含{table_zh}，故读取该表",
        ("sheet {sheet!r} is hidden in Excel; it is read because no visible sheet holds {table}"),
    ),
    "other_sheets_not_read": (
        (
            "工作表 {sheets}{note_zh} 也包含{table_zh}，但未被读取，仅读取工作表 "
            "{sheet!r}。请将各年份数据放在同一工作表中，或逐表分别读取（sheet=...）"
        ),
        (
            "sheet(s) {sheets}{note_en} also hold {table} and are NOT read; only sheet "
            "{sheet!r} is. Put all years in one sheet, or read each sheet on its own "
            "(sheet=...)"
        ),
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
        "{error_zh}",
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
            "该行有 {n} 个字段，而表头只有 {width} 个：未加引号的千位分隔符或小数逗号（如 "
            "1,234 或 0,25）会把一个数拆成两个，使其后各值错位；请给此类数值加引号，或去掉其中"
            "的逗号"
        ),
        (
            "the row has {n} fields but the header has {width}: an unquoted thousands "
            "separator or decimal comma (such as 1,234 or 0,25) splits a number in two and "
            "shifts the values after it; quote such numbers or write them without the comma"
        ),
    ),
    "column_unheaded": (
        "该列有数据但没有表头，未读取",
        "column has values but no header; it is not read",
    ),
    "column_under_merged_header": (
        (
            "该列数据位于跨多列合并的表头 {header} 之下，无法确定哪一列是指标。请取消表头单元格"
            "合并，并为每一列单独填写表头"
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
            "the column writes decimals with a comma ({first} is not a thousands separator): "
            "its {n} comma number(s) are read with a decimal point"
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
        "{label}：{error_zh}",
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
            "{label}: read as {value} but the unit '{unit}' already has a magnitude word; "
            "write the number in that unit"
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
            "指标体系 {system!r} 中有 {n} 个指标在文件中没有对应列：{listed}{unknown_zh}；请以"
            "指标代码、中文名或英文名作为列标题，或在指标体系中将该表头添加为别名（表头行：{whe"
            "re_zh}）"
        ),
        (
            "no column for {n} indicator(s) of the system {system!r}: {listed}{unknown_en}; "
            "write each indicator's id, Chinese or English name as its header, or add the "
            "header as an alias in the system (header row: {where})"
        ),
    ),
    "indicators_absent_long": (
        (
            "指标体系 {system!r} 中有 {n} 个指标在文件中没有对应行：{listed}{unknown_zh}；请在"
            "指标列填写指标代码、中文名或英文名，或在指标体系中将该名称添加为别名（表头行：{whe"
            "re_zh}）"
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
            "表头占第 {top}–{bottom} 行：各列以最下方的非空单元格为表头（指标名称上方的分组标题"
            "不读取）"
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
    "csv_blank": (
        "文件中没有文字（只有空行或空格）",
        "the file holds no text (only blank lines or spaces)",
    ),
    "csv_no_header": (
        ("文件中没有表头行（需含城市列：城市/地区/城市名称/city，以及年份列：年份/年度/年/year）"),
        (
            "the file has no header row with a city column (城市/地区/城市名称/city) and a "
            "year column (年份/年度/年/year)"
        ),
    ),
    "sheet_no_header": (
        (
            "工作表 {sheet!r} 中没有表头行（需含城市列：城市/地区/城市名称/city，以及年份列：年"
            "份/年度/年/year）；工作簿中的工作表有：{sheets}"
        ),
        (
            "sheet {sheet!r} has no header row with a city column (城市/地区/城市名称/city) "
            "and a year column (年份/年度/年/year); sheets in the workbook: {sheets}"
        ),
    ),
    "workbook_no_header": (
        (
            "没有任何工作表含有表头行（需含城市列：城市/地区/城市名称/city，以及年份列：年份/年"
            "度/年/year）；工作簿中的工作表有：{sheets}"
        ),
        (
            "no sheet has a header row with a city column (城市/地区/城市名称/city) and a year "
            "column (年份/年度/年/year); sheets in the workbook: {sheets}"
        ),
    ),
    "indicator_empty": (
        (
            "{label} 在全部 {n} 个城市-年份中均无数值：该列为空或仅有“—”等占位符；请补录数据，"
            "或从指标体系中删除该指标"
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
            "{label} 按线性插值补为 {value}（介于 {year0} 年的 {value0} 与 {year1} 年的 "
            "{value1} 之间）"
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
        ("fitting needs at least two city-years to learn bounds and weights; the file has {n}"),
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
            "no indicator of subsystem {subsystem!r} ({name}) varies: {members} are constant, "
            "so its score is undefined"
        ),
    ),
    "percent_out_of_range": (
        ("{indicator} 为百分比指标，但读数为 {value}（超出 0–100）：请核对单位或小数点是否错位"),
        (
            "{indicator} is a percentage but reads {value} (outside 0–100): check the unit or "
            "a slipped decimal point"
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
        "{error_zh}",
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
            "{option}: city {city!r} of the {what} table is not in the data; check its "
            "spelling (the data's cities: {cities})"
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
    "parquet_unreadable": (
        "不是可读取的 Parquet 文件（{detail}）",
        "not a readable Parquet file ({detail})",
    ),
    "parquet_column_missing": (
        "缺少指标列：{indicator}",
        "indicator column missing: {indicator}",
    ),
    "parquet_not_numeric_type": (
        "该列不是数值型（{type}）",
        "column is not numeric ({type})",
    ),
    "parquet_no_keys": (
        "文件需要键列 city 和 year（或 城市 和 年份）",
        "the file needs the key columns city and year (or 城市 and 年份)",
    ),
    "parquet_not_numeric": (
        "该列不是数值型",
        "column is not numeric",
    ),
    "parquet_year_not_whole": (
        "年份须为整数",
        "years must be whole numbers",
    ),
    "parquet_duplicate": (
        "城市-年份 {city} {year} 重复",
        "duplicate city-year {city} {year}",
    ),
    "parquet_dropped": (
        "已剔除 {n} 个含缺失值的城市-年份（missing='drop'）",
        "dropped {n} city-year(s) with missing values (missing='drop')",
    ),
    "parquet_all_missing": (
        "每个城市-年份都有缺失值",
        "every city-year has a missing value",
    ),
    "parquet_interpolated": (
        "已按年份线性插值补齐 {n} 个缺失值（missing='interpolate'）",
        "filled {n} missing value(s) linearly in the year (missing='interpolate')",
    ),
    "parquet_value_missing": (
        "{where} 处有缺失值；请选择 --missing drop 或 interpolate，或补录该值",
        "missing value at {where}; choose --missing drop or interpolate, or fill it",
    ),
    "map_not_polygon": (
        "第 {k} 个要素为 {kind}，不是面要素",
        "feature {k} is {kind}, not a polygon",
    ),
    "map_no_polygons": (
        "文件中没有面要素",
        "the file has no polygon features",
    ),
    "topojson_no_objects": (
        "TopoJSON 文件中没有对象",
        "the TopoJSON file has no objects",
    ),
    "map_layer_missing": (
        "没有图层 {layer!r}；文件中的图层有：{layers}",
        "no layer {layer!r}; the file has {layers}",
    ),
    "map_not_json": (
        "不是 JSON 文件：{detail}",
        "not a JSON file: {detail}",
    ),
    "map_not_geojson": (
        "应为 GeoJSON FeatureCollection 或 TopoJSON Topology，实际为 {kind!r}",
        "expected a GeoJSON FeatureCollection or a TopoJSON Topology, got {kind!r}",
    ),
    "cpg_unknown": (
        ".cpg 文件指定了未知的文本编码 {name!r}",
        "the .cpg file names an unknown text encoding {name!r}",
    ),
    "shapefile_unreadable": (
        "不是可读取的 shapefile：{detail}",
        "not a readable shapefile: {detail}",
    ),
    "shapefile_encoding": (
        "属性文本既不是 UTF-8 也不是 GBK 编码（{detail}）；请添加 .cpg 文件",
        "attribute text is neither UTF-8 nor GBK ({detail}); add a .cpg file",
    ),
    "map_type_unsupported": (
        "不支持的边界文件类型 {suffix!r}：请使用 .shp、.geojson 或 .json",
        "unsupported boundary file {suffix!r}: use .shp, .geojson or .json",
    ),
    "map_attribute_missing": (
        "没有属性字段 {key!r}；文件中的字段有：{columns}",
        "no attribute {key!r}; the file has {columns}",
    ),
    "map_no_attributes": (
        "要素没有可用于匹配城市名称或代码的属性",
        "the features have no attributes to match city names or codes",
    ),
    "names_one_city": (
        (
            "有 {n} 个名称疑似同一城市（{key}）：{parts}；目前按不同城市处理。请统一名称写法，"
            "或提供城市表（--cities）将其他写法列为别名"
        ),
        (
            "{n} names look like one city ({key}): {parts}; they are treated as different "
            "cities. Write one name throughout, or give a cities table (--cities) that lists "
            "the others as aliases"
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
        ("two names of one city give the same year(s): {keys}; keep one row per city and year"),
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
            "{file}: {n_warn} warning(s), {n_info} note(s) while reading; read_data() lists "
            "them all:\n{head}{more}"
        ),
    ),
    "map_city_no_feature": (
        "城市 {city!r} 按属性 {attribute!r} 匹配不到任何要素",
        "city {city!r} matches no feature by attribute {attribute!r}",
    ),
    "map_city_features": (
        "城市 {city!r} 按属性 {attribute!r} 匹配到 {k} 个要素",
        "city {city!r} matches {k} features by attribute {attribute!r}",
    ),
}
