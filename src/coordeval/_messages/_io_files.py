"""Problem codes of opening and decoding user files (limits, workbook inspection, text
encodings, the sheet chosen, Parquet and boundary files); part of the io room's catalog
(:mod:`coordeval._messages.io`)."""

MESSAGES: dict[str, tuple[str, str]] = {
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
            "文件大小为 {size_mib:,.1f} MiB，超过上限 {limit_mib:,.0f} MiB（可通过环境变量 {env} "
            "调高）"
        ),
        (
            "the file is {size_mib:,.1f} MiB, more than the limit of {limit_mib:,.0f} MiB ({env} "
            "raises it)"
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
            "或读取其他文件（“XML 炸弹”），Excel 从不写入此类内容。请重新获取该文件，或在 Excel "
            "中打开后另存为新的 .xlsx 文件"
        ),
        (
            "refused: the workbook part {part} declares a document type (DTD) with entities, "
            "which can expand to gigabytes or read other files (an 'XML bomb'); Excel never "
            "writes them. Get the file again, or open it in Excel and save it as a new .xlsx"
        ),
    ),
    "workbook_truncated": (
        (
            "工作簿不完整：文件末尾（zip 目录）缺失，常见于下载或复制中断；请重新获取该文件，或在"
            " Excel 中打开后另存为新的 .xlsx 文件"
        ),
        (
            "the workbook is incomplete: the end of the file (the zip directory) is missing, as "
            "after an interrupted download or copy; get the file again, or open it in Excel and "
            "save it as a new .xlsx"
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
            "the workbook has {n:,} parts, more than the limit of {limit:,}; it is not a normal "
            "Excel file"
        ),
    ),
    "workbook_password": (
        (
            "工作簿设有打开密码（已加密）：请在 Excel "
            "中输入密码打开，再另存一份不加密的副本（文件 → 信息 → 保护工作簿 → "
            "用密码进行加密：清空密码）"
        ),
        (
            "the workbook is password-protected (encrypted); open it in Excel with the password, "
            "then save a copy without one (File → Info → Protect Workbook → Encrypt with "
            "Password: clear it)"
        ),
    ),
    "workbook_structure_damaged": (
        (
            "工作簿结构已损坏（{detail}）；请重新获取该文件，或在 Excel 中打开后另存为新的 .xlsx "
            "文件"
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
            "工作表的单元格引用格式错误（{detail}），Excel 不会这样写入。请重新获取该文件，或在 "
            "Excel 中打开后另存为新的 .xlsx 文件"
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
            "cells), more than the limit of {limit:,} cells ({env} raises it); delete the stray "
            "cells far from the table"
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
            "cannot be read as an Excel workbook: the file holds plain text (a CSV file given an "
            "Excel name?); rename it to .csv or save it from Excel as .xlsx"
        ),
    ),
    "excel_unknown": (
        "无法作为 Excel 工作簿读取：内容既不是 .xlsx 文件包，也不是 .xls 文件",
        (
            "cannot be read as an Excel workbook: the content is neither an .xlsx package nor an "
            ".xls file"
        ),
    ),
    "xls_unreadable": (
        (
            "无法作为 Excel 97–2003（.xls）工作簿读取（{detail}）；请重新获取该文件，或在 Excel "
            "中打开后另存为新的 .xlsx 文件"
        ),
        (
            "cannot be read as an Excel 97–2003 (.xls) workbook ({detail}); get the file again, "
            "or open it in Excel and save it as a new .xlsx"
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
            "cannot decode the text (it looks like {encoding}): save the CSV as UTF-8 (or GBK / "
            "UTF-16 with BOM)"
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
            "the file has {rows:,} rows × {cols:,} columns, more than {limit:,} cells, over the "
            "reader's limit ({env} raises it)"
        ),
    ),
    "csv_is_workbook": (
        "不是 CSV 文件：该文件是以 .csv 命名的 Excel 工作簿；请改名为 .xlsx（或 .xls）",
        (
            "not a CSV file: the file is an Excel workbook with a .csv name; rename it to .xlsx "
            "(or .xls)"
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
            "sheet(s) {sheets}{note_en} also hold {table} and are NOT read; only sheet {sheet!r} "
            "is. Put all years in one sheet, or read each sheet on its own (sheet=...)"
        ),
    ),
    "csv_blank": (
        "文件中没有文字（只有空行或空格）",
        "the file holds no text (only blank lines or spaces)",
    ),
    "csv_no_header": (
        "文件中没有表头行（需含城市列：{city_names}，以及年份列：{year_names}）",
        (
            "the file has no header row with a city column ({city_names}) and a year column "
            "({year_names})"
        ),
    ),
    "sheet_no_header": (
        (
            "工作表 {sheet!r} 中没有表头行（需含城市列：{city_names}，以及年份列：{year_names}）"
            "；工作簿中的工作表有：{sheets}"
        ),
        (
            "sheet {sheet!r} has no header row with a city column ({city_names}) and a year "
            "column ({year_names}); sheets in the workbook: {sheets}"
        ),
    ),
    "workbook_no_header": (
        (
            "没有任何工作表含有表头行（需含城市列：{city_names}，以及年份列：{year_names}）；工作"
            "簿中的工作表有：{sheets}"
        ),
        (
            "no sheet has a header row with a city column ({city_names}) and a year column "
            "({year_names}); sheets in the workbook: {sheets}"
        ),
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
    "map_city_no_feature": (
        "城市 {city!r} 按属性 {attribute!r} 匹配不到任何要素",
        "city {city!r} matches no feature by attribute {attribute!r}",
    ),
    "map_city_features": (
        "城市 {city!r} 按属性 {attribute!r} 匹配到 {k} 个要素",
        "city {city!r} matches {k} features by attribute {attribute!r}",
    ),
}
