"""The root URLs with the evidence views under /field/, for as long as the root lacks them."""

from django.urls import include, path

from ducha.fieldwork.evidence_views import evidence_urlpatterns
from ducha.urls import urlpatterns as root_urlpatterns

urlpatterns = [
    path("field/", include((evidence_urlpatterns, "fieldwork"))),
    *root_urlpatterns,
]
