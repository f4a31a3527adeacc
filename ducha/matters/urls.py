from django.urls import path

from ducha.matters import views

app_name = "matters"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_create, name="create"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("handovers/<int:pk>/<str:step>/", views.handover_act, name="act"),
]
