from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from ducha.api.urls import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="problems:queue", permanent=False)),
    path("accounts/", include("ducha.accounts.urls")),
    path("problems/", include("ducha.problems.urls")),
    path("field/", include("ducha.fieldwork.urls")),
    path("reports/", include("ducha.reports.urls")),
    path("daily/", include("ducha.daily.urls")),
    path("documents/", include("ducha.documents.urls")),
    path("ledger/", include("ducha.ledger.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
