"""Problems, errors and warnings that users of coordeval see.

A :class:`Problem` locates one defect in an input (file, sheet, cell, column, value) and
says what is wrong. Readers and validators collect every problem before failing, then raise
one :class:`InputError` that carries all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from coordeval._messages import MESSAGES
from coordeval._messages.core import WHAT_ZH

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Problem:
    """One located defect or remark about an input.

    Attributes
    ----------
    message : str
        What is wrong, in words a non-programmer can act on.
    file : str or None
        File name (not the full path) the problem was found in.
    sheet : str or None
        Worksheet name for Excel files.
    cell : str or None
        Excel reference such as ``"F3"``, or ``"line 3, column 6"`` for CSV files.
    column : str or None
        The column header as written in the file.
    value : str or None
        The offending value as written in the file.
    severity : {"error", "warning", "info"}
        Errors stop the run; warnings and info are reported and kept in the report.
    code : str, optional
        Stable identifier of the kind of problem (a key of :data:`MESSAGES`); empty for
        problems that only carry their text.
    params : mapping, optional
        The values the message is made of, so that :meth:`render` can word it in Chinese or
        English.
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    column: str | None = None
    value: str | None = None
    severity: Severity = "error"
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def render(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"zh"``, ``"en"`` or ``"both"``): worded from
        :data:`MESSAGES` when the code is known, otherwise the stored text."""
        return render_message(self.code, self.params, self.message, lang)

    @property
    def location(self) -> str:
        """Where the problem is, e.g. ``data.xlsx 数据!F3 [GDP (亿元)]``."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet and self.cell:
            parts.append(f"{self.sheet}!{self.cell}")
        elif self.sheet:
            parts.append(f"sheet {self.sheet}")
        elif self.cell:
            parts.append(self.cell)
        if self.column:
            parts.append(f"[{self.column}]")
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.location
        value = f" value {self.value!r}:" if self.value is not None else ""
        head = f"{where}:" if where else ""
        return f"{self.severity}: {head}{value} {self.message}".replace("  ", " ")


#: Words used inside messages.
_SIDE_ZH = {"above": "高于", "below": "低于"}
_QUALIFIER = {
    "approx": ("近似值", "approximate"),
    "greater_than": ("下限（>）", "a lower bound (>)"),
    "less_than": ("上限（<）", "an upper bound (<)"),
    "greater_equal": ("下限（≥）", "a lower bound (≥)"),
    "less_equal": ("上限（≤）", "an upper bound (≤)"),
}


def render_message(code: str, params: Mapping[str, Any], text: str, lang: str = "en") -> str:
    """Word a problem in ``lang`` from its code and parameters; ``text`` when the code is
    unknown or the parameters do not fit the template."""
    if code not in MESSAGES:
        return text
    values = dict(params)
    if "what" in values:
        values.setdefault("what_zh", WHAT_ZH.get(str(values["what"]), str(values["what"])))
    if "side" in values:
        values.setdefault("side_zh", _SIDE_ZH.get(str(values["side"]), str(values["side"])))
    hint = values.get("suggestion")
    values.setdefault("hint_zh", f"（是否应为 {hint}？）" if hint else "")
    values.setdefault("hint_en", f" (did you mean {hint}?)" if hint else "")
    if "qualifier" in values:
        zh_q, en_q = _QUALIFIER.get(str(values["qualifier"]), (values["qualifier"],) * 2)
        values.setdefault("qualifier_zh", zh_q)
        values.setdefault("qualifier_en", en_q)
    zh, en = MESSAGES[code]
    try:
        zh_text, en_text = zh.format(**values), en.format(**values)
    except (KeyError, ValueError, IndexError):
        return text
    return {"zh": zh_text, "en": en_text}.get(lang, f"{zh_text}\n{en_text}")


class CodedWarning:
    """Mixin for warnings that carry a problem code and its parameters (see :data:`MESSAGES`),
    so that a caught warning becomes a :class:`Problem` that can be worded in any language."""

    def __init__(self, message: str, code: str = "", params: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})


class CoordevalError(Exception):
    """Base class of the errors a user can cause (bad input, bad configuration)."""


class InputError(CoordevalError, ValueError):
    """One or more problems in an input file; ``problems`` lists every one of them.

    Also a ``ValueError``, as scikit-learn expects of estimators refusing their input.

    Parameters
    ----------
    problems : iterable of Problem
        All problems found (errors first; warnings may be included for context).
    summary : str, optional
        One line naming what could not be read.
    """

    def __init__(self, problems: Iterable[Problem], summary: str | None = None) -> None:
        self.problems = list(problems)
        n_err = sum(p.severity == "error" for p in self.problems)
        self.summary = summary or f"{n_err} problem(s) in the input"
        super().__init__(self.summary + "\n" + "\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its problems (worker processes send errors back pickled)
        return (type(self), (self.problems, self.summary))


class ConfigError(CoordevalError, ValueError):
    """An indicator system, method parameter, option or model file is invalid.

    Also a ``ValueError``, like :class:`InputError`: data errors are ``InputError``, option
    errors ``ConfigError``, and ``except ValueError`` catches both.

    Parameters
    ----------
    message : str
        What is wrong (the English wording of ``code`` when one is given).
    code : str, optional
        Stable problem code (a key of :data:`MESSAGES`).
    params : mapping, optional
        The values the message is made of.

    Attributes
    ----------
    problems : list of Problem
        The one coded problem, so that every :class:`CoordevalError` lists its problems.
    """

    def __init__(
        self, message: str, code: str = "", params: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})
        self.problems = [Problem(message, code=code, params=self.params)]

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.code, self.params))


class CoordevalWarning(UserWarning):
    """Base class of coordeval's warnings."""


class DataWarning(CodedWarning, CoordevalWarning):
    """Something in the data was accepted but deserves a look (qualifiers, unknown columns)."""


class ConstantIndicatorWarning(DataWarning):
    """An indicator does not vary over the fit data; it receives weight 0."""


class MethodWarning(CodedWarning, CoordevalWarning):
    """A method's result is valid but weak (e.g. classic coupling crowding near 1, AHP CR > 0.1)."""


def raise_if_errors(problems: Iterable[Problem], summary: str | None = None) -> None:
    """Raise :class:`InputError` when any problem has severity ``"error"``."""
    problems = list(problems)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems, summary)
