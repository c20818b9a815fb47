from __future__ import annotations

from kinerjalint.cli import entry

entry()
