"""Problem codes of the analyses and the assessment (``coordeval.analysis``,
``coordeval.assessment``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "single_indicator_subsystem": (
        "子系统 {subsystems} 只有一个指标，无法计算其内部耦合度，已略去",
        "subsystem(s) {subsystems} have a single indicator; their within-subsystem coupling "
        "is undefined and left out",
    ),
}
