"""Mount every app's router on the one API."""

from shangliang.api.assignments_api import router as assignments_router
from shangliang.api.auth_api import router as auth_router
from shangliang.api.duty_api import router as duty_router
from shangliang.api.excellent_api import router as excellent_router
from shangliang.api.meetings_api import router as meetings_router
from shangliang.api.members_api import router as members_router
from shangliang.api.members_write_api import router as members_write_router
from shangliang.api.notifications_api import router as notifications_router
from shangliang.api.opinions_api import router as opinions_router
from shangliang.api.orgs_api import router as orgs_router
from shangliang.api.printing_api import router as printing_router
from shangliang.api.proposals_api import router as proposals_router
from shangliang.api.units_api import router as units_router
from shangliang.api.urls import api

api.add_router("", auth_router)
api.add_router("", orgs_router)
api.add_router("", members_router)
api.add_router("", members_write_router)
api.add_router("", proposals_router)
api.add_router("", assignments_router)
api.add_router("", printing_router)
api.add_router("", excellent_router)
api.add_router("", units_router)
api.add_router("", notifications_router)
api.add_router("", opinions_router)
api.add_router("", meetings_router)
api.add_router("", duty_router)
