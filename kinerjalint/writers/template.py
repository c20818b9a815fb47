"""`kinerjalint init`: a template of a tree with one example per level, in any format.

The template is one commented YAML file shipped with the package (``templates/pohon.yaml``);
the other formats are rendered from the tree it holds, as ``convert`` would, so every
template reads back as the same tree and checks with no error.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kinerjalint.errors import UsageError
from kinerjalint.loaders import WRITABLE, load_text
from kinerjalint.messages import reason

__all__ = ["FORMATS", "template_bytes", "write_template"]

FORMATS = ("yaml", "xlsx", "tsv", "csv", "json")


def template_text(name: str = "POHON.yaml") -> str:
    raw = (resources.files("kinerjalint") / "templates" / "pohon.yaml").read_text(encoding="utf-8")
    return raw.replace("{name}", name)


def template_bytes(fmt: str, name: str = "POHON.yaml") -> bytes:
    """The template in ``fmt``: the commented YAML itself, or its tree rendered."""
    text = template_text(name)
    if fmt == "yaml":
        return text.encode("utf-8")
    from kinerjalint.writers.converting import render

    loaded = load_text(text, "<templat>", "yaml")
    assert loaded.tree is not None and not loaded.problems, loaded.problems  # the shipped template is valid
    data = render(loaded.tree, fmt)
    return _with_notes(data, text) if fmt == "xlsx" else data


def _with_notes(data: bytes, text: str) -> bytes:
    """A workbook template is commented too: each header cell says what its column holds
    (a cell comment), and a "Petunjuk" sheet carries the YAML template's notes."""
    import io

    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    from kinerjalint.loaders.columndocs import MEANING
    from kinerjalint.loaders.columns import header_field

    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for cell in ws[1]:
        fld = header_field(str(cell.value or ""))[0]
        if fld in MEANING:
            cell.comment = Comment(MEANING[fld][0], "kinerjalint")
    notes = wb.create_sheet("Petunjuk")
    head = text[text.index("# Templat"):]  # the notes after the lines for YAML editors
    for line in head.splitlines():
        if line.strip().startswith("#"):  # the notes at the top, then the one on each level
            notes.append([line.strip().lstrip("# ").rstrip() or None])
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def format_for(path: Path, fmt: str | None) -> str:
    """The format asked for, which the file's name must agree with (the name tells every
    other command how to read it)."""
    found = WRITABLE.get(path.suffix.lower())
    if fmt and found and found != fmt:
        raise UsageError("cli.init_mismatch", path=str(path), fmt=fmt)
    if found is None:
        raise UsageError("cli.init_format", fmt=path.suffix or path.name, path=str(path))
    return found


def write_template(path: Path, fmt: str | None = None, force: bool = False) -> str:
    """Write the template to ``path`` (never over an existing file unless ``force``); its format."""
    from kinerjalint.writers.atomic import write_atomically

    fmt = format_for(path, fmt)
    if path.exists() and (not force or path.is_dir()):
        raise UsageError("cli.init_exists", path=str(path))
    if not path.parent.is_dir():
        raise UsageError("convert.no_folder", path=str(path.parent))
    try:
        write_atomically(path, template_bytes(fmt, path.name))
    except OSError as exc:
        raise UsageError("cli.cannot_write", path=str(path), why=reason(exc)) from None
    return fmt
