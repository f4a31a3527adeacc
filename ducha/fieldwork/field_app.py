"""The installable offline field app (docs/field-app.md): its page, service worker and
manifest, all under /field/offline/ so that the worker controls that page and no other.

The page is a shell: its data comes from GET /api/v1/field/bundle and is kept on the phone
in IndexedDB; visits recorded there are sent to POST /api/v1/inspections/with-photos, with
their client key, when the connection returns.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.fieldwork.choices import AnswerResult, FieldAction
from ducha.fieldwork.views import may

# The files the page needs, kept by the service worker; a new version of any of them makes
# a new worker with a new cache (the old one is deleted when it takes over).
SHELL_ASSETS = (
    "vendor/bootstrap.min.css",
    "ducha/ducha.css",
    "ducha/favicon.svg",
    "ducha/ducha.js",
    "ducha/field-store.js",
    "ducha/field-form.js",
    "ducha/field-app.js",
)
WORKER = "ducha/field-worker.js"
CACHE_PREFIX = "ducha-field-"
# Raised when the worker's own logic changes in a way the files' contents do not show.
WORKER_REVISION = "1"


@cache
def shell_version() -> str:
    digest = hashlib.sha256(WORKER_REVISION.encode())
    for name in (*SHELL_ASSETS, WORKER):
        found = finders.find(name)
        if isinstance(found, (str, Path)):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


def _texts() -> dict[str, str]:
    """The words the page's script shows, in the user's language."""
    return {
        "online": _("Online"),
        "offline": _("Offline: what you record is kept on this phone and sent later."),
        "dataAsOf": _("Tasks as of %(time)s"),
        "noData": _("Open this page once with a connection to keep your tasks on this phone."),
        "signIn": _("Your session has ended: sign in again to send what is waiting."),
        "signInLink": _("Sign in"),
        "truncated": _("Not every task could be kept on this phone; see the task list online."),
        "today": _("Today"),
        "tomorrow": _("Tomorrow"),
        "noTasks": _("No tasks."),
        "record": _("Record the visit"),
        "inOutbox": _("In the outbox"),
        "outbox": _("Outbox"),
        "outboxEmpty": _("Nothing waiting to be sent."),
        "sendNow": _("Send now"),
        "waiting": _("Waiting"),
        "sending": _("Sending…"),
        "sent": _("Sent"),
        "refused": _("Refused"),
        "openVisit": _("Open the recorded visit"),
        "editResend": _("Correct and send again"),
        "discard": _("Discard"),
        "discardConfirm": _("Discard this visit? It has not been recorded."),
        "problemsFound": _("Problems found: %(count)s"),
        "visitedAt": _("Visited at"),
        "sites": _("Sites"),
        "chooseSites": _("Choose the sites visited."),
        "members": _("Members present"),
        "note": _("Note"),
        "problemTitle": _("Problem title"),
        "urgent": _("Urgent"),
        "fixed": _("Fixed on the spot"),
        "howFixed": _("How it was fixed"),
        "problemPhotos": _("Photos of the problem"),
        "photos": _("Photos"),
        "photosReady": _("Photos ready: %(count)s"),
        "notes": _("Notes"),
        "save": _("Save and send"),
        "cancel": _("Back to the tasks"),
        "answerAll": _("Answer every question."),
        "sayWhatIsWrong": _("Say what is wrong."),
        "describeFix": _("Describe how the problem was fixed on the spot."),
        "position": _("Record my position with the photos"),
        "noChecklist": _(
            "No checklist questions apply to this task; record what you saw in the notes."
        ),
        "result_" + AnswerResult.PASS: str(AnswerResult.PASS.label),
        "result_" + AnswerResult.FAIL: str(AnswerResult.FAIL.label),
        "result_" + AnswerResult.NOT_APPLICABLE: str(AnswerResult.NOT_APPLICABLE.label),
    }


@login_required
def field_app(request: HttpRequest) -> HttpResponse:
    if not may(request.user, FieldAction.RECORD_INSPECTION):
        raise PermissionDenied(_("Your roles may not do this."))
    context = {
        "texts": _texts(),
        "config": {
            "bundle": reverse("api:field_bundle"),
            "record": reverse("api:record_inspection_with_photos"),
            "inspection": reverse("fieldwork:inspection", args=[0]),
            "login": f"{reverse('login')}?next={reverse('fieldwork:field_app')}",
            "worker": reverse("fieldwork:field_worker"),
            "scope": reverse("fieldwork:field_app"),
            "userId": request.user.pk,
        },
    }
    return render(request, "fieldwork/field_app.html", context)


def field_worker(request: HttpRequest) -> HttpResponse:
    """The service worker; served from the app's own folder, so its scope is that folder
    (no Service-Worker-Allowed needed). It holds no data, only what to keep."""
    config = {
        "cache": CACHE_PREFIX + shell_version(),
        "prefix": CACHE_PREFIX,
        "shell": reverse("fieldwork:field_app"),
        "assets": [static(name) for name in SHELL_ASSETS],
    }
    found = finders.find(WORKER)
    assert isinstance(found, (str, Path)), WORKER
    source = Path(found).read_text(encoding="utf-8")
    body = f"const CONFIG = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on every visit; it must not keep an old copy.
    response["Cache-Control"] = "no-cache"
    return response


def field_manifest(request: HttpRequest) -> HttpResponse:
    shell = reverse("fieldwork:field_app")
    manifest: dict[str, Any] = {
        "name": _("Ducha field app"),
        "short_name": _("Ducha"),
        "start_url": shell,
        "scope": shell,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#212529",
        "icons": [{"src": static("ducha/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    response = HttpResponse(
        json.dumps(manifest, ensure_ascii=False),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response
