from django.urls import URLPattern, URLResolver, path

from ducha.sweeps import views

app_name = "sweeps"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.sweep_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("new/<int:problem_id>/", views.launch, name="launch"),
    path("<int:pk>/", views.sweep_detail, name="detail"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("checks/<int:pk>/answer/", views.answer, name="answer"),
]
