"""Pages of 一表通: a committee's collection forms for the current period, filling one on a
phone, a department's view of the answers (and its Excel sheet), and a form produced from
shared data (and its Excel sheet).

Forms come through `access`; returns from `visible_to`; filling only through
`filling.do_fill_return`, which checks every value: the page passes the typed text on, so
a refusal reads the same here as over the API.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.dates import in_range
from ducha.core.forms import run_action
from ducha.core.scoping import access
from ducha.core.text import CEILING, LINE
from ducha.orgs.models import Org
from ducha.reportforms import collection, filling
from ducha.reportforms.choices import STILL_FILLED, FormAction, ItemKind
from ducha.reportforms.exports import XLSX_CONTENT_TYPE, attachment, view_workbook
from ducha.reportforms.models import FormItem, FormReturn, ReportForm

# The page's fields are named after the item keys; these two names are the page's own.
ORG_FIELD, PERIOD_FIELD = "_org", "_period"


class PeriodFilter(forms.Form):
    period = forms.DateField(
        label=gettext_lazy("Period"),
        required=False,
        validators=[in_range],
        widget=forms.DateInput({"type": "date"}),
    )


class DayFilter(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        validators=[in_range],
        widget=forms.DateInput({"type": "date"}),
    )


def _widget(item: FormItem) -> forms.Widget:
    if item.kind in (ItemKind.INTEGER, ItemKind.DECIMAL):
        step = "1" if item.kind == ItemKind.INTEGER else "0.01"
        attrs = {"step": step, "inputmode": "numeric" if step == "1" else "decimal"}
        if item.min_value is not None:
            attrs["min"] = str(item.min_value.normalize())
        if item.max_value is not None:
            attrs["max"] = str(item.max_value.normalize())
        return forms.NumberInput(attrs)
    if item.kind == ItemKind.DATE:
        return forms.DateInput({"type": "date"})
    if item.kind == ItemKind.YES_NO:
        return forms.Select(choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))])
    if item.kind == ItemKind.CHOICE:
        options = [str(choice) for choice in item.choices]
        return forms.Select(choices=[("", "—"), *((option, option) for option in options)])
    return forms.TextInput({"maxlength": item.max_length or LINE})


class FillForm(forms.Form):
    """The collection's items as fields, each text as typed: `do_fill_return` checks them."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self, *args: Any, items: list[FormItem], committees: list[Org], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields[ORG_FIELD] = forms.TypedChoiceField(
            label=_("Committee"),
            choices=[(org.pk, org.name) for org in committees],
            coerce=int,
        )
        self.fields[PERIOD_FIELD] = forms.DateField(
            label=_("Period"),
            validators=[in_range],
            widget=forms.DateInput({"type": "date"}),
        )
        for item in items:
            label = f"{item.label}（{item.unit}）" if item.unit else item.label
            self.fields[item.key] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                # Bounded, yet long enough for the action to say what is wrong.
                max_length=CEILING,
                widget=_widget(item),
                # Said to the reader; the action decides, with the same words as the API's.
                help_text=_("Required") if item.required else "",
            )
        self.item_keys = [item.key for item in items]

    def org_field(self) -> forms.BoundField:
        return self[ORG_FIELD]

    def period_field(self) -> forms.BoundField:
        return self[PERIOD_FIELD]

    def item_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in self.item_keys]

    def values(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in self.item_keys}


def _error_field(field: str) -> str | None:
    """The page's field for an action's field: `values.<key>` is the item's own input."""
    if field.startswith("values."):
        return field.removeprefix("values.")
    return {"org": ORG_FIELD, "region": ORG_FIELD, "period": PERIOD_FIELD}.get(field)


def _fillable(user: Any) -> list[tuple[Org, ReportForm]]:
    """Each committee the user handles, with the forms it fills."""
    forms_ = list(
        ReportForm.objects.visible_to(user, FormAction.FILL)
        .filter(decision__in=STILL_FILLED)
        .select_related("region")
        .order_by("number", "pk")
    )
    return [
        (org, form)
        for org in collection.committees_of(user)
        for form in forms_
        if collection.fills(org, form)
    ]


@login_required
def fill_list(request: HttpRequest) -> HttpResponse:
    """A committee's collection forms for the current period, done or not yet."""
    today = timezone.localdate()
    pairs = _fillable(request.user)
    periods = {form.pk: collection.period_of(form.frequency, today) for _org, form in pairs}
    done = set(
        FormReturn.objects.filter(
            org_id__in={org.pk for org, _form in pairs}, form_id__in=periods
        ).values_list("org_id", "form_id", "period")
    )
    rows = [
        {
            "org": org,
            "form": form,
            "period": periods[form.pk],
            "done": (org.pk, form.pk, periods[form.pk]) in done,
        }
        for org, form in pairs
    ]
    return render(request, "reportforms/collection/fill_list.html", {"rows": rows})


@login_required
def fill_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Filling one collection form on a phone: every item on one page; refused values are
    shown next to their fields, with what was typed kept."""
    form = access(ReportForm, request.user, pk, FormAction.FILL).obj
    committees = [
        org for org in collection.committees_of(request.user) if collection.fills(org, form)
    ]
    if not committees:
        raise PermissionDenied(_("Only the committees that fill this form fill it."))
    items = collection.collection_items(form)
    page = FillForm(
        request.POST or None,
        items=items,
        committees=committees,
        initial=_initial(form, committees[0], request.GET.get("period")),
    )
    if request.method == "POST" and page.is_valid():
        data = page.cleaned_data
        org = next(org for org in committees if org.pk == data[ORG_FIELD])
        outcome = run_action(
            request,
            page,
            filling.do_fill_return,
            form,
            acting_user=request.user,
            region=collection.region_of(org),
            org=org,
            period=data[PERIOD_FIELD],
            values=page.values(),
            expected_version=data.get("version"),
            aliases=_error_field,
        )
        if outcome.ok:
            messages.success(request, _("The form was filled."))
            return redirect("collection:fill_list")
    context = {"form": form, "page": page, "items": items}
    status = 400 if page.is_bound else 200
    return render(request, "reportforms/collection/fill.html", context, status=status)


def _initial(form: ReportForm, org: Org, day: str | None) -> dict[str, Any]:
    """The period asked for (today's by default) and, when filled already, its answers."""
    asked = PeriodFilter({"period": day or ""})
    period = asked.cleaned_data.get("period") if asked.is_valid() else None
    period = collection.period_of(form.frequency, period or timezone.localdate())
    initial: dict[str, Any] = {ORG_FIELD: org.pk, PERIOD_FIELD: period}
    filled = FormReturn.objects.filter(form=form, org=org, period=period).first()
    if filled is not None:
        initial["version"] = filled.version
        for key, value in filled.values.items():
            initial[key] = ("yes" if value else "no") if isinstance(value, bool) else value
    return initial


def _readable(request: HttpRequest, pk: int) -> ReportForm:
    found = access(ReportForm, request.user, pk)
    if not collection.may_read_view(request.user, found.obj, found.roles):
        raise PermissionDenied(_("A department reads the view of its own forms."))
    return found.obj


def _department(request: HttpRequest, pk: int) -> tuple[collection.View, PeriodFilter]:
    form = _readable(request, pk)
    if collection.is_shared(form):
        raise Http404
    filters = PeriodFilter(request.GET or None)
    period = filters.cleaned_data.get("period") if filters.is_valid() else None
    returns = collection.view_returns(request.user, form, period)
    return collection.department_view(form, returns), filters


def _rendered(
    request: HttpRequest, view: collection.View, filters: forms.Form, xlsx: str
) -> HttpResponse:
    page = Paginator(view.rows, settings.DUCHA_PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = [column.kind for column in view.columns]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "view": view,
        "page": page,
        "rows": [
            (
                row,
                [
                    collection.display(kind, value)
                    for kind, value in zip(kinds, row.values, strict=True)
                ],
            )
            for row in page
        ],
        "filters": filters,
        "query": query.urlencode(),
        "xlsx": f"{reverse(xlsx, args=[view.form.pk])}?{query.urlencode()}",
    }
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "reportforms/collection/view.html", context, status=status)


def _xlsx(view: collection.View) -> HttpResponse:
    response = HttpResponse(view_workbook(view), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(view.title)
    return response


@login_required
def department_view(request: HttpRequest, pk: int) -> HttpResponse:
    view, filters = _department(request, pk)
    return _rendered(request, view, filters, "collection:view_xlsx")


@login_required
def department_view_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    view, _filters = _department(request, pk)
    return _xlsx(view)


def _shared(request: HttpRequest, pk: int) -> tuple[collection.View, DayFilter]:
    form = _readable(request, pk)
    if not collection.is_shared(form):
        raise Http404
    filters = DayFilter(request.GET or None)
    day = filters.cleaned_data.get("day") if filters.is_valid() else None
    return collection.shared_view(form, day or timezone.localdate()), filters


@login_required
def shared_view(request: HttpRequest, pk: int) -> HttpResponse:
    view, filters = _shared(request, pk)
    return _rendered(request, view, filters, "collection:shared_xlsx")


@login_required
def shared_view_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    view, _filters = _shared(request, pk)
    return _xlsx(view)
