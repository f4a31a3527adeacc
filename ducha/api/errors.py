"""One JSON shape for every error the API gives: {"detail": ..., "field": ...}.

Validation errors keep ninja's list (with "loc") and add the field name, and their messages
go through gettext so that Accept-Language is honoured like everywhere else.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ducha.accounts.auth import CsrfFailed, TokenRefused
from ducha.core.errors import ActionError

# Where ninja puts a value, and the parameter names our endpoints give whole schemas.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
_CONTAINERS = {"payload", "filters", "params"}


def _messages() -> dict[str, str]:
    # Built per call: gettext must run in the request's language.
    return {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "datetime_parsing": _("Enter a valid date/time."),
        "datetime_from_date_parsing": _("Enter a valid date/time."),
        "datetime_type": _("Enter a valid date/time."),
        "time_parsing": _("Enter a valid time."),
        "time_type": _("Enter a valid time."),
        "enum": _("Select a valid choice. That choice is not one of the available choices."),
        "literal_error": _(
            "Select a valid choice. That choice is not one of the available choices."
        ),
        "string_type": _("Enter a valid value."),
        # The words of the pages' own check (core.text), so that both say the same.
        "string_too_long": _(
            "Ensure this value has at most %(max_length)s characters (it has %(length)s)."
        ),
        "greater_than_equal": _("Ensure this value is greater than or equal to %(limit_value)s."),
        "less_than_equal": _("Ensure this value is less than or equal to %(limit_value)s."),
        "model_attributes_type": _("Send a JSON object."),
        "model_type": _("Send a JSON object."),
        # A JSON body sent in a multipart field (an inspection with its photos).
        "json_invalid": _("The request body is not valid JSON."),
        "dict_type": _("Send a JSON object."),
        "extra_forbidden": _("This field is not expected here."),
    }


def field_of(loc: list[Any] | tuple[Any, ...]) -> str:
    """The input's name in a pydantic location such as ("body", "payload", "title")."""
    names = [str(part) for part in loc if not isinstance(part, int)]
    while names and (names[0] in _LOCATIONS or names[0] in _CONTAINERS):
        names.pop(0)
    return ".".join(names)


def _validation_item(error: dict[str, Any], messages: dict[str, str]) -> dict[str, Any]:
    kind = error.get("type", "")
    message = messages.get(kind)
    if kind == "value_error" and (error.get("ctx") or {}).get("error") is not None:
        # Our own validators raise ValueError with a translated text; pydantic would put
        # "Value error, " before it.
        message = str(error["ctx"]["error"]).replace("%", "%%")
    if message is None:
        message = str(error.get("msg", _("Enter a valid value.")))
    else:
        try:
            ctx = dict(error.get("ctx") or {})
            # pydantic names a bound after its constraint; Django's messages call it limit_value.
            ctx.setdefault("limit_value", ctx.get("ge", ctx.get("le")))
            message = message % ctx
        except (KeyError, TypeError, ValueError):
            message = str(error.get("msg", message))
    loc = list(error.get("loc", ()))
    return {"loc": loc, "field": field_of(loc), "msg": message, "type": kind}


def detail(message: str, field: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": message}
    if field:
        body["field"] = field
    return body


class Api(NinjaAPI):
    """ninja's API, keeping the length of a text that is too long: ninja drops every
    error's input, and the pages' message says the length too; and its OpenAPI schema built
    once per process."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        # ninja builds the schema anew on every request for it: about half a second of CPU,
        # for a document that only changes with the code. Kept per prefix and language (the
        # descriptions are translated); each caller gets its own copy to change.
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language())
        built = self._schemas.get(key)
        if built is None:
            built = self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix)
        return copy.deepcopy(built)

    @cached_property
    def _schemas(self) -> dict[tuple[str, str | None], Any]:
        return {}

    def validation_error_from_error_contexts(self, error_contexts: list[Any]) -> ValidationError:
        error = super().validation_error_from_error_contexts(error_contexts)
        inputs = [
            item.get("input")
            for context in error_contexts
            for item in context.pydantic_validation_error.errors(include_url=False)
        ]
        for item, value in zip(error.errors, inputs, strict=True):
            if item.get("type") == "string_too_long" and isinstance(value, str):
                item["ctx"] = {**(item.get("ctx") or {}), "length": len(value)}
        return error


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, data: Any, status: int) -> HttpResponse:
        return api.create_response(request, data, status=status)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        messages = _messages()
        return respond(
            request, {"detail": [_validation_item(e, messages) for e in exc.errors]}, 422
        )

    @api.exception_handler(ActionError)
    def on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
        response = respond(request, detail(exc.message, exc.field), exc.status)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:  # a rate limit says when to come back
            response["Retry-After"] = str(retry_after)
        return response

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, detail(_("Not found.")), 404)

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("You may not do this.")
        return respond(request, detail(message), 403)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        # A known token that may not be used says why (expired, revoked); any other failure
        # gets the same words, so that they tell a prober nothing.
        message = exc.message if isinstance(exc, TokenRefused) else ""
        response = respond(request, detail(message or _("Sign in or send a valid API token.")), 401)
        response["WWW-Authenticate"] = 'Bearer realm="ducha"'
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own errors carry fixed English texts; say them in the user's language.
        known = {
            400: _("The request body is not valid JSON."),
            429: _("Too many requests. Try again later."),
        }
        message = known.get(exc.status_code, str(exc))
        if isinstance(exc, CsrfFailed):
            message = _("CSRF verification failed. Request aborted.")
        return respond(request, detail(message), exc.status_code)


API_PREFIX = "/api/"


@csrf_exempt  # it changes nothing; a POST without a token should hear 404 in JSON too
def not_found(request: HttpRequest, rest: str | None = None) -> JsonResponse:
    """Any path under /api/ no version claims (/api/, /api/v2/…), for every method."""
    return JsonResponse(detail(_("Not found.")), status=404)


class JsonMethodNotAllowedMiddleware:
    """ninja answers a wrong method on a known path with a bare text 405; say it in JSON.

    It builds that answer before any exception handler of ours runs, so it is rewritten on
    the way out; the Allow header is kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow")
            response = JsonResponse(detail(_("This method is not allowed here.")), status=405)
            if allowed:
                response["Allow"] = allowed
        return response
