"""One error contract at every public boundary: bad data → InputError with coded problems that
name the column and the rows; bad options (choices, weights, directions) → ConfigError with a
coded problem. Both are ValueErrors."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import coordeval as ce
from coordeval import _validation as V
from coordeval.errors import ConfigError, CoordevalError, DataWarning, InputError, Problem

INDEX = pd.Index(["甲", "乙", "丙", "丁"], name="city")


def _scores() -> pd.DataFrame:
    return pd.DataFrame(
        {"a": [0.2, 0.5, 0.9, 0.4], "b": [0.4, 0.9, 0.3, 0.6], "c": [0.7, 0.1, 0.5, 0.8]},
        index=INDEX,
    )


#: public function → call on a table (the weights/directions are aligned with a, b, c)
TABLE_FUNCTIONS = {
    "normalize": lambda X: ce.normalize(X, ["+", "-", "+"]),
    "topsis": lambda X: ce.topsis(X, [0.2, 0.3, 0.5], "+"),
    "entropy_weights": ce.entropy_weights,
    "entropy_table": ce.entropy_table,
    "critic_weights": ce.critic_weights,
    "cv_weights": ce.cv_weights,
    "sd_weights": ce.sd_weights,
    "coupling_coordination": ce.coupling_coordination,
    "relative_development": ce.relative_development,
    "pairwise_coupling": ce.pairwise_coupling,
    "obstacle_degree": lambda X: ce.obstacle_degree(X, [0.2, 0.3, 0.5]),
}


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", sorted(TABLE_FUNCTIONS))
def test_missing_or_infinite_values_are_an_input_error_naming_column_and_row(name, bad):
    X = _scores()
    X.loc["丙", "b"] = bad
    with pytest.raises(InputError) as exc:
        TABLE_FUNCTIONS[name](X)
    (p,) = exc.value.problems
    assert (p.code, p.column, p.value) == ("missing_values", "b", str(bad))
    assert p.params["rows"] == "丙" and p.params["n"] == 1
    assert p.render("en") == p.message and "丙" in p.render("zh")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("entropy_weights", "negative_values"),
        ("entropy_table", "negative_values"),
        ("coupling_coordination", "outside_unit_interval"),
        ("relative_development", "outside_unit_interval"),
        ("pairwise_coupling", "outside_unit_interval"),
        ("obstacle_degree", "outside_unit_interval"),
    ],
)
def test_negative_values_where_forbidden_are_an_input_error(name, code):
    X = _scores()
    X.loc["乙", "c"] = -0.25
    with pytest.raises(InputError) as exc:
        TABLE_FUNCTIONS[name](X)
    (p,) = exc.value.problems
    assert (p.code, p.column, p.value, p.params["rows"]) == (code, "c", "-0.25", "乙")


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda X: ce.topsis(X, [0.5, 0.5]), "weights_count"),
        (lambda X: ce.topsis(X, {"a": 1.0, "b": 1.0}), "weights_missing"),
        (lambda X: ce.topsis(X, [0.5, -0.1, 0.6]), "weights_invalid"),
        (lambda X: ce.topsis(X, [0.0, 0.0, 0.0]), "weights_all_zero"),
        (lambda X: ce.topsis(X, ["x", "y", "z"]), "weights_not_numbers"),
        (lambda X: ce.coupling_coordination(X, weights=[0.5, 0.5]), "weights_count"),
        (lambda X: ce.coupling_coordination(X, weights={"a": 1, "b": 1}), "weights_missing"),
        (
            lambda X: ce.coupling_coordination(X, weights={"a": 1, "b": 1, "c": 1, "d": 1}),
            "weights_unknown",
        ),
        (
            lambda X: ce.coupling_coordination(X, weights={"a": 1, "b": 1, "d": 1}),
            "weights_misaligned",
        ),
        (lambda X: ce.coupling_coordination(X, weights=[1, np.nan, 1]), "weights_invalid"),
        (lambda X: ce.obstacle_degree(X, [0.5, 0.5]), "weights_count"),
        (lambda X: ce.obstacle_degree(X, [0.0, 0.0, 0.0]), "weights_all_zero"),
        (lambda X: ce.normalize(X, ["+", "-"]), "directions_count"),
        (lambda X: ce.normalize(X, {"a": "+"}), "directions_missing"),
        (lambda X: ce.topsis(X, None, ["+", "-", "up"]), "directions_invalid"),
        (lambda X: ce.normalize(X, method="robust"), "unknown_choice"),
        (lambda X: ce.normalize(X, method="zscore", ddof=2), "unknown_choice"),
        (lambda X: ce.topsis(X, normalize="sum"), "unknown_choice"),
        (lambda X: ce.topsis(X, weights_in="both"), "unknown_choice"),
        (lambda X: ce.critic_weights(X, correlation="distance"), "unknown_choice"),
        (lambda X: ce.coupling_coordination(X, on_invalid="ignore"), "unknown_choice"),
        (lambda X: ce.combine_weights([0.5, 0.5], [0.5, 0.5], method="mean"), "unknown_choice"),
        (lambda X: ce.ahp_weights(np.ones((3, 3)), random_index="nope"), "unknown_choice"),
    ],
)
def test_bad_options_are_a_config_error_with_a_code(call, code):
    with pytest.raises(ConfigError) as exc:
        call(_scores())
    (p,) = exc.value.problems
    assert exc.value.code == p.code == code
    assert p.render("en") == str(exc.value)
    assert p.render("zh") != p.render("en")


def test_an_unknown_choice_names_the_allowed_values():
    with pytest.raises(ConfigError) as exc:
        ce.normalize(_scores(), method="robust")
    assert str(exc.value) == (
        "unknown normalisation method 'robust'; expected one of ('minmax', 'vector', 'zscore')"
    )
    assert exc.value.params == {
        "name": "normalisation method",
        "value": "'robust'",
        "allowed": "('minmax', 'vector', 'zscore')",
    }


@pytest.mark.parametrize("name", sorted(TABLE_FUNCTIONS))
def test_shape_and_type_defects_are_input_errors(name):
    f = TABLE_FUNCTIONS[name]
    with pytest.raises(InputError) as exc:
        f(np.zeros((2, 3, 3)))
    assert [p.code for p in exc.value.problems] == ["not_a_table"]
    text = _scores().assign(b=["x", "y", "z", "w"])
    with pytest.raises(InputError) as exc:
        f(text)
    assert [(p.code, p.column) for p in exc.value.problems] == [("column_not_numeric", "b")]
    flags = _scores().assign(c=[True, False, True, False])
    with pytest.raises(InputError) as exc:
        f(flags)
    assert [(p.code, p.column) for p in exc.value.problems] == [("column_not_numeric", "c")]
    with pytest.raises(InputError) as exc:
        f(_scores().iloc[:0])
    assert exc.value.problems[0].code in {"no_rows", "too_few_rows"}
    dup = _scores()
    dup.columns = ["a", "b", "a"]
    with pytest.raises(InputError) as exc:
        f(dup)
    assert [(p.code, p.column) for p in exc.value.problems] == [("duplicate_column", "a")]


def test_numbers_held_as_text_are_accepted():
    X = _scores()
    as_text = X.astype(object)
    pd.testing.assert_frame_equal(ce.normalize(as_text), ce.normalize(X))


def test_both_errors_are_value_errors_and_coordeval_errors():
    for cls in (InputError, ConfigError):
        assert issubclass(cls, ValueError) and issubclass(cls, CoordevalError)


def test_errors_survive_pickling_with_their_problems():
    err = InputError([Problem("bad", column="a", code="duplicate_column")], "summary")
    back = pickle.loads(pickle.dumps(err))
    assert (back.summary, back.problems, str(back)) == (err.summary, err.problems, str(err))
    cfg = ConfigError("weights must not all be zero", "weights_all_zero", {})
    back = pickle.loads(pickle.dumps(cfg))
    assert (str(back), back.code, back.problems) == (str(cfg), cfg.code, cfg.problems)


def test_a_plain_config_error_keeps_its_text_and_has_one_uncoded_problem():
    err = ConfigError("--model applies to .xlsx and .csv data")
    assert str(err) == "--model applies to .xlsx and .csv data"
    assert [(p.message, p.code) for p in err.problems] == [(str(err), "")]


def test_clipping_warns_with_a_code():
    X = _scores()
    X.loc["甲", "a"] = 1.5
    with pytest.warns(DataWarning) as record:
        ce.coupling_coordination(X, on_invalid="clip")
    (w,) = [r.message for r in record if isinstance(r.message, DataWarning)]
    assert (w.code, w.params) == ("values_clipped", {"what": "coupling coordination", "n": 1})


def test_panel_index_must_be_city_year_and_unique():
    idx = pd.MultiIndex.from_tuples(
        [("甲", 2020), ("甲", 2020), ("乙", 2020), ("乙", 2021), ("乙", 2021), ("乙", 2021)],
        names=["city", "year"],
    )
    panel = pd.DataFrame({"x": range(6)}, index=idx)
    with pytest.raises(InputError) as exc:
        V.panel_index(panel)
    assert [(p.code, p.params) for p in exc.value.problems] == [
        ("duplicate_panel_key", {"city": "甲", "year": "2020", "count": 2}),
        ("duplicate_panel_key", {"city": "乙", "year": "2021", "count": 3}),
    ]
    V.panel_index(panel[~panel.index.duplicated()])
    with pytest.raises(InputError) as exc:
        V.panel_index(panel.reset_index(drop=True))
    assert exc.value.problems[0].code == "panel_index"


def test_choice_does_not_take_true_for_one_nor_an_array_for_a_name():
    assert V.choice(1, (1, 0), "ddof") == 1
    assert V.choice(np.int64(0), (1, 0), "ddof") == 0
    assert V.choice(None, ("vector", None), "normalize") is None
    for bad in (True, np.array([1, 0]), "1"):
        with pytest.raises(ConfigError):
            V.choice(bad, (1, 0), "ddof")


def test_weights_are_normalised_exactly_and_extra_keys_follow_the_rule():
    w = V.weights([1e308, 1e308], ["a", "b"], normalise=True)
    assert w.tolist() == [0.5, 0.5]
    given = pd.Series({"a": 1.0, "b": 3.0, "z": 5.0})
    assert V.weights(given, ["a", "b"], extra="ignore").tolist() == [1.0, 3.0]
    with pytest.raises(ConfigError) as exc:
        V.weights(given, ["a", "b"], "indicators")
    assert str(exc.value) == "weights for unknown indicators ['z']"


def test_the_validator_is_silent_on_good_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = V.table(_scores())
        values = V.finite_values(frame, "X")
        V.nonnegative(frame, values, "X")
        V.unit_interval(frame, values, "error", "X")
    assert frame.index.equals(INDEX) and values.dtype == np.float64


def _raises(exc_type: type[CoordevalError], call, *args, **kwargs) -> Problem:
    with pytest.raises(exc_type) as exc:
        call(*args, **kwargs)
    (p,) = exc.value.problems
    assert p.code and p.render("en") in str(exc.value)
    return p


def test_array_kernels_follow_the_same_contract():
    from coordeval.kernels import coupling, geodetector, inequality, obstacle, spatial

    U = np.array([[0.2, 0.4], [0.5, 0.9]])
    assert _raises(ConfigError, coupling.coupling_arrays, U, "nope").code == "unknown_choice"
    assert _raises(InputError, coupling.coupling_arrays, U[:, :1]).code == "too_few_columns"
    assert _raises(InputError, coupling.coupling_arrays, np.zeros((2, 2, 2))).code == "not_a_table"
    assert _raises(ConfigError, coupling.coupling_arrays, U, weights=[1.0]).code == "weights_count"
    p = _raises(ConfigError, coupling.grade_arrays, [0.5], [0.5, 0.4])
    assert p.code == "cuts_not_increasing"
    p = _raises(ConfigError, coupling.grade_arrays, [0.5], [0.5], closed="both")
    assert p.code == "unknown_choice"
    assert _raises(InputError, obstacle.obstacle_arrays, np.zeros(3), np.ones(3)).code == "not_2d"
    assert _raises(ConfigError, obstacle.top_k_arrays, U, 0).params == {
        "name": "k",
        "minimum": 1,
        "value": 0,
    }
    p = _raises(InputError, inequality.gini_weighted, np.zeros(3))
    assert p.code == "gini_mean_not_positive"
    xy = np.array([[0, 0], [1, 0], [1, 1], [0, 1]])
    unit = np.zeros(4, dtype=int)
    p = _raises(ConfigError, spatial.contiguity_weights, xy, unit, unit, 1, "bishop")
    assert p.code == "contiguity_kind"
    p = _raises(ConfigError, geodetector.breaks, np.arange(5.0), "jenks", 2)
    assert p.params["allowed"] == str(geodetector.DISCRETIZATIONS)
