from __future__ import annotations

import gc

# A command line run is short-lived (see cli.entry): the cyclic collector would only walk
# the objects of the modules being imported (about 0.01 s of start-up) and find nothing.
# main() turns it back on for the long-lived `serve`.
gc.disable()

from kinerjalint.cli import entry  # noqa: E402

entry()
