"""What every command of the CLI shares: option types, the error printer, the spelling of
library keywords as options, the progress bar.

Light at import (typer and rich only), so that ``coordeval --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.markup import escape

from coordeval.errors import CoordevalError, CoordevalWarning, InputError

err = Console(stderr=True, highlight=False, soft_wrap=True)
STATE = {"debug": False}

SystemOpt = Annotated[
    str, typer.Option("--system", "-s", help="Indicator system: .toml/.xlsx file or built-in name.")
]
OptionalSystemOpt = Annotated[
    str | None,
    typer.Option("--system", "-s", help="Indicator system: .toml/.xlsx file or built-in name."),
]
MissingOpt = Annotated[
    Literal["error", "drop", "interpolate"], typer.Option(help="Missing values.")
]
CitiesOpt = Annotated[
    Path | None,
    typer.Option(
        help="Cities table (.csv/.xlsx: city, aliases, optional name_en, order, lon, lat) "
        "resolving name variants and fixing the row order; assess takes its lon/lat as the "
        "city coordinates when --coords is not given."
    ),
]
PresetOpt = Annotated[
    Literal["panel", "spssau", "mathmodels"] | None,
    typer.Option(help="Conventions preset (default: the system's, else panel)."),
]
WeightingOpt = Annotated[
    Literal["entropy", "critic", "cv", "sd", "equal", "fixed"] | None,
    typer.Option(help="Weighting method (default: the system's, else entropy)."),
]
CouplingOpt = Annotated[
    Literal["classic", "wang2021", "fan2024"] | None,
    typer.Option(help="Coupling model (default: the preset's)."),
]
GradesOpt = Annotated[
    Literal["ten", "spssau"] | None,
    typer.Option(help="Coordination grades: ten ((a, b]) or spssau (default: the preset's)."),
]
OutOfRangeOpt = Annotated[
    Literal["extend", "clip", "error"],
    typer.Option(help="Values outside the fitted bounds when scoring."),
]
LangOpt = Annotated[
    Literal["zh", "en", "both"],
    typer.Option(help="Report language: every sheet, title, label, chart and message."),
]


def check_destinations(
    sources: list[tuple[str, Any]],
    outputs: list[Any],
    suffixes: list[tuple[Path | None, tuple[str, ...], str]],
) -> None:
    """Before any work: an output that is one of the inputs is named with it (exit 1), then
    an output whose suffix does not match its format is a usage error (exit 2)."""
    from coordeval.io.outputs import check_outputs

    with user_errors():
        check_outputs(sources, outputs)
    for path, allowed, option in suffixes:
        check_suffix(path, allowed, option)


def check_suffix(path: Path | None, suffixes: tuple[str, ...], option: str) -> None:
    """Usage error (exit 2) when ``path`` does not end in one of ``suffixes``."""
    if path is not None and path.suffix.lower() not in suffixes:
        raise typer.BadParameter(
            f"{path.name!r} must end in {' or '.join(suffixes)}", param_hint=f"'{option}'"
        )


FiguresOpt = Annotated[
    Path | None,
    typer.Option(
        "--figures", help='Also draw the figures into this folder (needs "coordeval[figures]").'
    ),
]
GeometryOpt = Annotated[
    Path | None,
    typer.Option(
        help="Boundary file (.shp, .geojson, TopoJSON .json), joined by adcode or name: maps, "
        "and queen/rook spatial weights."
    ),
]
GeometryKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--geometry-key", help="Attribute of the boundary file with city names or adcodes."
    ),
]
CoordsOpt = Annotated[
    Path | None,
    typer.Option(
        help="City coordinates (.csv/.xlsx: city, lon/经度, lat/纬度 in degrees): spatial "
        "weights and analyses (else lon/lat of --cities; the two must agree), and point "
        "maps with --figures."
    ),
]
CreditOpt = Annotated[
    str | None,
    typer.Option(
        "--map-credit", help='Line printed under every map, e.g. "审图号：GS(2019)1822号".'
    ),
]


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Print a user error's problems on stderr and exit 1, without a traceback."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default", CoordevalWarning)
            warnings.showwarning = _show_warning
            yield
    except CoordevalError as exc:
        if STATE["debug"]:
            raise
        if isinstance(exc, InputError):
            if len(exc.problems) != 1:  # one problem says it all; print each message once
                err.print(f"[bold red]{escape(cli_spelling(exc.summary))}[/]")
            for p in exc.problems:
                colour = {"error": "red", "warning": "yellow"}.get(p.severity, "cyan")
                err.print(f"[{colour}]{escape(cli_spelling(str(p)))}[/]")
        else:
            err.print(f"[bold red]error:[/] {escape(cli_spelling(str(exc)))}")
        raise typer.Exit(1) from None


#: Library keyword → command-line option, for messages shown by the CLI.
_CLI_OPTIONS = {
    "missing": "--missing",
    "out_of_range": "--out-of-range",
    "grades": "--grades",
    "preset": "--preset",
    "weighting": "--weighting",
    "coupling": "--coupling",
    "model": "--coupling",  # coupling_coordination(model=...) is the CLI's --coupling
}
_PY_OPTION = re.compile(
    r"\b(" + "|".join(_CLI_OPTIONS) + r")=(['\"]?)(classic|wang2021|fan2024|[a-z_]+)\2"
)


def cli_spelling(text: str) -> str:
    """A library message with its keyword arguments written as the CLI's options
    (``missing='drop'`` → ``--missing drop``)."""

    def swap(m: re.Match[str]) -> str:
        name, value = m.group(1), m.group(3)
        if name == "model" and value not in ("classic", "wang2021", "fan2024"):
            return m.group(0)
        return (
            f"{_CLI_OPTIONS[name]} {value.replace('_', '-') if name == 'out_of_range' else value}"
        )

    return _PY_OPTION.sub(swap, text)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    err.print(f"[yellow]warning: {escape(cli_spelling(str(message)))}[/]")


def print_problems(problems: list) -> None:
    for p in problems:
        if p.severity != "info":
            err.print(f"[yellow]{escape(cli_spelling(str(p)))}[/]")


def cities_option(path: Path | None) -> Any:
    """The cities table of ``--cities`` (None when not given)."""
    if path is None:
        return None
    from coordeval.io.side import read_cities

    return read_cities(path)


#: Progress bars are shown (on a terminal, when not quiet) from this many files on.
PROGRESS_MIN_FILES = 5


@contextlib.contextmanager
def progress_bar(label: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback drawing a transient rich bar on stderr.

    The bar (and its refresh thread) starts at the first call, that is once the work has
    started (worker processes are forked before any thread exists); it is silent when quiet,
    with fewer than :data:`PROGRESS_MIN_FILES` items or without a terminal.
    """
    from rich.progress import Progress

    state: dict[str, Any] = {}

    def progress(done: int, total: int) -> None:
        if "bar" not in state:
            show = not quiet and total >= PROGRESS_MIN_FILES and err.is_terminal
            bar = Progress(console=err, transient=True, disable=not show)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(label, total=total)
        state["bar"].update(state["task"], completed=done, total=total)

    try:
        yield progress
    finally:
        if "bar" in state:
            state["bar"].stop()
