from django.urls import path

from ducha.notices.delivery import views

app_name = "delivery"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("channels/", views.channels, name="channels"),
    path("channels/<int:pk>/", views.channel, name="channel"),
    path("channels/<int:pk>/delete/", views.channel_delete, name="channel_delete"),
    path("log/", views.log, name="log"),
]
