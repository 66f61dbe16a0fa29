"""Public names of a package loaded on first use (PEP 562 module ``__getattr__``), so that
importing a room does not import the heavy libraries behind it until a name is used."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, homes: Mapping[str, str], *, submodules: bool = False
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``.

    Each name of ``homes`` is imported from its module on first use and kept in the package's
    namespace, so later lookups do not come back here. A module is given relative to the
    package (``"_sources"``) or in full (``"coordeval.model"``). With ``submodules``, any
    other name is tried as a subpackage (``coordeval.io``).
    """
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is not None:
            module = home if home.startswith("coordeval.") else f"{package}.{home}"
            value = getattr(importlib.import_module(module), name)
            namespace[name] = value
            return value
        if submodules:
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*namespace, *namespace.get("__all__", ())})

    return __getattr__, __dir__
