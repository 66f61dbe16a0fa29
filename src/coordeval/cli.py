"""The ``coordeval`` command line (Typer). Parses arguments, calls the library, maps errors to
exit codes: 0 ok; 1 invalid input or configuration (every problem listed); 2 usage; 3 a batch
finished but some inputs failed. Messages and progress go to stderr; results go to files."""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.markup import escape

from coordeval._version import __version__
from coordeval.errors import ConfigError, CoordevalError, CoordevalWarning, InputError

app = typer.Typer(
    name="coordeval",
    help="Coordinated-development assessment of city clusters (entropy/TOPSIS, coupling "
    "coordination, Excel reports).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
STATE = {"debug": False}

SystemOpt = Annotated[
    str, typer.Option("--system", "-s", help="Indicator system: .toml/.xlsx file or built-in name.")
]
MissingOpt = Annotated[
    Literal["error", "drop", "interpolate"], typer.Option(help="Missing values.")
]
PresetOpt = Annotated[
    Literal["panel", "spssau"] | None,
    typer.Option(help="Conventions preset (default: the system's, else panel)."),
]
WeightingOpt = Annotated[
    Literal["entropy", "critic", "cv", "equal", "fixed"] | None,
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


def check_suffix(path: Path | None, suffixes: tuple[str, ...], option: str) -> None:
    """Usage error (exit 2) when ``path`` does not end in one of ``suffixes``."""
    if path is not None and path.suffix.lower() not in suffixes:
        raise typer.BadParameter(
            f"{path.name!r} must end in {' or '.join(suffixes)}", param_hint=f"'{option}'"
        )


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
                err.print(f"[bold red]{escape(exc.summary)}[/]")
            for p in exc.problems:
                colour = {"error": "red", "warning": "yellow"}.get(p.severity, "cyan")
                err.print(f"[{colour}]{escape(str(p))}[/]")
        else:
            err.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    err.print(f"[yellow]warning: {escape(str(message))}[/]")


def _print_problems(problems: list) -> None:
    for p in problems:
        if p.severity != "info":
            err.print(f"[yellow]{escape(str(p))}[/]")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit(0)


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks for errors.", metavar="")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
            metavar="",
        ),
    ] = False,
) -> None:
    STATE["debug"] = debug


@app.command()
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", "-o", help="Folder for the reports.")
    ] = Path("reports"),
    list_: Annotated[
        bool, typer.Option("--list", help="List the shipped datasets.", metavar="")
    ] = False,
    lang: LangOpt = "zh",
) -> None:
    """Assess every shipped sample dataset and write one report per dataset."""
    from coordeval.workflow import demo_datasets, run_demo_dataset

    datasets = demo_datasets()
    if list_:
        for d in datasets:
            typer.echo(f"{d.name:<14} {d.kind:<8} {d.title}")
        return
    with user_errors():
        for d in datasets:
            t0 = time.perf_counter()
            path = run_demo_dataset(d, out_dir, lang=lang)
            err.print(f"{d.name}: wrote {escape(str(path))} ({time.perf_counter() - t0:.1f} s)")


@app.command()
def assess(
    data: Annotated[Path, typer.Argument(help="Data file (.xlsx, .csv or .parquet).")],
    system: SystemOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Report workbook (.xlsx).")],
    model_out: Annotated[
        Path | None, typer.Option(help="Also save the fitted model (JSON).")
    ] = None,
    missing: MissingOpt = "error",
    preset: PresetOpt = None,
    weighting: WeightingOpt = None,
    coupling: CouplingOpt = None,
    grades: GradesOpt = None,
    lang: LangOpt = "zh",
    title: Annotated[
        str | None,
        typer.Option(help="Title of page 1 (default: the system's name and the years)."),
    ] = None,
    brief: Annotated[
        Path | None,
        typer.Option(help="Also write a 2–4 page Word brief (.docx) in the report language."),
    ] = None,
    engine: Annotated[
        Literal["pandas", "dask"],
        typer.Option(help="pandas, or dask to fit a Parquet panel on Dask."),
    ] = "pandas",
    scheduler: Annotated[
        str | None, typer.Option(help="Address of a Dask scheduler (tcp://host:8786).")
    ] = None,
    groups: Annotated[
        Path | None,
        typer.Option(help="City groups (.csv/.xlsx: city, group) for the Dagum decomposition."),
    ] = None,
    spatial: Annotated[
        Path | None,
        typer.Option(help="City × city adjacency, weights or distances (.csv/.xlsx)."),
    ] = None,
    spatial_kind: Annotated[
        Literal["weights", "distance"] | None,
        typer.Option(help="How to read --spatial (0/1 adjacency: omit)."),
    ] = None,
    factors: Annotated[
        Path | None,
        typer.Option(help="Influencing factors (.csv/.xlsx: city, year, one column each)."),
    ] = None,
) -> None:
    """Read, validate, fit and assess DATA; write the Excel report."""
    from coordeval.workflow import assess_file, read_side_tables

    check_suffix(out, (".xlsx",), "--out")
    check_suffix(model_out, (".json",), "--model-out")
    check_suffix(brief, (".docx",), "--brief")
    with user_errors():
        analysis = read_side_tables(groups, spatial, spatial_kind, factors)
        parquet = data.suffix.lower() == ".parquet"
        if analysis and (engine != "pandas" or scheduler is not None or parquet):
            raise ConfigError("--groups, --spatial and --factors apply to .xlsx and .csv data")
        if engine != "pandas" or scheduler is not None or parquet:
            from coordeval.scale import assess_parquet

            a, model = assess_parquet(
                data,
                system,
                engine=engine,
                scheduler=scheduler,
                missing=missing,
                preset=preset,
                weighting=weighting,
                coupling=coupling,
                grades=grades,
            )
        else:
            a, model = assess_file(
                data,
                system,
                missing=missing,
                analysis=analysis,
                preset=preset,
                weighting=weighting,
                coupling=coupling,
                grades=grades,
            )
        _print_problems(a.problems)
        path = a.to_excel(out, lang=lang, title=title)
        err.print(f"wrote {escape(str(path))}")
        if brief is not None:
            from coordeval.report.brief import write_brief

            written = write_brief(a, brief, lang=lang, title=title)
            err.print(f"wrote {escape(str(written))}")
        if model_out is not None:
            err.print(f"wrote {escape(str(model.save(model_out)))}")


@app.command()
def validate(
    data: Annotated[Path, typer.Argument(help="Data file (.xlsx or .csv).")],
    system: SystemOpt,
    missing: MissingOpt = "error",
) -> None:
    """Check DATA against the indicator system and list every problem."""
    from coordeval.system import load_system
    from coordeval.workflow import read_validated

    with user_errors():
        v = read_validated(data, load_system(system), missing)
        _print_problems(v.problems)
        cities = v.panel.index.get_level_values("city").nunique()
        years = v.panel.index.get_level_values("year").nunique()
        err.print(
            f"ok: {len(v.panel)} city-years ({cities} cities, {years} years), "
            f"{v.panel.shape[1]} indicators"
        )


@app.command()
def fit(
    data: Annotated[Path, typer.Argument(help="Reference data file (.xlsx or .csv).")],
    system: SystemOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Model file (.json).")],
    missing: MissingOpt = "error",
    preset: PresetOpt = None,
    weighting: WeightingOpt = None,
    coupling: CouplingOpt = None,
    grades: GradesOpt = None,
    out_of_range: OutOfRangeOpt = "extend",
) -> None:
    """Fit a model on DATA and save it as JSON for scoring later years."""
    check_suffix(out, (".json",), "--out")
    from coordeval.model import CoordinationModel
    from coordeval.system import load_system
    from coordeval.workflow import located_in, read_validated

    with user_errors():
        sys_obj = load_system(system)
        v = read_validated(data, sys_obj, missing)
        _print_problems(v.problems)
        with located_in(data):
            model = CoordinationModel(
                sys_obj,
                preset=preset,
                weighting=weighting,
                coupling=coupling,
                grades=grades,
                out_of_range=out_of_range,
            ).fit(v.panel)
        err.print(f"wrote {escape(str(model.save(out)))}")


@app.command()
def template(
    system: SystemOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Template workbook (.xlsx).")],
) -> None:
    """Write an empty data-entry workbook for a system (headers with units, system sheet)."""
    check_suffix(out, (".xlsx",), "--out")
    from coordeval.report.template import write_template
    from coordeval.system import load_system

    with user_errors():
        err.print(f"wrote {escape(str(write_template(load_system(system), out)))}")


@app.command()
def score(
    inputs: Annotated[
        list[str], typer.Argument(help="Data files, folders or glob patterns (quote globs).")
    ],
    model: Annotated[Path, typer.Option("--model", "-m", help="Saved model (.json).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (scores.csv).")],
    reports: Annotated[
        bool,
        typer.Option("--reports", help="Also write one report workbook per input.", metavar=""),
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes (default: CPUs).")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar.", metavar="")
    ] = False,
) -> None:
    """Score new years' data against a saved model; update OUT/scores.csv (exit 3 when some
    inputs failed and the others were written)."""
    from rich.table import Table

    from coordeval.batch import score_files
    from coordeval.model import load_model

    with user_errors():
        result = score_files(
            inputs, load_model(model), out, reports=reports, jobs=jobs, quiet=quiet
        )
    for r in result.results:
        if not r.ok:
            err.print(f"[bold red]failed: {escape(str(r.file))}[/]: {escape(r.reason)}")
            for p in r.problems:
                if p.severity != "info":
                    colour = "red" if p.severity == "error" else "yellow"
                    err.print(f"  [{colour}]{escape(str(p))}[/]")
    for r in result.results:
        for p in r.warnings:
            err.print(f"[yellow]{escape(str(p))}[/]")
    for note in result.notes:
        err.print(f"[cyan]note: {escape(note)}[/]")
    table = Table(title="coordeval score")
    totals = result.totals
    for name in ("files", "ok", "failed", "rows", "warnings"):
        table.add_column(name, justify="right")
    table.add_row(*(str(totals[k]) for k in ("files", "ok", "failed", "rows", "warnings")))
    err.print(table)
    if result.written:
        err.print(
            f"wrote {escape(str(result.scores_path))} ({len(result.scores)} city-years in total)"
        )
    else:
        err.print(f"[bold red]nothing scored; {escape(str(result.scores_path))} is unchanged[/]")
    for r in result.results:
        if r.report is not None:
            err.print(f"wrote {escape(str(r.report))}")
    if result.exit_code:
        raise typer.Exit(result.exit_code)


def main() -> None:
    """Entry point of the ``coordeval`` script."""
    app()
