from django.urls import path

from ducha.resumption import views

app_name = "resumption"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("rule/", views.resumption_rule, name="rule"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/status/", views.enterprise_status, name="status"),
    path("<int:pk>/ledger/", views.enterprise_ledger, name="ledger"),
    path("<int:pk>/need/", views.enterprise_need, name="need"),
    path("<int:pk>/exclude/", views.enterprise_exclude, name="exclude"),
    path("<int:pk>/include/", views.enterprise_include, name="include"),
]
