"""Writers: the document in every format the loaders read, and annotated workbooks.

* :mod:`.canonical` the validated model as the canonical document (plain data);
* :mod:`.textdoc` YAML and JSON text of it; :mod:`.rows` a tree or a Tahap table as rows
  and columns; :mod:`.delimited` TSV/CSV and :mod:`.workbook` XLSX of those rows;
* :mod:`.content` what a document says, to prove a conversion lost nothing;
  :mod:`.converting` ``kinerjalint convert``;
* :mod:`.annotate` (with :mod:`.placing` and :mod:`.summary`) ``check --annotate``: the
  agency's workbook with its offending cells marked; :mod:`.docx_annotate` the same for a
  Word worksheet: a copy with Word comments and a summary table;
* :mod:`.safety` keeps user text from becoming a spreadsheet formula.

Nothing here is imported at start-up: the CLI imports a writer inside its command.
"""

from __future__ import annotations
