"""Problem codes of reading and validating user files (``coordeval.io``, the system sheet)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "row_dropped": (
        "{city} {year} 已剔除：{labels} 无可用数值（{n} 个）",
        "city-year {city} {year} dropped: no usable value for {labels} ({n} value(s))",
    ),
    "footnote_row": ("脚注行：表格到此行之上为止", "footnote row: the table ends above it"),
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
}
