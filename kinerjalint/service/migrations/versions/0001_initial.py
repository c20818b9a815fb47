"""The first schema: tokens, submissions, waivers, audit log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("agency", sa.String(200)),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("period", sa.String(40)),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(200), nullable=False),
        sa.Column("fmt", sa.String(8), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("original", sa.LargeBinary, nullable=False),
        sa.Column("findings", sa.Text, nullable=False),
        sa.Column("outline", sa.Text, nullable=False),
        sa.Column("gradable", sa.Boolean, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("predikat", sa.String(40), nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("infos", sa.Integer, nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("rulebook_version", sa.String(40), nullable=False),
        sa.Column("token_id", sa.String(32), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("reviewed_findings", sa.Text),
        sa.Column("reviewed_score", sa.Float),
        sa.Column("reviewed_predikat", sa.String(40)),
    )
    op.create_index("ix_submissions_agency", "submissions", ["agency"])
    op.create_index("ix_submissions_period", "submissions", ["period"])
    op.create_index("ix_submissions_predikat", "submissions", ["predikat"])
    op.create_index("ix_submissions_created_at", "submissions", ["created_at"])
    op.create_table(
        "waivers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("node", sa.String(200)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("token_id", sa.String(32), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_waivers_submission_id", "waivers", ["submission_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("token_id", sa.String(32)),
        sa.Column("role", sa.String(16)),
        sa.Column("agency", sa.String(200)),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("submission_id", sa.Integer),
        sa.Column("input_sha256", sa.String(64)),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_submission_id", "audit_log", ["submission_id"])


def downgrade() -> None:
    for table in ("audit_log", "waivers", "submissions", "tokens"):
        op.drop_table(table)
