from django.urls import path

from ducha.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regions/<int:pk>/", views.region_dashboard, name="region"),
]
