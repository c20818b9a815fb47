"""kinerjalint: validator dan linter pohon kinerja (PermenPANRB 89/2021).

The public Python API; the CLI and the HTTP service are thin shells over it::

    from kinerjalint import check_file, load_rulebook
    result = check_file("samples/balangan-kesbangpol.yaml")
    for finding in result.findings:
        print(finding.code, finding.line, finding.message("id"))
"""

from __future__ import annotations

from kinerjalint.api import CheckResult, check_file, check_paths, load_rulebook
from kinerjalint.findings import Finding, Severity
from kinerjalint.version import __version__

__all__ = [
    "CheckResult",
    "Finding",
    "Severity",
    "__version__",
    "check_file",
    "check_paths",
    "load_rulebook",
]

