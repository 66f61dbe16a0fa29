"""Problem codes of writing reports, briefs and figures (``coordeval.report``)."""

#: Chinese names of the tables a figure is drawn from (``what`` → ``what_zh``).
FIGURE_TABLES_ZH: dict[str, str] = {
    "LISA": "LISA",
    "Gi*": "Gi*",
    "centre of gravity": "重心",
    "ellipse": "标准差椭圆",
    "GeoDetector": "地理探测器",
}

MESSAGES: dict[str, tuple[str, str]] = {
    "report_lang": (
        "报告语言应为 {choices} 之一，实际为 {value}",
        "lang must be one of {choices}; got {value}",
    ),
    "invalid_sheet_name": (
        "不能用作 Excel 工作表名称：{value}（至多 31 个字符，不含 /\\?*[]:）",
        "invalid Excel sheet name {value}",
    ),
    "figure_lang": (
        "图表语言应为 zh、en 或 both，实际为 {value}",
        "figure language must be zh, en or both, got {value}",
    ),
    "figure_formats": (
        "图表格式应在 {choices} 之中，实际为 {value}",
        "figure formats must be among {choices}, got {value}",
    ),
    "figure_dpi": (
        "分辨率（dpi）应为正整数，实际为 {value}",
        "dpi must be a positive whole number, got {value}",
    ),
    "figure_classify": (
        "分级方法应为 natural 或 quantiles，实际为 {value}",
        "classify must be natural or quantiles, got {value}",
    ),
    "figure_too_many_values": (
        "Fisher-Jenks 自然断点分级至多 4,000 个数值，实际为 {n:,}",
        "Fisher-Jenks is limited to 4,000 values, got {n}",
    ),
    "map_no_coordinates": (
        "城市 {city} 没有坐标",
        "no coordinates for city {city!r}",
    ),
    "figure_table_column": (
        "{what_zh}表缺少列“{column}”",
        "the {what} table needs the column {column!r}",
    ),
    "ellipse_needs_lonlat": (
        "以千米计的标准差椭圆需要经纬度边界",
        "ellipses in km need longitude/latitude boundaries",
    ),
}
