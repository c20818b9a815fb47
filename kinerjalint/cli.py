"""Command line: a thin shell over :mod:`kinerjalint.api`.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 a usage,
configuration or rule-file error (one clear message); 3 an internal bug.
"""

from __future__ import annotations

import argparse
import functools
import errno
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kinerjalint.errors import KinerjalintError, UsageError
from kinerjalint.messages import Message, argparse_text, counted, help_text, pick_lang, text
from kinerjalint.reporters import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter with the word before the usage line in the user's language."""

    def __init__(self, prog: str, usage: str) -> None:
        super().__init__(prog)
        self.usage_word = usage

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self.usage_word if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse speaking the user's language: its own words (usage, errors) through the catalog."""

    def __init__(self, *args: Any, lang: str = "id", **kwargs: Any) -> None:
        self.lang = lang
        super().__init__(*args, **kwargs)
        for group in (self._positionals, self._optionals):
            group.title = argparse_text(group.title or "", lang)

    def translate(self) -> None:
        """Every help text in the parser's language (they are written in Indonesian below)."""
        if self.description:
            self.description = help_text(self.description, self.lang)
        for action in self._actions:
            if action.help:
                action.help = help_text(action.help, self.lang)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    choice.help = help_text(choice.help or "", self.lang)
                for sub in action.choices.values():
                    if isinstance(sub, _Parser):
                        sub.translate()

    def _get_formatter(self) -> argparse.HelpFormatter:
        return _Formatter(prog=self.prog, usage=argparse_text("usage: ", self.lang))

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError("cli.usage_hint", message=argparse_text(message, self.lang), prog=self.prog)


def _split(values: Sequence[str] | None) -> list[str]:
    return [p for v in (values or ()) for p in v.split(",") if p.strip()]


def build_parser(lang: str = "id") -> argparse.ArgumentParser:
    p = _Parser(prog="kinerjalint", description="Pemeriksa pohon kinerja (PermenPANRB 89/2021).", lang=lang)
    p.add_argument("--version", action="store_true", help="tampilkan versi")
    sub = p.add_subparsers(dest="command", parser_class=functools.partial(_Parser, lang=lang))  # type: ignore[call-overload]

    c = sub.add_parser("check", help="periksa berkas atau folder pohon kinerja")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--format", "-f", action="append", choices=list(FORMATS),
                   help="text (bawaan), json, sarif, junit, github, markdown; boleh berulang")
    c.add_argument("--output", "-o", action="append",
                   help="berkas untuk --format yang sepadan (urutan sama); tanpa ini ke layar")
    c.add_argument("--lang", choices=["id", "en"], default=None, help="bahasa pesan (bawaan: konfigurasi, atau id)")
    c.add_argument("--pemda", metavar="PEMDA_FILE",
                   help="pohon kinerja Pemda (jenis: pemda): periksa juga seluruh pemerintah daerah (aturan CAS)")
    c.add_argument("--select", action="append", help="hanya aturan ini (kode, awalan grup, atau nama)")
    c.add_argument("--ignore", action="append", help="abaikan aturan ini (kode, awalan grup, atau nama)")
    c.add_argument("--rules", action="append", default=[], metavar="DIR", help="folder aturan tambahan")
    c.add_argument("--fail-on", choices=["error", "warning", "info", "never"], default=None,
                   help="batas kode keluar 1 (bawaan: dari konfigurasi, atau error)")
    c.add_argument("--verbose", "-v", action="store_true", help="tampilkan jalur pohon tiap temuan")
    c.add_argument("--config", help="berkas konfigurasi (bawaan: kinerjalint.yaml terdekat)")
    c.add_argument("--no-config", action="store_true", help="abaikan berkas konfigurasi")
    c.add_argument("--baseline", help="berkas baseline: temuan yang sudah diterima tidak dihitung")
    c.add_argument("--write-baseline", metavar="FILE", help="tulis temuan aktif sebagai baseline")
    c.add_argument("--waivers", help="berkas pengecualian (YAML) untuk format tanpa komentar")
    c.add_argument("--fix", action="store_true", help="terapkan perbaikan aman ke berkas YAML (komentar tetap)")
    c.add_argument("--diff", action="store_true", help="tampilkan perbaikan aman sebagai diff tanpa menulis")
    c.add_argument("--only-trees", action="store_true",
                   help="lewati berkas YAML/JSON tanpa kunci 'pohon' dan tabel tanpa kolom pohon (untuk pre-commit)")
    c.add_argument("--annotate", metavar="OUT",
                   help="tulis salinan workbook (.xlsx) dengan sel bermasalah diwarnai dan diberi komentar, plus "
                        "lembar ringkasan; lembar kerja Word: OUT.docx, salinan dokumen dengan komentar Word dan "
                        "tabel ringkasan di akhir; banyak berkas: OUT sebuah folder")

    cv = sub.add_parser("convert", help="ubah format pohon kinerja: YAML, JSON, TSV, CSV, XLSX (dari ekstensi); "
                        "lembar kerja DOCX/TXT hanya sebagai masukan")
    cv.add_argument("input", metavar="IN")
    cv.add_argument("output", metavar="OUT")
    cv.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan")

    it = sub.add_parser("init", help="tulis templat pohon kinerja kosong dengan satu contoh per level")
    it.add_argument("file", metavar="FILE", help="berkas baru; formatnya dari akhiran (.yaml, .xlsx, .tsv, .csv, .json)")
    it.add_argument("--format", choices=["yaml", "xlsx", "tsv", "csv", "json"],
                    help="format (bawaan: dari akhiran FILE; tanpa akhiran: .yaml ditambahkan)")
    it.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    it.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan")

    rp = sub.add_parser("report", help="laporan inspektorat (HTML/Markdown) atas banyak pohon kinerja")
    rp.add_argument("paths", nargs="+", metavar="PATH", help="berkas atau folder (YAML, JSON, TSV, CSV, XLSX)")
    rp.add_argument("--output", "-o", help="berkas laporan (bawaan: laporan.html atau laporan.md)")
    rp.add_argument("--format", choices=["html", "markdown"], default="html")
    rp.add_argument("--lang", choices=["id", "en"], default="id")
    rp.add_argument("--title", help="judul laporan")
    rp.add_argument("--pemda", metavar="PEMDA_FILE",
                    help="pohon kinerja Pemda: tambahkan halaman pemerintah daerah (cascading, CAS, crosscutting)")
    rp.add_argument("--no-config", action="store_true")

    d = sub.add_parser("diff", help="bandingkan temuan dua versi pohon (format apa pun)")
    d.add_argument("old", metavar="LAMA")
    d.add_argument("new", metavar="BARU")
    d.add_argument("--format", choices=["text", "json"], default="text")
    d.add_argument("--lang", choices=["id", "en"], default="id")
    d.add_argument("--no-config", action="store_true")

    r = sub.add_parser("rules", help="daftar aturan yang dimuat")
    r.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    r.add_argument("--rules", action="append", default=[], metavar="DIR")
    r.add_argument("--lang", choices=["id", "en"], default="id")

    e = sub.add_parser("explain", help="dokumentasi satu aturan beserta contohnya, atau rumus nilai")
    e.add_argument("code", nargs="?")
    e.add_argument("--grading", action="store_true", help="rumus penilaian dan predikat")
    e.add_argument("--functions", action="store_true", help="daftar fungsi DSL menurut ranah, dengan tanda tangannya")
    e.add_argument("--columns", action="store_true", help="kolom tabel TSV/CSV/XLSX dan nama-nama yang diterima")
    e.add_argument("--rules", action="append", default=[], metavar="DIR")
    e.add_argument("--lang", choices=["id", "en"], default="id")

    s = sub.add_parser("schema", help="JSON Schema berkas pohon kinerja (atau format keluaran JSON)")
    s.add_argument("--output-format", action="store_true", help="skema dokumen temuan JSON, bukan berkas pohon")
    s.add_argument("--pemda", action="store_true", help="skema berkas pohon kinerja Pemda (jenis: pemda)")

    v = sub.add_parser("verify", help="jalankan contoh pass/fail setiap aturan")
    v.add_argument("dirs", nargs="*", metavar="DIR", help="folder aturan sendiri (bawaan: aturan kinerjalint)")
    v.add_argument("--verbose", "-v", action="store_true", help="tampilkan juga contoh yang lolos")
    v.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan")

    sv = sub.add_parser("serve", help="jalankan layanan HTTP: API /v1, halaman web /ui (perlu kinerjalint[service])")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8089)
    sv.add_argument("--workers", type=int, default=1,
                    help="banyak proses server (loop acara uvicorn); satu sudah cukup untuk satu mesin")
    sv.add_argument("--checkers", type=int, metavar="N",
                    help="banyak proses pemeriksa per proses server (bawaan: satu per inti CPU)")
    tk = sub.add_parser("token", help="buat, daftar, atau cabut token API layanan")
    tk.add_argument("action", choices=["create", "list", "revoke"])
    tk.add_argument("token_id", nargs="?", metavar="ID", help="id token yang dicabut (revoke)")
    tk.add_argument("--role", choices=["opd", "auditor", "admin"])
    tk.add_argument("--agency", help="instansi token opd")
    tk.add_argument("--label", default="", help="catatan, mis. nama pemegang token")
    for a in (sv, tk):
        a.add_argument("--data", metavar="DIR", help="folder data (bawaan: $KINERJALINT_DATA atau folder data pengguna, ~/.local/share/kinerjalint)")
        a.add_argument("--database-url", metavar="URL", help="mis. postgresql://... (bawaan: SQLite di folder data)")
    p.translate()
    return p


def _cmd_check(args: argparse.Namespace) -> int:
    from kinerjalint.api import CheckOptions, check_government, check_paths, unknown_selectors
    from kinerjalint.findings import Severity

    opts = CheckOptions(
        select=tuple(_split(args.select)), ignore=tuple(_split(args.ignore)), rules=tuple(args.rules),
        config=Path(args.config) if args.config else None, use_config=not args.no_config,
        baseline=Path(args.baseline) if args.baseline else None,
        waivers=Path(args.waivers) if args.waivers else None,
    )
    unknown = unknown_selectors(opts, opts.select + opts.ignore, args.paths)
    if unknown:
        raise UsageError("cli.unknown_rules", codes=", ".join(unknown))
    paths = args.paths
    if args.annotate and (len(paths) > 1 or any(Path(p).is_dir() for p in paths)) and not Path(args.annotate).is_dir():
        raise UsageError("cli.annotate_folder", out=args.annotate)
    # Nothing passes in silence: a file or folder holding no tree is named with the reason.
    # pre-commit (--only-trees) hands over every YAML/JSON/TSV file: skipping is its job, so a
    # run that skips everything is a note and exit 0; a plain check of no tree at all is exit 2.
    skipped: list[tuple[Path, str]] = []
    if args.only_trees:
        from kinerjalint.api import skip_reason

        for p in paths:
            if not Path(p).is_dir() and (why := skip_reason(Path(p))) is not None:
                skipped.append((Path(p), why))
        paths = [p for p in paths if Path(p).is_dir() or skip_reason(Path(p)) is None]

    def check() -> list:
        return check_government(args.pemda, paths, opts) if args.pemda else check_paths(paths, opts, skipped)

    results = check()
    _not_over_inputs(results, [*(args.output or []), args.write_baseline, args.annotate])
    cfg = results[0].config if results else None
    note_lang = args.lang or (cfg.lang if cfg and cfg.lang else "id")
    if skipped:
        from kinerjalint.loaders.columndocs import required_hint

        hint = required_hint(note_lang)
        for path, why in skipped:
            print(text("cli.skipped", note_lang, path=str(path), why=text(why, note_lang, hint=hint)), file=sys.stderr)
    if not results:
        if not args.only_trees:
            raise UsageError("cli.no_trees", paths=", ".join(args.paths))
        print(f"kinerjalint: {text('cli.no_trees', note_lang, paths=', '.join(args.paths))}", file=sys.stderr)
        return EXIT_OK
    lang = note_lang
    if not args.pemda:  # a Pemda tree alone has nothing of its own to check: the CAS rules need its agencies
        for r in results:
            if r.pemda is not None:
                print(f"kinerjalint: {text('cli.pemda_alone', lang, path=r.source)}", file=sys.stderr)
    fail_on = args.fail_on or (cfg.fail_on if cfg and cfg.fail_on else "error")
    if args.write_baseline:
        from kinerjalint.suppress import write_baseline

        n = write_baseline(Path(args.write_baseline), [f for r in results for f in r.findings])
        print(text("cli.baseline_written", lang, n=counted(n, "temuan", "finding"), path=args.write_baseline),
              file=sys.stderr)
    if args.fix or args.diff:
        from kinerjalint.api import recheck
        from kinerjalint.fixing import apply_fixes

        changed = apply_fixes(results, write=args.fix, show_diff=args.diff, out=sys.stdout,
                              recheck=lambda r, text: recheck(r, text, opts), notes=sys.stderr, lang=lang)
        if args.fix and changed:
            results = check()  # re-lint what was written
    if args.annotate:
        _annotate(results, Path(args.annotate), lang)
    _write_reports(results, args, lang, fail_on)
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity[fail_on]
    worst = max((f.severity for r in results for f in r.active), default=None)
    return EXIT_FINDINGS if worst is not None and worst >= threshold else EXIT_OK


def _not_over_inputs(results: list, targets: Sequence[str | None]) -> None:
    """An output never replaces a file being checked (``-o POHON.yaml`` wrote the report over the tree)."""
    checked = {Path(r.source).resolve() for r in results}
    for t in targets:
        if t and Path(t).resolve() in checked:
            raise UsageError("cli.output_is_input", path=str(t))


def _annotate(results: list, out: Path, lang: str) -> None:
    from kinerjalint.writers.annotate import annotate_all

    done, skipped = annotate_all(results, out, lang)
    for a in done:
        key = "cli.annotated_docx" if a.target.suffix.lower() == ".docx" else "cli.annotated"
        print(text(key, lang, source=a.source, target=a.target, cells=a.cells), file=sys.stderr)
    for why in skipped:
        print(text("cli.annotate_skipped", lang, why=why), file=sys.stderr)


def _cmd_init(args: argparse.Namespace) -> int:
    from kinerjalint.writers.template import write_template

    path = Path(args.file)
    if not path.suffix:
        path = path.with_suffix("." + (args.format or "yaml"))
    fmt = write_template(path, args.format, force=args.force)
    print(text("cli.init_written", args.lang, fmt=fmt.upper(), path=path), file=sys.stderr)
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    from kinerjalint.writers.converting import convert

    done = convert(Path(args.input), Path(args.output))
    print(text("cli.converted", args.lang, source=done.source, target=done.target,
               nodes=counted(done.nodes, "node", "node"), indicators=counted(done.indicators, "indikator", "indicator")),
          file=sys.stderr)
    if done.left_out:
        print(text("cli.convert_left_out", args.lang, fmt=done.fmt.upper(), parts=", ".join(done.left_out)),
              file=sys.stderr)
    return EXIT_OK


def _render(fmt: str, results: list, lang: str, fail_on: str, verbose: bool,
            to_file: bool) -> str | Iterator[str] | None:
    """One report as text (the JSON report in pieces, as it is encoded); the text report
    prints itself in colour (rich) on a terminal.

    Each reporter is imported only when asked for: start-up is a pre-commit user's wait."""
    rb = results[0].rulebook if results and results[0].rulebook else None
    if rb is None:
        from kinerjalint.rulebook import load_rulebook

        rb = load_rulebook()
    if fmt == "json":
        from kinerjalint.reporters import jsonreport

        return jsonreport.chunks(results, lang)
    if fmt == "sarif":
        from kinerjalint.reporters import sarif

        return sarif.render(results, rb, lang)
    if fmt == "junit":
        from kinerjalint.findings import Severity
        from kinerjalint.reporters import junit

        return junit.render(results, rb, lang, fail_on=None if fail_on == "never" else Severity[fail_on])
    if fmt == "github":
        from kinerjalint.reporters import github

        return github.render(results, rb, lang)
    if fmt == "markdown":
        from kinerjalint.reporters import markdown

        return markdown.render(results, rb, lang)
    from kinerjalint.reporters import text

    if to_file or not text.is_terminal(sys.stdout):
        return text.plain(results, lang, verbose)  # no colour to show: rich is not even imported
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich exits 1 itself; main() ends a closed pipe like any failed write
            raise BrokenPipeError

    text.render(results, _Console(highlight=False, soft_wrap=True), lang, verbose)
    return None


def _write_reports(results: list, args: argparse.Namespace, lang: str, fail_on: str) -> None:
    """`--format a --output A --format b`: the i-th output file goes with the i-th format."""
    formats = args.format or ["text"]
    outputs = args.output or []
    if len(outputs) > len(formats):
        raise UsageError("cli.too_many_outputs")
    for i, fmt in enumerate(formats):
        target = outputs[i] if i < len(outputs) else None
        body = _render(fmt, results, lang, fail_on, args.verbose, to_file=target is not None)
        if body is None:
            continue
        pieces = [body] if isinstance(body, str) else body
        if target is None:
            for piece in pieces:
                _to_stdout(piece)
        else:
            from kinerjalint.writers.atomic import write_atomically

            write_atomically(Path(target), (piece.encode("utf-8") for piece in pieces))


def _to_stdout(body: str, chunk: int = 1 << 16) -> None:
    """Write in pieces: one write of a megabyte into a pipe whose reader has gone (``| head``)
    lost the broken pipe in Python's buffered writer, so the run ended as if all was read."""
    for i in range(0, len(body), chunk):
        sys.stdout.write(body[i:i + chunk])


def _cmd_diff(args: argparse.Namespace) -> int:
    from kinerjalint.api import CheckOptions, check_file
    from kinerjalint.diffing import diff_results, render_diff

    opts = CheckOptions(use_config=not args.no_config)
    for p in (args.old, args.new):
        if not Path(p).exists():
            raise UsageError("cli.no_file", path=p)
    old, new = check_file(args.old, opts), check_file(args.new, opts)
    d = diff_results(old, new)
    sys.stdout.write(render_diff(d, args.format, args.lang))
    return EXIT_FINDINGS if d.new else EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from kinerjalint.api import CheckOptions, check_government, check_paths
    from kinerjalint.writers.atomic import write_atomically

    opts = CheckOptions(use_config=not args.no_config)
    results = check_government(args.pemda, args.paths, opts) if args.pemda else check_paths(args.paths, opts)
    if not results:
        raise UsageError("cli.nothing_to_report")
    _not_over_inputs(results, [args.output])
    if args.format == "markdown":
        from kinerjalint.reporting import markdown as report
    else:
        from kinerjalint.reporting import htmlreport as report  # type: ignore[no-redef]
    body = report.render(results, lang=args.lang, title=args.title)
    target = Path(args.output or ("laporan.md" if args.format == "markdown" else "laporan.html"))
    write_atomically(target, body.encode("utf-8"))
    graded = [r for r in results if r.grade is not None and r.grade.gradable]
    print(text("cli.report_written", args.lang, n=counted(len(results), "berkas", "file"), graded=len(graded),
               target=target), file=sys.stderr)
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace) -> int:
    from kinerjalint import ruledocs
    from kinerjalint.rulebook import load_rulebook

    rb = load_rulebook(args.rules)
    sys.stdout.write(ruledocs.render(rb, args.format, args.lang))
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    from kinerjalint import ruledocs
    from kinerjalint.rulebook import load_rulebook

    if args.columns:
        from kinerjalint.loaders.columndocs import columns_markdown

        sys.stdout.write(columns_markdown(args.lang))
        return EXIT_OK
    if args.functions:
        from kinerjalint.dsl.catalog import functions_markdown

        sys.stdout.write(functions_markdown(args.lang))
        return EXIT_OK
    if args.grading or not args.code:
        from kinerjalint.grading import explain

        if not args.grading:
            raise UsageError("cli.explain_what")
        sys.stdout.write(explain(args.lang))
        return EXIT_OK
    rb = load_rulebook(args.rules)
    # The names --select accepts: a code, a rule name, a group prefix.
    q = args.code.strip()
    rule = rb.get(q.upper()) or next((r for r in rb.rules if r.name == q.lower()), None)
    if rule is not None:
        from kinerjalint.examples import first_finding

        sys.stdout.write(ruledocs.explain(rule, args.lang, first_finding(rb, rule)))
        return EXIT_OK
    group = [r for r in rb.rules if r.group.upper() == q.upper().rstrip("-")]
    if group:
        for r in sorted(group, key=lambda r: r.code):
            print(f"{r.code:<7} {r.name:<32} {r.title(args.lang)}")
        print(text("cli.explain_group", args.lang, group=group[0].group, n=len(group)))
        return EXIT_OK
    import difflib

    near = difflib.get_close_matches(q.upper(), list(rb.by_code), n=1) or \
        difflib.get_close_matches(q.lower(), [r.name for r in rb.rules], n=1)
    raise UsageError("cli.no_such_rule", code=args.code,
                     hint=Message("cli.did_you_mean", {"guess": near[0]}) if near else "")


def _cmd_schema(args: argparse.Namespace) -> int:
    import json

    if args.output_format:
        from kinerjalint.resources import schema_dir

        sys.stdout.write((schema_dir() / "findings.schema.json").read_text(encoding="utf-8"))
    else:
        from kinerjalint.model import document_schema, pemda_schema

        schema = pemda_schema() if args.pemda else document_schema()
        sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from kinerjalint.examples import run_examples
    from kinerjalint.rulebook import load_rulebook

    for d in args.dirs:
        if not Path(d).is_dir():
            raise UsageError("cli.no_rule_folder", path=d)
    rb = load_rulebook(args.dirs, builtin=True)
    # With folders named, only their rules are verified (the built-in ones are loaded so
    # that their word lists and functions are available, and are tested by kinerjalint).
    own = {str(Path(d).resolve()) for d in args.dirs}
    codes = {r.code for r in rb.rules if str(Path(r.defn.file).resolve().parent) in own} if own else None
    outcomes = run_examples(rb, codes)
    failed = [o for o in outcomes if not o.ok]
    lang = args.lang
    for o in outcomes:
        if args.verbose or not o.ok:
            detail = ": " + o.detail_text(lang) if o.detail else ""
            print(text("cli.verify_line", lang, tag=text("cli.verify_pass" if o.ok else "cli.verify_fail", lang),
                       test=o.test_id, where=o.where, detail=detail))
    without = [r.code for r in rb.rules if (codes is None or r.code in codes)
               and not r.defn.examples and r.defn.loader_args is None]
    for code in without:
        print(text("cli.verify_no_examples", lang, code=code))
    print(text("cli.verify_summary", lang, passed=len(outcomes) - len(failed), failed=len(failed)))
    return EXIT_FINDINGS if failed else EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from kinerjalint.service.commands import serve  # lazily: FastAPI loads only for this command

    return serve(args)


def _cmd_token(args: argparse.Namespace) -> int:
    from kinerjalint.service.commands import token

    return token(args)


def main(argv: Sequence[str] | None = None, *, short_lived: bool = False) -> int:
    lang = pick_lang(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser(lang)
    try:
        args = parser.parse_args(argv)
        if short_lived and args.command != "serve":
            # A run keeps its trees and findings referenced until its reports are written,
            # so the cyclic collector would only walk them again and again and find nothing
            # (1.4 s of a 100k-node check); the process ends without tearing the heap down.
            gc.disable()
        elif short_lived:
            gc.enable()  # the service is long-lived (python -m kinerjalint turned the collector off)
        if args.version:
            from kinerjalint.version import __version__

            print(f"kinerjalint {__version__}")
            return EXIT_OK
        handlers = {"check": _cmd_check, "rules": _cmd_rules, "explain": _cmd_explain,
                    "schema": _cmd_schema, "verify": _cmd_verify, "diff": _cmd_diff,
                    "serve": _cmd_serve, "token": _cmd_token, "report": _cmd_report,
                    "convert": _cmd_convert, "init": _cmd_init}
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        code = handlers[args.command](args)
        sys.stdout.flush()  # here, so that a full disk behind stdout is an error, not a lost report
        return code
    except KinerjalintError as exc:
        print(f"kinerjalint: {exc.render(lang)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _stdout_closed()
    except Exception as exc:  # noqa: BLE001 -- the last line of defence: a bug, not the user's fault
        if isinstance(exc, OSError) and _is_stdout_error(exc):
            return _stdout_failed(exc, lang)
        import traceback

        print(f"kinerjalint: {text('cli.internal', lang)}", file=sys.stderr)
        print(f"  {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("KINERJALINT_DEBUG"):
            traceback.print_exc()
        return EXIT_BUG


def _stdout_closed() -> int:
    """The reader of stdout went away (``| head``): stop quietly, as command line tools do,
    without a second error when Python flushes stdout at exit; exit 2, as for a failed write."""
    _silence_stdout()
    return EXIT_USAGE


def _stdout_failed(exc: OSError, lang: str = "id") -> int:
    from kinerjalint.writers.atomic import describe

    _silence_stdout()
    print(f"kinerjalint: {text('cli.stdout_failed', lang, why=describe(exc))}", file=sys.stderr)
    return EXIT_USAGE


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _is_stdout_error(exc: OSError) -> bool:
    """Did writing to stdout fail? (a write to a named file raises OutputError instead)"""
    return exc.filename is None and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EPIPE, errno.EBADF,
                                                   errno.EFBIG)


def entry() -> None:
    """The console script: run, flush, and leave without tearing the heap down.

    A large tree leaves millions of objects behind; freeing them one by one at exit took
    longer than some checks (4 s after a 100k-node tree). Nothing is left to clean up:
    reports are written and closed before main() returns.
    """
    code = main(short_lived=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        from kinerjalint.resources import save_memos

        save_memos()  # what the dictionaries said about this run's words, for the next run
    finally:
        os._exit(code)
