"""The whole function library: importing the modules registers their functions."""

from __future__ import annotations

from kinerjalint.dsl import mapping, spelling  # noqa: F401 -- registration on import
from kinerjalint.dsl.functions import REGISTRY, Func

__all__ = ["REGISTRY", "Func"]
