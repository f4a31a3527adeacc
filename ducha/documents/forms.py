"""Forms of the document pages: the list filters, one drafting form per kind, editing a draft.

Forms offer choices from what the user may see and check the shape of the input; whether a
choice fits the issuing office's jurisdiction is checked by the kind when it drafts (its
InvalidInput names the field).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.choosers import NOT_IN_SCOPE
from ducha.core.dates import MAX_ID, in_range
from ducha.core.scope import grants_for
from ducha.core.search import SearchField
from ducha.core.text import LINE, REPORT, TITLE, TextField
from ducha.documents.access import default_issuer, draftable_issuers
from ducha.documents.choices import DOC_ACTION_ROLES, DocAction, DocState, Kind
from ducha.documents.kinds import spec
from ducha.documents.kinds.notice import ARABIC, CHINESE
from ducha.documents.kinds.referral_letter import _referral_for, referrals_for
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.orgs.widgets import Picker, sole
from ducha.problems.choices import Action
from ducha.problems.forms import ProblemFilterForm, RegionChoiceField
from ducha.problems.models import FocusArea, Problem, ProblemEvent

ANY = [("", _("Any"))]
UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.ENTERPRISE, OrgKind.REGION, OrgKind.COMMAND)
# How many problems the special report's choice offers (the most recent notable ones).
NOTABLE_PROBLEMS = 100


class DocumentFilterForm(forms.Form):
    q = SearchField()
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + Kind.choices, required=False)
    state = forms.ChoiceField(label=_("State"), choices=ANY + DocState.choices, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999, required=False)
    problem = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID
    )

    @property
    def active_count(self) -> int:
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for value in self.cleaned_data.values() if value not in (None, ""))


def _issuer_field() -> forms.ModelChoiceField:
    # An office not offered is refused in the API's words: missing and out of scope alike.
    # Every office of the jurisdiction: a province's cities', counties' and towns' too.
    return forms.ModelChoiceField(
        label=_("Issuing office"),
        queryset=Org.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": NOT_IN_SCOPE},
        widget=Picker("units", params={"kind": [OrgKind.OFFICE]}),
    )


def _title_field() -> forms.CharField:
    return TextField(
        label=_("Title"),
        max_length=TITLE,
        required=False,
        help_text=_("Leave empty for the usual title; it can be changed in the draft."),
    )


def _copy_to_field() -> forms.CharField:
    return TextField(
        label=_("Copy to"),
        max_length=LINE,
        required=False,
        help_text=_(
            "Other bodies that receive a copy, separated by commas; printed in the imprint "
            "at the foot of the last page."
        ),
    )


class DraftForm(forms.Form):
    """What every kind asks: in whose name, optionally the title, and who gets a copy."""

    kind: str = ""
    issuer = _issuer_field()
    title = _title_field()
    copy_to = _copy_to_field()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _limit_issuer(self, user)

    def params(self) -> dict[str, Any]:
        return {}

    def written(self) -> dict[str, Any]:
        """What the office writes on this form besides the parameters (by action argument)."""
        return {"copy_to": self.cleaned_data.get("copy_to") or ""}


def _limit_issuer(form: forms.Form, user: Any) -> None:
    issuer: forms.ModelChoiceField = form.fields["issuer"]  # type: ignore[assignment]
    issuer.queryset = draftable_issuers(user)
    issuer.initial = default_issuer(user)
    drafting = DOC_ACTION_ROLES[DocAction.DRAFT]
    under = sole(grant.region_id for grant in grants_for(user) if grant.role in drafting)
    issuer.widget.narrow(under=under)


def _pk(value: Any) -> Any:
    return value.pk if value is not None else None


class ProblemListForm(ProblemFilterForm):
    """The problem list's own filters, so a list names exactly what the list page shows."""

    kind = Kind.PROBLEM_LIST
    issuer = _issuer_field()
    title = _title_field()
    copy_to = _copy_to_field()
    not_listed = forms.BooleanField(
        label=_("Only problems no earlier list of this office named"),
        required=False,
        initial=True,
    )
    field_order = ["issuer", "title", "copy_to", "not_listed"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.user = user
        _limit_issuer(self, user)

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "region": _pk(data.get("region")),
            "state": data.get("state") or None,
            "focus_area": _pk(data.get("focus_area")),
            "team": _pk(data.get("team")),
            "responsible_org": _pk(data.get("responsible_org")),
            "light": data.get("light") or None,
            "overdue": data.get("overdue"),
            "nature": data.get("nature") or None,
            "urgency": data.get("urgency") or None,
            "q": data.get("q") or "",
            "closed_late": data.get("closed_late"),
            "not_listed": data.get("not_listed", False),
        }

    def written(self) -> dict[str, Any]:
        return {"copy_to": self.cleaned_data.get("copy_to") or ""}


def units_with_open_problems(user: Any) -> Any:
    open_ones = Problem.objects.visible_to(user).open().filter(responsible_org=OuterRef("pk"))
    return Org.objects.filter(kind__in=UNIT_KINDS).filter(Exists(open_ones)).order_by("tree_order")


class RectificationLetterForm(DraftForm):
    kind = Kind.RECTIFICATION_LETTER
    recipient = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Org.objects.none(),
        help_text=_("Units with problems not yet closed."),
        widget=Picker("units"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        recipient: forms.ModelChoiceField = self.fields["recipient"]  # type: ignore[assignment]
        recipient.queryset = units_with_open_problems(user)

    def params(self) -> dict[str, Any]:
        return {"recipient": self.cleaned_data["recipient"].pk}


class PromptLetterForm(DraftForm):
    kind = Kind.PROMPT_LETTER
    recipient = forms.ModelChoiceField(
        label=_("To"),
        queryset=Org.objects.none(),
        help_text=_("A unit with open problems, or a lower office of the jurisdiction."),
        widget=Picker("units", params={"kind": [*UNIT_KINDS, OrgKind.OFFICE]}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        own = [grant.org_id for grant in grants_for(user)]
        lower_offices = Q(pk__in=draftable_issuers(user).exclude(pk__in=own).values("pk"))
        units = Q(pk__in=units_with_open_problems(user).values("pk"))
        recipient: forms.ModelChoiceField = self.fields["recipient"]  # type: ignore[assignment]
        recipient.queryset = Org.objects.filter(units | lower_offices).order_by("tree_order")

    def params(self) -> dict[str, Any]:
        return {"recipient": self.cleaned_data["recipient"].pk}


class BulletinForm(DraftForm):
    kind = Kind.BULLETIN
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Org.objects.none(),
        required=False,
        empty_label=_("The whole jurisdiction"),
    )
    as_of = forms.DateField(
        label=_("Figures as of"),
        required=False,
        validators=[in_range],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the day of issue; an earlier day is stated as at its end."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        region: RegionChoiceField = self.fields["region"]  # type: ignore[assignment]
        region.limit_to(Org.objects.visible_to(user).regions(), user)
        self.fields["as_of"].widget.attrs["max"] = timezone.localdate().isoformat()

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"region": _pk(data.get("region")), "as_of": data.get("as_of")}


def notable_problems(user: Any) -> list[tuple[int, str]]:
    """Problems a special report is usually about: common, urgent, recurring, reported up or
    instructed; the most recent first."""
    instructed = ProblemEvent.objects.filter(problem=OuterRef("pk"), action=Action.INSTRUCT)
    notable = (
        Q(nature="common")
        | Q(urgency="urgent")
        | Q(recurring=True)
        | Q(reported_to__isnull=False)
        | Exists(instructed)
    )
    problems = Problem.objects.visible_to(user).filter(notable).order_by("-found_at", "-pk")
    return list(problems.values_list("pk", "title")[:NOTABLE_PROBLEMS])


class SpecialReportForm(DraftForm):
    kind = Kind.SPECIAL_REPORT
    problem = forms.TypedChoiceField(
        label=_("On one problem"), coerce=int, required=False, empty_value=None
    )
    focus_area = forms.ModelChoiceField(
        label=_("Or on one focus area"),
        queryset=FocusArea.objects.all(),
        required=False,
        empty_label=_("None"),
    )
    region = RegionChoiceField(
        label=_("Region (focus area)"),
        queryset=Org.objects.none(),
        required=False,
        empty_label=_("The whole jurisdiction"),
    )

    def __init__(self, *args: Any, user: Any, problem: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        choices = notable_problems(user)
        problem = _int_or_none(problem)
        wanted = problem or (_int_or_none(self.data.get("problem")) if self.is_bound else None)
        extra = Problem.objects.visible_to(user).filter(pk=wanted)
        for pk, title in extra.values_list("pk", "title"):
            if pk not in {choice for choice, _title in choices}:
                choices.insert(0, (pk, title))
        field: forms.TypedChoiceField = self.fields["problem"]  # type: ignore[assignment]
        field.choices = [("", _("None")), *choices]
        if problem:
            field.initial = problem
        region: RegionChoiceField = self.fields["region"]  # type: ignore[assignment]
        region.limit_to(Org.objects.visible_to(user).regions(), user)

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "problem": data.get("problem"),
            "focus_area": _pk(data.get("focus_area")),
            "region": _pk(data.get("region")),
        }


NOTICE_SECTIONS = ("opening", "items", "closing")


class NoticeForm(DraftForm):
    """A notice is all written: its main recipients, opening, numbered items and closing."""

    kind = Kind.NOTICE
    addressee = TextField(label=_("Main recipients"), max_length=LINE, required=False)
    numbering = forms.ChoiceField(
        label=_("Numbering of the items"),
        choices=[(CHINESE, "一、二、三、"), (ARABIC, "1. 2. 3.")],
        initial=CHINESE,
    )
    text_opening = TextField(
        label=_("Opening"),
        max_length=REPORT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    text_items = TextField(
        label=_("Numbered items, one a line"),
        max_length=REPORT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Each line is one item; the numbers are added when it is printed."),
    )
    text_closing = TextField(
        label=_("Closing"),
        max_length=REPORT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["issuer", "title", "addressee", "copy_to", "numbering"]

    def params(self) -> dict[str, Any]:
        return {"numbering": self.cleaned_data["numbering"]}

    def written(self) -> dict[str, Any]:
        data = self.cleaned_data
        return super().written() | {
            "addressee": data.get("addressee") or "",
            "texts": {key: data.get(f"text_{key}") or "" for key in NOTICE_SECTIONS},
        }


class ReferralLetterForm(DraftForm):
    kind = Kind.REFERRAL_LETTER
    referral = forms.TypedChoiceField(label=_("Referral"), coerce=int)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        visible = referrals_for(user).select_related("receiver").order_by("-referred_at", "-pk")
        referrals = list(visible[:NOTABLE_PROBLEMS])
        # The one asked for (?referral=, or posted) is offered even when older than the rest.
        wanted = _int_or_none(self.data.get("referral") if self.is_bound else None)
        wanted = wanted or _int_or_none(self.initial.get("referral"))
        if wanted and wanted not in {referral.pk for referral in referrals}:
            found = _referral_for(user, wanted)
            if found is not None:
                referrals.insert(0, found)
        field: forms.TypedChoiceField = self.fields["referral"]  # type: ignore[assignment]
        field.choices = [
            (
                referral.pk,
                f"{referral.receiver.name} · {referral.referred_at:%Y-%m-%d} · "
                f"{referral.facts[:40]}",
            )
            for referral in referrals
        ]
        field.error_messages["invalid_choice"] = NOT_IN_SCOPE

    def params(self) -> dict[str, Any]:
        return {"referral": self.cleaned_data["referral"]}


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


DRAFT_FORMS: dict[str, type[Any]] = {
    Kind.PROBLEM_LIST: ProblemListForm,
    Kind.RECTIFICATION_LETTER: RectificationLetterForm,
    Kind.PROMPT_LETTER: PromptLetterForm,
    Kind.BULLETIN: BulletinForm,
    Kind.SPECIAL_REPORT: SpecialReportForm,
    Kind.NOTICE: NoticeForm,
    Kind.REFERRAL_LETTER: ReferralLetterForm,
}


class EditForm(forms.Form):
    """A draft's title, main recipients and the sections the office writes."""

    title = TextField(label=_("Title"), max_length=TITLE)
    addressee = TextField(
        label=_("Main recipients"),
        max_length=LINE,
        required=False,
        help_text=_("The line under the title naming who the document is for."),
    )
    copy_to = _copy_to_field()

    def __init__(self, *args: Any, document: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"title": document.title, "addressee": document.addressee, "copy_to": document.copy_to}
            | {f"text_{key}": document.texts.get(key, "") for key, _l in self.keys(document)},
        )
        super().__init__(*args, **kwargs)
        for key, label in self.keys(document):
            self.fields[f"text_{key}"] = TextField(
                label=label,
                required=False,
                max_length=REPORT,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @staticmethod
    def keys(document: Any) -> list[tuple[str, Any]]:
        return spec(document.kind).text_keys

    def texts(self) -> dict[str, str]:
        return {
            name.removeprefix("text_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("text_")
        }
