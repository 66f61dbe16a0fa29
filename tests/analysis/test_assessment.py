"""The assessment package: a frozen result, declared table names, method facts worded by the
report, and the analysis room free of imports from the assessment."""

from __future__ import annotations

import ast
import dataclasses
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import coordeval as ce
from coordeval.assessment import TABLES, Assessment, Note, Tables
from coordeval.report.methods import FIXED, RENDERERS, method_note_rows, render_note

SRC = Path(__file__).resolve().parents[2] / "src" / "coordeval"


DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def assessed() -> Assessment:
    """Twelve states of the Munnell (1990) panel, all years, in two groups, with population
    weights (the states' order)."""
    system = ce.load_system("munnell")
    with pytest.warns(ce.DataWarning, match="p_cap"):
        panel = ce.read_panel(DATA / "munnell_states_1970_1986.csv", system)
    states = sorted(panel.index.get_level_values("city").unique())[:12]
    panel = panel[panel.index.get_level_values("city").isin(states)]
    groups = {c: "first" if i < 6 else "second" for i, c in enumerate(states)}
    pop = pd.Series(np.arange(1.0, len(states) + 1), index=pd.Index(states, name="city"))
    model = ce.CoordinationModel(system).fit(panel)
    with pytest.warns(ce.MethodWarning):
        return model.assess(panel, robustness_draws=50, groups=groups, population=pop)


def test_assessment_is_frozen(assessed: Assessment) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        assessed.tables = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        assessed.tables["coupling"] = assessed.scores  # type: ignore[index]
    with pytest.raises(TypeError):
        assessed.skipped["coupling"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        assessed.conventions["coupling"] = "fan2024"  # type: ignore[index]
    with pytest.raises(TypeError):
        assessed.meta["title"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        assessed.problems.append(assessed.problems[0])  # type: ignore[attr-defined]
    assert isinstance(assessed.notes, tuple) and isinstance(assessed.tables, Tables)


def test_assessment_pickles(assessed: Assessment) -> None:
    back = pickle.loads(pickle.dumps(assessed))
    assert list(back.tables) == list(assessed.tables) and back.notes == assessed.notes
    assert dict(back.skipped) == dict(assessed.skipped)
    assert dict(back.conventions) == dict(assessed.conventions)
    assert dict(back.meta) == dict(assessed.meta) and back.problems == assessed.problems
    pd.testing.assert_frame_equal(back.tables["coupling"], assessed.tables["coupling"])
    with pytest.raises(KeyError, match="not an assessment table"):
        back.tables["couplnig"]


def test_unknown_table_name_lists_the_declared_ones(assessed: Assessment) -> None:
    with pytest.raises(KeyError, match=r"not an assessment table.*coupling, pairwise_coupling"):
        assessed.tables["couplnig"]
    assert "couplnig" not in assessed.tables and assessed.tables.get("couplnig") is None
    # declared, but this run has no plan targets
    assert "targets" in TABLES and "targets" not in assessed.tables
    with pytest.raises(KeyError, match="'targets' was not computed"):
        assessed.tables["targets"]
    assert assessed.skipped["targets"] == "no plan targets given"


def test_every_table_of_a_run_is_declared(assessed: Assessment) -> None:
    assert set(assessed.tables) <= set(TABLES)
    assert {"coupling", "inequality", "dagum_pairs", "group_means", "robustness"} <= set(
        assessed.tables
    )
    with pytest.raises(KeyError, match="'extra' is not an assessment table"):
        Tables({"extra": pd.DataFrame()})


def test_amended_returns_a_new_assessment(assessed: Assessment) -> None:
    extra = ce.Problem("a remark", severity="warning")
    b = assessed.amended(problems=[extra], meta={"city_order": ["c1"]})
    assert b.problems[-1] is extra and b.meta["city_order"] == ["c1"]
    assert extra not in assessed.problems and "city_order" not in assessed.meta
    assert b.tables["coupling"] is assessed.tables["coupling"]


def test_notes_are_facts_the_report_words(assessed: Assessment) -> None:
    assert all(isinstance(n, Note) for n in assessed.notes)
    keys = [n.key for n in assessed.notes]
    assert keys[:4] == ["scores_clipped", "coupling", "grades", "relative_development"]
    ineq = next(n for n in assessed.notes if n.key == "inequality")
    assert ineq.params == {"weighted": True, "theil_alpha": 1.0, "corrected": False}
    rows = method_note_rows(assessed.notes)
    assert [r[0] for r in rows] == [n.topic for n in assessed.notes]
    _, zh, en = rows[keys.index("inequality")]
    assert en.startswith("Inequality (population-weighted): Gini;")
    assert zh.startswith("区域差异（按人口加权）：")
    robust = rows[keys.index("robustness")][2]
    assert "50 draws, seed 0" in robust


def test_every_note_key_has_words() -> None:
    """Each key the assessment records is rendered by the report (and no renderer is dead)."""
    recorded = set()
    for path in (SRC / "assessment").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "note"
            ):
                recorded.add(node.args[1].value)  # type: ignore[attr-defined]
    assert recorded == set(FIXED) | set(RENDERERS)
    assert render_note("grades", {"scheme": "spssau"})[1].startswith("Grades (SPSSAU parity)")
    with pytest.raises(KeyError):
        render_note("no_such_note", {})


def test_analysis_does_not_import_upward() -> None:
    """The analyses import kernels, conventions, errors, io and each other, never the
    assessment, the report or the model's workflow (the model only for typing)."""
    upward = ("coordeval.assessment", "coordeval.report", "coordeval.workflow", "coordeval.cli")
    found = []
    for path in (SRC / "analysis").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(upward):
                found.append(f"{path.name}: {node.module}")
    assert found == []


def test_extended_options_are_checked_with_codes(assessed: Assessment) -> None:
    model = ce.CoordinationModel(assessed.system).fit(assessed.data)
    opts = ce.ExtendedOptions(weights="queen", size_indicator="zz")
    with pytest.raises(ce.InputError) as info, pytest.warns(ce.MethodWarning):
        model.assess(assessed.data, robustness_draws=0, extended=opts)
    problems = info.value.problems
    assert [p.code for p in problems] == ["unknown_option_indicator", "weights_need_polygons"]
    assert problems[0].params["indicator"] == "zz"
    assert problems[0].render("en") == problems[0].message
    assert problems[1].render("zh") == "queen 权重需要城市边界多边形（边界文件）"


def test_analysis_package_exports_each_public_name_once() -> None:
    """``coordeval.analysis`` names every public name of its modules, loaded on first use."""
    import importlib

    import coordeval.analysis as analysis

    for name in analysis.__all__:
        home = importlib.import_module(f"coordeval.analysis.{analysis._HOME[name]}")
        assert name in home.__all__
        assert getattr(analysis, name) is getattr(home, name)
    declared = {
        n
        for path in (SRC / "analysis").glob("[!_]*.py")
        for n in importlib.import_module(f"coordeval.analysis.{path.stem}").__all__
    }
    assert declared - set(analysis.__all__) == {"geodetector"}  # the submodule's name
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        analysis.nothing  # noqa: B018
