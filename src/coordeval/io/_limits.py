"""Resource limits of the reader and the guarded reading of a file's bytes."""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coordeval.errors import (
    ConfigError,
    InputError,
    Problem,
)

__all__ = ["ENV_MAX_CELLS", "ENV_MAX_MB", "ENV_MAX_ROWS", "ReadLimits"]

ENV_MAX_MB = "COORDEVAL_MAX_INPUT_MB"
ENV_MAX_ROWS = "COORDEVAL_MAX_ROWS"
ENV_MAX_CELLS = "COORDEVAL_MAX_CELLS"


@dataclass(frozen=True)
class ReadLimits:
    """Resource limits that protect the reader from oversized and hostile files.

    Attributes
    ----------
    max_bytes : int
        Largest CSV file, and largest total uncompressed size of the parts of an ``.xlsx``
        package (a "zip bomb" is a few kilobytes that inflate to gigabytes). Default 200 MiB.
    max_rows : int
        Most rows a sheet or CSV file may have (header and notes included). Default
        1,048,576, the row limit of an Excel worksheet.
    max_cells : int
        Most cells of the rectangle from A1 to a sheet's last used row and column. A sheet
        with one value in A1 and one in XFD1048576 spans 1.7 × 10^10 cells, which a reader
        would try to allocate; default 20,000,000 (as many as 200 MiB of sheet XML can
        hold).
    max_parts : int
        Most members of an ``.xlsx`` package. Default 10,000.

    Notes
    -----
    :meth:`from_env` reads overrides from the environment variables
    ``COORDEVAL_MAX_INPUT_MB``, ``COORDEVAL_MAX_ROWS`` and ``COORDEVAL_MAX_CELLS`` (so the
    command line can be given larger limits without an option).
    """

    max_bytes: int = 200 * 2**20
    max_rows: int = 1_048_576
    max_cells: int = 20_000_000
    max_parts: int = 10_000

    @classmethod
    def from_env(cls) -> ReadLimits:
        """Defaults, overridden by ``COORDEVAL_MAX_INPUT_MB``/``_MAX_ROWS``/``_MAX_CELLS``.

        Raises
        ------
        ConfigError
            When a variable is set but is not a positive number.
        """
        values: dict[str, int] = {}
        for env, key, scale in (
            (ENV_MAX_MB, "max_bytes", 2**20),
            (ENV_MAX_ROWS, "max_rows", 1),
            (ENV_MAX_CELLS, "max_cells", 1),
        ):
            text = os.environ.get(env)
            if text is None or not text.strip():
                continue
            try:
                number = float(text)
            except ValueError:
                number = float("nan")
            if not (math.isfinite(number) and number > 0):
                raise ConfigError(f"{env}={text!r} must be a positive number")
            values[key] = int(number * scale)
        return cls(**values)


def _read_bytes(path: Path, limits: ReadLimits) -> bytes:
    """The file's bytes, opened read-only; refuses folders, devices and oversized files."""
    try:
        info = path.stat()
    except FileNotFoundError:
        problem = Problem("file not found", file=path.name, code="file_not_found")
        raise InputError([problem], f"{path}: not found") from None
    except OSError as exc:
        problem = _cannot_read(path.name, exc)
        raise InputError([problem], f"{path.name}: cannot be read") from None
    if not stat.S_ISREG(info.st_mode):
        folder = stat.S_ISDIR(info.st_mode)
        what = "a folder" if folder else "not a regular file"
        problem = Problem(
            f"cannot be read: {what}; give a .xlsx or .csv file",
            file=path.name,
            code="path_is_folder" if folder else "path_not_regular",
        )
        raise InputError([problem], f"{path.name}: not a data file")
    if info.st_size > limits.max_bytes:
        raise _too_big(path.name, "the file is", info.st_size, limits, "file_too_large")
    try:
        with path.open("rb") as fh:
            data = fh.read(limits.max_bytes + 1)
    except OSError as exc:
        problem = _cannot_read(path.name, exc)
        raise InputError([problem], f"{path.name}: cannot be read") from None
    if len(data) > limits.max_bytes:
        raise _too_big(path.name, "the file is", len(data), limits, "file_too_large")
    return data


def _cannot_read(file: str, exc: OSError) -> Problem:
    return Problem(
        f"cannot be read: {exc.strerror}",
        file=file,
        code="file_unreadable",
        params={"reason": exc.strerror},
    )


def _too_big(file: str, what: str, size: int, limits: ReadLimits, code: str) -> InputError:
    """A file (or a workbook's inflated content) over ``limits.max_bytes``; ``what`` begins
    the message as ``code``'s template does."""
    size_mib, limit_mib = size / 2**20, limits.max_bytes / 2**20
    message = (
        f"{what} {size_mib:,.1f} MiB, more than the limit of "
        f"{limit_mib:,.0f} MiB ({ENV_MAX_MB} raises it)"
    )
    params = {"size_mib": size_mib, "limit_mib": limit_mib, "env": ENV_MAX_MB}
    problem = Problem(message, file=file, code=code, params=params)
    return InputError([problem], f"{file}: too large")


def _unreadable(
    file: str, message: str, summary: str, code: str, params: dict[str, Any] | None = None
) -> InputError:
    """A file that cannot be read at all: one problem with its ``code`` and ``params``."""
    problem = Problem(message, file=file, code=code, params=params or {})
    return InputError([problem], f"{file}: {summary}")
