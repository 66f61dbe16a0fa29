"""Atomic file writing: a temporary file in the target folder, then a rename.

A failed or interrupted write leaves any earlier file byte-identical and no stray file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from coordeval.errors import ConfigError
from coordeval.io.outputs import check_target, temporary_name

#: Leading characters that make a spreadsheet read a cell as a formula (OWASP "CSV
#: injection"): text starting with one of them is written as text in every output.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success rename it over ``target``.

    The temporary file is named :func:`coordeval.io.outputs.temporary_name` (recognised and
    removed by the next run if this process dies) and keeps the target's suffix (writers such
    as openpyxl look at it). On any exception the temporary file is removed and ``target`` is
    left untouched. A target that is a protected input (:func:`coordeval.io.outputs.guarded`)
    or whose folder cannot be written raises :class:`~coordeval.errors.ConfigError`. The result gets
    the permissions of an ordinary new file (``0o666`` less the umask), or those of the file it
    replaces, not the owner-only mode of a temporary file.
    """
    target = Path(target)
    check_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp_path = target.parent / temporary_name(target, secrets.token_hex(4))
        os.close(os.open(tmp_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except (FileExistsError, NotADirectoryError):
        raise ConfigError(f"cannot write {target}: {target.parent} is not a folder") from None
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        yield tmp_path
        os.chmod(tmp_path, _mode_for(target))
        try:
            os.replace(tmp_path, target)
        except OSError as exc:
            raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def _mode_for(target: Path) -> int:
    """Permission bits for a file written at ``target``: the old file's, or 0o666 & ~umask."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(target: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp_path)`` and move the result to ``target`` atomically."""
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)


def write_text_atomic(target: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically."""
    return write_atomic(target, lambda p: p.write_text(text, encoding=encoding))
