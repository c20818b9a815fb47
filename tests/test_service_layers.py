"""The service's own layers (issue 11): route modules -> application services -> store.

The JSON API (``routes``) and the web pages (``web``) are two thin route modules over the same
operations (``operations``): neither imports the other, and neither reaches past the
operations to the checker pool, the api or the rulebook. The operations know no route module.
"""

from __future__ import annotations

import pytest

from tests.test_layers import _graph

ROUTE_MODULES = ("service.routes", "service.web")
BELOW_OPERATIONS = ("service.pool", "api", "rulebook", "ruledocs")


def test_route_modules_do_not_import_each_other() -> None:
    graph = _graph()
    assert "service.web" not in graph["service.routes"]
    assert "service.routes" not in graph["service.web"]


@pytest.mark.parametrize("name", ROUTE_MODULES)
def test_route_modules_go_through_the_operations(name: str) -> None:
    graph = _graph()
    assert "service.transport" in graph[name]
    assert "service.operations" in graph["service.transport"]
    reached = sorted(graph[name] & set(BELOW_OPERATIONS))
    assert not reached, f"{name} calls past the operations: {reached}"


def test_operations_know_no_route_module() -> None:
    graph = _graph()
    for name in ("service.operations", "service.transport"):
        assert not graph[name] & {"service.routes", "service.web", "service.app"}, name
