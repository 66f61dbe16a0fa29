"""The scores history ``scores.csv``: its columns, reading it back and writing it atomically.

``scores.csv`` (UTF-8 with BOM, so Excel detects the encoding) has the columns ``city, year``,
one column per subsystem score U, ``composite`` (TOPSIS closeness), ``C, T, D, grade,
level_zh, level_en, clipped`` (coupling coordination with the model's conventions),
``out_of_range`` (e.g. ``"gsp>hi; unemp<lo"``: the indicators outside the fitted bounds,
empty when none), ``source_file`` (the input's file name) and ``model_sha256`` (the hash of
the fit, :func:`coordeval.model.model_sha256`). Floats are written with the shortest
representation that reads back to the same double, so the history is lossless. Text cells
are escaped with the one round-tripping rule of :mod:`coordeval.io._csvtext`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from coordeval._coded import config_error
from coordeval.errors import ConfigError
from coordeval.io._csvtext import escape_text, unescape_text
from coordeval.io.atomic import atomic_path

__all__ = [
    "COUPLING_COLUMNS",
    "SCORES_FILE",
    "TEXT_COLUMNS",
    "read_scores",
    "scores_columns",
    "write_scores",
]

SCORES_FILE = "scores.csv"
#: Columns of text (escaped on writing, unescaped on reading).
TEXT_COLUMNS = (
    "city",
    "level_zh",
    "level_en",
    "clipped",
    "out_of_range",
    "source_file",
    "model_sha256",
)
#: The coupling step's columns kept in the history.
COUPLING_COLUMNS = ("C", "T", "D", "grade", "level_zh", "level_en", "clipped")
# pandas before 3.1 parses floats with a fast parser that can be off by one ulp unless asked
# for round-trip parsing (measured with pandas 3.0.0 and 3.0.6); pandas 3.1 parses exactly by
# default and deprecates the argument
_ROUND_TRIP: dict[str, str] = (
    {"float_precision": "round_trip"}
    if tuple(int(x) for x in pd.__version__.split(".")[:2]) < (3, 1)
    else {}
)


def scores_columns(subsystem_ids: Sequence[str]) -> list[str]:
    """The columns of ``scores.csv`` for a model with these subsystems, in order."""
    return [
        "city",
        "year",
        *subsystem_ids,
        "composite",
        *COUPLING_COLUMNS,
        "out_of_range",
        "source_file",
        "model_sha256",
    ]


def read_scores(
    path: str | Path, columns: Sequence[str] | None = None, digest: str | None = None
) -> pd.DataFrame:
    """Read a scores history, undoing the formula escaping.

    Parameters
    ----------
    path : str or Path
        The history file.
    columns : sequence of str, optional
        The columns the file must have, in order (:func:`scores_columns` of a model).
    digest : str, optional
        The only ``model_sha256`` the rows may carry.

    Returns
    -------
    DataFrame
        Columns as in the file; floats exactly as written, text as it was before escaping.

    Raises
    ------
    ConfigError
        If the file cannot be read, is not a scores history, has other columns than
        ``columns``, numbers stored as text, a (city, year) twice, or rows of another fit.
    """
    path = Path(path)
    text_cols = dict.fromkeys(TEXT_COLUMNS, "str")
    try:
        frame = pd.read_csv(
            path,
            encoding="utf-8-sig",
            dtype=text_cols,
            keep_default_na=False,
            na_values=[],
            **_ROUND_TRIP,
        )
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise config_error("scores_unreadable", path=str(path), why=str(exc)) from None
    if columns is not None:
        expected = list(columns)
        if list(frame.columns) != expected:
            raise config_error(
                "scores_columns_differ",
                path=str(path),
                columns=str(list(frame.columns)),
                expected=str(expected),
            )
        numeric = [c for c in expected if c not in TEXT_COLUMNS]
        bad = [c for c in numeric if not pd.api.types.is_numeric_dtype(frame[c])]
        if bad:
            raise config_error("scores_text_in_numbers", path=str(path), columns=str(bad))
    missing = [c for c in ("city", "year", "model_sha256") if c not in frame.columns]
    if missing:
        raise config_error("scores_not_history", path=str(path), missing=str(missing))
    for col in TEXT_COLUMNS:
        if col in frame.columns:
            frame[col] = unescape_text(frame[col])
    if digest is not None and len(frame):
        others = sorted(set(frame["model_sha256"]) - {digest})
        if others:
            raise config_error(
                "scores_other_model", path=str(path), other=others[0][:12], this=digest[:12]
            )
    if frame.duplicated(["city", "year"]).any():
        raise config_error("scores_duplicate_key", path=str(path))
    return frame


def write_scores(
    target: Path,
    frame: pd.DataFrame,
    publish: Callable[[], Callable[[], None]] | None = None,
) -> None:
    """Write the history atomically, last: after ``publish`` has put everything that goes with
    it in place.

    ``publish`` (called once the new history is written to its temporary file) puts the
    companion files in place and returns a function that takes them back. When ``publish``
    or the final rename of the history fails, the companions are taken back and the previous
    history is left byte-identical, so the history and its companions are published
    all-or-nothing.

    Raises
    ------
    ConfigError
        Naming the target; nothing of this run is published.
    """
    out = frame.assign(**{c: escape_text(frame[c]) for c in TEXT_COLUMNS})
    rollback: Callable[[], None] | None = None
    try:
        with atomic_path(target) as tmp:
            out.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
            if publish is not None:
                rollback = publish()
    except BaseException as exc:
        if rollback is not None:  # an interrupt, too, takes the companions back
            rollback()
        if not isinstance(exc, OSError | ConfigError):
            raise
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise config_error("scores_unwritable", target=str(target), why=str(why)) from None
