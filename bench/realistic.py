"""Realistic synthetic pohon kinerja trees, and the same tree in every input form.

``realistic(n)`` builds a tree shaped and worded like the agencies' own (the seed document,
``samples/balangan-kesbangpol.yaml``): long Indonesian statements naming places, programmes
and acronyms (some expanded, some not, a few expanded two ways), spelling slips from the
rule word lists, title case and untidy spacing, exact and near duplicates in other branches,
and the defect mix real trees carry (active verbs and activity nouns as statements, "Jumlah"
indicators at upper levels, missing units and targets, nodes without indicators or children).

``write(doc, path)`` writes it by extension: ``.yaml``, ``.json``, ``.tsv``, ``.csv`` or
``.xlsx``. The three table forms hold the tree as the seed's tables do: one row per
(node, indicator), a ``No`` column with the node's number and no parent column, so that a
row's parent is the nearest previous row of the level above (FORMATS.md section 2); the XLSX
is written with openpyxl's write-only mode (no styles), fast even at 100k rows.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

LEVELS = ["outcome", "csf", "antara_utama", "antara", "operasional"]
FANOUT = {0: (3, 5), 1: (3, 5), 2: (2, 5), 3: (2, 5)}

CONDITIONS = ["Meningkatnya", "Terwujudnya", "Terlaksananya", "Tersusunnya", "Terselenggaranya", "Tersedianya",
              "Terpenuhinya", "Terfasilitasinya", "Terbinanya", "Terpantaunya", "Menguatnya", "Optimalnya",
              "Terkendalinya", "Tertanganinya", "Terpeliharanya", "Terkoordinasinya", "Membaiknya"]
DOWN = ["Menurunnya", "Berkurangnya"]
NEGATIVE = ["angka kriminalitas", "kasus konflik sosial", "angka putus sekolah", "prevalensi stunting",
            "kasus penyalahgunaan narkotika", "angka kecelakaan lalu lintas", "potensi konflik sosial",
            "jumlah penduduk miskin", "kasus demam berdarah", "angka pengangguran terbuka"]
ACTIVE = ["Meningkatkan", "Melaksanakan", "Mengoptimalkan", "Memfasilitasi", "Menyusun", "Mengkoordinasikan"]
ACTIVITY = ["Pelaksanaan", "Fasilitasi", "Koordinasi", "Penyusunan", "Penyelenggaraan", "Peningkatan"]
OBJECTS = ["kewaspadaan dini masyarakat terhadap potensi konflik", "kerukunan umat beragama", "partisipasi pemilih",
           "kapasitas organisasi kemasyarakatan", "wawasan kebangsaan generasi muda", "ketahanan ekonomi keluarga",
           "penanganan konflik sosial", "pendidikan politik bagi masyarakat", "pembauran kebangsaan",
           "pencegahan penyalahgunaan narkotika", "pelayanan kesehatan dasar", "cakupan imunisasi dasar lengkap",
           "mutu pendidikan dasar", "kualitas jalan kabupaten", "ketersediaan air bersih", "penanggulangan bencana",
           "kepatuhan wajib pajak daerah", "akurasi data kependudukan", "ketertiban umum dan ketenteraman masyarakat",
           "perlindungan perempuan dan anak", "kualitas tata kelola keuangan daerah", "akuntabilitas kinerja",
           "pelayanan administrasi kependudukan", "pemberdayaan usaha mikro kecil dan menengah",
           "kapasitas aparatur sipil negara", "pengawasan orang asing", "kesiapsiagaan menghadapi bencana",
           "pemanfaatan teknologi informasi", "kualitas perencanaan pembangunan daerah", "pengelolaan sampah rumah tangga"]
QUALIFIERS = ["yang berbasis data", "secara tepat waktu", "bagi penduduk miskin", "bagi penyandang disabilitas",
              "yang berbasis masyarakat", "bagi generasi muda", "yang berkelanjutan", "bagi pelaku usaha",
              "yang inklusif dan partisipatif", "sesuai standar pelayanan minimal"]
KECAMATAN = ["Paringin", "Paringin Selatan", "Juai", "Awayan", "Batumandi", "Halong", "Lampihong", "Tebing Tinggi"]
DESA = ["Lok Batu", "Murung Jambu", "Batu Piring", "Sungai Ketapi", "Kusambi", "Tampang", "Mihu", "Hamarung",
        "Lalayau", "Bihara", "Dahai", "Teluk Bayur", "Baruh Bahinu", "Ajung", "Uren", "Gunung Batu", "Inan"]
# acronym -> its expansion (from rules/words/akronim.tsv) and a wrong one for the few slips
ACRONYMS = {
    "FKUB": ("Forum Kerukunan Umat Beragama", "Forum Komunikasi Umat Beragama"),
    "FKDM": ("Forum Kewaspadaan Dini Masyarakat", "Forum Komunikasi Dini Masyarakat"),
    "FPK": ("Forum Pembauran Kebangsaan", "Forum Persatuan Kebangsaan"),
    "Forkopimda": ("Forum Koordinasi Pimpinan Daerah", "Forum Komunikasi Pimpinan Daerah"),
    "P4GN": ("Pencegahan dan Pemberantasan Penyalahgunaan dan Peredaran Gelap Narkotika",
             "Pencegahan Penyalahgunaan dan Peredaran Gelap Narkoba"),
    "Posyandu": ("Pos Pelayanan Terpadu", "Pos Pelayanan Terpadu Desa"),
    "Puskesmas": ("Pusat Kesehatan Masyarakat", "Pusat Kesehatan Desa"),
    "UMKM": ("Usaha Mikro, Kecil, dan Menengah", "Usaha Menengah Kecil Mikro"),
    "BUMDes": ("Badan Usaha Milik Desa", "Badan Usaha Milik Daerah Desa"),
    "Linmas": ("Perlindungan Masyarakat", "Pelindung Masyarakat"),
    "Timpora": ("Tim Pengawasan Orang Asing", "Tim Pemantau Orang Asing"),
    "SPBE": ("Sistem Pemerintahan Berbasis Elektronik", "Sistem Pelayanan Berbasis Elektronik"),
    "SAKIP": ("Sistem Akuntabilitas Kinerja Instansi Pemerintah", "Sistem Akuntabilitas Kinerja Pemerintah"),
    "PAD": ("Pendapatan Asli Daerah", "Pendapatan Anggaran Daerah"),
    "ASN": ("Aparatur Sipil Negara", "Aparat Sipil Negara"),
    "Ormas": ("Organisasi Kemasyarakatan", "Organisasi Masyarakat"),
    "BPBD": ("Badan Penanggulangan Bencana Daerah", "Badan Penanganan Bencana Daerah"),
    "OPD": ("Organisasi Perangkat Daerah", "Organisasi Pemerintah Daerah"),
}
BARE = {"OPD", "ASN", "UMKM", "SAKIP", "PAD", "BPBD", "SPBE"}
VIA = ["melalui penguatan peran {acr}", "melalui fasilitasi {acr}", "dengan dukungan {acr}",
       "melalui sinergi {acr} dan pemerintah desa", "melalui pembinaan {acr}"]
SLIPS = [("penyalahgunaan", "penyalagunaan"), ("kemasyarakatan", "kemasarakatan"), ("masyarakat", "masyrakat"),
         ("koordinasi", "kordinasi"), ("Terlaksananya", "Terlaksnanya"), ("Tersusunnya", "Tersusunya"),
         ("ketahanan", "kerahanan"), ("Terkoordinasinya", "Terkoordinirnya"), ("Persentase", "Prosentase"),
         ("kerja sama", "kerjasama"), ("Paringin", "Paringgin"), ("Balangan", "Belangan")]
PERCENT_HEADS = ["Persentase", "Cakupan", "Tingkat", "Rasio"]
INDEX_HEADS = ["Indeks", "Nilai"]
COUNT_NOUNS = ["orang", "dokumen", "laporan", "kegiatan", "desa", "lembaga", "kali", "paket"]
PRODUCTS = ["Dokumen", "Laporan", "Rekomendasi", "Data"]
KOMPONEN = {"outcome": "Tujuan SKPD", "csf": "Sasaran SKPD", "antara_utama": "Sasaran Program",
            "antara": "Sasaran Kegiatan", "operasional": "Sasaran Sub Kegiatan"}
PEMILIK = {"outcome": "PK Kepala Badan", "csf": "PK JPT", "antara_utama": "PK Jabatan Administrator",
           "antara": "PK Jabatan Pengawas", "operasional": "SKP JF"}


_DANGLING = {"di", "yang", "bagi", "secara", "sesuai", "dengan", "melalui", "desa", "kecamatan", "dan", "tepat",
             "berbasis", "standar", "pelayanan", "forum", ","}


class _Words:
    """The statement and indicator maker, with the tree's memory of acronyms and statements."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.expanded: set[str] = set()
        self.said: list[str] = []

    def acronym(self) -> str:
        rng = self.rng
        acr = rng.choice(list(ACRONYMS))
        right, wrong = ACRONYMS[acr]
        if acr in BARE:  # the acronyms everyone in government uses without spelling them out
            return acr
        if acr not in self.expanded and rng.random() < 0.6:  # expanded at first use, most of the time
            self.expanded.add(acr)
            return f"{right} ({acr})"
        if rng.random() < 0.01:
            return f"{wrong} ({acr})"
        return acr

    def place(self) -> str:
        rng = self.rng
        kec = rng.choice(KECAMATAN)
        r = rng.random()
        if r < 0.4:
            return f"di Desa {rng.choice(DESA)} Kecamatan {kec}"
        if r < 0.8:
            return f"di Kecamatan {kec}"
        return "di Kabupaten Balangan"

    def statement(self, level: int) -> str:
        rng = self.rng
        if self.said and rng.random() < 0.02:  # the same statement again, in another branch
            text = rng.choice(self.said)
            return text if rng.random() < 0.7 else text.replace("a", "aa", 1)  # or with a slip
        if rng.random() < 0.15:
            start, obj = rng.choice(DOWN), rng.choice(NEGATIVE)
        else:
            start, obj = rng.choice(CONDITIONS), rng.choice(OBJECTS)
        r = rng.random()
        if r < 0.04:
            start = rng.choice(ACTIVE)
        elif r < 0.07:
            start = rng.choice(ACTIVITY)
        parts = [start, obj, rng.choice(QUALIFIERS), self.place()]
        if rng.random() < 0.35:
            parts.append(rng.choice(VIA).format(acr=self.acronym()))
        text = " ".join(parts)
        text = self.slips(text)
        r = rng.random()
        if r < 0.06:
            text = " ".join(w if w in ("dan", "di", "yang", "bagi") else w[:1].upper() + w[1:] for w in text.split())
        elif r < 0.07:
            text = text.upper()
        elif r < 0.08:
            text = text.replace(" ", "  ", 1)
        elif r < 0.09:
            text += "."
        elif r < 0.10:
            text = text.replace(" dan", " , dan", 1) if " dan" in text else text + " "
        self.said.append(text)
        return text

    def slips(self, text: str) -> str:
        if self.rng.random() < 0.03:
            right, wrong = self.rng.choice(SLIPS)
            text = text.replace(right, wrong)
        return text

    def indicators(self, level: int, kinerja: str) -> list[dict[str, Any]]:
        rng = self.rng
        if rng.random() < 0.02:
            return []
        words = kinerja.split()
        obj_words = words[1:min(len(words), rng.randint(5, 12))]
        while len(obj_words) > 1 and obj_words[-1].lower() in _DANGLING:
            obj_words.pop()
        obj = " ".join(obj_words).rstrip(".,")
        out: list[dict[str, Any]] = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            r = rng.random()
            if level == 4 or (level < 3 and r < 0.03):
                noun = rng.choice(COUNT_NOUNS)
                ind: dict[str, Any] = {"nama": f"Jumlah {noun} {obj}", "satuan": noun, "target": rng.randint(1, 60)}
            elif level == 3 and r < 0.5:
                prod = rng.choice(PRODUCTS)
                ind = {"nama": f"{prod} {obj} yang tersusun tepat waktu", "satuan": "dokumen",
                       "target": rng.randint(1, 12)}
            elif r < 0.25:
                ind = {"nama": f"{rng.choice(INDEX_HEADS)} {obj}", "satuan": "indeks", "target": round(rng.uniform(2, 4), 2)}
            else:
                ind = {"nama": f"{rng.choice(PERCENT_HEADS)} {obj} {self.place()}", "satuan": "%",
                       "target": rng.randint(50, 100)}
            if rng.random() < 0.02:
                ind["nama"] = kinerja  # the statement repeated as its own measure
            ind["nama"] = self.slips(ind["nama"])
            if rng.random() < 0.03:
                del ind["satuan"]
            if rng.random() < 0.03:
                del ind["target"]
            out.append(ind)
        return out


def realistic(n: int, seed: int = 89) -> dict[str, Any]:
    """A document with a tree of ``n`` nodes, filled breadth first like real trees."""
    rng = random.Random(seed)
    words = _Words(rng)
    count = 0

    def node(level: int, ident: str) -> dict[str, Any]:
        nonlocal count
        count += 1
        name = LEVELS[level]
        kinerja = words.statement(level)
        d: dict[str, Any] = {"id": ident, "level": name, "kinerja": kinerja,
                             "indikator": words.indicators(level, kinerja)}
        if rng.random() < 0.97:
            d["pemetaan"] = {"komponen": KOMPONEN[name], "pemilik": PEMILIK[name]}
        return d

    root = node(0, "0")
    frontier = [(root, 0)]
    csf = 0
    while frontier and count < n:
        nxt = []
        for parent, level in frontier:
            if level >= 4 or (level > 0 and rng.random() < 0.02):  # a few branches end early
                continue
            lo, hi = FANOUT[level]
            kids = []
            for k in range(rng.randint(lo, hi)):
                if count >= n:
                    break
                ident = f"{k + 1}" if level == 0 else f"{parent['id']}.{k + 1}"
                kids.append(node(level + 1, ident))
            if level == 0:
                csf = len(kids)
            if kids:
                parent["anak"] = kids
                nxt.extend((k, level + 1) for k in kids)
        frontier = nxt
        if not nxt and count < n:  # the tree is full at depth 4: start another CSF under the root
            csf += 1
            extra = node(1, str(csf))
            root.setdefault("anak", []).append(extra)
            frontier = [(extra, 1)]
    return {"versi": 1, "instansi": "Badan Kesatuan Bangsa dan Politik", "pemda": "Kabupaten Balangan",
            "periode": "2021-2026", "tahun": 2026, "pohon": root}


TABLE_HEADER = ["No", "Level", "Kinerja", "Indikator Kinerja", "Satuan", "Target 2026", "Komponen", "PK"]


def table_rows(doc: dict[str, Any]) -> list[list[Any]]:
    """One row per (node, indicator) in pre-order, the seed's table layout."""
    rows: list[list[Any]] = []
    stack = [doc["pohon"]]
    while stack:
        node = stack.pop()
        pem = node.get("pemetaan", {})
        inds = node.get("indikator") or [{}]
        for k, ind in enumerate(inds):
            first = k == 0
            rows.append([node["id"], node["level"], node["kinerja"], ind.get("nama", ""), ind.get("satuan", ""),
                         ind.get("target", ""), pem.get("komponen", "") if first else "",
                         pem.get("pemilik", "") if first else ""])
        stack.extend(reversed(node.get("anak", [])))
    return rows


def write(doc: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    ext = out.suffix.lower()
    if ext in (".yaml", ".yml"):
        from ruamel.yaml import YAML

        yaml = YAML(typ="safe", pure=False)
        yaml.default_flow_style = False
        with out.open("w", encoding="utf-8") as fh:
            yaml.dump(doc, fh)
    elif ext == ".json":
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    elif ext in (".tsv", ".csv"):
        with out.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="\t" if ext == ".tsv" else ",", lineterminator="\n")
            w.writerow(TABLE_HEADER)
            w.writerows(table_rows(doc))
    elif ext == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Pohon")
        ws.append(TABLE_HEADER)
        for row in table_rows(doc):
            ws.append(row)
        wb.save(out)
    else:
        raise SystemExit(f"unknown form: {out.suffix} (yaml, json, tsv, csv, xlsx)")
