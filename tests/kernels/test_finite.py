"""Finite arithmetic or a clear refusal: extreme finite doubles in the kernels, the model, the
indicator system and the report (coordeval.kernels.finite and its callers).

The oracle for the kernels is scale invariance: min-max/vector/z-score normalisation, entropy,
CRITIC and CV weights and TOPSIS closeness are unchanged when a column is multiplied by a
positive constant, so results on values near 1e±300 must equal (to rounding) the results on
the same values brought to magnitude 1 by an exact power of two — the hand-checkable case.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import coordeval as ce
from coordeval.errors import ConfigError, InputError
from coordeval.kernels.finite import pow2_exponents, pow2_factors, unit_columns, unit_matrix
from coordeval.model import CoordinationModel
from coordeval.system import load_system, system_from_dict

rng = np.random.default_rng(17)
BASE = rng.uniform(0.1, 1.0, (30, 4))
SYSTEM = load_system("munnell")
IDS = SYSTEM.indicator_ids
INDEX = pd.MultiIndex.from_product(
    [[f"c{i}" for i in range(8)], range(2001, 2006)], names=["city", "year"]
)


def scaled(exp: int) -> np.ndarray:
    return np.ldexp(BASE, exp)


def test_unit_columns_is_exact_and_bounded():
    A = np.column_stack([scaled(1000)[:, 0], scaled(-1060)[:, 1], -scaled(3)[:, 2], np.zeros(30)])
    U = unit_columns(A)
    peak = np.abs(U).max(axis=0)
    assert np.all((peak[:3] >= 0.5) & (peak[:3] < 1)) and peak[3] == 0
    # exact: scaling back gives the input bits
    e = pow2_exponents(np.abs(A).max(axis=0))
    np.testing.assert_array_equal(np.ldexp(U, e), A)
    M, k = unit_matrix(A)
    assert 0.5 <= np.abs(M).max() < 1 and k == pow2_exponents(np.abs(A).max())
    assert np.isfinite(pow2_factors(np.array([5e-320, 1.7e308, 0.0]))).all()


@pytest.mark.parametrize("exp", [1000, 1020, -1000, -1070])
def test_kernels_equal_their_unit_scale_results(exp):
    X = scaled(exp)
    ref = np.ldexp(X, -exp)  # exact: the same numbers at magnitude 1 (subnormals keep their bits)
    d = ["+", "-", "+", "-"]
    for method in ("minmax", "vector", "zscore"):
        np.testing.assert_allclose(
            ce.normalize(X, d, method=method), ce.normalize(ref, d, method=method), atol=1e-12
        )
    np.testing.assert_allclose(ce.entropy_weights(X), ce.entropy_weights(ref), atol=1e-12)
    np.testing.assert_allclose(ce.critic_weights(X), ce.critic_weights(ref), atol=1e-12)
    np.testing.assert_allclose(ce.cv_weights(X), ce.cv_weights(ref), atol=1e-12)
    for norm in ("vector", "minmax", None):
        got = ce.topsis(X, None, d, normalize=norm)["closeness"]
        want = ce.topsis(ref, None, d, normalize=norm)["closeness"]
        np.testing.assert_allclose(got, want, atol=1e-12)


def test_values_of_both_signs_near_the_largest_double():
    X = BASE * 2 - 1  # in (-0.8, 1)
    big = X * 1.7e308
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z = ce.normalize(big, "+")
        np.testing.assert_allclose(Z, ce.normalize(X, "+"), atol=1e-12)
        assert np.isfinite(ce.topsis(big, None, "+")["closeness"]).all()
        assert np.isfinite(ce.critic_weights(big)).all()


def test_huge_weights_are_normalised_without_overflow():
    w = ce.topsis(BASE, [1e308, 1e308, 1e308, 1e308], "+")
    np.testing.assert_allclose(w["closeness"], ce.topsis(BASE, None, "+")["closeness"])


def test_raw_topsis_distances_beyond_the_double_range_are_refused():
    X = np.array([[1.7e308] * 4, [-1.7e308] * 4])  # D = √(Σ ¼·(3.4e308)²) = 3.4e308
    with pytest.raises(ValueError, match="exceed the double range"):
        ce.topsis(X, None, "+", normalize=None, weights_in="distance")
    half = ce.topsis(X / 4, None, "+", normalize=None, weights_in="distance")
    np.testing.assert_allclose(half["d_minus"], [0.85e308, 0.0])


def frame(X: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(X, index=INDEX, columns=IDS)


def extreme_panels() -> dict[str, np.ndarray]:
    g = np.random.default_rng(3)
    shape = (len(INDEX), len(IDS))
    return {
        "near_max": g.uniform(1e307, 1.7e308, shape),
        "tiny_offset": 1e-300 + g.uniform(0, 1, shape) * 1e-305,
        "mixed_magnitudes": np.where(g.uniform(size=shape) < 0.5, 1e300, 1e-300)
        * g.uniform(1, 2, shape),
    }


@pytest.mark.parametrize("weighting", ["entropy", "critic", "cv", "equal"])
@pytest.mark.parametrize("case", list(extreme_panels()))
def test_model_on_extreme_values_is_finite(case, weighting):
    panel = frame(extreme_panels()[case])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        m = CoordinationModel(SYSTEM, weighting=weighting).fit(panel)
        out = m.transform(panel)
    assert np.isfinite(m.weights_).all() and abs(m.weights_.sum() - 1) < 1e-12
    assert np.isfinite(out.to_numpy(dtype=float)).all()
    assert ((out.to_numpy() >= 0) & (out.to_numpy() <= 1 + 1e-12)).all()


@pytest.mark.parametrize(
    "values", [np.array([-1.7e308, 1.7e308]), np.array([6e-322, 4.9e-320])], ids=["wide", "sub"]
)
def test_unscalable_ranges_are_refused_naming_the_cells(values):
    X = np.tile(values, len(INDEX) // 2 + 1)[: len(INDEX)]
    panel = frame(np.column_stack([X] + [np.arange(len(INDEX), dtype=float)] * (len(IDS) - 1)))
    with pytest.raises(InputError) as exc:
        CoordinationModel(SYSTEM).fit(panel)
    (p,) = exc.value.problems
    assert p.column == IDS[0]
    assert "(at c0 2001)" in p.message and "(at c0 2002)" in p.message


def test_scores_that_overflow_are_refused_naming_the_row():
    panel = frame(np.random.default_rng(1).uniform(0, 1, (len(INDEX), len(IDS))))
    m = CoordinationModel(SYSTEM, out_of_range="extend").fit(panel)
    new = panel.iloc[:2].copy()
    new.iloc[1, :] = 1.7e308
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InputError, match="beyond the double range") as exc:
            m.transform(new)
    assert "the scores of c0 2002 overflow" in exc.value.problems[0].message


def test_duplicated_keys_are_refused_by_fit():
    panel = frame(np.random.default_rng(2).uniform(0, 1, (len(INDEX), len(IDS))))
    doubled = pd.concat([panel, panel.iloc[[3]]])
    with pytest.raises(InputError, match="appear more than once") as exc:
        CoordinationModel(SYSTEM).fit(doubled)
    assert "c0 2004" in exc.value.problems[0].message


def indicator(**kw):
    d = {"id": "gdp", "name_zh": "GDP", "name_en": "GDP", "direction": "+"} | kw
    sub = {"id": "eco", "name_zh": "经济", "name_en": "Economy", "indicators": [d]}
    return {"name": "x", "subsystems": [sub]}


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"bounds": [-math.inf, math.inf]}, "must be finite"),
        ({"bounds": [0, math.nan]}, "must be finite"),
        ({"bounds": [-1e308, 1e308]}, "cannot normalise"),
        ({"bounds": [0, 1e-320]}, "cannot normalise"),
        ({"weight": math.inf}, "finite number"),
        ({"weight": math.nan}, "finite number"),
        ({"id": "composite"}, "reserved"),
        ({"id": "city"}, "reserved"),
        ({"id": "d"}, "reserved"),
    ],
)
def test_systems_with_non_finite_or_reserved_fields_are_refused(kw, needle):
    with pytest.raises(ConfigError, match=needle):
        system_from_dict(indicator(**kw))


def test_subsystem_id_equal_to_an_output_column_is_refused():
    data = indicator()
    data["subsystems"][0]["id"] = "year"
    with pytest.raises(ConfigError, match=r"subsystems\[year\].id: id 'year' is reserved"):
        system_from_dict(data)


def test_toml_with_infinite_goalposts_is_a_one_line_error(tmp_path, invoke):
    toml = tmp_path / "s.toml"
    toml.write_text(
        'name = "x"\n[[subsystems]]\nid = "eco"\nname_zh = "经济"\nname_en = "E"\n'
        '[[subsystems.indicators]]\nid = "gdp"\nname_zh = "GDP"\nname_en = "GDP"\n'
        'direction = "+"\nbounds = [-inf, inf]\nweight = inf\n',
        encoding="utf-8",
    )
    data = tmp_path / "d.csv"
    data.write_text("city,year,GDP\n甲,2020,1\n乙,2020,2\n", encoding="utf-8")
    res = invoke("validate", data, "--system", toml)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "must be finite" in res.output and "finite number" in res.output


_NOT_A_NUMBER = re.compile(r"^\s*[-+]?(nan|inf|infinity)\s*$", re.IGNORECASE)


@pytest.mark.parametrize("case", list(extreme_panels()))
def test_reports_from_extreme_inputs_hold_only_finite_numbers(case, tmp_path):
    """Every cell of every sheet: no NaN/inf number, no 'nan'/'inf' text, no error value;
    every table of the assessment: finite numbers only."""
    panel = frame(extreme_panels()[case])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = CoordinationModel(SYSTEM).fit(panel).assess(panel)
        path = a.to_excel(tmp_path / "r.xlsx", lang="en")
    for name, table in a.to_frames().items():
        num = table.select_dtypes("number").to_numpy(dtype=float)
        assert np.isfinite(num).all(), name
    wb = load_workbook(path)
    bad = []
    numbers = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if isinstance(v, int | float):
                    numbers += 1
                    if not math.isfinite(v):
                        bad.append((ws.title, c.coordinate, v))
                elif isinstance(v, str) and (_NOT_A_NUMBER.match(v) or v.startswith("#")):
                    bad.append((ws.title, c.coordinate, v))
    assert numbers > 500
    assert not bad, bad[:10]
