"""The JSON API at /api/v1/, assembled from each app's api.py."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Swagger

from ducha.accountability.api import router as accountability_router
from ducha.accounts.api import router as accounts_router
from ducha.accounts.auth import BOTH
from ducha.api import errors
from ducha.cadres.api import router as cadres_router
from ducha.daily.api import router as daily_router
from ducha.documents.api import router as documents_router
from ducha.fieldwork.api import router as fieldwork_router
from ducha.fieldwork.bundle import router as field_bundle_router
from ducha.fieldwork.evidence_api import router as evidence_router
from ducha.ledger.api import router as ledger_router
from ducha.matters.api import router as matters_router
from ducha.notices.api import router as notices_router
from ducha.notices.delivery.api import router as delivery_router
from ducha.orgs.api import router as orgs_router
from ducha.orgs.lookup import router as lookup_router
from ducha.policies.api import router as policies_router
from ducha.problems.api import router as problems_router
from ducha.referrals.api import router as referrals_router
from ducha.reportforms.api import router as reportforms_router
from ducha.reportforms.collection_api import router as collection_router
from ducha.reports.api import router as reports_router
from ducha.resumption.api import router as resumption_router
from ducha.search.api import router as search_router
from ducha.suggestions.api import router as suggestions_router
from ducha.sweeps.api import router as sweeps_router

api = errors.Api(
    title="Ducha API",
    version="1",
    description="督查督办: the problem loop (交呈批督改核建) over JSON. "
    "Authenticate with the browser session (send the CSRF token on writes) or with "
    "`Authorization: Bearer dch_…`.",
    urls_namespace="api",
    auth=BOTH,
    # The page is served from ninja's bundled static files; the validator badge would call
    # an outside host, so it is switched off (offices run on closed networks).
    docs=Swagger(settings={"validatorUrl": None}),
)
errors.install(api)
api.add_router("", problems_router)
api.add_router("", orgs_router)
api.add_router("", lookup_router)
api.add_router("", accounts_router)
api.add_router("", evidence_router)
api.add_router("", fieldwork_router)
api.add_router("", field_bundle_router)
api.add_router("", reports_router)
api.add_router("", daily_router)
api.add_router("", documents_router)
api.add_router("", ledger_router)
api.add_router("", notices_router)
api.add_router("", matters_router)
api.add_router("", accountability_router)
api.add_router("", delivery_router)
api.add_router("", referrals_router)
api.add_router("", cadres_router)
api.add_router("", suggestions_router)
api.add_router("", collection_router)
api.add_router("", reportforms_router)
api.add_router("", resumption_router)
api.add_router("", policies_router)
api.add_router("", sweeps_router)
api.add_router("", search_router)

# Last, so that only paths no endpoint claims reach it: unknown URLs answer in JSON too.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def not_found(request: HttpRequest, rest: str) -> None:
    raise Http404


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/", auth=None, include_in_schema=False
)
def root_not_found(request: HttpRequest) -> None:
    # The API's root is no resource either; the path pattern above needs at least one character.
    raise Http404


api.add_router("", fallback)
