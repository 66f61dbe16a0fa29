"""Coded problems of the model room: the English text is rendered from the catalog."""

from __future__ import annotations

from typing import Any

from coordeval.errors import Problem, Severity, render_message


def coded(
    code: str,
    *,
    column: str | None = None,
    value: str | None = None,
    file: str | None = None,
    cell: str | None = None,
    sheet: str | None = None,
    severity: Severity = "error",
    **params: Any,
) -> Problem:
    """A :class:`~coordeval.errors.Problem` with ``code`` and ``params``, its message the
    English template of :data:`coordeval._messages.MESSAGES` filled with ``params``."""
    return Problem(
        render_message(code, params, code, "en"),
        file=file,
        sheet=sheet,
        cell=cell,
        column=column,
        value=value,
        severity=severity,
        code=code,
        params=params,
    )
