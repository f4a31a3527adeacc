from django.urls import path

from ducha.problems import views

app_name = "problems"
urlpatterns = [
    path("", views.problem_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("units/", views.units, name="units"),
    path("new/", views.problem_create, name="create"),
    path("sites/<int:pk>/", views.site_problems, name="site_history"),
    path("units/<int:pk>/", views.unit_problems, name="unit_history"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.problem_act, name="act"),
]
