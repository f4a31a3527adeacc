from django.urls import URLPattern, URLResolver, path

from ducha.audit import chain_views

app_name = "audit"

urlpatterns: list[URLPattern | URLResolver] = [
    path("chains/", chain_views.chains, name="chains"),
]
