"""Column and sheet labels of the report, in Chinese and English (one place for every label).

Chinese labels follow the tables reviewers in this field expect (SPSSAU/SPSSPRO wording:
信息熵值e / 信息效用值d / 权重系数w; 正理想解距离D+ / 负理想解距离D- / 相对接近度C / 排序结果;
耦合度C值 / 协调指数T值 / 耦合协调度D值 / 协调等级 / 耦合协调程度).
"""

from __future__ import annotations

COLUMNS: dict[str, tuple[str, str]] = {
    "city": ("城市", "City"),
    "year": ("年份", "Year"),
    "indicator": ("指标", "Indicator"),
    "subsystem": ("子系统", "Subsystem"),
    "name_zh": ("指标名称", "Name (zh)"),
    "name_en": ("英文名称", "Name (en)"),
    "unit": ("单位", "Unit"),
    "direction": ("方向", "Direction"),
    "e": ("信息熵值e", "Entropy e"),
    "d": ("信息效用值d", "Divergence d"),
    "within_weight": ("子系统内权重", "Weight within subsystem"),
    "subsystem_weight": ("子系统权重", "Subsystem weight"),
    "weight": ("权重系数w", "Global weight w"),
    "lo": ("下界", "Lower bound"),
    "hi": ("上界", "Upper bound"),
    "bounds_source": ("界值来源", "Bounds from"),
    "d_plus": ("正理想解距离D+", "Distance to ideal D+"),
    "d_minus": ("负理想解距离D-", "Distance to anti-ideal D-"),
    "closeness": ("相对接近度C", "Closeness C"),
    "rank": ("排序结果", "Rank"),
    "composite": ("综合得分", "Composite"),
    "C": ("耦合度C值", "Coupling C"),
    "T": ("协调指数T值", "Coordination index T"),
    "D": ("耦合协调度D值", "Coupling coordination D"),
    "grade": ("协调等级", "Grade"),
    "level_zh": ("耦合协调程度", "Level (zh)"),
    "level_en": ("耦合协调程度(英)", "Level"),
    "stage": ("耦合阶段", "Coupling stage"),
    "severity": ("级别", "Severity"),
    "file": ("文件", "File"),
    "sheet": ("工作表", "Sheet"),
    "cell": ("单元格", "Cell"),
    "column": ("列", "Column"),
    "value": ("值", "Value"),
    "message": ("说明", "Message"),
    "key": ("项目", "Item"),
    "item": ("项目", "Item"),
    "side": ("方向", "Side"),
    "row": ("城市-年份", "City-year"),
    "id": ("编号", "Id"),
    "aliases": ("别名", "Aliases"),
    "source": ("来源", "Source"),
    "note": ("备注", "Note"),
    "goalposts": ("固定界值", "Goalposts"),
}

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def column_label(
    key: str, lang: str, subsystem_names: dict[str, tuple[str, str]] | None = None
) -> str:
    """Header text of a column in ``lang`` (``"zh"``, ``"en"`` or ``"both"``)."""
    zh, en = (
        COLUMNS.get(key, (None, None))
        if key not in (subsystem_names or {})
        else (
            subsystem_names[key]  # type: ignore[index]
        )
    )
    if zh is None:
        return key
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return zh if zh == en else f"{zh}\n{en}"
