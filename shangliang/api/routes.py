"""Mount every app's router on the one API."""

from shangliang.api.accounts_api import router as accounts_router
from shangliang.api.urls import api

api.add_router("", accounts_router)
