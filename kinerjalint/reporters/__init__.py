"""Reporters: each module formats check results and nothing else.

Every format-specific escaping lives in its reporter. They share two steps:
:func:`printable`, because the text of a tree is untrusted (a JSON string may hold a NUL,
an escape sequence or half a surrogate pair) and no output format wants those characters,
and :func:`relative_path`, because CI tools want paths relative to the repository.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")

# C0 controls except tab, newline and carriage return; DEL and the C1 controls; lone
# surrogates (which cannot be encoded as UTF-8); U+FFFE and U+FFFF (not XML characters).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` with control characters and lone surrogates replaced by U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", text)


def relative_path(source: str, root: str | Path | None = None) -> Path | None:
    """``source`` below ``root`` (the current folder by default), or ``None`` outside it.

    Normalised as text (``./``, ``..``), without following links: a link inside the
    repository stays where the user named it.
    """
    base = os.path.abspath(root if root is not None else os.curdir)
    try:
        return Path(os.path.abspath(source)).relative_to(base)
    except ValueError:
        return None
