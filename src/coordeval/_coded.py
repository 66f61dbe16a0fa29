"""Coded problems and option errors whose English text is rendered from the catalog.

One place turns a problem code and its parameters into a :class:`~coordeval.errors.Problem`
or a :class:`~coordeval.errors.ConfigError`, so that the stored English message is always the
catalog's English template (:data:`coordeval._messages.MESSAGES`) filled with the parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coordeval.errors import ConfigError, Problem, Severity, render_message


def located(code: str, params: Mapping[str, Any], **where: Any) -> Problem:
    """A :class:`~coordeval.errors.Problem` with ``code``, ``params`` and the catalog's English
    text; ``where`` gives its fields (``file``, ``sheet``, ``cell``, ``column``, ``value``,
    ``severity``)."""
    params = dict(params)
    return Problem(render_message(code, params, code, "en"), code=code, params=params, **where)


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
    """A :class:`~coordeval.errors.Problem` with ``code`` and ``params``; the keyword
    arguments named like the fields of a problem locate it, all others are parameters."""
    return located(
        code,
        params,
        file=file,
        sheet=sheet,
        cell=cell,
        column=column,
        value=value,
        severity=severity,
    )


def config_error(code: str, **params: Any) -> ConfigError:
    """A :class:`~coordeval.errors.ConfigError` with ``code`` and ``params``."""
    return ConfigError(render_message(code, params, code, "en"), code, params)
