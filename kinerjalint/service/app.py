"""The FastAPI application factory.

``create_app()`` reads :class:`Settings` from the environment when given none: that is how
uvicorn's worker processes (``--workers N``) build theirs. Each process keeps no state
between requests beyond caches (the compiled rulebook); everything else is in the store,
so several processes, or several hosts, can share one PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.concurrency import run_in_threadpool

from kinerjalint.version import __version__
from kinerjalint.service import migrate, problems
from kinerjalint.service.limits import BodyLimit
from kinerjalint.service.pool import CheckPool
from kinerjalint.service.settings import Settings
from kinerjalint.service.store import Store

MULTIPART_SLACK = 256 * 1024  # multipart headers and boundaries around an upload of max_upload bytes

DESCRIPTION = """\
Layanan pemeriksa pohon kinerja (PermenPANRB 89/2021).

* `POST /v1/lint` memeriksa satu pohon tanpa menyimpannya.
* `POST /v1/submissions` memeriksa dan menyimpan pohon sebuah instansi; hasilnya dapat dibaca ulang,
  dibandingkan, dan diberi pengecualian oleh auditor.
* Token API (`Authorization: Bearer ...`) dibuat dengan `kinerjalint token create`. Peran `opd` hanya
  melihat pengiriman instansinya; `auditor` melihat semua; `admin` juga mengelola token.
* Semua galat berupa `application/problem+json`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    store = Store(settings.url)
    migrate.upgrade(store)
    from kinerjalint.rulebook import load_rulebook

    load_rulebook()  # compile the rules now, not on the first request (GET /v1/rules reads them here)
    runner = CheckPool(settings.limits)
    runner.start()  # the checker processes load their rulebook while the server starts

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import gc

        # What the server loaded to start is kept for good: keep it out of the collector's passes.
        gc.collect()
        gc.freeze()
        yield
        store.dispose()

    # /docs and /redoc from the scripts and styles fastapi-offline ships in its package, served
    # here under /static-offline-docs: the pages work offline and load nothing from a CDN.
    from fastapi_offline import FastAPIOffline

    app = FastAPIOffline(title="kinerjalint", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                         openapi_tags=[{"name": "v1"}])
    app.state.settings = settings
    app.state.store = store
    app.state.runner = runner
    app.add_middleware(BodyLimit, max_body=settings.limits.max_upload + MULTIPART_SLACK,
                       max_upload=settings.limits.max_upload)
    from kinerjalint.service import routes, web
    from kinerjalint.service.operations import Operations

    app.state.ops = Operations(store, runner, web.fallback_report)
    problems.install(app, web.error_page)
    app.include_router(routes.router, tags=["v1"])
    app.include_router(web.router)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=303)  # the web page (sign-in first when signed out)

    @app.get("/healthz", summary="Kesehatan layanan", tags=["v1"])
    async def healthz(request: Request) -> Any:
        try:
            await run_in_threadpool(store.ping)
        except Exception:  # noqa: BLE001 -- reported as the answer, not raised
            return problems.problem(503, "Basis data tidak dapat dihubungi.")
        return {"status": "ok", "version": __version__, "database": store.dialect,
                "schema": await run_in_threadpool(migrate.current, store)}

    return app
