"""Spatial weights and spatial autocorrelation against esda/libpysal (test-only oracles).

References reproduced: esda 2.8 ``Moran``, ``Geary``, ``Moran_Local`` on the St. Louis
homicide example (``stl_hom.txt``, ``stl.gal``) as in the esda docstrings, and the published
``G_Local(star=True)`` docstring z-scores (Getis & Ord; esda ``getisord.py``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordeval.analysis import spatial as S
from coordeval.errors import InputError
from coordeval.io.side import read_coords
from coordeval.kernels import spatial as K

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import esda
    import libpysal


@pytest.fixture(scope="module")
def stl() -> tuple[np.ndarray, object, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = libpysal.io.open(libpysal.examples.get_path("stl_hom.txt"))
        y = np.array(f.by_col["HR8893"])
        f.close()
        g = libpysal.io.open(libpysal.examples.get_path("stl.gal"))
        w = g.read()
        g.close()
        w.transform = "r"
    return y, w, w.full()[0]


def test_moran_matches_esda(stl) -> None:
    """esda docstring: I = 0.24365582621771695, z_norm 3.6411, z_rand 4.7044 (St. Louis)."""
    y, w, W = stl
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.Moran(y, w, permutations=0)
    ours = K.moran_global(y[:, None], W, K.permutations(len(y), 999, 0))
    assert ours["I"][0] == pytest.approx(0.24365582621771695, abs=1e-12)
    for key in ("I", "EI", "z_norm", "p_norm", "z_rand", "p_rand"):
        assert ours[key][0] == pytest.approx(getattr(ref, key), rel=1e-10)
    # a strong positive autocorrelation: no permutation reaches it
    assert ours["p_sim"][0] < 0.005


def test_geary_matches_esda(stl) -> None:
    """esda ``Geary``: C, its normal z; our p_norm is two-sided (esda's one-sided × 2)."""
    y, w, W = stl
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.Geary(y, w, permutations=0)
    ours = K.geary(y[:, None], W, K.permutations(len(y), 999, 1))
    assert ours["C"][0] == pytest.approx(ref.C, rel=1e-12)
    assert ours["z_norm"][0] == pytest.approx(ref.z_norm, rel=1e-10)
    assert ours["p_norm"][0] == pytest.approx(2 * ref.p_norm, rel=1e-8)
    assert ours["p_sim"][0] <= 0.002


def test_lisa_matches_esda(stl) -> None:
    """Local I_i and quadrants equal esda's ``Moran_Local``; pseudo p agree with a direct
    conditional randomisation (each unit's neighbours drawn from the other units' values, as
    esda's ``crand``) within Monte Carlo error."""
    y, w, W = stl
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.Moran_Local(y, w, permutations=0)
    ours = K.moran_local(y[:, None], W, K.permutations(len(y), 4999, 5))
    np.testing.assert_allclose(ours["Is"][:, 0], ref.Is, rtol=1e-10, atol=1e-14)
    names = np.asarray(K.LISA_NAMES)[ours["quadrant"][:, 0]]
    esda_names = np.asarray(["", "HH", "LH", "LL", "HL"])[ref.q]  # esda: 1 HH 2 LH 3 LL 4 HL
    assert (names == esda_names).all()
    # direct oracle: for unit i, draw its neighbours' values without replacement from the others
    rng = np.random.default_rng(99)
    n, B = len(y), 4999
    z = y - y.mean()
    sim = np.empty((n, B))
    for i in range(n):
        others = np.delete(np.arange(n), i)
        nb = np.flatnonzero(W[i])
        draws = np.argsort(rng.random((B, n - 1)), axis=1)[:, : nb.size]
        sim[i] = (n - 1) * z[i] * (z[others][draws] @ W[i, nb]) / (z @ z)
    larger = (sim >= ours["Is"][:, [0]]).sum(axis=1)
    p_ref = (np.minimum(larger, B - larger) + 1) / (B + 1)
    # two independent 4999-draw estimates: sd of the difference ≤ 0.01
    assert np.abs(ours["p_sim"][:, 0] - p_ref).max() < 0.045
    assert np.corrcoef(ours["p_sim"][:, 0], p_ref)[0, 1] > 0.99


def test_conditional_permutation_is_uniform() -> None:
    """Unit i's conditional draws use every other value equally often at each neighbour."""
    n, B = 5, 60_000
    Z = np.arange(n, dtype=float)[:, None] * 10
    W = np.zeros((n, n))
    W[0, 1] = 1.0  # lag of unit 0 = the value drawn for position 1
    lags = K.conditional_lags(Z, W, K.permutations(n, B, 3))[0, 0]
    values, counts = np.unique(lags, return_counts=True)
    assert set(values) == {10.0, 20.0, 30.0, 40.0}  # never unit 0's own value
    assert np.abs(counts / B - 0.25).max() < 0.01


def test_getis_ord_star_published_example() -> None:
    """esda ``G_Local(y, w, transform='B', star=True).Zs`` docstring values."""
    pts = np.array([(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)], dtype=float)
    y = np.array([2, 3, 3.2, 5, 8, 7])
    D = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1))
    Wb = K.distance_band_weights(D, 15.0)
    np.fill_diagonal(Wb, 1.0)
    z = K.getis_ord_star(y[:, None], Wb)["z"][:, 0]
    expected = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]
    np.testing.assert_allclose(z, expected, atol=5e-8)
    bands = K.hot_cold_band(np.array([-3.0, -2.0, -1.7, 0.0, 1.7, 2.0, 3.0]))
    assert list(bands) == [0, 1, 2, 3, 4, 5, 6]


def test_haversine_and_knn_match_libpysal() -> None:
    """One degree of latitude is 111.195 km; kNN on the sphere equals libpysal's KNN(radius)."""
    d = K.haversine_km(np.array([0.0, 0.0]), np.array([0.0, 1.0]))
    assert d[0, 1] == pytest.approx(6371.0088 * np.pi / 180, rel=1e-12)
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(100, 120, 30), rng.uniform(22, 40, 30)
    W = K.knn_weights(K.haversine_km(lon, lat), 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = libpysal.weights.KNN.from_array(np.column_stack([lon, lat]), k=4, radius=6371.0088)
    for i in range(30):
        assert set(np.flatnonzero(W[i])) == set(ref.neighbors[i])


def _coords() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lon": [104.07, 106.55, 106.63, 104.74, 105.44],
            "lat": [30.67, 29.56, 26.65, 31.46, 28.87],
        },
        index=pd.Index(["成都", "重庆", "贵阳", "绵阳", "泸州"], name="city"),
    )


def test_weights_from_coords_methods_and_islands() -> None:
    c = _coords()
    knn = S.weights_from_coords(c, "knn", k=2)
    assert np.allclose(knn.W.sum(axis=1), 1.0) and knn.binary and not knn.islands
    idw = S.weights_from_coords(c, "idw", power=2, row_standardize=False)
    D = K.haversine_km(c["lon"].to_numpy(), c["lat"].to_numpy())
    assert idw.raw.iloc[0, 1] == pytest.approx(D[0, 1] ** -2)
    band = S.weights_from_coords(c, "band", threshold_km=200)
    assert "贵阳" in band.islands  # Guiyang is more than 200 km from every other city
    assert band.summary()["islands"].iloc[0].count("贵阳") == 1
    auto = S.weights_from_coords(c, "band")  # smallest band giving everyone a neighbour
    assert not auto.islands


def test_economic_and_nested_weights() -> None:
    x = pd.Series([1.0, 2.0, 4.0], index=["a", "b", "c"])
    e = S.economic_weights(x, row_standardize=False)
    assert e.raw.loc["a", "b"] == 1.0 and e.raw.loc["a", "c"] == pytest.approx(1 / 3)
    with pytest.raises(InputError) as info:
        S.economic_weights(pd.Series([1.0, 1.0, 2.0], index=["a", "b", "c"]))
    assert {p.code for p in info.value.problems} == {"same_economic_value"}
    geo = S.SpatialWeights(
        W=e.W,
        raw=pd.DataFrame(np.ones((3, 3)) - np.eye(3), index=x.index, columns=x.index),
        method="uniform",
        row_standardized=True,
        binary=True,
    )
    nested = S.geo_economic_weights(geo, e, phi=0.5)
    expected = 0.5 * 0.5 + 0.5 * (1.0 / (1.0 + 1 / 3))
    assert nested.W.loc["a", "b"] == pytest.approx(expected)


def test_read_coords_chinese_headers_and_bad_cells(tmp_path) -> None:
    good = tmp_path / "c.csv"
    good.write_text("城市,经度,纬度\n成都,104.07,30.67\n重庆,106.55,29.56\n", encoding="utf-8")
    c = read_coords(good)
    assert list(c.columns) == ["lon", "lat"] and c.loc["重庆", "lon"] == 106.55
    bad = tmp_path / "b.csv"
    bad.write_text("city,lon,lat\nA,200,30\nA,100,x\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_coords(bad)
    text = " | ".join(f"{p.cell} {p.message}" for p in exc.value.problems)
    assert "line 2, column 2 must be within [-180, 180]" in text  # the longitude, by cell
    assert "listed twice" in text and "line 3, column 3 not a number" in text


def test_by_year_tables_name_clusters() -> None:
    c = _coords()
    idx = pd.MultiIndex.from_product([c.index, [2020, 2021]], names=["city", "year"])
    v = pd.DataFrame({"D": np.linspace(0.2, 0.8, 10)}, index=idx)
    W = S.weights_from_coords(c, "knn", k=2)
    m = S.moran_by_year(v, W, permutations=99)
    assert list(m["year"]) == [2020, 2021] and (m["n"] == 5).all()
    lisa = S.lisa_by_year(v, W, permutations=99)
    assert set(lisa["cluster"]) <= {"HH", "LL", "LH", "HL", "not significant"}
    hot = S.hotspots_by_year(v, W)
    assert set(hot["band"]) <= set(S.HOTSPOT_NAMES)
    with pytest.raises(InputError) as info:
        S.moran_by_year(v.rename(index={"成都": "西安"}), W)
    assert {p.code for p in info.value.problems} == {"city_without_weights_row"}


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=8, max_value=25), st.integers(min_value=0, max_value=10_000))
def test_moran_of_random_permutations_centres_on_expectation(n: int, seed: int) -> None:
    """Averaged over permutations of the values, Moran's I equals E[I] = −1/(n−1)."""
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(100, 110, n), rng.uniform(25, 35, n)
    W, _ = K.row_standardize(K.knn_weights(K.haversine_km(lon, lat), 3))
    y = rng.gamma(2.0, size=n)
    perms = K.permutations(n, 4000, seed)
    sim = K.moran_global(y[perms].T, W)["I"]
    se = sim.std() / np.sqrt(sim.size)
    assert abs(sim.mean() + 1 / (n - 1)) < 5 * se + 1e-12
    # I is invariant to positive affine transforms of the values
    a = K.moran_global(np.column_stack([y, 3 * y + 7]), W)["I"]
    assert a[0] == pytest.approx(a[1], rel=1e-10)


def test_weights_from_user_tables() -> None:
    cities = ["a", "b", "c"]
    adj = pd.DataFrame([[0, 1, 0], [1, 0, 1], [0, 1, 0]], index=cities, columns=cities)
    w = S.weights_from_table(adj.astype(float))
    assert w.binary and w.W.loc["b", "a"] == 0.5 and w.W.loc["a", "b"] == 1.0
    dist = pd.DataFrame([[0, 100, 200], [100, 0, 100], [200, 100, 0]], index=cities, columns=cities)
    d = S.weights_from_table(dist.astype(float), "distance", power=2, row_standardize=False)
    assert d.raw.loc["a", "c"] == pytest.approx(1 / 200**2) and d.raw.loc["a", "a"] == 0
    assert not d.binary and "1/d^2" in d.method
    with pytest.raises(InputError):
        S.weights_from_table(adj.drop(columns="c").astype(float))


def test_constant_values_give_nan_never_significance() -> None:
    """A variable that is constant in a year has no autocorrelation: NaN statistics, no
    warning, and LISA/Gi* call every city not significant."""
    c = _coords()
    idx = pd.MultiIndex.from_product([c.index, [2020]], names=["city", "year"])
    v = pd.DataFrame({"flat": 0.5, "D": [0.1, 0.5, 0.9, 0.3, 0.4]}, index=idx)
    W = S.weights_from_coords(c, "knn", k=2)
    m = S.moran_by_year(v, W, permutations=49).set_index("variable")
    assert np.isnan(m.loc["flat", "I"]) and np.isnan(m.loc["flat", "p_sim"])
    assert np.isfinite(m.loc["D", "I"])
    lisa = S.lisa_by_year(v, W, permutations=49)
    assert (lisa.loc[lisa["variable"] == "flat", "cluster"] == "not significant").all()
    hot = S.hotspots_by_year(v, W)
    assert (hot.loc[hot["variable"] == "flat", "band"] == "not significant").all()
