"""The Python API: check files and folders. The CLI and the service call only this.

One file goes through: configuration (discovered from its folder upwards) -> the
rulebook for that configuration -> loader -> rules -> severity overrides -> inline
suppressions and waivers -> baseline -> grade.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from kinerjalint.config import Config, config_for, preset
from kinerjalint.engine import problem_finding, run_rules
from kinerjalint.errors import ConfigError, UsageError
from kinerjalint.findings import SORT_KEY, Finding
from kinerjalint.results import CheckResult
from kinerjalint.grading import grade
from kinerjalint.loaders import SUPPORTED, LoadResult, load_bytes, load_path, load_text
from kinerjalint.loaders.base import Problem
from kinerjalint.messages import Message
from kinerjalint.rulebook import Rulebook, load_rulebook
from kinerjalint.span import Span
from kinerjalint.suppress import Baseline, Waiver, apply, load_waiver_file

__all__ = ["CheckOptions", "CheckResult", "check_file", "check_government", "check_government_loaded",
           "check_paths", "check_text", "collect_files", "load_rulebook"]


@dataclass(frozen=True)
class CheckOptions:
    """What a caller can set; configuration files fill in the rest."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    config: Path | None = None
    use_config: bool = True
    baseline: Path | None = None
    waivers: Path | None = None


def _rulebook_for(cfg: Config, opts: CheckOptions) -> Rulebook:
    return load_rulebook(tuple(opts.rules) + cfg.rules, words_extra=cfg.words, mappings=cfg.mappings)


def _node_lines(loaded: LoadResult) -> dict[str, int]:
    """Each node's first line, for inline suppressions (only YAML has comments)."""
    if loaded.tree is None or loaded.fmt != "yaml" or "kinerjalint" not in (loaded.text or ""):
        return {}
    out = {}
    for n in loaded.tree.nodes:
        span = loaded.locator.span(n.path)
        if span is not None:
            out[n.id] = span.line
    return out


def _check_selectors(cfg: Config, rb: Rulebook) -> None:
    """A configuration file naming an unknown rule stops the run, as --select does."""
    if not cfg.selectors:
        return
    unknown = set(rb.unknown_selectors([code for code, _, _ in cfg.selectors]))
    for code, key, line in cfg.selectors:
        if code.strip() in unknown:
            import difflib

            near = difflib.get_close_matches(code.upper(), list(rb.by_code), n=1)
            hint = Message("cli.did_you_mean", {"guess": near[0]}) if near else ""
            raise ConfigError("config.unknown_rule", path=str(cfg.path), line=line, code=code, key=key, hint=hint)


def _check_loaded(loaded: LoadResult, cfg: Config, opts: CheckOptions, path: Path | None,
                  extra: Sequence[Finding] = ()) -> CheckResult:
    """One file's result; ``extra``: findings about it from the government check (CAS), which go
    through the same severity overrides, suppressions, waivers and baseline as its own."""
    rb = _rulebook_for(cfg, opts)
    _check_selectors(cfg, rb)
    ignores = list(opts.ignore) + list(cfg.ignore) + (cfg.ignores_for(path) if path is not None else [])
    on = rb.select(opts.select or cfg.select, ignores)

    def make(code: str, file: str, span: Span, args: dict[str, str]) -> Finding:
        return problem_finding(rb, Problem(code, span, args), file)

    findings = [problem_finding(rb, p, loaded.source) for p in loaded.problems
                if (r := rb.get(p.code)) is None or on[r.index]]
    if loaded.tree is not None:
        findings.extend(run_rules(rb, loaded.tree, loaded.locator, on, dict(cfg.settings)))
    findings.extend(extra)
    if cfg.severity:
        findings = [replace(f, severity=s) if (s := cfg.severity_for(f.code, f.code.split("-")[0], f.name)) else f
                    for f in findings]
    waivers: list[Waiver] = []
    if loaded.tree is not None:
        for i, w in enumerate(loaded.tree.waivers):
            span = loaded.locator.span(("pengecualian", i)) or Span(1, 1, 1, 1)
            waivers.append(Waiver(w, span, loaded.source))
    if opts.waivers is not None:
        waivers.extend(load_waiver_file(opts.waivers))
    findings = apply(findings, loaded.text if loaded.fmt == "yaml" else None, waivers, _node_lines(loaded), make)
    findings = [f for f in findings if (r := rb.get(f.code)) is None or on[r.index]]
    baseline_path = opts.baseline or (Path(cfg.baseline) if cfg.baseline else None)
    if baseline_path is not None:
        findings = Baseline.read(baseline_path).apply(findings, loaded.source, make)
    findings.sort(key=SORT_KEY)
    tree = loaded.tree
    # The grade weighs an agency tree; a Pemda tree has none.
    g = None if loaded.pemda is not None else grade(
        findings, len(tree.nodes) if tree else 0, len(tree.indicators) if tree else 0, tree is not None)
    return CheckResult(loaded.source, findings, tree, loaded.text, loaded.fmt, g, cfg, rb, loaded.pemda)


def _config(opts: CheckOptions, path: Path | None) -> Config:
    if not opts.use_config:
        return preset("default")
    if opts.config is not None:
        return config_for(path or Path.cwd(), opts.config)
    return config_for(path) if path is not None else preset("default")


def check_text(text: str, source: str = "<teks>", fmt: str = "yaml", options: CheckOptions | None = None) -> CheckResult:
    """Check a tree given as text (no configuration file is looked for unless options say so)."""
    opts = options or CheckOptions(use_config=False)
    with _collector_paused():
        return _check_loaded(load_text(text, source, fmt), _config(opts, None), opts, None)


def recheck(result: CheckResult, text: str, options: CheckOptions | None = None) -> CheckResult:
    """Check new text of a file already checked (``--fix`` between its rounds), with the
    configuration that applies to that file, without writing it."""
    opts = options or CheckOptions()
    p = Path(result.source)
    with _collector_paused():
        return _check_loaded(load_text(text, result.source, result.fmt), _config(opts, p), opts, p)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one file is checked.

    Loading and checking allocate millions of small objects and no garbage cycles worth
    collecting; the collector's repeated passes over them cost more than half of the time
    on large trees (measured: 100k nodes, 3.3 s -> 0.9 s for validation alone).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_bytes(data: bytes, source: str, fmt: str, options: CheckOptions | None = None) -> CheckResult:
    """Check a tree given as the bytes of a file in ``fmt`` (any format, XLSX included),
    such as an upload; like :func:`check_text`, no configuration file is looked for unless
    options say so."""
    opts = options or CheckOptions(use_config=False)
    with _collector_paused():
        return _check_loaded(load_bytes(data, source, fmt), _config(opts, None), opts, None)


def check_file(path: str | Path, options: CheckOptions | None = None, display: str | None = None) -> CheckResult:
    opts = options or CheckOptions()
    p = Path(path)
    with _collector_paused():
        return _check_loaded(load_path(p, display), _config(opts, p), opts, p)


def collect_files(paths: Iterable[str | Path], skipped: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Files named, plus every supported file below named folders (sorted, hidden skipped).

    A file in a folder that holds no tree (a catalog CSV, a CI YAML) is left out; with
    ``skipped`` given, each one is added to it with the reason (a message catalog key)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                            and not any(part.startswith(".") for part in f.relative_to(p).parts)
                            and not f.name.startswith("~$")):
                why = skip_reason(f)
                if why is None:
                    out.append(f)
                elif skipped is not None and why != "cli.skip_config":
                    skipped.append((f, why))
        elif p.exists():
            out.append(p)
        else:
            raise UsageError("cli.path_missing", path=str(p))
    return out


_TREE_KEY = re.compile(r'^pohon\s*:|"pohon"\s*:', re.MULTILINE)


_CONFIG_NAMES = ("kinerjalint.yaml", ".kinerjalint.yaml", "kinerjalint.yml", ".pre-commit-hooks.yaml",
                 ".pre-commit-config.yaml")


def _is_submission(path: Path) -> bool:
    """In a folder, skip delimited files that hold no tree table (a catalog, an export of
    something else) and configuration files; named files are always checked."""
    if path.name in _CONFIG_NAMES:
        return False
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt in ("csv", "tsv"):
        from kinerjalint.loaders.delimited import looks_like_table

        try:
            return looks_like_table(path.read_bytes())
        except OSError:
            return True
    if fmt in ("yaml", "json"):  # a schema, a CI file or any other YAML/JSON beside the trees
        return _has_tree_key(path)
    if fmt in ("worksheet", "docx"):  # notes, READMEs and letters beside the worksheets
        from kinerjalint.loaders.worksheet_docx import looks_like_worksheet_file

        return looks_like_worksheet_file(path, fmt)
    return True


def _has_tree_key(path: Path) -> bool:
    try:
        return _TREE_KEY.search(path.read_text(encoding="utf-8-sig", errors="replace")) is not None
    except OSError:
        return True


def looks_like_tree(path: Path) -> bool:
    """Is this a pohon kinerja file at all? (pre-commit hands over every YAML/JSON file)"""
    return skip_reason(path) is None


def skip_reason(path: Path) -> str | None:
    """Why a file is not a tree file (a message catalog key), or None when it is one."""
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        return "cli.skip_not_supported"
    if path.name in _CONFIG_NAMES:
        return "cli.skip_config"
    if _is_submission(path):
        return None
    if fmt in ("worksheet", "docx"):
        return "cli.skip_no_worksheet"
    return "cli.skip_no_table" if fmt in ("csv", "tsv") else "cli.skip_no_tree_key"


def check_paths(paths: Iterable[str | Path], options: CheckOptions | None = None,
                skipped: list[tuple[Path, str]] | None = None) -> list[CheckResult]:
    """Check files and folders; files of a folder that hold no tree go to ``skipped``."""
    opts = options or CheckOptions()
    return [check_file(f, opts) for f in collect_files(paths, skipped)]


def check_government(pemda_path: str | Path, paths: Iterable[str | Path],
                     options: CheckOptions | None = None) -> list[CheckResult]:
    """Check a Pemda tree and its agencies' files as a whole government (``check --pemda``).

    Every agency file is checked as by :func:`check_file`; the CAS rules then run once over
    the Pemda tree and all readable agency trees, and each CAS finding joins the result of
    the file it lies in (so its waivers and configuration apply). The Pemda file's result
    comes first. Agency files that are themselves Pemda trees are skipped.
    """
    opts = options or CheckOptions()
    pemda_file = Path(pemda_path)
    if not pemda_file.is_file():
        raise UsageError("cli.no_pemda_file", path=str(pemda_file))
    with _collector_paused():
        pemda_loaded = load_path(pemda_file)
        if pemda_loaded.tree is not None:
            raise UsageError("cli.pemda_is_opd", path=str(pemda_file))
        loaded: list[tuple[Path | None, LoadResult]] = []
        for f in collect_files(paths):
            if f.resolve() == pemda_file.resolve():
                continue
            one = load_path(f)
            if one.pemda is None:
                loaded.append((f, one))
        return check_government_loaded((pemda_file, pemda_loaded), loaded, opts)


def check_government_loaded(pemda: tuple[Path | None, LoadResult], loaded: Sequence[tuple[Path | None, LoadResult]],
                            options: CheckOptions | None = None) -> list[CheckResult]:
    """:func:`check_government` on files already loaded (``(path or None, load result)``: the
    service loads stored bytes); the sources must differ. The Pemda result comes first."""
    from kinerjalint.engine import run_government
    from kinerjalint.government import Government

    opts = options or CheckOptions(use_config=False)
    pemda_file, pemda_loaded = pemda
    with _collector_paused():
        by_file: dict[str, list[Finding]] = {}
        if pemda_loaded.pemda is not None:
            cfg = _config(opts, pemda_file)
            rb = _rulebook_for(cfg, opts)
            on = rb.select(opts.select or cfg.select, list(opts.ignore) + list(cfg.ignore))
            trees = [one.tree for _f, one in loaded if one.tree is not None]
            government = Government(pemda_loaded.pemda, trees)
            locators = {one.source: one.locator for _f, one in loaded if one.tree is not None}
            locators[pemda_loaded.source] = pemda_loaded.locator
            for finding in run_government(rb, government, locators, on, dict(cfg.settings)):
                by_file.setdefault(finding.file, []).append(finding)
        results = [_check_loaded(pemda_loaded, _config(opts, pemda_file), opts, pemda_file,
                                 by_file.get(pemda_loaded.source, []))]
        for f, one in loaded:
            results.append(_check_loaded(one, _config(opts, f), opts, f, by_file.get(one.source, [])))
    return results



def unknown_selectors(options: CheckOptions, patterns: Sequence[str], paths: Sequence[str] = ()) -> list[str]:
    """Selectors no rule answers to: the built-in rules, ``--rules`` folders and the rule
    folders of the configuration that applies to each checked path."""
    if not any(p.strip() for p in patterns):
        return []  # nothing to look up: no rulebook to load (a configuration's word lists make another one)
    folders = list(options.rules)
    if options.use_config:
        from kinerjalint.config import config_for

        for p in paths:
            start = Path(p) if Path(p).is_dir() else Path(p).parent
            cfg = config_for(start / "_", options.config)
            folders += [r for r in cfg.rules if r not in folders]
    return load_rulebook(tuple(folders)).unknown_selectors(patterns)
