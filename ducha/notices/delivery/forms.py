"""The forms of the delivery pages. Bounds and rules are the actions'; these only read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.core.text import NAME, TextField
from ducha.notices.delivery.choices import Channel
from ducha.notices.delivery.models import SECRET_LENGTH, WEBHOOK_LENGTH
from ducha.orgs.models import Org
from ducha.orgs.widgets import EVERY_KIND, Picker

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class PreferencesForm(forms.Form):
    email = forms.BooleanField(label=_("By e-mail"), required=False)
    sms = forms.BooleanField(label=_("By SMS"), required=False)
    robots = forms.BooleanField(label=_("In my organisation's group chats"), required=False)
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("No messages by e-mail or SMS in these hours; they wait until the end."),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    digest = forms.BooleanField(
        label=_("One daily digest instead of single messages"), required=False
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Digest hour"), choices=HOURS, coerce=int, initial=8
    )


class OrgChannelForm(forms.Form):
    # Any org the grants reach: a county's hundreds, a province's thousands.
    org = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Org.objects.none(),
        widget=Picker("units", params={"kind": EVERY_KIND}),
    )
    kind = forms.ChoiceField(
        label=_("Channel"),
        choices=[(Channel.WECOM, Channel.WECOM.label), (Channel.DINGTALK, Channel.DINGTALK.label)],
    )
    # TextField: the same bounds and words as the API's (tests/delivery/test_api.py).
    label = TextField(label=_("Name"), max_length=NAME)
    webhook_url = TextField(
        label=_("Webhook address"),
        max_length=WEBHOOK_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )
    secret = TextField(
        label=_("Signing secret (DingTalk)"),
        max_length=SECRET_LENGTH,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    include_subtree = forms.BooleanField(label=_("Also for the orgs below"), required=False)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args: Any, orgs: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]
        if editing:
            keep = _("Leave empty to keep the stored one (it is not shown again).")
            self.fields["webhook_url"].help_text = keep
            self.fields["secret"].help_text = keep
