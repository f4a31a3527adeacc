from django.contrib import admin
from django.urls import include, path, re_path

from ducha.accounts import views as account_views
from ducha.accounts.twofactor_views import secure_admin_site
from ducha.api import errors as api_errors
from ducha.api.urls import api
from ducha.core.health import health

# The admin's login is ours: the same two steps, no way around the second factor.
secure_admin_site(admin.site)

urlpatterns = [
    path("", account_views.home, name="home"),
    path("health", health, name="health"),
    path("accounts/", include("ducha.accounts.urls")),
    path("problems/", include("ducha.problems.urls")),
    path("field/", include("ducha.fieldwork.urls")),
    path("reports/", include("ducha.reports.urls")),
    path("daily/", include("ducha.daily.urls")),
    path("documents/", include("ducha.documents.urls")),
    path("ledger/", include("ducha.ledger.urls")),
    path("matters/", include("ducha.matters.urls")),
    path("referrals/", include("ducha.referrals.urls")),
    path("cadres/", include("ducha.cadres.urls")),
    path("accountability/", include("ducha.accountability.urls")),
    path("suggestions/", include("ducha.suggestions.urls")),
    path("forms/", include("ducha.reportforms.collection_urls")),
    path("forms/", include("ducha.reportforms.urls")),
    path("resumption/", include("ducha.resumption.urls")),
    path("audit/", include("ducha.audit.urls")),
    path("search/", include("ducha.search.urls")),
    path("sweeps/", include("ducha.sweeps.urls")),
    path("policies/", include("ducha.policies.urls")),
    path("notifications/", include("ducha.notices.urls")),
    path("delivery/", include("ducha.notices.delivery.urls")),
    path("api/v1/", api.urls),
    # Other versions and the bare prefix answer in the API's JSON too, not as an HTML page.
    re_path(r"^api(?:/(?P<rest>.*))?$", api_errors.not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
