"""The documents API's input and output shapes, and the functions that fill them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from ducha.core.schemas import Body, PageOut, PageQuery, Ref, ref
from ducha.core.search import FullTextSearch
from ducha.core.text import Line, Name, ReportText, Search, Title
from ducha.documents.choices import DocState, EventAction, Kind
from ducha.documents.kinds import compose, serial_phrase, spec
from ducha.documents.models import Document, DocumentEvent, DocumentFile, DocumentProblem
from ducha.documents.readers import ReaderView
from ducha.problems.choices import Nature, State, TrafficLight, Urgency


class DocumentQuery(PageQuery):
    q: FullTextSearch = Field("", description="Words of the title, reference or text.")
    kind: Kind | None = None
    state: DocState | None = None
    year: int | None = Field(None, ge=2000, le=2999, description="Year of issue.")
    issuer: int | None = None
    problem: int | None = Field(None, description="Only documents that name this problem.")


class ListFilters(Body):
    """The problem list's filters (see GET /problems), plus `not_listed`."""

    region: int | None = None
    state: State | None = None
    focus_area: int | None = None
    team: int | None = None
    responsible_org: int | None = None
    light: TrafficLight | None = None
    overdue: bool | None = None
    nature: Nature | None = None
    urgency: Urgency | None = None
    q: Search = ""
    closed_late: bool | None = None
    not_listed: bool = Field(
        False, description="Leave out problems an earlier list of the same office named."
    )


class DraftIn(Body):
    kind: Kind
    issuer: int | None = Field(None, description="Default: the caller's own office.")
    title: Title = Field("", description="Default: the kind's usual title.")
    addressee: Line | None = Field(None, description="主送; default by kind.")
    copy_to: Line = Field("", description="抄送, names separated by commas; printed in the 版记.")
    texts: dict[Name, ReportText] = Field(default_factory=dict)
    recipient: int | None = Field(None, description="Letters: the unit (or lower office).")
    region: int | None = Field(None, description="Bulletins, special reports: default all.")
    as_of: date | None = Field(None, description="Bulletins: default the day of issue.")
    problem: int | None = Field(None, description="Special report or urge notice on one problem.")
    focus_area: int | None = Field(None, description="Special report on one focus area.")
    referral: int | None = Field(None, description="Referral letter: the referral.")
    numbering: Name | None = Field(
        None,
        description="Notices: `chinese` (一、二、) or `arabic` (1. 2.) items.",
    )
    filters: ListFilters | None = Field(None, description="Problem lists.")

    def params(self) -> dict[str, Any]:
        if self.kind == Kind.PROBLEM_LIST:
            filters = self.filters or ListFilters.model_validate({})
            return filters.model_dump()
        chosen = {
            "recipient": self.recipient,
            "region": self.region,
            "as_of": self.as_of,
            "problem": self.problem,
            "focus_area": self.focus_area,
            "referral": self.referral,
            "numbering": self.numbering,
        }
        return {key: value for key, value in chosen.items() if value is not None}


class DraftEditIn(Body):
    title: Title | None = None
    addressee: Line | None = None
    copy_to: Line | None = None
    texts: dict[Name, ReportText] | None = None
    refresh: bool = Field(False, description="Draft the figures from the data again.")


class BlockOut(Schema):
    kind: str
    text: str
    level: int
    header: list[str]
    rows: list[list[str]]
    written: bool


class ImprintOut(Schema):
    copy_to: str
    office: str
    date_text: str


class BodyOut(Schema):
    masthead: str
    reference: str
    serial: str
    title: str
    addressee: str
    blocks: list[BlockOut]
    signature: str
    date_text: str
    imprint: ImprintOut


class FileOut(Schema):
    format: str
    sha256: str
    size: int
    url: str


class ListedProblemOut(Schema):
    position: int
    problem: Ref
    responsible_org: Ref | None
    snapshot: dict[str, Any]


class DocumentEventOut(Schema):
    action: str
    label: str
    actor: str
    created_at: datetime
    payload: dict[str, Any]


class SectionOut(Schema):
    key: str
    label: str
    text: str


class DocumentItem(Schema):
    id: int
    kind: str
    kind_label: str
    state: str
    state_label: str
    title: str
    issuer: Ref
    recipient: Ref | None
    number: int | None
    year: int | None
    reference: str
    serial: str
    as_of: date
    issued_at: datetime | None
    created_at: datetime


class DocumentPage(PageOut):
    items: list[DocumentItem]


class DocumentDetail(DocumentItem):
    addressee: str
    copy_to: str
    params: dict[str, Any]
    sections: list[SectionOut]
    data: dict[str, Any]
    body: BodyOut
    files: list[FileOut]
    problems: list[ListedProblemOut]
    events: list[DocumentEventOut]
    created_by: str
    issued_by: str | None
    allowed_actions: list[str]


def item_data(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": str(Kind(document.kind).label),
        "state": document.state,
        "state_label": str(DocState(document.state).label),
        "title": document.title,
        "issuer": ref(document.issuer),
        "recipient": ref(document.recipient),
        "number": document.number,
        "year": document.year,
        "reference": document.reference,
        "serial": serial_phrase(document.kind, document.number),
        "as_of": document.as_of,
        "issued_at": document.issued_at,
        "created_at": document.created_at,
    }


def file_data(row: DocumentFile, *, whole: bool = True) -> dict[str, Any]:
    # A partial reader's files are made on request: the record's hash and size are not theirs.
    return {
        "format": row.format,
        "sha256": row.sha256 if whole else "",
        "size": row.size if whole else 0,
        "url": reverse("api:document_file", args=[row.document_id, row.format]),
    }


def event_data(event: DocumentEvent, *, whole: bool = True) -> dict[str, Any]:
    return {
        "action": event.action,
        "label": str(EventAction(event.action).label),
        "actor": str(event.actor),
        "created_at": event.created_at,
        # The payload counts the whole document's problems and names its files' hashes.
        "payload": event.payload if whole else {},
    }


def listed_data(entry: DocumentProblem) -> dict[str, Any]:
    return {
        "position": entry.position,
        "problem": {"id": entry.problem_id, "name": entry.snapshot.get("title", "")},
        "responsible_org": ref(entry.responsible_org),
        "snapshot": entry.snapshot,
    }


def detail_data(document: Document, allowed: list[str], view: ReaderView) -> dict[str, Any]:
    """The document as this reader sees it: a reader below the issuing office gets the rows
    they reach, and neither the record's hashes nor its events' figures of the whole."""
    composed = compose(document, view.data)
    body = asdict(composed)
    body["blocks"] = [block.as_dict() for block in composed.blocks]
    sections = [
        {"key": key, "label": str(label), "text": document.texts.get(key, "")}
        for key, label in spec(document.kind).text_keys
    ]
    listed = (
        view.listed(document.listed.all()).select_related("responsible_org").order_by("position")
    )
    events = document.events.select_related("actor")
    return {
        **item_data(document),
        "addressee": document.addressee,
        "copy_to": document.copy_to,
        "params": document.params,
        "sections": sections,
        "data": view.data,
        "body": body,
        "files": [file_data(row, whole=view.whole) for row in document.files.all()],
        "problems": [listed_data(entry) for entry in listed],
        "events": [event_data(event, whole=view.whole) for event in events],
        "created_by": str(document.created_by),
        "issued_by": str(document.issued_by) if document.issued_by else None,
        "allowed_actions": allowed,
    }
