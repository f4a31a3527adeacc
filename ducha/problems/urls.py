from django.urls import path

from ducha.problems import views

app_name = "problems"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
]
