"""Score many yearbook files against a saved model and keep a history of scores.

A planning office fits a :class:`~coordeval.model.CoordinationModel` once, saves it as JSON and
scores every new year's file against it, so that all years are on the same scale. This
package does the scoring in bulk:

* :func:`expand_inputs` turns files, folders and glob patterns into a list of data files;
* :func:`score_file` reads and validates one file against the model's indicator system,
  scores it with the frozen model and computes the coupling coordination of its subsystem
  scores (no side effects);
* :func:`score_files` scores many files (in parallel processes when there are several) and
  merges the rows into ``OUTDIR/scores.csv``, the scores history (format:
  :mod:`coordeval.io.scores`): one row per (city, year), re-scored city-years replace their
  old rows, everything else is kept, and the file is rewritten atomically (temporary file,
  then rename), so an interrupted run leaves the previous history intact. Progress is
  reported to a callback; drawing it is the caller's business (the CLI draws a bar).
"""

from __future__ import annotations

from coordeval.batch._file import (
    DATA_SUFFIXES,
    FileResult,
    expand_inputs,
    score_file,
    scores_columns,
)
from coordeval.batch._run import (
    LOCK_FILE,
    LOCK_WAIT,
    REPORT_PREFIX,
    REPORTS_DIR,
    BatchResult,
    Progress,
    read_scores,
    score_files,
)
from coordeval.io.atomic import FORMULA_TRIGGERS
from coordeval.io.scores import SCORES_FILE
from coordeval.model import model_sha256

__all__ = [
    "DATA_SUFFIXES",
    "FORMULA_TRIGGERS",
    "LOCK_FILE",
    "LOCK_WAIT",
    "REPORTS_DIR",
    "REPORT_PREFIX",
    "SCORES_FILE",
    "BatchResult",
    "FileResult",
    "Progress",
    "expand_inputs",
    "model_sha256",
    "read_scores",
    "score_file",
    "score_files",
    "scores_columns",
]
