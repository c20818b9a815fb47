"""Reporters: each module formats check results and nothing else."""

from __future__ import annotations

FORMATS = ("text", "json")
