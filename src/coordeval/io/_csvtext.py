"""The one escaping rule for text written to CSV files that spreadsheets open.

Text starting with ``= + - @``, a tab or a carriage return
(:data:`~coordeval.io.atomic.FORMULA_TRIGGERS`) would be taken for a formula; it is written
with a leading single quote ``'``. Text that already starts with ``'`` gets one too, so that
:func:`unescape_text` removes exactly one quote and gives back the original text (the rule
round-trips).

References
----------
OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection.
"""

from __future__ import annotations

import pandas as pd

from coordeval.io.atomic import FORMULA_TRIGGERS

__all__ = ["escape_frame", "escape_text", "unescape_text"]


def escape_text(s: pd.Series) -> pd.Series:
    """``s`` as text, a ``'`` put before every cell that starts with a formula trigger or a
    quote."""
    s = s.astype("str")
    risky = s.str.startswith((*FORMULA_TRIGGERS, "'"))
    return s.mask(risky, "'" + s)


def unescape_text(s: pd.Series) -> pd.Series:
    """The inverse of :func:`escape_text`: one leading ``'`` removed."""
    s = s.astype("str")
    return s.mask(s.str.startswith("'"), s.str.slice(1))


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with :func:`escape_text` applied to every text column (missing values
    stay missing)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            s = out[col].astype("string")
            risky = s.str.startswith((*FORMULA_TRIGGERS, "'")).fillna(False)
            out[col] = s.where(~risky, "'" + s)
    return out
