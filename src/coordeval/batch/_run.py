"""Scoring many inputs into the scores history: workers, reports, the folder lock, publishing.

:func:`score_files` scores many files (in parallel processes when there are several) and
merges the rows into ``OUTDIR/scores.csv`` (:mod:`coordeval.io.scores`): one row per
(city, year), re-scored city-years replace their old rows, everything else is kept. The
reports of ``reports=True`` are staged, then published together with the history: the
reports are moved into place first and the history renamed last; a failure on the way takes
the reports back, so a run publishes all of them with the history or nothing.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from coordeval._coded import coded, config_error
from coordeval.batch._file import (
    FileResult,
    _as_warnings,
    _failed,
    expand_inputs,
    score_file,
    scores_columns,
)
from coordeval.errors import CoordevalError
from coordeval.io.outputs import TEMP_PREFIX, Output, guarded, report_outputs
from coordeval.io.scores import SCORES_FILE, write_scores
from coordeval.io.scores import read_scores as _read_history
from coordeval.model import CoordinationModel, load_model, model_from_dict, model_sha256

#: The lock file that lets one ``score`` run at a time write a scores folder.
LOCK_FILE = ".scores.csv.lock"
#: Seconds a run waits for another run writing the same folder before it gives up.
LOCK_WAIT = 300.0
#: Folder (under the output folder) of the report workbooks of ``score --reports``.
REPORTS_DIR = "reports"
#: Prefix of those workbooks' names, so that they are never taken for data files.
REPORT_PREFIX = "coordeval_report_"
#: ``progress(done, total)``: called with 0 when the work has started, then after each input.
Progress = Callable[[int, int], None]


@dataclass
class BatchResult:
    """The outcome of :func:`score_files`.

    Attributes
    ----------
    results : list of FileResult
        One per input, in input order.
    scores_path : Path
        ``OUTDIR/scores.csv``.
    written : bool
        Whether ``scores.csv`` was (re)written in this run; it is not when every input failed.
    scores : DataFrame
        The whole history as written (empty when nothing was written).
    model_sha256 : str
        :func:`model_sha256` of the model used.
    notes : list of str
        Remarks on the run as a whole (city-years given by several inputs, conventions that
        batch scoring cannot apply).
    """

    results: list[FileResult]
    scores_path: Path
    written: bool = False
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    model_sha256: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        """The inputs that failed."""
        return [r for r in self.results if not r.ok]

    @property
    def totals(self) -> dict[str, int]:
        """Counts: ``files``, ``ok``, ``failed``, ``rows`` (city-years scored in this run,
        after removing duplicates between inputs) and ``warnings``."""
        return {
            "files": len(self.results),
            "ok": sum(r.ok for r in self.results),
            "failed": sum(not r.ok for r in self.results),
            "rows": sum(r.rows for r in self.results),
            "warnings": sum(len(r.warnings) for r in self.results),
        }

    @property
    def exit_code(self) -> int:
        """0 when every input was scored, 3 when some failed (the others are written), 1 when
        all failed or there was nothing to score."""
        t = self.totals
        if t["ok"] == 0:
            return 1
        return 3 if t["failed"] else 0

    def summary(self) -> pd.DataFrame:
        """One-row table of the totals: files, ok, failed, rows, warnings."""
        return pd.DataFrame([self.totals])

    def files_table(self) -> pd.DataFrame:
        """One row per input: file, status, rows, warnings, reason."""
        return pd.DataFrame(
            {
                "file": [str(r.file) for r in self.results],
                "status": [r.status for r in self.results],
                "rows": [r.rows for r in self.results],
                "warnings": [len(r.warnings) for r in self.results],
                "reason": [r.reason for r in self.results],
            }
        )


def read_scores(path: str | Path, model: CoordinationModel | None = None) -> pd.DataFrame:
    """Read a ``scores.csv`` written by :func:`score_files`, undoing the formula escaping.

    Parameters
    ----------
    path : str or Path
        The history file.
    model : CoordinationModel, optional
        When given, the file must have exactly the columns this model writes and must hold
        scores of this model only (its :func:`~coordeval.model.model_sha256`).

    Returns
    -------
    DataFrame
        Columns as in the file; floats exactly as written, text as it was before escaping.

    Raises
    ------
    ConfigError
        If the file cannot be read, is not a scores history, or (with ``model``) was
        written by another model: scores of different fits are not comparable, so they are
        never mixed in one history.
    """
    if model is None:
        return _read_history(path)
    return _read_history(path, scores_columns(model), model_sha256(model))


def _publish(staging: Path, outdir: Path) -> Callable[[], None]:
    """Move every file of the staging folder into ``outdir`` (same file system: renames) and
    return the function that takes them back (restoring the reports they replaced).

    A failure part-way takes back what was moved before it is raised, so the reports are
    published all-or-nothing.
    """
    outdir.mkdir(exist_ok=True)
    backup = staging / ".replaced"
    done: list[tuple[Path, Path, Path | None]] = []

    def rollback() -> None:
        for src, dst, old in reversed(done):
            with contextlib.suppress(OSError):
                os.replace(dst, src)
                if old is not None:
                    os.replace(old, dst)

    try:
        for f in sorted(p for p in staging.iterdir() if p.is_file()):
            dst = outdir / f.name
            old = None
            if dst.exists():
                backup.mkdir(exist_ok=True)
                old = backup / f.name
                os.replace(dst, old)
            try:
                os.replace(f, dst)
            except OSError:
                if old is not None:
                    os.replace(old, dst)
                raise
            done.append((f, dst, old))
    except BaseException:
        rollback()
        raise
    return rollback


@contextlib.contextmanager
def _folder_lock(outdir: Path, wait: float) -> Iterator[None]:
    """Hold the lock of a scores folder (``filelock``), waiting at most ``wait`` seconds."""
    from filelock import FileLock, Timeout

    outdir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(outdir / LOCK_FILE, timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise config_error(
            "scores_folder_locked", outdir=str(outdir), lock=str(outdir / LOCK_FILE), wait=wait
        ) from None
    except OSError as exc:
        why = exc.strerror or exc
        raise config_error("scores_folder_unlockable", outdir=str(outdir), why=str(why)) from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def _staging(outdir: Path, reports: bool) -> Iterator[Path | None]:
    """A recognisable temporary folder for this run's reports (removed afterwards)."""
    if not reports:
        yield None
        return
    staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=outdir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _is_report(path: Path) -> bool:
    """Whether ``path`` is a workbook coordeval wrote (its document creator)."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml")[:4096]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return b">coordeval<" in core


def _report_paths(inputs: Sequence[Path], outdir: Path) -> list[Path]:
    """``OUTDIR/reports/coordeval_report_<stem>.xlsx`` per input; never twice, never an input's
    own path, never a workbook coordeval did not write (such as one a CSV input was exported from).

    The folder and the prefix keep reports apart from data files: :func:`score_files` never
    reads a file in that folder, and the name says what the file is.
    """
    folder = outdir / REPORTS_DIR
    taken = {p.resolve() for p in inputs}
    stems = Counter(p.stem for p in inputs)
    used: set[Path] = set()
    out = []

    def foreign(cand: Path) -> bool:
        return cand.resolve() in taken or (cand.exists() and not _is_report(cand))

    for k, p in enumerate(inputs):
        cand = folder / f"{REPORT_PREFIX}{p.stem}.xlsx"
        if stems[p.stem] > 1 or foreign(cand):
            cand = folder / f"{REPORT_PREFIX}{p.stem}_{p.suffix.lstrip('.') or 'data'}.xlsx"
        if foreign(cand) or cand in used:
            cand = folder / f"{REPORT_PREFIX}{p.stem}_{k + 1}.xlsx"
        if foreign(cand):
            cand = folder / f"{REPORT_PREFIX}{p.stem}_{k + 1}_report.xlsx"
        used.add(cand)
        out.append(cand)
    return out


def _write_report(
    result: FileResult, model: CoordinationModel, digest: str, target: Path
) -> FileResult:
    """``model.assess(panel, problems=…)`` then ``.to_excel(target)``; a failure fails the file."""
    name = result.file.name
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            a = model.assess(
                result.panel,
                problems=list(result.problems),
                meta={"data_file": name, "model_sha256": digest},
            )
        a = a.amended(problems=_as_warnings(caught, name))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            a.to_excel(target)
        result.warnings.extend(_as_warnings(caught, name))
    except (CoordevalError, OSError) as exc:
        problem = coded("report_failed", file=name, name=name, report=target.name, why=str(exc))
        return _failed(result.file, problem.message, [problem])
    result.report = target
    return result


def _process(
    path: Path,
    model: CoordinationModel,
    digest: str,
    report: Path | None,
    options: dict[str, Any] | None = None,
) -> FileResult:
    result = score_file(path, model, model_hash=digest, **(options or {}))
    if result.ok and report is not None:
        result = _write_report(result, model, digest, report)
    return result


_WORKER: dict[str, Any] = {}


def _init_worker(model_data: dict[str, Any], digest: str, options: dict[str, Any]) -> None:
    _WORKER["model"] = model_from_dict(model_data, "<batch worker>")
    _WORKER["digest"] = digest
    _WORKER["options"] = options


def _worker(path: str, report: str | None) -> FileResult:
    return _process(
        Path(path),
        _WORKER["model"],
        _WORKER["digest"],
        None if report is None else Path(report),
        _WORKER["options"],
    )


def _mp_context() -> Any:
    """The start method for worker processes.

    ``fork`` on Linux when this process runs a single thread (instant start, nothing to
    import again; with one thread forking is safe), else ``forkserver`` (a clean,
    single-threaded server that imports coordeval once), else ``spawn``.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["coordeval.batch"])
        return ctx
    return multiprocessing.get_context("spawn")


def _n_workers(jobs: int | None, n_files: int) -> int:
    if jobs is None:
        return max(1, min(os.cpu_count() or 1, n_files))
    if isinstance(jobs, bool) or not isinstance(jobs, int | np.integer) or jobs < 1:
        raise config_error("jobs_invalid", jobs=repr(jobs))
    return max(1, min(int(jobs), n_files))


def _run(
    inputs: Sequence[Path],
    model: CoordinationModel,
    digest: str,
    reports: Sequence[Path | None],
    workers: int,
    progress: Progress | None,
    options: dict[str, Any],
) -> list[FileResult]:
    def advance(done: int) -> None:
        if progress is not None:
            progress(done, len(inputs))

    if workers == 1:
        results = []
        advance(0)
        for p, r in zip(inputs, reports, strict=True):
            results.append(_process(p, model, digest, r, options))
            advance(len(results))
        return results
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_mp_context(),
        initializer=_init_worker,
        initargs=(model.to_dict(), digest, options),
    ) as pool:
        # all workers start on the first submit, before a progress display starts a thread
        futures = [
            pool.submit(_worker, str(p), None if r is None else str(r))
            for p, r in zip(inputs, reports, strict=True)
        ]
        advance(0)
        for done, _ in enumerate(as_completed(futures), start=1):
            advance(done)
        return [f.result() for f in futures]


def _bridge_gaps(
    results: list[FileResult],
    model: CoordinationModel,
    digest: str,
    reports: Sequence[Path | None],
    options: dict[str, Any],
) -> None:
    """Score again the inputs whose gaps could not be interpolated within the file, with the
    other scored inputs' years as neighbours (``missing="interpolate"`` across files)."""
    marker = "cannot be interpolated"
    retry = [
        k
        for k, r in enumerate(results)
        if not r.ok and any(marker in p.message for p in r.problems)
    ]
    panels = [r.panel for r in results if r.ok and r.panel is not None]
    if not retry or not panels:
        return
    context = pd.concat(panels)
    context = context[~context.index.duplicated(keep="last")]
    for k in retry:
        results[k] = _process(
            results[k].file, model, digest, reports[k], options | {"context": context}
        )


def _merge_new(results: list[FileResult]) -> tuple[pd.DataFrame, list[str]]:
    """Rows of all scored inputs; a city-year given by several inputs keeps the last one."""
    ok = [(k, r) for k, r in enumerate(results) if r.ok]
    new = pd.concat([r.scores.assign(_input=k) for k, r in ok], ignore_index=True)
    dup = new.duplicated(["city", "year"], keep="last").to_numpy()
    notes = []
    if dup.any():
        gone = new[dup]
        winner = new.drop_duplicates(["city", "year"], keep="last").set_index(["city", "year"])
        for k, part in gone.groupby("_input", sort=True):
            kept_from = winner.loc[
                pd.MultiIndex.from_frame(part[["city", "year"]]), "_input"
            ].to_numpy()
            keys = (part["city"] + " " + part["year"].astype("str")).tolist()
            shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
            later = sorted({str(results[int(j)].file) for j in kept_from})
            text = (
                f"{len(keys)} city-year(s) of {results[int(k)].file} are also in the later "
                f"input(s) {', '.join(later)}, whose rows are kept: {shown}"
            )
            notes.append(text)
            results[int(k)].warnings.append(
                coded(
                    "rows_kept_from_later",
                    file=results[int(k)].file.name,
                    severity="warning",
                    n=len(keys),
                    input=str(results[int(k)].file),
                    later=", ".join(later),
                    shown=shown,
                )
            )
            own = results[int(k)].scores
            lost = pd.MultiIndex.from_frame(own[["city", "year"]]).isin(
                pd.MultiIndex.from_frame(part[["city", "year"]])
            )
            results[int(k)].scores = own[~lost].reset_index(drop=True)
    return new[~dup].drop(columns="_input").reset_index(drop=True), notes


def score_files(
    paths: str | Path | Iterable[str | Path],
    model: CoordinationModel | str | Path,
    outdir: str | Path,
    *,
    reports: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    lock_wait: float | None = None,
    missing: str = "error",
    verbose: bool = False,
    cities: pd.DataFrame | None = None,
) -> BatchResult:
    """Score every input with a saved model and update the history ``OUTDIR/scores.csv``.

    Parameters
    ----------
    paths : str, Path or iterable of them
        Files, folders and glob patterns (see :func:`expand_inputs`).
    model : CoordinationModel, str or Path
        A fitted model, or the path of a model saved with :meth:`CoordinationModel.save`.
    outdir : str or Path
        Output folder (created when missing). ``scores.csv`` there is read, updated and
        rewritten atomically; with ``reports=True`` one workbook
        ``reports/coordeval_report_<input stem>.xlsx`` per scored input is written there too
        (files in ``OUTDIR/reports`` are never read as inputs).
    reports : bool
        Also write a full assessment report per input
        (``model.assess(panel, problems=…).to_excel(…)``); a report that cannot be written
        fails its input.
    jobs : int, optional
        Worker processes. Default: one per CPU (at most one per file); ``1`` scores in this
        process. Parallel and sequential runs give identical output.
    progress : callable, optional
        ``progress(done, total)``, called with ``done = 0`` once the work has started (after
        the worker processes) and after each input; the CLI draws its progress bar with it.
    lock_wait : float, optional
        Seconds to wait for another run that holds the folder's lock (``OUTDIR/.scores.csv.lock``,
        ``filelock``); default :data:`LOCK_WAIT`.
    missing : {"error", "drop", "interpolate"}
        Missing-value policy of every input (see :func:`score_file`). With
        ``"interpolate"``, a gap that cannot be bridged within its file (a one-year file) is
        interpolated between the neighbouring years of the other inputs of the run, and the
        filled cells are listed.
    verbose : bool
        One warning per value outside the fitted range instead of one summary per file.
    cities : DataFrame, optional
        A cities table (:func:`coordeval.io.side.read_cities`) applied to every input.

    Returns
    -------
    BatchResult
        Per-file results in input order, totals and the exit code (0 all scored, 3 some
        failed but the others are written, 1 all failed or nothing to score).

    Raises
    ------
    ConfigError
        A model file that cannot be loaded (edited, damaged, another schema version), a
        ``scores.csv`` that was written by another model or cannot be read, an invalid
        ``jobs``, or a ``scores.csv`` that cannot be written (the previous one is then left
        unchanged).

    Notes
    -----
    The history has one row per (city, year). Rows of city-years scored in this run replace
    the rows already in ``scores.csv``; all other rows are kept; the result is sorted by
    city, then year, and written to a temporary file in ``outdir`` that is then renamed over
    ``scores.csv`` (:func:`coordeval.io.atomic.write_atomic`), so a run that fails or is
    interrupted leaves the previous history byte-identical and no temporary file behind.
    Running the same inputs again rewrites the same bytes. When several inputs of one run
    hold the same city-year, the input given last wins (a note and a warning say so). Inputs
    fail on their own — an unreadable file never stops the others. Workers receive the
    model as its JSON dict and rebuild it with :func:`coordeval.model.model_from_dict`. They
    are forked on Linux when the calling process has a single thread, and otherwise started
    with ``forkserver`` (or ``spawn``), so a script that calls this with ``jobs != 1`` needs
    the usual ``if __name__ == "__main__":`` guard.

    References
    ----------
    OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection (leading
    ``= + - @``, tab and carriage return; escaping with a single quote).
    """
    model_path = None
    if not isinstance(model, CoordinationModel):
        model_path = Path(model)
        model = load_model(model)
    outdir = Path(outdir)
    target = outdir / SCORES_FILE
    columns = scores_columns(model)
    fixed_columns = set(columns) - set(model.system_.subsystem_ids)
    clash = sorted(set(model.system_.subsystem_ids) & fixed_columns)
    if clash:
        raise config_error("subsystem_id_clash", clash=str(clash), file=SCORES_FILE)
    digest = model_sha256(model)
    if isinstance(paths, str | Path):
        paths = [paths]
    from coordeval.io.validate import check_missing_policy

    check_missing_policy(missing)
    own = target.resolve()
    written_here = (outdir / REPORTS_DIR).resolve()
    expanded = expand_inputs(paths)
    ours = [p for p in expanded if p.exists() and p.resolve().parent == written_here]
    inputs = [p for p in expanded if p not in ours and not (p.exists() and p.resolve() == own)]
    result = BatchResult(results=[], scores_path=target, model_sha256=digest)
    if ours:
        result.notes.append(
            f"{len(ours)} file(s) in {outdir / REPORTS_DIR} (reports written by coordeval score) "
            "were not read as inputs"
        )
    if not inputs:
        result.notes.append("nothing to score: no input given")
        return result
    workers = _n_workers(jobs, len(inputs))
    report_paths: list[Path | None] = (
        list(_report_paths(inputs, outdir)) if reports else [None] * len(inputs)
    )
    sources = [("input", p) for p in inputs] + [("model file", model_path)]
    outputs = [Output("scores history", target), Output("lock", outdir / LOCK_FILE)]
    outputs += [report_outputs(r) for r in report_paths if r is not None]
    options = {"missing": missing, "verbose": verbose, "cities": cities}
    with (
        guarded(sources, outputs, [("scores folder", outdir)]),
        _folder_lock(outdir, LOCK_WAIT if lock_wait is None else lock_wait),
        _staging(outdir, reports) as staging,
    ):
        history = read_scores(target, model) if target.exists() else None
        staged = [None if r is None or staging is None else staging / r.name for r in report_paths]
        result.results = _run(inputs, model, digest, staged, workers, progress, options)
        if missing == "interpolate":
            _bridge_gaps(result.results, model, digest, staged, options)
        for r, final in zip(result.results, report_paths, strict=True):
            if r.report is not None and final is not None:
                r.report = final
        _commit(result, model, history, target, staging)
    return result


def _commit(
    result: BatchResult,
    model: CoordinationModel,
    history: pd.DataFrame | None,
    target: Path,
    staging: Path | None,
) -> None:
    """Merge the new rows into the history; write it together with the staged reports."""
    if model.conventions_.grades == "spssau":
        result.notes.append(
            "grades 'spssau': grade = floor(10·D) + 1; SPSSAU's rescaling of U to "
            "[0.01, 0.99] over the scored rows is applied only to a file holding exactly the "
            "fit data; new years are not rescaled, so that every city-year is scored on its own"
        )
    if not any(r.ok for r in result.results):
        return
    new, notes = _merge_new(result.results)
    result.notes += notes
    if history is not None and len(history):
        old_keys = pd.MultiIndex.from_frame(history[["city", "year"]])
        new_keys = pd.MultiIndex.from_frame(new[["city", "year"]])
        history = history[~old_keys.isin(new_keys)].astype(new.dtypes.to_dict())
        merged = pd.concat([history, new], ignore_index=True)
    else:
        merged = new
    merged = merged.sort_values(["city", "year"], kind="stable").reset_index(drop=True)
    publish = None if staging is None else (lambda: _publish(staging, target.parent / REPORTS_DIR))
    write_scores(target, merged, publish)
    result.written = True
    result.scores = merged
