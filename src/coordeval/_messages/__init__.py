"""The message catalog: every problem code and its wording in Chinese and English.

One file per room holds that room's codes (``core`` for the boundary validator and the error
contract, ``io``, ``model``, ``analysis``, ``report``); each
code is defined exactly once. A template is a pair ``(中文, English)`` of :meth:`str.format`
strings filled with :attr:`coordeval.errors.Problem.params`. These modules are data only and
import nothing of the package, so :mod:`coordeval.errors`, the lowest room, can read them.
"""

from __future__ import annotations

from coordeval._messages import analysis, core, io, model, report

__all__ = ["MESSAGES", "catalog"]


def catalog(*parts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Merge the rooms' catalogs, refusing a code defined twice."""
    merged: dict[str, tuple[str, str]] = {}
    for part in parts:
        twice = sorted(merged.keys() & part.keys())
        if twice:
            raise RuntimeError(f"problem code(s) defined twice: {', '.join(twice)}")
        merged.update(part)
    return merged


#: Message templates by problem code: (中文, English), filled with ``Problem.params``.
MESSAGES: dict[str, tuple[str, str]] = catalog(
    core.MESSAGES, io.MESSAGES, model.MESSAGES, analysis.MESSAGES, report.MESSAGES
)
