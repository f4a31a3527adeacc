from django.urls import path

from ducha.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("new/", views.suggestion_create, name="create"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("<int:pk>/respond/", views.suggestion_respond, name="respond"),
    path("cite/", views.suggestion_cite, name="cite"),
]
