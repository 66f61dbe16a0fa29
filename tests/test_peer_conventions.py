"""Conventions of peer tools, chosen by name, reproduce the peers' published numbers.

Each test cites the file and line (or page) whose printed numbers it reproduces, and asserts at
the printed precision. Oracles imported at test time (pymcdm, scikit-criteria, pyrepo-mcda,
AHPy, PySAL inequality) are dev extras.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coordeval import ahp_weights, critic_weights, normalize, sd_weights
from coordeval.kernels.weights import RANDOM_INDEX

# AHPy tests/test_ahp.py lines 10-17: Saaty (2008) drinks example, element pairs and judgements
DRINKS = {
    ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
    ("coffee", "milk"): 1, ("water", "coffee"): 2, ("water", "wine"): 9, ("water", "tea"): 9,
    ("water", "beer"): 3, ("water", "soda"): 2, ("water", "milk"): 3, ("tea", "wine"): 3,
    ("beer", "wine"): 9, ("beer", "tea"): 3, ("beer", "milk"): 1, ("soda", "wine"): 9,
    ("soda", "tea"): 4, ("soda", "beer"): 2, ("soda", "milk"): 2, ("milk", "wine"): 9,
    ("milk", "tea"): 3,
}  # fmt: skip

# Diakoulaki, Mavrotas & Papayannakis (1995) Table 1, as typed in scikit-criteria
# tests/preprocessing/test_weighters.py lines 372-381
DIAKOULAKI = np.array(
    [
        [61, 1.08, 4.33],
        [20.7, 0.26, 4.34],
        [16.3, 1.98, 2.53],
        [9, 3.29, 1.65],
        [5.4, 2.77, 2.33],
        [4, 4.12, 1.21],
        [-6.1, 3.52, 2.10],
        [-34.6, 3.31, 0.98],
    ]
)


def _pairwise(pairs: dict[tuple[str, str], float]) -> pd.DataFrame:
    names = sorted({a for pair in pairs for a in pair})
    A = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for (a, b), v in pairs.items():
        A.loc[a, b] = v
        A.loc[b, a] = 1.0 / v
    return A


# --- AHP random index --------------------------------------------------------------------------


def test_ahp_random_index_saaty2005_reproduces_ahpy():
    """AHPy tests/test_ahp.py lines 20-22 (test_drinks_cr_saaty): CR = 0.022 at precision 3
    with ``random_index='saaty'`` (Saaty 2005, p. 31)."""
    r = ahp_weights(_pairwise(DRINKS), random_index="saaty2005")
    assert round(r.cr, 3) == 0.022
    assert r.ri == 1.35 and r.ri_table == "saaty2005"
    # AHPy tests/test_ahp.py lines 30-33: weights at precision 3
    expected = {"beer": 0.116, "coffee": 0.177, "milk": 0.129, "soda": 0.190, "tea": 0.042,
                "water": 0.327, "wine": 0.019}  # fmt: skip
    assert r.weights.round(3).to_dict() == expected


def test_ahp_random_index_donegan_dodd_reproduces_ahpy_default():
    """AHPy tests/test_ahp.py lines 25-27 (test_drinks_cr_dd): CR = 0.0235 at precision 4
    with AHPy's default ``random_index='dd'`` (Donegan & Dodd 1991)."""
    r = ahp_weights(_pairwise(DRINKS), random_index="donegan_dodd")
    assert round(r.cr, 4) == 0.0235
    assert r.ri == 1.2519


def test_ahp_random_index_tummala_ling_matches_pymcdm():
    """pymcdm ``weights.subjective.AHP.get_cr`` (RI_M, Tummala & Ling 1998) as an oracle."""
    from pymcdm.weights.subjective import AHP

    A = np.array([[1, 3, 5, 7], [1 / 3, 1, 2, 4], [1 / 5, 1 / 2, 1, 3], [1 / 7, 1 / 4, 1 / 3, 1]])
    expected = AHP(matrix=A).get_cr()
    r = ahp_weights(A, random_index="tummala_ling")
    assert r.cr == pytest.approx(expected, rel=1e-12)
    assert r.ri_table == "tummala_ling"


def test_ahp_random_index_tables_and_user_numbers_by_hand():
    """3 × 3: CR = CI/RI with RI 0.58 (Saaty 1980), 0.52 (2005), 0.4914 (Donegan–Dodd),
    0.5799 (Tummala–Ling): the same matrix passes CR ≤ 0.1 under Saaty 1980 and fails under
    Donegan–Dodd (CI = 0.0539 is between 0.04914 and 0.058)."""
    A = np.array([[1, 2, 3], [1 / 2, 1, 4], [1 / 3, 1 / 4, 1]])
    base = ahp_weights(A)
    assert base.ri_table == "saaty1980" and base.ri == 0.58
    ci = base.ci
    assert 0.04914 < ci < 0.058
    assert base.cr <= 0.1
    with pytest.warns(Warning, match="donegan_dodd"):
        dd = ahp_weights(A, random_index="donegan_dodd")
    assert dd.cr == pytest.approx(ci / 0.4914) and dd.cr > 0.1
    user = ahp_weights(A, random_index=[0, 0, 0.6])
    assert user.ri_table == "user" and user.cr == pytest.approx(ci / 0.6)
    for name, table in RANDOM_INDEX.items():
        assert table[:2] == (0.0, 0.0), name
        assert all(np.diff(table[2:9]) > 0), name


@pytest.mark.parametrize("bad", ["saaty", [0, 0], [0, 0, -1], [0, 0, 0]])
def test_ahp_random_index_rejects_unknown_or_short_tables(bad):
    with pytest.raises(ValueError, match="random"):
        ahp_weights(np.ones((3, 3)), random_index=bad)


# --- standard-deviation and CRITIC weights -----------------------------------------------------


def test_sd_weights_reproduce_scikit_criteria():
    """scikit-criteria tests/preprocessing/test_weighters.py lines 151-167
    (test_StdWeighter_simple_matrix): [[1, 2], [4, 16]] → [0.176471, 0.82353], atol 1e-5."""
    w = sd_weights([[1.0, 2.0], [4.0, 16.0]])
    np.testing.assert_allclose(w, [0.176471, 0.82353], atol=1e-5)


def test_sd_weights_match_pymcdm_and_pyrepo():
    """pymcdm ``standard_deviation_weights`` and pyrepo-mcda ``std_weighting`` as oracles."""
    from pymcdm.weights import standard_deviation_weights
    from pyrepo_mcda.weighting_methods import std_weighting

    rng = np.random.default_rng(7)
    X = rng.uniform(0.1, 5.0, (9, 4))
    ours = sd_weights(X).to_numpy()
    np.testing.assert_allclose(ours, standard_deviation_weights(X), rtol=1e-12)
    np.testing.assert_allclose(ours, std_weighting(X), rtol=1e-12)


def test_sd_weights_constant_column_gets_zero():
    with pytest.warns(Warning, match="do not vary"):
        w = sd_weights([[1.0, 3.0], [2.0, 3.0], [4.0, 3.0]])
    assert w.tolist() == [1.0, 0.0]


@pytest.mark.parametrize(
    ("correlation", "expected"),
    [
        ("pearson", [0.20222554, 0.48090173, 0.31687273]),
        ("spearman", [0.21454645, 0.4898563, 0.29559726]),
    ],
)
def test_critic_correlations_reproduce_scikit_criteria(correlation, expected):
    """scikit-criteria tests/preprocessing/test_weighters.py lines 341-357 (scale=True rows):
    CRITIC on Diakoulaki et al. (1995) Table 1 after min-max scaling; numpy ``allclose``."""
    Z = normalize(DIAKOULAKI)
    np.testing.assert_allclose(critic_weights(Z, correlation=correlation), expected, atol=1e-8)


def test_critic_kendall_matches_scikit_criteria():
    """scikit-criteria ``critic_weights(correlation="kendall")`` (pandas' τ-b) as an oracle."""
    from skcriteria.preprocessing.weighters import critic_weights as skc_critic

    expected = skc_critic(DIAKOULAKI, objectives=[1, 1, 1], correlation="kendall", scale=True)
    ours = critic_weights(normalize(DIAKOULAKI), correlation="kendall")
    np.testing.assert_allclose(ours, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="unknown correlation"):
        critic_weights(normalize(DIAKOULAKI), correlation="distance")
