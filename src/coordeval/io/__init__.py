"""Reading user files and writing outputs: the reading room of coordeval.

Every user file (a data panel, a side table, plan targets, an indicator-system sheet) is read
through one guarded reader (:mod:`coordeval.io._sources`: size limits, package inspection,
text encodings) into a grid of cells. The public names below are loaded on first use, so that
importing one small module of this package (``coordeval.io.atomic``) does not load the reader.
"""

from __future__ import annotations

from coordeval._lazy import lazy_names

#: Public name → module of this package that defines it.
_WHERE: dict[str, str] = {
    "CSV_SUFFIXES": "_sources",
    "EXCEL_SUFFIXES": "_sources",
    "MISSING_POLICIES": "validate",
    "PanelData": "panel",
    "ReadLimits": "_limits",
    "apply_missing": "validate",
    "load_grid": "_sources",
    "check_side_cities": "side",
    "read_cities": "side",
    "read_coords": "side",
    "read_data": "read",
    "read_factors": "side",
    "read_groups": "side",
    "read_panel": "read",
    "read_sheet": "_sources",
    "read_spatial_weights": "side",
    "read_targets_table": "targets",
}

__all__ = sorted(_WHERE)


__getattr__, __dir__ = lazy_names(__name__, _WHERE)
