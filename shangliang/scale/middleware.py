"""Benchmark-only: the number of SQL queries a request made, as the ``X-Query-Count`` header.

Installed only when ``BENCH_QUERY_COUNT=1`` (see settings); it counts through a database
execute wrapper, so it works with ``DEBUG`` off, as in production.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
        ) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, ctx)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
