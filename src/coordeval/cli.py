"""The ``coordeval`` command line (Typer). Parses arguments, calls the library, maps errors to
exit codes: 0 ok; 1 invalid input or configuration (every problem listed); 2 usage; 3 a batch
finished but some inputs failed. Messages and progress go to stderr; results go to files."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.markup import escape

from coordeval._cli_support import (
    STATE,
    CitiesOpt,
    CoordsOpt,
    CouplingOpt,
    CreditOpt,
    FiguresOpt,
    GeometryKeyOpt,
    GeometryOpt,
    GradesOpt,
    LangOpt,
    MissingOpt,
    OptionalSystemOpt,
    OutOfRangeOpt,
    PresetOpt,
    SystemOpt,
    WeightingOpt,
    check_destinations,
    cities_option,
    cli_spelling,
    err,
    print_problems,
    progress_bar,
    user_errors,
)
from coordeval._coded import config_error
from coordeval._version import __version__

app = typer.Typer(
    name="coordeval",
    help="Coordinated-development assessment of city clusters (entropy/TOPSIS, coupling "
    "coordination, Excel reports).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
    from coordeval.workflow import demo_datasets, run_demo_dataset, run_demo_monitoring

    datasets = demo_datasets()
    if list_:
        for d in datasets:
            typer.echo(f"{d.name:<14} {d.kind:<8} {d.title}")
        return
    from coordeval.io.outputs import check_folder

    with user_errors():
        check_folder(out_dir, "report folder")
        for d in datasets:
            t0 = time.perf_counter()
            path = run_demo_dataset(d, out_dir, lang=lang)
            err.print(f"{d.name}: wrote {escape(str(path))} ({time.perf_counter() - t0:.1f} s)")
        t0 = time.perf_counter()
        path = run_demo_monitoring(out_dir)
        err.print(
            f"monitoring: Munnell fitted on 1970–1980, 1981–1986 scored one file at a time; "
            f"wrote {escape(str(path))} ({time.perf_counter() - t0:.1f} s)"
        )
        _demo_figures_note(out_dir, datasets)


def _demo_figures_note(out_dir: Path, datasets: tuple) -> None:
    from coordeval.workflow import figures_available

    if not figures_available():
        err.print(
            '[cyan]note: no figures drawn; install them with pip install "coordeval[figures]"[/]'
        )
        return
    for d in datasets:
        folder = out_dir / f"{d.name}_figures"
        if folder.is_dir():
            err.print(f"{d.name}: figures in {escape(str(folder))}")


@app.command()
def assess(
    data: Annotated[Path, typer.Argument(help="Data file (.xlsx, .csv or .parquet).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Report workbook (.xlsx).")],
    system: OptionalSystemOpt = None,
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
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            "-m",
            help="Saved model (.json): report DATA on its frozen scale, without refitting.",
        ),
    ] = None,
    cities: CitiesOpt = None,
    targets: Annotated[
        Path | None,
        typer.Option(help="Plan targets (.csv: indicator, base_year, base_value, target_year, …)."),
    ] = None,
    figures: FiguresOpt = None,
    geometry: GeometryOpt = None,
    geometry_key: GeometryKeyOpt = None,
    coords: CoordsOpt = None,
    map_credit: CreditOpt = None,
    weights: Annotated[
        Literal["knn", "idw", "band", "economic", "geo-economic", "queen", "rook"],
        typer.Option(
            help="Spatial weights: knn, idw, band (from --coords), economic, geo-economic, "
            "queen, rook (contiguity from --geometry)."
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
        Literal["quantile", "grades"], typer.Option(help="Markov classes of D.")
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
        Literal["crimestat", "arcgis", "yuill"], typer.Option(help="Ellipse axis convention.")
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
    """Read, validate, fit and assess DATA; write the Excel report (and the figures). With
    --model: assess DATA on a saved model's frozen scale, comparable with earlier years'
    reports."""
    from coordeval.io.outputs import Output, guarded, report_outputs
    from coordeval.workflow import (
        assess_file,
        extended_options,
        figure_inputs,
        read_side_tables,
    )

    sources = [("data file", data), ("system file", None if system is None else Path(system))]
    sources += [("groups file", groups), ("spatial file", spatial), ("factors file", factors)]
    sources += [("model file", model), ("cities file", cities), ("targets file", targets)]
    sources += [("geometry file", geometry), ("coordinates file", coords)]
    outputs = [report_outputs(out)]
    if model_out is not None:
        outputs.append(Output("model", model_out))
    if brief is not None:
        outputs.append(Output("brief", brief))
    check_destinations(
        sources,
        outputs,
        [(out, (".xlsx",), "--out"), (model_out, (".json",), "--model-out"),
         (brief, (".docx",), "--brief")],
    )  # fmt: skip
    with user_errors(), guarded(sources, outputs):
        frozen = None
        if model is not None:
            from coordeval.model import load_model

            given = {
                "--system": system,
                "--preset": preset,
                "--weighting": weighting,
                "--coupling": coupling,
                "--grades": grades,
                "--model-out": model_out,
            }
            clash = [k for k, v in given.items() if v is not None]
            if clash:
                raise config_error("model_options_clash", options=", ".join(clash))
            frozen = load_model(model)
        elif system is None:
            raise config_error("assess_needs_system")
        # --coords also feeds the spatial analyses; point maps only with --figures
        fig_coords = coords if figures is not None else None
        # --geometry also feeds queen/rook weights; it needs --figures only otherwise
        by_polygons = figures is None and weights in ("queen", "rook")
        fig_geo = (None, None) if by_polygons else (geometry, geometry_key)
        fig_kw = figure_inputs(figures, *fig_geo, fig_coords, map_credit)
        analysis = read_side_tables(groups, spatial, spatial_kind, factors, targets)
        table = cities_option(cities)
        extended = extended_options(
            coords,
            cities=table,
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
            geometry=geometry,
            geometry_key=geometry_key,
        )
        if extended is not None:
            analysis["extended"] = extended
            if figures is not None and coords is None and extended.coords is not None:
                fig_kw["coords"] = extended.coords  # lon/lat of --cities: point maps too
        parquet = data.suffix.lower() == ".parquet"
        if frozen is not None and (engine != "pandas" or scheduler is not None or parquet):
            raise config_error("model_needs_table_data")
        if analysis and (engine != "pandas" or scheduler is not None or parquet):
            raise config_error("side_tables_need_table_data")
        if engine != "pandas" or scheduler is not None or parquet:
            from coordeval.scale import assess_parquet

            a, fitted = assess_parquet(
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
            a, fitted = assess_file(
                data,
                system,
                missing=missing,
                model=frozen,
                cities=table,
                analysis=analysis,
                preset=preset,
                weighting=weighting,
                coupling=coupling,
                grades=grades,
            )
        print_problems(a.problems)
        fig_paths = _write_figures(a, figures, lang, fig_kw) if figures is not None else None
        path = a.to_excel(out, lang=lang, title=title, figures=fig_paths)
        err.print(f"wrote {escape(str(path))}")
        if brief is not None:
            from coordeval.report.brief import write_brief

            written = write_brief(a, brief, lang=lang, title=title, figures=fig_paths)
            err.print(f"wrote {escape(str(written))}")
        if model_out is not None:
            err.print(f"wrote {escape(str(fitted.save(model_out)))}")


def _write_figures(a: Any, folder: Path, lang: str, fig_kw: dict, **kw: Any) -> dict[str, Path]:
    from coordeval.report.figures import draw_figures

    paths = draw_figures(a, folder, lang="zh" if lang == "both" else lang, **fig_kw, **kw)
    err.print(f"wrote {len(paths)} figures to {escape(str(folder))}: {', '.join(paths)}")
    return paths


@app.command()
def figures(
    data: Annotated[Path, typer.Argument(help="Data file (.xlsx or .csv).")],
    system: SystemOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the figures.")],
    geometry: GeometryOpt = None,
    geometry_key: GeometryKeyOpt = None,
    coords: CoordsOpt = None,
    map_credit: CreditOpt = None,
    lang: Annotated[Literal["zh", "en"], typer.Option(help="Figure language.")] = "zh",
    fmt: Annotated[
        list[str] | None, typer.Option("--format", help="png, svg or pdf (repeat for several).")
    ] = None,
    dpi: Annotated[int, typer.Option(help="Resolution of PNG files.")] = 300,
    missing: MissingOpt = "error",
    preset: PresetOpt = None,
    weighting: WeightingOpt = None,
    coupling: CouplingOpt = None,
    grades: GradesOpt = None,
    groups: Annotated[
        Path | None,
        typer.Option(help="City groups (.csv/.xlsx: city, group) for the Dagum figure."),
    ] = None,
) -> None:
    """Assess DATA and draw its figures and maps (PNG/SVG, with the table behind each)."""
    from coordeval.workflow import assess_file, figure_inputs, read_side_tables

    with user_errors():
        fig_kw = figure_inputs(out, geometry, geometry_key, coords, map_credit)
        analysis = read_side_tables(groups)
        conventions = {"preset": preset, "weighting": weighting, "coupling": coupling}
        a, _ = assess_file(
            data, system, missing=missing, analysis=analysis, grades=grades, **conventions
        )
        print_problems(a.problems)
        _write_figures(a, out, lang, fig_kw, formats=tuple(fmt or ("png", "svg")), dpi=dpi)


@app.command()
def validate(
    data: Annotated[Path, typer.Argument(help="Data file (.xlsx or .csv).")],
    system: SystemOpt,
    missing: MissingOpt = "error",
    cities: CitiesOpt = None,
) -> None:
    """Check DATA against the indicator system and list every problem."""
    from coordeval.io.validated import read_validated
    from coordeval.system import load_system

    with user_errors():
        v = read_validated(data, load_system(system), missing, cities=cities_option(cities))
        print_problems(v.problems)
        for p in v.problems:
            if p.severity == "info":
                err.print(f"[cyan]{escape(cli_spelling(str(p)))}[/]")
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
    cities: CitiesOpt = None,
) -> None:
    """Fit a model on DATA and save it as JSON for scoring later years."""
    from coordeval.io.outputs import Output, guarded
    from coordeval.workflow import fit_file

    sources = [("data file", data), ("system file", Path(system)), ("cities file", cities)]
    check_destinations(sources, [Output("model", out)], [(out, (".json",), "--out")])
    with user_errors(), guarded(sources, [Output("model", out)]):
        model, problems = fit_file(
            data,
            system,
            missing=missing,
            cities=cities_option(cities),
            preset=preset,
            weighting=weighting,
            coupling=coupling,
            grades=grades,
            out_of_range=out_of_range,
        )
        print_problems(problems)
        err.print(f"wrote {escape(str(model.save(out)))}")


@app.command()
def template(
    system: SystemOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Template workbook (.xlsx).")],
) -> None:
    """Write an empty data-entry workbook for a system (headers with units, system sheet)."""
    from coordeval.io.outputs import Output, guarded
    from coordeval.report.template import write_template
    from coordeval.system import load_system

    sources = [("system file", Path(system))]
    check_destinations(sources, [Output("template", out)], [(out, (".xlsx",), "--out")])
    with user_errors(), guarded(sources, [Output("template", out)]):
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
    missing: MissingOpt = "error",
    verbose: Annotated[
        bool,
        typer.Option("--verbose", help="One line per value outside the fitted range.", metavar=""),
    ] = False,
    cities: CitiesOpt = None,
) -> None:
    """Score new years' data against a saved model; update OUT/scores.csv (exit 3 when some
    inputs failed and the others were written). Reports go to OUT/reports/."""
    from rich.table import Table

    from coordeval.batch import score_files

    with user_errors(), progress_bar("scoring", quiet) as progress:
        result = score_files(
            inputs,
            model,
            out,
            reports=reports,
            jobs=jobs,
            progress=progress,
            missing=missing,
            verbose=verbose,
            cities=cities_option(cities),
        )
    for r in result.results:
        if not r.ok:
            err.print(
                f"[bold red]failed: {escape(str(r.file))}[/]: {escape(cli_spelling(r.reason))}"
            )
            for p in r.problems:
                if p.severity != "info":
                    colour = "red" if p.severity == "error" else "yellow"
                    err.print(f"  [{colour}]{escape(cli_spelling(str(p)))}[/]")
    for r in result.results:
        for p in r.warnings:
            err.print(f"[yellow]{escape(cli_spelling(str(p)))}[/]")
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


@app.command()
def monitor(
    scores_dir: Annotated[
        Path, typer.Argument(help="Output folder of coordeval score (or its scores.csv).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Monitoring report (.xlsx).")],
    model: Annotated[
        Path | None,
        typer.Option("--model", "-m", help="The saved model the history was scored with."),
    ] = None,
    lang: LangOpt = "zh",
) -> None:
    """Year-on-year monitoring report from a scores history: changes, ranks, grade
    transitions, improvers and decliners, subsystems that became lagging, trends."""
    from coordeval.io.outputs import guarded, report_outputs
    from coordeval.workflow import monitor as monitor_file

    history = scores_dir / "scores.csv" if scores_dir.is_dir() else scores_dir
    sources = [("scores history", history), ("model file", model)]
    with user_errors(), guarded(sources, [report_outputs(out)]):
        path, m = monitor_file(scores_dir, out, model=model, lang=lang)
        for _, en in m.findings:
            err.print(escape(en))
        err.print(f"wrote {escape(str(path))}")


def main() -> None:
    """Entry point of the ``coordeval`` script."""
    app()
