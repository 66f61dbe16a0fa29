"""Outputs never touch inputs: the one check every writing command runs before any work.

:func:`check_outputs` compares every output path — and every name derived from it (a report's
CSV sidecars ``<stem>_<table>.csv``, the scores history and its lock) — with every input, by
resolved path (symbolic links followed) and by file identity (``st_dev``/``st_ino``: hard links,
another spelling of the same name on a case-insensitive disk). It also checks that every
destination can be written: a folder that is a file, a path under a regular file, a read-only
folder. Every failure is one :class:`~coordeval.errors.ConfigError` naming the path(s).

:func:`guarded` runs that check and then, for the duration of the command, refuses any atomic
write (:func:`coordeval.io.atomic.atomic_path`) whose target is one of the inputs — a second
line of defence for names only known late.

Temporary files of atomic writes are named ``.coordeval-tmp-<pid>-<random>-<name>`` (and the
staging folder of a batch run's reports ``.coordeval-tmp-<pid>-<random>``);
:func:`remove_stale_temporaries` deletes those whose writing process is gone (or that are older
than a day), and is run on every output folder by :func:`check_outputs`.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from coordeval.errors import ConfigError

#: Prefix of every temporary file an atomic write creates (see :func:`temporary_name`).
TEMP_PREFIX = ".coordeval-tmp-"
#: A temporary file older than this (seconds) is stale even if its process id is alive again.
STALE_AFTER = 24 * 3600.0
_TEMP_RE = re.compile(rf"^{re.escape(TEMP_PREFIX)}(\d+)-")

_PROTECTED: contextvars.ContextVar[tuple[tuple[str, Path], ...]] = contextvars.ContextVar(
    "coordeval_protected_inputs", default=()
)


@dataclass(frozen=True)
class Output:
    """One destination of a command.

    Parameters
    ----------
    what : str
        What is written, for messages ("report", "model", "scores history").
    path : Path
        The file written.
    sidecars : bool
        The file is a report workbook that may write ``<stem>_<table>.csv`` beside it.
    """

    what: str
    path: Path
    sidecars: bool = False


def temporary_name(target: Path, token: str) -> str:
    """The recognisable name of a temporary file for ``target`` (keeps its suffix)."""
    return f"{TEMP_PREFIX}{os.getpid()}-{token}-{target.name}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_stale_temporaries(folder: str | Path) -> list[Path]:
    """Delete the temporary files of atomic writes that died in ``folder``; return them.

    A temporary file is stale when the process that created it no longer runs, or when it is
    older than :data:`STALE_AFTER`. Files of running writers are left alone.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = _TEMP_RE.match(entry.name)
        if m is None or entry.is_symlink():
            continue
        with contextlib.suppress(OSError):
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if old or not _alive(int(m.group(1))):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return path.absolute()


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: same resolved path, or the same device and inode."""
    a, b = Path(a), Path(b)
    if _resolved(a) == _resolved(b):
        return True
    ia = _identity(a)
    return ia is not None and ia == _identity(b)


def _sidecar_of(report: Path, candidate: Path) -> bool:
    """Whether ``candidate`` could be a CSV sidecar ``<stem>_<table>.csv`` of ``report``."""
    name = candidate.name.casefold()
    stem = report.stem.casefold() + "_"
    if not (name.startswith(stem) and name.endswith(".csv") and len(name) > len(stem) + 4):
        return False
    return same_file(_resolved(candidate).parent, _resolved(report).parent)


def _first_existing(path: Path) -> Path:
    p = _resolved(path)
    while not p.exists() and p != p.parent:
        if p.is_symlink():
            break
        p = p.parent
    return p


def check_writable(path: str | Path, what: str = "output") -> None:
    """Refuse a destination that cannot be written, naming it, before any work is done.

    The folder must be a folder (not a file, not under a regular file) and accept a new file
    (a probe file is created and removed); ``path`` itself must not be a folder.
    """
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"cannot write the {what} {path}: it is a folder, not a file")
    base = _first_existing(path.parent)
    if not base.is_dir():
        raise ConfigError(
            f"cannot write the {what} {path}: {base} is a file, not a folder"
            if base.exists()
            else f"cannot write the {what} {path}: its folder cannot be created"
        )
    probe = base / f"{TEMP_PREFIX}{os.getpid()}-probe"
    try:
        fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise ConfigError(
            f"cannot write the {what} {path}: the folder {base} is not writable "
            f"({exc.strerror or exc})"
        ) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def check_folder(path: str | Path, what: str = "output folder") -> None:
    """Refuse an output folder that is a file, lies under a file, or is not writable."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"cannot use the {what} {path}: it is a file, not a folder")
    check_writable(path / f"{TEMP_PREFIX}check", what)


def _clash(output: Output, label: str, inp: Path) -> str | None:
    if same_file(output.path, inp):
        return f"the {output.what} {output.path} is the {label} {inp} (the same file)"
    if output.sidecars and _sidecar_of(output.path, inp):
        return (
            f"the {output.what} {output.path} may write its table {inp.name} beside it, "
            f"which is the {label} {inp}"
        )
    return None


def check_outputs(
    inputs: Iterable[tuple[str, str | Path | None]],
    outputs: Iterable[Output],
    folders: Iterable[tuple[str, str | Path]] = (),
) -> None:
    """Check every destination before any work: writable, and never one of the inputs.

    Parameters
    ----------
    inputs : iterable of (label, path)
        Every file the command reads (``None`` entries and non-files are ignored).
    outputs : iterable of Output
        Every file the command writes.
    folders : iterable of (label, path)
        Output folders (checked to be folders and writable).

    Raises
    ------
    ConfigError
        One message listing every clash (naming the output and the input) or the first
        destination that cannot be written.
    """
    ins = [(label, Path(p)) for label, p in inputs if p is not None and Path(p).is_file()]
    outs = list(outputs)
    for label, folder in folders:
        check_folder(folder, label)
    for o in outs:
        check_writable(o.path, o.what)
    clashes = [c for o in outs for label, p in ins if (c := _clash(o, label, p)) is not None]
    for k, a in enumerate(outs):
        clashes += [
            f"the {a.what} and the {b.what} are one file {b.path}"
            for b in outs[k + 1 :]
            if same_file(a.path, b.path)
        ]
    if clashes:
        raise ConfigError(
            "an output would replace an input: "
            + "; ".join(clashes)
            + " — choose another output path"
        )
    for folder in {_resolved(o.path).parent for o in outs} | {
        _resolved(Path(f)) for _, f in folders
    }:
        remove_stale_temporaries(folder)


def check_target(target: str | Path) -> None:
    """Refuse an atomic write over a protected input (see :func:`guarded`)."""
    for label, p in _PROTECTED.get():
        if same_file(target, p):
            raise ConfigError(f"refusing to write {target}: it is the {label} {p}")


@contextlib.contextmanager
def guarded(
    inputs: Iterable[tuple[str, str | Path | None]],
    outputs: Iterable[Output],
    folders: Iterable[tuple[str, str | Path]] = (),
) -> Iterator[None]:
    """:func:`check_outputs`, then protect the inputs from every atomic write inside."""
    ins = [(label, Path(p)) for label, p in inputs if p is not None]
    check_outputs(ins, outputs, folders)
    token = _PROTECTED.set((*_PROTECTED.get(), *((lb, p) for lb, p in ins if p.is_file())))
    try:
        yield
    finally:
        _PROTECTED.reset(token)


def report_outputs(path: str | Path) -> Output:
    """The :class:`Output` of a report workbook (with its CSV sidecars)."""
    return Output("report", Path(path), sidecars=True)
