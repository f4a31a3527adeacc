"""The eight kinds of documents, and how a document is laid out from its kind, texts and data.

Each kind validates its parameters against the issuing office's jurisdiction, drafts its
figures and rows from the data, and composes its body as blocks; the page preview and the
Word file are both rendered from those same blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.documents.choices import SERIAL_PHRASES, Kind
from ducha.documents.kinds.bulletin import BulletinKind, as_of_of
from ducha.documents.kinds.common import Block, Drafted, date_label
from ducha.documents.kinds.letters import PromptLetterKind, RectificationLetterKind
from ducha.documents.kinds.notice import NoticeKind
from ducha.documents.kinds.problem_list import ProblemListKind
from ducha.documents.kinds.referral_letter import ReferralLetterKind
from ducha.documents.kinds.special_report import SpecialReportKind
from ducha.documents.kinds.urge_notice import UrgeNoticeKind
from ducha.documents.numbering import masthead_of
from ducha.orgs.models import Org


class KindSpec(Protocol):
    kind: str
    text_keys: list[tuple[str, Any]]

    def default_title(self, issuer: Org, params: dict[str, Any], drafted: Drafted) -> str: ...

    def default_addressee(self, issuer: Org, drafted: Drafted) -> str: ...

    def default_texts(self) -> dict[str, str]: ...

    def clean_params(self, issuer: Org, raw: dict[str, Any]) -> dict[str, Any]: ...

    def draft(self, issuer: Org, params: dict[str, Any], now: datetime) -> Drafted: ...

    def compose(self, texts: dict[str, str], data: dict[str, Any]) -> list[Block]: ...


KINDS: dict[str, KindSpec] = {
    Kind.PROBLEM_LIST: ProblemListKind(),
    Kind.RECTIFICATION_LETTER: RectificationLetterKind(),
    Kind.PROMPT_LETTER: PromptLetterKind(),
    Kind.BULLETIN: BulletinKind(),
    Kind.SPECIAL_REPORT: SpecialReportKind(),
    Kind.URGE_NOTICE: UrgeNoticeKind(),
    Kind.NOTICE: NoticeKind(),
    Kind.REFERRAL_LETTER: ReferralLetterKind(),
}


def spec(kind: str) -> KindSpec:
    return KINDS[kind]


def as_of_for(kind: str, params: dict[str, Any], now: datetime) -> date:
    """Bulletins state a day the office may choose; the rest state the day they are issued."""
    if kind == Kind.BULLETIN:
        return as_of_of(params, now)
    return timezone.localdate(now)


@dataclass
class Imprint:
    """版记 (GB/T 9704-2012 7.4): the copy-to line, the office that prints and issues the
    document and the day it does so, between rules at the foot of the last page."""

    copy_to: str  # "抄送：…，…。", empty when the document has no copy-to addressees
    office: str
    date_text: str  # "2026年12月5日印发"; on a draft, where the date will go


@dataclass
class Composed:
    """A whole document as it reads, from the masthead to the 版记."""

    masthead: str
    reference: str
    serial: str
    title: str
    addressee: str
    blocks: list[Block]
    signature: str
    date_text: str
    issued: bool
    imprint: Imprint


def serial_phrase(kind: str, number: int | None) -> str:
    phrase = SERIAL_PHRASES.get(Kind(kind))
    if phrase is None or number is None:
        return ""
    return str(phrase) % {"number": number}


def compose(document: Any, data: dict[str, Any] | None = None) -> Composed:
    """The document as it reads; a draft shows where its number and date will go. `data` is
    a reader's view of the frozen data (`readers.reader_view`), the whole record by default."""
    issued = document.state == "issued"
    if issued:
        day = timezone.localdate(document.issued_at)
        reference = document.reference
    else:
        day = timezone.localdate()
        reference = _("(numbered when issued)")
    return Composed(
        masthead=masthead_of(document.issuer),
        reference=reference,
        serial=serial_phrase(document.kind, document.number),
        title=document.title,
        addressee=document.addressee,
        blocks=spec(document.kind).compose(document.texts, document.data if data is None else data),
        signature=document.issuer.name,
        date_text=date_label(day),
        issued=issued,
        imprint=imprint_of(document, day if issued else None),
    )


def copy_to_line(copy_to: str) -> str:
    if not copy_to:
        return ""
    return _("Copy to: %(names)s.") % {"names": copy_to}


def imprint_of(document: Any, day: date | None) -> Imprint:
    if day is None:
        date_text = _("(dated when issued)")
    else:
        date_text = _("Printed and issued on %(date)s") % {"date": date_label(day)}
    return Imprint(
        copy_to=copy_to_line(document.copy_to), office=document.issuer.name, date_text=date_text
    )
