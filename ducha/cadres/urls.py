from django.urls import path

from ducha.cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.observation_list, name="list"),
    path("new/", views.observation_create, name="create"),
    path("<int:pk>/", views.observation_detail, name="detail"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/new/", views.candidate_create, name="candidate_create"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/<str:step>/", views.candidate_act, name="act"),
]
