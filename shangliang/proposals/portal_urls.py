from django.urls import path

from shangliang.proposals import portal_views

urlpatterns = [
    path("", portal_views.portal_list, name="portal_list"),
    path("<int:pk>/", portal_views.portal_detail, name="portal_detail"),
    path("excellent/", portal_views.portal_excellent, name="portal_excellent"),
]
