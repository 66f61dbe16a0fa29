"""Model files: JSON out, strict JSON in, the one canonical hash of a fit and its checksums.

A model file is never a pickle. :func:`canonical_sha256` is the one hash of fitted content:
``fitted_sha256`` (the fitted numbers, stored in the file to detect hand edits), the
per-part ``checksums`` that name an edit, and :func:`model_sha256` (the identity of a fit in
the scores history) are all taken with it.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coordeval._coded import config_error
from coordeval._version import __version__
from coordeval.errors import ConfigError
from coordeval.io.atomic import write_text_atomic
from coordeval.system import system_from_dict

if TYPE_CHECKING:
    from coordeval.model._estimator import CoordinationModel

MODEL_FORMAT = "coordeval-model"
MODEL_SCHEMA_VERSION = 1

#: Largest model file read (bytes) and deepest JSON nesting accepted.
MODEL_MAX_BYTES = 64 * 1024 * 1024
MODEL_MAX_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)

_FITTED_KEYS = (
    "n_obs",
    "cities",
    "years",
    "lo",
    "hi",
    "bounds_source",
    "constant",
    "within_weights",
    "subsystem_weights",
    "weights",
    "entropy",
)
#: Fields of a model file that differ between copies of one fit.
VOLATILE_KEYS = ("created", "coordeval_version")


def canonical_sha256(content: Any) -> str:
    """SHA-256 of JSON-able content as canonical JSON (sorted keys, no whitespace, UTF-8,
    floats in shortest round-trip form)."""
    text = json.dumps(
        content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fitted_sha256(fitted: dict[str, Any]) -> str:
    """Hash of the fitted numbers of a model file (canonical JSON), to detect hand edits."""
    return canonical_sha256(fitted)


def model_sha256(model: CoordinationModel) -> str:
    """SHA-256 of the model's fitted content, the same for every copy of one fit.

    Parameters
    ----------
    model : CoordinationModel
        A fitted (or loaded) model.

    Returns
    -------
    str
        64 hex digits.

    Notes
    -----
    The hash is taken over :meth:`CoordinationModel.to_dict` without its creation time and
    coordeval version (``created``, ``coordeval_version``), as :func:`canonical_sha256`. It
    covers the parameters, conventions, embedded indicator system and every fitted number, so
    saving the same fit twice, or loading it again, gives the same hash, while any refit or
    change of convention gives another. It is not the hash of the JSON file's bytes, which
    change with the creation time.
    """
    return canonical_sha256({k: v for k, v in model_dict(model).items() if k not in VOLATILE_KEYS})


def model_dict(model: CoordinationModel) -> dict[str, Any]:
    """Everything needed to reproduce the scores, as JSON-able data."""
    fitted: dict[str, Any] = {
        "n_obs": model.n_obs_,
        "cities": model.cities_,
        "years": model.years_,
        "lo": model.lo_.to_dict(),
        "hi": model.hi_.to_dict(),
        "bounds_source": model.bounds_source_.to_dict(),
        "constant": model.constant_,
        "within_weights": model.within_weights_.to_dict(),
        "subsystem_weights": model.subsystem_weights_.to_dict(),
        "weights": model.weights_.to_dict(),
        "entropy": None if model.entropy_ is None else model.entropy_.to_dict(orient="index"),
    }
    params = model.get_params(deep=False) | {"system": None}
    return {
        "format": MODEL_FORMAT,
        "schema_version": MODEL_SCHEMA_VERSION,
        "coordeval_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "params": params,
        "conventions": model.conventions_.as_dict(),
        "system_sha256": model.system_.sha256,
        "system": model.system_.content(),
        "fitted": fitted,
        "fitted_sha256": fitted_sha256(fitted),
        "checksums": _checksums(params, fitted, model.system_.content()),
    }


def save_model(model: CoordinationModel, path: str | Path) -> Path:
    """Write ``model`` as JSON, atomically, floats with full precision (``repr``)."""
    text = json.dumps(model_dict(model), ensure_ascii=False, indent=1, allow_nan=False)
    return write_text_atomic(path, text + "\n")


def _checksums(params: dict[str, Any], fitted: dict[str, Any], system: dict[str, Any]) -> dict:
    """One short hash per part of a model file, so that an edit can be named.

    Parts: ``params.<name>``, ``fitted.<field>``, ``system.<field>`` and
    ``system.subsystems[<id>]`` / ``system.subsystems[<id>].indicators[<id>]``.
    """
    parts: dict[str, Any] = {f"params.{k}": v for k, v in params.items() if k != "system"}
    parts |= {f"fitted.{k}": v for k, v in fitted.items()}
    parts |= {f"system.{k}": v for k, v in system.items() if k != "subsystems"}
    for sub in system.get("subsystems") or []:
        if not isinstance(sub, dict):
            continue
        head = f"system.subsystems[{sub.get('id')}]"
        parts[head] = {k: v for k, v in sub.items() if k != "indicators"}
        for ind in sub.get("indicators") or []:
            if isinstance(ind, dict):
                parts[f"{head}.indicators[{ind.get('id')}]"] = ind
    return {k: canonical_sha256(v)[:16] for k, v in parts.items()}


def _what_changed(data: dict[str, Any]) -> str:
    """The parts of a model file whose content differs from their recorded checksums."""
    recorded = data.get("checksums")
    if not isinstance(recorded, dict):
        return ""
    params = data["params"] if isinstance(data.get("params"), dict) else {}
    now = _checksums(params, data["fitted"], data["system"])
    changed = sorted(k for k in set(now) | set(recorded) if now.get(k) != recorded.get(k))
    if not changed:
        return ""
    shown = ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8 else "")
    return f" (changed: {shown})"


def _json_depth(raw: bytes) -> int:
    """Deepest nesting of arrays and objects in JSON text (strings skipped), vectorised."""
    bare = np.frombuffer(_JSON_STRING.sub(b'""', raw), dtype=np.uint8)
    step = np.isin(bare, (ord("["), ord("{"))).astype(np.int64)
    step -= np.isin(bare, (ord("]"), ord("}")))
    return int(np.cumsum(step).max(initial=0))


def _strict_json(raw: bytes, name: str) -> Any:
    """Parse a model file as strict JSON: no NaN/Infinity, no repeated keys, bounded depth."""

    def constant(token: str) -> Any:
        raise config_error("model_json_constant", name=name, token=token)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen = [k for k, _ in items]
            dup = sorted({k for k in seen if seen.count(k) > 1})
            raise config_error("model_json_duplicate_key", name=name, keys=str(dup))
        return out

    if len(raw) > MODEL_MAX_BYTES:
        raise config_error("model_too_big", name=name, size=len(raw), mb=MODEL_MAX_BYTES // 2**20)
    depth = _json_depth(raw)
    if depth > MODEL_MAX_DEPTH:
        raise config_error("model_json_depth", name=name, depth=depth, limit=MODEL_MAX_DEPTH)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise config_error("model_not_utf8", name=name) from None
    try:
        return json.loads(text, parse_constant=constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise config_error("model_json_invalid", name=name, why=exc.msg, line=exc.lineno) from None
    except RecursionError:
        raise config_error("model_json_too_deep", name=name) from None


def model_from_dict(data: dict[str, Any], origin: str = "<dict>") -> CoordinationModel:
    """Rebuild a fitted :class:`CoordinationModel` from :meth:`CoordinationModel.to_dict` data.

    Raises
    ------
    ConfigError
        Naming exactly what is wrong: not a coordeval model, an unknown schema version, a
        system whose content does not match its recorded hash (edited by hand), a missing
        field, or fitted numbers that do not fit the system.
    """
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise config_error("model_format", origin=origin, format=MODEL_FORMAT)
    version = data.get("schema_version")
    if version != MODEL_SCHEMA_VERSION:
        raise config_error(
            "model_schema_version",
            origin=origin,
            version=repr(version),
            coordeval=__version__,
            supported=MODEL_SCHEMA_VERSION,
        )
    missing = [k for k in ("system", "system_sha256", "params", "fitted") if k not in data]
    if missing:
        raise config_error("model_fields_missing", origin=origin, missing=", ".join(missing))
    if not all(isinstance(data[k], dict) for k in ("system", "params", "fitted")):
        raise config_error("model_fields_not_objects", origin=origin)
    system = system_from_dict(data["system"], f"{origin} (embedded system)")
    if system.sha256 != data["system_sha256"]:
        raise config_error(
            "model_system_edited",
            origin=origin,
            recorded=str(data["system_sha256"])[:12],
            content=system.sha256[:12],
            changed=_what_changed(data),
        )
    fitted = data["fitted"]
    missing = [k for k in _FITTED_KEYS if k not in fitted]
    if missing:
        raise config_error("model_fitted_missing", origin=origin, missing=", ".join(missing))
    recorded = data.get("fitted_sha256")
    if not isinstance(recorded, str):
        raise config_error("model_hash_missing", origin=origin)
    if recorded != fitted_sha256(fitted):
        raise config_error("model_fitted_edited", origin=origin, changed=_what_changed(data))
    changed = _what_changed(data)
    if changed:
        raise config_error("model_checksums", origin=origin, changed=changed)
    from coordeval.model._estimator import CoordinationModel

    params = {k: v for k, v in data["params"].items() if k != "system"}
    unknown = sorted(set(params) - set(CoordinationModel().get_params()))
    if unknown:
        raise config_error("model_params_unknown", origin=origin, unknown=str(unknown))
    try:
        model = CoordinationModel(system=system, **params)
        conf = model._conventions(system)
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise config_error("model_params_damaged", origin=origin, why=str(exc)) from None
    ids = system.indicator_ids
    try:

        def series(key: str, name: str, index: list[str]) -> pd.Series:
            values = fitted[key]
            absent = [i for i in index if i not in values]
            if absent:
                raise config_error("model_fitted_lacks", origin=origin, key=key, absent=str(absent))
            return pd.Series([float(values[i]) for i in index], index=index, name=name)

        model.lo_ = series("lo", "lo", ids)
        model.hi_ = series("hi", "hi", ids)
        model.within_weights_ = series("within_weights", "within_weight", ids)
        model.subsystem_weights_ = series(
            "subsystem_weights", "subsystem_weight", system.subsystem_ids
        )
        model.weights_ = series("weights", "weight", ids)
        model.bounds_source_ = pd.Series([fitted["bounds_source"][i] for i in ids], index=ids)
        ent = fitted["entropy"]
        if ent is not None and not (
            isinstance(ent, dict) and all(isinstance(v, dict) for v in ent.values())
        ):
            raise TypeError("fitted.entropy must map each indicator id to its e and d")
        model.entropy_ = None if ent is None else pd.DataFrame.from_dict(ent, orient="index")
        lists = [fitted[k] for k in ("constant", "cities", "years")]
        if not all(isinstance(v, list) for v in lists):
            raise TypeError("fitted.constant, cities and years must be lists")
        model.constant_ = [str(i) for i in fitted["constant"]]
        model.n_obs_ = int(fitted["n_obs"])
        model.cities_ = [str(c) for c in fitted["cities"]]
        model.years_ = [int(y) for y in fitted["years"]]
    except ConfigError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise config_error("model_fitted_damaged", origin=origin, why=str(exc)) from None
    all_num = np.concatenate([model.lo_, model.hi_, model.weights_, model.within_weights_])
    if not np.all(np.isfinite(all_num)) or abs(model.weights_.sum() - 1) > 1e-9:
        raise config_error("model_fitted_invalid", origin=origin)
    model.system_ = system
    model.conventions_ = conf
    model.params_ = conf
    model.feature_names_in_ = np.array(ids, dtype=object)
    model.n_features_in_ = len(ids)
    return model


def load_model(path: str | Path) -> CoordinationModel:
    """Load a model written by :meth:`CoordinationModel.save`.

    The JSON is checked (format, schema version, the hashes of the embedded indicator system
    and of the fitted numbers) before anything is restored; pickles are never read.

    Parameters
    ----------
    path : str or Path
        The model file (``.json``).

    Returns
    -------
    CoordinationModel
        A fitted model that scores exactly as the saved one.

    Raises
    ------
    ConfigError
        If the file is missing, not JSON, or not a valid coordeval model (see
        :func:`model_from_dict`).
    """
    p = Path(path)
    try:
        if p.stat().st_size > MODEL_MAX_BYTES:
            raise config_error(
                "model_too_big", name=p.name, size=p.stat().st_size, mb=MODEL_MAX_BYTES // 2**20
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise config_error("model_unreadable", path=str(p), why=str(exc.strerror or exc)) from None
    return model_from_dict(_strict_json(raw, p.name), p.name)
