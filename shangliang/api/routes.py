"""Mount every app's router on the one API."""

from shangliang.api.auth_api import router as auth_router
from shangliang.api.members_api import router as members_router
from shangliang.api.members_write_api import router as members_write_router
from shangliang.api.orgs_api import router as orgs_router
from shangliang.api.urls import api

api.add_router("", auth_router)
api.add_router("", orgs_router)
api.add_router("", members_router)
api.add_router("", members_write_router)
