"""Limits that keep the service up, each answered with a clear problem and the server serving on.

=====================  ======  ==========================================================
limit                  status  where
=====================  ======  ==========================================================
upload size            413     :class:`BodyLimit` (whole body) and the route (the file)
nesting depth          422     the loaders' limit (``base.MAX_DEPTH``, set to ``max_depth``
                               in checker processes), by :func:`postcheck`
XLSX unpacked size     422     :func:`precheck`, from the zip directory, before unpacking
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

import asyncio
import atexit
import io
import os
import threading
import zipfile
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from pebble import ProcessExpired

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kinerjalint.service.problems import PROBLEM_JSON, ServiceProblem, log, problem_body
from kinerjalint.service.settings import Limits

if TYPE_CHECKING:
    from kinerjalint.results import CheckResult
    from kinerjalint.service.linting import Job, Outcome

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
    if fmt == "xlsx":
        size = unpacked_size(data)
        if size is not None and size > limits.max_unpacked:
            raise ServiceProblem(422, f"Isi XLSX setelah dibuka {_mb(size)}, melebihi batas {_mb(limits.max_unpacked)}.",
                                 slug="xlsx-terlalu-besar")


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

_POOLS: dict[tuple[int, int, int], Any] = {}
_POOLS_LOCK = threading.Lock()


def checker_pool(limits: Limits) -> Any:
    """The process's pool of checker processes (one per core unless ``check_processes`` says),
    shared by every app in the process and stopped when it exits.

    Checks are CPU work in Python: run in threads of the server process they hold its GIL,
    so the event loop waits behind them and requests are answered out of turn. In their own
    processes they run on every core, the event loop stays free, one queue serves requests
    in order of arrival, and a check past its budget can be stopped: its process is ended
    and replaced. Processes are spawned (not forked) so they inherit no listening socket and
    no lock held by another thread of the server.
    """
    key = (limits.check_processes or os.cpu_count() or 1, limits.max_yaml_values, limits.max_depth)
    pool = _POOLS.get(key)
    if pool is not None and pool.active:
        return pool
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None or not pool.active:
            import multiprocessing

            from pebble import ProcessPool

            from kinerjalint.service import linting

            pool = _POOLS[key] = ProcessPool(max_workers=key[0], initializer=linting.start_checker,
                                             initargs=(limits,), context=multiprocessing.get_context("spawn"))
            if len(_POOLS) == 1:
                atexit.register(_stop_pools)
    return pool


def _stop_pools() -> None:
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.stop()
        pool.join(timeout=5)


class CheckPool:
    """Sends checks to the checker processes, each within the time budget, at most
    ``max_inflight`` running or queued at once (503 beyond, with Retry-After)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._lock = threading.Lock()
        self.inflight = 0

    def start(self) -> None:
        """Start the checker processes now rather than on the first check (the pool starts
        them when it is first given something to do)."""
        checker_pool(self.limits).schedule(os.getpid)

    def _done(self, _fut: Any) -> None:
        with self._lock:
            self.inflight -= 1

    async def run(self, job: Job) -> Outcome:
        from kinerjalint.service import linting

        with self._lock:
            if self.inflight >= self.limits.max_inflight:
                raise ServiceProblem(503, "Layanan sedang memeriksa terlalu banyak berkas. Coba lagi sebentar lagi.",
                                     headers={"Retry-After": RETRY_AFTER})
            self.inflight += 1
        try:
            fut = checker_pool(self.limits).schedule(linting.run_job, (job, self.limits),
                                                     timeout=self.limits.time_budget)
        except BaseException:
            self._done(None)
            raise
        fut.add_done_callback(self._done)
        try:
            res = await asyncio.wait_for(asyncio.wrap_future(fut), self.limits.time_budget)
        except (asyncio.TimeoutError, FutureTimeout):
            fut.cancel()  # a running check's process is ended and replaced
            raise ServiceProblem(503, f"Pemeriksaan melebihi batas waktu {self.limits.time_budget:g} detik. "
                                      "Coba lagi nanti, atau kirim pohon yang lebih kecil.",
                                 slug="batas-waktu", headers={"Retry-After": RETRY_AFTER}) from None
        except BrokenProcessPool as exc:  # no checker could start: said once in the log, 503 to the caller
            log.error("proses pemeriksa tidak dapat berjalan: %s", exc)
            raise ServiceProblem(503, "Proses pemeriksa tidak dapat berjalan. Coba lagi sebentar lagi; bila berulang, "
                                      "hubungi pengelola layanan.", slug="pemeriksa-tidak-berjalan",
                                 headers={"Retry-After": RETRY_AFTER}) from None
        except ProcessExpired as exc:  # killed from outside (out of memory?): the pool replaces it
            raise ServiceProblem(503, "Proses pemeriksa berhenti tiba-tiba (kehabisan memori?). "
                                      "Coba lagi, atau kirim pohon yang lebih kecil.",
                                 slug="pemeriksa-berhenti", headers={"Retry-After": RETRY_AFTER}) from exc
        if isinstance(res, linting.Refused):
            raise res.problem()
        return res
