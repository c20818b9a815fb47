"""Property-based fuzzing of the API from its own OpenAPI document (schemathesis): no 5xx, ever.

Bounded: a few examples per operation, no deadline per example, the whole run well under a
minute on two cores. Every error answer must also be application/problem+json.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed: pip install -e '.[test]'")
pytest.importorskip("fastapi", reason="the service extra is not installed: pip install -e '.[service]'")

from hypothesis import HealthCheck, Phase, settings  # noqa: E402

from tests.service_support import make_service  # noqa: E402

MAX_EXAMPLES = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The workbook and Word worksheet uploads are binary bodies, serialised as application/octet-stream is.
schemathesis.serializer.alias(XLSX, "application/octet-stream")
schemathesis.serializer.alias(DOCX, "application/octet-stream")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _svc = make_service(Path(tempfile.mkdtemp(prefix="kinerjalint-fuzz-")) / "data", time_budget=10.0)
    _svc.submit(_svc.opd_a)  # submission 1, so that reads of a real submission are generated too
schema = schemathesis.openapi.from_asgi("/openapi.json", _svc.app)


@pytest.fixture(scope="module", autouse=True)
def _close_store():  # type: ignore[no-untyped-def]
    yield
    _svc.store.dispose()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case) -> None:  # type: ignore[no-untyped-def]
    token = _svc.admin if "/tokens" in case.path else _svc.auditor
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:500]}"
    if response.status_code >= 400:
        ctype = response.headers.get("content-type")
        ctype = ctype[0] if isinstance(ctype, list) else ctype
        assert str(ctype).startswith("application/problem+json"), response.text[:300]
