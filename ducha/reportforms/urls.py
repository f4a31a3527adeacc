from django.urls import path

from ducha.reportforms import views

app_name = "reportforms"
urlpatterns = [
    path("", views.form_list, name="list"),
    path("new/", views.form_create, name="create"),
    path("analysis/", views.form_analysis, name="analysis"),
    path("<int:pk>/", views.form_detail, name="detail"),
    path("<int:pk>/decide/", views.form_decide, name="decide"),
]
