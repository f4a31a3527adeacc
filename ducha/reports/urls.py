from django.urls import path

from ducha.reports import results_views, resumption_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regions/<int:pk>/", views.region_dashboard, name="region"),
    path("results/", results_views.results_dashboard, name="results"),
    path("results/regions/<int:pk>/", results_views.results_region, name="results_region"),
    path("resumption/", resumption_views.resumption_dashboard, name="resumption"),
]
