from django.urls import path

from ducha.accountability import views
from ducha.accountability.views import ACCOUNTABILITY, COMMENDATIONS

app_name = "accountability"
urlpatterns = [
    path("", views.record_list, {"book": ACCOUNTABILITY}, name="list"),
    path("new/", views.record_create, {"book": ACCOUNTABILITY}, name="create"),
    path("kinds/", views.kind_list, name="kinds"),
    path("<int:pk>/", views.record_detail, {"book": ACCOUNTABILITY}, name="detail"),
    path("<int:pk>/<str:step>/", views.record_act, {"book": ACCOUNTABILITY}, name="act"),
    path("commendations/", views.record_list, {"book": COMMENDATIONS}, name="commendation_list"),
    path(
        "commendations/new/",
        views.record_create,
        {"book": COMMENDATIONS},
        name="commendation_create",
    ),
    path(
        "commendations/<int:pk>/",
        views.record_detail,
        {"book": COMMENDATIONS},
        name="commendation_detail",
    ),
    path(
        "commendations/<int:pk>/<str:step>/",
        views.record_act,
        {"book": COMMENDATIONS},
        name="commendation_act",
    ),
]
