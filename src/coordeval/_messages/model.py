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
}
