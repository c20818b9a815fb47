"""Limits that keep the service up, each answered with a clear problem and the server serving on.

=====================  ======  ==========================================================
limit                  status  where
=====================  ======  ==========================================================
upload size            413     :class:`BodyLimit` (whole body) and the route (the file)
nesting depth          422     the loaders' limit (``base.MAX_DEPTH``, set to ``max_depth``
                               in checker processes), by :func:`postcheck`
XLSX/DOCX unpacked    422     :func:`precheck`, from the zip directory, before unpacking
YAML alias expansion   422     the loader's budget (``yamldoc.MAX_VALUES``, set lower in
                               checker processes), by :func:`postcheck`
nodes                  422     :func:`postcheck`
time budget            503     :class:`CheckPool` (with Retry-After); so is a full queue
=====================  ======  ==========================================================

Depth is the loaders' own check, made before anything recurses: JSON's C decoder stops
deep input with a RecursionError, and the YAML loader measures nesting that could crash
libyaml's composer (deep flow brackets, long runs of block indicators on one line) on the
parser's iterative event stream first. Neither is parsed twice.

Checks run in checker processes (:func:`checker_pool`): a check that outlives its time
budget is stopped by ending its process, which the pool replaces; :attr:`Limits.max_inflight`
bounds how many checks may run or wait, so the server answers 503 rather than queueing
without end.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING


from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kinerjalint.service.problems import PROBLEM_JSON, ServiceProblem, problem_body
from kinerjalint.service.settings import Limits

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult

RETRY_AFTER = "5"
_YAML_BUDGET_EN = "expands to more than"
_NESTING_EN = ("nested more than", "nested too deeply")  # the loaders' SYS-01 texts for depth


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n} byte"


def too_large(limit: int) -> ServiceProblem:
    return ServiceProblem(413, f"Unggahan melebihi batas {_mb(limit)}. Kirim berkas yang lebih kecil, "
                               "atau pecah pohon per perangkat daerah.")


# ---- whole request body -----------------------------------------------------------------

class BodyTooLarge(ServiceProblem):
    pass


class BodyLimit:
    """ASGI middleware: refuse a body over ``max_body`` bytes, by its length or as it streams."""

    def __init__(self, app: ASGIApp, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope.get("headers", []) if k == b"content-length"), None)
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _send_problem(send, too_large(self.max_upload) if length.isdigit()
                                else ServiceProblem(400, "kepala Content-Length tidak sah"))
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge(413, str(too_large(self.max_upload).detail))
            return msg

        await self.app(scope, limited, send)


async def _send_problem(send: Send, p: ServiceProblem) -> None:
    import json

    body = json.dumps(problem_body(p.status_code, str(p.detail), p.title, p.slug), ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": p.status_code,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


# ---- before and after the check -----------------------------------------------------------

def unpacked_size(data: bytes) -> int | None:
    """The bytes an XLSX (zip) archive unpacks to, from its directory; None if not a zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None


def precheck(data: bytes, fmt: str, limits: Limits) -> None:
    if fmt in ("xlsx", "docx"):  # both are zip archives
        size = unpacked_size(data)
        if size is not None and size > limits.max_unpacked:
            raise ServiceProblem(422, f"Isi {fmt.upper()} setelah dibuka {_mb(size)}, melebihi batas {_mb(limits.max_unpacked)}.",
                                 slug=f"{fmt}-terlalu-besar")


def postcheck(result: CheckResult, fmt: str, limits: Limits) -> None:
    """The loaders' own limits (alias expansion, nesting, set lower in checker processes) as
    clear 4xx answers, and the node limit."""
    for f in result.findings:
        if f.code != "SYS-01":
            continue
        if _YAML_BUDGET_EN in f.message_en:
            raise ServiceProblem(422, f"Berkas YAML menghasilkan lebih dari {limits.max_yaml_values} nilai "
                                      "(alias YAML berlapis?).", slug="alias-yaml")
        if any(t in f.message_en for t in _NESTING_EN):
            via = " (langsung atau lewat alias YAML)" if "alias" in f.message_en else ""
            raise ServiceProblem(422, f"Struktur {fmt.upper()} bersarang lebih dari {limits.max_depth} tingkat{via}; "
                                      "pohon kinerja tidak sedalam itu.", slug="terlalu-dalam")
    if result.tree is not None and len(result.tree.nodes) > limits.max_nodes:
        raise ServiceProblem(422, f"Pohon berisi {len(result.tree.nodes)} node, melebihi batas {limits.max_nodes}. "
                                  "Kirim pohon per perangkat daerah.", slug="terlalu-banyak-node")


# ---- checker processes and the time budget --------------------------------------------------
