from django.urls import path

from . import portfolio_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.remote_overview, name="remote_overview"),
    path("portfolio/", portfolio_views.portfolio_dashboard, name="portfolio"),
    path("portfolio/<slug:key>/", portfolio_views.portfolio_list, name="portfolio_list"),
    path("pipeline/", portfolio_views.pipeline, name="pipeline"),
]
