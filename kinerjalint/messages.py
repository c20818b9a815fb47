"""The message catalog: every sentence the command line says, in Indonesian and English.

A message is a key with arguments (:class:`Message`); it is put into words only when it
is shown, in the language the user asked for, so that one error reads the same in both
languages and nothing is said in a third one. The words of the libraries underneath
(pydantic, ruamel.yaml, the json module, argparse) are translated here too: a user of
``--lang id`` never reads "Input should be", "found unexpected end of stream" or
"the following arguments are required".

The rules' own messages are not here: they are data in ``rules/*.rules`` with an ``id``
and an ``en`` text each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kinerjalint.bilingual import Said

LANGS = ("id", "en")

# key -> (Indonesian, English); ``{name}`` fields are filled from the message's arguments.
CATALOG: dict[str, tuple[str, str]] = {
    # command line
    "cli.unknown_rules": ("aturan tidak dikenal: {codes} (lihat 'kinerjalint rules')",
                          "unknown rule(s): {codes} (see 'kinerjalint rules')"),
    "cli.annotate_folder": ("--annotate dengan banyak berkas atau folder memerlukan folder yang sudah ada, bukan '{out}'",
                            "--annotate with several files or a folder needs an existing folder, not '{out}'"),
    "cli.no_trees": ("tidak ada berkas pohon kinerja (YAML, JSON, TSV, CSV, XLSX, lembar kerja DOCX/TXT) di {paths}",
                     "no performance tree files (YAML, JSON, TSV, CSV, XLSX, DOCX/TXT worksheet) in {paths}"),
    "cli.skipped": ("catatan: {path} dilewati: {why}",
                    "note: {path} skipped: {why}"),
    "cli.skip_no_tree_key": ("tidak ada kunci 'pohon'", "it has no 'pohon' key"),
    "cli.skip_no_table": ("tidak ada baris judul kolom pohon: perlu {hint}", "it has no tree header row: it needs {hint}"),
    "cli.skip_not_supported": ("bukan format yang dibaca (YAML, JSON, TSV, CSV, XLSX, lembar kerja DOCX/TXT)",
                               "not a format kinerjalint reads (YAML, JSON, TSV, CSV, XLSX, DOCX/TXT worksheet)"),
    "cli.skip_no_worksheet": ("tidak ada judul Tahap 1-5 lembar kerja pohon kinerja",
                              "it has no Tahap 1-5 headings of a performance tree worksheet"),
    "cli.skip_config": ("berkas konfigurasi", "a configuration file"),
    "cli.baseline_written": ("baseline: {n} ditulis ke {path}", "baseline: {n} written to {path}"),
    "cli.annotated": ("anotasi: {source} -> {target} ({cells} sel ditandai)",
                      "annotation: {source} -> {target} ({cells} cells marked)"),
    "cli.annotated_docx": ("anotasi: {source} -> {target} ({cells} paragraf/sel diberi komentar)",
                           "annotation: {source} -> {target} ({cells} paragraphs/cells commented)"),
    "cli.annotate_skipped": ("anotasi dilewati: {why}", "annotation skipped: {why}"),
    "cli.converted": ("{source} -> {target}: {nodes}, {indicators}", "{source} -> {target}: {nodes}, {indicators}"),
    "cli.convert_left_out": ("catatan: {fmt} hanya memuat pohon dan indikatornya; tidak ikut: {parts} "
                             "(gunakan YAML, JSON atau XLSX untuk isi lengkap)",
                             "note: {fmt} holds only the tree and its indicators; left out: {parts} "
                             "(use YAML, JSON or XLSX to keep everything)"),
    "cli.stdout_failed": ("keluaran standar tidak dapat ditulis: {why}", "standard output cannot be written: {why}"),
    "output.no_folder": ("'{path}' tidak dapat ditulis: folder '{folder}' tidak ada",
                         "'{path}' cannot be written: the folder '{folder}' does not exist"),
    "cli.output_is_input": ("'{path}' adalah berkas yang diperiksa; tulis keluaran ke berkas lain",
                            "'{path}' is a file being checked; write the output to another file"),
    "cli.pemda_alone": ("catatan: {path} adalah pohon Pemda; cascading dan crosscutting diperiksa bersama pohon OPD-nya: "
                        "kinerjalint check --pemda {path} FOLDER_OPD",
                        "note: {path} is a Pemda tree; cascading and crosscutting are checked with its agencies' trees: "
                        "kinerjalint check --pemda {path} AGENCY_FOLDER"),
    "cli.no_pemda_file": ("berkas Pemda '{path}' tidak ada", "the Pemda file '{path}' does not exist"),
    "cli.pemda_is_opd": ("berkas '{path}' adalah pohon OPD, bukan pohon Pemda: tulis 'jenis: pemda' dan tujuan/sasaran "
                         "di 'pohon'", "'{path}' is an agency (OPD) tree, not a Pemda tree: write 'jenis: pemda' and "
                         "tujuan/sasaran under 'pohon'"),
    "fix.only_yaml": ("{source}: --fix hanya memperbaiki berkas YAML; berkas {kind} ini tidak diubah",
                      "{source}: --fix only fixes YAML files; this {kind} file is not changed"),
    "fix.only_yaml_suggested": ("{source}: --fix hanya memperbaiki berkas YAML; berkas {kind} ini tidak diubah "
                                "({n} saran perbaikan tercantum pada temuannya)",
                                "{source}: --fix only fixes YAML files; this {kind} file is not changed "
                                "({n} suggested fixes are listed with its findings)"),
    "fix.unreadable": ("{source}: tidak diperbaiki karena berkas tidak terbaca utuh (SYS-01/SYS-02)",
                       "{source}: not fixed, the file could not be read whole (SYS-01/SYS-02)"),
    "fix.written": ("{source}: {n} perbaikan ditulis ({codes})", "{source}: {n} fixes written ({codes})"),
    "cli.too_many_outputs": ("lebih banyak --output daripada --format", "more --output than --format options"),
    "cli.no_file": ("berkas '{path}' tidak ada", "file '{path}' does not exist"),
    "cli.nothing_to_report": ("tidak ada berkas pohon kinerja yang dapat dilaporkan", "no performance tree files to report on"),
    "cli.report_written": ("laporan: {n} ({graded} dinilai) -> {target}", "report: {n} ({graded} graded) -> {target}"),
    "cli.explain_what": ("sebutkan kode atau nama aturan (mis. 'kinerjalint explain LNG-02'), --grading atau --functions",
                         "name a rule by code or name (e.g. 'kinerjalint explain LNG-02'), --grading or --functions"),
    "cli.no_such_rule": ("aturan '{code}' tidak ada{hint}", "there is no rule '{code}'{hint}"),
    "cli.did_you_mean": ("; mungkin maksudnya {guess}?", "; did you mean {guess}?"),
    "cli.no_rule_folder": ("folder aturan '{path}' tidak ada", "rule folder '{path}' does not exist"),
    "cli.verify_line": ("{tag} {test} ({where}){detail}", "{tag} {test} ({where}){detail}"),
    "cli.verify_pass": ("LOLOS", "PASS"),
    "cli.verify_fail": ("GAGAL", "FAIL"),
    "cli.verify_no_examples": ("PERINGATAN {code}: aturan tanpa contoh pass/fail", "WARNING {code}: rule without pass/fail examples"),
    "cli.verify_summary": ("{passed} lolos, {failed} gagal", "{passed} passed, {failed} failed"),
    "cli.internal": ("kesalahan internal (bug). Mohon laporkan beserta berkas masukannya.",
                     "internal error (a bug). Please report it with the input file."),
    "cli.usage_hint": ("{message} (lihat '{prog} --help')", "{message} (see '{prog} --help')"),
    "cli.init_written": ("templat {fmt} ditulis ke {path}; isi lalu periksa: kinerjalint check {path}",
                         "{fmt} template written to {path}; fill it in, then check: kinerjalint check {path}"),
    "cli.init_exists": ("'{path}' sudah ada; pakai --force untuk menimpanya",
                        "'{path}' already exists; use --force to overwrite it"),
    "cli.init_format": ("akhiran '{fmt}' pada '{path}' bukan format yang dibaca; beri nama berakhiran .yaml, .xlsx, .tsv, .csv atau .json",
                        "the ending '{fmt}' of '{path}' is not a format kinerjalint reads; name it .yaml, .xlsx, .tsv, .csv or .json"),
    "cli.init_mismatch": ("nama '{path}' tidak berakhiran format {fmt}; beri nama berakhiran .{fmt}",
                          "the name '{path}' does not end in .{fmt}; name it ...{fmt}"),
    "cli.cannot_write": ("'{path}' tidak dapat ditulis: {why}", "'{path}' cannot be written: {why}"),
    "cli.path_missing": ("berkas atau folder '{path}' tidak ada", "file or folder '{path}' does not exist"),
    "cli.explain_group": ("kelompok {group}: {n} aturan; 'kinerjalint explain KODE' untuk satu aturan",
                          "group {group}: {n} rules; 'kinerjalint explain CODE' for one rule"),
    # rule files (the rule language's own errors are for rule writers, in Indonesian)
    "rules.unreadable": ("berkas aturan tidak dapat dibaca: {why}", "the rule file cannot be read: {why}"),
    # annotate
    "annotate.cannot_open": ("{source}: workbook tidak dapat dibuka untuk dianotasi ({kind})",
                             "{source}: the workbook cannot be opened for annotation ({kind})"),
    "annotate.unreadable": ("{source}: berkas tidak terbaca, tidak ada isi untuk dibuat workbook beranotasi; "
                            "perbaiki temuan SYS-01 dulu",
                            "{source}: the file cannot be read, there is nothing to build an annotated workbook from; "
                            "fix the SYS-01 findings first"),
    "annotate.docx_needs_docx": ("--annotate .docx menulis komentar ke lembar kerja Word yang diperiksa; "
                                 "'{name}' bukan .docx: beri nama berakhiran .xlsx",
                                 "--annotate .docx writes comments into the Word worksheet checked; "
                                 "'{name}' is not a .docx: name the output .xlsx"),
    "annotate.not_xlsx": ("--annotate menulis workbook: beri nama berakhiran .xlsx, bukan '{name}'",
                          "--annotate writes a workbook: name it .xlsx, not '{name}'"),
    "annotate.same_file": ("'{path}' adalah berkas yang diperiksa; tulis anotasi ke berkas lain",
                           "'{path}' is the checked file; write the annotation to another file"),
    # convert
    "convert.unsupported": ("format {role} '{ending}' tidak didukung; gunakan .yaml, .json, .tsv, .csv, .xlsx, "
                            "atau lembar kerja Tahap 1-5 .docx/.txt",
                            "the {role} format '{ending}' is not supported; use .yaml, .json, .tsv, .csv, .xlsx, "
                            "or a Tahap 1-5 worksheet .docx/.txt"),
    "convert.unsupported_output": ("format keluaran '{ending}' tidak didukung; convert menulis .yaml, .json, .tsv, "
                                   ".csv atau .xlsx (lembar kerja .docx/.txt hanya dibaca)",
                                   "the output format '{ending}' is not supported; convert writes .yaml, .json, .tsv, "
                                   ".csv or .xlsx (.docx/.txt worksheets are only read)"),
    "convert.unreadable": ("{src}: tidak dikonversi, berkas tidak terbaca utuh: {code} di {where}: {detail}{more}; "
                           "perbaiki dulu (kinerjalint check {src})",
                           "{src}: not converted, the file is not fully readable: {code} at {where}: {detail}{more}; "
                           "fix it first (kinerjalint check {src})"),
    "convert.more": (" (dan {n} masalah lain)", " (and {n} more)"),
    "convert.no_read_back": ("{source}: tidak ditulis: hasil {fmt} tidak terbaca kembali ({detail}); ini bug, mohon laporkan",
                             "{source}: not written: the {fmt} result does not read back ({detail}); a bug, please report it"),
    "convert.changes": ("{source}: tidak ditulis: {fmt} tidak dapat memuat {where} apa adanya ({old} terbaca {new})",
                        "{source}: not written: {fmt} cannot hold {where} as it is ({old} reads back as {new})"),
    "convert.same_file": ("'{path}' adalah berkas masukan itu sendiri; tulis ke berkas lain",
                          "'{path}' is the input file itself; write to another file"),
    "convert.is_folder": ("'{path}' adalah folder; sebutkan nama berkas keluaran", "'{path}' is a folder; name the output file"),
    "convert.no_folder": ("folder '{path}' tidak ada", "the folder '{path}' does not exist"),
    # configuration, waivers, baseline
    "waivers.unreadable": ("berkas pengecualian '{path}' tidak dapat dibaca: {why}",
                           "the waiver file '{path}' cannot be read: {why}"),
    "waivers.not_list": ("{path}: berkas pengecualian harus berisi daftar pengecualian",
                         "{path}: a waiver file must hold a list of waivers"),
    "waivers.bad_item": ("{path}:{line}: pengecualian ke-{n} tidak sah: {why}", "{path}:{line}: waiver {n} is invalid: {why}"),
    "baseline.unreadable": ("baseline '{path}' tidak dapat dibaca: {why}", "the baseline '{path}' cannot be read: {why}"),
    "baseline.not_baseline": ("'{path}' bukan berkas baseline kinerjalint (versi {version})",
                              "'{path}' is not a kinerjalint baseline file (version {version})"),
    "config.unreadable": ("{path}: konfigurasi tidak dapat dibaca: {why}", "{path}: the configuration cannot be read: {why}"),
    "config.pyproject_unreadable": ("{path}: pyproject.toml tidak dapat dibaca: {why}", "{path}: pyproject.toml cannot be read: {why}"),
    "config.not_mapping": ("{path}:1: konfigurasi harus berupa mapping kunci: nilai",
                           "{path}:1: the configuration must be a mapping of key: value"),
    "config.unknown_key": ("{path}:{line}: kunci '{key}' tidak dikenal{hint}", "{path}:{line}: unknown key '{key}'{hint}"),
    "config.did_you_mean": ("; mungkin maksudnya '{guess}'?", "; did you mean '{guess}'?"),
    "config.known_keys": ("; kunci yang dikenal: {keys}", "; known keys: {keys}"),
    "config.bad_value": ("{path}:{line}: {why}", "{path}:{line}: {why}"),
    "config.unknown_rule": ("{path}:{line}: aturan '{code}' di '{key}' tidak dikenal{hint} (lihat 'kinerjalint rules')",
                            "{path}:{line}: unknown rule '{code}' in '{key}'{hint} (see 'kinerjalint rules')"),
    "config.catalog_unreadable": ("katalog nomenklatur '{path}' tidak dapat dibaca: {why}",
                                  "the nomenclature catalog '{path}' cannot be read: {why}"),
    "config.catalog_row": ("{path}:{line}: baris katalog perlu dua kolom: kode,nama",
                           "{path}:{line}: a catalog row needs two columns: kode,nama"),
    # tables (loaders/tables.py): the header hint names headers the loader accepts
    "table.no_header": ("baris judul kolom tidak ditemukan pada {rows} baris pertama (diharapkan {expected})",
                        "no header row in the first {rows} rows (expected {expected})"),
    "table.missing": ("kolom {names} tidak ditemukan; kolom yang ada: {found}; nama yang diterima: {accepted}",
                      "column {names} not found; columns present: {found}; accepted names: {accepted}"),
    "word.and": (" dan ", " and "),
    "word.none": ("(tidak ada)", "(none)"),
    "word.or": (" atau ", " or "),
}


@dataclass(frozen=True)
class Message:
    """A catalog key and its arguments; arguments may be messages themselves."""

    key: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str = "id") -> str:
        return text(self.key, lang, **self.args)

    def __str__(self) -> str:
        return self.render("id")


def text(key: str, lang: str = "id", /, **args: Any) -> str:
    """The catalog text of ``key`` in ``lang`` (Indonesian unless 'en'), with its fields filled."""
    id_text, en_text = CATALOG[key]
    template = en_text if lang == "en" else id_text
    return template.format(**{k: _word(v, lang) for k, v in args.items()})


def _word(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, Said):
        return value.en if lang == "en" else str(value)
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return value[1] if lang == "en" else value[0]  # an (id, en) pair
    return value


_IRREGULAR = {"info": "info", "berkas": "berkas"}


def plural(n: int, word: str, lang: str = "id") -> str:
    """'1 file', '6 errors', '0 warnings' in English; Indonesian nouns take no plural ('6 galat')."""
    if lang == "en" and n != 1:
        word = _IRREGULAR.get(word, word if word.endswith("s") else word + "s")
    return f"{n} {word}"


def counted(n: int, id_word: str, en_word: str) -> tuple[str, str]:
    """A count as an (Indonesian, English) argument: '3 temuan' / '3 findings', '1 finding'."""
    return plural(n, id_word, "id"), plural(n, en_word, "en")


def pick_lang(argv: list[str] | tuple[str, ...]) -> str:
    """The language a command line asks for, read before it is parsed (for its errors)."""
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "id"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "id"
    return "id"


# --- the words of the libraries underneath -------------------------------------------------------

# argparse writes its messages through gettext; these are its texts (Python 3.11-3.13) in Indonesian.
ARGPARSE_ID: dict[str, str] = {
    "usage: ": "pemakaian: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak sah: %(value)r (pilih dari %(choices)s)",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "paling sedikit satu nilai",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "ignored explicit argument %r": "argumen eksplisit %r diabaikan",
    "unexpected option string: %s": "opsi tak terduga: %s",
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]|%[sr]")


def _argparse_patterns() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for en, id_ in ARGPARSE_ID.items():
        if "%" not in en:
            continue
        names: list[str] = []
        regex, last = "^", 0
        for m in _PLACEHOLDER.finditer(en):
            names.append(m.group(1) or f"p{len(names)}")
            regex += re.escape(en[last:m.start()]) + f"(?P<{names[-1]}>.+?)"
            last = m.end()
        regex += re.escape(en[last:]) + "$"
        # The Indonesian template with the same placeholders, in order, as format fields.
        order = iter(names)
        id_fmt = _PLACEHOLDER.sub(lambda m: "{" + (m.group(1) or next(order)) + "}",
                                  id_.replace("{", "{{").replace("}", "}}"))
        out.append((re.compile(regex, re.DOTALL), id_fmt))
    return out


_ARGPARSE = _argparse_patterns()


def argparse_text(message: str, lang: str) -> str:
    """An argparse message in ``lang``: English as argparse says it, else Indonesian."""
    if lang == "en":
        return message
    if message in ARGPARSE_ID:
        return ARGPARSE_ID[message]
    for pattern, id_fmt in _ARGPARSE:
        m = pattern.match(message)
        if m:
            # Nested messages ("argument --lang: invalid choice: ...") are translated inside out.
            return id_fmt.format(**{k: argparse_text(v, lang) for k, v in m.groupdict().items()})
    return message


# The command line's help texts are written in Indonesian in cli.py; their English here.
HELP_EN: dict[str, str] = {
    "Pemeriksa pohon kinerja (PermenPANRB 89/2021).": "Checker of performance trees (PermenPANRB 89/2021).",
    "tampilkan versi": "show the version",
    "periksa berkas atau folder pohon kinerja": "check performance tree files or folders",
    "text (bawaan), json, sarif, junit, github, markdown; boleh berulang":
        "text (default), json, sarif, junit, github, markdown; may be repeated",
    "berkas untuk --format yang sepadan (urutan sama); tanpa ini ke layar":
        "file for the matching --format (same order); without it, to the screen",
    "bahasa pesan (bawaan: konfigurasi, atau id)": "language of the messages (default: configuration, or id)",
    "hanya aturan ini (kode, awalan grup, atau nama)": "only these rules (code, group prefix or name)",
    "abaikan aturan ini (kode, awalan grup, atau nama)": "ignore these rules (code, group prefix or name)",
    "folder aturan tambahan": "an extra rule folder",
    "batas kode keluar 1 (bawaan: dari konfigurasi, atau error)": "threshold of exit code 1 (default: configuration, or error)",
    "tampilkan jalur pohon tiap temuan": "show the tree path of each finding",
    "berkas konfigurasi (bawaan: kinerjalint.yaml terdekat)": "configuration file (default: the nearest kinerjalint.yaml)",
    "abaikan berkas konfigurasi": "ignore configuration files",
    "berkas baseline: temuan yang sudah diterima tidak dihitung": "baseline file: findings accepted already are not counted",
    "tulis temuan aktif sebagai baseline": "write the active findings as a baseline",
    "berkas pengecualian (YAML) untuk format tanpa komentar": "waiver file (YAML) for formats without comments",
    "terapkan perbaikan aman ke berkas YAML (komentar tetap)": "apply the safe fixes to YAML files (comments kept)",
    "tampilkan perbaikan aman sebagai diff tanpa menulis": "show the safe fixes as a diff without writing",
    "lewati berkas YAML/JSON tanpa kunci 'pohon' dan tabel tanpa kolom pohon (untuk pre-commit)":
        "skip YAML/JSON files without a 'pohon' key and tables without tree columns (for pre-commit)",
    "tulis salinan workbook (.xlsx) dengan sel bermasalah diwarnai dan diberi komentar, plus lembar ringkasan; "
    "lembar kerja Word: OUT.docx, salinan dokumen dengan komentar Word dan tabel ringkasan di akhir; "
    "banyak berkas: OUT sebuah folder": "write a copy of the workbook (.xlsx) with problem cells coloured and commented, "
                                         "plus a summary sheet; a Word worksheet: OUT.docx, a copy of the document "
                                         "with Word comments and a summary table at the end; several files: OUT is a folder",
    "ubah format pohon kinerja: YAML, JSON, TSV, CSV, XLSX (dari ekstensi); lembar kerja DOCX/TXT hanya sebagai masukan":
        "convert a performance tree between YAML, JSON, TSV, CSV, XLSX (by extension); DOCX/TXT worksheets as input only",
    "bahasa pesan": "language of the messages",
    "tulis templat pohon kinerja kosong dengan satu contoh per level":
        "write a template of an empty performance tree with one example per level",
    "berkas baru; formatnya dari akhiran (.yaml, .xlsx, .tsv, .csv, .json)":
        "the new file; its format from its ending (.yaml, .xlsx, .tsv, .csv, .json)",
    "format (bawaan: dari akhiran FILE; tanpa akhiran: .yaml ditambahkan)":
        "format (default: from the ending of FILE; without one, .yaml is added)",
    "timpa berkas yang sudah ada": "overwrite an existing file",
    "laporan inspektorat (HTML/Markdown) atas banyak pohon kinerja":
        "inspectorate report (HTML/Markdown) over many performance trees",
    "berkas atau folder (YAML, JSON, TSV, CSV, XLSX)": "files or folders (YAML, JSON, TSV, CSV, XLSX)",
    "berkas laporan (bawaan: laporan.html atau laporan.md)": "report file (default: laporan.html or laporan.md)",
    "judul laporan": "report title",
    "bandingkan temuan dua versi pohon (format apa pun)": "compare the findings of two versions of a tree (any format)",
    "daftar aturan yang dimuat": "list the loaded rules",
    "dokumentasi satu aturan beserta contohnya, atau rumus nilai": "one rule's documentation with its examples, or the grading formula",
    "rumus penilaian dan predikat": "the grading formula and predikat",
    "daftar fungsi DSL menurut ranah, dengan tanda tangannya": "the DSL functions by domain, with their signatures",
    "kolom tabel TSV/CSV/XLSX dan nama-nama yang diterima": "the TSV/CSV/XLSX table columns and the headers accepted",
    "JSON Schema berkas pohon kinerja (atau format keluaran JSON)": "JSON Schema of the tree file (or of the JSON output)",
    "skema dokumen temuan JSON, bukan berkas pohon": "the schema of the JSON findings document, not of the tree file",
    "jalankan contoh pass/fail setiap aturan": "run every rule's pass/fail examples",
    "folder aturan sendiri (bawaan: aturan kinerjalint)": "your own rule folders (default: kinerjalint's rules)",
    "tampilkan juga contoh yang lolos": "show the passing examples too",
    "jalankan layanan HTTP: API /v1, halaman web /ui (perlu kinerjalint[service])":
        "run the HTTP service: API /v1, web page /ui (needs kinerjalint[service])",
    "banyak proses server (loop acara uvicorn); satu sudah cukup untuk satu mesin":
        "number of server processes (uvicorn event loops); one is enough for one machine",
    "banyak proses pemeriksa per proses server (bawaan: satu per inti CPU)":
        "number of checker processes per server process (default: one per CPU core)",
    "buat, daftar, atau cabut token API layanan": "create, list or revoke API tokens of the service",
    "id token yang dicabut (revoke)": "id of the token to revoke",
    "instansi token opd": "agency of an opd token",
    "catatan, mis. nama pemegang token": "a note, e.g. the holder's name",
    "folder data (bawaan: $KINERJALINT_DATA atau ./kinerjalint-data)": "data folder (default: $KINERJALINT_DATA or ./kinerjalint-data)",
    "mis. postgresql://... (bawaan: SQLite di folder data)": "e.g. postgresql://... (default: SQLite in the data folder)",
}


def help_text(message: str, lang: str) -> str:
    """A help text of the command line in ``lang`` (cli.py writes them in Indonesian)."""
    return HELP_EN.get(message, message) if lang == "en" else argparse_text(message, lang)


# pydantic error types -> (Indonesian, English); {field}, {value} and the error's context fill them.
PYDANTIC: dict[str, tuple[str, str]] = {
    "missing": ("kunci wajib '{field}' tidak ada", "required key '{field}' is missing"),
    "string_type": ("nilai '{field}' harus teks, bukan {kind}", "'{field}' must be text, not {kind}"),
    "list_type": ("nilai '{field}' harus daftar (- butir), bukan {kind}", "'{field}' must be a list (- items), not {kind}"),
    "dict_type": ("nilai '{field}' harus mapping kunci: nilai, bukan {kind}",
                  "'{field}' must be a mapping of key: value, not {kind}"),
    "model_type": ("nilai '{field}' harus mapping kunci: nilai, bukan {kind}",
                   "'{field}' must be a mapping of key: value, not {kind}"),
    "model_attributes_type": ("nilai '{field}' harus mapping kunci: nilai, bukan {kind}",
                              "'{field}' must be a mapping of key: value, not {kind}"),
    "float_parsing": ("nilai '{field}' harus angka, bukan '{value}'", "'{field}' must be a number, not '{value}'"),
    "float_type": ("nilai '{field}' harus angka, bukan '{value}'", "'{field}' must be a number, not '{value}'"),
    "int_parsing": ("nilai '{field}' harus bilangan bulat, bukan '{value}'", "'{field}' must be a whole number, not '{value}'"),
    "int_type": ("nilai '{field}' harus bilangan bulat, bukan '{value}'", "'{field}' must be a whole number, not '{value}'"),
    "int_from_float": ("nilai '{field}' harus bilangan bulat, bukan '{value}'", "'{field}' must be a whole number, not '{value}'"),
    "bool_parsing": ("nilai '{field}' harus ya/tidak (true/false), bukan '{value}'",
                     "'{field}' must be yes/no (true/false), not '{value}'"),
    "bool_type": ("nilai '{field}' harus ya/tidak (true/false), bukan '{value}'",
                  "'{field}' must be yes/no (true/false), not '{value}'"),
    "literal_error": ("nilai '{field}' harus salah satu dari {expected}, bukan '{value}'",
                      "'{field}' must be one of {expected}, not '{value}'"),
    "enum": ("nilai '{field}' harus salah satu dari {expected}, bukan '{value}'",
             "'{field}' must be one of {expected}, not '{value}'"),
    "date_parsing": ("nilai '{field}' harus tanggal TTTT-BB-HH, bukan '{value}'", "'{field}' must be a date YYYY-MM-DD, not '{value}'"),
    "date_from_datetime_parsing": ("nilai '{field}' harus tanggal TTTT-BB-HH, bukan '{value}'",
                                   "'{field}' must be a date YYYY-MM-DD, not '{value}'"),
    "date_type": ("nilai '{field}' harus tanggal TTTT-BB-HH, bukan '{value}'", "'{field}' must be a date YYYY-MM-DD, not '{value}'"),
    "too_short": ("nilai '{field}' terlalu pendek (paling sedikit {min_length})", "'{field}' is too short (at least {min_length})"),
    "too_long": ("nilai '{field}' terlalu panjang (paling banyak {max_length})", "'{field}' is too long (at most {max_length})"),
    "string_too_short": ("nilai '{field}' terlalu pendek (paling sedikit {min_length} huruf)",
                         "'{field}' is too short (at least {min_length} characters)"),
    "greater_than_equal": ("nilai '{field}' harus paling sedikit {ge}", "'{field}' must be at least {ge}"),
    "greater_than": ("nilai '{field}' harus lebih dari {gt}", "'{field}' must be more than {gt}"),
    "less_than_equal": ("nilai '{field}' harus paling banyak {le}", "'{field}' must be at most {le}"),
    "union_tag_invalid": ("nilai '{field}' tidak sesuai bentuk mana pun yang diterima", "'{field}' fits none of the accepted forms"),
    # kinerjalint's own validators (model.py raises these types)
    "level_unknown": ("level '{value}' tidak dikenal; gunakan outcome, csf, antara_utama, antara, operasional "
                      "atau salah satu alias (mis. 'Sasaran Program', 'kinerja operasional')",
                      "unknown level '{value}'; use outcome, csf, antara_utama, antara, operasional "
                      "or one of their aliases (e.g. 'Sasaran Program', 'kinerja operasional')"),
    "level_ambiguous": ("level '{value}' tidak menyebut level yang mana (kondisi antara utama, kondisi antara, "
                        "atau kondisi operasional)",
                        "level '{value}' does not say which level (kondisi antara utama, kondisi antara "
                        "or kondisi operasional)"),
}
_KIND = {dict: ("mapping", "a mapping"), list: ("daftar", "a list"), str: ("teks", "text"), bool: ("ya/tidak", "yes/no"),
         int: ("angka", "a number"), float: ("angka", "a number"), type(None): ("kosong", "empty")}


def pydantic_text(err: Mapping[str, Any], field_name: str) -> tuple[str, str]:
    """One pydantic error in plain words, (Indonesian, English); never pydantic's own English."""
    kind = str(err.get("type", ""))
    value = err.get("input")
    ctx = dict(err.get("ctx") or {})
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
    kinds = _KIND.get(type(value), ("nilai lain", "something else"))
    shown = value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else value
    fields = {"field": field_name, "value": shown, **ctx}
    pair = PYDANTIC.get(kind)
    if pair is None:
        return (f"nilai '{field_name}' tidak sesuai format", f"'{field_name}' does not fit the format")
    try:
        return (pair[0].format(kind=kinds[0], **fields), pair[1].format(kind=kinds[1], **fields))
    except (KeyError, IndexError):
        return (f"nilai '{field_name}' tidak sesuai format", f"'{field_name}' does not fit the format")


# ruamel.yaml's problem and context texts -> plain words. Looked up by the problem text first
# ("found unexpected end of stream" means different things inside a quote or a [list]).
YAML_PROBLEMS: list[tuple[str, str, str, str]] = [
    # (context contains, problem contains, Indonesian, English)
    ("quoted scalar", "end of stream", "tanda kutip yang dibuka di sini tidak pernah ditutup",
     "the quote opened here is never closed"),
    ("quoted scalar", "escape", "karakter escape (\\) tidak sah di dalam teks berkutip ganda",
     "invalid escape character (\\) inside double-quoted text"),
    ("quoted scalar", "document separator", "tanda kutip yang dibuka di sini tidak ditutup sebelum '---'",
     "the quote opened here is not closed before '---'"),
    ("simple key", "':'", "baris ini bukan pasangan 'kunci: nilai' (titik dua tidak ditemukan)",
     "this line is not a 'key: value' pair (no colon found)"),
    ("", "mapping values are not allowed", "titik dua ':' tidak boleh di sini; beri tanda kutip pada nilai yang memuat ': '",
     "a colon ':' is not allowed here; quote a value that holds ': '"),
    ("flow sequence", "", "daftar [ ... ] yang dibuka di sini tidak ditutup dengan ']' atau kurang koma",
     "the list [ ... ] opened here is not closed with ']' or lacks a comma"),
    ("flow mapping", "", "mapping { ... } yang dibuka di sini tidak ditutup dengan '}' atau kurang koma",
     "the mapping { ... } opened here is not closed with '}' or lacks a comma"),
    ("", "undefined alias", "alias YAML (*nama) dipakai sebelum jangkarnya (&nama) ditetapkan",
     "a YAML alias (*name) is used before its anchor (&name) is set"),
    ("", "'\\t'", "karakter tab tidak boleh untuk indentasi YAML; pakai spasi",
     "a tab cannot indent YAML; use spaces"),
    ("block mapping", "did not find expected key", "baris ini tidak sejajar dengan kunci di atasnya, atau ada teks "
     "setelah nilai bertanda kutip", "this line does not line up with the keys above it, or text follows a quoted value"),
    ("block sequence", "did not find expected '-'", "butir '- ' ini tidak sejajar dengan butir di atasnya",
     "this '- ' item does not line up with the items above it"),
    ("", "cannot start any token", "karakter ini tidak boleh mengawali nilai YAML; beri tanda kutip pada nilainya",
     "this character cannot start a YAML value; quote the value"),
    ("block mapping", "expected <block end>", "indentasi tidak konsisten: baris ini tidak sejajar dengan kunci di atasnya",
     "inconsistent indentation: this line does not line up with the keys above it"),
    ("block sequence", "expected <block end>", "indentasi tidak konsisten: butir '- ' ini tidak sejajar dengan butir di atasnya",
     "inconsistent indentation: this '- ' item does not line up with the items above it"),
    ("block collection", "", "indentasi tidak konsisten di sini", "inconsistent indentation here"),
    ("", "duplicate anchor", "jangkar YAML (&nama) ditetapkan dua kali", "a YAML anchor (&name) is set twice"),
    ("block scalar", "", "teks blok (| atau >) tidak sah di sini", "invalid block text (| or >) here"),
    ("", "expected <document start>", "isi tambahan setelah akhir dokumen YAML", "extra content after the end of the YAML document"),
    ("", "expected a comment or a line break", "ada teks setelah nilai pada baris yang sama; beri tanda kutip pada seluruh nilai",
     "there is text after the value on the same line; quote the whole value"),
]


def yaml_text(context: str | None, problem: str | None, char: str = "") -> tuple[str, str, bool]:
    """(Indonesian, English, point at the context mark) for a ruamel.yaml syntax error.

    ruamel marks the *problem* where it gave up, which for an unclosed quote or bracket is the
    end of the file; the *context* mark is the opening quote or bracket a person must fix.
    ``char`` is the character at the problem mark (its C parser does not name a tab)."""
    c, p = (context or "").lower(), (problem or "").lower()
    if char == "\t":
        p += " '\\t'"
    for ctx_has, prob_has, id_, en in YAML_PROBLEMS:
        if ctx_has in c and prob_has.lower() in p:
            # The messages that say "opened here" point at the opening quote or bracket.
            at_context = bool(context) and "opened here" in en
            return id_, en, at_context
    return "sintaks YAML tidak sah di sini", "invalid YAML syntax here", False


# json.JSONDecodeError.msg texts -> plain words.
JSON_PROBLEMS: dict[str, tuple[str, str]] = {
    "Expecting value": ("nilai diharapkan di sini (koma berlebih, atau teks tanpa tanda kutip ganda?)",
                        "a value is expected here (an extra comma, or text without double quotes?)"),
    "Expecting ',' delimiter": ("koma ',' diharapkan di sini", "a comma ',' is expected here"),
    "Expecting ':' delimiter": ("titik dua ':' diharapkan di sini", "a colon ':' is expected here"),
    "Expecting property name enclosed in double quotes": (
        "nama kunci bertanda kutip ganda diharapkan di sini (koma berlebih sebelum '}'?)",
        "a key in double quotes is expected here (an extra comma before '}'?)"),
    "Unterminated string starting at": ("tanda kutip yang dibuka di sini tidak pernah ditutup",
                                        "the quote opened here is never closed"),
    "Extra data": ("isi tambahan setelah akhir dokumen JSON", "extra content after the end of the JSON document"),
    "Invalid control character at": ("karakter kendali (mis. baris baru) di dalam teks; tulis \\n",
                                     "a control character (e.g. a line break) inside text; write \\n"),
    "Invalid \\escape": ("karakter escape (\\) tidak sah", "invalid escape character (\\)"),
}


def json_text(msg: str) -> tuple[str, str]:
    for start, pair in JSON_PROBLEMS.items():
        if msg.startswith(start):
            return pair
    return "JSON tidak sah di sini", "invalid JSON here"


def reason(exc: BaseException) -> tuple[str, str]:
    """Why a file could not be read, (Indonesian, English), from the exception that said so."""
    if isinstance(exc, FileNotFoundError):
        return "berkas tidak ada", "the file does not exist"
    if isinstance(exc, IsADirectoryError):
        return "ini folder, bukan berkas", "it is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "tidak ada izin membacanya", "permission denied"
    if isinstance(exc, UnicodeDecodeError):
        return "berkas bukan teks UTF-8", "the file is not UTF-8 text"
    if hasattr(exc, "problem") and hasattr(exc, "problem_mark"):  # ruamel.yaml's MarkedYAMLError
        id_, en, at_context = yaml_text(getattr(exc, "context", None), exc.problem)
        mark = getattr(exc, "context_mark", None) if at_context else None
        mark = mark or exc.problem_mark
        where = f" ({mark.line + 1}:{mark.column + 1})" if mark is not None else ""
        return id_ + where, en + where
    if hasattr(exc, "msg") and hasattr(exc, "lineno") and hasattr(exc, "colno"):  # json.JSONDecodeError
        id_, en = json_text(str(exc.msg))
        where = f" ({exc.lineno}:{exc.colno})"
        return id_ + where, en + where
    if isinstance(exc, OSError):
        return f"tidak dapat dibuka ({exc.strerror or exc})", f"cannot be opened ({exc.strerror or exc})"
    return str(exc), str(exc)
