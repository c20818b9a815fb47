"""The whole function library: the one place that imports every function module.

Each module registers its functions in :mod:`.registry` when imported; the compiler reads
the complete registry from here.
"""

from __future__ import annotations

from kinerjalint.dsl import functions, mapping, spelling
from kinerjalint.dsl.registry import REGISTRY, Func

__all__ = ["MODULES", "REGISTRY", "Func"]

# The function modules, by domain; importing them filled REGISTRY.
MODULES = (functions, mapping, spelling)
