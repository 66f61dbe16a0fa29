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
    "weights_need_indicator": (
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
}
