"""Indicator systems: subsystems, indicators, directions, goalposts and method settings.

An indicator system is data, not code. It is read from a TOML file (``indices/*.toml``) or
from an Excel sheet named ``指标体系`` into frozen pydantic models. Errors name the path by ids,
e.g. ``subsystems[ecology].indicators[pm25].direction: ...``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coordeval._resources import shipped
from coordeval.errors import ConfigError, InputError

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
SYSTEM_SHEET = "指标体系"
#: Names an indicator or subsystem id may not take: the keys of a panel, the columns of the
#: long layout, and the output columns of scores, TOPSIS and coupling (compared ignoring case).
RESERVED_IDS = frozenset(
    {
        "city",
        "year",
        "indicator",
        "value",
        "unit",
        "value_raw",
        "qualifier",
        "source",
        "table",
        "note",
        "composite",
        "c",
        "t",
        "d",
        "grade",
        "level_zh",
        "level_en",
        "lagging",
        "out_of_range",
        "source_file",
        "model_sha256",
        "d_plus",
        "d_minus",
        "closeness",
        "rank",
        "group",
    }
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Indicator(_Frozen):
    """One indicator (基础指标).

    Attributes
    ----------
    id : str
        lower_snake identifier, unique in the system.
    name_zh, name_en : str
        Names; both are matched against data headers.
    unit : str
        Unit as printed in yearbooks (``"%"``, ``"元/人"``); ``""`` for dimensionless.
    direction : {"+", "-"}
        ``"+"`` benefit (larger is better), ``"-"`` cost.
    weight : float or None
        Fixed within-subsystem weight; ``None`` lets the weighting method decide.
    bounds : (float, float) or None
        Fixed goalposts ``[lo, hi]`` for normalisation instead of the fit data's min/max.
    aliases : tuple of str
        Further header variants used by yearbooks.
    note, source : str
        Free text; ``source`` names the literature the indicator comes from.
    """

    id: str
    name_zh: str
    name_en: str
    unit: str = ""
    direction: Literal["+", "-"]
    weight: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    bounds: tuple[float, float] | None = None
    aliases: tuple[str, ...] = ()
    note: str = ""
    source: str = ""

    @field_validator("id")
    @classmethod
    def _check_id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"id {v!r} must be lower_snake (a-z, 0-9, _; starting with a letter)")
        if v.casefold() in RESERVED_IDS:
            raise ValueError(
                f"id {v!r} is reserved (a key or output column: "
                f"{', '.join(sorted(RESERVED_IDS))}); choose another id"
            )
        return v

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, v: Any) -> Any:
        if not isinstance(v, str | int):
            return v
        return {
            1: "+",
            -1: "-",
            "1": "+",
            "-1": "-",
            "+1": "+",
            "正": "+",
            "负": "-",
            "正向": "+",
            "负向": "-",
        }.get(v, v)

    @field_validator("bounds")
    @classmethod
    def _check_bounds(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is None:
            return v
        if not all(math.isfinite(b) for b in v):
            raise ValueError(f"bounds {list(v)} must be finite numbers")
        if not v[0] < v[1]:
            raise ValueError(f"bounds {list(v)} must satisfy lo < hi")
        width = v[1] - v[0]
        if not (math.isfinite(width) and math.isfinite(1.0 / width)):
            raise ValueError(
                f"bounds {list(v)} span a range that double-precision arithmetic cannot "
                "normalise by (its width overflows or is too small); rescale the indicator"
            )
        return v


class Subsystem(_Frozen):
    """A subsystem (准则层) holding its indicators.

    Attributes
    ----------
    id : str
        lower_snake identifier (e.g. ``"ecology"``).
    name_zh, name_en : str
        Names used in reports.
    weight : float or None
        Fixed weight of the subsystem in the coordination index T and the composite.
    indicators : tuple of Indicator
        At least one.
    """

    id: str
    name_zh: str
    name_en: str
    weight: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _check_id(cls, v: str) -> str:
        return Indicator._check_id(v)


class MethodSettings(_Frozen):
    """Optional ``[method]`` table: defaults for the model built on this system."""

    preset: Literal["panel", "spssau", "mathmodels"] | None = None
    shift: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    weighting: Literal["entropy", "critic", "cv", "sd", "equal", "fixed"] | None = None
    scoring: Literal["weighted_sum"] | None = None


class IndicatorSystem(_Frozen):
    """A complete indicator system (指标体系).

    Attributes
    ----------
    name : str
        Human-readable name.
    schema_version : int
        Format version of the file; only ``1`` exists.
    method : MethodSettings
        Method defaults.
    subsystems : tuple of Subsystem
        At least one; ids unique; indicator ids unique across the system.
    description, source : str
        Free text.
    """

    name: str
    schema_version: Literal[1] = 1
    description: str = ""
    source: str = ""
    method: MethodSettings = MethodSettings()
    subsystems: tuple[Subsystem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> IndicatorSystem:
        seen: set[str] = set()
        for s in self.subsystems:
            if s.id in seen:
                raise ValueError(f"subsystem id {s.id!r} is used twice")
            seen.add(s.id)
        ids: dict[str, str] = {}
        for s in self.subsystems:
            for ind in s.indicators:
                if ind.id in ids:
                    raise ValueError(
                        f"indicator id {ind.id!r} is used in {ids[ind.id]!r} and {s.id!r}"
                    )
                ids[ind.id] = s.id
        return self

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """All indicators in subsystem order."""
        return tuple(ind for s in self.subsystems for ind in s.indicators)

    @property
    def indicator_ids(self) -> list[str]:
        """Indicator ids in subsystem order (the column order of panels)."""
        return [ind.id for ind in self.indicators]

    @property
    def subsystem_ids(self) -> list[str]:
        """Subsystem ids in file order."""
        return [s.id for s in self.subsystems]

    @property
    def directions(self) -> dict[str, str]:
        """Indicator id → ``"+"`` or ``"-"``."""
        return {ind.id: ind.direction for ind in self.indicators}

    @property
    def membership(self) -> dict[str, str]:
        """Indicator id → subsystem id."""
        return {ind.id: s.id for s in self.subsystems for ind in s.indicators}

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def content(self) -> dict[str, Any]:
        """The system as plain JSON-able data (what a saved model records)."""
        return self.model_dump(mode="json")

    @property
    def sha256(self) -> str:
        """Hash of the canonical JSON content; identifies the system in saved models."""
        text = json.dumps(self.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _path_of(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """Translate a pydantic error location into ids: ``subsystems[eco].indicators[pm25].x``."""
    out: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list | tuple):
            item = node[part] if part < len(node) else None
            label = item.get("id") if isinstance(item, dict) and item.get("id") else part
            out[-1] = f"{out[-1]}[{label}]"
            node = item
        else:
            out.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(out)


def system_from_dict(data: dict[str, Any], origin: str = "<dict>") -> IndicatorSystem:
    """Build and validate an :class:`IndicatorSystem` from plain data.

    Raises
    ------
    ConfigError
        Listing every invalid field by its id path.
    """
    try:
        return IndicatorSystem.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        locs = [tuple(e["loc"]) for e in errors]
        lines = []
        for err in errors:
            loc = tuple(err["loc"])
            if err["type"] == "too_short" and any(o[: len(loc)] == loc and o != loc for o in locs):
                continue  # an item below failed; its own message says why
            path = _path_of(tuple(err["loc"]), data)
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{path}: {msg}" if path else msg)
        raise ConfigError(f"invalid indicator system {origin}:\n" + "\n".join(lines)) from None


def builtin_systems() -> list[str]:
    """Names of the indicator systems shipped with coordeval.

    Returns
    -------
    list of str
        Sorted names accepted by :func:`load_system` (e.g. ``"synergy7"``).
    """
    root = shipped("indices")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None


def load_system(path_or_name: str | Path) -> IndicatorSystem:
    """Load an indicator system from a TOML file, an Excel sheet or a built-in name.

    Parameters
    ----------
    path_or_name : str or Path
        A ``.toml`` file; an ``.xlsx`` workbook with a sheet ``指标体系``; or the name of a
        system shipped with coordeval (``"synergy7"``, see :func:`builtin_systems`).

    Returns
    -------
    IndicatorSystem

    Raises
    ------
    ConfigError
        When the file is missing or invalid; the message names every invalid field.
    """
    if isinstance(path_or_name, IndicatorSystem):
        return path_or_name
    p = Path(path_or_name)
    if not p.exists() and p.suffix == "" and str(path_or_name) in builtin_systems():
        res = shipped("indices") / f"{path_or_name}.toml"
        with res.open("rb") as fh:
            return system_from_dict(tomllib.load(fh), f"{path_or_name}.toml")
    if not p.exists():
        raise ConfigError(
            f"indicator system {str(path_or_name)!r} not found: give a .toml or .xlsx file or "
            f"one of the built-in names {', '.join(builtin_systems())}"
        )
    if p.suffix.lower() == ".toml":
        return system_from_dict(_read_toml(p), p.name)
    if p.suffix.lower() in {".xlsx", ".xlsm"}:
        return system_from_sheet(p)
    raise ConfigError(f"{p.name}: an indicator system must be a .toml file or an .xlsx workbook")


SHEET_COLUMNS = (
    "subsystem_id",
    "subsystem_name_zh",
    "subsystem_name_en",
    "subsystem_weight",
    "id",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "weight",
    "lo",
    "hi",
    "aliases",
    "source",
    "note",
)


def system_from_sheet(path: Path, sheet: str = SYSTEM_SHEET) -> IndicatorSystem:
    """Read an indicator system from an Excel sheet (one row per indicator).

    Columns (header row 1): ``subsystem_id, subsystem_name_zh, subsystem_name_en,
    subsystem_weight, id, name_zh, name_en, unit, direction, weight, lo, hi, aliases, source,
    note``; ``aliases`` separated by ``;``. A cell ``A1`` of another sheet named ``name`` is
    not needed: the system is named after the file.

    The sheet is read through the one reader of user files (:func:`coordeval.io.read_sheet`,
    :func:`coordeval.io.load_grid`: size limits, package inspection, the sheet's extent
    bounded before any engine reads it). Every cell is checked and named in the
    message: numbers in the weight and goalpost columns (finite), both goalposts or neither,
    no error values, formulas without a cached value or control characters.
    """
    from coordeval.io._sources import read_sheet  # the reader alone: it imports no system

    where = f"{path.name}!{sheet}"
    try:
        raw = read_sheet(path, sheet)
    except InputError as exc:
        raise ConfigError(
            f"{path.name}: no usable sheet {sheet!r} with an indicator system: "
            + "; ".join(p.message for p in exc.problems)
        ) from None
    if raw.shape[0] == 0:
        raise ConfigError(f"{where}: the sheet is empty")
    header = [_sheet_text(v) for v in raw.iloc[0].tolist()]
    missing = [c for c in ("subsystem_id", "id", "name_zh", "direction") if c not in header]
    if missing:
        raise ConfigError(f"{where}: missing column(s) {', '.join(missing)}")
    col = {name: k for k, name in enumerate(header) if name in SHEET_COLUMNS}
    problems: list[str] = []
    numeric = ("subsystem_weight", "weight", "lo", "hi")

    def cell(r: int, name: str) -> Any:
        if name not in col:
            return None
        v = raw.iat[r, col[name]]
        ref = f"{_letters(col[name])}{r + 1}"
        kind = type(v).__name__
        if kind in ("ErrorValue", "UncachedFormula"):
            problems.append(f"{where}!{ref} ({name}): {v!r} is not a value")
            return None
        if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()):
            return None
        if name in numeric:
            try:
                number = float(str(v).strip()) if isinstance(v, str) else float(v)
            except (TypeError, ValueError):
                problems.append(f"{where}!{ref} ({name}): {v!r} is not a number")
                return None
            if not math.isfinite(number) or isinstance(v, bool):
                problems.append(f"{where}!{ref} ({name}): {v!r} is not a finite number")
                return None
            return number
        text = _sheet_text(v)
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text):
            problems.append(f"{where}!{ref} ({name}): the text holds a control character")
            return None
        return text

    subs: dict[str, dict[str, Any]] = {}
    for r in range(1, raw.shape[0]):
        values = {name: cell(r, name) for name in SHEET_COLUMNS}
        sid = values["subsystem_id"]
        if sid is None:
            if any(v is not None for v in values.values()):
                problems.append(
                    f"{where}!{_letters(col['subsystem_id'])}{r + 1}: subsystem_id is blank"
                )
            continue
        sub = subs.setdefault(
            sid,
            {
                "id": sid,
                "name_zh": values["subsystem_name_zh"] or sid,
                "name_en": values["subsystem_name_en"] or sid,
                "indicators": [],
            },
        )
        if values["subsystem_weight"] is not None:
            sub["weight"] = values["subsystem_weight"]
        ind: dict[str, Any] = {
            "id": str(values["id"]),
            "name_zh": str(values["name_zh"]),
            "name_en": str(values["name_en"] or values["id"]),
            "unit": values["unit"] or "",
            "direction": str(values["direction"]),
        }
        if values["weight"] is not None:
            ind["weight"] = values["weight"]
        lo, hi = values["lo"], values["hi"]
        if (lo is None) != (hi is None):
            given, blank = ("lo", "hi") if hi is None else ("hi", "lo")
            ref = f"{_letters(col[blank])}{r + 1}" if blank in col else f"row {r + 1}"
            problems.append(
                f"{where}!{ref} ({blank}): blank although {given} is given; a goalpost needs "
                "both lo and hi (or neither)"
            )
        elif lo is not None:
            ind["bounds"] = [lo, hi]
        if values["aliases"]:
            ind["aliases"] = [a.strip() for a in values["aliases"].split(";") if a.strip()]
        for key in ("source", "note"):
            if values[key]:
                ind[key] = values[key]
        sub["indicators"].append(ind)
    if problems:
        raise ConfigError(f"invalid indicator system {where}:\n" + "\n".join(problems))
    return system_from_dict({"name": path.stem, "subsystems": list(subs.values())}, where)


def _sheet_text(v: Any) -> str:
    """A sheet cell as text: whole floats without ``.0`` (an id typed as 1 reads as ``1``)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _letters(col: int) -> str:
    """Excel column letters of a 0-based column (0 → A)."""
    out, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out
