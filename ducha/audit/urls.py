from django.urls import URLPattern, URLResolver, path

from ducha.audit import chain_views, views

app_name = "audit"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.event_list, name="list"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("export/<str:file_format>/", views.event_export, name="export"),
    # The hash chains' verification (a background walk of every chain, its last results).
    path("chains/", chain_views.chains, name="chains"),
]
