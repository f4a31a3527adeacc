"""The four ways out: how one message is written and sent on each channel.

A sender either returns (the receiver took the message) or raises `Temporary` (worth trying
again later: a timeout, a refused connection, a 5xx, a rate limit) or `Permanent` (trying
again cannot help: a wrong signature, an address refused, nothing to send to). What they
raise carries the reason shown in the delivery log, never a secret or a whole answer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.html import escape, linebreaks

from ducha.notices.delivery.choices import Channel
from ducha.notices.models import Notification

# The longest answer body read back from a webhook or gateway (its error message).
ANSWER_BYTES = 4096
SMS_TEXT = 300
# Rate limits of the robots: wait and try again (WeCom 45009, DingTalk 130101).
ROBOT_BUSY = {45009, 130101}


class SendError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Temporary(SendError):
    pass


class Permanent(SendError):
    pass


@dataclass(frozen=True)
class Message:
    """What is said, once for every channel: one notification, or a digest of several."""

    key: str  # unique per message: the e-mail's Message-ID and the SMS gateway's {key}
    subject: str
    items: Sequence[Notification]
    recipient_name: str

    def _link(self, item: Notification) -> str:
        if not item.url:
            return ""
        return f"{settings.DUCHA_SITE_URL}{item.url}"

    def plain(self) -> str:
        parts = []
        for item in self.items:
            lines = [item.title, item.body]
            if item.next_step:
                lines.append(item.next_step)
            if link := self._link(item):
                lines.append(link)
            parts.append("\n".join(lines))
        return "\n\n".join(parts)

    def html(self) -> str:
        parts = []
        for item in self.items:
            html = f"<h3>{escape(item.title)}</h3>{linebreaks(item.body)}"
            if item.next_step:
                html += f"<p><strong>{escape(item.next_step)}</strong></p>"
            if link := self._link(item):
                html += f'<p><a href="{escape(link)}">{escape(link)}</a></p>'
            parts.append(html)
        return "<html><body>" + "<hr>".join(parts) + "</body></html>"

    def markdown(self) -> str:
        parts = []
        for item in self.items:
            lines = [f"### {_md(item.title)}", f"@{_md(self.recipient_name)}", _md(item.body)]
            if item.next_step:
                lines.append(f"**{_md(item.next_step)}**")
            if link := self._link(item):
                lines.append(f"[{link}]({link})")
            parts.append("\n\n".join(lines))
        return "\n\n---\n\n".join(parts)

    def short(self) -> str:
        """One line for a phone: the title(s), cut to what a few SMS segments hold."""
        text = "；".join(item.title for item in self.items)
        if len(self.items) > 1:
            text = f"{self.subject}：{text}"
        return text[:SMS_TEXT]


def _md(text: str) -> str:
    # Markdown in a robot's chat: keep the text from opening links or headings of its own.
    return text.replace("[", "［").replace("]", "］").replace("\n#", "\n＃")


# --- e-mail ---------------------------------------------------------------------------------


def send_email(message: Message, target: str, secret: str = "") -> None:
    domain = target.rpartition("@")[2] or "localhost"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.plain(),
        to=[target],
        # The same Message-ID on every try: a mail server or client that sees it twice
        # may drop the repeat (the at-least-once retry of e-mail, docs/notifications.md).
        headers={"Message-ID": f"<ducha-{message.key}@{domain}>"},
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    email.attach_alternative(message.html(), "text/html")
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        raise Permanent(f"SMTP: recipient refused: {_first(error.recipients)}") from error
    except smtplib.SMTPResponseException as error:
        reason = f"SMTP {error.smtp_code}: {_decoded(error.smtp_error)}"
        if 500 <= error.smtp_code < 600:
            raise Permanent(reason) from error
        raise Temporary(reason) from error
    except (smtplib.SMTPException, OSError) as error:
        raise Temporary(f"SMTP: {type(error).__name__}: {error}") from error


def _first(recipients: dict[str, Any]) -> str:
    for code, text in recipients.values():
        return f"{code} {_decoded(text)}"
    return ""


def _decoded(value: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


# --- HTTP -----------------------------------------------------------------------------------


def post(url: str, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> bytes:
    """POST and return the answer's body; errors become Temporary or Permanent."""
    request = urllib.request.Request(  # noqa: S310 (http/https only: checked on input)
        url, data=body, method="POST", headers={"Content-Type": content_type, **(headers or {})}
    )
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise Permanent("the address is not http or https")
    try:
        with urllib.request.urlopen(request, timeout=settings.DUCHA_DELIVERY_TIMEOUT) as answer:  # noqa: S310
            return answer.read(ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        reason = f"HTTP {error.code}: {error.read(200).decode(errors='replace')}"
        if error.code == 429 or error.code >= 500:
            raise Temporary(reason) from error
        raise Permanent(reason) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise Temporary(f"HTTP: {getattr(error, 'reason', error)}") from error


def _robot_answer(raw: bytes, name: str) -> None:
    """WeCom and DingTalk answer 200 with {"errcode": 0} or the reason they refused."""
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as error:
        raise Temporary(f"{name}: unreadable answer") from error
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code in (0, None):
        return
    reason = f"{name} {code}: {str(answer.get('errmsg', ''))[:200]}"
    raise (Temporary if code in ROBOT_BUSY else Permanent)(reason)


def _robot_body(message: Message) -> bytes:
    payload = {
        "msgtype": "markdown",
        "markdown": {"title": message.subject, "content": message.markdown()},
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def send_wecom(message: Message, target: str, secret: str = "") -> None:
    raw = post(target, _robot_body(message), "application/json")
    _robot_answer(raw, "WeCom")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), urlencoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(webhook: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return webhook
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    joiner = "&" if urllib.parse.urlsplit(webhook).query else "?"
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def send_dingtalk(message: Message, target: str, secret: str = "") -> None:
    raw = post(dingtalk_url(target, secret), _robot_body(message), "application/json")
    _robot_answer(raw, "DingTalk")


# --- SMS ------------------------------------------------------------------------------------


def _filled(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        for name, text in values.items():
            value = value.replace("{" + name + "}", text)
        return value
    if isinstance(value, dict):
        return {key: _filled(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    return value


def sms_request(phone: str, text: str, key: str) -> tuple[bytes, str]:
    """The gateway's request body and content type from DUCHA_SMS_TEMPLATE.

    The placeholders are filled inside the template's parsed values, never spliced into its
    raw text, so a message holding quotes or ampersands cannot change the request's shape.
    """
    values = {"phone": phone, "text": text, "key": key}
    if settings.DUCHA_SMS_FORMAT == "form":
        pairs = urllib.parse.parse_qsl(settings.DUCHA_SMS_TEMPLATE, keep_blank_values=True)
        filled = [(name, _filled(value, values)) for name, value in pairs]
        return urllib.parse.urlencode(filled).encode(), "application/x-www-form-urlencoded"
    template = json.loads(settings.DUCHA_SMS_TEMPLATE)
    if not isinstance(template, dict):
        raise ValueError("the SMS template is not a JSON object")
    body = json.dumps(_filled(template, values), ensure_ascii=False).encode()
    return body, "application/json"


def send_sms(message: Message, target: str, secret: str = "") -> None:
    # `target` is the phone number here (read from the user's encrypted column by the worker).
    if not settings.DUCHA_SMS_URL:
        raise Permanent("no SMS gateway configured (DUCHA_SMS_URL)")
    try:
        body, content_type = sms_request(target, message.short(), message.key)
    except ValueError as error:
        raise Permanent("DUCHA_SMS_TEMPLATE is not a JSON object or query string") from error
    headers = {}
    if settings.DUCHA_SMS_AUTHORIZATION:
        headers["Authorization"] = settings.DUCHA_SMS_AUTHORIZATION
    post(settings.DUCHA_SMS_URL, body, content_type, headers)


Sender = Callable[[Message, str, str], None]

SENDERS: dict[str, Sender] = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_sms,
    Channel.WECOM: send_wecom,
    Channel.DINGTALK: send_dingtalk,
}
