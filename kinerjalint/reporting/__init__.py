"""The inspectorate report: one document over many submissions.

Where :mod:`kinerjalint.reporters` format findings for machines and CI, this package
writes the report a person reads: a summary of every agency, charts, each tree drawn
as a tree, the findings grouped by rule with the regulation each rule cites, and what
is needed to reproduce the result.

* :mod:`~kinerjalint.reporting.digest` turns check results into plain view values
  (the only place that reads findings, trees and grades);
* :mod:`~kinerjalint.reporting.texts` holds the wording, Indonesian and English;
* :mod:`~kinerjalint.reporting.charts` draws the charts as inline SVG;
* :mod:`~kinerjalint.reporting.htmlreport` and :mod:`~kinerjalint.reporting.markdown` format.

The HTML module is called ``htmlreport`` so that it never shadows the standard library's
``html`` module.
"""

from __future__ import annotations

__all__: list[str] = []
