"""The submission store: SQLAlchemy models and the repository the routes call.

SQLite is the embedded default (one file in the data folder, WAL journal, synchronous=FULL
so that a commit is on disk when it returns); PostgreSQL is used by URL. Both get the same
schema from :mod:`kinerjalint.service.migrate`.

"Nothing submitted is ever lost": :meth:`Store.add_submission` writes the row, original
bytes included, and its audit entry in one transaction, and returns only after the commit;
the route answers 201 after that. A crash before the commit leaves no row at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

TOKEN_PREFIX = "klt_"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def aware(t: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; every stored time is UTC."""
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.timezone.utc)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Base(DeclarativeBase):
    pass


class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    agency: Mapped[str | None] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A signed-in browser: the cookie holds a random id, the store only its SHA-256."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[str] = mapped_column(ForeignKey("tokens.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))  # the token every form of this session carries
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agency: Mapped[str] = mapped_column(String(200), index=True)
    period: Mapped[str | None] = mapped_column(String(40), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(200))
    fmt: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    original: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    findings: Mapped[str] = mapped_column(Text, deferred=True)  # the JSON findings document
    outline: Mapped[str] = mapped_column(Text, deferred=True)  # the drawn tree, JSON
    gradable: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float | None] = mapped_column(Float)
    predikat: Mapped[str] = mapped_column(String(40), index=True)
    errors: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer)
    infos: Mapped[int] = mapped_column(Integer)
    tool_version: Mapped[str] = mapped_column(String(40))
    rulebook_version: Mapped[str] = mapped_column(String(40))
    token_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # After an auditor's waiver: the findings and grade with every waiver applied.
    reviewed_findings: Mapped[str | None] = mapped_column(Text, deferred=True)
    reviewed_score: Mapped[float | None] = mapped_column(Float)
    reviewed_predikat: Mapped[str | None] = mapped_column(String(40))

    @property
    def effective_score(self) -> float | None:
        return self.reviewed_score if self.reviewed_predikat is not None else self.score

    @property
    def effective_predikat(self) -> str:
        return self.reviewed_predikat if self.reviewed_predikat is not None else self.predikat


class WaiverRow(Base):
    __tablename__ = "waivers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    node: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    token_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PemdaTreeRow(Base):
    """A Pemda tree (``jenis: pemda``) an auditor stored for a period (issue 15)."""

    __tablename__ = "pemda_trees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(40), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    fmt: Mapped[str] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64))
    original: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    token_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    token_id: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[str | None] = mapped_column(String(16))
    agency: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    submission_id: Mapped[int | None] = mapped_column(Integer, index=True)
    input_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Who:
    """The caller, as the audit log records it."""

    token_id: str | None
    role: str | None
    agency: str | None


@dataclass(frozen=True)
class Filters:
    agency: str | None = None
    period: str | None = None
    predikat: str | None = None
    limit: int = 100
    offset: int = 0


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off; "begin" below issues BEGIN.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # a commit is durable when it returns, WAL included
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=15000")  # several worker processes share the file
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers take the write lock up front: no deadlock between two read-then-write
    # transactions of different processes (SQLITE_BUSY on lock upgrade).
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("kl_write") else "BEGIN")


def private_sqlite(url: str) -> None:
    """The SQLite file's folder created 0700 and the file itself 0600, before SQLite opens it:
    only the service's user reads the submissions (SQLite gives its -wal and -shm files the
    database file's mode). An existing database file is made 0600 too."""
    from sqlalchemy.engine import make_url

    db = make_url(url).database
    if not db or db == ":memory:" or db.startswith("file:"):
        return
    path = Path(db)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
        os.chmod(path.parent, 0o700)  # whatever the umask
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        private_sqlite(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=8)


class Store:
    """The repository: every method is one transaction."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self._writer = self.engine.execution_options(kl_write=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            yield s

    @contextmanager
    def writing(self) -> Iterator[Session]:
        with Session(self._writer, expire_on_commit=False) as s, s.begin():
            yield s

    def ping(self) -> None:
        with self.reading() as s:
            s.execute(select(1))

    # ---- tokens ---------------------------------------------------------------------

    def create_token(self, role: str, agency: str | None, label: str = "") -> tuple[Token, str]:
        """A new token; the secret is returned once and only its hash is kept."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        tok = Token(id="t" + secrets.token_hex(6), token_hash=token_hash(secret), role=role, agency=agency,
                    label=label, created_at=utcnow(), revoked_at=None)
        with self.writing() as s:
            s.add(tok)
        return tok, secret

    def find_token(self, secret: str) -> Token | None:
        with self.reading() as s:
            tok = s.scalar(select(Token).where(Token.token_hash == token_hash(secret)))
        return tok if tok is not None and tok.revoked_at is None else None

    def list_tokens(self) -> list[Token]:
        with self.reading() as s:
            return list(s.scalars(select(Token).order_by(Token.created_at, Token.id)))

    def revoke_token(self, token_id: str) -> Token | None:
        with self.writing() as s:
            tok = s.get(Token, token_id)
            if tok is not None and tok.revoked_at is None:
                tok.revoked_at = utcnow()
            return tok

    # ---- web sessions ---------------------------------------------------------------

    def create_session(self, token_id: str, lifetime: dt.timedelta) -> tuple[str, str]:
        """A new web session of this token: its secret id (for the cookie, kept only hashed)
        and its CSRF token. Sessions past their expiry are removed on the way."""
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = utcnow()
        with self.writing() as s:
            s.execute(delete(WebSession).where(WebSession.expires_at < now))
            s.add(WebSession(id_hash=token_hash(sid), token_id=token_id, csrf=csrf, created_at=now,
                             expires_at=now + lifetime))
        return sid, csrf

    def find_session(self, sid: str) -> tuple[Token, str] | None:
        """The token and CSRF token of a live session: not expired, not ended, token not revoked."""
        q = (select(Token, WebSession.csrf, WebSession.expires_at).join(WebSession, WebSession.token_id == Token.id)
             .where(WebSession.id_hash == token_hash(sid)))
        with self.reading() as s:
            row = s.execute(q).first()
        if row is None:
            return None
        tok, csrf, expires = row
        if tok.revoked_at is not None or aware(expires) <= utcnow():
            return None
        return tok, csrf

    def end_session(self, sid: str) -> bool:
        """Sign out: the session is gone from the store, whoever still holds its cookie."""
        with self.writing() as s:
            done = s.execute(delete(WebSession).where(WebSession.id_hash == token_hash(sid)))
            return bool(getattr(done, "rowcount", 0))

    # ---- submissions ----------------------------------------------------------------

    def add_submission(self, sub: Submission, who: Who) -> int:
        """Insert the submission and its audit entry; returns the id once committed."""
        with self.writing() as s:
            s.add(sub)
            s.flush()
            s.add(_audit(who, "submit", sub.id, sub.sha256, 201))
        return sub.id

    def get_submission(self, sub_id: int, *, original: bool = False, findings: bool = False) -> Submission | None:
        from sqlalchemy.orm import undefer

        opts = []
        if original:
            opts.append(undefer(Submission.original))
        if findings:
            opts += [undefer(Submission.findings), undefer(Submission.outline),
                     undefer(Submission.reviewed_findings)]
        with self.reading() as s:
            return s.get(Submission, sub_id, options=opts)

    def list_submissions(self, f: Filters) -> list[Submission]:
        q = select(Submission)
        if f.agency is not None:
            q = q.where(Submission.agency == f.agency)
        if f.period is not None:
            q = q.where(Submission.period == f.period)
        if f.predikat is not None:
            q = q.where(Submission.predikat == f.predikat)
        q = q.order_by(Submission.id.desc()).limit(f.limit).offset(f.offset)
        with self.reading() as s:
            return list(s.scalars(q))

    def previous(self, sub: Submission) -> Submission | None:
        """The same agency's submission before this one."""
        q = (select(Submission).where(Submission.agency == sub.agency, Submission.id < sub.id)
             .order_by(Submission.id.desc()).limit(1))
        with self.reading() as s:
            return s.scalar(q)

    def latest_per_agency(self) -> list[tuple[Submission, Submission | None]]:
        """Each agency's latest submission with the one before it (for the trend)."""
        rank = func.row_number().over(partition_by=Submission.agency, order_by=Submission.id.desc()).label("rank")
        inner = select(Submission.id, rank).subquery()
        q = select(Submission).join(inner, inner.c.id == Submission.id).where(inner.c.rank <= 2)
        with self.reading() as s:
            rows = list(s.scalars(q.order_by(Submission.agency, Submission.id.desc())))
        out: list[tuple[Submission, Submission | None]] = []
        for r in rows:
            if out and out[-1][0].agency == r.agency:
                out[-1] = (out[-1][0], r)
            else:
                out.append((r, None))
        return out

    def latest_of_period(self, period: str) -> list[Submission]:
        """Each agency's latest submission of one period, original bytes included (by agency)."""
        from sqlalchemy.orm import undefer

        rank = func.row_number().over(partition_by=Submission.agency, order_by=Submission.id.desc()).label("rank")
        inner = select(Submission.id, rank).where(Submission.period == period).subquery()
        q = (select(Submission).join(inner, inner.c.id == Submission.id).where(inner.c.rank == 1)
             .options(undefer(Submission.original)).order_by(Submission.agency))
        with self.reading() as s:
            return list(s.scalars(q))

    def add_pemda(self, row: PemdaTreeRow, who: Who) -> int:
        """Store a period's Pemda tree and its audit entry together; the latest one of a period counts."""
        with self.writing() as s:
            s.add(row)
            s.flush()
            s.add(_audit(who, "pemda", None, row.sha256, 201, f"{row.period}: {row.filename}"))
        return row.id

    def latest_pemda(self, period: str) -> PemdaTreeRow | None:
        from sqlalchemy.orm import undefer

        q = (select(PemdaTreeRow).where(PemdaTreeRow.period == period).order_by(PemdaTreeRow.id.desc()).limit(1)
             .options(undefer(PemdaTreeRow.original)))
        with self.reading() as s:
            return s.scalar(q)

    def waivers(self, sub_id: int) -> list[WaiverRow]:
        with self.reading() as s:
            return list(s.scalars(select(WaiverRow).where(WaiverRow.submission_id == sub_id).order_by(WaiverRow.id)))

    def add_waiver(self, waiver: WaiverRow, review: tuple[str, float | None, str], who: Who, sha: str) -> int:
        """The waiver, the submission's reviewed grade and the audit entry, together."""
        with self.writing() as s:
            s.add(waiver)
            sub = s.get(Submission, waiver.submission_id)
            assert sub is not None
            sub.reviewed_findings, sub.reviewed_score, sub.reviewed_predikat = review
            s.flush()
            s.add(_audit(who, "waiver", waiver.submission_id, sha, 201, f"{waiver.code} {waiver.node or ''}".strip()))
        return waiver.id

    # ---- audit ----------------------------------------------------------------------

    def audit(self, who: Who, action: str, sub_id: int | None, sha: str | None, status: int,
              detail: str | None = None) -> None:
        with self.writing() as s:
            s.add(_audit(who, action, sub_id, sha, status, detail))

    def audit_entries(self, submission_id: int | None = None, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        q = select(AuditEntry)
        if submission_id is not None:
            q = q.where(AuditEntry.submission_id == submission_id)
        with self.reading() as s:
            return list(s.scalars(q.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)))


def _audit(who: Who, action: str, sub_id: int | None, sha: str | None, status: int,
           detail: str | None = None) -> AuditEntry:
    return AuditEntry(at=utcnow(), token_id=who.token_id, role=who.role, agency=who.agency, action=action,
                      submission_id=sub_id, input_sha256=sha, status=status, detail=detail)


def submission_dict(sub: Submission, waivers: Sequence[WaiverRow] = ()) -> dict[str, Any]:
    """The metadata of a submission as the API shows it (no bytes, no findings)."""
    out: dict[str, Any] = {
        "id": sub.id,
        "agency": sub.agency,
        "period": sub.period,
        "filename": sub.filename,
        "content_type": sub.content_type,
        "format": sub.fmt,
        "size": sub.size,
        "sha256": sub.sha256,
        "gradable": sub.gradable,
        "score": sub.score,
        "predikat": sub.predikat,
        "counts": {"error": sub.errors, "warning": sub.warnings, "info": sub.infos},
        "tool_version": sub.tool_version,
        "rulebook_version": sub.rulebook_version,
        "submitted_by": sub.token_id,
        "submitted_at": aware(sub.created_at).isoformat(),
    }
    if sub.reviewed_predikat is not None:
        out["review"] = {"score": sub.reviewed_score, "predikat": sub.reviewed_predikat}
    if waivers:
        out["waivers"] = [waiver_dict(w) for w in waivers]
    return out


def waiver_dict(w: WaiverRow) -> dict[str, Any]:
    return {"id": w.id, "code": w.code, "node": w.node, "reason": w.reason, "by": w.token_id,
            "at": aware(w.created_at).isoformat()}


def token_dict(t: Token) -> dict[str, Any]:
    return {"id": t.id, "role": t.role, "agency": t.agency, "label": t.label,
            "created_at": aware(t.created_at).isoformat(),
            "revoked_at": aware(t.revoked_at).isoformat() if t.revoked_at else None}


def audit_dict(a: AuditEntry) -> dict[str, Any]:
    return {"id": a.id, "at": aware(a.at).isoformat(), "token_id": a.token_id, "role": a.role,
            "agency": a.agency, "action": a.action, "submission_id": a.submission_id,
            "input_sha256": a.input_sha256, "status": a.status, "detail": a.detail}
