"""kinerjalint: validator dan linter pohon kinerja (PermenPANRB 89/2021).

The public Python API; the CLI and the HTTP service are thin shells over it::

    from kinerjalint import check_file, load_rulebook
    result = check_file("samples/balangan-kesbangpol.yaml")
    for finding in result.findings:
        print(finding.code, finding.line, finding.message("id"))

The names are imported on first use (module ``__getattr__``): ``import kinerjalint.cli``
must not load the whole checker before it knows what it is asked to do (start-up is a
pre-commit user's wait).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kinerjalint.api import CheckResult, check_file, check_paths, load_rulebook
    from kinerjalint.findings import Finding, Severity
    from kinerjalint.version import __version__

_LAZY = {
    "CheckResult": "kinerjalint.api",
    "check_file": "kinerjalint.api",
    "check_paths": "kinerjalint.api",
    "load_rulebook": "kinerjalint.api",
    "Finding": "kinerjalint.findings",
    "Severity": "kinerjalint.findings",
    "__version__": "kinerjalint.version",
}

__all__ = [
    "CheckResult",
    "Finding",
    "Severity",
    "__version__",
    "check_file",
    "check_paths",
    "load_rulebook",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kinerjalint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: the next look-up is an ordinary global
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
