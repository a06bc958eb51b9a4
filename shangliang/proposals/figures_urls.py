"""Included under "figures/" in the "proposals" namespace (see ``urls.py``)."""

from django.urls import URLPattern, path

from shangliang.proposals import figures_views

urlpatterns: list[URLPattern] = [
    path("", figures_views.figures_overview, name="figures"),
    path("units/", figures_views.figures_units, name="figures_units"),
    path("export/", figures_views.figures_export_view, name="figures_export"),
]
