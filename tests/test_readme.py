"""The README's marked shell blocks run as written, in a copy of the checkout.

A block is marked by an HTML comment on the line before its fence (invisible on the rendered
page)::

    <!-- readme-test expect="LNG-02" -->
    ```sh
    ...
    ```

Each marked block runs with ``bash -euo pipefail`` in a fresh copy of the checkout (no
``.venv``, no ``.git``), with its own temporary data folder (``XDG_DATA_HOME``) and a
bounded time; it must exit 0 and print every ``expect`` string. The one change made to a
block: the service's port 8089 becomes a free port, so that the test never meets a server
already running there. Whatever a block leaves running (a server started with ``&``) is
ended with the block's process group.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.service_support import free_port

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARK = re.compile(r"^<!-- readme-test(?P<args>[^>]*)-->\n```(?:sh|bash|console)?\n(?P<body>.*?)^```$", re.M | re.S)
TIME_LIMIT = 600  # seconds for one block, a fresh virtualenv and its install included
SKIP_COPY = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "kinerjalint-data",
             ".kinerjalint_cache", "build", "dist"}


def marked_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(body, expected strings) of every marked block, in README order."""
    out = []
    for m in MARK.finditer(text):
        expect = re.findall(r'expect="([^"]*)"', m.group("args"))
        out.append((m.group("body"), expect))
    return out


def test_marks_are_found() -> None:
    blocks = marked_blocks(README.read_text(encoding="utf-8"))
    assert any("kinerjalint serve" in body and "TOKEN=$(" in body for body, _ in blocks), \
        "the service quick start is not marked for testing"
    # every marker sits right before a shell block (a marker before anything else would test nothing)
    assert README.read_text(encoding="utf-8").count("<!-- readme-test") == len(blocks)


def test_marked_blocks_parse() -> None:
    text = "x\n<!-- readme-test expect=\"A\" expect=\"B\" -->\n```sh\necho A B\n```\n\n```sh\nfalse\n```\n"
    assert marked_blocks(text) == [("echo A B\n", ["A", "B"])]


def _copy_checkout(into: Path) -> Path:
    dest = into / "kinerjalint"

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP_COPY or n.endswith(".egg-info")} | (
            {"data"} if Path(folder) == ROOT / "bench" else set())

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    return dest


def run_block(body: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    checkout = _copy_checkout(tmp)
    script = body.replace("8089", str(free_port()))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINERJALINT_", "VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(XDG_DATA_HOME=str(tmp / "xdg-data"), KINERJALINT_ACCESS_LOG="0", PIP_DISABLE_PIP_VERSION_CHECK="1")
    proc = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script], cwd=checkout, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"the block ran past {TIME_LIMIT} s:\n{script}\n--- stdout\n{out[-3000:]}\n--- stderr\n{err[-3000:]}")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # a server the block left running
        except ProcessLookupError:
            pass
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize("index", range(len(marked_blocks(README.read_text(encoding="utf-8")))))
def test_readme_block_runs_verbatim(index: int, tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    body, expect = marked_blocks(README.read_text(encoding="utf-8"))[index]
    done = run_block(body, tmp_path)
    detail = f"\n{body}\n--- exit {done.returncode}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    assert done.returncode == 0, detail
    for want in expect:
        assert want in done.stdout, f"'{want}' not printed" + detail
