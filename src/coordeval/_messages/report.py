"""Problem codes of writing reports, briefs and figures (``coordeval.report``)."""

MESSAGES: dict[str, tuple[str, str]] = {}
