"""Fast paths at every size: blocked kernels, chunked, Parquet and Dask fits against the
straightforward whole-array formulas (the definitions, written out in this file)."""

from __future__ import annotations

import contextlib
import itertools
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import xlogy
from typer.testing import CliRunner

import coordeval.kernels.blocks as blocks
from coordeval.cli import app
from coordeval.errors import ConfigError, ConstantIndicatorWarning, DataWarning, InputError
from coordeval.kernels.blocks import (
    EntropyStats,
    MomentStats,
    RangeStats,
    col_dot,
    col_reduce,
    map_blocks,
    row_blocks,
    score_arrays,
    shifted_minimum,
)
from coordeval.kernels.coupling import coupling_arrays
from coordeval.kernels.normalize import minmax_arrays, minmax_params
from coordeval.kernels.topsis import topsis_arrays
from coordeval.kernels.weights import critic_weights, cv_weights
from coordeval.model import CoordinationModel
from coordeval.system import IndicatorSystem, system_from_dict

TOL = {"rtol": 1e-12, "atol": 1e-12}

# subsystem sizes, and which indicators are costs (every fifth, starting at the fourth)
SIZES = (3, 2, 4, 1, 3)
M = sum(SIZES)
IDS = [f"x{j}" for j in range(M)]
COST = {j for j in range(M) if j % 5 == 3}


@contextlib.contextmanager
def raises_code(kind: type[Exception], code: str, **params: Any) -> Iterator[Any]:
    """The block raises ``kind`` with a problem coded ``code`` (with these parameters)."""
    with pytest.raises(kind) as info:
        yield info
    found = [p for p in info.value.problems if p.code == code]
    assert found, [p.code for p in info.value.problems]
    assert {k: found[0].params.get(k) for k in params} == params, found[0].params


def make_system(bounds: dict[str, list[float]] | None = None) -> IndicatorSystem:
    subs, k = [], 0
    for s, size in enumerate(SIZES):
        inds = []
        for _ in range(size):
            ind = {
                "id": f"x{k}",
                "name_zh": f"指标{k}",
                "name_en": f"indicator {k}",
                "direction": "-" if k in COST else "+",
            }
            if bounds and f"x{k}" in bounds:
                ind["bounds"] = bounds[f"x{k}"]
            inds.append(ind)
            k += 1
        subs.append(
            {"id": f"s{s}", "name_zh": f"子系统{s}", "name_en": f"sub {s}", "indicators": inds}
        )
    return system_from_dict({"name": "synthetic scale test", "subsystems": subs})


SYSTEM = make_system()
SIGN = np.array([-1.0 if j in COST else 1.0 for j in range(M)])
SLICES = []
_start = 0
for _size in SIZES:
    SLICES.append(slice(_start, _start + _size))
    _start += _size


def make_panel(seed: int = 0, cities: int = 40, years: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product(
        [[f"城市{i}" for i in range(cities)], list(range(2010, 2010 + years))],
        names=["city", "year"],
    )
    X = rng.lognormal(mean=3.0, sigma=1.0, size=(len(idx), M))
    X[:, 1] = np.round(X[:, 1])  # ties
    X[:, 5] = 1e6 + rng.uniform(0, 1, len(idx))  # large offset, small span
    return pd.DataFrame(X, index=idx, columns=IDS)


PANEL = make_panel()


def textbook_fit(X: np.ndarray, shift: float = 1e-4, lo=None, hi=None):
    """The definitions, whole-array: min-max over all rows, entropy with 0·ln 0 = 0 on
    p = y/Σy (k = 1/ln n), d = 1 − e, within weights d/Σ_{j∈r} d, subsystem weights Σ_{j∈r} d/Σd."""
    lo = X.min(axis=0) if lo is None else lo
    hi = X.max(axis=0) if hi is None else hi
    Z = np.where(SIGN > 0, (X - lo) / (hi - lo), (hi - X) / (hi - lo))
    Y = Z + shift
    P = Y / Y.sum(axis=0)
    e = -xlogy(P, P).sum(axis=0) / np.log(X.shape[0])
    d = 1 - e
    within = np.concatenate([d[s] / d[s].sum() for s in SLICES])
    sub = np.array([d[s].sum() for s in SLICES]) / d.sum()
    glob = within * np.repeat(sub, SIZES)
    return Z, e, within, sub, glob


def textbook_scores(Z: np.ndarray, within: np.ndarray, glob: np.ndarray, f_power: int = 2):
    U = np.column_stack([Z[:, s] @ within[s] for s in SLICES])
    f = glob**f_power
    dp = np.sqrt(((Z - 1.0) ** 2 * f).sum(axis=1))
    dm = np.sqrt((Z**2 * f).sum(axis=1))
    return U, dp, dm, dm / (dp + dm)


def test_fit_and_transform_equal_the_textbook_pipeline():
    """Pooled-panel entropy and TOPSIS composite, written out from the definitions (methods
    reference §1.2–§1.5), on data with ties, cost indicators and a large offset."""
    model = CoordinationModel(SYSTEM).fit(PANEL)
    Z, e, within, sub, glob = textbook_fit(PANEL.to_numpy())
    np.testing.assert_allclose(model.entropy_["e"], e, **TOL)
    np.testing.assert_allclose(model.within_weights_, within, **TOL)
    np.testing.assert_allclose(model.subsystem_weights_, sub, **TOL)
    np.testing.assert_allclose(model.weights_, glob, **TOL)
    out = model.transform(PANEL)
    U, dp, dm, c = textbook_scores(Z, within, glob)
    np.testing.assert_allclose(out.iloc[:, :-1], U, **TOL)
    np.testing.assert_allclose(out["composite"], c, **TOL)
    table = model.composite_table(PANEL)
    np.testing.assert_allclose(table["d_plus"], dp, **TOL)
    np.testing.assert_allclose(table["d_minus"], dm, **TOL)
    assert out.index.equals(PANEL.index)
    assert list(out.columns) == [f"s{i}" for i in range(len(SIZES))] + ["composite"]


@pytest.mark.parametrize("weights_in", ["matrix", "distance"])
def test_topsis_scoring_of_subsystems_equals_topsis_arrays(weights_in):
    model = CoordinationModel(SYSTEM, scoring="topsis", topsis_weights_in=weights_in).fit(PANEL)
    Z = model.normalized(PANEL).to_numpy()
    within, glob = model.within_weights_.to_numpy(), model.weights_.to_numpy()
    out = model.transform(PANEL).to_numpy()
    for k, s in enumerate(SLICES):
        m = s.stop - s.start
        ref = topsis_arrays(Z[:, s], within[s], np.ones(m), np.zeros(m), weights_in)[2]
        np.testing.assert_allclose(out[:, k], ref, **TOL)
    ref = topsis_arrays(Z, glob, np.ones(M), np.zeros(M), weights_in)[2]
    np.testing.assert_allclose(out[:, -1], ref, **TOL)
    np.testing.assert_allclose(model._scores(Z), out, **TOL)


def test_constant_column_goalposts_and_clip():
    """A constant indicator gets weight 0 (warned); goalposts replace the fit extremes; clip
    bounds z′ to [0, 1] before scoring."""
    panel = PANEL.assign(x2=7.0)
    bounds = {"x0": [0.0, 2000.0], "x3": [0.0, 5000.0]}
    model = CoordinationModel(make_system(bounds), out_of_range="clip")
    with pytest.warns(ConstantIndicatorWarning, match=r"\['x2'\]"):
        model.fit(panel)
    X = panel.to_numpy()
    lo, hi = X.min(axis=0), X.max(axis=0)
    lo[[0, 3]], hi[[0, 3]] = 0.0, [2000.0, 5000.0]
    span = np.where(hi > lo, hi - lo, 1.0)
    Z = np.where(SIGN > 0, (X - lo) / span, (hi - X) / span)
    Y = Z + 1e-4
    P = Y / Y.sum(axis=0)
    e = -xlogy(P, P).sum(axis=0) / np.log(len(X))
    e[2] = 1.0
    np.testing.assert_allclose(model.entropy_["e"], e, **TOL)
    assert model.weights_["x2"] == 0.0 and model.constant_ == ["x2"]
    new = panel.iloc[:3].assign(x0=[-5.0, 1.0, 3000.0])
    with pytest.warns(DataWarning, match="2 value"):
        out = model.transform(new)
    Zn = model.normalized(new.iloc[[1]]).to_numpy()
    Zc = minmax_arrays(new.to_numpy(), lo, hi, SIGN)
    np.clip(Zc, 0, 1, out=Zc)
    w = model.weights_.to_numpy()
    np.testing.assert_allclose(out["composite"], topsis_arrays(Zc, w, np.ones(M), np.zeros(M))[2])
    np.testing.assert_allclose(Zn[0], Zc[1], **TOL)


def test_values_outside_goalposts_in_the_fit_data_are_refused_for_entropy():
    with raises_code(InputError, "goalposts_entropy") as info:
        CoordinationModel(make_system({"x0": [100.0, 200.0]})).fit(PANEL)
    assert [p.column for p in info.value.problems] == ["x0"]


def test_out_of_range_error_and_nonfinite_are_located():
    model = CoordinationModel(SYSTEM, out_of_range="error").fit(PANEL)
    bad = PANEL.iloc[:4].copy()
    bad.iloc[2, 4] = bad.iloc[:, 4].max() * 10 + 1e9
    with raises_code(InputError, "value_outside_refused") as info:
        model.transform(bad)
    assert info.value.problems[0].column == "x4"
    bad.iloc[1, 6] = np.nan
    with raises_code(InputError, "value_not_finite") as info:
        model.transform(bad)
    assert info.value.problems[0].column == "x6"
    with raises_code(InputError, "value_not_finite"):
        CoordinationModel(SYSTEM).fit(bad)


def test_no_negative_zero_in_scores():
    """Every cost indicator at its worst and every benefit at its worst: all z′ are ±0, and
    every score must print as 0, not −0."""
    X = PANEL.to_numpy()
    worst = np.where(SIGN > 0, X.min(axis=0), X.max(axis=0))
    model = CoordinationModel(SYSTEM).fit(PANEL)
    out = model.transform(pd.DataFrame([worst], columns=IDS)).to_numpy()
    assert np.all(out == 0) and not np.signbit(out).any()


def test_results_do_not_depend_on_threads_block_size_or_memory_order(monkeypatch):
    X = PANEL.to_numpy()
    base = CoordinationModel(SYSTEM).fit(X)
    ref = base.transform(X)
    for threads, rows in ((1, 64), (2, 64), (2, 1000)):
        monkeypatch.setattr(blocks, "MAX_THREADS", threads)
        monkeypatch.setattr(blocks, "BLOCK_BYTES", rows * 8 * M)
        for A in (np.ascontiguousarray(X), np.asfortranarray(X)):
            m = CoordinationModel(SYSTEM).fit(A)
            np.testing.assert_allclose(m.weights_, base.weights_, **TOL)
            np.testing.assert_allclose(m.transform(A), ref, **TOL)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 5 * 8 * M)
    one = score_arrays(X, np.zeros(M), np.ones(M), np.ones((M, 1)), np.ones((M, 1)), threads=1)
    two = score_arrays(X, np.zeros(M), np.ones(M), np.ones((M, 1)), np.ones((M, 1)), threads=2)
    np.testing.assert_array_equal(one.values, two.values)


@pytest.mark.parametrize("weighting", ["critic", "cv", "equal"])
def test_other_weightings_chunked_equal_in_memory(weighting):
    """CRITIC and CV from merged moments equal the data kernels (critic_weights, cv_weights)."""
    full = CoordinationModel(SYSTEM, weighting=weighting).fit(PANEL)
    chunks = [PANEL.iloc[a:b] for a, b in ((0, 1), (1, 50), (50, 51), (51, 360))]
    part = CoordinationModel(SYSTEM, weighting=weighting).fit_chunks(chunks)
    np.testing.assert_allclose(part.within_weights_, full.within_weights_, **TOL)
    np.testing.assert_allclose(part.weights_, full.weights_, **TOL)
    if weighting == "critic":
        Z = full.normalized(PANEL)
        for s in SLICES:
            ids = IDS[s]
            ref = critic_weights(Z[ids]) if len(ids) > 1 else 1.0
            np.testing.assert_allclose(part.within_weights_[ids], ref, **TOL)
    if weighting == "cv":
        np.testing.assert_allclose(
            part.within_weights_[IDS[SLICES[0]]], cv_weights(PANEL[IDS[SLICES[0]]]), **TOL
        )


def test_chunked_fit_equals_in_memory_fit_with_uneven_chunks():
    full = CoordinationModel(SYSTEM).fit(PANEL)
    cuts = [0, 3, 4, 100, 101, 250, len(PANEL)]
    frames = [PANEL.iloc[a:b] for a, b in itertools.pairwise(cuts)]
    chunked = CoordinationModel(SYSTEM).fit_chunks(lambda: iter(frames))
    np.testing.assert_allclose(chunked.entropy_, full.entropy_, **TOL)
    np.testing.assert_allclose(chunked.weights_, full.weights_, **TOL)
    np.testing.assert_array_equal(chunked.lo_, full.lo_)
    np.testing.assert_array_equal(chunked.hi_, full.hi_)
    assert (chunked.n_obs_, chunked.cities_, chunked.years_) == (
        full.n_obs_,
        full.cities_,
        full.years_,
    )
    arrays = [f.to_numpy() for f in frames] + [np.empty((0, M))]
    from_arrays = CoordinationModel(SYSTEM).fit_chunks(arrays)
    np.testing.assert_allclose(from_arrays.weights_, full.weights_, **TOL)
    np.testing.assert_allclose(
        chunked.transform(PANEL), full.transform(PANEL), rtol=1e-12, atol=1e-14
    )


def test_chunked_fit_refuses_one_shot_iterators_changing_chunks_and_bad_values():
    with raises_code(ConfigError, "chunks_one_shot"):
        CoordinationModel(SYSTEM).fit_chunks(iter([PANEL]))
    sizes = iter([len(PANEL), 10])
    with raises_code(ConfigError, "chunks_changed"):
        CoordinationModel(SYSTEM).fit_chunks(lambda: [PANEL.iloc[: next(sizes)]])
    bad = PANEL.copy()
    bad.iloc[5, 2] = np.inf
    with raises_code(InputError, "value_not_finite") as info:
        CoordinationModel(SYSTEM).fit_chunks([PANEL.iloc[:3], bad])
    assert info.value.problems[0].column == "x2"
    with raises_code(InputError, "panel_empty"):
        CoordinationModel(SYSTEM).fit_chunks([np.empty((0, M))])


def test_parquet_round_trip(tmp_path: Path):
    pytest.importorskip("pyarrow")
    from coordeval.io.parquet import read_parquet_panel

    path = tmp_path / "panel.parquet"
    PANEL.reset_index().rename(columns={"x4": "第四"}).to_parquet(path, row_group_size=77)
    columns = {"x4": "第四"}
    panel, problems = read_parquet_panel(path, SYSTEM, columns=columns)
    assert problems == []
    pd.testing.assert_frame_equal(panel, PANEL.sort_index(), check_index_type=False)
    full = CoordinationModel(SYSTEM).fit(PANEL)
    model = CoordinationModel(SYSTEM).fit_parquet(path, columns=columns, chunk_rows=50)
    np.testing.assert_allclose(model.weights_, full.weights_, **TOL)
    assert (model.cities_, model.years_) == (full.cities_, full.years_)
    out = model.transform_parquet(path, tmp_path / "scores.parquet", columns, chunk_rows=33)
    scores = pd.read_parquet(out)
    expected = full.transform(PANEL)
    assert list(scores.columns) == ["city", "year", *expected.columns]
    np.testing.assert_allclose(scores[list(expected.columns)], expected, **TOL)
    assert scores["city"].tolist() == PANEL.index.get_level_values("city").tolist()
    with pytest.raises(InputError, match="x4"):
        CoordinationModel(SYSTEM).fit_parquet(path)


def test_parquet_missing_value_policies(tmp_path: Path):
    pytest.importorskip("pyarrow")
    from coordeval.io.parquet import read_parquet_panel

    flat = PANEL.reset_index()
    flat.loc[3, "x1"] = np.nan  # interior year of 城市0
    path = tmp_path / "gaps.parquet"
    flat.to_parquet(path)
    with pytest.raises(InputError, match="missing value") as info:
        read_parquet_panel(path, SYSTEM)
    assert info.value.problems[0].column == "x1"
    dropped, problems = read_parquet_panel(path, SYSTEM, missing="drop")
    assert len(dropped) == len(PANEL) - 1 and problems[0].severity == "warning"
    filled, _ = read_parquet_panel(path, SYSTEM, missing="interpolate")
    mid = (PANEL.iloc[2]["x1"] + PANEL.iloc[4]["x1"]) / 2
    assert filled.loc[("城市0", 2013), "x1"] == pytest.approx(mid, rel=1e-15)


def test_dask_fit_and_transform_equal_in_memory():
    dd = pytest.importorskip("dask.dataframe")
    flat = PANEL.reset_index()
    ddf = dd.from_pandas(flat, npartitions=6)
    full = CoordinationModel(SYSTEM).fit(PANEL)
    model = CoordinationModel(SYSTEM).fit(ddf)
    np.testing.assert_allclose(model.entropy_, full.entropy_, **TOL)
    np.testing.assert_allclose(model.weights_, full.weights_, **TOL)
    assert (model.n_obs_, model.cities_, model.years_) == (
        full.n_obs_,
        full.cities_,
        full.years_,
    )
    lazy = model.transform(ddf)
    scores = lazy.compute()
    expected = full.transform(PANEL)
    assert list(scores.columns) == ["city", "year", *expected.columns]
    np.testing.assert_allclose(scores[list(expected.columns)], expected, **TOL)
    critic = CoordinationModel(SYSTEM, weighting="critic")
    np.testing.assert_allclose(
        critic.fit(ddf).weights_,
        CoordinationModel(SYSTEM, weighting="critic").fit(PANEL).weights_,
        **TOL,
    )


def test_dask_errors_are_located_and_lazy_out_of_range_errors_raise():
    dd = pytest.importorskip("dask.dataframe")
    flat = PANEL.reset_index()
    flat.loc[200, "x3"] = np.nan
    with raises_code(InputError, "value_not_finite") as info:
        CoordinationModel(SYSTEM).fit(dd.from_pandas(flat, npartitions=4))
    assert info.value.problems[0].column == "x3"
    with raises_code(InputError, "indicator_missing", indicator="x1"):
        CoordinationModel(SYSTEM).fit(dd.from_pandas(flat.drop(columns="x1"), npartitions=2))
    model = CoordinationModel(SYSTEM, out_of_range="error").fit(PANEL)
    far = PANEL.reset_index().assign(x0=1e12)
    with raises_code(InputError, "outside_count_refused"):
        model.transform(dd.from_pandas(far, npartitions=2)).compute()


def test_cli_assess_parquet_with_pandas_and_dask(tmp_path: Path):
    pytest.importorskip("dask.dataframe")
    from coordeval import read_panel

    panel = read_panel(Path(__file__).parents[2] / "data" / "cyg2019.csv", "cyg2019")
    path = tmp_path / "cyg.parquet"
    panel.reset_index().to_parquet(path)
    runner = CliRunner()
    models = []
    for engine in ("pandas", "dask"):
        out, model = tmp_path / f"{engine}.xlsx", tmp_path / f"{engine}.json"
        args = ["assess", str(path), "-s", "cyg2019", "-o", str(out), "--model-out", str(model)]
        result = runner.invoke(app, [*args, "--engine", engine])
        assert result.exit_code == 0, result.output
        assert out.exists()
        models.append(pd.read_json(model, typ="series")["fitted"]["weights"])
    assert models[0] == pytest.approx(models[1], rel=1e-12)
    result = runner.invoke(
        app,
        [
            "assess",
            str(path),
            "-s",
            "cyg2019",
            "-o",
            str(tmp_path / "x.xlsx"),
            "--scheduler",
            "tcp://127.0.0.1:1",
        ],
    )
    assert result.exit_code == 1 and "--engine dask" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_range_stats_and_column_reductions_equal_numpy():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(1003, 7))
    for A in (X, np.asfortranarray(X), X[::2]):
        for rows in (1, 64, 1000, 5000):
            s = RangeStats.of(A, block_rows=rows, threads=2)
            np.testing.assert_array_equal(s.min, A.min(axis=0))
            np.testing.assert_array_equal(s.max, A.max(axis=0))
            assert s.n == A.shape[0] and s.finite
        np.testing.assert_array_equal(col_reduce(np.minimum, A), A.min(axis=0))
        np.testing.assert_allclose(col_reduce(np.add, A), A.sum(axis=0), rtol=1e-13)
        np.testing.assert_allclose(col_dot(A, A), (A * A).sum(axis=0), rtol=1e-13)
    Y = X.copy()
    Y[500, 3] = np.nan
    assert not RangeStats.of(Y, block_rows=100).finite
    assert np.isnan(col_reduce(np.maximum, Y)[3])
    with pytest.raises(ValueError, match="merge"):
        RangeStats.empty(3).merge(RangeStats.empty(4))


def test_entropy_stats_equal_column_sums_of_the_shifted_matrix():
    rng = np.random.default_rng(4)
    X = rng.lognormal(size=(777, 6))
    lo, hi = X.min(axis=0), X.max(axis=0)
    sign = np.array([1, -1, 1, 1, -1, 1.0])
    origin, scale = minmax_params(lo, hi, sign)
    for shift in (1e-4, 0.0):
        Y = minmax_arrays(X, lo, hi, sign) + shift
        s = EntropyStats.of(X, origin, scale, shift, block_rows=50)
        np.testing.assert_allclose(s.s, Y.sum(axis=0), rtol=1e-13)
        np.testing.assert_allclose(s.s_ylny, xlogy(Y, Y).sum(axis=0), rtol=1e-13, atol=1e-13)
        ymin = shifted_minimum(RangeStats.of(X), origin, scale, shift)
        np.testing.assert_array_equal(ymin, Y.min(axis=0))
    with pytest.raises(ValueError, match="≥ 0"):
        EntropyStats.of(X, origin + 1.0, scale, 0.0)


@settings(max_examples=40, deadline=None)
@given(
    arrays(
        np.float64, st.tuples(st.integers(2, 40), st.integers(1, 5)), elements=st.floats(-1e3, 1e3)
    ),
    st.lists(st.integers(0, 40), min_size=1, max_size=4),
)
def test_moment_merge_equals_whole_array_moments(A, cuts):
    """Chan et al.'s pairwise update: merged mean and covariance equal np.mean and np.cov."""
    edges = sorted({0, A.shape[0], *[min(c, A.shape[0]) for c in cuts]})
    merged = MomentStats.empty(A.shape[1])
    for a, b in itertools.pairwise(edges):
        merged = merged.merge(MomentStats.of(A[a:b], block_rows=3))
    np.testing.assert_allclose(merged.mean, A.mean(axis=0), rtol=1e-9, atol=1e-9)
    cov = np.atleast_2d(np.cov(A, rowvar=False))
    np.testing.assert_allclose(merged.cov(), cov, rtol=1e-9, atol=1e-7)
    diag = MomentStats.of(A, full=False, block_rows=7)
    np.testing.assert_allclose(diag.cov(), np.diag(cov), rtol=1e-9, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 60), st.just(6)), elements=st.floats(-10, 10)),
    st.sampled_from(["matrix", "distance"]),
    st.booleans(),
)
def test_score_arrays_equal_the_straightforward_formulas(X, weights_in, clip):
    rng = np.random.default_rng(int(abs(X).sum() * 1000) % 2**32)
    lo, hi = np.full(6, -5.0), np.full(6, 5.0)
    sign = np.array([1, -1, 1, 1, -1, 1.0])
    origin, scale = minmax_params(lo, hi, sign)
    w = rng.dirichlet(np.ones(6))
    within = np.concatenate([w[:2] / w[:2].sum(), w[2:] / w[2:].sum()])
    W = np.zeros((6, 2))
    W[:2, 0], W[2:, 1] = within[:2], within[2:]
    F = (w**2 if weights_in == "matrix" else w)[:, None]
    res = score_arrays(
        X, origin, scale, W, F, lo=lo, hi=hi, clip=clip, distances=True, block_rows=7, threads=2
    )
    Z = minmax_arrays(X, lo, hi, sign)
    if clip:
        Z = np.clip(Z, 0, 1)
    f = w**2 if weights_in == "matrix" else w
    # one-sided distances: past a bound a value adds nothing (monotone under "extend")
    dp = np.sqrt((f * np.maximum(1.0 - Z, 0.0) ** 2).sum(axis=1))
    dm = np.sqrt((f * np.maximum(Z, 0.0) ** 2).sum(axis=1))
    c = np.divide(dm, dp + dm, out=np.full_like(dm, 0.5), where=dp + dm > 0)
    if clip:  # inside [0, 1]: the textbook TOPSIS
        np.testing.assert_allclose(c, topsis_arrays(Z, w, np.ones(6), np.zeros(6), weights_in)[2])
    np.testing.assert_allclose(res.values[:, 0], Z[:, :2] @ within[:2], **TOL)
    np.testing.assert_allclose(res.values[:, 1], Z[:, 2:] @ within[2:], **TOL)
    np.testing.assert_allclose(res.values[:, 2], c, **TOL)
    np.testing.assert_allclose(res.d_plus[:, 0], dp, **TOL)
    np.testing.assert_allclose(res.d_minus[:, 0], dm, **TOL)
    assert res.n_outside == int(((X < lo) | (X > hi)).sum()) and res.finite


def test_score_arrays_with_a_nonzero_anti_ideal_point():
    rng = np.random.default_rng(5)
    Z = rng.uniform(size=(300, 4))
    w = np.array([0.1, 0.2, 0.3, 0.4])
    ideal, anti = Z.max(axis=0), Z.min(axis=0)
    res = score_arrays(Z, np.zeros(4), np.ones(4), np.zeros((4, 0)), (w**2)[:, None], ideal, anti)
    np.testing.assert_allclose(res.values[:, 0], topsis_arrays(Z, w, ideal, anti)[2], **TOL)


def brute_coupling(U: np.ndarray, model: str) -> np.ndarray:
    """The three coupling-degree definitions, row by row (methods reference §3)."""
    out = []
    for u in U:
        n = u.size
        if u.max() == 0:
            out.append(0.0)
            continue
        if u.max() == u.min():
            out.append(1.0)
            continue
        if model == "classic":
            c = n * np.prod(u) ** (1 / n) / u.sum()
        elif model == "wang2021":
            gap = sum(abs(u[i] - u[j]) for i in range(n) for j in range(i + 1, n))
            spread = max(1 - gap / (n * (n - 1) / 2), 0.0)
            c = np.sqrt(spread * np.prod(u / u.max()) ** (1 / (n - 1)))
        else:
            c = 1 - 2 * np.sqrt(((u - u.mean()) ** 2).mean())
        out.append(min(max(c, 0.0), 1.0))
    return np.array(out)


@pytest.mark.parametrize("model", ["classic", "wang2021", "fan2024"])
@pytest.mark.parametrize("n_sub", [2, 7, 30])
def test_blocked_coupling_equals_the_definitions(model, n_sub, monkeypatch):
    import coordeval.kernels.coupling as coupling

    monkeypatch.setattr(coupling, "_COUPLING_BLOCK_ROWS", 37)
    rng = np.random.default_rng(n_sub)
    U = rng.uniform(0, 1, size=(400, n_sub))
    U[3] = 0.0
    U[4] = 0.25
    U[5, 0] = 0.0
    alpha = rng.dirichlet(np.ones(n_sub))
    C, T, D = coupling_arrays(U, model, alpha)
    np.testing.assert_allclose(C, brute_coupling(U, model), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(T, U @ alpha, **TOL)
    np.testing.assert_allclose(D, np.sqrt(C * T), **TOL)
    assert C[4] == 1.0 and C[3] == 0.0


def test_map_blocks_keeps_order_and_rejects_bad_sizes():
    got = map_blocks(lambda a, b, scratch: (a, b), 10, 3, threads=2)
    assert got == row_blocks(10, 3) == [(0, 3), (3, 6), (6, 9), (9, 10)]
    with pytest.raises(ValueError, match="positive"):
        row_blocks(5, 0)


def test_model_warns_constant_indicator_once_in_chunked_fit():
    panel = PANEL.assign(x7=3.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        CoordinationModel(SYSTEM).fit_chunks([panel.iloc[:10], panel.iloc[10:]])
    assert [type(w.message) for w in caught] == [ConstantIndicatorWarning]


def test_dask_fit_on_a_distributed_client_equals_in_memory():
    """The same fit through a dask.distributed scheduler (in-process cluster, no network)."""
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        ddf = dd.from_pandas(PANEL.reset_index(), npartitions=3)
        model = CoordinationModel(SYSTEM).fit(ddf)
        scores = model.transform(ddf).compute()
    full = CoordinationModel(SYSTEM).fit(PANEL)
    np.testing.assert_allclose(model.weights_, full.weights_, **TOL)
    np.testing.assert_allclose(scores["composite"], full.transform(PANEL)["composite"], **TOL)
