"""The XLSX reader: calamine's values are openpyxl's, cell for cell; what calamine cannot give
exactly or safely is read by openpyxl as before."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from kinerjalint.loaders import load_path
from kinerjalint.loaders import workbook as reader
from kinerjalint.loaders.columns import cell_text, parse_number

from .conftest import SAMPLES

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET1 = "xl/worksheets/sheet1.xml"


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _edit(raw: bytes, edit: Callable[[dict[str, bytes]], None]) -> bytes:
    """The workbook with its parts changed by edit (part name -> bytes)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    edit(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _shared_strings(parts: dict[str, bytes]) -> None:
    """Move the inline strings openpyxl writes into a shared string table, the way Excel stores text."""
    table: list[bytes] = []

    def share(m: re.Match[bytes]) -> bytes:
        table.append(m[3])
        return m[1] + b' t="s"' + m[2] + b"><v>" + str(len(table) - 1).encode() + b"</v></c>"

    cell = re.compile(rb'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?) t="inlineStr"((?: s="[0-9]+")?)><is>(.*?)</is></c>')
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = cell.sub(share, parts[name])
    parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{MAIN_NS}" count="{len(table)}" uniqueCount="{len(table)}">'.encode()
                                     + b"".join(b"<si>" + t + b"</si>" for t in table) + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdShared" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>'))


def _cells(raw: bytes, read: Callable[[bytes], list[Any]]) -> list[tuple[str, list[list[Any]], list[list[str | None]]]]:
    """Every sheet's values with their types, and every cell's reference."""
    return [(g.name, [[(type(v).__name__, v) for v in row] for row in g.rows],
             [[g.span(r, c).ref for c in range(len(row))] for r, row in enumerate(g.rows)]) for g in read(raw)]


def _assert_same_as_openpyxl(raw: bytes) -> list[list[list[Any]]]:
    fast = _cells(raw, reader._read_grids_calamine)  # raises when the workbook would not take this path
    assert fast == _cells(raw, reader._read_grids_openpyxl)
    return [g.rows for g in reader._read_grids(raw)]


def _many_kinds() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Pohon"
    ws["A1"] = "POHON KINERJA   "
    ws.merge_cells("A1:F1")
    values: list[Any] = [2024, 3.0, 2.5, 0.1, -7, True, False, "  teks  ", "", dt.datetime(2025, 2, 3),
                         dt.datetime(2025, 2, 3, 8, 30), dt.date(2025, 2, 3), dt.time(8, 30),
                         dt.timedelta(hours=30, minutes=5), 0.9, 1, 12, "=1/0", "=NA()", "=A2", "baris\nkedua"]
    for r, value in enumerate(values, 2):
        ws.cell(r, 1, value)
    ws["A16"].number_format = "0%"
    ws["A17"].number_format = "0.0%"
    ws["A18"].number_format = '0" %"'  # a literal % in the format: openpyxl still reads x100
    formats = ["[$-421]dd mmmm yyyy", "dd/mm/yyyy", "yyyy-mm-dd hh:mm", "hh:mm", "[h]:mm:ss", "#,##0", "0.00",
               "General", "d-mmm-yy", "mmmm yyyy", "dd/mm/yyyy;@"]
    serials = [45123, 45000, 45000.5, 0.5, 1.5, 45000, 3.25, 7, 45001, 45100, 45200]
    for r, (fmt, serial) in enumerate(zip(formats, serials), 2):
        ws.cell(r, 2, serial).number_format = fmt
    ws.merge_cells("C2:C4")
    ws["C2"] = "gabungan"
    ws["D5"] = "   "
    ws.cell(30, 8, "jauh")
    extra = wb.create_sheet("Tahap 4")
    extra.append(["Rujukan tahapan", "Kinerja"])
    extra.append(["tahap 2", 80])
    hidden = wb.create_sheet("Tersembunyi")
    hidden.sheet_state = "hidden"
    hidden.append([None, "isi"])
    wb.create_sheet("Kosong")
    raw = _save(wb)

    def cache(parts: dict[str, bytes]) -> None:  # the values Excel caches for formulas (openpyxl writes none)
        sheet = parts[SHEET1]
        sheet = re.sub(rb'<c r="A19"([^>]*)><f>1/0</f><v\s*(?:/>|></v>)',
                       rb'<c r="A19" t="e"><f>1/0</f><v>#DIV/0!</v>', sheet)
        sheet = re.sub(rb'<c r="A20"([^>]*)><f>NA\(\)</f><v\s*(?:/>|></v>)',
                       rb'<c r="A20" t="e"><f>NA()</f><v>#N/A</v>', sheet)
        sheet = re.sub(rb'<c r="A21"([^>]*)><f>A2</f><v\s*(?:/>|></v>)',
                       rb'<c r="A21"><f>A2</f><v>2024</v>', sheet)
        sheet = sheet.replace(b"</sheetData>", b'<row r="40"><c r="A40" t="e"><v>#REF!</v></c>'
                              b'<c r="C40" t="str"><v> hasil </v></c></row></sheetData>')
        parts[SHEET1] = sheet

    return _edit(raw, cache)


def test_calamine_gives_what_openpyxl_gives_for_every_kind_of_cell() -> None:
    rows = _assert_same_as_openpyxl(_many_kinds())[0]
    assert rows[0] == ["POHON KINERJA"] * 6  # merged A1:F1, stripped
    assert rows[1] == [2024, dt.datetime(2023, 7, 16), "gabungan"] and type(rows[1][0]) is int  # not 2024.0
    assert [rows[r][0] for r in (15, 16, 17)] == [90.0, 100, 1200]  # percent formats
    assert [rows[r][0] for r in (18, 19, 20, 39)] == ["#DIV/0!", "#N/A", 2024, "#REF!"]  # cached results
    assert [rows[r][1] for r in (4, 5, 6, 7)] == [dt.time(12, 0), "1 day, 12:00:00", 45000, 3.25]
    assert rows[12] == [dt.datetime(2025, 2, 3)] and rows[29][7] == "jauh" and rows[39][2] == "hasil"


def test_shared_strings_rich_text_and_phonetic_runs_as_openpyxl_reads_them() -> None:
    def rich(parts: dict[str, bytes]) -> None:
        _shared_strings(parts)
        table = parts["xl/sharedStrings.xml"]
        table = table.replace(b"<t>Kinerja</t>", b'<r><t>Kin</t></r><r><rPr><b/></rPr><t xml:space="preserve">erja </t>'
                                                   b'</r><rPh sb="0" eb="1"><t>KANA</t></rPh>')
        parts["xl/sharedStrings.xml"] = table

    raw = _edit(_many_kinds(), rich)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert b't="s"' in z.read("xl/worksheets/sheet1.xml") and b"inlineStr" not in z.read("xl/worksheets/sheet2.xml")
    rows = _assert_same_as_openpyxl(raw)[0]
    assert rows[0][0] == "POHON KINERJA" and rows[21][0] == "baris\nkedua"
    assert [g.rows[0] for g in reader._read_grids(raw) if g.name == "Tahap 4"] == [["Rujukan tahapan", "Kinerja"]]  # rich runs joined, phonetic left out


def test_a_number_written_with_an_exponent_reads_as_the_same_text() -> None:
    """openpyxl gives 1000.0 for "1E3" and 1000 for "1000"; calamine 1000.0 for both, read as 1000: the
    loaders see no difference (a cell's text and a target's number are the same)."""
    wb = Workbook()
    wb.active.append([1])
    raw = _edit(_save(wb), lambda p: p.update({SHEET1: p[SHEET1].replace(b"<v>1</v>", b"<v>1E3</v>")}))
    fast, slow = reader._read_grids_calamine(raw)[0].rows[0][0], reader._read_grids_openpyxl(raw)[0].rows[0][0]
    assert (fast, slow) == (1000, 1000.0) and cell_text(fast) == cell_text(slow) == "1000"
    assert parse_number(fast) == parse_number(slow) == 1000.0


def test_the_bundled_sample_and_a_merged_percent_tree_take_the_fast_path(tmp_path: Path) -> None:
    from .test_tables import _pohon_workbook

    _assert_same_as_openpyxl((SAMPLES / "balangan-kesbangpol.xlsx").read_bytes())
    rows = _assert_same_as_openpyxl(_pohon_workbook(tmp_path / "pohon.xlsx").read_bytes())[0]
    assert [row[4] for row in rows[2:9]] == [3.2, 80, 90.0, 75.0, 60, 1]


def _far_apart(parts: dict[str, bytes]) -> None:
    parts[SHEET1] = parts[SHEET1].replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>jauh</t></is></c></row></sheetData>')


@pytest.mark.parametrize("edit", [
    _far_apart,  # calamine would allocate 17 billion cells and abort the process
    lambda p: p.update({SHEET1: p[SHEET1].replace(b'<c r="A2"', b"<c")}),  # a cell placed by counting
    lambda p: p.update({SHEET1: p[SHEET1].replace(b'<c r="A3"', b"<c\nr='A3'")}),
    lambda p: p.update({SHEET1: p[SHEET1].replace(b"<v>3</v>", b"<v>198001012005011001</v>")}),  # > 2**53
    lambda p: p.update({SHEET1: p[SHEET1].replace(b"<t>kata</t>", b"<t>a_x000D_b</t>")}),  # openpyxl keeps it
    lambda p: p.update({SHEET1: p[SHEET1].replace(b'<c r="A3" t="n"><v>3</v>', b'<c r="A3" t="d"><v>2025-02-03</v>')}),
    lambda p: p.update({SHEET1: "\ufeff".encode("utf-16-le") + p[SHEET1].decode().encode("utf-16-le")}),
], ids=["far-apart", "no-reference", "single-quotes", "huge-integer", "escaped-char", "iso-date", "utf-16"])
def test_what_calamine_cannot_read_exactly_or_safely_is_read_by_openpyxl(edit: Callable[[dict[str, bytes]], None]) -> None:
    wb = Workbook()
    for value in ("kata", 2024, 3):
        wb.active.append([value])
    raw = _edit(_save(wb), edit)
    with pytest.raises(reader._NotForCalamine):
        reader._read_grids_calamine(raw)
    assert _cells(raw, reader._read_grids) == _cells(raw, reader._read_grids_openpyxl)


@pytest.mark.parametrize(("value", "fmt"), [(5, "dd/mm/yyyy"), (45000.123456789, "yyyy-mm-dd hh:mm:ss")],
                         ids=["before-march-1900", "fraction-of-a-second"])
def test_dates_the_two_readers_may_round_apart_are_read_by_openpyxl(value: float, fmt: str) -> None:
    wb = Workbook()
    wb.active["A1"] = value
    wb.active["A1"].number_format = fmt
    raw = _save(wb)
    with pytest.raises(reader._NotForCalamine):
        reader._read_grids_calamine(raw)
    assert _cells(raw, reader._read_grids) == _cells(raw, reader._read_grids_openpyxl)


def test_far_apart_cells_are_a_finding_not_a_crash(tmp_path: Path) -> None:
    """In its own process: had calamine been given the sheet, the process would abort."""
    path = tmp_path / "jauh.xlsx"
    wb = Workbook()
    wb.active.append(["Level", "Kinerja", "Indikator"])
    wb.active.append(["outcome", "Meningkatnya rasa aman masyarakat", "Indeks rasa aman"])
    path.write_bytes(_edit(_save(wb), _far_apart))
    run = subprocess.run([sys.executable, "-m", "kinerjalint", "check", "--no-config", "--format", "json", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert '"readable": true' in run.stdout, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "memory allocation" not in run.stderr and run.returncode in (0, 1)


def test_a_damaged_sheet_is_one_sys01_naming_the_cause(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["Kinerja", "Indikator"])
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(_edit(_save(wb), lambda p: p.update({SHEET1: p[SHEET1][:400]})))
    res = load_path(path)
    assert [p.code for p in res.problems] == ["SYS-01"] and "rusak" in res.problems[0].args["detail"]
