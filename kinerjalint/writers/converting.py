"""`kinerjalint convert IN OUT`: between YAML, JSON, TSV, CSV and XLSX, nothing lost.

IN may also be a Tahap 1-5 worksheet (.docx or its .txt export): it is read, never written.

IN is read by its normal loader; a file with SYS-01/SYS-02 problems is refused (a
conversion of a partly read file would silently drop what could not be read). The
canonical document (:mod:`.canonical`) or its tables (:mod:`.rows`) are rendered, and
the result is read back by the loader of OUT's format and compared with IN
(:mod:`.content`): a difference refuses the conversion, naming the value, so that a
written file always holds what IN holds. Only then is OUT written, atomically.

A TSV/CSV file is one table: it holds the tree and its indicators. What IN holds beyond
that (metadata, Tahap 1, the Tahap tables, waivers) is named in the report, not lost
silently; YAML, JSON and XLSX hold everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kinerjalint.errors import KinerjalintError
from kinerjalint.loaders import SUPPORTED, WRITABLE, LoadResult, load_path
from kinerjalint.messages import Message
from kinerjalint.tree import Tree
from kinerjalint.writers.content import ALL_PARTS, content, first_difference

__all__ = ["Conversion", "ConversionError", "convert", "reload", "render"]

TABLE_FORMATS = ("tsv", "csv")
SPREADSHEET_FORMATS = ("tsv", "csv", "xlsx")


class ConversionError(KinerjalintError):
    """A conversion refused: unreadable input, unsupported format, or content that would change."""


@dataclass
class Conversion:
    source: Path
    target: Path
    fmt: str
    nodes: int
    indicators: int
    left_out: list[str] = field(default_factory=list)


def render(tree: Tree, fmt: str) -> bytes:
    """The bytes of a tree read without errors, in one of the formats of SUPPORTED."""
    if fmt in TABLE_FORMATS:
        from kinerjalint.writers.delimited import render_tree

        return render_tree(tree, fmt)
    if fmt == "xlsx":
        from kinerjalint.writers.workbook import render_workbook

        return render_workbook(tree)
    from kinerjalint.writers.canonical import document_data
    from kinerjalint.writers.textdoc import render_json, render_yaml

    if fmt == "json":
        return render_json(document_data(tree, dates_as_text=True)).encode("utf-8")
    return render_yaml(document_data(tree)).encode("utf-8")


def reload(data: bytes, fmt: str, source: str) -> LoadResult:
    """Read rendered bytes back with the loader of their format."""
    if fmt == "xlsx":
        from kinerjalint.loaders.workbook import load_xlsx

        return load_xlsx(data, source)
    if fmt in TABLE_FORMATS:
        from kinerjalint.loaders.delimited import load_delimited

        return load_delimited(data, source, fmt)
    from kinerjalint.loaders import load_text

    return load_text(data.decode("utf-8"), source, fmt)


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _format_of(path: Path, role: tuple[str, str]) -> str:
    if role[0] == "keluaran":
        fmt = WRITABLE.get(path.suffix.lower())
        if fmt is None:
            raise ConversionError("convert.unsupported_output", ending=path.suffix or path.name)
        return fmt
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        raise ConversionError("convert.unsupported", role=role, ending=path.suffix or path.name)
    return fmt


def _read(src: Path) -> Tree:
    loaded = load_path(src)
    broken = [p for p in loaded.problems if p.code in ("SYS-01", "SYS-02")]
    if broken or loaded.tree is None or loaded.tree.model is None:
        first = broken[0] if broken else None
        where = first.span.label() if first is not None and first.span is not None else "1:1"
        detail = (_one_line(first.args.get("detail", ""), 200), _one_line(first.args.get("detail_en", ""), 200)) \
            if first is not None else ("berkas tidak terbaca", "the file cannot be read")
        more = Message("convert.more", {"n": len(broken) - 1}) if len(broken) > 1 else ""
        raise ConversionError("convert.unreadable", src=str(src), code=first.code if first else "SYS-01",
                              where=where, detail=detail, more=more)
    return loaded.tree


def _left_out(tree: Tree) -> list[str]:
    doc = tree.model
    if doc is None:
        return []
    out = [k for k in ("instansi", "pemda", "periode", "tahun") if getattr(doc, k) is not None]
    if doc.tahap1 is not None and (doc.tahap1.mandat or doc.tahap1.permasalahan or doc.tahap1.ekspektasi):
        out.append("tahap1")
    out += [f"tabel {name}" for name in ("tahap3", "tahap4", "tahap5") if getattr(tree, name)]
    if tree.waivers:
        out.append("pengecualian")
    return out


def check_lossless(tree: Tree, data: bytes, fmt: str, source: str) -> None:
    """Raise ConversionError unless ``data`` reads back to the content of ``tree``."""
    back = reload(data, fmt, source)
    broken = [p for p in back.problems if p.code in ("SYS-01", "SYS-02")]
    if broken or back.tree is None:
        detail = (_one_line(broken[0].args.get("detail", ""), 200), _one_line(broken[0].args.get("detail_en", ""), 200)) \
            if broken else ("tidak terbaca", "unreadable")
        raise ConversionError("convert.no_read_back", source=source, fmt=fmt.upper(), detail=detail)
    parts = ("pohon",) if fmt in TABLE_FORMATS else ALL_PARTS
    cells = fmt in SPREADSHEET_FORMATS  # a cell keeps no surrounding spaces and no empty text
    diff = first_difference(content(tree, parts, strip=cells), content(back.tree, parts, strip=cells))
    if diff is not None:
        where, old, new = diff
        raise ConversionError("convert.changes", source=source, fmt=fmt.upper(), where=where,
                              old=_one_line(repr(old), 60), new=_one_line(repr(new), 60))


def convert(src: Path, dst: Path) -> Conversion:
    """Convert one file; raises ConversionError (exit code 2) and writes nothing when refused."""
    from kinerjalint.writers.atomic import write_atomically

    _format_of(src, ("masukan", "input"))
    fmt = _format_of(dst, ("keluaran", "output"))
    if not src.is_file():
        raise ConversionError("cli.no_file", path=str(src))
    if dst.exists() and dst.resolve() == src.resolve():
        raise ConversionError("convert.same_file", path=str(dst))
    if dst.is_dir():
        raise ConversionError("convert.is_folder", path=str(dst))
    if not dst.parent.is_dir():
        raise ConversionError("convert.no_folder", path=str(dst.parent))
    tree = _read(src)
    data = render(tree, fmt)
    check_lossless(tree, data, fmt, str(dst))
    write_atomically(dst, data)
    return Conversion(src, dst, fmt, len(tree.nodes), len(tree.indicators),
                      _left_out(tree) if fmt in TABLE_FORMATS else [])
