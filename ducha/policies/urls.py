from django.urls import path

from ducha.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("kinds/<int:focus_area_id>/", views.kind, name="kind"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/document/", views.document, name="document"),
]
