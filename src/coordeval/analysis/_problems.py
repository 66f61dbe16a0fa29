"""Coded problems and warnings of the analyses: the words come from the message catalog
(:mod:`coordeval._messages.analysis`), so a problem's English text and its code cannot drift."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from coordeval._coded import located
from coordeval.errors import InputError, Problem, Severity, render_message

__all__ = ["MAX_LISTED", "coded", "coded_error", "warn_coded", "worded"]

#: Problems listed one by one at most; the rest are counted in one more problem.
MAX_LISTED = 50

_UNFIT = object()


def worded(code: str, params: Mapping[str, Any]) -> str:
    """The English text of ``code`` filled with ``params``.

    Raises
    ------
    KeyError
        When ``code`` is not in the catalog or ``params`` do not fill its template.
    """
    text = render_message(code, params, _UNFIT, "en")  # type: ignore[arg-type]
    if text is _UNFIT:
        raise KeyError(f"message {code!r} cannot be worded with {sorted(params)}")
    return text


def coded(
    code: str,
    params: Mapping[str, Any] | None = None,
    *,
    cell: str | None = None,
    column: str | None = None,
    value: str | None = None,
    severity: Severity = "error",
) -> Problem:
    """A :class:`Problem` with its code, parameters and English text from the catalog; ``cell``,
    ``column``, ``value`` and ``severity`` locate it."""
    params = dict(params or {})
    worded(code, params)  # refuses parameters the catalog's template cannot take
    return located(code, params, cell=cell, column=column, value=value, severity=severity)


def coded_error(
    summary: str,
    code: str | Callable[[Mapping[str, Any]], str],
    rows: Iterable[Mapping[str, Any]],
    *,
    column: str | None = None,
) -> InputError:
    """An :class:`InputError` with one problem per row of parameters (the first
    :data:`MAX_LISTED`, then one problem counting the others); ``code`` may depend on the row."""
    rows = list(rows)
    problems = [
        coded(code if isinstance(code, str) else code(r), r, column=column)
        for r in rows[:MAX_LISTED]
    ]
    if len(rows) > MAX_LISTED:
        problems.append(coded("more_problems", {"n": len(rows) - MAX_LISTED}, column=column))
    return InputError(problems, summary)


def warn_coded(category: type[Warning], code: str, stacklevel: int = 2, **params: Any) -> None:
    """Warn with a coded :class:`~coordeval.errors.DataWarning`/``MethodWarning``."""
    warnings.warn(
        category(worded(code, params), code, params),  # type: ignore[call-arg]
        stacklevel=stacklevel + 1,
    )
