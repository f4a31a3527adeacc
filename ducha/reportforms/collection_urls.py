"""一表通 pages, under /forms/ next to the register's own pages."""

from django.urls import path

from ducha.reportforms import collection_views as views

app_name = "collection"
urlpatterns = [
    path("fill/", views.fill_list, name="fill_list"),
    path("<int:pk>/fill/", views.fill_form, name="fill"),
    path("<int:pk>/view/", views.department_view, name="view"),
    path("<int:pk>/view.xlsx", views.department_view_xlsx, name="view_xlsx"),
    path("<int:pk>/shared/", views.shared_view, name="shared"),
    path("<int:pk>/shared.xlsx", views.shared_view_xlsx, name="shared_xlsx"),
]
