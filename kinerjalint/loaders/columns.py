"""Column recognition for tables (FORMATS.md section 2): which column holds what.

A header cell is normalised (case, punctuation, spacing) and looked up among the
Indonesian and English names agencies use; ``Target 2026`` / ``target_2026`` become
per-year target columns. A column without a header is recognised by its content
(the seed's Tahap 5 table leaves its komponen and PK columns unnamed). Cell values
are converted here too: text, ids, and numbers written the Indonesian way
(``3,5``, ``1.234,5``, ``80%``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.levels import parse_level

MAX_HEADER_SCAN = 10  # the header row is looked for in the first rows (title rows above it)

# Level columns: "level"-like names say the level; "tahap"-like ones may say only "tahap 3".
LEVEL_FIELDS = ("level", "tahap")

# field -> header names, compared after _norm(). FORMATS.md section 2, plus common variants.
_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "no", "nomor", "kode node", "id node", "no node", "nomor node", "node id"),
    "induk": ("induk", "parent", "parent id", "id induk", "no induk", "nomor induk", "kode induk",
              "induk id", "node induk"),
    "level": ("level", "jenis kinerja", "level kinerja", "jenjang", "jenjang kinerja", "tingkat kinerja"),
    "tahap": ("rujukan tahapan", "rujukan tahap", "tahap", "tahapan", "stage"),
    "kinerja": ("kinerja", "kondisi", "sasaran", "pernyataan kinerja", "kondisi kinerja", "uraian kinerja",
                "statement", "performance", "performance statement", "condition", "objective"),
    "indikator": ("indikator", "indikator kinerja", "indicator", "performance indicator", "kpi"),
    "satuan": ("satuan", "unit", "satuan indikator"),
    "target": ("target", "target kinerja"),
    "baseline": ("baseline", "kondisi awal", "capaian awal", "data dasar"),
    "keterangan": ("keterangan", "ket", "catatan", "note", "notes", "remarks"),
    "komponen": ("komponen", "komponen perencanaan", "planning component", "component"),
    "pk": ("pk", "pemilik", "pemilik kinerja", "pk skp", "kinerja jabatan", "owner", "penanggung jawab"),
    "jabatan": ("jabatan", "nama jabatan", "position"),
    # One column may say both (a flag, or the partners' names); with two, each says its own.
    "crosscutting": ("crosscutting", "cross cutting", "lintas sektor"),
    "mitra": ("mitra", "partner", "partners", "organisasi mitra", "mitra crosscutting"),
    "masalah": ("masalah", "permasalahan", "problem"),
    "kode": ("kode nomenklatur", "kode program", "kode kegiatan", "kode sub kegiatan", "kode rekening"),
    "nomenklatur": ("nomenklatur", "nama nomenklatur"),
    "definisi": ("definisi", "definisi operasional", "definition"),
    "formula": ("formula", "rumus", "cara perhitungan", "cara pengukuran"),
    "sumber_data": ("sumber data", "data source"),
}
_EXACT = {name: f for f, names in _HEADERS.items() for name in names}
# Longer headers that start with a known name ("Indikator Kinerja Utama", "Kondisi yang diperlukan").
_PREFIX = (("indikator", "indikator"), ("satuan", "satuan"), ("keterangan", "keterangan"),
           ("pernyataan kinerja", "kinerja"), ("kinerja", "kinerja"), ("kondisi", "kinerja"),
           ("komponen", "komponen"), ("mitra", "mitra"), ("rujukan", "tahap"))
_YEAR = re.compile(r"^(?:target(?: kinerja)?(?: tahun| thn| th)? (\d{1,4})|(?:target )?tahun (\d{1,4})|((?:19|20)\d\d))$")
# "jabatan" names the owner (pk) unless a PK column exists; then it is the position's name.
_FALLBACK = {"jabatan": ("pk", "jabatan")}
_KOMPONEN_HEADS = ("tujuan", "sasaran", "program", "kegiatan", "sub kegiatan", "iku", "ikk")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def norm(text: str) -> str:
    """'PK/SKP', ' Target_2026 (%) ' -> 'pk skp', 'target 2026'."""
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def header_field(name: str) -> tuple[str | None, str | None]:
    """(field, year) for a header text; (None, None) for an unknown header."""
    n = norm(name)
    if not n:
        return None, None
    m = _YEAR.match(n)
    if m:
        return "target", next(g for g in m.groups() if g)
    if n in _EXACT:
        return _EXACT[n], None
    for prefix, fld in _PREFIX:
        if n.startswith(prefix + " "):
            return fld, None
    if n.startswith("target "):
        return "target", None
    return None, None


@dataclass
class Columns:
    """Where each field sits in one table (0-based column indexes)."""

    header_row: int
    data_start: int
    names: list[str]
    single: dict[str, int] = field(default_factory=dict)
    levels: list[int] = field(default_factory=list)  # level columns, most precise first
    targets: dict[str, int] = field(default_factory=dict)  # year -> column; "" = plain target
    extras: list[tuple[int, str]] = field(default_factory=list)  # unknown columns, kept as keterangan
    keterangan_is_level: bool = False

    def has(self, fld: str) -> bool:
        return fld in self.single

    def missing(self) -> list[str]:
        need = [] if self.levels or self.keterangan_is_level else ["level"]
        return need + ([] if "kinerja" in self.single else ["kinerja"])


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a useless '.0', dates as ISO dates, strings stripped."""
    if type(value) is str:  # the common case first: this runs for every cell
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def header_score(row: Sequence[Any]) -> int:
    """How many distinct fields a row names (a merged title repeated in every cell counts once)."""
    found = {header_field(cell_text(c))[0] for c in row}
    found.discard(None)
    return len(found) if found & {"kinerja", "indikator", "level", "tahap"} else 0


def find_header(rows: Sequence[Sequence[Any]]) -> int | None:
    """Index of the header row among the first rows: the one naming the most fields."""
    best, best_score = None, 1
    for i, row in enumerate(rows[:MAX_HEADER_SCAN]):
        s = header_score(row)
        if s > best_score:
            best, best_score = i, s
    return best


def _is_year(value: Any) -> bool:
    t = cell_text(value)
    return bool(re.fullmatch(r"(?:19|20)\d\d", t))


def recognise(rows: Sequence[Sequence[Any]], header_row: int) -> Columns:
    """Map the header row (and a year sub-header under a merged 'Target') to fields."""
    header = [cell_text(c) for c in rows[header_row]]
    cols = Columns(header_row=header_row, data_start=header_row + 1, names=[h for h in header if h])
    late: list[tuple[int, str, str]] = []
    unnamed: list[int] = []
    width = max((len(r) for r in rows[header_row:]), default=0)
    for c in range(width):
        name = header[c] if c < len(header) else ""
        fld, year = header_field(name)
        if not name:
            unnamed.append(c)
        elif fld == "target":
            key = year or ""
            if key in cols.targets:
                cols.extras.append((c, name))
            else:
                cols.targets[key] = c
        elif fld in LEVEL_FIELDS:
            cols.levels.append(c)
        elif fld in _FALLBACK:
            late.append((c, name, fld))
        elif fld is not None and fld not in cols.single:
            cols.single[fld] = c
        else:
            cols.extras.append((c, name))
    for c, name, fld in late:
        target = next((f for f in _FALLBACK[fld] if f not in cols.single), None)
        if target is None:
            cols.extras.append((c, name))
        else:
            cols.single[target] = c
    # "level" columns before "tahap" ones: "tahap 3" needs a second opinion, "Sasaran Program" not.
    cols.levels.sort(key=lambda c: 0 if header_field(header[c])[0] == "level" else 1)
    _year_subheader(rows, cols)
    data = rows[cols.data_start:]
    for c in unnamed:
        if c in cols.targets.values():
            continue
        _by_content(cols, c, [cell_text(r[c]) for r in data if c < len(r) and cell_text(r[c])])
    ket = cols.single.get("keterangan")
    if ket is not None and not cols.levels:
        values = [cell_text(r[ket]) for r in data if ket < len(r) and cell_text(r[ket])]
        cols.keterangan_is_level = bool(values) and _share(values, lambda v: parse_level(v) is not None) >= 0.5
    return cols


def _year_subheader(rows: Sequence[Sequence[Any]], cols: Columns) -> None:
    """'Target' merged over two columns with '2025 | 2026' below it: per-year targets."""
    if cols.data_start >= len(rows):
        return
    below = rows[cols.data_start]
    filled = [(c, v) for c, v in enumerate(below) if cell_text(v)]
    if not filled or not all(_is_year(v) for _, v in filled):
        return
    taken = {c for c in cols.single.values()} | set(cols.levels)
    if any(c in taken for c, _ in filled):
        return
    cols.targets = {k: c for k, c in cols.targets.items() if k and c not in dict(filled)}
    for c, v in filled:
        cols.targets[cell_text(v)] = c
    cols.extras = [(c, n) for c, n in cols.extras if c not in dict(filled)]
    cols.data_start += 1


def _share(values: Sequence[str], test: Any) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _by_content(cols: Columns, c: int, values: list[str]) -> None:
    """An unnamed column: PK values start with 'PK'; komponen values name planning components."""
    if not values:
        return
    if "pk" not in cols.single and _share(values, lambda v: norm(v).startswith("pk")) >= 0.6:
        cols.single["pk"] = c
    elif "komponen" not in cols.single and _share(values, lambda v: norm(v).startswith(_KOMPONEN_HEADS)) >= 0.6:
        cols.single["komponen"] = c
    elif not cols.levels and _share(values, lambda v: parse_level(v) is not None) >= 0.6:
        cols.levels.append(c)
    else:
        cols.extras.append((c, f"kolom {c + 1}"))


_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_GROUPED = {".": re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+"), ",": re.compile(r"[+-]?\d{1,3}(?:,\d{3})+")}
_EMPTY = {"", "-", "\u2013", "\u2014"}


def parse_number(value: Any) -> float | str | None:
    """A target or baseline cell: a number, None when empty, else the text (SYS-02 reports it).

    Indonesian writing is accepted: '3,5' -> 3.5, '1.234,5' -> 1234.5, '1.234' -> 1234,
    '80%' -> 80. Dates stay text so that a target Excel turned into a date is reported.
    """
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.datetime)):
        return cell_text(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = cell_text(value).replace("\u00a0", " ")
    if text in _EMPTY:
        return None
    t = text[:-1] if text.endswith("%") else text
    t = t.replace(" ", "")
    number = _to_float(t)
    return number if number is not None else text


def _to_float(t: str) -> float | None:
    if t.isdigit() and t.isascii():  # the common case, as the last test below would read it
        return float(t)
    body = t.lstrip("+-")
    if "," in t and "." in t:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        thousands = "." if dec == "," else ","
        whole, _, frac = t.rpartition(dec)
        if (_GROUPED[thousands].fullmatch(whole) or _INTEGER.fullmatch(whole)) and frac.isdigit():
            return float(whole.replace(thousands, "") + "." + frac)
        return None
    # '1.234' and '1.234.567' group thousands (Indonesian); '0.567' and '3.5' do not.
    if _GROUPED["."].fullmatch(t) and not body.startswith("0"):
        return float(t.replace(".", ""))
    if _PLAIN_NUMBER.fullmatch(t):
        return float(t)
    if t.count(",") > 1 and _GROUPED[","].fullmatch(t) and not body.startswith("0"):
        return float(t.replace(",", ""))
    if re.fullmatch(r"[+-]?\d+,\d+", t):  # a decimal comma: '3,5'
        return float(t.replace(",", "."))
    return None
