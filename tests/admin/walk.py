"""Walk every page of every registered ModelAdmin as one staff user and collect what it may
reach that the oracle says it must not: foreign rows listed, opened, changed or deleted, shared
rows written, and foreign rows offered by autocomplete or the related-object lookups."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client

from tests.admin.oracle import FOREIGN, LOOP, OWN, SHARED, SUPERUSER, verdict

# Rows the staff user must not reach: another jurisdiction's, a superuser's, the loop's.
OUT_OF_REACH = (FOREIGN, SUPERUSER, LOOP)

# Foreign rows opened per model: the scoping is one queryset, a few rows prove it.
SAMPLE = 4
REFUSED = {302, 403, 404}


def _base(model: Any) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def _listed(html: str, base: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'href="{re.escape(base)}(\d+)/change/', html)}


def _refused(response: Any, base: str, pk: int) -> bool:
    if response.status_code == 302:
        # Django sends a missing or hidden row back to the index, never to the row itself.
        return f"{base}{pk}/" not in response["Location"]
    return response.status_code in REFUSED


# Rows judged per model when looking for foreign and shared ones to open.
SCAN = 1500


class Judge:
    """The oracle's verdict on rows of one model, each row judged once."""

    def __init__(self, model: Any, root: str) -> None:
        self.model, self.root, self.seen = model, root, {}

    def __call__(self, pk: int) -> str:
        if pk not in self.seen:
            row = self.model._base_manager.get(pk=pk)
            self.seen[pk] = verdict(self.model, row, self.root)
        return self.seen[pk]

    def first(self, kinds: tuple[str, ...]) -> list[int]:
        found = []
        for pk in self.model._base_manager.order_by("pk").values_list("pk", flat=True)[:SCAN]:
            if self(pk) in kinds:
                found.append(pk)
                if len(found) == SAMPLE:
                    break
        return found


def walk(client: Client, root: str) -> list[str]:
    """Every page of every registered admin, as the logged-in staff user of `root`."""
    faults: list[str] = []
    for model, model_admin in admin.site._registry.items():
        base = _base(model)
        judged = Judge(model, root)
        faults += _changelists(client, model, base, judged)
        faults += _foreign_rows(client, model, base, judged)
        faults += _shared_rows(client, model, base, judged)
        faults += _autocomplete(client, model, model_admin, root)
        faults += _choices(client, model, base, root)
    return faults


def _choices(client: Client, model: Any, base: str, root: str) -> list[str]:
    """The rows an add form offers in its selects (the inline forms' included)."""
    response = client.get(f"{base}add/")
    if response.status_code != 200:
        return []
    faults = []
    html = response.content.decode()
    for name, options in re.findall(r'<select name="([\w-]+)"[^>]*>(.*?)</select>', html, re.S):
        field = _relation(model, name.split("-")[-1])
        if field is None:
            continue
        target = field.related_model
        for pk in re.findall(r'<option value="(\d+)"', options):
            row = target._base_manager.filter(pk=pk).first()
            if row is not None and verdict(target, row, root) not in (OWN, SHARED):
                faults.append(f"{base}add/ offers {target._meta.label} {pk} in {name}")
    return faults


def _relation(model: Any, name: str) -> Any:
    """The relation a form field names, on the model or on one of its inlines' models."""
    models_seen = [model, *(inline.model for inline in admin.site._registry[model].inlines)]
    for candidate in models_seen:
        try:
            field = candidate._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        relation = isinstance(field, models.ForeignKey | models.ManyToManyField)
        if relation and field.related_model in admin.site._registry:
            return field
    return None


def _changelists(client: Client, model: Any, base: str, judged: Judge) -> list[str]:
    faults = []
    for query in ("", "?_popup=1&_to_field=id", "?all="):
        response = client.get(base + query)
        if response.status_code == 403:
            continue
        if response.status_code != 200:
            faults.append(f"{base}{query}: {response.status_code}")
            continue
        listed = _listed(response.content.decode(), base)
        wrong = sorted(pk for pk in listed if judged(pk) in OUT_OF_REACH)
        if wrong:
            faults.append(f"{base}{query} lists rows out of scope: {wrong[:10]}")
    return faults


def _foreign_rows(client: Client, model: Any, base: str, judged: Judge) -> list[str]:
    faults = []
    foreign = judged.first(OUT_OF_REACH)
    for pk in foreign:
        before = model_to_dict(model._base_manager.get(pk=pk))
        for page in ("change/", "history/", "delete/"):
            if not _refused(client.get(f"{base}{pk}/{page}"), base, pk):
                faults.append(f"{base}{pk}/{page} opens a row out of scope")
        client.post(f"{base}{pk}/change/", {})
        client.post(f"{base}{pk}/delete/", {"post": "yes"})
        after = model._base_manager.filter(pk=pk).first()
        if after is None or model_to_dict(after) != before:
            faults.append(f"{base}{pk}: a row out of scope was changed or deleted")
    return faults


def _shared_rows(client: Client, model: Any, base: str, judged: Judge) -> list[str]:
    faults = []
    shared = judged.first((SHARED,))
    if shared and client.get(f"{base}add/").status_code != 403:
        faults.append(f"{base}add/ is open for a shared catalogue")
    for pk in shared:
        before = model_to_dict(model._base_manager.get(pk=pk))
        page = client.get(f"{base}{pk}/change/")
        if page.status_code == 200 and 'name="_save"' in page.content.decode():
            faults.append(f"{base}{pk}/change/ offers to save a shared row")
        form = {name: value for name, value in before.items() if value is not None}
        if client.post(f"{base}{pk}/change/", form).status_code != 403:
            faults.append(f"{base}{pk}/change/ accepts a change to a shared row")
        if client.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code != 403:
            faults.append(f"{base}{pk}/delete/ accepts deleting a shared row")
        after = model._base_manager.filter(pk=pk).first()
        if after is None or model_to_dict(after) != before:
            faults.append(f"{base}{pk}: a shared row was changed or deleted")
    return faults


def _autocomplete(client: Client, model: Any, model_admin: Any, root: str) -> list[str]:
    """The related-field search every admin form may call, for each relation of the model."""
    faults = []
    for field in model._meta.get_fields():
        if not isinstance(field, models.ForeignKey | models.ManyToManyField):
            continue
        target = field.related_model
        if target not in admin.site._registry:
            continue
        response = client.get(
            "/admin/autocomplete/",
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field.name,
            },
        )
        if response.status_code != 200:
            continue
        for result in response.json()["results"]:
            row = target._base_manager.get(pk=result["id"])
            if verdict(target, row, root) not in (OWN, SHARED):
                faults.append(f"autocomplete {model._meta.label}.{field.name} offers {row!r}")
    return faults
