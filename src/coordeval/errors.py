"""Problems, errors and warnings that users of coordeval see.

A :class:`Problem` locates one defect in an input (file, sheet, cell, column, value) and
says what is wrong. Readers and validators collect every problem before failing, then raise
one :class:`InputError` that carries all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

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
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    column: str | None = None
    value: str | None = None
    severity: Severity = "error"

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


class ConfigError(CoordevalError):
    """An indicator system, method parameter or model file is invalid."""


class CoordevalWarning(UserWarning):
    """Base class of coordeval's warnings."""


class DataWarning(CoordevalWarning):
    """Something in the data was accepted but deserves a look (qualifiers, unknown columns)."""


class ConstantIndicatorWarning(DataWarning):
    """An indicator does not vary over the fit data; it receives weight 0."""


class MethodWarning(CoordevalWarning):
    """A method's result is valid but weak (e.g. classic coupling crowding near 1, AHP CR > 0.1)."""


def raise_if_errors(problems: Iterable[Problem], summary: str | None = None) -> None:
    """Raise :class:`InputError` when any problem has severity ``"error"``."""
    problems = list(problems)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems, summary)
