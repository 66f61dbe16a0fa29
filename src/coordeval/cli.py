"""The ``coordeval`` command line (Typer). Parses arguments, calls the library, maps errors to
exit codes: 0 ok; 1 invalid input or configuration (every problem listed); 2 usage; 3 a batch
finished but some inputs failed. Messages and progress go to stderr; results go to files."""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

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
MissingOpt = Annotated[str, typer.Option(help="Missing values: error, drop or interpolate.")]
PresetOpt = Annotated[
    str | None,
    typer.Option(help="Conventions preset: panel or spssau [default: the system's, else panel]."),
]
WeightingOpt = Annotated[
    str | None,
    typer.Option(help="entropy, critic, cv, equal or fixed [default: the system's, else entropy]."),
]
CouplingOpt = Annotated[
    str | None,
    typer.Option(help="Coupling model: classic, wang2021 or fan2024 [default: the preset's]."),
]
GradesOpt = Annotated[
    str | None,
    typer.Option(help="Coordination grades: ten ((a, b]) or spssau [default: the preset's]."),
]
OutOfRangeOpt = Annotated[
    str, typer.Option(help="Values outside the fitted bounds when scoring: extend, clip or error.")
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


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    STATE["debug"] = debug
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)


@app.command()
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", "-o", help="Folder for the reports.")
    ] = Path("reports"),
    list_: Annotated[bool, typer.Option("--list", help="List the shipped datasets.")] = False,
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
            path = run_demo_dataset(d, out_dir)
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
    lang: Annotated[str, typer.Option(help="Report language: zh, en or both.")] = "both",
    engine: Annotated[
        str, typer.Option(help="pandas, or dask to fit a Parquet panel on Dask.")
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
        str | None,
        typer.Option(help="How to read --spatial: weights or distance (0/1 adjacency: omit)."),
    ] = None,
    factors: Annotated[
        Path | None,
        typer.Option(help="Influencing factors (.csv/.xlsx: city, year, one column each)."),
    ] = None,
    coords: Annotated[
        Path | None,
        typer.Option(help="City coordinates (.csv/.xlsx: city, lon/经度, lat/纬度 in degrees)."),
    ] = None,
    weights: Annotated[
        str,
        typer.Option(
            help="Spatial weights: knn, idw, band (from --coords), economic, geo-economic."
        ),
    ] = "knn",
    weights_indicator: Annotated[
        str | None, typer.Option(help="Indicator id of the economic distance weights.")
    ] = None,
    phi: Annotated[float, typer.Option(help="Geographic share of geo-economic weights.")] = 0.5,
    knn: Annotated[int, typer.Option(help="Neighbours for --weights knn.")] = 4,
    idw_power: Annotated[float, typer.Option(help="Distance power for --weights idw.")] = 1.0,
    band_km: Annotated[
        float | None, typer.Option(help="Distance band (km) for band; cut-off for idw.")
    ] = None,
    row_standardize: Annotated[
        bool, typer.Option(help="Row-standardise the spatial weights.")
    ] = True,
    permutations: Annotated[
        int, typer.Option(help="Permutations of Moran/Geary/LISA (seeded).")
    ] = 999,
    markov_classes: Annotated[
        str, typer.Option(help="Markov classes of D: quantile or grades.")
    ] = "quantile",
    markov_cutoffs: Annotated[
        str | None, typer.Option(help="Markov class bounds of D, e.g. 0.4,0.5,0.6.")
    ] = None,
    markov_by_year: Annotated[
        bool, typer.Option(help="Markov quantile classes per year instead of pooled.")
    ] = False,
    dynamics: Annotated[
        bool, typer.Option(help="Markov chains of D also without coordinates.")
    ] = False,
    ellipse_correction: Annotated[
        str, typer.Option(help="Ellipse axes: crimestat, arcgis or yuill.")
    ] = "crimestat",
    plan_years: Annotated[
        str | None, typer.Option(help="Forecast D to these years, e.g. 2025,2030.")
    ] = None,
    size_indicator: Annotated[
        str | None, typer.Option(help="Indicator id of city size (primacy, rank-size, HHI).")
    ] = None,
    economy_indicator: Annotated[
        str | None, typer.Option(help="Indicator id of economic mass for the gravity network.")
    ] = None,
) -> None:
    """Read, validate, fit and assess DATA; write the Excel report."""
    from coordeval.workflow import assess_file, extended_options, read_side_tables

    with user_errors():
        analysis = read_side_tables(groups, spatial, spatial_kind, factors)
        extended = extended_options(
            coords,
            weights=weights,
            k=knn,
            power=idw_power,
            threshold_km=band_km,
            row_standardize=row_standardize,
            permutations=permutations,
            markov_classes=markov_classes,
            markov_cutoffs=markov_cutoffs,
            markov_pooled=not markov_by_year,
            weights_indicator=weights_indicator,
            phi=phi,
            ellipse_correction=ellipse_correction,
            dynamics=dynamics,
            plan_years=plan_years,
            size_indicator=size_indicator,
            economy_indicator=economy_indicator,
        )
        if extended is not None:
            analysis["extended"] = extended
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
        path = a.to_excel(out, lang=lang)
        err.print(f"wrote {escape(str(path))}")
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
        bool, typer.Option("--reports", help="Also write one report workbook per input.")
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes (default: CPUs).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
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
