"""Checker processes: the pool that runs checks within the time budget (see :mod:`.limits`).

It sits above :mod:`.linting` (which runs one check) and :mod:`.limits` (which bounds the
input), so neither of those imports the other back.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from pebble import ProcessExpired

from kinerjalint.service import linting
from kinerjalint.service.limits import RETRY_AFTER
from kinerjalint.service.problems import ServiceProblem, log
from kinerjalint.service.settings import Limits

__all__ = ["CheckPool", "checker_pool"]


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

    async def run(self, job: linting.Job) -> linting.Outcome:
        """One check, within :attr:`Limits.time_budget`."""
        res = await self._within(linting.run_job, job, self.limits.time_budget)
        assert isinstance(res, linting.Outcome)
        return res

    async def cascade(self, job: linting.CascadeJob) -> str:
        """One period's government check (every agency's latest submission against the Pemda
        tree), within :attr:`Limits.cascade_budget`: a huge period cannot hold a server worker."""
        res = await self._within(linting.run_cascade, job, self.limits.cascade_budget)
        assert isinstance(res, str)
        return res

    async def _within(self, fn: Any, job: Any, budget: float) -> Any:
        with self._lock:
            if self.inflight >= self.limits.max_inflight:
                raise ServiceProblem(503, "Layanan sedang memeriksa terlalu banyak berkas. Coba lagi sebentar lagi.",
                                     headers={"Retry-After": RETRY_AFTER})
            self.inflight += 1
        try:
            fut = checker_pool(self.limits).schedule(fn, (job, self.limits), timeout=budget)
        except BaseException:
            self._done(None)
            raise
        fut.add_done_callback(self._done)
        try:
            res = await asyncio.wait_for(asyncio.wrap_future(fut), budget)
        except (asyncio.TimeoutError, FutureTimeout):
            fut.cancel()  # a running check's process is ended and replaced
            raise ServiceProblem(503, f"Pemeriksaan melebihi batas waktu {budget:g} detik. "
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
