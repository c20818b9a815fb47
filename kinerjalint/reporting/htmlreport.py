"""The inspectorate report as one self-contained HTML file.

Everything the page needs is inside it: the CSS is inline, the charts are SVG drawn by
:mod:`~kinerjalint.reporting.charts`, there is no script, no font and no other request,
so the file can be mailed, archived and printed (A4, one agency per page run).

The page comes from the Jinja2 template ``templates/report.html.j2``, a package file
read with :mod:`importlib.resources`. Autoescaping is on for the whole template: text
from a submission (a statement such as ``<script>alert(1)</script>``) shows as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import jinja2

from kinerjalint.reporting import charts
from kinerjalint.reporting.digest import build
from kinerjalint.reporting.texts import texts

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult

__all__ = ["render"]

TEMPLATE = "report.html.j2"


@cache
def _template() -> jinja2.Template:
    text = (resources.files("kinerjalint.reporting") / "templates" / TEMPLATE).read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    return env.from_string(text)


def render(results: Sequence[CheckResult], lang: str = "id", title: str | None = None,
           now: dt.datetime | None = None) -> str:
    """The report over ``results`` in ``lang`` ("id" or "en"); ``now`` is the time it states."""
    report = build(results, lang, title, now)
    return _template().render(
        r=report, t=texts(report.lang),
        score_chart=charts.score_chart(report.agencies, report.lang),
        group_chart=charts.group_chart(report.groups, report.lang),
        minibar=charts.dimension_bar)
