"""Loaders: one module per input format, each returning a :class:`LoadResult`.

The format comes from the file extension. Reading never raises for bad input: an
unreadable file becomes an SYS-01 problem. Tables (TSV, CSV, XLSX) decode their own
bytes: they come in encodings other than UTF-8, and XLSX is a zip archive.
"""

from __future__ import annotations

from pathlib import Path as FsPath

from kinerjalint.loaders.base import LoadResult, Locator, Problem, nearest_span
from kinerjalint.span import Span

__all__ = ["LoadResult", "Locator", "Problem", "SUPPORTED", "load_bytes", "load_path", "load_text", "nearest_span"]

SUPPORTED = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".tsv": "tsv", ".tab": "tsv", ".csv": "csv",
             ".xlsx": "xlsx", ".xlsm": "xlsx"}
_TABLES = {"tsv", "csv"}


def load_text(text: str, source: str, fmt: str) -> LoadResult:
    if fmt == "xlsx":
        return _unreadable(source, "XLSX adalah berkas biner; periksa berkasnya, bukan teksnya",
                           "XLSX is a binary file; check the file, not its text")
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
        return _unreadable(source, f"format berkas '{path.suffix}' tidak didukung",
                           f"unsupported file format '{path.suffix}'")
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
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        res = LoadResult(source=source, fmt=fmt)
        res.problems.append(Problem("SYS-01", Span(line, col, line, col + 1), {
            "detail": "berkas bukan teks UTF-8", "detail_en": "the file is not UTF-8 text"}))
        return res
    return load_text(text, source, fmt)


def _unreadable(source: str, detail: str, detail_en: str) -> LoadResult:
    res = LoadResult(source=source)
    res.problems.append(Problem("SYS-01", Span(1, 1, 1, 1), {"detail": detail, "detail_en": detail_en}))
    return res
