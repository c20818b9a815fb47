"""The table columns in words, generated from the loader's own header table (columns.py).

`kinerjalint explain --columns` prints it; the README's "Table columns" section is this
text (tests/test_newcomer.py keeps them in step), and the header hints of SYS-01 name the
same accepted headers in both languages.
"""

from __future__ import annotations

from kinerjalint.levels import Level, aliases
from kinerjalint.loaders.columns import _HEADERS, _PREFIX, LEVEL_FIELDS, MAX_HEADER_SCAN

# What each field holds: (Indonesian, English). Order: as a table is usually laid out.
MEANING: dict[str, tuple[str, str]] = {
    "id": ("id node (opsional)", "node id (optional)"),
    "induk": ("id node induk (opsional; tanpa kolom ini: baris sebelumnya satu level di atas)",
              "id of the parent node (optional; without it: the previous row one level up)"),
    "level": ("level node: outcome, csf, antara_utama, antara, operasional, atau nama lainnya",
              "the node's level: outcome, csf, antara_utama, antara, operasional, or another of its names"),
    "tahap": ("level node seperti di tabel Tahap 5 ('tahap 3' + keterangan 'kinerja operasional')",
              "the node's level as the Tahap 5 tables give it ('tahap 3' + keterangan 'kinerja operasional')"),
    "kinerja": ("pernyataan kinerja (kondisi)", "the performance statement (condition)"),
    "indikator": ("nama indikator", "indicator name"),
    "satuan": ("satuan indikator", "indicator unit"),
    "target": ("target; per tahun: 'Target 2026', 'target_2026', 'Tahun 2026', '2026', atau 'Target' di atas baris tahun",
               "target; per year: 'Target 2026', 'target_2026', 'Tahun 2026', '2026', or 'Target' over a row of years"),
    "baseline": ("nilai awal indikator", "the indicator's starting value"),
    "definisi": ("definisi operasional indikator", "operational definition of the indicator"),
    "formula": ("rumus / cara perhitungan", "formula / how it is computed"),
    "sumber_data": ("sumber data indikator", "data source of the indicator"),
    "keterangan": ("catatan; boleh memuat level ('kinerja operasional')", "remarks; may hold the level ('kinerja operasional')"),
    "komponen": ("komponen perencanaan (Tujuan SKPD, Sasaran Program, ...)", "planning component (Tujuan SKPD, Sasaran Program, ...)"),
    "pk": ("pemilik kinerja (PK JPT, Administrator, Pengawas, JF)", "performance owner (PK JPT, Administrator, Pengawas, JF)"),
    "jabatan": ("nama jabatan pemilik (tanpa kolom PK: pemiliknya)", "the owner's position (without a PK column: the owner)"),
    "crosscutting": ("crosscutting: ya/tidak, atau nama mitra", "crosscutting: yes/no, or the partners' names"),
    "mitra": ("organisasi mitra, dipisah ';'", "partner organisations, separated by ';'"),
    "masalah": ("masalah yang dijawab (CSF, Tahap 2)", "the problem answered (CSF, Tahap 2)"),
    "kode": ("kode nomenklatur", "nomenclature code"),
    "nomenklatur": ("nama nomenklatur", "nomenclature name"),
}


def accepted(fld: str) -> list[str]:
    """The headers that name ``fld``, as compared (case, spaces and punctuation ignored)."""
    return list(_HEADERS[fld])


def required_hint(lang: str = "id") -> str:
    """The columns a tree table needs, named by their accepted headers (same in both languages
    but for the joining words): the hint of a header-row or missing-column SYS-01."""
    level = ", ".join(f"'{h}'" for f in LEVEL_FIELDS for h in accepted(f)[:3])
    kinerja = ", ".join(f"'{h}'" for h in accepted("kinerja")[:4])
    if lang == "en":
        return f"a level column ({level}, ...) and a statement column ({kinerja}, ...)"
    return f"kolom level ({level}, ...) dan kolom pernyataan ({kinerja}, ...)"


def columns_markdown(lang: str = "en") -> str:
    en = lang == "en"
    k = 1 if en else 0
    need = {"kinerja"} | set(LEVEL_FIELDS)
    out = [
        "One row per (node, indicator), in a TSV, a CSV (`,` or `;`) or any sheet of an XLSX workbook."
        if en else "Satu baris per (node, indikator), dalam TSV, CSV (`,` atau `;`) atau lembar mana pun di workbook XLSX.",
        f"The header row is looked for in the first {MAX_HEADER_SCAN} rows (title rows above it are fine); headers "
        "are compared ignoring case, spaces and punctuation (`PK/SKP` = `pk skp`, `Target_2026` = `target 2026`), "
        "in any order. Required: a **level** column (or a keterangan column holding the levels) and a "
        "**kinerja** column; every other column is optional, and an unknown column is kept as keterangan."
        if en else
        f"Baris judul kolom dicari pada {MAX_HEADER_SCAN} baris pertama (baris judul lembar di atasnya boleh); "
        "nama kolom dibandingkan tanpa memperhatikan huruf besar, spasi dan tanda baca (`PK/SKP` = `pk skp`, "
        "`Target_2026` = `target 2026`), dalam urutan apa pun. Wajib: kolom **level** (atau kolom keterangan "
        "berisi level) dan kolom **kinerja**; kolom lain opsional, kolom tak dikenal disimpan sebagai keterangan.",
        "",
        "| field | accepted headers | holds |" if en else "| isian | nama kolom yang diterima | isi |",
        "|---|---|---|",
    ]
    for fld, names in _HEADERS.items():
        mark = " *" if fld in need else ""
        meaning = MEANING.get(fld, ("", ""))[k]
        out.append(f"| `{fld}`{mark} | {', '.join(f'`{n}`' for n in names)} | {meaning} |")
    starts = ", ".join(f"`{p} ...` ({f})" for p, f in _PREFIX)
    out += [
        "",
        ("`*` a level column (`level` or `tahap`) and `kinerja` are required. A header that starts with a known "
         f"name counts as it: {starts}. A column without a header is recognised by its content (PK values, "
         "planning components, levels).") if en else
        ("`*` kolom level (`level` atau `tahap`) dan `kinerja` wajib. Nama kolom yang diawali nama yang dikenal "
         f"dihitung sebagai kolom itu: {starts}. Kolom tanpa judul dikenali dari isinya (nilai PK, komponen "
         "perencanaan, level)."),
        "",
        ("**Levels** are written with any of these names (or `L0`..`L4`):" if en else
         "**Level** ditulis dengan salah satu nama ini (atau `L0`..`L4`):"),
        "",
    ]
    for lv in Level:
        out.append(f"- {lv.label(lang)}: {', '.join(f'`{a}`' for a in aliases(lv))}")
    out += [
        "",
        ("**Parents**: with an `induk` column, each row names its parent's `id`. Without one, a node's id is its "
         "data row number (the row under the header is 1) and its parent is the nearest previous row of the level "
         "above, as the Tahap 5 \"Rujukan tahapan\" tables read. A row with an empty kinerja cell (a merged cell), "
         "or repeating the previous row's kinerja at the same level, adds one more indicator to that node.") if en else
        ("**Induk**: dengan kolom `induk`, setiap baris menyebut `id` induknya. Tanpa kolom itu, id node adalah nomor "
         "baris datanya (baris di bawah judul = 1) dan induknya baris terdekat sebelumnya pada level di atasnya, seperti "
         "tabel Tahap 5 \"Rujukan tahapan\" dibaca. Baris dengan sel kinerja kosong (sel gabungan), atau mengulang "
         "kinerja baris sebelumnya pada level yang sama, menambah satu indikator pada node itu."),
        "",
        ("`kinerjalint init --format tsv POHON.tsv` (or `xlsx`, `csv`) writes a table with one example per level."
         if en else "`kinerjalint init --format tsv POHON.tsv` (atau `xlsx`, `csv`) menulis tabel dengan satu contoh per level."),
    ]
    return "\n".join(out) + "\n"
