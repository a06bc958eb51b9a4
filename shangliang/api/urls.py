"""The JSON API at /api/v1/: one NinjaAPI; each app contributes a router (see routes.py)."""

from __future__ import annotations

from django.conf import settings

from shangliang.api.auth import BearerToken
from shangliang.api.errors import JsonErrorsAPI, install_error_handlers
from shangliang.api.rendering import Utf8JSONRenderer

api = JsonErrorsAPI(
    title="商量 Shangliang API",
    version="1",
    description="The JSON API of 商量 for the mobile app and integrations; see docs/api.md.",
    urls_namespace="api",
    auth=BearerToken(),
    renderer=Utf8JSONRenderer(),
    openapi_url="/openapi.json",
    # The interactive docs need ninja's bundled Swagger files; without "ninja" in
    # INSTALLED_APPS it would load them from a CDN, which government intranets cannot reach.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
install_error_handlers(api)

from shangliang.api import routes  # noqa: E402,F401  (registers the routers)
