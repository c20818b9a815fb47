"""``kinerjalint serve`` and ``kinerjalint token``: what cli.py calls, lazily.

The CLI defines the arguments; these functions import the service (FastAPI, SQLAlchemy,
uvicorn) only when one of the two commands runs, so ``kinerjalint check`` starts as fast
as before.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from kinerjalint.errors import UsageError

_MISSING = ("layanan memerlukan paket tambahan: pasang dengan  pip install 'kinerjalint[service]'  ({name} "
            "tidak ditemukan)")


def _settings(args: argparse.Namespace) -> object:
    from kinerjalint.service.settings import Settings

    try:
        s = Settings.from_env()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if getattr(args, "data", None):
        s = replace(s, data_dir=Path(args.data))
    if getattr(args, "database_url", None):
        s = replace(s, database_url=args.database_url)
    if getattr(args, "checkers", None) is not None:
        s = replace(s, limits=replace(s.limits, check_processes=args.checkers))
    return s


def _store(args: argparse.Namespace) -> object:
    try:
        from kinerjalint.service import migrate
        from kinerjalint.service.settings import Settings
        from kinerjalint.service.store import Store
    except ModuleNotFoundError as exc:
        raise UsageError(_MISSING.format(name=exc.name)) from None
    s = _settings(args)
    assert isinstance(s, Settings)
    store = Store(s.url)
    try:
        migrate.upgrade(store)
    except Exception as exc:  # noqa: BLE001 -- an unreachable database is the user's to fix
        raise UsageError(f"basis data {_safe_url(s.url)} tidak dapat dibuka: {type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
    return store


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "(URL tidak sah)"


def serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn
    except ModuleNotFoundError as exc:
        raise UsageError(_MISSING.format(name=exc.name)) from None
    from kinerjalint.service.settings import Settings
    from kinerjalint.service.store import Store

    if args.workers < 1:
        raise UsageError("--workers paling sedikit 1")
    if args.checkers is not None and args.checkers < 1:
        raise UsageError("--checkers paling sedikit 1")
    settings = _settings(args)
    assert isinstance(settings, Settings)
    if not settings.data_dir.exists():
        settings.data_dir.mkdir(mode=0o700, parents=True)  # private to the service's user
    store = _store(args)  # migrate once here, before any worker starts
    assert isinstance(store, Store)
    store.dispose()
    os.environ.update(settings.to_env())
    print(f"kinerjalint melayani di http://{args.host}:{args.port}/ (API: /docs); "
          f"basis data {_safe_url(settings.url)}", file=sys.stderr)
    uvicorn.run("kinerjalint.service.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info", access_log=os.environ.get("KINERJALINT_ACCESS_LOG", "1") != "0",
                proxy_headers=False, server_header=False)
    return 0


def token(args: argparse.Namespace) -> int:
    from kinerjalint.service.auth import clean_agency, validate_role
    from kinerjalint.service.problems import ServiceProblem
    from kinerjalint.service.store import Store, token_dict

    store = _store(args)
    assert isinstance(store, Store)
    try:
        if args.action == "create":
            if not args.role:
                raise UsageError("sebutkan --role (opd, auditor, admin)")
            try:
                agency = clean_agency(args.agency)
                validate_role(args.role, agency)
            except ServiceProblem as exc:
                raise UsageError(str(exc.detail)) from None
            tok, secret = store.create_token(args.role, agency, args.label or "")
            print(secret)
            print(f"token {tok.id} ({tok.role}{', ' + tok.agency if tok.agency else ''}) dibuat; simpan token di atas "
                  "sekarang: token tidak akan ditampilkan lagi.", file=sys.stderr)
        elif args.action == "list":
            for t in store.list_tokens():
                d = token_dict(t)
                state = f"dicabut {d['revoked_at']}" if d["revoked_at"] else "aktif"
                print(f"{d['id']}\t{d['role']}\t{d['agency'] or '-'}\t{state}\t{d['label']}")
        else:
            if not args.token_id:
                raise UsageError("sebutkan id token yang dicabut: kinerjalint token revoke ID")
            if store.revoke_token(args.token_id) is None:
                raise UsageError(f"token '{args.token_id}' tidak ada")
            print(f"token {args.token_id} dicabut", file=sys.stderr)
    finally:
        store.dispose()
    return 0
