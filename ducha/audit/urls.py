from django.urls import URLPattern, URLResolver, path

from ducha.audit import views

app_name = "audit"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.event_list, name="list"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("export/<str:file_format>/", views.event_export, name="export"),
    # The hash chains' verification page (ducha/audit/chain_views.py) goes here:
    # path("chains/", chain_views..., name="chains"),
]
