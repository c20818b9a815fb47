from __future__ import annotations

import sys

from kinerjalint.cli import main

sys.exit(main())
