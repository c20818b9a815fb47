"""Configuration: ``kinerjalint.yaml`` or ``[tool.kinerjalint]`` in pyproject.toml.

Discovered from the checked file's folder upwards. Presets ``default`` and ``strict``
ship with the package (``extends``). A wrong key or value is a :class:`ConfigError`
naming the key, the file and the line, with a suggestion.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kinerjalint.errors import ConfigError
from kinerjalint.findings import Severity
from kinerjalint.messages import Message, pydantic_text, reason

# A configuration file's content once validated (kinerjalint.configmodel, pydantic): plain
# values, so that the shipped presets can be kept in the cache folder (resources.cached_table)
# and a run without a configuration file of its own needs neither pydantic nor a YAML parser
# for them. ``profil`` holds only the settings the file gives.
Document = dict[str, Any]

CONFIG_NAMES = ("kinerjalint.yaml", ".kinerjalint.yaml", "kinerjalint.yml")
PRESETS_DIR = Path(__file__).resolve().parent / "presets"


@dataclass(frozen=True)
class Config:
    """The effective configuration for one checked file."""

    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    settings: tuple[tuple[str, str], ...] = (("l3_indikator", "keduanya"), ("l3_pemilik", "keduanya"))
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    mappings: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    lang: str | None = None
    fail_on: str | None = None
    rules: tuple[str, ...] = ()
    baseline: str | None = None
    # Every rule selector this file names: (selector, key, line), checked against the rulebook
    # (api) as the command line's --select/--ignore are: an unknown code is an error in both.
    selectors: tuple[tuple[str, str, int], ...] = ()

    def ignores_for(self, file: Path) -> list[str]:
        if self.path is None:
            return []
        try:
            rel = file.resolve().relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            rel = file.as_posix()
        return [c for pat, codes in self.per_file_ignores for c in codes
                if fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(file.name, pat)]

    def severity_for(self, code: str, group: str, name: str) -> Severity | None:
        table = dict(self.severity)
        return table.get(code) or table.get(name) or table.get(group)

    def setting(self, key: str) -> str:
        return dict(self.settings).get(key, "")


def _yaml_with_lines(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from kinerjalint.loaders.yamldoc import _Walker

    yaml = YAML(typ="safe", pure=False)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text)
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise ConfigError("config.unreadable", path=str(path), why=reason(exc)) from None
    if node is None:
        return {}, {}
    walker = _Walker(yaml, keys=True)
    data = walker.walk(node, ())
    lines = {k: v.line for k, v in walker.spans.items()}
    lines.update({k: v.line for k, v in walker.key_spans.items()})  # a key's own line reads best
    return data, lines


def _toml_why(exc: Exception) -> tuple[str, str]:
    """tomllib says 'Invalid value (at line 3, column 9)': keep its place, in plain words."""
    import tomllib

    if isinstance(exc, tomllib.TOMLDecodeError):
        import re

        m = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f" ({m.group(1)}:{m.group(2)})" if m else ""
        return "sintaks TOML tidak sah" + where, "invalid TOML syntax" + where
    return reason(exc)


def _read(path: Path) -> tuple[dict[str, Any], dict[tuple[Any, ...], int]]:
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError("config.pyproject_unreadable", path=str(path), why=_toml_why(exc)) from None
        table = data.get("tool", {}).get("kinerjalint", {})
        text = path.read_text(encoding="utf-8").splitlines()
        lines: dict[tuple[Any, ...], int] = {}
        for i, line in enumerate(text, 1):
            key = line.split("=", 1)[0].strip()
            if key in table and (key,) not in lines:
                lines[(key,)] = i
        return table, lines
    data, lines = _yaml_with_lines(path)
    if not isinstance(data, dict):
        raise ConfigError("config.not_mapping", path=str(path))
    return data, lines


def _validate(data: dict[str, Any], path: Path, lines: dict[tuple[Any, ...], int]) -> Document:
    from pydantic import ValidationError

    from kinerjalint.configmodel import ConfigModel, Profile

    try:
        m = ConfigModel.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (p[:1].isupper() or "[" in p)))
        line = next((lines[loc[:i]] for i in range(len(loc), 0, -1) if loc[:i] in lines), 1)
        key = ".".join(str(p) for p in loc) or "(dokumen)"
        if err["type"] == "extra_forbidden":
            import difflib

            options = list(ConfigModel.model_fields) if len(loc) == 1 else list(Profile.model_fields)
            near = difflib.get_close_matches(str(loc[-1]), options, n=1, cutoff=0.5)
            hint = Message("config.did_you_mean", {"guess": near[0]}) if near else \
                Message("config.known_keys", {"keys": ", ".join(options)})
            raise ConfigError("config.unknown_key", path=str(path), line=line, key=key, hint=hint) from None
        why = pydantic_text(dict(err), str(loc[-1]) if loc else key)
        raise ConfigError("config.bad_value", path=str(path), line=line, key=key, why=why) from None
    doc: Document = m.model_dump(exclude={"profil"})
    doc["profil"] = None if m.profil is None else {k: getattr(m.profil, k) for k in sorted(m.profil.model_fields_set)}
    return doc


def _load_catalog(path: Path, base: Path) -> tuple[tuple[str, str], ...]:
    """A nomenclature catalog CSV with columns kode,nama (header optional; ; or , separated)."""
    p = path if path.is_absolute() else base / path
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("config.catalog_unreadable", path=str(p), why=reason(exc)) from None
    import csv

    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    rows = [r for r in csv.reader(text.splitlines(), dialect) if r and any(c.strip() for c in r)]
    if rows and rows[0][0].strip().lower() in ("kode", "code"):
        rows = rows[1:]
    out = []
    for i, r in enumerate(rows, 1):
        if len(r) < 2:
            raise ConfigError("config.catalog_row", path=str(p), line=i)
        out.append((r[0].strip(), r[1].strip()))
    return tuple(out)


def _selectors(m: Document, lines: dict[tuple[Any, ...], int]) -> tuple[tuple[str, str, int], ...]:
    out: list[tuple[str, str, int]] = []
    for key in ("select", "ignore"):
        for i, code in enumerate(m[key]):
            out.append((code, key, lines.get((key, i), lines.get((key,), 1))))
    for code in m["severity"]:
        out.append((code, "severity", lines.get(("severity", code), lines.get(("severity",), 1))))
    for pattern, codes in m["per_file_ignores"].items():
        for i, code in enumerate(codes):
            out.append((code, "per_file_ignores", lines.get(("per_file_ignores", pattern, i),
                                                           lines.get(("per_file_ignores", pattern), 1))))
    return tuple(out)


def _merge(base: Config, m: Document, path: Path, lines: dict[tuple[Any, ...], int] | None = None) -> Config:
    sev: dict[str, Severity] = dict(base.severity)
    for code, level in m["severity"].items():
        sev[code.upper() if "-" in code or code.isupper() else code] = Severity.parse(level)
    settings = dict(base.settings)
    settings.update(m["profil"] or {})
    words = dict(base.words)
    for name, entries in m["kata"].items():
        words[name] = tuple(words.get(name, ())) + tuple(entries)
    mappings = dict(base.mappings)
    if m["katalog"]:
        catalog = _load_catalog(Path(m["katalog"]), path.parent)
        mappings["nomenklatur"] = catalog
        words["nomenklatur-nama"] = tuple(words.get("nomenklatur-nama", ())) + tuple(n for _, n in catalog)
    rules = tuple(base.rules) + tuple(str((path.parent / r).resolve()) for r in m["rules"])
    return Config(
        path=path, select=tuple(m["select"]) or base.select, ignore=base.ignore + tuple(m["ignore"]),
        severity=tuple(sev.items()),
        per_file_ignores=base.per_file_ignores + tuple((k, tuple(v)) for k, v in m["per_file_ignores"].items()),
        settings=tuple(sorted(settings.items())), words=tuple(sorted(words.items())),
        mappings=tuple(sorted(mappings.items())), lang=m["bahasa"] or base.lang,
        fail_on=m["fail_on"] or base.fail_on, rules=rules,
        baseline=str((path.parent / m["baseline"]).resolve()) if m["baseline"] else base.baseline,
        selectors=_selectors(m, lines or {}),
    )


def _validated(path: Path, name: str) -> tuple[Document, dict[tuple[Any, ...], int]]:
    """A configuration file read and validated, with each key's line; kept in the cache folder
    (resources.cached_table) until the file, the schema or this module changes. A file in
    error is read again each time (nothing is cached): its message is never stale."""
    from kinerjalint.resources import cached_table

    code = Path(__file__).resolve().parent

    def build() -> tuple[Document, dict[tuple[Any, ...], int]]:
        data, lines = _read(path)
        return _validate(data, path, lines), lines

    doc, lines = cached_table(name, [path, code / "config.py", code / "configmodel.py"], build)
    return doc, lines


@lru_cache(maxsize=64)
def load_config(path: Path) -> Config:
    doc, lines = _validated(path, "config")
    base = preset(doc["extends"] or "default")
    return _merge(base, doc, path, lines)


@lru_cache(maxsize=4)
def preset(name: str) -> Config:
    """A shipped preset, validated once and then read from the cache folder."""
    path = PRESETS_DIR / f"{name}.yaml"
    doc, _lines = _validated(path, f"preset-{name}")
    return _merge(Config(), doc, path)


def find_config(start: Path) -> Path | None:
    """The nearest configuration file in the folder of ``start`` or above it."""
    folder = start if start.is_dir() else start.parent
    for d in [folder.resolve(), *folder.resolve().parents]:
        for name in CONFIG_NAMES:
            if (d / name).is_file():
                return d / name
        py = d / "pyproject.toml"
        if py.is_file() and "[tool.kinerjalint]" in py.read_text(encoding="utf-8", errors="replace"):
            return py
    return None


def config_for(file: Path, explicit: Path | None = None) -> Config:
    path = explicit or find_config(file)
    return load_config(path.resolve()) if path is not None else preset("default")
