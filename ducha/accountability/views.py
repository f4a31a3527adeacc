"""Pages of accountability records (问责) and commendations (表扬): the lists with their
filters, one record, the proposal form, the forms of the record's actions, and an office's
own kinds. Both kinds of record share these views through their `Book`.

Lists start from `visible_to`; single rows come through the access helpers (a read of a
named person is recorded); state changes only through the `do_*` actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.accountability import actions, choosers
from ducha.accountability.access import access_record, allowed_actions, list_read, read_record
from ducha.accountability.choices import CommendationKind, RecordAction
from ducha.accountability.filters import filtered
from ducha.accountability.forms import (
    CarryOutForm,
    CommendationCarryOutForm,
    DecideForm,
    FilterForm,
    KindForm,
    ProposeAccountabilityForm,
    ProposeCommendationForm,
    WithdrawForm,
)
from ducha.accountability.models import Accountability, Commendation
from ducha.core.forms import Outcome, run_action


@dataclass(frozen=True)
class Book:
    """What differs between the two kinds of record on their pages."""

    model: type[Any]
    prefix: str  # of the URL names: "accountability:" + prefix + "list" …
    title: Any
    propose_form: type[Any]
    carry_out_form: type[Any]


ACCOUNTABILITY = Book(
    Accountability,
    "",
    gettext_lazy("Accountability"),
    ProposeAccountabilityForm,
    CarryOutForm,
)
COMMENDATIONS = Book(
    Commendation,
    "commendation_",
    gettext_lazy("Commendations"),
    ProposeCommendationForm,
    CommendationCarryOutForm,
)
BOOKS = {"accountability": ACCOUNTABILITY, "commendations": COMMENDATIONS}


def _url(book: Book, name: str) -> str:
    return f"accountability:{book.prefix}{name}"


def _kinds(book: Book, user: Any) -> list[tuple[str, str]]:
    if book.model is Commendation:
        return [(value, str(label)) for value, label in CommendationKind.choices]
    return [(str(kind.pk), str(kind)) for kind in choosers.kinds_for(user)]


@login_required
def record_list(request: HttpRequest, book: Book) -> HttpResponse:
    user = request.user
    form = FilterForm(request.GET or None, kinds=_kinds(book, user))
    rows = book.model.objects.visible_to(user).select_related("org", "region")
    if book.model is Accountability:
        rows = rows.select_related("kind")
    if form.is_bound and form.is_valid():
        rows = filtered(rows, form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    page = Paginator(rows.order_by("-proposed_at", "-pk"), settings.DUCHA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    list_read(request, user, book.model, [record.pk for record in page if record.person_name])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accountability/list.html",
        {
            "book": book,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_propose": choosers.may_propose(user),
            "may_add_kinds": choosers.own_offices(user).exists(),
            "detail_view": _url(book, "detail"),
            "create_view": _url(book, "create"),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@login_required
def record_create(request: HttpRequest, book: Book) -> HttpResponse:
    user = request.user
    if not choosers.may_propose(user):
        raise PermissionDenied(str(choosers.NOT_A_PROPOSER))
    form = book.propose_form(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "acting_user": user,
            "kind": data["kind"],
            "subject_kind": data["subject_kind"],
            "org": data["org"],
            "person_name": data["person_name"],
            "person_post": data["person_post"],
            "reason": data["reason"],
            "problems": data["problems"],
        }
        outcome: Outcome[Any]
        if book.model is Accountability:
            outcome = run_action(
                request,
                form,
                actions.do_propose_accountability,
                referrals=data["referrals"],
                **common,
            )
        else:
            outcome = run_action(
                request,
                form,
                actions.do_propose_commendation,
                inspections=data["inspections"],
                **common,
            )
        if outcome.ok:
            messages.success(request, _("The record was proposed."))
            return redirect(_url(book, "detail"), pk=outcome.result.pk)
    status = 422 if form.is_bound else 200
    return render(
        request, "accountability/create.html", {"form": form, "book": book}, status=status
    )


@login_required
def record_detail(request: HttpRequest, pk: int, book: Book) -> HttpResponse:
    record = read_record(request, request.user, book.model, pk)
    links: dict[str, Any] = {"problems": record.problems.order_by("pk")}
    if book.model is Accountability:
        links["referrals"] = record.referrals.order_by("pk")
    else:
        links["inspections"] = record.inspections.order_by("pk")
    return render(
        request,
        "accountability/detail.html",
        {
            "book": book,
            "record": record,
            "links": links,
            "actions": [
                (action, RecordAction(action).label)
                for action in allowed_actions(request.user, record)
            ],
            "events": record.events.select_related("actor").order_by("created_at", "pk"),
            "act_view": _url(book, "act"),
            "list_view": _url(book, "list"),
        },
    )


def _form(book: Book, step: str, data: Any, record: Any) -> Any:
    initial = {"version": record.version}
    if step == RecordAction.DECIDE:
        return DecideForm(data, initial=initial)
    if step == RecordAction.CARRY_OUT:
        return book.carry_out_form(data, initial=initial)
    return WithdrawForm(data, initial=initial)


def _run(request: HttpRequest, step: str, form: Any, record: Any) -> Any:
    data, user = form.cleaned_data, request.user
    common = {"acting_user": user, "expected_version": data.get("version")}
    if step == RecordAction.DECIDE:
        return run_action(
            request,
            form,
            actions.do_decide,
            record,
            decided_on=data["decided_on"],
            comment=data["comment"],
            **common,
        )
    if step == RecordAction.CARRY_OUT:
        return run_action(
            request,
            form,
            actions.do_carry_out,
            record,
            carried_out_on=data.get("carried_out_on"),
            comment=data["comment"],
            **common,
        )
    return run_action(request, form, actions.do_withdraw, record, reason=data["reason"], **common)


STEPS = (RecordAction.DECIDE, RecordAction.CARRY_OUT, RecordAction.WITHDRAW)


@login_required
def record_act(request: HttpRequest, pk: int, step: str, book: Book) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    record = access_record(request.user, book.model, pk, step)
    form = _form(book, step, request.POST if request.method == "POST" else None, record)
    if request.method == "POST" and form.is_valid():
        outcome = _run(request, step, form, record)
        if outcome.ok:
            messages.success(request, _("Done: %(action)s.") % {"action": RecordAction(step).label})
            return redirect(_url(book, "detail"), pk=record.pk)
        if outcome.refused_state:
            return redirect(_url(book, "detail"), pk=record.pk)
    status = 422 if form.is_bound else 200
    context = {
        "form": form,
        "record": record,
        "book": book,
        "label": RecordAction(step).label,
        "detail_view": _url(book, "detail"),
    }
    return render(request, "accountability/act.html", context, status=status)


@login_required
def kind_list(request: HttpRequest) -> HttpResponse:
    """The kinds the user's records may take; an office's staff adds its own."""
    user = request.user
    may_add = choosers.own_offices(user).exists()
    if not (may_add or choosers.may_propose(user)):
        raise PermissionDenied(_("Only an office's staff or a discipline body may see this."))
    form = KindForm(request.POST or None, user=user) if may_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only an office's staff may add a kind."))
        if form.is_valid():
            outcome = run_action(
                request,
                form,
                actions.do_add_kind,
                acting_user=user,
                office=form.cleaned_data["office"],
                name=form.cleaned_data["name"],
            )
            if outcome.ok:
                messages.success(request, _("The kind was added."))
                return redirect("accountability:kinds")
    kinds: Any = choosers.kinds_for(user).select_related("office")
    status = 422 if form is not None and form.is_bound else 200
    return render(
        request, "accountability/kinds.html", {"kinds": kinds, "form": form}, status=status
    )
