"""Pure numpy kernels: arrays in, arrays out, no I/O and nothing of the package but
:mod:`coordeval.errors` and the boundary validator :mod:`coordeval._validation` (an
import-linter contract in ``pyproject.toml``).

Each module below is public and documents its functions with their references; the labelled
(pandas) entry points users call are re-exported by :mod:`coordeval` (``ce.normalize``,
``ce.entropy_weights``, ``ce.topsis``, …). Modules are imported on use, so ``import
coordeval.kernels`` loads none of them.
"""

__all__ = [
    "blocks",
    "centrography",
    "coupling",
    "finite",
    "geodetector",
    "grey",
    "inequality",
    "markov",
    "normalize",
    "obstacle",
    "projection",
    "spatial",
    "topsis",
    "weights",
]
