from django.urls import URLPattern, URLResolver

app_name = "sweeps"
urlpatterns: list[URLPattern | URLResolver] = []
