"""Hostile input at scale (issue 18): a corpus the tests generate, run through the CLI.

Every case must end with a known exit code (0, 1 or 2), never "kesalahan internal" (exit 3),
within a bound on wall time and on output size. The corpus: one-line trees, numbers no
loader can hold, deep nesting, an alias bomb, bad encodings, huge values, escape sequences,
failed writes of every output, and --fix settling in one run on every sample.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from kinerjalint.cli import main

from .conftest import ROOT, SAMPLE, SAMPLES, Run, load_script, run_cli

TIME_LIMIT = 30.0  # seconds for one case, generous for the shared 2-core CI machine
INTERNAL = "kesalahan internal"
TREE = {"pohon": {"level": "outcome", "kinerja": "Meningkatnya rasa aman masyarakat",
                  "indikator": [{"nama": "Persentase warga yang merasa aman", "satuan": "%", "target": 80}]}}


def bounded(*args: str, max_out: int = 2_000_000) -> Run:
    """Run the CLI in-process within the time and output bounds; no internal error."""
    start = time.perf_counter()
    r = run_cli(*args)
    took = time.perf_counter() - start
    assert took < TIME_LIMIT, f"{args}: {took:.1f} s"
    assert len(r.out) + len(r.err) < max_out, f"{args}: {len(r.out) + len(r.err)} characters of output"
    assert r.code in (0, 1, 2), (r.code, r.err)
    assert INTERNAL not in r.out + r.err, r.err
    return r


def findings(r: Run) -> list[dict]:
    return [f for file in r.json()["files"] for f in file["findings"]]


def at(r: Run, code: str) -> list[tuple[int, int]]:
    return [(f["line"], f["column"]) for f in findings(r) if f["code"] == code]


def tree_with_target(target: str) -> str:
    return ('{"pohon": {"level": "outcome", "kinerja": "Meningkatnya rasa aman masyarakat", "indikator": '
            '[{"nama": "Persentase warga yang merasa aman", "satuan": "%", "target": ' + target + '}]}}')


# ---- 18.1: a one-line tree is as cheap as a pretty-printed one --------------------------

@pytest.fixture(scope="module")
def generated() -> dict:
    return load_script(ROOT / "bench" / "generate.py").generate(2000)


@pytest.mark.parametrize("form", ["json", "yaml"])
def test_one_line_tree_has_bounded_output(tmp_path: Path, generated: dict, form: str) -> None:
    path = tmp_path / f"satu-baris.{form}"
    if form == "json":
        path.write_text(json.dumps(generated, ensure_ascii=False), encoding="utf-8")
    else:
        from ruamel.yaml import YAML

        y = YAML(typ="safe", pure=False)
        y.default_flow_style, y.width = True, 10**9
        with path.open("w", encoding="utf-8") as fh:
            y.dump(generated, fh)
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= 1 and len(text) > 400_000
    for fmt in ("text", "sarif"):
        r = bounded("check", str(path), "--no-config", "--format", fmt, max_out=5_000_000)
        assert r.code == 1
        longest = max(len(line) for line in r.out.splitlines())
        assert longest < 2_000, f"{fmt}: an output line of {longest} characters"


def test_excerpts_of_one_huge_line_are_linear() -> None:
    """Many findings on one 5 MB line: each excerpt costs its window, not the line
    (expanding the tabs of the whole line per finding took 11 s of a 17 s check)."""
    from kinerjalint.findings import Finding, Severity
    from kinerjalint.reporters import text

    line = ('{"kinerja": "Meningkatkan x",\t' * 200_000)[:5_000_000]
    fs = [Finding("LNG-02", "diawali-kata-kerja", Severity.error, "m", "m", "f.json", 1, c, 1, c + 20)
          for c in range(1, 5_000_000, 2_500)]
    lines = [line]
    start = time.perf_counter()
    shown = [text._excerpt(lines, f) for f in fs]
    assert time.perf_counter() - start < 2.0
    assert shown[-1] is not None
    pieces, _style = shown[-1]
    assert max(len(ln) for ln in "".join(p for p, _ in pieces).splitlines()) < text.WINDOW + 20


# ---- 18.2: numbers no loader can hold ---------------------------------------------------

@pytest.mark.parametrize("literal,words", [
    ("9" * 100_000, "terlalu panjang (100000 digit)"),
    ("-" + "1" * 5_000, "terlalu panjang (5000 digit)"),
    ("1e999999", "di luar jangkauan"),
    ("9" * 100_000 + ".5", "di luar jangkauan"),
    ("NaN", "bukan angka yang sah"),
    ("-Infinity", "bukan angka yang sah"),
])
def test_json_number_no_loader_can_hold_is_sys02_at_the_value(tmp_path: Path, literal: str, words: str) -> None:
    path = tmp_path / "angka.json"
    text = tree_with_target(literal)
    path.write_text(text, encoding="utf-8")
    r = bounded("check", str(path), "--no-config", "--format", "json")
    sys02 = [f for f in findings(r) if f["code"] == "SYS-02"]
    assert [(f["line"], f["column"]) for f in sys02] == [(1, text.index(literal) + 1)]
    assert words in sys02[0]["message"] and len(sys02[0]["message"]) < 200


@pytest.mark.parametrize("literal,words", [("9" * 100_000, "terlalu panjang"), ("1e400", "di luar jangkauan")])
def test_yaml_number_no_loader_can_hold_is_sys02_too(tmp_path: Path, literal: str, words: str) -> None:
    path = tmp_path / "angka.yaml"
    path.write_text("pohon:\n  level: outcome\n  kinerja: Meningkatnya rasa aman masyarakat\n  indikator:\n"
                    f"  - nama: Persentase warga yang merasa aman\n    satuan: '%'\n    target: {literal}\n",
                    encoding="utf-8")
    r = bounded("check", str(path), "--no-config", "--format", "json")
    assert at(r, "SYS-02") == [(7, 13)]
    assert words in next(f["message"] for f in findings(r) if f["code"] == "SYS-02")


def test_huge_numbers_elsewhere_are_findings(tmp_path: Path) -> None:
    for name, text in {
        "tahun.yaml": "tahun: " + "9" * 5_000 + "\npohon: {level: outcome, kinerja: Meningkatnya rasa aman}\n",
        "id.json": '{"pohon": {"id": ' + "9" * 4_000 + ', "level": "outcome", "kinerja": "Meningkatnya x"}}',
        "level.json": json.dumps({"pohon": {"level": "x" * 2_000_000, "kinerja": "Meningkatnya x"}}),
        "kunci.json": json.dumps({"pohon": {"level": "outcome", "kinerja": "Meningkatnya x", "k" * 1_000_000: 1}}),
    }.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        r = bounded("check", str(path), "--no-config", max_out=20_000)
        assert r.code == 1, name


# ---- nesting, aliases, encodings, huge and hostile text ---------------------------------

def _zip(parts: dict[str, bytes]) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


HOSTILE: dict[str, Callable[[], bytes]] = {
    "deep-list.json": lambda: b"[" * 100_000 + b"]" * 100_000,
    "deep-object.json": lambda: b'{"pohon":' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001,
    "deep-flow.yaml": lambda: b"pohon: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "deep-block.yaml": lambda: b"pohon:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 400)),
    "alias-bomb.yaml": lambda: ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh"))
        + "pohon: {level: outcome, kinerja: Meningkatnya x, keterangan: *h}\n").encode(),
    "utf16.yaml": lambda: "pohon:\n  level: outcome\n  kinerja: Meningkatnya x\n".encode("utf-16"),
    "latin1.yaml": lambda: "pohon:\n  level: outcome\n  kinerja: Meningkatnya caf\xe9\n".encode("latin-1"),
    "bytes.yaml": lambda: bytes(range(256)) * 400,
    "bom.json": lambda: b"\xef\xbb\xbf" + json.dumps(TREE).encode(),
    "nul.json": lambda: b'{"pohon": {"level": "outcome", "kinerja": "Meningkatnya a\\u0000b"}}',
    "empty.json": lambda: b"",
    "empty.yaml": lambda: b"",
    "scalar.json": lambda: b"5",
    "list.yaml": lambda: b"- 1\n- 2\n",
    "python-tag.yaml": lambda: b'pohon: !!python/object/apply:os.system ["touch dipanggil"]\n',
    "duplicate-key.json": lambda: b'{"pohon": {"level": "outcome", "kinerja": "a", "kinerja": "Meningkatkan b"}}',
    "crlf.yaml": lambda: b"pohon:\r\n  level: outcome\r\n  kinerja: Meningkatkan rasa aman\r\n",
    "long-statement.json": lambda: json.dumps({"pohon": {"level": "outcome", "kinerja": "Meningkatkan " + "sangat " * 300_000,
                                                         "indikator": [{"nama": "Persentase x", "satuan": "%"}]}}).encode(),
    "big-cell.tsv": lambda: b"level\tkinerja\tindikator\noutcome\tMeningkatkan " + b"x" * 5_000_000 + b"\tPersentase x\n",
    "open-quote.csv": lambda: b'level,kinerja\noutcome,"' + b"a" * 1_000 + b"\n",
    "nul.tsv": lambda: b"level\tkinerja\noutcome\tMeningkat\x00kan x\n",
    "not-a-zip.xlsx": lambda: b"PK\x03\x04sampah" * 100,
    "zip-bomb.xlsx": lambda: _zip({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b" " * 210_000_000}),
    "long-line.yaml": lambda: b"pohon: {level: outcome, kinerja: Meningkatkan x, keterangan: '" + b"y" * 5_000_000 + b"'}\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_a_finding_with_bounded_output(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(HOSTILE[name]())
    r = bounded("check", str(path), "--no-config", max_out=50_000)
    assert r.code == 1, (name, r.out[-500:], r.err)
    assert not (Path.cwd() / "dipanggil").exists() and not (tmp_path / "dipanggil").exists()


def test_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "ansi.yaml"
    path.write_text('pohon:\n  level: outcome\n  kinerja: "Meningkatkan \\e[2J\\e]0;judul\\a rasa aman"\n', encoding="utf-8")
    r = bounded("check", str(path), "--no-config")
    assert "LNG-02" in r.out and "\x1b" not in r.out and "\x07" not in r.out


# ---- 18.3: failed writes ----------------------------------------------------------------

def one_line_error(r: Run, path: Path | str) -> None:
    assert r.code == 2, (r.code, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and INTERNAL not in r.err, r.err


def no_leftovers(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write through writers/atomic.py fails as on a full disk, after the bytes went out."""
    from kinerjalint.writers import atomic

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", fsync)


OUTPUTS: dict[str, Callable[[Path, Path], list[str]]] = {
    "report": lambda src, out: ["check", str(src), "--no-config", "-f", "json", "-o", str(out)],
    "sarif": lambda src, out: ["check", str(src), "--no-config", "-f", "sarif", "-o", str(out)],
    "baseline": lambda src, out: ["check", str(src), "--no-config", "--write-baseline", str(out)],
    "convert": lambda src, out: ["convert", str(src), str(out)],
    "inspectorate": lambda src, out: ["report", str(src), "--no-config", "-o", str(out)],
    "annotate": lambda src, out: ["check", str(src), "--no-config", "--annotate", str(out)],
}


@pytest.mark.parametrize("kind", sorted(OUTPUTS))
def test_full_disk_leaves_the_old_file_and_no_partial_one(tmp_path: Path, disk_full: None, kind: str) -> None:
    src = tmp_path / "pohon.yaml"
    shutil.copy(SAMPLE, src)
    out = tmp_path / ("keluaran.xlsx" if kind == "annotate" else "keluaran.json")
    out.write_bytes(b"lama")
    r = bounded(*OUTPUTS[kind](src, out))
    one_line_error(r, out)
    assert "disk penuh" in r.err and out.read_bytes() == b"lama"
    no_leftovers(tmp_path)


@pytest.mark.parametrize("kind", sorted(OUTPUTS))
def test_output_into_a_missing_folder(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "tidak-ada" / ("keluaran.xlsx" if kind == "annotate" else "keluaran.json")
    r = bounded(*OUTPUTS[kind](SAMPLE, out))
    one_line_error(r, out.parent)
    assert not out.parent.exists()


def test_output_onto_a_folder(tmp_path: Path) -> None:
    one_line_error(bounded("check", str(SAMPLE), "-f", "json", "-o", str(tmp_path)), tmp_path)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc (Linux)")
def test_output_where_no_file_can_be_made() -> None:
    one_line_error(bounded("check", str(SAMPLE), "-f", "json", "-o", "/proc/laporan.json"), "/proc/laporan.json")


def test_fix_on_a_full_disk_leaves_the_source_as_it_was(tmp_path: Path, disk_full: None) -> None:
    src = tmp_path / "pohon.yaml"
    shutil.copy(SAMPLE, src)
    r = bounded("check", str(src), "--no-config", "--fix")
    assert r.code == 2 and "disk penuh" in r.err and str(src) in r.err and INTERNAL not in r.err
    assert src.read_bytes() == SAMPLE.read_bytes()
    no_leftovers(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_given_as_output_is_written_in_place(tmp_path: Path) -> None:
    """A device or pipe named by -o is written, never replaced by a plain file (as root,
    -o /dev/full once turned the device into a file)."""
    fifo = tmp_path / "pipa"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = bounded("check", str(SAMPLE), "--no-config", "-f", "json", "-o", str(fifo))
    reader.join(TIME_LIMIT)
    assert r.code == 1 and stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(got[0])["files"][0]["file"] == str(SAMPLE)


class _Failing(io.StringIO):
    def __init__(self, exc: OSError) -> None:
        super().__init__()
        self.exc = exc

    def write(self, s: str) -> int:
        raise self.exc

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no descriptor")


@pytest.mark.parametrize("exc,message", [(OSError(errno.ENOSPC, "No space left on device"), True),
                                         (BrokenPipeError(errno.EPIPE, "Broken pipe"), False)])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_stdout_that_fails(exc: OSError, message: bool, fmt: str) -> None:
    """A full disk behind stdout is one line and exit 2; a closed pipe (| head) ends quietly, exit 2."""
    err = io.StringIO()
    with redirect_stdout(_Failing(exc)), redirect_stderr(err):
        code = main(["check", str(SAMPLE), "--no-config", "-f", fmt])
    assert code == 2 and INTERNAL not in err.getvalue()
    assert ("keluaran standar tidak dapat ditulis: disk penuh" in err.getvalue()) == message
    assert err.getvalue().count("\n") == (1 if message else 0)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_closed_pipe_in_a_real_process(tmp_path: Path, fmt: str) -> None:
    """`| head -c1`: exit 2 and nothing on stderr (a megabyte written at once into the closed
    pipe used to end as if it had all been read: exit 1)."""
    big = tmp_path / "besar.json"
    big.write_text(json.dumps(load_script(ROOT / "bench" / "generate.py").generate(1500)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "kinerjalint", "check", str(big), "--no-config", "-f", fmt],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(1)
    proc.stdout.close()  # the reader goes away, as `| head -c1` does
    err = proc.stderr.read()
    assert proc.wait(TIME_LIMIT) == 2 and err == b""


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
def test_stdout_on_a_full_device(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "kinerjalint", "check", str(SAMPLE), "--no-config"],
                              stdout=full, stderr=subprocess.PIPE, env=env, cwd=tmp_path, timeout=TIME_LIMIT)
    assert proc.returncode == 2 and proc.stderr.decode().strip().count("\n") == 0
    assert "disk penuh" in proc.stderr.decode()


# ---- 18.4 and 16.3: --fix settles in one run and never leaves more findings -------------

FIXABLE = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".yml"))
NOT_FIXABLE = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".tsv", ".csv", ".xlsx"))


def counted(path: Path) -> Counter:
    return Counter(f["code"] for f in findings(bounded("check", str(path), "--no-config", "-f", "json")))


@pytest.mark.parametrize("name", FIXABLE)
def test_fix_settles_in_one_run_and_never_adds_findings(tmp_path: Path, name: str) -> None:
    work = tmp_path / name
    shutil.copy(SAMPLES / name, work)
    before = counted(work)
    bounded("check", str(work), "--no-config", "--fix")
    once = work.read_bytes()
    after = counted(work)
    assert sum(after.values()) <= sum(before.values()), (before, after)
    assert not set(after) - set(before), f"new codes: {set(after) - set(before)}"
    r = bounded("check", str(work), "--no-config", "--fix")
    assert work.read_bytes() == once, "a second --fix changed the file"
    assert "perbaikan ditulis" not in r.err
    no_leftovers(tmp_path)


def test_fix_on_the_bundled_sample_lowers_every_count(tmp_path: Path) -> None:
    work = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, work)
    before = counted(work)
    bounded("check", str(work), "--no-config", "--fix")
    after = counted(work)
    assert after["CON-04"] <= before["CON-04"] and after["NAM-01"] <= before["NAM-01"]
    assert after["LNG-09"] == 0 and sum(after.values()) < sum(before.values())
    text = work.read_text(encoding="utf-8")
    assert "Tercegahnya munculnya" not in text and "Penyalagunaan" not in text


def test_two_fixes_on_one_statement_and_its_table_copy(tmp_path: Path) -> None:
    path = tmp_path / "pohon.yaml"
    statement = "Meningkatkan kordinasi penanganan konflik sosial"
    path.write_text(
        "pohon:\n  id: '1'\n  level: outcome\n  kinerja: " + statement + "  # akar\n"
        "  indikator: [{nama: Persentase konflik sosial yang tertangani, satuan: '%', target: 80}]\n"
        "tabel:\n  tahap4:\n    - tahap: outcome\n      kinerja: '" + statement + "'\n"
        "      indikator: Persentase konflik sosial yang tertangani\n", encoding="utf-8")
    r = bounded("check", str(path), "--no-config", "--fix")
    text = path.read_text(encoding="utf-8")
    assert text.count("Meningkatnya koordinasi penanganan konflik sosial") == 2, text
    assert "# akar" in text and "kinerja: 'Meningkatnya koordinasi" in text  # style and comment kept
    assert "LNG-02" in r.err and "LNG-09" in r.err
    assert not {"LNG-02", "LNG-09", "CON-04"} & set(counted(path))


@pytest.mark.parametrize("name", NOT_FIXABLE)
def test_fix_on_a_table_says_it_does_not_apply(tmp_path: Path, name: str) -> None:
    work = tmp_path / name
    shutil.copy(SAMPLES / name, work)
    r = bounded("check", str(work), "--no-config", "--fix")
    assert work.read_bytes() == (SAMPLES / name).read_bytes()
    assert "--fix hanya memperbaiki berkas YAML" in r.err and name.rsplit(".", 1)[1].upper() in r.err


def test_a_fixed_unit_is_not_copied_to_other_indicators(tmp_path: Path) -> None:
    """Only statements and indicator names are copies of one another; the same unit may be
    right for another indicator ("%" of a Persentase stays when a Jumlah's "%" is fixed)."""
    path = tmp_path / "satuan.yaml"
    path.write_text("pohon:\n  level: operasional\n  kinerja: Terpantaunya potensi konflik\n  indikator:\n"
                    "    - {nama: Jumlah orang yang dilatih, satuan: '%'}\n"
                    "    - {nama: Persentase desa terpantau, satuan: '%'}\n", encoding="utf-8")
    bounded("check", str(path), "--no-config", "--fix")
    text = path.read_text(encoding="utf-8")
    assert "satuan: 'orang'" in text and "Persentase desa terpantau, satuan: '%'" in text


@pytest.mark.parametrize("flags", [["-f", "json", "-o", "{src}"], ["--write-baseline", "{src}"],
                                   ["-f", "text", "-o", "laporan.txt", "-f", "sarif", "-o", "{src}"]])
def test_an_output_never_replaces_the_checked_file(tmp_path: Path, flags: list[str]) -> None:
    src = tmp_path / "pohon.yaml"
    shutil.copy(SAMPLE, src)
    r = bounded("check", str(src), "--no-config", *[f.replace("{src}", str(src)) for f in flags])
    one_line_error(r, src)
    assert src.read_bytes() == SAMPLE.read_bytes()
    r = bounded("report", str(src), "--no-config", "-o", str(src))
    one_line_error(r, src)
    assert src.read_bytes() == SAMPLE.read_bytes()
