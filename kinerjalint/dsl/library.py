"""The whole function library: the one place that imports every function module.

Each module of :mod:`kinerjalint.dsl.functions` registers its functions in
:mod:`.registry` when imported; the compiler reads the complete registry from here.
"""

from __future__ import annotations

from kinerjalint.dsl.functions import core, government, indicators, names, spelling, targets, text, tree, vocab
from kinerjalint.dsl.registry import REGISTRY, Func

__all__ = ["MODULES", "REGISTRY", "Func"]

# The function modules, by domain, in the order the catalog lists them; importing them filled REGISTRY.
MODULES = (core, text, spelling, names, vocab, tree, indicators, targets, government)
