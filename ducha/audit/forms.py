"""The audit trail's filters: each one bounded and checked, with the reason on its field."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import SecurityEventKind

# The earliest date a filter may name: nothing is older than the application.
EARLIEST = date(2020, 1, 1)
NAME_LENGTH = 150


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("All events")), *SecurityEventKind.choices],
    )
    account = forms.CharField(
        label=_("Account (user name)"),
        required=False,
        max_length=NAME_LENGTH,
        help_text=_("The user name exactly: who acted, whom it concerned, or as typed."),
    )
    address = forms.GenericIPAddressField(label=_("IP address"), required=False)
    date_from = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Keyset pagination: events older than this one (its id).
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    FILTERS = ("kind", "account", "address", "date_from", "date_to")

    def _date(self, name: str) -> date | None:
        day: date | None = self.cleaned_data.get(name)
        if day is None:
            return None
        today = timezone.localdate()
        if day < EARLIEST or day > today:
            raise forms.ValidationError(
                _("Choose a date between %(earliest)s and today."),
                code="out_of_range",
                params={"earliest": EARLIEST.isoformat()},
            )
        return day

    def clean_date_from(self) -> date | None:
        return self._date("date_from")

    def clean_date_to(self) -> date | None:
        return self._date("date_to")

    def clean_account(self) -> str:
        return str(self.cleaned_data.get("account") or "").strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    @property
    def active_count(self) -> int:
        if not self.is_bound or self.errors:
            return 0
        return sum(1 for name in self.FILTERS if self.cleaned_data.get(name))

    def filters(self) -> dict[str, str]:
        """The filters in force, as text (what an audit read records)."""
        return {
            name: str(self.cleaned_data[name])
            for name in self.FILTERS
            if self.cleaned_data.get(name)
        }

    def apply(self, events: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("account"):
            name = data["account"]
            events = events.filter(
                Q(username=name) | Q(actor__username=name) | Q(subject__username=name)
            )
        if data.get("address"):
            events = events.filter(address=data["address"])
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            events = events.filter(
                created_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=zone)
            )
        if data.get("date_to"):
            end = datetime.combine(data["date_to"] + timedelta(days=1), time.min, tzinfo=zone)
            events = events.filter(created_at__lt=end)
        return events
