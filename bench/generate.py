"""Synthetic pohon kinerja trees for benchmarks: ``python bench/generate.py 10000 out.tsv``.

By default the realistic tree of :mod:`realistic` in any form; the uniform tree below with ``--plain``.

The trees are shaped like real ones (outcome -> CSF -> L2 -> L3 -> L4, 2-5 children,
1-2 indicators each) with varied Indonesian statements, and a few percent of the typical
mistakes (active verbs, activity nouns, Jumlah at upper levels, duplicates, typos) so
that the rules have findings to report.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

CONDITIONS = ["Meningkatnya", "Terwujudnya", "Terlaksananya", "Tersusunnya", "Terselenggaranya",
              "Tersedianya", "Terpenuhinya", "Terfasilitasinya", "Terbinanya", "Terpantaunya"]
DOWN = ["Menurunnya", "Berkurangnya", "Terkendalinya"]
NEGATIVE = ["angka kriminalitas", "kasus konflik sosial", "angka putus sekolah", "prevalensi stunting",
            "kasus penyalahgunaan narkotika", "angka kecelakaan lalu lintas"]
BAD_STARTS = ["Meningkatkan", "Melaksanakan", "Pelaksanaan", "Fasilitasi", "Koordinasi", "Penyusunan"]
OBJECTS = ["kewaspadaan dini", "kerukunan umat beragama", "partisipasi pemilih", "kapasitas ormas", "wawasan kebangsaan",
           "ketahanan ekonomi", "penanganan konflik sosial", "pendidikan politik", "pembauran kebangsaan",
           "pencegahan penyalahgunaan narkotika", "pelayanan kesehatan dasar", "cakupan imunisasi", "mutu pendidikan",
           "kualitas jalan kabupaten", "ketersediaan air bersih", "penanggulangan bencana", "kepatuhan pajak daerah",
           "akurasi data kependudukan", "ketertiban umum", "perlindungan perempuan dan anak"]
PLACES = ["di desa", "di kecamatan", "di daerah", "tingkat kabupaten", "pada sekolah dasar", "pada fasilitas umum",
          "di wilayah perbatasan", "pada kelompok rentan", "di kawasan perkotaan", "di kawasan perdesaan"]
QUALIFIERS = ["berbasis data", "tepat waktu", "bagi penduduk miskin", "bagi penyandang disabilitas",
              "berbasis masyarakat", "bagi generasi muda", "di wilayah terpencil", "bagi pelaku usaha"]
OUTCOME_HEADS = ["Persentase", "Indeks", "Angka", "Rasio", "Tingkat", "Cakupan"]
UNITS = {"Persentase": "%", "Indeks": "indeks", "Angka": "kasus", "Rasio": "rasio", "Tingkat": "%", "Cakupan": "%"}
COUNT_NOUNS = ["orang", "dokumen", "laporan", "kegiatan", "desa", "lembaga"]
FANOUT = {0: (4, 6), 1: (3, 5), 2: (3, 5), 3: (2, 4)}
LEVELS = ["outcome", "csf", "antara_utama", "antara", "operasional"]


def statement(rng: random.Random, serial: int) -> str:
    if rng.random() < 0.15:  # a negative phenomenon goes down
        start, obj = rng.choice(DOWN), rng.choice(NEGATIVE)
    else:
        start, obj = rng.choice(CONDITIONS), rng.choice(OBJECTS)
    if rng.random() < 0.03:
        start = rng.choice(BAD_STARTS)
    text = f"{start} {obj} {rng.choice(PLACES)} {rng.choice(QUALIFIERS)} wilayah {serial}"
    if rng.random() < 0.01:
        text = text.replace("penyalahgunaan", "penyalagunaan").replace("kerukunan", "kerukunnan")
    return text


def indicators(rng: random.Random, level: int, kinerja: str) -> list[dict[str, Any]]:
    out = []
    obj = " ".join(kinerja.split()[1:])  # the whole object: each condition has its own measure
    heads = rng.sample(OUTCOME_HEADS, 2)
    nouns = rng.sample(COUNT_NOUNS, 2)
    for k in range(rng.choice((1, 1, 2))):
        if level == 4 or (level < 3 and rng.random() < 0.03):
            noun = nouns[k]
            out.append({"nama": f"Jumlah {noun} {obj}", "satuan": noun, "target": rng.randint(1, 60)})
        else:
            head = heads[k]
            out.append({"nama": f"{head} {obj}", "satuan": UNITS[head], "target": rng.randint(50, 100)})
    return out


def generate(n: int, seed: int = 89) -> dict[str, Any]:
    rng = random.Random(seed)
    count = 0

    def node(level: int) -> dict[str, Any]:
        nonlocal count
        count += 1
        kinerja = statement(rng, count)
        d: dict[str, Any] = {"level": LEVELS[level], "kinerja": kinerja, "indikator": indicators(rng, level, kinerja)}
        return d

    root = node(0)
    frontier = [(root, 0)]
    while frontier and count < n:
        nxt = []
        for parent, level in frontier:
            if level >= 4:
                continue
            lo, hi = FANOUT[level]
            kids = [node(level + 1) for _ in range(rng.randint(lo, hi)) if count < n]
            if kids:
                parent["anak"] = kids
                nxt.extend((k, level + 1) for k in kids)
        frontier = nxt
        if not nxt:  # the tree is full at depth 4: start another CSF under the root
            csf = node(1)
            root.setdefault("anak", []).append(csf)
            frontier = [(csf, 1)]
    return {"instansi": "Dinas Sintetis", "pemda": "Kabupaten Contoh", "tahun": 2026, "pohon": root}


def main() -> None:
    """``generate.py N FILE [--plain]``: a realistic tree (bench/realistic.py) in FILE's form
    (yaml, json, tsv, csv, xlsx); ``--plain`` writes the older uniform tree above (JSON or YAML),
    the one the service load test rewrites per request."""
    args = [a for a in sys.argv[1:] if a != "--plain"]
    n, out = int(args[0]), Path(args[1])
    if "--plain" not in sys.argv[1:]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from realistic import realistic, write

        write(realistic(n), out)
        return
    doc = generate(n)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix in (".yaml", ".yml"):
        from ruamel.yaml import YAML

        yaml = YAML(typ="safe", pure=False)
        yaml.default_flow_style = False
        with out.open("w", encoding="utf-8") as fh:
            yaml.dump(doc, fh)
    else:
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
