"""What a rule may name: the fields of each object, with their types.

Types are small strings: ``str``, ``num``, ``bool``, ``level``, ``node``, ``indicator``,
``row``, ``tree``, ``wordlist``, ``fn``, ``any`` and ``list[T]``; a trailing ``?`` marks
a value that may be none. The checker uses this table for "unknown field" errors with a
"did you mean" suggestion, and the compiler for none-safe access.
"""

from __future__ import annotations

FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "node": {
        "id": ("str", "id node (tertulis atau diturunkan dari posisi: 1.2.3)"),
        "declared_id": ("str?", "id yang ditulis pengguna"),
        "induk": ("str?", "id induk yang ditulis (daftar datar)"),
        "level": ("level", "level: outcome, csf, antara_utama, antara, operasional"),
        "kinerja": ("str", "pernyataan kinerja"),
        "indikator": ("list[indicator]", "indikator node"),
        "keterangan": ("str?", "keterangan"),
        "masalah": ("str?", "permasalahan (CSF)"),
        "crosscutting": ("bool", "ditandai crosscutting"),
        "mitra": ("list[str]", "organisasi mitra"),
        "komponen": ("str?", "komponen perencanaan (Tahap 5)"),
        "kode": ("str?", "kode nomenklatur"),
        "nomenklatur": ("str?", "nama nomenklatur"),
        "pemilik": ("str?", "pemilik kinerja (PK JPT, PK Administrator, ...)"),
        "jabatan": ("str?", "nama jabatan pemilik"),
        "parent": ("node?", "node induk"),
        "children": ("list[node]", "node anak"),
        "ancestors": ("list[node]", "semua leluhur, dari induk ke akar"),
        "descendants": ("list[node]", "semua keturunan"),
        "siblings": ("list[node]", "saudara (anak lain dari induk yang sama)"),
        "root": ("node", "akar pohon"),
        "depth": ("num", "kedalaman (akar = 0)"),
        "index": ("num", "urutan di antara saudara (0, 1, ...)"),
        "order": ("num", "urutan dalam dokumen"),
        "is_leaf": ("bool", "tidak punya anak"),
        "reachable": ("bool", "terjangkau dari akar (bukan bagian dari siklus induk)"),
        "tree": ("tree", "pohon tempat node berada"),
        "sasaran_pemda": ("str?", "sasaran Pemda yang didukung (outcome), seperti tertulis: id atau pernyataan"),
        "agency": ("agency?", "OPD pemilik node dalam pemeriksaan pemerintah daerah (--pemda)"),
    },
    "indicator": {
        "nama": ("str", "nama indikator"),
        "satuan": ("str?", "satuan"),
        "target": ("num?", "target (tahun terakhir bila per tahun)"),
        "targets": ("list[num]", "angka semua target, urut (rentang: kedua batas; rasio: hasil baginya)"),
        "target_teks": ("list[str]", "target yang tidak memuat angka, seperti tertulis ('Tersedia', 'Baik', tanggal)"),
        "baseline": ("num?", "nilai dasar"),
        "baseline_teks": ("str?", "nilai dasar yang tidak memuat angka, seperti tertulis ('N/A')"),
        "definisi": ("str?", "definisi operasional"),
        "formula": ("str?", "formula"),
        "sumber_data": ("str?", "sumber data"),
        "node": ("node", "node pemilik indikator"),
        "index": ("num", "urutan indikator pada node"),
        "indikator_pemda": ("str?", "indikator Pemda yang didukung, seperti tertulis: id atau nama"),
    },
    "row": {
        "table": ("str", "nama tabel: tahap3, tahap4 atau tahap5"),
        "index": ("num", "nomor baris (0, 1, ...)"),
        "id": ("str?", "id"),
        "induk": ("str?", "id induk"),
        "tahap": ("str?", "rujukan tahapan seperti tertulis"),
        "level": ("level?", "level"),
        "kinerja": ("str", "pernyataan kinerja"),
        "indikator": ("str?", "indikator"),
        "satuan": ("str?", "satuan"),
        "keterangan": ("str?", "keterangan"),
        "komponen": ("str?", "komponen perencanaan"),
        "pk": ("str?", "pemilik kinerja"),
        "parent": ("row?", "baris induk"),
    },
    "tree": {
        "nodes": ("list[node]", "semua node, urut dokumen"),
        "indicators": ("list[indicator]", "semua indikator"),
        "roots": ("list[node]", "node tanpa induk"),
        "instansi": ("str?", "instansi"),
        "pemda": ("str?", "pemerintah daerah"),
        "periode": ("str?", "periode"),
        "tahun": ("num?", "tahun"),
        "has_units": ("bool", "ada indikator yang bersatuan"),
        "has_mapping": ("bool", "dokumen memuat pemetaan Tahap 5"),
        "has_tables": ("bool", "dokumen memuat tabel Tahap 4/5"),
        "tahap3": ("list[row]", "baris tabel uraian Tahap 3"),
        "tahap4": ("list[row]", "baris tabel Tahap 4"),
        "tahap5": ("list[row]", "baris tabel Tahap 5"),
        "singkatan": ("list[str]", "nama singkat instansi (mis. Satpol PP)"),
    },
    # The whole government (kinerjalint check --pemda): rules `for x in government....` run once.
    "government": {
        "pemda": ("pemda", "pohon kinerja Pemda"),
        "agencies": ("list[agency]", "OPD yang diperiksa, urut berkas"),
        "tujuan": ("list[sasaran]", "tujuan Pemda"),
        "sasaran": ("list[sasaran]", "sasaran Pemda (level sasaran)"),
        "pemda_indicators": ("list[pindicator]", "indikator tujuan dan sasaran Pemda"),
        "outcomes": ("list[node]", "outcome (L1) semua OPD; node.agency menyebut OPD-nya"),
        "conditions": ("list[node]", "semua node semua OPD"),
        "indicators": ("list[indicator]", "semua indikator semua OPD"),
    },
    "pemda": {
        "pemda": ("str?", "nama pemerintah daerah"),
        "periode": ("str?", "periode"),
        "tahun": ("num?", "tahun"),
        "source": ("str", "berkas pohon Pemda"),
    },
    "agency": {
        "name": ("str", "nama OPD (instansi, atau nama berkas)"),
        "instansi": ("str?", "instansi seperti tertulis"),
        "singkatan": ("list[str]", "nama singkat"),
        "source": ("str", "berkas pohon OPD"),
        "index": ("num", "urutan OPD"),
        "tree": ("tree", "pohon OPD"),
        "root": ("node?", "akar pohon OPD"),
        "nodes": ("list[node]", "semua node OPD"),
        "outcomes": ("list[node]", "outcome (L1) OPD"),
        "indicators": ("list[indicator]", "semua indikator OPD"),
    },
    "sasaran": {
        "id": ("str", "id tujuan/sasaran (tertulis atau diturunkan: 1.2)"),
        "level": ("str", "tujuan atau sasaran"),
        "kinerja": ("str", "pernyataan tujuan/sasaran"),
        "indikator": ("list[pindicator]", "indikator"),
        "keterangan": ("str?", "keterangan"),
        "tujuan": ("sasaran?", "tujuan di atas sasaran"),
        "children": ("list[sasaran]", "sasaran di bawah tujuan"),
        "index": ("num", "urutan di antara saudara"),
        "source": ("str", "berkas pohon Pemda"),
    },
    "pindicator": {
        "id": ("str?", "id indikator Pemda"),
        "nama": ("str", "nama indikator"),
        "satuan": ("str?", "satuan"),
        "target": ("num?", "target (tahun terakhir bila per tahun)"),
        "targets": ("list[num]", "semua target"),
        "baseline": ("num?", "nilai dasar"),
        "definisi": ("str?", "definisi operasional"),
        "sasaran": ("sasaran", "tujuan/sasaran pemilik indikator"),
    },
}

OBJECT_TYPES = frozenset(FIELDS)


def base(t: str) -> str:
    return t[:-1] if t.endswith("?") else t


def optional(t: str) -> bool:
    return t.endswith("?")


def elem(t: str) -> str | None:
    b = base(t)
    if b.startswith("list[") and b.endswith("]"):
        return b[5:-1]
    if b == "any":
        return "any"
    return None


def compatible(expected: str, actual: str) -> bool:
    """May a value of type ``actual`` be passed where ``expected`` is wanted?"""
    e, a = base(expected), base(actual)
    if "any" in (e, a) or e == a or a == "none":
        return True
    if {e, a} <= {"num", "level"}:
        return True
    if e.startswith("list[") and a.startswith("list["):
        return compatible(e[5:-1], a[5:-1])
    if e == "text" and a in ("str", "wordlist", "list[str]"):
        return True
    return False
