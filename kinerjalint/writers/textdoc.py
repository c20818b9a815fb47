"""YAML and JSON text of the canonical document.

YAML is written by ruamel.yaml in block style under a ``yaml-language-server`` comment
naming the published schema (editors then validate as people type), with unicode as it
is and lines left unwrapped; per-year target keys are written as numbers (``2025: 80``),
the way people write them. JSON is indented by two spaces, unicode unescaped.
"""

from __future__ import annotations

import io
import json
from typing import Any

from kinerjalint.model import DocumentModel

__all__ = ["SCHEMA_URL", "render_json", "render_yaml"]

def _schema_id() -> str:
    extra = DocumentModel.model_config.get("json_schema_extra")
    return str(extra["$id"]) if isinstance(extra, dict) else "pohon-kinerja.schema.json"


SCHEMA_URL = _schema_id()


def _year_keys(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _year_keys(v) for k, v in value.items()}
        if "target" in out and isinstance(out["target"], dict) and all(
                isinstance(k, str) and k.isdigit() and k == str(int(k)) for k in out["target"]):
            out["target"] = {int(k): v for k, v in out["target"].items()}
        return out
    if isinstance(value, list):
        return [_year_keys(v) for v in value]
    return value


def render_yaml(data: dict[str, Any]) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 1_000_000  # one value, one line: no folding of long statements
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    buf.write(f"# yaml-language-server: $schema={SCHEMA_URL}\n")
    yaml.dump(_year_keys(data), buf)
    return buf.getvalue()


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
