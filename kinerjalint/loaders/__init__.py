"""Loaders: one module per input format, each returning a :class:`LoadResult`.

The format comes from the file extension. Reading never raises for bad input: an
unreadable file becomes an SYS-01 problem. Tables (TSV, CSV, XLSX) decode their own
bytes: they come in encodings other than UTF-8, and XLSX is a zip archive. The Tahap 1-5
worksheet is read from Word (``.docx``, :mod:`.worksheet_docx`) or from Word's text
export (``.txt``, :mod:`.worksheet`: UTF-8, UTF-16 with a BOM, else Windows-1252); it is
only ever read (``WRITABLE`` lists the formats convert writes).
"""

from __future__ import annotations

from pathlib import Path as FsPath

from kinerjalint.loaders.base import LoadResult, Locator, Problem, nearest_span
from kinerjalint.span import Span

__all__ = ["LoadResult", "Locator", "Problem", "SUPPORTED", "WRITABLE", "load_bytes", "load_path", "load_text",
           "nearest_span", "unsupported_message"]

SUPPORTED = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".tsv": "tsv", ".tab": "tsv", ".csv": "csv",
             ".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx", ".txt": "worksheet"}
# The formats a tree can be written to (convert's output); a worksheet is only read.
WRITABLE = {suffix: fmt for suffix, fmt in SUPPORTED.items() if fmt not in ("docx", "worksheet")}
_TABLES = {"tsv", "csv"}


def load_text(text: str, source: str, fmt: str) -> LoadResult:
    if fmt in ("xlsx", "docx"):
        return _unreadable(source, f"{fmt.upper()} adalah berkas biner; periksa berkasnya, bukan teksnya",
                           f"{fmt.upper()} is a binary file; check the file, not its text")
    if fmt == "worksheet":
        from kinerjalint.loaders.worksheet import load_worksheet_text

        return load_worksheet_text(text, source)
    if fmt in _TABLES:
        from kinerjalint.loaders.delimited import load_delimited_text

        return load_delimited_text(text, source, fmt)
    if fmt == "json":
        from kinerjalint.loaders.jsondoc import load_json

        return load_json(text, source)
    from kinerjalint.loaders.yamldoc import load_yaml

    return load_yaml(text, source)


def load_path(path: FsPath, display: str | None = None) -> LoadResult:
    source = display or str(path)
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        detail, detail_en = unsupported_message(path.suffix)
        return _unreadable(source, detail, detail_en)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _unreadable(source, f"berkas tidak dapat dibuka: {exc.strerror}", f"cannot open file: {exc.strerror}")
    return load_bytes(raw, source, fmt)


def load_bytes(raw: bytes, source: str, fmt: str) -> LoadResult:
    """A file's bytes in the given format (``yaml``, ``json``, ``tsv``, ``csv`` or ``xlsx``):
    what :func:`load_path` does once the file is read, for bytes that never were a file
    (an upload)."""
    if fmt == "xlsx":
        from kinerjalint.loaders.workbook import load_xlsx

        return load_xlsx(raw, source)
    if fmt in _TABLES:
        from kinerjalint.loaders.delimited import load_delimited

        return load_delimited(raw, source, fmt)
    if fmt == "docx":
        from kinerjalint.loaders.worksheet_docx import load_docx

        return load_docx(raw, source)
    if fmt == "worksheet" and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Word's "Unicode" text export
        return load_text(raw.decode("utf-16", errors="replace"), source, fmt)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fmt == "worksheet":  # Word's plain-text export on Windows: the ANSI code page
            return load_text(raw.decode("cp1252", errors="replace"), source, fmt)
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        res = LoadResult(source=source, fmt=fmt)
        res.problems.append(Problem("SYS-01", Span(line, col, line, col + 1), {
            "detail": "berkas bukan teks UTF-8", "detail_en": "the file is not UTF-8 text"}))
        return res
    return load_text(text, source, fmt)


def unsupported_message(suffix: str) -> tuple[str, str]:
    """What to say about a file whose suffix no loader reads: which formats are read, what to do."""
    name = suffix or "(tanpa akhiran)"
    return (f"format berkas '{name}' tidak didukung; kinerjalint membaca pohon kinerja dalam YAML (.yaml, .yml), "
            "JSON (.json), tabel (.tsv, .csv, .xlsx) dan lembar kerja Tahap 1-5 (.docx, atau ekspor teksnya "
            ".txt); simpan berkas dalam salah satu format itu (mis. dari Word: Simpan sebagai .docx)",
            f"unsupported file format '{suffix or '(no suffix)'}'; kinerjalint reads trees as YAML (.yaml, .yml), "
            "JSON (.json), tables (.tsv, .csv, .xlsx) and the Tahap 1-5 worksheet (.docx, or its text export "
            ".txt); save the file in one of those formats (e.g. from Word: Save as .docx)")


def _unreadable(source: str, detail: str, detail_en: str) -> LoadResult:
    res = LoadResult(source=source)
    res.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {"detail": detail, "detail_en": detail_en}))
    return res
