"""Model files verified: the fit hash is required, every edit is named, JSON is strict.

Real data: the Munnell (1990) US-states panel with ``indices/munnell.toml``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coordeval.cli import app
from coordeval.errors import ConfigError
from coordeval.io.read import read_data
from coordeval.model import CoordinationModel, load_model
from coordeval.model import _persist as model_module
from coordeval.system import load_system, system_from_dict

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "munnell_states_1970_1986.csv"
SYSTEM = ROOT / "indices" / "munnell.toml"


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    system = load_system(SYSTEM)
    panel = read_data(DATA, system).panel
    path = CoordinationModel(system).fit(panel).save(tmp_path_factory.mktemp("m") / "m.json")
    return path, json.loads(path.read_text(encoding="utf-8"))


@contextlib.contextmanager
def raises_code(code: str, **params: object) -> Iterator[None]:
    """The block raises a ConfigError coded ``code`` with (at least) these parameters."""
    with pytest.raises(ConfigError) as info:
        yield
    assert info.value.code == code, str(info.value)
    assert {k: info.value.params.get(k) for k in params} == params, info.value.params
    assert info.value.problems[0].render("en") == str(info.value)


def write(tmp_path: Path, data: dict | str) -> Path:
    p = tmp_path / "edited.json"
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return p


def copy(data: dict) -> dict:
    return json.loads(json.dumps(data))


def test_saved_model_loads_and_records_checksums(saved):
    path, data = saved
    assert "fitted.lo" in data["checksums"] and "params.out_of_range" in data["checksums"]
    assert any(k.startswith("system.subsystems[industry].indicators[") for k in data["checksums"])
    load_model(path)


def test_edited_bounds_without_the_hash_field_are_refused(saved, tmp_path):
    _, data = saved
    d = copy(data)
    d["fitted"]["lo"]["hwy"] -= 1000.0
    del d["fitted_sha256"]
    with raises_code("model_hash_missing"):
        load_model(write(tmp_path, d))


def test_an_edit_with_a_recomputed_hash_is_named(saved, tmp_path):
    _, data = saved
    d = copy(data)
    d["fitted"]["weights"]["hwy"] += 0.0
    d["fitted"]["lo"]["hwy"] -= 1000.0
    d["fitted_sha256"] = model_module.fitted_sha256(d["fitted"])
    with raises_code("model_checksums", changed=" (changed: fitted.lo)"):
        load_model(write(tmp_path, d))


def test_an_edit_of_the_fitted_numbers_names_the_field(saved, tmp_path):
    _, data = saved
    d = copy(data)
    d["fitted"]["hi"]["gsp"] *= 2
    with raises_code("model_fitted_edited", changed=" (changed: fitted.hi)"):
        load_model(write(tmp_path, d))


def test_an_edit_of_a_parameter_is_refused(saved, tmp_path):
    _, data = saved
    d = copy(data)
    d["params"]["out_of_range"] = "clip" if d["params"]["out_of_range"] != "clip" else "extend"
    with raises_code("model_checksums", changed=" (changed: params.out_of_range)"):
        load_model(write(tmp_path, d))


def test_an_edit_of_the_system_names_the_indicator(saved, tmp_path):
    _, data = saved
    d = copy(data)
    ind = d["system"]["subsystems"][0]["indicators"][0]
    ind["direction"] = "-" if ind["direction"] == "+" else "+"
    sub = d["system"]["subsystems"][0]["id"]
    changed = f" (changed: system.subsystems[{sub}].indicators[{ind['id']}])"
    with raises_code("model_system_edited", changed=changed):
        load_model(write(tmp_path, d))
    d["system_sha256"] = system_from_dict(d["system"]).sha256  # even with a matching hash
    with raises_code("model_checksums", changed=changed):
        load_model(write(tmp_path, d))


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_literals_are_refused(saved, tmp_path, token):
    path, _ = saved
    text = path.read_text(encoding="utf-8")
    text = text.replace('"n_obs": ', f'"n_obs": {token}, "x": ', 1)
    with raises_code("model_json_constant", token=token):
        load_model(write(tmp_path, text))


def test_deep_nesting_is_refused_without_recursion(tmp_path):
    text = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with raises_code("model_json_depth", depth=100001, limit=32):
        load_model(write(tmp_path, text))
    # brackets inside strings do not count
    text = json.dumps({"format": "x", "s": "[[[[" * 100})
    with raises_code("model_format"):
        load_model(write(tmp_path, text))


def test_repeated_keys_are_refused(tmp_path):
    with raises_code("model_json_duplicate_key", keys="['format']"):
        load_model(write(tmp_path, '{"format": "coordeval-model", "format": "x"}'))


def test_oversized_model_files_are_refused(saved, tmp_path, monkeypatch):
    path, _ = saved
    monkeypatch.setattr(model_module, "MODEL_MAX_BYTES", 100)
    with raises_code("model_too_big", mb=0):
        load_model(path)


def test_cli_names_the_edit_in_one_line(saved, tmp_path):
    _, data = saved
    d = copy(data)
    d["fitted"]["lo"]["water"] = 0.0
    res = CliRunner().invoke(
        app, ["score", str(DATA), "--model", str(write(tmp_path, d)), "-o", str(tmp_path / "o")]
    )
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "changed: fitted.lo" in " ".join(res.output.split())
