"""The linter service: HTTP API, submission store with audit trail, and the auditors' web page.

A thin shell over :mod:`kinerjalint.api`, like the CLI. Nothing here is imported by
``kinerjalint check``: FastAPI, SQLAlchemy and uvicorn load only for ``serve`` and ``token``.

Modules::

    settings    where the data lives and the limits, from arguments or the environment
    store       SQLAlchemy models and the repository (SQLite by default, PostgreSQL by URL)
    migrate     schema migrations (Alembic, scripts in migrations/), run once under a lock
    auth        API tokens (kept as SHA-256 hashes) and roles opd / auditor / admin
    limits      upload size, depth, nodes, XLSX/DOCX unpacked size, per-request time budget
    linting     bytes in, CheckResult and the JSON findings document out
    problems    errors as application/problem+json
    pool        the checker processes that run checks within the time budget
    operations  the application services (lint, submit, list, read, report, diff, waive, tokens):
                who may do what, and the audit entries; both route modules call them
    transport   what the route modules share about HTTP (reading an upload, answering a file)
    routes      the /v1 API (HTTP only)
    web         the server-rendered pages under /ui (HTTP only)
    app         the FastAPI application factory
    commands    `kinerjalint serve` and `kinerjalint token`
"""
