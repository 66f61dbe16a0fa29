"""Size structure (primacy, rank-size, HHI) and the gravity network.

Oracle: networkx 3 (test-only) for degree, closeness and betweenness centrality and density;
primacy and rank-size by hand on exact cases.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from coordeval.analysis.structure import gravity_network, size_structure
from coordeval.errors import InputError


def test_primacy_rank_size_hhi_by_hand() -> None:
    sizes = 1000.0 / np.arange(1, 13)  # exact Zipf: P_r = P_1 / r
    idx = pd.MultiIndex.from_product([[f"c{i}" for i in range(12)], [2020]], names=["city", "year"])
    t = size_structure(pd.Series(sizes, index=idx)).iloc[0]
    assert t["S2"] == pytest.approx(2.0)
    assert t["S4"] == pytest.approx(1 / (1 / 2 + 1 / 3 + 1 / 4))
    assert t["S11"] == pytest.approx(2 / sum(1 / r for r in range(2, 12)))
    assert t["zipf_q"] == pytest.approx(1.0) and t["zipf_r2"] == pytest.approx(1.0)
    shares = sizes / sizes.sum()
    assert t["hhi"] == pytest.approx((shares**2).sum())
    small = size_structure(pd.Series(sizes[:3], index=idx[:3])).iloc[0]
    assert np.isnan(small["S4"]) and np.isnan(small["S11"]) and small["S2"] == pytest.approx(2)
    with pytest.raises(InputError) as info:
        size_structure(pd.Series(-sizes, index=idx))
    assert {p.code for p in info.value.problems} == {"sizes_not_positive"}


def test_gravity_network_matches_networkx() -> None:
    rng = np.random.default_rng(3)
    n = 15
    cities = pd.Index([f"c{i}" for i in range(n)], name="city")
    coords = pd.DataFrame(
        {"lon": rng.uniform(100, 110, n), "lat": rng.uniform(25, 32, n)}, index=cities
    )
    P = pd.Series(rng.lognormal(3, 1, n), index=cities)
    G = pd.Series(rng.lognormal(5, 1, n), index=cities)
    r = gravity_network(P, G, coords)
    links = r["links"]
    g = nx.Graph()
    g.add_nodes_from(cities)
    g.add_edges_from(links.loc[links["linked"], ["city_1", "city_2"]].itertuples(index=False))
    c = r["centrality"].set_index("city")
    for col, fn in (
        ("degree_centrality", nx.degree_centrality),
        ("closeness_centrality", nx.closeness_centrality),
        ("betweenness_centrality", nx.betweenness_centrality),
    ):
        np.testing.assert_allclose(c[col], pd.Series(fn(g))[c.index], rtol=1e-12, atol=1e-15)
    assert r["network"]["density"].iloc[0] == pytest.approx(nx.density(g))
    top = links.iloc[0]
    i, j = cities.get_loc(top["city_1"]), cities.get_loc(top["city_2"])
    assert top["R"] == pytest.approx(
        np.sqrt(P.iloc[i] * G.iloc[i] * P.iloc[j] * G.iloc[j]) / top["distance_km"] ** 2
    )
