from django.urls import path

from ducha.ledger import views

app_name = "ledger"
urlpatterns = [
    path("export/", views.export, name="export"),
    path("template/", views.template, name="template"),
    path("imports/", views.imports, name="imports"),
    path("enterprises/", views.enterprise_imports, name="enterprise_imports"),
    path("enterprises/template/", views.enterprise_template, name="enterprise_template"),
    path("imports/<int:pk>/", views.batch_detail, name="batch"),
    path("imports/<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("imports/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("imports/<int:pk>/file/", views.batch_file, name="batch_file"),
]
